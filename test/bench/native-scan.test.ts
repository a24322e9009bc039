/**
 * The C first-match scan in the native addon (the classify bench's reference) answers what
 * the reference classifier answers on every workload. It needs the addon: without it these
 * tests fail (CI builds it), they never skip.
 */
import { describe, expect, it } from 'vitest';
import { nativeAddon } from '../../sim/ipsec/crypto-native.js';
import { NativeScan, nativeScanProblem } from '../../sim/bench/native-scan.js';
import { referenceClassify } from '../../sim/net/classifier-reference.js';
import { SELECTOR_WORKLOADS, selectorProbes, workloadSelectors } from '../../sim/bench/workloads.js';

describe('C first-match scan', () => {
  it('is built into the addon', () => {
    expect(nativeScanProblem).toBe('');
    expect(NativeScan.compile([])).not.toBeNull();
  });

  it('equals the reference on every workload, and on an empty list', () => {
    for (const w of SELECTOR_WORKLOADS) {
      for (const n of [1, 50, 2000]) {
        const sels = workloadSelectors(w, n, n);
        const { src, dst } = selectorProbes(n, sels, 3000, 0.7);
        const out = new Int32Array(src.length).fill(-7);
        NativeScan.compile(sels)!.classifyBatch(src, dst, out, src.length);
        const want = Int32Array.from(src, (s, i) => referenceClassify(sels, s, dst[i]!));
        expect([w, n, out]).toEqual([w, n, want]);
      }
    }
    const out = new Int32Array(2).fill(5);
    NativeScan.compile([])!.classifyBatch(new Uint32Array([1, 2]), new Uint32Array([3, 4]), out, 2);
    expect([...out]).toEqual([-1, -1]);
  });

  it('answers only the first n pairs (clamped to the arrays)', () => {
    const sels = workloadSelectors('random', 1, 10);
    const { src, dst } = selectorProbes(1, sels, 8);
    const out = new Int32Array(8).fill(-9);
    NativeScan.compile(sels)!.classifyBatch(src, dst, out, 3);
    expect([...out.subarray(3)]).toEqual([-9, -9, -9, -9, -9]);
    NativeScan.compile(sels)!.classifyBatch(src, dst, out, 100);
    expect(out.includes(-9)).toBe(false);
  });

  it('refuses misuse with a TypeError, never a crash', () => {
    const addon = nativeAddon as unknown as { scanBatch: (...a: unknown[]) => void };
    const u = new Uint32Array(4);
    const cases: unknown[][] = [
      [],
      [u, u, u, u, u, u, new Uint32Array(4), 4],
      [u, u, u, new Uint32Array(3), u, u, new Int32Array(4), 4],
      [u, u, u, u, u, u, new Int32Array(4), 5],
      [u, u, u, u, new Uint8Array(4), u, new Int32Array(4), 4],
      [u, u, u, u, u, u, new Int32Array(4), 'x'],
    ];
    for (const args of cases) expect(() => addon.scanBatch(...args)).toThrow(TypeError);
  });
});
