import { describe, expect, it } from 'vitest';
import { classesBudget, MODEL_LIMIT, SelectorClassifier, selectorColumns } from '../../sim/net/classifier.js';
import { buildClassMap, classDims, classMapLookup, crossClassBytes } from '../../sim/net/classifier-classes.js';
import { findInterval } from '../../sim/net/intervals.js';
import { buildSplit, splitVisits } from '../../sim/net/classifier-split.js';
import { buildRegions, regionPlan, regionsClassify } from '../../sim/net/classifier-regions.js';
import { cutBlocks } from '../../sim/net/intervals.js';
import type { ClassDim } from '../../sim/net/prefix-classes.js';
import type { ClassifierOptions, Selector } from '../../sim/net/classifier.js';
import { referenceClassify } from '../../sim/net/classifier-reference.js';
import { randomSelectors as benchSelectors, SELECTOR_WORKLOADS, selectorProbes, workloadSelectors } from '../../sim/bench/workloads.js';
import { Prng } from '../../sim/util/prng.js';
import { probe, randomPrefixes } from './gen.js';
import { heldTypedArrayBytes } from './held.js';
import { classifierConformance, expectAgrees, ip, randomProbes, randomSelectors, sel } from './classifier-conformance.js';

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

classifierConformance('SelectorClassifier (default strategy)', (sels) => SelectorClassifier.compile(sels));
classifierConformance('SelectorClassifier scan', (sels) => SelectorClassifier.compile(sels, { strategy: 'scan' }), 'scan');
classifierConformance('SelectorClassifier split', (sels) => SelectorClassifier.compile(sels, { strategy: 'split' }), 'split');
classifierConformance('SelectorClassifier classes', (sels) => SelectorClassifier.compile(sels, { strategy: 'classes' }), 'classes');
classifierConformance('SelectorClassifier regions', (sels) => SelectorClassifier.compile(sels, { strategy: 'regions' }), 'regions');

/** Regions tables over `sels` cut at most `cells` cells a region, and the plan they were cut by. */
function regionsOf(sels: readonly Selector[], cells: number): { t: ReturnType<typeof buildRegions>; plan: ReturnType<typeof regionPlan> } {
  const { sa, sl, da, dl } = selectorColumns(sels);
  const dims = classDims(sa, sl, da, dl);
  const plan = regionPlan(dims.src, dims.dst, da, dl, sels.length, { src: cutBlocks(dims.src.table.starts), dst: cutBlocks(dims.dst.table.starts) }, cells);
  return { t: buildRegions(dims.src, dims.dst, sels.length, plan), plan };
}

