/**
 * The equivalence-class selector classifier: a benchmark baseline (`vgw bench classify`),
 * not used by the simulator, which classifies with the split tables (sim/net/classifier.ts).
 * At 10,000 random selectors it takes 39 MiB, about 0.6 s to build and runs at a third of
 * the split tables' speed; on lists of deeply nested prefixes with probes crowding their
 * edges it can be a little faster than them, which is why the bench still reports it.
 *
 * Per dimension, the elementary intervals are grouped into equivalence classes (intervals
 * inside exactly the same set of prefixes, sim/net/prefix-classes.ts), found by a DIR-16-8
 * table from DIR_MIN_ROUTES selectors on. When the product of the class counts is small
 * (CROSS_LIMIT), the answer of every (source class, destination class) pair is
 * precomputed: classify is two table lookups and one load (cross-producting, as in
 * recursive flow classification). Otherwise each source class gets its own interval table
 * over destination addresses holding the first selector of the class that contains them,
 * with a first-level index on the destination's top bits (about one slot per interval):
 * classify is one DIR lookup, one index load and a search of one or two intervals.
 * classifyBatch finds the classes of a chunk first, so the cache misses of different
 * packets overlap. Answers exactly what referenceClassify answers.
 */
import { findInterval, intervalTableBytes, sortUniquePrefixes, sweepPrefixes } from '../net/intervals.js';
import { DIR_MIN_ROUTES } from '../net/lpm.js';
import { buildDirTable, dirLookup, dirLookupBatch, dirTableBytes } from '../net/lpm-dir-16-8.js';
import type { DirTable } from '../net/lpm-dir-16-8.js';
import { buildClassDim, firstCommon } from '../net/prefix-classes.js';
import type { ClassDim } from '../net/prefix-classes.js';
import { selectorColumns } from '../net/classifier.js';
import type { Selector } from '../net/classifier.js';

/** A class dimension with a DIR-16-8 table over its classes (from DIR_MIN_ROUTES selectors on). */
interface ClassDimWithDir extends ClassDim {
  readonly dir: DirTable | null;
}

function withDir(d: ClassDim, selectors: number): ClassDimWithDir {
  return { ...d, dir: selectors >= DIR_MIN_ROUTES ? buildDirTable(d.table) : null };
}

/** Above this many (source class x destination class) cells, no cross table is built. */
export const CROSS_LIMIT = 1 << 22;

/**
 * For each source class, the destination intervals and the first selector of the class
 * containing each (the minimum index over the prefixes on the sweep stack).
 */
function buildSubTables(cs: ClassDimWithDir, da: Uint32Array, dl: Uint8Array): { subStart: Uint32Array; starts: Uint32Array; vals: Int32Array } {
  const subStart = new Uint32Array(cs.classes + 1);
  let starts = new Uint32Array(1024);
  let vals = new Int32Array(1024);
  let n = 0;
  const minAt = new Int32Array(35);
  for (let c = 0; c < cs.classes; c++) {
    subStart[c] = n;
    const from = cs.listStart[c]!;
    const len = cs.listStart[c + 1]! - from;
    const addrs = new Uint32Array(len);
    const lens = new Uint8Array(len);
    for (let k = 0; k < len; k++) {
      const i = cs.list[from + k]!;
      addrs[k] = da[i]!;
      lens[k] = dl[i]!;
    }
    // Lists are ascending, so sortUniquePrefixes keeps the lowest selector of each prefix.
    const order = sortUniquePrefixes(addrs, lens);
    minAt[0] = -1;
    sweepPrefixes(
      order.length,
      (k) => addrs[order[k]!]!,
      (k) => lens[order[k]!]!,
      (start, _top, depth) => {
        const v = minAt[depth]!;
        if (n > subStart[c]! && vals[n - 1] === v) return;
        if (n === starts.length) {
          const s2 = new Uint32Array(n * 2);
          s2.set(starts);
          starts = s2;
          const v2 = new Int32Array(n * 2);
          v2.set(vals);
          vals = v2;
        }
        starts[n] = start;
        vals[n++] = v;
      },
      (k, depth) => {
        const i = cs.list[from + order[k]!]!;
        const up = minAt[depth - 1]!;
        minAt[depth] = up < 0 || i < up ? i : up;
      },
    );
  }
  subStart[cs.classes] = n;
  return { subStart, starts: starts.slice(0, n), vals: vals.slice(0, n) };
}

