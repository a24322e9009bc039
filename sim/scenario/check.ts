/**
 * Semantic checks of a scenario, after schema validation: cross-references, duplicate
 * names, address-space rules, gateway requirements (looked up in the capability table,
 * sim/gateway/capabilities.ts, never hard-coded here), on-premises device consistency and
 * access lists. Every check runs and every problem is collected; nothing throws, nothing
 * prints. Each diagnostic points at the most specific offending value (its document path
 * and line:column) and says what is wrong and how to fix it, naming the objects involved.
 * Shared keys never appear in a message (they are written `***`).
 *
 * Severities come from DIAGNOSTIC_INFO (sim/scenario/diagnostics.ts). As used here:
 *   errors (the scenario is invalid):
 *     SCHEMA (connection type/field consistency, Vpn gateway without vpnType, vpnType on an
 *       ExpressRoute gateway, two Vpn or two ExpressRoute gateways in one VNet, expectation
 *       counts above the flow's count, a flow size below its protocol's headers,
 *       access-list syntax), UNKNOWN_REFERENCE,
 *     DUPLICATE_NAME, INVALID_PREFIX (subnet outside its VNet, host outside its subnets or
 *       site prefixes), ADDRESS_OVERLAP, GATEWAY_SUBNET_MISSING, GATEWAY_SUBNET_TOO_SMALL,
 *     P2S_REQUIRES_ROUTE_BASED, VNET2VNET_REQUIRES_ROUTE_BASED, S2S_LIMIT_EXCEEDED,
 *     P2S_LIMIT_EXCEEDED, BGP_NOT_SUPPORTED, COEXIST_NOT_SUPPORTED, SKU_NOT_AVAILABLE,
 *     FORCED_TUNNEL_REQUIRES_ROUTE_BASED, EXPECTED_DIAGNOSTICS (checkExpectedDiagnostics);
 *   warnings (the scenario runs, but something will not work as the author may think):
 *     SITE_PREFIX_OVERLAP, DEVICE_VPN_TYPE_MISMATCH, SELECTOR_MISMATCH, SHARED_KEY_MISMATCH,
 *     ACL_SHADOWED.
 *   Address rules (check-addresses.ts) and pre-shared keys (check-keys.ts) are checked in
 *   their own modules; their errors join these.
 *
 * Choices worth knowing: a gateway whose (VPN type, SKU) does not exist gets
 * SKU_NOT_AVAILABLE and no SKU-dependent checks (limits, BGP, coexistence), only the
 * type-dependent ones, so one mistake is not reported three times. GATEWAY_SUBNET_TOO_SMALL
 * applies to any subnet named GatewaySubnet, with or without a gateway. SHARED_KEY_MISMATCH
 * compares keys only when both ends give one. Overlaps between two connected networks are
 * reported once per pair, at the later network's prefix; the S2S limit counts IPsec and
 * Vnet2Vnet connections whose `gateway` is the gateway.
 */
import { capabilityRow, availableSkus, CAPABILITY_TABLES, EDITIONS, ipsecParameters, espTransformOffers } from '../gateway/capabilities.js';
import type { Capabilities, CapabilityRow } from '../gateway/capabilities.js';
import { findShadowed, parseAclLine } from '../net/acl.js';
import type { AclEntry } from '../net/acl.js';
import { covers, formatPrefix, lastAddress, overlaps, parseIPv4 } from '../net/ipv4.js';
import { checkAddressRules, SUBNET_MAX_LEN, subnetIndexes } from './check-addresses.js';
import { checkSharedKeys } from './check-keys.js';
import { DIAGNOSTIC_CODES, Report } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { suggest } from './suggest.js';
import { devicePairPlan, policySelectorPairs } from '../gateway/selectors.js';
import type { PrefixPair } from '../gateway/selectors.js';
import { PrefixIndex } from '../net/prefix-index.js';
import { andList, LIST_MAX, listText, ownerText, q } from './message-text.js';
import { GATEWAY_SUBNET, hostNames, hostRefs, MIN_FLOW_SIZE, p2sConnectionName, positionOf } from './types.js';
import type { Connection, Gateway, HostRef, Prefix, Scenario, Site, Vnet, VpnType } from './types.js';

/** The smallest GatewaySubnet Azure accepts (a longer prefix length is too small): the smallest subnet. */
const GATEWAY_SUBNET_MAX_LEN = SUBNET_MAX_LEN;
/** The size we suggest for a missing GatewaySubnet. */
const GATEWAY_SUBNET_SUGGESTED_LEN = 27;

/** Name → first object of that name (duplicates are reported separately). */
function byName<T>(items: readonly T[], key: (t: T) => string): Map<string, { item: T; index: number }> {
  const m = new Map<string, { item: T; index: number }>();
  items.forEach((item, index) => {
    const k = key(item);
    if (!m.has(k)) m.set(k, { item, index });
  });
  return m;
}

function vpnTypeText(vt: VpnType | undefined): string {
  return vt === 'PolicyBased' ? 'policy-based' : vt === 'RouteBased' ? 'route-based' : 'VPN-type-less';
}

function describeGateway(g: Gateway): string {
  if (g.type === 'ExpressRoute') return `ExpressRoute gateway ${q(g.name)} (${g.sku})`;
  const alias = g.vpnTypeAlias ? ` ("${g.vpnTypeAlias}")` : '';
  return `gateway ${q(g.name)} (${vpnTypeText(g.vpnType)}${alias} ${g.sku})`;
}

/** "x is not defined; did you mean y?" with the defined names as a fallback hint. */
function unknownMessage(what: string, name: string, plural: string, candidates: readonly string[], fix: string): string {
  const hint = suggest(name, candidates);
  if (hint !== undefined) return `${what} ${q(name)} is not defined; did you mean ${q(hint)}? Otherwise ${fix}`;
  if (candidates.length === 0) return `${what} ${q(name)} is not defined and no ${plural} are; ${fix}`;
  const shown = candidates.slice(0, 8).map(q).join(', ') + (candidates.length > 8 ? ', ...' : '');
  return `${what} ${q(name)} is not defined (defined ${plural}: ${shown}); ${fix}`;
}

function isAddressLiteral(text: string): boolean {
  return parseIPv4(text).ok;
}

function prefixesText(ps: readonly Prefix[], total = ps.length): string {
  return listText(ps.slice(0, LIST_MAX).map((p) => p.text), total);
}

/** The prefixes of `list` (indexed by `index`) that overlap `p` (the first LIST_MAX, in list order), as message text. */
function overlapText(list: readonly Prefix[], index: PrefixIndex, p: Prefix): string {
  return prefixesText(index.list(p, LIST_MAX).map((i) => list[i] as Prefix), index.count(p));
}

/** Everything the checks look up, built once. */
interface Index {
  readonly vnets: Map<string, { item: Vnet; index: number }>;
  readonly gateways: Map<string, { item: Gateway; index: number }>;
  readonly sites: Map<string, { item: Site; index: number }>;
  readonly connections: Map<string, { item: Connection; index: number }>;
  readonly circuits: Map<string, { item: Scenario['circuits'][number]; index: number }>;
  readonly flows: Map<string, { item: Scenario['traffic'][number]; index: number }>;
  readonly hostNames: readonly string[];
  /** The IPsec connections of each gateway, by gateway name, in file order. */
  readonly ipsecOf: Map<string, Connection[]>;
  /** The gateways of each VNet, by VNet name, in file order. */
  readonly gatewaysOf: Map<string, Gateway[]>;
  /** Per VNet: its address space, indexed. */
  readonly spaceIndex: Map<Vnet, PrefixIndex>;
  /** Per VNet: its subnets' prefixes, in subnet order, indexed. */
  readonly subnetIndex: Map<Vnet, PrefixIndex>;
  /** Per site: its addressPrefixes, indexed. */
  readonly siteIndex: Map<Site, PrefixIndex>;
}

