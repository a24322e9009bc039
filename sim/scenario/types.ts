/**
 * The typed scenario model: what the loader produces from a YAML/JSON file after schema
 * validation, and what the checker and the compiler consume. The model never sees YAML.
 *
 * Positions are kept apart from the model, in `Scenario.positions`, keyed by the path of
 * a value in the document (`gateways[0].sku`, `vnets[1].addressSpace[0]`). Every object
 * carries its own `path`, so a check can name `${obj.path}.key` and find a line:column.
 * Addresses are plain uint32 numbers (see sim/net/ipv4.ts); the original text is kept for
 * messages.
 */
import type { DropReason } from '../engine/drop-reasons.js';
import type { Prefix } from '../net/ipv4.js';
import type { CertificateState, GatewayKind, GatewaySku, VpnType } from '../gateway/kinds.js';
import type { RulesEdition } from '../gateway/capabilities.js';
import type { DhGroup } from '../ike/dh-groups.js';
import type { IkeIdentity } from '../ike/endpoint.js';
import type { EspProposal, IkeProposal } from '../ike/proposals.js';
import type { SourcePos } from './source-text.js';

// The scenario's words for what lower layers define: prefixes are sim/net's, gateway kinds
// and editions sim/gateway's.
export type { Prefix, CertificateState, GatewayKind, GatewaySku, VpnType, RulesEdition };
export { DEFAULT_EDITION } from '../gateway/capabilities.js';

export type NextHopType = 'VirtualNetworkGateway' | 'Internet' | 'None';
export type Proto = 'icmp' | 'tcp' | 'udp';
/** The smallest `size` of a flow's packets: IPv4 20 + the protocol's header (ICMP 8, UDP 8, TCP 20). */
export const MIN_FLOW_SIZE: Readonly<Record<Proto, number>> = { icmp: 28, udp: 28, tcp: 40 };
export type ConnectionType = 'IPsec' | 'Vnet2Vnet' | 'ExpressRoute';
/** A count in an expectation: a number of packets, or every packet of the flow. */
export type Count = number | 'all';

export interface Located {
  /** Path of this object in the document, e.g. `vnets[0].subnets[1]`. */
  readonly path: string;
}

export interface UserRoute extends Located {
  readonly prefix: Prefix;
  readonly nextHop: NextHopType;
}

export interface Subnet extends Located {
  readonly name: string;
  readonly prefix: Prefix;
  readonly routes: readonly UserRoute[];
}

export interface Host extends Located {
  readonly name: string;
  readonly ip: number;
  readonly ipText: string;
}

export interface Vnet extends Located {
  readonly name: string;
  readonly addressSpace: readonly Prefix[];
  readonly subnets: readonly Subnet[];
  readonly hosts: readonly Host[];
}

export interface Bgp extends Located {
  readonly asn: number;
}

export interface P2sClient extends Located {
  readonly name: string;
  /** Whether the gateway accepts the client's certificate; `revoked`/`untrusted` drop with p2s-auth. */
  readonly certificate: CertificateState;
}

export interface P2sConfig extends Located {
  readonly addressPool: Prefix;
  readonly clients: readonly P2sClient[];
}

export interface Gateway extends Located {
  readonly name: string;
  readonly vnet: string;
  readonly type: GatewayKind;
  /** Normalised: the classic aliases Static/Dynamic become PolicyBased/RouteBased. Absent for ExpressRoute gateways. */
  readonly vpnType?: VpnType;
  /** The spelling used in the file when it was a classic alias (Static/Dynamic), for messages. */
  readonly vpnTypeAlias?: string;
  readonly sku: GatewaySku;
  readonly publicIp?: number;
  readonly publicIpText?: string;
  readonly bgp?: Bgp;
  readonly p2s?: P2sConfig;
  /** Forced tunnelling: the site that receives 0.0.0.0/0 from this gateway (route-based only). */
  readonly defaultSite?: string;
}

/** One raw access-list line as written; parsed by sim/net/acl.ts. */
export interface AclLine extends Located {
  readonly text: string;
}

/** A proposal string as written and the typed proposal sim/ike/proposals.ts read from it. */
export interface ProposalText<P> {
  readonly text: string;
  readonly value: P;
}

/** One selector pair of a device's `ike.selectors`, from the device's view. */
export interface DeviceSelector extends Located {
  readonly local: Prefix;
  readonly remote: Prefix;
}

