/**
 * Run a scenario: virtual time, traffic generation, faults, the gateway graph over
 * batches, per-flow accounting and expectations. Deterministic: the same scenario and
 * seed give the same events in the same order: packets in time order, ties by flow order
 * then packet number, each packet's events in hop order (the batch is filled in that
 * order and the Forwarder hands on its events packet by packet), a fault before the
 * packets of its instant.
 *
 * Packets due before the next fault are gathered into batches of up to `batchSize` and
 * pushed through the graph together; a fault recompiles the world (routes withdrawn,
 * tunnels down) and the run goes on with the same run state and SA table.
 *
 * Captures (`RunOptions.capture`): every packet that crosses a link goes to a CaptureSink
 * at the end of its batch, in time order (sim/engine/capture.ts), so memory holds one
 * batch however long the run; a sink that throws stops the run there. `capture: true`
 * uses a PcapMemorySink and returns its files in RunResult.captures, with Wireshark's
 * esp_sa table either way. `captureLinks` names every link a run can capture on, so a front
 * end can check its files before the run.
 *
 * One file, a little over 500 lines: the loop, the IKE timers' place in it and the flow
 * accounting share the run's state and its result types, and read best top to bottom
 * beside each other; the expectations are expectations.ts.
 */
import { PacketBatch, Outcome, MAX_VIA } from '../engine/batch.js';
import { DropCounters } from '../engine/counters.js';
import { DROP_REASON_NAMES } from '../engine/drop-reasons.js';
import type { EventSink, SimEvent } from '../engine/events.js';
import { Forwarder } from '../gateway/pipeline.js';
import type { ForwardStats } from '../gateway/pipeline.js';
import { RunState } from '../gateway/world.js';
import type { World } from '../gateway/world.js';
import { EspPlane } from '../gateway/esp-plane.js';
import { INTERNET_LINK, LinkTap, captureLinkName } from '../gateway/link-tap.js';
import { minPacketLen } from '../gateway/packet-bytes.js';
import { InternetLink } from '../gateway/internet-link.js';
import type { InjectionOutcome } from '../gateway/internet-link.js';
import type { PipelineContext } from '../gateway/pipeline.js';
import { PcapMemorySink } from '../engine/capture.js';
import type { CaptureSink } from '../engine/capture.js';
import { forgeCrypto } from '../ipsec/crypto-forge.js';
import type { CryptoBackend, CryptoBackendName } from '../ipsec/crypto.js';
import { formatIPv4 } from '../net/ipv4.js';
import { IDLE_LIMIT, IkePlane } from '../gateway/ike-plane.js';
import { ikeDatagramPacket } from '../ike/datagram-packet.js';
import type { IkeDatagram } from '../ike/endpoint.js';
import { ikev1DecryptionTable, ikev2DecryptionTable } from '../ike/wireshark-tables.js';
import type { IkeConnectionSummary } from '../gateway/ike-summary.js';
import { compileWorld } from './compile/index.js';
import type { FlowEndpoints } from './compile/index.js';
import type { Flow, Scenario } from './types.js';
import { evaluate } from './expectations.js';
import type { CopiesSummary, ExpectationResult, FlowSummary } from './expectations.js';
import { spiText } from '../wire/esp.js';

const PROTO: Readonly<Record<Flow['proto'], number>> = { icmp: 1, tcp: 6, udp: 17 };

