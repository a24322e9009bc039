/**
 * The `lpm` suite: route lookups in the compiled table (the strategy it picks), one case
 * per (table, workload): destinations inside the table's prefixes (share from --inside),
 * Zipf-skewed onto a few hot prefixes, and uniform. Against it in the same run: the same
 * table one address at a time, the other TypeScript structures on the same routes, the C
 * DIR-24-8 of the native addon (every structure is reported as a share of it, and every
 * structure's results checksum must equal C's), a linear scan and ip-num.
 */
import {
  VECTOR_SIZE, bgpRoutes, insideAddresses, IpNumLpm, LinearLpm, lookupAgrees, LpmTable, NativeDir24, nativeLpmProblem, randomAddresses, resultsChecksum, zipfAddresses,
} from '../../../sim/bench/index.js';
import type { LpmRoute, LpmStrategy } from '../../../sim/bench/index.js';
import type { Variant } from '../measure.js';
import { nowMs } from '../measure.js';
import { defineSuite, identity, perItem, batched } from './case.js';
import type { CaseThunk, SuiteOptions } from './case.js';
import { lookupCase, PROBES } from './lookup-case.js';

/** ip-num scans objects: above this many routes one repetition would take minutes. */
const IPNUM_MAX = 20_000;

/** The name of the C variant, which every other variant is reported as a share of. */
export const C_DIR24 = 'C dir-24-8 (native addon, 32-bit entries)';

/** The default share of destinations inside the table's prefixes (--inside). */
export const DEFAULT_INSIDE = 0.9;

type Workload = 'inside' | 'zipf' | 'uniform' | 'file';

/** The structures of one table, built once and shared by its workloads' cases. */
interface Tables {
  readonly routes: readonly LpmRoute[];
  readonly lineOf: Int32Array;
  readonly subject: LpmTable;
  /** Compile time of the subject (the cases share one compiled table). */
  readonly buildMs: number;
  readonly others: readonly LpmTable[];
  readonly c: NativeDir24 | null;
}

function buildTables(routes: readonly LpmRoute[], lineOf: Int32Array): Tables {
  const t0 = nowMs();
  const subject = LpmTable.compile(routes);
  const buildMs = nowMs() - t0;
  const others = (['dir-24-8', 'dir-16-8', 'dir-16-search', 'range-table'] as const satisfies readonly LpmStrategy[])
    .filter((s) => s !== subject.strategy)
    .map((strategy) => LpmTable.compile(routes, { strategy }));
  return { routes, lineOf, subject, buildMs, others, c: NativeDir24.build(routes) };
}

function addressesFor(o: SuiteOptions, w: Workload, routes: readonly LpmRoute[]): Uint32Array {
  const n = o.quick ? PROBES >> 2 : PROBES;
  if (w === 'file') return o.addresses!.dst;
  if (w === 'inside') return insideAddresses(o.seed, routes, n, o.inside ?? DEFAULT_INSIDE);
  if (w === 'zipf') return zipfAddresses(o.seed, routes, n);
  return randomAddresses(o.seed, n);
}

function workloadText(o: SuiteOptions, w: Workload): string {
  if (w === 'file') return o.addresses!.file;
  if (w === 'inside') return `${Math.round((o.inside ?? DEFAULT_INSIDE) * 100)}% inside`;
  return w === 'zipf' ? 'zipf' : 'uniform';
}

function mib(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
}

/**
 * Whether the subject is timed through its vector: a DIR-24-8 table with its own loop
 * (lpm-specialise.ts), whose fast path is the vector a pipeline fills. Other tables are
 * timed by `lookupBatch` on the probes in place, their fastest path.
 */
function timedByVector(t: LpmTable): boolean {
  return t.vectorLoop === 'specialised';
}

/** What the subject's timing covers (the C reference reads the probes in place and writes its answers to an array). */
function subjectText(t: LpmTable, n: number): string {
  if (!timedByVector(t)) return `lookupBatch over the ${n.toLocaleString('en-US')} probes in place, answers into an array`;
  return `the table's ${VECTOR_SIZE}-address vector, the loop made for this table: each vector's probes copied into vector.input (as a pipeline writes destinations there), answered, the answers left in vector.output where a pipeline reads them`;
}

/** The subject's timed path when timedByVector: `m` probes through the vector, in vectors. */
function throughVector(t: LpmTable, addrs: Uint32Array, m: number): void {
  const v = t.vector;
  const size = v.input.length;
  for (let b = 0; b < m; b += size) {
    const k = Math.min(size, m - b);
    v.input.set(addrs.subarray(b, b + k));
    v.lookup(k);
  }
}

/**
 * The path the subject is not timed on, as a baseline: for a vector-timed table,
 * `lookupBatch` (answers copied out to an array, as C writes them); else the vector.
 */
function otherPath(t: LpmTable, addrs: Uint32Array, sink: Int32Array, n: number): Variant {
  if (timedByVector(t)) return batched(`${t.strategy} (lookupBatch: vector copied out to an array)`, 'baseline', n, (m) => t.lookupBatch(addrs, sink, m));
  return batched(`${t.strategy} (its ${VECTOR_SIZE}-address vector, answers left in it)`, 'baseline', n, (m) => throughVector(t, addrs, m));
}