function buildIndex(s: Scenario): Index {
  return {
    vnets: byName(s.vnets, (v) => v.name),
    gateways: byName(s.gateways, (g) => g.name),
    sites: byName(s.sites, (x) => x.name),
    connections: byName(s.connections, (c) => c.name),
    circuits: byName(s.circuits, (c) => c.name),
    flows: byName(s.traffic, (f) => f.id),
    hostNames: hostNames(s),
    ipsecOf: groupBy(s.connections.filter((c) => c.type === 'IPsec'), (c) => c.gateway),
    gatewaysOf: groupBy(s.gateways, (g) => g.vnet),
    spaceIndex: new Map(s.vnets.map((v) => [v, new PrefixIndex(v.addressSpace)])),
    subnetIndex: subnetIndexes(s),
    siteIndex: new Map(s.sites.map((x) => [x, new PrefixIndex(x.addressPrefixes)])),
  };
}

// ---------------------------------------------------------------------------------------
// Duplicate names
// ---------------------------------------------------------------------------------------

function duplicates<T>(
  r: Report,
  items: readonly T[],
  key: (t: T) => string,
  pathOf: (t: T) => string,
  kind: string,
  scope = '',
  keyName = 'name',
): void {
  const first = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const prev = first.get(k);
    if (prev === undefined) {
      first.set(k, item);
      continue;
    }
    const prevPos = positionOf(r.s, pathOf(prev));
    r.add(
      'DUPLICATE_NAME',
      `${pathOf(item)}.${keyName}`,
      `${kind} ${q(k)}${scope} is defined twice (first at ${pathOf(prev)}, line ${prevPos.line}); ${kind} ${keyName}s must be unique${scope}: rename one of them and the references to it`,
    );
  }
}

function checkDuplicates(r: Report): void {
  const s = r.s;
  const path = (x: { path: string }): string => x.path;
  duplicates(r, s.vnets, (v) => v.name, path, 'VNet');
  duplicates(r, s.gateways, (g) => g.name, path, 'gateway');
  duplicates(r, s.sites, (x) => x.name, path, 'site');
  duplicates(r, s.connections, (c) => c.name, path, 'connection');
  duplicates(r, s.circuits, (c) => c.name, path, 'circuit');
  duplicates(r, s.traffic, (f) => f.id, path, 'flow', '', 'id');
  for (const v of s.vnets) duplicates(r, v.subnets, (x) => x.name, path, 'subnet', ` in VNet ${q(v.name)}`);

  // Host names are global: flows name hosts without saying where they live.
  const firstHost = new Map<string, HostRef>();
  for (const h of hostRefs(s)) {
    const prev = firstHost.get(h.name);
    if (!prev) {
      firstHost.set(h.name, h);
      continue;
    }
    r.add(
      'DUPLICATE_NAME',
      `${h.path}.name`,
      `host ${q(h.name)} in ${ownerText(h)} has the same name as a host in ${ownerText(prev)} (${prev.path}); host names are unique across the scenario (flows name them): rename one`,
    );
  }

  // Two hosts with one address in one network: delivery would be ambiguous.
  const sameIp = (owner: string, list: readonly { name: string; ip: number; ipText: string; path: string }[]): void => {
    const seen = new Map<number, { name: string; path: string }>();
    for (const h of list) {
      const prev = seen.get(h.ip);
      if (!prev) {
        seen.set(h.ip, h);
        continue;
      }
      r.add(
        'DUPLICATE_NAME',
        `${h.path}.ip`,
        `hosts ${q(prev.name)} and ${q(h.name)} of ${owner} both have address ${h.ipText}; give ${q(h.name)} a free address`,
      );
    }
  };
  for (const v of s.vnets) sameIp(`VNet ${q(v.name)}`, v.hosts);
  for (const st of s.sites) sameIp(`site ${q(st.name)}`, st.hosts);
}

// ---------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------

function checkReferences(r: Report, ix: Index): void {
  const s = r.s;
  const vnetNames = [...ix.vnets.keys()];
  const gwNames = [...ix.gateways.keys()];
  const siteNames = [...ix.sites.keys()];
  const connNames = [...ix.connections.keys()];
  const circuitNames = [...ix.circuits.keys()];
  const flowIds = [...ix.flows.keys()];

  s.gateways.forEach((g) => {
    if (!ix.vnets.has(g.vnet)) {
      r.add('UNKNOWN_REFERENCE', `${g.path}.vnet`, unknownMessage(`gateway ${q(g.name)}: VNet`, g.vnet, 'VNets', vnetNames, 'name a VNet listed under vnets.'));
    }
    if (g.defaultSite !== undefined) {
      const connectedSites = (ix.ipsecOf.get(g.name) ?? []).filter((c) => c.site !== undefined).map((c) => c.site as string);
      if (!ix.sites.has(g.defaultSite)) {
        r.add(
          'UNKNOWN_REFERENCE',
          `${g.path}.defaultSite`,
          unknownMessage(`gateway ${q(g.name)}: defaultSite`, g.defaultSite, 'sites', siteNames, 'the default site must be a site connected to this gateway by an IPsec connection.'),
        );
      } else if (!connectedSites.includes(g.defaultSite)) {
        r.add(
          'UNKNOWN_REFERENCE',
          `${g.path}.defaultSite`,
          `gateway ${q(g.name)}: defaultSite ${q(g.defaultSite)} is not connected to this gateway, so 0.0.0.0/0 has no tunnel to go to; add an IPsec connection from ${q(g.name)} to ${q(g.defaultSite)}` +
            (connectedSites.length > 0 ? ` or pick one of its connected sites: ${[...new Set(connectedSites)].map(q).join(', ')}` : ''),
        );
      }
    }
  });

  s.connections.forEach((c) => {
    const who = `connection ${q(c.name)}:`;
    if (!ix.gateways.has(c.gateway)) {
      r.add('UNKNOWN_REFERENCE', `${c.path}.gateway`, unknownMessage(`${who} gateway`, c.gateway, 'gateways', gwNames, 'name a gateway listed under gateways.'));
    }
    if (c.site !== undefined && !ix.sites.has(c.site)) {
      r.add('UNKNOWN_REFERENCE', `${c.path}.site`, unknownMessage(`${who} site`, c.site, 'sites', siteNames, 'name a site listed under sites.'));
    }
    if (c.peerGateway !== undefined && !ix.gateways.has(c.peerGateway)) {
      r.add(
        'UNKNOWN_REFERENCE',
        `${c.path}.peerGateway`,
        unknownMessage(`${who} peerGateway`, c.peerGateway, 'gateways', gwNames, 'name the other VNet\'s gateway, listed under gateways.'),
      );
    }
    if (c.circuit !== undefined && !ix.circuits.has(c.circuit)) {
      r.add('UNKNOWN_REFERENCE', `${c.path}.circuit`, unknownMessage(`${who} circuit`, c.circuit, 'circuits', circuitNames, 'name a circuit listed under circuits.'));
    }
  });

  s.circuits.forEach((c) => {
    if (!ix.sites.has(c.site)) {
      r.add('UNKNOWN_REFERENCE', `${c.path}.site`, unknownMessage(`circuit ${q(c.name)}: site`, c.site, 'sites', siteNames, 'name the on-premises site listed under sites.'));
    }
  });

  s.faults.forEach((f, i) => {
    const who = `fault ${i + 1} (at ${f.at}s):`;
    if (f.connection !== undefined && !ix.connections.has(f.connection)) {
      r.add('UNKNOWN_REFERENCE', `${f.path}.connection`, unknownMessage(`${who} connection`, f.connection, 'connections', connNames, 'name a connection listed under connections.'));
    }
    if (f.circuit !== undefined && !ix.circuits.has(f.circuit)) {
      r.add('UNKNOWN_REFERENCE', `${f.path}.circuit`, unknownMessage(`${who} circuit`, f.circuit, 'circuits', circuitNames, 'name a circuit listed under circuits.'));
    }
  });

  (s.inject ?? []).forEach((inj, i) => {
    if (!ix.connections.has(inj.connection)) {
      r.add('UNKNOWN_REFERENCE', `${inj.path}.connection`, unknownMessage(`injection ${i + 1}: connection`, inj.connection, 'connections', connNames, 'name a connection listed under connections.'));
    }
  });

  // Point-to-site clients cross their gateway's P2S connection.
  const p2sNames = new Set(s.gateways.filter((g) => g.p2s).map((g) => p2sConnectionName(g.name)));
  const viaNames = [...connNames, ...p2sNames];
  s.expect.forEach((e, i) => {
    const who = `expectation ${i + 1}:`;
    if (!ix.flows.has(e.flow)) {
      r.add('UNKNOWN_REFERENCE', `${e.path}.flow`, unknownMessage(`${who} flow`, e.flow, 'flow ids', flowIds, 'name a flow id listed under traffic.'));
    }
    if (e.via !== undefined && !ix.connections.has(e.via) && !p2sNames.has(e.via)) {
      r.add('UNKNOWN_REFERENCE', `${e.path}.via`, unknownMessage(`${who} via connection`, e.via, 'connections', viaNames, 'via names a connection listed under connections, or <gateway>-p2s for point-to-site.'));
    }
  });

  const hostSet = new Set(ix.hostNames);
  const hostList = [...hostSet];
  s.traffic.forEach((f) => {
    for (const end of ['from', 'to'] as const) {
      const v = f[end];
      if (isAddressLiteral(v) || hostSet.has(v)) continue;
      r.add(
        'UNKNOWN_REFERENCE',
        `${f.path}.${end}`,
        unknownMessage(`flow ${q(f.id)}: ${end} host`, v, 'hosts', hostList, 'use a host name (VNet hosts, site hosts, point-to-site clients) or an IPv4 address such as 10.1.0.4.'),
      );
    }
  });
}

