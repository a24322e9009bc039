/**
 * The SKU token buckets (sim/gateway/sku-buckets.ts): a burst of 50 ms at the slot's rate,
 * refilled at the rate as time passes, never refilled by a packet that trails the last
 * charge, slots independent; checked case by case and against a plain bucket (an object
 * per slot, nothing shared) on random charges whose times sometimes step back. Then the
 * slots each SA's packets charge, on a gateway-to-device and a VNet-to-VNet example.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chargeBucket, skuBuckets } from '../../sim/gateway/sku-buckets.js';
import { EndKind } from '../../sim/gateway/world.js';
import { compileWorld, validateScenarioFile } from '../../sim/index.js';
import { Prng } from '../../sim/util/prng.js';

/** A run's bucket state for `slots` slots: full and never charged. */
function fresh(slots: number): { tokens: Float64Array; last: Float64Array } {
  return { tokens: new Float64Array(slots).fill(-1), last: new Float64Array(slots) };
}

describe('chargeBucket', () => {
  it('takes a burst of 50 ms at the rate, then refuses until time refills it', () => {
    const rate = Float64Array.of(1_000_000); // 1 MB/s: a 50,000-byte burst
    const { tokens, last } = fresh(1);
    for (let k = 0; k < 50; k++) expect(chargeBucket(tokens, last, rate, 0, 1, 1000)).toBe(true);
    expect(chargeBucket(tokens, last, rate, 0, 1, 1000)).toBe(false);
    // 1 ms later: 1,000 bytes more (times in floating point: a byte of slack).
    expect(chargeBucket(tokens, last, rate, 0, 1.001, 999)).toBe(true);
    expect(chargeBucket(tokens, last, rate, 0, 1.001, 2)).toBe(false);
    // Long idle: full again, never more than the burst.
    expect(chargeBucket(tokens, last, rate, 0, 10, 49_999)).toBe(true);
    expect(chargeBucket(tokens, last, rate, 0, 10, 2)).toBe(false);
  });

  it('does not refill for a packet that trails the last charge, nor move its time back', () => {
    const rate = Float64Array.of(1_000_000);
    const { tokens, last } = fresh(1);
    expect(chargeBucket(tokens, last, rate, 0, 2, 49_999)).toBe(true);
    expect(chargeBucket(tokens, last, rate, 0, 1, 2)).toBe(false);
    expect(last[0]).toBe(2);
    // 1 ms after the last charge (not after the trailing packet's time): 1,000 bytes.
    expect(chargeBucket(tokens, last, rate, 0, 2.001, 1001)).toBe(false);
    expect(chargeBucket(tokens, last, rate, 0, 2.001, 999)).toBe(true);
  });

  it('keeps each slot to itself', () => {
    const rate = Float64Array.of(100_000, 200_000, 1e300);
    const { tokens, last } = fresh(3);
    expect(chargeBucket(tokens, last, rate, 0, 0, 5000)).toBe(true);
    expect(chargeBucket(tokens, last, rate, 0, 0, 1)).toBe(false);
    expect(chargeBucket(tokens, last, rate, 1, 0, 10_000)).toBe(true);
    for (let k = 0; k < 1000; k++) expect(chargeBucket(tokens, last, rate, 2, k * 1e-6, 65_535)).toBe(true);
  });

  it('answers as a plain bucket per slot on random charges', () => {
    const rng = new Prng(7, 'sku-buckets');
    let refused = 0;
    for (let round = 0; round < 20; round++) {
      const slots = 1 + rng.int(4);
      const rate = Float64Array.from({ length: slots }, () => 10_000 * (1 + rng.int(1000)));
      const { tokens, last } = fresh(slots);
      const plain = Array.from({ length: slots }, (_, g) => ({ full: true, tokens: rate[g]! * 0.05, last: 0 }));
      let t = 0;
      for (let k = 0; k < 2000; k++) {
        t += rng.int(4) === 0 ? -rng.int(1000) * 1e-6 : rng.int(1000) * 1e-6;
        if (t < 0) t = 0;
        const g = rng.int(slots);
        const bytes = 40 + rng.int(1460);
        const p = plain[g]!;
        const depth = rate[g]! * 0.05;
        const have = p.full ? depth : Math.min(depth, p.tokens + (t > p.last ? (t - p.last) * rate[g]! : 0));
        p.full = false;
        p.last = Math.max(p.last, t);
        const ok = have >= bytes;
        p.tokens = ok ? have - bytes : have;
        if (!ok) refused++;
        expect(chargeBucket(tokens, last, rate, g, t, bytes), `round ${round} charge ${k}`).toBe(ok);
      }
    }
    // The charges did run buckets dry.
    expect(refused).toBeGreaterThan(500);
  });
});

describe('skuBuckets', () => {
  const slotsOf = (file: string) => {
    const v = validateScenarioFile(fileURLToPath(new URL(`../../scenarios/${file}`, import.meta.url)));
    const w = compileWorld(v.scenario!).world;
    const k = skuBuckets(w);
    return { w, k, name: (g: number) => (g < w.gateways.length ? w.gateways[g]!.name : 'no limit') };
  };

  it('a gateway and a device: every packet charges the gateway, as the sender or as the receiver', () => {
    const { w, k, name } = slotsOf('s2s-policy-based.yaml');
    expect(w.sas.length).toBeGreaterThan(0);
    w.sas.forEach((sa, s) => {
      const gatewaySends = sa.fromKind === EndKind.GATEWAY;
      expect(name(k.first[s]!), sa.name).toBe('gw1');
      expect(k.firstSends[s], sa.name).toBe(gatewaySends ? 1 : 0);
      expect(k.second[s], sa.name).toBe(-1);
    });
    expect(Array.from(k.rate.slice(0, 1))).toEqual([w.gateways[0]!.bytesPerSecond]);
  });

  it('two gateways (VNet-to-VNet): the sender first, then the receiver', () => {
    const { w, k, name } = slotsOf('vnet-to-vnet.yaml');
    expect(w.sas.length).toBeGreaterThan(0);
    w.sas.forEach((sa, s) => {
      expect(k.first[s], sa.name).toBe(sa.from);
      expect(k.firstSends[s], sa.name).toBe(1);
      expect(k.second[s], sa.name).toBe(sa.to);
      expect(name(k.first[s]!)).not.toBe(name(k.second[s]!));
    });
  });
});
