/**
 * The `classify` suite: first-match traffic selectors in the compiled classifier (the
 * strategy its cost model picks) against the other TypeScript strategies (scan, split,
 * equivalence classes, classes by region: each it did not pick, forced), a first-match scan in C over the
 * same data (the reference every variant is reported as a share of) and bitsets. One
 * case per workload and size (random prefix pairs, private pools, access lists with wide
 * ends, policy-based cross products), probes mostly inside the selectors. Every
 * variant's results checksum must equal the C scan's.
 */
import {
  BitsetClassifier, classifyAgrees, NativeScan, nativeScanProblem, PROBES_INSIDE, resultsChecksum,
  SELECTOR_WORKLOADS, SelectorClassifier, selectorProbes, workloadSelectors,
} from '../../../sim/bench/index.js';
import type { ClassifierStrategy, Selector, SelectorWorkload } from '../../../sim/bench/index.js';
import type { Variant } from '../measure.js';
import { nowMs } from '../measure.js';
import { batched, defineSuite, identity } from './case.js';
import type { BuiltCase, CaseThunk, NotRun, SuiteOptions } from './case.js';
import { lookupCase, PROBES } from './lookup-case.js';

/** The C scan's variant name: the reference of every classify case. */
export const C_SCAN = 'C first-match scan (batch)';

const STRATEGIES: readonly ClassifierStrategy[] = ['split', 'scan', 'classes', 'regions'];

/** Answers of `batch` on every probe, checked against the reference checksum; a mismatch is an error, not a figure. */
function checked(label: string, variant: string, n: number, lineOf: Int32Array, want: { name: string; sum: number }, batch: (out: Int32Array, m: number) => void): void {
  const out = new Int32Array(n);
  batch(out, n);
  const sum = resultsChecksum(out, lineOf);
  if (sum !== want.sum) throw new Error(`${label}: the results checksum of "${variant}" (${sum}) differs from ${want.name}'s (${want.sum})`);
}

function classifyCase(o: SuiteOptions, size: number, workload: SelectorWorkload | null): CaseThunk {
  const user = o.selectors;
  const label = user ? `classify ${user.file}` : `classify ${size.toLocaleString('en-US')} selectors, ${workload!}`;
  return {
    suite: 'classify', label,
    build(): BuiltCase {
      const sels: Selector[] = user ? user.sels : workloadSelectors(workload!, o.seed, size);
      const inside = o.inside ?? PROBES_INSIDE;
      const probes = o.addresses ?? selectorProbes(o.seed, sels, o.quick ? PROBES >> 3 : PROBES >> 1, inside);
      const n = probes.src.length;
      const lineOf = user ? user.lineOf : identity(sels.length);
      const native = NativeScan.compile(sels);
      const notRun: NotRun[] = native ? [] : [{ variant: C_SCAN, reason: nativeScanProblem }];
      const built = lookupCase({
        suite: 'classify', name: label, unit: 'classifications',
        params: {
          selectors: sels.length, pairs: n, source: user ? user.file : workload!,
          addressSource: o.addresses ? o.addresses.file : `${Math.round(inside * 100)}% inside a selector, the rest uniform`,
        },
        inputs: n,
        lineOf,
        compile: () => SelectorClassifier.compile(sels),
        batch: (c, out, m) => c.classifyBatch(probes.src, probes.dst, out, m),
        verify: (out) => classifyAgrees(sels, probes.src, probes.dst, out, Math.min(n, sels.length > 5000 ? 300 : 2000)),
        rest(c, out, sink) {
          let matched = 0;
          for (let i = 0; i < n; i++) if (out[i]! >= 0) matched++;
          const want = { name: native ? 'the C scan' : 'the subject', sum: resultsChecksum(out, lineOf) };
          const variants: { name: string; batch: (out: Int32Array, m: number) => void }[] = [];
          if (native) {
            variants.push({ name: C_SCAN, batch: (x, m) => native.classifyBatch(probes.src, probes.dst, x, m) });
            const cOut = new Int32Array(n);
            native.classifyBatch(probes.src, probes.dst, cOut, n);
            want.sum = resultsChecksum(cOut, lineOf);
            checked(label, `${c.strategy} (batch)`, n, lineOf, want, (x) => x.set(out));
          }
          let classesInfo: Record<string, number> = { classesMemoryBytes: c.memoryBytes };
          for (const strategy of STRATEGIES) {
            if (strategy === c.strategy) continue;
            const t = nowMs();
            const other = SelectorClassifier.compile(sels, { strategy });
            const ms = nowMs() - t;
            if (strategy === 'classes') classesInfo = { classesMemoryBytes: other.memoryBytes, classesBuildMs: ms };
            const memory = other.memoryBytes >= 1 << 20 ? `${(other.memoryBytes / (1 << 20)).toFixed(1)} MiB` : `${(other.memoryBytes / 1024).toFixed(0)} KiB`;
            variants.push({ name: `${strategy} (batch, ${memory})`, batch: (x, m) => other.classifyBatch(probes.src, probes.dst, x, m) });
          }
          const t1 = nowMs();
          const bits = BitsetClassifier.compile(sels);
          const bitsMs = nowMs() - t1;
          variants.push({ name: 'bitset (batch)', batch: (x, m) => bits.classifyBatch(probes.src, probes.dst, x, m) });
          for (const v of variants) if (v.name !== C_SCAN) checked(label, v.name, n, lineOf, want, v.batch);
          const baselines: Variant[] = variants.map((v) => batched(v.name, 'baseline', n, (m) => v.batch(sink, m)));
          return {
            baselines,
            before: {
              choice: c.choice,
              ...classesInfo,
              bitsetMemoryBytes: bits.memoryBytes, bitsetBuildMs: bitsMs, matchedShare: n ? matched / n : 0,
            },
            after: { checksumsEqual: native ? 'every variant equals the C scan' : 'C scan not run' },
          };
        },
      });
      return { ...built, ...(native ? { reference: C_SCAN } : {}), ...(notRun.length > 0 ? { notRun } : {}) };
    },
  };
}

export const classifySuite = defineSuite({
  name: 'classify',
  help: [
    'first-match selectors: the compiled classifier vs its other strategies (scan, split,',
    'equivalence classes, classes by region), a C scan (the reference: every variant as a',
    `share of it) and bitsets, per workload: ${SELECTOR_WORKLOADS.join(', ')}`,
  ],
  plan(o) {
    if (o.selectors) return [classifyCase(o, o.selectors.sels.length, null)];
    const sizes = o.sizes && o.sizes.length > 0 ? o.sizes : o.quick ? [100, 1000] : [100, 10_000];
    return sizes.flatMap((n) => SELECTOR_WORKLOADS.map((w) => classifyCase(o, n, w)));
  },
});
