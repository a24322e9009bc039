/**
 * Sites and their VPN devices. A device's VPN type is its own, else that of the first
 * gateway an IPsec connection links it to; a policy-based device gets selectors (from its
 * route-based connections' access lists, then the plan of its policy-based pairs, see
 * selectors.ts), a route-based one a route table of its tunnels. A site's edge sends its
 * own prefixes to the LAN, ExpressRoute-learned ones over the circuit, the rest to the
 * device. A device's own IKE settings are compiled by device-ike.ts; a device behind a NAT
 * keeps its own address (`natPrivateIp`) beside the site's public one (`publicIp`).
 */
import { HostTable, Next, RouteTable } from '../../gateway/world.js';
import type { WDevice, WSite } from '../../gateway/world.js';
import { formatIPv4 } from '../../net/ipv4.js';
import { LpmTable } from '../../net/lpm.js';
import type { VpnType } from '../types.js';
import { compileDeviceIke } from './device-ike.js';
import { policyDeviceRows, policySelectors } from './selectors.js';
import { ANY, counter, route } from './state.js';
import type { CompileState } from './state.js';

/** The sites of the world and their devices, in scenario order. */
export function compileSites(st: CompileState): WSite[] {
  const { s, gwIdx, siteDeviceSel, sitePairs, sitePairSa, siteAcl, sitePlan, siteDeviceRoutes, siteErRoutes, siteHosts } = st;
  return s.sites.map((site, si) => {
    const connected = s.connections.filter((c) => c.type === 'IPsec' && c.site === site.name);
    const firstGw = connected.length ? s.gateways[gwIdx.get(connected[0]!.gateway) ?? -1] : undefined;
    const vpnType: VpnType = site.device?.vpnType ?? firstGw?.vpnType ?? 'RouteBased';
    const dcounter = counter(st, `${site.name}/device`);
    const ike = compileDeviceIke(site.device?.ike);
    const natPrivateIp = site.device?.nat?.privateIp ?? null;
    let device: WDevice;
    if (vpnType === 'PolicyBased') {
      const rows = [...siteDeviceSel[si]!, ...policyDeviceRows(sitePairs[si]!, sitePairSa[si]!, siteAcl[si]!, sitePlan[si]!)];
      device = { name: `${site.name}/device`, vpnType, publicIp: site.gatewayIp, policy: policySelectors(rows), counter: dcounter, ike, natPrivateIp };
    } else {
      device = {
        name: `${site.name}/device`, vpnType, publicIp: site.gatewayIp, counter: dcounter, ike, natPrivateIp,
        table: new RouteTable([...siteDeviceRoutes[si]!, route(ANY, Next.INTERNET, -1, 'Default', 'Internet')]),
      };
    }
    const edge = new RouteTable([
      ...site.addressPrefixes.map((p) => route(p, Next.LOCAL, -1, 'Site', `LAN ${site.name}`)),
      ...siteErRoutes[si]!,
      route(ANY, Next.DEVICE, si, 'Default', `VPN device ${formatIPv4(site.gatewayIp)}`),
    ]);
    return {
      name: site.name, prefixes: site.addressPrefixes,
      prefixLpm: LpmTable.compile(site.addressPrefixes.map((p) => ({ addr: p.addr, len: p.len }))),
      edge, hosts: new HostTable(siteHosts[si]!), device, counter: counter(st, `${site.name}/lan`),
    };
  });
}
