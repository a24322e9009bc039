/**
 * The data-plane graph: nodes declared as data and one dispatcher that runs them over a
 * PacketBatch, the way VPP runs its graph nodes over frames.
 *
 * A node is a declaration: its name, the nodes it may pass a packet to, the ends it may
 * give a packet (delivered, internet), the drop reasons it may count, and its batch
 * function. The batch function takes the indices of the packets queued for it and, for
 * each, passes it to a next node (`Queues.pass`), ends it (`Queues.end`) or drops it with a
 * counted reason (`Queues.drop`). Adding a node touches no other node's code: only the
 * nodes that pass to it name it.
 *
 * The dispatcher visits the nodes in id order, round after round, until no queue holds a
 * packet; then it asks the nodes that hold packets back (`idle`) to let them go. A node
 * that is a link (`link: true`) is crossed, not a hop: passing through it leaves the hop
 * count alone.
 *
 * A node that updates state packets share (`ordered: true`: a token bucket, sequence
 * numbers, a count of packets) sees them in packet order, as if each packet of the batch
 * had gone to its end before the next started: the dispatcher hands it its queue sorted by
 * batch index, and only the packets below the lowest one still queued at a node from which
 * it can be reached along the declared `next` edges; the others wait in its queue for a
 * later round. A packet that may come back to the node after it leaves (a cycle through
 * other nodes) is the node's to see: it hands on that packet and puts the rest of its list
 * back (`Queues.defer`), so they wait until that packet has left the cycle. Packets a node
 * holds back (`hold`) are not waited for: they arrive later on purpose.
 *
 * The declarations are checked two ways: `checkGraph` (every next node exists, names are
 * unique) and `CheckedQueues`, which a test hands to the dispatcher instead of `Queues` to
 * refuse a pass to an undeclared next node, an undeclared end or an undeclared drop
 * reason. The production path uses `Queues` only, so its calls stay monomorphic.
 */
import type { PacketBatch } from './batch.js';
import { Outcome as OUTCOME } from './batch.js';
import { DROP_REASON_NAMES, dropReasonCode } from './drop-reasons.js';
import type { DropReason } from './drop-reasons.js';
import type { DropCounters } from './counters.js';
import { regionSort } from './region-sort.js';
import type { RegionSort } from './region-sort.js';
import { makeDrainLoop } from './drain-loop.js';
import type { DrainLoop } from './drain-loop.js';

// Local copies: V8 folds a module's own consts, not imported bindings (see batch.ts).
const Outcome = OUTCOME;
const R_TTL = dropReasonCode('ttl-expired');

/** How a packet may leave the graph other than by a drop. */
export type EndName = 'delivered' | 'internet';

/** A node of the data-plane graph; `C` is what the batch functions need besides the batch. */
export interface GraphNode<C> {
  /** Index in the graph (its queue); the dispatcher visits nodes in this order. */
  readonly id: number;
  /** Unique name, e.g. `esp-encrypt`. */
  readonly name: string;
  /** What the node does, one line (for `vgw graph`). */
  readonly summary: string;
  /** The names of the nodes it may pass a packet to. */
  readonly next: readonly string[];
  /** The ends it may give a packet. */
  readonly ends: readonly EndName[];
  /** The drop reasons it may count. */
  readonly drops: readonly DropReason[];
  /** A link the packet crosses (not a hop: the hop count is left alone). */
  readonly link?: boolean;
  /** It updates state packets share: it sees its packets in packet (batch index) order (see the top of this file). */
  readonly ordered?: boolean;
  /**
   * The batch function: every packet of `list[0..n)` is passed on, ended or dropped (or
   * held, see `idle`). The dispatcher calls it as a plain function: it must not use `this`.
   */
  readonly run: (ctx: C, b: PacketBatch, list: Int32Array, n: number, q: Queues) => void;
  /** Called when every queue is empty and packets are held (`Queues.hold`): the node that held them passes them on now. */
  readonly idle?: (ctx: C, b: PacketBatch, q: Queues) => void;
}

/**
 * A bound on the hops of one packet, which no packet reaches: every cycle of the gateway
 * graph passes a router whose TTL check ends it (see sim/gateway/nodes/index.ts). The
 * check in `pass` only keeps a future node that forgets its TTL from looping for ever.
 */
