/**
 * The scenario declarations: what a scenario file may hold, key by key, written in the
 * schema DSL (dsl.ts). The ONE source of truth for the format of SCENARIO-FORMAT.md plus
 * the keys vgwsim adds: the walker validates documents against it, the converters turn
 * them into the typed `Scenario` of types.ts, and `scenarioJsonSchema` is the JSON Schema
 * editors use (`npm run schema` writes scenarios/scenario.schema.json from it).
 *
 * Rules between keys of one object live here too (`refine`): a Vpn gateway needs a
 * vpnType, a connection names the peer its type needs and no other, a flow gives interval
 * or rate and its last packet falls within the simulated time, a fault names a connection
 * or a circuit, an expectation checks something. The classic VPN type aliases (Static,
 * Dynamic) are normalised here.
 *
 * One file, about 500 lines: the declarations reference each other (a VNet's subnets, a
 * site's device) and read as one description of the format.
 */
import { DROP_REASON_NAMES } from '../../engine/drop-reasons.js';
import type { DropReason } from '../../engine/drop-reasons.js';
import { TRANSFORMS } from '../../ipsec/transforms.js';
import { DIAGNOSTIC_CODES } from '../diagnostics.js';
import { DEFAULT_EDITION, INJECT_ACTIONS } from '../types.js';
import type {
  AclLine,
  Bgp,
  CertificateState,
  Circuit,
  Connection,
  ConnectionType,
  Device,
  CopiesExpectation,
  Expectation,
  Fault,
  Injection,
  InjectAction,
  Flow,
  Gateway,
  GatewayKind,
  GatewaySku,
  Host,
  NextHopType,
  P2sClient,
  P2sConfig,
  Proto,
  RulesEdition,
  Scenario,
  Site,
  Subnet,
  UserRoute,
  Vnet,
  VpnType,
} from '../types.js';
import { MAX_SECONDS } from '../units.js';
import { deviceIkeSchema } from './device-ike.js';
import { deviceNatSchema } from './device-nat.js';
import { array, bool, count, duration, integer, ipv4, name, object, oneOf, optional, prefix, rate, required, str, transform, withDefault } from './dsl.js';
import type { Issue, Schema } from './dsl.js';
import { INVALID } from './walker.js';

const VPN_TYPE_SPELLINGS = ['PolicyBased', 'RouteBased', 'Static', 'Dynamic'] as const;
type VpnTypeSpelling = (typeof VPN_TYPE_SPELLINGS)[number];

/** Normalise a VPN type spelling: the classic aliases Static/Dynamic become PolicyBased/RouteBased. */
export function normaliseVpnType(s: VpnTypeSpelling): { vpnType: VpnType; vpnTypeAlias?: string } {
  if (s === 'Static') return { vpnType: 'PolicyBased', vpnTypeAlias: s };
  if (s === 'Dynamic') return { vpnType: 'RouteBased', vpnTypeAlias: s };
  return { vpnType: s };
}

/** Drop keys whose value is undefined, so optional fields are absent rather than undefined. */
function compact<T extends object>(o: T): T {
  const r: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) r[k] = v;
  return r as T;
}

const vpnTypeSchema = oneOf<VpnTypeSpelling>(VPN_TYPE_SPELLINGS);
const NAME = 'a non-empty string (a name)';

const hostSchema: Schema<Host> = transform(
  object({
    noun: 'host',
    nameKey: 'name',
    description: 'A host (a VM or an on-premises machine) that can send and receive traffic.',
    fields: {
      name: required(name(), 'Host name, unique among all hosts; flows use it in from/to.', 'the host name'),
      ip: required(ipv4(), "The host's IPv4 address; must lie inside its network.", 'the host address, e.g. 10.1.0.4'),
    },
  }),
  (h): Host => ({ path: h.path, name: h.name, ip: h.ip.value, ipText: h.ip.text }),
);

