/**
 * The compiled traffic-selector classifier (policy-based gateways, access lists): the
 * facade over the three strategies vgwsim uses.
 *
 * Owns: turning an ordered list of prefix pairs into an immutable structure that answers
 * "index of the FIRST selector containing (src, dst), or -1" without allocating, with
 * exactly the first-match semantics of referenceClassify (classifier-reference.ts).
 *
 * The strategy is chosen at compile time by a cost model over the compiled structures and
 * visible as `strategy`, with the model's figures in `choice` (it can be forced, for tests
 * and benchmarks):
 * - 'scan' (classifier-scan.ts): a linear scan over typed arrays of (network, mask) pairs;
 * - 'split' (classifier-split.ts): wide prefix pairs cross-producted, the other selectors
 *   in buckets by address block, crowded blocks cut where their selectors differ;
 * - 'classes' (classifier-classes.ts): equivalence classes per dimension over the whole
 *   list, each address's class found by a branch-free class map of 16, 8 and 8 bits, and
 *   a cross table of every pair of classes;
 * - 'regions' (classifier-regions.ts): the same classes, the source classes cut into
 *   regions, each with a pair table over only the destination columns its selectors tell
 *   apart (a remap per region), for lists whose one cross table would be too large.
 * The model compares every strategy it may build: a scan up to MODEL_LIMIT selectors;
 * split always; classes from DIR_MIN_ROUTES selectors on, when its tables would take at
 * most `classesBudget` bytes (estimated first from the distinct prefixes of each side, so
 * a list whose cross table would be far too large costs no class build); where classes
 * is refused, regions, when its tables would take at most that budget (bounded from the
 * regions' cut before any cell is built). The cheapest under the model is kept.
 * The benchmark's bitset baseline lives in sim/bench and shares `selectorColumns`.
 *
 * Rejects: selector lengths that are not integers 0-32 (validated upstream) with a
 * RangeError from `compile`. Host bits in selector addresses are ignored.
 */
import { checkLen, cutBlocks, maskOfLen } from './intervals.js';
import { buildScan, scanBytes, scanClassify } from './classifier-scan.js';
import type { ScanTables } from './classifier-scan.js';
import { buildSplit, splitBatch, splitClassify, splitVisits } from './classifier-split.js';
import type { SplitOptions, SplitTables } from './classifier-split.js';
import { splitBatchLoop } from './classifier-split-batch.js';
import type { SplitBatchLoop } from './classifier-split-batch.js';
import { buildClasses, classDims, classesBatch, classesBatchLoop, classesClassify, crossCellBytes, crossClassBytes } from './classifier-classes.js';
import type { ClassesBatchLoop, ClassTables } from './classifier-classes.js';
import { buildRegions, regionsBatch, regionsBatchLoop, regionsClassify, smallestRegionPlan } from './classifier-regions.js';
import type { RegionsBatchLoop, RegionTables } from './classifier-regions.js';
import type { ClassDim } from './prefix-classes.js';
import { DIR_MIN_ROUTES } from './lpm.js';

/** A traffic selector: a source prefix and a destination prefix (any protocol). */
export interface Selector {
  readonly srcAddr: number;
  readonly srcLen: number;
  readonly dstAddr: number;
  readonly dstLen: number;
}

/** Lookup structure used by a compiled classifier. */
export type ClassifierStrategy = 'scan' | 'split' | 'classes' | 'regions';

/** Compile options; the default picks the strategy from the list length. */
export interface ClassifierOptions extends SplitOptions {
  /** Force a strategy (tests and benchmarks); default: the cost model's choice. */
  readonly strategy?: ClassifierStrategy;
}

/** Up to this many selectors the cost model considers a scan. */
export const MODEL_LIMIT = 64;

/**
 * Most bytes of 'classes' tables the cost model accepts: CLASSES_MEMORY, or
 * CLASSES_BYTES_PER_SELECTOR per selector for longer lists (two class maps of 256 KiB and
 * more, and the cross table, which grows with the product of the class counts).
 */
export const CLASSES_MEMORY = 2 << 20;
export const CLASSES_BYTES_PER_SELECTOR = 1024;

