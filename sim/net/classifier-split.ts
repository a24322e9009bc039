/**
 * The 'split' selector classifier: chosen by the cost model for all but the shortest lists
 * (classifier.ts).
 *
 * Selectors are split by prefix length. Pairs of wide prefixes (both shorter than a
 * threshold T <= 17) are cross-producted: the top bits of each address index a direct
 * table giving its class (prefix-classes.ts), and a small cross table the first wide
 * selector of the pair of classes. The other selectors sit in buckets by the top bits of
 * one of their sides (the one whose exact prefix fewer selectors share, or in the less
 * crowded region); a top block whose sides crowd it is cut into sub-blocks on the bits
 * where they differ (all of 192.168/16 in one block, with private-pool selectors). Most
 * buckets are empty or hold one or two. The first match is the lowest index of the three
 * candidates. Crowded buckets get nested tables of their own over the next bits. A lookup
 * is a few loads from tables that fit in cache (2-3 MiB at 10,000 selectors) and no
 * search; see SplitTables.
 */
import { maskOfLen } from './intervals.js';
import { buildClassDim, firstCommon } from './prefix-classes.js';
import type { ClassDim } from './prefix-classes.js';
import { blockDensity, crowding, MAX_SUBS, prefixUses, refine, shadowed, subOf, subRange, twoLevels } from './split-blocks.js';