const userRouteSchema: Schema<UserRoute> = object({
  noun: 'route',
  description: 'A user-defined route of a subnet.',
  fields: {
    prefix: required(prefix(), 'Destination prefix, e.g. 0.0.0.0/0.', 'the destination prefix'),
    nextHop: required(oneOf<NextHopType>(['VirtualNetworkGateway', 'Internet', 'None']), 'Next hop: VirtualNetworkGateway, Internet, or None (drop).', 'VirtualNetworkGateway, Internet or None'),
  },
});

const subnetSchema: Schema<Subnet> = object({
  noun: 'subnet',
  nameKey: 'name',
  description: 'A subnet of a VNet. A gateway needs one named GatewaySubnet (/29 or larger).',
  fields: {
    name: required(name(), 'Subnet name, unique in its VNet; the gateway subnet is named GatewaySubnet.', 'the subnet name'),
    prefix: required(prefix(), "The subnet's prefix, inside the VNet's address space.", 'the subnet prefix, e.g. 10.1.0.0/24'),
    routes: withDefault(array(userRouteSchema), [], [], 'User-defined routes (next hop VirtualNetworkGateway, Internet or None). Default: none.'),
  },
});

const vnetSchema: Schema<Vnet> = object({
  noun: 'vnet',
  nameKey: 'name',
  description: 'An Azure virtual network.',
  fields: {
    name: required(name(), 'VNet name, unique among VNets.', 'the VNet name'),
    addressSpace: required(array(prefix(), { minItems: 1 }), 'The VNet address space: a list of CIDR prefixes.', 'a list of prefixes, e.g. [10.1.0.0/16]'),
    subnets: required(array(subnetSchema), 'Subnets of the VNet; a gateway needs one named GatewaySubnet.', 'a list of subnets'),
    hosts: withDefault(array(hostSchema), [], [], 'Hosts (VMs) in the VNet. Default: none.'),
  },
});

const bgpSchema: Schema<Bgp> = object({
  noun: 'bgp',
  description: 'BGP on a route-based gateway, where the SKU allows it.',
  fields: {
    asn: required(integer(1, 4294967295), 'Autonomous system number of the gateway (Azure uses 65515).', 'the AS number, e.g. 65515'),
  },
});

const p2sClientSchema: Schema<P2sClient> = object({
  noun: 'p2s client',
  nameKey: 'name',
  description: 'A point-to-site client; it gets the next free address of the pool.',
  fields: {
    name: required(name(), 'Client name; flows use it in from/to like a host.', 'the client name'),
    certificate: withDefault(
      oneOf<CertificateState>(['valid', 'revoked', 'untrusted']),
      'valid',
      'valid',
      "vgwsim extension: the client certificate's state; revoked or untrusted clients are dropped with p2s-auth. Default: valid.",
    ),
  },
});

const p2sSchema: Schema<P2sConfig> = object({
  noun: 'p2s',
  description: 'Point-to-site configuration (route-based gateways only).',
  fields: {
    addressPool: required(prefix(), 'The client address pool, e.g. 172.16.201.0/24.', 'the client address pool prefix'),
    clients: withDefault(array(p2sClientSchema), [], [], 'Point-to-site clients. Default: none.'),
  },
});

const gatewaySchema: Schema<Gateway> = transform(
  object({
    noun: 'gateway',
    nameKey: 'name',
    description: 'A virtual network gateway (VPN or ExpressRoute) in a VNet.',
    fields: {
      name: required(name(), 'Gateway name, unique among gateways.', 'the gateway name'),
      vnet: required(name(NAME), 'The VNet the gateway is deployed in (its GatewaySubnet hosts it).', "the name of the gateway's VNet"),
      type: withDefault(oneOf<GatewayKind>(['Vpn', 'ExpressRoute']), 'Vpn', 'Vpn', 'Gateway type: Vpn or ExpressRoute. Default: Vpn.'),
      vpnType: optional(vpnTypeSchema, 'VPN type: PolicyBased or RouteBased (classic aliases Static = PolicyBased, Dynamic = RouteBased). Required for Vpn gateways.'),
      sku: required(oneOf<GatewaySku>(['Basic', 'Standard', 'HighPerformance']), 'Gateway SKU: Basic, Standard or HighPerformance.', 'Basic, Standard or HighPerformance'),
      publicIp: optional(ipv4(), "The gateway's public IPv4 address (tunnel endpoint)."),
      bgp: optional(bgpSchema, 'BGP settings (route-based only, where the SKU allows).'),
      p2s: optional(p2sSchema, 'Point-to-site settings (route-based only).'),
      defaultSite: optional(name(NAME), 'vgwsim extension: forced tunnelling: the site that receives 0.0.0.0/0 from this gateway (route-based only).'),
    },
    refine: (g) =>
      g.type === 'Vpn' && g.vpnType === undefined
        ? [{ message: 'missing required key "vpnType" in {owner}; a Vpn gateway needs vpnType: PolicyBased or RouteBased' }]
        : [],
  }),
  (g): Gateway =>
    compact({
      path: g.path,
      name: g.name,
      vnet: g.vnet,
      type: g.type,
      ...(g.vpnType !== undefined ? normaliseVpnType(g.vpnType) : {}),
      sku: g.sku,
      publicIp: g.publicIp?.value,
      publicIpText: g.publicIp?.text,
      bgp: g.bgp,
      p2s: g.p2s,
      defaultSite: g.defaultSite,
    }),
);

