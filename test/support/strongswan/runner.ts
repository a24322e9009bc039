/**
 * Test support: run a real strongSwan charon and a Node.js script side by side in a private
 * network namespace, and hand back what both did.
 *
 * Owns: the prerequisites check (root, charon, swanctl, unshare, mount, ip, timeout, bash;
 * for kernel-libipsec its plugin and /dev/net/tun), the run's temporary directory (configs
 * from config.ts, charon's log, a run/ directory bind-mounted over /run), the one
 * `timeout ... unshare --net --mount --propagation private bash harness.sh` process that
 * does the run (harness.sh owns its order), and turning its files into a result or an
 * error that names the failed step with the last lines of charon's log.
 * Refuses to start when a prerequisite is missing (an error that names each one: the tests
 * that use this fail, they never skip) and refuses arguments harness.sh could misread
 * (an address that is not a plain prefix, a script that is not an absolute path).
 * Nothing leaves the namespace: it has only loopback, and it ends with its last process;
 * every process in it runs under `timeout`, so a run stops by itself.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CHARON_ADDR,
  CHARON_NATT_PORT,
  CHARON_PORT,
  PEER_ADDR,
  PEER_NATT_PORT,
  PEER_PORT,
  strongswanConf,
  swanctlConf,
  type CharonConfig,
} from './config.js';

const HARNESS_SH = join(dirname(fileURLToPath(import.meta.url)), 'harness.sh');
const CHARON_BIN = '/usr/lib/ipsec/charon';
const LIBIPSEC_PLUGIN = '/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so';
const INSTALL_HINT = 'as root on Debian 12: `apt-get update && bash .ci/install-strongswan`';

/** `swanctl --initiate` of one child (and its IKE SA), run after the script is listening. */
export interface InitiateStep {
  readonly child: string;
  readonly ike?: string;
  /** swanctl's own wait for the result, whole seconds (default 5). */
  readonly timeoutS?: number;
}

/** The caller's Node script, run with this Node binary inside the namespace. */
export interface ScriptStep {
  /** Absolute path of a plain JavaScript file. */
  readonly path: string;
  readonly args?: readonly string[];
  /** Killed after this many seconds (default 15). */
  readonly timeoutS?: number;
  /** Extra environment for the script. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface CharonRunOptions {
  readonly charon: CharonConfig;
  /** Extra addresses on the namespace's loopback (`10.1.0.1/32`); 127.0.0.2/8 is always there. */
  readonly extraAddresses?: readonly string[];
  readonly initiate?: InitiateStep;
  readonly script?: ScriptStep;
  /** The whole run is killed after this many seconds (default 40). */
  readonly timeoutS?: number;
  /** Keep the temporary directory after a successful run (a failed run always keeps it). */
  readonly keepDir?: boolean;
}

/** One step of the run as harness.sh recorded it. */
export interface StepRecord {
  readonly name: string;
  /** Exit code: 124 when its `timeout` ended it. */
  readonly code: number;
  readonly ms: number;
}

/** A command the run executed, with its output. */
export interface CommandOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface CharonRunResult {
  /** charon's file log (level 4 for `ike` and `chd`). */
  readonly charonLog: string;
  /** What charon wrote to stdout and stderr (its log lines, on a terminal-less run). */
  readonly charonOutput: string;
  /** charon's PID (from its pid file), for checks that it is gone. */
  readonly charonPid: number;
  /** Exit code of charon's `timeout` wrapper after the SIGTERM: 0 when charon stopped cleanly. */
  readonly charonExit: number;
  readonly load: CommandOutput;
  readonly initiate: CommandOutput | null;
  readonly script: CommandOutput | null;
  readonly listSas: CommandOutput;
  readonly steps: readonly StepRecord[];
  /** Wall time of the whole run, namespace creation to namespace gone. */
  readonly totalMs: number;
  /** The temporary directory, when kept. */
  readonly dir: string | null;
}

