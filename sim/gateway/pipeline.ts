/**
 * The Forwarder: the gateway graph (nodes/) run by the generic dispatcher
 * (sim/engine/graph.ts) over one PacketBatch at a time, with the batch's events kept per
 * packet and handed to the sink in packet order (sim/engine/event-log.ts).
 *
 * `run` moves a whole batch node by node (the fast path); `runScalar` moves the same
 * packets one at a time, each to its end before the next starts (a batch of one: the
 * benchmarks' baseline). `stats` says which path ran.
 */
import type { PacketBatch } from '../engine/batch.js';
import { Dispatcher, NodeRuntime, Queues } from '../engine/graph.js';
import type { GraphNode } from '../engine/graph.js';
import { EventLog } from '../engine/event-log.js';
import type { NodeContext, PipelineContext } from './nodes/context.js';
import { GATEWAY_GRAPH } from './nodes/index.js';
import { NodeId } from './nodes/ids.js';
import { DropCounters } from '../engine/counters.js';
import { transitSas } from './transit.js';
import { skuBuckets } from './sku-buckets.js';
import type { SkuBuckets } from './sku-buckets.js';

export type { PipelineContext } from './nodes/context.js';
export { MAX_HOPS } from '../engine/graph.js';

/** What a Forwarder has done, for tests and benchmarks (which path really ran). */
export interface ForwardStats {
  /** Calls of `run` (batch path) and packets they moved. */
  batchRuns: number;
  batchPackets: number;
  /** Largest batch `run` moved. */
  maxBatch: number;
  /** Packets moved one at a time by `runScalar`. */
  scalarPackets: number;
}

/**
 * Moves packets through the gateway graph. One instance per batch capacity; reused across
 * batches and worlds (queues are preallocated).
 */
/**
 * The context the nodes see: one object per Forwarder whose fields are set from the
 * caller's context at each batch (a fixed shape, so every node's reads stay monomorphic,
 * and no object per batch).
 */
class BatchContext implements NodeContext {
  world!: NodeContext['world'];
  state!: NodeContext['state'];
  esp!: NodeContext['esp'];
  counters!: NodeContext['counters'];
  flowNames!: NodeContext['flowNames'];
  sink!: NodeContext['sink'];
  link!: NodeContext['link'];
  tap!: NodeContext['tap'];
  ike!: NodeContext['ike'];
  transit!: Uint8Array;
  buckets!: SkuBuckets;
  log: EventLog | null = null;
  readonly opened = { reason: 0, detail: '', sa: -1, spi: 0, innerSrc: 0, innerDst: 0 };
  readonly refusal = { detail: '' };

  constructor(c: PipelineContext) {
    this.use(c);
  }

  /** Take the run's objects of `c` for the next batch (the object is reused: no allocation per batch). */
  use(c: PipelineContext): void {
    this.world = c.world;
    this.state = c.state;
    this.esp = c.esp;
    this.counters = c.counters;
    this.flowNames = c.flowNames;
    this.sink = c.sink;
    this.link = c.link;
    this.tap = c.tap;
    this.ike = c.ike;
    this.transit = transitSas(c.world);
    this.buckets = skuBuckets(c.world);
  }
}

export class Forwarder {
  private readonly dispatcher: Dispatcher<NodeContext>;
  private readonly log: EventLog;
  private ctx: BatchContext | null = null;
  /** Counts of the paths that ran. */
  readonly stats: ForwardStats = { batchRuns: 0, batchPackets: 0, maxBatch: 0, scalarPackets: 0 };

  /**
   * `queues`: the dispatcher's queues; a test passes CheckedQueues (sim/engine/graph.ts)
   * to check every node against its declaration.
   */
  constructor(
    readonly capacity: number,
    queues?: Queues,
    readonly graph: readonly GraphNode<NodeContext>[] = GATEWAY_GRAPH,
  ) {
    this.dispatcher = new Dispatcher(graph, capacity, queues ?? new Queues(graph.length, capacity, new DropCounters([])));
    this.log = new EventLog(capacity);
  }

  private context(ctx: PipelineContext): NodeContext {
    this.dispatcher.q.counters = ctx.counters;
    let c = this.ctx;
    if (c === null) c = this.ctx = new BatchContext(ctx);
    else c.use(ctx);
    c.log = ctx.sink ? this.log : null;
    return c;
  }

  /** Forward every packet of `b` (all queued at `send`, `arg` = host index) to its end. */
  run(ctx: PipelineContext, b: PacketBatch): void {
    // Typed-array queues drop writes past their end: a bigger batch would lose packets silently.
    if (b.n > this.capacity) throw new RangeError(`a batch of ${b.n} packets for a forwarder of capacity ${this.capacity}`);
    const c = this.context(ctx);
    ctx.link?.nextBatch();
    this.stats.batchRuns++;
    this.stats.batchPackets += b.n;
    if (b.n > this.stats.maxBatch) this.stats.maxBatch = b.n;
    this.dispatcher.run(c, b, 0, b.n);
    this.log.flush(ctx.sink, b.n);
  }

  /** The scalar path: forward the packets of `b` one at a time, each to its end before the next starts. */
  runScalar(ctx: PipelineContext, b: PacketBatch): void {
    if (b.n > this.capacity) throw new RangeError(`a batch of ${b.n} packets for a forwarder of capacity ${this.capacity}`);
    const c = this.context(ctx);
    ctx.link?.nextBatch();
    for (let i = 0; i < b.n; i++) this.dispatcher.run(c, b, i, i + 1);
    this.stats.scalarPackets += b.n;
    this.log.flush(ctx.sink, b.n);
  }

  /**
   * From now on, keep each node's calls, packets and time on the caller's nanosecond clock
   * (a benchmark's) and return them as they grow; `null` stops keeping them.
   */
  measureNodes(clockNs: (() => number) | null): NodeRuntime | null {
    this.dispatcher.runtime = clockNs === null ? null : new NodeRuntime(this.graph.length, clockNs);
    return this.dispatcher.runtime;
  }

  /** End of the run at time `t`: tampered copies still on the Internet link (replays with no later packet) arrive now. */
  finish(ctx: PipelineContext, t: number): void {
    const c = this.context(ctx);
    const q = this.dispatcher.q;
    q.enter(NodeId.INTERNET);
    ctx.link?.finish(q, t, ctx.world, ctx.esp, ctx.tap ?? null, c.log, ctx.flowNames);
    this.log.flush(ctx.sink, 0);
  }
}