export interface RunOptions {
  /** Receives the hop and end events of traced packets, and fault events. */
  readonly sink?: EventSink;
  /** Packets traced per flow (the first N of each); default 100. */
  readonly traceLimit?: number;
  /** Packets per batch; default 256. */
  readonly batchSize?: number;
  /**
   * Crypto backend of the ESP transform (every backend gives the same bytes). Default:
   * node-forge, pure JavaScript, which runs anywhere; the Node.js entry (sim/node-host.ts,
   * re-exported by sim/index.ts) takes a backend name and defaults to the native addon
   * when it was built, else node:crypto.
   */
  readonly crypto?: CryptoBackend;
  /**
   * Capture every link: a CaptureSink receives each link's packets in time order while the
   * run goes on (constant memory: it holds one batch's packets at a time); `true` keeps
   * them as pcap files in memory (RunResult.captures.pcaps). Default: no captures.
   */
  readonly capture?: boolean | CaptureSink;
  /**
   * 'batch' (default): each batch moves node by node. 'scalar': the same packets move one
   * at a time through the same nodes (the baseline; outcomes and counters are identical).
   */
  readonly path?: 'batch' | 'scalar';
  /** When given, receives the forwarder's counts of what ran (which path, how many packets). */
  readonly stats?: ForwardStats;
  /**
   * Called after each batch (and once at the end) with how far the run is. The simulator
   * never prints: a front end draws the bar. Cheap enough to call per batch.
   */
  readonly progress?: (p: RunProgress) => void;
  /**
   * Run one shard of a sharded run (sim/scenario/shard.ts): every packet moves through the
   * graph, but only the flows marked in `owned` (by flow index) get ESP bytes and
   * events; fault events only when `faults`. Refused (throws) with injections or captures:
   * the caller checks `shardRefusal` first.
   */
  readonly shard?: { readonly owned: readonly boolean[]; readonly faults: boolean };
}

/** How far a run is: packets simulated of the total, virtual time reached of the last event's. */
export interface RunProgress {
  readonly packets: number;
  readonly totalPackets: number;
  /** Virtual seconds reached. */
  readonly t: number;
  /** Virtual seconds of the last packet or fault. */
  readonly endT: number;
  readonly done: boolean;
}

/** Captures of a run: pcap bytes per link and Wireshark's ESP SA table. */
export interface Captures {
  /**
   * Link name (`internet`, `vnet-NAME`, `site-NAME`, `p2s-NAME`) → pcap file bytes, for the
   * links that carried a packet, when RunOptions.capture was `true`; empty when a
   * CaptureSink received the packets.
   */
  readonly pcaps: Record<string, Uint8Array>;
  /** The `esp_sa` file: one line per SA, eight quoted comma-separated fields. */
  readonly espSa: string;
  /** Wireshark's `ikev2_decryption_table` and `ikev1_decryption_table` files: one line per IKE SA ('' when none). */
  readonly ikev2Table: string;
  readonly ikev1Table: string;
}

/** One SA pair (child SA) as `swanctl --list-sas` shows it, from the Azure gateway's side (or the P2S gateway's). */
export interface TunnelSummary {
  readonly name: string;
  readonly connection: string;
  readonly established: boolean;
  /**
   * established; down (IKE failed, a fault, a pair the device refuses); idle: a policy-based
   * pair that no traffic asked an SA for, so IKE never negotiated it.
   */
  readonly state: 'established' | 'down' | 'idle';
  /** Why it is not established, in words ('' when it is). */
  readonly downDetail: string;
  readonly local: string;
  readonly remote: string;
  readonly localSelector: string;
  readonly remoteSelector: string;
  readonly transform: string;
  readonly mtu: number;
  readonly spiIn: string;
  readonly spiOut: string;
  /** ESP packets and inner bytes sent (out SA) and received and authenticated (in SA). */
  readonly packetsOut: number;
  readonly bytesOut: number;
  readonly packetsIn: number;
  readonly bytesIn: number;
  /** Replay-window top of the inbound SA (highest authenticated sequence). */
  readonly seqIn: number;
  readonly seqOut: number;
}

export type { CopiesSummary, ExpectationResult, FlowSummary } from './expectations.js';

export interface SaSummary {
  readonly name: string;
  readonly connection: string;
  readonly spi: string;
  readonly src: string;
  readonly dst: string;
  readonly selectors: string;
  readonly transform: string;
  readonly established: boolean;
  readonly packets: number;
  readonly bytes: number;
}

export interface RunResult {
  readonly flows: readonly FlowSummary[];
  readonly expectations: readonly ExpectationResult[];
  readonly passed: number;
  readonly failed: number;
  /** Drop counters `node/stage/reason` (`gw1/route/no-route`, as the drop events name them) → count (non-zero only). */
  readonly counters: Record<string, number>;
  readonly sas: readonly SaSummary[];
  readonly tunnels: readonly TunnelSummary[];
  /** What each `inject:` entry did, in scenario order. */
  readonly injections: readonly InjectionOutcome[];
  /** Each Site-to-Site and VNet-to-VNet connection's IKE negotiation, in connection order. */
  readonly ike: readonly IkeConnectionSummary[];
  /** Present when RunOptions.capture was set. */
  readonly captures?: Captures;
  /** The crypto backend used. */
  readonly crypto: CryptoBackendName;
  /** Virtual seconds simulated (time of the last packet or fault). */
  readonly duration: number;
}

