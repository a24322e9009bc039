/**
 * The compiled longest-prefix-match table.
 *
 * Owns: turning an ordered list of `(addr, len)` routes into an immutable flattened range
 * table, and answering "which route wins for this address" without allocating. The answer
 * is the index of the route in the list it was compiled from (longest length wins; among
 * equal prefixes the lowest index wins, so list order expresses preference), or -1.
 *
 * Rejects: route lengths that are not integers 0-32 (a programming error upstream: the
 * scenario layer validates prefixes first), by throwing a RangeError from `compile`.
 * Host bits in a route's address are ignored (the route means `addr & mask`), the same way
 * the reference implementation in lpm-reference.ts reads it. `lookup` itself is total.
 *
 * Layout: the 2^32 address space is cut into disjoint intervals where the winning route is
 * constant (adjacent intervals with the same winner are merged). `starts` holds the
 * interval starts (ascending, starts[0] = 0), `results` the winner of each interval. A
 * first-level index on the top `indexBits` bits of the address narrows the binary search to
 * the few intervals that touch that slice; its size grows with the table (2^1..2^20
 * entries), so a table of tens of routes stays a few hundred bytes ('range-table').
 * From DIR_MIN_ROUTES routes on, a DIR-16-8 table built from the same intervals answers
 * most addresses with two array loads ('dir-16-8', see buildDirTable); when that table
 * would need more than DIR_MAX_CHUNKS level-2 chunks, a compact per-/16 block search
 * ('dir-16-search', see buildBlockTable) keeps mid-size tables small; from
 * DIR24_MIN_INTERVALS intervals on (big, BGP-sized tables) a flat DIR-24-8 table
 * ('dir-24-8', see buildDir24Table: 64 MiB, one load per address, no search) is the
 * default, since every compact structure is bound by cache and TLB misses that its search
 * serialises. The range table with its 2^20-slot index is kept for big tables DIR-24-8
 * cannot serve cheaply (more than DIR24_MAX_CHUNKS cut /24 blocks). The strategy is chosen
 * at compile time (the threshold is an option) and visible as `strategy`.
 */

/** One route as the LPM table sees it: a prefix. Payload lives elsewhere, by index. */
export interface LpmRoute {
  readonly addr: number;
  readonly len: number;
}

/**
 * A flattened, first-level-indexed interval table: shared by the LPM table and the selector
 * classifier (one per dimension). `values[i]` belongs to addresses in
 * `[starts[i], starts[i+1])`; `index[b]` is the interval holding address `b << shift`.
 */
export interface IntervalTable {
  readonly starts: Uint32Array;
  readonly values: Int32Array;
  readonly index: Uint32Array;
  readonly shift: number;
}

/** Growable int list used at compile time only (never in lookups). */
class IntList {
  buf: Float64Array;
  n = 0;
  constructor(cap: number) {
    this.buf = new Float64Array(Math.max(4, cap));
  }
  push(v: number): void {
    if (this.n === this.buf.length) {
      const b = new Float64Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
    }
    this.buf[this.n++] = v;
  }
}

/**
 * The interval holding `addr`, searching forward from interval `iv` (which must start at
 * or before `addr`): the builders visit addresses in ascending order, so the walk over all
 * blocks is linear in the number of intervals.
 */
function advance(starts: Uint32Array, iv: number, addr: number): number {
  while (iv + 1 < starts.length && starts[iv + 1]! <= addr) iv++;
  return iv;
}

/** Does interval `iv` run on to at least `end` (no other interval starts before it)? */
function wholeTo(starts: Uint32Array, iv: number, end: number): boolean {
  return iv + 1 >= starts.length || starts[iv + 1]! >= end;
}

/**
 * Walk the 65,536 /16 blocks of an interval table in address order, the first level of the
 * DIR-16 tables: a block inside one interval gets that interval's value in `l1`; a block
 * that interval starts cut gets -2 - k, where k counts the cut blocks from 0, after
 * `onCut(base, iv, k)` (base: the block's first address, iv: the interval holding it).
 * Returns the number of cut blocks. Build time only.
 */
