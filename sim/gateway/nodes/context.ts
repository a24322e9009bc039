/**
 * What the gateway graph's nodes share: the context a batch runs in, and the steps several
 * nodes take (a router's TTL check, following a route's next hop, ending or dropping a
 * packet with its trace event). Small functions, so V8 inlines them into the nodes' loops;
 * the text of the trace is made only for traced packets (trace-text.ts).
 */
import type { PacketBatch } from '../../engine/batch.js';
import { Outcome as OUTCOME } from '../../engine/batch.js';
import { dropReasonCode } from '../../engine/drop-reasons.js';
import type { DropCounters } from '../../engine/counters.js';
import type { EventLog } from '../../engine/event-log.js';
import type { EventSink, SimEvent } from '../../engine/events.js';
import type { Queues } from '../../engine/graph.js';
import { Stage, STAGE_NAMES } from '../../engine/stages.js';
import type { StageCode } from '../../engine/stages.js';
import { Next as NEXT } from '../world.js';
import type { RouteTable, RunState, World } from '../world.js';
import type { DataPlane, DecryptResult } from '../data-plane.js';
import type { InternetLink } from '../internet-link.js';
import type { LinkTap } from '../link-tap.js';
import type { SkuBuckets } from '../sku-buckets.js';
import { discardDetail, endEvent, hopEvent, noRouteDetail, ttlDetail, Where as WHERE, whereName } from '../trace-text.js';
import type { EndRecord, HeaderView, HopRecord, PacketRef, WhereKind } from '../trace-text.js';
import { NodeId as NODE_ID } from './ids.js';

const Outcome = OUTCOME;
const Next = NEXT;
const NodeId = NODE_ID;
const Where = WHERE;
const R_NO_ROUTE = dropReasonCode('no-route');
const R_NO_HOST = dropReasonCode('no-host');
const R_TTL = dropReasonCode('ttl-expired');

/** The topology nodes that only route (routeList). */
export type RoutingKind = typeof WHERE.SUBNET | typeof WHERE.SITE_LAN | typeof WHERE.P2S;

/** What the encrypt node asks of the control plane when an SA slot is empty (ike-plane.ts). */
export interface SaNegotiator {
  /**
   * Packet `packet` of flow `flow` (index) needs slot `slot`'s SA at `t`: negotiate it if the
   * tunnel does so on demand (the events go to `emit`, marked with that packet); true when it
   * is up after.
   */
  acquire(slot: number, t: number, flow: number, packet: number, emit: ((e: SimEvent) => void) | null): boolean;
  /** Why slot `slot` has no SA, in words. */
  noSaDetail(slot: number): string;
}

/** Everything the nodes need besides the batch, as the caller (a run, a benchmark) gives it. */
export interface PipelineContext {
  readonly world: World;
  readonly state: RunState;
  /** The tunnel data plane: real ESP (EspPlane) or sequence numbers only (SizeOnlyPlane, benchmarks). */
  readonly esp: DataPlane;
  readonly counters: DropCounters;
  /** Flow names by flow index (for events). */
  readonly flowNames: readonly string[];
  /** Receives events of traced packets and injections, in (time, flow, packet) order; may be absent (no tracing). */
  readonly sink?: EventSink;
  /** The Internet link's tampering (absent: ESP packets cross it unchanged). */
  readonly link?: InternetLink;
  /** Captures of the links (absent: none). */
  readonly tap?: LinkTap;
  /** The IKE control plane that fills empty SA slots (absent: a slot without an SA stays down). */
  readonly ike?: SaNegotiator;
}

/** The context the nodes run in: the caller's, plus the batch's event log and scratch records. */
export interface NodeContext extends PipelineContext {
  /** The events of the batch's packets (null: no sink, nothing traced). */
  readonly log: EventLog | null;
  /** What opening a packet's ESP packets gave (one packet at a time). */
  readonly opened: DecryptResult;
  /** A refusal's detail from the data plane. */
  readonly refusal: { detail: string };
  /** Per SA: 1 when a packet it carries may come back to esp-encrypt after it is decrypted (transit.ts). */
  readonly transit: Uint8Array;
  /** The SKU bucket slots of the SAs' ends and their rates (sku-buckets.ts). */
  readonly buckets: SkuBuckets;
}