describe('SelectorClassifier regions tables', () => {
  it('agree with the reference however finely the source classes are cut into regions (one class a region up to one region), on private pools, wide-ended lists and random pairs', () => {
    for (const w of ['private-pools', 'acl-wide-ends', 'random'] as const) {
      const sels = workloadSelectors(w, 4, 2000);
      const { src, dst } = selectorProbes(4, sels, 4000, 0.8);
      const want = Int32Array.from(src, (s, i) => referenceClassify(sels, s, dst[i]!));
      const regions: number[] = [];
      let srcClasses = 0;
      for (const cells of [1, 64, 4096, 1 << 30]) {
        const { t, plan } = regionsOf(sels, cells);
        regions.push(t.regions);
        srcClasses = t.row.length;
        expect([w, cells, t.bytes <= plan.bytes]).toEqual([w, cells, true]);
        for (let i = 0; i < src.length; i++) {
          const got = regionsClassify(t, src[i]!, dst[i]!);
          if (got !== want[i]) expect({ w, cells, s: src[i], d: dst[i], got }).toEqual({ w, cells, s: src[i], d: dst[i], got: want[i] });
        }
      }
      // Every class a region of its own at one cell, one region at the largest bound.
      expect([w, regions[0] === srcClasses, regions[1]! >= regions[2]!, regions[2]! < regions[0]!, regions[3]]).toEqual([w, true, true, true, 1]);
    }
  });

  it('agree with the reference at both ends of the space (/0, /1 and /32 sides at 0.0.0.0 and 255.255.255.255) in lists long enough to be cut into regions', () => {
    const ends = [sel('255.255.255.255/32', '0.0.0.0/32'), sel('0.0.0.0/32', '255.255.255.255/32'), sel('128.0.0.0/1', '0.0.0.0/1'), sel('255.255.255.0/24', '0.0.0.0/0'), sel('0.0.0.0/0', '255.255.0.0/16')];
    const filler = workloadSelectors('private-pools', 12, 3000);
    const addrs = [0, 1, 255, 256, 0xffff, 0x10000, 0x7fffffff, 0x80000000, ip('10.1.2.3'), ip('192.168.7.9'), 0xfffeffff, 0xffff0000, 0xffffff00, 0xfffffffe, 0xffffffff];
    for (const sels of [[...ends, ...filler], [...filler, ...ends]]) {
      const c = SelectorClassifier.compile(sels, { strategy: 'regions' });
      expect(c.batchLoop).toBe('specialised');
      const src = Uint32Array.from(addrs.flatMap((s) => addrs.map(() => s)));
      const dst = Uint32Array.from(addrs.flatMap(() => addrs));
      expectAgrees(c, sels, src, dst);
      const { t } = regionsOf(sels, 256);
      expect(t.regions).toBeGreaterThan(10);
      for (let i = 0; i < src.length; i++) expect([src[i], dst[i], regionsClassify(t, src[i]!, dst[i]!)]).toEqual([src[i], dst[i], referenceClassify(sels, src[i]!, dst[i]!)]);
    }
  });

  it('the regions batch agrees with the reference at odd lengths, pass edges and short arrays, and writes nothing beyond them', () => {
    const sels = workloadSelectors('private-pools', 5, 3000);
    const { src, dst } = selectorProbes(5, sels, 2100, 0.8);
    const want = Int32Array.from(src, (s, i) => referenceClassify(sels, s, dst[i]!));
    const c = SelectorClassifier.compile(sels, { strategy: 'regions' });
    expect([c.strategy, c.batchLoop]).toEqual(['regions', 'specialised']);
    for (const m of [0, 1, 2, 3, 250, 251, 252, 255, 256, 507, 508, 1023, 1024, 1025, 2049, 2100]) {
      const out = new Int32Array(2101).fill(-7);
      c.classifyBatch(src, dst, out, m + 5);
      const n = Math.min(m + 5, src.length);
      for (let i = 0; i < n; i++) if (out[i] !== want[i]) expect({ m, i, got: out[i] }).toEqual({ m, i, got: want[i] });
      for (let i = n; i < out.length; i++) if (out[i] !== -7) expect({ m, i, wrote: out[i] }).toEqual({ m, i, wrote: -7 });
    }
  });

  it('a plan over a side of more than 65,535 classes (the Uint16 class maps and remaps) has no finite bytes, so the cost model refuses it', () => {
    const dim = (classes: number): ClassDim => ({ table: { starts: new Uint32Array(1), values: new Int32Array(1), index: new Uint32Array(1), shift: 31 }, listStart: new Uint32Array(classes + 1), list: new Int32Array(0), classes });
    const cut = { src: { cut16: 0, cut24: 0 }, dst: { cut16: 0, cut24: 0 } };
    const none = { da: new Uint32Array(0), dl: new Uint8Array(0) };
    expect(regionPlan(dim(65_535), dim(65_535), none.da, none.dl, 0, cut, 1 << 16).bytes).toBeLessThan(Infinity);
    expect(regionPlan(dim(65_536), dim(10), none.da, none.dl, 0, cut, 1 << 16).bytes).toBe(Infinity);
    expect(regionPlan(dim(10), dim(65_536), none.da, none.dl, 0, cut, 1 << 16).bytes).toBe(Infinity);
  });

  it('at 10,000 private-pool selectors the cost model picks regions, within its budget, and the bench probes agree with the reference', () => {
    const sels = workloadSelectors('private-pools', 1, 10_000);
    const c = SelectorClassifier.compile(sels);
    expect(c.strategy).toBe('regions');
    expect(c.memoryBytes).toBeLessThanOrEqual(classesBudget(10_000));
    const { src, dst } = selectorProbes(1, sels, 1500);
    expectAgrees(c, sels, src, dst);
  });
});

