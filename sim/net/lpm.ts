/**
 * The compiled longest-prefix-match table: the facade over four lookup structures.
 *
 * Owns: turning an ordered list of `(addr, len)` routes into an immutable table and
 * answering "which route wins for this address" without allocating. The answer is the
 * index of the route in the list it was compiled from (longest length wins; among equal
 * prefixes the lowest index wins, so list order expresses preference), or -1; the same
 * answer as `referenceLookup` (lpm-reference.ts).
 *
 * Rejects: route lengths that are not integers 0-32 (a programming error upstream: the
 * scenario layer validates prefixes first), by throwing a RangeError from `compile`.
 * Host bits in a route's address are ignored (the route means `addr & mask`), the same way
 * the reference implementation reads it. `lookup` itself is total.
 *
 * The routes are swept into disjoint intervals of the address space where the winning
 * route is constant (intervals.ts). One structure is then built over those intervals,
 * chosen at compile time by a cost model over the intervals and each structure's memory
 * (lpm-cost.ts; a strategy can be forced), visible as `strategy` and, with the model's
 * estimates, `choice`. One file each:
 * - 'range-table' (lpm-range-table.ts): the interval table with its first-level index;
 *   always below DIR_MIN_ROUTES routes (a few hundred bytes);
 * - 'dir-16-8' (lpm-dir-16-8.ts): two loads for most addresses; wins while its level-2
 *   chunks stay in cache (mid-size tables);
 * - 'dir-16-search' (lpm-dir-16-search.ts): a compact per-/16 block search;
 * - 'dir-24-8' (lpm-dir-24-8.ts): one load per address in a flat 64 MiB, a candidate from
 *   DIR24_MIN_INTERVALS intervals on; wins on big, BGP-sized tables, where every compact
 *   structure is bound by cache and TLB misses that its search serialises.
 */
import { buildIntervalTable, checkLen, IntList, networkOf, sortUniquePrefixes, sweepPrefixes } from './intervals.js';
import type { IntervalTable } from './intervals.js';
import { buildRangeTable, rangeTableBytes, rangeTableLookup, rangeTableLookupBatch } from './lpm-range-table.js';
import type { RangeTable } from './lpm-range-table.js';
import { buildDirTable, dirLookup, dirLookupBatch, dirTableBytes } from './lpm-dir-16-8.js';
import type { DirTable } from './lpm-dir-16-8.js';
import { blockLookup, blockLookupBatch, blockTableBytes, buildBlockTable } from './lpm-dir-16-search.js';
import type { BlockTable } from './lpm-dir-16-search.js';
import { buildDir24Table, dir24Lookup, dir24LookupBatch, dir24TableBytes } from './lpm-dir-24-8.js';
import type { Dir24Table } from './lpm-dir-24-8.js';
import { cheapestStrategy, intervalShape } from './lpm-cost.js';
import { dir24Vector, VECTOR_SIZE } from './lpm-specialise.js';
import type { LpmStrategy } from './lpm-cost.js';

/** One route as the LPM table sees it: a prefix. Payload lives elsewhere, by index. */
export interface LpmRoute {
  readonly addr: number;
  readonly len: number;
}

/**
 * A table's vector: fill `input[0..n)` with addresses, call `lookup(n)`, read the answers
 * in `output[0..n)` (the route's index or -1, as `LpmTable.lookup`). n is clamped to
 * VECTOR_SIZE. One per table, reused by every call: not for two users at once.
 */
export interface LpmVector {
  readonly input: Uint32Array;
  readonly output: Int32Array;
  lookup(n: number): void;
}

export { VECTOR_SIZE };

/** Lookup structure of an LpmTable (visible for tests and benchmarks). */
export type { LpmStrategy };

/** Compile options of an LpmTable; the default picks the strategy from the table size. */
export interface LpmOptions {
  readonly strategy?: LpmStrategy;
  /**
   * From this many intervals on, the default strategy is 'dir-24-8' (default
   * DIR24_MIN_INTERVALS); lets tests reach the big-table choice with a small table.
   */
  readonly dir24MinIntervals?: number;
}

