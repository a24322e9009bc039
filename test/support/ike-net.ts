/**
 * Test support: a tiny virtual network for IKE endpoints of either version (anything that
 * implements sim/ike/endpoint.ts's `IkeEndpoint`). It carries the datagrams endpoints ask
 * to send and hands them to the endpoint whose public address they are for, at virtual
 * times, and calls `tick` when an endpoint's deadline comes; no clock, no sockets.
 *
 * Owns: the event order (earliest first; at equal times deliveries before deadlines, both
 * in the order they were made, so a run is the same every time), a one-way latency (arrival
 * times rounded to the microsecond, a capture's resolution), the
 * faults a test arranges (drop, duplicate or delay the datagrams a predicate picks, cut the
 * whole path and restore it) and NATs (an endpoint behind a NAT has its source address and
 * port rewritten on the way out and the reverse mapping applied on the way in, a new public
 * port for each inside port, as a plain port-translating NAT does), and a record of every
 * datagram sent, delivered or dropped and every output, in order, with its time.
 * Refuses (throws: a broken test, not a network fault) two endpoints on one address, a run
 * that takes more steps than its bound (an endpoint whose deadline never moves on), and a
 * deadline in the past that `tick` does not move. A datagram for an address nobody has is
 * dropped and recorded, as a real network would lose it.
 */
import type { IkeDatagram, IkeEndpoint, IkeOutput } from '../../sim/ike/endpoint.js';
import { ikeDatagramPacket } from '../../sim/ike/datagram-packet.js';
import { pcapFile } from '../../sim/wire/pcap.js';

/** A datagram on its way: who sent it, when, and the sender's words for it. */
export interface Transit {
  /** The n-th datagram sent on this net, from 0. */
  readonly seq: number;
  readonly time: number;
  readonly from: string;
  /** As the sender sent it (before any NAT). */
  readonly datagram: IkeDatagram;
  /** The sender's summary (`IKE_AUTH request 1 [ ... ]`); '' for a datagram a test injected. */
  readonly summary: string;
  /** Which retransmission this is (0: the first send). */
  readonly retransmit: number;
}

/** What happened on the net, in order. */
export type NetEvent =
  | { readonly kind: 'sent'; readonly time: number; readonly transit: Transit }
  | { readonly kind: 'delivered'; readonly time: number; readonly to: string; readonly transit: Transit; readonly datagram: IkeDatagram }
  | { readonly kind: 'dropped'; readonly time: number; readonly transit: Transit; readonly reason: string }
  | { readonly kind: 'output'; readonly time: number; readonly endpoint: string; readonly output: IkeOutput };

/** Picks datagrams for a fault. */
export type TransitFilter = (t: Transit) => boolean;

/** A fault or NAT in force until removed. */
export interface RuleHandle {
  remove(): void;
}

interface Node {
  readonly name: string;
  readonly endpoint: IkeEndpoint;
  readonly address: number;
}

interface Nat {
  readonly inside: string;
  readonly publicAddress: number;
  nextPort: number;
  /** inside source port → public port, and back. */
  readonly out: Map<number, number>;
  readonly back: Map<number, number>;
}

interface Pending {
  readonly time: number;
  readonly order: number;
  readonly transit: Transit;
}

type Rule =
  | { readonly kind: 'drop'; readonly filter: TransitFilter; readonly reason: string }
  | { readonly kind: 'duplicate'; readonly filter: TransitFilter; readonly after: number }
  | { readonly kind: 'delay'; readonly filter: TransitFilter; readonly seconds: number };

export interface IkeNetOptions {
  /** One-way delay of every datagram, seconds (default 0.01). */
  readonly latency?: number;
}

/** The virtual network. */
export class IkeNet {
  readonly events: NetEvent[] = [];
  private readonly nodes: Node[] = [];
  private readonly nats: Nat[] = [];
  private readonly rules: Rule[] = [];
  private readonly pending: Pending[] = [];
  private readonly latency: number;
  private seq = 0;
  private order = 0;
  private cutReason: string | null = null;
  /** Virtual time of the last thing that happened. */
  now = 0;

  constructor(options: IkeNetOptions = {}) {
    this.latency = options.latency ?? 0.01;
  }

  /** Attach an endpoint under `name`; it lives at its configuration's local address. */
  attach(name: string, endpoint: IkeEndpoint): void {
    if (this.nodes.some((n) => n.name === name)) throw new Error(`ike-net: two endpoints named ${name}`);
    if (this.nodes.some((n) => n.address === endpoint.config.local)) throw new Error(`ike-net: two endpoints on ${fmt(endpoint.config.local)}`);
    this.nodes.push({ name, endpoint, address: endpoint.config.local });
  }

