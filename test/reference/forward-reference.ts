/**
 * A reference forwarder: a plain per-packet interpreter of a scenario's forwarding rules,
 * written straight from the Scenario objects with linear scans and explicit if/else. It
 * shares no code with the simulator's data plane (no compiled world, no LPM table, no
 * classifier, no stage or node code, no ESP bytes): it is the second, obviously-right
 * implementation that forward-reference.test.ts compares the batch path against, packet
 * by packet (outcome, drop reason, the node where it ended, and every hop).
 *
 * The rules it encodes are the documented ones (README, SCENARIO-FORMAT.md, sim/explain.ts):
 * - a VNet subnet's effective routes: user routes, ExpressRoute-learned prefixes, what the
 *   VNet's VPN gateway propagates (site prefixes, peer VNets, the P2S pool), VnetLocal, and
 *   0.0.0.0/0 to the Internet; the longest prefix wins, the earlier route at equal length;
 * - a policy-based gateway: traffic for its VNet is delivered, the rest takes the SA of the
 *   first traffic selector (every VNet prefix x every site prefix) that matches, or is
 *   dropped no-selector; a route-based or ExpressRoute gateway: its routing table (VNet,
 *   P2S clients, circuits, ExpressRoute preferred over the VPN, tunnels, the P2S pool, the
 *   default site); what a gateway hands into its VNet goes by the GatewaySubnet's routes
 *   when that subnet has any;
 * - on-premises: the site LAN (own prefixes, circuits, else the device); a policy-based
 *   device's access list (first match; a permit entry carries the SAs of the prefix pairs
 *   accepted under it, anything else it matches has none: tunnel-down; a deny or no match
 *   leaves in clear); a route-based device's routes;
 * - tunnels: down for a fault, differing or missing shared keys, a VPN type mismatch, a
 *   refused quick mode, a revoked certificate; path MTU with DF (drop mtu) or fragmentation
 *   before encryption, ESP in UDP (8 bytes more) for a site whose device is behind a NAT,
 *   which then proposes the transform and Azure answers; the SKU throughput as a token bucket (50 ms burst) charged by the
 *   sending and the receiving gateway; anti-replay windows; the inbound-policy check;
 * - TTL at every router (gateway forward, device), faults in time, `inject:` tampering.
 *
 * Shared state (SKU buckets, ESP sequence numbers, anti-replay windows, `inject:` packet
 * counts) changes in time order, packet by packet, as the simulator's ordered nodes change
 * it within a batch (README.md beside this file lists what the comparison found).
 *
 * One file of about 900 lines: it is read as the rules, top to bottom (addresses, ESP
 * sizes, the network as plain lists, the walk of one packet); splitting it would make a
 * reader follow module boundaries that the rules do not have.
 */
import type { Scenario } from '../../sim/index.js';
import type { RulesEdition } from '../../sim/gateway/editions.js';
import { azureIkeSide } from '../../sim/gateway/azure-ike.js';
import { espTransforms } from '../../sim/ike/proposals.js';

type Vnet = Scenario['vnets'][number];
type Prefix = Vnet['addressSpace'][number];
type Gateway = Scenario['gateways'][number];
type Site = Scenario['sites'][number];
type Connection = Scenario['connections'][number];

/** One hop of a packet, as the reference sees it (the fields a trace hop is compared on). */
export interface RefHop {
  readonly node: string;
  readonly stage: string;
  /** The SA on a successful encrypt or decrypt hop. */
  readonly sa?: string;
  /** ESP packets, total bytes on the wire and the inner packet's TTL, on a successful encrypt or decrypt hop. */
  readonly esp?: string;
  /** The matched route's prefix on a route hop. */
  readonly route?: string;
  /** The matched entry's number on a classify hop. */
  readonly selector?: number;
}

export interface RefEnd {
  readonly type: 'delivered' | 'dropped' | 'internet';
  readonly node: string;
  readonly stage: string;
  readonly reason?: string;
  readonly via: readonly string[];
}

export interface RefPacket {
  readonly flow: string;
  readonly packet: number;
  readonly t: number;
  readonly hops: RefHop[];
  end: RefEnd;
}

/** An injection's outcome on the packet it hit, or on its copy. */
export interface RefInject {
  readonly flow: string;
  readonly packet: number;
  readonly action: string;
  readonly result: string;
  readonly reason?: string;
}

export interface RefRun {
  readonly packets: RefPacket[];
  readonly injects: RefInject[];
}

// ---------------------------------------------------------------- addresses

function contains(p: Prefix, a: number): boolean {
  if (p.len === 0) return true;
  return ((p.addr ^ a) >>> (32 - p.len)) === 0;
}

/** `a` covers `b`: every address of b is in a. */
function covers(a: Prefix, b: Prefix): boolean {
  return a.len <= b.len && contains(a, b.addr);
}

const ANY: Prefix = { addr: 0, len: 0, text: '0.0.0.0/0' };

function host32(ip: number): Prefix {
  return { addr: ip, len: 32, text: `${ipText(ip)}/32` };
}

