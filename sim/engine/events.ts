/**
 * Trace events: what the pipeline stages emit for a traced packet, as plain data. Text,
 * JSON Lines, pcap and the TUI are sinks over these; the simulator never formats for a
 * terminal. The same scenario and seed give the same events in the same order.
 */
import type { DropReason } from './drop-reasons.js';

/** A route as shown in a trace: the matched one and those it beat. */
export interface RouteView {
  readonly prefix: string;
  readonly nextHop: string;
  /** Where the route comes from: Default (system), User, VirtualNetworkGateway, ExpressRoute, ... */
  readonly source: string;
}

export interface HopEvent {
  readonly type: 'hop';
  /** Virtual time, seconds. */
  readonly t: number;
  readonly flow: string;
  readonly packet: number;
  /** 1-based hop number within the packet's path. */
  readonly hop: number;
  /** The node, e.g. `vnet1/frontend`, `gw1`, `hq/device`. */
  readonly node: string;
  /** The stage, e.g. `send`, `route`, `classify`, `encrypt`, `decrypt`, `deliver`. */
  readonly stage: string;
  /** What the stage decided, in words. */
  readonly decision: string;
  readonly src: string;
  readonly dst: string;
  readonly route?: RouteView;
  readonly beat?: readonly RouteView[];
  readonly selector?: { readonly index: number; readonly src: string; readonly dst: string; readonly action?: string };
  readonly sa?: {
    readonly name: string;
    readonly spi: string;
    readonly seq?: number;
    readonly outer?: { readonly src: string; readonly dst: string };
    readonly transform?: string;
    readonly sizeBefore?: number;
    readonly sizeAfter?: number;
  };
  readonly connection?: string;
}

export interface EndEvent {
  readonly type: 'delivered' | 'dropped' | 'internet';
  readonly t: number;
  readonly flow: string;
  readonly packet: number;
  readonly node: string;
  readonly stage: string;
  readonly reason?: DropReason;
  /** For drops: the reason explained for this packet. */
  readonly detail?: string;
  /** Connections the packet crossed, in order. */
  readonly via: readonly string[];
}

export interface FaultEvent {
  readonly type: 'fault';
  readonly t: number;
  readonly target: string;
  readonly down: boolean;
  readonly note: string;
}

export type SimEvent = HopEvent | EndEvent | FaultEvent;

/** Receives events in order. */
export interface EventSink {
  event(e: SimEvent): void;
}

/** A sink that keeps every event (tests, small runs). */
export class CollectSink implements EventSink {
  readonly events: SimEvent[] = [];
  event(e: SimEvent): void {
    this.events.push(e);
  }
}