function walkBlocks16(t: IntervalTable, l1: Int32Array | null, onCut: (base: number, iv: number, k: number) => void): number {
  const starts = t.starts;
  let cut = 0;
  let iv = 0;
  for (let b = 0; b < 1 << 16; b++) {
    const base = b * 65536;
    iv = advance(starts, iv, base);
    if (wholeTo(starts, iv, base + 65536)) {
      if (l1) l1[b] = t.values[iv]!;
      continue;
    }
    onCut(base, iv, cut);
    if (l1) l1[b] = -2 - cut;
    cut++;
  }
  return cut;
}

/**
 * Build an interval table from interval starts (ascending, first = 0) and their values.
 * Adjacent intervals with equal values must already be merged by the caller (not required
 * for correctness, only for size).
 */
export function buildIntervalTable(startsIn: ArrayLike<number>, valuesIn: ArrayLike<number>, n: number): IntervalTable {
  const starts = new Uint32Array(n);
  const values = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    starts[i] = startsIn[i]! >>> 0;
    values[i] = valuesIn[i]! | 0;
  }
  // About one interval per index slot; at least 1 bit so the shift stays < 32.
  let bits = 1;
  while (bits < 20 && 1 << bits < n) bits++;
  const shift = 32 - bits;
  const slots = 1 << bits;
  const index = new Uint32Array(slots + 1);
  let iv = 0;
  for (let b = 0; b < slots; b++) {
    const base = b * 2 ** shift;
    iv = advance(starts, iv, base);
    index[b] = iv;
  }
  index[slots] = n - 1;
  return { starts, values, index, shift };
}

/** Position of the interval holding `addr` (a uint32). Allocation-free. */
export function findInterval(t: IntervalTable, addr: number): number {
  const starts = t.starts;
  const b = addr >>> t.shift;
  let lo = t.index[b]!;
  let hi = t.index[b + 1]!;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= addr) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Byte size of an interval table's arrays. */
export function intervalTableBytes(t: IntervalTable): number {
  return t.starts.byteLength + t.values.byteLength + t.index.byteLength;
}

/** Throw a RangeError for a malformed route length (compile time only). */
export function checkLen(len: number, what: string, i: number): void {
  if (!Number.isInteger(len) || len < 0 || len > 32) {
    throw new RangeError(`${what} ${i}: prefix length ${String(len)} is not an integer 0-32`);
  }
}

/** Masked network address of `(addr, len)` as uint32. */
function net(addr: number, len: number): number {
  return len === 0 ? 0 : (addr & ((0xffffffff << (32 - len)) >>> 0)) >>> 0;
}

/**
 * Sweep nested-or-disjoint prefixes (sorted by address ascending, then length ascending)
 * into disjoint intervals, calling `emit(start, top)` where `top` is the position (in
 * sorted order) of the innermost prefix holding the interval, or -1. Consecutive emits
 * may carry the same `top` when an inner prefix ends and the outer one resumes; callers
 * merge as they see fit. Start of the first interval is always 0.
 */
export function sweepPrefixes(
  count: number,
  addrOf: (k: number) => number,
  lenOf: (k: number) => number,
  emit: (start: number, top: number, depth: number) => void,
  push?: (k: number, depth: number) => void,
): void {
  const stack = new Int32Array(34);
  const stackEnd = new Float64Array(34);
  let sp = 0;
  let cur = 0; // next address not yet emitted, as a float (can reach 2^32)
  for (let k = 0; k < count; k++) {
    const a = addrOf(k);
    while (sp > 0 && stackEnd[sp - 1]! <= a) {
      const end = stackEnd[sp - 1]!;
      if (cur < end) {
        emit(cur, stack[sp - 1]!, sp);
        cur = end;
      }
      sp--;
    }
    if (cur < a) {
      emit(cur, sp > 0 ? stack[sp - 1]! : -1, sp);
      cur = a;
    }
    stack[sp] = k;
    stackEnd[sp] = a + 2 ** (32 - lenOf(k)); // exclusive end
    sp++;
    if (push !== undefined) push(k, sp);
  }
  while (sp > 0) {
    const end = stackEnd[sp - 1]!;
    if (cur < end) {
      emit(cur, stack[sp - 1]!, sp);
      cur = end;
    }
    sp--;
  }
  if (cur < 2 ** 32) emit(cur, -1, 0);
}