const aclTextSchema = str({ nonEmpty: true, plain: true, tabs: true, expected: 'an access-list line such as "permit ip 192.168.0.0/16 10.1.0.0/16"' });
const aclLineSchema: Schema<AclLine> = {
  kind: 'acl-line',
  expected: aclTextSchema.expected,
  secret: false,
  convert(node, at, ctx) {
    const v = aclTextSchema.convert(node, at, ctx);
    return v === INVALID ? INVALID : { path: at.path, text: v };
  },
  toJson() {
    return aclTextSchema.toJson();
  },
};

const deviceSchema: Schema<Device> = transform(
  object({
    noun: 'device',
    description: 'The on-premises VPN device of a site.',
    fields: {
      vpnType: required(vpnTypeSchema, 'What the device can do: PolicyBased or RouteBased (aliases Static, Dynamic).', 'PolicyBased or RouteBased'),
      sharedKey: optional(str({ secret: true, expected: 'a string (the pre-shared key)' }), "The device's pre-shared key; when absent, the connection's sharedKey. Never printed."),
      accessList: optional(array(aclLineSchema), 'Access list, ordered, first match wins ("permit ip SRC DST"); when absent it mirrors the Azure side.'),
      routes: optional(array(prefix()), "vgwsim extension: route-based devices: prefixes sent into the tunnel; when absent, the Azure side's address space."),
      ike: optional(deviceIkeSchema, "vgwsim extension: the device's own IKE settings (version, proposals, DH and PFS groups, lifetimes, DPD, identity, initiate, selectors); when absent, or for each key left out, the mirror of the Azure side."),
      nat: optional(deviceNatSchema, "vgwsim extension: the device is behind a NAT: its own address is privateIp, the site's gatewayIp the NAT's public one; when absent, the device has the gatewayIp itself."),
    },
  }),
  (d): Device =>
    compact({
      path: d.path,
      ...normaliseVpnType(d.vpnType),
      sharedKey: d.sharedKey,
      accessList: d.accessList,
      routes: d.routes,
      ike: d.ike,
      nat: d.nat,
    }),
);

const siteSchema: Schema<Site> = transform(
  object({
    noun: 'site',
    nameKey: 'name',
    description: 'A local network gateway: an on-premises site.',
    fields: {
      name: required(name(), 'Site name, unique among sites.', 'the site name'),
      gatewayIp: required(ipv4(), "The public IPv4 address of the site's VPN device.", 'the public address of the on-premises device'),
      addressPrefixes: required(array(prefix(), { minItems: 1 }), 'The on-premises address prefixes.', 'a list of prefixes, e.g. [192.168.0.0/16]'),
      device: optional(deviceSchema, 'The on-premises VPN device.'),
      hosts: withDefault(array(hostSchema), [], [], 'On-premises hosts. Default: none.'),
    },
    refine: (s) =>
      s.device?.nat && s.device.nat.privateIp === s.gatewayIp.value
        ? [{
          message: `{owner}: device.nat.privateIp ${s.device.nat.privateIpText} is the site's gatewayIp; behind a NAT the device's own address differs from the NAT's public one (gatewayIp): write the device's address behind the NAT, or remove nat if the device has the public address itself`,
          key: 'device.nat.privateIp',
        }]
        : [],
  }),
  (s): Site =>
    compact({
      path: s.path,
      name: s.name,
      gatewayIp: s.gatewayIp.value,
      gatewayIpText: s.gatewayIp.text,
      addressPrefixes: s.addressPrefixes,
      device: s.device,
      hosts: s.hosts,
    }),
);