class FlowAcc {
  sent = 0;
  delivered = 0;
  dropped = 0;
  internet = 0;
  readonly reasons = new Float64Array(DROP_REASON_NAMES.length);
  /** [conn * 4 + outcome] packets that crossed conn and ended with outcome. */
  via: Float64Array;
  constructor(connections: number) {
    this.via = new Float64Array(connections * 4);
  }
}

/** Add each packet of `batch` to its flow's counts: outcome, drop reason, connections crossed. */
function countOutcomes(batch: PacketBatch, acc: readonly FlowAcc[]): void {
  for (let i = 0; i < batch.n; i++) {
    const a = acc[batch.flow[i]!]!;
    a.sent++;
    const o = batch.outcome[i]!;
    if (o === Outcome.DELIVERED) a.delivered++;
    else if (o === Outcome.INTERNET) a.internet++;
    else {
      a.dropped++;
      a.reasons[batch.reason[i]!]!++;
    }
    for (let k = 0; k < MAX_VIA; k++) {
      const c = batch.via[i * MAX_VIA + k]!;
      if (c >= 0) a.via[c * 4 + o]!++;
    }
  }
}

/** What `eventKey` gives: time, flow order, packet, copy after original. */
export type EventKey = [number, number, number, number];

/**
 * The order users read events in, which `runScenario` emits them in: by time, then flow
 * order, then packet; a fault before the packets of its instant; a duplicated or replayed
 * copy (a packet of its own that arrives after the original's path) after the original's
 * events; ties in emission order. For merging the events of several runs (shard.ts).
 */
export function eventKey(s: Scenario): (e: SimEvent) => EventKey {
  const flowOrder = new Map(s.traffic.map((f, i) => [f.id, i]));
  return (e) => e.type === 'fault' || (e.type === 'ike' && e.flow === undefined) ? [e.t, -1, 0, 0]
    : e.type === 'ike' ? [e.t, flowOrder.get(e.flow!) ?? 0, e.packet ?? 0, 0]
    : [e.t, flowOrder.get(e.flow) ?? 0, e.packet, e.type === 'inject' && (e.action === 'duplicate' || e.action === 'replay') ? 1 : 0];
}

/** The order of two `eventKey`s (negative: `a` first; 0: a tie, for the caller to break). */
export function compareEventKey(a: EventKey, b: EventKey): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3];
}

