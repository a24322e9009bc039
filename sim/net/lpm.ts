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
 * chosen at compile time from the table's size (the thresholds below; a strategy can be
 * forced) and visible as `strategy`, one file each:
 * - 'range-table' (lpm-range-table.ts): the interval table with its first-level index;
 *   below DIR_MIN_ROUTES routes (a few hundred bytes) and for the biggest tables;
 * - 'dir-16-8' (lpm-dir-16-8.ts): two loads for most addresses, from DIR_MIN_ROUTES on;
 * - 'dir-16-search' (lpm-dir-16-search.ts): a compact per-/16 block search, when DIR-16-8
 *   would need more than DIR_MAX_CHUNKS level-2 chunks;
 * - 'dir-24-8' (lpm-dir-24-8.ts): one load per address in a flat 64 MiB, from
 *   DIR24_MIN_INTERVALS intervals on (big, BGP-sized tables), since every compact
 *   structure is bound by cache and TLB misses that its search serialises.
 */
import { buildIntervalTable, checkLen, intervalTableBytes, IntList, networkOf, sortUniquePrefixes, sweepPrefixes } from './intervals.js';
import type { IntervalTable } from './intervals.js';
import { rangeTableLookup, rangeTableLookupBatch } from './lpm-range-table.js';
import { buildDirTable, cutBlocks, dirLookup, dirLookupBatch, dirTableBytes } from './lpm-dir-16-8.js';
import type { DirTable } from './lpm-dir-16-8.js';
import { blockLookup, blockLookupBatch, blockTableBytes, buildBlockTable } from './lpm-dir-16-search.js';
import type { BlockTable } from './lpm-dir-16-search.js';
import { buildDir24Table, cutBlocks24, dir24Lookup, dir24LookupBatch, dir24TableBytes } from './lpm-dir-24-8.js';
import type { Dir24Table } from './lpm-dir-24-8.js';

/** One route as the LPM table sees it: a prefix. Payload lives elsewhere, by index. */
export interface LpmRoute {
  readonly addr: number;
  readonly len: number;
}

/** Lookup structure of an LpmTable (visible for tests and benchmarks). */
export type LpmStrategy = 'range-table' | 'dir-16-8' | 'dir-16-search' | 'dir-24-8';

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
 * Below this many routes the default is the range table (a few hundred bytes, one short
 * binary search); from here on the DIR-16-8 table (256 KiB and up, two loads).
 */
export const DIR_MIN_ROUTES = 64;

/**
 * DIR-16-8 is the default while its level-2 chunks (1 KiB per /16 block cut by a
 * prefix) stay within this many; beyond, they would spill out of cache and the compact
 * 'dir-16-search' table (6 bytes per interval) is faster or close at a tenth of the memory.
 */
export const DIR_MAX_CHUNKS = 2048;

/**
 * Above this many intervals (about 150,000 BGP-like routes) the range table's first-level
 * index has 2^20 slots, about one interval each: one index load and one or two compares,
 * faster than DIR-16-8 and dir-16-search at 500,000 routes (whose blocks
 * need a longer search, or 64 MiB of chunks). Such tables normally go to DIR-24-8 (checked
 * first); the range table serves the ones DIR-24-8 would need too many chunks for.
 */
export const RANGE_MIN_INTERVALS = 1 << 18;

/**
 * From this many intervals on (about 65,000 BGP-like routes) the default is DIR-24-8: its
 * flat 64 MiB answer nearly every address in one load with no search, and with the batch
 * loop's independent loads it is about 1.4x the range table at 100,000 routes and 2-3x at
 * 500,000 (`vgw bench lpm --sizes 100000,500000`), where the compact structures' searches serialise their cache misses behind
 * mispredicted branches. Below, the compact structures are as fast or faster in far less
 * memory.
 */
export const DIR24_MIN_INTERVALS = 1 << 17;

/** DIR-24-8 is never the default past this many cut /24 blocks (1 KiB of chunk each). */
export const DIR24_MAX_CHUNKS = 1 << 16;

/** The default strategy for `t`, with DIR-24-8's chunk count when it was counted to choose (so the build need not count again). */
function defaultStrategy(routes: number, t: IntervalTable, options: LpmOptions): { strategy: LpmStrategy; cut24?: number } {
  if (routes < DIR_MIN_ROUTES) return { strategy: 'range-table' };
  const cut24 = t.starts.length >= (options.dir24MinIntervals ?? DIR24_MIN_INTERVALS) ? cutBlocks24(t) : undefined;
  if (cut24 !== undefined && cut24 <= DIR24_MAX_CHUNKS) return { strategy: 'dir-24-8', cut24 };
  if (t.starts.length >= RANGE_MIN_INTERVALS) return { strategy: 'range-table' };
  return { strategy: cutBlocks(t) <= DIR_MAX_CHUNKS ? 'dir-16-8' : 'dir-16-search' };
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
  /** 'range-table' only (the other structures answer alone and drop it). */
  private declare readonly range: IntervalTable | null;
  private declare readonly dir: DirTable | null;
  private declare readonly block: BlockTable | null;
  private declare readonly dir24: Dir24Table | null;

  /** `cut24`: `cutBlocks24(t)` when already counted (DIR-24-8 only). */
  private constructor(size: number, t: IntervalTable, strategy: LpmStrategy, cut24?: number) {
    this.size = size;
    this.strategy = strategy;
    this.range = strategy === 'range-table' ? t : null;
    this.dir = strategy === 'dir-16-8' ? buildDirTable(t) : null;
    this.block = strategy === 'dir-16-search' ? buildBlockTable(t) : null;
    this.dir24 = strategy === 'dir-24-8' ? buildDir24Table(t, cut24) : null;
    this.memoryBytes =
      this.dir !== null ? dirTableBytes(this.dir)
      : this.block !== null ? blockTableBytes(this.block)
      : this.dir24 !== null ? dir24TableBytes(this.dir24)
      : intervalTableBytes(t);
  }

  /**
   * Compile routes into a table. Route `i` of the input is answered as `i`. Throws a
   * RangeError when a length is not an integer 0-32 (validated upstream).
   */
  static compile(routes: readonly LpmRoute[], options: LpmOptions = {}): LpmTable {
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
    const t = buildIntervalTable(starts.buf, vals.buf, starts.n);
    const chosen = options.strategy !== undefined ? { strategy: options.strategy } : defaultStrategy(n, t, options);
    return new LpmTable(n, t, chosen.strategy, chosen.cut24);
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
    if (this.dir24 !== null) dir24LookupBatch(this.dir24, addrs, out, m);
    else if (this.dir !== null) dirLookupBatch(this.dir, addrs, out, m);
    else if (this.block !== null) blockLookupBatch(this.block, addrs, out, m);
    else rangeTableLookupBatch(this.range!, addrs, out, m);
  }
}