// ---------------------------------------------------------------------------------------
// Shapes the schema cannot express (SCHEMA)
// ---------------------------------------------------------------------------------------

function checkShapes(r: Report, ix: Index): void {
  const s = r.s;

  s.gateways.forEach((g) => {
    if (g.type === 'Vpn' && g.vpnType === undefined) {
      r.add('SCHEMA', `${g.path}.type`, `gateway ${q(g.name)} is of type Vpn but has no vpnType; add vpnType: RouteBased (or PolicyBased)`);
    }
    if (g.type === 'ExpressRoute' && g.vpnType !== undefined) {
      r.add('SCHEMA', `${g.path}.vpnType`, `ExpressRoute gateway ${q(g.name)} has a vpnType; only Vpn gateways have one: remove vpnType, or set type: Vpn`);
    }
  });

  // At most one gateway of each type per VNet.
  const seen = new Map<string, Gateway>();
  for (const g of s.gateways) {
    const key = `${g.vnet}\u0000${g.type}`;
    const prev = seen.get(key);
    if (!prev) {
      seen.set(key, g);
      continue;
    }
    r.add(
      'SCHEMA',
      `${g.path}.vnet`,
      `VNet ${q(g.vnet)} already has ${g.type === 'Vpn' ? 'a' : 'an'} ${g.type} gateway (${q(prev.name)}); a VNet has at most one Vpn and one ExpressRoute gateway: put ${q(g.name)} in another VNet or remove it`,
    );
  }

  s.connections.forEach((c) => {
    const who = `connection ${q(c.name)} (type ${c.type})`;
    const need = (key: 'site' | 'peerGateway' | 'circuit', what: string): void => {
      if (c[key] === undefined) r.add('SCHEMA', `${c.path}.type`, `${who} needs ${key}: add ${key}: <${what}>`);
    };
    const forbid = (key: 'site' | 'peerGateway' | 'circuit', hint: string): void => {
      if (c[key] !== undefined) r.add('SCHEMA', `${c.path}.${key}`, `${who} does not take ${key}; ${hint}`);
    };
    const gw = ix.gateways.get(c.gateway)?.item;
    if (c.type === 'IPsec') {
      need('site', 'a site name');
      forbid('peerGateway', 'remove it, or use type: Vnet2Vnet to connect two VNet gateways');
      forbid('circuit', 'remove it, or use type: ExpressRoute to connect a circuit');
    } else if (c.type === 'Vnet2Vnet') {
      need('peerGateway', "the other VNet's gateway");
      forbid('site', 'remove it, or use type: IPsec to connect an on-premises site');
      forbid('circuit', 'remove it, or use type: ExpressRoute to connect a circuit');
      if (c.peerGateway !== undefined && c.peerGateway === c.gateway) {
        r.add('SCHEMA', `${c.path}.peerGateway`, `${who} connects gateway ${q(c.gateway)} to itself; peerGateway must be the gateway of another VNet`);
      }
      const peer = c.peerGateway !== undefined ? ix.gateways.get(c.peerGateway)?.item : undefined;
      if (peer && peer.type !== 'Vpn') {
        r.add('SCHEMA', `${c.path}.peerGateway`, `${who}: peerGateway ${q(peer.name)} is an ExpressRoute gateway; VNet-to-VNet needs a Vpn gateway at both ends`);
      }
    } else {
      need('circuit', 'a circuit name');
      forbid('site', 'remove it; the circuit names its site');
      forbid('peerGateway', 'remove it, or use type: Vnet2Vnet to connect two VNet gateways');
      if (gw && gw.type !== 'ExpressRoute') {
        r.add(
          'SCHEMA',
          `${c.path}.gateway`,
          `${who} is on ${describeGateway(gw)}, a Vpn gateway; a circuit connects to an ExpressRoute-type gateway: add one (type: ExpressRoute) in VNet ${q(gw.vnet)} and name it here`,
        );
      }
    }
    if (c.type !== 'ExpressRoute' && gw && gw.type === 'ExpressRoute') {
      r.add(
        'SCHEMA',
        `${c.path}.gateway`,
        `${who} is a VPN connection on ExpressRoute gateway ${q(gw.name)}; IPsec and Vnet2Vnet connections need a Vpn gateway: name the VNet's Vpn gateway, or add one`,
      );
    }
  });

  // The schema allows 28 bytes for every protocol; TCP's header needs 40.
  s.traffic.forEach((f) => {
    const min = MIN_FLOW_SIZE[f.proto];
    if (f.size < min) {
      r.add('SCHEMA', `${f.path}.size`, `"size" in flow ${q(f.id)} is ${f.size} bytes, too small for a ${f.proto} packet (IPv4 20 + ${f.proto.toUpperCase()} ${min - 20} header bytes); make it at least ${min}`);
    }
  });

  s.expect.forEach((e, i) => {
    const flow = ix.flows.get(e.flow)?.item;
    if (!flow) return;
    for (const key of ['delivered', 'dropped', 'internet'] as const) {
      const n = e[key];
      if (typeof n === 'number' && n > flow.count) {
        r.add(
          'SCHEMA',
          `${e.path}.${key}`,
          `expectation ${i + 1}: ${key}: ${n} is more than flow ${q(flow.id)} sends (count: ${flow.count}); lower it to at most ${flow.count}, write all, or raise the flow's count`,
        );
      }
    }
  });
}

// ---------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------