/** The graph node a route's next hop passes the packet to, by Next code; -1 for LOCAL, INTERNET and the codes that drop. */
const NEXT_NODE: Int8Array = (() => {
  const a = new Int8Array(256).fill(-1);
  a[Next.GATEWAY] = NodeId.GATEWAY_FORWARD;
  a[Next.TUNNEL] = NodeId.ESP_ENCRYPT;
  a[Next.DEVICE] = NodeId.DEVICE;
  a[Next.ER] = NodeId.EXPRESSROUTE;
  return a;
})();

// ---- events (traced packets only) ----

export function packetRef(ctx: NodeContext, b: PacketBatch, i: number): PacketRef {
  return { t: b.time[i]!, flow: ctx.flowNames[b.flow[i]!]!, packet: b.seq[i]!, hop: b.hops[i]! + 1, src: b.src[i]!, dst: b.dst[i]! };
}

export function header(b: PacketBatch, i: number): HeaderView {
  return {
    src: b.src[i]!, dst: b.dst[i]!, proto: b.proto[i]!, sport: b.sport[i]!, dport: b.dport[i]!, ttl: b.ttl[i]!, len: b.len[i]!,
    df: (b.flags[i]! & 1) === 1,
  };
}

/** The hop event of a traced packet. */
export function hop(ctx: NodeContext, b: PacketBatch, i: number, r: HopRecord): void {
  ctx.log?.add(i, hopEvent(ctx.world, packetRef(ctx, b, i), r));
}

function viaNames(w: World, b: PacketBatch, i: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < 4; k++) {
    const c = b.via[i * 4 + k]!;
    if (c >= 0) out.push(w.connections[c]!.name);
  }
  return out;
}

/** The end event of a traced packet. */
export function end(ctx: NodeContext, b: PacketBatch, i: number, r: EndRecord): void {
  ctx.log?.add(i, endEvent({ t: b.time[i]!, flow: ctx.flowNames[b.flow[i]!]!, packet: b.seq[i]! }, r, viaNames(ctx.world, b, i)));
}

// ---- steps several nodes take ----

/*
 * V8 inlines a helper into a node's loop only while the node's inlined bytecode stays under
 * a budget (about 900 bytes), so the helpers below keep the untraced path a few lines long
 * and put what only traced or rare packets need (event records, detail text, drops) in
 * functions of their own, called out of line.
 */

/** Drop and count packet i at topology node (kind, at); `detail` is read only for a traced packet. */
export function dropAt(
  ctx: NodeContext, q: Queues, b: PacketBatch, i: number, counter: number, reason: number, kind: number, at: number, stage: StageCode, detail: string,
): void {
  q.drop(b, i, counter, stage, reason);
  if (b.trace[i]) traceDrop(ctx, b, i, reason, kind, at, stage, detail);
}

function traceDrop(ctx: NodeContext, b: PacketBatch, i: number, reason: number, kind: number, at: number, stage: StageCode, detail: string): void {
  end(ctx, b, i, { kind: 'dropped', node: whereName(ctx.world, kind, at), stage: STAGE_NAMES[stage], reason, detail });
}

/** End packet i with `outcome` (delivered, internet) at topology node (kind, at). */
export function endAt(ctx: NodeContext, q: Queues, b: PacketBatch, i: number, outcome: number, kind: number, at: number, stage: StageCode): void {
  q.end(b, i, outcome);
  if (b.trace[i]) traceEnd(ctx, b, i, outcome, kind, at, stage);
}

function traceEnd(ctx: NodeContext, b: PacketBatch, i: number, outcome: number, kind: number, at: number, stage: StageCode): void {
  end(ctx, b, i, { kind: outcome === Outcome.DELIVERED ? 'delivered' : 'internet', node: whereName(ctx.world, kind, at), stage: STAGE_NAMES[stage] });
}

