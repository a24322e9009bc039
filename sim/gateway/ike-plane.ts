/**
 * The IKE control plane of a run: for every Site-to-Site and VNet-to-VNet connection, both
 * sides' IKE endpoints (sim/ike/ikev2/, ikev1/), the datagrams between them on the Internet
 * path, and the SAs they negotiate installed in the run's SA slots (sa-slots.ts), so the
 * keys ESP seals with are the exchange's.
 *
 * - Who starts: a route-based gateway (IKEv2) brings its tunnel up at the start of the run
 *   and keeps it up (a VNet-to-VNet connection: the gateway that defines it); a
 *   policy-based one (IKEv1) negotiates a prefix pair when traffic needs it (`acquire`,
 *   strongSwan's trap policy), from whichever side the packet leaves.
 * - The path: datagrams arrive at once (the Internet path has no delay in vgwsim), in the
 *   order sent; a connection cut by a fault loses them. Nothing else is lost.
 * - Slots: the side an SA carries traffic to installs it (its inbound SA) in the slot of
 *   the tunnel and direction its selectors name; a rekey's SA takes the slot and the old
 *   one keeps receiving until its side deletes it.
 * - Deterministic: each side's SPIs, nonces and DH values come from a Prng seeded by the
 *   scenario's seed and the side's name.
 * - A site device behind a NAT (`natPrivateIp`; one SiteNat per site, site-nat.ts): its
 *   endpoint has its own address, the datagrams it sends leave through the NAT and those
 *   for it come in through it (`crossNat`); the capture shows them as on the Internet,
 *   after the NAT. Nothing reaches the device before it has sent, so the device starts the
 *   negotiations and the gateway only answers. Its SAs are ESP in UDP with the ports the
 *   Internet sees (`espUdpPorts`), and while an IKEv2 SA of it is up and sees the NAT the
 *   plane sends its NAT-T keepalives every 20 s (the IKEv2 endpoint leaves them to its host;
 *   the IKEv1 endpoint sends its own).
 *
 * Every output becomes an `ike` event (its words from ike-text.ts); the messages go to the
 * Internet capture through `onWire`. Pure: no Node, no clock; time is handed in.
 * One file of about 550 lines: the links, the Internet path, the outputs and the NAT's
 * timing (its own section at the end; the NAT itself is site-nat.ts) all work on the same
 * Link records, which no other module should see; what a run reports is ike-summary.ts.
 */
import type { SimEvent } from '../engine/events.js';
import type { IkeDatagram, IkeEndpoint, IkeOutput, IkeSaKeyRecord, IkeSessionStatus, IkeTunnelConfig, SelectorPair } from '../ike/endpoint.js';
import type { IkeConnectionSummary, IkeSaSummary } from './ike-summary.js';
import { withNotify } from './ike-summary.js';
import { Ikev1Endpoint } from '../ike/ikev1/endpoint.js';
import { NATT_KEEPALIVE_INTERVAL } from '../ike/ikev1/natt.js';
import { Ikev2Endpoint } from '../ike/ikev2/endpoint.js';
import { formatIkeProposal } from '../ike/proposals.js';
import type { CryptoBackend } from '../ipsec/crypto.js';
import { covers, formatIPv4 } from '../net/ipv4.js';
import type { Prefix } from '../net/ipv4.js';
import { Prng } from '../util/prng.js';
import { ikeSides } from './ike-sides.js';
import { ikeOutputText } from './ike-text.js';
import type { SaSlots } from './sa-slots.js';
import { SiteNat, crossNat, espUdpPorts, natKeepalives } from './site-nat.js';
import type { SaNegotiator } from './nodes/context.js';
import type { World } from './world.js';

/**
 * Seconds without a packet or a fault after which a run stops following IKE's timers (dead
 * peer detection, rekeys) and starts IKE afresh at the next event (`restart`): a day, so a
 * scenario spanning years is not thousands of negotiations a day long.
 */
export const IDLE_LIMIT = 86_400;
/** Seconds before traffic may ask again for an SA whose negotiation it asked for (Linux XFRM's acquire expiry). */
export const ACQUIRE_HOLD = 30;
/** Datagrams one `pump` delivers at most: a guard against two sides answering each other forever. */
const PUMP_LIMIT = 10_000;