/** A run that could not go on: which step, its output, charon's last log lines. */
export class CharonHarnessError extends Error {
  constructor(
    readonly step: string,
    message: string,
    /** The run's kept temporary directory (null when nothing ran). */
    readonly dir: string | null = null,
  ) {
    super(message);
    this.name = 'CharonHarnessError';
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Everything missing for a run with this kernel interface; [] when a run can start.
 * `searchPath` is where programs are looked for (default: this process's PATH).
 */
export function charonHarnessProblems(kernel: 'netlink' | 'libipsec' = 'netlink', searchPath: string = process.env['PATH'] ?? ''): string[] {
  const onPath = (name: string): boolean => searchPath.split(delimiter).some((d) => d.length > 0 && executable(join(d, name)));
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push('root (unshare --net and mount --bind need it)');
  if (!executable(CHARON_BIN)) problems.push(`${CHARON_BIN} (package strongswan-charon)`);
  if (!onPath('swanctl')) problems.push('swanctl (package strongswan-swanctl)');
  if (!onPath('unshare')) problems.push('unshare (package util-linux)');
  if (!onPath('mount')) problems.push('mount (package mount)');
  if (!onPath('ip')) problems.push('ip (package iproute2)');
  if (!onPath('timeout')) problems.push('timeout (package coreutils)');
  if (!onPath('bash')) problems.push('bash');
  if (kernel === 'libipsec') {
    if (!existsSync(LIBIPSEC_PLUGIN)) problems.push(`${LIBIPSEC_PLUGIN} (package libcharon-extra-plugins)`);
    if (!existsSync('/dev/net/tun')) problems.push('/dev/net/tun (kernel-libipsec makes a TUN device)');
  }
  return problems;
}

const ADDRESS = /^[0-9a-fA-F.:]+\/[0-9]{1,3}$/;

function readText(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

function readSteps(dir: string): StepRecord[] {
  return readText(join(dir, 'steps.tsv'))
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const [name, code, start, end] = l.split('\t');
      return { name: name!, code: Number(code), ms: Number((BigInt(end!) - BigInt(start!)) / 1_000_000n) };
    });
}

function lastLines(text: string, n: number): string {
  const lines = text.split('\n').filter((l) => l.length > 0);
  return lines.slice(-n).join('\n');
}

function command(dir: string, name: string, steps: readonly StepRecord[]): CommandOutput | null {
  const step = steps.find((s) => s.name === name);
  if (!step) return null;
  return { code: step.code, stdout: readText(join(dir, `${name}.out`)), stderr: readText(join(dir, `${name}.err`)), ms: step.ms };
}

/** Whose output explains a failed step: the step's own, and the script's while it was getting ready. */
function outputsOf(step: string): string[] {
  return step === 'script-ready' ? ['script-ready', 'script'] : [step];
}

function failure(dir: string, step: string, why: string): CharonHarnessError {
  const parts = [`strongSwan harness: step "${step}" ${why}`];
  for (const name of outputsOf(step)) {
    const out = readText(join(dir, `${name}.out`));
    const err = readText(join(dir, `${name}.err`));
    if (out.length > 0) parts.push(`--- ${name} stdout (last lines) ---\n${lastLines(out, 15)}`);
    if (err.length > 0) parts.push(`--- ${name} stderr (last lines) ---\n${lastLines(err, 15)}`);
  }
  parts.push(`--- charon.log (last 20 lines) ---\n${lastLines(readText(join(dir, 'charon.log')), 20) || '(empty)'}`);
  parts.push(`(files kept in ${dir})`);
  return new CharonHarnessError(step, parts.join('\n'), dir);
}

function wholeSeconds(what: string, s: number): number {
  if (!Number.isInteger(s) || s <= 0) throw new Error(`runWithCharon: ${what} ${s} is not a positive whole number of seconds`);
  return s;
}

/**
 * Run charon with `options.charon` in a fresh namespace; run the script and/or
 * `swanctl --initiate` there; list the SAs; stop charon. Resolves with every output once
 * the namespace is gone. Rejects with CharonHarnessError when a step the run needs fails
 * (namespace, addresses, bind mount, charon start, config load, listing, the script not
 * getting ready) or the whole run times out. The script's and initiate's exit codes are
 * results, not failures: a test decides what it expects.
 *
 * The script sees HARNESS_CHARON_ADDR/PORT/NATT_PORT, HARNESS_PEER_ADDR/PORT/NATT_PORT,
 * HARNESS_CHARON_LOG (charon's log file, to wait for a line) and, when `initiate` is given too, must create the file named by HARNESS_READY_FILE once its
 * sockets are bound (charon initiates only then).
 */
export async function runWithCharon(options: CharonRunOptions): Promise<CharonRunResult> {
  const kernel = options.charon.kernel ?? 'netlink';
  const problems = charonHarnessProblems(kernel);
  if (problems.length > 0) {
    throw new CharonHarnessError('prerequisites', `strongSwan harness cannot run here; missing: ${problems.join('; ')}. Install ${INSTALL_HINT}.`);
  }
  const extra = options.extraAddresses ?? [];
  for (const a of extra) if (!ADDRESS.test(a)) throw new Error(`runWithCharon: extra address ${JSON.stringify(a)} is not a prefix like 10.1.0.1/32`);
  const script = options.script;
  if (script && !isAbsolute(script.path)) throw new Error(`runWithCharon: script path ${script.path} is not absolute`);
  if (script && !existsSync(script.path)) throw new Error(`runWithCharon: script ${script.path} does not exist`);
  const totalS = wholeSeconds('timeoutS', options.timeoutS ?? 40);
  const scriptS = wholeSeconds('script.timeoutS', script?.timeoutS ?? 15);
  const initiateS = wholeSeconds('initiate.timeoutS', options.initiate?.timeoutS ?? 5);
  // The script and swanctl end before charon's own limit (totalS), so a slow step is
  // reported as that step, not as the whole run.
  if ((script && scriptS + 3 > totalS) || (options.initiate && initiateS + 8 > totalS)) {
    throw new Error(`runWithCharon: timeoutS ${totalS} leaves no room for script.timeoutS ${scriptS} (+3) or initiate.timeoutS ${initiateS} (+8)`);
  }

  const dir = mkdtempSync(join(tmpdir(), 'vgw-swan-'));
  mkdirSync(join(dir, 'run'));
  const logPath = join(dir, 'charon.log');
  writeFileSync(join(dir, 'strongswan.conf'), strongswanConf(options.charon, { log: logPath }));
  writeFileSync(join(dir, 'swanctl.conf'), swanctlConf(options.charon));

  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...(script?.env ?? {}),
    HARNESS_DIR: dir,
    HARNESS_NODE: process.execPath,
    HARNESS_SCRIPT: script?.path ?? '',
    HARNESS_SCRIPT_S: String(scriptS),
    HARNESS_READY_TRIES: String(Math.min(scriptS, 5) * 50),
    HARNESS_START_TRIES: '100',
    HARNESS_CHARON_S: String(totalS),
    HARNESS_SWANCTL_S: String(initiateS + 5),
    HARNESS_INITIATE_CHILD: options.initiate?.child ?? '',
    HARNESS_INITIATE_IKE: options.initiate?.ike ?? '',
    HARNESS_INITIATE_S: String(initiateS),
    HARNESS_EXTRA_ADDRS: extra.join(' '),
    HARNESS_CHARON_ADDR: CHARON_ADDR,
    HARNESS_CHARON_PORT: String(options.charon.port ?? CHARON_PORT),
    HARNESS_CHARON_NATT_PORT: String(options.charon.portNatT ?? CHARON_NATT_PORT),
    HARNESS_PEER_ADDR: PEER_ADDR,
    HARNESS_PEER_PORT: String(PEER_PORT),
    HARNESS_PEER_NATT_PORT: String(PEER_NATT_PORT),
    HARNESS_CHARON_LOG: logPath,
  };
  const argv = ['-k', '3', String(totalS + 5), 'unshare', '--net', '--mount', '--propagation', 'private', 'bash', HARNESS_SH, ...(script?.args ?? [])];
  const started = performance.now();
  const outer = await new Promise<{ code: number; stderr: string }>((resolve, reject) => {
    const child = spawn('timeout', argv, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      stderr += s;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal === 'SIGKILL' ? 137 : 128), stderr }));
  });
  const totalMs = Math.round(performance.now() - started);

  const steps = readSteps(dir);
  const failed = readText(join(dir, 'failed')).trim();
  if (failed.length > 0) {
    const rec = steps.find((s) => s.name === failed);
    const hint = failed === 'script-ready' ? ' (the script must create the file HARNESS_READY_FILE names once its sockets are bound)' : '';
    throw failure(dir, failed, `${rec ? `failed (exit ${rec.code}) after ${rec.ms} ms` : 'failed'}${hint}`);
  }
  const current = readText(join(dir, 'current')).trim();
  if (outer.code === 124 || outer.code === 137 || current !== 'done') {
    const step = current.length > 0 ? current : 'unshare';
    const why = outer.code === 124 || outer.code === 137 ? `was running when the whole run timed out after ${totalS + 5} s` : `did not finish (harness exit ${outer.code}: ${lastLines(outer.stderr, 5)})`;
    throw failure(dir, step, why);
  }
  const load = command(dir, 'load', steps);
  const listSas = command(dir, 'list-sas', steps);
  const stop = steps.find((s) => s.name === 'stop-charon');
  if (!load || !listSas || !stop) throw failure(dir, 'done', 'reached the end without load, list-sas and stop-charon records');
  const result: CharonRunResult = {
    charonLog: readText(logPath),
    charonOutput: readText(join(dir, 'charon-start.out')),
    charonPid: Number(readText(join(dir, 'charon.pid')).trim()),
    charonExit: stop.code,
    load,
    initiate: command(dir, 'initiate', steps),
    script: command(dir, 'script', steps),
    listSas,
    steps,
    totalMs,
    dir: options.keepDir ? dir : null,
  };
  if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
  return result;
}
