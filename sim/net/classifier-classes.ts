/**
 * The 'classes' selector classifier: equivalence classes per dimension over the whole
 * list, as in recursive flow classification. Chosen by the cost model (classifier.ts) for
 * lists of DIR_MIN_ROUTES selectors or more whose tables stay within its memory budget,
 * when it costs less than the split tables; the benchmark reports it on every list (forced).
 *
 * Per dimension, the elementary intervals are grouped into equivalence classes (intervals
 * inside exactly the same set of prefixes, prefix-classes.ts). When the product of the
 * class counts is at most CROSS_LIMIT, the answer of every (source class, destination
 * class) pair is precomputed in a cross table, and from DIR_MIN_ROUTES selectors on each
 * dimension's class is found by a class map (ClassMap: three loads, no branch): classify
 * is seven loads whatever the list, which is why it beats the split tables, whose bucket
 * scans branch on the data, wherever its tables fit the cost model's memory budget.
 * Otherwise (a forced build of a long list, for the benchmark: at 10,000 random selectors
 * 39 MiB and about a second to build) each source class, found by a DIR-16-8 table
 * (lpm-dir-16-8.ts), gets its own interval table over destination addresses holding the
 * first selector of the class that contains them, with a first-level index on the
 * destination's top bits (about one slot per interval): classify is one DIR lookup, one
 * index load and a search of one or two intervals; the batch finds the classes of a chunk
 * first, so the cache misses of different packets overlap.
 *
 * The cross-table batch runs through per-table code (`classesBatchLoop`), made like the
 * split tables' (classifier-split-batch.ts says why) by code-from-text.ts; where code
 * cannot be made from text, the plain loop here answers. Compile time allocates freely;
 * lookups allocate nothing. Answers exactly what referenceClassify answers.
 */
import { advance, cutBlocks, findInterval, intervalTableBytes, sortUniquePrefixes, sweepPrefixes, wholeTo } from './intervals.js';
import { DIR_MIN_ROUTES } from './lpm.js';
import { buildDirTable, dirLookup, dirLookupBatch, dirTableBytes } from './lpm-dir-16-8.js';
import type { DirTable } from './lpm-dir-16-8.js';
import { buildClassDim, firstCommon } from './prefix-classes.js';
import type { ClassDim } from './prefix-classes.js';
import { functionFromText } from './code-from-text.js';

/** A class dimension with a DIR-16-8 table over its classes (the per-class tables' path, from DIR_MIN_ROUTES selectors on). */
export interface ClassDimWithDir extends ClassDim {
  readonly dir: DirTable | null;
}

/**
 * A dimension's address -> class map in three levels of 16, 8 and 8 bits, read with no
 * branch: `v = l1[a >>> 16]`, `w = l2[(v >>> 1) + ((a >>> 8) & 255 & -(v & 1))]`, class
 * `l3[(w >>> 1) + (a & 255 & -(w & 1))]`. An entry is `offset << 1 | cut`: a /16 or /24
 * block cut by a class edge points at its 256-entry chunk of the next level (cut = 1),
 * one inside a single class at that class's one cell there (cut = 0), so every lookup
 * is three dependent loads and no mispredicted branch, whatever the prefix lengths.
 * Memory: 256 KiB, 1 KiB per cut /16 block and per cut /24 block, 8 bytes per class.
 */
export interface ClassMap {
  readonly l1: Int32Array;
  readonly l2: Int32Array;
  readonly l3: Int32Array;
}

/** Bytes of the class map of a dimension with interval starts `starts` and `classes` classes. */
function classMapBytes(starts: Uint32Array, classes: number): number {
  const { cut16, cut24 } = cutBlocks(starts);
  return 4 * ((1 << 16) + 256 * (cut16 + cut24) + 2 * classes);
}

