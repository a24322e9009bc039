/**
 * UNKNOWN_REFERENCE: every name one object gives to another (a gateway's VNet and default
 * site, a connection's gateway, site, peer gateway or circuit, a circuit's site, a fault's
 * or an injection's connection or circuit, an expectation's flow and via, a flow's hosts)
 * must be defined; the message suggests the closest defined name or lists them. A default
 * site must also be connected to its gateway by an IPsec connection.
 */
import { parseIPv4 } from '../../net/ipv4.js';
import type { Report } from '../diagnostics.js';
import { q } from '../message-text.js';
import { p2sConnectionName } from '../types.js';
import type { RuleGroup, ScenarioIndex } from './context.js';
import { unknownMessage } from './words.js';

function isAddressLiteral(text: string): boolean {
  return parseIPv4(text).ok;
}

function checkReferences(r: Report, ix: ScenarioIndex): void {
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

/** Names that refer to objects. */
export const references: RuleGroup = { name: 'references', check: checkReferences };
