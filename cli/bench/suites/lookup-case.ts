/**
 * The case shape lpm and classify share: a compiled lookup structure (the subject) answers
 * a batch of inputs with one index per input. The shape compiles it (timed), has it answer
 * every input once, reports the answers' checksum against the entries' file lines and a
 * check against the reference on a sample, and times it batched against the baselines the
 * suite adds. The suites give only what differs: data, structures, baselines, extra facts.
 */
import { resultsChecksum } from '../../../sim/bench/index.js';
import type { Variant } from '../measure.js';
import { nowMs } from '../measure.js';
import { batched } from './case.js';
import type { BuiltCase } from './case.js';

/** Inputs per case: a quarter of it for lpm with --quick, an eighth or half for classify. */
export const PROBES = 1 << 20;

/** What a compiled lookup structure tells about itself. */
export interface LookupStructure {
  readonly strategy: string;
  readonly memoryBytes: number;
}

export interface LookupCase<S extends LookupStructure> {
  readonly suite: string;
  readonly name: string;
  readonly unit: string;
  readonly params: Record<string, number | string>;
  /** Inputs per batch (the answers array's length). */
  readonly inputs: number;
  /** For each entry (route, selector), its 0-based line in the user's file, or its index. */
  readonly lineOf: Int32Array;
  /** Builds the subject (timed as `buildMs`). */
  compile(): S;
  /** The subject's answers for the first `m` inputs, into `out`. */
  batch(s: S, out: Int32Array, m: number): void;
  /**
   * What the subject's timing runs, when not `batch`: the same answers for the first `m`
   * inputs, left where a user of the structure reads them (the case says which in params);
   * `as` names it in the subject's name ("STRATEGY (as)").
   */
  readonly timed?: { readonly as: string; run(s: S, m: number): void };
  /** Whether `out` agrees with the reference implementation on a sample. */
  verify(out: Int32Array): boolean;
  /**
   * The baselines (each writes into `sink`, never into `out`) and the suite's own facts:
   * `before` is reported ahead of the checksum, `after` behind `verified`.
   */
  rest(s: S, out: Int32Array, sink: Int32Array): { baselines: Variant[]; before?: Record<string, unknown>; after?: Record<string, unknown> };
}

/** The subject's variant: "STRATEGY (batch)" timing `batch`, or the case's own timed path. */
function subject<S extends LookupStructure>(c: LookupCase<S>, s: S, out: Int32Array): Variant {
  const t = c.timed;
  if (t) return batched(`${s.strategy} (${t.as})`, 'subject', c.inputs, (m) => t.run(s, m));
  return batched(`${s.strategy} (batch)`, 'subject', c.inputs, (m) => c.batch(s, out, m));
}

/** Builds a lookup case: subject first ("STRATEGY (batch)"), then the suite's baselines. */
export function lookupCase<S extends LookupStructure>(c: LookupCase<S>): BuiltCase {
  const n = c.inputs;
  const t0 = nowMs();
  const s = c.compile();
  const buildMs = nowMs() - t0;
  const out = new Int32Array(n);
  c.batch(s, out, n);
  const checksum = resultsChecksum(out, c.lineOf);
  const verified = c.verify(out);
  const rest = c.rest(s, out, new Int32Array(n));
  return {
    suite: c.suite, name: c.name, unit: c.unit, params: c.params,
    variants: [subject(c, s, out), ...rest.baselines],
    info: { strategy: s.strategy, memoryBytes: s.memoryBytes, buildMs, ...rest.before, checksum, verified, ...rest.after },
  };
}
