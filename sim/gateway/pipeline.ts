/**
 * The forwarding pipeline: small named stages over a PacketBatch, VPP style. Each stage
 * takes the packets queued for it, decides for each a next stage (or an end: delivered,
 * dropped with a reason, internet) and queues them on. Policy-based and route-based
 * gateways differ only in how the forward stage picks the SA (classifier vs LPM); both
 * feed the same encrypt and decrypt stages.
 *
 * The per-packet trace is a view on this same pipeline: a stage emits a hop event only
 * when `batch.trace[i]` is set, and builds explanation text only then. Node names are
 * made only for traced packets too (`Where` codes + index), so an untraced packet costs
 * array reads and writes, no string or object.
 *
 * `run` moves a whole batch stage by stage (the fast path); `runScalar` moves the same
 * packets one at a time through the same stages (the baseline, and a differential check:
 * both must give the same outcomes and counters). `stats` says which path ran.
 */
import { PacketBatch, Outcome as OUTCOME } from '../engine/batch.js';
import { DROP_REASON_NAMES, dropReasonCode } from '../engine/drop-reasons.js';
import type { DropReason } from '../engine/drop-reasons.js';
import { DropCounters } from '../engine/counters.js';
import type { EventSink, RouteView, HopEvent } from '../engine/events.js';
import { referenceMatches } from '../net/lpm-reference.js';
import { formatIPv4 } from '../net/ipv4.js';
import { EndKind as END_KIND, NetKind as NET_KIND, Next as NEXT, RouteTable, RunState } from './world.js';
import type { PolicySelectors, World, WSa } from './world.js';
import type { DataPlane, DecryptResult, InjectionOutcome } from './encap.js';
import { spiText } from '../wire/esp.js';

// V8 reads imported and exported bindings through a cell, with a TDZ (hole) check, at
// every use, but folds a module's own non-exported consts into the code. The stages use
// these codes for every packet, so this module works with local copies of the imported
// ones and exports its own (Stage, MAX_HOPS) through second bindings (end of file).
const Outcome = OUTCOME;
const EndKind = END_KIND;
const NetKind = NET_KIND;
const Next = NEXT;

/** Stage ids, in the order a round visits them. */
const Stage = {
  SEND: 0,
  SUBNET_ROUTE: 1,
  SITE_EDGE: 2,
  P2S_CLIENT: 3,
  DEVICE: 4,
  GW_FORWARD: 5,
  ENCRYPT: 6,
  DECRYPT: 7,
  ER_TRANSIT: 8,
  VNET_DELIVER: 9,
  SITE_DELIVER: 10,
  P2S_DELIVER: 11,
} as const;
export const STAGE_NAMES = [
  'send', 'route', 'route', 'route', 'device', 'forward', 'encrypt', 'decrypt', 'circuit', 'deliver', 'deliver', 'deliver',
] as const;
const STAGES = STAGE_NAMES.length;

/**
 * The stage a route's next hop queues the packet to (with the route's target), by Next
 * code; -1 for LOCAL and INTERNET (handled by the caller) and for the codes that drop.
 */
const NEXT_STAGE: Int8Array = (() => {
  const a = new Int8Array(256).fill(-1);
  a[Next.GATEWAY] = Stage.GW_FORWARD;
  a[Next.TUNNEL] = Stage.ENCRYPT;
  a[Next.DEVICE] = Stage.DEVICE;
  a[Next.ER] = Stage.ER_TRANSIT;
  return a;
})();

/**
 * A bound on the hops of one packet, which no packet reaches. Every cycle of stages passes
 * a router (gateway forward, or the device), whose TTL check ends it as a counted, traced
 * ttl-expired drop: the stages that route without one (subnet, site LAN, client) are entered
 * only from SEND or from a gateway's forward, so at most three hops (encrypt, decrypt,
 * forward) separate two routers. With a TTL of at most 255 a packet passes at most 254
 * routers: at most 4 hops to the first (a P2S client's: route, encrypt, decrypt, forward)
 * and 3 after each, 766 in all. The longest loop a scenario can build (a GatewaySubnet
 * route back to its gateway, two hops a pass) ends at hop 511 (gateway-subnet-routes.test.ts).
 * The check in `to` only keeps a future stage that forgets its TTL from looping for ever.
 */
const MAX_HOPS = 1024;

const STAGE_IDS: typeof Stage = Stage;
const MAX_HOPS_EXPORT: typeof MAX_HOPS = MAX_HOPS;
export { STAGE_IDS as Stage, MAX_HOPS_EXPORT as MAX_HOPS };

const R_NO_ROUTE = dropReasonCode('no-route');
const R_NO_SELECTOR = dropReasonCode('no-selector');
const R_TUNNEL_DOWN = dropReasonCode('tunnel-down');
const R_INBOUND = dropReasonCode('inbound-policy');
const R_TTL = dropReasonCode('ttl-expired');
const R_RATE = dropReasonCode('rate-limit');
const R_NO_HOST = dropReasonCode('no-host');

function inPrefix(a: number, addr: number, len: number): boolean {
  return len === 0 || ((a ^ addr) >>> (32 - len)) === 0;
}


/** Which node a drop or end happened at, named lazily (traced packets only). */
const Where = { SUBNET: 0, SITE_LAN: 1, P2S: 2, DEVICE: 3, GATEWAY: 4, VNET: 5 } as const;
/** The Where code of an SA end, indexed by EndKind (GATEWAY, DEVICE, P2S). */
const END_WHERE: readonly number[] = [Where.GATEWAY, Where.DEVICE, Where.P2S];

