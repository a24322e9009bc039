/**
 * Compile a checked Scenario into a World: every route table becomes an LPM table, every
 * selector list a classifier, every host table a sorted array, every connection its
 * tunnels and SAs. Runs once per configuration (and again after a fault changes which
 * connections are up): "compile once, look up many".
 *
 * This module owns the routing rules of SCENARIO-FORMAT.md ("effective routes"): system
 * routes, gateway-propagated routes, user-defined routes and their precedence, the
 * gateway routing tables, policy-based selectors (every VNet prefix x every site prefix),
 * device access lists and routes, ExpressRoute preference over VPN.
 * It assumes checkScenario found no error: unknown references are skipped, not reported.
 */
import { LpmTable } from '../net/lpm.js';
import { SelectorClassifier } from '../net/classifier.js';
import { parseAclLine } from '../net/acl.js';
import { covers, makePrefix, parseIPv4, contains, formatIPv4, lastAddress } from '../net/ipv4.js';
import { dropReasonCode } from '../engine/drop-reasons.js';
import { deriveSaKeys } from '../ipsec/keys.js';
import { DEFAULT_REPLAY_WINDOW } from '../ipsec/replay.js';
import { transformByProposal } from '../ipsec/transforms.js';
import type { Transform } from '../ipsec/transforms.js';
import { gatewayCapabilities, expressRouteCapabilities } from '../gateway/capabilities.js';
import { NodeId } from '../gateway/nodes/ids.js';
import { DEFAULT_TRANSFORM, DEFAULT_PATH_MTU } from '../gateway/esp-sizes.js';
import {
  EndKind, HostTable, NetKind, Next, RouteTable,
} from '../gateway/world.js';
import type {
  EndKindCode, NetKindCode, NextCode, PolicySelectors, RouteEntry, WConnection, WDevice, WErPath, WGateway, WHost,
  WP2sClient, WSa, WSite, WSubnet, WTunnel, WVnet, World,
} from '../gateway/world.js';
import { p2sClientIp, p2sConnectionName } from './types.js';
import { devicePairPlan, policySelectorPairs } from '../gateway/selectors.js';
import type { DevicePairPlan, PrefixPair } from '../gateway/selectors.js';
import { andList, LIST_MAX, listText } from './message-text.js';
import type { Prefix, Scenario, Site, Gateway, VpnType } from './types.js';

const ANY: Prefix = makePrefix(0, 0);
const R_TUNNEL_DOWN = dropReasonCode('tunnel-down');
const R_P2S_AUTH = dropReasonCode('p2s-auth');

/** Where a flow's packets start and go. */
export interface FlowEndpoints {
  readonly srcIp: number;
  readonly dstIp: number;
  /** Host index in world.hosts where packets start. */
  readonly origin: number;
}

export interface Compiled {
  readonly world: World;
  /** Per flow (scenario order): its endpoints, or a message when it cannot start anywhere. */
  readonly flows: readonly (FlowEndpoints | { readonly error: string; readonly path: string })[];
}

function route(prefix: Prefix, next: NextCode, target: number, source: string, nextHop: string): RouteEntry {
  return { prefix, next, target, source, nextHop };
}

