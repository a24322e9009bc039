/**
 * What the gateway graph's nodes decided, as typed records, and the trace events made from
 * them. The nodes build a record only for a traced packet and hand it to `hopEvent` or
 * `endEvent`; every word of the trace (the `decision`, `detail` and header texts of
 * sim/engine/events.ts) is written here, by pure functions of the world and the record, so
 * a front end can make the same text from the same records.
 *
 * A record holds the packet's fields as the node saw them (a header changes along the
 * path: the TTL, the size on the wire), and indices into the world for the rest.
 */
import type { DropReason } from '../engine/drop-reasons.js';
import type { StageName } from '../engine/stages.js';
import { DROP_REASON_NAMES } from '../engine/drop-reasons.js';
import type { EndEvent, HopEvent, InjectEvent, RouteView } from '../engine/events.js';
import { referenceMatches } from '../net/lpm-reference.js';
import { formatIPv4 } from '../net/ipv4.js';
import { spiText } from '../wire/esp.js';
import type { TransformShape } from './esp-sizes.js';
import { espWireLength, largestInner } from './esp-sizes.js';
import { EndKind } from './world.js';
import type { PolicySelectors, RouteTable, World, WSa } from './world.js';
import type { InjectionOutcome } from './injection.js';

/** A node of the topology a record happened at, named only when the text is made. */
export const Where = { SUBNET: 0, SITE_LAN: 1, P2S: 2, DEVICE: 3, GATEWAY: 4, VNET: 5 } as const;
export type WhereKind = (typeof Where)[keyof typeof Where];
/** The Where kind of an SA end, indexed by EndKind (GATEWAY, DEVICE, P2S). */
export const END_WHERE: readonly WhereKind[] = [Where.GATEWAY, Where.DEVICE, Where.P2S];

/** The name of topology node `at` of kind `kind`, as traces show it. */
export function whereName(w: World, kind: number, at: number): string {
  switch (kind) {
    case Where.SUBNET: {
      const sn = w.subnets[at]!;
      return `${w.vnets[sn.vnet]!.name}/${sn.name}`;
    }
    case Where.SITE_LAN: return `${w.sites[at]!.name}/lan`;
    case Where.P2S: return w.p2sClients[at]!.name;
    case Where.DEVICE: return w.sites[at]!.device.name;
    case Where.GATEWAY: return w.gateways[at]!.name;
    default: return w.vnets[at]!.name;
  }
}

/** The inner packet's header as a node saw it. */
export interface HeaderView {
  readonly src: number;
  readonly dst: number;
  readonly proto: number;
  readonly sport: number;
  readonly dport: number;
  readonly ttl: number;
  /** IPv4 total length of the inner packet. */
  readonly len: number;
  readonly df: boolean;
}

/** What a node decided for one packet (one hop of its path). */
export type HopRecord =
  | { readonly kind: 'send'; readonly host: number; readonly header: HeaderView }
  | { readonly kind: 'route'; readonly where: WhereKind; readonly at: number; readonly table: RouteTable; readonly route: number; readonly dst: number }
  | {
    readonly kind: 'selector'; readonly where: WhereKind; readonly at: number; readonly list: 'access list' | 'traffic selectors';
    readonly policy: PolicySelectors; readonly selector: number; readonly src: number; readonly dst: number;
  }
  | { readonly kind: 'into-vnet'; readonly gateway: number; readonly dst: number; readonly space: number }
  | {
    readonly kind: 'encrypt'; readonly sa: number; readonly spi: number; readonly seq: number; readonly espPackets: number; readonly wireLen: number;
    readonly shape: TransformShape; readonly header: HeaderView;
  }
  | { readonly kind: 'encrypt-refused'; readonly sa: number; readonly len: number }
  | {
    readonly kind: 'decrypt'; readonly arrivedOn: number; readonly sa: number; readonly spi: number; readonly seq: number; readonly espPackets: number;
    readonly wireLen: number; readonly shape: TransformShape; readonly header: HeaderView; readonly selectorsMatch: boolean;
  }
  | { readonly kind: 'decrypt-refused'; readonly sa: number; readonly reason: number }
  | { readonly kind: 'circuit'; readonly path: number; readonly toSite: boolean }
  | { readonly kind: 'deliver'; readonly where: WhereKind; readonly at: number; readonly host: number; readonly dst: number };

