/**
 * `vgw bench`: argument handling, user data files, the progress bar and the report (text
 * or stable JSON). The JSON shape is documented in README.md ("Performance") and versioned
 * by its `schema` field; fields are only ever added.
 */
import { readFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { DEFAULT_CRYPTO } from '../../sim/index.js';
import { nativeOpenssl, nativeProblem, parseAddressesText, parseSelectorsText, parseTableText, TABLE_FORMATS } from '../../sim/bench/index.js';
import type { TableFormat } from '../../sim/bench/index.js';
import type { DataError, NodeRuntimeRow } from '../../sim/bench/index.js';
import { intFlag, UsageError } from '../command.js';
import { measure } from './measure.js';
import type { VariantResult } from './measure.js';
import { planSuites, SUITE_LIST, SUITES } from './suites/index.js';
import type { NotRun, SuiteName, SuiteOptions, UserAddresses, UserSelectors, UserTable } from './suites/index.js';

/** Version of the `--json` document's shape. */
export const BENCH_SCHEMA = 'vgwsim-bench/1';

export interface BenchArgs {
  readonly positionals: readonly string[];
  readonly json: boolean;
  readonly quick: boolean;
  readonly sizes?: string;
  readonly seed?: string;
  readonly reps?: string;
  readonly table?: string;
  readonly tableFormat?: string;
  readonly inside?: string;
  readonly selectors?: string;
  readonly addresses?: string;
  readonly workers?: string;
}

export interface BenchIo {
  readonly out: (line: string) => void;
  /** Progress bar target: stderr when it is a terminal, else nothing. */
  readonly progress: ((text: string) => void) | null;
  readonly version: string;
}

/** Each suite's help lines, the first beside its name, the rest under it, in one column. */
function suiteHelp(): string[] {
  const w = Math.max(...SUITES.map((n) => n.length)) + 2;
  return SUITE_LIST.flatMap((s) => s.help.map((line, k) => `  ${(k === 0 ? s.name : '').padEnd(w)}${line}`));
}

export const BENCH_HELP = [
  'Times the simulator\'s hot paths against baselines measured in the same run. Each case warms',
  'up, then runs at least 5 timed repetitions of every variant, interleaved; it prints the',
  'median and min-max items/s and how many times faster the subject is than each baseline.',
  '',
  `Suites: ${SUITES.join(', ')} (default: all)`,
  ...suiteHelp(),
  '',
  'Options:',
  '  --json             one JSON document (schema "vgwsim-bench/1", see README)',
  '  --quick            smaller sizes, shorter repetitions (what CI runs)',
  '  --sizes N,N,...    routes (lpm), selectors (classify) or inner packet bytes (esp-*)',
  '  --seed N           seed of the generated data (default 1)',
  '  --reps N           timed repetitions, at least 5 (default 5; 7 without --quick)',
  '  --workers N        end-to-end: also time the run sharded over N worker threads against',
  '                     one thread (default: the number of cores; 1: no sharded case)',
  '  --table FILE       lpm on your table: one "PREFIX/LEN [more columns]" per line (CIDR',
  '                     lists such as APNIC\'s data-raw-table), or Cisco "show ip bgp" or',
  '                     "show ip route" output, ranges "A.B.C.D-E.F.G.H", "bgpdump -m" lines',
  `  --table-format F   the form of --table (${TABLE_FORMATS.join(', ')}; default: detected)`,
  '  --selectors FILE   classify on your list: one "SRC/LEN DST/LEN ACTION [NAME]" per line,',
  '                     ACTION protect|bypass|discard, first line wins',
  '  --inside SHARE     share (0-1) of generated inputs inside the data (default 0.9): lpm,',
  '                     destinations inside the table\'s prefixes in the "inside" workload;',
  '                     classify, probes inside a selector',
  '  --addresses FILE   inputs to look up: one IPv4 address per line (--table), or one',
  '                     "SRC DST" pair per line (--selectors)',
  '',
  'With --table or --selectors it prints a results checksum: the sum over the inputs of',
  '(1 + the 0-based line number of the matching line, or 0 when nothing matches), mod 2^32.',
  'Blank lines and lines starting with # are skipped but counted.',
  '',
  'Exit codes: 0 ok, 2 bad input (unknown suite, bad flag, FILE:LINE problems in a data file).',
].join('\n');

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: cannot read the file${code ? ` (${code})` : ''}`);
  }
}

function refuseDataErrors(file: string, errors: readonly DataError[]): void {
  if (errors.length === 0) return;
  const shown = errors.slice(0, 20).map((e) => `${file}:${e.line}:${e.column !== undefined ? `${e.column}:` : ''} ${e.message}`);
  if (errors.length > 20) shown.push(`${file}: ${errors.length - 20} more problems`);
  throw new UsageError(shown.join('\n'));
}

/** Parse and check everything before any timing starts. */
export function benchOptions(a: BenchArgs): { suites: SuiteName[]; options: SuiteOptions; reps: number } {
  const known = SUITES as readonly string[];
  for (const p of a.positionals) {
    if (!known.includes(p)) throw new UsageError(`vgw bench: unknown suite "${p}" (suites: ${SUITES.join(', ')})`);
  }
  let suites = a.positionals.length > 0 ? (SUITES.filter((s) => a.positionals.includes(s)) as SuiteName[]) : null;
  if (a.addresses !== undefined && a.table === undefined && a.selectors === undefined) {
    throw new UsageError('vgw bench: --addresses needs --table FILE or --selectors FILE');
  }
  if (a.addresses !== undefined && a.table !== undefined && a.selectors !== undefined) {
    throw new UsageError('vgw bench: --addresses goes with one of --table or --selectors, not both (addresses are single for a table, pairs for selectors)');
  }
  let sizes: number[] | undefined;
  if (a.sizes !== undefined) {
    const parts = a.sizes.split(',').map((x) => x.trim().replace(/_/g, ''));
    if (parts.some((x) => !/^\d+$/.test(x) || Number(x) < 1 || Number(x) > 5_000_000)) {
      throw new UsageError(`vgw bench: --sizes must be whole numbers from 1 to 5000000 separated by commas, got "${a.sizes}"`);
    }
    sizes = parts.map(Number);
  }
  const seed = intFlag('bench', 'seed', a.seed, 0, 2 ** 31 - 1) ?? 1;
  let inside: number | undefined;
  if (a.inside !== undefined) {
    if (!/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(a.inside.trim())) throw new UsageError(`vgw bench: --inside must be a share from 0 to 1 (e.g. 0.9), got "${a.inside}"`);
    inside = Number(a.inside.trim());
  }
  const reps = intFlag('bench', 'reps', a.reps, 5, 1000) ?? (a.quick ? 5 : 7);
  // Default: one worker per core, so the sharded end-to-end case shows the machine's scaling.
  const workers = intFlag('bench', 'workers', a.workers, 1, 256) ?? Math.max(1, cpus().length);
  if (a.tableFormat !== undefined && !(TABLE_FORMATS as readonly string[]).includes(a.tableFormat)) {
    throw new UsageError(`vgw bench: --table-format must be one of ${TABLE_FORMATS.join(', ')}, got "${a.tableFormat}"`);
  }
  if (a.tableFormat !== undefined && a.table === undefined) throw new UsageError('vgw bench: --table-format needs --table FILE');
  let table: UserTable | undefined;
  let selectors: UserSelectors | undefined;
  let addresses: UserAddresses | undefined;
  if (a.table !== undefined) {
    const p = parseTableText(readText(a.table), a.tableFormat as TableFormat | undefined);
    refuseDataErrors(a.table, p.errors);
    if (p.entries.length === 0) throw new UsageError(`${a.table}: no IPv4 routes read as ${p.format}${p.ipv6Skipped > 0 ? ` (${p.ipv6Skipped} IPv6 routes skipped)` : ''} (expected one "PREFIX/LEN" per line, or another form: --table-format)`);
    table = { file: a.table, routes: p.entries, lineOf: p.lineOf, format: p.format, ipv6Skipped: p.ipv6Skipped };
  }
  if (a.selectors !== undefined) {
    const p = parseSelectorsText(readText(a.selectors));
    refuseDataErrors(a.selectors, p.errors);
    if (p.entries.length === 0) throw new UsageError(`${a.selectors}: no selectors (expected one "SRC/LEN DST/LEN ACTION" per line)`);
    selectors = { file: a.selectors, sels: p.entries, lineOf: p.lineOf };
  }
  if (a.addresses !== undefined) {
    const p = parseAddressesText(readText(a.addresses), a.selectors !== undefined);
    refuseDataErrors(a.addresses, p.errors);
    if (p.src.length === 0) throw new UsageError(`${a.addresses}: no addresses`);
    addresses = { file: a.addresses, src: p.src, dst: p.dst };
  }
  // User data picks its suite when none is named.
  if (suites === null) suites = table || selectors ? [...(table ? ['lpm' as const] : []), ...(selectors ? ['classify' as const] : [])] : [...SUITES];
  if (table && !suites.includes('lpm')) throw new UsageError('vgw bench: --table is for the lpm suite; add "lpm" to the suites');
  if (selectors && !suites.includes('classify')) throw new UsageError('vgw bench: --selectors is for the classify suite; add "classify" to the suites');
  if (inside !== undefined && !suites.includes('lpm') && !suites.includes('classify')) throw new UsageError('vgw bench: --inside is for the lpm and classify suites; add one of them to the suites');
  if (inside !== undefined && addresses && table) throw new UsageError('vgw bench: --inside shapes the generated destinations; with --addresses the lpm case looks up the file\'s addresses (drop one of them)');
  return {
    suites,
    reps,
    options: {
      quick: a.quick, seed, workers,
      ...(sizes ? { sizes } : {}), ...(inside !== undefined ? { inside } : {}), ...(table ? { table } : {}), ...(selectors ? { selectors } : {}), ...(addresses ? { addresses } : {}),
    },
  };
}

/** Machine, Node and OpenSSL versions for the report. */
export function environment(version: string): Record<string, unknown> {
  const c = cpus();
  return {
    vgwsim: version,
    node: process.versions.node,
    v8: process.versions.v8,
    openssl: process.versions.openssl,
    // Which ESP backend the default-backend cases ran on, and why not native when it is not.
    crypto: { default: DEFAULT_CRYPTO.name, native: nativeProblem === '' ? { built: true, openssl: nativeOpenssl } : { built: false, reason: nativeProblem } },
    machine: { platform: platform(), release: release(), arch: arch(), cpus: c.length, cpuModel: c[0]?.model ?? 'unknown', totalMemoryBytes: totalmem() },
  };
}

function rate(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toPrecision(3)} M/s`;
  if (x >= 1e3) return `${(x / 1e3).toPrecision(3)} k/s`;
  if (x >= 1) return `${x.toPrecision(3)} /s`;
  return `${x.toPrecision(2)} /s`;
}