/** The 'classes' memory budget of a list of `n` selectors. */
export function classesBudget(n: number): number {
  return Math.max(CLASSES_MEMORY, CLASSES_BYTES_PER_SELECTOR * n);
}

/**
 * The cost model, in units of one scan step (a selector checked by the scan), fitted to
 * `vgw bench classify`-style runs on lists of 4-64 selectors of every workload: a scan
 * call costs `scanCall` steps besides its steps (`scanHalf` more for a selector whose
 * source matches but whose destination does not); a split lookup `splitCall` (two rows,
 * one cross cell, two bucket bounds), `splitEntry` per bucket entry it reads and
 * `splitCut` per second-level row (a block cut into sub-blocks); a classes lookup
 * `classesCall` whatever it looks up (three loads a side and one cross cell, no branch)
 * and `classesMiB` per MiB of its tables up to `classesMiBMax` (their cache misses;
 * fitted on 64-2,048 selectors of every workload, where it took 9-19 ns a lookup against
 * split's 15-54 ns, and no more than 18 ns with tables of 2-19 MiB); a regions lookup
 * as a classes lookup of the same bytes and `regionsMore` for its two more dependent
 * loads (row and remap).
 */
const COST = { scanCall: 8.5, scanHalf: 1.7, splitCall: 8.3, splitEntry: 2.6, splitCut: 3.2, classesCall: 4.5, classesMiB: 2.5, classesMiBMax: 2, regionsMore: 3 } as const;

/** Share of lookups the model assumes inside some selector (traffic a gateway carries mostly matches). */
const MODEL_INSIDE = 0.9;

/** A selector list as columns: masked source and destination networks and their lengths. */
export interface SelectorColumns {
  readonly sa: Uint32Array;
  readonly sl: Uint8Array;
  readonly da: Uint32Array;
  readonly dl: Uint8Array;
}

/**
 * The columns of `sels` with host bits cleared. Throws a RangeError when a length is not
 * an integer 0-32 (validated upstream).
 */
export function selectorColumns(sels: readonly Selector[]): SelectorColumns {
  const n = sels.length;
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
  return { sa, sl, da, dl };
}

/** How many distinct prefixes one side of the columns has. */
function distinctPrefixes(net: Uint32Array, len: Uint8Array): number {
  const seen = new Set<number>();
  for (let i = 0; i < net.length; i++) seen.add(net[i]! * 64 + len[i]!);
  return seen.size;
}

/** A point inside selector j's rectangle (the middle of each side), where the model looks it up. */
function inside(c: SelectorColumns, j: number): [number, number] {
  const mid = (a: number, l: number): number => (l >= 32 ? a : (a | (1 << (31 - l))) >>> 0);
  return [mid(c.sa[j]!, c.sl[j]!), mid(c.da[j]!, c.dl[j]!)];
}

/**
 * Model cost of a scan: a lookup inside selector j reads the list up to its first match,
 * each selector whose source matches but whose destination does not costing `scanHalf`
 * more; one outside every selector reads the whole list.
 */
function scanCost(c: SelectorColumns): number {
  const n = c.sa.length;
  let steps = 0;
  for (let j = 0; j < n; j++) {
    const [s, d] = inside(c, j);
    for (let i = 0; i < n; i++) {
      steps++;
      if (((s ^ c.sa[i]!) & maskOfLen(c.sl[i]!)) !== 0) continue;
      if (((d ^ c.da[i]!) & maskOfLen(c.dl[i]!)) === 0) break;
      steps += COST.scanHalf;
    }
  }
  return COST.scanCall + (n === 0 ? 0 : MODEL_INSIDE * (steps / n)) + (1 - MODEL_INSIDE) * n;
}

/** Model cost of split tables: what a lookup inside each selector reads. */
function splitCost(c: SelectorColumns, t: SplitTables): number {
  const n = c.sa.length;
  let steps = 0;
  for (let j = 0; j < n; j++) {
    const v = splitVisits(t, ...inside(c, j));
    steps += COST.splitEntry * v.entries + COST.splitCut * v.cutRows;
  }
  return COST.splitCall + (n === 0 ? 0 : steps / n);
}

