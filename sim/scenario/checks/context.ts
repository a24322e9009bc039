/**
 * What every rule group of the semantic checks gets: the one report (diagnostics.ts) it
 * adds its diagnostics to, and the one index of the scenario, built once before the first
 * group runs: objects by name (the first of each name; duplicates are a rule of their
 * own), every host, the IPsec connections of each gateway, the gateways of each VNet and the
 * address prefixes of each VNet, subnet list and site, indexed for overlap queries.
 */
import { PrefixIndex } from '../../net/prefix-index.js';
import type { Report } from '../diagnostics.js';
import { hostRefs } from '../types.js';
import type { Connection, Gateway, HostRef, Scenario, Site, Vnet } from '../types.js';

/** A rule group: one kind of semantic rule, checked over the whole scenario. */
export interface RuleGroup {
  /** What the group checks, in a few words (tests and readers use it). */
  readonly name: string;
  /** Add every problem the group finds to `r`; never throws. */
  readonly check: (r: Report, ix: ScenarioIndex) => void;
}

/** Name → first object of that name (duplicates are reported separately). */
export function byName<T>(items: readonly T[], key: (t: T) => string): Map<string, { item: T; index: number }> {
  const m = new Map<string, { item: T; index: number }>();
  items.forEach((item, index) => {
    const k = key(item);
    if (!m.has(k)) m.set(k, { item, index });
  });
  return m;
}

/** Everything the checks look up, built once. */
export interface ScenarioIndex {
  readonly vnets: Map<string, { item: Vnet; index: number }>;
  readonly gateways: Map<string, { item: Gateway; index: number }>;
  readonly sites: Map<string, { item: Site; index: number }>;
  readonly connections: Map<string, { item: Connection; index: number }>;
  readonly circuits: Map<string, { item: Scenario['circuits'][number]; index: number }>;
  readonly flows: Map<string, { item: Scenario['traffic'][number]; index: number }>;
  /** Every host (VNet hosts, site hosts, point-to-site clients), in file order. */
  readonly hosts: readonly HostRef[];
  /** Their names, in the same order. */
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

/** Each VNet's subnet prefixes, in subnet order, indexed. */
export function subnetIndexes(s: Scenario): Map<Vnet, PrefixIndex> {
  return new Map(s.vnets.map((v) => [v, new PrefixIndex(v.subnets.map((sn) => sn.prefix))]));
}

/** The index of `s` (see ScenarioIndex). */
export function buildScenarioIndex(s: Scenario): ScenarioIndex {
  const hosts = hostRefs(s);
  return {
    vnets: byName(s.vnets, (v) => v.name),
    gateways: byName(s.gateways, (g) => g.name),
    sites: byName(s.sites, (x) => x.name),
    connections: byName(s.connections, (c) => c.name),
    circuits: byName(s.circuits, (c) => c.name),
    flows: byName(s.traffic, (f) => f.id),
    hosts,
    hostNames: hosts.map((h) => h.name),
    ipsecOf: groupBy(s.connections.filter((c) => c.type === 'IPsec'), (c) => c.gateway),
    gatewaysOf: groupBy(s.gateways, (g) => g.vnet),
    spaceIndex: new Map(s.vnets.map((v) => [v, new PrefixIndex(v.addressSpace)])),
    subnetIndex: subnetIndexes(s),
    siteIndex: new Map(s.sites.map((x) => [x, new PrefixIndex(x.addressPrefixes)])),
  };
}

/** The members of `items` grouped by `key`, in order (built once per list). */
export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = m.get(k);
    if (list) list.push(t);
    else m.set(k, [t]);
  }
  return m;
}

/** The VNet a gateway lives in, when both are defined. */
export function vnetOf(ix: ScenarioIndex, g: Gateway | undefined): Vnet | undefined {
  return g ? ix.vnets.get(g.vnet)?.item : undefined;
}
