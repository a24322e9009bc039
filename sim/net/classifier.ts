/**
 * The compiled traffic-selector classifier (policy-based gateways, access lists).
 *
 * Owns: turning an ordered list of prefix pairs into an immutable structure that answers
 * "index of the FIRST selector containing (src, dst), or -1" without allocating, with
 * exactly the first-match semantics of referenceClassify (classifier-reference.ts).
 *
 * Two strategies, chosen at compile time and visible as `strategy`:
 * - 'scan': a linear scan over typed arrays of (network, mask) pairs. Best for short lists.
 * - 'bitset': per dimension, the address space is cut into elementary intervals (the same
 *   flattened, first-level-indexed range table as the LPM table); each interval carries a
 *   bitset (one bit per selector) of the selectors whose prefix in that dimension contains
 *   it. Classify finds one interval per dimension, ANDs the two bitsets and returns the
 *   lowest set bit. Each bitset also has a summary bitset (one bit per non-zero word), so
 *   the AND only touches words where both sides have selectors: an address is inside few
 *   prefixes, so rows are sparse. Identical rows are stored once.
 *
 * - 'classes' (the default from SCAN_LIMIT on): per dimension, the elementary intervals are
 *   grouped into equivalence classes (intervals inside exactly the same set of prefixes), found
 *   by a DIR-16-8 table (lpm.ts) from 64 selectors on. Each class keeps the sorted list of
 *   selectors whose prefix in that dimension contains it. When the product of the class
 *   counts is small (CROSS_LIMIT), the answer of every (source class, destination class)
 *   pair is precomputed: classify is two table lookups and one load (cross-producting, as
 *   in recursive flow classification). Otherwise each source class gets its own interval
 *   table over destination addresses holding the first selector of the class that contains
 *   them, with a first-level index on the destination's top bits (about one slot per
 *   interval): classify is one DIR lookup, one index load and a search of one or two
 *   intervals. classifyBatch finds the classes of a chunk first, so the cache misses of
 *   different packets overlap.
 *
 * Rejects: selector lengths that are not integers 0-32 (validated upstream) with a
 * RangeError from `compile`. Host bits in selector addresses are ignored.
 */
import {
  buildDirTable,
  buildIntervalTable,
  checkLen,
  DIR_MIN_ROUTES,
  dirLookup,
  dirLookupBatch,
  dirTableBytes,
  findInterval,
  intervalTableBytes,
  sortUniquePrefixes,
  sweepPrefixes,
} from './lpm.js';
import type { DirTable, IntervalTable } from './lpm.js';

/** A traffic selector: a source prefix and a destination prefix (any protocol). */
export interface Selector {
  readonly srcAddr: number;
  readonly srcLen: number;
  readonly dstAddr: number;
  readonly dstLen: number;
}

/** Lookup structure used by a compiled classifier. */
export type ClassifierStrategy = 'scan' | 'bitset' | 'classes';

/** Compile options; the default picks the strategy from the list length. */
export interface ClassifierOptions {
  /** Force a strategy (tests and benchmarks); default: 'scan' below SCAN_LIMIT selectors, else 'classes'. */
  readonly strategy?: ClassifierStrategy;
}

/** Below this many selectors the default strategy is a plain scan. */
export const SCAN_LIMIT = 16;

