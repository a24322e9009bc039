/**
 * Site-to-Site (IPsec) and VNet-to-VNet connections: their tunnels and SAs, and the routes
 * and selectors they add to their gateways and sites. A policy-based gateway gets one SA
 * pair per prefix pair (VNet prefix x site prefix) that the device's access list accepts
 * (see selectors.ts); a route-based one a single any-to-any pair. The SAs are slots that IKE
 * keys during the run (sim/gateway/ike-plane.ts), which decides whether keys, versions and
 * proposals agree. What is known now (a fault, a pair the device's access list refuses,
 * VNet-to-VNet between gateways that are not both route-based) makes the tunnel down here,
 * with the reason its packets are dropped (tunnel-down) and why.
 */
import { dropReasonCode } from '../../engine/drop-reasons.js';
import { policySelectorPairs } from '../../gateway/selectors.js';
import { EndKind, Next } from '../../gateway/world.js';
import { covers } from '../../net/ipv4.js';
import type { Connection, Gateway, Prefix, Vnet } from '../types.js';
import { addTunnel } from './sas.js';
import { deviceAcl, refusedDetail } from './selectors.js';
import { ANY, route, vnetOf } from './state.js';
import type { CompileState } from './state.js';

const R_TUNNEL_DOWN = dropReasonCode('tunnel-down');

/** The tunnels of every IPsec and Vnet2Vnet connection, in connection order. */
export function compileTunnels(st: CompileState): void {
  const { s, gwIdx } = st;
  s.connections.forEach((c, ci) => {
    const g = s.gateways[gwIdx.get(c.gateway) ?? -1];
    const gi = gwIdx.get(c.gateway) ?? -1;
    if (!g) return;
    const vnet = vnetOf(st, g);
    if (!vnet) return;
    if (c.type === 'IPsec') ipsecTunnels(st, c, ci, g, gi, vnet);
    else if (c.type === 'Vnet2Vnet') vnet2vnetTunnel(st, c, ci, g, gi, vnet);
  });
}

/** A Site-to-Site connection `c` (index `ci`) of gateway `g` (index `gi`) in `vnet`. */
function ipsecTunnels(st: CompileState, c: Connection, ci: number, g: Gateway, gi: number, vnet: Vnet): void {
  const { s, down, siteIdx, gwPropagated, sitePlan, sitePairs, siteAcl, gwSelectors, sitePairSa, siteDeviceRoutes, gwTunnelRoutes, gwDefaultRoute, siteDeviceSel } = st;
  const gwIp = g.publicIp ?? 0;
  const si = siteIdx.get(c.site ?? '') ?? -1;
  const site = s.sites[si];
  if (!site) return;
  // IKE decides during the run whether the tunnel comes up (keys, versions, proposals); only a fault is known now.
  const downDetail = down.has(c.name) ? `connection ${c.name} is down (fault)` : '';
  for (const p of site.addressPrefixes) gwPropagated[gi]!.push(p);
  if (g.vpnType === 'PolicyBased') {
    // One SA pair per prefix pair (VNet prefix x site prefix), in that order.
    const pairs: { vp: Prefix; sp: Prefix; saOut: number; saIn: number }[] = [];
    const plan = sitePlan[si]!;
    sitePairs[si]!.forEach(({ pair, connection }, k) => {
      if (connection !== ci) return;
      const { vnet: vp, site: sp } = pair;
      // IKEv1 quick mode: Azure proposes (vp, sp); the device answers with the first entry covering it.
      const detail = downDetail || refusedDetail(site, siteAcl[si]!, plan.coverOf[k]!, pair, plan.entryOf[k]! >= 0);
      const [saOut, saIn] = addTunnel(
        st, `${c.name}#${pairs.length + 1}`, ci, ci, EndKind.GATEWAY, gi, gwIp, EndKind.DEVICE, si, site.gatewayIp, vp, sp,
        detail ? R_TUNNEL_DOWN : 0, detail, true,
      );
      pairs.push({ vp, sp, saOut, saIn });
      gwSelectors[gi]!.push({ src: vp, dst: sp, sa: saOut, text: `${vp.text} → ${sp.text} (${c.name})` });
      sitePairSa[si]![k] = saIn;
    });
    for (const vp of vnet.addressSpace) {
      const pick = pairs.find((p) => covers(vp, p.vp)) ?? pairs[0];
      if (pick) siteDeviceRoutes[si]!.push(route(vp, Next.TUNNEL, pick.saIn, 'Connection', `tunnel ${c.name}`));
    }
  } else {
    const [saOut, saIn] = addTunnel(
      st, c.name, ci, ci, EndKind.GATEWAY, gi, gwIp, EndKind.DEVICE, si, site.gatewayIp, ANY, ANY,
      downDetail ? R_TUNNEL_DOWN : 0, downDetail, true,
    );
    for (const p of site.addressPrefixes) gwTunnelRoutes[gi]!.push(route(p, Next.TUNNEL, saOut, 'Connection', `tunnel ${c.name}`));
    if (g.defaultSite === site.name) gwDefaultRoute[gi] = route(ANY, Next.TUNNEL, saOut, 'DefaultSite', `tunnel ${c.name} (default site, forced tunnelling)`);
    const acl = deviceAcl(site, policySelectorPairs(vnet.addressSpace, site.addressPrefixes));
    acl.forEach((e, k) => siteDeviceSel[si]!.push({ src: e.src, dst: e.dst, permit: e.permit, sa: e.permit ? saIn : -1, entry: k + 1, text: e.text, noSa: '' }));
    const devRoutes = site.device?.routes ?? [...vnet.addressSpace, ...(g.p2s ? [g.p2s.addressPool] : [])];
    for (const p of devRoutes) siteDeviceRoutes[si]!.push(route(p, Next.TUNNEL, saIn, 'Connection', `tunnel ${c.name}`));
  }
}