const CONNECTION_PEER: Readonly<Record<ConnectionType, 'site' | 'peerGateway' | 'circuit'>> = {
  IPsec: 'site',
  Vnet2Vnet: 'peerGateway',
  ExpressRoute: 'circuit',
};

const connectionSchema: Schema<Connection> = object({
  noun: 'connection',
  nameKey: 'name',
  description: 'A connection of a gateway: IPsec (Site-to-Site, to a site), Vnet2Vnet (to another gateway) or ExpressRoute (to a circuit).',
  fields: {
    name: required(name(), 'Connection name, unique among connections.', 'the connection name'),
    type: required(oneOf<ConnectionType>(['IPsec', 'Vnet2Vnet', 'ExpressRoute']), 'Connection type: IPsec (Site-to-Site), Vnet2Vnet or ExpressRoute.', 'IPsec, Vnet2Vnet or ExpressRoute'),
    gateway: required(name(NAME), 'The Azure gateway of this connection.', 'the gateway name'),
    site: optional(name(NAME), 'IPsec: the site (local network gateway) at the other end.'),
    peerGateway: optional(name(NAME), 'Vnet2Vnet: the gateway at the other end.'),
    circuit: optional(name(NAME), 'ExpressRoute: the circuit.'),
    sharedKey: optional(str({ secret: true, expected: 'a string (the pre-shared key)' }), 'Pre-shared key used by both ends; a mismatch keeps the tunnel down. Never printed.'),
    mtu: optional(integer(576, 9000), 'vgwsim extension: path MTU of the Internet path between the tunnel ends, bytes (576-9000). Default: 1500.'),
    transform: optional(oneOf(TRANSFORMS.map((t) => t.name)), 'vgwsim extension: the ESP transform of the connection\'s SAs, a strongSwan proposal (aes256-sha1, aes128-sha1, 3des-sha1, 3des-md5, null-sha1, null-md5, aes128gcm16, aes256gcm16). It must be one the gateway offers. Default: aes256-sha1, Azure\'s first offer.'),
    replayWindow: optional(integer(32, 65536), 'vgwsim extension: inbound anti-replay window size in packets (RFC 4303 3.4.3), rounded up to a multiple of 32. Default: 64.'),
  },
  refine: (c) => {
    const issues: Issue[] = [];
    const need = CONNECTION_PEER[c.type];
    if (c[need] === undefined) {
      issues.push({ message: `missing required key "${need}" in {owner}; a ${c.type} connection needs "${need}: NAME"` });
    }
    for (const k of ['site', 'peerGateway', 'circuit'] as const) {
      if (k !== need && c[k] !== undefined) {
        issues.push({ message: `"${k}" does not apply to a ${c.type} connection ({owner}); remove it (a ${c.type} connection uses ${need})`, key: k });
      }
    }
    return issues;
  },
});

const PROTOS = ['icmp', 'tcp', 'udp'] as const;

/** Seconds between a flow's packets: 1/rate when it gives a rate, else its interval, else 1 s. */
function flowInterval(f: { readonly rate?: number | undefined; readonly interval?: number | undefined }): number {
  return f.rate !== undefined ? 1 / f.rate : (f.interval ?? 1);
}

