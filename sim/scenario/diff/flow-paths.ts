/**
 * The paths a run's traced packets took, per flow and packet, as the diff compares them:
 * each hop as node, stage and decision (the words of the trace, which hold no SPI, sequence
 * number or time, so two runs with different seeds give the same hops for the same path),
 * and how the packet ended. An EventSink, so a run hands it its events as they happen.
 */
import type { EndEvent, EventSink, HopEvent, SimEvent } from '../../engine/events.js';

/** One hop as the diff shows it. */
export interface HopView {
  readonly hop: number;
  readonly node: string;
  readonly stage: string;
  readonly decision: string;
  readonly connection?: string;
}

/** How a packet ended, as the diff shows it. */
export interface EndView {
  readonly type: EndEvent['type'];
  readonly node: string;
  readonly stage: string;
  readonly reason?: string;
  readonly detail?: string;
  readonly via: readonly string[];
}

/** One traced packet's path. */
export interface PacketPath {
  readonly packet: number;
  readonly src: string;
  readonly dst: string;
  readonly hops: readonly HopView[];
  readonly end: EndView | null;
}

/** What makes two hops the same hop for the diff. */
export function hopKey(h: HopView): string {
  return `${h.node}|${h.stage}|${h.decision}`;
}

/** What makes two ends the same end for the diff (the detail's words may quote a status or a seed's value: not compared). */
export function endKey(e: EndView | null): string {
  return e === null ? '' : `${e.type}|${e.reason ?? ''}|${e.node}|${e.stage}`;
}

interface Building {
  src: string;
  dst: string;
  hops: HopView[];
  /** `hops` is the flow's shared copy of this path: copied before another hop is added. */
  shared: boolean;
  end: EndView | null;
}

/** One flow's packets, and one copy of each distinct hop list among them. */
interface FlowPaths {
  readonly packets: Map<number, Building>;
  readonly hopLists: Map<string, HopView[]>;
}

/**
 * Collects every traced packet's path, by flow and packet number. Packets that took the
 * same hops share one list of them (most of a flow's packets take one path), so memory
 * grows with the distinct paths, not with packets times hops.
 */
export class PathSink implements EventSink {
  private readonly flows = new Map<string, FlowPaths>();

  event(e: SimEvent): void {
    if (e.type !== 'hop' && e.type !== 'delivered' && e.type !== 'dropped' && e.type !== 'internet') return;
    let flow = this.flows.get(e.flow);
    if (!flow) this.flows.set(e.flow, (flow = { packets: new Map(), hopLists: new Map() }));
    let p = flow.packets.get(e.packet);
    if (!p) flow.packets.set(e.packet, (p = { src: '', dst: '', hops: [], shared: false, end: null }));
    if (e.type === 'hop') {
      this.hop(p, e);
      return;
    }
    p.end = { type: e.type, node: e.node, stage: e.stage, ...(e.reason ? { reason: e.reason } : {}), ...(e.detail ? { detail: e.detail } : {}), via: e.via };
    const key = p.hops.map((h) => `${hopKey(h)}|${h.connection ?? ''}`).join('\n');
    const same = flow.hopLists.get(key);
    if (same) p.hops = same;
    else flow.hopLists.set(key, p.hops);
    p.shared = true;
  }

  private hop(p: Building, e: HopEvent): void {
    if (p.hops.length === 0) {
      p.src = e.src;
      p.dst = e.dst;
    }
    if (p.shared) {
      p.hops = [...p.hops];
      p.shared = false;
    }
    p.hops.push({ hop: e.hop, node: e.node, stage: e.stage, decision: e.decision, ...(e.connection ? { connection: e.connection } : {}) });
  }

  /** Flow `id`'s traced packets in packet order. */
  paths(id: string): PacketPath[] {
    const flow = this.flows.get(id);
    if (!flow) return [];
    return [...flow.packets.entries()].sort((a, b) => a[0] - b[0]).map(([packet, p]) => ({ packet, src: p.src, dst: p.dst, hops: p.hops, end: p.end }));
  }
}