describe('SelectorClassifier classes tables', () => {
  it('a class map answers the class of its interval table at every address it is probed at: block edges, cut /16 and /24 blocks, both ends of the space', () => {
    for (const seed of [1, 2, 3, 4]) {
      const rng = new Prng(seed, 'class-map');
      const prefixes = randomPrefixes(rng, 300);
      const d = classDims(Uint32Array.from(prefixes, (p) => p.addr), Uint8Array.from(prefixes, (p) => p.len), new Uint32Array(0), new Uint8Array(0)).src;
      const m = buildClassMap(d);
      const want = (a: number): number => d.table.values[findInterval(d.table, a)]!;
      const addrs: number[] = [0, 0xffffffff];
      for (let i = 0; i < 20_000; i++) addrs.push(probe(rng, prefixes));
      for (const x of d.table.starts) addrs.push(x, (x - 1) >>> 0, (x + 1) >>> 0, (x | 255) >>> 0, (x | 0xffff) >>> 0);
      for (const a of addrs) if (classMapLookup(m, a) !== want(a)) expect({ seed, a, got: classMapLookup(m, a) }).toEqual({ seed, a, got: want(a) });
    }
  });

  it('the cross-table path (class maps, per-table batch) and the per-class tables path agree with the reference', () => {
    const rng = new Prng(9, 'cls-classes');
    for (const n of [64, 300, 10_000]) {
      const { sels, srcPool, dstPool } = randomSelectors(rng, n);
      const c = SelectorClassifier.compile(sels, { strategy: 'classes' });
      expect([n, c.batchLoop]).toEqual([n, n < 10_000 ? 'specialised' : 'plain']);
      const { src, dst } = randomProbes(rng, sels, srcPool, dstPool, 3000);
      expectAgrees(c, sels, src, dst, { n });
    }
  });

  it('class maps at both ends of the space: /0, /1 and /32 sides at 0.0.0.0 and 255.255.255.255 in lists long enough for them', () => {
    const ends = [sel('255.255.255.255/32', '0.0.0.0/32'), sel('0.0.0.0/32', '255.255.255.255/32'), sel('128.0.0.0/1', '0.0.0.0/1'), sel('255.255.255.0/24', '0.0.0.0/0'), sel('0.0.0.0/0', '255.255.0.0/16')];
    const rng = new Prng(12, 'ends');
    const filler = randomSelectors(rng, 70).sels;
    const addrs = [0, 1, 255, 256, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffeffff, 0xffff0000, 0xffffff00, 0xfffffffe, 0xffffffff];
    for (const sels of [[...ends, ...filler], [...filler, ...ends]]) {
      const c = SelectorClassifier.compile(sels, { strategy: 'classes' });
      expect(c.batchLoop).toBe('specialised');
      const src = Uint32Array.from(addrs.flatMap((s) => addrs.map(() => s)));
      const dst = Uint32Array.from(addrs.flatMap(() => addrs));
      expectAgrees(c, sels, src, dst);
    }
  });

  it('the classes batch agrees with the reference at odd lengths, chunk edges and short arrays, and writes nothing beyond them', () => {
    const sels = workloadSelectors('private-pools', 5, 200);
    const { src, dst } = selectorProbes(5, sels, 2100, 0.8);
    const want = Int32Array.from(src, (s, i) => referenceClassify(sels, s, dst[i]!));
    const c = SelectorClassifier.compile(sels);
    expect([c.strategy, c.batchLoop]).toEqual(['classes', 'specialised']);
    for (const m of [0, 1, 2, 3, 1023, 1024, 1025, 2049, 2100]) {
      const out = new Int32Array(2101).fill(-7);
      c.classifyBatch(src, dst, out, m + 5);
      const n = Math.min(m + 5, src.length);
      for (let i = 0; i < n; i++) if (out[i] !== want[i]) expect({ m, i, got: out[i] }).toEqual({ m, i, got: want[i] });
      for (let i = n; i < out.length; i++) if (out[i] !== -7) expect({ m, i, wrote: out[i] }).toEqual({ m, i, wrote: -7 });
    }
  });
});