export function ipText(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

export function parseIp(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((x) => x > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** One access-list line, `permit|deny ip SRC DST`; SRC/DST: `A/LEN`, `host A`, `any`, or `A WILDCARD`. */
function parseAcl(text: string): { permit: boolean; src: Prefix; dst: Prefix } | undefined {
  const w = text.trim().toLowerCase().split(/\s+/);
  if ((w[0] !== 'permit' && w[0] !== 'deny') || w[1] !== 'ip') return undefined;
  let k = 2;
  const spec = (): Prefix | undefined => {
    const x = w[k++];
    if (x === undefined) return undefined;
    if (x === 'any') return ANY;
    if (x === 'host') {
      const a = parseIp(w[k++] ?? '');
      return a === undefined ? undefined : host32(a);
    }
    if (x.includes('/')) {
      const [a, l] = x.split('/');
      const addr = parseIp(a ?? '');
      const len = Number(l);
      return addr === undefined || !Number.isInteger(len) || len < 0 || len > 32 ? undefined : { addr, len, text: x };
    }
    const addr = parseIp(x);
    const wild = parseIp(w[k++] ?? '');
    if (addr === undefined || wild === undefined) return undefined;
    let len = 32;
    while (len > 0 && ((wild >>> (32 - len)) & 1) === 1) len--;
    return { addr, len, text: `${x}/${len}` };
  };
  const src = spec();
  const dst = spec();
  return src && dst && k === w.length ? { permit: w[0] === 'permit', src, dst } : undefined;
}

// ---------------------------------------------------------------- ESP sizes

/**
 * Bytes an ESP transform adds: alignment of the encrypted part, IV, ICV (strongSwan proposal
 * names), and the 8-byte UDP header of ESP in UDP (RFC 3948) when the site's device is behind a NAT.
 */
interface Shape {
  readonly align: number;
  readonly iv: number;
  readonly icv: number;
  readonly udp: number;
}

function shapeOf(proposal: string | undefined, behindNat = false): Shape {
  const p = (proposal ?? 'aes256-sha1').toLowerCase();
  const udp = behindNat ? 8 : 0;
  if (p === 'aes128gcm16' || p === 'aes256gcm16') return { align: 4, iv: 8, icv: 16, udp };
  const [enc, integ] = p.split('-');
  const icv = integ === 'sha1' || integ === 'md5' ? 12 : 0;
  if (enc === 'aes256' || enc === 'aes128') return { align: 16, iv: 16, icv, udp };
  if (enc === '3des') return { align: 8, iv: 8, icv, udp };
  return { align: 4, iv: 0, icv, udp }; // null
}

/**
 * The ESP transforms (strongSwan names) one side of a negotiation offers, in its order:
 * Azure's offers for the edition, VPN type and role (data from sim/gateway/azure-ike.ts,
 * the tables of the reference document), or only `transform` when the connection sets one
 * (alone when none of the offers has it: a custom policy).
 */
function espOffers(edition: RulesEdition, vpnType: 'RouteBased' | 'PolicyBased', role: 'initiator' | 'responder', transform: string | undefined): string[] {
  const side = azureIkeSide(edition, vpnType);
  const list = role === 'initiator' ? side.espInitiatorProposals : side.espResponderProposals;
  const names: string[] = [];
  for (const p of list) for (const t of espTransforms(p)) if (!names.includes(t.name)) names.push(t.name);
  if (transform === undefined) return names;
  return [transform];
}

/** What IKE settles on: the responder's first transform that the initiator offers too (strongSwan's way), or null. */
function chooseEsp(initiator: readonly string[], responder: readonly string[]): string | null {
  return responder.find((t) => initiator.includes(t)) ?? null;
}

/** Outer IPv4 + UDP (ESP in UDP) + SPI and sequence + IV + (inner + pad length + next header, aligned) + ICV. */
function wireLength(sh: Shape, inner: number): number {
  return 20 + sh.udp + 8 + sh.iv + Math.ceil((inner + 2) / sh.align) * sh.align + sh.icv;
}

/** The largest inner packet whose ESP packet fits `mtu`. */
function largestInner(sh: Shape, mtu: number): number {
  return Math.floor((mtu - 20 - sh.udp - 8 - sh.iv - sh.icv) / sh.align) * sh.align - 2;
}

/** SKU throughput in bytes per second (reference/azure-vpn-gateways-2016.md "Gateway SKUs"); 0: no limit. */
function skuBytesPerSecond(g: Gateway): number {
  const mbps = 1_000_000 / 8;
  if (g.type === 'ExpressRoute') return (g.sku === 'Basic' ? 500 : g.sku === 'Standard' ? 1000 : 2000) * mbps;
  if (g.vpnType === 'PolicyBased') return g.sku === 'Basic' ? 100 * mbps : 0;
  return (g.sku === 'HighPerformance' ? 200 : 100) * mbps;
}

// ---------------------------------------------------------------- the network, as plain lists

type End = { readonly k: 'gw'; readonly i: number } | { readonly k: 'device'; readonly i: number } | { readonly k: 'p2s'; readonly i: number };

type Next =
  | { readonly k: 'local' }
  | { readonly k: 'internet' }
  | { readonly k: 'none' }
  | { readonly k: 'nohost' }
  | { readonly k: 'gateway'; readonly gw: number }
  | { readonly k: 'tunnel'; readonly sa: number }
  | { readonly k: 'device' }
  | { readonly k: 'er'; readonly path: number; readonly toSite: boolean };

interface Route {
  readonly prefix: Prefix;
  readonly next: Next;
}

interface Sa {
  readonly name: string;
  /** The connection the SA's packets cross (via). */
  readonly conn: string;
  /** The tunnel's connection (the first direction of a VNet-to-VNet pair) and the direction on it. */
  readonly tunnelConn: string;
  readonly out: boolean;
  readonly from: End;
  readonly to: End;
  readonly selSrc: Prefix;
  readonly selDst: Prefix;
  readonly shape: Shape;
  readonly mtu: number;
  readonly window: number;
  /** Why the SA pair is not established, or null. */
  readonly down: { readonly reason: string } | null;
}

interface Host {
  readonly name: string;
  readonly ip: number;
  readonly kind: 'vnet' | 'site' | 'p2s';
  /** VNet, site or P2S client index. */
  readonly net: number;
  /** VNet hosts: the subnet (its index in the VNet). */
  readonly subnet: number;
}

interface Client {
  readonly name: string;
  readonly ip: number;
  readonly gw: number;
  readonly routes: Route[];
}

/** A device's access-list entry and the SAs it carries. */
interface DeviceEntry {
  readonly number: number;
  readonly permit: boolean;
  readonly src: Prefix;
  readonly dst: Prefix;
  /** A route-based connection's entry: its one SA (permit). */
  readonly sa?: number;
  /** A policy-based entry: the prefix pairs accepted under it, with their SAs. */
  readonly pairs?: { readonly site: Prefix; readonly vnet: Prefix; readonly sa: number }[];
}

interface ErPath {
  readonly conn: string;
  readonly circuit: string;
  readonly gw: number;
  readonly site: number;
}

interface Net {
  readonly sas: Sa[];
  readonly clients: Client[];
  /** Per VNet, per subnet: the effective routes. */
  readonly subnetRoutes: Route[][][];
  /** Per gateway: routes (route-based, ExpressRoute) or selectors (policy-based). */
  readonly gwRoutes: Route[][];
  readonly gwSelectors: { readonly src: Prefix; readonly dst: Prefix; readonly sa: number }[][];
  /** Per site: LAN routes, and the device (policy: entries; route-based: routes). */
  readonly siteRoutes: Route[][];
  readonly devicePolicy: boolean[];
  readonly deviceEntries: DeviceEntry[][];
  readonly deviceRoutes: Route[][];
  readonly erPaths: ErPath[];
}

/** The network of `s` with the connections and circuits of `down` down. */
function buildNet(s: Scenario, down: ReadonlySet<string>): Net {
  const gwIndex = (name: string | undefined): number => s.gateways.findIndex((g) => g.name === name);
  const siteIndex = (name: string | undefined): number => s.sites.findIndex((x) => x.name === name);
  const vnetOf = (g: Gateway | undefined): Vnet | undefined => (g ? s.vnets.find((v) => v.name === g.vnet) : undefined);
  const firstGw = (vnet: string, type: 'Vpn' | 'ExpressRoute'): number => s.gateways.findIndex((g) => g.vnet === vnet && g.type === type);

  const sas: Sa[] = [];
  const addSa = (name: string, conn: Connection | undefined, connName: string, tunnelConn: string, out: boolean,
    from: End, to: End, selSrc: Prefix, selDst: Prefix, downReason: string | null, transform?: string, behindNat = false): number => {
    sas.push({
      name, conn: connName, tunnelConn, out, from, to, selSrc, selDst, shape: shapeOf(transform ?? conn?.transform, behindNat), mtu: conn?.mtu ?? 1500,
      window: Math.max(32, Math.ceil((conn?.replayWindow ?? 64) / 32) * 32), down: downReason ? { reason: downReason } : null,
    });
    return sas.length - 1;
  };

  const gwTunnelRoutes: Route[][] = s.gateways.map(() => []);
  const gwDefault: (Route | undefined)[] = s.gateways.map(() => undefined);
  const gwPropagated: Prefix[][] = s.gateways.map(() => []);
  const gwSelectors: { src: Prefix; dst: Prefix; sa: number }[][] = s.gateways.map(() => []);
  const gwErRoutes: Route[][] = s.gateways.map(() => []);
  const vnetErRoutes: Route[][] = s.vnets.map(() => []);
  const siteErRoutes: Route[][] = s.sites.map(() => []);
  const deviceRbEntries: DeviceEntry[][] = s.sites.map(() => []);
  const deviceRoutes: Route[][] = s.sites.map(() => []);
  const erPaths: ErPath[] = [];

  // A site's policy-based prefix pairs, over all its policy-based connections in order.
  const sitePairs: { vnet: Prefix; site: Prefix; conn: number; sa: number }[][] = s.sites.map(() => []);
  s.connections.forEach((c, ci) => {
    const g = s.gateways[gwIndex(c.gateway)];
    const vnet = vnetOf(g);
    const si = siteIndex(c.site);
    if (c.type !== 'IPsec' || g?.vpnType !== 'PolicyBased' || !vnet || si < 0) return;
    for (const vp of vnet.addressSpace) for (const sp of s.sites[si]!.addressPrefixes) sitePairs[si]!.push({ vnet: vp, site: sp, conn: ci, sa: -1 });
  });
  const aclOf = (site: Site, pairs: readonly { vnet: Prefix; site: Prefix }[]): { permit: boolean; src: Prefix; dst: Prefix }[] => {
    if (site.device?.accessList) return site.device.accessList.flatMap((l) => parseAcl(l.text) ?? []);
    return pairs.map((p) => ({ permit: true, src: p.site, dst: p.vnet }));
  };
  const siteAcl = s.sites.map((site, si) => aclOf(site, sitePairs[si]!));
  /** The device's answer to quick mode for a pair: the first entry covering it, or -1. */
  const coverOf = (si: number, p: { vnet: Prefix; site: Prefix }): number => siteAcl[si]!.findIndex((e) => covers(e.src, p.site) && covers(e.dst, p.vnet));

  s.connections.forEach((c, ci) => {
    const gi = gwIndex(c.gateway);
    const g = s.gateways[gi];
    const vnet = vnetOf(g);
    if (!g || !vnet) return;
    if (c.type === 'IPsec') {
      const si = siteIndex(c.site);
      const site = s.sites[si];
      if (!site) return;
      const devType = site.device?.vpnType ?? g.vpnType ?? 'RouteBased';
      // Azure proposes its offers (or the connection's transform), the device (Azure's mirror) the same.
      // Behind a NAT the device proposes and Azure answers; the SAs are then ESP in UDP.
      const nat = site.device?.nat !== undefined;
      const esp = nat
        ? chooseEsp(espOffers(s.edition, devType, 'initiator', c.transform), espOffers(s.edition, g.vpnType ?? 'RouteBased', 'responder', c.transform))
        : chooseEsp(espOffers(s.edition, g.vpnType ?? 'RouteBased', 'initiator', c.transform), espOffers(s.edition, devType, 'initiator', c.transform));
      let downBecause: string | null = null;
      if (down.has(c.name)) downBecause = 'fault';
      else if (site.device?.sharedKey !== undefined && c.sharedKey !== undefined && site.device.sharedKey !== c.sharedKey) downBecause = 'keys differ';
      else if (c.sharedKey === undefined && site.device?.sharedKey === undefined) downBecause = 'no key';
      else if (g.vpnType && devType !== g.vpnType) downBecause = 'vpn types differ';
      else if (esp === null) downBecause = 'no common ESP proposal';
      gwPropagated[gi]!.push(...site.addressPrefixes);
      if (g.vpnType === 'PolicyBased') {
        let k = 0;
        const mine: { vnet: Prefix; saIn: number }[] = [];
        for (const pair of sitePairs[si]!) {
          if (pair.conn !== ci) continue;
          const cover = coverOf(si, pair);
          const refused = cover < 0 || !siteAcl[si]![cover]!.permit;
          const reason = downBecause ?? (refused ? 'quick mode refused' : null);
          k++;
          const name = `${c.name}#${k}`;
          const gwEnd: End = { k: 'gw', i: gi };
          const devEnd: End = { k: 'device', i: si };
          const saOut = addSa(`${name}/out`, c, c.name, c.name, true, gwEnd, devEnd, pair.vnet, pair.site, reason ? 'tunnel-down' : null, esp ?? undefined, nat);
          const saIn = addSa(`${name}/in`, c, c.name, c.name, false, devEnd, gwEnd, pair.site, pair.vnet, reason ? 'tunnel-down' : null, esp ?? undefined, nat);
          pair.sa = saIn;
          gwSelectors[gi]!.push({ src: pair.vnet, dst: pair.site, sa: saOut });
          mine.push({ vnet: pair.vnet, saIn });
        }
        for (const vp of vnet.addressSpace) {
          const pick = mine.find((m) => covers(vp, m.vnet)) ?? mine[0];
          if (pick) deviceRoutes[si]!.push({ prefix: vp, next: { k: 'tunnel', sa: pick.saIn } });
        }
      } else {
        const gwEnd: End = { k: 'gw', i: gi };
        const devEnd: End = { k: 'device', i: si };
        const saOut = addSa(`${c.name}/out`, c, c.name, c.name, true, gwEnd, devEnd, ANY, ANY, downBecause ? 'tunnel-down' : null, esp ?? undefined, nat);
        const saIn = addSa(`${c.name}/in`, c, c.name, c.name, false, devEnd, gwEnd, ANY, ANY, downBecause ? 'tunnel-down' : null, esp ?? undefined, nat);
        for (const p of site.addressPrefixes) gwTunnelRoutes[gi]!.push({ prefix: p, next: { k: 'tunnel', sa: saOut } });
        if (g.defaultSite === site.name) gwDefault[gi] = { prefix: ANY, next: { k: 'tunnel', sa: saOut } };
        const pairs = vnet.addressSpace.flatMap((vp) => site.addressPrefixes.map((sp) => ({ vnet: vp, site: sp })));
        aclOf(site, pairs).forEach((e, k) => deviceRbEntries[si]!.push({ number: k + 1, permit: e.permit, src: e.src, dst: e.dst, ...(e.permit ? { sa: saIn } : {}) }));
        const routes = site.device?.routes ?? [...vnet.addressSpace, ...(g.p2s ? [g.p2s.addressPool] : [])];
        for (const p of routes) deviceRoutes[si]!.push({ prefix: p, next: { k: 'tunnel', sa: saIn } });
      }
    } else if (c.type === 'Vnet2Vnet') {
      const pi = gwIndex(c.peerGateway);
      const peer = s.gateways[pi];
      const peerVnet = vnetOf(peer);
      if (!peer || !peerVnet) return;
      // Defined in both directions: one tunnel, made at the first of the two.
      const ri = s.connections.findIndex((o) => o.type === 'Vnet2Vnet' && o.gateway === c.peerGateway && o.peerGateway === c.gateway);
      if (ri >= 0 && ri < ci) return;
      const rev = ri >= 0 ? s.connections[ri] : undefined;
      // The connection's gateway initiates; the peer answers with the reverse connection's transform (or this one's).
      const esp = chooseEsp(espOffers(s.edition, 'RouteBased', 'initiator', c.transform), espOffers(s.edition, 'RouteBased', 'responder', rev ? rev.transform : c.transform));
      let downBecause: string | null = null;
      if (down.has(c.name) || (rev && down.has(rev.name))) downBecause = 'fault';
      else if (rev && rev.sharedKey !== c.sharedKey) downBecause = 'keys differ';
      else if (esp === null) downBecause = 'no common ESP proposal';
      else if (g.vpnType !== 'RouteBased' || peer.vpnType !== 'RouteBased') downBecause = 'not route-based';
      const a: End = { k: 'gw', i: gi };
      const b: End = { k: 'gw', i: pi };
      const ab = addSa(`${c.name}/out`, c, c.name, c.name, true, a, b, ANY, ANY, downBecause ? 'tunnel-down' : null, esp ?? undefined);
      const ba = addSa(`${c.name}/in`, rev ?? c, (rev ?? c).name, c.name, false, b, a, ANY, ANY, downBecause ? 'tunnel-down' : null, esp ?? undefined);
      for (const p of peerVnet.addressSpace) {
        gwTunnelRoutes[gi]!.push({ prefix: p, next: { k: 'tunnel', sa: ab } });
        gwPropagated[gi]!.push(p);
      }
      for (const p of vnet.addressSpace) {
        gwTunnelRoutes[pi]!.push({ prefix: p, next: { k: 'tunnel', sa: ba } });
        gwPropagated[pi]!.push(p);
      }
    } else if (c.type === 'ExpressRoute') {
      const circuit = s.circuits.find((x) => x.name === c.circuit);
      if (!circuit) return;
      const si = siteIndex(circuit.site);
      if (si < 0) return;
      if (down.has(c.name) || down.has(circuit.name)) return; // withdrawn
      const path = erPaths.length;
      erPaths.push({ conn: c.name, circuit: circuit.name, gw: gi, site: si });
      const vi = s.vnets.indexOf(vnet);
      for (const p of circuit.onPremisesPrefixes) {
        gwErRoutes[gi]!.push({ prefix: p, next: { k: 'er', path, toSite: true } });
        vnetErRoutes[vi]!.push({ prefix: p, next: { k: 'gateway', gw: gi } });
      }
      for (const p of vnet.addressSpace) siteErRoutes[si]!.push({ prefix: p, next: { k: 'er', path, toSite: false } });
    }
  });

  // Point-to-site: one SA pair per client; the pool is propagated after every connection's prefixes.
  const clients: Client[] = [];
  const gwClientRoutes: Route[][] = s.gateways.map(() => []);
  s.gateways.forEach((g, gi) => {
    const vnet = vnetOf(g);
    if (!g.p2s || !vnet) return;
    const conn = `${g.name}-p2s`;
    const pool = g.p2s.addressPool;
    gwPropagated[gi]!.push(pool);
    g.p2s.clients.forEach((cl, k) => {
      const ip = (pool.addr + 1 + k) >>> 0;
      const ci = clients.length;
      const reason = down.has(conn) ? 'tunnel-down' : cl.certificate !== 'valid' ? 'p2s-auth' : null;
      const gwEnd: End = { k: 'gw', i: gi };
      const me: End = { k: 'p2s', i: ci };
      const toClient = addSa(`${conn}/${cl.name}/out`, undefined, conn, conn, true, gwEnd, me, ANY, host32(ip), reason);
      const fromClient = addSa(`${conn}/${cl.name}/in`, undefined, conn, conn, false, me, gwEnd, host32(ip), ANY, reason);
      gwClientRoutes[gi]!.push({ prefix: host32(ip), next: { k: 'tunnel', sa: toClient } });
      clients.push({
        name: cl.name, ip, gw: gi,
        routes: [...vnet.addressSpace.map((p) => ({ prefix: p, next: { k: 'tunnel' as const, sa: fromClient } })), { prefix: ANY, next: { k: 'internet' } }],
      });
    });
  });

  const subnetRoutes = s.vnets.map((v, vi) => {
    const vpn = firstGw(v.name, 'Vpn');
    const er = firstGw(v.name, 'ExpressRoute');
    return v.subnets.map((sn) => {
      const routes: Route[] = [];
      for (const r of sn.routes) {
        if (r.nextHop === 'Internet') routes.push({ prefix: r.prefix, next: { k: 'internet' } });
        else if (r.nextHop === 'None') routes.push({ prefix: r.prefix, next: { k: 'none' } });
        else {
          const gi = vpn >= 0 ? vpn : er;
          routes.push({ prefix: r.prefix, next: gi >= 0 ? { k: 'gateway', gw: gi } : { k: 'none' } });
        }
      }
      routes.push(...vnetErRoutes[vi]!); // ExpressRoute before the VPN at equal length
      if (vpn >= 0) for (const p of gwPropagated[vpn]!) routes.push({ prefix: p, next: { k: 'gateway', gw: vpn } });
      for (const p of v.addressSpace) routes.push({ prefix: p, next: { k: 'local' } });
      routes.push({ prefix: ANY, next: { k: 'internet' } });
      return routes;
    });
  });

  const gwRoutes = s.gateways.map((g, gi) => {
    const vnet = vnetOf(g);
    const space = vnet ? vnet.addressSpace : [];
    const vi = vnet ? s.vnets.indexOf(vnet) : -1;
    const er = firstGw(g.vnet, 'ExpressRoute');
    return [
      ...space.map((p) => ({ prefix: p, next: { k: 'local' } as Next })),
      ...gwClientRoutes[gi]!,
      ...gwErRoutes[gi]!,
      ...(g.type === 'Vpn' && er >= 0 && vi >= 0 ? vnetErRoutes[vi]! : []),
      ...gwTunnelRoutes[gi]!,
      ...(g.p2s && vnet ? [{ prefix: g.p2s.addressPool, next: { k: 'nohost' } as Next }] : []),
      ...(gwDefault[gi] ? [gwDefault[gi]!] : []),
    ];
  });

  const devicePolicy: boolean[] = [];
  const deviceEntries: DeviceEntry[][] = [];
  const deviceRouteLists: Route[][] = [];
  const siteRoutes = s.sites.map((site, si) => {
    const first = s.connections.find((c) => c.type === 'IPsec' && c.site === site.name);
    const firstG = first ? s.gateways[gwIndex(first.gateway)] : undefined;
    const policyDevice = (site.device?.vpnType ?? firstG?.vpnType ?? 'RouteBased') === 'PolicyBased';
    devicePolicy.push(policyDevice);
    const entries = [...deviceRbEntries[si]!];
    if (sitePairs[si]!.length > 0) {
      siteAcl[si]!.forEach((e, k) => {
        // The pairs the device accepted under this entry: those whose first covering entry it is.
        const pairs = e.permit ? sitePairs[si]!.filter((p) => coverOf(si, p) === k).map((p) => ({ site: p.site, vnet: p.vnet, sa: p.sa })) : [];
        entries.push({ number: k + 1, permit: e.permit, src: e.src, dst: e.dst, pairs });
      });
    }
    deviceEntries.push(entries);
    deviceRouteLists.push([...deviceRoutes[si]!, { prefix: ANY, next: { k: 'internet' } }]);
    return [
      ...site.addressPrefixes.map((p) => ({ prefix: p, next: { k: 'local' } as Next })),
      ...siteErRoutes[si]!,
      { prefix: ANY, next: { k: 'device' } as Next },
    ];
  });

  return { sas, clients, subnetRoutes, gwRoutes, gwSelectors, siteRoutes, devicePolicy, deviceEntries, deviceRoutes: deviceRouteLists, erPaths };
}

/** Longest prefix match by a linear scan: the longest, the earliest at equal length; -1 when none. */
function lookup(routes: readonly Route[], dst: number): number {
  let best = -1;
  routes.forEach((r, k) => {
    if (contains(r.prefix, dst) && (best < 0 || r.prefix.len > routes[best]!.prefix.len)) best = k;
  });
  return best;
}

/** The scenario's hosts: VNet hosts, site hosts, P2S clients (with their pool addresses), in file order. */
function hostsOf(s: Scenario): Host[] {
  const out: Host[] = [];
  s.vnets.forEach((v, vi) => {
    for (const h of v.hosts) out.push({ name: h.name, ip: h.ip, kind: 'vnet', net: vi, subnet: Math.max(0, v.subnets.findIndex((sn) => contains(sn.prefix, h.ip))) });
  });
  s.sites.forEach((x, si) => {
    for (const h of x.hosts) out.push({ name: h.name, ip: h.ip, kind: 'site', net: si, subnet: -1 });
  });
  let ci = 0;
  for (const g of s.gateways) {
    if (!g.p2s || !s.vnets.some((v) => v.name === g.vnet)) continue;
    g.p2s.clients.forEach((cl, k) => out.push({ name: cl.name, ip: (g.p2s!.addressPool.addr + 1 + k) >>> 0, kind: 'p2s', net: ci++, subnet: -1 }));
  }
  return out;
}

// ---------------------------------------------------------------- run

interface Window {
  top: number;
  readonly seen: Set<number>;
}

interface Copy {
  readonly sa: number;
  readonly seq: number;
  readonly afterSeq: number;
  /** Bytes of the ESP packet flipped before the copy was taken. */
  readonly flipped: readonly number[];
  readonly inject: { flow: string; packet: number; action: string };
}

/** Run `s` packet by packet, in time order (ties: flow order, then packet number). */
export function referenceRun(s: Scenario): RefRun {
  const hosts = hostsOf(s);
  const byName = new Map(hosts.map((h, k) => [h.name, k]));
  interface P { fi: number; k: number; t: number; origin: Host; dst: number }
  const queue: P[] = [];
  s.traffic.forEach((f, fi) => {
    const toHost = byName.get(f.to);
    const dst = toHost !== undefined ? hosts[toHost]!.ip : parseIp(f.to);
    let origin: Host | undefined = byName.has(f.from) ? hosts[byName.get(f.from)!] : undefined;
    if (!origin) {
      const ip = parseIp(f.from);
      if (ip !== undefined) origin = hosts.find((h) => h.ip === ip) ?? synthetic(s, ip);
    }
    if (dst === undefined || !origin) return; // the flow cannot start: no packets
    for (let k = 1; k <= f.count; k++) queue.push({ fi, k, t: f.start + (k - 1) * f.interval, origin, dst });
  });
  queue.sort((a, b) => a.t - b.t || a.fi - b.fi || a.k - b.k);
  const faults = s.faults.map((f, i) => ({ f, i })).sort((a, b) => a.f.at - b.f.at || a.i - b.i);

  const down = new Set<string>();
  let net: Net = buildNet(s, down);
  const seqOut = net.sas.map(() => 0);
  const windows: Window[] = net.sas.map(() => ({ top: 0, seen: new Set<number>() }));
  const bucketTokens = s.gateways.map(() => -1);
  const bucketTime = s.gateways.map(() => 0);
  const injCount = (s.inject ?? []).map(() => 0);
  let copies: Copy[] = [];
  const packets: RefPacket[] = [];
  const injects: RefInject[] = [];
  let fi = 0;

  const bucket = (gi: number, t: number, bytes: number): boolean => {
    const rate = skuBytesPerSecond(s.gateways[gi]!);
    if (rate <= 0) return true;
    const depth = rate * 0.05;
    let tokens = bucketTokens[gi]!;
    tokens = tokens < 0 ? depth : Math.min(depth, tokens + Math.max(0, t - bucketTime[gi]!) * rate);
    bucketTime[gi] = Math.max(t, bucketTime[gi]!);
    if (tokens < bytes) {
      bucketTokens[gi] = tokens;
      return false;
    }
    bucketTokens[gi] = tokens - bytes;
    return true;
  };
  /** Anti-replay: accept (and record) `seq` on SA `sa`, or say why not. */
  const acceptSeq = (sa: number, seq: number, commit: boolean): boolean => {
    const w = windows[sa]!;
    const size = net.sas[sa]!.window;
    if (seq === 0 || (seq <= w.top && (w.top - seq >= size || w.seen.has(seq)))) return false;
    if (commit) {
      w.seen.add(seq);
      if (seq > w.top) w.top = seq;
    }
    return true;
  };
  /** Tampered copies of SA `sa` that are due (every one when `all`) arrive now. */
  const deliverCopies = (sa: number, all: boolean): void => {
    const keep: Copy[] = [];
    for (const c of copies) {
      if (!all && !(c.sa === sa && windows[c.sa]!.top > c.afterSeq)) {
        keep.push(c);
        continue;
      }
      const why = espVerdict(c.flipped, c.seq, (x) => acceptSeq(c.sa, x, false));
      if (why === null) acceptSeq(c.sa, c.seq, true);
      injects.push({ ...c.inject, result: why === null ? 'delivered' : 'dropped', ...(why === null ? {} : { reason: why }) });
    }
    copies = keep;
  };

  const endName = (e: End): string => e.k === 'gw' ? s.gateways[e.i]!.name : e.k === 'device' ? `${s.sites[e.i]!.name}/device` : net.clients[e.i]!.name;

  for (const p of queue) {
    while (fi < faults.length && faults[fi]!.f.at <= p.t) {
      const f = faults[fi]!.f;
      const target = f.connection ?? f.circuit ?? '';
      if (f.down) down.add(target);
      else down.delete(target);
      net = buildNet(s, down);
      fi++;
    }
    const f = s.traffic[p.fi]!;
    const minLen = f.proto === 'tcp' ? 40 : 28;
    const len = Math.max(f.size, minLen);
    const src = p.origin.ip;
    const dst = p.dst;
    let ttl = f.ttl;
    const hops: RefHop[] = [];
    const via: string[] = [];
    const rec: RefPacket = { flow: f.id, packet: p.k, t: p.t, hops, end: { type: 'dropped', node: '', stage: '', via } };
    packets.push(rec);
    const end = (type: RefEnd['type'], node: string, stage: string, reason?: string): void => {
      rec.end = { type, node, stage, via: [...via], ...(reason ? { reason } : {}) };
    };
    const addVia = (c: string): void => {
      if (!via.includes(c) && via.length < 4) via.push(c);
    };
    /** A router hop: false (and the drop) when the TTL runs out. */
    const router = (node: string, stage: string): boolean => {
      if (ttl <= 1) {
        end('dropped', node, stage, 'ttl-expired');
        return false;
      }
      ttl--;
      return true;
    };

    // The packet's walk: each state names where it is; every branch either moves or ends it.
    type At =
      | { k: 'subnet'; vnet: number; subnet: number } | { k: 'lan'; site: number } | { k: 'client'; client: number }
      | { k: 'device'; site: number } | { k: 'gw'; gw: number } | { k: 'encrypt'; sa: number }
      | { k: 'deliver-vnet'; vnet: number } | { k: 'deliver-site'; site: number } | { k: 'deliver-client'; client: number }
      | { k: 'er'; path: number; toSite: boolean } | null;
    hops.push({ node: p.origin.name, stage: 'send' });
    let at: At = p.origin.kind === 'vnet' ? { k: 'subnet', vnet: p.origin.net, subnet: p.origin.subnet }
      : p.origin.kind === 'site' ? { k: 'lan', site: p.origin.net } : { k: 'client', client: p.origin.net };
    /** Where a gateway hands a packet into its VNet: the GatewaySubnet's routes when it has some. */
    const intoVnet = (gi: number): At => {
      const v = s.vnets.findIndex((x) => x.name === s.gateways[gi]!.vnet);
      const gs = s.vnets[v]!.subnets.findIndex((sn) => sn.name === 'GatewaySubnet');
      return gs >= 0 && s.vnets[v]!.subnets[gs]!.routes.length > 0 ? { k: 'subnet', vnet: v, subnet: gs } : { k: 'deliver-vnet', vnet: v };
    };
    /** Follow route `r` of `routes` at `node`; `local` is where a VnetLocal / LAN route goes. */
    const follow = (routes: readonly Route[], r: number, node: string, local: At): At => {
      const n = routes[r]!.next;
      switch (n.k) {
        case 'local': return local;
        case 'internet': end('internet', node, 'route'); return null;
        case 'none': end('dropped', node, 'route', 'no-route'); return null;
        case 'nohost': end('dropped', node, 'route', 'no-host'); return null;
        case 'gateway': return { k: 'gw', gw: n.gw };
        case 'tunnel': return { k: 'encrypt', sa: n.sa };
        case 'er': return { k: 'er', path: n.path, toSite: n.toSite };
        case 'device': return null; // only the site LAN has it, handled there
      }
    };
    const routeHop = (node: string, routes: readonly Route[], r: number): void => {
      hops.push({ node, stage: 'route', ...(r >= 0 ? { route: routes[r]!.prefix.text } : {}) });
    };

    let guard = 0;
    while (at && guard++ < 2000) {
      const here = at as NonNullable<At>;
      at = null;
      switch (here.k) {
        case 'subnet': {
          const v = s.vnets[here.vnet]!;
          const node = `${v.name}/${v.subnets[here.subnet]!.name}`;
          const routes = net.subnetRoutes[here.vnet]![here.subnet]!;
          const r = lookup(routes, dst);
          routeHop(node, routes, r);
          if (r < 0) end('dropped', node, 'route', 'no-route');
          else at = follow(routes, r, node, { k: 'deliver-vnet', vnet: here.vnet });
          break;
        }
        case 'lan': {
          const node = `${s.sites[here.site]!.name}/lan`;
          const routes = net.siteRoutes[here.site]!;
          const r = lookup(routes, dst);
          routeHop(node, routes, r);
          if (r < 0) end('dropped', node, 'route', 'no-route');
          else if (routes[r]!.next.k === 'device') at = { k: 'device', site: here.site };
          else at = follow(routes, r, node, { k: 'deliver-site', site: here.site });
          break;
        }
        case 'client': {
          const c = net.clients[here.client]!;
          const r = lookup(c.routes, dst);
          routeHop(c.name, c.routes, r);
          if (r < 0) end('dropped', c.name, 'route', 'no-route');
          else at = follow(c.routes, r, c.name, { k: 'deliver-client', client: here.client });
          break;
        }
        case 'device': {
          const node = `${s.sites[here.site]!.name}/device`;
          if (!router(node, 'device')) break;
          if (net.devicePolicy[here.site]) {
            const e: DeviceEntry | undefined = net.deviceEntries[here.site]!.find((x) => contains(x.src, src) && contains(x.dst, dst));
            hops.push({ node, stage: 'classify', ...(e ? { selector: e.number } : {}) });
            if (!e || !e.permit) { end('internet', node, 'classify'); break; }
            const sa: number | undefined = e.sa ?? e.pairs?.find((x) => contains(x.site, src) && contains(x.vnet, dst))?.sa;
            if (sa === undefined) { end('dropped', node, 'classify', 'tunnel-down'); break; }
            at = { k: 'encrypt', sa };
          } else {
            const routes = net.deviceRoutes[here.site]!;
            const r = lookup(routes, dst);
            routeHop(node, routes, r);
            if (r < 0) end('internet', node, 'route');
            else at = follow(routes, r, node, { k: 'deliver-site', site: here.site });
          }
          break;
        }
        case 'gw': {
          const g = s.gateways[here.gw]!;
          if (!router(g.name, 'forward')) break;
          if (g.type === 'Vpn' && g.vpnType === 'PolicyBased') {
            const v = s.vnets.find((x) => x.name === g.vnet)!;
            if (v.addressSpace.some((p) => contains(p, dst))) {
              hops.push({ node: g.name, stage: 'forward' });
              at = intoVnet(here.gw);
              break;
            }
            const sels: Net['gwSelectors'][number] = net.gwSelectors[here.gw]!;
            const m = sels.findIndex((x) => contains(x.src, src) && contains(x.dst, dst));
            hops.push({ node: g.name, stage: 'classify', ...(m >= 0 ? { selector: m + 1 } : {}) });
            if (m < 0) { end('dropped', g.name, 'classify', 'no-selector'); break; }
            at = { k: 'encrypt', sa: sels[m]!.sa };
          } else {
            const routes = net.gwRoutes[here.gw]!;
            const r = lookup(routes, dst);
            routeHop(g.name, routes, r);
            if (r < 0) end('dropped', g.name, 'route', 'no-route');
            else at = follow(routes, r, g.name, intoVnet(here.gw));
          }
          break;
        }
        case 'encrypt': {
          const sa: Sa = net.sas[here.sa]!;
          const from = endName(sa.from);
          if (sa.down) { end('dropped', from, 'encrypt', sa.down.reason); break; }
          // Path MTU: whole, fragmented before encryption (no DF), or dropped (DF).
          let pieces = [len];
          const tooBig = (): void => {
            hops.push({ node: from, stage: 'encrypt' });
            end('dropped', from, 'encrypt', 'mtu');
          };
          if (wireLength(sa.shape, len) > sa.mtu) {
            if (f.df) { tooBig(); break; }
            const room = Math.floor((largestInner(sa.shape, sa.mtu) - 20) / 8) * 8;
            if (room < 8) { tooBig(); break; }
            pieces = [];
            for (let done = 0; done < len - 20; done += room) pieces.push(20 + Math.min(room, len - 20 - done));
          }
          const wires = pieces.map((x) => wireLength(sa.shape, x));
          if (wires.some((x) => x > 65535)) { tooBig(); break; }
          const wire = Math.min(65535, wires.reduce((a, b) => a + b, 0));
          if (sa.from.k === 'gw' && !bucket(sa.from.i, p.t, wire)) { end('dropped', from, 'encrypt', 'rate-limit'); break; }
          const seq = seqOut[here.sa]! + 1;
          seqOut[here.sa]! += pieces.length;
          addVia(sa.conn);
          const esp = `${pieces.length}x${wire}, ttl ${ttl}`;
          hops.push({ node: from, stage: 'encrypt', sa: sa.name, esp });
          // Tampering on the Internet path: the n-th ESP packet of the connection at or after `at`, in a direction.
          // Bytes flipped on the way (two flips of one byte cancel), in list order: a copy
          // captured after a corruption carries it.
          const flipped = new Set<number>();
          const notes: string[] = [];
          (s.inject ?? []).forEach((x, k) => {
            if (x.connection !== sa.conn && x.connection !== sa.tunnelConn) return;
            if (p.t < x.at || (x.direction && x.direction !== (sa.out ? 'out' : 'in'))) return;
            if (++injCount[k]! !== x.packet) return;
            if (x.action === 'corrupt') {
              const off = (x.byte ?? 20 + sa.shape.udp + 8 + sa.shape.iv) % wireLength(sa.shape, pieces[0]!);
              if (!flipped.delete(off)) flipped.add(off);
              notes.push('corrupt');
            } else if (x.action === 'reorder') notes.push('reorder');
            else copies.push({ sa: here.sa, seq, afterSeq: x.action === 'duplicate' ? seq - 1 : seq, flipped: [...flipped], inject: { flow: f.id, packet: p.k, action: x.action } });
          });
          // The far end: its SKU bucket, then ESP (SPI, anti-replay, ICV), then the inbound policy.
          const to = endName(sa.to);
          const note = (result: string, reason?: string): void => {
            for (const action of notes) injects.push({ flow: f.id, packet: p.k, action, result, ...(reason ? { reason } : {}) });
          };
          if (sa.to.k === 'gw' && !bucket(sa.to.i, p.t, wire)) {
            end('dropped', to, 'decrypt', 'rate-limit');
            deliverCopies(here.sa, false);
            break;
          }
          // Every ESP packet (one per fragment) is checked; the first failure decides.
          let espDrop: string | undefined;
          for (let k = 0; k < pieces.length; k++) {
            const why = espVerdict(k === 0 ? [...flipped] : [], seq + k, (x) => acceptSeq(here.sa, x, false));
            if (why === null) acceptSeq(here.sa, seq + k, true);
            espDrop ??= why ?? undefined;
          }
          if (espDrop) {
            note('dropped', espDrop);
            hops.push({ node: to, stage: 'decrypt' });
            end('dropped', to, 'decrypt', espDrop);
            deliverCopies(here.sa, false);
            break;
          }
          note('delivered');
          hops.push({ node: to, stage: 'decrypt', sa: sa.name, esp });
          deliverCopies(here.sa, false);
          if (!contains(sa.selSrc, src) || !contains(sa.selDst, dst)) { end('dropped', to, 'decrypt', 'inbound-policy'); break; }
          if (sa.to.k === 'gw') at = { k: 'gw', gw: sa.to.i };
          else if (sa.to.k === 'p2s') at = { k: 'deliver-client', client: sa.to.i };
          else {
            // The device routes the inner packet onto its LAN, or out to the Internet.
            if (!router(to, 'forward')) break;
            if (s.sites[sa.to.i]!.addressPrefixes.some((x) => contains(x, dst))) at = { k: 'deliver-site', site: sa.to.i };
            else end('internet', to, 'decrypt');
          }
          break;
        }
        case 'er': {
          const path: ErPath = net.erPaths[here.path]!;
          addVia(path.conn);
          hops.push({ node: path.circuit, stage: 'circuit' });
          at = here.toSite ? { k: 'deliver-site', site: path.site } : { k: 'gw', gw: path.gw };
          break;
        }
        case 'deliver-vnet':
        case 'deliver-site':
        case 'deliver-client': {
          const node = here.k === 'deliver-vnet' ? s.vnets[here.vnet]!.name : here.k === 'deliver-site' ? `${s.sites[here.site]!.name}/lan` : net.clients[here.client]!.name;
          const h = here.k === 'deliver-vnet' ? s.vnets[here.vnet]!.hosts.find((x) => x.ip === dst)?.name
            : here.k === 'deliver-site' ? s.sites[here.site]!.hosts.find((x) => x.ip === dst)?.name
            : net.clients[here.client]!.ip === dst ? net.clients[here.client]!.name : undefined;
          if (h === undefined) { end('dropped', node, 'deliver', 'no-host'); break; }
          hops.push({ node, stage: 'deliver' });
          end('delivered', h, 'deliver');
          break;
        }
      }
    }
  }
  deliverCopies(-1, true);
  return { packets, injects };
}

/**
 * What the receiver makes of an ESP packet with sequence number `seq` and the bytes at
 * `flipped` inverted, in the order it checks: the outer header no longer parses
 * (malformed, counted icv-mismatch), the SPI names no SA (unknown-spi), the sequence number
 * (as flipped) is one the window refuses (replay), the ICV fails. null: accepted.
 */
function espVerdict(flipped: readonly number[], seq: number, fresh: (seq: number) => boolean): string | null {
  if (flipped.some((o) => o < 20)) return 'icv-mismatch';
  if (flipped.some((o) => o >= 20 && o < 24)) return 'unknown-spi';
  let s = seq;
  for (const o of flipped) if (o >= 24 && o < 28) s = (s ^ (0xff << (8 * (27 - o)))) >>> 0;
  if (!fresh(s)) return 'replay';
  return flipped.length > 0 ? 'icv-mismatch' : null;
}

/** A source address that is no host's: it starts in the VNet subnet or site that holds it. */
function synthetic(s: Scenario, ip: number): Host | undefined {
  for (let vi = 0; vi < s.vnets.length; vi++) {
    const k = s.vnets[vi]!.subnets.findIndex((sn) => contains(sn.prefix, ip));
    if (k >= 0) return { name: ipText(ip), ip, kind: 'vnet', net: vi, subnet: k };
  }
  const si = s.sites.findIndex((x) => x.addressPrefixes.some((p) => contains(p, ip)));
  return si >= 0 ? { name: ipText(ip), ip, kind: 'site', net: si, subnet: -1 } : undefined;
}