function whereName(w: World, kind: number, at: number): string {
  switch (kind) {
    case Where.SUBNET: {
      const sn = w.subnets[at]!;
      return `${w.vnets[sn.vnet]!.name}/${sn.name}`;
    }
    case Where.SITE_LAN: return `${w.sites[at]!.name}/lan`;
    case Where.P2S: return w.p2sClients[at]!.name;
    case Where.DEVICE: return w.sites[at]!.device.name;
    case Where.GATEWAY: return w.gateways[at]!.name;
    default: return w.vnets[at]!.name;
  }
}

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

/** Everything the stages need besides the batch. */
export interface PipelineContext {
  readonly world: World;
  readonly state: RunState;
  /** The tunnel data plane: real ESP (EspPlane) or sizes only (SizeOnlyPlane, benchmarks). */
  readonly esp: DataPlane;
  readonly counters: DropCounters;
  /** Flow names by flow index (for events). */
  readonly flowNames: readonly string[];
  /** Receives events of traced packets; may be absent (no tracing). */
  readonly sink?: EventSink;
}

/**
 * Moves packets through the stages. One instance per batch capacity; reused across
 * batches and worlds (queues are preallocated).
 */
export class Forwarder {
  private declare readonly queues: Int32Array[];
  private declare readonly qlen: Int32Array;
  private declare work: Int32Array;
  /** Packets held back by a reorder injection: [SA, slot], released after the SA's next packet. */
  private parked: [number, number][] = [];
  private readonly dec: DecryptResult = { reason: 0, detail: '', sa: -1, innerSrc: 0, innerDst: 0 };
  private readonly msg = { detail: '' };
  /** The world `firstStage`/`firstNode` were made for (see firstHops). */
  private hopsOf: World | null = null;
  private firstStage = new Int8Array(0);
  private firstNode = new Int32Array(0);
  /** Counts of the paths that ran. */
  readonly stats: ForwardStats = { batchRuns: 0, batchPackets: 0, maxBatch: 0, scalarPackets: 0 };

