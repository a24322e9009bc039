/**
 * What a gateway may have, looked up in the capability table (sim/gateway/capabilities.ts,
 * never hard-coded here) for the scenario's rules edition: SKU_NOT_AVAILABLE (a VPN type
 * and SKU that do not exist), P2S_REQUIRES_ROUTE_BASED and P2S_LIMIT_EXCEEDED (the SKU's
 * client limit and the pool's usable addresses), BGP_NOT_SUPPORTED, FORCED_TUNNEL_
 * REQUIRES_ROUTE_BASED, S2S_LIMIT_EXCEEDED (IPsec and Vnet2Vnet connections whose
 * `gateway` is the gateway, reported at the first over the limit),
 * VNET2VNET_REQUIRES_ROUTE_BASED (at both ends) and COEXIST_NOT_SUPPORTED (ExpressRoute and
 * VPN gateways in one VNet). A gateway whose (VPN type, SKU) does not exist gets
 * SKU_NOT_AVAILABLE and no SKU-dependent checks (limits, BGP, coexistence), only the
 * type-dependent ones, so one mistake is not reported three times.
 */
import { availableSkus, CAPABILITY_TABLES, capabilityRow, EDITIONS } from '../../gateway/capabilities.js';
import type { Capabilities, CapabilityRow } from '../../gateway/capabilities.js';
import type { Report } from '../diagnostics.js';
import { q } from '../message-text.js';
import type { Connection, Gateway, Scenario } from '../types.js';
import { groupBy } from './context.js';
import type { RuleGroup, ScenarioIndex } from './context.js';
import { describeGateway } from './words.js';

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

function checkGatewayRequirements(r: Report, ix: ScenarioIndex): void {
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

/** Gateway requirements from the capability table. */
export const gatewayRequirements: RuleGroup = { name: 'gateway requirements', check: checkGatewayRequirements };
