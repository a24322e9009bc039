/**
 * DUPLICATE_NAME: two objects of one kind with one name (VNets, gateways, sites,
 * connections, circuits, flow ids; subnets within their VNet), two hosts with one name
 * anywhere in the scenario (flows name hosts without saying where they live), and two
 * hosts with one address in one VNet or site (delivery would be ambiguous). Each
 * duplicate is reported at the later one, naming where the first is.
 */
import type { Report } from '../diagnostics.js';
import { ownerText, q } from '../message-text.js';
import { positionOf } from '../types.js';
import type { HostRef } from '../types.js';
import type { RuleGroup, ScenarioIndex } from './context.js';

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

function checkDuplicates(r: Report, ix: ScenarioIndex): void {
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
  for (const h of ix.hosts) {
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

/** Duplicate names and host addresses. */
export const duplicateNames: RuleGroup = { name: 'duplicate names', check: checkDuplicates };
