/**
 * What the per-kind compilers share while one World is built: the scenario's name →
 * index lookups, the counter nodes in the order they are made (their order is the
 * counters' order in a run's output), the hosts, connections, tunnels and SAs made so
 * far, and the routes and selectors that connections add to the gateways, sites and
 * VNets that the later steps turn into tables. Made once per compileWorld call and
 * dropped when the World is returned.
 */
import { makePrefix } from '../../net/ipv4.js';
import type { DevicePairPlan } from '../../gateway/selectors.js';
import type { NextCode, RouteEntry, WConnection, WErPath, WHost, WP2sClient, WSa, WTunnel } from '../../gateway/world.js';
import type { Circuit, Gateway, Prefix, Scenario, Vnet } from '../types.js';
import { sitePolicyPlans } from './selectors.js';
import type { DeviceAclEntry, SelectorRow, SitePair } from './selectors.js';

/** The default route's prefix, 0.0.0.0/0. */
export const ANY: Prefix = makePrefix(0, 0);

/** A route table entry. */
export function route(prefix: Prefix, next: NextCode, target: number, source: string, nextHop: string): RouteEntry {
  return { prefix, next, target, source, nextHop };
}

/** The state of one compileWorld call (see the module comment). */
export interface CompileState {
  readonly s: Scenario;
  /** Connections and circuits that are down (faults). */
  readonly down: ReadonlySet<string>;
  readonly vnetIdx: ReadonlyMap<string, number>;
  readonly gwIdx: ReadonlyMap<string, number>;
  readonly siteIdx: ReadonlyMap<string, number>;
  readonly circuitByName: ReadonlyMap<string, Circuit>;
  /** Index of the first gateway of each (VNet, type), keyed `${vnet}\u0000${type}`. */
  readonly firstGateway: ReadonlyMap<string, number>;
  /** Index of the first Vnet2Vnet connection of each direction, keyed `${gateway}\u0000${peerGateway}`. */
  readonly firstV2v: ReadonlyMap<string, number>;
  /** Counter node labels; a counter's number is its index here. */
  readonly counterNodes: string[];
  readonly hosts: WHost[];
  /** Per VNet and per site: its hosts' addresses and indexes in `hosts`. */
  readonly vnetHosts: { ip: number; index: number }[][];
  readonly siteHosts: { ip: number; index: number }[][];
  readonly connections: WConnection[];
  readonly tunnels: WTunnel[];
  readonly sas: WSa[];
  /** `${spi}/${outerDst}` of every SA made: an SPI is unique per destination. */
  readonly usedSpis: Set<string>;
  readonly erPaths: WErPath[];
  readonly p2sClients: WP2sClient[];
  /** Per gateway: routes its connections add, in preference groups. */
  readonly gwTunnelRoutes: RouteEntry[][];
  readonly gwP2sRoutes: RouteEntry[][];
  readonly gwErRoutes: RouteEntry[][];
  readonly gwDefaultRoute: (RouteEntry | undefined)[];
  /** Per policy-based gateway: its selectors, in connection and prefix-pair order. */
  readonly gwSelectors: { src: Prefix; dst: Prefix; sa: number; text: string }[][];
  /** Per gateway: prefixes it propagates into its VNet (site prefixes, peers, P2S pool). */
  readonly gwPropagated: Prefix[][];
  /** Per site: its route-based connections' device selectors and the device's routes. */
  readonly siteDeviceSel: SelectorRow[][];
  readonly siteDeviceRoutes: RouteEntry[][];
  readonly siteErRoutes: RouteEntry[][];
  /** Per VNet: ExpressRoute-learned prefixes → ER gateway. */
  readonly vnetErRoutes: RouteEntry[][];
  /**
   * Per site: the prefix pairs of its policy-based connections (connection order, VNet
   * prefixes outer), the device's access list and its SA plan for them (devicePairPlan).
   */
  readonly sitePairs: readonly (readonly SitePair[])[];
  readonly siteAcl: readonly (readonly DeviceAclEntry[])[];
  readonly sitePlan: readonly DevicePairPlan[];
  /** Per site: the device's inbound SA of each pair of sitePairs (set where the pair's tunnel is made). */
  readonly sitePairSa: number[][];
}

