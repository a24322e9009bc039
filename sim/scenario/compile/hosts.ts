/**
 * Hosts: the VMs of every VNet (with the subnet each is in) and the machines of every
 * site, numbered in that order; point-to-site clients (p2s.ts) and flow sources written as
 * addresses (flows.ts) are added after them.
 */
import { NetKind } from '../../gateway/world.js';
import { contains } from '../../net/ipv4.js';
import { subnetGlobal } from './state.js';
import type { CompileState } from './state.js';

/** The hosts of every VNet, then of every site. */
export function compileHosts(st: CompileState): void {
  const { s, hosts, vnetHosts, siteHosts } = st;
  s.vnets.forEach((v, vi) => {
    for (const h of v.hosts) {
      const subnet = v.subnets.findIndex((sn) => contains(sn.prefix.addr, sn.prefix.len, h.ip));
      const index = hosts.length;
      hosts.push({ name: h.name, ip: h.ip, netKind: NetKind.VNET, net: vi, subnet: subnetGlobal(s, vi, Math.max(0, subnet)) });
      vnetHosts[vi]!.push({ ip: h.ip, index });
    }
  });
  s.sites.forEach((site, si) => {
    for (const h of site.hosts) {
      const index = hosts.length;
      hosts.push({ name: h.name, ip: h.ip, netKind: NetKind.SITE, net: si, subnet: -1 });
      siteHosts[si]!.push({ ip: h.ip, index });
    }
  });
}
