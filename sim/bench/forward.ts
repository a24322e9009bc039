/**
 * Forwarding workloads over a compiled world, made up front: the scenario's own flows
 * (each flow's share of the packets as in the scenario: the traffic the scenario's routes
 * and selectors are written for) or random host pairs; a loader that refills one reused
 * PacketBatch from them; and the per-node cost of a pass (VPP's `show runtime`). Used by
 * the `forward-route` and `forward-policy` benchmarks and by the batch-vs-scalar tests.
 *
 * Owns only data: no clock here (the runner in cli/bench/ times the calls and hands its
 * clock in). Rejects nothing; a world without hosts, or no flow, gives empty traffic.
 */
import { OUTCOME_NAMES, PacketBatch } from '../engine/batch.js';
import { DropCounters } from '../engine/counters.js';
import { SizeOnlyPlane } from '../gateway/data-plane.js';
import { Forwarder } from '../gateway/pipeline.js';
import type { PipelineContext } from '../gateway/pipeline.js';
import { RunState } from '../gateway/world.js';
import type { World } from '../gateway/world.js';
import { Prng } from '../util/prng.js';

/** Packets made up front: per packet its addresses and the host it starts at. */
export interface Traffic {
  readonly src: Uint32Array;
  readonly dst: Uint32Array;
  readonly origin: Int32Array;
  readonly len: Uint16Array;
}

/**
 * `n` packets between random hosts of `world`: the source is a random host; the destination
 * is another random host's address (about 9 in 10) or a uniformly random address (the rest,
 * so no-route, internet and no-host paths run too). Sizes 64-1400 bytes.
 */
export function randomTraffic(world: World, seed: number, n: number): Traffic {
  const rng = new Prng(seed, 'bench/traffic');
  const hosts = world.hosts;
  const m = hosts.length === 0 ? 0 : n;
  const t: Traffic = { src: new Uint32Array(m), dst: new Uint32Array(m), origin: new Int32Array(m), len: new Uint16Array(m) };
  for (let i = 0; i < m; i++) {
    const h = rng.int(hosts.length);
    t.origin[i] = h;
    t.src[i] = hosts[h]!.ip;
    t.dst[i] = rng.int(10) === 0 ? rng.nextU32() : hosts[rng.int(hosts.length)]!.ip;
    t.len[i] = 64 + rng.int(1337);
  }
  return t;
}

/** A flow of the scenario as the bench sends it: its endpoints, its packets in the scenario and their size. */
export interface BenchFlow {
  readonly srcIp: number;
  readonly dstIp: number;
  /** Host index in world.hosts where its packets start. */
  readonly origin: number;
  /** Packets the flow sends in the scenario: its weight in the mix. */
  readonly packets: number;
  readonly size: number;
}

/**
 * `n` packets of `flows`, each packet's flow drawn in proportion to the flows' packets
 * (the mix the scenario sends); empty when no flow sends.
 */
