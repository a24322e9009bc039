/**
 * The C DIR-24-8 of the native addon answers what the reference answers. CI builds the
 * addon, so a missing addon fails here (it is not skipped).
 */
import { describe, expect, it } from 'vitest';
import { NativeDir24, nativeLpmProblem } from '../../sim/bench/native-lpm.js';
import { referenceLookup } from '../../sim/net/lpm-reference.js';
import { Prng } from '../../sim/util/prng.js';
import { probe, randomPrefixes } from '../net/gen.js';

describe('C DIR-24-8 (native addon)', () => {
  it('is loaded', () => {
    expect(nativeLpmProblem).toBe('');
  });

  it('answers the reference on random tables (nested, duplicates, /0, /25-/32)', () => {
    for (const [seed, size] of [[1, 0], [2, 1], [3, 40], [4, 300], [5, 3000]] as const) {
      const rng = new Prng(seed, 'native-dir24');
      const routes = randomPrefixes(rng, size);
      const table = NativeDir24.build(routes)!;
      const addrs = new Uint32Array(4000);
      for (let i = 0; i < addrs.length; i++) addrs[i] = probe(rng, routes);
      const out = new Int32Array(addrs.length).fill(-7);
      table.lookupBatch(addrs, out, addrs.length);
      for (let i = 0; i < addrs.length; i++) expect(out[i], `seed ${seed} size ${size} addr ${addrs[i]}`).toBe(referenceLookup(routes, addrs[i]!));
      expect(table.memoryBytes).toBeGreaterThanOrEqual(4 << 24);
    }
  });

  it('answers only the first n addresses, clamped to both arrays', () => {
    const table = NativeDir24.build([{ addr: 0x0a000000, len: 8 }])!;
    const addrs = Uint32Array.of(0x0a010203, 0x0a000001, 0x0b000000);
    const out = new Int32Array(3).fill(-7);
    table.lookupBatch(addrs, out, 2);
    expect([...out]).toEqual([0, 0, -7]);
    table.lookupBatch(addrs, out, 99);
    expect([...out]).toEqual([0, 0, -1]);
  });

  it('refuses a length above 32', () => {
    expect(() => NativeDir24.build([{ addr: 0, len: 33 }])).toThrow(RangeError);
  });
});