/** The class map of a class dimension (see ClassMap). */
export function buildClassMap(d: ClassDim): ClassMap {
  const { starts, values } = d.table;
  const { cut16, cut24 } = cutBlocks(starts);
  const l1 = new Int32Array(1 << 16);
  const l2 = new Int32Array(256 * cut16 + d.classes);
  const l3 = new Int32Array(256 * cut24 + d.classes);
  // Class c's single cells: l2[256 * cut16 + c] points at l3[256 * cut24 + c], which holds c.
  for (let c = 0; c < d.classes; c++) {
    l3[256 * cut24 + c] = c;
    l2[256 * cut16 + c] = (256 * cut24 + c) << 1;
  }
  let n2 = 0;
  let n3 = 0;
  let iv = 0;
  for (let b = 0; b < 1 << 16; b++) {
    const base = b * 65536;
    iv = advance(starts, iv, base);
    if (wholeTo(starts, iv, base + 65536)) {
      l1[b] = (256 * cut16 + values[iv]!) << 1;
      continue;
    }
    l1[b] = (n2 << 1) | 1;
    for (let j = 0; j < 256; j++) {
      const base2 = base + j * 256;
      iv = advance(starts, iv, base2);
      if (wholeTo(starts, iv, base2 + 256)) {
        l2[n2 + j] = l2[256 * cut16 + values[iv]!]!;
        continue;
      }
      l2[n2 + j] = (n3 << 1) | 1;
      for (let k = 0; k < 256; k++) {
        iv = advance(starts, iv, base2 + k);
        l3[n3 + k] = values[iv]!;
      }
      n3 += 256;
    }
    n2 += 256;
  }
  return { l1, l2, l3 };
}

/** Class of address `a` in a class map. Allocation-free. */
export function classMapLookup(m: ClassMap, a: number): number {
  const v = m.l1[a >>> 16]!;
  const w = m.l2[(v >>> 1) + ((a >>> 8) & 255 & -(v & 1))]!;
  return m.l3[(w >>> 1) + (a & 255 & -(w & 1))]!;
}

/** Above this many (source class x destination class) cells, no cross table is built. */
export const CROSS_LIMIT = 1 << 22;

/**
 * The equivalence classes of both dimensions of masked selector columns: the first step
 * of a 'classes' build, which the cost model (classifier.ts) takes alone to see how large
 * the tables would be (`crossClassBytes`).
 */
export function classDims(sa: Uint32Array, sl: Uint8Array, da: Uint32Array, dl: Uint8Array): { src: ClassDim; dst: ClassDim } {
  return { src: buildClassDim(sa, sl), dst: buildClassDim(da, dl) };
}


/**
 * 'classes' tables. With a cross table: `cross[a * dstClasses + b]` is the first selector
 * of source class a and destination class b, or -1, the classes found by class maps from
 * DIR_MIN_ROUTES selectors on (by the interval tables' search below). Without one: per source class c an
 * interval table over destination addresses, `subStarts/subVals[subStart[c] ..
 * subStart[c+1])`, whose value is the first selector of the class containing that
 * destination, indexed by the destination's top bits: class c's slots are
 * `subIdx[subIdxOff[c] ..]`, slot b holding the interval containing `b << subShift[c]`.
 */