/** vgwsim extension: a device's own IKE settings (`device.ike`); each absent key mirrors the Azure side. */
export interface DeviceIkeSettings extends Located {
  readonly version?: 1 | 2;
  readonly ikeProposals?: readonly ProposalText<IkeProposal>[];
  readonly espProposals?: readonly ProposalText<EspProposal>[];
  /** Replaces the DH group of every IKE proposal. */
  readonly dhGroup?: DhGroup;
  /** The PFS group of every ESP proposal, or none. */
  readonly pfsGroup?: DhGroup | 'none';
  /** Whole seconds. */
  readonly ikeLifetime?: number;
  readonly childLifetime?: number;
  readonly childLifeKilobytes?: number;
  /** Seconds of idle before a liveness check, or off. */
  readonly dpd?: number | 'off';
  readonly identity?: IkeIdentity;
  /** Whether the device may start negotiations (absent: it may). */
  readonly initiate?: boolean;
  readonly selectors?: readonly DeviceSelector[];
}

/**
 * vgwsim extension: the NAT in front of a site's device (`device.nat`). The device's own
 * address is `privateIp`; the site's `gatewayIp` is the NAT's public address, the one
 * Azure's local network gateway holds.
 */
export interface DeviceNat extends Located {
  readonly privateIp: number;
  readonly privateIpText: string;
}

export interface Device extends Located {
  readonly vpnType: VpnType;
  readonly vpnTypeAlias?: string;
  /** Kept only to compare; never printed. */
  readonly sharedKey?: string;
  /** Ordered, first match wins. Absent: the device mirrors the Azure side. */
  readonly accessList?: readonly AclLine[];
  /** Route-based devices: prefixes sent into the tunnel. Absent: the Azure side's address space. */
  readonly routes?: readonly Prefix[];
  /** vgwsim extension: the device's own IKE settings. Absent: it mirrors the Azure side. */
  readonly ike?: DeviceIkeSettings;
  /** vgwsim extension: a NAT in front of the device. Absent: the device has the site's gatewayIp itself. */
  readonly nat?: DeviceNat;
}

export interface Site extends Located {
  readonly name: string;
  readonly gatewayIp: number;
  readonly gatewayIpText: string;
  readonly addressPrefixes: readonly Prefix[];
  readonly device?: Device;
  readonly hosts: readonly Host[];
}

export interface Connection extends Located {
  readonly name: string;
  readonly type: ConnectionType;
  readonly gateway: string;
  readonly site?: string;
  readonly peerGateway?: string;
  readonly circuit?: string;
  /** Kept only to compare; never printed (shown as ***). */
  readonly sharedKey?: string;
  /** vgwsim extension: path MTU of the Internet path between the tunnel ends (default 1500). */
  readonly mtu?: number;
  /** vgwsim extension: the ESP transform (strongSwan proposal, e.g. `aes128-sha1`); default: Azure's first offer. */
  readonly transform?: string;
  /** vgwsim extension: inbound anti-replay window size in packets (default 64). */
  readonly replayWindow?: number;
}

export interface Flow extends Located {
  readonly id: string;
  /** A host name, or an IPv4 address literal. */
  readonly from: string;
  readonly to: string;
  readonly proto: Proto;
  readonly sport?: number;
  readonly dport?: number;
  /** Total IPv4 length in bytes of each packet (default 84 for icmp, 64 otherwise... see loader). */
  readonly size: number;
  readonly count: number;
  /** Seconds of virtual time of the first packet. */
  readonly start: number;
  /** Seconds between packets. */
  readonly interval: number;
  readonly ttl: number;
  /** Don't Fragment. */
  readonly df: boolean;
}

export interface Circuit extends Located {
  readonly name: string;
  /** Bits per second. */
  readonly bandwidth: number;
  readonly onPremisesPrefixes: readonly Prefix[];
  readonly site: string;
}

export interface Fault extends Located {
  /** Seconds of virtual time. */
  readonly at: number;
  readonly connection?: string;
  readonly circuit?: string;
  /** true: goes down at `at`; false: comes back up. */
  readonly down: boolean;
}

/** What an injection does to one ESP packet of a connection. */
export type InjectAction = 'duplicate' | 'reorder' | 'corrupt' | 'replay';
export const INJECT_ACTIONS: readonly InjectAction[] = ['duplicate', 'reorder', 'corrupt', 'replay'];

/**
 * A tampering event on the Internet path of a connection: it hits the `packet`-th ESP
 * packet (default the first) sent on the connection at or after `at`, in `direction`
 * (out: from the connection's gateway; in: towards it; default either).
 */