/** The packet a record is about: what every event of it carries. */
export interface PacketRef {
  readonly t: number;
  readonly flow: string;
  readonly packet: number;
  /** 1-based hop number. */
  readonly hop: number;
  /** Its inner addresses now. */
  readonly src: number;
  readonly dst: number;
}

export function protoName(p: number): string {
  return p === 1 ? 'icmp' : p === 6 ? 'tcp' : p === 17 ? 'udp' : p === 50 ? 'esp' : `proto ${p}`;
}

function fmt(a: number): string {
  return formatIPv4(a);
}

function view(t: RouteTable, k: number): RouteView {
  const e = t.entries[k]!;
  return { prefix: e.prefix.text, nextHop: e.nextHop, source: e.source };
}

function base(p: PacketRef, node: string, stage: StageName, decision: string): HopEvent {
  return { type: 'hop', t: p.t, flow: p.flow, packet: p.packet, hop: p.hop, node, stage, decision, src: fmt(p.src), dst: fmt(p.dst) };
}

function saNode(w: World, sa: WSa, sending: boolean): string {
  return sending ? whereName(w, END_WHERE[sa.fromKind]!, sa.from) : whereName(w, END_WHERE[sa.toKind]!, sa.to);
}

/** The hop event of record `r` for packet `p`. */
export function hopEvent(w: World, p: PacketRef, r: HopRecord): HopEvent {
  switch (r.kind) {
    case 'send': {
      const h = r.header;
      return base(p, w.hosts[r.host]!.name, 'send', `${protoName(h.proto)} ${h.len} bytes, ttl ${h.ttl}${h.df ? ', DF' : ''}`);
    }
    case 'route': {
      const node = whereName(w, r.where, r.at);
      const t = r.table;
      const all = referenceMatches(t.entries.map((e) => ({ addr: e.prefix.addr, len: e.prefix.len })), r.dst);
      const beat = all.filter((k) => k !== r.route).map((k) => view(t, k));
      if (r.route < 0) return { ...base(p, node, 'route', `no route matches ${fmt(r.dst)}`), beat };
      const e = t.entries[r.route]!;
      return { ...base(p, node, 'route', `${e.prefix.text} → ${e.nextHop}`), route: view(t, r.route), beat };
    }
    case 'selector': {
      const node = whereName(w, r.where, r.at);
      const pol = r.policy;
      const m = r.selector;
      if (m < 0) return base(p, node, 'classify', `no entry of the ${r.list} matches ${fmt(r.src)} → ${fmt(r.dst)}`);
      const permit = pol.permit[m] === 1;
      const saName = permit && pol.sa[m]! >= 0 ? w.sas[pol.sa[m]!]!.name : undefined;
      return {
        ...base(p, node, 'classify', `${r.list} entry ${pol.entry[m]}: ${pol.text[m]}${permit ? (saName ? ` → SA ${saName}` : ' → no SA') : ' → bypass, sent in clear'}`),
        selector: { index: pol.entry[m]!, src: pol.src[m]!.text, dst: pol.dst[m]!.text, action: permit ? 'protect' : 'bypass' },
      };
    }
    case 'into-vnet': {
      const g = w.gateways[r.gateway]!;
      const v = w.vnets[g.vnet]!;
      return base(p, g.name, 'forward', `${fmt(r.dst)} is in ${v.name}'s address space ${v.space[r.space]!.text}: deliver into the VNet`);
    }
    case 'encrypt': {
      const sa = w.sas[r.sa]!;
      const n = r.espPackets;
      const decision = n > 1 ? `fragment (no DF) and encrypt into SA ${sa.name}: ${n} ESP packets` : `encrypt into SA ${sa.name}`;
      return saEvent(w, p, saNode(w, sa, true), 'encrypt', sa, r.spi, r.seq, n, r.wireLen, r.shape, r.header, decision);
    }
    case 'encrypt-refused': {
      const sa = w.sas[r.sa]!;
      return { ...base(p, saNode(w, sa, true), 'encrypt', `into SA ${sa.name}: ${r.len} bytes, path MTU ${sa.mtu}`), connection: w.connections[sa.connection]!.name };
    }
    case 'decrypt': {
      const on = w.sas[r.arrivedOn]!;
      const sa = w.sas[r.sa]!;
      const decision = r.selectorsMatch
        ? `decrypt SA ${sa.name} (ICV verified); inner packet matches its selectors ${sa.selSrc.text} → ${sa.selDst.text}`
        : `decrypt SA ${sa.name} (ICV verified)`;
      return saEvent(w, p, saNode(w, on, false), 'decrypt', sa, r.spi, r.seq, r.espPackets, r.wireLen, r.shape, r.header, decision);
    }
    case 'decrypt-refused': {
      const sa = w.sas[r.sa]!;
      return { ...base(p, saNode(w, sa, false), 'decrypt', `ESP from ${fmt(sa.outerSrc)}: ${DROP_REASON_NAMES[r.reason]}`), connection: w.connections[sa.connection]!.name };
    }
    case 'circuit': {
      const path = w.erPaths[r.path]!;
      const conn = w.connections[path.connection]!;
      const to = r.toSite ? w.sites[path.site]!.name : w.gateways[path.gateway]!.name;
      return { ...base(p, path.circuit, 'circuit', `over circuit ${path.circuit} (${conn.name}) to ${to}`), connection: conn.name };
    }
    case 'deliver':
      return base(p, whereName(w, r.where, r.at), 'deliver', `to ${w.hosts[r.host]!.name} (${fmt(r.dst)})`);
  }
}

