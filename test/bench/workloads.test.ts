import { describe, expect, it } from 'vitest';
import { randomSelectors, selectorProbes } from '../../sim/bench/workloads.js';
import { bgpRoutes, insideAddresses, randomAddresses, zipfAddresses } from '../../sim/bench/lpm-workloads.js';
import { LpmTable } from '../../sim/net/lpm.js';

describe('bench workloads', () => {
  it('clamp negative sizes to 0 (nothing is rejected)', () => {
    expect(bgpRoutes(1, -1)).toEqual([]);
    expect(randomAddresses(1, -1).length).toBe(0);
    expect(randomSelectors(1, -1)).toEqual([]);
    const p = selectorProbes(1, randomSelectors(1, 10), -1);
    expect([p.src.length, p.dst.length]).toEqual([0, 0]);
  });
});

describe('lpm workloads', () => {
  const routes = bgpRoutes(1, 20_000);
  const table = LpmTable.compile(routes);
  const answers = (addrs: Uint32Array): Int32Array => {
    const out = new Int32Array(addrs.length);
    table.lookupBatch(addrs, out, addrs.length);
    return out;
  };

  it('the BGP-like table looks like RouteViews: /24-dominated, clustered in a few /8s, nested, no default route', () => {
    expect(routes).toHaveLength(20_000);
    expect(routes.some((r) => r.len === 0)).toBe(false);
    const share = (f: (len: number) => boolean): number => routes.filter((r) => f(r.len)).length / routes.length;
    expect(share((l) => l === 24)).toBeGreaterThan(0.55);
    expect(share((l) => l === 24)).toBeLessThan(0.75);
    expect(share((l) => l === 22 || l === 23)).toBeGreaterThan(0.12);
    expect(share((l) => l > 24)).toBeLessThan(0.02);
    const per8 = new Map<number, number>();
    for (const r of routes) per8.set(r.addr >>> 24, (per8.get(r.addr >>> 24) ?? 0) + 1);
    const top = [...per8.values()].sort((a, b) => b - a);
    expect(top.slice(0, 20).reduce((s, x) => s + x, 0) / routes.length).toBeGreaterThan(0.4);
    expect([...per8.keys()].every((a) => a >= 1 && a < 224 && a !== 10 && a !== 127)).toBe(true);
    // Nested: a route's network answers a longer route than itself only when something is inside it.
    const nets = Uint32Array.from(routes, (r) => r.addr);
    const at = answers(nets);
    const covered = routes.filter((r, i) => routes[at[i]!]!.len > r.len).length;
    expect(covered / routes.length).toBeGreaterThan(0.02);
    // Clustered: most routes have a neighbour within 64 KiB of address space.
    const sorted = [...nets].sort((a, b) => a - b);
    let near = 0;
    for (let i = 1; i < sorted.length; i++) if (sorted[i]! - sorted[i - 1]! < 65536) near++;
    expect(near / sorted.length).toBeGreaterThan(0.5);
  });

  it('inside: the given share of destinations lands inside the routes', () => {
    const uniformInside = [...answers(randomAddresses(2, 20_000))].filter((v) => v >= 0).length / 20_000;
    for (const share of [0, 0.5, 0.9, 1]) {
      const got = [...answers(insideAddresses(2, routes, 20_000, share))].filter((v) => v >= 0).length / 20_000;
      const want = share + (1 - share) * uniformInside;
      expect(Math.abs(got - want), `share ${share}`).toBeLessThan(0.02);
    }
    expect(insideAddresses(2, [{ addr: 0, len: 0 }], 10, 1)).toHaveLength(10);
    expect(insideAddresses(2, routes, -1, 0.5)).toHaveLength(0);
  });

  it('zipf: every destination inside a route, a few hot routes take most of it', () => {
    const got = answers(zipfAddresses(3, routes, 50_000));
    expect([...got].every((v) => v >= 0)).toBe(true);
    const hits = new Map<number, number>();
    for (const v of got) hits.set(v, (hits.get(v) ?? 0) + 1);
    const ranked = [...hits.values()].sort((a, b) => b - a);
    expect(ranked[0]! / got.length).toBeGreaterThan(0.05);
    expect(ranked.slice(0, 200).reduce((s, x) => s + x, 0) / got.length).toBeGreaterThan(0.5);
  });
});