/** How a run uses the control plane. */
export interface IkePlaneOptions {
  /** Each IKE message as it reaches its receiver (the Internet capture). */
  readonly onWire?: (t: number, d: IkeDatagram) => void;
  /**
   * Sharded runs (every worker negotiates alike, one reports each event): whether this one
   * reports what happens at the start and on timers, and which flows' negotiations (by
   * flow index) it reports. Default: everything.
   */
  readonly reportsTimed?: boolean;
  readonly reportsFlow?: (flow: number) => boolean;
  /** Flow names by index, for the events of negotiations that traffic asked for. */
  readonly flowNames?: readonly string[];
}

/** Receives the events of the control plane (null: nobody listens). */
export type IkeEmit = ((e: SimEvent) => void) | null;

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

interface End {
  /** Replaced when the run starts IKE afresh after a long idle time (`restart`). */
  endpoint: IkeEndpoint;
  readonly config: IkeTunnelConfig;
  /** The side's node name in traces (`gw1`, `hq/device`). */
  readonly node: string;
  readonly address: number;
  status: IkeSessionStatus | null;
  detail: string;
  notify: string | null;
}

interface Link {
  readonly connection: number;
  readonly name: string;
  /** [the connection's gateway, the site device or the peer gateway]. */
  readonly ends: readonly [End, End];
  /** The tunnels (world indices) of the connection. */
  readonly tunnels: readonly number[];
  cut: boolean;
  initiator: string;
  messages: number;
  lost: number;
  childrenUp: number;
  childrenDown: number;
  readonly ikeSas: IkeSaSummary[];
  /** Per end: ESP packets it had received at the last look (noteEsp). */
  readonly espSeen: [number, number];
  /** The NAT in front of the device (ends[1]); null: none. */
  readonly nat: SiteNat | null;
  /** When the device's next IKEv2 NAT-T keepalive is due; Infinity: none (no SA of it sees the NAT). */
  keepaliveAt: number;
}

interface InFlight {
  readonly link: Link;
  readonly datagram: IkeDatagram;
}

function samePrefix(a: Prefix, b: Prefix): boolean {
  return a.addr === b.addr && a.len === b.len;
}


export class IkePlane implements SaNegotiator {
  private readonly links: Link[] = [];
  /** World SA slot → its link (-1: no IKE: a point-to-site client's). */
  private readonly linkOfSlot: Int32Array;
  /** Per slot: when traffic may ask for an SA again. */
  private readonly acquireAfter: Float64Array;
  private readonly inFlight: InFlight[] = [];
  private readonly keys: IkeSaKeyRecord[] = [];
  /** Everything due up to this time is done: a deadline an endpoint left at or before it is not asked again. */
  private doneUntil = -Infinity;
  /** Site index → the NAT in front of its device (one per site, whichever connections use it). */
  private readonly nats = new Map<number, SiteNat>();
  /** How many times the run started IKE afresh (each draws from new random streams). */
  private restarts = 0;

  constructor(
    private world: World,
    private readonly crypto: CryptoBackend,
    private readonly seed: number,
    private readonly slots: SaSlots,
    private readonly options: IkePlaneOptions = {},
  ) {
    this.linkOfSlot = new Int32Array(world.sas.length).fill(-1);
    this.acquireAfter = new Float64Array(world.sas.length);
    world.connections.forEach((c, ci) => {
      if (c.type !== 'IPsec' && c.type !== 'Vnet2Vnet') return;
      const tunnels = world.tunnels.flatMap((t, k) => (t.connection === ci ? [k] : []));
      if (tunnels.length === 0) return;
      const nat = this.natOfConnection(ci, seed);
      // Behind a NAT only the device can start: nothing the gateway sends gets through first.
      const sides = ikeSides(world, ci, nat ? 'device' : 'azure');
      if (!sides.ok) return;
      const g = world.gateways[c.gateway]!;
      const peerNode = c.type === 'IPsec' ? `${world.sites[c.site]!.name}/device` : world.gateways[c.peerGateway]!.name;
      const end = (config: IkeTunnelConfig, node: string): End => ({
        endpoint: this.newEndpoint(c.name, config, node), config, node, address: config.local, status: null, detail: '', notify: null,
      });
      const link: Link = {
        connection: ci, name: c.name, ends: [end(sides.azure, g.name), end(sides.device, peerNode)], tunnels,
        cut: false, initiator: '', messages: 0, lost: 0, childrenUp: 0, childrenDown: 0, ikeSas: [], espSeen: [0, 0],
        nat, keepaliveAt: Infinity,
      };
      for (const t of tunnels) {
        this.linkOfSlot[world.tunnels[t]!.saOut] = this.links.length;
        this.linkOfSlot[world.tunnels[t]!.saIn] = this.links.length;
      }
      this.links.push(link);
    });
  }