describe('SelectorClassifier split tables', () => {
  it('the default (split) at 10,000 selectors agrees with the reference', () => {
    const rng = new Prng(9, 'cls-10k');
    const { sels, srcPool, dstPool } = randomSelectors(rng, 10_000);
    const c = SelectorClassifier.compile(sels);
    expect(c.strategy).toBe('split');
    const { src, dst } = randomProbes(rng, sels, srcPool, dstPool, 3000);
    expectAgrees(c, sels, src, dst);
  });

  it('edge selectors with the split tables forced into every path (expanded wide prefixes, nested buckets)', () => {
    const lists: Selector[][] = [
      [],
      [sel('0.0.0.0/0', '0.0.0.0/0')],
      [sel('0.0.0.0/1', '128.0.0.0/1'), sel('255.255.255.255/32', '255.255.255.255/32'), sel('0.0.0.0/0', '0.0.0.0/32')],
      [sel('10.0.0.0/8', '10.0.0.0/8'), sel('10.0.0.0/8', '10.0.0.0/8'), sel('0.0.0.0/0', '0.0.0.0/0')],
      [sel('10.0.0.0/9', '0.0.0.0/0'), sel('10.128.0.0/9', '0.0.0.0/0'), sel('10.0.0.0/8', '0.0.0.0/0')],
      [sel('10.1.0.0/16', '0.0.0.0/0'), sel('10.1.255.255/32', '1.2.3.4/32'), sel('10.1.0.0/17', '10.1.0.0/16'), sel('0.0.0.0/0', '10.1.0.0/16')],
    ];
    const addrs = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, ip('1.2.3.4'), ip('10.0.0.0'), ip('10.1.0.0'), ip('10.1.128.0'), ip('10.1.255.255'), ip('10.127.255.255'), ip('10.128.0.0'), ip('10.255.255.255'), ip('11.0.0.0')];
    const variants: ClassifierOptions[] = [{}, { splitCrossLimit: 1 }, { splitBucketMax: 0 }, { splitCrossLimit: 1, splitBucketMax: 0 }];
    for (const sels of lists) {
      for (const o of variants) {
        const c = SelectorClassifier.compile(sels, { ...o, strategy: 'split' });
        if (o.splitBucketMax === 0 && sels.some((x) => x.srcLen > 0 || x.dstLen > 0)) expect(c.crowdedBuckets).toBeGreaterThan(0);
        for (const s of addrs) for (const d of addrs) expect([s, d, c.classify(s, d)]).toEqual([s, d, referenceClassify(sels, s, d)]);
      }
    }
  });

  it('split tables agree with the reference when thresholds drop and buckets nest', () => {
    const variants: ClassifierOptions[] = [{ splitCrossLimit: 1 }, { splitCrossLimit: 64 }, { splitBucketMax: 0 }, { splitBucketMax: 2, splitCrossLimit: 16 }];
    for (const size of [16, 100, 1000]) {
      for (const seed of [1, 2, 3]) {
        const rng = new Prng(seed, `split-${size}`);
        const { sels, srcPool, dstPool } = randomSelectors(rng, size);
        const cs = variants.map((o) => SelectorClassifier.compile(sels, { ...o, strategy: 'split' }));
        const n = 1000;
        const src = new Uint32Array(n);
        const dst = new Uint32Array(n);
        for (let i = 0; i < n; i++) {
          if (rng.int(2) === 0) {
            const x = rng.pick(sels);
            src[i] = probe(rng, [{ addr: x.srcAddr, len: x.srcLen }]);
            dst[i] = probe(rng, [{ addr: x.dstAddr, len: x.dstLen }]);
          } else {
            src[i] = probe(rng, srcPool);
            dst[i] = probe(rng, dstPool);
          }
        }
        const out = new Int32Array(n);
        for (const c of cs) {
          c.classifyBatch(src, dst, out, n);
          for (let i = 0; i < n; i++) {
            const want = referenceClassify(sels, src[i]!, dst[i]!);
            if (c.classify(src[i]!, dst[i]!) !== want || out[i] !== want) {
              expect({ size, seed, s: src[i], d: dst[i], got: c.classify(src[i]!, dst[i]!), batch: out[i] }).toEqual({ size, seed, s: src[i], d: dst[i], got: want, batch: want });
            }
          }
        }
      }
    }
  });

  it('crowded lists: every selector in one source block (or both sides in one block each), or one wide source with many destinations', () => {
    const rng = new Prng(11, 'crowded');
    const oneBlock: Selector[] = [];
    const oneSource: Selector[] = [];
    const bothInOne: Selector[] = [];
    for (let i = 0; i < 400; i++) {
      bothInOne.push({ srcAddr: (ip('10.1.0.0') | (rng.nextU32() & 0xffff)) >>> 0, srcLen: rng.range(16, 32), dstAddr: (ip('10.2.0.0') | (rng.nextU32() & 0xffff)) >>> 0, dstLen: rng.range(16, 32) });
      const len = rng.range(16, 32);
      oneBlock.push({ srcAddr: (ip('10.1.0.0') | (rng.nextU32() & 0xffff)) >>> 0, srcLen: len, dstAddr: rng.nextU32(), dstLen: rng.range(0, 32) });
      oneSource.push({ srcAddr: ip('10.0.0.0'), srcLen: rng.pick([8, 9, 10]), dstAddr: rng.nextU32(), dstLen: rng.range(12, 32) });
    }
    for (const sels of [oneBlock, oneSource, [...oneBlock, ...oneSource], bothInOne]) {
      // Cut blocks spread the crowd; uncut, its buckets nest.
      const c = SelectorClassifier.compile(sels, { strategy: 'split' });
      const uncut = SelectorClassifier.compile(sels, { strategy: 'split', splitRefine: false });
      if (sels === bothInOne) expect(uncut.crowdedBuckets).toBeGreaterThan(c.crowdedBuckets);
      for (let i = 0; i < 2000; i++) {
        const x = rng.pick(sels);
        const s = i % 3 === 0 ? rng.nextU32() : probe(rng, [{ addr: x.srcAddr, len: x.srcLen }]);
        const d = i % 5 === 0 ? rng.nextU32() : probe(rng, [{ addr: x.dstAddr, len: x.dstLen }]);
        const want = referenceClassify(sels, s, d);
        expect([c.classify(s, d), uncut.classify(s, d)]).toEqual([want, want]);
      }
    }
  });

});