/** Simulate `s` (assumed checked: no error diagnostics). */
export function runScenario(s: Scenario, opts: RunOptions = {}): RunResult {
  const traceLimit = opts.traceLimit ?? 100;
  const batchSize = opts.batchSize ?? 256;
  const down = new Set<string>();
  let compiled = compileWorld(s, down);
  let world: World = compiled.world;
  const flows = compiled.flows;
  const state = new RunState(world);
  const counters = new DropCounters(world.counterNodes);
  const forwarder = new Forwarder(batchSize);
  const batch = new PacketBatch(batchSize);
  const nConn = world.connections.length;
  const acc = s.traffic.map(() => new FlowAcc(nConn));
  const flowNames = s.traffic.map((f) => f.id);
  const crypto = opts.crypto ?? forgeCrypto;
  const cryptoName: CryptoBackendName = crypto.name;
  const shard = opts.shard;
  if (shard && ((s.inject ?? []).length > 0 || opts.capture)) throw new Error('a sharded run cannot have injections or captures (see shardRefusal)');
  const owned = shard ? Uint8Array.from(s.traffic.map((_, fi) => (shard.owned[fi] ? 1 : 0))) : null;
  const inMemory = opts.capture === true ? new PcapMemorySink() : null;
  const captureSink = inMemory ?? (typeof opts.capture === 'object' ? opts.capture : null);
  const esp = new EspPlane(world, crypto, batchSize, s.seed, owned);
  const link = new InternetLink(
    (s.inject ?? []).map((x, index) => ({ index, connection: x.connection, at: x.at, action: x.action, packet: x.packet, ...(x.direction ? { direction: x.direction } : {}), ...(x.byte !== undefined ? { byte: x.byte } : {}) })),
  );
  const tap = captureSink ? new LinkTap(captureSink) : null;
  // IKE: keyed by the same seed; in a sharded run every worker negotiates the same way and
  // one reports each event: the fault worker what happens on timers, a flow's owner what its packets asked for.
  let ikePacketId = 0;
  const ike = new IkePlane(world, crypto, s.seed, esp.slots, {
    ...(tap ? { onWire: (t: number, d: IkeDatagram) => tap.internet(t, ikeDatagramPacket(d, ikePacketId++)) } : {}),
    reportsTimed: !shard || shard.faults,
    ...(owned ? { reportsFlow: (fi: number) => owned[fi] === 1 } : {}),
    flowNames,
  });
  const ikeEmit = opts.sink ? (e: SimEvent): void => opts.sink!.event(e) : null;

  const faults = [...s.faults].map((f, i) => ({ f, i })).sort((a, b) => a.f.at - b.f.at || a.i - b.i);
  let faultIdx = 0;
  const nextSeq = new Float64Array(s.traffic.length); // packets generated so far per flow
  // Each flow's packet size, once. checkScenario refuses a size below the protocol's headers
  // (MIN_FLOW_SIZE); the floor only keeps an unchecked flow (built in code, e.g. whatIf's)
  // from having its headers written past the end of its packet.
  const flowSize = s.traffic.map((f) => Math.max(f.size, minPacketLen(PROTO[f.proto])));
  let duration = 0;
  let packetsDone = 0;
  let totalPackets = 0;
  let endT = 0;
  s.traffic.forEach((f, fi) => {
    if ('error' in flows[fi]!) return;
    totalPackets += f.count;
    if (f.count > 0) endT = Math.max(endT, f.start + (f.count - 1) * f.interval);
  });
  for (const f of s.faults) endT = Math.max(endT, f.at);

  const ctx = (): PipelineContext => ({
    world, state, esp, counters, flowNames, link, ike, ...(tap ? { tap } : {}), ...(opts.sink ? { sink: opts.sink } : {}),
  });
  // While traffic may start an IKE negotiation (a policy-based tunnel negotiates on demand),
  // a batch holds the packets of one instant and they move one at a time: negotiations then
  // start in packet order, and what they leave for later (retransmits) falls between batches.
  let acquiring = false;
  let acquireFrom = Infinity;
  // IKE's next timer. Both change only when IKE runs (at its timers, at faults, and inside a
  // batch when traffic starts a negotiation), so they are read again then, not per packet.
  let ikeDue = Infinity;
  const ikeChanged = (): void => {
    acquireFrom = ike.nextAcquire();
    ikeDue = ike.nextDeadline();
  };
  // The time of the last packet, fault or IKE timer handled.
  let clock = 0;
  const flush = (): void => {
    if (batch.n === 0) return;
    if (opts.path === 'scalar' || acquiring) forwarder.runScalar(ctx(), batch);
    else forwarder.run(ctx(), batch);
    tap?.flush();
    countOutcomes(batch, acc);
    packetsDone += batch.n;
    batch.clear();
    ikeChanged();
    opts.progress?.({ packets: packetsDone, totalPackets, t: duration, endT, done: false });
  };

  // The route-based tunnels come up at the start of the run.
  ike.start(0, ikeEmit);
  ikeChanged();
  for (;;) {
    // The next packet in time order (ties: flow order).
    let best = -1;
    let bestT = Infinity;
    for (let fi = 0; fi < s.traffic.length; fi++) {
      const f = s.traffic[fi]!;
      const ep = flows[fi]!;
      if ('error' in ep || nextSeq[fi]! >= f.count) continue;
      const t = f.start + nextSeq[fi]! * f.interval;
      if (t < bestT) {
        bestT = t;
        best = fi;
      }
    }
    // While negotiations may start, a batch holds one instant: run it before anything later,
    // so what its negotiations scheduled (a retransmit) is seen below.
    if (batch.n > 0 && acquiring && bestT !== batch.time[0]) flush();
    const fault = faults[faultIdx];
    const faultT = fault ? fault.f.at : Infinity;
    // A long idle time: IKE starts afresh at the next packet or fault instead of running every timer in between.
    const nextT = Math.min(bestT, faultT);
    if (nextT !== Infinity && nextT - clock > IDLE_LIMIT && ikeDue < nextT) {
      flush();
      ike.restart(nextT, clock, ikeEmit);
      ikeChanged();
      clock = nextT;
      continue;
    }
    if (fault && faultT <= bestT) {
      // IKE's work due before the fault happens first.
      const due = ikeDue;
      if (due < faultT) {
        flush();
        ike.tick(due, ikeEmit);
        clock = Math.max(clock, due);
        ikeChanged();
        continue;
      }
      flush();
      const target = fault.f.connection ?? fault.f.circuit ?? '';
      if (fault.f.down) down.add(target);
      else down.delete(target);
      compiled = compileWorld(s, down);
      world = compiled.world;
      ike.useWorld(world);
      ike.cut(target, fault.f.down);
      ikeChanged();
      duration = Math.max(duration, fault.f.at);
      clock = Math.max(clock, fault.f.at);
      if (!shard || shard.faults) opts.sink?.event({
        type: 'fault', t: fault.f.at, target, down: fault.f.down,
        note: `${fault.f.connection ? 'connection' : 'circuit'} ${target} ${fault.f.down ? 'goes down' : 'comes back up'}`,
      });
      faultIdx++;
      continue;
    }
    if (best < 0) break;
    // IKE's work due by this packet's time (retransmits, rekeys, DPD) happens before it.
    const due = ikeDue;
    if (due <= bestT) {
      flush();
      ike.tick(due, ikeEmit);
      clock = Math.max(clock, due);
      ikeChanged();
      continue;
    }
    if (batch.n > 0 && !acquiring && bestT >= acquireFrom) flush();
    if (batch.n === 0) acquiring = bestT >= acquireFrom;
    const f = s.traffic[best]!;
    const ep = flows[best] as FlowEndpoints;
    const seq = ++nextSeq[best]!;
    duration = Math.max(duration, bestT);
    clock = Math.max(clock, bestT);
    const i = batch.push(
      ep.srcIp, ep.dstIp, PROTO[f.proto], f.sport ?? sourcePort(best), f.dport ?? 0, flowSize[best]!, f.ttl, f.df, bestT, best, seq,
      seq <= traceLimit && opts.sink !== undefined && (owned === null || owned[best] === 1),
    );
    batch.arg[i] = ep.origin;
    if (batch.n === batch.capacity) flush();
  }
  flush();
  forwarder.finish(ctx(), duration);
  tap?.flush();
  opts.progress?.({ packets: packetsDone, totalPackets, t: duration, endT, done: true });
  if (opts.stats) {
    const st = forwarder.stats;
    opts.stats.batchRuns += st.batchRuns;
    opts.stats.batchPackets += st.batchPackets;
    opts.stats.maxBatch = Math.max(opts.stats.maxBatch, st.maxBatch);
    opts.stats.scalarPackets += st.scalarPackets;
  }

  const summaries: FlowSummary[] = s.traffic.map((f, fi) => {
    const a = acc[fi]!;
    const dropReasons: Record<string, number> = {};
    a.reasons.forEach((c, r) => {
      if (c > 0) dropReasons[DROP_REASON_NAMES[r]!] = c;
    });
    const crossed: [string, number][] = [];
    for (let c = 0; c < nConn; c++) {
      const n = a.via[c * 4 + 1]! + a.via[c * 4 + 2]! + a.via[c * 4 + 3]!;
      if (n > 0) crossed.push([world.connections[c]!.name, n]);
    }
    // Keyed by connection names: fromEntries makes each an own property, "__proto__" too.
    const via: Record<string, number> = Object.fromEntries(crossed);
    const copies = copiesOf(link.outcomes, fi);
    return {
      id: f.id, from: f.from, to: f.to, proto: f.proto, sent: a.sent, delivered: a.delivered, dropped: a.dropped, internet: a.internet, dropReasons, via,
      ...(copies ? { copies } : {}),
    };
  });

  const connIndex = new Map(world.connections.map((c, i) => [c.name, i]));
  const expectations = s.expect.map((e) => {
    const r = evaluate(e, s, summaries, acc, connIndex, flows);
    return e.hint === undefined ? r : { ...r, hint: e.hint };
  });
  const passed = expectations.filter((e) => e.passed).length;
  return {
    flows: summaries,
    expectations,
    passed,
    failed: expectations.length - passed,
    counters: counters.toRecord(),
    sas: world.sas.map((sa, k) => {
      const now = esp.sad.at(k);
      const counted = esp.slots.counters(k);
      return {
        name: sa.name,
        connection: world.connections[sa.connection]!.name,
        spi: now ? spiText(now.spi) : '',
        src: formatIPv4(sa.outerSrc),
        dst: formatIPv4(sa.outerDst),
        selectors: `${sa.selSrc.text} → ${sa.selDst.text}`,
        transform: now ? now.transform.name : sa.transform,
        established: world.tunnels[sa.tunnel]!.downReason === 0 && now !== null,
        packets: counted.sentPackets,
        bytes: counted.sentBytes,
      };
    }),
    tunnels: world.tunnels.map((t) => {
      const out = world.sas[t.saOut]!;
      const saO = esp.sad.at(t.saOut);
      const saI = esp.sad.at(t.saIn);
      const sent = esp.slots.counters(t.saOut);
      const received = esp.slots.counters(t.saIn);
      const up = t.downReason === 0 && saO !== null && saI !== null;
      return {
        name: t.name, connection: world.connections[t.connection]!.name, established: up,
        state: up ? 'established' : t.downReason === 0 && ike.idle(t.saOut) && ike.idle(t.saIn) ? 'idle' : 'down',
        downDetail: t.downReason !== 0 ? t.downDetail : up ? '' : ike.idle(t.saOut) && ike.idle(t.saIn)
          ? 'no traffic asked for this pair: IKE negotiates it on demand' : ike.noSaDetail(saO === null ? t.saOut : t.saIn),
        local: formatIPv4(out.outerSrc), remote: formatIPv4(out.outerDst), localSelector: out.selSrc.text, remoteSelector: out.selDst.text,
        transform: (saO ?? saI)?.transform.label ?? out.transform, mtu: out.mtu, spiIn: saI ? spiText(saI.spi) : '', spiOut: saO ? spiText(saO.spi) : '',
        packetsOut: sent.packetsOut, bytesOut: sent.bytesOut, packetsIn: received.packetsIn, bytesIn: received.bytesIn,
        seqIn: saI?.replay.top ?? 0, seqOut: saO?.seqOut ?? 0,
      };
    }),
    injections: link.outcomes,
    ike: ike.summaries(),
    ...(captureSink ? { captures: {
        pcaps: inMemory ? inMemory.files() : {}, espSa: esp.espSaTable(),
        ikev2Table: ikev2DecryptionTable(ike.keyRecords()), ikev1Table: ikev1DecryptionTable(ike.keyRecords()),
      }, } : {}),
    crypto: cryptoName,
    duration,
  };
}