/**
 * First-level indexes of the per-class tables: for a class of n intervals, 2^bits slots
 * with 2^bits >= n (1..16 bits), plus one closing slot, each the position (in the
 * concatenated tables) of the interval holding the slot's first address.
 */
function indexSubTables(subStart: Uint32Array, starts: Uint32Array): { shift: Uint8Array; off: Uint32Array; index: Uint32Array } {
  const classes = subStart.length - 1;
  const shift = new Uint8Array(classes);
  const off = new Uint32Array(classes);
  let total = 0;
  for (let c = 0; c < classes; c++) {
    const n = subStart[c + 1]! - subStart[c]!;
    let bits = 1;
    while (bits < 16 && 1 << bits < n) bits++;
    shift[c] = 32 - bits;
    off[c] = total;
    total += (1 << bits) + 1;
  }
  const index = new Uint32Array(total);
  for (let c = 0; c < classes; c++) {
    const from = subStart[c]!;
    const end = subStart[c + 1]!;
    const slots = 2 ** (32 - shift[c]!);
    let iv = from;
    for (let b = 0; b < slots; b++) {
      const base = b * 2 ** shift[c]!;
      while (iv + 1 < end && starts[iv + 1]! <= base) iv++;
      index[off[c]! + b] = iv;
    }
    index[off[c]! + slots] = end - 1;
  }
  return { shift, off, index };
}
/** Bytes of a class dimension's arrays; a DIR table shares `starts` and `values` with the interval table, so they count once. */
function classDimBytes(d: ClassDimWithDir): number {
  const t = d.dir !== null ? dirTableBytes(d.dir) + d.table.index.byteLength : intervalTableBytes(d.table);
  return t + d.listStart.byteLength + d.list.byteLength;
}

function classOfAddr(d: ClassDimWithDir, a: number): number {
  return d.dir !== null ? dirLookup(d.dir, a) : d.table.values[findInterval(d.table, a)]!;
}

/** Immutable equivalence-class classifier; same answers as `SelectorClassifier`. */
export class ClassesClassifier {
  readonly strategy = 'classes';
  /** Number of selectors compiled (duplicates included). */
  readonly size: number;
  /** Bytes held by the classifier's typed arrays. */
  readonly memoryBytes: number;
  /** Whether the cross-product table was built. */
  readonly crossProduct: boolean;
  private readonly csrc: ClassDimWithDir;
  private readonly cdst: ClassDimWithDir;
  /** Answer per (source class * destination classes + destination class), or null when too big. */
  private readonly cross: Int32Array | null;
  /**
   * Without a cross table: per source class, an interval table over destination addresses
   * whose value is the first selector of the class containing that destination. Class c's
   * intervals are subStarts/subVals[subStart[c] .. subStart[c+1]).
   */
  private readonly subStart: Uint32Array;
  /** Interval starts (uint32, ascending within each class), compared with the destination as is. */
  private readonly subStarts: Uint32Array;
  private readonly subVals: Int32Array;
  /**
   * Per class, a first-level index over the top bits of the destination (about one slot
   * per interval, as in the range table): class c's index is subIdx[subIdxOff[c] ..], with
   * slot b holding the position of the interval containing `b << subShift[c]`.
   */
  private readonly subShift: Uint8Array;
  private readonly subIdxOff: Uint32Array;
  private readonly subIdx: Uint32Array;
  /** Source classes of a chunk of a batch (classifyBatch's first pass). */
  private readonly scratch = new Int32Array(256);
  private readonly scratchLo = new Uint32Array(256);
  private readonly scratchHi = new Uint32Array(256);