function maskOfLen(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** One dimension of the bitset strategy: intervals → row ids, rows and their summaries. */
interface Dimension {
  readonly table: IntervalTable;
  readonly rows: Uint32Array;
  readonly sums: Uint32Array;
}

/**
 * The distinct prefixes of one dimension in sweep order, and for each the selectors
 * (indices, ascending) that use it.
 */
function groupByPrefix(addrs: Uint32Array, lens: Uint8Array): { order: Int32Array; members: number[][] } {
  const order = sortUniquePrefixes(addrs, lens);
  const idOf = new Map<number, number>();
  for (let k = 0; k < order.length; k++) idOf.set(addrs[order[k]!]! * 64 + lens[order[k]!]!, k);
  const members: number[][] = [];
  for (let k = 0; k < order.length; k++) members.push([]);
  for (let i = 0; i < addrs.length; i++) members[idOf.get(addrs[i]! * 64 + lens[i]!)!]!.push(i);
  return { order, members };
}

/** Build the interval table and deduplicated bitset rows for one dimension. */
function buildDimension(addrs: Uint32Array, lens: Uint8Array, words: number, sumWords: number): Dimension {
  const { order, members } = groupByPrefix(addrs, lens);
  const m = order.length;

  // Cumulative rows per nesting depth: level d = OR of the d innermost-to-outermost prefixes.
  const levels = new Uint32Array(34 * words);
  let rows = new Uint32Array(Math.max(1, Math.min(2 * m + 1, 64)) * words);
  let rowCount = 0;
  const byHash = new Map<number, number[]>();
  const starts: number[] = [];
  const vals: number[] = [];

  const rowOf = (depth: number): number => {
    const base = depth * words;
    let h = 0x811c9dc5;
    for (let w = 0; w < words; w++) h = Math.imul(h ^ levels[base + w]!, 0x01000193);
    h >>>= 0;
    const bucket = byHash.get(h);
    if (bucket !== undefined) {
      for (const r of bucket) {
        let same = true;
        for (let w = 0; w < words; w++) {
          if (rows[r * words + w] !== levels[base + w]) {
            same = false;
            break;
          }
        }
        if (same) return r;
      }
    }
    if ((rowCount + 1) * words > rows.length) {
      const bigger = new Uint32Array(rows.length * 2);
      bigger.set(rows);
      rows = bigger;
    }
    rows.set(levels.subarray(base, base + words), rowCount * words);
    if (bucket !== undefined) bucket.push(rowCount);
    else byHash.set(h, [rowCount]);
    return rowCount++;
  };

  sweepPrefixes(
    m,
    (k) => addrs[order[k]!]!,
    (k) => lens[order[k]!]!,
    (start, _top, depth) => {
      const r = rowOf(depth);
      if (vals.length > 0 && vals[vals.length - 1] === r) return;
      starts.push(start);
      vals.push(r);
    },
    (k, depth) => {
      const base = depth * words;
      levels.copyWithin(base, base - words, base);
      for (const i of members[k]!) levels[base + (i >>> 5)]! |= 1 << (i & 31);
    },
  );
  rows = rows.slice(0, rowCount * words);
  const sums = new Uint32Array(rowCount * sumWords);
  for (let r = 0; r < rowCount; r++) {
    for (let w = 0; w < words; w++) {
      if (rows[r * words + w] !== 0) sums[r * sumWords + (w >>> 5)]! |= 1 << (w & 31);
    }
  }
  return { table: buildIntervalTable(starts, vals, starts.length), rows, sums };
}

/** Above this many (source class x destination class) cells, no cross table is built. */
export const CROSS_LIMIT = 1 << 22;

/** One dimension of the 'classes' strategy: address → class, class → sorted selector list. */
interface ClassDim {
  readonly table: IntervalTable;
  readonly dir: DirTable | null;
  /** Selectors of class c: list[listStart[c] .. listStart[c+1]), ascending. */
  readonly listStart: Uint32Array;
  readonly list: Int32Array;
  readonly classes: number;
}

function buildClassDim(addrs: Uint32Array, lens: Uint8Array): ClassDim {
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
  return { table, dir: addrs.length >= DIR_MIN_ROUTES ? buildDirTable(table) : null, listStart, list, classes: lists.length };
}

/**
 * For each source class, the destination intervals and the first selector of the class
 * containing each (the minimum index over the prefixes on the sweep stack).
 */
function buildSubTables(cs: ClassDim, da: Uint32Array, dl: Uint8Array): { subStart: Uint32Array; starts: Uint32Array; vals: Int32Array } {
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

function classDimBytes(d: ClassDim): number {
  return (d.dir !== null ? dirTableBytes(d.dir) : 0) + intervalTableBytes(d.table) + d.listStart.byteLength + d.list.byteLength;
}

function classOfAddr(d: ClassDim, a: number): number {
  return d.dir !== null ? dirLookup(d.dir, a) : d.table.values[findInterval(d.table, a)]!;
}

/**
 * Immutable compiled selector classifier. `classify` returns the same answer as
 * `referenceClassify` and allocates nothing.
 */
export class SelectorClassifier {
  /** Number of selectors compiled (duplicates included). */
  readonly size: number;
  /** Bytes held by the classifier's typed arrays. */
  readonly memoryBytes: number;
  /** Which lookup structure was built: 'scan' for short lists, 'classes' by default otherwise. */
  readonly strategy: ClassifierStrategy;

  // 'scan' strategy: (network, mask) per dimension.
  private readonly srcNet: Uint32Array;
  private readonly srcMask: Uint32Array;
  private readonly dstNet: Uint32Array;
  private readonly dstMask: Uint32Array;

  // 'bitset' strategy.
  private readonly words: number;
  private readonly sumWords: number;
  private readonly src: Dimension | null;
  private readonly dst: Dimension | null;

  // 'classes' strategy.
  private readonly csrc: ClassDim | null;
  private readonly cdst: ClassDim | null;
  /** Answer per (source class * destination classes + destination class), or null when too big. */
  private readonly cross: Int32Array | null;
  /**
   * Without a cross table: per source class, an interval table over destination addresses
   * whose value is the first selector of the class containing that destination. Class c's
   * intervals are subStarts/subVals[subStart[c] .. subStart[c+1]).
   */
  private readonly subStart: Uint32Array;
  /** Interval starts XOR 0x80000000, as int32 (so compares stay in small integers). */
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
  /** Whether the cross-product table was built (for tests and benchmarks). */
  readonly crossProduct: boolean;

  private constructor(sels: readonly Selector[], strategy: ClassifierStrategy) {
    const n = sels.length;
    this.size = n;
    this.strategy = strategy;
    const masks = strategy === 'scan' || strategy === 'classes' ? n : 0;
    this.srcNet = new Uint32Array(masks);
    this.srcMask = new Uint32Array(masks);
    this.dstNet = new Uint32Array(masks);
    this.dstMask = new Uint32Array(masks);
    this.csrc = null;
    this.cdst = null;
    this.cross = null;
    this.crossProduct = false;
    this.subStart = new Uint32Array(0);
    this.subStarts = new Uint32Array(0);
    this.subVals = new Int32Array(0);
    this.subShift = new Uint8Array(0);
    this.subIdxOff = new Uint32Array(0);
    this.subIdx = new Uint32Array(0);
    this.words = Math.max(1, Math.ceil(n / 32));
    this.sumWords = Math.ceil(this.words / 32);
    const sa = new Uint32Array(n);
    const sl = new Uint8Array(n);
    const da = new Uint32Array(n);
    const dl = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const s = sels[i]!;
      checkLen(s.srcLen, 'selector (source)', i);
      checkLen(s.dstLen, 'selector (destination)', i);
      sl[i] = s.srcLen;
      dl[i] = s.dstLen;
      sa[i] = (s.srcAddr & maskOfLen(s.srcLen)) >>> 0;
      da[i] = (s.dstAddr & maskOfLen(s.dstLen)) >>> 0;
    }
    if (masks > 0) {
      for (let i = 0; i < n; i++) {
        this.srcNet[i] = sa[i]!;
        this.srcMask[i] = maskOfLen(sl[i]!);
        this.dstNet[i] = da[i]!;
        this.dstMask[i] = maskOfLen(dl[i]!);
      }
    }
    if (strategy === 'scan') {
      this.src = null;
      this.dst = null;
      this.memoryBytes = 16 * n;
    } else if (strategy === 'classes') {
      this.src = null;
      this.dst = null;
      const cs = buildClassDim(sa, sl);
      const cd = buildClassDim(da, dl);
      this.csrc = cs;
      this.cdst = cd;
      if (cs.classes * cd.classes <= CROSS_LIMIT) {
        const cross = new Int32Array(cs.classes * cd.classes);
        for (let a = 0; a < cs.classes; a++) {
          for (let b = 0; b < cd.classes; b++) cross[a * cd.classes + b] = this.firstCommon(cs, cd, a, b);
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
        16 * n + classDimBytes(cs) + classDimBytes(cd) + (this.cross !== null ? this.cross.byteLength : 0) +
        this.subStart.byteLength + this.subStarts.byteLength + this.subVals.byteLength +
        this.subShift.byteLength + this.subIdxOff.byteLength + this.subIdx.byteLength;
    } else {
      this.src = buildDimension(sa, sl, this.words, this.sumWords);
      this.dst = buildDimension(da, dl, this.words, this.sumWords);
      this.memoryBytes =
        intervalTableBytes(this.src.table) +
        this.src.rows.byteLength +
        this.src.sums.byteLength +
        intervalTableBytes(this.dst.table) +
        this.dst.rows.byteLength +
        this.dst.sums.byteLength;
    }
  }

  /**
   * Compile selectors; selector `i` of the input is answered as `i`. Throws a RangeError
   * when a length is not an integer 0-32 (validated upstream).
   */
  static compile(sels: readonly Selector[], options: ClassifierOptions = {}): SelectorClassifier {
    const strategy = options.strategy ?? (sels.length < SCAN_LIMIT ? 'scan' : 'classes');
    return new SelectorClassifier(sels, strategy);
  }

  /** Index of the first selector containing (src, dst) (uint32 addresses), or -1. */
  classify(src: number, dst: number): number {
    const s = src >>> 0;
    const d = dst >>> 0;
    if (this.csrc !== null && this.cdst !== null) return this.byClass(this.csrc, this.cdst, s, d);
    if (this.src === null || this.dst === null) return this.scan(s, d);
    return this.bitsets(this.src, this.dst, s, d);
  }

  /** `out[i] = classify(src[i], dst[i])` for `i < n` (n clamped to the arrays' lengths). */
  classifyBatch(src: Uint32Array, dst: Uint32Array, out: Int32Array, n: number): void {
    const m = Math.min(n, src.length, dst.length, out.length);
    const ds = this.src;
    const dd = this.dst;
    const cs = this.csrc;
    const cd = this.cdst;
    if (cs !== null && cd !== null) {
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
        for (let i = 0; i < m; i++) out[i] = this.byClass(cs, cd, src[i]!, dst[i]!);
      }
    } else if (ds === null || dd === null) {
      for (let i = 0; i < m; i++) out[i] = this.scan(src[i]!, dst[i]!);
    } else {
      for (let i = 0; i < m; i++) out[i] = this.bitsets(ds, dd, src[i]!, dst[i]!);
    }
  }

  private byClass(cs: ClassDim, cd: ClassDim, s: number, d: number): number {
    const a = classOfAddr(cs, s);
    if (this.cross !== null) return this.cross[a * cd.classes + classOfAddr(cd, d)]!;
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

  /** First selector in both class a's and class b's lists (compile time: cross table). */
  private firstCommon(cs: ClassDim, cd: ClassDim, a: number, b: number): number {
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

  private scan(s: number, d: number): number {
    const sn = this.srcNet;
    const sm = this.srcMask;
    const dn = this.dstNet;
    const dm = this.dstMask;
    const n = sn.length;
    for (let i = 0; i < n; i++) {
      if (((s ^ sn[i]!) & sm[i]!) === 0 && ((d ^ dn[i]!) & dm[i]!) === 0) return i;
    }
    return -1;
  }

  private bitsets(ds: Dimension, dd: Dimension, s: number, d: number): number {
    const rs = ds.table.values[findInterval(ds.table, s)]!;
    const rd = dd.table.values[findInterval(dd.table, d)]!;
    const words = this.words;
    const sumWords = this.sumWords;
    const srows = ds.rows;
    const drows = dd.rows;
    const ssums = ds.sums;
    const dsums = dd.sums;
    const so = rs * sumWords;
    const doff = rd * sumWords;
    const sr = rs * words;
    const dr = rd * words;
    for (let k = 0; k < sumWords; k++) {
      let m = ssums[so + k]! & dsums[doff + k]!;
      while (m !== 0) {
        const low = m & -m;
        const w = (k << 5) + 31 - Math.clz32(low);
        const x = srows[sr + w]! & drows[dr + w]!;
        if (x !== 0) return (w << 5) + 31 - Math.clz32(x & -x);
        m ^= low;
      }
    }
    return -1;
  }
}