/**
 * Every link a run of `s` can capture packets on, in the order capture files are listed:
 * the Internet (ESP between tunnel ends), each VNet, each site LAN, each P2S client. A
 * link that carries no packet in a run gets no capture.
 */
export function captureLinks(s: Scenario): string[] {
  return [
    INTERNET_LINK,
    ...s.vnets.map((v) => captureLinkName('vnet', v.name)),
    ...s.sites.map((x) => captureLinkName('site', x.name)),
    ...s.gateways.flatMap((g) => g.p2s?.clients.map((c) => captureLinkName('p2s', c.name)) ?? []),
  ].sort((a, b) => a.localeCompare(b));
}

/** What became of flow `fi`'s injected copies, or undefined when it had none. */
function copiesOf(outcomes: readonly InjectionOutcome[], fi: number): CopiesSummary | undefined {
  let sent = 0;
  let delivered = 0;
  let dropped = 0;
  const dropReasons: Record<string, number> = {};
  for (const o of outcomes) {
    if ((o.action !== 'duplicate' && o.action !== 'replay') || o.flow !== fi || o.t < 0) continue;
    sent++;
    if (o.result === 'delivered') delivered++;
    else if (o.result === 'dropped') {
      dropped++;
      if (o.reason) dropReasons[o.reason] = (dropReasons[o.reason] ?? 0) + 1;
    }
  }
  return sent === 0 ? undefined : { sent, delivered, dropped, dropReasons };
}

/** Deterministic ephemeral source port per flow. */
function sourcePort(flow: number): number {
  return 49152 + ((flow * 7919) % 16384);
}

