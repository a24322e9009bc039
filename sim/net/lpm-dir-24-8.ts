/**
 * The 'dir-24-8' LPM strategy: a flat 2^24-entry first level, one load for nearly every
 * address. The LPM table's default for big (BGP-sized) tables (lpm.ts).
 */
import { advance, cutBlocks } from './intervals.js';
import type { IntervalTable } from './intervals.js';

/**
 * DIR-24-8 for big tables (hundreds of thousands of routes): `l1[a >>> 8]` is the answer
 * (>= -1) or `-2 - c` naming a 256-entry chunk of `l2` indexed by the address's low byte,
 * exact for every address. One load for nearly every address (only /24 blocks cut by a
 * longer prefix have a chunk), no data-dependent branch or search, so the loads of
 * independent lookups overlap in the CPU and the table's cache and TLB misses are paid in
 * parallel rather than one after another as in a search. Costs a flat 64 MiB + 1 KiB per
 * cut /24 block, hence only for big tables.
 */
export interface Dir24Table {
  readonly l1: Int32Array;
  readonly l2: Int32Array;
}

/**
 * Build a DIR-24-8 table answering exactly what `findInterval` + `values` answer.
 * `chunks` is `cutBlocks24(t)`, passed in when the caller has counted it already.
 */
export function buildDir24Table(t: IntervalTable, chunks = cutBlocks24(t)): Dir24Table {
  const starts = t.starts;
  const values = t.values;
  const n = starts.length;
  const l1 = new Int32Array(1 << 24);
  // Whole /24 blocks first: interval i covers the blocks from ceil(start/256) to
  // floor(end/256); its partial blocks at either end are cut and get a chunk below.
  // A block is cut when an interval starts inside it (not at its base).
  for (let i = 0; i < n; i++) {
    const s = starts[i]!;
    const e = i + 1 < n ? starts[i + 1]! : 2 ** 32;
    const b0 = Math.ceil(s / 256);
    const b1 = Math.floor(e / 256);
    if (b0 < b1) l1.fill(values[i]!, b0, b1);
  }
  const l2 = new Int32Array(chunks * 256);
  let c = 0;
  let last = -1;
  for (let i = 1; i < n; i++) {
    const s = starts[i]!;
    if ((s & 255) === 0 || s >>> 8 === last) continue;
    // First interval starting inside block b (starts[0] = 0, so i >= 1): the block's
    // entries come from interval i - 1, which covers the block's base, and the following
    // intervals that start in it.
    const b = s >>> 8;
    last = b;
    const base = b * 256;
    let iv = i - 1;
    for (let j = 0; j < 256; j++) {
      iv = advance(starts, iv, base + j);
      l2[c * 256 + j] = values[iv]!;
    }
    l1[b] = -2 - c;
    c++;
  }
  return { l1, l2 };
}

/** Bytes of a DIR-24-8 table's arrays. */
export function dir24TableBytes(d: Dir24Table): number {
  return d.l1.byteLength + d.l2.byteLength;
}

/** Value of a DIR-24-8 table at address `a` (uint32). Allocation-free. */
export function dir24Lookup(d: Dir24Table, a: number): number {
  const v = d.l1[a >>> 8]!;
  return v >= -1 ? v : d.l2[(-2 - v) * 256 + (a & 255)]!;
}

/**
 * `out[i] = dir24Lookup(d, addrs[i])` for i < m, eight addresses per iteration: the eight
 * level-1 loads depend on nothing but the addresses, so their cache and TLB misses overlap.
 * The chunk branch is rarely taken (well predicted), so it does not cut that overlap short.
 */
export function dir24LookupBatch(d: Dir24Table, addrs: Uint32Array, out: Int32Array, m: number): void {
  const l1 = d.l1;
  const l2 = d.l2;
  let i = 0;
  for (; i + 8 <= m; i += 8) {
    const a0 = addrs[i]!;
    const a1 = addrs[i + 1]!;
    const a2 = addrs[i + 2]!;
    const a3 = addrs[i + 3]!;
    const a4 = addrs[i + 4]!;
    const a5 = addrs[i + 5]!;
    const a6 = addrs[i + 6]!;
    const a7 = addrs[i + 7]!;
    let v0 = l1[a0 >>> 8]!;
    let v1 = l1[a1 >>> 8]!;
    let v2 = l1[a2 >>> 8]!;
    let v3 = l1[a3 >>> 8]!;
    let v4 = l1[a4 >>> 8]!;
    let v5 = l1[a5 >>> 8]!;
    let v6 = l1[a6 >>> 8]!;
    let v7 = l1[a7 >>> 8]!;
    if (v0 < -1) v0 = l2[(-2 - v0) * 256 + (a0 & 255)]!;
    if (v1 < -1) v1 = l2[(-2 - v1) * 256 + (a1 & 255)]!;
    if (v2 < -1) v2 = l2[(-2 - v2) * 256 + (a2 & 255)]!;
    if (v3 < -1) v3 = l2[(-2 - v3) * 256 + (a3 & 255)]!;
    if (v4 < -1) v4 = l2[(-2 - v4) * 256 + (a4 & 255)]!;
    if (v5 < -1) v5 = l2[(-2 - v5) * 256 + (a5 & 255)]!;
    if (v6 < -1) v6 = l2[(-2 - v6) * 256 + (a6 & 255)]!;
    if (v7 < -1) v7 = l2[(-2 - v7) * 256 + (a7 & 255)]!;
    out[i] = v0;
    out[i + 1] = v1;
    out[i + 2] = v2;
    out[i + 3] = v3;
    out[i + 4] = v4;
    out[i + 5] = v5;
    out[i + 6] = v6;
    out[i + 7] = v7;
  }
  for (; i < m; i++) out[i] = dir24Lookup(d, addrs[i]!);
}


/** Number of /24 blocks an interval starts inside of (DIR-24-8's level-2 chunks). */
export function cutBlocks24(t: IntervalTable): number {
  return cutBlocks(t.starts).cut24;
}