const flowSchema: Schema<Flow> = transform(
  object({
    noun: 'flow',
    nameKey: 'id',
    description: 'A flow of packets from one host (or address) to another.',
    fields: {
      id: required(name(), 'Flow id, unique; expectations name it.', 'the flow id'),
      from: required(name('a host name or an IPv4 address'), 'Source: a host name or an IPv4 address literal.', 'a host name or address'),
      to: required(name('a host name or an IPv4 address'), 'Destination: a host name or an IPv4 address literal.', 'a host name or address'),
      proto: required(oneOf<Proto>(PROTOS), 'Protocol: icmp, tcp or udp.', 'icmp, tcp or udp'),
      sport: optional(integer(1, 65535), 'vgwsim extension: source port (tcp/udp). Default: derived from the seed.'),
      dport: optional(integer(1, 65535), 'vgwsim extension: destination port (tcp/udp).'),
      size: optional(integer(28, 65535), 'vgwsim extension: total IPv4 length of each packet in bytes (28-65535; at least 40 for tcp). Default: 84 for icmp, 64 for udp and tcp.'),
      count: withDefault(integer(1, 1_000_000), 1, 1, 'Number of packets (1-1000000). Default: 1.'),
      start: withDefault(duration(), 0, 0, 'vgwsim extension: virtual time of the first packet (duration). Default: 0.'),
      interval: optional(duration(), 'vgwsim extension: time between packets (duration). Default: 1s. Alternative: rate.', '1s'),
      rate: optional(rate('packets'), 'vgwsim extension: packets per second, e.g. "1000pps"; the alternative to interval (interval = 1/rate).'),
      ttl: withDefault(integer(1, 255), 64, 64, 'vgwsim extension: IPv4 TTL of each packet (1-255). Default: 64.'),
      df: withDefault(bool(), false, false, "vgwsim extension: the IPv4 Don't Fragment bit. Default: false."),
    },
    refine: (f) => {
      const issues: Issue[] = [];
      if (f.interval !== undefined && f.rate !== undefined) {
        issues.push({ message: '{owner} gives both "interval" and "rate"; keep one of them (interval = 1/rate)', key: 'rate' });
      }
      if (f.proto === 'icmp') {
        for (const k of ['sport', 'dport'] as const) {
          if (f[k] !== undefined) issues.push({ message: `"${k}" does not apply to an icmp flow ({owner}); remove it or use proto: tcp or udp`, key: k });
        }
      }
      // Every packet of the flow is sent, so the last one must fall inside the simulated time.
      const interval = flowInterval(f);
      const last = f.start + (f.count - 1) * interval;
      if (!(last <= MAX_SECONDS)) {
        const n = (x: number): string => String(Number(x.toPrecision(12)));
        issues.push({
          message: `{owner} would send its last packet at t=${n(last)}s (start ${n(f.start)}s + ${f.count - 1} × ${f.rate !== undefined ? `1/rate = ${n(interval)}s` : `interval ${n(interval)}s`}), later than 10^9 s (about 31.7 years), the longest time vgwsim simulates; lower count, shorten the interval or start earlier`,
        });
      }
      return issues;
    },
  }),
  (f): Flow =>
    compact({
      path: f.path,
      id: f.id,
      from: f.from,
      to: f.to,
      proto: f.proto,
      sport: f.sport,
      dport: f.dport,
      size: f.size ?? (f.proto === 'icmp' ? 84 : 64),
      count: f.count,
      start: f.start,
      interval: flowInterval(f),
      ttl: f.ttl,
      df: f.df,
    }),
);

const circuitSchema: Schema<Circuit> = object({
  noun: 'circuit',
  nameKey: 'name',
  description: 'An ExpressRoute circuit to an on-premises site.',
  fields: {
    name: required(name(), 'Circuit name, unique among circuits.', 'the circuit name'),
    bandwidth: required(rate('bits'), 'Circuit bandwidth, e.g. "1Gbps", "50Mbps".', 'a bit rate, e.g. 1Gbps'),
    onPremisesPrefixes: required(array(prefix(), { minItems: 1 }), 'On-premises prefixes advertised over the circuit.', 'a list of prefixes'),
    site: required(name(NAME), 'The on-premises site at the other end of the circuit.', 'the site name'),
  },
});