export interface ClassTables {
  readonly src: ClassDimWithDir;
  readonly dst: ClassDimWithDir;
  /** Int16 cells below 32,768 selectors (half the cache lines), else Int32. */
  readonly cross: Int16Array | Int32Array | null;
  /** With a cross table, from DIR_MIN_ROUTES selectors on: each dimension's class map (the dims then have no DIR table). */
  readonly srcMap: ClassMap | null;
  readonly dstMap: ClassMap | null;
  readonly subStart: Uint32Array;
  readonly subStarts: Uint32Array;
  readonly subVals: Int32Array;
  readonly subShift: Uint8Array;
  readonly subIdxOff: Uint32Array;
  readonly subIdx: Uint32Array;
  /** Source classes and index slots of a chunk of a batch (the per-class path's first passes). */
  readonly scratch: Int32Array;
  readonly scratchLo: Uint32Array;
  readonly scratchHi: Uint32Array;
  readonly bytes: number;
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

/** Bytes of a class dimension's arrays; a DIR table shares `starts` and `values` with the interval table, so they count once. */
function classDimBytes(d: ClassDimWithDir): number {
  const t = d.dir !== null ? dirTableBytes(d.dir) + d.table.index.byteLength : intervalTableBytes(d.table);
  return t + d.listStart.byteLength + d.list.byteLength;
}

/** Bytes 'classes' tables with a cross table would take over classes `dims` of `n` selectors (`memoryBytes` once built; the cost model's memory bound). */
export function crossClassBytes(dims: { src: ClassDim; dst: ClassDim }, n: number): number {
  const dim = (d: ClassDim): number => intervalTableBytes(d.table) + d.listStart.byteLength + d.list.byteLength + (n >= DIR_MIN_ROUTES ? classMapBytes(d.table.starts, d.classes) : 0);
  return dim(dims.src) + dim(dims.dst) + crossCellBytes(n) * dims.src.classes * dims.dst.classes;
}

/** Bytes of a cross cell for `n` selectors: 2 while every index and -1 fit an Int16. */
export function crossCellBytes(n: number): number {
  return n <= 0x7fff ? 2 : 4;
}

/**
 * Build 'classes' tables over masked selector columns (`sa[i]/sl[i]` the source prefix of
 * selector i, `da[i]/dl[i]` its destination), from their class dimensions when the caller
 * already has them (`classDims`).
 */
export function buildClasses(sa: Uint32Array, sl: Uint8Array, da: Uint32Array, dl: Uint8Array, dims = classDims(sa, sl, da, dl)): ClassTables {
  const n = sa.length;
  const withCross = dims.src.classes * dims.dst.classes <= CROSS_LIMIT;
  const big = n >= DIR_MIN_ROUTES;
  const cs: ClassDimWithDir = { ...dims.src, dir: big && !withCross ? buildDirTable(dims.src.table) : null };
  const cd: ClassDimWithDir = { ...dims.dst, dir: big && !withCross ? buildDirTable(dims.dst.table) : null };
  const srcMap = big && withCross ? buildClassMap(cs) : null;
  const dstMap = big && withCross ? buildClassMap(cd) : null;
  let cross: Int16Array | Int32Array | null = null;
  let sub: ReturnType<typeof buildSubTables> = { subStart: new Uint32Array(0), starts: new Uint32Array(0), vals: new Int32Array(0) };
  let idx: ReturnType<typeof indexSubTables> = { shift: new Uint8Array(0), off: new Uint32Array(0), index: new Uint32Array(0) };
  if (withCross) {
    cross = crossCellBytes(n) === 2 ? new Int16Array(cs.classes * cd.classes) : new Int32Array(cs.classes * cd.classes);
    for (let a = 0; a < cs.classes; a++) {
      for (let b = 0; b < cd.classes; b++) cross[a * cd.classes + b] = firstCommon(cs, cd, a, b);
    }
  } else {
    sub = buildSubTables(cs, da, dl);
    idx = indexSubTables(sub.subStart, sub.starts);
  }
  const scratch = new Int32Array(cross === null ? 256 : 0);
  const scratchLo = new Uint32Array(scratch.length);
  const scratchHi = new Uint32Array(scratch.length);
  const mapBytes = (m: ClassMap | null): number => (m === null ? 0 : m.l1.byteLength + m.l2.byteLength + m.l3.byteLength);
  const bytes =
    classDimBytes(cs) + classDimBytes(cd) + mapBytes(srcMap) + mapBytes(dstMap) + (cross !== null ? cross.byteLength : 0) +
    sub.subStart.byteLength + sub.starts.byteLength + sub.vals.byteLength +
    idx.shift.byteLength + idx.off.byteLength + idx.index.byteLength +
    scratch.byteLength + scratchLo.byteLength + scratchHi.byteLength;
  return {
    src: cs, dst: cd, cross, srcMap, dstMap,
    subStart: sub.subStart, subStarts: sub.starts, subVals: sub.vals,
    subShift: idx.shift, subIdxOff: idx.off, subIdx: idx.index,
    scratch, scratchLo, scratchHi, bytes,
  };
}

function classOfAddr(d: ClassDimWithDir, a: number): number {
  return d.dir !== null ? dirLookup(d.dir, a) : d.table.values[findInterval(d.table, a)]!;
}

/** First selector of source class `a` whose destination prefix contains `d`, or -1 (the per-class tables). */
function subClassify(t: ClassTables, a: number, d: number): number {
  const starts = t.subStarts;
  const io = t.subIdxOff[a]! + (d >>> t.subShift[a]!);
  let lo = t.subIdx[io]!;
  let hi = t.subIdx[io + 1]!;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= d) lo = mid;
    else hi = mid - 1;
  }
  return t.subVals[lo]!;
}

/** Index of the first selector containing (s, d) in 'classes' tables, or -1. Allocation-free. */
export function classesClassify(t: ClassTables, s: number, d: number): number {
  if (t.srcMap !== null && t.dstMap !== null) return t.cross![classMapLookup(t.srcMap, s) * t.dst.classes + classMapLookup(t.dstMap, d)]!;
  const a = classOfAddr(t.src, s);
  if (t.cross !== null) return t.cross[a * t.dst.classes + classOfAddr(t.dst, d)]!;
  return subClassify(t, a, d);
}

