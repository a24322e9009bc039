import { describe, expect, it } from 'vitest';
import { DIR_MIN_ROUTES, DIR24_MIN_INTERVALS, LpmTable, routeIntervals } from '../../sim/net/lpm.js';
import { bgpRoutes, randomAddresses } from '../../sim/bench/lpm-workloads.js';
import type { LpmRoute, LpmStrategy } from '../../sim/net/lpm.js';
import { referenceLookup, referenceMatches } from '../../sim/net/lpm-reference.js';
import { buildRangeTable } from '../../sim/net/lpm-range-table.js';
import { Prng } from '../../sim/util/prng.js';
import { probe, randomPrefixes } from './gen.js';
import { heldTypedArrayBytes } from './held.js';

function p(text: string): LpmRoute {
  const [a, l] = text.split('/');
  const o = a!.split('.').map(Number);
  return { addr: ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0, len: Number(l) };
}
const ip = (t: string): number => p(`${t}/32`).addr;

describe('referenceLookup', () => {
  const routes = [p('0.0.0.0/0'), p('10.0.0.0/8'), p('10.1.0.0/16'), p('10.1.0.0/16'), p('10.1.2.3/32')];
  it.each([
    ['10.1.2.3', 4],
    ['10.1.2.4', 2],
    ['10.2.0.0', 1],
    ['11.0.0.0', 0],
    ['255.255.255.255', 0],
  ])('%s -> %i', (a, want) => {
    expect(referenceLookup(routes, ip(a))).toBe(want);
  });
  it('returns -1 when nothing matches', () => {
    expect(referenceLookup([p('10.0.0.0/8')], ip('11.0.0.0'))).toBe(-1);
    expect(referenceLookup([], 0)).toBe(-1);
  });
  it('lists all matches best-first, lowest index first among equals', () => {
    expect(referenceMatches(routes, ip('10.1.2.3'))).toEqual([4, 2, 3, 1, 0]);
    expect(referenceMatches(routes, ip('9.0.0.0'))).toEqual([0]);
  });
});

const STRATEGIES: LpmStrategy[] = ['range-table', 'dir-16-8', 'dir-16-search', 'dir-24-8'];

describe('LpmTable conformance with the reference', () => {
  const sizes: [number, number][] = [
    [0, 200],
    [1, 400],
    [2, 400],
    [5, 800],
    [17, 1000],
    [100, 3000],
    [1000, 3000],
    [10_000, 5000],
  ];
  for (const strategy of [undefined, ...STRATEGIES]) for (const [size, probes] of sizes) {
    it(`${strategy ?? 'default'} strategy: ${size} routes, ${probes} probes, several seeds`, () => {
      const seeds = size >= 1000 ? [1] : [1, 2, 3, 4, 5];
      for (const seed of seeds) {
        const rng = new Prng(seed, `lpm-${size}`);
        const routes = randomPrefixes(rng, size);
        const t = LpmTable.compile(routes, strategy ? { strategy } : {});
        expect(t.size).toBe(size);
        if (strategy) expect(t.strategy).toBe(strategy);
        const addrs = new Uint32Array(probes);
        for (let i = 0; i < probes; i++) addrs[i] = probe(rng, routes);
        const out = new Int32Array(probes);
        t.lookupBatch(addrs, out, probes);
        for (let i = 0; i < probes; i++) {
          const want = referenceLookup(routes, addrs[i]!);
          const got = t.lookup(addrs[i]!);
          if (got !== want) expect({ seed, addr: addrs[i], got }).toEqual({ seed, addr: addrs[i], got: want });
          if (out[i] !== got) expect({ batch: out[i] }).toEqual({ batch: got });
        }
      }
    });
  }

  it('edge tables: /0 only, /32 only, both ends of the space, duplicates', () => {
    const cases: LpmRoute[][] = [
      [p('0.0.0.0/0')],
      [p('0.0.0.0/32')],
      [p('255.255.255.255/32')],
      [p('0.0.0.0/0'), p('0.0.0.0/0'), p('255.255.255.255/32'), p('0.0.0.0/32')],
      [p('128.0.0.0/1'), p('0.0.0.0/1')],
      [p('10.0.0.0/8'), p('10.0.0.0/9'), p('10.128.0.0/9'), p('10.0.0.0/8')],
    ];
    const probes = [0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, ip('10.0.0.0'), ip('10.127.255.255'), ip('10.128.0.0'), ip('10.255.255.255'), ip('11.0.0.0'), ip('9.255.255.255')];
    for (const routes of cases) {
      for (const strategy of STRATEGIES) {
        const t = LpmTable.compile(routes, { strategy });
        for (const a of probes) expect(t.lookup(a)).toBe(referenceLookup(routes, a));
        const out = new Int32Array(probes.length);
        t.lookupBatch(Uint32Array.from(probes), out, probes.length);
        expect([...out]).toEqual(probes.map((a) => referenceLookup(routes, a)));
      }
    }
  });

  it('ignores host bits in route addresses like the reference', () => {
    const routes = [{ addr: ip('10.1.2.3'), len: 16 }, { addr: ip('10.1.0.0'), len: 16 }];
    const t = LpmTable.compile(routes);
    expect(t.lookup(ip('10.1.200.1'))).toBe(0);
    expect(referenceLookup(routes, ip('10.1.200.1'))).toBe(0);
  });

  it('accepts signed int32 addresses like the reference (addr >>> 0)', () => {
    const routes = [p('200.0.0.0/8')];
    const t = LpmTable.compile(routes);
    expect(t.lookup(ip('200.1.2.3') | 0)).toBe(0);
  });
});

