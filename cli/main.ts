#!/usr/bin/env node
/**
 * vgw: the command line. Thin: parse arguments, call sim/, format, set the exit code.
 * Exit codes: 0 ok, 1 an expectation failed, 2 bad input (scenario, flag, file).
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import {
  validateScenarioFile, runScenario, CollectSink, formatDiagnostic, whatIf, WHAT_IF_FLOW,
} from '../sim/index.js';
import type { Diagnostic, SimEvent } from '../sim/index.js';
import { formatRun, pathsByFlow, hopLines } from './format.js';
import { makeStyle, colorWanted } from './style.js';
import { BENCH_HELP, BenchInputError, runBench } from './bench/command.js';
import type { Style } from './style.js';

type Out = (line: string) => void;

interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly help: string;
  readonly options: NonNullable<Parameters<typeof parseArgs>[0]>['options'];
  run(args: { values: Record<string, string | boolean | undefined>; positionals: string[] }, io: Io): number;
}

interface Io {
  readonly out: Out;
  readonly err: Out;
  readonly style: Style;
}

const COMMON = {
  help: { type: 'boolean', short: 'h' },
  'no-color': { type: 'boolean' },
} as const;

class UsageError extends Error {}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function fileArg(cmd: string, positionals: string[]): string {
  if (positionals.length === 0) throw new UsageError(`vgw ${cmd}: missing FILE (see vgw ${cmd} --help)`);
  if (positionals.length > 1) throw new UsageError(`vgw ${cmd}: unexpected argument "${positionals[1]}" (see vgw ${cmd} --help)`);
  return positionals[0]!;
}

function intFlag(cmd: string, name: string, v: string | boolean | undefined, lo: number, hi: number): number | undefined {
  if (v === undefined || typeof v === 'boolean') return undefined;
  if (!/^\d+$/.test(v) || Number(v) < lo || Number(v) > hi) throw new UsageError(`vgw ${cmd}: --${name} must be a whole number from ${lo} to ${hi}, got "${v}"`);
  return Number(v);
}

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function printDiagnostics(ds: readonly Diagnostic[], io: Io, json: boolean): void {
  for (const d of ds) {
    if (json) io.out(JSON.stringify({ type: 'diagnostic', ...d }));
    else {
      const line = formatDiagnostic(d);
      io.err(d.severity === 'error' ? io.style.red(line) : io.style.yellow(line));
    }
  }
}

const commands: Record<string, Command> = {
  run: {
    summary: 'simulate a scenario and print every flow\'s packet path',
    usage: 'vgw run FILE [--json] [--trace-limit N] [--no-color]',
    help: [
      'Simulates the scenario: every flow\'s packets move hop by hop through subnets, gateways,',
      'tunnels and devices. Prints each distinct path once, one line per hop with the decision',
      'taken there (the route matched and the routes it beat, the selector, the SA, the drop',
      'reason), then a summary and the expectations.',
      '',
      'Options:',
      '  --json            JSON Lines: one event per line, the last line {"type":"summary",...}',
      '  --trace-limit N   trace the first N packets of each flow (default 100); all are counted',
      '  --no-color        no colours (NO_COLOR is respected too)',
      '',
      'Exit codes: 0 ok, 1 an expectation failed, 2 the scenario is invalid.',
    ].join('\n'),
    options: { ...COMMON, json: { type: 'boolean' }, 'trace-limit': { type: 'string' } },
    run({ values, positionals }, io) {
      const file = fileArg('run', positionals);
      const json = values['json'] === true;
      const traceLimit = intFlag('run', 'trace-limit', values['trace-limit'], 0, 1_000_000) ?? 100;
      const v = validateScenarioFile(file);
      printDiagnostics(v.diagnostics, io, json);
      if (!v.scenario) {
        if (!json && v.errors > 1) io.err(`${file}: ${v.errors} errors; nothing was simulated`);
        return 2;
      }
      const sink = new CollectSink();
      const r = runScenario(v.scenario, { sink, traceLimit });
      if (json) {
        for (const e of sink.events) io.out(JSON.stringify(e));
        io.out(JSON.stringify({
          type: 'summary', scenario: v.scenario.name, seed: v.scenario.seed, duration: r.duration,
          flows: r.flows, expectations: { passed: r.passed, failed: r.failed, results: r.expectations }, counters: r.counters,
        }));
      } else {
        for (const line of formatRun(v.scenario, sink.events, r, io.style, traceLimit)) io.out(line);
      }
      return r.failed > 0 ? 1 : 0;
    },
  },
  validate: {
    summary: 'check a scenario and print its diagnostics',
    usage: 'vgw validate FILE [--json] [--no-color]',
    help: [
      'Loads and checks the scenario against the schema and the gateway rules (SKUs, VPN types,',
      'connection limits, overlaps, references). Prints FILE:LINE:COLUMN CODE message for each',
      'problem; warnings do not make the scenario invalid.',
      '',
      'Options:',
      '  --json       one JSON object per diagnostic, then {"type":"summary","errors":N,"warnings":N}',
      '  --no-color   no colours',
      '',
      'Exit codes: 0 valid (warnings allowed), 2 invalid.',
    ].join('\n'),
    options: { ...COMMON, json: { type: 'boolean' } },
    run({ values, positionals }, io) {
      const file = fileArg('validate', positionals);
      const json = values['json'] === true;
      const v = validateScenarioFile(file);
      if (json) {
        for (const d of v.diagnostics) io.out(JSON.stringify({ type: 'diagnostic', ...d }));
        io.out(JSON.stringify({ type: 'summary', file, valid: v.errors === 0, errors: v.errors, warnings: v.warnings }));
      } else {
        for (const d of v.diagnostics) io.out(d.severity === 'error' ? io.style.red(formatDiagnostic(d)) : io.style.yellow(formatDiagnostic(d)));
        io.out(v.errors === 0
          ? io.style.green(`${file}: valid`) + (v.warnings ? ` (${v.warnings} warning${v.warnings === 1 ? '' : 's'})` : '')
          : io.style.red(`${file}: ${v.errors} error${v.errors === 1 ? '' : 's'}`) + (v.warnings ? `, ${v.warnings} warning${v.warnings === 1 ? '' : 's'}` : ''));
      }
      return v.errors === 0 ? 0 : 2;
    },
  },
  trace: {
    summary: 'follow one what-if packet through a scenario',
    usage: 'vgw trace FILE --from X --to Y [--proto icmp|tcp|udp] [--dport N] [--sport N] [--size N] [--ttl N] [--df] [--at SECONDS] [--json]',
    help: [
      'Sends one packet from X to Y (host names or IPv4 addresses) through the scenario\'s',
      'topology and prints its path hop by hop, like a next-hop query. The scenario\'s own',
      'traffic and expectations are not run.',
      '',
      'Options:',
      '  --from X, --to Y   host name or IPv4 address (required)',
      '  --proto P          icmp (default), tcp or udp',
      '  --dport N, --sport N, --size N, --ttl N, --df',
      '  --at SECONDS       virtual time of the packet: faults up to then apply (default 0)',
      '  --json             JSON Lines events and a summary line',
      '',
      'Exit codes: 0 the packet was delivered or left to the internet, 1 it was dropped, 2 bad input.',
    ].join('\n'),
    options: {
      ...COMMON, json: { type: 'boolean' }, from: { type: 'string' }, to: { type: 'string' }, proto: { type: 'string' },
      dport: { type: 'string' }, sport: { type: 'string' }, size: { type: 'string' }, ttl: { type: 'string' }, df: { type: 'boolean' }, at: { type: 'string' },
    },
    run({ values, positionals }, io) {
      const file = fileArg('trace', positionals);
      const from = values['from'];
      const to = values['to'];
      if (typeof from !== 'string' || typeof to !== 'string') throw new UsageError('vgw trace: --from and --to are required (see vgw trace --help)');
      const proto = values['proto'] ?? 'icmp';
      if (proto !== 'icmp' && proto !== 'tcp' && proto !== 'udp') throw new UsageError(`vgw trace: --proto must be icmp, tcp or udp, got "${String(proto)}"`);
      const at = values['at'];
      if (at !== undefined && (typeof at !== 'string' || !/^\d+(\.\d+)?$/.test(at))) throw new UsageError(`vgw trace: --at must be a number of seconds, got "${String(at)}"`);
      const dport = intFlag('trace', 'dport', values['dport'], 1, 65535);
      const sport = intFlag('trace', 'sport', values['sport'], 1, 65535);
      const size = intFlag('trace', 'size', values['size'], 28, 65535);
      const ttl = intFlag('trace', 'ttl', values['ttl'], 1, 255);
      const json = values['json'] === true;
      const v = validateScenarioFile(file);
      printDiagnostics(v.diagnostics.filter((d) => d.severity === 'error'), io, json);
      if (!v.scenario) return 2;
      const sink = new CollectSink();
      const res = whatIf(v.scenario, {
        from, to, proto,
        ...(dport !== undefined ? { dport } : {}), ...(sport !== undefined ? { sport } : {}),
        ...(size !== undefined ? { size } : {}), ...(ttl !== undefined ? { ttl } : {}),
        df: values['df'] === true, at: at === undefined ? 0 : Number(at),
      }, sink);
      if ('error' in res) throw new UsageError(`vgw trace: ${res.error}`);
      const f = res.result.flows[0]!;
      const events: SimEvent[] = sink.events.filter((e) => e.type !== 'fault');
      if (json) {
        for (const e of events) io.out(JSON.stringify(e));
        io.out(JSON.stringify({ type: 'summary', flows: res.result.flows }));
      } else {
        io.out(io.style.bold(`${from} → ${to}, ${proto}${dport !== undefined ? ` port ${dport}` : ''}`) + io.style.dim(`  (${v.scenario.name}, t=${at ?? 0}s)`));
        const p = pathsByFlow(events).get(WHAT_IF_FLOW)?.[0];
        if (p) for (const line of hopLines(p, io.style)) io.out(line);
      }
      return f.dropped > 0 ? 1 : 0;
    },
  },
  bench: {
    summary: 'time the hot paths (LPM, classifier, forwarding, ESP) against baselines',
    usage: 'vgw bench [SUITE...] [--json] [--quick] [--sizes N,N] [--seed N] [--reps N] [--table FILE | --selectors FILE] [--addresses FILE]',
    help: BENCH_HELP,
    options: {
      ...COMMON, json: { type: 'boolean' }, quick: { type: 'boolean' }, sizes: { type: 'string' }, seed: { type: 'string' },
      reps: { type: 'string' }, table: { type: 'string' }, selectors: { type: 'string' }, addresses: { type: 'string' },
    },
    run({ values, positionals }, io) {
      try {
        return runBench({
          positionals, json: values['json'] === true, quick: values['quick'] === true,
          ...(str(values['sizes']) !== undefined ? { sizes: str(values['sizes'])! } : {}),
          ...(str(values['seed']) !== undefined ? { seed: str(values['seed'])! } : {}),
          ...(str(values['reps']) !== undefined ? { reps: str(values['reps'])! } : {}),
          ...(str(values['table']) !== undefined ? { table: str(values['table'])! } : {}),
          ...(str(values['selectors']) !== undefined ? { selectors: str(values['selectors'])! } : {}),
          ...(str(values['addresses']) !== undefined ? { addresses: str(values['addresses'])! } : {}),
        }, {
          out: io.out,
          progress: process.stderr.isTTY ? (t) => process.stderr.write(t) : null,
          version: version(),
        });
      } catch (e) {
        if (e instanceof BenchInputError) throw new UsageError(e.message);
        throw e;
      }
    },
  },
};

function mainHelp(): string {
  const w = Math.max(...Object.keys(commands).map((k) => k.length));
  return [
    `vgw ${version()}: a simulator of cloud VPN gateways (Azure's model)`,
    '',
    'Usage: vgw COMMAND [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([k, c]) => `  ${k.padEnd(w)}  ${c.summary}`),
    '  help     show help for a command',
    '',
    'Run `vgw COMMAND --help` for a command\'s options. Example: vgw run scenarios/s2s-policy-based.yaml',
  ].join('\n');
}

/** Run the CLI; returns the exit code. Exported for tests. */
export function main(argv: readonly string[], out: Out = (l) => process.stdout.write(l + '\n'), err: Out = (l) => process.stderr.write(l + '\n')): number {
  const [cmd, ...rest] = argv;
  const noColor = rest.includes('--no-color');
  const io: Io = { out, err, style: makeStyle(colorWanted(process.stdout, noColor)) };
  try {
    if (cmd === undefined || cmd === '--help' || cmd === '-h') {
      out(mainHelp());
      return cmd === undefined ? 2 : 0;
    }
    if (cmd === '--version' || cmd === '-V') {
      out(version());
      return 0;
    }
    if (cmd === 'help') {
      const c = rest[0] ? commands[rest[0]] : undefined;
      if (rest[0] && !c) throw new UsageError(`vgw help: unknown command "${rest[0]}" (commands: ${Object.keys(commands).join(', ')})`);
      out(c ? `Usage: ${c.usage}\n\n${c.help}` : mainHelp());
      return 0;
    }
    const c = commands[cmd];
    if (!c) {
      const hint = cmd.startsWith('-') ? '' : ` (commands: ${Object.keys(commands).join(', ')})`;
      throw new UsageError(`vgw: unknown command "${cmd}"${hint}; see vgw --help`);
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: [...rest], options: c.options, allowPositionals: true, strict: true });
    } catch (e) {
      const msg = e instanceof Error ? e.message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '') : String(e);
      throw new UsageError(`vgw ${cmd}: ${msg} (see vgw ${cmd} --help)`);
    }
    if (parsed.values['help'] === true) {
      out(`Usage: ${c.usage}\n\n${c.help}`);
      return 0;
    }
    return c.run(parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] }, io);
  } catch (e) {
    if (e instanceof UsageError) {
      err(e.message);
      return 2;
    }
    // A bug of ours, not the user's input: one line, no stack trace, and a way to report it.
    err(`vgw: internal error: ${e instanceof Error ? e.message : String(e)} (please report this with the scenario file)`);
    return 70;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (invokedDirectly) {
  process.exitCode = main(process.argv.slice(2));
}
