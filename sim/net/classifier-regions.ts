/**
 * The 'regions' selector classifier: equivalence classes per dimension over the whole list
 * (prefix-classes.ts), as in the 'classes' strategy (classifier-classes.ts), for lists
 * whose one cross table of every (source class, destination class) pair would be too
 * large (10,000 private-pool selectors: about 7,400 classes a side, 104 MiB).
 *
 * The source classes, in class order (about address order), are cut into regions of
 * consecutive classes. A region's selectors are those of its classes' lists; two
 * destination classes that contain the same of the region's selectors are one column of
 * the region, so a region has few columns (about twice its selectors' distinct
 * destination prefixes, not every destination class). Per region:
 * - a remap, global destination class -> the region's column (`remap[base + b]`, base =
 *   region * destination classes), Uint16;
 * - a pair table, one row per source class of the region, one cell per column: the first
 *   selector of that source class and column, or -1 (`cells[row + column]`).
 * A region grows while (its classes x the columns it would have) stays within a bound of
 * cells; smaller regions have narrower rows but more remaps (one per region), so the
 * build plans the cut at each of REGION_CELLS_CHOICES and keeps the one of fewest bytes
 * (`smallestRegionPlan`): at 10,000 private-pool selectors 16,384 cells, 111 regions,
 * 5.9 MiB in all (4,096: 7.4 MiB; 65,536: 6.3 MiB). In-process the three made the same
 * lookups per second within 5%.
 *
 * Lookup, with no branch: the source's class (class map of 16, 8 and 8 bits, as in
 * classifier-classes.ts, its last level Uint16), its row and remap base (two loads from
 * per-class arrays, 29 KiB each at 10,000 private pools), the destination's class (the same class map), the
 * column (remap), the cell: nine loads whatever the prefix lengths. The batch runs
 * through per-table code made by code-from-text.ts (classifier-split-batch.ts says why),
 * in three passes over each PASS packets: both classes, then row and column, then the
 * cell. Each pass's loads depend only on the pass before, so a pass has short chains
 * of dependent loads and the CPU overlaps many packets' cache misses; one pass per
 * packet (a chain of six dependent loads) made 0.5-0.7x as many lookups at 10,000
 * private-pool selectors. Where code cannot be made from text, the plain loop
 * here answers, one packet at a time.
 *
 * The cost model (classifier.ts) prices it before building the cells (`smallestRegionPlan`) and
 * refuses it above its memory budget, or when a side has more than 65,535 classes (the
 * Uint16 class maps and remaps). Compile time allocates freely; lookups allocate nothing.
 * Answers exactly what referenceClassify answers.
 */
import { buildClassMap, CLASS_MAP_CONSTS } from './classifier-classes.js';
import type { ClassMap } from './classifier-classes.js';
import { functionFromText } from './code-from-text.js';
import type { ClassDim } from './prefix-classes.js';

/** Bounds of (source classes x columns) cells of one region the build tries (a region of one class may exceed them). */
export const REGION_CELLS_CHOICES: readonly number[] = [1 << 12, 1 << 14, 1 << 16];

/** Most classes of a side, and columns of a region: class numbers are stored in Uint16 arrays. */
export const REGION_MAX_CLASSES = 0xffff;

/** A class map whose last level holds class numbers as Uint16 (half the bytes of classifier-classes.ts's). */
export interface ClassMap16 {
  readonly l1: Int32Array;
  readonly l2: Int32Array;
  readonly l3: Uint16Array;
}

/** 'regions' tables (see the top of this file). */
export interface RegionTables {
  readonly srcMap: ClassMap16;
  readonly dstMap: ClassMap16;
  /** Per source class: where its row starts in `cells`. */
  readonly row: Int32Array;
  /** Per source class: its region's remap base, region * destination classes. */
  readonly base: Int32Array;
  /** Per region, per destination class: the region's column of that class. */
  readonly remap: Uint16Array;
  /** The regions' rows, one after another; Int16 below 32,768 selectors, else Int32. */
  readonly cells: Int16Array | Int32Array;
  readonly regions: number;
  /** The batch's passes: per packet of a pass, its source class then row, and its destination class then column. */
  readonly scratchRow: Int32Array;
  readonly scratchCol: Int32Array;
  readonly bytes: number;
}