  declare readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.queues = [];
    for (let s = 0; s < STAGES; s++) this.queues.push(new Int32Array(capacity));
    this.qlen = new Int32Array(STAGES);
    this.work = new Int32Array(capacity);
  }

  /** Forward every packet of `b` (all queued at SEND, `at` = host index) to its end. */
  run(ctx: PipelineContext, b: PacketBatch): void {
    // Typed-array queues drop writes past their end: a bigger batch would lose packets silently.
    if (b.n > this.capacity) throw new RangeError(`a batch of ${b.n} packets for a forwarder of capacity ${this.capacity}`);
    const q0 = this.queues[Stage.SEND]!;
    for (let i = 0; i < b.n; i++) q0[i] = i;
    this.qlen[Stage.SEND] = b.n;
    this.stats.batchRuns++;
    this.stats.batchPackets += b.n;
    if (b.n > this.stats.maxBatch) this.stats.maxBatch = b.n;
    this.drain(ctx, b, b.n);
  }

  /**
   * The scalar path: forward the packets of `b` one at a time, each to its end before the
   * next starts, through the same stages as `run`.
   */
  runScalar(ctx: PipelineContext, b: PacketBatch): void {
    for (let i = 0; i < b.n; i++) {
      this.queues[Stage.SEND]![0] = i; // re-read: drain swaps the queue arrays
      this.qlen[Stage.SEND] = 1;
      this.drain(ctx, b, 1);
    }
    this.stats.scalarPackets += b.n;
  }

  private drain(ctx: PipelineContext, b: PacketBatch, pendingIn: number): void {
    let pending = pendingIn;
    while (pending > 0 || this.parked.length > 0) {
      if (pending === 0) this.release(-1); // nothing else arrives in this batch: the held packets go now
      pending = 0;
      for (let s = 0; s < STAGES; s++) {
        const n = this.qlen[s]!;
        if (n === 0) continue;
        // Take the queue: swap it with the work list so stages may queue to themselves.
        const list = this.queues[s]!;
        this.queues[s] = this.work;
        this.work = list;
        this.qlen[s] = 0;
        this.stage(ctx, b, s, list, n);
      }
      for (let s = 0; s < STAGES; s++) pending += this.qlen[s]!;
    }
  }

  /** Queue held packets of SA `sa` (all when -1) back into DECRYPT. */
  private release(sa: number): void {
    const keep: [number, number][] = [];
    for (const [s, i] of this.parked) {
      if (sa < 0 || s === sa) this.queues[Stage.DECRYPT]![this.qlen[Stage.DECRYPT]!++] = i;
      else keep.push([s, i]);
    }
    this.parked = keep;
  }

  /** End of the run: tampered copies still waiting (replays with no later packet) arrive now. */
  finish(ctx: PipelineContext, t: number): void {
    this.pendingCopies(ctx, -1, t, true);
  }

  private pendingCopies(ctx: PipelineContext, sa: number, t: number, all: boolean): void {
    // Asked once per decrypted packet, mostly with nothing due: the loop is out of line, so
    // this stays small enough to inline.
    const due = ctx.esp.deliverPending(sa, t, all);
    if (due.length > 0) this.copies(ctx, due, t, all);
  }

  /** Count and report tampered copies that arrived. */
  private copies(ctx: PipelineContext, due: readonly { inj: InjectionOutcome; reason: number; sa: number }[], t: number, all: boolean): void {
    for (let k = 0; k < due.length; k++) {
      const d = due[k]!;
      const w = ctx.world;
      const to = w.sas[d.sa]!;
      if (d.reason !== 0) ctx.counters.add(endCounter(w, to.toKind, to.to), d.reason);
      injectEvent(ctx, d.inj, all ? t : d.inj.t);
    }
  }

  private to(b: PacketBatch, i: number, stage: number, at: number): void {
    // Unreachable while every cycle of stages passes a TTL check (see MAX_HOPS): no counter
    // or event, only an end to a loop a stage without a TTL check would make.
    if (++b.hops[i]! > MAX_HOPS) {
      b.outcome[i] = Outcome.DROPPED;
      b.reason[i] = R_TTL;
      return;
    }
    b.at[i] = at;
    const s = stage;
    this.queues[s]![this.qlen[s]!++] = i;
  }

  /** SEND: the packet leaves its host for the first router. */
  private sendStage(ctx: PipelineContext, b: PacketBatch, list: Int32Array, n: number): void {
    const w = ctx.world;
    if (w !== this.hopsOf) this.firstHops(w);
    const hosts = w.hosts;
    const esp = ctx.esp;
    const firstStage = this.firstStage;
    const firstNode = this.firstNode;
    const atA = b.at;
    const trace = b.trace;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = atA[i]!;
      const h = hosts[at]!;
      if (trace[i]) hop(ctx, b, i, h.name, 'send', `${protoName(b.proto[i]!)} ${b.len[i]} bytes, ttl ${b.ttl[i]}${b.flags[i]! & 1 ? ', DF' : ''}`);
      esp.captureLan(b, i, w, h.netKind, h.net);
      // A table, not a branch on the host's network kind: random traffic mispredicts it.
      this.to(b, i, firstStage[at]!, firstNode[at]!);
    }
  }

  /** Each host's first router (stage and node) in world `w`; worlds are immutable, so made once per world. */
  private firstHops(w: World): void {
    const m = w.hosts.length;
    this.firstStage = new Int8Array(m);
    this.firstNode = new Int32Array(m);
    for (let h = 0; h < m; h++) {
      const host = w.hosts[h]!;
      if (host.netKind === NetKind.VNET) {
        this.firstStage[h] = Stage.SUBNET_ROUTE;
        this.firstNode[h] = host.subnet;
      } else {
        this.firstStage[h] = host.netKind === NetKind.SITE ? Stage.SITE_EDGE : Stage.P2S_CLIENT;
        this.firstNode[h] = host.net;
      }
    }
    this.hopsOf = w;
  }
  /** SUBNET_ROUTE: a VNet subnet's effective routes. */
  private subnetRouteStage(ctx: PipelineContext, b: PacketBatch, list: Int32Array, n: number): void {
    const w = ctx.world;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = b.at[i]!;
      const sn = w.subnets[at]!;
      const r = sn.table.lpm.lookup(b.dst[i]!);
      if (b.trace[i]) routeHop(ctx, b, i, whereName(w, Where.SUBNET, at), 'route', sn.table, r);
      if (r < 0) { this.dropAt(ctx, b, i, sn.counter, R_NO_ROUTE, Where.SUBNET, at, 'route', 'no route in the subnet\'s effective routes matches'); continue; }
      this.follow(ctx, b, i, sn.table, r, sn.counter, Where.SUBNET, at, 'route', Stage.VNET_DELIVER, sn.vnet);
    }
  }
  /** SITE_EDGE: the site LAN's routing (own prefixes, ExpressRoute, the device). */
  private siteEdgeStage(ctx: PipelineContext, b: PacketBatch, list: Int32Array, n: number): void {
    const w = ctx.world;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = b.at[i]!;
      const site = w.sites[at]!;
      const r = site.edge.lpm.lookup(b.dst[i]!);
      if (b.trace[i]) routeHop(ctx, b, i, whereName(w, Where.SITE_LAN, at), 'route', site.edge, r);
      if (r < 0) { this.dropAt(ctx, b, i, site.counter, R_NO_ROUTE, Where.SITE_LAN, at, 'route', 'no route on the site LAN matches'); continue; }
      const next = site.edge.next[r]!;
      if (next === Next.DEVICE) this.to(b, i, Stage.DEVICE, at);
      else this.follow(ctx, b, i, site.edge, r, site.counter, Where.SITE_LAN, at, 'route', Stage.SITE_DELIVER, at);
    }
  }
  /** P2S_CLIENT: a point-to-site client's routes. */
  private p2sClientStage(ctx: PipelineContext, b: PacketBatch, list: Int32Array, n: number): void {
    const w = ctx.world;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = b.at[i]!;
      const c = w.p2sClients[at]!;
      const r = c.table.lpm.lookup(b.dst[i]!);
      if (b.trace[i]) routeHop(ctx, b, i, c.name, 'route', c.table, r);
      if (r < 0) { this.dropAt(ctx, b, i, c.counter, R_NO_ROUTE, Where.P2S, at, 'route', 'no route on the client matches'); continue; }
      this.follow(ctx, b, i, c.table, r, c.counter, Where.P2S, at, 'route', Stage.P2S_DELIVER, at);
    }
  }
  /** DEVICE: the on-premises VPN device (access list or routes). */
  private deviceStage(ctx: PipelineContext, b: PacketBatch, list: Int32Array, n: number): void {
    const w = ctx.world;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = b.at[i]!;
      const site = w.sites[at]!;
      const d = site.device;
      if (!this.ttl(ctx, b, i, d.counter, Where.DEVICE, at, 'device')) continue;
      if (d.policy) {
        const p = d.policy;
        const m = p.classifier.classify(b.src[i]!, b.dst[i]!);
        if (b.trace[i]) selectorHop(ctx, b, i, whereName(w, Where.DEVICE, at), 'classify', p, m, 'access list');
        if (m < 0 || p.permit[m] === 0) { this.endAt(ctx, b, i, Outcome.INTERNET, Where.DEVICE, at, 'classify'); continue; }
        const sa = p.sa[m]!;
        if (sa < 0) { this.count(ctx, b, i, d.counter, R_TUNNEL_DOWN); if (b.trace[i]) this.dropEvent(ctx, b, i, R_TUNNEL_DOWN, whereName(w, Where.DEVICE, at), 'classify', noSaDetail(b, i, p, m)); continue; }
        this.to(b, i, Stage.ENCRYPT, sa);
      } else {
        const t = d.table!;
        const r = t.lpm.lookup(b.dst[i]!);
        if (b.trace[i]) routeHop(ctx, b, i, whereName(w, Where.DEVICE, at), 'route', t, r);
        if (r < 0) { this.endAt(ctx, b, i, Outcome.INTERNET, Where.DEVICE, at, 'route'); continue; }
        this.follow(ctx, b, i, t, r, d.counter, Where.DEVICE, at, 'route', Stage.SITE_DELIVER, at);
      }
    }
  }
  /** VNET_DELIVER, SITE_DELIVER, P2S_DELIVER: find the host owning the address. */
  private deliverStage(ctx: PipelineContext, b: PacketBatch, list: Int32Array, n: number, s: number): void {
    const w = ctx.world;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = b.at[i]!;
      let h = -1;
      let kind: number;
      let counter: number;
      if (s === Stage.VNET_DELIVER) {
        const v = w.vnets[at]!;
        h = v.hosts.find(b.dst[i]!);
        kind = Where.VNET;
        counter = v.counter;
      } else if (s === Stage.SITE_DELIVER) {
        const site = w.sites[at]!;
        h = site.hosts.find(b.dst[i]!);
        kind = Where.SITE_LAN;
        counter = site.counter;
      } else {
        const c = w.p2sClients[at]!;
        h = c.ip === b.dst[i] ? c.host : -1;
        kind = Where.P2S;
        counter = c.counter;
      }
      if (h < 0) {
        this.count(ctx, b, i, counter, R_NO_HOST);
        if (b.trace[i]) {
          const where = whereName(w, kind, at);
          this.dropEvent(ctx, b, i, R_NO_HOST, where, 'deliver', `no host in ${where} has address ${fmt(b.dst[i]!)}`);
        }
        continue;
      }
      ctx.esp.captureLan(b, i, w, s === Stage.VNET_DELIVER ? NetKind.VNET : s === Stage.SITE_DELIVER ? NetKind.SITE : NetKind.P2S, at);
      b.outcome[i] = Outcome.DELIVERED;
      if (b.trace[i]) {
        hop(ctx, b, i, whereName(w, kind, at), 'deliver', `to ${w.hosts[h]!.name} (${fmt(b.dst[i]!)})`);
        this.endEvent(ctx, b, i, Outcome.DELIVERED, w.hosts[h]!.name, 'deliver');
      }
    }
  }

  private stage(ctx: PipelineContext, b: PacketBatch, s: number, list: Int32Array, n: number): void {
    // Every stage is its own tight loop over the packets queued for it (locals hoisted per batch).
    switch (s) {
      case Stage.SEND: this.sendStage(ctx, b, list, n); return;
      case Stage.SUBNET_ROUTE: this.subnetRouteStage(ctx, b, list, n); return;
      case Stage.SITE_EDGE: this.siteEdgeStage(ctx, b, list, n); return;
      case Stage.P2S_CLIENT: this.p2sClientStage(ctx, b, list, n); return;
      case Stage.DEVICE: this.deviceStage(ctx, b, list, n); return;
      case Stage.GW_FORWARD: this.gwForwardStage(ctx, b, list, n); return;
      case Stage.ENCRYPT: this.encryptStage(ctx, b, list, n); return;
      case Stage.DECRYPT: this.decryptStage(ctx, b, list, n); return;
      case Stage.ER_TRANSIT: this.erTransitStage(ctx, b, list, n); return;
      case Stage.VNET_DELIVER:
      case Stage.SITE_DELIVER:
      case Stage.P2S_DELIVER: this.deliverStage(ctx, b, list, n, s); return;
      default: return;
    }
  }

  /** GW_FORWARD: a gateway's forwarding decision, by traffic selectors (policy-based) or routes. */
  private gwForwardStage(ctx: PipelineContext, b: PacketBatch, list: Int32Array, n: number): void {
    const w = ctx.world;
    const gateways = w.gateways;
    const atA = b.at;
    const dstA = b.dst;
    const trace = b.trace;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = atA[i]!;
      const g = gateways[at]!;
      if (!this.ttl(ctx, b, i, g.counterForward, Where.GATEWAY, at, 'forward')) continue;
      const dst = dstA[i]!;
      const p = g.policy;
      if (p) {
        // Policy-based: traffic for the VNet itself is delivered; the rest is classified.
        const v = w.vnets[g.vnet]!;
        const local = v.spaceLpm.lookup(dst);
        if (local >= 0) {
          if (trace[i]) hop(ctx, b, i, g.name, 'forward', `${fmt(dst)} is in ${v.name}'s address space ${v.space[local]!.text}: deliver into the VNet`);
          this.to(b, i, g.deliverStage, g.deliverAt);
          continue;
        }
        const m = p.classifier.classify(b.src[i]!, dst);
        if (trace[i]) selectorHop(ctx, b, i, g.name, 'classify', p, m, 'traffic selectors');
        if (m < 0) { this.count(ctx, b, i, g.counterForward, R_NO_SELECTOR); if (trace[i]) this.dropEvent(ctx, b, i, R_NO_SELECTOR, g.name, 'classify', `no traffic selector of ${g.name} matches ${fmt(b.src[i]!)} → ${fmt(dst)}`); continue; }
        this.to(b, i, Stage.ENCRYPT, p.sa[m]!);
      } else {
        const t = g.table!;
        const r = t.lpm.lookup(dst);
        if (trace[i]) routeHop(ctx, b, i, g.name, 'route', t, r);
        if (r < 0) { this.count(ctx, b, i, g.counterForward, R_NO_ROUTE); if (trace[i]) this.dropEvent(ctx, b, i, R_NO_ROUTE, g.name, 'route', `no route in ${g.name}'s routing table matches ${fmt(dst)}`); continue; }
        // Into the VNet (VnetLocal): by the gateway's delivery, its GatewaySubnet's routes when that subnet has some.
        this.follow(ctx, b, i, t, r, g.counterForward, Where.GATEWAY, at, 'route', g.deliverStage, g.deliverAt);
      }
    }
  }

  /** ENCRYPT: into the SA the forward stage picked (tunnel state, MTU, SKU throughput). */
  private encryptStage(ctx: PipelineContext, b: PacketBatch, list: Int32Array, n: number): void {
    const w = ctx.world;
    const sas = w.sas;
    const tunnels = w.tunnels;
    const esp = ctx.esp;
    const state = ctx.state;
    const msg = this.msg;
    const atA = b.at;
    const trace = b.trace;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = atA[i]!;
      const sa = sas[at]!;
      const tun = tunnels[sa.tunnel]!;
      // Node name and counter are looked up only for drops and traced packets.
      const from = END_WHERE[sa.fromKind]!;
      if (tun.downReason !== 0) { this.dropAt(ctx, b, i, endCounter(w, sa.fromKind, sa.from), tun.downReason, from, sa.from, 'encrypt', tun.downDetail); continue; }
      // Sizes first, then the SKU bucket on the wire bytes, and only then the sequence
      // numbers and the crypto: a packet the bucket drops costs the sender nothing.
      let r = esp.size(b, i, at, w, msg);
      if (r === 0 && sa.fromKind === EndKind.GATEWAY && !this.bucket(ctx, sa.from, b.time[i]!, b.wireLen[i]!)) {
        this.dropAt(ctx, b, i, endCounter(w, sa.fromKind, sa.from), R_RATE, from, sa.from, 'encrypt', trace[i] ? overSku(w, sa.from) : '');
        continue;
      }
      if (r === 0) r = esp.encrypt(b, i, at, w, msg);
      if (r !== 0) {
        if (trace[i]) hop(ctx, b, i, whereName(w, from, sa.from), 'encrypt', `into SA ${sa.name}: ${b.len[i]} bytes, path MTU ${sa.mtu}`, w.connections[sa.connection]!.name);
        this.dropAt(ctx, b, i, endCounter(w, sa.fromKind, sa.from), r, from, sa.from, 'encrypt', msg.detail);
        continue;
      }
      const seq = esp.firstSeq[i]!;
      state.saPackets[at]!++;
      state.saBytes[at]! += b.len[i]!;
      b.sa[i] = at;
      b.espSeq[i] = seq;
      b.addVia(i, sa.connection);
      if (trace[i]) {
        const n = esp.espPackets[i]!;
        saHop(ctx, b, i, whereName(w, from, sa.from), 'encrypt', sa, seq, n > 1 ? `fragment (no DF) and encrypt into SA ${sa.name}: ${n} ESP packets` : `encrypt into SA ${sa.name}`);
      }
      this.to(b, i, Stage.DECRYPT, at);
    }
  }

  /** DECRYPT: at the SA's far end (SKU throughput, ESP checks, inbound policy), then on. */
  private decryptStage(ctx: PipelineContext, b: PacketBatch, list: Int32Array, n: number): void {
    const w = ctx.world;
    const sas = w.sas;
    const esp = ctx.esp;
    const d = this.dec;
    const atA = b.at;
    const trace = b.trace;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = atA[i]!;
      const sa = sas[at]!;
      // Node name and counter are looked up only for drops and traced packets.
      const note = esp.noteOf(i);
      if (esp.hold[i]) {
        // Reorder injection: this packet arrives after the SA's next one.
        esp.hold[i] = 0;
        this.parked.push([at, i]);
        continue;
      }
      if (sa.toKind === EndKind.GATEWAY && !this.bucket(ctx, sa.to, b.time[i]!, b.wireLen[i]!)) {
        this.decryptDrop(ctx, b, i, at, sa, R_RATE, trace[i] ? overSku(w, sa.to) : '');
        continue;
      }
      esp.decrypt(b, i, d);
      if (note) this.injected(ctx, b, i, note, d);
      if (d.reason !== 0) {
        if (trace[i]) hop(ctx, b, i, whereName(w, END_WHERE[sa.toKind]!, sa.to), 'decrypt', `ESP from ${fmt(sa.outerSrc)}: ${DROP_REASON_NAMES[d.reason]}`, w.connections[sa.connection]!.name);
        this.decryptDrop(ctx, b, i, at, sa, d.reason, d.detail);
        continue;
      }
      const found = d.sa >= 0 ? sas[d.sa]! : sa;
      // Inbound policy (RFC 4301): the decrypted inner packet must match the SA's selectors.
      const src = d.innerSrc;
      const dst = d.innerDst;
      const okSel = inPrefix(src, found.selSrc.addr, found.selSrc.len) && inPrefix(dst, found.selDst.addr, found.selDst.len);
      if (trace[i]) saHop(ctx, b, i, whereName(w, END_WHERE[sa.toKind]!, sa.to), 'decrypt', found, b.espSeq[i]!, okSel ? `decrypt SA ${found.name} (ICV verified); inner packet matches its selectors ${found.selSrc.text} → ${found.selDst.text}` : `decrypt SA ${found.name} (ICV verified)`);
      this.afterDecrypt(ctx, at, b.time[i]!);
      if (!okSel) {
        this.dropAt(ctx, b, i, endCounter(w, sa.toKind, sa.to), R_INBOUND, END_WHERE[sa.toKind]!, sa.to, 'decrypt',
          trace[i] ? `inner packet ${fmt(src)} → ${fmt(dst)} is outside SA ${found.name}'s selectors ${found.selSrc.text} → ${found.selDst.text}` : '');
        continue;
      }
      b.sa[i] = -1;
      b.wireLen[i] = b.len[i]!;
      if (sa.toKind === EndKind.GATEWAY) this.to(b, i, Stage.GW_FORWARD, sa.to);
      else if (sa.toKind === EndKind.P2S) this.to(b, i, Stage.P2S_DELIVER, sa.to);
      else {
        // The device routes the decrypted packet onto its LAN (or out): a router hop, like the gateway's forward.
        const site = w.sites[sa.to]!;
        if (!this.ttl(ctx, b, i, site.device.counter, Where.DEVICE, sa.to, 'forward')) continue;
        if (site.prefixLpm.lookup(b.dst[i]!) >= 0) this.to(b, i, Stage.SITE_DELIVER, sa.to);
        else this.endAt(ctx, b, i, Outcome.INTERNET, Where.DEVICE, sa.to, 'decrypt');
      }
    }
  }

  /** A packet of SA `at` dropped at its decrypting end (before the inner packet is looked at), then what follows it. */
  private decryptDrop(ctx: PipelineContext, b: PacketBatch, i: number, at: number, sa: WSa, reason: number, detail: string): void {
    this.dropAt(ctx, b, i, endCounter(ctx.world, sa.toKind, sa.to), reason, END_WHERE[sa.toKind]!, sa.to, 'decrypt', detail);
    this.afterDecrypt(ctx, at, b.time[i]!);
  }

  /** The outcome of an injection that tampered with packet i, once decrypted (an event when there is a sink). */
  private injected(ctx: PipelineContext, b: PacketBatch, i: number, note: InjectionOutcome, d: DecryptResult): void {
    // The outcome is the decryption's, with or without a sink; the detail says it, as a copy's does.
    note.result = d.reason === 0 ? 'delivered' : 'dropped';
    if (d.reason !== 0) note.reason = DROP_REASON_NAMES[d.reason]!;
    note.detail = d.reason === 0 ? `${note.detail}: accepted (inside the anti-replay window)` : `${note.detail}: ${d.detail}`;
    injectEvent(ctx, note, b.time[i]!);
  }


  /** ER_TRANSIT: over an ExpressRoute circuit, to the site or to the gateway. */
  private erTransitStage(ctx: PipelineContext, b: PacketBatch, list: Int32Array, n: number): void {
    const w = ctx.world;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = b.at[i]!;
      const path = w.erPaths[at >> 1]!;
      const toSite = (at & 1) === 0;
      const conn = w.connections[path.connection]!;
      b.addVia(i, path.connection);
      if (b.trace[i]) hop(ctx, b, i, path.circuit, 'circuit', toSite ? `over circuit ${path.circuit} (${conn.name}) to ${w.sites[path.site]!.name}` : `over circuit ${path.circuit} (${conn.name}) to ${w.gateways[path.gateway]!.name}`, conn.name);
      if (toSite) this.to(b, i, Stage.SITE_DELIVER, path.site);
      else this.to(b, i, Stage.GW_FORWARD, path.gateway);
    }
  }

  /** After a packet of SA `sa` arrived: held (reordered) packets and due tampered copies of that SA follow it. */
  private afterDecrypt(ctx: PipelineContext, sa: number, t: number): void {
    if (this.parked.length) this.release(sa);
    this.pendingCopies(ctx, sa, t, false);
  }

  /**
   * Follow a route's next hop (typed arrays of the table; entries are read only for
   * traced packets). `whereKind`/`whereAt` name the node; `localStage`/`localAt`: where
   * LOCAL delivers.
   */
  private follow(
    ctx: PipelineContext, b: PacketBatch, i: number, t: RouteTable, r: number, counter: number,
    whereKind: number, whereAt: number, stage: string, localStage: number, localAt: number,
  ): void {
    // Small enough for V8 to inline into the stages: the drops go to routeDrop.
    const next = t.next[r]!;
    if (next === Next.LOCAL) this.to(b, i, localStage, localAt);
    else if (next === Next.INTERNET) this.endAt(ctx, b, i, Outcome.INTERNET, whereKind, whereAt, stage);
    else {
      const to = NEXT_STAGE[next]!;
      if (to >= 0) this.to(b, i, to, t.target[r]!);
      else this.routeDrop(ctx, b, i, t, r, counter, whereKind, whereAt, stage);
    }
  }

  /** A route that discards: next hop None, a known prefix with nobody there, or an unknown next hop. */
  private routeDrop(
    ctx: PipelineContext, b: PacketBatch, i: number, t: RouteTable, r: number, counter: number,
    whereKind: number, whereAt: number, stage: string,
  ): void {
    const next = t.next[r]!;
    const e = t.entries[r]!;
    // The detail is built only for a traced packet.
    const detail = !b.trace[i] ? ''
      : next === Next.DROP ? `route ${e.prefix.text} has next hop None: the packet is discarded`
      : next === Next.NO_HOST ? `${fmt(b.dst[i]!)} is in ${e.prefix.text} (${e.nextHop}) but nobody has that address`
      : 'unknown next hop';
    this.dropAt(ctx, b, i, counter, next === Next.NO_HOST ? R_NO_HOST : R_NO_ROUTE, whereKind, whereAt, stage, detail);
  }

  /** A router hop: TTL check and decrement. */
  private ttl(ctx: PipelineContext, b: PacketBatch, i: number, counter: number, whereKind: number, whereAt: number, stage: string): boolean {
    const t = b.ttl[i]!;
    if (t <= 1) {
      this.ttlDrop(ctx, b, i, counter, whereKind, whereAt, stage, t);
      return false;
    }
    b.ttl[i] = t - 1;
    return true;
  }

  private ttlDrop(ctx: PipelineContext, b: PacketBatch, i: number, counter: number, whereKind: number, whereAt: number, stage: string, t: number): void {
    this.count(ctx, b, i, counter, R_TTL);
    if (b.trace[i]) {
      const where = whereName(ctx.world, whereKind, whereAt);
      this.dropEvent(ctx, b, i, R_TTL, where, stage, `TTL ${t} reached zero at ${where}`);
    }
  }

  /** Token bucket of a gateway's SKU throughput, burst of 50 ms. */
  private bucket(ctx: PipelineContext, g: number, t: number, bytes: number): boolean {
    const rate = ctx.world.gateways[g]!.bytesPerSecond;
    if (rate <= 0) return true;
    const st = ctx.state;
    const depth = rate * 0.05;
    let tokens = st.bucketTokens[g]!;
    if (tokens < 0) tokens = depth;
    // Packets reach a gateway in batch order, which can trail time slightly: never refill backwards.
    else tokens = Math.min(depth, tokens + Math.max(0, t - st.bucketTime[g]!) * rate);
    st.bucketTime[g] = Math.max(t, st.bucketTime[g]!);
    if (tokens < bytes) {
      st.bucketTokens[g] = tokens;
      return false;
    }
    st.bucketTokens[g] = tokens - bytes;
    return true;
  }

  /** Drop packet i and count it (no event: callers emit one for traced packets). */
  private count(ctx: PipelineContext, b: PacketBatch, i: number, counter: number, reason: number): void {
    b.outcome[i] = Outcome.DROPPED;
    b.reason[i] = reason;
    ctx.counters.add(counter, reason);
  }

  /** The dropped event of a traced packet (already counted). */
  private dropEvent(ctx: PipelineContext, b: PacketBatch, i: number, reason: number, where: string, stage: string, detail: string): void {
    if (!ctx.sink) return;
    ctx.sink.event({
      type: 'dropped', t: b.time[i]!, flow: ctx.flowNames[b.flow[i]!]!, packet: b.seq[i]!, node: where, stage,
      reason: DROP_REASON_NAMES[reason] as DropReason, detail, via: viaNames(ctx.world, b, i),
    });
  }

  /** Drop and count packet i at a node named lazily; `detail` is read only for traced packets. */
  private dropAt(
    ctx: PipelineContext, b: PacketBatch, i: number, counter: number, reason: number, whereKind: number, whereAt: number, stage: string, detail: string,
  ): void {
    this.count(ctx, b, i, counter, reason);
    if (b.trace[i]) this.dropEvent(ctx, b, i, reason, whereName(ctx.world, whereKind, whereAt), stage, detail);
  }

  /** End packet i with `outcome` at a node named lazily. */
  private endAt(ctx: PipelineContext, b: PacketBatch, i: number, outcome: number, whereKind: number, whereAt: number, stage: string): void {
    b.outcome[i] = outcome;
    if (b.trace[i]) this.endEvent(ctx, b, i, outcome, whereName(ctx.world, whereKind, whereAt), stage);
  }

  private endEvent(ctx: PipelineContext, b: PacketBatch, i: number, outcome: number, where: string, stage: string): void {
    if (!ctx.sink) return;
    ctx.sink.event({
      type: outcome === Outcome.DELIVERED ? 'delivered' : 'internet', t: b.time[i]!, flow: ctx.flowNames[b.flow[i]!]!,
      packet: b.seq[i]!, node: where, stage, via: viaNames(ctx.world, b, i),
    });
  }
}