describe('range table: fixed steps and search', () => {
  // Spread tables (every index slot a few intervals) take the four fixed steps; tables
  // crowded into one block (scenario VNets in 10/8, hundreds of /28s) take the search.
  const crowded = (rng: Prng, n: number, base: number, bits: number): LpmRoute[] =>
    Array.from({ length: n }, () => {
      const len = rng.range(32 - bits, 32);
      return { addr: (base + (rng.nextU32() & ((1 << bits) - 1))) >>> 0, len };
    });
  it.each([
    // At most 2n+1 intervals: 3-6 routes always fit the steps.
    ['3-6 routes inside 10.0.0.0/16', (rng: Prng) => crowded(rng, rng.range(3, 6), ip('10.0.0.0'), 16), [true]],
    // One index slot holds them all: more than 15 intervals.
    ['40-63 routes inside 10.0.0.0/20', (rng: Prng) => crowded(rng, rng.range(40, 63), ip('10.0.0.0'), 12), [false]],
    ['20-63 routes at the top of the space', (rng: Prng) => [...crowded(rng, rng.range(20, 63), ip('255.255.240.0'), 12), p('255.255.255.255/32')], [false]],
    ['random, 1-40 routes', (rng: Prng) => randomPrefixes(rng, rng.range(1, 40)), [false, true]],
  ] as const)('%s: agrees with the reference', (_name, make, paths) => {
    const seen = new Set<boolean>();
    for (let seed = 1; seed <= 60; seed++) {
      const rng = new Prng(seed, 'range-table');
      const routes = make(rng);
      const t = LpmTable.compile(routes, { strategy: 'range-table' });
      seen.add(buildRangeTable(routeIntervals(routes)).short);
      const probes = [0, 0xffffffff, 0xfffffffe, ...Array.from({ length: 400 }, () => probe(rng, routes))];
      for (const a of probes) {
        const want = referenceLookup(routes, a);
        if (t.lookup(a) !== want) expect({ seed, a, got: t.lookup(a) }).toEqual({ seed, a, got: want });
      }
    }
    expect([...seen].sort()).toEqual([...paths]);
  });
});

