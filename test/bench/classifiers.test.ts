/**
 * The bench's bitset baseline answers exactly what the reference answers, like the
 * simulator's own strategies (the equivalence classes the bench also reports are one of
 * them, tested in test/net/classifier.test.ts): the same conformance suite.
 */
import { describe, expect, it } from 'vitest';
import { BitsetClassifier } from '../../sim/bench/classifier-bitset.js';
import { randomSelectors as benchSelectors } from '../../sim/bench/workloads.js';
import { Prng } from '../../sim/util/prng.js';
import { classifierConformance, expectAgrees, randomProbes, randomSelectors } from '../net/classifier-conformance.js';
import { heldTypedArrayBytes } from '../net/held.js';

classifierConformance('BitsetClassifier', (sels) => BitsetClassifier.compile(sels), 'bitset');

describe('classifier baselines', () => {
  it('bitsets at 10,000 selectors agree with the reference', () => {
    const rng = new Prng(9, 'cls-10k');
    const { sels, srcPool, dstPool } = randomSelectors(rng, 10_000);
    const b = BitsetClassifier.compile(sels);
    const { src, dst } = randomProbes(rng, sels, srcPool, dstPool, 3000);
    expectAgrees(b, sels, src, dst, 'bitset');
  });

  it('memoryBytes counts each typed array a baseline holds once', () => {
    for (const n of [10, 100, 3000]) {
      const sels = benchSelectors(1, n);
      const b = BitsetClassifier.compile(sels);
      expect([n, 'bitset', b.memoryBytes]).toEqual([n, 'bitset', heldTypedArrayBytes(b)]);
    }
  });
});
