/**
 * Equivalence classes of addresses in one dimension of a selector list: addresses inside
 * exactly the same set of the list's prefixes form one class (as in recursive flow
 * classification). A class keeps the sorted list of selectors whose prefix in that
 * dimension contains it, so "the first selector of source class a and destination class
 * b" is the first common entry of two sorted lists (`firstCommon`).
 *
 * Owns the build only (compile time, allocates freely). The split classifier
 * (classifier-split.ts) cross-products the classes of its wide selectors; the classes
 * strategy (classifier-classes.ts) cross-products the classes of the whole list.
 */
import { buildIntervalTable, sortUniquePrefixes, sweepPrefixes } from './intervals.js';
import type { IntervalTable } from './intervals.js';

/**
 * The distinct prefixes of one dimension in sweep order, and for each the selectors
 * (indices, ascending) that use it.
 */
export function groupByPrefix(addrs: Uint32Array, lens: Uint8Array): { order: Int32Array; members: number[][] } {
  const order = sortUniquePrefixes(addrs, lens);
  const idOf = new Map<number, number>();
  for (let k = 0; k < order.length; k++) idOf.set(addrs[order[k]!]! * 64 + lens[order[k]!]!, k);
  const members: number[][] = [];
  for (let k = 0; k < order.length; k++) members.push([]);
  for (let i = 0; i < addrs.length; i++) members[idOf.get(addrs[i]! * 64 + lens[i]!)!]!.push(i);
  return { order, members };
}

/** The classes of one dimension: address → class (an interval table), class → its selectors. */
export interface ClassDim {
  /** Address → class: the interval table's values are class numbers. */
  readonly table: IntervalTable;
  /** Selectors of class c: list[listStart[c] .. listStart[c+1]), ascending. */
  readonly listStart: Uint32Array;
  readonly list: Int32Array;
  readonly classes: number;
}

/**
 * The equivalence classes of one dimension: selector `i` has prefix `(addrs[i], lens[i])`
 * (masked); each class lists, ascending, the selectors whose prefix contains it.
 */
export function buildClassDim(addrs: Uint32Array, lens: Uint8Array): ClassDim {
  const { order, members } = groupByPrefix(addrs, lens);
  const m = order.length;
  const stack: number[] = [];
  const classOf = new Map<string, number>();
  const lists: number[][] = [];
  const starts: number[] = [];
  const vals: number[] = [];
  sweepPrefixes(
    m,
    (k) => addrs[order[k]!]!,
    (k) => lens[order[k]!]!,
    (start, _top, depth) => {
      const key = stack.slice(0, depth).join(',');
      let c = classOf.get(key);
      if (c === undefined) {
        c = lists.length;
        classOf.set(key, c);
        const l: number[] = [];
        for (let d = 0; d < depth; d++) for (const i of members[stack[d]!]!) l.push(i);
        l.sort((x, y) => x - y);
        lists.push(l);
      }
      if (vals.length > 0 && vals[vals.length - 1] === c) return;
      starts.push(start);
      vals.push(c);
    },
    (k, depth) => {
      stack.length = depth - 1;
      stack.push(k);
    },
  );
  let total = 0;
  for (const l of lists) total += l.length;
  const listStart = new Uint32Array(lists.length + 1);
  const list = new Int32Array(total);
  let o = 0;
  lists.forEach((l, c) => {
    listStart[c] = o;
    list.set(l, o);
    o += l.length;
  });
  listStart[lists.length] = o;
  const table = buildIntervalTable(starts, vals, starts.length);
  return { table, listStart, list, classes: lists.length };
}

/** First selector in both class a's list of `cs` and class b's list of `cd`, or -1. */
export function firstCommon(cs: ClassDim, cd: ClassDim, a: number, b: number): number {
  const la = cs.list;
  const lb = cd.list;
  let i = cs.listStart[a]!;
  const ie = cs.listStart[a + 1]!;
  let j = cd.listStart[b]!;
  const je = cd.listStart[b + 1]!;
  while (i < ie && j < je) {
    const x = la[i]!;
    const y = lb[j]!;
    if (x === y) return x;
    if (x < y) i++;
    else j++;
  }
  return -1;
}
