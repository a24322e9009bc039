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
 * entries), so a table of tens of routes stays a few hundred bytes.
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
    while (iv + 1 < n && starts[iv + 1]! <= base) iv++;
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
 * Immutable compiled LPM table. `lookup` returns the same answer as `referenceLookup`
 * in lpm-reference.ts and allocates nothing.
 */
export class LpmTable {
  /** Number of routes the table was compiled from (duplicates included). */
  readonly size: number;
  /** Bytes held by the table's typed arrays. */
  readonly memoryBytes: number;
  /** Which lookup structure was built; for tests and benchmarks. */
  readonly strategy: 'range-table' = 'range-table';
  private readonly starts: Uint32Array;
  private readonly results: Int32Array;
  private readonly index: Uint32Array;
  private readonly shift: number;

  private constructor(size: number, t: IntervalTable) {
    this.size = size;
    this.starts = t.starts;
    this.results = t.values;
    this.index = t.index;
    this.shift = t.shift;
    this.memoryBytes = intervalTableBytes(t);
  }

  /**
   * Compile routes into a table. Route `i` of the input is answered as `i`. Throws a
   * RangeError when a length is not an integer 0-32 (validated upstream).
   */
  static compile(routes: readonly LpmRoute[]): LpmTable {
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
    return new LpmTable(n, buildIntervalTable(starts.buf, vals.buf, starts.n));
  }

  /** Index of the winning route for `addr` (uint32), or -1 when no route matches. */
  lookup(addr: number): number {
    const a = addr >>> 0;
    const starts = this.starts;
    const b = a >>> this.shift;
    let lo = this.index[b]!;
    let hi = this.index[b + 1]!;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= a) lo = mid;
      else hi = mid - 1;
    }
    return this.results[lo]!;
  }

  /** `out[i] = lookup(addrs[i])` for `i < n` (n is clamped to both arrays' lengths). */
  lookupBatch(addrs: Uint32Array, out: Int32Array, n: number): void {
    const m = Math.min(n, addrs.length, out.length);
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
