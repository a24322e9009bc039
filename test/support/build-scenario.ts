/**
 * Test-only scenario builder: turns a plain object of the YAML shape (prefixes and
 * addresses as strings) into a typed `Scenario`, filling every object's `path`
 * (`vnets[0].subnets[1]`) and a `positions` map that gives each path present in the input
 * a fake but distinct line:column, so tests can assert WHICH value a diagnostic points at.
 * Keys absent from the input get no position (positionOf then falls back to the parent),
 * as with the real loader. Bad input throws: this is test scaffolding, not the loader.
 */
import { parseIPv4, parsePrefix } from '../../sim/net/ipv4.js';
import type { SourcePos } from '../../sim/scenario/diagnostics.js';
import type {
  AclLine,
  Circuit,
  Connection,
  ConnectionType,
  Count,
  Device,
  Expectation,
  Fault,
  Flow,
  Gateway,
  GatewayKind,
  GatewaySku,
  Host,
  NextHopType,
  P2sClient,
  Prefix,
  Proto,
  RulesEdition,
  Scenario,
  Site,
  Subnet,
  Vnet,
  VpnType,
  CertificateState,
} from '../../sim/scenario/types.js';
import type { DropReason } from '../../sim/engine/drop-reasons.js';

/** A host: name and dotted-quad address. */
export interface HostIn { name: string; ip: string }
/** A subnet, with optional user-defined routes. */
export interface SubnetIn { name: string; prefix: string; routes?: { prefix: string; nextHop: NextHopType }[] }
/** A VNet. */
export interface VnetIn { name: string; addressSpace: string[]; subnets?: SubnetIn[]; hosts?: HostIn[] }
/** A gateway; type defaults to Vpn, sku to Basic. */
export interface GatewayIn {
  name: string;
  vnet: string;
  type?: GatewayKind;
  vpnType?: VpnType;
  sku?: GatewaySku;
  publicIp?: string;
  bgp?: { asn: number };
  p2s?: { addressPool: string; clients?: { name: string; certificate?: CertificateState }[] };
  defaultSite?: string;
}
/** A site (local network gateway); gatewayIp defaults to 198.51.100.1. */
export interface SiteIn {
  name: string;
  gatewayIp?: string;
  addressPrefixes: string[];
  device?: { vpnType: VpnType; sharedKey?: string; accessList?: string[]; routes?: string[] };
  hosts?: HostIn[];
}
/** A connection. */
export interface ConnectionIn {
  name: string;
  type: ConnectionType;
  gateway: string;
  site?: string;
  peerGateway?: string;
  circuit?: string;
  sharedKey?: string;
}
/** A flow; proto defaults to icmp, count to 1. */
export interface FlowIn {
  id: string;
  from: string;
  to: string;
  proto?: Proto;
  sport?: number;
  dport?: number;
  size?: number;
  count?: number;
  start?: number;
  interval?: number;
  ttl?: number;
  df?: boolean;
}
/** An ExpressRoute circuit; bandwidth in bits per second, default 1 Gbps. */
export interface CircuitIn { name: string; bandwidth?: number; onPremisesPrefixes: string[]; site: string }
/** A fault; at in seconds. */
export interface FaultIn { at: number; connection?: string; circuit?: string; down: boolean }
/** An expectation. */
export interface ExpectIn { flow: string; delivered?: Count; dropped?: Count; internet?: Count; via?: string; reason?: DropReason }

/** The YAML-shaped input of `buildScenario`. Every list is optional. */
export interface ScenarioIn {
  file?: string;
  name?: string;
  seed?: number;
  edition?: RulesEdition;
  vnets?: VnetIn[];
  gateways?: GatewayIn[];
  sites?: SiteIn[];
  connections?: ConnectionIn[];
  traffic?: FlowIn[];
  circuits?: CircuitIn[];
  faults?: FaultIn[];
  expect?: ExpectIn[];
  expectDiagnostics?: string[];
}

