/**
 * Test support for test/e2e/tshark-ike.test.ts: one example scenario run through the built
 * CLI with `--json --pcap DIR`, its internet.pcap read here record by record (IPv4, UDP,
 * the IKE message), read again by tshark 4.0 with the run's three decryption tables (one
 * fields pass over every frame, one -V pass over the IKEv2 messages that carry an SK
 * payload), and the same scenario run in this process with a recording crypto backend
 * (test/support/recording-crypto.ts), whose Internet capture must equal the CLI's.
 *
 * Owns reading the capture, the tables and the run's JSON; checks nothing about IKE itself
 * (the test does). Each file runs once per test process (cached).
 */
import { execFileSync } from 'node:child_process';
export { tsharkOk } from './tshark.js';
import { tsharkFields } from './tshark.js';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { expect } from 'vitest';
import { formatIPv4, validateScenarioFile } from '../../sim/index.js';
import { CRYPTO_BACKENDS } from '../../sim/ipsec/backends.js';
import { runScenario } from '../../sim/scenario/run.js';
import { payloadChain } from './ike-by-hand.js';
import { concat } from './ike-keys-by-hand.js';
import { recordingCrypto, type RecordingCrypto } from './recording-crypto.js';
import { ROOT, runCli, sharedKeysIn } from './run-cli.js';

/** Every example (scenarios/*.yaml) and every lab's lab.yaml and solution.yaml, relative to ROOT. */
export function scenarioFiles(): string[] {
  const top = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `scenarios/${f}`);
  const labs = readdirSync(join(ROOT, 'scenarios', 'labs')).sort().flatMap((d) =>
    ['lab.yaml', 'solution.yaml'].filter((f) => existsSync(join(ROOT, 'scenarios', 'labs', d, f))).map((f) => `scenarios/labs/${d}/${f}`));
  return [...top, ...labs];
}

/** Whether tshark runs (tests that need it fail, never skip, without it). */

export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

export function bytes(h: string): Uint8Array {
  return Uint8Array.from(Buffer.from(h, 'hex'));
}

// ---- the capture, read here ----

/** One internet.pcap record, sorted by its own IPv4/UDP headers. */
export interface Frame {
  readonly number: number;
  /** Capture time, microseconds. */
  readonly usec: number;
  readonly src: string;
  readonly dst: string;
  /** `keepalive`: a NAT-T keepalive (one 0xff byte on 4500, RFC 3948 §2.3). */
  readonly kind: 'esp' | 'ike' | 'keepalive' | 'other';
  readonly sport: number;
  readonly dport: number;
  /** The IKE message (after the non-ESP marker on 4500). */
  readonly ike: Uint8Array;
}

/** Records of a LINKTYPE_RAW pcap (little-endian, microseconds, as sim/wire/pcap.ts writes). */
function readFrames(file: Uint8Array): Frame[] {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: Frame[] = [];
  let o = 24;
  while (o + 16 <= file.length) {
    const usec = dv.getUint32(o, true) * 1_000_000 + dv.getUint32(o + 4, true);
    const incl = dv.getUint32(o + 8, true);
    const p = file.subarray(o + 16, o + 16 + incl);
    o += 16 + incl;
    const ip = (k: number): string => [...p.subarray(k, k + 4)].join('.');
    const base = { number: out.length + 1, usec, src: ip(12), dst: ip(16) };
    const udp = (p[0]! & 0x0f) * 4;
    if (p[9] === 50) {
      out.push({ ...base, kind: 'esp', sport: 0, dport: 0, ike: new Uint8Array(0) });
      continue;
    }
    const sport = p[9] === 17 ? (p[udp]! << 8) | p[udp + 1]! : 0;
    const dport = p[9] === 17 ? (p[udp + 2]! << 8) | p[udp + 3]! : 0;
    const body = p.subarray(udp + 8);
    const marker = body.length >= 4 && body[0] === 0 && body[1] === 0 && body[2] === 0 && body[3] === 0;
    if (p[9] === 17 && (sport === 500 || dport === 500)) out.push({ ...base, kind: 'ike', sport, dport, ike: body.slice() });
    else if (p[9] === 17 && (sport === 4500 || dport === 4500) && marker) out.push({ ...base, kind: 'ike', sport, dport, ike: body.slice(4) });
    else if (p[9] === 17 && (sport === 4500 || dport === 4500) && body.length === 1 && body[0] === 0xff) out.push({ ...base, kind: 'keepalive', sport, dport, ike: new Uint8Array(0) });
    // ESP in UDP: the gateway's side is 4500, a NAT's side any port it mapped.
    else if (p[9] === 17 && (sport === 4500 || dport === 4500) && body.length >= 8) out.push({ ...base, kind: 'esp', sport, dport, ike: new Uint8Array(0) });
    else out.push({ ...base, kind: 'other', sport, dport, ike: new Uint8Array(0) });
  }
  return out;
}