/** Packets per pass of the batch (see the top of this file): 256-512 were fastest, 128 and 1,024 slower. */
const PASS = 256;

/** How the source classes are cut into regions, and the bytes the tables would take. */
export interface RegionPlan {
  /** Region of each source class (consecutive classes, ascending regions). */
  readonly regionOf: Int32Array;
  readonly regions: number;
  /** Upper bound of the cells (each region's classes x its estimated columns). */
  readonly cellsBound: number;
  /** Bytes the tables would take at most (the cost model's memory bound); Infinity when a side has too many classes. */
  readonly bytes: number;
}

/** Bytes of a Uint16-last-level class map of `classes` classes over interval starts cutting `cut16` /16 and `cut24` /24 blocks. */
function classMap16Bytes(cut16: number, cut24: number, classes: number): number {
  return 4 * ((1 << 16) + 256 * cut16 + classes) + 2 * (256 * cut24 + classes);
}

/** The class map of `d` with its last level as Uint16 (class numbers below 65,536). */
function classMap16(d: ClassDim): ClassMap16 {
  const m: ClassMap = buildClassMap(d);
  return { l1: m.l1, l2: m.l2, l3: Uint16Array.from(m.l3) };
}

function mapBytes(m: ClassMap16): number {
  return m.l1.byteLength + m.l2.byteLength + m.l3.byteLength;
}

/**
 * Cut the source classes of `src` into regions: consecutive classes while (classes x
 * (2 x distinct destination prefixes of their selectors + 1)) stays within `cells`. The
 * bytes are an upper bound: a region's real columns are at most that estimate.
 * `cut` gives each dimension's cut /16 and /24 blocks (intervals.ts cutBlocks).
 */
export function regionPlan(
  src: ClassDim, dst: ClassDim, da: Uint32Array, dl: Uint8Array, n: number,
  cut: { src: { cut16: number; cut24: number }; dst: { cut16: number; cut24: number } }, cells: number,
): RegionPlan {
  const regionOf = new Int32Array(src.classes);
  const inRegion = new Int32Array(n).fill(-1);
  const prefixes = new Set<number>();
  let regions = 0;
  let classesIn = 0;
  let bound = 0;
  const close = (): void => {
    bound += classesIn * (2 * prefixes.size + 1);
    regions++;
    classesIn = 0;
    prefixes.clear();
  };
  for (let a = 0; a < src.classes; a++) {
    const from = src.listStart[a]!;
    const to = src.listStart[a + 1]!;
    let added = 0;
    for (let k = from; k < to; k++) {
      const i = src.list[k]!;
      if (inRegion[i] === regions) continue;
      const key = da[i]! * 64 + dl[i]!;
      if (!prefixes.has(key)) added++;
    }
    if (classesIn > 0 && (classesIn + 1) * (2 * (prefixes.size + added) + 1) > cells) close();
    for (let k = from; k < to; k++) {
      const i = src.list[k]!;
      inRegion[i] = regions;
      prefixes.add(da[i]! * 64 + dl[i]!);
    }
    regionOf[a] = regions;
    classesIn++;
  }
  if (classesIn > 0 || regions === 0) close();
  const tooMany = src.classes > REGION_MAX_CLASSES || dst.classes > REGION_MAX_CLASSES;
  const cellBytes = n <= 0x7fff ? 2 : 4;
  const bytes = tooMany
    ? Infinity
    : classMap16Bytes(cut.src.cut16, cut.src.cut24, src.classes) + classMap16Bytes(cut.dst.cut16, cut.dst.cut24, dst.classes) +
      8 * src.classes + 2 * regions * dst.classes + cellBytes * bound + 8 * PASS;
  return { regionOf, regions, cellsBound: bound, bytes };
}