// ---- trace helpers (run only for traced packets) ----

function fmt(a: number): string {
  return formatIPv4(a);
}

function protoName(p: number): string {
  return p === 1 ? 'icmp' : p === 6 ? 'tcp' : p === 17 ? 'udp' : p === 50 ? 'esp' : `proto ${p}`;
}

function viaNames(w: World, b: PacketBatch, i: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < 4; k++) {
    const c = b.via[i * 4 + k]!;
    if (c >= 0) out.push(w.connections[c]!.name);
  }
  return out;
}

// Device names are made once per world, not per packet (a one-entry cache: worlds change
// only on faults).
/** Why a gateway dropped a packet for its SKU throughput (traced packets only). */
function overSku(w: World, g: number): string {
  return `${w.gateways[g]!.name} is over its ${w.gateways[g]!.sku} SKU throughput`;
}

function endCounter(w: World, kind: number, idx: number): number {
  if (kind === EndKind.GATEWAY) return w.gateways[idx]!.counterCrypto;
  if (kind === EndKind.DEVICE) return w.sites[idx]!.device.counter;
  return w.p2sClients[idx]!.counter;
}

function base(ctx: PipelineContext, b: PacketBatch, i: number, node: string, stage: string, decision: string): HopEvent {
  return {
    type: 'hop', t: b.time[i]!, flow: ctx.flowNames[b.flow[i]!]!, packet: b.seq[i]!, hop: b.hops[i]! + 1,
    node, stage, decision, src: fmt(b.src[i]!), dst: fmt(b.dst[i]!),
  };
}