function ratio(x: number): string {
  return x >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3);
}

function bytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}

function infoLine(info: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(info)) {
    if (k === 'memoryBytes' || k.endsWith('MemoryBytes')) parts.push(`${k.replace('Bytes', '')} ${bytes(v as number)}`);
    else if (k.endsWith('Ms')) parts.push(`${k.replace(/Ms$/, '')} ${(v as number).toFixed(1)} ms`);
    else if (k === 'checksum') parts.push(`checksum ${String(v)}`);
    else if (k === 'matchedShare') parts.push(`matched ${((v as number) * 100).toFixed(0)}%`);
    else if (typeof v === 'object' && v !== null) parts.push(`${k} ${Object.entries(v).map(([a, b]) => `${a} ${typeof b === 'number' ? `${(b * 100).toFixed(0)}%` : String(b)}`).join(', ')}`);
    else parts.push(`${k} ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toPrecision(4)) : String(v)}`);
  }
  return parts.join('; ');
}

/** The batch path node by node, as VPP's `show runtime` prints it. */
function runtimeLines(rows: readonly NodeRuntimeRow[]): string[] {
  const w = Math.max(4, ...rows.map((x) => x.node.length));
  const total = rows.reduce((t, x) => t + x.nsPerPacket * x.packets, 0);
  const packets = rows[0]?.packets ?? 0;
  return [
    `time per node, one pass of the batch path (${packets.toLocaleString('en-US')} packets enter at ${rows[0]?.node ?? '-'}):`,
    `  ${'node'.padEnd(w)}  ${'calls'.padStart(8)}  ${'packets'.padStart(9)}  ${'pkts/call'.padStart(9)}  ${'ns/pkt'.padStart(7)}  ${'share'.padStart(5)}`,
    ...rows.map((x) => `  ${x.node.padEnd(w)}  ${x.calls.toLocaleString('en-US').padStart(8)}  ${x.packets.toLocaleString('en-US').padStart(9)}  ${x.packetsPerCall.toFixed(1).padStart(9)}  ${x.nsPerPacket.toFixed(1).padStart(7)}  ${`${((x.nsPerPacket * x.packets / total) * 100).toFixed(0)}%`.padStart(5)}`),
    `  ${'all nodes, per packet sent'.padEnd(w + 33)}  ${(packets > 0 ? total / packets : 0).toFixed(1).padStart(7)}`,
  ];
}

