/**
 * The 'range-table' LPM strategy: the interval table itself (intervals.ts), its
 * first-level index narrowing the search to the few intervals of the address's slice.
 * The LPM table's default for small tables (a few hundred bytes: the routing tables of
 * scenarios, looked up several times per forwarded packet) and for the biggest ones
 * DIR-24-8 cannot serve cheaply, where the index has 2^20 slots (lpm.ts).
 *
 * When no index slot spans more than SHORT_SPAN intervals past its first (every table of
 * a scenario but the most crowded), a lookup is four fixed halving steps from the slot's
 * first interval, each a compare and a select that V8 compiles without a branch: no loop,
 * and nothing for the branch predictor to miss on mixed traffic. The arrays carry
 * SHORT_SPAN padding entries past the end for the steps to read. Other tables take a
 * binary search between the slot's bounds.
 */
import type { IntervalTable } from './intervals.js';

/** The widest index slot (in intervals past its first) the four fixed steps cover: 8 + 4 + 2 + 1. */
const SHORT_SPAN = 15;

/** An interval table as the range-table strategy searches it. */
export interface RangeTable {
  /**
   * The interval starts, then SHORT_SPAN entries of 0xffffffff (above every address but
   * the last, whose interval is the last one anyway). `starts.length` is not the interval count.
   */
  readonly starts: Uint32Array;
  /** The interval values, then SHORT_SPAN copies of the last one. */
  readonly values: Int32Array;
  readonly index: Uint32Array;
  readonly shift: number;
  /** Every index slot spans at most SHORT_SPAN intervals past its first: the fixed steps find them. */
  readonly short: boolean;
}

/** The range table of `t` (its index shared, its starts and values copied with the padding). */
export function buildRangeTable(t: IntervalTable): RangeTable {
  const n = t.starts.length;
  const starts = new Uint32Array(n + SHORT_SPAN).fill(0xffffffff);
  starts.set(t.starts);
  const values = new Int32Array(n + SHORT_SPAN).fill(n > 0 ? t.values[n - 1]! : -1);
  values.set(t.values);
  let widest = 0;
  for (let b = 0; b + 1 < t.index.length; b++) widest = Math.max(widest, t.index[b + 1]! - t.index[b]!);
  return { starts, values, index: t.index, shift: t.shift, short: widest <= SHORT_SPAN };
}

/** Byte size of a range table's arrays. */
export function rangeTableBytes(t: RangeTable): number {
  return t.starts.byteLength + t.values.byteLength + t.index.byteLength;
}

/** Value of the interval holding `a` (uint32). Allocation-free. */
export function rangeTableLookup(t: RangeTable, a: number): number {
  const starts = t.starts;
  const b = a >>> t.shift;
  // Interval positions fit in 31 bits: `| 0` keeps the search in int32 (read from a
  // Uint32Array, V8 would run it in doubles).
  let lo = t.index[b]! | 0;
  // The search is out of line, so this stays small enough for V8 to inline into the
  // routing nodes' loops beside the rest of their work.
  if (!t.short) return t.values[searchSlot(t, a, lo, t.index[b + 1]! | 0)]!;
  // The last interval starting at or below `a` within lo..lo+15 (the slot's intervals).
  let m = lo + 8;
  lo = starts[m]! <= a ? m : lo;
  m = lo + 4;
  lo = starts[m]! <= a ? m : lo;
  m = lo + 2;
  lo = starts[m]! <= a ? m : lo;
  m = lo + 1;
  lo = starts[m]! <= a ? m : lo;
  return t.values[lo]!;
}

/** Position of the last interval in lo..hi starting at or below `a` (binary search). */
function searchSlot(t: RangeTable, a: number, lo: number, hi: number): number {
  const starts = t.starts;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= a) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** `out[i] = rangeTableLookup(t, addrs[i])` for i < m. */
export function rangeTableLookupBatch(t: RangeTable, addrs: Uint32Array, out: Int32Array, m: number): void {
  for (let i = 0; i < m; i++) out[i] = rangeTableLookup(t, addrs[i]!);
}
