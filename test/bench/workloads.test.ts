import { describe, expect, it } from 'vitest';
import { referenceClassify } from '../../sim/net/classifier-reference.js';
import type { Selector } from '../../sim/net/classifier.js';
import {
  aclSelectors, bgpRoutes, crossProductSelectors, privatePoolSelectors, randomAddresses, randomSelectors, SELECTOR_WORKLOADS, selectorProbes,
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
