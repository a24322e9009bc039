/**
 * The 'dir-16-search' LPM strategy: per /16 block, a short sorted run of 16-bit keys,
 * searched without branches. The LPM table's default for mid-size tables whose DIR-16-8
 * chunks would spill out of cache (lpm.ts).
 */
import { walkBlocks16 } from './intervals.js';
import type { IntervalTable } from './intervals.js';

/**
 * A compact variant for big tables (hundreds of thousands of routes), where DIR-16-8's
 * 1 KiB chunk per /16 block adds up to tens of MiB and every lookup misses cache and TLB:
 * `l1[a >>> 16]` is the answer or `-2 - k` naming block k, whose intervals are
 * `keys/vals[blockStart[k] .. blockStart[k+1])` with 16-bit keys (the start's low bits;
 * the first key is 0: the interval covering the block's base). A lookup binary-searches
 * a block's keys, which sit in one or two cache lines: 6 bytes per interval in total.
 */
export interface BlockTable {
  readonly l1: Int32Array;
  readonly blockStart: Uint32Array;
  readonly keys: Uint16Array;
  readonly vals: Int32Array;
}

/** Build a BlockTable answering exactly what `findInterval` + `values` answer. */
export function buildBlockTable(t: IntervalTable): BlockTable {
  const starts = t.starts;
  const values = t.values;
  const n = starts.length;
  const l1 = new Int32Array(1 << 16);
  const blockStart = new Uint32Array((1 << 16) + 1);
  const keys = new Uint16Array(n + (1 << 16));
  const vals = new Int32Array(n + (1 << 16));
  let m = 0;
  const blocks = walkBlocks16(t, l1, (base, iv, k) => {
    blockStart[k] = m;
    keys[m] = 0;
    vals[m++] = values[iv]!;
    for (let j = iv + 1; j < n && starts[j]! < base + 65536; j++) {
      keys[m] = starts[j]! - base;
      vals[m++] = values[j]!;
    }
  });
  blockStart[blocks] = m;
  return { l1, blockStart: blockStart.slice(0, blocks + 1), keys: keys.slice(0, m), vals: vals.slice(0, m) };
}

/** Bytes of a BlockTable's arrays. */
export function blockTableBytes(t: BlockTable): number {
  return t.l1.byteLength + t.blockStart.byteLength + t.keys.byteLength + t.vals.byteLength;
}

/** Value of a BlockTable at address `a` (uint32). Allocation-free. */
export function blockLookup(t: BlockTable, a: number): number {
  const v = t.l1[a >>> 16]!;
  if (v >= -1) return v;
  const k = -2 - v;
  const keys = t.keys;
  const key = a & 0xffff;
  let lo = t.blockStart[k]!;
  let len = t.blockStart[k + 1]! - lo;
  // Branch-free halving (the compare becomes a conditional move): a block's keys are
  // random, so a branchy search would mispredict about half its steps.
  while (len > 1) {
    const half = len >>> 1;
    lo = keys[lo + half]! <= key ? lo + half : lo;
    len -= half;
  }
  return t.vals[lo]!;
}

/** `out[i] = blockLookup(t, addrs[i])` for i < m. */
export function blockLookupBatch(t: BlockTable, addrs: Uint32Array, out: Int32Array, m: number): void {
  for (let i = 0; i < m; i++) out[i] = blockLookup(t, addrs[i]!);
}
