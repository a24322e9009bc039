/**
 * The dispatcher's drain loop made per dispatcher (graph.ts says what the loop does; its
 * `Dispatcher.drain` is the same loop as plain code, and the one that runs where code
 * cannot be made from text).
 *
 * The plain loop calls each node's batch function read from an array: V8 cannot know the
 * callee, so every node visit goes through its generic call path, and a packet sent alone
 * (the scalar path) visits several nodes. Made from text by `functionFromText`
 * (sim/net/code-from-text.ts), the loop holds each node's function, the queues and their
 * arrays as `const` bindings, constants to the JIT: a visit is a jump on the node's id to a
 * direct call of a known function (which V8 may inline), and the queue arrays' checks
 * leave the loop.
 */
import { functionFromText } from '../net/code-from-text.js';
import type { PacketBatch } from './batch.js';
import type { RegionSort } from './region-sort.js';

/** What the loop uses of the dispatcher's queues (graph.ts's Queues). */
export interface LoopQueues {
  readonly slots: Int32Array;
  readonly head: Int32Array;
  readonly tail: Int32Array;
  readonly capacity: number;
  ready: number;
  held: number;
  enter(node: number): void;
  defer(node: number, list: Int32Array, from: number, to: number): void;
}

/** What the loop uses of a node (graph.ts's GraphNode). */
export interface LoopNode<C, Q> {
  readonly id: number;
  readonly run: (ctx: C, b: PacketBatch, list: Int32Array, n: number, q: Q) => void;
  readonly idle?: (ctx: C, b: PacketBatch, q: Q) => void;
}

/** Where the loop keeps each node's calls, packets and time (graph.ts's NodeRuntime). */
export interface LoopRuntime {
  readonly calls: Float64Array;
  readonly packets: Float64Array;
  readonly ns: Float64Array;
  clockNs(): number;
}

/** What the made loop reads: the dispatcher's fixed parts. */
export interface DrainParts<C, Q extends LoopQueues> {
  readonly q: Q;
  /** Each region of `q.slots` as a list of its own. */
  readonly regions: readonly Int32Array[];
  /** Per node, the region its queue is in; the loop moves queues between regions. */
  readonly regionOf: Int32Array;
  readonly graph: readonly LoopNode<C, Q>[];
  /** The nodes with an `idle` hook, in id order. */
  readonly idlers: Int32Array;
  /** Bit s set: node s is ordered. */
  readonly ordered: number;
  /** Per node, the other nodes it can be reached from. */
  readonly waitFor: Int32Array;
  readonly sortRegion: RegionSort;
  /** Where the per-node runtime is kept while measured (`runtime` read at each visit). */
  readonly clock: { readonly runtime: LoopRuntime | null };
}

/** Moves every queued packet of `b` to its end. */
export type DrainLoop<C> = (ctx: C, b: PacketBatch) => void;

/** The most nodes a made loop calls (Queues allows as many: one bit each in an int32). */
const MAX_CALLED = 31;

const RUN_BINDINGS = Array.from({ length: MAX_CALLED }, (_, s) => `const R${s} = graph.length > ${s} ? graph[${s}].run : null;`).join('\n');
const RUN_CASES = Array.from({ length: MAX_CALLED }, (_, s) => `        case ${s}: R${s}(ctx, b, list, n, Q); break;`).join('\n');

/** The loop for one dispatcher: every name bound by `const` is a constant to the JIT. */
const TEMPLATE = `'use strict';
const Q = parts.q;
const SLOTS = Q.slots;
const HEAD = Q.head;
const TAIL = Q.tail;
const CAP = Q.capacity;
const REGIONS = parts.regions;
const REGION_OF = parts.regionOf;
const ORDERED = parts.ordered;
const WAIT_FOR = parts.waitFor;
const SORT = parts.sortRegion;
const CLOCK = parts.clock;
const graph = parts.graph;
const IDLE_IDS = parts.idlers;
const IDLE_RUNS = Array.from(IDLE_IDS, (s) => graph[s].idle);
${RUN_BINDINGS}
let spare = graph.length;

function inOrder(s, region, list, n) {
  const at = region * CAP;
  for (let k = at + 1; k < at + n; k++) {
    if (SLOTS[k] < SLOTS[k - 1]) {
      SORT(at, n);
      break;
    }
  }
  let waiting = Q.ready & WAIT_FOR[s];
  if (waiting === 0) return n;
  let limit = 0x7fffffff;
  while (waiting !== 0) {
    const t = 31 - Math.clz32(waiting & -waiting);
    waiting &= waiting - 1;
    const to = TAIL[t];
    for (let k = HEAD[t]; k < to; k++) if (SLOTS[k] < limit) limit = SLOTS[k];
  }
  let go = 0;
  while (go < n && SLOTS[at + go] < limit) go++;
  Q.defer(s, list, go, n);
  return go;
}

return function drain(ctx, b) {
  for (;;) {
    if (Q.ready === 0) {
      if (Q.held === 0) return;
      for (let k = 0; k < IDLE_IDS.length; k++) {
        Q.enter(IDLE_IDS[k]);
        IDLE_RUNS[k](ctx, b, Q);
      }
      if (Q.ready === 0) return;
    }
    let above = Q.ready;
    while (above !== 0) {
      const s = 31 - Math.clz32(above & -above);
      Q.ready &= ~(1 << s);
      let n = TAIL[s] - HEAD[s];
      if (n === 0) {
        above &= above - 1;
        continue;
      }
      const region = REGION_OF[s];
      const list = REGIONS[region];
      const fresh = spare;
      spare = region;
      REGION_OF[s] = fresh;
      HEAD[s] = fresh * CAP;
      TAIL[s] = fresh * CAP;
      Q.enter(s);
      if ((ORDERED & (1 << s)) !== 0) {
        n = inOrder(s, region, list, n);
        if (n === 0) {
          above = Q.ready & ~((2 << s) - 1);
          continue;
        }
      }
      const rt = CLOCK.runtime;
      const t0 = rt === null ? 0 : rt.clockNs();
      switch (s) {
${RUN_CASES}
      }
      if (rt !== null) {
        rt.ns[s] += rt.clockNs() - t0;
        rt.calls[s]++;
        rt.packets[s] += n;
      }
      above = Q.ready & ~((2 << s) - 1);
    }
  }
};
`;

/**
 * The drain loop made for these parts, or null where code cannot be made from text or the
 * graph has more nodes than a made loop calls (the dispatcher then runs its plain loop).
 * The made loop owns which region is spare: the dispatcher must not run its plain loop
 * as well.
 */
export function makeDrainLoop<C, Q extends LoopQueues>(parts: DrainParts<C, Q>): DrainLoop<C> | null {
  if (parts.graph.length > MAX_CALLED) return null;
  const make = functionFromText<(parts: DrainParts<C, Q>) => DrainLoop<C>>('drain-loop', ['parts'], TEMPLATE);
  return make !== null ? make(parts) : null;
}