/** Whether dotted address `a` is in addr/len. */
export function inPrefix(a: string, addr: number, len: number): boolean {
  const n = a.split('.').reduce((x, o) => x * 256 + Number(o), 0);
  return len === 0 || Math.floor(n / 2 ** (32 - len)) === Math.floor((addr >>> 0) / 2 ** (32 - len));
}

// ---- tshark ----

export const FIELDS = [
  'frame.number', 'isakmp.ispi', 'isakmp.rspi', 'isakmp.exchangetype', 'isakmp.flags', 'isakmp.enc.decrypted',
  'isakmp.auth.data', 'isakmp.hash', 'isakmp.notify.msgtype', 'isakmp.nonce', 'isakmp.key_exchange.data',
  'isakmp.id.type', 'isakmp.id.protoid', 'isakmp.id.port', 'isakmp.id.data.ipv4_addr', 'isakmp.id.data.fqdn',
  'isakmp.spi', 'isakmp.trans.id', 'isakmp.tf.id.encr', 'isakmp.tf.id.integ', 'isakmp.ike2.attr.key_length',
  'isakmp.ipsec.attr.key_length', 'isakmp.ipsec.attr.auth_algorithm',
  'esp.spi', 'esp.sequence', 'esp.icv_good', 'esp.icv_bad', 'esp.decrypted_data', '_ws.expert.message',
] as const;
export type Field = (typeof FIELDS)[number];
export type Row = Readonly<Record<Field, string>>;

export interface Tables {
  readonly esp: readonly string[];
  readonly ikev2: readonly string[];
  readonly ikev1: readonly string[];
}

function tableLines(dir: string, name: string): string[] {
  const f = join(dir, name);
  return existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter((l) => l !== '') : [];
}

function tablePrefs(t: Tables): string[] {
  return [
    '-o', 'esp.enable_encryption_decode:TRUE', '-o', 'esp.enable_authentication_check:TRUE',
    ...t.esp.flatMap((l) => ['-o', `uat:esp_sa:${l}`]),
    ...t.ikev2.flatMap((l) => ['-o', `uat:ikev2_decryption_table:${l}`]),
    ...t.ikev1.flatMap((l) => ['-o', `uat:ikev1_decryption_table:${l}`]),
  ];
}

/** One row per frame; several occurrences of a field joined by '|'. */
export function tsharkRows(pcap: string, t: Tables): Row[] {
  return tsharkFields(['-r', pcap, ...tablePrefs(t)], FIELDS);
}

/** tshark -V of the IKEv2 messages that carry an SK payload, by frame number (the ISAKMP layer only). */
function ikev2Verbose(pcap: string, t: Tables): Map<number, string> {
  const text = execFileSync('tshark', ['-r', pcap, ...tablePrefs(t), '-Y', 'isakmp.enc.icd', '-O', 'isakmp', '-V'], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
  });
  const out = new Map<number, string>();
  for (const block of text.split(/^(?=Frame \d+:)/m)) {
    const m = /^Frame (\d+):/.exec(block);
    if (m) out.set(Number(m[1]), block);
  }
  return out;
}

// ---- one run ----

export interface IkeJsonEvent {
  readonly type: 'ike';
  readonly t: number;
  readonly connection: string;
  readonly node: string;
  readonly action: string;
  readonly text: string;
  readonly src?: string;
  readonly dst?: string;
  readonly sport?: number;
  readonly dport?: number;
  readonly bytes?: number;
  readonly status?: string;
  readonly notify?: string;
}

export interface Injection {
  readonly action: string;
  readonly spi?: string;
  readonly seq?: number;
  readonly result?: string;
  readonly reason?: string;
}

export interface Run {
  readonly file: string;
  readonly dir: string;
  readonly frames: readonly Frame[];
  readonly rows: readonly Row[];
  readonly verbose: ReadonlyMap<number, string>;
  readonly tables: Tables;
  readonly ike: readonly IkeJsonEvent[];
  readonly injections: readonly Injection[];
  readonly publicAddresses: ReadonlySet<string>;
  /** A site device sits behind a NAT (`device.nat`): its messages leave from the ports the NAT mapped. */
  readonly natted: boolean;
  /** Point-to-site: each gateway's public address and its client pool (address, prefix length); these tunnels are keyed without IKE. */
  readonly p2s: readonly { readonly gateway: string; readonly addr: number; readonly len: number }[];
  readonly psks: readonly Uint8Array[];
  readonly recorded: RecordingCrypto;
}

const runs = new Map<string, Run>();

