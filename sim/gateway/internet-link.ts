/**
 * The Internet link between tunnel ends, and the tampering on it (`inject:` in a scenario):
 * the state the `internet` node (nodes/internet.ts) keeps across the packets it carries.
 *
 * An injection picks the Nth ESP packet of a connection (from a time on, one direction or
 * both) as it crosses the link and:
 * - corrupt: flips a byte; the receiver's ICV check should refuse it;
 * - reorder: holds the packet back until the SA's next packet has arrived;
 * - duplicate: sends a copy right behind it (once the receiver's window has seen it; behind
 *   the packet itself when a reorder holds that back);
 * - replay: sends a copy again after the SA's next packet.
 * Copies are packets of their own, not batch packets: the link opens them at the receiver
 * (through the data plane's SA table), counts their drops at the receiving end and reports
 * each outcome as an `inject` event of the packet it copied.
 *
 * The link learns that a packet of an SA arrived at its receiver from the decrypt node
 * (`arrived`): held packets and due copies of that SA follow it there. Sharded runs have no
 * injections (see sim/scenario/shard.ts).
 */
import type { PacketBatch } from '../engine/batch.js';
import type { EventLog } from '../engine/event-log.js';
import type { Queues } from '../engine/graph.js';
import { DROP_REASON_NAMES, dropReasonCode } from '../engine/drop-reasons.js';
import type { DropReason } from '../engine/drop-reasons.js';
import type { EspDropReason } from '../ipsec/esp.js';
import { spiText } from '../wire/esp.js';
import type { DataPlane, DecryptResult } from './data-plane.js';
import { encapLength } from './esp-sizes.js';
import type { LinkTap } from './link-tap.js';
import { injectEvent } from './trace-text.js';
import { EndKind } from './world.js';
import type { InjectionOutcome, LinkInjection } from './injection.js';

export type { InjectionOutcome, LinkInjection } from './injection.js';
import type { World } from './world.js';
import { Stage } from '../engine/stages.js';

/** A tampered ESP copy on its way (duplicate now, replay after the SA's next packet). */
interface Copy {
  readonly sa: number;
  readonly bytes: Uint8Array;
  readonly inj: InjectionOutcome;
  /** Delivered once the SA's window top passes this (duplicate: seq - 1, right after the original; replay: seq, after a later packet). */
  readonly afterSeq: number;
  /** The batch and slot of the packet it copies (for the order of its event). */
  readonly batch: number;
  readonly slot: number;
}

/** The run's drop reason for an ESP drop: malformed has none of its own (counted as icv-mismatch). */
export function espDropName(d: EspDropReason): DropReason {
  return d === 'malformed' ? 'icv-mismatch' : d;
}

/** The counter of the node that decrypts SA end (kind, index). */
export function endCounter(w: World, kind: number, idx: number): number {
  if (kind === EndKind.GATEWAY) return w.gateways[idx]!.counter;
  if (kind === EndKind.DEVICE) return w.sites[idx]!.device.counter;
  return w.p2sClients[idx]!.counter;
}

export class InternetLink {
  private readonly injections: LinkInjection[];
  private readonly seen: Int32Array;
  /** What each injection did, in scenario order. */
  readonly outcomes: InjectionOutcome[];
  /** Packets held back by a reorder: [SA, slot], let go after the SA's next packet. */
  private held: [number, number][] = [];
  private copies: Copy[] = [];
  /** Per batch slot whose ESP packet an injection changed (b.espTamper[i] = 1): the injections, in scenario order, that its opening settles. */
  private readonly tampered = new Map<number, number[]>();
  /** Batches carried so far (a copy's packet may be in an earlier one). */
  private batch = 0;

  constructor(injections: readonly LinkInjection[]) {
    this.injections = [...injections];
    this.seen = new Int32Array(injections.length);
    this.outcomes = injections.map((x) => ({
      index: x.index, connection: x.connection, action: x.action, t: -1, flow: -1, packet: 0, sa: '', spi: '', seq: 0,
      result: 'not-applied', detail: `no ESP packet of ${x.connection} matched (at ≥ ${x.at}s, packet ${x.packet}${x.direction ? `, direction ${x.direction}` : ''})`,
    }));
  }

  /** True when nothing can be tampered with (the node then only passes packets on). */
  get idle(): boolean {
    return this.injections.length === 0;
  }