/** A router hop: TTL check and decrement; false when the packet was dropped (ttl-expired). */
export function routerTtl(ctx: NodeContext, q: Queues, b: PacketBatch, i: number, counter: number, kind: number, at: number, stage: StageCode): boolean {
  const t = b.ttl[i]!;
  if (t <= 1) {
    ttlDrop(ctx, q, b, i, counter, kind, at, stage, t);
    return false;
  }
  b.ttl[i] = t - 1;
  return true;
}

function ttlDrop(ctx: NodeContext, q: Queues, b: PacketBatch, i: number, counter: number, kind: number, at: number, stage: StageCode, t: number): void {
  q.drop(b, i, counter, stage, R_TTL);
  if (b.trace[i]) {
    const node = whereName(ctx.world, kind, at);
    end(ctx, b, i, { kind: 'dropped', node, stage: STAGE_NAMES[stage], reason: R_TTL, detail: ttlDetail(node, t) });
  }
}

/**
 * Follow route `r` of table `t` (typed arrays; entries are read only for traced packets).
 * (kind, at) name the node; LOCAL passes to node `localNode` with argument `localArg`.
 */
export function followRoute(
  ctx: NodeContext, q: Queues, b: PacketBatch, i: number, t: RouteTable, r: number, counter: number,
  kind: number, at: number, stage: StageCode, localNode: number, localArg: number,
): void {
  const next = t.next[r]!;
  if (next === Next.LOCAL) q.pass(b, i, localNode, localArg);
  else if (next === Next.INTERNET) endAt(ctx, q, b, i, Outcome.INTERNET, kind, at, stage);
  else {
    const to = NEXT_NODE[next]!;
    if (to >= 0) q.pass(b, i, to, t.target[r]!);
    else routeDrop(ctx, q, b, i, t, r, counter, kind, at, stage);
  }
}

/** The table, drop counter and LOCAL hand-off of packet i's routing node (kind, at). */
interface RoutingNode {
  t: RouteTable;
  counter: number;
  localNode: number;
  localArg: number;
}

/**
 * A routing node's batch function, shared by the three nodes that only route (a subnet, a
 * site LAN, a P2S client: `kind`, with the topology node's index as each packet's
 * argument): look each destination up in that node's table, trace the route hop, then
 * drop the packet (no route matches) or follow the route (LOCAL: to the node's own
 * deliver node). The loop is here, not in each node, so V8 compiles one loop with the
 * lookup and the route inlined. Gateway and device routing add steps of their own around
 * the same lookup and call `followRoute` themselves.
 *
 * In a batch without traced packets the loop only passes packets on: the few that end
 * here for a drop (no route, a route that discards) go to the front of `list` and are
 * dropped after it. The loop then makes no call, so V8 checks the arrays and objects it
 * reads once, not per packet; a drop queues nothing, so no queue's order changes.
 */
export function routeList(ctx: NodeContext, b: PacketBatch, list: Int32Array, n: number, q: Queues, kind: RoutingKind): void {
  const w = ctx.world;
  if (b.traced !== 0) {
    for (let k = 0; k < n; k++) routeOne(ctx, b, list[k]!, q, kind);
    return;
  }
  let ends = 0;
  for (let k = 0; k < n; k++) {
    const i = list[k]!;
    const at = b.arg[i]!;
    let t: RouteTable;
    let localNode: number;
    let localArg: number;
    if (kind === Where.SUBNET) {
      const sn = w.subnets[at]!;
      t = sn.table;
      localNode = NodeId.VNET_DELIVER;
      localArg = sn.vnet;
    } else {
      t = kind === Where.SITE_LAN ? w.sites[at]!.edge : w.p2sClients[at]!.table;
      localNode = kind === Where.SITE_LAN ? NodeId.SITE_DELIVER : NodeId.P2S_DELIVER;
      localArg = at;
    }
    const r = t.lpm.lookup(b.dst[i]!);
    if (r < 0) {
      list[ends++] = i;
      continue;
    }
    const next = t.next[r]!;
    if (next === Next.LOCAL) {
      q.pass(b, i, localNode, localArg);
      continue;
    }
    if (next === Next.INTERNET) {
      q.end(b, i, Outcome.INTERNET);
      continue;
    }
    const to = NEXT_NODE[next]!;
    if (to >= 0) q.pass(b, i, to, t.target[r]!);
    else list[ends++] = i;
  }
  for (let k = 0; k < ends; k++) routeOne(ctx, b, list[k]!, q, kind);
}

