/**
 * The `end-to-end` suite: whole runs of scenarios/bench/highperf-200mbps.yaml (a
 * HighPerformance gateway carrying 200 Mbps on the wire, real ESP at both ends) on one
 * thread, next to the same run on node:crypto; with --workers N above 1, the same run
 * sharded over N threads against one thread, and the machine's ceiling for that (the run's
 * ESP crypto calls alone, on N threads against one).
 */
import { DEFAULT_CRYPTO, runScenario } from '../../../sim/index.js';
import { nativeProblem } from '../../../sim/bench/index.js';
import { RunPool, runSharded } from '../../run-pool.js';
import { CeilingPool, ceilingBackend, cryptoWork } from '../ceiling.js';
import { defineSuite, loadScenario, scenarioPath } from './case.js';
import type { CaseThunk } from './case.js';

/** The workload: a scenario file with its own seed and sizes, so the suite options do not change it. */
const E2E_FILE = 'bench/highperf-200mbps.yaml';

function oneThreadCase(): CaseThunk {
  const label = `end-to-end ${E2E_FILE}, one thread`;
  return {
    suite: 'end-to-end', label,
    build() {
      const s = loadScenario(E2E_FILE);
      const r = runScenario(s);
      const packets = r.flows.reduce((n, f) => n + f.sent, 0);
      const delivered = r.flows.reduce((n, f) => n + f.delivered, 0);
      const variant = (backend: string): string => `runScenario, real ESP (aes256-sha1, ${backend}), one thread`;
      return {
        suite: 'end-to-end', name: label, unit: 'runs',
        params: { scenario: E2E_FILE, packetsPerRun: packets, simulatedSeconds: r.duration, gateway: 'HighPerformance, 200 Mbps on the wire' },
        variants: [
          {
            name: variant(DEFAULT_CRYPTO.name), role: 'subject',
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
        ...(DEFAULT_CRYPTO.name === 'native' ? {} : { notRun: [{ variant: variant('native'), reason: nativeProblem }] }),
      };
    },
  };
}

function workersCase(workers: number): CaseThunk {
  const label = `end-to-end ${E2E_FILE}, ${workers} workers`;
  return {
    suite: 'end-to-end', label,
    build() {
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
        // The first second of sharded runs is 10-50% slower while the workers' code is
        // still being optimised.
        warmupMs: 2000,
        derive: (runsPerSecond) => ({ packetsPerSecond: runsPerSecond * packets, timesFasterThanRealTime: runsPerSecond * single.duration }),
        dispose: () => void pool.close(),
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
    build() {
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

export const endToEndSuite = defineSuite({
  name: 'end-to-end',
  help: [
    'a HighPerformance gateway at 200 Mbps with real ESP: how many times faster',
    'than real time, on one thread and sharded over worker threads',
  ],
  plan: (o) => [oneThreadCase(), ...(o.workers > 1 ? [workersCase(o.workers), cryptoCeilingCase(o.workers)] : [])],
});