  /** The endpoint attached as `name`. */
  endpoint(name: string): IkeEndpoint {
    return this.node(name).endpoint;
  }

  /** Put `inside` behind a NAT: its datagrams leave from `publicAddress` and a port from `firstPort` on. */
  natBehind(inside: string, publicAddress: number, firstPort = 40000): RuleHandle {
    this.node(inside);
    const nat: Nat = { inside, publicAddress, nextPort: firstPort, out: new Map(), back: new Map() };
    this.nats.push(nat);
    return { remove: () => void this.nats.splice(this.nats.indexOf(nat), 1) };
  }

  /** Drop the datagrams `filter` picks. */
  drop(filter: TransitFilter, reason = 'dropped by the test'): RuleHandle {
    return this.add({ kind: 'drop', filter, reason });
  }

  /** Deliver the datagrams `filter` picks twice, the copy `after` seconds after the original. */
  duplicate(filter: TransitFilter, after = 0.001): RuleHandle {
    return this.add({ kind: 'duplicate', filter, after });
  }

  /** Delay the datagrams `filter` picks by `seconds` more. */
  delay(filter: TransitFilter, seconds: number): RuleHandle {
    return this.add({ kind: 'delay', filter, seconds });
  }

  /** Cut the path: every datagram is dropped until `restore`. */
  cut(reason = 'path cut'): void {
    this.cutReason = reason;
  }

  restore(): void {
    this.cutReason = null;
  }

  /** Start every endpoint (in attach order) at `time`. */
  start(time = this.now): void {
    this.now = time;
    for (const n of this.nodes) this.carry(n, n.endpoint.start(time));
  }

  /** Call something on endpoint `name` at the current time and carry out what it returns (close, acquire, start). */
  call(name: string, f: (endpoint: IkeEndpoint, now: number) => IkeOutput[]): IkeOutput[] {
    const n = this.node(name);
    const out = f(n.endpoint, this.now);
    this.carry(n, out);
    return out;
  }

  /** Send a datagram a test made, as if `from` had sent it, delivered after the latency. */
  inject(from: string, datagram: IkeDatagram): void {
    this.transmit(this.node(from), datagram, '', 0);
  }

  /** Run until virtual time `until` (inclusive); then `now` is `until`. */
  run(until: number, maxSteps = 200_000): void {
    for (let step = 0; ; step++) {
      if (step >= maxSteps) throw new Error(`ike-net: more than ${maxSteps} steps before t=${until} (now ${this.now})`);
      const delivery = this.nextDelivery();
      const deadline = this.nextDeadline();
      const tDelivery = delivery ? delivery.time : Infinity;
      const tDeadline = deadline ? deadline.time : Infinity;
      const t = Math.min(tDelivery, tDeadline);
      if (t > until) break;
      this.now = Math.max(this.now, t);
      if (delivery && tDelivery <= tDeadline) {
        this.pending.splice(this.pending.indexOf(delivery), 1);
        this.deliver(delivery.transit);
      } else if (deadline) {
        const before = deadline.node.endpoint.nextDeadline();
        this.carry(deadline.node, deadline.node.endpoint.tick(this.now));
        const after = deadline.node.endpoint.nextDeadline();
        if (after <= this.now && after === before && this.pending.every((p) => p.time > this.now)) {
          throw new Error(`ike-net: ${deadline.node.name}'s deadline ${after} did not move on at t=${this.now}`);
        }
      }
    }
    this.now = Math.max(this.now, until);
  }

  /** Outputs of `name` (all, or of one kind), in order. */
  outputs(name: string): IkeOutput[];
  outputs<K extends IkeOutput['kind']>(name: string, kind: K): Extract<IkeOutput, { kind: K }>[];
  outputs(name: string, kind?: IkeOutput['kind']): IkeOutput[] {
    return this.events.flatMap((e) => (e.kind === 'output' && e.endpoint === name && (kind === undefined || e.output.kind === kind) ? [e.output] : []));
  }

  /** Outputs of `name` with their times. */
  timedOutputs(name: string): { readonly time: number; readonly output: IkeOutput }[] {
    return this.events.flatMap((e) => (e.kind === 'output' && e.endpoint === name ? [{ time: e.time, output: e.output }] : []));
  }

  /** Log lines of `name`, in order. */
  logs(name: string): string[] {
    return this.outputs(name, 'log').map((o) => o.text);
  }