/** Compile `s` with the named connections and circuits down. */
export function compileWorld(s: Scenario, down: ReadonlySet<string> = new Set()): Compiled {
  const counterNodes: string[] = [];
  const counter = (label: string): number => {
    counterNodes.push(label);
    return counterNodes.length - 1;
  };
  const vnetIdx = new Map(s.vnets.map((v, i) => [v.name, i]));
  const gwIdx = new Map(s.gateways.map((g, i) => [g.name, i]));
  const siteIdx = new Map(s.sites.map((x, i) => [x.name, i]));
  const circuitByName = new Map(s.circuits.map((c) => [c.name, c]));
  // First gateway of each (VNet, type) and first Vnet2Vnet connection of each direction: lookups, not scans.
  const firstGateway = new Map<string, number>();
  s.gateways.forEach((g, i) => {
    const k = `${g.vnet}\u0000${g.type}`;
    if (!firstGateway.has(k)) firstGateway.set(k, i);
  });
  const firstV2v = new Map<string, number>();
  s.connections.forEach((o, i) => {
    const k = `${o.gateway}\u0000${o.peerGateway}`;
    if (o.type === 'Vnet2Vnet' && !firstV2v.has(k)) firstV2v.set(k, i);
  });

  // ---- hosts ----
  const hosts: WHost[] = [];
  const vnetHosts: { ip: number; index: number }[][] = s.vnets.map(() => []);
  const siteHosts: { ip: number; index: number }[][] = s.sites.map(() => []);
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

  // ---- connections, tunnels, SAs ----
  const connections: WConnection[] = s.connections.map((c) => ({ name: c.name, type: c.type }));
  const tunnels: WTunnel[] = [];
  const sas: WSa[] = [];
  // SPIs and keys come from deriveSaKeys (seed, connection, SA label, transform): the one
  // function the IKE work replaces. An SPI already used towards the same destination is
  // re-derived with a counter in the label (never seen in practice, but lookups need it unique).
  const used = new Set<string>();
  const addSa = (
    name: string, connection: number, tunnel: number, outerSrc: number, outerDst: number,
    fromKind: EndKindCode, from: number, toKind: EndKindCode, to: number, selSrc: Prefix, selDst: Prefix,
  ): number => {
    const connName = connections[connection]!.name;
    const conf = s.connections[connection];
    const transform = transformOf(conf?.transform);
    let keys = deriveSaKeys(s.seed, connName, name, transform);
    for (let k = 1; used.has(`${keys.spi}/${outerDst}`); k++) keys = deriveSaKeys(s.seed, connName, `${name}#${k}`, transform);
    used.add(`${keys.spi}/${outerDst}`);
    const mtu = conf?.mtu ?? DEFAULT_PATH_MTU;
    sas.push({
      name, connection, tunnel, spi: keys.spi, outerSrc, outerDst, fromKind, from, toKind, to, selSrc, selDst,
      transform: transform.name, encKey: keys.encKey, authKey: keys.authKey, mtu, replayWindow: conf?.replayWindow ?? DEFAULT_REPLAY_WINDOW,
    });
    return sas.length - 1;
  };
  /** Make a tunnel (an SA pair) between end A and end B; returns [saAtoB, saBtoA]. */
  const addTunnel = (
    name: string, connA: number, connB: number, aKind: EndKindCode, a: number, aIp: number, bKind: EndKindCode, b: number, bIp: number,
    aSel: Prefix, bSel: Prefix, downReason: number, downDetail: string,
  ): [number, number] => {
    const t = tunnels.length;
    const out = addSa(`${name}/out`, connA, t, aIp, bIp, aKind, a, bKind, b, aSel, bSel);
    const inn = addSa(`${name}/in`, connB, t, bIp, aIp, bKind, b, aKind, a, bSel, aSel);
    tunnels.push({ name, connection: connA, saOut: out, saIn: inn, downReason, downDetail });
    return [out, inn];
  };

  // Per gateway: routes its connections add, in preference groups.
  const gwTunnelRoutes: RouteEntry[][] = s.gateways.map(() => []);
  const gwP2sRoutes: RouteEntry[][] = s.gateways.map(() => []);
  const gwSelectors: { src: Prefix; dst: Prefix; sa: number; text: string }[][] = s.gateways.map(() => []);
  const gwDefaultRoute: (RouteEntry | undefined)[] = s.gateways.map(() => undefined);
  /** Per gateway: prefixes it propagates into its VNet (site prefixes, peers, P2S pool). */
  const gwPropagated: Prefix[][] = s.gateways.map(() => []);
  /** Per site: device-side entries. */
  const siteDeviceSel: SelectorRow[][] = s.sites.map(() => []);
  const siteDeviceRoutes: RouteEntry[][] = s.sites.map(() => []);
  const erPaths: WErPath[] = [];
  const siteErRoutes: RouteEntry[][] = s.sites.map(() => []);
  const gwErRoutes: RouteEntry[][] = s.gateways.map(() => []);
  /** Per VNet: ExpressRoute-learned prefixes → ER gateway. */
  const vnetErRoutes: RouteEntry[][] = s.vnets.map(() => []);

  const vnetOf = (g: Gateway) => s.vnets[vnetIdx.get(g.vnet) ?? -1];

  // Per site: the prefix pairs of its policy-based connections (connection order, VNet prefixes
  // outer), the device's access list and its SA plan for them (devicePairPlan), made once.
  const sitePairs: SitePair[][] = s.sites.map(() => []);
  s.connections.forEach((c, ci) => {
    const g = s.gateways[gwIdx.get(c.gateway) ?? -1];
    const vnet = g ? vnetOf(g) : undefined;
    const si = siteIdx.get(c.site ?? '') ?? -1;
    if (c.type !== 'IPsec' || g?.vpnType !== 'PolicyBased' || !vnet || si < 0) return;
    for (const pair of policySelectorPairs(vnet.addressSpace, s.sites[si]!.addressPrefixes)) sitePairs[si]!.push({ pair, connection: ci, gateway: g.name });
  });
  const siteAcl = s.sites.map((site, si) => deviceAcl(site, sitePairs[si]!.map((x) => x.pair)));
  const sitePlan = s.sites.map((_, si) => devicePairPlan(sitePairs[si]!.map((x) => x.pair), siteAcl[si]!));
  /** Per site: the device's inbound SA of each pair of sitePairs (set where the pair's tunnel is made). */
  const sitePairSa: number[][] = s.sites.map(() => []);

  s.connections.forEach((c, ci) => {
    const g = s.gateways[gwIdx.get(c.gateway) ?? -1];
    const gi = gwIdx.get(c.gateway) ?? -1;
    if (!g) return;
    const vnet = vnetOf(g);
    if (!vnet) return;
    const gwIp = g.publicIp ?? 0;
    if (c.type === 'IPsec') {
      const si = siteIdx.get(c.site ?? '') ?? -1;
      const site = s.sites[si];
      if (!site) return;
      const devType: VpnType = site.device?.vpnType ?? g.vpnType ?? 'RouteBased';
      let downDetail = '';
      if (down.has(c.name)) downDetail = `connection ${c.name} is down (fault)`;
      else if (site.device?.sharedKey !== undefined && c.sharedKey !== undefined && site.device.sharedKey !== c.sharedKey) {
        downDetail = `IKE authentication failed on ${c.name}: the shared keys of ${g.name} and ${site.name}'s device differ (***)`;
      } else if (c.sharedKey === undefined && site.device?.sharedKey === undefined) {
        downDetail = `connection ${c.name} has no sharedKey: IKE cannot authenticate`;
      } else if (g.vpnType && devType !== g.vpnType) {
        downDetail = `${site.name}'s device is ${devType} (${devType === 'PolicyBased' ? 'IKEv1' : 'IKEv2'}) but ${g.name} is ${g.vpnType} (${g.vpnType === 'PolicyBased' ? 'IKEv1' : 'IKEv2'}): IKE cannot agree`;
      }
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
            `${c.name}#${pairs.length + 1}`, ci, ci, EndKind.GATEWAY, gi, gwIp, EndKind.DEVICE, si, site.gatewayIp, vp, sp,
            detail ? R_TUNNEL_DOWN : 0, detail,
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
          c.name, ci, ci, EndKind.GATEWAY, gi, gwIp, EndKind.DEVICE, si, site.gatewayIp, ANY, ANY,
          downDetail ? R_TUNNEL_DOWN : 0, downDetail,
        );
        for (const p of site.addressPrefixes) gwTunnelRoutes[gi]!.push(route(p, Next.TUNNEL, saOut, 'Connection', `tunnel ${c.name}`));
        if (g.defaultSite === site.name) gwDefaultRoute[gi] = route(ANY, Next.TUNNEL, saOut, 'DefaultSite', `tunnel ${c.name} (default site, forced tunnelling)`);
        const acl = deviceAcl(site, policySelectorPairs(vnet.addressSpace, site.addressPrefixes));
        acl.forEach((e, k) => siteDeviceSel[si]!.push({ src: e.src, dst: e.dst, permit: e.permit, sa: e.permit ? saIn : -1, entry: k + 1, text: e.text, noSa: '' }));
        const devRoutes = site.device?.routes ?? [...vnet.addressSpace, ...(g.p2s ? [g.p2s.addressPool] : [])];
        for (const p of devRoutes) siteDeviceRoutes[si]!.push(route(p, Next.TUNNEL, saIn, 'Connection', `tunnel ${c.name}`));
      }
    } else if (c.type === 'Vnet2Vnet') {
      const pi = gwIdx.get(c.peerGateway ?? '') ?? -1;
      const peer = s.gateways[pi];
      if (!peer) return;
      const peerVnet = vnetOf(peer);
      if (!peerVnet) return;
      // A connection defined in both directions forms one tunnel; the second is its reverse.
      const reverse = firstV2v.get(`${c.peerGateway}\u0000${c.gateway}`) ?? -1;
      if (reverse >= 0 && reverse < ci) return;
      let downDetail = '';
      const rev = reverse >= 0 ? s.connections[reverse] : undefined;
      if (down.has(c.name) || (rev && down.has(rev.name))) downDetail = `connection ${down.has(c.name) ? c.name : rev!.name} is down (fault)`;
      else if (rev && rev.sharedKey !== c.sharedKey) downDetail = `IKE authentication failed: ${c.name} and ${rev.name} have different shared keys (***)`;
      else if (rev && (rev.transform ?? DEFAULT_TRANSFORM.name) !== (c.transform ?? DEFAULT_TRANSFORM.name)) {
        downDetail = `IKE: no proposal chosen: ${c.name} offers ESP ${c.transform ?? DEFAULT_TRANSFORM.name} and ${rev.name} ${rev.transform ?? DEFAULT_TRANSFORM.name}`;
      }
      else if (g.vpnType !== 'RouteBased' || peer.vpnType !== 'RouteBased') downDetail = 'VNet-to-VNet needs route-based gateways at both ends';
      const [ab, ba] = addTunnel(
        c.name, ci, reverse >= 0 ? reverse : ci, EndKind.GATEWAY, gi, gwIp, EndKind.GATEWAY, pi, peer.publicIp ?? 0, ANY, ANY,
        downDetail ? R_TUNNEL_DOWN : 0, downDetail,
      );
      for (const p of peerVnet.addressSpace) {
        gwTunnelRoutes[gi]!.push(route(p, Next.TUNNEL, ab, 'Connection', `tunnel ${c.name}`));
        gwPropagated[gi]!.push(p);
      }
      for (const p of vnet.addressSpace) {
        gwTunnelRoutes[pi]!.push(route(p, Next.TUNNEL, ba, 'Connection', `tunnel ${rev ? rev.name : c.name}`));
        gwPropagated[pi]!.push(p);
      }
    } else if (c.type === 'ExpressRoute') {
      const circuit = circuitByName.get(c.circuit ?? '');
      if (!circuit) return;
      const si = siteIdx.get(circuit.site) ?? -1;
      if (si < 0) return;
      if (down.has(c.name) || down.has(circuit.name)) return; // withdrawn: the VPN takes over
      const path = erPaths.length;
      erPaths.push({ connection: ci, circuit: circuit.name, gateway: gi, site: si, counter: counter(`${circuit.name}/expressroute`) });
      const vi = vnetIdx.get(g.vnet)!;
      for (const p of circuit.onPremisesPrefixes) {
        gwErRoutes[gi]!.push(route(p, Next.ER, path * 2, 'ExpressRoute', `circuit ${circuit.name} (${c.name})`));
        vnetErRoutes[vi]!.push(route(p, Next.GATEWAY, gi, 'VirtualNetworkGateway', `VirtualNetworkGateway ${g.name} (ExpressRoute)`));
      }
      for (const p of vnet.addressSpace) {
        siteErRoutes[si]!.push(route(p, Next.ER, path * 2 + 1, 'ExpressRoute', `circuit ${circuit.name} (${c.name})`));
      }
    }
  });

  // ---- point-to-site ----
  const p2sClients: WP2sClient[] = [];
  s.gateways.forEach((g, gi) => {
    if (!g.p2s) return;
    const vnet = vnetOf(g);
    if (!vnet) return;
    const connName = p2sConnectionName(g.name);
    const ci = connections.length;
    connections.push({ name: connName, type: 'P2S' });
    const pool = g.p2s.addressPool;
    gwPropagated[gi]!.push(pool);
    g.p2s.clients.forEach((cl, k) => {
      const ip = p2sClientIp(pool, k);
      const idx = p2sClients.length;
      const host = hosts.length;
      hosts.push({ name: cl.name, ip, netKind: NetKind.P2S, net: idx, subnet: -1 });
      const me = makePrefix(ip, 32);
      let reason = 0;
      let detail = '';
      if (down.has(connName)) { reason = R_TUNNEL_DOWN; detail = `${connName} is down (fault)`; }
      else if (cl.certificate !== 'valid') {
        reason = R_P2S_AUTH;
        detail = `${g.name} refused ${cl.name}'s client certificate (${cl.certificate === 'revoked' ? 'it is on the revocation list' : 'it does not chain to an uploaded root certificate'})`;
      }
      const [gwToClient, clientToGw] = addTunnel(
        `${connName}/${cl.name}`, ci, ci, EndKind.GATEWAY, gi, g.publicIp ?? 0, EndKind.P2S, idx, ip, ANY, me, reason, detail,
      );
      gwP2sRoutes[gi]!.push(route(me, Next.TUNNEL, gwToClient, 'P2S', `P2S client ${cl.name}`));
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
      p2sClients.push({ name: cl.name, ip, host, gateway: gi, certificate: cl.certificate, table, counter: counter(`${cl.name}/client`) });
    });
    gwP2sRoutes[gi]!.push(route(pool, Next.NO_HOST, -1, 'P2S', `P2S address pool of ${g.name}`));
  });

  // ---- VNets and subnets ----
  const vnets: WVnet[] = s.vnets.map((v, vi) => ({
    name: v.name,
    space: v.addressSpace,
    spaceLpm: LpmTable.compile(v.addressSpace.map((p) => ({ addr: p.addr, len: p.len }))),
    hosts: new HostTable(vnetHosts[vi]!),
    counter: counter(`${v.name}/deliver`),
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
      subnets.push({ name: sn.name, vnet: vi, prefix: sn.prefix, table: new RouteTable(entries), counter: counter(`${v.name}/${sn.name}/route`) });
    }
  });

  // ---- gateways ----
  const gateways: WGateway[] = s.gateways.map((g, gi) => {
    const vi = vnetIdx.get(g.vnet) ?? 0;
    const v = s.vnets[vi];
    const space = v ? v.addressSpace : [];
    const caps = g.type === 'Vpn' && g.vpnType ? gatewayCapabilities(s.edition, g.vpnType, g.sku) : expressRouteCapabilities(s.edition, g.sku);
    const bps = caps ? (g.type === 'Vpn' ? caps.vpnThroughputBps : caps.expressRouteThroughputBps) : 0;
    const gsk = v ? v.subnets.findIndex((sn) => sn.name === 'GatewaySubnet') : -1;
    const gs = v && gsk >= 0 ? v.subnets[gsk] : undefined;
    // The gateway's instances sit in the GatewaySubnet, so what it hands into its VNet leaves by
    // that subnet's routes, wherever it came from (virtual-network-scenario-udr-gw-nva.md,
    // ms.date 05/05/2016: "apply a route table to the GatewaySubnet ... forward all traffic
    // coming into the Azure VNet from a hybrid connection"); without routes it goes straight to
    // the VNet's hosts, as the subnet's routes would send it (VnetLocal) with one hop less.
    const throughGs = gs !== undefined && gs.routes.length > 0;
    const base = {
      name: g.name, vnet: vi, kind: g.type, sku: g.sku, publicIp: g.publicIp ?? 0,
      // Its own address in the GatewaySubnet: the last usable one (broadcast - 1), where Azure's
      // 2016 BGP article shows it ("Azure VNet BGP IP: 10.12.255.30" for GatewaySubnet
      // 10.12.255.0/27, vpn-gateway-bgp-resource-manager-ps.md, ms.date 04/15/2016).
      privateIp: gs ? (lastAddress(gs.prefix.addr, gs.prefix.len) - 1) >>> 0 : 0,
      deliverNode: throughGs ? NodeId.SUBNET_ROUTE : NodeId.VNET_DELIVER,
      deliverArg: throughGs ? subnetGlobal(s, vi, gsk) : vi,
      bytesPerSecond: bps / 8,
      counterForward: counter(`${g.name}/forward`),
      counterCrypto: counter(`${g.name}/crypto`),
    };
    const vpnType = g.vpnType;
    if (g.type === 'Vpn' && vpnType === 'PolicyBased') {
      return { ...base, vpnType, policy: policy(gwSelectors[gi]!.map((x, k) => ({ ...x, permit: true, entry: k + 1, noSa: '' }))) };
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

  // ---- sites and devices ----
  const sites: WSite[] = s.sites.map((site, si) => {
    const connected = s.connections.filter((c) => c.type === 'IPsec' && c.site === site.name);
    const firstGw = connected.length ? s.gateways[gwIdx.get(connected[0]!.gateway) ?? -1] : undefined;
    const vpnType: VpnType = site.device?.vpnType ?? firstGw?.vpnType ?? 'RouteBased';
    const dcounter = counter(`${site.name}/device`);
    let device: WDevice;
    if (vpnType === 'PolicyBased') {
      const rows = [...siteDeviceSel[si]!, ...policyDeviceRows(sitePairs[si]!, sitePairSa[si]!, siteAcl[si]!, sitePlan[si]!)];
      device = { name: `${site.name}/device`, vpnType, publicIp: site.gatewayIp, policy: policy(rows), counter: dcounter };
    } else {
      device = {
        name: `${site.name}/device`, vpnType, publicIp: site.gatewayIp, counter: dcounter,
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
      edge, hosts: new HostTable(siteHosts[si]!), device, counter: counter(`${site.name}/lan`),
    };
  });

  // ---- flows ----
  const hostByName = new Map(hosts.map((h, i) => [h.name, i]));
  const flows = s.traffic.map((f) => {
    const resolveIp = (x: string): number | undefined => {
      const hi = hostByName.get(x);
      if (hi !== undefined) return hosts[hi]!.ip;
      const a = parseIPv4(x);
      return a.ok ? a.value : undefined;
    };
    const dstIp = resolveIp(f.to);
    let origin = hostByName.get(f.from);
    if (origin === undefined) {
      const a = parseIPv4(f.from);
      if (a.ok) {
        const existing = hosts.findIndex((h) => h.ip === a.value);
        origin = existing >= 0 ? existing : syntheticHost(s, hosts, a.value);
      }
    }
    if (dstIp === undefined) return { error: `flow "${f.id}": "${f.to}" is neither a host name nor an IPv4 address`, path: `${f.path}.to` };
    if (origin === undefined || origin < 0) {
      return { error: `flow "${f.id}": ${f.from} is in no VNet subnet, site prefix or P2S pool, so its packets cannot start anywhere; use a host name or an address inside one`, path: `${f.path}.from` };
    }
    return { srcIp: hosts[origin]!.ip, dstIp, origin };
  });

  return {
    world: {
      hosts, vnets, subnets, gateways, sites, p2sClients, connections, tunnels, sas, erPaths, counterNodes,
    },
    flows,
  };
}

/** Global subnet index of subnet `k` of VNet `vi` (subnets are numbered VNet by VNet). */
function subnetGlobal(s: Scenario, vi: number, k: number): number {
  let n = 0;
  for (let i = 0; i < vi; i++) n += s.vnets[i]!.subnets.length;
  return n + k;
}

/** A source address with no host: start it in the network that contains it, or -1. */
function syntheticHost(s: Scenario, hosts: WHost[], ip: number): number {
  const push = (netKind: NetKindCode, net: number, subnet: number): number => {
    hosts.push({ name: formatIPv4(ip), ip, netKind, net, subnet });
    return hosts.length - 1;
  };
  for (let vi = 0; vi < s.vnets.length; vi++) {
    const v = s.vnets[vi]!;
    const k = v.subnets.findIndex((sn) => contains(sn.prefix.addr, sn.prefix.len, ip));
    if (k >= 0) return push(NetKind.VNET, vi, subnetGlobal(s, vi, k));
  }
  for (let si = 0; si < s.sites.length; si++) {
    if (s.sites[si]!.addressPrefixes.some((p) => contains(p.addr, p.len, ip))) return push(NetKind.SITE, si, -1);
  }
  return -1;
}

/** An access-list entry of a device, parsed. */
interface DeviceAclEntry {
  readonly src: Prefix;
  readonly dst: Prefix;
  readonly permit: boolean;
  readonly text: string;
}

/** The device's access list: as written, or the mirror of the gateway's prefix pairs `pairs`. */
function deviceAcl(site: Site, pairs: readonly PrefixPair[]): DeviceAclEntry[] {
  const lines = site.device?.accessList;
  if (lines) {
    const out: DeviceAclEntry[] = [];
    for (const l of lines) {
      const r = parseAclLine(l.text);
      if (r.ok) out.push({ src: r.entry.src, dst: r.entry.dst, permit: r.entry.action === 'permit', text: r.entry.text });
    }
    return out;
  }
  return pairs.map(({ vnet: vp, site: sp }) => ({ src: sp, dst: vp, permit: true, text: `permit ip ${sp.text} ${vp.text} (mirror)` }));
}

/** A prefix pair of a site's policy-based connection, and the gateway that negotiates it. */
interface SitePair {
  readonly pair: PrefixPair;
  /** Index of the connection in the scenario. */
  readonly connection: number;
  readonly gateway: string;
}

/** Why the device refuses the quick mode of `pair` (first covering entry `cover`), or '' when it accepts. */
function refusedDetail(site: Site, acl: readonly { text: string }[], cover: number, pair: PrefixPair, accepted: boolean): string {
  if (accepted) return '';
  const { vnet: vp, site: sp } = pair;
  if (cover < 0) return `no SA for ${vp.text} ⇄ ${sp.text}: ${site.name}'s device access list has no permit entry covering ${sp.text} → ${vp.text} (quick mode fails)`;
  return `no SA for ${vp.text} ⇄ ${sp.text}: the first entry of ${site.name}'s device access list covering ${sp.text} → ${vp.text} is entry ${cover + 1} (${acl[cover]!.text}), a deny, so the device refuses quick mode`;
}

/** One compiled selector before it becomes a classifier row. */
interface SelectorRow {
  readonly src: Prefix;
  readonly dst: Prefix;
  readonly sa: number;
  readonly permit: boolean;
  /** 1-based number of the entry it comes from (several rows may share one). */
  readonly entry: number;
  readonly text: string;
  /** Why a permit row has no SA ('' otherwise). */
  readonly noSa: string;
}

/**
 * A policy-based device's selectors against its policy-based gateways (devicePairPlan):
 * entry by entry, in order, the pairs accepted under the entry (each with its SA `saIn[k]`),
 * then the entry itself with no SA for the rest of what it matches. An entry that is exactly
 * one pair stays one row with that pair's SA; deny entries stay as they are (bypass).
 * First match over these rows is first match over the access list. A row's trace text
 * names at most LIST_MAX pairs, however many the site has.
 */
function policyDeviceRows(pairs: readonly SitePair[], saIn: readonly number[], acl: readonly DeviceAclEntry[], plan: DevicePairPlan): SelectorRow[] {
  if (pairs.length === 0) return [];
  const gws = [...new Set(pairs.map((x) => x.gateway))];
  const negotiate = `${andList(gws)} ${gws.length > 1 ? 'negotiate only their' : 'negotiates only its'} prefix pairs`;
  const pairText = (k: number): string => `${pairs[k]!.pair.site.text} → ${pairs[k]!.pair.vnet.text}`;
  const allPairs = listText(pairs.slice(0, LIST_MAX).map((_, k) => pairText(k)), pairs.length);
  const rows: SelectorRow[] = [];
  acl.forEach((e, k) => {
    const entry = k + 1;
    const mine = plan.pairsOf[k]!;
    if (!e.permit || plan.whole[k]) {
      rows.push({ src: e.src, dst: e.dst, permit: e.permit, sa: e.permit ? saIn[mine[0]!]! : -1, entry, text: e.text, noSa: '' });
      return;
    }
    for (const pi of mine) {
      const { pair: p } = pairs[pi]!;
      rows.push({ src: p.site, dst: p.vnet, permit: true, sa: saIn[pi]!, entry, text: `${e.text}, pair ${pairText(pi)}`, noSa: '' });
    }
    const noSa = mine.length > 0
      ? `${negotiate}; the ones inside this entry (${listText(mine.slice(0, LIST_MAX).map(pairText), mine.length)}) have their own SAs, and quick mode for any other traffic of it would fail (INVALID_ID_INFORMATION)`
      : `${negotiate} (${allPairs}); this entry covers none of them, so quick mode for ${e.src.text} → ${e.dst.text} would fail (INVALID_ID_INFORMATION)`;
    rows.push({ src: e.src, dst: e.dst, permit: true, sa: -1, entry, text: e.text, noSa });
  });
  return rows;
}

function policy(sel: readonly SelectorRow[]): PolicySelectors {
  return {
    classifier: SelectorClassifier.compile(sel.map((x) => ({ srcAddr: x.src.addr, srcLen: x.src.len, dstAddr: x.dst.addr, dstLen: x.dst.len }))),
    sa: Int32Array.from(sel.map((x) => x.sa)),
    permit: Uint8Array.from(sel.map((x) => (x.permit ? 1 : 0))),
    entry: Int32Array.from(sel.map((x) => x.entry)),
    text: sel.map((x) => x.text),
    src: sel.map((x) => x.src),
    dst: sel.map((x) => x.dst),
    noSa: sel.map((x) => x.noSa),
  };
}

/** A connection's ESP transform (checked against the gateway's offers by checkScenario), or Azure's first offer. */
function transformOf(proposal: string | undefined): Transform {
  const t = transformByProposal(proposal ?? DEFAULT_TRANSFORM.name);
  if (t.ok) return t.value;
  const d = transformByProposal(DEFAULT_TRANSFORM.name);
  if (!d.ok) throw new Error(`DEFAULT_TRANSFORM ${DEFAULT_TRANSFORM.name}: ${d.error.message}`);
  return d.value;
}
