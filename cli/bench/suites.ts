/**
 * The benchmark suites of `vgw bench`: what each case builds and which variants it times.
 * Data and structures come from sim/ (pure); the clock is measure.ts.
 */
import { fileURLToPath } from 'node:url';
import { DEFAULT_CRYPTO, validateScenarioFile, compileWorld, runScenario } from '../../sim/index.js';
import type { CryptoBackend, Scenario } from '../../sim/index.js';
import {
  bgpRoutes, randomAddresses, randomSelectors, selectorProbes, IpNumLpm, LinearLpm, classifyAgrees, lookupAgrees,
  resultsChecksum, ForwardBench, randomTraffic, EspWorkload, ESP_BENCH_TRANSFORMS, LpmTable, SelectorClassifier,
  BitsetClassifier, ClassesClassifier, CRYPTO_BACKENDS, nativeProblem,
} from '../../sim/bench/index.js';
import type { LpmRoute, Selector } from '../../sim/bench/index.js';
import { nowMs } from './measure.js';
import { opensslLimit } from './openssl.js';
import { RunPool, runSharded } from '../run-pool.js';
import { CeilingPool, ceilingBackend, cryptoWork } from './ceiling.js';
import type { Variant } from './measure.js';

/** Every suite name, in run order. */
export const SUITES = ['lpm', 'classify', 'forward-route', 'forward-policy', 'esp-encrypt', 'esp-decrypt', 'end-to-end'] as const;
export type SuiteName = (typeof SUITES)[number];

/** A user's own data for lpm / classify (already parsed). */
export interface UserTable {
  readonly file: string;
  readonly routes: LpmRoute[];
  readonly lineOf: Int32Array;
}
export interface UserSelectors {
  readonly file: string;
  readonly sels: Selector[];
  readonly lineOf: Int32Array;
}
export interface UserAddresses {
  readonly file: string;
  readonly src: Uint32Array;
  readonly dst: Uint32Array;
}

export interface SuiteOptions {
  readonly quick: boolean;
  /** Worker threads of the end-to-end suite's sharded case (1: no sharded case). */
  readonly workers: number;
  readonly seed: number;
  readonly sizes?: readonly number[];
  readonly table?: UserTable;
  readonly selectors?: UserSelectors;
  readonly addresses?: UserAddresses;
}

/** A case ready to time. `info` is reported as is; `after` adds figures once timed. */
export interface BuiltCase {
  readonly suite: SuiteName;
  readonly name: string;
  readonly params: Record<string, number | string>;
  /** What one item is, e.g. "lookups". */
  readonly unit: string;
  readonly variants: Variant[];
  readonly info: Record<string, unknown>;
  /** Figures derived from the subject's median items per second (e.g. packets/s of a run). */
  readonly derive?: (subjectMedian: number) => Record<string, number>;
  /** Release what the case holds (worker threads) once it is timed. */
  readonly dispose?: () => void;
  /**
   * Warm-up per variant in ms when the default is too short (full runs only): a worker
   * thread's JIT warms on its own, from fewer calls than the main thread's.
   */
  readonly warmupMs?: number;
}

/** A case not built yet (building big tables takes time and memory: one at a time). */
export interface CaseThunk {
  readonly suite: SuiteName;
  readonly label: string;
  build(): BuiltCase;
}

/** A suite that cannot run here, with the reason. */
export interface Unavailable {
  readonly suite: SuiteName;
  readonly reason: string;
}

const IPNUM_MAX = 20_000;
const PROBES = 1 << 20;

