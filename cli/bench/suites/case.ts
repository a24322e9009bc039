/**
 * What every bench suite is made of: the options a suite reads, the case it builds (its
 * variants, the facts it reports, what it could not run here), and the small helpers that
 * turn a loop over inputs into a variant. A suite is one file beside this one that exports
 * a `Suite`; index.ts lists them in run order.
 */
import { fileURLToPath } from 'node:url';
import { validateScenarioFile } from '../../../sim/index.js';
import type { Scenario } from '../../../sim/index.js';
import type { LpmRoute, NodeRuntimeRow, Selector } from '../../../sim/bench/index.js';
import type { Variant } from '../measure.js';

/** A user's own data for lpm / classify (already parsed). */
export interface UserTable {
  readonly file: string;
  readonly routes: LpmRoute[];
  readonly lineOf: Int32Array;
  /** The text form the file was read in (table-formats.ts) and the IPv6 routes skipped. */
  readonly format: string;
  readonly ipv6Skipped: number;
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
  /** Share (0-1) of generated inputs inside the data (lpm: destinations inside the table's prefixes in the 'inside' workload; classify: probes inside a selector). */
  readonly inside?: number;
}

/** A variant a case would have timed but cannot run here, and why (the native addon not built, openssl missing). */
export interface NotRun {
  readonly variant: string;
  readonly reason: string;
}

/** A case ready to time. `info` is reported as is; `derive` adds figures once timed. */
export interface BuiltCase {
  readonly suite: string;
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
  /** A variant every variant is also reported as a share of (lpm: the C DIR-24-8; classify: the C scan). */
  readonly reference?: string;
  /** Variants left out because they cannot run on this machine. */
  readonly notRun?: readonly NotRun[];
  /** After the timed repetitions: where the subject's time goes, node by node (forward suites). */
  readonly nodeRuntime?: () => readonly NodeRuntimeRow[];
}

/** A case not built yet (building big tables takes time and memory: one at a time). */
export interface CaseThunk {
  readonly suite: string;
  readonly label: string;
  build(): BuiltCase;
}

/** One bench suite: its name, its lines in `vgw bench --help`, and the cases it runs. */
export interface Suite<N extends string = string> {
  readonly name: N;
  /** What it times, for `vgw bench --help`: the first line beside the name, the rest under it. */
  readonly help: readonly string[];
  plan(o: SuiteOptions): CaseThunk[];
}

/** Declares a suite, keeping its name's literal type for the registry. */
export function defineSuite<const N extends string>(s: Suite<N>): Suite<N> {
  return s;
}

/** 0, 1, ..., n-1: the line of each generated entry (generated data has no file). */
export function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** A variant that cycles over `n` inputs calling `one(i)` per item. */
export function perItem(name: string, role: 'subject' | 'baseline', n: number, one: (i: number) => void): Variant {
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
export function batched(name: string, role: 'subject' | 'baseline', n: number, batch: (m: number) => void): Variant {
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

/** Path of an example scenario shipped with the package, seen from dist/cli/bench/suites/. */
export function scenarioPath(name: string): string {
  return fileURLToPath(new URL(`../../../../scenarios/${name}`, import.meta.url));
}

/** An example scenario, validated (one that does not validate is a bug in the package). */
export function loadScenario(name: string): Scenario {
  const v = validateScenarioFile(scenarioPath(name));
  if (!v.scenario) throw new Error(`example scenario ${name} does not validate`);
  return v.scenario;
}
