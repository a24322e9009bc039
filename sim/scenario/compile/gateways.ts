/**
 * Gateways: a policy-based VPN gateway gets its selectors (classifier) from its IPsec
 * connections; a route-based VPN or ExpressRoute gateway a route table whose entries, in
 * order of preference at equal prefix length, are its VNet, its point-to-site clients,
 * its circuits (and those of the VNet's ExpressRoute gateway), its tunnels, its
 * point-to-site pool and the default site (forced tunnelling). Throughput comes from the
 * capability table of the scenario's rules edition.
 */
import { expressRouteCapabilities, gatewayCapabilities } from '../../gateway/capabilities.js';
import { NodeId } from '../../gateway/nodes/ids.js';
import { Next, RouteTable } from '../../gateway/world.js';
import type { RouteEntry, WGateway } from '../../gateway/world.js';
import { lastAddress } from '../../net/ipv4.js';
import { policySelectors } from './selectors.js';
import { counter, route, subnetGlobal } from './state.js';
import type { CompileState } from './state.js';

/** The gateways of the world, in scenario order. */
export function compileGateways(st: CompileState): WGateway[] {
  const { s, vnetIdx, gwSelectors, firstGateway, gwP2sRoutes, gwErRoutes, vnetErRoutes, gwTunnelRoutes, gwDefaultRoute } = st;
  return s.gateways.map((g, gi) => {
    const vi = vnetIdx.get(g.vnet) ?? 0;
    const v = s.vnets[vi];
    const space = v ? v.addressSpace : [];
    const caps = g.type === 'Vpn' && g.vpnType ? gatewayCapabilities(s.edition, g.vpnType, g.sku) : expressRouteCapabilities(s.edition, g.sku);
    const bps = caps ? (g.type === 'Vpn' ? caps.vpnThroughputBps : caps.expressRouteThroughputBps) : 0;
    const gsIndex = v ? v.subnets.findIndex((sn) => sn.name === 'GatewaySubnet') : -1;
    const gatewaySubnet = v && gsIndex >= 0 ? v.subnets[gsIndex] : undefined;
    // The gateway's instances sit in the GatewaySubnet, so what it hands into its VNet leaves by
    // that subnet's routes, wherever it came from (virtual-network-scenario-udr-gw-nva.md,
    // ms.date 05/05/2016: "apply a route table to the GatewaySubnet ... forward all traffic
    // coming into the Azure VNet from a hybrid connection"); without routes it goes straight to
    // the VNet's hosts, as the subnet's routes would send it (VnetLocal) with one hop less.
    const throughGatewaySubnet = gatewaySubnet !== undefined && gatewaySubnet.routes.length > 0;
    const base = {
      name: g.name, vnet: vi, kind: g.type, sku: g.sku, publicIp: g.publicIp ?? 0,
      // Its own address in the GatewaySubnet: the last usable one (broadcast - 1), where Azure's
      // 2016 BGP article shows it ("Azure VNet BGP IP: 10.12.255.30" for GatewaySubnet
      // 10.12.255.0/27, vpn-gateway-bgp-resource-manager-ps.md, ms.date 04/15/2016).
      privateIp: gatewaySubnet ? (lastAddress(gatewaySubnet.prefix.addr, gatewaySubnet.prefix.len) - 1) >>> 0 : 0,
      deliverNode: throughGatewaySubnet ? NodeId.SUBNET_ROUTE : NodeId.VNET_DELIVER,
      deliverArg: throughGatewaySubnet ? subnetGlobal(s, vi, gsIndex) : vi,
      bytesPerSecond: bps / 8,
      counter: counter(st, g.name),
    };
    const vpnType = g.vpnType;
    if (g.type === 'Vpn' && vpnType === 'PolicyBased') {
      return { ...base, vpnType, policy: policySelectors(gwSelectors[gi]!.map((x, k) => ({ ...x, permit: true, entry: k + 1, noSa: '' }))) };
    }
    const erGi = firstGateway.get(`${g.vnet}\u0000ExpressRoute`) ?? -1;
    const entries: RouteEntry[] = [
      ...space.map((p) => route(p, Next.LOCAL, -1, 'VNet', `VnetLocal (${g.vnet})`)),
      ...gwP2sRoutes[gi]!.filter((r) => r.next === Next.TUNNEL),
      ...gwErRoutes[gi]!,
      // A VPN gateway next to an ExpressRoute gateway: ExpressRoute prefixes go back to the VNet's ER gateway, preferred.
      ...(g.type === 'Vpn' && erGi >= 0 ? vnetErRoutes[vi]!.map((r) => ({ ...r, source: 'ExpressRoute' })) : []),
      ...gwTunnelRoutes[gi]!,
      ...gwP2sRoutes[gi]!.filter((r) => r.next !== Next.TUNNEL),
      ...(gwDefaultRoute[gi] ? [gwDefaultRoute[gi]!] : []),
    ];
    return { ...base, ...(vpnType ? { vpnType } : {}), table: new RouteTable(entries) };
  });
}
