/**
 * Sorting a queue region of the dispatcher's slots by batch index, for the ordered nodes
 * (graph.ts): mark each index, then walk the marks from the lowest index to the highest,
 * writing each index and moving on past the marked ones only. No branch depends on the
 * marks: the list interleaves runs that several nodes queued, which a compare-based merge
 * mispredicts.
 *
 * The sort runs once per ordered node visit over most of a batch, and V8 re-checks a
 * typed array's map and reloads its data pointer for every element when the array is an
 * ordinary value: several times the instructions of the loop itself. So each dispatcher
 * gets its own copy of the loop, made from fixed text by `functionFromText`
 * (sim/net/code-from-text.ts, which says why), over its slots and marks as constants,
 * as the per-table LPM loops are (sim/net/lpm-specialise.ts). Where code cannot be made
 * from text the plain function below does the same work.
 */
import { functionFromText } from '../net/code-from-text.js';

/** Sort `slots[from .. from+n)` (distinct batch indices below the marks' length) ascending. */
export type RegionSort = (from: number, n: number) => void;

/** The loop for one dispatcher: `slots` and `mark` are `const` bindings, constants to the JIT. */
const TEMPLATE = `'use strict';
const S = slots;
const M = mark;
return function sortRegion(from, n) {
  let lo = 0x7fffffff;
  let hi = -1;
  const end = from + n;
  for (let k = from; k < end; k++) {
    const i = S[k];
    M[i] = 1;
    lo = Math.min(lo, i);
    hi = Math.max(hi, i);
  }
  let m = from;
  for (let i = lo; i <= hi; i++) {
    S[m] = i;
    m += M[i];
    M[i] = 0;
  }
};
`;

/** The region sort over `slots` with `mark` (all 0, one per batch index) as scratch. */
export function regionSort(slots: Int32Array, mark: Uint8Array): RegionSort {
  const make = functionFromText<(slots: Int32Array, mark: Uint8Array) => RegionSort>('region-sort', ['slots', 'mark'], TEMPLATE);
  return make !== null ? make(slots, mark) : (from, n) => plainSort(slots, mark, from, n);
}

/** The template's loop as plain code. */
function plainSort(slots: Int32Array, mark: Uint8Array, from: number, n: number): void {
  let lo = 0x7fffffff;
  let hi = -1;
  const end = from + n;
  for (let k = from; k < end; k++) {
    const i = slots[k]!;
    mark[i] = 1;
    lo = Math.min(lo, i);
    hi = Math.max(hi, i);
  }
  // slots[m] is written before m moves on, so the last write is the highest index, at from + n - 1.
  let m = from;
  for (let i = lo; i <= hi; i++) {
    slots[m] = i;
    m += mark[i]!;
    mark[i] = 0;
  }
}