/** A Vnet2Vnet connection `c` (index `ci`) of gateway `g` (index `gi`) in `vnet`: one tunnel for both directions. */
function vnet2vnetTunnel(st: CompileState, c: Connection, ci: number, g: Gateway, gi: number, vnet: Vnet): void {
  const { s, down, gwIdx, firstV2v, gwTunnelRoutes, gwPropagated } = st;
  const gwIp = g.publicIp ?? 0;
  const pi = gwIdx.get(c.peerGateway ?? '') ?? -1;
  const peer = s.gateways[pi];
  if (!peer) return;
  const peerVnet = vnetOf(st, peer);
  if (!peerVnet) return;
  // A connection defined in both directions forms one tunnel; the second is its reverse.
  const reverse = firstV2v.get(`${c.peerGateway}\u0000${c.gateway}`) ?? -1;
  if (reverse >= 0 && reverse < ci) return;
  let downDetail = '';
  const rev = reverse >= 0 ? s.connections[reverse] : undefined;
  if (down.has(c.name) || (rev && down.has(rev.name))) downDetail = `connection ${down.has(c.name) ? c.name : rev!.name} is down (fault)`;
  else if (g.vpnType !== 'RouteBased' || peer.vpnType !== 'RouteBased') downDetail = 'VNet-to-VNet needs route-based gateways at both ends';
  const [toPeer, fromPeer] = addTunnel(
    st, c.name, ci, reverse >= 0 ? reverse : ci, EndKind.GATEWAY, gi, gwIp, EndKind.GATEWAY, pi, peer.publicIp ?? 0, ANY, ANY,
    downDetail ? R_TUNNEL_DOWN : 0, downDetail, true,
  );
  for (const p of peerVnet.addressSpace) {
    gwTunnelRoutes[gi]!.push(route(p, Next.TUNNEL, toPeer, 'Connection', `tunnel ${c.name}`));
    gwPropagated[gi]!.push(p);
  }
  for (const p of vnet.addressSpace) {
    gwTunnelRoutes[pi]!.push(route(p, Next.TUNNEL, fromPeer, 'Connection', `tunnel ${rev ? rev.name : c.name}`));
    gwPropagated[pi]!.push(p);
  }
}