  /** Every datagram sent, in order. */
  sent(): Transit[] {
    return this.events.flatMap((e) => (e.kind === 'sent' ? [e.transit] : []));
  }

  /** Every datagram delivered, as delivered (after NAT), with its time. */
  delivered(): { readonly time: number; readonly to: string; readonly transit: Transit; readonly datagram: IkeDatagram }[] {
    return this.events.flatMap((e) => (e.kind === 'delivered' ? [e] : []));
  }

  private add(rule: Rule): RuleHandle {
    this.rules.push(rule);
    return { remove: () => void this.rules.splice(this.rules.indexOf(rule), 1) };
  }

  private node(name: string): Node {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`ike-net: no endpoint named ${name}`);
    return n;
  }

  private nextDelivery(): Pending | null {
    let best: Pending | null = null;
    for (const p of this.pending) if (!best || p.time < best.time || (p.time === best.time && p.order < best.order)) best = p;
    return best;
  }

  private nextDeadline(): { time: number; node: Node } | null {
    let best: { time: number; node: Node } | null = null;
    for (const n of this.nodes) {
      const t = n.endpoint.nextDeadline();
      if (Number.isFinite(t) && (!best || t < best.time)) best = { time: t, node: n };
    }
    return best;
  }

  private carry(from: Node, outputs: readonly IkeOutput[]): void {
    for (const o of outputs) {
      this.events.push({ kind: 'output', time: this.now, endpoint: from.name, output: o });
      if (o.kind === 'send') this.transmit(from, o.datagram, o.summary, o.retransmit);
    }
  }

  private transmit(from: Node, datagram: IkeDatagram, summary: string, retransmit: number): void {
    const transit: Transit = { seq: this.seq++, time: this.now, from: from.name, datagram, summary, retransmit };
    this.events.push({ kind: 'sent', time: this.now, transit });
    if (this.cutReason !== null) {
      this.events.push({ kind: 'dropped', time: this.now, transit, reason: this.cutReason });
      return;
    }
    const drop = this.rules.find((r): r is Extract<Rule, { kind: 'drop' }> => r.kind === 'drop' && r.filter(transit));
    if (drop) {
      this.events.push({ kind: 'dropped', time: this.now, transit, reason: drop.reason });
      return;
    }
    let at = this.now + this.latency;
    for (const r of this.rules) if (r.kind === 'delay' && r.filter(transit)) at += r.seconds;
    this.pending.push({ time: micro(at), order: this.order++, transit });
    for (const r of this.rules) if (r.kind === 'duplicate' && r.filter(transit)) this.pending.push({ time: micro(at + r.after), order: this.order++, transit });
  }

  private deliver(transit: Transit): void {
    let d = transit.datagram;
    const outNat = this.nats.find((n) => n.inside === transit.from);
    if (outNat) {
      let port = outNat.out.get(d.sport);
      if (port === undefined) {
        port = outNat.nextPort++;
        outNat.out.set(d.sport, port);
        outNat.back.set(port, d.sport);
      }
      d = { ...d, src: outNat.publicAddress, sport: port };
    }
    const inNat = this.nats.find((n) => n.publicAddress === d.dst);
    if (inNat) {
      const port = inNat.back.get(d.dport);
      if (port === undefined) {
        this.events.push({ kind: 'dropped', time: this.now, transit, reason: `no NAT mapping for ${fmt(d.dst)}:${d.dport}` });
        return;
      }
      d = { ...d, dst: this.node(inNat.inside).address, dport: port };
    }
    const to = this.nodes.find((n) => n.address === d.dst);
    if (!to) {
      this.events.push({ kind: 'dropped', time: this.now, transit, reason: `no host at ${fmt(d.dst)}` });
      return;
    }
    this.events.push({ kind: 'delivered', time: this.now, to: to.name, transit, datagram: d });
    this.carry(to, to.endpoint.receive(d, this.now));
  }
}

/** `t` rounded to the microsecond (a capture's resolution), so sums of latencies stay exact. */
function micro(t: number): number {
  return Math.round(t * 1e6) / 1e6;
}

function fmt(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** A pcap file (LINKTYPE_RAW) of datagrams at their times, as sim/ike/datagram-packet.ts makes them packets (IP IDs 0, 1, 2, ...). */
export function datagramPcap(records: readonly { readonly time: number; readonly datagram: IkeDatagram }[]): Uint8Array {
  return pcapFile(records.map((r, i) => ({ time: r.time, bytes: ikeDatagramPacket(r.datagram, i) })));
}