/** The plan of fewest bytes over REGION_CELLS_CHOICES (arguments as `regionPlan`'s). */
export function smallestRegionPlan(
  src: ClassDim, dst: ClassDim, da: Uint32Array, dl: Uint8Array, n: number,
  cut: { src: { cut16: number; cut24: number }; dst: { cut16: number; cut24: number } },
): RegionPlan {
  let best: RegionPlan | null = null;
  for (const cells of REGION_CELLS_CHOICES) {
    const p = regionPlan(src, dst, da, dl, n, cut, cells);
    if (best === null || p.bytes < best.bytes) best = p;
  }
  return best!;
}

/**
 * Build 'regions' tables over classes `src` and `dst` of a list of `n` selectors, cut as
 * `plan` says (`regionPlan`; its bytes must be finite).
 */
export function buildRegions(src: ClassDim, dst: ClassDim, n: number, plan: RegionPlan): RegionTables {
  const D = dst.classes;
  const R = plan.regions;
  const remap = new Uint16Array(R * D);
  const row = new Int32Array(src.classes);
  const base = new Int32Array(src.classes);
  // Source classes of each region (consecutive).
  const firstOf = new Int32Array(R + 1).fill(src.classes);
  for (let a = src.classes - 1; a >= 0; a--) firstOf[plan.regionOf[a]!] = a;
  firstOf[R] = src.classes;
  const inRegion = new Uint8Array(n);
  const parts: Int32Array[] = [];
  let total = 0;
  for (let r = 0; r < R; r++) {
    const a0 = firstOf[r]!;
    const a1 = firstOf[r + 1]!;
    for (let a = a0; a < a1; a++) for (let k = src.listStart[a]!; k < src.listStart[a + 1]!; k++) inRegion[src.list[k]!] = 1;
    // Columns: destination classes grouped by which of the region's selectors they are in.
    const colOf = new Map<string, number>();
    const cols: Int32Array[] = [];
    for (let b = 0; b < D; b++) {
      const sig: number[] = [];
      for (let k = dst.listStart[b]!; k < dst.listStart[b + 1]!; k++) if (inRegion[dst.list[k]!] === 1) sig.push(dst.list[k]!);
      const key = sig.join(',');
      let j = colOf.get(key);
      if (j === undefined) {
        j = cols.length;
        colOf.set(key, j);
        cols.push(Int32Array.from(sig));
      }
      remap[r * D + b] = j;
    }
    for (let a = a0; a < a1; a++) for (let k = src.listStart[a]!; k < src.listStart[a + 1]!; k++) inRegion[src.list[k]!] = 0;
    const w = cols.length;
    const cells = new Int32Array((a1 - a0) * w);
    for (let a = a0; a < a1; a++) {
      row[a] = total + (a - a0) * w;
      base[a] = r * D;
      const from = src.listStart[a]!;
      const to = src.listStart[a + 1]!;
      for (let j = 0; j < w; j++) cells[(a - a0) * w + j] = firstIn(src.list, from, to, cols[j]!);
    }
    parts.push(cells);
    total += cells.length;
  }
  const cells = n <= 0x7fff ? new Int16Array(total) : new Int32Array(total);
  let o = 0;
  for (const p of parts) {
    cells.set(p, o);
    o += p.length;
  }
  const srcMap = classMap16(src);
  const dstMap = classMap16(dst);
  const scratchRow = new Int32Array(PASS);
  const scratchCol = new Int32Array(PASS);
  const bytes = mapBytes(srcMap) + mapBytes(dstMap) + row.byteLength + base.byteLength + remap.byteLength + cells.byteLength + scratchRow.byteLength + scratchCol.byteLength;
  return { srcMap, dstMap, row, base, remap, cells, regions: R, scratchRow, scratchCol, bytes };
}

