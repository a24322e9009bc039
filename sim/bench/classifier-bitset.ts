/**
 * The bitset selector classifier: a benchmark baseline (`vgw bench classify`), not used
 * by the simulator, which classifies with the split tables (sim/net/classifier.ts).
 *
 * Per dimension, the address space is cut into elementary intervals (the same flattened,
 * first-level-indexed range table as the LPM table, sim/net/intervals.ts); each interval
 * carries a bitset (one bit per selector) of the selectors whose prefix in that dimension
 * contains it. Classify finds one interval per dimension, ANDs the two bitsets and returns
 * the lowest set bit. Each bitset also has a summary bitset (one bit per non-zero word), so
 * the AND only touches words where both sides have selectors: an address is inside few
 * prefixes, so rows are sparse. Identical rows are stored once. Answers exactly what
 * referenceClassify answers.
 */
import { buildIntervalTable, findInterval, intervalTableBytes, sweepPrefixes } from '../net/intervals.js';
import type { IntervalTable } from '../net/intervals.js';
import { groupByPrefix } from '../net/prefix-classes.js';
import { selectorColumns } from '../net/classifier.js';
import type { Selector } from '../net/classifier.js';

/** One dimension of the bitset strategy: intervals → row ids, rows and their summaries. */
interface Dimension {
  readonly table: IntervalTable;
  readonly rows: Uint32Array;
  readonly sums: Uint32Array;
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

/** Immutable bitset classifier; same answers as `SelectorClassifier`. */
export class BitsetClassifier {
  readonly strategy = 'bitset';
  /** Number of selectors compiled (duplicates included). */
  readonly size: number;
  /** Bytes held by the classifier's typed arrays. */
  readonly memoryBytes: number;
  private readonly words: number;
  private readonly sumWords: number;
  private readonly src: Dimension;
  private readonly dst: Dimension;

  private constructor(sels: readonly Selector[]) {
    const n = sels.length;
    this.size = n;
    this.words = Math.max(1, Math.ceil(n / 32));
    this.sumWords = Math.ceil(this.words / 32);
    const { sa, sl, da, dl } = selectorColumns(sels);
    this.src = buildDimension(sa, sl, this.words, this.sumWords);
    this.dst = buildDimension(da, dl, this.words, this.sumWords);
    this.memoryBytes =
      intervalTableBytes(this.src.table) + this.src.rows.byteLength + this.src.sums.byteLength +
      intervalTableBytes(this.dst.table) + this.dst.rows.byteLength + this.dst.sums.byteLength;
  }

  /** Compile selectors; selector `i` is answered as `i`. Throws a RangeError on a length outside 0-32. */
  static compile(sels: readonly Selector[]): BitsetClassifier {
    return new BitsetClassifier(sels);
  }

  /** Index of the first selector containing (src, dst) (uint32 addresses), or -1. */
  classify(src: number, dst: number): number {
    return this.bitsets(src >>> 0, dst >>> 0);
  }

  /** `out[i] = classify(src[i], dst[i])` for `i < n` (n clamped to the arrays' lengths). */
  classifyBatch(src: Uint32Array, dst: Uint32Array, out: Int32Array, n: number): void {
    const m = Math.min(n, src.length, dst.length, out.length);
    for (let i = 0; i < m; i++) out[i] = this.bitsets(src[i]!, dst[i]!);
  }

  private bitsets(s: number, d: number): number {
    const ds = this.src;
    const dd = this.dst;
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
