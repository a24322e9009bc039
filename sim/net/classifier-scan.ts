/**
 * The 'scan' selector classifier: a linear first-match scan over typed arrays of
 * (network, mask) pairs. Chosen by the cost model (classifier.ts) for short lists, where it
 * beats the tables; the benchmark's TypeScript scan too.
 */
import { maskOfLen } from './intervals.js';

/** (network, mask) of each selector's source and destination, in list order. */
export interface ScanTables {
  readonly srcNet: Uint32Array;
  readonly srcMask: Uint32Array;
  readonly dstNet: Uint32Array;
  readonly dstMask: Uint32Array;
}

/** Scan tables over masked selector columns (see classifier.ts's `selectorColumns`). */
export function buildScan(sa: Uint32Array, sl: Uint8Array, da: Uint32Array, dl: Uint8Array): ScanTables {
  const n = sa.length;
  const t = { srcNet: new Uint32Array(n), srcMask: new Uint32Array(n), dstNet: new Uint32Array(n), dstMask: new Uint32Array(n) };
  for (let i = 0; i < n; i++) {
    t.srcNet[i] = sa[i]!;
    t.srcMask[i] = maskOfLen(sl[i]!);
    t.dstNet[i] = da[i]!;
    t.dstMask[i] = maskOfLen(dl[i]!);
  }
  return t;
}

/** Bytes of the scan tables' arrays. */
export function scanBytes(t: ScanTables): number {
  return t.srcNet.byteLength + t.srcMask.byteLength + t.dstNet.byteLength + t.dstMask.byteLength;
}

/** Index of the first selector containing (s, d), or -1. Allocation-free. */
export function scanClassify(t: ScanTables, s: number, d: number): number {
  const sn = t.srcNet;
  const sm = t.srcMask;
  const dn = t.dstNet;
  const dm = t.dstMask;
  const n = sn.length;
  for (let i = 0; i < n; i++) {
    if (((s ^ sn[i]!) & sm[i]!) === 0 && ((d ^ dn[i]!) & dm[i]!) === 0) return i;
  }
  return -1;
}