/** First selector in both `list[from, to)` and `sig` (both ascending), or -1. */
function firstIn(list: Int32Array, from: number, to: number, sig: Int32Array): number {
  let i = from;
  let j = 0;
  while (i < to && j < sig.length) {
    const x = list[i]!;
    const y = sig[j]!;
    if (x === y) return x;
    if (x < y) i++;
    else j++;
  }
  return -1;
}

/** Class of `a` in a Uint16-last-level class map (see classifier-classes.ts ClassMap). */
function classOf(m: ClassMap16, a: number): number {
  const v = m.l1[a >>> 16]!;
  const w = m.l2[(v >>> 1) + ((a >>> 8) & 255 & -(v & 1))]!;
  return m.l3[(w >>> 1) + (a & 255 & -(w & 1))]!;
}

/** Index of the first selector containing (s, d) in 'regions' tables, or -1. Allocation-free. */
export function regionsClassify(t: RegionTables, s: number, d: number): number {
  const a = classOf(t.srcMap, s);
  return t.cells[t.row[a]! + t.remap[t.base[a]! + classOf(t.dstMap, d)]!]!;
}

/** `out[k] = regionsClassify(t, src[k], dst[k])` for k < m, where no per-table loop answers. */
export function regionsBatch(t: RegionTables, src: Uint32Array, dst: Uint32Array, out: Int32Array, m: number): void {
  for (let k = 0; k < m; k++) out[k] = regionsClassify(t, src[k]!, dst[k]!);
}

/** A per-table batch: `out[k] = regionsClassify(t, src[k], dst[k])` for k < m (the caller clamps m). */
export type RegionsBatchLoop = (src: Uint32Array, dst: Uint32Array, out: Int32Array, m: number) => void;

/**
 * The template, over the arguments `t` (the tables) and `pass` (PASS). `range` answers
 * packets [from, to), at most PASS, in three passes with no branch but the loops': the
 * classes (six loads a packet), the row and column (three), the cell (one).
 */
const TEMPLATE = `'use strict';
${CLASS_MAP_CONSTS}const ROW = t.row;
const BASE = t.base;
const REMAP = t.remap;
const CELLS = t.cells;
const A = t.scratchRow;
const B = t.scratchCol;
const PASS = pass;
function range(src, dst, out, from, to) {
  const n = to - from;
  for (let j = 0; j < n; j++) {
    const s = src[from + j];
    const d = dst[from + j];
    const sv = S1[s >>> 16];
    const dv = D1[d >>> 16];
    const sw = S2[(sv >>> 1) + ((s >>> 8) & 255 & -(sv & 1))];
    const dw = D2[(dv >>> 1) + ((d >>> 8) & 255 & -(dv & 1))];
    A[j] = S3[(sw >>> 1) + (s & 255 & -(sw & 1))];
    B[j] = D3[(dw >>> 1) + (d & 255 & -(dw & 1))];
  }
  for (let j = 0; j < n; j++) {
    const a = A[j];
    B[j] = REMAP[BASE[a] + B[j]];
    A[j] = ROW[a];
  }
  for (let j = 0; j < n; j++) out[from + j] = CELLS[A[j] + B[j]];
}
return function batch(src, dst, out, m) {
  for (let b = 0; b < m; b += PASS) range(src, dst, out, b, m - b < PASS ? m : b + PASS);
};
`;

type Maker = (t: RegionTables, pass: number) => RegionsBatchLoop;

/** A per-table batch loop over 'regions' tables, or null where code cannot be made from text (the caller keeps `regionsBatch`). */
export function regionsBatchLoop(t: RegionTables): RegionsBatchLoop | null {
  const make = functionFromText<Maker>('classify-regions', ['t', 'pass'], TEMPLATE);
  return make === null ? null : make(t, PASS);
}