function checkVnetAddresses(r: Report, ix: Index): void {
  for (const v of r.s.vnets) {
    // Address-space prefixes must be disjoint: each is compared with the first earlier one it overlaps.
    const space = ix.spaceIndex.get(v) as PrefixIndex;
    v.addressSpace.forEach((p, k) => {
      const j = space.first(p);
      if (j >= 0 && j < k) {
        const o = v.addressSpace[j] as Prefix;
        r.add(
          'ADDRESS_OVERLAP',
          `${v.path}.addressSpace[${k}]`,
          `VNet ${q(v.name)}: address space prefix ${p.text} overlaps ${o.text} of the same VNet; remove ${covers(o, p) ? p.text : 'one of them'} or make them disjoint`,
        );
      }
    });
    const subnets = ix.subnetIndex.get(v) as PrefixIndex;
    v.subnets.forEach((sn, k) => {
      if (!space.covered(sn.prefix)) {
        r.add(
          'INVALID_PREFIX',
          `${sn.path}.prefix`,
          `subnet ${q(sn.name)} of VNet ${q(v.name)} (${sn.prefix.text}) is not inside the VNet's address space (${prefixesText(v.addressSpace)}); pick a prefix inside it or extend addressSpace`,
        );
      }
      const j = subnets.first(sn.prefix);
      const o = j >= 0 && j < k ? v.subnets[j] : undefined;
      if (o) {
        r.add(
          'ADDRESS_OVERLAP',
          `${sn.path}.prefix`,
          `subnet ${q(sn.name)} (${sn.prefix.text}) overlaps subnet ${q(o.name)} (${o.prefix.text}) in VNet ${q(v.name)}; subnets of a VNet must be disjoint: choose another prefix`,
        );
      }
    });
    for (const h of v.hosts) {
      if (!subnets.covered({ addr: h.ip, len: 32 })) {
        r.add(
          'INVALID_PREFIX',
          `${h.path}.ip`,
          `host ${q(h.name)} of VNet ${q(v.name)} has address ${h.ipText}, which is in none of its subnets (${listText(v.subnets.slice(0, LIST_MAX).map((sn) => `${sn.name} ${sn.prefix.text}`), v.subnets.length) || 'none defined'}); give it an address inside a subnet`,
        );
      }
    }
  }
  for (const st of r.s.sites) {
    const prefixes = ix.siteIndex.get(st) as PrefixIndex;
    for (const h of st.hosts) {
      if (!prefixes.covered({ addr: h.ip, len: 32 })) {
        r.add(
          'INVALID_PREFIX',
          `${h.path}.ip`,
          `host ${q(h.name)} of site ${q(st.name)} has address ${h.ipText}, outside the site's addressPrefixes (${prefixesText(st.addressPrefixes)}); give it an address inside them or add a prefix`,
        );
      }
    }
  }
}

/** The VNet a gateway lives in, when both are defined. */
function vnetOf(ix: Index, g: Gateway | undefined): Vnet | undefined {
  return g ? ix.vnets.get(g.vnet)?.item : undefined;
}

function checkConnectedAddresses(r: Report, ix: Index): void {
  const s = r.s;
  const done = new Set<string>();

  for (const c of s.connections) {
    const gw = ix.gateways.get(c.gateway)?.item;
    const vnet = vnetOf(ix, gw);
    if (!gw || !vnet) continue;
    const space = ix.spaceIndex.get(vnet) as PrefixIndex;

    if (c.type === 'IPsec' && c.site !== undefined) {
      const site = ix.sites.get(c.site)?.item;
      if (!site || done.has(`s|${vnet.name}|${site.name}`)) continue;
      done.add(`s|${vnet.name}|${site.name}`);
      site.addressPrefixes.forEach((sp, k) => {
        if (space.first(sp) < 0) return;
        r.add(
          'ADDRESS_OVERLAP',
          `${site.path}.addressPrefixes[${k}]`,
          `site ${q(site.name)} prefix ${sp.text} overlaps VNet ${q(vnet.name)} (${overlapText(vnet.addressSpace, space, sp)}), which connection ${q(c.name)} links it to; on-premises and VNet address spaces must not overlap: renumber one side or drop the prefix`,
        );
      });
    }

    if (c.type === 'Vnet2Vnet' && c.peerGateway !== undefined) {
      const peerGw = ix.gateways.get(c.peerGateway)?.item;
      const peer = vnetOf(ix, peerGw);
      if (!peer || peer.name === vnet.name) continue;
      const key = `v|${[vnet.name, peer.name].sort().join('|')}`;
      if (done.has(key)) continue;
      done.add(key);
      peer.addressSpace.forEach((pp, k) => {
        if (space.first(pp) < 0) return;
        r.add(
          'ADDRESS_OVERLAP',
          `${peer.path}.addressSpace[${k}]`,
          `VNet ${q(peer.name)} prefix ${pp.text} overlaps VNet ${q(vnet.name)} (${overlapText(vnet.addressSpace, space, pp)}), and connection ${q(c.name)} links them VNet-to-VNet; connected VNets must not overlap: renumber one of them`,
        );
      });
    }

    if (c.type === 'ExpressRoute' && c.circuit !== undefined) {
      const circuit = ix.circuits.get(c.circuit)?.item;
      if (!circuit || done.has(`e|${vnet.name}|${circuit.name}`)) continue;
      done.add(`e|${vnet.name}|${circuit.name}`);
      circuit.onPremisesPrefixes.forEach((cp, k) => {
        if (space.first(cp) < 0) return;
        r.add(
          'ADDRESS_OVERLAP',
          `${circuit.path}.onPremisesPrefixes[${k}]`,
          `circuit ${q(circuit.name)} on-premises prefix ${cp.text} overlaps VNet ${q(vnet.name)} (${overlapText(vnet.addressSpace, space, cp)}), which connection ${q(c.name)} links it to; renumber one side or drop the prefix`,
        );
      });
    }
  }

  // Point-to-site pools: disjoint from the VNet and from every site connected to the gateway.
  for (const g of s.gateways) {
    if (!g.p2s) continue;
    const pool = g.p2s.addressPool;
    const path = `${g.p2s.path}.addressPool`;
    const vnet = vnetOf(ix, g);
    const space = vnet ? (ix.spaceIndex.get(vnet) as PrefixIndex) : undefined;
    if (vnet && space && space.first(pool) >= 0) {
      r.add(
        'ADDRESS_OVERLAP',
        path,
        `gateway ${q(g.name)}: point-to-site addressPool ${pool.text} overlaps its VNet ${q(vnet.name)} (${overlapText(vnet.addressSpace, space, pool)}); choose a pool outside the VNet, e.g. in 172.16.0.0/12`,
      );
    }
    const seenSites = new Set<string>();
    for (const c of ix.ipsecOf.get(g.name) ?? []) {
      if (c.site === undefined || seenSites.has(c.site)) continue;
      seenSites.add(c.site);
      const site = ix.sites.get(c.site)?.item;
      if (!site) continue;
      const prefixes = ix.siteIndex.get(site) as PrefixIndex;
      if (prefixes.first(pool) >= 0) {
        r.add(
          'ADDRESS_OVERLAP',
          path,
          `gateway ${q(g.name)}: point-to-site addressPool ${pool.text} overlaps site ${q(site.name)} (${overlapText(site.addressPrefixes, prefixes, pool)}), connected by ${q(c.name)}; choose a pool that no connected network uses`,
        );
      }
    }
  }

  // Two sites of one gateway sharing addresses: legal, but longest prefix match decides.
  for (const g of s.gateways) {
    const sites: Site[] = [];
    const listed = new Set<Site>();
    for (const c of ix.ipsecOf.get(g.name) ?? []) {
      const site = c.site === undefined ? undefined : ix.sites.get(c.site)?.item;
      if (site && !listed.has(site)) {
        listed.add(site);
        sites.push(site);
      }
    }
    // Every prefix of these sites in site order: the first site overlapping a prefix is the owner of the first overlapping entry.
    const owner: number[] = [];
    const all: Prefix[] = [];
    sites.forEach((x, xi) => {
      for (const p of x.addressPrefixes) {
        all.push(p);
        owner.push(xi);
      }
    });
    const combined = new PrefixIndex(all);
    sites.forEach((b, bi) => {
      b.addressPrefixes.forEach((bp, k) => {
        const first = combined.first(bp);
        const ai = first >= 0 ? (owner[first] as number) : -1;
        if (ai < 0 || ai >= bi) return;
        const a = sites[ai] as Site;
        r.add(
          'SITE_PREFIX_OVERLAP',
          `${b.path}.addressPrefixes[${k}]`,
          `site ${q(b.name)} prefix ${bp.text} overlaps site ${q(a.name)} (${overlapText(a.addressPrefixes, ix.siteIndex.get(a) as PrefixIndex, bp)}); both are connected to gateway ${q(g.name)}, so the longest prefix match decides which tunnel carries those addresses. Make the prefixes disjoint unless that is intended`,
        );
      });
    });
  }
}

