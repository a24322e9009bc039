/**
 * The bench's classifier baselines (bitsets, equivalence classes) answer exactly what the
 * reference answers, like the simulator's own strategies: the same conformance suite, and
 * each of their build paths (cross table or per-class tables) reached.
 */
import { describe, expect, it } from 'vitest';
import { BitsetClassifier } from '../../sim/bench/classifier-bitset.js';
import { ClassesClassifier } from '../../sim/bench/classifier-classes.js';
import { randomSelectors as benchSelectors } from '../../sim/bench/workloads.js';
import { Prng } from '../../sim/util/prng.js';
import { classifierConformance, expectAgrees, randomProbes, randomSelectors } from '../net/classifier-conformance.js';
import { heldTypedArrayBytes } from '../net/held.js';

classifierConformance('BitsetClassifier', (sels) => BitsetClassifier.compile(sels), 'bitset');
classifierConformance('ClassesClassifier', (sels) => ClassesClassifier.compile(sels), 'classes');

describe('classifier baselines', () => {
  it('classes (no cross table) and bitsets at 10,000 selectors agree with the reference', () => {
    const rng = new Prng(9, 'cls-10k');
    const { sels, srcPool, dstPool } = randomSelectors(rng, 10_000);
    const k = ClassesClassifier.compile(sels);
    const b = BitsetClassifier.compile(sels);
    expect(k.crossProduct).toBe(false);
    const { src, dst } = randomProbes(rng, sels, srcPool, dstPool, 3000);
    expectAgrees(k, sels, src, dst, 'classes');
    expectAgrees(b, sels, src, dst, 'bitset');
  });

  it('classes builds the cross-product fast path within 1 MB at 100 selectors', () => {
    const c = ClassesClassifier.compile(randomSelectors(new Prng(5), 100).sels);
    expect(c.crossProduct).toBe(true);
    expect(c.memoryBytes).toBeLessThan(1 << 20);
  });

  it('memoryBytes counts each typed array a baseline holds once (the DIR tables share the interval arrays)', () => {
    for (const n of [10, 100, 3000]) {
      const sels = benchSelectors(1, n);
      const k = ClassesClassifier.compile(sels);
      // At 100 selectors the cross table, at 3000 the per-class sub-tables.
      expect(k.crossProduct).toBe(n < 3000);
      expect([n, 'classes', k.memoryBytes]).toEqual([n, 'classes', heldTypedArrayBytes(k, ['scratch'])]);
      const b = BitsetClassifier.compile(sels);
      expect([n, 'bitset', b.memoryBytes]).toEqual([n, 'bitset', heldTypedArrayBytes(b)]);
    }
  });
});
