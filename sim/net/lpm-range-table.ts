/**
 * The 'range-table' LPM strategy: the interval table itself (intervals.ts), its
 * first-level index narrowing a binary search to the few intervals of the address's slice.
 * The LPM table's default for small tables (a few hundred bytes) and for the biggest ones
 * DIR-24-8 cannot serve cheaply, where the index has 2^20 slots (lpm.ts).
 */
import type { IntervalTable } from './intervals.js';

/** Value of the interval holding `a` (uint32). Allocation-free. */
export function rangeTableLookup(t: IntervalTable, a: number): number {
  const starts = t.starts;
  const b = a >>> t.shift;
  // Interval positions fit in 31 bits: `| 0` and `>> 1` keep the search in int32 (read
  // from a Uint32Array and halved with >>>, V8 would run it in doubles).
  let lo = t.index[b]! | 0;
  let hi = t.index[b + 1]! | 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= a) lo = mid;
    else hi = mid - 1;
  }
  return t.values[lo]!;
}

/** `out[i] = rangeTableLookup(t, addrs[i])` for i < m. */
export function rangeTableLookupBatch(t: IntervalTable, addrs: Uint32Array, out: Int32Array, m: number): void {
  const starts = t.starts;
  const index = t.index;
  const results = t.values;
  const shift = t.shift;
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