describe('SelectorClassifier on every bench workload', () => {
  it('the default, split (cut and uncut blocks, nested buckets), scan, classes and regions agree with the reference', () => {
    const variants: ClassifierOptions[] = [{}, { strategy: 'split' }, { strategy: 'split', splitRefine: false }, { strategy: 'split', splitBucketMax: 2 }, { strategy: 'scan' }, { strategy: 'classes' }, { strategy: 'regions' }];
    for (const w of SELECTOR_WORKLOADS) {
      for (const [n, seed] of [[20, 1], [300, 2], [3000, 3]] as const) {
        const sels = workloadSelectors(w, seed, n);
        const { src, dst } = selectorProbes(seed, sels, n >= 3000 ? 1500 : 3000, 0.8);
        const want = Int32Array.from(src, (s, i) => referenceClassify(sels, s, dst[i]!));
        for (const o of variants) {
          const c = SelectorClassifier.compile(sels, o);
          const out = new Int32Array(src.length);
          c.classifyBatch(src, dst, out, src.length);
          for (let i = 0; i < src.length; i++) {
            if (out[i] !== want[i] || c.classify(src[i]!, dst[i]!) !== want[i]) {
              expect({ w, n, o, s: src[i], d: dst[i], batch: out[i], one: c.classify(src[i]!, dst[i]!) }).toEqual({ w, n, o, s: src[i], d: dst[i], batch: want[i], one: want[i] });
            }
          }
        }
      }
    }
  });

  it('the split batch (two packets at a time, in chunks) agrees with the reference at odd lengths, chunk edges, short arrays and with nested buckets', () => {
    const sels = workloadSelectors('private-pools', 5, 3000);
    const { src, dst } = selectorProbes(5, sels, 2100, 0.8);
    const want = Int32Array.from(src, (s, i) => referenceClassify(sels, s, dst[i]!));
    for (const o of [{ strategy: 'split' }, { strategy: 'split', splitBucketMax: 1 }] as const) {
      const c = SelectorClassifier.compile(sels, o);
      expect([c.strategy, c.batchLoop]).toEqual(['split', 'specialised']);
      if (o.splitBucketMax === 1) expect(c.crowdedBuckets).toBeGreaterThan(0);
      for (const m of [0, 1, 2, 3, 1023, 1024, 1025, 2049, 2100]) {
        const out = new Int32Array(2101).fill(-7);
        c.classifyBatch(src, dst, out, m + 5);
        const n = Math.min(m + 5, src.length);
        for (let i = 0; i < n; i++) if (out[i] !== want[i]) expect({ o, m, i, got: out[i] }).toEqual({ o, m, i, got: want[i] });
        for (let i = n; i < out.length; i++) if (out[i] !== -7) expect({ o, m, i, wrote: out[i] }).toEqual({ o, m, i, wrote: -7 });
      }
    }
  });

  it('cutting crowded blocks into sub-blocks leaves fewer bucket entries per lookup on private pools and cross products', () => {
    for (const w of ['private-pools', 'cross-product'] as const) {
      const sels = workloadSelectors(w, 1, 3000);
      const { sa, sl, da, dl } = selectorColumns(sels);
      const { src, dst } = selectorProbes(1, sels, 5000);
      const entries = (o: ClassifierOptions): number => {
        const t = buildSplit(sa, sl, da, dl, o);
        let sum = 0;
        for (let i = 0; i < src.length; i++) sum += splitVisits(t, src[i]!, dst[i]!).entries;
        return sum / src.length;
      };
      const [cut, whole] = [entries({}), entries({ splitRefine: false })];
      expect([w, cut < whole * 0.75]).toEqual([w, true]);
    }
  });
});

