/**
 * The `classify` suite: first-match traffic selectors in the compiled classifier (split
 * tables) against equivalence classes, bitsets and a linear first-match scan, over pairs
 * half inside some selector and half uniform.
 */
import { BitsetClassifier, ClassesClassifier, classifyAgrees, randomSelectors, SelectorClassifier, selectorProbes } from '../../../sim/bench/index.js';
import { nowMs } from '../measure.js';
import { batched, defineSuite, identity, perItem } from './case.js';
import type { CaseThunk, SuiteOptions } from './case.js';
import { lookupCase, PROBES } from './lookup-case.js';

function classifyCase(o: SuiteOptions, size: number): CaseThunk {
  const user = o.selectors;
  const label = user ? `classify ${user.file}` : `classify ${size.toLocaleString('en-US')} selectors`;
  return {
    suite: 'classify', label,
    build() {
      const sels = user ? user.sels : randomSelectors(o.seed, size);
      const probes = o.addresses ?? selectorProbes(o.seed, sels, o.quick ? PROBES >> 3 : PROBES >> 1);
      const n = probes.src.length;
      return lookupCase({
        suite: 'classify', name: label, unit: 'classifications',
        params: { selectors: sels.length, pairs: n, source: user ? user.file : 'random prefix pairs', addressSource: o.addresses ? o.addresses.file : 'half inside a selector, half uniform' },
        inputs: n,
        lineOf: user ? user.lineOf : identity(sels.length),
        compile: () => SelectorClassifier.compile(sels),
        batch: (c, out, m) => c.classifyBatch(probes.src, probes.dst, out, m),
        verify: (out) => classifyAgrees(sels, probes.src, probes.dst, out, Math.min(n, sels.length > 5000 ? 300 : 2000)),
        rest(_c, out, sink) {
          let matched = 0;
          for (let i = 0; i < n; i++) if (out[i]! >= 0) matched++;
          const t2 = nowMs();
          const classes = ClassesClassifier.compile(sels);
          const classesMs = nowMs() - t2;
          const t1 = nowMs();
          const bits = BitsetClassifier.compile(sels);
          const bitsMs = nowMs() - t1;
          const scan = SelectorClassifier.compile(sels, { strategy: 'scan' });
          return {
            baselines: [
              batched(`classes (batch, ${(classes.memoryBytes / (1 << 20)).toFixed(1)} MiB)`, 'baseline', n, (m) => classes.classifyBatch(probes.src, probes.dst, sink, m)),
              batched('bitset (batch)', 'baseline', n, (m) => bits.classifyBatch(probes.src, probes.dst, sink, m)),
              perItem('linear first-match scan', 'baseline', n, (i) => { sink[i] = scan.classify(probes.src[i]!, probes.dst[i]!); }),
            ],
            before: {
              classesMemoryBytes: classes.memoryBytes, classesBuildMs: classesMs,
              bitsetMemoryBytes: bits.memoryBytes, bitsetBuildMs: bitsMs, matchedShare: n ? matched / n : 0,
            },
          };
        },
      });
    },
  };
}

export const classifySuite = defineSuite({
  name: 'classify',
  help: ['first-match selectors: split tables vs equivalence classes vs bitsets vs linear scan'],
  plan(o) {
    if (o.selectors) return [classifyCase(o, o.selectors.sels.length)];
    const sizes = o.sizes && o.sizes.length > 0 ? o.sizes : o.quick ? [100, 1000] : [100, 10_000];
    return sizes.map((n) => classifyCase(o, n));
  },
});