describe('LpmTable shape', () => {
  it('a 50-route table uses well under 1 MB', () => {
    const t = LpmTable.compile(randomPrefixes(new Prng(7), 50));
    expect(t.memoryBytes).toBeLessThan(1 << 20);
    expect(t.memoryBytes).toBeLessThan(8 << 10);
    expect(t.strategy).toBe('range-table');
  });
  it('keeps tables under DIR_MIN_ROUTES in the range table; picks DIR-16-8 within 1 MB at 100 BGP-like routes', () => {
    expect(LpmTable.compile(randomPrefixes(new Prng(7), DIR_MIN_ROUTES - 1)).strategy).toBe('range-table');
    const t = LpmTable.compile(bgpRoutes(7, 100));
    expect(t.strategy).toBe('dir-16-8');
    expect(t.memoryBytes).toBeLessThan(1 << 20);
  });
  it('picks by the cost model: the cheapest candidate, with every estimate in `choice`', () => {
    for (const [n, want] of [[10_000, 'dir-16-8'], [500_000, 'dir-24-8']] as const) {
      const t = LpmTable.compile(bgpRoutes(1, n));
      expect([n, t.strategy]).toEqual([n, want]);
      const costs = [...t.choice.matchAll(/(dir-24-8|dir-16-8|dir-16-search|range-table) ([\d.]+),/g)].map((m) => [m[1], Number(m[2])] as const);
      expect(costs.map(([s]) => s).sort()).toEqual(n >= 500_000 ? ['dir-16-8', 'dir-16-search', 'dir-24-8', 'range-table'] : ['dir-16-8', 'dir-16-search', 'range-table']);
      expect(costs[0]![0]).toBe(want);
      expect(Math.min(...costs.map(([, c]) => c))).toBe(costs[0]![1]);
    }
    expect(LpmTable.compile(bgpRoutes(1, 100), { strategy: 'range-table' }).choice).toBe('forced');
  });
  it.each(['dir-16-8', 'dir-16-search', 'dir-24-8'] as const)('%s agrees with the reference on /16 and /24 block edges of long prefixes', (strategy) => {
    const rng = new Prng(21, 'edges');
    const routes = randomPrefixes(rng, 300).map((r, i) => (i % 3 === 0 ? { addr: r.addr, len: Math.max(r.len, 25) } : r));
    const t = LpmTable.compile(routes, { strategy });
    for (const r of routes) {
      for (const d of [-257, -256, -255, -1, 0, 1, 255, 256, 257, 65535, 65536]) {
        const a = (r.addr + d) >>> 0;
        expect(t.lookup(a)).toBe(referenceLookup(routes, a));
      }
    }
  });
  it('switches to the compact block search when DIR-16-8 would need many chunks and span searches', () => {
    const t = LpmTable.compile(randomPrefixes(new Prng(8, 'many'), 20_000));
    expect(t.strategy).toBe('dir-16-search');
    const d = LpmTable.compile(randomPrefixes(new Prng(8, 'many'), 20_000), { strategy: 'dir-16-8' });
    expect(t.memoryBytes).toBeLessThan(d.memoryBytes);
  });
  it('DIR-24-8 batch path agrees with the reference', () => {
    const routes = bgpRoutes(3, 3000);
    const t = LpmTable.compile(routes, { strategy: 'dir-24-8' });
    expect(t.strategy).toBe('dir-24-8');
    expect(t.memoryBytes).toBeGreaterThanOrEqual(64 << 20);
    const addrs = randomAddresses(3, 20_003);
    for (let i = 0; i < routes.length; i++) addrs[i] = (routes[i]!.addr + (i % 7 === 0 ? -1 : i % 5)) >>> 0;
    const out = new Int32Array(addrs.length);
    t.lookupBatch(addrs, out, addrs.length);
    for (let i = 0; i < addrs.length; i++) {
      const want = referenceLookup(routes, addrs[i]!);
      if (out[i] !== want || t.lookup(addrs[i]!) !== want) expect({ i, addr: addrs[i], got: out[i] }).toEqual({ i, addr: addrs[i], got: want });
    }
  });
  it('uses DIR-24-8 for 500,000 BGP-like routes and agrees with the reference on samples', () => {
    const routes = bgpRoutes(1, 500_000);
    const t = LpmTable.compile(routes);
    expect(t.strategy).toBe('dir-24-8');
    expect(t.memoryBytes).toBeLessThan(72 << 20);
    const addrs = randomAddresses(5, 203);
    for (let i = 0; i < 100; i++) addrs[i] = (routes[(i * 4999) % routes.length]!.addr + i - 50) >>> 0;
    const out = new Int32Array(addrs.length);
    t.lookupBatch(addrs, out, addrs.length);
    for (let i = 0; i < addrs.length; i++) {
      const want = referenceLookup(routes, addrs[i]!);
      expect(out[i]).toBe(want);
      expect(t.lookup(addrs[i]!)).toBe(want);
    }
  });
  it('keeps tables off DIR-24-8 below DIR24_MIN_INTERVALS (overridable)', () => {
    const routes = bgpRoutes(1, 3000);
    const t = LpmTable.compile(routes);
    expect(t.choice).not.toContain('dir-24-8');
    expect(LpmTable.compile(routes, { dir24MinIntervals: 1000 }).choice).toContain('dir-24-8');
    expect(DIR24_MIN_INTERVALS).toBeGreaterThan(3000 * 2);
  });
  it('memoryBytes counts each typed array the table holds once', () => {
    for (const n of [10, 3000]) {
      const routes = bgpRoutes(1, n);
      for (const strategy of ['range-table', 'dir-16-8', 'dir-16-search', 'dir-24-8'] as const) {
        const t = LpmTable.compile(routes, { strategy });
        expect([n, strategy, t.memoryBytes]).toEqual([n, strategy, heldTypedArrayBytes(t)]);
      }
    }
  });
  it('batch clamps n to the array lengths', () => {
    const t = LpmTable.compile([p('0.0.0.0/0')]);
    const out = new Int32Array(2).fill(7);
    t.lookupBatch(new Uint32Array(5), out, 10);
    expect([...out]).toEqual([0, 0]);
  });
  it('rejects malformed lengths at compile time', () => {
    expect(() => LpmTable.compile([{ addr: 0, len: 33 }])).toThrow(RangeError);
    expect(() => LpmTable.compile([{ addr: 0, len: 1.5 }])).toThrow(RangeError);
  });
  it('compiles 500,000 routes in a few seconds and agrees with the reference on samples', () => {
    const rng = new Prng(11, 'big');
    const routes = randomPrefixes(rng, 500_000);
    const t = LpmTable.compile(routes);
    expect(t.size).toBe(500_000);
    // Random lengths cut too many /24 blocks for DIR-24-8; the model picks a compact structure.
    expect(['range-table', 'dir-16-search']).toContain(t.strategy);
    expect(t.memoryBytes).toBeLessThan(32 << 20);
    for (let i = 0; i < 200; i++) {
      const a = probe(rng, routes);
      expect(t.lookup(a)).toBe(referenceLookup(routes, a));
    }
  });
});