export function flowTraffic(flows: readonly BenchFlow[], seed: number, n: number): Traffic {
  const rng = new Prng(seed, 'bench/flow-traffic');
  const sending = flows.filter((f) => f.packets > 0);
  const m = sending.length === 0 ? 0 : n;
  const t: Traffic = { src: new Uint32Array(m), dst: new Uint32Array(m), origin: new Int32Array(m), len: new Uint16Array(m) };
  // Cumulative packets: a uniform draw below the total picks a flow by binary search.
  const upTo = new Float64Array(sending.length);
  let total = 0;
  sending.forEach((f, k) => { total += f.packets; upTo[k] = total; });
  for (let i = 0; i < m; i++) {
    const x = rng.next() * total;
    let lo = 0;
    let hi = sending.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (upTo[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    const f = sending[lo]!;
    t.origin[i] = f.origin;
    t.src[i] = f.srcIp;
    t.dst[i] = f.dstIp;
    t.len[i] = f.size;
  }
  return t;
}

/** One node's line of `nodeRuntime`: what VPP's `show runtime` prints per node. */
export interface NodeRuntimeRow {
  readonly node: string;
  /** Calls of its batch function. */
  readonly calls: number;
  /** Packets handed to it. */
  readonly packets: number;
  readonly packetsPerCall: number;
  /** Time in it per packet it was handed (the caller's clock). */
  readonly nsPerPacket: number;
}

/**
 * Refill `b` with packets `from .. from+count` of `t` (count clamped to the capacity and
 * the traffic), in clear at their origin, untraced, 1 ms apart from `time0` seconds (slow
 * enough that SKU token buckets never run dry, so every packet takes its full path).
 * Returns how many packets were loaded.
 */
export function loadBatch(b: PacketBatch, t: Traffic, from: number, count: number, time0: number): number {
  const n = Math.max(0, Math.min(count, b.capacity, t.src.length - from));
  b.clear();
  for (let k = 0; k < n; k++) {
    const i = from + k;
    b.push(t.src[i]!, t.dst[i]!, 17, 49152, 4500, t.len[i]!, 64, false, time0 + k * 0.001, 0, i + 1, false);
    b.arg[k] = t.origin[i]!;
  }
  return n;
}

/**
 * One forwarding benchmark: a world, traffic made up front, one reused batch and
 * forwarder. `pass(count, scalar)` forwards `count` packets (cycling over the traffic)
 * through the batch path or the scalar path and returns how many it moved.
 */
export class ForwardBench {
  readonly batch: PacketBatch;
  readonly forwarder: Forwarder;
  private readonly ctx: PipelineContext;
  private next = 0;
  private clock = 0;

  constructor(readonly world: World, readonly traffic: Traffic, capacity = 256) {
    this.batch = new PacketBatch(capacity);
    this.forwarder = new Forwarder(capacity);
    this.ctx = {
      world, state: new RunState(world), counters: new DropCounters(world.counterNodes), flowNames: ['bench'],
      esp: new SizeOnlyPlane(world),
    };
  }

  pass(count: number, scalar: boolean): number {
    const t = this.traffic;
    if (t.src.length === 0) return 0;
    let done = 0;
    while (done < count) {
      if (this.next >= t.src.length) this.next = 0;
      const n = loadBatch(this.batch, t, this.next, Math.min(count - done, this.batch.capacity), this.clock);
      this.clock += n * 0.001;
      if (scalar) this.forwarder.runScalar(this.ctx, this.batch);
      else this.forwarder.run(this.ctx, this.batch);
      this.next += n;
      done += n;
    }
    return done;
  }

  /**
   * Forward `count` packets through the batch path (fresh state) timing each node with
   * `clockNs`, and return the nodes that saw packets, in graph order.
   */
  nodeRuntime(count: number, clockNs: () => number): NodeRuntimeRow[] {
    const b = new ForwardBench(this.world, this.traffic, this.batch.capacity);
    const rt = b.forwarder.measureNodes(clockNs)!;
    b.pass(count, false);
    b.forwarder.measureNodes(null);
    const rows: NodeRuntimeRow[] = [];
    for (let s = 0; s < rt.calls.length; s++) {
      const packets = rt.packets[s]!;
      if (packets === 0) continue;
      rows.push({ node: b.forwarder.graph[s]!.name, calls: rt.calls[s]!, packets, packetsPerCall: packets / rt.calls[s]!, nsPerPacket: rt.ns[s]! / packets });
    }
    return rows;
  }

  /** Share of each outcome over one pass of the traffic (fresh state), by outcome name. */
  outcomeMix(): Record<string, number> {
    const b = new ForwardBench(this.world, this.traffic, this.batch.capacity);
    const counts = new Float64Array(OUTCOME_NAMES.length);
    for (let from = 0; from < this.traffic.src.length; from += b.batch.capacity) {
      loadBatch(b.batch, this.traffic, from, b.batch.capacity, from * 0.001);
      b.forwarder.run(b.ctx, b.batch);
      for (let i = 0; i < b.batch.n; i++) counts[b.batch.outcome[i]!]!++;
    }
    const out: Record<string, number> = {};
    OUTCOME_NAMES.forEach((name, o) => {
      if (counts[o]! > 0) out[name] = counts[o]! / this.traffic.src.length;
    });
    return out;
  }
}