/**
 * Sort route positions by (masked address, length, original index) and drop duplicates of
 * the same prefix, keeping the lowest index. Returns the kept positions in sorted order.
 */
export function sortUniquePrefixes(addrs: Uint32Array, lens: Uint8Array): Int32Array {
  const n = addrs.length;
  // Key = addr * 64 + len fits in 38 bits; sort positions by key then position.
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = addrs[i]! * 64 + lens[i]!;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => keys[x]! - keys[y]! || x - y);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const p = order[i]!;
    if (m > 0 && keys[order[m - 1]!] === keys[p]) continue;
    order[m++] = p;
  }
  return order.slice(0, m);
}

/**
 * A two-level multibit table (DIR-16-8) over an interval table, exact for every address:
 * `l1[a >>> 16]` is either the answer (>= -1) or `-2 - c` naming a 256-entry chunk of `l2`
 * indexed by bits 15..8; an `l2` entry is either the answer or `-2 - k` naming a span
 * `[spanLo[k], spanHi[k]]` of intervals of the /24 block, binary-searched in `starts`.
 * Most random addresses end at level 1 or 2 (two loads); only /24 blocks cut by longer
 * prefixes pay the search, so memory stays 256 KiB + 1 KiB per /16 block that is cut
 * + 8 bytes per /24 block that is cut, never the 64 MiB of a flat DIR-24.
 */
export interface DirTable {
  readonly l1: Int32Array;
  readonly l2: Int32Array;
  readonly spanLo: Uint32Array;
  readonly spanHi: Uint32Array;
  readonly starts: Uint32Array;
  readonly values: Int32Array;
}

function grow<T extends Int32Array | Uint32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as { new (n: number): T })(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** Build a DIR-16-8 table answering exactly what `findInterval` + `values` answer. */
export function buildDirTable(t: IntervalTable): DirTable {
  const starts = t.starts;
  const values = t.values;
  const n = starts.length;
  const l1 = new Int32Array(1 << 16);
  let l2 = new Int32Array(256 * 16);
  let spanLo = new Uint32Array(64);
  let spanHi = new Uint32Array(64);
  let spans = 0;
  const chunks = walkBlocks16(t, l1, (base, first, c) => {
    l2 = grow(l2, (c + 1) * 256);
    let iv = first;
    for (let j = 0; j < 256; j++) {
      const base2 = base + j * 256;
      iv = advance(starts, iv, base2);
      if (wholeTo(starts, iv, base2 + 256)) {
        l2[c * 256 + j] = values[iv]!;
        continue;
      }
      let hi = iv;
      while (hi + 1 < n && starts[hi + 1]! < base2 + 256) hi++;
      const k = spans++;
      spanLo = grow(spanLo, spans);
      spanHi = grow(spanHi, spans);
      spanLo[k] = iv;
      spanHi[k] = hi;
      l2[c * 256 + j] = -2 - k;
    }
  });
  return {
    l1,
    l2: l2.slice(0, chunks * 256),
    spanLo: spanLo.slice(0, spans),
    spanHi: spanHi.slice(0, spans),
    starts,
    values,
  };
}

/** Bytes of a DIR table's own arrays plus the interval arrays it searches. */
export function dirTableBytes(d: DirTable): number {
  return d.l1.byteLength + d.l2.byteLength + d.spanLo.byteLength + d.spanHi.byteLength + d.starts.byteLength + d.values.byteLength;
}

/** The value at `a` of a DIR table whose level-2 entry `v` (< -1) names a span. */
function dirSpan(d: DirTable, v: number, a: number): number {
  const k = -2 - v;
  const starts = d.starts;
  let lo = d.spanLo[k]!;
  let hi = d.spanHi[k]!;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= a) lo = mid;
    else hi = mid - 1;
  }
  return d.values[lo]!;
}

