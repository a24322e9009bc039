/**
 * Disjoint address intervals: the toolkit every compiled prefix structure is built from.
 *
 * Owns: sweeping a list of prefixes into the disjoint intervals of the 2^32 address space
 * where the innermost covering prefix is constant (`sweepPrefixes`, after
 * `sortUniquePrefixes`), the flattened interval table with a first-level index on the top
 * bits of the address (`IntervalTable`, searched by `findInterval`), and the walks over it
 * by /16 block the DIR tables are built from. The LPM strategies (lpm-*.ts) and the
 * classifier (classifier-split.ts, prefix-classes.ts) build on these; none of it is on a
 * hot path except `findInterval`, which allocates nothing.
 *
 * Rejects: prefix lengths that are not integers 0-32, with a RangeError from `checkLen`
 * (a programming error upstream: the scenario layer validates prefixes first).
 */

/**
 * A flattened, first-level-indexed interval table: the LPM table's range table and the
 * selector classifier's per-dimension classes are both one. `values[i]` belongs to addresses in
 * `[starts[i], starts[i+1])`; `index[b]` is the interval holding address `b << shift`.
 */
export interface IntervalTable {
  readonly starts: Uint32Array;
  readonly values: Int32Array;
  readonly index: Uint32Array;
  readonly shift: number;
}

/** Growable number list used at compile time only (never in lookups). */
export class IntList {
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
export function advance(starts: Uint32Array, iv: number, addr: number): number {
  while (iv + 1 < starts.length && starts[iv + 1]! <= addr) iv++;
  return iv;
}

/** Does interval `iv` run on to at least `end` (no other interval starts before it)? */
export function wholeTo(starts: Uint32Array, iv: number, end: number): boolean {
  return iv + 1 >= starts.length || starts[iv + 1]! >= end;
}

/**
 * How many /16 and how many /24 blocks some interval starts inside of: the level-2
 * chunks of the DIR tables and the class maps. `starts` ascending. Build time only.
 */
export function cutBlocks(starts: Uint32Array): { cut16: number; cut24: number } {
  let cut16 = 0;
  let cut24 = 0;
  let last16 = -1;
  let last24 = -1;
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i]!;
    if ((s & 0xffff) !== 0 && s >>> 16 !== last16) {
      last16 = s >>> 16;
      cut16++;
    }
    if ((s & 255) !== 0 && s >>> 8 !== last24) {
      last24 = s >>> 8;
      cut24++;
    }
  }
  return { cut16, cut24 };
}

/**
 * Walk the 65,536 /16 blocks of an interval table in address order, the first level of the
 * DIR-16 tables: a block inside one interval gets that interval's value in `l1`; a block
 * that interval starts cut gets -2 - k, where k counts the cut blocks from 0, after
 * `onCut(base, iv, k)` (base: the block's first address, iv: the interval holding it).
 * Returns the number of cut blocks. Build time only.
 */
export function walkBlocks16(t: IntervalTable, l1: Int32Array | null, onCut: (base: number, iv: number, k: number) => void): number {
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

/** Network mask of a prefix length as uint32 (0 → 0, 32 → 0xffffffff). */
export function maskOfLen(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** Masked network address of `(addr, len)` as uint32. */
export function networkOf(addr: number, len: number): number {
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
