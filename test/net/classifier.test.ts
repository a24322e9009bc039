import { describe, expect, it } from 'vitest';
import { SCAN_LIMIT, SelectorClassifier } from '../../sim/net/classifier.js';
import type { ClassifierStrategy, Selector } from '../../sim/net/classifier.js';
import { referenceClassify } from '../../sim/net/classifier-reference.js';
import { Prng } from '../../sim/util/prng.js';
import { probe, randomPrefixes } from './gen.js';
import type { GenPrefix } from './gen.js';

function ip(t: string): number {
  const o = t.split('.').map(Number);
  return ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
}
function sel(src: string, dst: string): Selector {
  const [sa, sl] = src.split('/');
  const [da, dl] = dst.split('/');
  return { srcAddr: ip(sa!), srcLen: Number(sl), dstAddr: ip(da!), dstLen: Number(dl) };
}

/** Selectors whose prefixes come from two shared pools, so they overlap and repeat. */
function randomSelectors(rng: Prng, n: number): { sels: Selector[]; srcPool: GenPrefix[]; dstPool: GenPrefix[] } {
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

describe('referenceClassify', () => {
  const sels = [sel('10.1.0.0/16', '192.168.0.0/16'), sel('10.0.0.0/8', '0.0.0.0/0'), sel('10.1.2.0/24', '192.168.1.0/24')];
  it.each([
    ['10.1.2.3', '192.168.1.1', 0],
    ['10.2.0.1', '192.168.1.1', 1],
    ['10.1.0.1', '8.8.8.8', 1],
    ['11.0.0.1', '192.168.1.1', -1],
  ])('%s -> %s = %i (first match, not most specific)', (s, d, want) => {
    expect(referenceClassify(sels, ip(s), ip(d))).toBe(want);
  });
});

const STRATEGIES: ClassifierStrategy[] = ['scan', 'bitset', 'classes'];

describe('SelectorClassifier conformance with the reference', () => {
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
  for (const strategy of [undefined, ...STRATEGIES]) {
    for (const [size, probes] of sizes) {
      it(`${strategy ?? 'default'} strategy, ${size} selectors, ${probes} probes, several seeds`, () => {
        for (const seed of size >= 1000 ? [1, 2] : [1, 2, 3, 4, 5]) {
          const rng = new Prng(seed, `cls-${size}`);
          const { sels, srcPool, dstPool } = randomSelectors(rng, size);
          const c = SelectorClassifier.compile(sels, strategy === undefined ? {} : { strategy });
          expect(c.size).toBe(size);
          if (strategy !== undefined) expect(c.strategy).toBe(strategy);
          const src = new Uint32Array(probes);
          const dst = new Uint32Array(probes);
          for (let i = 0; i < probes; i++) {
            // Half the probes pick a matching pair from one selector, to land on real matches.
            if (sels.length > 0 && rng.int(2) === 0) {
              const s = rng.pick(sels);
              src[i] = probe(rng, [{ addr: s.srcAddr, len: s.srcLen }]);
              dst[i] = probe(rng, [{ addr: s.dstAddr, len: s.dstLen }]);
            } else {
              src[i] = probe(rng, srcPool);
              dst[i] = probe(rng, dstPool);
            }
          }
          const out = new Int32Array(probes);
          c.classifyBatch(src, dst, out, probes);
          let matched = 0;
          for (let i = 0; i < probes; i++) {
            const want = referenceClassify(sels, src[i]!, dst[i]!);
            const got = c.classify(src[i]!, dst[i]!);
            if (want >= 0) matched++;
            if (got !== want) expect({ seed, src: src[i], dst: dst[i], got }).toEqual({ seed, src: src[i], dst: dst[i], got: want });
            if (out[i] !== got) expect({ batch: out[i] }).toEqual({ batch: got });
          }
          if (size > 0) expect(matched).toBeGreaterThan(probes / 6);
        }
      });
    }
  }

  it('classes (no cross table) and bitset strategies at 10,000 selectors agree with the reference', () => {
    const rng = new Prng(9, 'cls-10k');
    const { sels, srcPool, dstPool } = randomSelectors(rng, 10_000);
    const c = SelectorClassifier.compile(sels);
    const b = SelectorClassifier.compile(sels, { strategy: 'bitset' });
    expect(c.strategy).toBe('classes');
    for (let i = 0; i < 3000; i++) {
      let s: number;
      let d: number;
      if (i % 2 === 0) {
        const x = rng.pick(sels);
        s = probe(rng, [{ addr: x.srcAddr, len: x.srcLen }]);
        d = probe(rng, [{ addr: x.dstAddr, len: x.dstLen }]);
      } else {
        s = probe(rng, srcPool);
        d = probe(rng, dstPool);
      }
      const want = referenceClassify(sels, s, d);
      expect(c.classify(s, d)).toBe(want);
      expect(b.classify(s, d)).toBe(want);
    }
  });

  it('edge selectors: any/any, /32 pairs, duplicates, both ends of the space', () => {
    const lists: Selector[][] = [
      [sel('0.0.0.0/0', '0.0.0.0/0')],
      [sel('255.255.255.255/32', '0.0.0.0/32'), sel('0.0.0.0/32', '255.255.255.255/32')],
      [sel('10.0.0.0/8', '10.0.0.0/8'), sel('10.0.0.0/8', '10.0.0.0/8'), sel('0.0.0.0/0', '0.0.0.0/0')],
      [sel('10.0.0.0/9', '0.0.0.0/0'), sel('10.128.0.0/9', '0.0.0.0/0'), sel('10.0.0.0/8', '0.0.0.0/0')],
    ];
    const addrs = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, ip('10.0.0.0'), ip('10.127.255.255'), ip('10.128.0.0'), ip('10.255.255.255'), ip('11.0.0.0')];
    for (const sels of lists) {
      for (const strategy of STRATEGIES) {
        const c = SelectorClassifier.compile(sels, { strategy });
        for (const s of addrs) for (const d of addrs) expect(c.classify(s, d)).toBe(referenceClassify(sels, s, d));
      }
    }
  });

  it('selector index 31, 32, 63 and 64 (word edges) are returned exactly', () => {
    // 100 disjoint selectors; probe each one's own rectangle.
    const sels: Selector[] = [];
    for (let i = 0; i < 100; i++) sels.push({ srcAddr: ((10 << 24) | (i << 8)) >>> 0, srcLen: 24, dstAddr: 0, dstLen: 0 });
    const c = SelectorClassifier.compile(sels);
    for (const i of [0, 31, 32, 63, 64, 99]) expect(c.classify(((10 << 24) | (i << 8) | 5) >>> 0, 12345)).toBe(i);
  });
});