/** Value of a DIR table at address `a` (uint32). Allocation-free. */
export function dirLookup(d: DirTable, a: number): number {
  let v = d.l1[a >>> 16]!;
  if (v < -1) {
    v = d.l2[((-2 - v) << 8) | ((a >>> 8) & 255)]!;
    if (v < -1) v = dirSpan(d, v, a);
  }
  return v;
}

/**
 * `out[i] = dirLookup(d, addrs[i])` for i < m, four addresses per iteration: the four
 * level-1 loads are independent, so the CPU overlaps their cache misses.
 */
export function dirLookupBatch(d: DirTable, addrs: Uint32Array, out: Int32Array, m: number): void {
  const l1 = d.l1;
  const l2 = d.l2;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = addrs[i]!;
    const a1 = addrs[i + 1]!;
    const a2 = addrs[i + 2]!;
    const a3 = addrs[i + 3]!;
    let v0 = l1[a0 >>> 16]!;
    let v1 = l1[a1 >>> 16]!;
    let v2 = l1[a2 >>> 16]!;
    let v3 = l1[a3 >>> 16]!;
    if (v0 < -1) { v0 = l2[((-2 - v0) << 8) | ((a0 >>> 8) & 255)]!; if (v0 < -1) v0 = dirSpan(d, v0, a0); }
    if (v1 < -1) { v1 = l2[((-2 - v1) << 8) | ((a1 >>> 8) & 255)]!; if (v1 < -1) v1 = dirSpan(d, v1, a1); }
    if (v2 < -1) { v2 = l2[((-2 - v2) << 8) | ((a2 >>> 8) & 255)]!; if (v2 < -1) v2 = dirSpan(d, v2, a2); }
    if (v3 < -1) { v3 = l2[((-2 - v3) << 8) | ((a3 >>> 8) & 255)]!; if (v3 < -1) v3 = dirSpan(d, v3, a3); }
    out[i] = v0;
    out[i + 1] = v1;
    out[i + 2] = v2;
    out[i + 3] = v3;
  }
  for (; i < m; i++) out[i] = dirLookup(d, addrs[i]!);
}

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

/** Lookup structure of an LpmTable (visible for tests and benchmarks). */
export type LpmStrategy = 'range-table' | 'dir-16-8' | 'dir-16-search' | 'dir-24-8';

/** Compile options of an LpmTable; the default picks the strategy from the table size. */
export interface LpmOptions {
  readonly strategy?: LpmStrategy;
  /**
   * From this many intervals on, the default strategy is 'dir-24-8' (default
   * DIR24_MIN_INTERVALS); lets tests reach the big-table choice with a small table.
   */
  readonly dir24MinIntervals?: number;
}

/**
 * Below this many routes the default is the range table (a few hundred bytes, one short
 * binary search); from here on the DIR-16-8 table (256 KiB and up, two loads).
 */
export const DIR_MIN_ROUTES = 64;

/**
 * DIR-16-8 is the default while its level-2 chunks (1 KiB per /16 block cut by a
 * prefix) stay within this many; beyond, they would spill out of cache and the compact
 * 'dir-16-search' table (6 bytes per interval) is faster or close at a tenth of the memory.
 */
export const DIR_MAX_CHUNKS = 2048;