describe('SelectorClassifier shape', () => {
  it('picks the cheapest strategy under its cost model and says why: scan up to MODEL_LIMIT, classes from 64 on within its memory budget, else regions within it, split always; forced when asked', () => {
    const rng = new Prng(3);
    expect(SelectorClassifier.compile([sel('10.0.0.0/8', '0.0.0.0/0')]).strategy).toBe('scan');
    expect(SelectorClassifier.compile(randomSelectors(rng, 5).sels, { strategy: 'split' }).choice).toBe('split, forced');
    expect(SelectorClassifier.compile(randomSelectors(rng, 5).sels, { strategy: 'classes' }).choice).toBe('classes, forced');
    const seen = new Set<string>();
    for (const w of SELECTOR_WORKLOADS) {
      for (const n of [2, 8, 16, 32, MODEL_LIMIT, 65, 100, 1000, 3000, 10_000]) {
        const c = SelectorClassifier.compile(workloadSelectors(w, 1, n));
        const m = /^(?:(scan|split|classes|regions), cost model: ((?:(?:scan|split|classes|regions) [\d.]+(?:, )?)+) steps per lookup|split, the only strategy the cost model may build)(?:; classes refused: (?:about )?([\d.]+) MiB, above ([\d.]+) MiB(?:; regions refused: up to ([\d.]+) MiB, above ([\d.]+) MiB)?)?$/.exec(c.choice);
        expect([w, n, c.choice, m !== null]).toEqual([w, n, c.choice, true]);
        // Split alone is not costed.
        const costs = new Map((m![2] ?? 'split 0').split(', ').map((x) => [x.split(' ')[0]!, Number(x.split(' ')[1])] as const));
        const refused = m![3] !== undefined;
        const regionsRefused = m![5] !== undefined;
        const want = ['split', ...(n <= MODEL_LIMIT ? ['scan'] : []), ...(n >= 64 && !refused ? ['classes'] : []), ...(refused && !regionsRefused ? ['regions'] : [])].sort();
        expect([w, n, [...costs.keys()].sort()]).toEqual([w, n, want]);
        if (n < 64) expect([w, n, refused]).toEqual([w, n, false]);
        if (refused) expect([w, n, Number(m![3]) > Number(m![4]), Number(m![4])]).toEqual([w, n, true, Number((classesBudget(n) / (1 << 20)).toFixed(1))]);
        if (regionsRefused) expect([w, n, Number(m![5]) > Number(m![6]), Number(m![6])]).toEqual([w, n, true, Number((classesBudget(n) / (1 << 20)).toFixed(1))]);
        const cheapest = [...costs].reduce((x, y) => (y[1] < x[1] ? y : x))[0];
        expect([w, n, c.strategy]).toEqual([w, n, cheapest]);
        if (c.strategy === 'classes' || c.strategy === 'regions') expect(c.memoryBytes).toBeLessThanOrEqual(classesBudget(n));
        seen.add(c.strategy);
      }
    }
    // The shortest lists cost split tables more than a scan; classes where their tables fit; regions where they fit instead; split for random pairs.
    expect([...seen].sort()).toEqual(['classes', 'regions', 'scan', 'split']);
    for (const w of SELECTOR_WORKLOADS) expect([w, SelectorClassifier.compile(workloadSelectors(w, 1, 100)).strategy]).toEqual([w, 'classes']);
    const at10k = { random: 'split', 'private-pools': 'regions', 'acl-wide-ends': 'regions', 'cross-product': 'classes' } as const;
    for (const w of SELECTOR_WORKLOADS) expect([w, SelectorClassifier.compile(workloadSelectors(w, 1, 10_000)).strategy]).toEqual([w, at10k[w]]);
  });
  it('the cost model knows the bytes of classes tables before it builds their cross table', () => {
    for (const w of SELECTOR_WORKLOADS) {
      for (const n of [64, 300]) {
        const sels = workloadSelectors(w, 2, n);
        const { sa, sl, da, dl } = selectorColumns(sels);
        expect([w, n, crossClassBytes(classDims(sa, sl, da, dl), n)]).toEqual([w, n, SelectorClassifier.compile(sels, { strategy: 'classes' }).memoryBytes]);
      }
    }
  });
  it('split tables for 100 selectors fit in 64 KiB; classes tables in 1 MiB', () => {
    const sels = randomSelectors(new Prng(5), 100).sels;
    expect(SelectorClassifier.compile(sels, { strategy: 'split' }).memoryBytes).toBeLessThan(64 << 10);
    expect(SelectorClassifier.compile(sels, { strategy: 'classes' }).memoryBytes).toBeLessThan(1 << 20);
  });
  it('split tables for the 10,000-selector bench list fit in 4 MiB with no crowded bucket; nested-pool lists in 8 MiB, cut or not', () => {
    const c = SelectorClassifier.compile(benchSelectors(1, 10_000));
    expect(c.memoryBytes).toBeLessThan(4 << 20);
    expect(c.crowdedBuckets).toBe(0);
    const pools = randomSelectors(new Prng(6), 10_000).sels;
    expect(SelectorClassifier.compile(pools, { strategy: 'split', splitRefine: false }).memoryBytes).toBeLessThan(8 << 20);
    expect(SelectorClassifier.compile(pools).memoryBytes).toBeLessThan(8 << 20);
  });
  it('memoryBytes counts each typed array the classifier holds once', () => {
    for (const n of [10, 100, 3000]) {
      const sels = benchSelectors(1, n);
      for (const strategy of ['scan', 'split', 'classes', 'regions'] as const) {
        const c = SelectorClassifier.compile(sels, { strategy });
        expect([n, strategy, c.memoryBytes]).toEqual([n, strategy, heldTypedArrayBytes(c)]);
      }
    }
  });
  it('a 50-selector classifier uses well under 1 MB', () => {
    const c = SelectorClassifier.compile(randomSelectors(new Prng(4), 50).sels);
    expect(c.memoryBytes).toBeLessThan(1 << 20);
  });
});
