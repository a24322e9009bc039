/**
 * The LPM table's cost model: which structure answers a table's lookups fastest, estimated
 * from the table's intervals and each structure's memory, before any structure is built.
 *
 * Owns only the estimate (lpm.ts builds the winner). The traffic assumed is a gateway's:
 * destinations inside the routes, each interval about as likely as another, so a level of
 * a structure costs in proportion to the share of intervals that reach it. A load costs
 * by the size of the array it lands in (cache level, then DRAM and TLB misses); a
 * first-level load costs half, since the batch loops overlap independent loads; a branchy
 * search pays its mispredictions. The weights are relative nanoseconds, calibrated
 * on `vgw bench lpm` (the 100, 10,000 and 500,000-route BGP-like tables, every workload):
 * they need only order the structures right, not predict a rate.
 */
import { cutBlocks } from './intervals.js';
import type { IntervalTable } from './intervals.js';

/** The lookup structures an LpmTable can build (lpm.ts), which the model ranks. */
export type LpmStrategy = 'range-table' | 'dir-16-8' | 'dir-16-search' | 'dir-24-8';

/** What the model reads off a table's intervals. */
export interface IntervalShape {
  readonly intervals: number;
  /** /16 and /24 blocks that more than one interval shares (DIR level-2 chunks). */
  readonly cut16: number;
  readonly cut24: number;
  /** Share of intervals that start inside a cut /16 or /24 block. */
  readonly in16: number;
  readonly in24: number;
}

/** The shape of an interval table: its cut blocks (cutBlocks) and the intervals inside them. */
export function intervalShape(t: IntervalTable): IntervalShape {
  const starts = t.starts;
  const n = starts.length;
  let in16 = 0;
  let in24 = 0;
  for (let i = 1; i < n; i++) {
    const s = starts[i]!;
    if ((s & 0xffff) !== 0) in16++;
    if ((s & 255) !== 0) in24++;
  }
  const { cut16, cut24 } = cutBlocks(starts);
  return { intervals: n, cut16, cut24, in16: n > 0 ? in16 / n : 0, in24: n > 0 ? in24 / n : 0 };
}

/** Relative cost of a load that waits for the one before it and lands in an array of `bytes` (random positions). */
function loadCost(bytes: number): number {
  if (bytes <= 256 << 10) return 1; // L1/L2
  if (bytes <= 1 << 20) return 3; // L2/L3
  if (bytes <= 8 << 20) return 8; // L3 shared with other processes, TLB misses
  return 20; // DRAM
}

/**
 * A first-level load depends only on the address: the batch loops issue several at once,
 * so their misses overlap (about two at a time here).
 */
const INDEPENDENT = 0.5;

/** A mispredicted branch (a search's compare or exit): the pipeline is flushed and the overlap of misses lost. */
const MISPREDICT = 8;

/** Estimated cost per lookup of each structure, and its bytes. */
export function strategyCosts(s: IntervalShape): Record<LpmStrategy, { cost: number; bytes: number }> {
  const n = Math.max(1, s.intervals);
  const log2 = (x: number): number => Math.log2(Math.max(2, x));
  const dir24Bytes = (4 << 24) + s.cut24 * 1024;
  const dir16Bytes = (4 << 16) + s.cut16 * 1024 + 8 * n;
  const blockBytes = (4 << 16) + 6 * n;
  const index = 4 * Math.min(1 << 20, n);
  const rangeBytes = 8 * n + index;
  // Intervals per cut block: the span a search runs over.
  const per24 = s.cut24 > 0 ? (s.in24 * n) / s.cut24 : 1;
  const per16 = s.cut16 > 0 ? (s.in16 * n) / s.cut16 : 1;
  return {
    'dir-24-8': { bytes: dir24Bytes, cost: INDEPENDENT * loadCost(dir24Bytes) + s.in24 * loadCost(s.cut24 * 1024) },
    'dir-16-8': {
      bytes: dir16Bytes,
      cost: INDEPENDENT * loadCost(4 << 16) + s.in16 * loadCost(s.cut16 * 1024) + s.in24 * (2 * MISPREDICT + log2(per24) * loadCost(4 * n) + loadCost(4 * n)),
    },
    'dir-16-search': { bytes: blockBytes, cost: INDEPENDENT * loadCost(4 << 16) + s.in16 * (MISPREDICT + log2(per16) * loadCost(2 * n) + loadCost(4 * n)) },
    'range-table': { bytes: rangeBytes, cost: INDEPENDENT * loadCost(index) + 2 * MISPREDICT + log2(n / Math.min(1 << 20, n) + 1) * loadCost(4 * n) + loadCost(4 * n) },
  };
}

/** The cheapest structure by the model, and the estimates as text (for reports). */
export function cheapestStrategy(s: IntervalShape, allowed: readonly LpmStrategy[]): { strategy: LpmStrategy; why: string } {
  const costs = strategyCosts(s);
  const ranked = [...allowed].sort((a, b) => costs[a].cost - costs[b].cost);
  const mib = (b: number): string => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : `${Math.ceil(b / 1024)} KiB`);
  return {
    strategy: ranked[0]!,
    why: `cost model over ${s.intervals} intervals (relative cost per lookup, memory): ${ranked.map((k) => `${k} ${costs[k].cost.toFixed(1)}, ${mib(costs[k].bytes)}`).join('; ')}`,
  };
}