function hop(ctx: PipelineContext, b: PacketBatch, i: number, node: string, stage: string, decision: string, connection?: string): void {
  if (!ctx.sink) return;
  const e = base(ctx, b, i, node, stage, decision);
  ctx.sink.event(connection ? { ...e, connection } : e);
}

function view(t: RouteTable, k: number): RouteView {
  const e = t.entries[k]!;
  return { prefix: e.prefix.text, nextHop: e.nextHop, source: e.source };
}

function routeHop(ctx: PipelineContext, b: PacketBatch, i: number, node: string, stage: string, t: RouteTable, r: number): void {
  if (!ctx.sink) return;
  const all = referenceMatches(t.entries.map((e) => ({ addr: e.prefix.addr, len: e.prefix.len })), b.dst[i]!);
  const beat = all.filter((k) => k !== r).map((k) => view(t, k));
  if (r < 0) {
    ctx.sink.event({ ...base(ctx, b, i, node, stage, `no route matches ${fmt(b.dst[i]!)}`), beat });
    return;
  }
  const e = t.entries[r]!;
  ctx.sink.event({
    ...base(ctx, b, i, node, stage, `${e.prefix.text} → ${e.nextHop}`),
    route: view(t, r),
    beat,
  });
}

/** Why a device's permit selector `m` had no SA for packet i (traced packets only). */
function noSaDetail(b: PacketBatch, i: number, p: PolicySelectors, m: number): string {
  return `no SA for ${fmt(b.src[i]!)} → ${fmt(b.dst[i]!)} under access-list entry ${p.entry[m]} (${p.text[m]}): ${p.noSa[m] || 'the gateway has no selector it could agree to'}`;
}