function lpmCase(o: SuiteOptions, label: string, w: Workload, tables: () => Tables, release: () => void): CaseThunk {
  const name = `${label}, ${workloadText(o, w)}`;
  return {
    suite: 'lpm', label: name,
    build() {
      const t = tables();
      release();
      const { routes, subject } = t;
      const addrs = addressesFor(o, w, routes);
      const n = addrs.length;
      return {
        ...lookupCase({
          suite: 'lpm', name, unit: 'lookups',
          params: {
            routes: routes.length, addresses: n, source: o.table ? o.table.file : 'bgp-like (clustered)',
            ...(o.table ? { format: o.table.format, ipv6Skipped: o.table.ipv6Skipped } : {}),
            workload: w, addressSource: workloadText(o, w),
            subject: subjectText(subject, n),
          },
          inputs: n,
          lineOf: t.lineOf,
          compile: () => subject,
          batch: (table, out, m) => table.lookupBatch(addrs, out, m),
          ...(timedByVector(subject) ? { timed: { as: 'vector', run: (table: LpmTable, m: number) => throughVector(table, addrs, m) } } : {}),
          verify: (out) => lookupAgrees(routes, addrs, out, Math.min(n, routes.length > 100_000 ? 200 : 2000)),
          rest(table, out, sink) {
            // Every structure answers every address once: its checksum must be the subject's and C's.
            const want = resultsChecksum(out, t.lineOf);
            const agree = (what: string, got: number): void => {
              if (got !== want) throw new Error(`lpm ${name}: the results checksum of ${what} (${got}) differs from ${subject.strategy}'s (${want}): a lookup structure is wrong`);
            };
            // The vector answers as lookupBatch does (checked on its first vector of probes).
            const v = table.vector;
            const k = Math.min(n, v.input.length);
            throughVector(table, addrs, k);
            for (let i = 0; i < k; i++) if (v.output[i] !== out[i]) throw new Error(`lpm ${name}: the vector's answer for probe ${i} (${v.output[i]}) differs from lookupBatch's (${out[i]})`);
            const baselines: Variant[] = [otherPath(table, addrs, sink, n), perItem(`${table.strategy} (one at a time)`, 'baseline', n, (i) => { sink[i] = table.lookup(addrs[i]!); })];
            for (const t2 of t.others) {
              t2.lookupBatch(addrs, sink, n);
              agree(t2.strategy, resultsChecksum(sink, t.lineOf));
              baselines.push(batched(`${t2.strategy} (batch, ${mib(t2.memoryBytes)})`, 'baseline', n, (m) => t2.lookupBatch(addrs, sink, m)));
            }
            const c = t.c;
            if (c !== null) {
              c.lookupBatch(addrs, sink, n);
              agree(C_DIR24, resultsChecksum(sink, t.lineOf));
              baselines.push(batched(C_DIR24, 'baseline', n, (m) => c.lookupBatch(addrs, sink, m)));
            }
            const linear = new LinearLpm(routes);
            baselines.push(perItem('linear scan', 'baseline', n, (i) => { sink[i] = linear.lookup(addrs[i]!); }));
            let ipnum = 'skipped: more than 20,000 routes would take minutes';
            if (routes.length <= IPNUM_MAX) {
              const ip = new IpNumLpm(routes);
              baselines.push(perItem('ip-num (linear, objects)', 'baseline', n, (i) => { sink[i] = ip.lookup(addrs[i]!); }));
              ipnum = 'measured';
            }
            return {
              baselines,
              before: { buildMs: t.buildMs, choice: subject.choice },
              after: { checksumsEqual: c !== null ? 'all structures and C' : 'all structures (C unavailable)', ...(c !== null ? { cMemoryBytes: c.memoryBytes } : {}), ipnum },
            };
          },
        }),
        ...(t.c !== null ? { reference: C_DIR24 } : { notRun: [{ variant: C_DIR24, reason: nativeLpmProblem }] }),
      };
    },
  };
}

/** The cases of one table: one per workload, sharing the table's structures (built on first use, dropped after the last). */
function tableCases(o: SuiteOptions, label: string, make: () => { routes: readonly LpmRoute[]; lineOf: Int32Array }): CaseThunk[] {
  const workloads: Workload[] = o.addresses ? ['file'] : ['inside', 'zipf', 'uniform'];
  let built: Tables | null = null;
  let left = workloads.length;
  const tables = (): Tables => {
    if (built === null) {
      const d = make();
      built = buildTables(d.routes, d.lineOf);
    }
    return built;
  };
  const release = (): void => {
    if (--left === 0) built = null;
  };
  return workloads.map((w) => lpmCase(o, label, w, tables, release));
}

export const lpmSuite = defineSuite({
  name: 'lpm',
  help: [
    'route lookups: the adaptive table, the other structures, C DIR-24-8, linear scan,',
    'ip-num, per workload: destinations inside the table (--inside), Zipf-skewed, uniform',
  ],
  plan(o) {
    const user = o.table;
    if (user) return tableCases(o, `lpm ${user.file}`, () => ({ routes: user.routes, lineOf: user.lineOf }));
    const sizes = o.sizes && o.sizes.length > 0 ? o.sizes : o.quick ? [100, 10_000] : [100, 10_000, 500_000];
    return sizes.flatMap((size) => tableCases(o, `lpm ${size.toLocaleString('en-US')} routes`, () => ({ routes: bgpRoutes(o.seed, size), lineOf: identity(size) })));
  },
});