const faultSchema: Schema<Fault> = object({
  noun: 'fault',
  description: 'A fault on the timeline: a connection or circuit goes down (or comes back up).',
  fields: {
    at: required(duration(), 'Virtual time of the fault (duration).', 'a time, e.g. 30s'),
    connection: optional(name(NAME), 'The connection that fails (or recovers). Give connection or circuit.'),
    circuit: optional(name(NAME), 'vgwsim extension: the ExpressRoute circuit that fails (or recovers). Give connection or circuit.'),
    down: withDefault(bool(), true, true, 'true: goes down at `at`; false: comes back up. Default: true.'),
  },
  refine: (f) => {
    if (f.connection === undefined && f.circuit === undefined) {
      return [{ message: 'missing required key "connection" in {owner}; a fault names the connection (or circuit) it affects' }];
    }
    if (f.connection !== undefined && f.circuit !== undefined) {
      return [{ message: '{owner} names both a connection and a circuit; give one of them (write two faults for both)', key: 'circuit' }];
    }
    return [];
  },
});

const injectSchema: Schema<Injection> = object({
  noun: 'injection',
  nameKey: 'connection',
  description: 'vgwsim extension: tamper with one ESP packet of a connection on the Internet path: duplicate it, reorder it with the next, corrupt a byte, or replay it later.',
  fields: {
    connection: required(name(NAME), 'The connection whose ESP packets are tampered with.', 'the connection name'),
    at: withDefault(duration(), 0, 0, 'Virtual time from which packets are counted (duration). Default: 0.'),
    action: required(oneOf<InjectAction>(INJECT_ACTIONS), 'duplicate (the copy is dropped replay), reorder (swapped with the next packet of the SA; both delivered), corrupt (a flipped byte: icv-mismatch), replay (sent again after the next packet: replay).', 'duplicate, reorder, corrupt or replay'),
    direction: optional(oneOf<'out' | 'in'>(['out', 'in']), "out: packets from the connection's gateway; in: packets towards it. Default: either."),
    packet: withDefault(integer(1, 1_000_000), 1, 1, 'Which ESP packet at or after `at` (1-based). Default: 1.'),
    byte: optional(integer(0, 65534), 'corrupt: offset in the outer IPv4 packet of the byte to flip. Default: the first ciphertext byte.'),
  },
  refine: (x) => (x.byte !== undefined && x.action !== 'corrupt' ? [{ message: '"byte" applies only to action corrupt ({owner}); remove it', key: 'byte' }] : []),
});

const copiesSchema: Schema<CopiesExpectation> = object({
  noun: 'copies expectation',
  description: 'What happened to the injected copies (duplicate, replay) of a flow\'s ESP packets.',
  fields: {
    delivered: optional(count(), 'Copies the receiver accepted (a count or "all").'),
    dropped: optional(count(), 'Copies the receiver dropped (a count or "all").'),
    reason: optional(oneOf<DropReason>(DROP_REASON_NAMES), 'The drop reason of every dropped copy (implies dropped: all when dropped is absent).'),
  },
  refine: (c) =>
    c.delivered === undefined && c.dropped === undefined && c.reason === undefined
      ? [{ message: '{owner} checks nothing; add delivered, dropped or reason' }]
      : [],
});

const expectationSchema: Schema<Expectation> = object({
  noun: 'expectation',
  nameKey: 'flow',
  description: 'An expectation about a flow; `vgw run` exits 1 when one fails.',
  fields: {
    flow: required(name(NAME), 'The flow id this expectation is about.', 'the flow id'),
    delivered: optional(count(), 'Packets delivered to the destination host: a count or "all".'),
    dropped: optional(count(), 'Packets dropped: a count or "all".'),
    internet: optional(count(), 'Packets that left through an Internet next hop, in clear text: a count or "all".'),
    via: optional(name(NAME), 'A connection the packets crossed.'),
    reason: optional(oneOf<DropReason>(DROP_REASON_NAMES), 'The drop reason of the dropped packets.'),
    hint: optional(str({ nonEmpty: true }), 'vgwsim extension: a hint shown when this expectation fails (labs use it to guide learners toward the goal).'),
    copies: optional(copiesSchema, 'vgwsim extension: the fate of the copies that `inject:` duplicate/replay entries made of this flow\'s ESP packets (the copies are extra packets, not counted in sent/delivered/dropped).'),
  },
  refine: (e) =>
    e.delivered === undefined && e.dropped === undefined && e.internet === undefined && e.via === undefined && e.reason === undefined && e.copies === undefined
      ? [{ message: '{owner} checks nothing; add delivered, dropped, internet, via, reason or copies' }]
      : [],
});