function selectorHop(
  ctx: PipelineContext, b: PacketBatch, i: number, node: string, stage: string, p: PolicySelectors, m: number, what: string,
): void {
  if (!ctx.sink) return;
  if (m < 0) {
    ctx.sink.event(base(ctx, b, i, node, stage, `no entry of the ${what} matches ${fmt(b.src[i]!)} → ${fmt(b.dst[i]!)}`));
    return;
  }
  const permit = p.permit[m] === 1;
  const saName = permit && p.sa[m]! >= 0 ? ctx.world.sas[p.sa[m]!]!.name : undefined;
  ctx.sink.event({
    ...base(ctx, b, i, node, stage, `${what} entry ${p.entry[m]}: ${p.text[m]}${permit ? (saName ? ` → SA ${saName}` : ' → no SA') : ' → bypass, sent in clear'}`),
    selector: { index: p.entry[m]!, src: p.src[m]!.text, dst: p.dst[m]!.text, action: permit ? 'protect' : 'bypass' },
  });
}

/** The 'inject' event of an injection's settled outcome, at time `t` (when there is a sink). */
function injectEvent(ctx: PipelineContext, o: InjectionOutcome, t: number): void {
  ctx.sink?.event({
    type: 'inject', t, flow: ctx.flowNames[o.flow]!, packet: o.packet, connection: o.connection, action: o.action,
    sa: o.sa, spi: o.spi, seq: o.seq, result: o.result, ...(o.reason ? { reason: o.reason as DropReason } : {}), detail: o.detail,
  });
}