  /** A new batch starts (its slots are new packets). */
  nextBatch(): void {
    this.batch++;
  }

  /**
   * Batch packet i crosses the link on SA `s` as the ESP packets `packets`: apply the
   * injections that pick it. True when a reorder holds it back (the caller parks it).
   */
  tamper(b: PacketBatch, i: number, s: number, world: World, esp: DataPlane, packets: Uint8Array[]): boolean {
    const w = world.sas[s]!;
    const tun = world.tunnels[w.tunnel]!;
    const names = [world.connections[tun.connection]!.name, world.connections[w.connection]!.name];
    const dir = tun.saOut === s ? 'out' : 'in';
    let hold = false;
    for (let k = 0; k < this.injections.length; k++) {
      const x = this.injections[k]!;
      if (!names.includes(x.connection) || b.time[i]! < x.at || (x.direction && x.direction !== dir)) continue;
      if (++this.seen[k]! !== x.packet) continue;
      const o = this.outcomes[k]!;
      o.t = b.time[i]!;
      o.flow = b.flow[i]!;
      o.packet = b.seq[i]!;
      o.sa = w.name;
      o.spi = spiText(esp.sad.get(s).spi);
      o.seq = b.espSeq[i]!;
      const first = packets[0]!;
      switch (x.action) {
        case 'corrupt': {
          const shape = esp.sizes.shapes[s]!;
          const off = (x.byte ?? 20 + encapLength(shape) + 8 + shape.ivLen) % first.length;
          first[off] = first[off]! ^ 0xff;
          o.detail = `byte ${off} of the ESP packet (SPI ${o.spi}, seq ${o.seq}) flipped on the Internet path`;
          this.settleOnOpen(b, i, k);
          break;
        }
        case 'duplicate':
          // The copy arrives right behind the original (once the window has seen its sequence).
          this.copies.push({ sa: s, bytes: first.slice(), inj: o, afterSeq: o.seq - 1, batch: this.batch, slot: i });
          o.detail = `ESP packet SPI ${o.spi} seq ${o.seq} delivered twice`;
          break;
        case 'replay':
          this.copies.push({ sa: s, bytes: first.slice(), inj: o, afterSeq: o.seq, batch: this.batch, slot: i });
          o.detail = `ESP packet SPI ${o.spi} seq ${o.seq} captured and sent again after the SA's next packet`;
          break;
        case 'reorder':
          hold = true;
          o.result = 'held';
          o.detail = `ESP packet SPI ${o.spi} seq ${o.seq} held back and delivered after the SA's next packet`;
          this.settleOnOpen(b, i, k);
          break;
      }
    }
    return hold;
  }

  /** Injection k changed batch packet i's ESP packet: its opening settles k's outcome (after any earlier injection's on it). */
  private settleOnOpen(b: PacketBatch, i: number, k: number): void {
    const list = b.espTamper[i] === 0 ? null : this.tampered.get(i);
    if (list) list.push(k);
    else this.tampered.set(i, [k]);
    b.espTamper[i] = 1;
  }

  /** Hold batch packet i (SA `s`) back until the SA's next packet has arrived. */
  hold(s: number, i: number): void {
    this.held.push([s, i]);
  }

  /** Nothing else moves in the batch: every held packet goes on to `node` (the decrypt node). */
  releaseAll(b: PacketBatch, q: Queues, node: number): void {
    for (const [sa, i] of this.held) {
      q.unhold();
      q.pass(b, i, node, sa);
    }
    this.held = [];
  }

  /**
   * Let the held packets of SA `s` that the packet at position k of `list` (n packets)
   * overtook go on to the decrypt node working through that list: each held packet sent
   * before it (a lower ESP sequence number) goes into the list right after position k, so
   * it is opened next, right behind the packet it waited for and before the SA's later
   * packets move the anti-replay window on. Returns how many went in. The list has room:
   * it holds at most a batch, and held packets are in no list.
   */
  releaseInto(b: PacketBatch, q: Queues, s: number, list: Int32Array, k: number, n: number): number {
    if (this.held.length === 0) return 0;
    const seq = b.espSeq[list[k]!]!;
    const keep: [number, number][] = [];
    const go: number[] = [];
    for (const h of this.held) {
      if (h[0] === s && b.espSeq[h[1]]! < seq) go.push(h[1]);
      else keep.push(h);
    }
    if (go.length === 0) return 0;
    this.held = keep;
    list.copyWithin(k + 1 + go.length, k + 1, n);
    for (let j = 0; j < go.length; j++) {
      const i = go[j]!;
      q.unhold();
      q.passInPlace(b, i, s);
      list[k + 1 + j] = i;
    }
    return go.length;
  }

