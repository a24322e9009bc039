import { describe, expect, it } from 'vitest';
import { bgpRoutes, insideAddresses, randomAddresses, zipfAddresses } from '../../sim/bench/lpm-workloads.js';
import { LpmTable } from '../../sim/net/lpm.js';
import { referenceClassify } from '../../sim/net/classifier-reference.js';
import type { Selector } from '../../sim/net/classifier.js';
import {
  aclSelectors, crossProductSelectors, privatePoolSelectors, randomSelectors, SELECTOR_WORKLOADS, selectorProbes,
  workloadSelectors,
} from '../../sim/bench/workloads.js';

const inPrefix = (a: number, net: number, len: number): boolean => len === 0 || ((a ^ net) >>> (32 - len)) === 0;
const PRIVATE = [[0x0a000000, 8], [0xac100000, 12], [0xc0a80000, 16]] as const;
const isPrivate = (net: number, len: number): boolean => PRIVATE.some(([p, l]) => len >= l && inPrefix(net, p, l));

describe('bench workloads', () => {
  it('clamp negative sizes to 0 (nothing is rejected)', () => {
    expect(bgpRoutes(1, -1)).toEqual([]);
    expect(randomAddresses(1, -1).length).toBe(0);
    for (const w of SELECTOR_WORKLOADS) expect([w, workloadSelectors(w, 1, -1)]).toEqual([w, []]);
    const p = selectorProbes(1, randomSelectors(1, 10), -1);
    expect([p.src.length, p.dst.length]).toEqual([0, 0]);
  });

  it('private pools: both sides inside 10/8, 172.16/12 or 192.168/16, lengths /16-/32, mostly /24', () => {
    const sels = privatePoolSelectors(4, 5000);
    expect(sels).toHaveLength(5000);
    for (const s of sels) {
      expect([s, isPrivate(s.srcAddr, s.srcLen) && isPrivate(s.dstAddr, s.dstLen)]).toEqual([s, true]);
      expect([s.srcLen >= 16, s.dstLen >= 16]).toEqual([true, true]);
    }
    const slash24 = sels.filter((s) => s.srcLen === 24).length / sels.length;
    expect(slash24).toBeGreaterThan(0.3);
    expect(new Set(sels.map((s) => s.srcLen)).size).toBeGreaterThan(10);
  });

  it('access lists: wide entries first (10.0.0.0/8 -> any among them) and last (any -> any last), private specifics between', () => {
    const sels = aclSelectors(2, 200);
    expect(sels).toHaveLength(200);
    const wide = (s: Selector): boolean => s.srcLen <= 16 && s.dstLen <= 16 && (s.srcLen === 0 || s.dstLen === 0 || s.srcLen <= 12);
    expect(sels.slice(0, 8).every(wide)).toBe(true);
    expect(sels).toContainEqual({ srcAddr: 0x0a000000, srcLen: 8, dstAddr: 0, dstLen: 0 });
    expect(sels.at(-1)).toEqual({ srcAddr: 0, srcLen: 0, dstAddr: 0, dstLen: 0 });
    for (const s of sels.slice(8, -4)) expect([s, isPrivate(s.srcAddr, s.srcLen) && isPrivate(s.dstAddr, s.dstLen)]).toEqual([s, true]);
    expect(aclSelectors(1, 3)).toHaveLength(12);
  });

  it('cross products: VNet prefixes x site prefixes, both directions, connection after connection', () => {
    const sels = crossProductSelectors(3, 1000);
    expect(sels).toHaveLength(1000);
    const vnets = new Set(sels.map((s) => `${s.srcAddr}/${s.srcLen}`).filter((k) => sels.filter((s) => `${s.srcAddr}/${s.srcLen}` === k).length > 100));
    expect(vnets.size).toBe(4);
    const isVnet = (a: number, l: number): boolean => vnets.has(`${a}/${l}`);
    for (const s of sels) expect([s, isVnet(s.srcAddr, s.srcLen) !== isVnet(s.dstAddr, s.dstLen)]).toEqual([s, true]);
    // Each connection's sites appear with every VNet, as a policy-based gateway's selectors do.
    const site = sels[0]!;
    expect(sels.filter((s) => s.dstAddr === site.dstAddr && s.dstLen === site.dstLen && isVnet(s.srcAddr, s.srcLen)).length).toBeGreaterThanOrEqual(4);
  });

  it('probes land inside a selector at the share asked for (default 90%), the rest uniform', () => {
    const sels = privatePoolSelectors(1, 300);
    const share = (inside?: number): number => {
      const p = selectorProbes(5, sels, 4000, inside);
      let matched = 0;
      for (let i = 0; i < p.src.length; i++) if (referenceClassify(sels, p.src[i]!, p.dst[i]!) >= 0) matched++;
      return matched / p.src.length;
    };
    expect(share()).toBeGreaterThan(0.87);
    expect(share()).toBeLessThan(0.93);
    expect(share(0.5)).toBeGreaterThan(0.46);
    expect(share(0.5)).toBeLessThan(0.54);
    expect(share(0)).toBeLessThan(0.01);
    expect(share(1)).toBe(1);
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