const MAX_HOPS = 1024;
/** The most nodes a graph may have: `Queues.ready` keeps one bit per node in an int32. */
const MAX_NODES = 31;
const MAX_HOPS_EXPORT: typeof MAX_HOPS = MAX_HOPS;
export { MAX_HOPS_EXPORT as MAX_HOPS };

/**
 * The per-node queues of one dispatcher, and the three things a batch function does with a
 * packet. `arg` is what the next node reads in `b.arg[i]` (which subnet, gateway, SA...).
 */
export class Queues {
  /**
   * Every node's queue in one array of `capacity`-sized regions, one per node and one spare:
   * the dispatcher hands a node the region its queue filled and gives it the spare for its
   * next packets (no copy). One typed array, not one per node: a pass then costs a load and
   * two stores, not a load of the node's array first.
   */
  declare readonly slots: Int32Array;
  declare readonly capacity: number;
  /** Per node, where its queue starts in `slots` (the start of its region). */
  declare readonly head: Int32Array;
  /** Per node, where its next packet goes in `slots` (its queue holds `tail[s] - head[s]` packets): a pass is one increment. */
  declare readonly tail: Int32Array;
  /** Bit s set: node s's queue holds packets (so the dispatcher visits only those nodes). */
  declare ready: number;
  declare counters: DropCounters;
  /** Packets nodes hold back (see `hold`); the dispatcher calls the `idle` hooks only while some are held. */
  declare held: number;

  constructor(nodes: number, capacity: number, counters: DropCounters) {
    if (nodes > MAX_NODES) throw new RangeError(`a graph of ${nodes} nodes (at most ${MAX_NODES}: one bit each in Queues.ready)`);
    this.ready = 0;
    this.held = 0;
    this.slots = new Int32Array((nodes + 1) * capacity);
    this.capacity = capacity;
    this.head = Int32Array.from({ length: nodes }, (_, s) => s * capacity);
    this.tail = Int32Array.from(this.head);
    this.counters = counters;
  }

  /** How many packets node `node`'s queue holds. */
  queued(node: number): number {
    return this.tail[node]! - this.head[node]!;
  }

  /** Queue packet i to node `node` with its argument `arg` (one hop more). */
  pass(b: PacketBatch, i: number, node: number, arg: number): void {
    // Unreachable while every cycle of nodes passes a TTL check (see MAX_HOPS): no counter
    // or event, only an end to a loop a node without a TTL check would make.
    if (++b.hops[i]! > MAX_HOPS) {
      b.outcome[i] = Outcome.DROPPED;
      b.reason[i] = R_TTL;
      return;
    }
    b.arg[i] = arg;
    this.slots[this.tail[node]!++] = i;
    this.ready |= 1 << node;
  }

  /** Queue packet i to the link node `node` (not a hop: the hop count stays). */
  cross(b: PacketBatch, i: number, node: number, arg: number): void {
    b.arg[i] = arg;
    this.slots[this.tail[node]!++] = i;
    this.ready |= 1 << node;
  }

  /**
   * Packet i goes on to the running node itself with argument `arg`, one hop more, without
   * a queue: the node has put it in the list it is working through (so it is handled next,
   * not in the node's next visit).
   */
  passInPlace(b: PacketBatch, i: number, arg: number): void {
    if (++b.hops[i]! > MAX_HOPS) {
      b.outcome[i] = Outcome.DROPPED;
      b.reason[i] = R_TTL;
      return;
    }
    b.arg[i] = arg;
  }

  /**
   * Put packets `list[from..to)` back in node `node`'s queue, unchanged (no hop): an ordered
   * node that handed on a packet which may come back to it leaves the rest of its list for
   * a later round (see the top of this file).
   */
  defer(node: number, list: Int32Array, from: number, to: number): void {
    if (to <= from) return;
    const slots = this.slots;
    let at = this.tail[node]!;
    for (let k = from; k < to; k++) slots[at++] = list[k]!;
    this.tail[node] = at;
    this.ready |= 1 << node;
  }

  /** A node holds a packet back (it passes it on later, at the latest from its `idle` hook). */
  hold(): void {
    this.held++;
  }

  /** A held packet goes on (the node then passes it). */
  unhold(): void {
    this.held--;
  }

  /** End packet i: delivered or to the internet (an Outcome code). */
  end(b: PacketBatch, i: number, outcome: number): void {
    b.outcome[i] = outcome;
  }