  /** One side's endpoint; its SPIs, nonces and DH values from a stream of the seed named after it. */
  private newEndpoint(connection: string, config: IkeTunnelConfig, node: string): IkeEndpoint {
    const prng = new Prng(this.seed, this.restarts === 0 ? `ike/${connection}/${node}` : `ike/${connection}/${node}/restart-${this.restarts}`);
    const options = { crypto: this.crypto, prng };
    return config.version === 2 ? new Ikev2Endpoint(config, options) : new Ikev1Endpoint(config, options);
  }

  /**
   * Nothing happened for longer than IDLE_LIMIT before `t`: rather than run every dead peer
   * check and rekey of the idle time, both sides of every connection start afresh at `t`, as
   * after a restart of both: their SAs go, and new endpoints negotiate (route-based at once,
   * policy-based when traffic asks). Said in one `log` event per connection.
   */
  restart(t: number, idleSince: number, emit: IkeEmit): void {
    const out = this.options.reportsTimed === false ? null : emit;
    this.restarts++;
    const gone: number[] = [];
    for (const [i] of this.slots.sad.entries()) if (this.linkOfSlot[this.slots.slotOf(i)]! >= 0) gone.push(i);
    for (const i of gone) this.slots.removeAt(i);
    this.inFlight.length = 0;
    this.acquireAfter.fill(0);
    this.doneUntil = -Infinity;
    for (const l of this.links) {
      const c = this.world.connections[l.connection]!;
      out?.({
        type: 'ike', t, connection: l.name, node: l.ends[0].node, peer: l.ends[1].node, action: 'log',
        text: `log       nothing happened for ${t - idleSince} s (more than ${IDLE_LIMIT} s): vgwsim does not follow IKE's timers through such idle time; both sides start afresh`,
      });
      for (const e of l.ends) {
        e.endpoint = this.newEndpoint(c.name, e.config, e.node);
        e.status = null;
        e.detail = '';
        e.notify = null;
      }
      l.keepaliveAt = Infinity;
    }
    this.start(t, emit);
  }

  /** A fault recompiled the world (same slots, tunnels and connections; some cut). */
  useWorld(world: World): void {
    this.world = world;
  }

  /** Begin: the route-based gateways start their negotiations at time `t`. */
  start(t: number, emit: IkeEmit): void {
    const out = this.options.reportsTimed === false ? null : emit;
    // An IKEv2 side that initiates starts now; an IKEv1 side waits for traffic (start does nothing).
    for (const l of this.links) for (const e of l.ends) this.handle(l, e, e.endpoint.start(t), t, out);
    this.pump(t, out);
  }

  /** The link of slot `slot` and the side that sends on it (null: no IKE, a point-to-site client's slot). */
  private senderOf(slot: number): { l: Link; end: End } | null {
    const l = this.links[this.linkOfSlot[slot]!];
    if (!l) return null;
    const tun = this.world.tunnels[this.world.sas[slot]!.tunnel]!;
    return { l, end: tun.saOut === slot ? l.ends[0] : l.ends[1] };
  }

  /** The side that sends on `slot` negotiates when its traffic needs an SA (IKEv1, strongSwan's trap policy). */
  private onDemand(slot: number): boolean {
    return this.senderOf(slot)?.end.config.version === 1;
  }

  /** The earliest time `tick` has work (a retransmit, a rekey, DPD, an expiry); Infinity: none. */
  nextDeadline(): number {
    let d = Infinity;
    for (const l of this.links) {
      for (const e of l.ends) {
        const x = e.endpoint.nextDeadline();
        if (x > this.doneUntil && x < d) d = x;
      }
      if (l.keepaliveAt > this.doneUntil && l.keepaliveAt < d) d = l.keepaliveAt;
    }
    return d;
  }

  /** Do what is due at `t`. */
  tick(t: number, emit: IkeEmit): void {
    const out = this.options.reportsTimed === false ? null : emit;
    this.noteEsp(t);
    for (let round = 0; round < PUMP_LIMIT && this.nextDeadline() <= t; round++) {
      for (const l of this.links) {
        for (const e of l.ends) {
          const x = e.endpoint.nextDeadline();
          if (x <= t && x > this.doneUntil) this.handle(l, e, e.endpoint.tick(t), t, out);
        }
        if (l.keepaliveAt <= t && l.keepaliveAt > this.doneUntil) this.sendKeepalives(l, t, out);
      }
      this.pump(t, out);
    }
    this.doneUntil = Math.max(this.doneUntil, t);
  }