function saHop(ctx: PipelineContext, b: PacketBatch, i: number, node: string, stage: string, sa: WSa, seq: number, decision: string): void {
  if (!ctx.sink) return;
  const conn = ctx.world.connections[sa.connection]!.name;
  const n = ctx.esp.espPackets[i]!;
  const shape = ctx.esp.shape(b.sa[i]!); // both callers set b.sa[i] to this SA's index first
  const seqText = n > 1 ? `${seq}-${seq + n - 1}` : `${seq}`;
  ctx.sink.event({
    ...base(ctx, b, i, node, stage, decision),
    connection: conn,
    sa: {
      name: sa.name, spi: spiText(sa.spi), seq, transform: sa.transform,
      outer: { src: fmt(sa.outerSrc), dst: fmt(sa.outerDst) },
      sizeBefore: b.len[i]!, sizeAfter: b.wireLen[i]!, overhead: b.wireLen[i]! - b.len[i]!, mtu: sa.mtu, espPackets: n,
      innerHeader: `IPv4 ${fmt(b.src[i]!)} → ${fmt(b.dst[i]!)} ${protoName(b.proto[i]!)}${b.proto[i] !== 1 ? ` ${b.sport[i]} → ${b.dport[i]}` : ''} ttl ${b.ttl[i]} len ${b.len[i]}${b.flags[i]! & 1 ? ' DF' : ''}`,
      outerHeader: `IPv4 ${fmt(sa.outerSrc)} → ${fmt(sa.outerDst)} esp ttl 64, ESP spi ${spiText(sa.spi)} seq ${seqText}, ${shape.name} (iv ${shape.ivLen}, icv ${shape.icvLen})`,
    },
  });
}
