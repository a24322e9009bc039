/**
 * The compiled traffic-selector classifier (policy-based gateways, access lists): the
 * facade over the two strategies vgwsim uses.
 *
 * Owns: turning an ordered list of prefix pairs into an immutable structure that answers
 * "index of the FIRST selector containing (src, dst), or -1" without allocating, with
 * exactly the first-match semantics of referenceClassify (classifier-reference.ts).
 *
 * The strategy is chosen at compile time from the list length and visible as `strategy`
 * (it can be forced, for tests and benchmarks):
 * - 'scan' (classifier-scan.ts) below SCAN_LIMIT selectors: a linear scan over typed
 *   arrays of (network, mask) pairs;
 * - 'split' (classifier-split.ts) from SCAN_LIMIT on: wide prefix pairs cross-producted,
 *   the other selectors in buckets by address block.
 * The benchmark's baselines (bitsets, equivalence classes over the whole list) live in
 * sim/bench and share `selectorColumns`.
 *
 * Rejects: selector lengths that are not integers 0-32 (validated upstream) with a
 * RangeError from `compile`. Host bits in selector addresses are ignored.
 */
import { checkLen, maskOfLen } from './intervals.js';
import { buildScan, scanBytes, scanClassify } from './classifier-scan.js';
import type { ScanTables } from './classifier-scan.js';
import { buildSplit, splitBatch, splitClassify } from './classifier-split.js';
import type { SplitOptions, SplitTables } from './classifier-split.js';

/** A traffic selector: a source prefix and a destination prefix (any protocol). */
export interface Selector {
  readonly srcAddr: number;
  readonly srcLen: number;
  readonly dstAddr: number;
  readonly dstLen: number;
}

/** Lookup structure used by a compiled classifier. */
export type ClassifierStrategy = 'scan' | 'split';

/** Compile options; the default picks the strategy from the list length. */
export interface ClassifierOptions extends SplitOptions {
  /** Force a strategy (tests and benchmarks); default: 'scan' below SCAN_LIMIT selectors, else 'split'. */
  readonly strategy?: ClassifierStrategy;
}

/** Below this many selectors the default strategy is a plain scan. */
export const SCAN_LIMIT = 16;

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
  /** 'split': how many buckets are crowded, answered by nested tables (for tests and benchmarks). */
  readonly crowdedBuckets: number;
  private readonly scan: ScanTables | null;
  private readonly split: SplitTables | null;

  private constructor(sels: readonly Selector[], strategy: ClassifierStrategy, options: ClassifierOptions) {
    this.size = sels.length;
    this.strategy = strategy;
    const { sa, sl, da, dl } = selectorColumns(sels);
    if (strategy === 'scan') {
      this.scan = buildScan(sa, sl, da, dl);
      this.split = null;
      this.crowdedBuckets = 0;
      this.memoryBytes = scanBytes(this.scan);
    } else {
      this.scan = null;
      this.split = buildSplit(sa, sl, da, dl, options);
      this.crowdedBuckets = this.split.crowded;
      this.memoryBytes = this.split.bytes;
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
    return scanClassify(this.scan!, s, d);
  }

  /** `out[i] = classify(src[i], dst[i])` for `i < n` (n clamped to the arrays' lengths). */
  classifyBatch(src: Uint32Array, dst: Uint32Array, out: Int32Array, n: number): void {
    const m = Math.min(n, src.length, dst.length, out.length);
    const split = this.split;
    if (split !== null) {
      splitBatch(split, src, dst, out, m);
      return;
    }
    const scan = this.scan!;
    for (let i = 0; i < m; i++) out[i] = scanClassify(scan, src[i]!, dst[i]!);
  }
}