type Built = { scan: ScanTables } | { split: SplitTables } | { classes: ClassTables } | { regions: RegionTables };

/** Regions tables over classes `dims` of columns `c`, or the bytes they would take when that is above `budget`. */
function regionsWithin(c: SelectorColumns, dims: { src: ClassDim; dst: ClassDim }, budget: number): { regions: RegionTables } | number {
  const cut = { src: cutBlocks(dims.src.table.starts), dst: cutBlocks(dims.dst.table.starts) };
  const plan = smallestRegionPlan(dims.src, dims.dst, c.da, c.dl, c.sa.length, cut);
  if (plan.bytes > budget) return plan.bytes;
  return { regions: buildRegions(dims.src, dims.dst, c.sa.length, plan) };
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
  /** Which lookup structure was built (the cost model's choice unless forced). */
  readonly strategy: ClassifierStrategy;
  /** Why: the cost model's figures (in scan steps per lookup), or that the strategy was forced. */
  readonly choice: string;
  /** 'split': how many buckets are crowded, answered by nested tables (for tests and benchmarks). */
  readonly crowdedBuckets: number;
  /**
   * 'split', 'regions' and 'classes' with a cross table: which loop answers `classifyBatch`:
   * 'specialised', the table's own code (classifier-split-batch.ts, classifier-classes.ts,
   * classifier-regions.ts), or 'plain' where code cannot be made from text (and for the
   * other strategies).
   */
  readonly batchLoop: 'specialised' | 'plain';
  private readonly scan: ScanTables | null;
  private readonly split: SplitTables | null;
  private readonly classes: ClassTables | null;
  private readonly regions: RegionTables | null;
  private readonly loop: SplitBatchLoop | ClassesBatchLoop | RegionsBatchLoop | null;

  private constructor(size: number, built: Built, choice: string) {
    this.size = size;
    this.choice = choice;
    this.scan = 'scan' in built ? built.scan : null;
    this.split = 'split' in built ? built.split : null;
    this.classes = 'classes' in built ? built.classes : null;
    this.regions = 'regions' in built ? built.regions : null;
    this.crowdedBuckets = 0;
    if ('scan' in built) {
      this.strategy = 'scan';
      this.loop = null;
      this.memoryBytes = scanBytes(built.scan);
    } else if ('split' in built) {
      this.strategy = 'split';
      this.loop = splitBatchLoop(built.split);
      this.crowdedBuckets = built.split.crowded;
      this.memoryBytes = built.split.bytes;
    } else if ('classes' in built) {
      this.strategy = 'classes';
      this.loop = classesBatchLoop(built.classes);
      this.memoryBytes = built.classes.bytes;
    } else {
      this.strategy = 'regions';
      this.loop = regionsBatchLoop(built.regions);
      this.memoryBytes = built.regions.bytes;
    }
    this.batchLoop = this.loop === null ? 'plain' : 'specialised';
  }

  /**
   * Compile selectors; selector `i` of the input is answered as `i`. Throws a RangeError
   * when a length is not an integer 0-32 (validated upstream).
   */
  static compile(sels: readonly Selector[], options: ClassifierOptions = {}): SelectorClassifier {
    const c = selectorColumns(sels);
    const n = sels.length;
    const scan = (): { scan: ScanTables } => ({ scan: buildScan(c.sa, c.sl, c.da, c.dl) });
    const split = (): { split: SplitTables } => ({ split: buildSplit(c.sa, c.sl, c.da, c.dl, options) });
    if (options.strategy === 'scan') return new SelectorClassifier(n, scan(), 'scan, forced');
    if (options.strategy === 'split') return new SelectorClassifier(n, split(), 'split, forced');
    if (options.strategy === 'classes') return new SelectorClassifier(n, { classes: buildClasses(c.sa, c.sl, c.da, c.dl) }, 'classes, forced');
    if (options.strategy === 'regions') {
      const r = regionsWithin(c, classDims(c.sa, c.sl, c.da, c.dl), Infinity);
      // A side of more than 65,535 classes has no regions tables: split answers instead.
      if (typeof r === 'number') return new SelectorClassifier(n, split(), 'split, forced regions impossible (a side has more than 65,535 classes)');
      return new SelectorClassifier(n, r, 'regions, forced');
    }
    const candidates: { name: ClassifierStrategy; cost: number; built: () => Built }[] = [];
    const notes: string[] = [];
    const sp = split();
    if (n <= MODEL_LIMIT) candidates.push({ name: 'scan', cost: scanCost(c), built: scan });
    if (n >= DIR_MIN_ROUTES) {
      const budget = classesBudget(n);
      const mib = (b: number): string => `${(b / (1 << 20)).toFixed(1)} MiB`;
      const memoryCost = (bytes: number): number => COST.classesMiB * Math.min(bytes / (1 << 20), COST.classesMiBMax);
      // Each distinct prefix of a side makes about one class: the cross table's size before any class is built.
      const guess = crossCellBytes(n) * distinctPrefixes(c.sa, c.sl) * distinctPrefixes(c.da, c.dl);
      let dims: { src: ClassDim; dst: ClassDim } | null = null;
      if (guess > budget) notes.push(`classes refused: about ${mib(guess)}, above ${mib(budget)}`);
      else {
        dims = classDims(c.sa, c.sl, c.da, c.dl);
        const bytes = crossClassBytes(dims, n);
        if (bytes <= budget) {
          const cl = { classes: buildClasses(c.sa, c.sl, c.da, c.dl, dims) };
          candidates.push({ name: 'classes', cost: COST.classesCall + memoryCost(cl.classes.bytes), built: () => cl });
        } else notes.push(`classes refused: ${mib(bytes)}, above ${mib(budget)}`);
      }
      if (notes.length > 0) {
        const r = regionsWithin(c, dims ?? classDims(c.sa, c.sl, c.da, c.dl), budget);
        if (typeof r === 'number') notes.push(Number.isFinite(r) ? `regions refused: up to ${mib(r)}, above ${mib(budget)}` : 'regions refused: a side has more than 65,535 classes');
        else candidates.push({ name: 'regions', cost: COST.classesCall + COST.regionsMore + memoryCost(r.regions.bytes), built: () => r });
      }
    }
    // Split alone is not costed: the model's walk over every selector would only say so.
    if (candidates.length === 0) return new SelectorClassifier(n, sp, ['split, the only strategy the cost model may build', ...notes].join('; '));
    candidates.unshift({ name: 'split', cost: splitCost(c, sp.split), built: () => sp });
    const best = candidates.reduce((x, y) => (y.cost < x.cost ? y : x));
    const costs = candidates.map((x) => `${x.name} ${x.cost.toFixed(1)}`).join(', ');
    return new SelectorClassifier(n, best.built(), [`${best.name}, cost model: ${costs} steps per lookup`, ...notes].join('; '));
  }

  /** Index of the first selector containing (src, dst) (uint32 addresses), or -1. */
  classify(src: number, dst: number): number {
    const s = src >>> 0;
    const d = dst >>> 0;
    if (this.split !== null) return splitClassify(this.split, s, d);
    if (this.classes !== null) return classesClassify(this.classes, s, d);
    if (this.regions !== null) return regionsClassify(this.regions, s, d);
    return scanClassify(this.scan!, s, d);
  }

  /** `out[i] = classify(src[i], dst[i])` for `i < n` (n clamped to the arrays' lengths). */
  classifyBatch(src: Uint32Array, dst: Uint32Array, out: Int32Array, n: number): void {
    const m = Math.min(n, src.length, dst.length, out.length);
    if (this.loop !== null) {
      this.loop(src, dst, out, m);
      return;
    }
    const split = this.split;
    if (split !== null) {
      splitBatch(split, src, dst, out, m);
      return;
    }
    const classes = this.classes;
    if (classes !== null) {
      classesBatch(classes, src, dst, out, m);
      return;
    }
    const regions = this.regions;
    if (regions !== null) {
      regionsBatch(regions, src, dst, out, m);
      return;
    }
    const scan = this.scan!;
    for (let i = 0; i < m; i++) out[i] = scanClassify(scan, src[i]!, dst[i]!);
  }
}