  private constructor(sels: readonly Selector[]) {
    const n = sels.length;
    this.size = n;
    const { sa, sl, da, dl } = selectorColumns(sels);
    const cs = withDir(buildClassDim(sa, sl), n);
    const cd = withDir(buildClassDim(da, dl), n);
    this.csrc = cs;
    this.cdst = cd;
    this.cross = null;
    this.crossProduct = false;
    this.subStart = new Uint32Array(0);
    this.subStarts = new Uint32Array(0);
    this.subVals = new Int32Array(0);
    this.subShift = new Uint8Array(0);
    this.subIdxOff = new Uint32Array(0);
    this.subIdx = new Uint32Array(0);
    if (cs.classes * cd.classes <= CROSS_LIMIT) {
      const cross = new Int32Array(cs.classes * cd.classes);
      for (let a = 0; a < cs.classes; a++) {
        for (let b = 0; b < cd.classes; b++) cross[a * cd.classes + b] = firstCommon(cs, cd, a, b);
      }
      this.cross = cross;
      this.crossProduct = true;
    } else {
      const sub = buildSubTables(cs, da, dl);
      this.subStart = sub.subStart;
      this.subStarts = sub.starts;
      this.subVals = sub.vals;
      const idx = indexSubTables(sub.subStart, sub.starts);
      this.subShift = idx.shift;
      this.subIdxOff = idx.off;
      this.subIdx = idx.index;
    }
    this.memoryBytes =
      classDimBytes(cs) + classDimBytes(cd) + (this.cross !== null ? this.cross.byteLength : 0) +
      this.subStart.byteLength + this.subStarts.byteLength + this.subVals.byteLength +
      this.subShift.byteLength + this.subIdxOff.byteLength + this.subIdx.byteLength;
  }

  /** Compile selectors; selector `i` is answered as `i`. Throws a RangeError on a length outside 0-32. */
  static compile(sels: readonly Selector[]): ClassesClassifier {
    return new ClassesClassifier(sels);
  }

  /** Index of the first selector containing (src, dst) (uint32 addresses), or -1. */
  classify(src: number, dst: number): number {
    return this.byClass(src >>> 0, dst >>> 0);
  }

  /** `out[i] = classify(src[i], dst[i])` for `i < n` (n clamped to the arrays' lengths). */
  classifyBatch(src: Uint32Array, dst: Uint32Array, out: Int32Array, n: number): void {
    const m = Math.min(n, src.length, dst.length, out.length);
    const cs = this.csrc;
    const cd = this.cdst;
    const cross = this.cross;
    if (cross !== null && cs.dir !== null && cd.dir !== null) {
      // Hot path: two DIR lookups and one load per packet, nothing else.
      const sdir = cs.dir;
      const ddir = cd.dir;
      const nd = cd.classes;
      for (let i = 0; i < m; i++) out[i] = cross[dirLookup(sdir, src[i]!) * nd + dirLookup(ddir, dst[i]!)]!;
    } else if (cross === null && cs.dir !== null) {
      // Big lists: one DIR lookup for the source class, one short search in its table.
      // In two passes over chunks of the batch, so the cache misses of different packets
      // overlap instead of forming one long dependent chain per packet.
      const sdir = cs.dir;
      const cls = this.scratch;
      for (let from = 0; from < m; from += cls.length) {
        const k = Math.min(cls.length, m - from);
        dirLookupBatch(sdir, from === 0 ? src : src.subarray(from), cls, k);
        // Second pass: each packet's index slot (one load per packet, independent).
        const lo = this.scratchLo;
        const hi = this.scratchHi;
        const idx = this.subIdx;
        for (let j = 0; j < k; j++) {
          const a = cls[j]!;
          const io = this.subIdxOff[a]! + (dst[from + j]! >>> this.subShift[a]!);
          lo[j] = idx[io]!;
          hi[j] = idx[io + 1]!;
        }
        // Third pass: the short searches.
        const starts = this.subStarts;
        const vals = this.subVals;
        for (let j = 0; j < k; j++) {
          const d = dst[from + j]!;
          let l = lo[j]!;
          let h = hi[j]!;
          while (l < h) {
            const mid = (l + h + 1) >>> 1;
            if (starts[mid]! <= d) l = mid;
            else h = mid - 1;
          }
          out[from + j] = vals[l]!;
        }
      }
    } else {
      for (let i = 0; i < m; i++) out[i] = this.byClass(src[i]!, dst[i]!);
    }
  }

  private byClass(s: number, d: number): number {
    const a = classOfAddr(this.csrc, s);
    if (this.cross !== null) return this.cross[a * this.cdst.classes + classOfAddr(this.cdst, d)]!;
    return this.sub(a, d);
  }

  /** First selector of source class `a` whose destination prefix contains `d`, or -1. */
  private sub(a: number, d: number): number {
    const starts = this.subStarts;
    const io = this.subIdxOff[a]! + (d >>> this.subShift[a]!);
    let lo = this.subIdx[io]!;
    let hi = this.subIdx[io + 1]!;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= d) lo = mid;
      else hi = mid - 1;
    }
    return this.subVals[lo]!;
  }
}