/** Run the benchmark; returns the exit code. Throws UsageError on bad input. */
export function runBench(a: BenchArgs, io: BenchIo): number {
  const { suites, options, reps } = benchOptions(a);
  const cases = planSuites(suites, options);
  // What the cases could not run here, gathered as they are built.
  const unavailable: (NotRun & { suite: string; case: string })[] = [];
  const env = environment(io.version);
  const repMs = a.quick ? 15 : 150;
  const warmupMs = a.quick ? 20 : 300;
  if (!a.json) {
    const m = env['machine'] as { platform: string; arch: string; cpus: number; cpuModel: string };
    io.out(`vgw bench: Node ${String(env['node'])}, OpenSSL ${String(env['openssl'])}, ${m.platform} ${m.arch}, ${m.cpus} x ${m.cpuModel}`);
    io.out(`ESP crypto: ${DEFAULT_CRYPTO.name === 'native' ? `native addon on ${nativeOpenssl}` : `node:crypto (native backend unavailable: ${nativeProblem})`}`);
    io.out(`seed ${options.seed}, ${reps} timed repetitions per variant (interleaved) after warm-up${a.quick ? ', quick' : ''}; figures: median (min-max) items/s; "x N" = the subject is N times faster`);
  }
  const results: Record<string, unknown>[] = [];
  const bar = (k: number, text: string): void => {
    if (!io.progress) return;
    const w = 24;
    const done = Math.round((k / Math.max(1, cases.length)) * w);
    io.progress(`\r[${'#'.repeat(done)}${'.'.repeat(w - done)}] ${Math.min(cases.length, Math.floor(k) + 1)}/${cases.length} ${text}`.padEnd(100).slice(0, 100));
  };
  cases.forEach((thunk, k) => {
    bar(k, `${thunk.label}: building`);
    const c = thunk.build();
    let repsDone = 0;
    const total = reps * c.variants.length;
    const r: VariantResult[] = measure(c.variants, {
      reps, repMs, warmupMs: a.quick ? warmupMs : Math.max(warmupMs, c.warmupMs ?? 0),
      onRep: (_rep, v) => bar(k + ++repsDone / total, `${thunk.label}: ${v}`),
    });
    c.dispose?.();
    for (const x of c.notRun ?? []) unavailable.push({ suite: c.suite, case: c.name, ...x });
    const subject = r.find((x) => x.role === 'subject') ?? r[0]!;
    const derived = c.derive ? c.derive(subject.median) : undefined;

    const nodes = c.nodeRuntime?.();
    const ref = c.reference !== undefined ? r.find((x) => x.variant === c.reference) : undefined;
    const shareOf = (x: VariantResult): number | undefined => (ref !== undefined ? x.median / ref.median : undefined);
    const rows = ref !== undefined ? r.map((x) => ({ ...x, shareOfReference: shareOf(x) })) : r;
    results.push({ suite: c.suite, name: c.name, unit: c.unit, params: c.params, info: c.info, ...(derived ? { derived } : {}), ...(ref ? { reference: ref.variant } : {}), results: rows, ...(nodes ? { nodeRuntime: nodes } : {}) });
    if (!a.json) {
      io.out('');
      io.out(`${c.name} (${Object.entries(c.params).map(([p, v]) => `${p} ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`).join(', ')})`);
      io.out(`  ${infoLine(c.info)}`);
      if (derived) io.out(`  ${Object.entries(derived).map(([p, v]) => `${p} ${Number.isInteger(v) ? v : v.toPrecision(4)}`).join('; ')}`);
      const w = Math.max(...r.map((x) => x.variant.length));
      for (const x of r) {
        const vs = x.role === 'subject' ? 'subject'
          : x.floorOf !== undefined && x.costOverFloor !== undefined ? `${x.floorOf === subject.variant ? 'the subject' : `"${x.floorOf}"`} costs ${x.costOverFloor.toPrecision(3)}x this floor`
          : x.speedup >= 1 ? `x ${ratio(x.speedup)}` : `x ${ratio(x.speedup)} (this baseline is ${ratio(1 / x.speedup)}x faster)`;
        const share = shareOf(x);
        const ofRef = share !== undefined && x !== ref ? `; ${share >= 10 ? ratio(share) + 'x' : `${(share * 100).toFixed(0)}%`} of ${ref!.variant.replace(/ \(.*$/, '')}` : '';
        io.out(`  ${x.variant.padEnd(w)}  ${rate(x.median).padStart(10)} ${c.unit}  (${rate(x.min)} - ${rate(x.max)})  ${vs}${ofRef}`);
      }
      for (const x of c.notRun ?? []) io.out(`  not run here: ${x.variant}: ${x.reason}`);
      if (nodes) for (const line of runtimeLines(nodes)) io.out(`  ${line}`);
    }
  });
  if (io.progress) io.progress(`\r${' '.repeat(100)}\r`);
  if (a.json) {
    io.out(JSON.stringify({
      schema: BENCH_SCHEMA,
      ...env,
      options: { suites, quick: a.quick, seed: options.seed, inside: options.inside ?? null, workers: options.workers, reps, repMs, warmupMs, sizes: options.sizes ?? null, table: options.table?.file ?? null, selectors: options.selectors?.file ?? null, addresses: options.addresses?.file ?? null },
      cases: results,
      unavailable,
    }, null, 2));
  }
  return 0;
}