  /** Drop packet i with `reason` and count it on counter node `counter` at `stage` (DropCounters). */
  drop(b: PacketBatch, i: number, counter: number, stage: number, reason: number): void {
    b.outcome[i] = Outcome.DROPPED;
    b.reason[i] = reason;
    this.counters.add(counter, stage, reason);
  }

  /** Count a drop of something that is no batch packet (an injected copy) on `counter` at `stage`. */
  countOnly(counter: number, stage: number, reason: number): void {
    this.counters.add(counter, stage, reason);
  }

  /** Which node is running (CheckedQueues checks against its declaration). */
  enter(_node: number): void {}
}

/**
 * Queues that check every call against the running node's declaration: a pass to a node
 * it does not name, an end or a drop reason it does not declare throws. For tests.
 */
export class CheckedQueues extends Queues {
  private current = -1;
  /** Per node: what it was seen doing (`next:NAME`, `end:NAME`, `drop:REASON`). */
  readonly seen: Set<string>[];

  constructor(private readonly graph: readonly GraphNode<never>[], capacity: number, counters: DropCounters) {
    super(graph.length, capacity, counters);
    this.seen = graph.map(() => new Set<string>());
  }

  override enter(node: number): void {
    this.current = node;
  }

  private check(what: string, ok: boolean): void {
    const n = this.graph[this.current];
    if (!n) throw new Error(`${what} outside any node`);
    if (!ok) throw new Error(`node ${n.name}: ${what} is not declared`);
    this.seen[this.current]!.add(what);
  }

  override pass(b: PacketBatch, i: number, node: number, arg: number): void {
    const to = this.graph[node]!;
    this.check(`next:${to.name}`, this.graph[this.current]!.next.includes(to.name) && to.link !== true);
    super.pass(b, i, node, arg);
  }

  override passInPlace(b: PacketBatch, i: number, arg: number): void {
    const self = this.graph[this.current]!;
    this.check(`next:${self.name}`, self.next.includes(self.name));
    super.passInPlace(b, i, arg);
  }

  override cross(b: PacketBatch, i: number, node: number, arg: number): void {
    const to = this.graph[node]!;
    this.check(`next:${to.name}`, this.graph[this.current]!.next.includes(to.name) && to.link === true);
    super.cross(b, i, node, arg);
  }

  override defer(node: number, list: Int32Array, from: number, to: number): void {
    const self = this.graph[this.current];
    if (!self) throw new Error('defer outside any node');
    if (node !== this.current || self.ordered !== true) throw new Error(`node ${self.name}: defer to ${this.graph[node]?.name ?? node} (only an ordered node defers, to itself)`);
    super.defer(node, list, from, to);
  }

  override end(b: PacketBatch, i: number, outcome: number): void {
    const name = outcome === Outcome.DELIVERED ? 'delivered' : outcome === Outcome.INTERNET ? 'internet' : `outcome ${outcome}`;
    this.check(`end:${name}`, (this.graph[this.current]!.ends as readonly string[]).includes(name));
    super.end(b, i, outcome);
  }

  override drop(b: PacketBatch, i: number, counter: number, stage: number, reason: number): void {
    const name = DROP_REASON_NAMES[reason] ?? `reason ${reason}`;
    this.check(`drop:${name}`, (this.graph[this.current]!.drops as readonly string[]).includes(name));
    super.drop(b, i, counter, stage, reason);
  }

  override countOnly(counter: number, stage: number, reason: number): void {
    const name = DROP_REASON_NAMES[reason] ?? `reason ${reason}`;
    this.check(`drop:${name}`, (this.graph[this.current]!.drops as readonly string[]).includes(name));
    super.countOnly(counter, stage, reason);
  }
}

