/**
 * The conformance suite every selector classifier shares (the simulator's strategies in
 * test/net/classifier.test.ts, the bench's baselines in test/bench/classifiers.test.ts):
 * random selector lists of many sizes and edge lists, each answer compared with the plain
 * reference (first match, classifier-reference.ts), one at a time and in a batch.
 */
import { describe, expect, it } from 'vitest';
import type { Selector } from '../../sim/net/classifier.js';
import { referenceClassify } from '../../sim/net/classifier-reference.js';
import { Prng } from '../../sim/util/prng.js';
import { probe, randomPrefixes } from './gen.js';
import type { GenPrefix } from './gen.js';

/** What the suite needs of a compiled classifier. */
export interface ClassifierUnderTest {
  readonly size: number;
  readonly strategy: string;
  classify(src: number, dst: number): number;
  classifyBatch(src: Uint32Array, dst: Uint32Array, out: Int32Array, n: number): void;
}

export function ip(t: string): number {
  const o = t.split('.').map(Number);
  return ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
}

export function sel(src: string, dst: string): Selector {
  const [sa, sl] = src.split('/');
  const [da, dl] = dst.split('/');
  return { srcAddr: ip(sa!), srcLen: Number(sl), dstAddr: ip(da!), dstLen: Number(dl) };
}

/** Selectors whose prefixes come from two shared pools, so they overlap and repeat. */
export function randomSelectors(rng: Prng, n: number): { sels: Selector[]; srcPool: GenPrefix[]; dstPool: GenPrefix[] } {
  const poolSize = Math.max(1, Math.ceil(n / 2));
  const srcPool = randomPrefixes(rng, poolSize);
  const dstPool = randomPrefixes(rng, poolSize);
  const sels: Selector[] = [];
  for (let i = 0; i < n; i++) {
    const s = rng.pick(srcPool);
    const d = rng.pick(dstPool);
    sels.push({ srcAddr: s.addr, srcLen: s.len, dstAddr: d.addr, dstLen: d.len });
  }
  return { sels, srcPool, dstPool };
}

/**
 * Random (src, dst) probes: half inside one selector's rectangle (to land on real
 * matches), half from the pools.
 */
export function randomProbes(rng: Prng, sels: readonly Selector[], srcPool: GenPrefix[], dstPool: GenPrefix[], n: number): { src: Uint32Array; dst: Uint32Array } {
  const src = new Uint32Array(n);
  const dst = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (sels.length > 0 && rng.int(2) === 0) {
      const s = rng.pick(sels);
      src[i] = probe(rng, [{ addr: s.srcAddr, len: s.srcLen }]);
      dst[i] = probe(rng, [{ addr: s.dstAddr, len: s.dstLen }]);
    } else {
      src[i] = probe(rng, srcPool);
      dst[i] = probe(rng, dstPool);
    }
  }
  return { src, dst };
}

/** Every answer of `c` for the probes, one at a time and batched, equals the reference's. */
export function expectAgrees(c: ClassifierUnderTest, sels: readonly Selector[], src: Uint32Array, dst: Uint32Array, tag: unknown = {}): number {
  const n = src.length;
  const out = new Int32Array(n);
  c.classifyBatch(src, dst, out, n);
  let matched = 0;
  for (let i = 0; i < n; i++) {
    const want = referenceClassify(sels, src[i]!, dst[i]!);
    const got = c.classify(src[i]!, dst[i]!);
    if (want >= 0) matched++;
    if (got !== want) expect({ tag, src: src[i], dst: dst[i], got }).toEqual({ tag, src: src[i], dst: dst[i], got: want });
    if (out[i] !== got) expect({ tag, batch: out[i] }).toEqual({ tag, batch: got });
  }
  return matched;
}

/** The shared suite, for the classifier `compile` builds (`strategy`: what it must report, if anything). */
export function classifierConformance(name: string, compile: (sels: readonly Selector[]) => ClassifierUnderTest, strategy?: string): void {
  describe(`${name} conformance with the reference`, () => {
    const sizes: [number, number][] = [
      [0, 200],
      [1, 500],
      [2, 500],
      [7, 1000],
      [15, 1000],
      [16, 1000],
      [33, 1000],
      [100, 3000],
      [1000, 3000],
    ];
    for (const [size, probes] of sizes) {
      it(`${size} selectors, ${probes} probes, several seeds`, () => {
        for (const seed of size >= 1000 ? [1, 2] : [1, 2, 3, 4, 5]) {
          const rng = new Prng(seed, `cls-${size}`);
          const { sels, srcPool, dstPool } = randomSelectors(rng, size);
          const c = compile(sels);
          expect(c.size).toBe(size);
          if (strategy !== undefined) expect(c.strategy).toBe(strategy);
          const { src, dst } = randomProbes(rng, sels, srcPool, dstPool, probes);
          const matched = expectAgrees(c, sels, src, dst, { seed });
          if (size > 0) expect(matched).toBeGreaterThan(probes / 6);
        }
      });
    }

    it('edge selectors: any/any, /32 pairs, duplicates, both ends of the space', () => {
      const lists: Selector[][] = [
        [sel('0.0.0.0/0', '0.0.0.0/0')],
        [sel('255.255.255.255/32', '0.0.0.0/32'), sel('0.0.0.0/32', '255.255.255.255/32')],
        [sel('10.0.0.0/8', '10.0.0.0/8'), sel('10.0.0.0/8', '10.0.0.0/8'), sel('0.0.0.0/0', '0.0.0.0/0')],
        [sel('10.0.0.0/9', '0.0.0.0/0'), sel('10.128.0.0/9', '0.0.0.0/0'), sel('10.0.0.0/8', '0.0.0.0/0')],
      ];
      const addrs = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, ip('10.0.0.0'), ip('10.127.255.255'), ip('10.128.0.0'), ip('10.255.255.255'), ip('11.0.0.0')];
      for (const sels of lists) {
        const c = compile(sels);
        for (const s of addrs) for (const d of addrs) expect(c.classify(s, d)).toBe(referenceClassify(sels, s, d));
      }
    });

    it('selector index 31, 32, 63 and 64 (word edges) are returned exactly', () => {
      // 100 disjoint selectors; probe each one's own rectangle.
      const sels: Selector[] = [];
      for (let i = 0; i < 100; i++) sels.push({ srcAddr: ((10 << 24) | (i << 8)) >>> 0, srcLen: 24, dstAddr: 0, dstLen: 0 });
      const c = compile(sels);
      for (const i of [0, 31, 32, 63, 64, 99]) expect(c.classify(((10 << 24) | (i << 8) | 5) >>> 0, 12345)).toBe(i);
    });

    it('rejects malformed lengths at compile time', () => {
      expect(() => compile([{ srcAddr: 0, srcLen: 40, dstAddr: 0, dstLen: 0 }])).toThrow(RangeError);
    });

    it('batch clamps n to the array lengths', () => {
      const c = compile([sel('0.0.0.0/0', '0.0.0.0/0')]);
      const out = new Int32Array(3).fill(9);
      c.classifyBatch(new Uint32Array(2), new Uint32Array(5), out, 5);
      expect([...out]).toEqual([0, 0, 9]);
    });
  });
}