describe('SelectorClassifier shape', () => {
  it(`uses a scan below ${SCAN_LIMIT} selectors and equivalence classes from there on`, () => {
    const rng = new Prng(3);
    expect(SelectorClassifier.compile(randomSelectors(rng, SCAN_LIMIT - 1).sels).strategy).toBe('scan');
    expect(SelectorClassifier.compile(randomSelectors(rng, SCAN_LIMIT).sels).strategy).toBe('classes');
    expect(SelectorClassifier.compile(randomSelectors(rng, 1000).sels).strategy).toBe('classes');
  });
  it('builds the cross-product fast path for 100 selectors, within 1 MB', () => {
    const c = SelectorClassifier.compile(randomSelectors(new Prng(5), 100).sels);
    expect(c.strategy).toBe('classes');
    expect(c.crossProduct).toBe(true);
    expect(c.memoryBytes).toBeLessThan(1 << 20);
  });
  it('a 50-selector classifier uses well under 1 MB', () => {
    const c = SelectorClassifier.compile(randomSelectors(new Prng(4), 50).sels);
    expect(c.memoryBytes).toBeLessThan(1 << 20);
  });
  it('rejects malformed lengths at compile time', () => {
    expect(() => SelectorClassifier.compile([{ srcAddr: 0, srcLen: 40, dstAddr: 0, dstLen: 0 }])).toThrow(RangeError);
  });
  it('batch clamps n to the array lengths', () => {
    const c = SelectorClassifier.compile([sel('0.0.0.0/0', '0.0.0.0/0')]);
    const out = new Int32Array(3).fill(9);
    c.classifyBatch(new Uint32Array(2), new Uint32Array(5), out, 5);
    expect([...out]).toEqual([0, 0, 9]);
  });
});
