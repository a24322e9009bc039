/**
 * Addresses of networks that a connection joins: a site, a peer VNet or a circuit's
 * on-premises prefixes must not overlap the VNet it is connected to (ADDRESS_OVERLAP,
 * reported once per pair of networks, at the other network's prefix); a point-to-site
 * pool must not overlap its VNet or any site connected to its gateway (ADDRESS_OVERLAP);
 * two sites of one gateway that share addresses are legal, but the longest prefix match
 * decides between their tunnels (SITE_PREFIX_OVERLAP, a warning).
 */
import { PrefixIndex } from '../../net/prefix-index.js';
import type { Report } from '../diagnostics.js';
import { q } from '../message-text.js';
import type { Prefix, Site } from '../types.js';
import { vnetOf } from './context.js';
import type { RuleGroup, ScenarioIndex } from './context.js';
import { overlapText } from './words.js';

function checkConnectedAddresses(r: Report, ix: ScenarioIndex): void {
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

/** Overlaps between connected networks. */
export const connectedAddresses: RuleGroup = { name: 'connected addresses', check: checkConnectedAddresses };
