/**
 * The events of one batch, kept per packet and handed to the sink in packet order.
 *
 * The graph moves a batch node by node, so the nodes emit packet A's route, packet B's
 * route, then A's encrypt... Users read a run packet by packet. The batch is in (time,
 * flow order, packet) order already (the run fills it that way), so keeping each packet's
 * events in its own list and flushing the lists in batch order gives that order with no
 * sort. A packet's own events come in the order its nodes emitted them; the events of the
 * injected copies of its ESP packet (a duplicate, a replay: packets of their own that
 * arrive after it) follow them. A copy whose packet was in an earlier batch goes before
 * this batch's packets, in (time, flow, packet) order (`addEarlier`).
 *
 * Only traced packets, injections and their copies emit events: an untraced batch leaves
 * every list empty, and `flush` then costs one pass over a counter.
 */
import type { EventSink, SimEvent } from './events.js';

interface Earlier {
  readonly t: number;
  readonly flow: number;
  readonly packet: number;
  readonly e: SimEvent;
}

export class EventLog {
  private readonly own: (SimEvent[] | null)[];
  private readonly copies: (SimEvent[] | null)[];
  private earlier: Earlier[] = [];
  /** Events held (flush does nothing when 0). */
  private held = 0;

  constructor(capacity: number) {
    this.own = new Array<SimEvent[] | null>(capacity).fill(null);
    this.copies = new Array<SimEvent[] | null>(capacity).fill(null);
  }

  /** An event of batch packet i. */
  add(i: number, e: SimEvent): void {
    const l = this.own[i];
    if (l) l.push(e);
    else this.own[i] = [e];
    this.held++;
  }

  /** An event of a copy of batch packet i's ESP packet (after packet i's own events). */
  addCopy(i: number, e: SimEvent): void {
    const l = this.copies[i];
    if (l) l.push(e);
    else this.copies[i] = [e];
    this.held++;
  }

  /**
   * An event of a packet of an earlier batch (or of none), at (t, flow index, packet): goes
   * before this batch's packets, after the earlier ones it follows in that order.
   */
  addEarlier(t: number, flow: number, packet: number, e: SimEvent): void {
    const l = this.earlier;
    let k = l.length;
    while (k > 0) {
      const x = l[k - 1]!;
      if (x.t < t || (x.t === t && (x.flow < flow || (x.flow === flow && x.packet <= packet)))) break;
      k--;
    }
    l.splice(k, 0, { t, flow, packet, e });
    this.held++;
  }

  /** Hand the held events of packets 0..n-1 to `sink` (none when absent) and forget them. */
  flush(sink: EventSink | undefined, n: number): void {
    if (this.held === 0) return;
    this.held = 0;
    const earlier = this.earlier;
    this.earlier = [];
    for (const x of earlier) sink?.event(x.e);
    for (let i = 0; i < n; i++) {
      const own = this.own[i];
      if (own) {
        this.own[i] = null;
        for (const e of own) sink?.event(e);
      }
      const copies = this.copies[i];
      if (copies) {
        this.copies[i] = null;
        for (const e of copies) sink?.event(e);
      }
    }
  }
}