export interface Injection extends Located {
  readonly connection: string;
  /** Seconds of virtual time. */
  readonly at: number;
  readonly action: InjectAction;
  readonly direction?: 'out' | 'in';
  /** 1-based, counted from `at`. */
  readonly packet: number;
  /** corrupt: offset in the outer packet of the byte to flip (default: first ciphertext byte). */
  readonly byte?: number;
}

/** Expected outcome of the injected copies (duplicate, replay) of a flow's ESP packets. */
export interface CopiesExpectation {
  readonly delivered?: Count;
  readonly dropped?: Count;
  readonly reason?: DropReason;
}

export interface Expectation extends Located {
  readonly flow: string;
  /** vgwsim extension: the fate of the flow's injected copies (duplicates, replays). */
  readonly copies?: CopiesExpectation;
  readonly delivered?: Count;
  readonly dropped?: Count;
  readonly internet?: Count;
  readonly via?: string;
  readonly reason?: DropReason;
  /** Shown when the expectation fails: a nudge toward the goal (labs). */
  readonly hint?: string;
}

export interface Scenario {
  /** The file name as given (used in diagnostics). */
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly seed: number;
  readonly edition: RulesEdition;
  readonly vnets: readonly Vnet[];
  readonly gateways: readonly Gateway[];
  readonly sites: readonly Site[];
  readonly connections: readonly Connection[];
  readonly traffic: readonly Flow[];
  readonly circuits: readonly Circuit[];
  readonly faults: readonly Fault[];
  /** vgwsim extension: ESP packets to duplicate, reorder, corrupt or replay. */
  readonly inject?: readonly Injection[];
  readonly expect: readonly Expectation[];
  readonly expectDiagnostics: readonly string[];
  /** Value positions by document path; see the module comment. */
  readonly positions: ReadonlyMap<string, SourcePos>;
}

/**
 * The position of `path`, or of its nearest ancestor that has one (so a check can always
 * name a line), or 1:1 when nothing is known.
 */
export function positionOf(s: Pick<Scenario, 'positions'>, path: string): SourcePos {
  let p = path;
  for (;;) {
    const pos = s.positions.get(p);
    if (pos) return pos;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) return s.positions.get('') ?? { line: 1, column: 1 };
    p = p.slice(0, cut);
  }
}

/** The subnet name Azure requires for a VNet's gateways. */
export const GATEWAY_SUBNET = 'GatewaySubnet';

/** A host of the scenario and what holds it. */
export interface HostRef {
  readonly name: string;
  /** The host's document path (its name is at `${path}.name`). */
  readonly path: string;
  /** Its address: a VNet or site host's `ip`; a point-to-site client's from the pool (p2sClientIp). */
  readonly ip: number;
  /** What holds it: a VNet, a site, or a gateway's point-to-site clients (`name` is the gateway's). */
  readonly owner: { readonly kind: 'vnet' | 'site' | 'p2s'; readonly name: string };
}

/** The address a gateway hands its `k`-th point-to-site client: the pool's addresses in order, after the network address. */
export function p2sClientIp(pool: Prefix, k: number): number {
  return (pool.addr + 1 + k) >>> 0;
}

/** Every host of the scenario (VMs, on-premises hosts, P2S clients), in file order. */
export function hostRefs(s: Pick<Scenario, 'vnets' | 'sites' | 'gateways'>): HostRef[] {
  return [
    ...s.vnets.flatMap((v) => v.hosts.map((h) => ({ name: h.name, path: h.path, ip: h.ip, owner: { kind: 'vnet' as const, name: v.name } }))),
    ...s.sites.flatMap((x) => x.hosts.map((h) => ({ name: h.name, path: h.path, ip: h.ip, owner: { kind: 'site' as const, name: x.name } }))),
    ...s.gateways.flatMap((g) => {
      const p2s = g.p2s;
      return p2s ? p2s.clients.map((c, k) => ({ name: c.name, path: c.path, ip: p2sClientIp(p2s.addressPool, k), owner: { kind: 'p2s' as const, name: g.name } })) : [];
    }),
  ];
}

/** Names of every host of the scenario (VMs, on-premises hosts, P2S clients), in file order. */
export function hostNames(s: Pick<Scenario, 'vnets' | 'sites' | 'gateways'>): string[] {
  return hostRefs(s).map((h) => h.name);
}

/** The connection a gateway's point-to-site clients cross (named in traces and `via:`). */
export function p2sConnectionName(gateway: string): string {
  return `${gateway}-p2s`;
}
