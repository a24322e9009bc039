/**
 * Trace events: what the graph's nodes emit for a traced packet, as plain data (made from
 * the nodes' typed records by sim/gateway/trace-text.ts). Text,
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
  /**
   * What the node did, e.g. `send`, `route`, `classify`, `encrypt`, `decrypt`, `deliver`:
   * a step of the topology node, not a graph node's name (the `gateway-forward` graph node
   * routes or classifies; `esp-encrypt` encrypts).
   */
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
    /** Inner packet size (IPv4 total length) and its size on the wire (all its ESP packets). */
    readonly sizeBefore?: number;
    readonly sizeAfter?: number;
    /** sizeAfter - sizeBefore: outer header, ESP header, IV, padding, trailer, ICV (per fragment). */
    readonly overhead?: number;
    /** Path MTU of the tunnel. */
    readonly mtu?: number;
    /** ESP packets the inner packet became (more than 1: fragmented before encryption). */
    readonly espPackets?: number;
    /** Inner and outer headers in words, e.g. `IPv4 10.1.0.4 → 192.168.1.10 icmp ttl 63 len 84`. */
    readonly innerHeader?: string;
    readonly outerHeader?: string;
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

/** An injected tampering with an ESP packet (scenario `inject:`) and what the receiver made of it. */
export interface InjectEvent {
  readonly type: 'inject';
  readonly t: number;
  /** The flow and packet whose ESP packet was tampered with. */
  readonly flow: string;
  readonly packet: number;
  readonly connection: string;
  readonly action: string;
  readonly sa: string;
  readonly spi: string;
  readonly seq: number;
  /** dropped | delivered | held */
  readonly result: string;
  readonly reason?: DropReason;
  readonly detail: string;
}

/**
 * One step of a connection's IKE negotiation, seen by one side: a message sent, received or
 * lost on the way, a log line, a child SA installed or deleted, the connection's status.
 */
export interface IkeEvent {
  readonly type: 'ike';
  readonly t: number;
  readonly connection: string;
  /** The side: the gateway (`gw1`) or the site's device (`hq/device`). */
  readonly node: string;
  /** The other side's node name. */
  readonly peer: string;
  readonly action: 'acquire' | 'send' | 'received' | 'lost' | 'log' | 'status' | 'child-up' | 'child-down';
  /** The step in words (`acquire`: the packet that needed an SA and none was up), as strongSwan would log it (`IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]`, ...). */
  readonly text: string;
  /** Status events: Batfish's status name (IPSEC_SESSION_ESTABLISHED, IKE_PHASE1_FAILED, ...) and the peer's notify. */
  readonly status?: string;
  readonly notify?: string;
  /** Messages: the outer addresses and UDP ports, and the bytes of the IKE message. */
  readonly src?: string;
  readonly dst?: string;
  readonly sport?: number;
  readonly dport?: number;
  readonly bytes?: number;
  /** A negotiation that traffic asked for (IKEv1 on demand): the packet that needed the SA. */
  readonly flow?: string;
  readonly packet?: number;
}

export type SimEvent = HopEvent | EndEvent | FaultEvent | InjectEvent | IkeEvent;

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