function sizesFor(suite: SuiteName, o: SuiteOptions): number[] {
  if (o.sizes && o.sizes.length > 0) return [...o.sizes];
  switch (suite) {
    case 'lpm': return o.quick ? [100, 10_000] : [100, 10_000, 500_000];
    case 'classify': return o.quick ? [100, 1000] : [100, 10_000];
    case 'esp-encrypt':
    case 'esp-decrypt': return o.quick ? [1400] : [64, 512, 1400];
    default: return [];
  }
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** A variant that cycles over `n` inputs calling `one(i)` per item. */
function perItem(name: string, role: 'subject' | 'baseline', n: number, one: (i: number) => void): Variant {
  let next = 0;
  return {
    name, role,
    run(count: number): void {
      for (let k = 0; k < count; k++) {
        one(next);
        if (++next === n) next = 0;
      }
    },
  };
}

/** A variant that calls `batch(m)` on the first m inputs, repeatedly, to cover `count`. */
function batched(name: string, role: 'subject' | 'baseline', n: number, batch: (m: number) => void): Variant {
  return {
    name, role,
    run(count: number): void {
      let left = count;
      while (left > 0) {
        const m = Math.min(left, n);
        batch(m);
        left -= m;
      }
    },
  };
}

function lpmCase(o: SuiteOptions, size: number): CaseThunk {
  const user = o.table;
  const label = user ? `lpm ${user.file}` : `lpm ${size.toLocaleString('en-US')} routes`;
  return {
    suite: 'lpm', label,
    build(): BuiltCase {
      const routes = user ? user.routes : bgpRoutes(o.seed, size);
      const lineOf = user ? user.lineOf : identity(routes.length);
      const addrs = o.addresses ? o.addresses.dst : randomAddresses(o.seed, o.quick ? PROBES >> 2 : PROBES);
      const n = addrs.length;
      const t0 = nowMs();
      const table = LpmTable.compile(routes);
      const buildMs = nowMs() - t0;
      const out = new Int32Array(n);
      table.lookupBatch(addrs, out, n);
      const checksum = resultsChecksum(out, lineOf);
      const verified = lookupAgrees(routes, addrs, out, Math.min(n, routes.length > 100_000 ? 200 : 2000));
      const linear = new LinearLpm(routes);
      const sink = new Int32Array(n);
      const variants: Variant[] = [
        batched(`${table.strategy} (batch)`, 'subject', n, (m) => table.lookupBatch(addrs, out, m)),
        perItem(`${table.strategy} (one at a time)`, 'baseline', n, (i) => { sink[i] = table.lookup(addrs[i]!); }),
      ];
      // The other lookup structures on the same routes, so the adaptive choice can be checked.
      for (const other of ['dir-24-8', 'dir-16-8', 'dir-16-search', 'range-table'] as const) {
        if (other === table.strategy) continue;
        const t2 = LpmTable.compile(routes, { strategy: other });
        variants.push(batched(`${other} (batch, ${(t2.memoryBytes / (1 << 20)).toFixed(1)} MiB)`, 'baseline', n, (m) => t2.lookupBatch(addrs, sink, m)));
      }
      variants.push(perItem('linear scan', 'baseline', n, (i) => { sink[i] = linear.lookup(addrs[i]!); }));
      let ipnum = 'skipped: more than 20,000 routes would take minutes';
      if (routes.length <= IPNUM_MAX) {
        const ip = new IpNumLpm(routes);
        variants.push(perItem('ip-num (linear, objects)', 'baseline', n, (i) => { sink[i] = ip.lookup(addrs[i]!); }));
        ipnum = 'measured';
      }
      return {
        suite: 'lpm', name: label, unit: 'lookups',
        params: { routes: routes.length, addresses: n, source: user ? user.file : 'bgp-like', addressSource: o.addresses ? o.addresses.file : 'uniform random' },
        variants,
        info: { strategy: table.strategy, memoryBytes: table.memoryBytes, buildMs, checksum, verified, ipnum },
      };
    },
  };
}

function classifyCase(o: SuiteOptions, size: number): CaseThunk {
  const user = o.selectors;
  const label = user ? `classify ${user.file}` : `classify ${size.toLocaleString('en-US')} selectors`;
  return {
    suite: 'classify', label,
    build(): BuiltCase {
      const sels = user ? user.sels : randomSelectors(o.seed, size);
      const lineOf = user ? user.lineOf : identity(sels.length);
      const probes = o.addresses ?? selectorProbes(o.seed, sels, o.quick ? PROBES >> 3 : PROBES >> 1);
      const n = probes.src.length;
      const t0 = nowMs();
      const c = SelectorClassifier.compile(sels);
      const buildMs = nowMs() - t0;
      const t2 = nowMs();
      const classes = ClassesClassifier.compile(sels);
      const classesMs = nowMs() - t2;
      const t1 = nowMs();
      const bits = BitsetClassifier.compile(sels);
      const bitsMs = nowMs() - t1;
      const scan = SelectorClassifier.compile(sels, { strategy: 'scan' });
      const out = new Int32Array(n);
      c.classifyBatch(probes.src, probes.dst, out, n);
      let matched = 0;
      for (let i = 0; i < n; i++) if (out[i]! >= 0) matched++;
      const checksum = resultsChecksum(out, lineOf);
      const verified = classifyAgrees(sels, probes.src, probes.dst, out, Math.min(n, sels.length > 5000 ? 300 : 2000));
      const sink = new Int32Array(n);
      const variants: Variant[] = [
        batched(`${c.strategy} (batch)`, 'subject', n, (m) => c.classifyBatch(probes.src, probes.dst, out, m)),
        batched(`classes (batch, ${(classes.memoryBytes / (1 << 20)).toFixed(1)} MiB)`, 'baseline', n, (m) => classes.classifyBatch(probes.src, probes.dst, sink, m)),
        batched('bitset (batch)', 'baseline', n, (m) => bits.classifyBatch(probes.src, probes.dst, sink, m)),
        perItem('linear first-match scan', 'baseline', n, (i) => { sink[i] = scan.classify(probes.src[i]!, probes.dst[i]!); }),
      ];
      return {
        suite: 'classify', name: label, unit: 'classifications',
        params: { selectors: sels.length, pairs: n, source: user ? user.file : 'random prefix pairs', addressSource: o.addresses ? o.addresses.file : 'half inside a selector, half uniform' },
        variants,
        info: {
          strategy: c.strategy, memoryBytes: c.memoryBytes, buildMs, classesMemoryBytes: classes.memoryBytes, classesBuildMs: classesMs,
          bitsetMemoryBytes: bits.memoryBytes, bitsetBuildMs: bitsMs, matchedShare: n ? matched / n : 0, checksum, verified,
        },
      };
    },
  };
}

/** Path of an example scenario shipped with the package. */
function scenarioPath(name: string): string {
  return fileURLToPath(new URL(`../../../scenarios/${name}`, import.meta.url));
}

function loadScenario(name: string): Scenario {
  const v = validateScenarioFile(scenarioPath(name));
  if (!v.scenario) throw new Error(`example scenario ${name} does not validate`);
  return v.scenario;
}

function forwardCase(o: SuiteOptions, suite: 'forward-route' | 'forward-policy'): CaseThunk {
  const file = suite === 'forward-route' ? 's2s-route-based-multisite.yaml' : 's2s-policy-based.yaml';
  const label = `${suite} ${file}`;
  return {
    suite, label,
    build(): BuiltCase {
      const { world } = compileWorld(loadScenario(file));
      const traffic = randomTraffic(world, o.seed, 1 << 16);
      const fb = new ForwardBench(world, traffic, 256);
      const sb = new ForwardBench(world, traffic, 256);
      return {
        suite, name: label, unit: 'packets',
        params: { scenario: file, packets: traffic.src.length, batch: 256 },
        variants: [
          { name: 'batch path (256 per batch)', role: 'subject', run: (c) => void fb.pass(c, false) },
          { name: 'scalar path (one at a time)', role: 'baseline', run: (c) => void sb.pass(c, true) },
        ],
        info: { outcomes: fb.outcomeMix(), crypto: 'none (sizes only)' },
        // Proof from the forwarders' own counters that each variant ran the path it names.
        derive: () => ({
          subjectBatchRuns: fb.forwarder.stats.batchRuns, subjectMaxBatch: fb.forwarder.stats.maxBatch,
          subjectScalarPackets: fb.forwarder.stats.scalarPackets, baselineScalarPackets: sb.forwarder.stats.scalarPackets,
          baselineBatchRuns: sb.forwarder.stats.batchRuns,
        }),
      };
    },
  };
}

function espCase(o: SuiteOptions, suite: 'esp-encrypt' | 'esp-decrypt', proposal: string, size: number): CaseThunk {
  const label = `${suite} ${proposal} ${size} bytes`;
  return {
    suite, label,
    build(): BuiltCase {
      const w = new EspWorkload(proposal, size, 256, o.seed);
      const dir = suite === 'esp-encrypt' ? 'encrypt' : 'decrypt';
      const limit = opensslLimit(proposal, size, dir === 'decrypt');
      const run = (be: CryptoBackend) => (c: number) => void (dir === 'encrypt' ? w.encrypt(be, c) : w.decrypt(be, c));
      const native = CRYPTO_BACKENDS.native;
      const gcm = proposal.includes('gcm');
      return {
        suite, name: label, unit: 'packets',
        params: { transform: proposal, innerBytes: size, wireBytes: w.outer[0]!.length },
        // The subject is the default backend's ESP path; each backend's path is next to the
        // bare calls it makes (its floor), so "costs N x the floor" reads per backend.
        variants: [
          ...(native ? [
            { name: 'esp path, native addon', role: 'subject' as const, run: run(native) },
            { name: 'bare native addon calls (its floor)', role: 'baseline' as const, floorOf: 'esp path, native addon', run: (c: number) => void w.bareNative(dir, c) },
          ] : []),
          { name: 'esp path, node:crypto', role: native ? 'baseline' as const : 'subject' as const, run: run(CRYPTO_BACKENDS.node) },
          { name: 'bare node:crypto calls (its floor)', role: 'baseline', floorOf: 'esp path, node:crypto', run: (c) => void w.bareCrypto(dir, c) },
          { name: 'esp path, node-forge', role: 'baseline', run: run(CRYPTO_BACKENDS.forge) },
        ],
        info: {
          contexts: native
            ? `native: one addon call per packet frames it and runs ${gcm ? 'GCM on the SA\'s key schedule' : 'the SA\'s long-lived CBC context and HMAC from the key\'s precomputed hash states'}, in place (its floor: the bare ${gcm ? 'GCM call' : 'CBC and HMAC calls'} through the addon); node:crypto: ${gcm ? 'a GCM context per packet' : 'one long-lived CBC context per SA, an HMAC object per packet'}`
            : `${gcm ? 'a GCM context per packet (a nonce per packet)' : 'one long-lived CBC context per SA, an HMAC object per packet'}; native backend unavailable: ${nativeProblem}`,
          openssl: typeof limit === 'string' ? limit : limit.detail,
        },
        // Share of what `openssl speed` allows for the same algorithms and size, measured in this run.
        ...(typeof limit === 'string' ? {} : { derive: (pps: number) => ({ opensslLimitPacketsPerSecond: limit.pps, opensslShare: pps / limit.pps }) }),
      };
    },
  };
}

/** Path of the end-to-end workload (issue 4 item 7). */
const E2E_FILE = 'bench/highperf-200mbps.yaml';

/** The workload is a scenario file with its own seed and sizes: the suite options do not change it. */
function endToEndCase(): CaseThunk {
  const label = `end-to-end ${E2E_FILE}, one thread`;
  return {
    suite: 'end-to-end', label,
    build(): BuiltCase {
      const s = loadScenario(E2E_FILE);
      const r = runScenario(s);
      const packets = r.flows.reduce((n, f) => n + f.sent, 0);
      const delivered = r.flows.reduce((n, f) => n + f.delivered, 0);
      return {
        suite: 'end-to-end', name: label, unit: 'runs',
        params: { scenario: E2E_FILE, packetsPerRun: packets, simulatedSeconds: r.duration, gateway: 'HighPerformance, 200 Mbps on the wire' },
        variants: [
          {
            name: `runScenario, real ESP (aes256-sha1, ${DEFAULT_CRYPTO.name}), one thread`, role: 'subject',
            run(count: number): void {
              for (let k = 0; k < count; k++) runScenario(s, { crypto: DEFAULT_CRYPTO.name });
            },
          },
          ...(DEFAULT_CRYPTO.name === 'node' ? [] : [{
            name: 'the same run on node:crypto', role: 'baseline' as const,
            run(count: number): void {
              for (let k = 0; k < count; k++) runScenario(s, { crypto: 'node' });
            },
          }]),
        ],
        info: {
          esp: 'real: every packet built, encrypted and MACed by the gateway, verified and decrypted by the device',
          crypto: DEFAULT_CRYPTO.name === 'native' ? 'native addon (OpenSSL)' : `node:crypto (native backend unavailable: ${nativeProblem})`,
          delivered,
        },
        // Simulated seconds per wall second: above 1, the run is faster than real time.
        derive: (runsPerSecond) => ({ packetsPerSecond: runsPerSecond * packets, timesFasterThanRealTime: runsPerSecond * r.duration }),
      };
    },
  };
}

/**
 * The most threads can give crypto-bound work on this machine: the ESP crypto calls of
 * one end-to-end run (no simulation) on one thread and split over `workers` threads.
 */
function cryptoCeilingCase(workers: number): CaseThunk {
  const label = `end-to-end crypto ceiling, ${workers} workers`;
  return {
    suite: 'end-to-end', label,
    build(): BuiltCase {
      const s = loadScenario(E2E_FILE);
      const packets = runScenario(s).flows.reduce((n, f) => n + f.sent, 0);
      const size = 1342; // the inner packets of bench/highperf-200mbps.yaml
      const pool = new CeilingPool(workers);
      return {
        suite: 'end-to-end', name: label, unit: 'runs',
        params: { packetsPerRun: packets, innerBytes: size, workers },
        variants: [
          {
            name: `the ESP crypto of one run on ${workers} threads`, role: 'subject',
            run(count: number): void {
              for (let k = 0; k < count; k++) pool.runSync(packets, size);
            },
          },
          {
            name: 'the same on one thread', role: 'baseline',
            run(count: number): void {
              for (let k = 0; k < count; k++) cryptoWork(packets, size);
            },
          },
        ],
        warmupMs: 1000,
        info: {
          meaning: `per packet, on ${ceilingBackend()}: CBC update and HMAC-SHA1 to encrypt, HMAC-SHA1 and CBC update to decrypt, nothing else; a sharded run cannot scale better than this here`,
        },
        dispose: () => void pool.close(),
      };
    },
  };
}

function endToEndWorkersCase(workers: number): CaseThunk {
  const label = `end-to-end ${E2E_FILE}, ${workers} workers`;
  return {
    suite: 'end-to-end', label,
    build(): BuiltCase {
      const file = scenarioPath(E2E_FILE);
      const s = loadScenario(E2E_FILE);
      const single = runScenario(s);
      const pool = new RunPool(workers);
      const sharded = runSharded(file, s, workers, { crypto: DEFAULT_CRYPTO.name, traceLimit: 0 }, pool);
      // The sharded run must give the single-threaded outcome before it is worth timing.
      const same = JSON.stringify(sharded.flows) === JSON.stringify(single.flows) && JSON.stringify(sharded.counters) === JSON.stringify(single.counters);
      const packets = single.flows.reduce((n, f) => n + f.sent, 0);
      return {
        suite: 'end-to-end', name: label, unit: 'runs',
        params: { scenario: E2E_FILE, packetsPerRun: packets, simulatedSeconds: single.duration, workers },
        variants: [
          {
            name: `${workers} worker threads (flows sharded)`, role: 'subject',
            run(count: number): void {
              for (let k = 0; k < count; k++) runSharded(file, s, workers, { crypto: DEFAULT_CRYPTO.name, traceLimit: 0 }, pool);
            },
          },
          {
            name: 'one thread', role: 'baseline',
            run(count: number): void {
              for (let k = 0; k < count; k++) runScenario(s);
            },
          },
        ],
        info: { sameOutcomesAsOneThread: same, sharding: 'every worker routes every packet; each builds the ESP bytes of its own flows' },
        // Measured here: the first second of sharded runs is 10-50% slower while the
        // workers' code is still being optimised.
        warmupMs: 2000,
        derive: (runsPerSecond) => ({ packetsPerSecond: runsPerSecond * packets, timesFasterThanRealTime: runsPerSecond * single.duration }),
        dispose: () => void pool.close(),
      };
    },
  };
}

/** The cases of the chosen suites, and the suites that cannot run. */
export function planSuites(suites: readonly SuiteName[], o: SuiteOptions): { cases: CaseThunk[]; unavailable: Unavailable[] } {
  const cases: CaseThunk[] = [];
  const unavailable: Unavailable[] = [];
  for (const s of suites) {
    switch (s) {
      case 'lpm':
        if (o.table) cases.push(lpmCase(o, o.table.routes.length));
        else for (const n of sizesFor(s, o)) cases.push(lpmCase(o, n));
        break;
      case 'classify':
        if (o.selectors) cases.push(classifyCase(o, o.selectors.sels.length));
        else for (const n of sizesFor(s, o)) cases.push(classifyCase(o, n));
        break;
      case 'forward-route':
      case 'forward-policy':
        cases.push(forwardCase(o, s));
        break;
      case 'esp-encrypt':
      case 'esp-decrypt':
        for (const t of o.quick ? ESP_BENCH_TRANSFORMS.slice(0, 1) : ESP_BENCH_TRANSFORMS) {
          for (const n of sizesFor(s, o)) cases.push(espCase(o, s, t, Math.max(28, Math.min(n, 65000))));
        }
        break;
      case 'end-to-end':
        cases.push(endToEndCase());
        if (o.workers > 1) cases.push(endToEndWorkersCase(o.workers), cryptoCeilingCase(o.workers));
        break;
    }
  }
  return { cases, unavailable };
}