const EDITIONS = ['azure-2016-02', 'azure-2016-late', 'azure-2018-10'] as const;

/** Scenario without the fields the loader adds (file, positions). */
export type ScenarioBody = Omit<Scenario, 'file' | 'positions'>;

const rootObject = object({
  noun: 'scenario',
  description:
    'A vgwsim scenario: a topology (VNets, gateways, on-premises sites, connections, ExpressRoute circuits), the traffic to send, optional faults and expectations. See SCENARIO-FORMAT.md.',
  fields: {
    $schema: optional(str(), 'vgwsim extension: the JSON Schema for editors, e.g. "./scenario.schema.json" (ignored by the simulator).'),
    // The scenario's title is text like its description, not a name other keys refer to: the CLI escapes it when it prints it.
    name: required(str({ nonEmpty: true, expected: 'a non-empty string (a name)' }), 'Scenario name, shown in reports.', 'a scenario name'),
    description: optional(str(), 'What the scenario shows.'),
    seed: withDefault(integer(0, 4294967295), 1, 1, 'Seed of every random choice (SPIs, keys, IVs, loss). Default: 1.'),
    edition: withDefault(
      oneOf<RulesEdition>(EDITIONS),
      DEFAULT_EDITION,
      DEFAULT_EDITION,
      'vgwsim extension: which edition of the Azure rules applies: azure-2016-02, azure-2016-late (BGP on Standard) or azure-2018-10 (BGP on Standard, AES-GCM offers, custom IPsec/IKE policies). Default: azure-2016-02.',
    ),
    vnets: withDefault(array(vnetSchema), [], [], 'Azure virtual networks. Default: none.'),
    gateways: withDefault(array(gatewaySchema), [], [], 'Virtual network gateways. Default: none.'),
    sites: withDefault(array(siteSchema), [], [], 'Local network gateways (on-premises sites). Default: none.'),
    connections: withDefault(array(connectionSchema), [], [], 'Connections (IPsec, Vnet2Vnet, ExpressRoute). Default: none.'),
    traffic: withDefault(array(flowSchema), [], [], 'Flows of packets to send. Default: none.'),
    circuits: withDefault(array(circuitSchema), [], [], 'ExpressRoute circuits. Default: none.'),
    faults: withDefault(array(faultSchema), [], [], 'Faults on the timeline. Default: none.'),
    inject: withDefault(array(injectSchema), [], [], 'vgwsim extension: ESP packets to duplicate, reorder, corrupt or replay. Default: none.'),
    expect: withDefault(array(expectationSchema), [], [], 'Expectations; `vgw run` exits 1 when one fails. Default: none.'),
    expectDiagnostics: withDefault(
      array(oneOf([...DIAGNOSTIC_CODES])),
      [],
      [],
      'vgwsim extension: a scenario meant to be rejected lists the diagnostic codes it expects. Default: none.',
    ),
  },
});

/** The schema of a whole scenario document. */
export const scenarioSchema: Schema<ScenarioBody> = transform(rootObject, (r): ScenarioBody =>
  compact({
    name: r.name,
    description: r.description,
    seed: r.seed,
    edition: r.edition,
    vnets: r.vnets,
    gateways: r.gateways,
    sites: r.sites,
    connections: r.connections,
    traffic: r.traffic,
    circuits: r.circuits,
    faults: r.faults,
    inject: r.inject,
    expect: r.expect,
    expectDiagnostics: r.expectDiagnostics,
  }),
);

/** The keys of the top-level mapping, in schema order (for tools and tests). */
export const SCENARIO_KEYS: readonly string[] = Object.keys(rootObject.def.fields);

/** JSON Schema (draft 2020-12) of a scenario file, generated from the DSL above. */
export function scenarioJsonSchema(): object {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'vgwsim scenario',
    ...rootObject.toJson(),
  };
}