/** The CLI run of `file` with its capture read by tshark, and the same run in this process with its crypto recorded (once per file). */
export function runOf(file: string): Run {
  const done = runs.get(file);
  if (done) return done;
  const dir = mkdtempSync(join(tmpdir(), 'vgw-ike-pcap-'));
  const r = runCli(['run', file, '--json', '--quiet', '--crypto', 'node', '--pcap', dir]);
  const lines = r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { type: string } & Record<string, unknown>);
  const summary = lines.find((l) => l.type === 'summary') as { expectations: { failed: number }; injections: Injection[] } | undefined;
  expect(summary, r.stderr).toBeDefined();
  // Labs' starting files fail their expectations on purpose (exit 1); nothing else may go wrong.
  expect(r.code, r.stderr).toBe(summary!.expectations.failed > 0 ? 1 : 0);
  const internet = join(dir, 'internet.pcap');
  const frames = existsSync(internet) ? readFrames(Uint8Array.from(readFileSync(internet))) : [];
  const tables: Tables = { esp: tableLines(dir, 'esp_sa'), ikev2: tableLines(dir, 'ikev2_decryption_table'), ikev1: tableLines(dir, 'ikev1_decryption_table') };
  const rows = frames.length > 0 ? tsharkRows(internet, tables) : [];
  const verbose = tables.ikev2.length > 0 ? ikev2Verbose(internet, tables) : new Map<number, string>();

  const v = validateScenarioFile(join(ROOT, file));
  expect(v.scenario, file).toBeDefined();
  const s = v.scenario!;
  const recorded = recordingCrypto(CRYPTO_BACKENDS.node);
  const inProcess = runScenario(s, { crypto: recorded.backend, capture: true });
  // The recorded run is the CLI's run: the same Internet capture, byte for byte.
  const mine = inProcess.captures?.pcaps['internet'];
  if (frames.length > 0) expect(hex(mine ?? new Uint8Array(0)) === hex(readFileSync(internet)), `${file}: in-process internet.pcap differs from the CLI's`).toBe(true);
  else expect(mine, `${file}: the CLI wrote no internet.pcap`).toBeUndefined();

  const run: Run = {
    file, dir, frames, rows, verbose, tables, recorded,
    ike: lines.filter((l) => l.type === 'ike') as unknown as IkeJsonEvent[],
    injections: summary!.injections,
    natted: s.sites.some((x) => x.device?.nat !== undefined),
    publicAddresses: new Set([...s.gateways.flatMap((g) => (g.publicIp !== undefined ? [formatIPv4(g.publicIp)] : [])), ...s.sites.map((x) => formatIPv4(x.gatewayIp))]),
    p2s: s.gateways.flatMap((g) => (g.p2s && g.publicIp !== undefined ? [{ gateway: formatIPv4(g.publicIp), addr: g.p2s.addressPool.addr, len: g.p2s.addressPool.len }] : [])),
    psks: [...new Set(sharedKeysIn(parse(readFileSync(join(ROOT, file), 'utf8'))))].map((k) => new TextEncoder().encode(k)),
  };
  runs.set(file, run);
  return run;
}

/** Remove the capture directories of the runs made so far (after the tests that read them). */
export function removeRunDirs(): void {
  for (const r of runs.values()) rmSync(r.dir, { recursive: true, force: true });
  runs.clear();
}

export function ikeFrames(run: Run): Frame[] {
  return run.frames.filter((f) => f.kind === 'ike');
}

export function row(run: Run, f: Frame): Row {
  const r = run.rows[f.number - 1];
  expect(r?.['frame.number'], `frame ${f.number}`).toBe(String(f.number));
  return r!;
}

export const version = (f: Frame): number => f.ike[17]! >> 4;
export const exchange = (f: Frame): number => f.ike[18]!;
export const isResponse = (f: Frame): boolean => (f.ike[19]! & 0x20) !== 0;
export const fromOriginalInitiator = (f: Frame): boolean => (f.ike[19]! & 0x08) !== 0;
export const ikev2Encrypted = (f: Frame): boolean => version(f) === 2 && f.ike[16] === 46;
export const ikev1Encrypted = (f: Frame): boolean => version(f) === 1 && (f.ike[19]! & 0x01) !== 0;
export const spiI = (f: Frame): string => hex(f.ike.subarray(0, 8));
export const spiR = (f: Frame): string => hex(f.ike.subarray(8, 16));

/** An ID payload body as tshark shows the n-th ID of a row: IKEv2 type ‖ 3 reserved; IKEv1 type ‖ protocol ‖ port; then the data. */
export function idBody(r: Row, n: number, ikeVersion: number): Uint8Array {
  const at = (f: Field): string => r[f].split('|')[n] ?? '';
  const type = Number(at('isakmp.id.type'));
  const addr = at('isakmp.id.data.ipv4_addr');
  const data = type === 1 ? Uint8Array.from(addr.split('.').map(Number)) : new TextEncoder().encode(at('isakmp.id.data.fqdn'));
  if (ikeVersion === 2) return concat(Uint8Array.of(type, 0, 0, 0), data);
  const port = Number(at('isakmp.id.port'));
  return concat(Uint8Array.of(type, Number(at('isakmp.id.protoid')), port >> 8, port & 0xff), data);
}

/** The body of the first payload of type `type` in a clear message. */
export function clearPayload(f: Frame, type: number): Uint8Array {
  const p = payloadChain(f.ike).find((x) => x.type === type);
  if (!p) throw new Error(`frame ${f.number}: no payload ${type}`);
  return p.body;
}