/**
 * Above this many intervals (about 150,000 BGP-like routes) the range table's first-level
 * index has 2^20 slots, about one interval each: one index load and one or two compares,
 * which measured faster than DIR-16-8 and dir-16-search at 500,000 routes (whose blocks
 * need a longer search, or 64 MiB of chunks). Such tables normally go to DIR-24-8 (checked
 * first); the range table serves the ones DIR-24-8 would need too many chunks for.
 */
export const RANGE_MIN_INTERVALS = 1 << 18;

/**
 * From this many intervals on (about 65,000 BGP-like routes) the default is DIR-24-8: its
 * flat 64 MiB answer nearly every address in one load with no search, and with the batch
 * loop's independent loads it measured 1.4x the range table at 100,000 routes and 2-3x at
 * 500,000, where the compact structures' searches serialise their cache misses behind
 * mispredicted branches. Below, the compact structures are as fast or faster in far less
 * memory.
 */
export const DIR24_MIN_INTERVALS = 1 << 17;

/** DIR-24-8 is never the default past this many cut /24 blocks (1 KiB of chunk each). */
export const DIR24_MAX_CHUNKS = 1 << 16;

/** The default strategy for `t`, with DIR-24-8's chunk count when it was counted to choose (so the build need not count again). */
function defaultStrategy(routes: number, t: IntervalTable, options: LpmOptions): { strategy: LpmStrategy; cut24?: number } {
  if (routes < DIR_MIN_ROUTES) return { strategy: 'range-table' };
  const cut24 = t.starts.length >= (options.dir24MinIntervals ?? DIR24_MIN_INTERVALS) ? cutBlocks24(t) : undefined;
  if (cut24 !== undefined && cut24 <= DIR24_MAX_CHUNKS) return { strategy: 'dir-24-8', cut24 };
  if (t.starts.length >= RANGE_MIN_INTERVALS) return { strategy: 'range-table' };
  return { strategy: cutBlocks(t) <= DIR_MAX_CHUNKS ? 'dir-16-8' : 'dir-16-search' };
}

/** Number of /16 blocks holding more than one interval (DIR-16-8's level-2 chunks). */
export function cutBlocks(t: IntervalTable): number {
  return walkBlocks16(t, null, () => undefined);
}

/** Number of /24 blocks an interval starts inside of (DIR-24-8's level-2 chunks). */
export function cutBlocks24(t: IntervalTable): number {
  const starts = t.starts;
  let cut = 0;
  let last = -1;
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i]!;
    if ((s & 255) !== 0 && s >>> 8 !== last) {
      last = s >>> 8;
      cut++;
    }
  }
  return cut;
}

/**
 * Immutable compiled LPM table. `lookup` returns the same answer as `referenceLookup`
 * in lpm-reference.ts and allocates nothing.
 */
export class LpmTable {
  /** Number of routes the table was compiled from (duplicates included). */
  declare readonly size: number;
  /** Bytes held by the table's typed arrays. */
  declare readonly memoryBytes: number;
  /** Which lookup structure was built; for tests and benchmarks. */
  declare readonly strategy: LpmStrategy;
  private declare readonly starts: Uint32Array;
  private declare readonly results: Int32Array;
  private declare readonly index: Uint32Array;
  private declare readonly shift: number;
  private declare readonly dir: DirTable | null;
  private declare readonly block: BlockTable | null;
  private declare readonly dir24: Dir24Table | null;

