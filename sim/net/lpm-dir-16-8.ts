/**
 * The 'dir-16-8' LPM strategy: a two-level multibit table built from an interval table
 * (intervals.ts), two array loads for most addresses. The LPM table's default from
 * DIR_MIN_ROUTES routes while its level-2 chunks stay few (lpm.ts); the selector
 * classifier's classes strategy uses it too, where it has no cross table
 * (classifier-classes.ts).
 */
import { advance, walkBlocks16, wholeTo } from './intervals.js';
import type { IntervalTable } from './intervals.js';

/**
 * A two-level multibit table (DIR-16-8) over an interval table, exact for every address:
 * `l1[a >>> 16]` is either the answer (>= -1) or `-2 - c` naming a 256-entry chunk of `l2`
 * indexed by bits 15..8; an `l2` entry is either the answer or `-2 - k` naming a span
 * `[spanLo[k], spanHi[k]]` of intervals of the /24 block, binary-searched in `starts`.
 * Most random addresses end at level 1 or 2 (two loads); only /24 blocks cut by longer
 * prefixes pay the search, so memory stays 256 KiB + 1 KiB per /16 block that is cut
 * (at least one) + 8 bytes per /24 block that is cut, never the 64 MiB of a flat DIR-24.
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
    // At least one chunk: the batch loop reads chunk 0 for an address whose /16 block is whole.
    l2: l2.slice(0, Math.max(1, chunks) * 256),
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
    // Level 2 with no branch on whether the address is in a cut /16 block (on traffic
    // half inside the routes that branch is a coin toss): every address loads an l2 entry,
    // chunk 0's when its block is whole, and keeps it only when its block is cut.
    const m0 = (v0 + 1) >> 31;
    const m1 = (v1 + 1) >> 31;
    const m2 = (v2 + 1) >> 31;
    const m3 = (v3 + 1) >> 31;
    v0 = (l2[(((-2 - v0) & m0) << 8) | ((a0 >>> 8) & 255)]! & m0) | (v0 & ~m0);
    v1 = (l2[(((-2 - v1) & m1) << 8) | ((a1 >>> 8) & 255)]! & m1) | (v1 & ~m1);
    v2 = (l2[(((-2 - v2) & m2) << 8) | ((a2 >>> 8) & 255)]! & m2) | (v2 & ~m2);
    v3 = (l2[(((-2 - v3) & m3) << 8) | ((a3 >>> 8) & 255)]! & m3) | (v3 & ~m3);
    if (v0 < -1) v0 = dirSpan(d, v0, a0);
    if (v1 < -1) v1 = dirSpan(d, v1, a1);
    if (v2 < -1) v2 = dirSpan(d, v2, a2);
    if (v3 < -1) v3 = dirSpan(d, v3, a3);
    out[i] = v0;
    out[i + 1] = v1;
    out[i + 2] = v2;
    out[i + 3] = v3;
  }
  for (; i < m; i++) out[i] = dirLookup(d, addrs[i]!);
}

/** Number of /16 blocks holding more than one interval (DIR-16-8's level-2 chunks). */
export function cutBlocks(t: IntervalTable): number {
  return walkBlocks16(t, null, () => undefined);
}