/** What is wrong with a graph's declarations (empty: nothing). */
export function checkGraph(graph: readonly GraphNode<never>[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  graph.forEach((n, k) => {
    if (n.id !== k) problems.push(`node ${n.name} has id ${n.id} at index ${k}`);
    if (names.has(n.name)) problems.push(`two nodes are named ${n.name}`);
    names.add(n.name);
    if (n.drops.some((r) => !(DROP_REASON_NAMES as readonly string[]).includes(r))) problems.push(`node ${n.name} declares an unknown drop reason`);
  });
  for (const n of graph) for (const x of n.next) if (!names.has(x)) problems.push(`node ${n.name} names a next node ${x} that does not exist`);
  return problems;
}

/**
 * Where a graph's time goes, node by node, as VPP's `show runtime` shows it: per node the
 * calls of its batch function, the packets they were handed and the time they took. The
 * dispatcher keeps it only when given one; the clock is the caller's (a benchmark's: sim/
 * reads no clock of its own), in nanoseconds.
 */
export class NodeRuntime {
  readonly calls: Float64Array;
  readonly packets: Float64Array;
  readonly ns: Float64Array;

  constructor(nodes: number, readonly clockNs: () => number) {
    this.calls = new Float64Array(nodes);
    this.packets = new Float64Array(nodes);
    this.ns = new Float64Array(nodes);
  }
}

/**
 * Per node, the nodes from which it can be reached along declared `next` edges (one bit
 * per node id; the node itself only when it is on a cycle).
 */
export function upstreamOf(graph: readonly GraphNode<never>[]): Int32Array {
  const id = new Map(graph.map((n) => [n.name, n.id]));
  // reach[s]: the nodes reachable from s by one edge or more.
  const reach = Int32Array.from(graph.map((n) => n.next.reduce((m, x) => m | (1 << (id.get(x) ?? 0)), 0)));
  for (let changed = true; changed;) {
    changed = false;
    for (let s = 0; s < graph.length; s++) {
      let m = reach[s]!;
      for (let t = 0; t < graph.length; t++) if ((m >> t) & 1) m |= reach[t]!;
      if (m !== reach[s]) {
        reach[s] = m;
        changed = true;
      }
    }
  }
  return Int32Array.from(graph.map((_, t) => graph.reduce((m, __, s) => ((reach[s]! >> t) & 1 ? m | (1 << s) : m), 0)));
}

/**
 * Runs a graph over a batch: every packet starts at node 0 and moves node by node to its
 * end. One instance per batch capacity; reused across batches.
 */
export class Dispatcher<C> {
  /** Each region of `q.slots` as a list of its own (region r: `q.slots[r * capacity ..]`). */
  private declare readonly regions: Int32Array[];
  /** The region no node's queue uses now: the next node the dispatcher runs takes it for its queue. */
  private declare spare: number;
  /** Per node, the region its queue is in (`q.head[s]` is its start). */
  private declare readonly regionOf: Int32Array;
  /** Per node, its batch function: an element load per visit (the nodes' objects differ in shape, so `graph[s].run` would be a megamorphic property load). */
  private declare readonly runs: GraphNode<C>['run'][];
  /** The nodes with an `idle` hook, in id order. */
  private declare readonly idlers: Int32Array;
  /** Bit s set: node s is ordered. */
  private declare readonly ordered: number;
  /** Per ordered node: the other nodes it can be reached from (see upstreamOf). */
  private declare readonly waitFor: Int32Array;
  /** Sorts a region of `q.slots` by batch index (an ordered node's list). */
  private declare readonly sortRegion: RegionSort;
  /** The drain loop made for this dispatcher (drain-loop.ts), or null: the plain `drain` runs. */
  private declare readonly drainLoop: DrainLoop<C> | null;
  /** Per-node time and packets, kept while set (see NodeRuntime). */
  runtime: NodeRuntime | null = null;

  constructor(
    readonly graph: readonly GraphNode<C>[],
    readonly capacity: number,
    readonly q: Queues,
  ) {
    if (q.capacity < capacity || q.tail.length !== graph.length) throw new RangeError(`queues for ${q.tail.length} nodes of ${q.capacity} packets, not ${graph.length} of ${capacity}`);
    this.regions = Array.from({ length: graph.length + 1 }, (_, r) => q.slots.subarray(r * q.capacity, r * q.capacity + capacity));
    this.spare = graph.length;
    this.regionOf = Int32Array.from(graph, (_, s) => s);
    this.runs = graph.map((n) => n.run);
    this.idlers = Int32Array.from(graph.filter((n) => n.idle !== undefined).map((n) => n.id));
    this.ordered = graph.reduce((m, n) => (n.ordered === true ? m | (1 << n.id) : m), 0);
    const up = upstreamOf(graph as readonly GraphNode<never>[]);
    this.waitFor = Int32Array.from(graph.map((n) => up[n.id]! & ~(1 << n.id)));
    this.sortRegion = regionSort(q.slots, new Uint8Array(capacity));
    this.drainLoop = makeDrainLoop({ q, regions: this.regions, regionOf: this.regionOf, graph, idlers: this.idlers, ordered: this.ordered, waitFor: this.waitFor, sortRegion: this.sortRegion, clock: this });
  }

  /** Queue packets `from..to` of `b` at node 0 and move them to their ends. */
  run(ctx: C, b: PacketBatch, from: number, to: number): void {
    const q = this.q;
    const slots = q.slots;
    let at = q.head[0]!;
    for (let i = from; i < to; i++) slots[at++] = i;
    q.tail[0] = at;
    if (to > from) q.ready |= 1;
    const loop = this.drainLoop;
    if (loop !== null) loop(ctx, b);
    else this.drain(ctx, b);
  }

  /**
   * Rounds until no queue holds a packet: each round visits the nodes whose queues hold
   * packets in id order, a node that a visited node queued to later in the same round
   * (`Queues.ready` has their bits). drain-loop.ts makes the same loop per dispatcher, with
   * direct calls of the nodes' functions; this one runs where code cannot be made from text.
   */
  private drain(ctx: C, b: PacketBatch): void {
    const q = this.q;
    const graph = this.graph;
    for (;;) {
      if (q.ready === 0) {
        if (q.held === 0) return;
        // Nothing else arrives in this batch: the packets nodes held back go now.
        const idlers = this.idlers;
        for (let k = 0; k < idlers.length; k++) {
          const s = idlers[k]!;
          q.enter(s);
          graph[s]!.idle!(ctx, b, q);
        }
        if (q.ready === 0) return;
      }
      // One round: the lowest ready node, then the lowest ready above it, and so on.
      let above = q.ready;
      while (above !== 0) {
        const s = 31 - Math.clz32(above & -above);
        q.ready &= ~(1 << s);
        const from = q.head[s]!;
        let n = q.tail[s]! - from;
        if (n === 0) {
          above &= above - 1;
          continue;
        }
        // Take the queue: the node works through its region and queues (to itself too) into the spare one.
        const region = this.regionOf[s]!;
        const list = this.regions[region]!;
        const fresh = this.spare;
        this.spare = region;
        this.regionOf[s] = fresh;
        q.head[s] = fresh * q.capacity;
        q.tail[s] = fresh * q.capacity;
        q.enter(s);
        const rt = this.runtime;
        if ((this.ordered & (1 << s)) !== 0) {
          n = this.inOrder(s, list, region * q.capacity, n);
          if (n === 0) {
            above = q.ready & ~((2 << s) - 1);
            continue;
          }
        }
        if (rt === null) this.runs[s]!(ctx, b, list, n, q);
        else {
          const t0 = rt.clockNs();
          this.runs[s]!(ctx, b, list, n, q);
          rt.ns[s]! += rt.clockNs() - t0;
          rt.calls[s]!++;
          rt.packets[s]! += n;
        }
        above = q.ready & ~((2 << s) - 1);
      }
    }
  }

  /**
   * Ordered node s's turn with `n` packets in `work` (its region, at `at` in `q.slots`):
   * sort them by batch index and keep those below every packet still queued at a node s
   * can be reached from; the rest go back to s's queue. Returns how many it runs on now.
   */
  private inOrder(s: number, work: Int32Array, at: number, n: number): number {
    for (let k = 1; k < n; k++) {
      if (work[k]! < work[k - 1]!) {
        this.sortRegion(at, n);
        break;
      }
    }
    const q = this.q;
    let waiting = q.ready & this.waitFor[s]!;
    if (waiting === 0) return n;
    // The lowest batch index queued where a packet could still reach s from.
    let limit = 0x7fffffff;
    const slots = q.slots;
    while (waiting !== 0) {
      const t = 31 - Math.clz32(waiting & -waiting);
      waiting &= waiting - 1;
      const from = q.head[t]!;
      const to = q.tail[t]!;
      for (let k = from; k < to; k++) if (slots[k]! < limit) limit = slots[k]!;
    }
    let go = 0;
    while (go < n && work[go]! < limit) go++;
    q.defer(s, work, go, n);
    return go;
  }



}