  /** `cut24`: `cutBlocks24(t)` when already counted (DIR-24-8 only). */
  private constructor(size: number, t: IntervalTable, strategy: LpmStrategy, cut24?: number) {
    this.size = size;
    this.strategy = strategy;
    this.starts = t.starts;
    this.results = t.values;
    this.index = t.index;
    this.shift = t.shift;
    this.dir = strategy === 'dir-16-8' ? buildDirTable(t) : null;
    this.block = strategy === 'dir-16-search' ? buildBlockTable(t) : null;
    this.dir24 = strategy === 'dir-24-8' ? buildDir24Table(t, cut24) : null;
    if (this.dir !== null || this.block !== null || this.dir24 !== null) {
      // These tables answer alone: drop the interval arrays (DIR-16-8 keeps the starts and
      // values it searches in `dir`; none reads the first-level index).
      this.starts = new Uint32Array(0);
      this.results = new Int32Array(0);
      this.index = new Uint32Array(0);
    }
    this.memoryBytes =
      this.dir !== null ? dirTableBytes(this.dir)
      : this.block !== null ? blockTableBytes(this.block)
      : this.dir24 !== null ? dir24TableBytes(this.dir24)
      : intervalTableBytes(t);
  }

  /**
   * Compile routes into a table. Route `i` of the input is answered as `i`. Throws a
   * RangeError when a length is not an integer 0-32 (validated upstream).
   */
  static compile(routes: readonly LpmRoute[], options: LpmOptions = {}): LpmTable {
    const n = routes.length;
    const addrs = new Uint32Array(n);
    const lens = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const r = routes[i]!;
      checkLen(r.len, 'route', i);
      lens[i] = r.len;
      addrs[i] = net(r.addr, r.len);
    }
    const order = sortUniquePrefixes(addrs, lens);
    const starts = new IntList(order.length * 2 + 1);
    const vals = new IntList(order.length * 2 + 1);
    sweepPrefixes(
      order.length,
      (k) => addrs[order[k]!]!,
      (k) => lens[order[k]!]!,
      (start, top) => {
        const v = top < 0 ? -1 : order[top]!;
        if (vals.n > 0 && vals.buf[vals.n - 1] === v) return;
        starts.push(start);
        vals.push(v);
      },
    );
    const t = buildIntervalTable(starts.buf, vals.buf, starts.n);
    const chosen = options.strategy !== undefined ? { strategy: options.strategy } : defaultStrategy(n, t, options);
    return new LpmTable(n, t, chosen.strategy, chosen.cut24);
  }

  /** Index of the winning route for `addr` (uint32), or -1 when no route matches. */
  lookup(addr: number): number {
    const a = addr >>> 0;
    if (this.dir !== null) return dirLookup(this.dir, a);
    if (this.block !== null) return blockLookup(this.block, a);
    if (this.dir24 !== null) return dir24Lookup(this.dir24, a);
    const starts = this.starts;
    const b = a >>> this.shift;
    // Interval positions fit in 31 bits: `| 0` and `>> 1` keep the search in int32 (read
    // from a Uint32Array and halved with >>>, V8 would run it in doubles).
    let lo = this.index[b]! | 0;
    let hi = this.index[b + 1]! | 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= a) lo = mid;
      else hi = mid - 1;
    }
    return this.results[lo]!;
  }

  /** `out[i] = lookup(addrs[i])` for `i < n` (n is clamped to both arrays' lengths). */
  lookupBatch(addrs: Uint32Array, out: Int32Array, n: number): void {
    const m = Math.min(n, addrs.length, out.length);
    if (this.dir24 !== null) {
      dir24LookupBatch(this.dir24, addrs, out, m);
      return;
    }
    if (this.dir !== null) {
      dirLookupBatch(this.dir, addrs, out, m);
      return;
    }
    if (this.block !== null) {
      const t = this.block;
      for (let i = 0; i < m; i++) out[i] = blockLookup(t, addrs[i]!);
      return;
    }
    const starts = this.starts;
    const index = this.index;
    const results = this.results;
    const shift = this.shift;
    for (let i = 0; i < m; i++) {
      const a = addrs[i]!;
      const b = a >>> shift;
      let lo = index[b]!;
      let hi = index[b + 1]!;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (starts[mid]! <= a) lo = mid;
        else hi = mid - 1;
      }
      out[i] = results[lo]!;
    }
  }
}