function saEvent(
  w: World, p: PacketRef, node: string, stage: StageName, sa: WSa, spi: number, seq: number, n: number, wireLen: number,
  shape: TransformShape, h: HeaderView, decision: string,
): HopEvent {
  const seqText = n > 1 ? `${seq}-${seq + n - 1}` : `${seq}`;
  return {
    ...base(p, node, stage, decision),
    connection: w.connections[sa.connection]!.name,
    sa: {
      name: sa.name, spi: spiText(spi), seq, transform: shape.name,
      outer: { src: fmt(sa.outerSrc), dst: fmt(sa.outerDst) },
      sizeBefore: h.len, sizeAfter: wireLen, overhead: wireLen - h.len, mtu: sa.mtu, espPackets: n,
      innerHeader: `IPv4 ${fmt(h.src)} → ${fmt(h.dst)} ${protoName(h.proto)}${h.proto !== 1 ? ` ${h.sport} → ${h.dport}` : ''} ttl ${h.ttl} len ${h.len}${h.df ? ' DF' : ''}`,
      outerHeader: `IPv4 ${fmt(sa.outerSrc)} → ${fmt(sa.outerDst)} ${shape.udp ? `udp ttl 64, UDP ${shape.udp.srcPort} → ${shape.udp.dstPort} (ESP in UDP)` : 'esp ttl 64'}, ESP spi ${spiText(spi)} seq ${seqText}, ${shape.name} (iv ${shape.ivLen}, icv ${shape.icvLen})`,
    },
  };
}

/** How a packet's path ended, where. */
export type EndRecord =
  | { readonly kind: 'delivered' | 'internet'; readonly node: string; readonly stage: StageName }
  | { readonly kind: 'dropped'; readonly node: string; readonly stage: StageName; readonly reason: number; readonly detail: string };

/** The end event of record `r`; `via` names the connections the packet crossed. */
export function endEvent(p: Omit<PacketRef, 'hop' | 'src' | 'dst'>, r: EndRecord, via: string[]): EndEvent {
  if (r.kind === 'dropped') {
    return {
      type: 'dropped', t: p.t, flow: p.flow, packet: p.packet, node: r.node, stage: r.stage,
      reason: DROP_REASON_NAMES[r.reason] as DropReason, detail: r.detail, via,
    };
  }
  return { type: r.kind, t: p.t, flow: p.flow, packet: p.packet, node: r.node, stage: r.stage, via };
}

/** The 'inject' event of an injection's settled outcome, at time `t`. */
export function injectEvent(flowNames: readonly string[], o: InjectionOutcome, t: number): InjectEvent {
  return {
    type: 'inject', t, flow: flowNames[o.flow]!, packet: o.packet, connection: o.connection, action: o.action,
    sa: o.sa, spi: o.spi, seq: o.seq, result: o.result, ...(o.reason ? { reason: o.reason as DropReason } : {}), detail: o.detail,
  };
}

// ---- drop details (each made only for a traced packet) ----

