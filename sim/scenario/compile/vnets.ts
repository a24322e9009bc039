/**
 * VNets and their subnets. A subnet's route table holds, in order of preference at equal
 * prefix length: its user-defined routes, the routes ExpressRoute teaches the VNet, the
 * prefixes the VNet's VPN gateway propagates, the VNet's own address space, and the
 * default route to the Internet.
 */
import { HostTable, Next, RouteTable } from '../../gateway/world.js';
import type { RouteEntry, WSubnet, WVnet } from '../../gateway/world.js';
import { LpmTable } from '../../net/lpm.js';
import { ANY, counter, route } from './state.js';
import type { CompileState } from './state.js';

/** The VNets and subnets of the world, in scenario order. */
export function compileVnets(st: CompileState): { vnets: WVnet[]; subnets: WSubnet[] } {
  const { s, vnetHosts, firstGateway, vnetErRoutes, gwPropagated } = st;
  const vnets: WVnet[] = s.vnets.map((v, vi) => ({
    name: v.name,
    space: v.addressSpace,
    spaceLpm: LpmTable.compile(v.addressSpace.map((p) => ({ addr: p.addr, len: p.len }))),
    hosts: new HostTable(vnetHosts[vi]!),
    counter: counter(st, v.name),
  }));
  const subnets: WSubnet[] = [];
  s.vnets.forEach((v, vi) => {
    const vpnGi = firstGateway.get(`${v.name}\u0000Vpn`) ?? -1;
    const erGi = firstGateway.get(`${v.name}\u0000ExpressRoute`) ?? -1;
    for (const sn of v.subnets) {
      const entries: RouteEntry[] = [];
      for (const r of sn.routes) {
        if (r.nextHop === 'Internet') entries.push(route(r.prefix, Next.INTERNET, -1, 'User', 'Internet'));
        else if (r.nextHop === 'None') entries.push(route(r.prefix, Next.DROP, -1, 'User', 'None'));
        else {
          const gi = vpnGi >= 0 ? vpnGi : erGi;
          entries.push(gi >= 0
            ? route(r.prefix, Next.GATEWAY, gi, 'User', `VirtualNetworkGateway ${s.gateways[gi]!.name}`)
            : route(r.prefix, Next.DROP, -1, 'User', 'VirtualNetworkGateway (none in this VNet: invalid route)'));
        }
      }
      // ExpressRoute before VPN: at equal prefix length the earlier entry wins.
      entries.push(...vnetErRoutes[vi]!);
      if (vpnGi >= 0) {
        const g = s.gateways[vpnGi]!;
        for (const p of gwPropagated[vpnGi]!) entries.push(route(p, Next.GATEWAY, vpnGi, 'VirtualNetworkGateway', `VirtualNetworkGateway ${g.name}`));
      }
      for (const p of v.addressSpace) entries.push(route(p, Next.LOCAL, -1, 'Default', 'VnetLocal'));
      entries.push(route(ANY, Next.INTERNET, -1, 'Default', 'Internet'));
      subnets.push({ name: sn.name, vnet: vi, prefix: sn.prefix, table: new RouteTable(entries), counter: counter(st, `${v.name}/${sn.name}`) });
    }
  });
  return { vnets, subnets };
}