  /**
   * The receiver opened (or refused) batch packet i that injections tampered with
   * (`b.espTamper[i]`): settle each injection's outcome from `d`, and report it.
   */
  settle(b: PacketBatch, i: number, d: DecryptResult, log: EventLog | null, flowNames: readonly string[]): void {
    const ks = this.tampered.get(i) ?? [];
    this.tampered.delete(i);
    b.espTamper[i] = 0;
    for (const k of ks) {
      const o = this.outcomes[k]!;
      o.result = d.reason === 0 ? 'delivered' : 'dropped';
      if (d.reason !== 0) o.reason = DROP_REASON_NAMES[d.reason]!;
      o.detail = d.reason === 0 ? `${o.detail}: accepted (inside the anti-replay window)` : `${o.detail}: ${d.detail}`;
      log?.add(i, injectEvent(flowNames, o, b.time[i]!));
    }
  }

  /**
   * A packet of SA `s` arrived at its receiver at time `t`: the copies due on that SA arrive
   * right behind it (see `deliverCopies`); its held packets follow (`releaseInto`).
   */
  arrived(
    q: Queues, s: number, t: number,
    world: World, esp: DataPlane, tap: LinkTap | null, log: EventLog | null, flowNames: readonly string[],
  ): void {
    if (this.copies.length > 0) this.deliverCopies(q, s, t, false, world, esp, tap, log, flowNames);
  }

  /** The packet copy `c` was taken from is still held back (a reorder): the copy follows it, not the SA's next packet. */
  private originalHeld(c: Copy): boolean {
    if (c.batch !== this.batch) return false;
    for (const h of this.held) if (h[1] === c.slot) return true;
    return false;
  }

  /** The end of the run (time `t`): copies still on the way (replays with no later packet) arrive now. */
  finish(q: Queues, t: number, world: World, esp: DataPlane, tap: LinkTap | null, log: EventLog | null, flowNames: readonly string[]): void {
    this.batch++;
    if (this.copies.length > 0) this.deliverCopies(q, -1, t, true, world, esp, tap, log, flowNames);
  }

  /**
   * Copies due now on SA `s` (duplicates at once; replays once a later packet of the SA
   * arrived; everything when `all`): each is opened at the receiver, its drop counted there
   * and its outcome reported.
   */
  private deliverCopies(
    q: Queues, s: number, t: number, all: boolean,
    world: World, esp: DataPlane, tap: LinkTap | null, log: EventLog | null, flowNames: readonly string[],
  ): void {
    const keep: Copy[] = [];
    for (const c of this.copies) {
      // A copy waits for a later packet of its SA (a slot whose SA IKE deleted or rekeyed lets it go).
      const now = esp.sad.at(c.sa);
      const ready = all || (c.sa === s && (now === null || now.replay.top > c.afterSeq) && !this.originalHeld(c));
      if (!ready) {
        keep.push(c);
        continue;
      }
      tap?.internet(Math.max(t, c.inj.t), c.bytes);
      const d = esp.openCopy(c.bytes);
      const o = c.inj;
      let sa = d.sa;
      if (d.ok) {
        o.result = 'delivered';
        o.detail += `: accepted (sequence ${d.seq} was still new to the window)`;
      } else {
        o.result = 'dropped';
        o.reason = espDropName(d.drop as EspDropReason);
        o.detail += `: dropped ${o.reason} (${d.message})`;
        if (sa < 0) sa = c.sa;
        const to = world.sas[sa]!;
        q.countOnly(endCounter(world, to.toKind, to.to), Stage.DECRYPT, dropReasonCode(o.reason as DropReason));
      }
      if (!log) continue;
      // Its event follows the packet it copies: at that packet's time (the end of the run
      // for the last copies), right after that packet's own events.
      const time = all ? t : o.t;
      const e = injectEvent(flowNames, o, time);
      if (!all && c.batch === this.batch) log.addCopy(c.slot, e);
      else log.addEarlier(time, o.flow, o.packet, e);
    }
    this.copies = keep;
  }
}