/** A new counter node named `label`; returns its number. */
export function counter(st: CompileState, label: string): number {
  st.counterNodes.push(label);
  return st.counterNodes.length - 1;
}

/** The VNet a gateway lives in, if defined. */
export function vnetOf(st: CompileState, g: Gateway): Vnet | undefined {
  return st.s.vnets[st.vnetIdx.get(g.vnet) ?? -1];
}

/** Global subnet index of subnet `k` of VNet `vi` (subnets are numbered VNet by VNet). */
export function subnetGlobal(s: Scenario, vi: number, k: number): number {
  let n = 0;
  for (let i = 0; i < vi; i++) n += s.vnets[i]!.subnets.length;
  return n + k;
}

/** The state of compiling `s` with the connections and circuits of `down` down: lookups made, nothing built yet. */
export function newCompileState(s: Scenario, down: ReadonlySet<string>): CompileState {
  const vnetIdx = new Map(s.vnets.map((v, i) => [v.name, i]));
  const gwIdx = new Map(s.gateways.map((g, i) => [g.name, i]));
  const siteIdx = new Map(s.sites.map((x, i) => [x.name, i]));
  // First gateway of each (VNet, type) and first Vnet2Vnet connection of each direction: lookups, not scans.
  const firstGateway = new Map<string, number>();
  s.gateways.forEach((g, i) => {
    const k = `${g.vnet}\u0000${g.type}`;
    if (!firstGateway.has(k)) firstGateway.set(k, i);
  });
  const firstV2v = new Map<string, number>();
  s.connections.forEach((o, i) => {
    const k = `${o.gateway}\u0000${o.peerGateway}`;
    if (o.type === 'Vnet2Vnet' && !firstV2v.has(k)) firstV2v.set(k, i);
  });
  return {
    s,
    down,
    vnetIdx,
    gwIdx,
    siteIdx,
    circuitByName: new Map(s.circuits.map((c) => [c.name, c])),
    firstGateway,
    firstV2v,
    counterNodes: [],
    hosts: [],
    vnetHosts: s.vnets.map(() => []),
    siteHosts: s.sites.map(() => []),
    connections: s.connections.map((c) => {
      const site = c.type === 'IPsec' ? siteIdx.get(c.site ?? '') ?? -1 : -1;
      const sharedKey = c.sharedKey ?? s.sites[site]?.device?.sharedKey ?? null;
      // The other end's key: the site device's own, or the reverse VNet-to-VNet connection's.
      const reverse = c.type === 'Vnet2Vnet' ? s.connections.find((r) => r.type === 'Vnet2Vnet' && r.gateway === c.peerGateway && r.peerGateway === c.gateway) : undefined;
      const peerSharedKey = c.type === 'IPsec' ? s.sites[site]?.device?.sharedKey ?? sharedKey : reverse ? reverse.sharedKey ?? null : sharedKey;
      return {
        name: c.name,
        type: c.type,
        gateway: gwIdx.get(c.gateway) ?? -1,
        site,
        peerGateway: c.type === 'Vnet2Vnet' ? gwIdx.get(c.peerGateway ?? '') ?? -1 : -1,
        sharedKey,
        peerSharedKey,
        transform: c.transform ?? null,
        peerTransform: reverse ? reverse.transform ?? null : c.transform ?? null,
      };
    }),
    tunnels: [],
    sas: [],
    usedSpis: new Set(),
    erPaths: [],
    p2sClients: [],
    gwTunnelRoutes: s.gateways.map(() => []),
    gwP2sRoutes: s.gateways.map(() => []),
    gwErRoutes: s.gateways.map(() => []),
    gwDefaultRoute: s.gateways.map(() => undefined),
    gwSelectors: s.gateways.map(() => []),
    gwPropagated: s.gateways.map(() => []),
    siteDeviceSel: s.sites.map(() => []),
    siteDeviceRoutes: s.sites.map(() => []),
    siteErRoutes: s.sites.map(() => []),
    vnetErRoutes: s.vnets.map(() => []),
    ...sitePolicyPlans(s, gwIdx, vnetIdx, siteIdx),
    sitePairSa: s.sites.map(() => []),
  };
}
