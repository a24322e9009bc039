/**
 * ExpressRoute connections: each up circuit becomes a path (two directions) between its
 * gateway and its site, with the circuit's on-premises prefixes routed over it in the
 * gateway and, preferred over VPN, in the VNet, and the VNet's address space routed back
 * from the site. A circuit or connection that is down adds nothing: the VPN takes over.
 */
import { Next } from '../../gateway/world.js';
import { counter, route, vnetOf } from './state.js';
import type { CompileState } from './state.js';

/** The paths and routes of every ExpressRoute connection, in connection order. */
export function compileCircuits(st: CompileState): void {
  const { s, gwIdx, circuitByName, siteIdx, down, erPaths, vnetIdx, gwErRoutes, vnetErRoutes, siteErRoutes } = st;
  s.connections.forEach((c, ci) => {
    if (c.type !== 'ExpressRoute') return;
    const g = s.gateways[gwIdx.get(c.gateway) ?? -1];
    const gi = gwIdx.get(c.gateway) ?? -1;
    if (!g) return;
    const vnet = vnetOf(st, g);
    if (!vnet) return;
    const circuit = circuitByName.get(c.circuit ?? '');
    if (!circuit) return;
    const si = siteIdx.get(circuit.site) ?? -1;
    if (si < 0) return;
    if (down.has(c.name) || down.has(circuit.name)) return; // withdrawn: the VPN takes over
    const path = erPaths.length;
    erPaths.push({ connection: ci, circuit: circuit.name, gateway: gi, site: si, counter: counter(st, circuit.name) });
    const vi = vnetIdx.get(g.vnet)!;
    for (const p of circuit.onPremisesPrefixes) {
      gwErRoutes[gi]!.push(route(p, Next.ER, path * 2, 'ExpressRoute', `circuit ${circuit.name} (${c.name})`));
      vnetErRoutes[vi]!.push(route(p, Next.GATEWAY, gi, 'VirtualNetworkGateway', `VirtualNetworkGateway ${g.name} (ExpressRoute)`));
    }
    for (const p of vnet.addressSpace) {
      siteErRoutes[si]!.push(route(p, Next.ER, path * 2 + 1, 'ExpressRoute', `circuit ${circuit.name} (${c.name})`));
    }
  });
}
