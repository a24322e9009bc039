/**
 * The compiled world: every node of a topology with its IMMUTABLE lookup structures
 * (route tables as LPM tables, selector lists as classifiers, host tables as sorted
 * Uint32Arrays) and the tunnels and SAs between them. Built by sim/scenario/compile/
 * before the first packet moves; the graph's nodes (nodes/) only read it. Mutable run
 * state lives apart: SA state and counters in the SA table (sim/ipsec/sad.ts), the SKU
 * token buckets in `RunState`.
 *
 * Nodes refer to each other by index, never by name or pointer, so rekeying or a fault
 * recompiles a world without touching the run state (an SA keeps its index).
 */
import { LpmTable } from '../net/lpm.js';
import type { SelectorClassifier } from '../net/classifier.js';
import type { Prefix } from '../net/ipv4.js';
import type { VpnType, GatewaySku, CertificateState } from './kinds.js';
import type { RulesEdition } from './capabilities.js';
import type { SaKeys } from '../ipsec/keys.js';
import type { DeviceIke } from './device-ike.js';

/** What a route (or selector) does with a packet. */
export const Next = {
  /** Deliver inside the node's own network (VnetLocal, site LAN). */
  LOCAL: 0,
  /** Send to a VNet gateway (target: gateway index). */
  GATEWAY: 1,
  /** Leave the modelled networks in clear text. */
  INTERNET: 2,
  /** Discard (next hop None): counted as no-route. */
  DROP: 3,
  /** Into a tunnel (target: SA index of the sending direction). */
  TUNNEL: 4,
  /** To the site's VPN device. */
  DEVICE: 5,
  /** Over an ExpressRoute circuit (target: ER path index). */
  ER: 6,
  /** Inside a known prefix with nobody there (a P2S pool without that client). */
  NO_HOST: 7,
} as const;
export type NextCode = (typeof Next)[keyof typeof Next];

/** One route of a compiled table, as shown in traces. */
export interface RouteEntry {
  readonly prefix: Prefix;
  readonly next: NextCode;
  readonly target: number;
  /** Default | User | VirtualNetworkGateway | ExpressRoute | VNet | Site | P2S | ... */
  readonly source: string;
  /** The next hop in words, e.g. `VirtualNetworkGateway gw1`, `tunnel gw1-hq`. */
  readonly nextHop: string;
}

/** A route table compiled for lookups; entries earlier in the list win ties at equal prefix. */
export class RouteTable {
  declare readonly entries: readonly RouteEntry[];
  declare readonly lpm: LpmTable;
  declare readonly next: Uint8Array;
  declare readonly target: Int32Array;

  constructor(entries: readonly RouteEntry[]) {
    this.entries = entries;
    this.lpm = LpmTable.compile(entries.map((e) => ({ addr: e.prefix.addr, len: e.prefix.len })));
    this.next = Uint8Array.from(entries.map((e) => e.next));
    this.target = Int32Array.from(entries.map((e) => e.target));
  }
}

/** Hosts of one network, sorted by address for a binary search. */
export class HostTable {
  declare readonly ips: Uint32Array;
  declare readonly host: Int32Array;

  constructor(hosts: readonly { ip: number; index: number }[]) {
    const sorted = [...hosts].sort((a, b) => a.ip - b.ip);
    this.ips = Uint32Array.from(sorted.map((h) => h.ip));
    this.host = Int32Array.from(sorted.map((h) => h.index));
  }