/** `out[k] = classesClassify(t, src[k], dst[k])` for k < m, where no per-table loop answers. */
export function classesBatch(t: ClassTables, src: Uint32Array, dst: Uint32Array, out: Int32Array, m: number): void {
  const cs = t.src;
  const cross = t.cross;
  if (cross === null && cs.dir !== null) {
    // Big lists: one DIR lookup for the source class, one short search in its table.
    // In passes over chunks of the batch, so the cache misses of different packets
    // overlap instead of forming one long dependent chain per packet.
    const sdir = cs.dir;
    const cls = t.scratch;
    const lo = t.scratchLo;
    const hi = t.scratchHi;
    const idx = t.subIdx;
    const starts = t.subStarts;
    const vals = t.subVals;
    for (let from = 0; from < m; from += cls.length) {
      const k = Math.min(cls.length, m - from);
      dirLookupBatch(sdir, from === 0 ? src : src.subarray(from), cls, k);
      // Second pass: each packet's index slot (one load per packet, independent).
      for (let j = 0; j < k; j++) {
        const a = cls[j]!;
        const io = t.subIdxOff[a]! + (dst[from + j]! >>> t.subShift[a]!);
        lo[j] = idx[io]!;
        hi[j] = idx[io + 1]!;
      }
      // Third pass: the short searches.
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
    for (let i = 0; i < m; i++) out[i] = classesClassify(t, src[i]!, dst[i]!);
  }
}

/** A per-table batch: `out[k] = classesClassify(t, src[k], dst[k])` for k < m (the caller clamps m). */
export type ClassesBatchLoop = (src: Uint32Array, dst: Uint32Array, out: Int32Array, m: number) => void;

/** Packets per call of the inner loop: short enough that it is called often and compiled normally. */
const CHUNK = 1024;

/**
 * Template text binding a per-table loop's class maps (`t.srcMap`, `t.dstMap`: the
 * classes' and the regions' tables) as constants S1-S3 and D1-D3.
 */
export const CLASS_MAP_CONSTS = `const S1 = t.srcMap.l1;
const S2 = t.srcMap.l2;
const S3 = t.srcMap.l3;
const D1 = t.dstMap.l1;
const D2 = t.dstMap.l2;
const D3 = t.dstMap.l3;
`;

/**
 * The template, over the arguments `t` (tables with a cross table and class maps) and
 * `chunk` (CHUNK). `range` answers packets [from, to), one per iteration: three loads a
 * side and the cross cell, no branch; no load depends on an earlier packet, so the CPU
 * overlaps them across iterations.
 */
const TEMPLATE = `'use strict';
${CLASS_MAP_CONSTS}const CROSS = t.cross;
const ND = t.dst.classes;
const CHUNK = chunk;
function range(src, dst, out, from, to) {
  for (let k = from; k < to; k++) {
    const s = src[k];
    const d = dst[k];
    const sv = S1[s >>> 16];
    const dv = D1[d >>> 16];
    const sw = S2[(sv >>> 1) + ((s >>> 8) & 255 & -(sv & 1))];
    const dw = D2[(dv >>> 1) + ((d >>> 8) & 255 & -(dv & 1))];
    out[k] = CROSS[S3[(sw >>> 1) + (s & 255 & -(sw & 1))] * ND + D3[(dw >>> 1) + (d & 255 & -(dw & 1))]];
  }
}
return function batch(src, dst, out, m) {
  for (let b = 0; b < m; b += CHUNK) range(src, dst, out, b, m - b < CHUNK ? m : b + CHUNK);
};
`;

type Maker = (t: ClassTables, chunk: number) => ClassesBatchLoop;

/**
 * A per-table batch loop over 'classes' tables with a cross table and class maps, or null
 * (other tables, or code cannot be made from text: the caller keeps `classesBatch`).
 */
export function classesBatchLoop(t: ClassTables): ClassesBatchLoop | null {
  if (t.cross === null || t.srcMap === null || t.dstMap === null) return null;
  const make = functionFromText<Maker>('classify-classes', ['t', 'chunk'], TEMPLATE);
  return make === null ? null : make(t, CHUNK);
}