/** The members of `items` grouped by `key`, in order (built once per list). */
function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = m.get(k);
    if (list) list.push(t);
    else m.set(k, [t]);
  }
  return m;
}

// ---------------------------------------------------------------------------------------
// GatewaySubnet
// ---------------------------------------------------------------------------------------

/** A free /27 inside the VNet's address space (highest first), for the fix hint. */
function suggestGatewaySubnet(v: Vnet, subnets: PrefixIndex): string | undefined {
  const len = GATEWAY_SUBNET_SUGGESTED_LEN;
  const size = 2 ** (32 - len);
  let tries = 0;
  for (const a of v.addressSpace) {
    if (a.len > len) continue;
    let addr = lastAddress(a.addr, a.len) - size + 1;
    for (; tries < 4096 && addr >= a.addr; tries++, addr -= size) {
      const cand: Prefix = { addr: addr >>> 0, len, text: formatPrefix(addr >>> 0, len) };
      if (subnets.first(cand) < 0) return cand.text;
    }
  }
  return undefined;
}

function checkGatewaySubnets(r: Report, ix: Index): void {
  for (const v of r.s.vnets) {
    const gws = ix.gatewaysOf.get(v.name) ?? [];
    const gs = v.subnets.filter((sn) => sn.name === GATEWAY_SUBNET);
    if (gws.length > 0 && gs.length === 0) {
      const near = v.subnets.find((sn) => sn.name.toLowerCase() === GATEWAY_SUBNET.toLowerCase());
      const free = suggestGatewaySubnet(v, ix.subnetIndex.get(v) as PrefixIndex);
      const add = `add a subnet { name: ${GATEWAY_SUBNET}, prefix: ${free ?? `<a /${GATEWAY_SUBNET_SUGGESTED_LEN} inside ${prefixesText(v.addressSpace)}>`} }`;
      r.add(
        'GATEWAY_SUBNET_MISSING',
        `${v.path}.subnets`,
        `VNet ${q(v.name)} has no subnet named ${GATEWAY_SUBNET}, which ${gws.map((g) => `gateway ${q(g.name)}`).join(' and ')} ${gws.length > 1 ? 'need' : 'needs'}; ` +
          (near ? `rename subnet ${q(near.name)} to ${GATEWAY_SUBNET} (the name is case-sensitive)` : add),
      );
    }
    for (const sn of gs) {
      if (sn.prefix.len > GATEWAY_SUBNET_MAX_LEN) {
        r.add(
          'GATEWAY_SUBNET_TOO_SMALL',
          `${sn.path}.prefix`,
          `${GATEWAY_SUBNET} of VNet ${q(v.name)} is ${sn.prefix.text}, smaller than /${GATEWAY_SUBNET_MAX_LEN}; make it /${GATEWAY_SUBNET_MAX_LEN} or larger (/${GATEWAY_SUBNET_SUGGESTED_LEN} is usual)`,
        );
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Gateway requirements (the capability table)
// ---------------------------------------------------------------------------------------

/** The row for a gateway, or undefined when its kind needs a vpnType it lacks. */
function rowOf(s: Scenario, g: Gateway): CapabilityRow | undefined {
  if (g.type === 'Vpn' && g.vpnType === undefined) return undefined;
  return capabilityRow(s.edition, g.type, g.vpnType, g.sku);
}

/**
 * Facts that depend only on the kind and VPN type (not the SKU): taken from the gateway's
 * row, or, when its SKU does not exist for that type, from any existing row of that type.
 */
function typeRowOf(s: Scenario, g: Gateway): Capabilities | undefined {
  const row = rowOf(s, g);
  if (!row) return undefined;
  if (row.exists) return row;
  const table = CAPABILITY_TABLES[s.edition] as readonly CapabilityRow[] | undefined;
  const alt = table?.find((x) => x.exists && x.kind === row.kind && x.vpnType === row.vpnType);
  return alt && alt.exists ? alt : undefined;
}

function checkGatewayRequirements(r: Report, ix: Index): void {
  const s = r.s;
  const tunnelsOf = groupBy(s.connections.filter((c) => c.type === 'IPsec' || c.type === 'Vnet2Vnet'), (c) => c.gateway);
  s.gateways.forEach((g) => {
    const row = rowOf(s, g);
    if (!row) return;
    const full = row.exists ? row : undefined;
    const typeRow = typeRowOf(s, g);
    const isEr = g.type === 'ExpressRoute';

    if (!row.exists) {
      const skus = availableSkus(s.edition, g.type, g.vpnType);
      r.add(
        'SKU_NOT_AVAILABLE',
        `${g.path}.sku`,
        `${describeGateway(g)} does not exist: ${row.note}; set sku: ${skus.join(' or ') || '?'}` +
          (g.vpnType === 'PolicyBased' ? ', or vpnType: RouteBased to keep the ' + g.sku + ' SKU' : ''),
      );
    }

    if (g.p2s && typeRow) {
      if (!typeRow.p2sSupported) {
        r.add(
          'P2S_REQUIRES_ROUTE_BASED',
          g.p2s.path,
          isEr
            ? `${describeGateway(g)} cannot serve point-to-site; move p2s to the VNet's Vpn gateway with vpnType: RouteBased`
            : `${describeGateway(g)} has p2s, but point-to-site works only on route-based gateways; set vpnType: RouteBased (its on-premises devices must then do route-based VPN) or remove p2s`,
        );
      } else {
        const n = g.p2s.clients.length;
        const pool = g.p2s.addressPool;
        // The pool's network address is never handed out.
        // Neither the network nor the broadcast address is handed out (a /31 or /32 has none to spare).
        const usable = pool.len >= 31 ? 0 : 2 ** (32 - pool.len) - 2;
        if (full && n > full.maxP2sClients) {
          r.add(
            'P2S_LIMIT_EXCEEDED',
            `${g.p2s.clients[full.maxP2sClients]?.path ?? g.p2s.path}`,
            `${describeGateway(g)} has ${n} point-to-site clients, more than the ${full.maxP2sClients} its SKU allows; remove ${n - full.maxP2sClients} client(s)`,
          );
        }
        if (n > usable && (!full || usable < full.maxP2sClients)) {
          r.add(
            'P2S_LIMIT_EXCEEDED',
            `${g.p2s.clients[usable]?.path ?? g.p2s.path}`,
            `${describeGateway(g)} has ${n} point-to-site clients but its addressPool ${pool.text} has only ${usable} usable address(es) (the network and broadcast addresses are not handed out); use a larger pool or fewer clients`,
          );
        }
      }
    }

    if (g.bgp && full && !full.bgpSupported) {
      const skus = availableSkus(s.edition, g.type, g.vpnType).filter((k) => (capabilityRow(s.edition, g.type, g.vpnType, k) as Capabilities).bgpSupported);
      const otherEditions = EDITIONS.filter((e) => e.edition !== s.edition)
        .filter((e) => {
          const x = capabilityRow(e.edition, g.type, g.vpnType, g.sku);
          return x !== undefined && x.exists && x.bgpSupported;
        })
        .map((e) => e.edition);
      let fix = 'remove bgp';
      if (skus.length > 0) fix += ` or set sku: ${skus.join(' or ')}`;
      if (otherEditions.length > 0) fix += `, or use rules edition ${otherEditions.join(' or ')}, where ${g.sku} supports BGP`;
      r.add(
        'BGP_NOT_SUPPORTED',
        g.bgp.path,
        isEr
          ? `${describeGateway(g)} has bgp; ExpressRoute gateways learn routes from the circuit, BGP over VPN is configured on a route-based Vpn gateway: remove bgp`
          : `${describeGateway(g)} cannot run BGP under rules edition ${s.edition}; ${fix}`,
      );
    }

    if (g.defaultSite !== undefined && typeRow && !typeRow.forcedTunnelingSupported) {
      r.add(
        'FORCED_TUNNEL_REQUIRES_ROUTE_BASED',
        `${g.path}.defaultSite`,
        isEr
          ? `${describeGateway(g)} has defaultSite; forced tunnelling is set on the VNet's route-based Vpn gateway: move defaultSite there`
          : `${describeGateway(g)} has defaultSite ${q(g.defaultSite)}, but forced tunnelling (0.0.0.0/0 into a site's tunnel) needs a route-based gateway; set vpnType: RouteBased or remove defaultSite`,
      );
    }

    if (full && g.type === 'Vpn') {
      const mine = tunnelsOf.get(g.name) ?? [];
      if (mine.length > full.maxS2sConnections) {
        const over = mine[full.maxS2sConnections] as Connection;
        r.add(
          'S2S_LIMIT_EXCEEDED',
          over.path,
          `${describeGateway(g)} has ${mine.length} Site-to-Site/VNet-to-VNet connections, more than the ${full.maxS2sConnections} it allows; connection ${q(over.name)} is the first over the limit. Remove connections` +
            (g.vpnType === 'PolicyBased' ? ', or use a route-based gateway (up to 10, or 30 on HighPerformance)' : ', or use a larger SKU'),
        );
      }
    }
  });

  // VNet-to-VNet needs both ends to support it.
  s.connections.forEach((c) => {
    if (c.type !== 'Vnet2Vnet') return;
    const ends: ['gateway' | 'peerGateway', string | undefined][] = [
      ['gateway', c.gateway],
      ['peerGateway', c.peerGateway],
    ];
    for (const [key, name] of ends) {
      const g = name !== undefined ? ix.gateways.get(name)?.item : undefined;
      if (!g || g.type !== 'Vpn') continue;
      const tr = typeRowOf(s, g);
      if (tr && !tr.vnet2vnetSupported) {
        r.add(
          'VNET2VNET_REQUIRES_ROUTE_BASED',
          `${c.path}.${key}`,
          `connection ${q(c.name)} is VNet-to-VNet, but its ${key === 'gateway' ? '' : 'peer '}${describeGateway(g)} is policy-based; VNet-to-VNet works only between route-based gateways: set vpnType: RouteBased on ${q(g.name)}`,
        );
      }
    }
  });

  // ExpressRoute + VPN coexistence in one VNet.
  for (const v of s.vnets) {
    const er = (ix.gatewaysOf.get(v.name) ?? []).filter((g) => g.type === 'ExpressRoute');
    const vpn = (ix.gatewaysOf.get(v.name) ?? []).filter((g) => g.type === 'Vpn');
    if (er.length === 0 || vpn.length === 0) continue;
    for (const g of vpn) {
      const row = rowOf(s, g);
      if (!row || !row.exists || row.coexistenceAllowed) continue;
      const okSkus = availableSkus(s.edition, 'Vpn', 'RouteBased').filter((k) => (capabilityRow(s.edition, 'Vpn', 'RouteBased', k) as Capabilities).coexistenceAllowed);
      const fixes: string[] = [];
      if (g.vpnType !== 'RouteBased') fixes.push('vpnType: RouteBased');
      if (!okSkus.includes(g.sku)) fixes.push(`sku: ${okSkus.join(' or ')}`);
      r.add(
        'COEXIST_NOT_SUPPORTED',
        // Point at the VPN type when it is the (first) thing to change, else at the SKU.
        `${g.path}.${g.vpnType !== 'RouteBased' ? 'vpnType' : 'sku'}`,
        `VNet ${q(v.name)} has ExpressRoute gateway ${q((er[0] as Gateway).name)} and ${describeGateway(g)}; ExpressRoute and VPN coexist only with a route-based gateway of SKU ${okSkus.join(' or ')}: set ${fixes.join(' and ')} on ${q(g.name)}`,
      );
    }
    for (const g of er) {
      const row = rowOf(s, g);
      if (!row || !row.exists || row.coexistenceAllowed) continue;
      const ok = availableSkus(s.edition, 'ExpressRoute', undefined).filter((k) => (capabilityRow(s.edition, 'ExpressRoute', undefined, k) as Capabilities).coexistenceAllowed);
      r.add(
        'COEXIST_NOT_SUPPORTED',
        `${g.path}.sku`,
        `${describeGateway(g)} shares VNet ${q(v.name)} with VPN gateway ${q((vpn[0] as Gateway).name)}, but a ${g.sku} ExpressRoute gateway cannot coexist with a VPN gateway; set sku: ${ok.join(' or ')}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------
// On-premises devices: VPN type, keys, access lists
// ---------------------------------------------------------------------------------------

function checkDevices(r: Report, ix: Index): void {
  const s = r.s;
  const typeDone = new Set<string>();
  s.connections.forEach((c) => {
    if (c.type !== 'IPsec' || c.site === undefined) return;
    const site = ix.sites.get(c.site)?.item;
    const gw = ix.gateways.get(c.gateway)?.item;
    const dev = site?.device;
    if (!site || !dev || !gw || gw.type !== 'Vpn' || gw.vpnType === undefined) return;
    if (dev.vpnType !== gw.vpnType && !typeDone.has(`${gw.name}|${site.name}`)) {
      typeDone.add(`${gw.name}|${site.name}`);
      const gIke = ipsecParameters(gw.vpnType, s.edition).phase1.ikeVersion;
      const dIke = ipsecParameters(dev.vpnType, s.edition).phase1.ikeVersion;
      r.add(
        'DEVICE_VPN_TYPE_MISMATCH',
        `${dev.path}.vpnType`,
        `the device of site ${q(site.name)} is ${vpnTypeText(dev.vpnType)} (${dIke}) but ${describeGateway(gw)} is ${vpnTypeText(gw.vpnType)} (${gIke}), so the tunnel of connection ${q(c.name)} will not come up (${gIke} vs ${dIke}); set the device's vpnType to ${gw.vpnType} or change the gateway`,
      );
    }
    if (dev.sharedKey !== undefined && c.sharedKey !== undefined && dev.sharedKey !== c.sharedKey) {
      r.add(
        'SHARED_KEY_MISMATCH',
        `${dev.path}.sharedKey`,
        `the device of site ${q(site.name)} has sharedKey *** which differs from connection ${q(c.name)}'s sharedKey ***; authentication will fail and the tunnel stays down: use the same key on both ends (or remove the device's key to use the connection's)`,
      );
    }
  });

  // A VNet-to-VNet pair written in both directions must use one key: each connection is
  // compared with the first earlier connection of the other direction whose key differs.
  const keyed = s.connections.filter((c) => c.type === 'Vnet2Vnet' && c.peerGateway !== undefined && c.sharedKey !== undefined);
  const byDirection = groupBy(keyed, (c) => `${c.gateway}\u0000${c.peerGateway}`);
  const position = new Map(s.connections.map((c, i) => [c, i]));
  const otherKey = new Map<readonly Connection[], Connection | undefined>();
  const firstOtherKey = (list: readonly Connection[]): Connection | undefined => {
    if (!otherKey.has(list)) otherKey.set(list, list.find((x) => x.sharedKey !== list[0]?.sharedKey));
    return otherKey.get(list);
  };
  for (const o of keyed) {
    const reverse = byDirection.get(`${o.peerGateway}\u0000${o.gateway}`) ?? [];
    const first = reverse[0];
    const c = first && first.sharedKey !== o.sharedKey ? first : firstOtherKey(reverse);
    if (!c || (position.get(c) as number) >= (position.get(o) as number)) continue;
    r.add(
      'SHARED_KEY_MISMATCH',
      `${o.path}.sharedKey`,
      `connections ${q(c.name)} and ${q(o.name)} are the two directions of one VNet-to-VNet link (${q(c.gateway)} ↔ ${q(c.peerGateway as string)}) but their sharedKeys differ (*** vs ***); the tunnel stays down: use the same key in both`,
    );
  }

  for (const site of s.sites) {
    const list = site.device?.accessList;
    if (!site.device || !list) continue;
    const entries: AclEntry[] = [];
    /** entries[i] came from accessList[lineOf[i]]. */
    const lineOf: number[] = [];
    list.forEach((line, k) => {
      const res = parseAclLine(line.text);
      if (res.ok) {
        entries.push(res.entry);
        lineOf.push(k);
      } else {
        r.add('SCHEMA', line.path, `site ${q(site.name)} device accessList line ${k + 1} ("${line.text}"): ${res.message}`, Math.max(0, res.column - 1));
      }
    });

    for (const sh of findShadowed(entries)) {
      const k = lineOf[sh.index] as number;
      const e = entries[sh.index] as AclEntry;
      const by = sh.by.slice(0, LIST_MAX).map((b) => `line ${(lineOf[b] as number) + 1} ("${(entries[b] as AclEntry).text}")`);
      const byText = sh.by.length > LIST_MAX ? `${by.join(', ')} and ${sh.by.length - LIST_MAX} more lines` : by.join(' and ');
      r.add(
        'ACL_SHADOWED',
        (list[k] as { path: string }).path,
        `site ${q(site.name)} device accessList line ${k + 1} ("${e.text}") can never match: ${byText} ${sh.by.length > 1 ? 'cover' : 'covers'} it (first match wins); remove it or move it above`,
      );
    }

    checkSelectorMirror(r, ix, site, entries, lineOf);
  }
}

/**
 * SELECTOR_MISMATCH: a policy-based device's access list that is not the mirror of its
 * policy-based gateways' pairs (every site prefix to every VNet prefix). The message names
 * the missing and extra entries, then says what the run will do with them, from the same
 * plan the compiler uses (devicePairPlan): a pair no entry covers, or whose first covering
 * entry is a deny, gets no SA (quick mode fails, tunnel-down); a pair whose first covering
 * entry is a wider permit gets its SA under that entry and carries its own traffic, except
 * what earlier entries match first (a deny sends it in clear); what a permit entry matches
 * outside its pairs has no SA and is dropped at the device (tunnel-down).
 */
function checkSelectorMirror(r: Report, ix: Index, site: Site, entries: readonly AclEntry[], lineOf: readonly number[]): void {
  const s = r.s;
  if (!site.device) return;
  // The mirror of every policy-based gateway this site is connected to, in pair order.
  const expected = new Map<string, { pair: PrefixPair; gw: string }>();
  for (const c of s.connections) {
    if (c.type !== 'IPsec' || c.site !== site.name) continue;
    const gw = ix.gateways.get(c.gateway)?.item;
    if (!gw || gw.type !== 'Vpn' || gw.vpnType !== 'PolicyBased') continue;
    const vnet = vnetOf(ix, gw);
    if (!vnet) continue;
    for (const pair of policySelectorPairs(vnet.addressSpace, site.addressPrefixes)) {
      const k = `${pair.site.text} ${pair.vnet.text}`;
      if (!expected.has(k)) expected.set(k, { pair, gw: gw.name });
    }
  }
  if (expected.size === 0) return;
  const actual = new Map<string, AclEntry>();
  for (const e of entries) if (e.action === 'permit') actual.set(`${e.src.text} ${e.dst.text}`, e);
  const missing = [...expected.keys()].filter((k) => !actual.has(k));
  const extra = [...actual.keys()].filter((k) => !expected.has(k));
  if (missing.length === 0 && extra.length === 0) return;
  const cap = <T>(xs: readonly T[], f: (x: T) => string): string => listText(xs.slice(0, LIST_MAX).map(f), xs.length);
  const show = (keys: string[]): string => cap(keys, (k) => `"permit ip ${k}"`);
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing ${show(missing)}`);
  if (extra.length > 0) {
    const reversed = extra.filter((k) => expected.has(k.split(' ').reverse().join(' ')));
    parts.push(`extra ${show(extra)}${reversed.length > 0 ? ' (some are written from the Azure side: on the device the source is the site prefix)' : ''}`);
  }

  // What the run does, entry by entry (the compiler builds the device's selectors from this plan).
  const listed = [...expected.values()];
  const pairs = listed.map((x) => x.pair);
  const plan = devicePairPlan(pairs, entries.map((e) => ({ src: e.src, dst: e.dst, permit: e.action === 'permit' })));
  /** "gw1" or "gw1" and "gw2", for the gateways of the pairs `ks` (indexes into `pairs`). */
  const gatewaysOfPairs = (ks: readonly number[]): string[] => [...new Set(ks.map((k) => (listed[k] as { gw: string }).gw))];
  const all = gatewaysOfPairs(pairs.map((_, k) => k));
  /** '"gw1" drops its packets', '"gw1" and "gw2" drop their packets' (its, their: the pairs'). */
  const drop = (gws: readonly string[], manyPairs: boolean): string => `${andList(gws.map(q))} ${gws.length > 1 ? 'drop' : 'drops'} ${manyPairs ? 'their' : 'its'} packets`;
  const negotiate = `${andList(all.map(q))} ${all.length > 1 ? 'negotiate only their' : 'negotiates only its'} pairs`;
  const pairText = (p: PrefixPair): string => `${p.site.text} ⇄ ${p.vnet.text}`;
  const line = (k: number): string => `line ${(lineOf[k] as number) + 1} ("${(entries[k] as AclEntry).text}")`;
  /** Entries before `k` that match part of one of `ps` (first match wins: they take that part). */
  const earlier = (k: number, ps: readonly PrefixPair[]): number[] => {
    const out: number[] = [];
    for (let j = 0; j < k; j++) {
      const e = entries[j] as AclEntry;
      if (ps.some((p) => overlaps(e.src, p.site) && overlaps(e.dst, p.vnet))) out.push(j);
    }
    return out;
  };
  const run: string[] = [];
  const noCover = pairs.map((_, k) => k).filter((k) => (plan.coverOf[k] as number) < 0);
  if (noCover.length > 0) {
    const ps = noCover.map((k) => pairs[k] as PrefixPair);
    const many = ps.length > 1;
    // On the device such a packet meets no entry (sent in clear), a deny (in clear) or a permit without SA (dropped).
    const untouched = ps.every((p) => !entries.some((e) => overlaps(e.src, p.site) && overlaps(e.dst, p.vnet)));
    const its = many ? 'their' : 'its';
    const device = untouched
      ? `the device sends ${its} packets to the Internet in clear (no entry matches them)`
      : `the device drops what a permit entry matches of ${its} packets tunnel-down and sends the rest in clear`;
    run.push(`no SA for ${cap(ps, pairText)} (no permit entry covers ${many ? 'them' : 'it'}, so quick mode fails: ${drop(gatewaysOfPairs(noCover), many)} tunnel-down, ${device})`);
  }
  // Pairs whose first covering entry is a deny: the device refuses their quick mode, and that deny (or an earlier entry) takes their packets.
  entries.forEach((e, k) => {
    if (e.action === 'permit') return;
    const refused = pairs.map((_, pi) => pi).filter((pi) => plan.coverOf[pi] === k);
    if (refused.length === 0) return;
    const ps = refused.map((pi) => pairs[pi] as PrefixPair);
    const many = ps.length > 1;
    const permitsFirst = earlier(k, ps).some((j) => (entries[j] as AclEntry).action === 'permit');
    const its = many ? 'their' : 'its';
    const device = permitsFirst
      ? `the device drops what an earlier permit entry matches of ${its} packets tunnel-down and sends the rest in clear`
      : `the device sends ${its} packets to the Internet in clear`;
    run.push(`no SA for ${cap(ps, pairText)} (${line(k)} is the first entry that covers ${many ? 'them' : 'it'}, a deny, so the device refuses quick mode: ${drop(gatewaysOfPairs(refused), many)} tunnel-down, ${device})`);
  });
  entries.forEach((e, k) => {
    if (e.action !== 'permit' || plan.whole[k]) return;
    const mine = (plan.pairsOf[k] as readonly number[]).map((pi) => pairs[pi] as PrefixPair);
    if (mine.length > 0) {
      const many = mine.length > 1;
      const before = earlier(k, mine).map((j) => `what ${line(j)} ${(entries[j] as AclEntry).action === 'deny' ? 'sends in clear' : 'matches first'}`);
      const except = before.length > 0 ? `, except ${cap(before, (x) => x)}` : '';
      run.push(`${cap(mine, pairText)} ${many ? 'get their SAs' : 'gets its SA'} under ${line(k)} and ${many ? 'carry their' : 'carries its'} own traffic${except}; the device drops the rest of what that line matches tunnel-down (no SA: ${negotiate})`);
    } else {
      run.push(`the device drops what ${line(k)} matches tunnel-down (it covers no pair, and ${negotiate})`);
    }
  });
  const whose = all.length > 1 ? `policy-based gateways ${andList(all.map(q))}'s` : `policy-based gateway ${q(all[0] as string)}'s`;
  r.add(
    'SELECTOR_MISMATCH',
    `${site.device.path}.accessList`,
    `the access list of site ${q(site.name)}'s device is not the mirror of ${whose} traffic selectors (every site prefix to every VNet prefix): ${parts.join('; ')}. In a run: ${run.join('; ')}. Make the permit entries exactly the mirror`,
  );
}

// ---------------------------------------------------------------------------------------
// ESP transforms
// ---------------------------------------------------------------------------------------

/**
 * TRANSFORM_NOT_OFFERED: a connection's `transform` must be an ESP transform its gateway
 * offers under the scenario's rules edition (and that vgwsim implements: DES and AH are
 * not), or one a custom IPsec/IKE policy allows where the edition and SKU have them; NULL
 * encryption from the default offers only between Azure gateways (VNet-to-VNet); none on
 * ExpressRoute. The offers are data (espTransformOffers); the message lists them.
 */
function checkTransforms(r: Report, ix: Index): void {
  const s = r.s;
  s.connections.forEach((c) => {
    if (c.transform === undefined) return;
    const path = `${c.path}.transform`;
    if (c.type === 'ExpressRoute') {
      r.add('SCHEMA', path, `connection ${q(c.name)} is ExpressRoute, which carries no IPsec; remove "transform"`);
      return;
    }
    const g = ix.gateways.get(c.gateway)?.item;
    if (!g || g.vpnType === undefined) return;
    const usable = (edition: typeof s.edition, sku: typeof g.sku): { offered: string[]; custom: readonly string[] } => {
      const o = espTransformOffers(edition, g.vpnType as VpnType, sku);
      return { offered: [...o.offered, ...(c.type === 'Vnet2Vnet' ? o.nullForVnet2Vnet : [])], custom: o.customPolicy };
    };
    const here = usable(s.edition, g.sku);
    const t = c.transform;
    if (here.offered.includes(t) || here.custom.includes(t)) return;
    const offers = espTransformOffers(s.edition, g.vpnType, g.sku);
    const why = offers.nullForVnet2Vnet.includes(t)
      ? `rules edition ${s.edition} offers NULL encryption only between Azure gateways (VNet-to-VNet)`
      : `it is not among the ESP offers of a ${vpnTypeText(g.vpnType)} gateway under rules edition ${s.edition}`;
    let msg = `connection ${q(c.name)} asks for ESP ${t}, but ${why} (IKE would end with NO_PROPOSAL_CHOSEN); ${describeGateway(g)} offers ${here.offered.join(', ')}`;
    if (here.custom.length > 0) msg += `, or with a custom IPsec/IKE policy on the connection ${here.custom.join(', ')}`;
    // Where else it would be accepted: a custom policy on another SKU of this edition, or another edition.
    const otherSkus = offers.customPolicySkus.filter((k) => k !== g.sku && usable(s.edition, k).custom.includes(t));
    if (otherSkus.length > 0) msg += `; a custom IPsec/IKE policy allows ${t} on a ${otherSkus.join(' or ')} gateway`;
    // Other editions: where this gateway offers it, else where a custom policy on the connection allows it.
    const others = EDITIONS.filter((e) => e.edition !== s.edition).map((e) => ({ edition: e.edition, u: usable(e.edition, g.sku) }));
    const offering = others.filter((x) => x.u.offered.includes(t)).map((x) => x.edition);
    const allowing = others.filter((x) => !x.u.offered.includes(t) && x.u.custom.includes(t)).map((x) => x.edition);
    if (offering.length > 0) msg += `; rules edition ${offering.join(' or ')} offers it (edition: ${offering[0]})`;
    if (allowing.length > 0) msg += `; rules edition ${allowing.join(' or ')} allows it on a ${g.sku} gateway by a custom IPsec/IKE policy on the connection (edition: ${allowing[0]})`;
    if (offering.length === 0 && allowing.length === 0) {
      for (const e of EDITIONS) {
        if (e.edition === s.edition) continue;
        const skus = espTransformOffers(e.edition, g.vpnType, g.sku).customPolicySkus.filter((k) => usable(e.edition, k).custom.includes(t));
        if (skus.length > 0) msg += `; rules edition ${e.edition} allows it by a custom IPsec/IKE policy on a ${skus.join(' or ')} gateway`;
      }
    }
    r.add('TRANSFORM_NOT_OFFERED', path, msg);
  });
}

// ---------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------

/**
 * All semantic problems of a schema-valid scenario, sorted by position. Never throws;
 * an empty array means the scenario is consistent. See the module comment for which codes
 * are errors and which are warnings.
 */
export function checkScenario(s: Scenario): Diagnostic[] {
  const r = new Report(s);
  const ix = buildIndex(s);
  checkDuplicates(r);
  checkReferences(r, ix);
  checkShapes(r, ix);
  checkVnetAddresses(r, ix);
  checkConnectedAddresses(r, ix);
  checkGatewaySubnets(r, ix);
  checkGatewayRequirements(r, ix);
  checkDevices(r, ix);
  checkTransforms(r, ix);
  r.out.push(...checkAddressRules(s, ix.subnetIndex), ...checkSharedKeys(s));
  // Stable sort: same position keeps check order.
  return r.out
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.line - b.d.line || a.d.column - b.d.column || a.i - b.i)
    .map((x) => x.d);
}

/**
 * For a scenario meant to be rejected (`expectDiagnostics: [CODE, ...]`): an
 * EXPECTED_DIAGNOSTICS error naming each listed code that did not occur in `diagnostics`
 * (and any listed name that is no diagnostic code at all). Empty when the list is empty or
 * every code occurred.
 */
export function checkExpectedDiagnostics(s: Scenario, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  if (s.expectDiagnostics.length === 0) return [];
  const got = new Set<string>(diagnostics.map((d) => d.code));
  const known = new Set<string>(DIAGNOSTIC_CODES);
  const missing = [...new Set(s.expectDiagnostics.filter((c) => !got.has(c)))];
  if (missing.length === 0) return [];
  const unknown = missing.filter((c) => !known.has(c));
  const absent = missing.filter((c) => known.has(c));
  const parts: string[] = [];
  if (absent.length > 0) {
    parts.push(
      `expected diagnostic${absent.length > 1 ? 's' : ''} ${absent.join(', ')} did not occur (got ${got.size > 0 ? [...got].join(', ') : 'none'}); fix the scenario so it shows the problem, or remove ${absent.length > 1 ? 'them' : 'it'} from expectDiagnostics`,
    );
  }
  for (const c of unknown) {
    const hint = suggest(c, DIAGNOSTIC_CODES);
    parts.push(`${c} is not a diagnostic code${hint !== undefined ? `; did you mean ${hint}?` : ''}`);
  }
  const r = new Report(s);
  r.add('EXPECTED_DIAGNOSTICS', 'expectDiagnostics', parts.join('; '));
  return r.out;
}