  /**
   * Tell each side whether ESP came towards it since the last look (its peer put packets
   * into the SAs towards it): that traffic keeps dead peer detection quiet, as the kernel's SA use time
   * does for strongSwan. The traffic is taken as of `t`, the time of the look.
   */
  private noteEsp(t: number): void {
    for (const l of this.links) {
      l.ends.forEach((e, end) => {
        let n = 0;
        for (const k of l.tunnels) {
          const tun = this.world.tunnels[k]!;
          // Packets put into the SAs towards this side: counted for every flow, also in a sharded run's worker.
          n += this.slots.counters(end === 0 ? tun.saIn : tun.saOut).sentPackets;
        }
        if (n !== l.espSeen[end]) {
          l.espSeen[end] = n;
          e.endpoint.espActivity(t);
        }
      });
    }
  }

  /** Connection `name` is cut (`down`) or restored by a fault at `t`: datagrams on a cut path are lost. */
  cut(name: string, down: boolean): void {
    for (const l of this.links) if (l.name === name) l.cut = down;
  }

  /**
   * Traffic at `t` needs slot `slot`'s SA and it has none. A policy-based tunnel negotiates
   * it now (once per ACQUIRE_HOLD while it fails); true when the slot has an SA after.
   */
  acquire(slot: number, t: number, flow: number, packet: number, emit: IkeEmit): boolean {
    const found = this.senderOf(slot);
    if (!found || found.end.config.version !== 1 || t < this.acquireAfter[slot]!) return false;
    const { l, end: sender } = found;
    this.acquireAfter[slot] = t + ACQUIRE_HOLD;
    const w = this.world.sas[slot]!;
    const pair: SelectorPair = { local: w.selSrc, remote: w.selDst };
    const reports = this.options.reportsFlow?.(flow) ?? true;
    const name = this.options.flowNames?.[flow] ?? String(flow);
    const out: IkeEmit = emit && reports ? (e) => emit(e.type === 'ike' ? { ...e, flow: name, packet } : e) : null;
    out?.({
      type: 'ike', t, connection: l.name, node: sender.node, peer: (sender === l.ends[0] ? l.ends[1] : l.ends[0]).node, action: 'acquire',
      text: `acquire   ${pair.local.text} === ${pair.remote.text}: flow ${name} packet ${packet} needs an SA and none is up`,
    });
    this.handle(l, sender, sender.endpoint.acquire(pair, t), t, out);
    this.pump(t, out);
    return this.slots.sad.at(slot) !== null;
  }

  /**
   * The earliest time from which traffic may start a negotiation (`acquire` would act): a
   * policy-based slot that has no SA, whose tunnel is not down for a reason IKE cannot
   * change, and whose hold has passed; Infinity when none. The run moves packets one at a
   * time, in time order, from then on, so negotiations start in the order their packets
   * come whatever the batch size.
   */
  nextAcquire(): number {
    let t = Infinity;
    for (let slot = 0; slot < this.linkOfSlot.length; slot++) {
      if (!this.onDemand(slot) || this.slots.sad.at(slot) !== null) continue;
      if (this.world.tunnels[this.world.sas[slot]!.tunnel]!.downReason !== 0) continue;
      t = Math.min(t, this.acquireAfter[slot]!);
    }
    return t;
  }

  /** Slot `slot` is a policy-based pair that no traffic has asked an SA for (never negotiated). */
  idle(slot: number): boolean {
    return this.onDemand(slot) && this.acquireAfter[slot] === 0 && this.slots.generation(slot) === 0;
  }

  /** Why slot `slot` has no SA, in words (for the drops of the packets that needed it). */
  noSaDetail(slot: number): string {
    const found = this.senderOf(slot);
    if (!found) return 'the SA has no keys';
    // The sending side's own view of the negotiation.
    const { l, end } = found;
    const w = this.world.sas[slot]!;
    const what = `no SA for ${w.selSrc.text} → ${w.selDst.text} on ${l.name}`;
    if (end.status === null) return `${what}: IKE has not established it${this.onDemand(slot) ? ' (negotiated when traffic needs it)' : ''}${this.natNote(l)}`;
    if (end.status === 'IPSEC_SESSION_ESTABLISHED') return `${what}: IKE is up but this SA is not (${end.detail})`;
    return `${what}: IKE ${end.status}: ${withNotify(end.detail, end.notify)}`;
  }

