/**
 * The compiled traffic-selector classifier (policy-based gateways, access lists).
 *
 * Owns: turning an ordered list of prefix pairs into an immutable structure that answers
 * "index of the FIRST selector containing (src, dst), or -1" without allocating, with
 * exactly the first-match semantics of referenceClassify (classifier-reference.ts).
 *
 * Four strategies, chosen at compile time and visible as `strategy` ('scan' below
 * SCAN_LIMIT selectors, else 'split'; the others can be forced, for tests and benchmarks):
 * - 'scan': a linear scan over typed arrays of (network, mask) pairs. Best for short lists.
 * - 'split' (the default from SCAN_LIMIT on): the list is split by prefix length. Pairs of
 *   wide prefixes (both shorter than a threshold T <= 16) are cross-producted: the top bits
 *   of each address index a direct table giving its class, and a small cross table the
 *   first wide selector of the pair of classes. The other selectors sit in buckets by the
 *   top bits of one of their sides (the side whose prefix is at least T long); most
 *   buckets are empty or hold one or two. The first match is the lowest index of the
 *   three candidates. Crowded buckets get nested tables of their own over the next bits.
 *   A lookup is a few loads from tables that fit in cache (1.6 MiB at 10,000 random
 *   selectors) and no search; see SplitTables.
 * - 'bitset': per dimension, the address space is cut into elementary intervals (the same
 *   flattened, first-level-indexed range table as the LPM table); each interval carries a
 *   bitset (one bit per selector) of the selectors whose prefix in that dimension contains
 *   it. Classify finds one interval per dimension, ANDs the two bitsets and returns the
 *   lowest set bit. Each bitset also has a summary bitset (one bit per non-zero word), so
 *   the AND only touches words where both sides have selectors: an address is inside few
 *   prefixes, so rows are sparse. Identical rows are stored once.
 * - 'classes' (the default before 'split': at 10,000 random selectors 39 MiB, about 0.6 s
 *   to build and a third of the speed; on lists of deeply nested prefixes with probes
 *   crowding their edges it was measured about 1.1x faster than 'split'): per dimension,
 *   the elementary intervals are
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
export type ClassifierStrategy = 'scan' | 'bitset' | 'classes' | 'split';

/** Compile options; the default picks the strategy from the list length. */
export interface ClassifierOptions {
  /** Force a strategy (tests and benchmarks); default: 'scan' below SCAN_LIMIT selectors, else 'split'. */
  readonly strategy?: ClassifierStrategy;
  /** 'split': most cells of the wide-pair cross table (default SPLIT_CROSS_LIMIT); lets tests lower the threshold. */
  readonly splitCrossLimit?: number;
  /** 'split': most entries of a bucket before it is nested (default BUCKET_MAX); lets tests reach nested buckets. */
  readonly splitBucketMax?: number;
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

function buildClassDim(addrs: Uint32Array, lens: Uint8Array, withDir = true): ClassDim {
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
  return { table, dir: withDir && addrs.length >= DIR_MIN_ROUTES ? buildDirTable(table) : null, listStart, list, classes: lists.length };
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

/** First selector in both class a's list of `cs` and class b's list of `cd`, or -1. */
function firstCommon(cs: ClassDim, cd: ClassDim, a: number, b: number): number {
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

/**
 * 'split': most cells of the wide-pair cross table (512 KiB of Int32), so that it stays
 * in a core's L2 cache with the block rows: at 10,000 random selectors, 2^17 cells
 * (threshold /12) measured 1.25x faster than 2^20 cells (/15, a 2.5 MiB table).
 */
export const SPLIT_CROSS_LIMIT = 1 << 17;

/** 'split': a bucket with more entries than this gets nested tables of its own. */
export const BUCKET_MAX = 16;

/** 'split': "no match" inside the tables (above every selector index, so `min` picks the first match). */
const NONE = 0x7fffffff;

/** 'split': entry layout, one per (selector, block): key net, key mask, other net, other mask, index. */
const ENTRY = 5;

/**
 * 'split': nesting depth from which crowded buckets are no longer nested but scanned
 * (each level looks at 4-16 more bits of the key side).
 */
const SPLIT_MAX_DEPTH = 2;

/**
 * A crowded bucket of the 'split' strategy: its selectors, with the key side's block
 * bits shifted out (a key prefix no longer than the block becomes /0), in split tables
 * of their own, and their indices in the whole list.
 */
interface NestedBucket {
  readonly tables: SplitTables;
  /** 0: the bucket is keyed on the source, 1: on the destination. */
  readonly side: number;
  /** Block bits to shift out of the key address before looking up `tables`. */
  readonly bits: number;
  readonly index: Int32Array;
}

/**
 * The 'split' strategy. The address space of each dimension is cut into 2^B blocks (the
 * top B bits, B = 8..16 growing with the list: about 16 blocks per selector). Selectors
 * are split by prefix length against a threshold T <= B:
 * - wide pairs (both lengths < T): their class in each dimension (the set of wide
 *   prefixes containing the address) depends only on the block, so a direct table per
 *   block gives it, and a cross table holds the first wide selector of every (source
 *   class, destination class) pair;
 * - the rest, in buckets by the block of a side whose length is >= T (the source's or the
 *   destination's, whichever bucket is emptier; a prefix shorter than B bits is entered in
 *   each block it covers). A bucket lists its selectors in list order.
 * The answer is the lowest of the three candidates (wide pair, source bucket, destination
 * bucket): the first match is the minimum index over any partition of the list. T is the
 * largest value whose cross table fits SPLIT_CROSS_LIMIT cells (T = 9 always fits: its
 * wide prefixes are /8 or shorter, at most 256 classes a side). Per block, one 8-byte row
 * holds [class (source: times the destination class count), bucket start]; the bucket
 * ends where the next block's starts. A packet reads two rows (and the next two, usually
 * in the same cache lines), one cross cell and a short bucket, mostly empty; no search.
 * A bucket with more than BUCKET_MAX entries holds one entry instead, with zero masks (it
 * matches everything) and the bucket's first selector as its index: nested tables k
 * (k in the key net's place) built the same way from the bucket's selectors, their key
 * side with the block bits shifted out (a key prefix no longer than the block becomes
 * /0). Buckets with the same selectors share nested tables.
 */
interface SplitTables {
  /** The block shift 32 - B. */
  readonly shift: number;
  /** Per source block b (and one more): [2b] cross row offset, [2b+1] start of its bucket in srcEnt. */
  readonly srcHead: Int32Array;
  /** Per destination block b (and one more): [2b] cross column, [2b+1] start of its bucket in dstEnt. */
  readonly dstHead: Int32Array;
  readonly cross: Int32Array;
  readonly srcEnt: Int32Array;
  readonly dstEnt: Int32Array;
  readonly nested: readonly NestedBucket[];
  /** Crowded buckets, answered by nested tables, at every level (several may share tables). */
  readonly crowded: number;
  readonly bytes: number;
}

/** Class per block (addresses `b << shift` on) of a dimension whose intervals all start on block edges. */
function blockClasses(d: ClassDim, shift: number): Int32Array {
  const blocks = 2 ** (32 - shift);
  const out = new Int32Array(blocks);
  const starts = d.table.starts;
  const vals = d.table.values;
  let iv = 0;
  for (let b = 0; b < blocks; b++) {
    const base = b * 2 ** shift;
    while (iv + 1 < starts.length && starts[iv + 1]! <= base) iv++;
    out[b] = vals[iv]!;
  }
  return out;
}

function subsetDim(idx: readonly number[], addrs: Uint32Array, lens: Uint8Array): ClassDim {
  const a = new Uint32Array(idx.length);
  const l = new Uint8Array(idx.length);
  idx.forEach((i, k) => {
    a[k] = addrs[i]!;
    l[k] = lens[i]!;
  });
  return buildClassDim(a, l, false);
}

/** One side of a selector as the buckets see it. */
interface Side {
  readonly net: Uint32Array;
  readonly len: Uint8Array;
}

function buildSplit(sa: Uint32Array, sl: Uint8Array, da: Uint32Array, dl: Uint8Array, options: ClassifierOptions, depth: number): SplitTables {
  const n = sa.length;
  const crossLimit = options.splitCrossLimit ?? SPLIT_CROSS_LIMIT;
  const bucketMax = depth < SPLIT_MAX_DEPTH ? (options.splitBucketMax ?? BUCKET_MAX) : Infinity;
  // About 16 blocks per selector (a nested table, small and seldom visited: 4).
  let bits = depth === 0 ? 8 : 4;
  while (bits < 16 && 2 ** bits < (depth === 0 ? 16 : 4) * n) bits++;
  const shift = 32 - bits;
  const blocks = 2 ** bits;

  // Largest threshold whose wide pairs fit the cross table (T = 0: no wide pairs).
  let t = bits;
  let wide: number[] = [];
  let ws: ClassDim;
  let wd: ClassDim;
  for (;;) {
    wide = [];
    for (let i = 0; i < n; i++) if (sl[i]! < t && dl[i]! < t) wide.push(i);
    ws = subsetDim(wide, sa, sl);
    wd = subsetDim(wide, da, dl);
    if (ws.classes * wd.classes <= crossLimit || t === 0) break;
    t--;
  }
  const cs = ws.classes;
  const cd = wd.classes;
  const cross = new Int32Array(cs * cd);
  for (let a = 0; a < cs; a++) {
    for (let b = 0; b < cd; b++) {
      const k = firstCommon(ws, wd, a, b);
      cross[a * cd + b] = k < 0 ? NONE : wide[k]!;
    }
  }
  const heads = [new Int32Array(2 * (blocks + 1)), new Int32Array(2 * (blocks + 1))] as const;
  const sc = blockClasses(ws, shift);
  const dc = blockClasses(wd, shift);
  for (let b = 0; b < blocks; b++) {
    heads[0][2 * b] = sc[b]! * cd;
    heads[1][2 * b] = dc[b]!;
  }

  // The buckets: side 0 = source, 1 = destination; -1 = a wide pair.
  const sides: readonly [Side, Side] = [{ net: sa, len: sl }, { net: da, len: dl }];
  const side = new Int8Array(n).fill(-1);
  const counts = [new Int32Array(blocks), new Int32Array(blocks)] as const;
  const span = (i: number, s: 0 | 1): number => {
    const len = sides[s].len[i]!;
    return len >= bits ? 1 : 2 ** (bits - len);
  };
  const load = (i: number, s: 0 | 1): number => {
    const c = counts[s];
    const f = sides[s].net[i]! >>> shift;
    let m = 0;
    for (let b = f; b < f + span(i, s); b++) m = Math.max(m, c[b]!);
    return m;
  };
  for (let i = 0; i < n; i++) {
    const okS = sl[i]! >= t;
    const okD = dl[i]! >= t;
    if (!okS && !okD) continue;
    let s: 0 | 1;
    if (okS && okD) {
      const ls = load(i, 0);
      const ld = load(i, 1);
      // The emptier bucket; on a tie the longer prefix (entered in fewer blocks).
      s = ls < ld || (ls === ld && sl[i]! >= dl[i]!) ? 0 : 1;
    } else s = okS ? 0 : 1;
    side[i] = s;
    const c = counts[s];
    const f = sides[s].net[i]! >>> shift;
    for (let b = f; b < f + span(i, s); b++) c[b]!++;
  }

  const nested: NestedBucket[] = [];
  const nestedOf = new Map<string, number>();
  let crowdedCount = 0;
  const ents: Int32Array[] = [];
  for (const s of [0, 1] as const) {
    const head = heads[s];
    const key = sides[s];
    const other = sides[1 - s]!;
    const c = counts[s];
    const crowded = new Map<number, number[]>();
    const fill = new Int32Array(blocks);
    let total = 0;
    for (let b = 0; b < blocks; b++) {
      const k = c[b]!;
      head[2 * b + 1] = total * ENTRY;
      fill[b] = total * ENTRY;
      if (k > bucketMax) crowded.set(b, []);
      total += k > bucketMax ? 1 : k;
    }
    head[2 * blocks + 1] = total * ENTRY;
    const ent = new Int32Array(total * ENTRY);
    for (let i = 0; i < n; i++) {
      if (side[i] !== s) continue;
      const f = key.net[i]! >>> shift;
      for (let b = f; b < f + span(i, s); b++) {
        const m = crowded.get(b);
        if (m !== undefined) {
          m.push(i);
          continue;
        }
        const e = fill[b]!;
        ent[e] = key.net[i]! | 0;
        ent[e + 1] = maskOfLen(key.len[i]!) | 0;
        ent[e + 2] = other.net[i]! | 0;
        ent[e + 3] = maskOfLen(other.len[i]!) | 0;
        ent[e + 4] = i;
        fill[b] = e + ENTRY;
      }
    }
    // A crowded bucket: one entry with zero masks (it matches everything; real entries have a
    // key mask, their key length being >= T >= 1) naming its nested tables.
    crowdedCount += crowded.size;
    for (const [b, m] of crowded) {
      const id = m.join(',');
      let k = nestedOf.get(id);
      if (k === undefined) {
        k = nested.length;
        nestedOf.set(id, k);
        const sub = [new Uint32Array(m.length), new Uint8Array(m.length), new Uint32Array(m.length), new Uint8Array(m.length)] as const;
        m.forEach((i, j) => {
          sub[0][j] = sa[i]!;
          sub[1][j] = sl[i]!;
          sub[2][j] = da[i]!;
          sub[3][j] = dl[i]!;
        });
        const net = sub[2 * s] as Uint32Array;
        const len = sub[2 * s + 1] as Uint8Array;
        for (let j = 0; j < m.length; j++) {
          net[j] = len[j]! > bits ? (net[j]! << bits) >>> 0 : 0;
          len[j] = len[j]! > bits ? len[j]! - bits : 0;
        }
        const tables = buildSplit(sub[0], sub[1], sub[2], sub[3], options, depth + 1);
        nested.push({ tables, side: s, bits, index: Int32Array.from(m) });
      }
      // Key net: the nested tables; index: the bucket's first selector (so `i >= best` skips it too).
      ent[fill[b]!] = k;
      ent[fill[b]! + 4] = m[0]!;
    }
    ents.push(ent);
  }
  let bytes = heads[0].byteLength + heads[1].byteLength + cross.byteLength + ents[0]!.byteLength + ents[1]!.byteLength;
  for (const x of nested) {
    bytes += x.tables.bytes + x.index.byteLength;
    crowdedCount += x.tables.crowded;
  }
  return { shift, srcHead: heads[0], dstHead: heads[1], cross, srcEnt: ents[0]!, dstEnt: ents[1]!, nested, crowded: crowdedCount, bytes };
}

/** Bytes of a class dimension's arrays; a DIR table shares `starts` and `values` with the interval table, so they count once. */
function classDimBytes(d: ClassDim): number {
  const t = d.dir !== null ? dirTableBytes(d.dir) + d.table.index.byteLength : intervalTableBytes(d.table);
  return t + d.listStart.byteLength + d.list.byteLength;
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
  /** Which lookup structure was built: 'scan' for short lists, 'split' by default otherwise. */
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
  // 'split' strategy.
  private readonly split: SplitTables | null;
  /** Whether the cross-product table was built (for tests and benchmarks). */
  readonly crossProduct: boolean;
  /** 'split': how many buckets are crowded, answered by nested tables (for tests and benchmarks). */
  readonly crowdedBuckets: number;

  private constructor(sels: readonly Selector[], strategy: ClassifierStrategy, options: ClassifierOptions) {
    const n = sels.length;
    this.size = n;
    this.strategy = strategy;
    // Only the scan reads the (network, mask) arrays.
    const masks = strategy === 'scan' ? n : 0;
    this.srcNet = new Uint32Array(masks);
    this.srcMask = new Uint32Array(masks);
    this.dstNet = new Uint32Array(masks);
    this.dstMask = new Uint32Array(masks);
    this.csrc = null;
    this.cdst = null;
    this.cross = null;
    this.crossProduct = false;
    this.split = null;
    this.crowdedBuckets = 0;
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
    } else if (strategy === 'split') {
      this.src = null;
      this.dst = null;
      this.split = buildSplit(sa, sl, da, dl, options, 0);
      this.crowdedBuckets = this.split.crowded;
      this.memoryBytes = this.split.bytes;
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
    const strategy = options.strategy ?? (sels.length < SCAN_LIMIT ? 'scan' : 'split');
    return new SelectorClassifier(sels, strategy, options);
  }

  /** Index of the first selector containing (src, dst) (uint32 addresses), or -1. */
  classify(src: number, dst: number): number {
    const s = src >>> 0;
    const d = dst >>> 0;
    if (this.split !== null) return splitClassify(this.split, s, d);
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
    const split = this.split;
    if (split !== null) {
      splitBatch(split, src, dst, out, m);
    } else if (cs !== null && cd !== null) {
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

/** First selector containing (s, d) in a 'split' table: the lowest of its three candidates. */
function splitClassify(t: SplitTables, s: number, d: number): number {
  const hs = (s >>> t.shift) << 1;
  const hd = (d >>> t.shift) << 1;
  const sh = t.srcHead;
  const dh = t.dstHead;
  let best = t.cross[sh[hs]! + dh[hd]!]!;
  best = scanBucket(t, t.srcEnt, sh[hs + 1]!, sh[hs + 3]!, s, d, s, d, best);
  best = scanBucket(t, t.dstEnt, dh[hd + 1]!, dh[hd + 3]!, d, s, s, d, best);
  return best === NONE ? -1 : best;
}

/**
 * `best` lowered to the first selector of the bucket entries `ent[e0, end)` (in list
 * order) that contains the pair: `key` is the address on the side the bucket is keyed by,
 * `other` the one on the other side; (s, d) go to a crowded entry's nested tables.
 */
function scanBucket(t: SplitTables, ent: Int32Array, e0: number, end: number, key: number, other: number, s: number, d: number, best: number): number {
  for (let e = e0; e < end; e += ENTRY) {
    const i = ent[e + 4]!;
    if (i >= best) return best;
    if (((key ^ ent[e]!) & ent[e + 1]!) === 0 && ((other ^ ent[e + 2]!) & ent[e + 3]!) === 0) {
      return ent[e + 1] !== 0 ? i : nestedBest(t.nested[ent[e]!]!, s, d, best);
    }
  }
  return best;
}

/**
 * `out[k] = splitClassify(t, src[k], dst[k])` for k < m, in a function of its own so the
 * batch loop is optimised apart from the other strategies' loops.
 */
function splitBatch(t: SplitTables, src: Uint32Array, dst: Uint32Array, out: Int32Array, m: number): void {
  const sh = t.srcHead;
  const dh = t.dstHead;
  const cross = t.cross;
  const se = t.srcEnt;
  const de = t.dstEnt;
  const shift = t.shift;
  for (let k = 0; k < m; k++) {
    const s = src[k]!;
    const d = dst[k]!;
    const hs = (s >>> shift) << 1;
    const hd = (d >>> shift) << 1;
    let best = cross[sh[hs]! + dh[hd]!]!;
    if (sh[hs + 1]! < sh[hs + 3]!) best = scanBucket(t, se, sh[hs + 1]!, sh[hs + 3]!, s, d, s, d, best);
    if (dh[hd + 1]! < dh[hd + 3]!) best = scanBucket(t, de, dh[hd + 1]!, dh[hd + 3]!, d, s, s, d, best);
    out[k] = best === NONE ? -1 : best;
  }
}

/** `best` lowered to a crowded bucket's first match, if that comes earlier. */
function nestedBest(b: NestedBucket, s: number, d: number, best: number): number {
  const k = b.side === 0 ? splitClassify(b.tables, (s << b.bits) >>> 0, d) : splitClassify(b.tables, s, (d << b.bits) >>> 0);
  if (k < 0) return best;
  const i = b.index[k]!;
  return i < best ? i : best;
}
