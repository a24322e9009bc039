/**
 * The 'split' selector classifier: the default from SCAN_LIMIT selectors on (classifier.ts).
 *
 * Selectors are split by prefix length. Pairs of wide prefixes (both shorter than a
 * threshold T <= 16) are cross-producted: the top bits of each address index a direct
 * table giving its class (prefix-classes.ts), and a small cross table the first wide
 * selector of the pair of classes. The other selectors sit in buckets by the top bits of
 * one of their sides (the side whose prefix is at least T long); most buckets are empty or
 * hold one or two. The first match is the lowest index of the three candidates. Crowded
 * buckets get nested tables of their own over the next bits. A lookup is a few loads from
 * tables that fit in cache (1.6 MiB at 10,000 random selectors) and no search; see
 * SplitTables.
 */
import { maskOfLen } from './intervals.js';
import { buildClassDim, firstCommon } from './prefix-classes.js';
import type { ClassDim } from './prefix-classes.js';

/** Build options of the split tables (tests lower the thresholds to reach every path). */
export interface SplitOptions {
  /** Most cells of the wide-pair cross table (default SPLIT_CROSS_LIMIT). */
  readonly splitCrossLimit?: number;
  /** Most entries of a bucket before it is nested (default BUCKET_MAX). */
  readonly splitBucketMax?: number;
}

/**
 * 'split': most cells of the wide-pair cross table (512 KiB of Int32), so that it stays
 * in a core's L2 cache with the block rows: at 10,000 random selectors, 2^17 cells
 * (threshold /12) are about 1.25x faster than 2^20 cells (/15, a 2.5 MiB table).
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
export interface SplitTables {
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
  return buildClassDim(a, l);
}

/** One side of a selector as the buckets see it. */
interface Side {
  readonly net: Uint32Array;
  readonly len: Uint8Array;
}

/**
 * Build split tables over masked selector columns (`sa[i]/sl[i]` the source prefix of
 * selector i, `da[i]/dl[i]` its destination); `depth` 0 for the whole list.
 */
export function buildSplit(sa: Uint32Array, sl: Uint8Array, da: Uint32Array, dl: Uint8Array, options: SplitOptions, depth = 0): SplitTables {
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

/** First selector containing (s, d) in a 'split' table: the lowest of its three candidates. */
export function splitClassify(t: SplitTables, s: number, d: number): number {
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
export function splitBatch(t: SplitTables, src: Uint32Array, dst: Uint32Array, out: Int32Array, m: number): void {
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