class Positions {
  readonly map = new Map<string, SourcePos>();
  private line = 1;
  /** Give `path` the next line; the column encodes nesting depth so it differs too. */
  at(path: string): string {
    const depth = (path.match(/[.[]/g) ?? []).length;
    this.map.set(path, { line: this.line++, column: 1 + depth * 2 });
    return path;
  }
  /** Mark the keys of `obj` that are present (not undefined). */
  keys(path: string, obj: object, keys: readonly string[]): void {
    const rec = obj as Record<string, unknown>;
    for (const k of keys) if (rec[k] !== undefined) this.at(`${path}.${k}`);
  }
}

function prefix(text: string): Prefix {
  const r = parsePrefix(text);
  if (!r.ok) throw new Error(`buildScenario: ${r.error}`);
  return r.value;
}

function ip(text: string): number {
  const r = parseIPv4(text);
  if (!r.ok) throw new Error(`buildScenario: ${r.error}`);
  return r.value;
}

function prefixList(pos: Positions, path: string, list: readonly string[]): Prefix[] {
  pos.at(path);
  return list.map((t, i) => {
    pos.at(`${path}[${i}]`);
    return prefix(t);
  });
}

function hosts(pos: Positions, path: string, list: readonly HostIn[] | undefined): Host[] {
  if (!list) return [];
  pos.at(path);
  return list.map((h, i) => {
    const p = pos.at(`${path}[${i}]`);
    pos.keys(p, h, ['name', 'ip']);
    return { path: p, name: h.name, ip: ip(h.ip), ipText: h.ip };
  });
}

/** Build a typed Scenario (paths and distinct fake positions filled in) from a YAML-shaped object. */
export function buildScenario(input: ScenarioIn): Scenario {
  const pos = new Positions();
  pos.at('');
  const list = <I extends object, O>(key: string, items: readonly I[] | undefined, f: (item: I, path: string) => O): O[] => {
    if (!items) return [];
    pos.at(key);
    return items.map((item, i) => f(item, pos.at(`${key}[${i}]`)));
  };

  const vnets = list<VnetIn, Vnet>('vnets', input.vnets, (v, p) => {
    pos.keys(p, v, ['name']);
    const addressSpace = prefixList(pos, `${p}.addressSpace`, v.addressSpace);
    const subnets: Subnet[] = [];
    if (v.subnets) {
      pos.at(`${p}.subnets`);
      v.subnets.forEach((sn, j) => {
        const sp = pos.at(`${p}.subnets[${j}]`);
        pos.keys(sp, sn, ['name', 'prefix']);
        const routes = (sn.routes ?? []).map((r, k) => {
          const rp = pos.at(`${sp}.routes[${k}]`);
          pos.keys(rp, r, ['prefix', 'nextHop']);
          return { path: rp, prefix: prefix(r.prefix), nextHop: r.nextHop };
        });
        subnets.push({ path: sp, name: sn.name, prefix: prefix(sn.prefix), routes });
      });
    }
    return { path: p, name: v.name, addressSpace, subnets, hosts: hosts(pos, `${p}.hosts`, v.hosts) };
  });

  const gateways = list<GatewayIn, Gateway>('gateways', input.gateways, (g, p) => {
    pos.keys(p, g, ['name', 'vnet', 'type', 'vpnType', 'sku', 'publicIp', 'defaultSite']);
    const type = g.type ?? 'Vpn';
    let bgp: Gateway['bgp'];
    if (g.bgp) {
      const bp = pos.at(`${p}.bgp`);
      pos.keys(bp, g.bgp, ['asn']);
      bgp = { path: bp, asn: g.bgp.asn };
    }
    let p2s: Gateway['p2s'];
    if (g.p2s) {
      const pp = pos.at(`${p}.p2s`);
      pos.at(`${pp}.addressPool`);
      const clients: P2sClient[] = [];
      if (g.p2s.clients) {
        pos.at(`${pp}.clients`);
        g.p2s.clients.forEach((c, k) => {
          const cp = pos.at(`${pp}.clients[${k}]`);
          pos.keys(cp, c, ['name', 'certificate']);
          clients.push({ path: cp, name: c.name, certificate: c.certificate ?? 'valid' });
        });
      }
      p2s = { path: pp, addressPool: prefix(g.p2s.addressPool), clients };
    }
    return {
      path: p,
      name: g.name,
      vnet: g.vnet,
      type,
      ...(g.vpnType !== undefined ? { vpnType: g.vpnType } : {}),
      sku: g.sku ?? 'Basic',
      ...(g.publicIp !== undefined ? { publicIp: ip(g.publicIp), publicIpText: g.publicIp } : {}),
      ...(bgp ? { bgp } : {}),
      ...(p2s ? { p2s } : {}),
      ...(g.defaultSite !== undefined ? { defaultSite: g.defaultSite } : {}),
    };
  });

  const sites = list<SiteIn, Site>('sites', input.sites, (st, p) => {
    pos.keys(p, st, ['name', 'gatewayIp']);
    const addressPrefixes = prefixList(pos, `${p}.addressPrefixes`, st.addressPrefixes);
    let device: Device | undefined;
    if (st.device) {
      const dp = pos.at(`${p}.device`);
      const d = st.device;
      pos.keys(dp, d, ['vpnType', 'sharedKey']);
      let accessList: AclLine[] | undefined;
      if (d.accessList) {
        pos.at(`${dp}.accessList`);
        accessList = d.accessList.map((text, k) => ({ path: pos.at(`${dp}.accessList[${k}]`), text }));
      }
      device = {
        path: dp,
        vpnType: d.vpnType,
        ...(d.sharedKey !== undefined ? { sharedKey: d.sharedKey } : {}),
        ...(accessList ? { accessList } : {}),
        ...(d.routes ? { routes: prefixList(pos, `${dp}.routes`, d.routes) } : {}),
      };
    }
    const gatewayIpText = st.gatewayIp ?? '198.51.100.1';
    return {
      path: p,
      name: st.name,
      gatewayIp: ip(gatewayIpText),
      gatewayIpText,
      addressPrefixes,
      ...(device ? { device } : {}),
      hosts: hosts(pos, `${p}.hosts`, st.hosts),
    };
  });

  const connections = list<ConnectionIn, Connection>('connections', input.connections, (c, p) => {
    pos.keys(p, c, ['name', 'type', 'gateway', 'site', 'peerGateway', 'circuit', 'sharedKey']);
    return { ...c, path: p };
  });

  const traffic = list<FlowIn, Flow>('traffic', input.traffic, (f, p) => {
    pos.keys(p, f, ['id', 'from', 'to', 'proto', 'sport', 'dport', 'size', 'count', 'start', 'interval', 'ttl', 'df']);
    const proto = f.proto ?? 'icmp';
    return {
      path: p,
      id: f.id,
      from: f.from,
      to: f.to,
      proto,
      ...(f.sport !== undefined ? { sport: f.sport } : {}),
      ...(f.dport !== undefined ? { dport: f.dport } : {}),
      size: f.size ?? (proto === 'icmp' ? 84 : 64),
      count: f.count ?? 1,
      start: f.start ?? 0,
      interval: f.interval ?? 1,
      ttl: f.ttl ?? 64,
      df: f.df ?? false,
    };
  });

  const circuits = list<CircuitIn, Circuit>('circuits', input.circuits, (c, p) => {
    pos.keys(p, c, ['name', 'bandwidth', 'site']);
    return {
      path: p,
      name: c.name,
      bandwidth: c.bandwidth ?? 1_000_000_000,
      onPremisesPrefixes: prefixList(pos, `${p}.onPremisesPrefixes`, c.onPremisesPrefixes),
      site: c.site,
    };
  });

  const faults = list<FaultIn, Fault>('faults', input.faults, (f, p) => {
    pos.keys(p, f, ['at', 'connection', 'circuit', 'down']);
    return { ...f, path: p };
  });

  const expect = list<ExpectIn, Expectation>('expect', input.expect, (e, p) => {
    pos.keys(p, e, ['flow', 'delivered', 'dropped', 'internet', 'via', 'reason']);
    return { ...e, path: p };
  });

  if (input.expectDiagnostics) {
    pos.at('expectDiagnostics');
    input.expectDiagnostics.forEach((_, i) => pos.at(`expectDiagnostics[${i}]`));
  }

  return {
    file: input.file ?? 'test.yaml',
    name: input.name ?? 'test',
    seed: input.seed ?? 1,
    edition: input.edition ?? 'azure-2016-02',
    vnets,
    gateways,
    sites,
    connections,
    traffic,
    circuits,
    faults,
    expect,
    expectDiagnostics: input.expectDiagnostics ?? [],
    positions: pos.map,
  };
}

/** The fake position the builder gave `path` (throws when the path has none: a test bug). */
export function posAt(s: Scenario, path: string): SourcePos {
  const p = s.positions.get(path);
  if (!p) throw new Error(`no position for path ${path}`);
  return p;
}

/**
 * A clean policy-based Site-to-Site scenario (the contract's example): vnet1 10.1.0.0/16
 * with gw1 (PolicyBased Basic), site hq 192.168.0.0/16 whose device mirrors the selectors.
 * Fresh object on every call, so tests can mutate it.
 */
export function policyBased(): ScenarioIn {
  return {
    file: 'pb.yaml',
    vnets: [
      {
        name: 'vnet1',
        addressSpace: ['10.1.0.0/16'],
        subnets: [
          { name: 'frontend', prefix: '10.1.0.0/24' },
          { name: 'GatewaySubnet', prefix: '10.1.255.0/27' },
        ],
        hosts: [{ name: 'vm1', ip: '10.1.0.4' }],
      },
    ],
    gateways: [{ name: 'gw1', vnet: 'vnet1', type: 'Vpn', vpnType: 'PolicyBased', sku: 'Basic', publicIp: '203.0.113.10' }],
    sites: [
      {
        name: 'hq',
        gatewayIp: '198.51.100.1',
        addressPrefixes: ['192.168.0.0/16'],
        device: { vpnType: 'PolicyBased', accessList: ['permit ip 192.168.0.0/16 10.1.0.0/16'] },
        hosts: [{ name: 'pc1', ip: '192.168.1.10' }],
      },
    ],
    connections: [{ name: 'gw1-hq', type: 'IPsec', gateway: 'gw1', site: 'hq', sharedKey: 's3cret' }],
    traffic: [{ id: 'ping', from: 'vm1', to: 'pc1', count: 3 }],
    faults: [{ at: 30, connection: 'gw1-hq', down: true }],
    expect: [{ flow: 'ping', delivered: 'all', via: 'gw1-hq' }],
  };
}

/**
 * A clean route-based scenario using every connection type. Indices tests rely on:
 * vnets [vnet1 10.1/16, vnet2 10.2/16]; gateways [gw1 (vnet1, RouteBased Standard, p2s
 * 172.16.201.0/24 with laptop1), gw2 (vnet2, RouteBased Standard), ergw1 (vnet1,
 * ExpressRoute Standard)]; sites [hq 192.168/16, branch 172.20/16], both RouteBased devices;
 * connections [gw1-hq, gw1-branch, gw1-gw2, gw2-gw1, vnet1-er1]; circuits [er1 → hq].
 */
export function routeBased(): ScenarioIn {
  return {
    file: 'rb.yaml',
    vnets: [
      {
        name: 'vnet1',
        addressSpace: ['10.1.0.0/16'],
        subnets: [
          { name: 'frontend', prefix: '10.1.0.0/24' },
          { name: 'GatewaySubnet', prefix: '10.1.255.0/27' },
        ],
        hosts: [{ name: 'vm1', ip: '10.1.0.4' }],
      },
      {
        name: 'vnet2',
        addressSpace: ['10.2.0.0/16'],
        subnets: [
          { name: 'backend', prefix: '10.2.0.0/24' },
          { name: 'GatewaySubnet', prefix: '10.2.255.0/27' },
        ],
        hosts: [{ name: 'vm2', ip: '10.2.0.4' }],
      },
    ],
    gateways: [
      {
        name: 'gw1',
        vnet: 'vnet1',
        type: 'Vpn',
        vpnType: 'RouteBased',
        sku: 'Standard',
        p2s: { addressPool: '172.16.201.0/24', clients: [{ name: 'laptop1' }] },
      },
      { name: 'gw2', vnet: 'vnet2', type: 'Vpn', vpnType: 'RouteBased', sku: 'Standard' },
      { name: 'ergw1', vnet: 'vnet1', type: 'ExpressRoute', sku: 'Standard' },
    ],
    sites: [
      { name: 'hq', addressPrefixes: ['192.168.0.0/16'], device: { vpnType: 'RouteBased' }, hosts: [{ name: 'pc1', ip: '192.168.1.10' }] },
      { name: 'branch', gatewayIp: '198.51.100.2', addressPrefixes: ['172.20.0.0/16'], device: { vpnType: 'RouteBased' } },
    ],
    connections: [
      { name: 'gw1-hq', type: 'IPsec', gateway: 'gw1', site: 'hq', sharedKey: 's3cret' },
      { name: 'gw1-branch', type: 'IPsec', gateway: 'gw1', site: 'branch', sharedKey: 's3cret2' },
      { name: 'gw1-gw2', type: 'Vnet2Vnet', gateway: 'gw1', peerGateway: 'gw2', sharedKey: 'v2v' },
      { name: 'gw2-gw1', type: 'Vnet2Vnet', gateway: 'gw2', peerGateway: 'gw1', sharedKey: 'v2v' },
      { name: 'vnet1-er1', type: 'ExpressRoute', gateway: 'ergw1', circuit: 'er1' },
    ],
    circuits: [{ name: 'er1', bandwidth: 1_000_000_000, onPremisesPrefixes: ['192.168.0.0/16'], site: 'hq' }],
    traffic: [{ id: 'ping', from: 'vm1', to: 'pc1', count: 3 }],
    faults: [{ at: 30, connection: 'gw1-hq', down: true }],
    expect: [{ flow: 'ping', delivered: 'all', via: 'gw1-hq' }],
  };
}