  /** Each connection's negotiation, in connection order. */
  summaries(): IkeConnectionSummary[] {
    return this.links.map((l) => ({
      connection: l.name, version: l.ends[0].config.version,
      status: l.ends[0].status, detail: l.ends[0].detail, notify: l.ends[0].notify,
      peerStatus: l.ends[1].status, peerDetail: l.ends[1].detail,
      initiator: l.initiator, messages: l.messages, lost: l.lost, childrenUp: l.childrenUp, childrenDown: l.childrenDown, ikeSas: [...l.ikeSas],
    }));
  }

  /** The keys of every IKE SA negotiated, for Wireshark's decryption tables. */
  keyRecords(): readonly IkeSaKeyRecord[] {
    return this.keys;
  }

  // ---- the Internet path ----

  private pump(t: number, emit: IkeEmit): void {
    for (let n = 0; n < PUMP_LIMIT && this.inFlight.length > 0; n++) {
      const { link, datagram: sent } = this.inFlight.shift()!;
      // On the Internet the datagram is what left the NAT; the receiver gets what the NAT let in.
      const crossed = crossNat(link.nat, sent);
      const datagram = crossed.internet;
      const arrived = crossed.arrived;
      const to = arrived && link.ends.find((e) => e.address === arrived.dst && e.config.remote === arrived.src);
      if (link.cut || !to) {
        link.lost++;
        const why = link.cut ? `connection ${link.name} is cut (fault)` : crossed.problem ?? 'no IKE endpoint there';
        const from = link.ends.find((e) => e.address === sent.src);
        emit?.({
          type: 'ike', t, connection: link.name, node: from?.node ?? formatIPv4(datagram.src),
          peer: (from === link.ends[0] ? link.ends[1] : link.ends[0]).node, action: 'lost',
          text: `lost      ${formatIPv4(datagram.src)}[${datagram.sport}] -> ${formatIPv4(datagram.dst)}[${datagram.dport}]: ${why}`,
          ...this.datagramFields(datagram),
        });
        continue;
      }
      this.options.onWire?.(t, datagram);
      this.handle(link, to, to.endpoint.receive(arrived, t), t, emit);
    }
  }

  private datagramFields(d: IkeDatagram): { src: string; dst: string; sport: number; dport: number; bytes: number } {
    return { src: formatIPv4(d.src), dst: formatIPv4(d.dst), sport: d.sport, dport: d.dport, bytes: d.payload.length };
  }

  // ---- an endpoint's outputs ----

  private handle(l: Link, e: End, outputs: readonly IkeOutput[], t: number, emit: IkeEmit): void {
    for (const o of outputs) {
      switch (o.kind) {
        case 'send':
          l.messages++;
          if (l.initiator === '' && o.retransmit === 0) l.initiator = e.node;
          this.inFlight.push({ link: l, datagram: o.datagram });
          break;
        case 'ike-sa-keys': {
          const k = o.keys;
          this.keys.push(k);
          // Both sides report each IKE SA's keys: list it once.
          const spiI = hex(k.version === 2 ? k.spiI : k.cookieI);
          if (!l.ikeSas.some((x) => x.spiI === spiI)) {
            l.ikeSas.push({ spiI, spiR: k.version === 2 ? hex(k.spiR) : '', proposal: formatIkeProposal(k.suite) });
          }
          break;
        }
        case 'child-up':
          this.childUp(l, e, o.child);
          break;
        case 'child-down':
          l.childrenDown++;
          this.childDown(e, o.inboundSpi, o.outboundSpi);
          break;
        case 'status':
          e.status = o.status;
          e.detail = o.detail;
          e.notify = o.notify;
          break;
        default:
          break;
      }
      if (l.nat && e === l.ends[1]) this.watchKeepalives(l, t);
      if (!emit) continue;
      const text = ikeOutputText(o);
      if (text === null) continue;
      emit({
        type: 'ike', t, connection: l.name, node: e.node, peer: (e === l.ends[0] ? l.ends[1] : l.ends[0]).node, action: o.kind as 'send', text,
        ...(o.kind === 'status' ? { status: o.status, ...(o.notify ? { notify: o.notify } : {}) } : {}),
        ...(o.kind === 'send' || o.kind === 'received' ? this.datagramFields(o.datagram) : {}),
      });
    }
  }

