/**
 * Point-to-site: per gateway with `p2s`, one connection (`<gateway>-p2s`) and per client a
 * host at the next address of the pool, a tunnel to the gateway (down when the client's
 * certificate is refused or the connection is down) and the client's own route table.
 */
import { dropReasonCode } from '../../engine/drop-reasons.js';
import { EndKind, NetKind, Next, RouteTable } from '../../gateway/world.js';
import { makePrefix } from '../../net/ipv4.js';
import { p2sClientIp, p2sConnectionName } from '../types.js';
import { addTunnel } from './sas.js';
import { ANY, counter, route, vnetOf } from './state.js';
import type { CompileState } from './state.js';

const R_TUNNEL_DOWN = dropReasonCode('tunnel-down');
const R_P2S_AUTH = dropReasonCode('p2s-auth');

/** The point-to-site connection, clients and tunnels of every gateway, in gateway order. */
export function compileP2s(st: CompileState): void {
  const { s, down, connections, gwPropagated, hosts, p2sClients, gwP2sRoutes } = st;
  s.gateways.forEach((g, gi) => {
    if (!g.p2s) return;
    const vnet = vnetOf(st, g);
    if (!vnet) return;
    const connName = p2sConnectionName(g.name);
    const ci = connections.length;
    connections.push({ name: connName, type: 'P2S', gateway: gi, site: -1, peerGateway: -1, sharedKey: null, peerSharedKey: null, transform: null, peerTransform: null });
    const pool = g.p2s.addressPool;
    gwPropagated[gi]!.push(pool);
    g.p2s.clients.forEach((cl, k) => {
      const ip = p2sClientIp(pool, k);
      const idx = p2sClients.length;
      const host = hosts.length;
      hosts.push({ name: cl.name, ip, netKind: NetKind.P2S, net: idx, subnet: -1 });
      const clientPrefix = makePrefix(ip, 32);
      let reason = 0;
      let detail = '';
      if (down.has(connName)) { reason = R_TUNNEL_DOWN; detail = `${connName} is down (fault)`; }
      else if (cl.certificate !== 'valid') {
        reason = R_P2S_AUTH;
        detail = `${g.name} refused ${cl.name}'s client certificate (${cl.certificate === 'revoked' ? 'it is on the revocation list' : 'it does not chain to an uploaded root certificate'})`;
      }
      const [gwToClient, clientToGw] = addTunnel(
        st, `${connName}/${cl.name}`, ci, ci, EndKind.GATEWAY, gi, g.publicIp ?? 0, EndKind.P2S, idx, ip, ANY, clientPrefix, reason, detail, false,
      );
      gwP2sRoutes[gi]!.push(route(clientPrefix, Next.TUNNEL, gwToClient, 'P2S', `P2S client ${cl.name}`));
      // The client's routes: the VNet's address space into the tunnel, everything else (sites
      // included) by the client's own Internet link. The 2016 VPN client package connects "to
      // anything located in your virtual network" (vpn-gateway-vpn-faq.md, ms.date 03/10/2016);
      // "About Point-to-Site routing" (vpn-gateway-about-point-to-site-routing.md, ms.date
      // 04/16/2018), "One VNet and a branch office": Windows clients get the VNet's routes, "can
      // access only VNet1", and routes to the site "must be manually added to the client".
      const table = new RouteTable([
        ...vnet.addressSpace.map((p) => route(p, Next.TUNNEL, clientToGw, 'P2S', `tunnel ${connName}`)),
        route(ANY, Next.INTERNET, -1, 'Default', 'Internet'),
      ]);
      p2sClients.push({ name: cl.name, ip, host, gateway: gi, certificate: cl.certificate, table, counter: counter(st, cl.name) });
    });
    gwP2sRoutes[gi]!.push(route(pool, Next.NO_HOST, -1, 'P2S', `P2S address pool of ${g.name}`));
  });
}