/**
 * Below this many routes the default is the range table: a few hundred bytes, one short
 * search. The tables of scenarios are this small and many; they stay small.
 */
export const DIR_MIN_ROUTES = 64;

/**
 * DIR-24-8 spends a flat 64 MiB; it is a candidate only from this many intervals on (about
 * 8,000 BGP-like routes), so a mid-size table never costs 64 MiB for a small gain.
 */
export const DIR24_MIN_INTERVALS = 1 << 14;

/** DIR-24-8 is never the default past this many cut /24 blocks (1 KiB of chunk each). */
export const DIR24_MAX_CHUNKS = 1 << 16;

/** The default strategy for `t` and why (the cost model's estimates, lpm-cost.ts). */
function defaultStrategy(routes: number, t: IntervalTable, options: LpmOptions): { strategy: LpmStrategy; why: string; cut24?: number } {
  if (routes < DIR_MIN_ROUTES) return { strategy: 'range-table', why: `fewer than ${DIR_MIN_ROUTES} routes: the smallest structure` };
  const shape = intervalShape(t);
  const allowed: LpmStrategy[] = ['dir-16-8', 'dir-16-search', 'range-table'];
  if (shape.intervals >= (options.dir24MinIntervals ?? DIR24_MIN_INTERVALS) && shape.cut24 <= DIR24_MAX_CHUNKS) allowed.push('dir-24-8');
  return { ...cheapestStrategy(shape, allowed), cut24: shape.cut24 };
}


/**
 * The disjoint intervals of `routes` with, for each, the index of its winning route (-1:
 * none), adjacent equal answers merged: what every strategy is built from. Throws a
 * RangeError when a length is not an integer 0-32 (validated upstream).
 */
export function routeIntervals(routes: readonly LpmRoute[]): IntervalTable {
  const n = routes.length;
  const addrs = new Uint32Array(n);
  const lens = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = routes[i]!;
    checkLen(r.len, 'route', i);
    lens[i] = r.len;
    addrs[i] = networkOf(r.addr, r.len);
  }
  const order = sortUniquePrefixes(addrs, lens);
  const starts = new IntList(order.length * 2 + 1);
  const vals = new IntList(order.length * 2 + 1);
  sweepPrefixes(
    order.length,
    (k) => addrs[order[k]!]!,
    (k) => lens[order[k]!]!,
    (start, top) => {
      const v = top < 0 ? -1 : order[top]!;
      if (vals.n > 0 && vals.buf[vals.n - 1] === v) return;
      starts.push(start);
      vals.push(v);
    },
  );
  return buildIntervalTable(starts.buf, vals.buf, starts.n);
}

/**
 * Immutable compiled LPM table. `lookup` returns the same answer as `referenceLookup`
 * in lpm-reference.ts and allocates nothing.
 */
export class LpmTable {
  /** Number of routes the table was compiled from (duplicates included). */
  declare readonly size: number;
  /** Bytes held by the table's typed arrays. */
  declare readonly memoryBytes: number;
  /** Which lookup structure was built; for tests and benchmarks. */
  declare readonly strategy: LpmStrategy;
  /** Why: the strategy was forced, or the cost model's estimates (for reports). */
  declare readonly choice: string;
  /** 'range-table' only (the other structures answer alone and drop it). */
  private declare readonly range: RangeTable | null;
  private declare readonly dir: DirTable | null;
  private declare readonly block: BlockTable | null;
  private declare readonly dir24: Dir24Table | null;
  /** The vector, made on first use (`vector`, and `lookupBatch` on DIR-24-8). */
  private declare vec: LpmVector | null;
  /** DIR-24-8's batch loop specialised to this table, when code could be made for it. */
  private declare fastBatch: ((addrs: Uint32Array, out: Int32Array, m: number) => void) | null;