  /** Host index owning `ip`, or -1. */
  find(ip: number): number {
    const ips = this.ips;
    let lo = 0;
    let hi = ips.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1; // not >>>: keeps lo, hi and mid int32 in V8 (hi may be -1)
      const v = ips[mid]!;
      if (v === ip) return this.host[mid]!;
      if (v < ip) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

export const NetKind = { VNET: 0, SITE: 1, P2S: 2 } as const;
export type NetKindCode = (typeof NetKind)[keyof typeof NetKind];

export interface WHost {
  readonly name: string;
  readonly ip: number;
  readonly netKind: NetKindCode;
  /** VNet, site or P2S client index. */
  readonly net: number;
  /** Subnet index (VNet hosts), else -1. */
  readonly subnet: number;
}

export interface WVnet {
  readonly name: string;
  readonly space: readonly Prefix[];
  readonly spaceLpm: LpmTable;
  readonly hosts: HostTable;
  readonly counter: number;
}

export interface WSubnet {
  readonly name: string;
  readonly vnet: number;
  readonly prefix: Prefix;
  readonly table: RouteTable;
  readonly counter: number;
}

/**
 * Policy-based selection: ordered selectors, first match wins; each names an SA. On a
 * device, one access-list entry may become several selectors (the pairs accepted under
 * it, then the rest of the entry), all carrying the entry's number.
 */
export interface PolicySelectors {
  readonly classifier: SelectorClassifier;
  /** Per selector: SA index of the sending direction, or -1 (bypass / no SA). */
  readonly sa: Int32Array;
  /** Per selector: 1 permit (protect), 0 deny (bypass, in clear). */
  readonly permit: Uint8Array;
  /** Per selector: the 1-based number of the entry (access-list line, traffic selector) it comes from. */
  readonly entry: Int32Array;
  readonly text: readonly string[];
  readonly src: readonly Prefix[];
  readonly dst: readonly Prefix[];
  /** Per selector: why a permit selector has no SA ('' when it has one, or for a deny). */
  readonly noSa: readonly string[];
}

export interface WGateway {
  readonly name: string;
  readonly vnet: number;
  readonly kind: 'Vpn' | 'ExpressRoute';
  readonly vpnType?: VpnType;
  readonly sku: GatewaySku;
  readonly publicIp: number;
  /**
   * Its own address in the GatewaySubnet (the interface facing its VNet; 0 without one):
   * the subnet's last usable address, as Azure's 2016 BGP article shows it (see
   * sim/scenario/compile/gateways.ts).
   */
  readonly privateIp: number;
  /** Route-based and ExpressRoute gateways. */
  readonly table?: RouteTable;
  /** Policy-based gateways. */
  readonly policy?: PolicySelectors;
  /** SKU throughput, bytes per second (0: unlimited). */
  readonly bytesPerSecond: number;
  /**
   * Where a packet the gateway hands into its VNet goes next, as a graph node
   * (nodes/ids.ts `NodeId`) and that node's argument: the `subnet-route` node and the
   * subnet's global index when the GatewaySubnet has user-defined routes (the gateway's
   * instances sit in the GatewaySubnet, so whatever they send into the VNet leaves by its
   * routes, wherever it came from), else `vnet-deliver` and the VNet's index. Decided once
   * per gateway at compile time: `gateway-forward` reads these, never where the packet
   * came from.
   */
  readonly deliverNode: number;
  readonly deliverArg: number;
  /** Its drop counter node (forwarding and ESP ends count there, each at its own stage). */
  readonly counter: number;
}

export interface WDevice {
  readonly name: string;
  readonly vpnType: VpnType;
  /** The site's gatewayIp: the device's own address, or its NAT's public one when it is behind a NAT. */
  readonly publicIp: number;
  /** Behind a NAT: the device's own address, which the NAT translates to `publicIp`; null: no NAT. */
  readonly natPrivateIp: number | null;
  readonly policy?: PolicySelectors;
  readonly table?: RouteTable;
  readonly counter: number;
  /** The device's own IKE settings (device-ike.ts); null: it mirrors the Azure side in everything. */
  readonly ike: DeviceIke | null;
}

export interface WSite {
  readonly name: string;
  readonly prefixes: readonly Prefix[];
  readonly prefixLpm: LpmTable;
  /** The site LAN's routing: own prefixes local, ExpressRoute-learned prefixes, the rest to the device. */
  readonly edge: RouteTable;
  readonly hosts: HostTable;
  readonly device: WDevice;
  readonly counter: number;
}

export interface WP2sClient {
  readonly name: string;
  readonly ip: number;
  /** The client's index in World.hosts. */
  readonly host: number;
  readonly gateway: number;
  readonly certificate: CertificateState;
  /** Client-side routes: the VNet's address space into the tunnel, the rest to the Internet. */
  readonly table: RouteTable;
  readonly counter: number;
}

/** Where an SA ends: the node that decrypts it. */
export const EndKind = { GATEWAY: 0, DEVICE: 1, P2S: 2 } as const;
export type EndKindCode = (typeof EndKind)[keyof typeof EndKind];

export interface WSa {
  readonly name: string;
  readonly connection: number;
  readonly tunnel: number;
  /** Outer addresses. */
  readonly outerSrc: number;
  readonly outerDst: number;
  readonly fromKind: EndKindCode;
  readonly from: number;
  readonly toKind: EndKindCode;
  readonly to: number;
  /** Traffic selectors the inner packet must match, from the sender's view. */
  readonly selSrc: Prefix;
  readonly selDst: Prefix;
  /** ESP transform as a strongSwan proposal name (`aes256-sha1`), see sim/ipsec/transforms.ts. */
  readonly transform: string;
  /** Inbound anti-replay window size (packets). */
  readonly replayWindow: number;
  /**
   * SPI and keys fixed at compile time (a point-to-site client's SAs), or null: IKE
   * negotiates them during the run and installs them in the SA table (Site-to-Site,
   * VNet-to-VNet).
   */
  readonly keys: SaKeys | null;
  /** Path MTU between the outer addresses (the connection's `mtu`, default 1500). */
  readonly mtu: number;
}

/** An SA pair: one per prefix pair (policy-based), one any-to-any (route-based), one per P2S client. */
export interface WTunnel {
  readonly name: string;
  readonly connection: number;
  readonly saOut: number;
  readonly saIn: number;
  /** 0 when the SA pair is established; else a drop reason code (tunnel-down, p2s-auth). */
  readonly downReason: number;
  /** Why it is down, in words. */
  readonly downDetail: string;
}

export interface WConnection {
  readonly name: string;
  readonly type: 'IPsec' | 'Vnet2Vnet' | 'ExpressRoute' | 'P2S';
  /** Its gateway's index (-1: the gateway is unknown). */
  readonly gateway: number;
  /** Its site's index (IPsec connections; else -1). */
  readonly site: number;
  /** The gateway at the other end (Vnet2Vnet connections; else -1). */
  readonly peerGateway: number;
  /**
   * The pre-shared key the gateway's IKE authenticates with: the connection's sharedKey,
   * else the site device's (the compiler lets either stand alone); null without one. Never
   * printed.
   */
  readonly sharedKey: string | null;
  /**
   * The key the other end uses: the site device's sharedKey when it has one, else the
   * connection's; for VNet-to-VNet the reverse connection's (or this one's when there is
   * none). Never printed.
   */
  readonly peerSharedKey: string | null;
  /**
   * The ESP transform the connection sets (`transform:`, a strongSwan proposal; null: Azure's
   * offers), and the other end's: the same for a site device, the reverse connection's for
   * VNet-to-VNet.
   */
  readonly transform: string | null;
  readonly peerTransform: string | null;
}

export interface WErPath {
  readonly connection: number;
  readonly circuit: string;
  readonly gateway: number;
  readonly site: number;
  readonly counter: number;
}

export interface World {
  /** The edition of Azure's rules the scenario runs under (capabilities.ts): what each gateway offers in IKE. */
  readonly edition: RulesEdition;
  readonly hosts: readonly WHost[];
  readonly vnets: readonly WVnet[];
  readonly subnets: readonly WSubnet[];
  readonly gateways: readonly WGateway[];
  readonly sites: readonly WSite[];
  readonly p2sClients: readonly WP2sClient[];
  readonly connections: readonly WConnection[];
  readonly tunnels: readonly WTunnel[];
  readonly sas: readonly WSa[];
  readonly erPaths: readonly WErPath[];
  /** Counter node labels (`gw1`, `hq/device`: the trace's node names, see sim/engine/counters.ts), indexed by the `counter` fields. */
  readonly counterNodes: readonly string[];
}

/** Mutable per-run state of the gateways, sized by the world, kept across recompiles (faults). */
export class RunState {
  /**
   * Per SKU bucket slot (one per gateway, then the one without a limit: sku-buckets.ts):
   * its tokens (-1: full, not used yet) and when it was last charged.
   */
  declare readonly bucketTokens: Float64Array;
  declare readonly bucketTime: Float64Array;

  constructor(world: World) {
    this.bucketTokens = new Float64Array(world.gateways.length + 1).fill(-1);
    this.bucketTime = new Float64Array(world.gateways.length + 1);
  }
}