export function noRouteDetail(w: World, where: WhereKind, at: number, dst: number): string {
  switch (where) {
    case Where.SUBNET: return 'no route in the subnet\'s effective routes matches';
    case Where.SITE_LAN: return 'no route on the site LAN matches';
    case Where.P2S: return 'no route on the client matches';
    default: return `no route in ${w.gateways[at]!.name}'s routing table matches ${fmt(dst)}`;
  }
}

/** A route that discards: next hop None, a known prefix with nobody there, or an unknown next hop. */
export function discardDetail(t: RouteTable, r: number, nextCode: 'drop' | 'no-host' | 'other', dst: number): string {
  const e = t.entries[r]!;
  return nextCode === 'drop' ? `route ${e.prefix.text} has next hop None: the packet is discarded`
    : nextCode === 'no-host' ? `${fmt(dst)} is in ${e.prefix.text} (${e.nextHop}) but nobody has that address`
    : 'unknown next hop';
}

export function ttlDetail(node: string, ttl: number): string {
  return `TTL ${ttl} reached zero at ${node}`;
}

export function noSelectorDetail(gateway: string, src: number, dst: number): string {
  return `no traffic selector of ${gateway} matches ${fmt(src)} → ${fmt(dst)}`;
}

/** Why a device's permit selector `m` had no SA for the packet. */
export function noSaDetail(p: PolicySelectors, m: number, src: number, dst: number): string {
  return `no SA for ${fmt(src)} → ${fmt(dst)} under access-list entry ${p.entry[m]} (${p.text[m]}): ${p.noSa[m] || 'the gateway has no selector it could agree to'}`;
}

/** Why a gateway dropped a packet for its SKU throughput. */
export function overSkuDetail(w: World, g: number): string {
  return `${w.gateways[g]!.name} is over its ${w.gateways[g]!.sku} SKU throughput`;
}

export function noHostDetail(node: string, dst: number): string {
  return `no host in ${node} has address ${fmt(dst)}`;
}

export function outsideSelectorsDetail(sa: WSa, src: number, dst: number): string {
  return `inner packet ${fmt(src)} → ${fmt(dst)} is outside SA ${sa.name}'s selectors ${sa.selSrc.text} → ${sa.selDst.text}`;
}

/** Why a DF packet of `len` bytes does not fit SA `sa`'s path MTU, and the ICMP its sender (`sender`) gets. */
export function dfDetail(world: World, sa: WSa, shape: TransformShape, len: number, sender: number): string {
  const icmp = `ICMP type 3 code 4 (fragmentation needed, next-hop MTU ${largestInner(shape, sa.mtu)})`;
  return `DF set and ${len} bytes become ${espWireLength(shape, len)} with ${shape.udp ? 'ESP in UDP' : 'ESP'} (+${espWireLength(shape, len) - len}), over the path MTU ${sa.mtu}: `
    + (sa.fromKind === EndKind.P2S
      ? `the sender is the client itself, whose own IP stack refuses the packet: no ${icmp} on the wire`
      : `the sender gets ${icmp} from ${icmpSource(world, sa, sender)}`);
}

/**
 * The source of the ICMP error an SA's sending end returns to the packet's sender: the
 * address of the interface the ICMP leaves by (RFC 1812 §4.3.2.4), which faces the sender,
 * never the tunnel's public address. An Azure gateway answers from its address in the
 * GatewaySubnet; an on-premises device from its LAN address, which a scenario does not name:
 * vgwsim takes the first host address of the site prefix that holds the sender (the longest
 * that does; or the site's first prefix), the usual router address of a LAN.
 */
function icmpSource(world: World, sa: WSa, sender: number): string {
  if (sa.fromKind === EndKind.GATEWAY) {
    const g = world.gateways[sa.from]!;
    return `${formatIPv4(g.privateIp)} (${g.name}'s address in its GatewaySubnet)`;
  }
  const site = world.sites[sa.from]!;
  const p = site.prefixes[site.prefixLpm.lookup(sender)] ?? site.prefixes[0];
  if (!p) return formatIPv4(site.device.publicIp);
  const lan = p.len >= 31 ? p.addr : (p.addr + 1) >>> 0;
  return `${formatIPv4(lan)} (${site.device.name} on its LAN, the first address of ${p.text})`;
}