  /** `cut24`: `cutBlocks24(t)` when already counted (DIR-24-8 only). */
  private constructor(size: number, t: IntervalTable, strategy: LpmStrategy, choice: string, cut24?: number) {
    this.size = size;
    this.strategy = strategy;
    this.choice = choice;
    this.range = strategy === 'range-table' ? buildRangeTable(t) : null;
    this.dir = strategy === 'dir-16-8' ? buildDirTable(t) : null;
    this.block = strategy === 'dir-16-search' ? buildBlockTable(t) : null;
    this.dir24 = strategy === 'dir-24-8' ? buildDir24Table(t, cut24) : null;
    this.memoryBytes =
      this.dir !== null ? dirTableBytes(this.dir)
      : this.block !== null ? blockTableBytes(this.block)
      : this.dir24 !== null ? dir24TableBytes(this.dir24)
      : rangeTableBytes(this.range!);
    this.vec = null;
    this.fastBatch = null;
  }

  /**
   * Compile routes into a table. Route `i` of the input is answered as `i`. Throws a
   * RangeError when a length is not an integer 0-32 (validated upstream).
   */
  static compile(routes: readonly LpmRoute[], options: LpmOptions = {}): LpmTable {
    const n = routes.length;
    const t = routeIntervals(routes);
    const chosen = options.strategy !== undefined ? { strategy: options.strategy, why: 'forced' } : defaultStrategy(n, t, options);
    return new LpmTable(n, t, chosen.strategy, chosen.why, 'cut24' in chosen ? chosen.cut24 : undefined);
  }

  /** Index of the winning route for `addr` (uint32), or -1 when no route matches. */
  lookup(addr: number): number {
    const a = addr >>> 0;
    // The range table first: it serves every table under DIR_MIN_ROUTES routes, the
    // tables of scenarios, which look up several times per packet.
    const range = this.range;
    if (range !== null) return rangeTableLookup(range, a);
    if (this.dir !== null) return dirLookup(this.dir, a);
    if (this.block !== null) return blockLookup(this.block, a);
    return dir24Lookup(this.dir24!, a);
  }

  /** `out[i] = lookup(addrs[i])` for `i < n` (n is clamped to both arrays' lengths). */
  lookupBatch(addrs: Uint32Array, out: Int32Array, n: number): void {
    const m = Math.min(n, addrs.length, out.length);
    if (this.dir24 !== null) {
      if (this.vec === null) this.makeVector();
      const fast = this.fastBatch;
      if (fast !== null) fast(addrs, out, m);
      else dir24LookupBatch(this.dir24, addrs, out, m);
    }
    else if (this.dir !== null) dirLookupBatch(this.dir, addrs, out, m);
    else if (this.block !== null) blockLookupBatch(this.block, addrs, out, m);
    else rangeTableLookupBatch(this.range!, addrs, out, m);
  }

  /**
   * The table's vector (made on first use): the fastest way to look up many addresses
   * when the caller can write them straight into `vector.input`. Scratch space, like a
   * batch's arrays: not counted in `memoryBytes` (8 KiB).
   */
  get vector(): LpmVector {
    return this.vec ?? this.makeVector();
  }

  /**
   * Which loop answers the vector and DIR-24-8 batches: 'specialised' (made for this
   * table, lpm-specialise.ts) or 'plain' (the structure's own loop: not DIR-24-8, or code
   * cannot be made from text here).
   */
  get vectorLoop(): 'specialised' | 'plain' {
    if (this.vec === null) this.makeVector();
    return this.fastBatch !== null ? 'specialised' : 'plain';
  }

  /** DIR-24-8: the specialised loops where code can be made; else `lookupBatch` on the vector. */
  private makeVector(): LpmVector {
    const fast = this.dir24 !== null ? dir24Vector(this.dir24.l1, this.dir24.l2) : null;
    let v: LpmVector;
    if (fast !== null) {
      v = fast;
      this.fastBatch = fast.batch;
    } else {
      const input = new Uint32Array(VECTOR_SIZE);
      const output = new Int32Array(VECTOR_SIZE);
      v = { input, output, lookup: (n) => this.lookupBatch(input, output, Math.min(n, VECTOR_SIZE)) };
    }
    this.vec = v;
    return v;
  }
}
