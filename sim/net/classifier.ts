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
 * Rejects: selector lengths that are not integers 0-32 (validated upstream) with a
 * RangeError from `compile`. Host bits in selector addresses are ignored.
 */
import {
  buildIntervalTable,
  checkLen,
  findInterval,
  intervalTableBytes,
  sortUniquePrefixes,
  sweepPrefixes,
} from './lpm.js';
import type { IntervalTable } from './lpm.js';

/** A traffic selector: a source prefix and a destination prefix (any protocol). */
export interface Selector {
  readonly srcAddr: number;
  readonly srcLen: number;
  readonly dstAddr: number;
  readonly dstLen: number;
}

/** Lookup structure used by a compiled classifier. */
export type ClassifierStrategy = 'scan' | 'bitset';

/** Compile options; the default picks the strategy from the list length. */
export interface ClassifierOptions {
  /** Force a strategy (tests and benchmarks); default: 'scan' below SCAN_LIMIT selectors. */
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

/** Build the interval table and deduplicated bitset rows for one dimension. */
function buildDimension(addrs: Uint32Array, lens: Uint8Array, words: number, sumWords: number): Dimension {
  const n = addrs.length;
  const order = sortUniquePrefixes(addrs, lens);
  const m = order.length;
  // Selector bits per distinct prefix, as lists of selector indices.
  const idOf = new Map<number, number>();
  for (let k = 0; k < m; k++) idOf.set(addrs[order[k]!]! * 64 + lens[order[k]!]!, k);
  const members: number[][] = [];
  for (let k = 0; k < m; k++) members.push([]);
  for (let i = 0; i < n; i++) members[idOf.get(addrs[i]! * 64 + lens[i]!)!]!.push(i);

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

/**
 * Immutable compiled selector classifier. `classify` returns the same answer as
 * `referenceClassify` and allocates nothing.
 */
export class SelectorClassifier {
  /** Number of selectors compiled (duplicates included). */
  readonly size: number;
  /** Bytes held by the classifier's typed arrays. */
  readonly memoryBytes: number;
  /** Which lookup structure was built: 'scan' for short lists, 'bitset' otherwise. */
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

  private constructor(sels: readonly Selector[], strategy: ClassifierStrategy) {
    const n = sels.length;
    this.size = n;
    this.strategy = strategy;
    this.srcNet = new Uint32Array(strategy === 'scan' ? n : 0);
    this.srcMask = new Uint32Array(strategy === 'scan' ? n : 0);
    this.dstNet = new Uint32Array(strategy === 'scan' ? n : 0);
    this.dstMask = new Uint32Array(strategy === 'scan' ? n : 0);
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
    if (strategy === 'scan') {
      for (let i = 0; i < n; i++) {
        this.srcNet[i] = sa[i]!;
        this.srcMask[i] = maskOfLen(sl[i]!);
        this.dstNet[i] = da[i]!;
        this.dstMask[i] = maskOfLen(dl[i]!);
      }
      this.src = null;
      this.dst = null;
      this.memoryBytes = 16 * n;
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
    const strategy = options.strategy ?? (sels.length < SCAN_LIMIT ? 'scan' : 'bitset');
    return new SelectorClassifier(sels, strategy);
  }

  /** Index of the first selector containing (src, dst) (uint32 addresses), or -1. */
  classify(src: number, dst: number): number {
    const s = src >>> 0;
    const d = dst >>> 0;
    if (this.src === null || this.dst === null) return this.scan(s, d);
    return this.bitsets(this.src, this.dst, s, d);
  }

  /** `out[i] = classify(src[i], dst[i])` for `i < n` (n clamped to the arrays' lengths). */
  classifyBatch(src: Uint32Array, dst: Uint32Array, out: Int32Array, n: number): void {
    const m = Math.min(n, src.length, dst.length, out.length);
    const ds = this.src;
    const dd = this.dst;
    if (ds === null || dd === null) {
      for (let i = 0; i < m; i++) out[i] = this.scan(src[i]!, dst[i]!);
    } else {
      for (let i = 0; i < m; i++) out[i] = this.bitsets(ds, dd, src[i]!, dst[i]!);
    }
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