  /** The tunnel of link `l` whose selectors, from end `end`'s view, are `pair` (or cover it, or are covered by it). */
  private tunnelOf(l: Link, end: number, pair: SelectorPair): number {
    if (l.tunnels.length === 1) return l.tunnels[0]!;
    const sel = (t: number): SelectorPair => {
      const tun = this.world.tunnels[t]!;
      const sa = this.world.sas[end === 0 ? tun.saOut : tun.saIn]!;
      return { local: sa.selSrc, remote: sa.selDst };
    };
    // Exactly the pair; else the one the pair covers (a wider proposal); else the one that covers
    // the pair (the responder narrowed it).
    return l.tunnels.find((t) => samePrefix(sel(t).local, pair.local) && samePrefix(sel(t).remote, pair.remote))
      ?? l.tunnels.find((t) => covers(pair.local, sel(t).local) && covers(pair.remote, sel(t).remote))
      ?? l.tunnels.find((t) => covers(sel(t).local, pair.local) && covers(sel(t).remote, pair.remote)) ?? -1;
  }

  private childUp(l: Link, e: End, child: Extract<IkeOutput, { kind: 'child-up' }>['child']): void {
    const end = e === l.ends[0] ? 0 : 1;
    const inbound = child.weInitiated ? child.keys.responderToInitiator : child.keys.initiatorToResponder;
    if (end === 0) l.childrenUp++;
    for (const pair of child.selectors) {
      const t = this.tunnelOf(l, end, pair);
      if (t < 0) continue;
      const tun = this.world.tunnels[t]!;
      // The slot this side receives on: the tunnel's direction towards it.
      const slot = end === 0 ? tun.saIn : tun.saOut;
      this.slots.install(slot, { spi: child.inboundSpi, transform: child.transform, encKey: inbound.encKey, authKey: inbound.authKey, udpEncap: espUdpPorts(end === 1 ? l.nat : null, child.udpEncapsulation) });
      this.acquireAfter[slot] = 0;
      // Several pairs in one child (IKEv2 narrowing to a list): one SA serves them all; the first slot holds it.
      break;
    }
  }

  private childDown(e: End, inboundSpi: number, outboundSpi: number): void {
    this.slots.remove(inboundSpi, e.address);
    // This side no longer sends on its outbound SA: when it is still a slot's SA, the slot is empty.
    const i = this.slots.sad.lookup(outboundSpi, e.config.remote);
    if (i >= 0 && this.slots.slotOf(i) === i) this.slots.removeAt(i);
  }

  // ---- a site device behind a NAT ----

  /** What a drop's detail adds when the device of link `l` is behind a NAT ('' when not). */
  private natNote(l: Link): string {
    return l.nat ? `; the device is behind a NAT, so only it can start the negotiation (${l.ends[1].node} has not)` : '';
  }

  /** The NAT in front of connection `ci`'s site device (made once per site), or null. */
  private natOfConnection(ci: number, seed: number): SiteNat | null {
    const c = this.world.connections[ci]!;
    if (c.type !== 'IPsec') return null;
    const site = this.world.sites[c.site];
    const privateIp = site?.device.natPrivateIp ?? null;
    if (!site || privateIp === null) return null;
    let nat = this.nats.get(c.site);
    if (!nat) {
      nat = new SiteNat(privateIp, site.device.publicIp, seed, site.name);
      this.nats.set(c.site, nat);
    }
    return nat;
  }

  /**
   * After the device of link `l` acted at `t`: keepalives are due every 20 s (strongSwan's
   * `keep_alive` default, as the IKEv1 endpoint sends its own) from the first
   * time one of its IKEv2 SAs is established and sees the NAT, and stop when none does.
   */
  private watchKeepalives(l: Link, t: number): void {
    const behind = natKeepalives(l.ends[1].endpoint, l.ends[1].config).length > 0;
    if (!behind) l.keepaliveAt = Infinity;
    else if (l.keepaliveAt === Infinity) l.keepaliveAt = t + NATT_KEEPALIVE_INTERVAL;
  }

  /** The device of link `l` sends its NAT-T keepalives due at `t` (one per SA behind the NAT), then waits 20 s. */
  private sendKeepalives(l: Link, t: number, emit: IkeEmit): void {
    const datagrams = natKeepalives(l.ends[1].endpoint, l.ends[1].config);
    l.keepaliveAt = datagrams.length > 0 ? t + NATT_KEEPALIVE_INTERVAL : Infinity;
    this.handle(l, l.ends[1], datagrams.map((datagram) => ({ kind: 'send', datagram, summary: 'NAT-T keepalive', retransmit: 0 })), t, emit);
  }
}