/** Build options of the split tables (tests lower the thresholds to reach every path). */
export interface SplitOptions {
  /** Most cells of the wide-pair cross table (default SPLIT_CROSS_LIMIT). */
  readonly splitCrossLimit?: number;
  /** Most entries of a bucket before it is nested (default BUCKET_MAX). */
  readonly splitBucketMax?: number;
  /** false: no sub-blocks (every top block one bucket), to compare and to test both paths. */
  readonly splitRefine?: boolean;
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
export const NONE = 0x7fffffff;

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
 * are split by prefix length against a threshold T <= B (B + 1 when B = 16):
 * - wide pairs (both lengths < T, so at most B bits): their class in each dimension (the
 *   set of wide prefixes containing the address) depends only on the block, so a direct
 *   table per block gives it, and a cross table holds the first wide selector of every
 *   (source class, destination class) pair. With B = 16 (lists of over 2,048 selectors), T
 *   may be 17: the /16 x /16 pairs of site-to-site lists then go to the cross table
 *   instead of every sub-block of their block's bucket (where lookups read them as
 *   misses); shorter lists keep T <= B, on which the cost model (classifier.ts) was fitted;
 * - the rest, in buckets by the block of a side whose length is >= min(T, B) (a B-bit side
 *   can key a pair whose other side is longer; the source's or the destination's: the
 *   one whose exact prefix far fewer selectors share, else the one in the less crowded
 *   block, else the longer; a prefix shorter than B bits is entered in
 *   each block it covers). A selector equal to an earlier one is left out (never the
 *   first match). A bucket lists its selectors in list order. A block whose sides crowd it
 *   is cut into 2^k sub-blocks on the k bits after B or after the prefix its sides share
 *   (Refinement), each with its own bucket; a side shorter than the cut is entered in each
 *   sub-block it covers.
 * The answer is the lowest of the three candidates (wide pair, source bucket, destination
 * bucket): the first match is the minimum index over any partition of the list. T is the
 * largest value whose cross table fits SPLIT_CROSS_LIMIT cells (T = 9 always fits: its
 * wide prefixes are /8 or shorter, at most 256 classes a side). Per block, one 8-byte row
 * holds [class (source: times the destination class count), bucket start]; the bucket
 * ends where the next block's starts. A cut block's row holds instead where its
 * sub-blocks' rows are, of the same shape, in a second level. A packet reads two rows (and
 * the next two, usually in the same cache lines; two more in cut blocks), one cross cell
 * and a short bucket, mostly empty; no search.
 * A bucket with more than BUCKET_MAX entries holds one entry instead, with zero masks (it
 * matches everything) and the bucket's first selector as its index: nested tables k
 * (k in the key net's place) built the same way from the bucket's selectors, their key
 * side with the block bits shifted out (a key prefix no longer than the block becomes
 * /0). Buckets with the same selectors share nested tables.
 */
export interface SplitTables {
  /** The block shift 32 - B. */
  readonly shift: number;
  /**
   * Per source top block b (and one more): [2b] cross row offset, or ~row (negative) when
   * the block is cut into sub-blocks (see Refinement; their rows in srcSub); [2b+1] start
   * of its bucket in srcEnt (of its first sub-block's).
   */
  readonly srcHead: Int32Array;
  /** Per destination top block: as srcHead, with the cross column. */
  readonly dstHead: Int32Array;
  /** Per source sub-block x: [2x] cross row offset, [2x+1] start of its bucket (each cut block's rows end with its next block's start). */
  readonly srcSub: Int32Array;
  readonly dstSub: Int32Array;
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

  // Selectors inside an earlier one's rectangle never match first: left out everywhere.
  const dead = shadowed(sa, sl, da, dl);
  // Largest threshold whose wide pairs fit the cross table (T = 0: no wide pairs); up to B,
  // or B + 1 with 16-bit blocks (a /16 still covers whole blocks; see SplitTables).
  let t = bits === 16 ? 17 : bits;
  let wide: number[] = [];
  let ws: ClassDim;
  let wd: ClassDim;
  for (;;) {
    wide = [];
    for (let i = 0; i < n; i++) if (sl[i]! < t && dl[i]! < t && dead[i] === 0) wide.push(i);
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
  // The buckets: side 0 = source, 1 = destination; -1 = a wide pair, or a selector inside
  // an earlier one (never the first match). A selector is keyed by the side whose exact
  // prefix far fewer selectors share (sub-blocks can tell apart different prefixes, never
  // equal ones), else by the side in the less crowded part of its dimension, else by the
  // longer one (entered in fewer sub-blocks).
  const sides: readonly [Side, Side] = [{ net: sa, len: sl }, { net: da, len: dl }];
  const side = new Int8Array(n).fill(-1);
  const uses = [prefixUses(sa, sl), prefixUses(da, dl)] as const;
  // Sides that can key a bucket: those of T bits or more, and B-bit sides of pairs that are not wide.
  const tk = Math.min(t, bits);
  const density = [blockDensity(sa, sl, tk, bits), blockDensity(da, dl, tk, bits)] as const;
  for (let i = 0; i < n; i++) {
    const okS = sl[i]! >= tk;
    const okD = dl[i]! >= tk;
    if (sl[i]! < t && dl[i]! < t) continue;
    if (dead[i] !== 0) continue;
    if (okS && okD) {
      const us = uses[0].get(sa[i]! * 64 + sl[i]!)!;
      const ud = uses[1].get(da[i]! * 64 + dl[i]!)!;
      const es = crowding(density[0], sa[i]!, sl[i]!, bits);
      const ed = crowding(density[1], da[i]!, dl[i]!, bits);
      side[i] = 2 * us < ud ? 0 : 2 * ud < us ? 1 : es < ed || (es === ed && sl[i]! >= dl[i]!) ? 0 : 1;
    } else side[i] = okS ? 0 : 1;
  }
  const subLimit = options.splitRefine === false ? 1 : MAX_SUBS;
  const refs = [refine(sa, sl, side, 0, bits, subLimit), refine(da, dl, side, 1, bits, subLimit)] as const;
  const heads = [new Int32Array(2 * (refs[0].subs + 1)), new Int32Array(2 * (refs[1].subs + 1))] as const;
  const sc = blockClasses(ws, shift);
  const dc = blockClasses(wd, shift);
  for (let x = 0; x < refs[0].subs; x++) heads[0][2 * x] = sc[refs[0].topOf[x]!]! * cd;
  for (let x = 0; x < refs[1].subs; x++) heads[1][2 * x] = dc[refs[1].topOf[x]!]!;
  const counts = [new Int32Array(refs[0].subs), new Int32Array(refs[1].subs)] as const;
  const range = (i: number, s: 0 | 1): [number, number] => subRange(refs[s], sides[s].net[i]!, sides[s].len[i]!, bits);
  const enter = (i: number, s: 0 | 1, by: number): void => {
    const c = counts[s];
    const [lo, hi] = range(i, s);
    for (let b = lo; b < hi; b++) c[b]! += by;
  };
  for (let i = 0; i < n; i++) if (side[i]! >= 0) enter(i, side[i] as 0 | 1, 1);

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
    const subs = refs[s].subs;
    const fill = new Int32Array(subs);
    let total = 0;
    for (let b = 0; b < subs; b++) {
      const k = c[b]!;
      head[2 * b + 1] = total * ENTRY;
      fill[b] = total * ENTRY;
      if (k > bucketMax) crowded.set(b, []);
      total += k > bucketMax ? 1 : k;
    }
    head[2 * subs + 1] = total * ENTRY;
    const ent = new Int32Array(total * ENTRY);
    for (let i = 0; i < n; i++) {
      if (side[i] !== s) continue;
      const [lo, hi] = range(i, s);
      for (let b = lo; b < hi; b++) {
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
    // key mask, their key length being >= min(T, B) >= 1) naming its nested tables.
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
  const [srcHead, srcSub] = twoLevels(refs[0], heads[0]);
  const [dstHead, dstSub] = twoLevels(refs[1], heads[1]);
  let bytes = srcHead.byteLength + dstHead.byteLength + srcSub.byteLength + dstSub.byteLength + cross.byteLength + ents[0]!.byteLength + ents[1]!.byteLength;
  for (const x of nested) {
    bytes += x.tables.bytes + x.index.byteLength;
    crowdedCount += x.tables.crowded;
  }
  return { shift, srcHead, dstHead, srcSub, dstSub, cross, srcEnt: ents[0]!, dstEnt: ents[1]!, nested, crowded: crowdedCount, bytes };
}

/** First selector containing (s, d) in a 'split' table: the lowest of its three candidates. */
export function splitClassify(t: SplitTables, s: number, d: number): number {
  let sh = t.srcHead;
  let hs = (s >>> t.shift) << 1;
  if (sh[hs]! < 0) {
    hs = subOf(~sh[hs]!, s) << 1;
    sh = t.srcSub;
  }
  let dh = t.dstHead;
  let hd = (d >>> t.shift) << 1;
  if (dh[hd]! < 0) {
    hd = subOf(~dh[hd]!, d) << 1;
    dh = t.dstSub;
  }
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
  const srcHead = t.srcHead;
  const dstHead = t.dstHead;
  const srcSub = t.srcSub;
  const dstSub = t.dstSub;
  const cross = t.cross;
  const se = t.srcEnt;
  const de = t.dstEnt;
  const shift = t.shift;
  for (let k = 0; k < m; k++) {
    const s = src[k]!;
    const d = dst[k]!;
    let sh = srcHead;
    let hs = (s >>> shift) << 1;
    let r = sh[hs]!;
    if (r < 0) {
      r = ~r;
      hs = ((r >>> 9) + ((s >>> ((r >>> 4) & 31)) & ((1 << (r & 15)) - 1))) << 1;
      sh = srcSub;
    }
    let dh = dstHead;
    let hd = (d >>> shift) << 1;
    r = dh[hd]!;
    if (r < 0) {
      r = ~r;
      hd = ((r >>> 9) + ((d >>> ((r >>> 4) & 31)) & ((1 << (r & 15)) - 1))) << 1;
      dh = dstSub;
    }
    let best = cross[sh[hs]! + dh[hd]!]!;
    if (sh[hs + 1]! < sh[hs + 3]!) best = scanBucket(t, se, sh[hs + 1]!, sh[hs + 3]!, s, d, s, d, best);
    if (dh[hd + 1]! < dh[hd + 3]!) best = scanBucket(t, de, dh[hd + 1]!, dh[hd + 3]!, d, s, s, d, best);
    out[k] = best === NONE ? -1 : best;
  }
}

/** The lookup row of `a` in a dimension: its table (top level or sub-blocks) and the row's offset. */
function rowOf(head: Int32Array, sub: Int32Array, shift: number, a: number): [Int32Array, number] {
  const h = (a >>> shift) << 1;
  return head[h]! < 0 ? [sub, subOf(~head[h]!, a) << 1] : [head, h];
}

/**
 * What a lookup of (s, d) reads besides its fixed rows, nested tables included: bucket
 * entries, and second-level rows (a cut block), which the strategy's cost model
 * (classifier.ts) counts. Compile time only (it allocates).
 */
export function splitVisits(t: SplitTables, s: number, d: number): { entries: number; cutRows: number } {
  const [sh, hs] = rowOf(t.srcHead, t.srcSub, t.shift, s);
  const [dh, hd] = rowOf(t.dstHead, t.dstSub, t.shift, d);
  let best = t.cross[sh[hs]! + dh[hd]!]!;
  let visits = 0;
  let cutRows = (sh === t.srcSub ? 1 : 0) + (dh === t.dstSub ? 1 : 0);
  const buckets = [[t.srcEnt, sh[hs + 1]!, sh[hs + 3]!, s, d], [t.dstEnt, dh[hd + 1]!, dh[hd + 3]!, d, s]] as const;
  for (const [ent, e0, end, key, other] of buckets) {
    for (let e = e0; e < end; e += ENTRY) {
      visits++;
      const i = ent[e + 4]!;
      if (i >= best) break;
      if (((key ^ ent[e]!) & ent[e + 1]!) !== 0 || ((other ^ ent[e + 2]!) & ent[e + 3]!) !== 0) continue;
      if (ent[e + 1] !== 0) best = i;
      else {
        const b = t.nested[ent[e]!]!;
        const inner = b.side === 0 ? splitVisits(b.tables, (s << b.bits) >>> 0, d) : splitVisits(b.tables, s, (d << b.bits) >>> 0);
        visits += inner.entries;
        cutRows += inner.cutRows;
        best = nestedBest(b, s, d, best);
      }
      break;
    }
  }
  return { entries: visits, cutRows };
}

/** `best` lowered to the first match of crowded bucket entry `k`'s nested tables (`t.nested[k]`), if that comes earlier. */
export function nestedEntryBest(t: SplitTables, k: number, s: number, d: number, best: number): number {
  return nestedBest(t.nested[k]!, s, d, best);
}

/** `best` lowered to a crowded bucket's first match, if that comes earlier. */
function nestedBest(b: NestedBucket, s: number, d: number, best: number): number {
  const k = b.side === 0 ? splitClassify(b.tables, (s << b.bits) >>> 0, d) : splitClassify(b.tables, s, (d << b.bits) >>> 0);
  if (k < 0) return best;
  const i = b.index[k]!;
  return i < best ? i : best;
}