const scratchNode: RoutingNode = { t: null as unknown as RouteTable, counter: 0, localNode: 0, localArg: 0 };

/** Routing node (kind, at)'s table, counter and LOCAL hand-off, in `scratchNode` (reused: no object per packet). */
function routingNode(w: World, kind: RoutingKind, at: number): RoutingNode {
  if (kind === Where.SUBNET) {
    const sn = w.subnets[at]!;
    scratchNode.t = sn.table;
    scratchNode.counter = sn.counter;
    scratchNode.localNode = NodeId.VNET_DELIVER;
    scratchNode.localArg = sn.vnet;
  } else if (kind === Where.SITE_LAN) {
    const site = w.sites[at]!;
    scratchNode.t = site.edge;
    scratchNode.counter = site.counter;
    scratchNode.localNode = NodeId.SITE_DELIVER;
    scratchNode.localArg = at;
  } else {
    const c = w.p2sClients[at]!;
    scratchNode.t = c.table;
    scratchNode.counter = c.counter;
    scratchNode.localNode = NodeId.P2S_DELIVER;
    scratchNode.localArg = at;
  }
  return scratchNode;
}

/** Route packet i at routing node (kind, its argument), trace and all. */
function routeOne(ctx: NodeContext, b: PacketBatch, i: number, q: Queues, kind: RoutingKind): void {
  const at = b.arg[i]!;
  const { t, counter, localNode, localArg } = routingNode(ctx.world, kind, at);
  const r = t.lpm.lookup(b.dst[i]!);
  if (b.trace[i]) traceRoute(ctx, b, i, t, r, kind, at);
  if (r < 0) noRoute(ctx, q, b, i, counter, kind, at);
  else followRoute(ctx, q, b, i, t, r, counter, kind, at, Stage.ROUTE, localNode, localArg);
}

/** The route hop event of a traced packet: route `r` of `t` (-1: none) at topology node (kind, at). */
export function traceRoute(ctx: NodeContext, b: PacketBatch, i: number, t: RouteTable, r: number, kind: WhereKind, at: number): void {
  hop(ctx, b, i, { kind: 'route', where: kind, at, table: t, route: r, dst: b.dst[i]! });
}

/** No route matches packet i's destination at topology node (kind, at): drop it (no-route). */
function noRoute(ctx: NodeContext, q: Queues, b: PacketBatch, i: number, counter: number, kind: WhereKind, at: number): void {
  dropAt(ctx, q, b, i, counter, R_NO_ROUTE, kind, at, Stage.ROUTE, b.trace[i] ? noRouteDetail(ctx.world, kind, at, b.dst[i]!) : '');
}

/** A route that discards: next hop None, a known prefix with nobody there, or an unknown next hop. */
function routeDrop(
  ctx: NodeContext, q: Queues, b: PacketBatch, i: number, t: RouteTable, r: number, counter: number, kind: number, at: number, stage: StageCode,
): void {
  const next = t.next[r]!;
  const detail = !b.trace[i] ? '' : discardDetail(t, r, next === Next.DROP ? 'drop' : next === Next.NO_HOST ? 'no-host' : 'other', b.dst[i]!);
  dropAt(ctx, q, b, i, counter, next === Next.NO_HOST ? R_NO_HOST : R_NO_ROUTE, kind, at, stage, detail);
}
