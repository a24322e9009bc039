/**
 * Address rules of Azure and of IP itself, checked on the typed scenario after the schema:
 * which addresses a tunnel end, an address space, a VM and a flow may have. Every problem is
 * collected; nothing throws, nothing prints. The special-purpose blocks are data
 * (sim/net/special-purpose.ts); this module decides what each block means here.
 *
 * Rejects (all errors):
 * - PUBLIC_IP_REQUIRED: a site's `gatewayIp` (when the site has an IPsec connection) or a
 *   gateway's `publicIp` in a block the Internet cannot reach (private, shared, loopback,
 *   link-local, benchmarking, reserved, multicast, ...). The 2016 reference asks for "an
 *   externally facing public IPv4 IP address" on the on-premises device, and Azure assigns
 *   a gateway's address from its own public space. The RFC 5737 documentation blocks
 *   (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) are accepted as stand-ins for public
 *   addresses: that is what they are for, and every example uses them. A site that no
 *   IPsec connection uses (an ExpressRoute-only site) is no tunnel end, so its gatewayIp is
 *   not checked.
 * - PUBLIC_IP_CONFLICT: a VPN device (a site with an IPsec connection) on a gateway's own
 *   public IP (a tunnel to itself), or two gateways with one public IP.
 * - NON_UNICAST_ADDRESS: a VNet address-space prefix, subnet, site prefix or point-to-site
 *   pool that shares addresses with a block where no unicast host can be (0.0.0.0/8,
 *   127.0.0.0/8, 169.254.0.0/16, 224.0.0.0/4, 240.0.0.0/4, 255.255.255.255/32): those are
 *   address spaces, and hosts live in them. A device `routes:` prefix and a circuit's
 *   `onPremisesPrefixes` (the routes the site advertises over BGP) are destinations, like a
 *   subnet's user route, so only one that holds nothing but such addresses is refused:
 *   0.0.0.0/0 there means "everything". A flow whose
 *   `from`/`to` is an address literal in such a block: no unicast packet is delivered there,
 *   and Azure blocks multicast and broadcast within VNets (articles/virtual-network/
 *   virtual-networks-faq.md, ms.date 03/15/2016, via includes/virtual-networks-vnet-faq-include.md).
 * - SUBNET_SIZE_UNSUPPORTED: a subnet longer than /29 or shorter than /8 ("The smallest
 *   subnet we support is a /29 and the largest is a /8", the same FAQ). A GatewaySubnet
 *   longer than /29 is GATEWAY_SUBNET_TOO_SMALL instead (gateway-subnet.ts).
 * - RESERVED_ADDRESS: a VNet host on an address Azure keeps in its subnet: the network
 *   address, .1 (the subnet's default gateway), .2 and .3 (Azure DNS) and the last
 *   (broadcast) address. The 2016 FAQ says "The first and last IP addresses of the subnets
 *   are reserved for protocol conformance, along with 3 more addresses used for Azure
 *   services"; which three (x.x.x.1-x.x.x.3) the later FAQ names (ms.date 02/12/2019). A
 *   VNet host anywhere in the GatewaySubnet, which holds only the gateway's instances:
 *   "don't deploy VMs or anything else to the gateway subnet" (articles/vpn-gateway/
 *   vpn-gateway-vpn-faq.md, ms.date 03/10/2016). Hosts of a subnet too small for any VM are
 *   left to SUBNET_SIZE_UNSUPPORTED. The same for a flow's `from` written as an address in
 *   a VNet subnet that no host has: the run would send from a VM there.
 * - HOST_NAME_IS_ADDRESS: a host name (VNet host, site host, point-to-site client) that
 *   reads as an IPv4 address: flows name hosts and addresses in the same `from`/`to` keys,
 *   so the flow would be ambiguous.
 */
import { formatIPv4, lastAddress, parseIPv4 } from '../../net/ipv4.js';
import { PrefixIndex } from '../../net/prefix-index.js';
import { nonUnicastBlocksOverlapping, onlyNonUnicast, specialBlockOf } from '../../net/special-purpose.js';
import type { SpecialBlock } from '../../net/special-purpose.js';
import type { Report } from '../diagnostics.js';
import { ownerText, q } from '../message-text.js';
import { GATEWAY_SUBNET } from '../types.js';
import type { HostRef, Prefix, Scenario, Subnet, Vnet } from '../types.js';
import type { RuleGroup } from './context.js';

/** Subnet prefix lengths Azure supports (2016 VNet FAQ): /8 to /29. */
export const SUBNET_MIN_LEN = 8;
export const SUBNET_MAX_LEN = 29;
/** Addresses Azure keeps at the start of every subnet: network, default gateway, two for DNS. */
const RESERVED_AT_START = 4;
/** How many blocks a message names before "and N more". */
const SHOWN_BLOCKS = 3;

function blockText(b: SpecialBlock): string {
  return `${b.text} (${b.name}, ${b.rfc})`;
}

/** Sites that are the on-premises end of an IPsec connection: their gatewayIp is a tunnel end. */
function tunnelSites(s: Scenario): Set<string> {
  return new Set(s.connections.filter((c) => c.type === 'IPsec' && c.site !== undefined).map((c) => c.site as string));
}

// ---------------------------------------------------------------------------------------
// Tunnel ends: public addresses
// ---------------------------------------------------------------------------------------

const PUBLIC_EXAMPLES = 'the documentation blocks 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24 stand in for public addresses';

/**
 * The block that keeps `addr` from being a tunnel end: the most specific special-purpose
 * block holding it, when the Internet cannot reach that block and it is no documentation
 * block (those stand in for public addresses); undefined for an address a tunnel end may have.
 */
function unreachableBlockOf(addr: number): SpecialBlock | undefined {
  const b = specialBlockOf(addr);
  return b && !b.globallyReachable && !b.documentation ? b : undefined;
}

function checkPublicAddresses(r: Report): void {
  const s = r.s;
  const ends = tunnelSites(s);
  for (const st of s.sites) {
    if (!ends.has(st.name)) continue;
    const b = unreachableBlockOf(st.gatewayIp);
    if (b) {
      r.add(
        'PUBLIC_IP_REQUIRED',
        `${st.path}.gatewayIp`,
        `site ${q(st.name)}: gatewayIp ${st.gatewayIpText} is in ${blockText(b)}, which the Internet cannot reach; a Site-to-Site VPN device needs an externally facing public IPv4 address: write the device's public address (${PUBLIC_EXAMPLES})`,
      );
    }
  }
  const byIp = new Map<number, string>();
  for (const g of s.gateways) {
    if (g.publicIp === undefined) continue;
    const text = g.publicIpText ?? formatIPv4(g.publicIp);
    const b = unreachableBlockOf(g.publicIp);
    if (b) {
      r.add(
        'PUBLIC_IP_REQUIRED',
        `${g.path}.publicIp`,
        `gateway ${q(g.name)}: publicIp ${text} is in ${blockText(b)}, which the Internet cannot reach; Azure gives a gateway an address from its own public space: write a public address (${PUBLIC_EXAMPLES})`,
      );
    }
    const prev = byIp.get(g.publicIp);
    if (prev !== undefined) {
      r.add(
        'PUBLIC_IP_CONFLICT',
        `${g.path}.publicIp`,
        `gateway ${q(g.name)}: publicIp ${text} is also the publicIp of gateway ${q(prev)}; every gateway has a public IP of its own: give ${q(g.name)} another address`,
      );
    } else {
      byIp.set(g.publicIp, g.name);
    }
  }
  for (const st of s.sites) {
    if (!ends.has(st.name)) continue;
    const gw = byIp.get(st.gatewayIp);
    if (gw === undefined) continue;
    r.add(
      'PUBLIC_IP_CONFLICT',
      `${st.path}.gatewayIp`,
      `site ${q(st.name)}: gatewayIp ${st.gatewayIpText} is gateway ${q(gw)}'s own publicIp, so a tunnel to this device would be a tunnel to the gateway itself; give the on-premises device its own public address`,
    );
  }
}

// ---------------------------------------------------------------------------------------
// Address spaces and flow endpoints without unicast hosts
// ---------------------------------------------------------------------------------------

/** "covers 0.0.0.0/8 (...), 127.0.0.0/8 (...) and 3 more", or "is inside 224.0.0.0/4 (...), where ... (why)". */
function relation(p: Prefix, blocks: readonly SpecialBlock[]): string {
  const first = blocks[0] as SpecialBlock;
  if (blocks.length === 1) {
    const verb = first.len === p.len ? 'is the block' : first.len < p.len ? 'is inside' : 'covers';
    return `${verb} ${blockText(first)}, where no host can have an address (${first.notUnicast ?? ''})`;
  }
  const shown = blocks.slice(0, SHOWN_BLOCKS).map(blockText);
  const more = blocks.length > SHOWN_BLOCKS ? ` and ${blocks.length - SHOWN_BLOCKS} more` : '';
  return `covers ${shown.join(', ')}${more}, where no host can have an address`;
}

/** The blocks the 2016 VNet FAQ names: "multicast, broadcast ... are blocked within VNets". */
const BLOCKED_IN_VNETS = new Set(['224.0.0.0/4', '255.255.255.255/32']);

const SPACE_FIX = 'use private (RFC 1918: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) or public unicast space';

function checkNonUnicast(r: Report): void {
  const s = r.s;
  /** An address space: refused when it shares any address with such a block. */
  const space = (p: Prefix, path: string, who: string, fix = SPACE_FIX): boolean => {
    const blocks = nonUnicastBlocksOverlapping(p.addr, p.len);
    if (blocks.length === 0) return false;
    r.add('NON_UNICAST_ADDRESS', path, `${who} ${p.text} ${relation(p, blocks)}; it cannot be address space: ${fix}`);
    return true;
  };

  for (const v of s.vnets) {
    const refusedSpace: Prefix[] = [];
    v.addressSpace.forEach((p, k) => {
      if (space(p, `${v.path}.addressSpace[${k}]`, `VNet ${q(v.name)}: address space prefix`)) refusedSpace.push(p);
    });
    const refused = new PrefixIndex(refusedSpace);
    for (const sn of v.subnets) {
      // A subnet inside a refused address-space prefix is fixed with it: one report.
      if (refused.covered(sn.prefix)) continue;
      space(sn.prefix, `${sn.path}.prefix`, `subnet ${q(sn.name)} of VNet ${q(v.name)}: prefix`);
    }
  }
  /** A route's destination: refused only when it holds nothing but such blocks (0.0.0.0/0 means "everything"). */
  const destination = (p: Prefix, path: string, who: string, fix: string): void => {
    if (!onlyNonUnicast(p.addr, p.len)) return;
    r.add('NON_UNICAST_ADDRESS', path, `${who} ${p.text} ${relation(p, nonUnicastBlocksOverlapping(p.addr, p.len))}, so no unicast packet can ever match it; ${fix}`);
  };

  for (const st of s.sites) {
    st.addressPrefixes.forEach((p, k) => space(p, `${st.path}.addressPrefixes[${k}]`, `site ${q(st.name)}: address prefix`));
    const dev = st.device;
    (dev?.routes ?? []).forEach((p, k) => destination(
      p,
      `${dev?.path ?? `${st.path}.device`}.routes[${k}]`,
      `site ${q(st.name)}: device route`,
      "route the Azure side's unicast prefixes (a VNet's address space, the point-to-site pool) or 0.0.0.0/0",
    ));
  }
  for (const g of s.gateways) {
    if (g.p2s) space(g.p2s.addressPool, `${g.p2s.path}.addressPool`, `gateway ${q(g.name)}: point-to-site addressPool`, 'choose a private pool, e.g. in 172.16.0.0/12');
  }
  // A circuit's on-premises prefixes are the routes the site advertises over BGP, which may be
  // the default route ("You can advertise default routes (0.0.0.0/0) to block all internet
  // connectivity", articles/expressroute/expressroute-faqs.md, ms.date 06/13/2016).
  for (const c of s.circuits) {
    c.onPremisesPrefixes.forEach((p, k) => destination(
      p,
      `${c.path}.onPremisesPrefixes[${k}]`,
      `circuit ${q(c.name)}: on-premises prefix`,
      "advertise the site's unicast prefixes, or 0.0.0.0/0 to send everything through the circuit",
    ));
  }

  for (const fl of s.traffic) {
    for (const end of ['from', 'to'] as const) {
      const problem = flowEndpointProblem(fl[end], end);
      if (problem !== undefined) r.add('NON_UNICAST_ADDRESS', `${fl.path}.${end}`, `flow ${q(fl.id)}: ${end} ${problem}`);
    }
  }
}

/**
 * Why a flow endpoint written as an address literal can send or receive no unicast packet
 * (its block holds no unicast host), or undefined for a host name or an ordinary address.
 * Also used for `vgw trace --from/--to`.
 */
export function flowEndpointProblem(value: string, end: 'from' | 'to'): string | undefined {
  const a = parseIPv4(value);
  if (!a.ok) return undefined;
  const b = specialBlockOf(a.value);
  if (b?.notUnicast === undefined) return undefined;
  const blocked = BLOCKED_IN_VNETS.has(b.text) ? '; Azure blocks multicast and broadcast within VNets' : '';
  return `${value} is in ${blockText(b)}: ${b.notUnicast}, so no unicast packet ${end === 'to' ? 'is delivered to' : 'comes from'} it${blocked}. Use a host name or a host's unicast address`;
}

// ---------------------------------------------------------------------------------------
// Subnets: sizes, reserved addresses, the GatewaySubnet
// ---------------------------------------------------------------------------------------

function reservedWhy(sn: Subnet, ip: number): string | undefined {
  const first = sn.prefix.addr;
  const last = lastAddress(sn.prefix.addr, sn.prefix.len);
  const k = ip - first;
  if (k === 0) return 'the network address';
  if (ip === last) return 'the broadcast address';
  if (k === 1) return "the subnet's default gateway";
  if (k === 2 || k === 3) return 'Azure DNS';
  return undefined;
}

/** The first address of `sn` a VM can have that no host of the VNet holds, or undefined. */
function firstFree(sn: Subnet, taken: ReadonlySet<number>): number | undefined {
  const last = lastAddress(sn.prefix.addr, sn.prefix.len);
  for (let a = sn.prefix.addr + RESERVED_AT_START; a < last; a++) if (!taken.has(a)) return a;
  return undefined;
}

/** The first VNet subnet holding `ip` (VNets and subnets in file order, where a run starts a packet from it), or undefined. */
function subnetHolding(s: Scenario, subnetIndex: ReadonlyMap<Vnet, PrefixIndex>, ip: number): { v: Vnet; sn: Subnet } | undefined {
  for (const v of s.vnets) {
    const sn = v.subnets[(subnetIndex.get(v) as PrefixIndex).first({ addr: ip, len: 32 })];
    if (sn) return { v, sn };
  }
  return undefined;
}

/**
 * Why no VM sends from the address `ip` of a VNet subnet, as text after the address: it is in
 * the GatewaySubnet, or Azure keeps it in its subnet. Undefined for an address a VM may have,
 * for one in no VNet subnet and for one in a subnet too small for VMs (SUBNET_SIZE_UNSUPPORTED).
 * `vgw trace --from` takes the same rule as a flow's `from`.
 */
export function reservedSourceProblem(s: Scenario, subnetIndex: ReadonlyMap<Vnet, PrefixIndex>, ip: number): string | undefined {
  const at = subnetHolding(s, subnetIndex, ip);
  if (!at) return undefined;
  const { v, sn } = at;
  if (sn.name === GATEWAY_SUBNET) {
    return `is in the ${GATEWAY_SUBNET} (${sn.prefix.text}) of VNet ${q(v.name)}, which holds only the gateway's own instances (Azure: "don't deploy VMs or anything else to the gateway subnet"), so no VM sends from it. Use a host name or the address of a VM in another subnet`;
  }
  if (sn.prefix.len > SUBNET_MAX_LEN) return undefined;
  const why = reservedWhy(sn, ip);
  if (why === undefined) return undefined;
  const next = firstFree(sn, new Set(v.hosts.map((h) => h.ip)));
  return `is an address Azure reserves in subnet ${q(sn.name)} (${sn.prefix.text}) of VNet ${q(v.name)} as ${why}, so no VM sends from it. Use a host name or a VM's address` +
    (next !== undefined ? `, e.g. ${formatIPv4(next)}` : '');
}

/**
 * RESERVED_ADDRESS at a flow's `from` written as an address where no VM can be (see
 * reservedSourceProblem). A name, or the address of a host, starts at that host (whose own
 * address is checked where it is defined).
 */
function checkFlowSources(r: Report, hosts: readonly HostRef[], subnetIndex: ReadonlyMap<Vnet, PrefixIndex>): void {
  const names = new Set(hosts.map((h) => h.name));
  const addresses = new Set(hosts.map((h) => h.ip));
  for (const fl of r.s.traffic) {
    const a = parseIPv4(fl.from);
    if (names.has(fl.from) || !a.ok || addresses.has(a.value)) continue;
    const problem = reservedSourceProblem(r.s, subnetIndex, a.value);
    if (problem !== undefined) r.add('RESERVED_ADDRESS', `${fl.path}.from`, `flow ${q(fl.id)}: from ${fl.from} ${problem}`);
  }
}

function checkSubnets(r: Report, subnetIndex: ReadonlyMap<Vnet, PrefixIndex>): void {
  for (const v of r.s.vnets) {
    const tooSmall = new Set<Subnet>();
    for (const sn of v.subnets) {
      const len = sn.prefix.len;
      if (len > SUBNET_MAX_LEN) tooSmall.add(sn);
      if (sn.name === GATEWAY_SUBNET && len > SUBNET_MAX_LEN) continue; // GATEWAY_SUBNET_TOO_SMALL
      if (len >= SUBNET_MIN_LEN && len <= SUBNET_MAX_LEN) continue;
      r.add(
        'SUBNET_SIZE_UNSUPPORTED',
        `${sn.path}.prefix`,
        len > SUBNET_MAX_LEN
          ? `subnet ${q(sn.name)} of VNet ${q(v.name)} is ${sn.prefix.text}; the smallest subnet Azure supports is a /${SUBNET_MAX_LEN} (it keeps five addresses of every subnet, so a /${len} has no room for a VM): make it /${SUBNET_MAX_LEN} or larger`
          : `subnet ${q(sn.name)} of VNet ${q(v.name)} is ${sn.prefix.text}; the largest subnet Azure supports is a /${SUBNET_MIN_LEN}: split it into /${SUBNET_MIN_LEN} or smaller subnets`,
      );
    }
    checkVnetHosts(r, v, subnetIndex.get(v) as PrefixIndex, tooSmall);
  }
}

function checkVnetHosts(r: Report, v: Vnet, subnets: PrefixIndex, tooSmall: ReadonlySet<Subnet>): void {
  const taken = new Set(v.hosts.map((h) => h.ip));
  const vmSubnets = v.subnets.filter((sn) => sn.name !== GATEWAY_SUBNET && !tooSmall.has(sn));
  // Lookups, not scans: the first subnet holding an address, each subnet's first free address once.
  const free = new Map<Subnet, number | undefined>();
  const firstFreeOf = (x: Subnet): number | undefined => {
    if (!free.has(x)) free.set(x, firstFree(x, taken));
    return free.get(x);
  };
  for (const h of v.hosts) {
    const sn = v.subnets[subnets.first({ addr: h.ip, len: 32 })];
    if (!sn) continue; // INVALID_PREFIX (address-spaces.ts)
    const who = `host ${q(h.name)} of VNet ${q(v.name)} has address ${h.ipText}`;
    if (sn.name === GATEWAY_SUBNET) {
      let move = 'add a subnet for VMs and move it there';
      for (const x of vmSubnets) {
        const a = firstFreeOf(x);
        if (a === undefined) continue;
        move = `move it to subnet ${q(x.name)}, e.g. ${formatIPv4(a)}`;
        break;
      }
      r.add(
        'RESERVED_ADDRESS',
        `${h.path}.ip`,
        `${who} in the ${GATEWAY_SUBNET} (${sn.prefix.text}), which holds only the gateway's own instances (Azure: "don't deploy VMs or anything else to the gateway subnet"); ${move}`,
      );
      continue;
    }
    if (tooSmall.has(sn)) continue; // SUBNET_SIZE_UNSUPPORTED
    const why = reservedWhy(sn, h.ip);
    if (why === undefined) continue;
    const next = firstFreeOf(sn);
    const last = formatIPv4(lastAddress(sn.prefix.addr, sn.prefix.len));
    r.add(
      'RESERVED_ADDRESS',
      `${h.path}.ip`,
      `${who}, which Azure reserves in subnet ${q(sn.name)} (${sn.prefix.text}) as ${why}: Azure keeps the first four addresses of every subnet (network, default gateway, two for Azure DNS) and the last (${last}, broadcast); ` +
        (next !== undefined ? `the first free address for a VM is ${formatIPv4(next)}` : 'the subnet has no free address left: use a larger subnet'),
    );
  }
}

// ---------------------------------------------------------------------------------------
// Host names that read as addresses
// ---------------------------------------------------------------------------------------

function checkHostNames(r: Report, named: readonly HostRef[]): void {
  const byIp = new Map<number, string>();
  for (const h of named) if (!byIp.has(h.ip)) byIp.set(h.ip, h.name);
  for (const h of named) {
    const a = parseIPv4(h.name);
    if (!a.ok) continue;
    const holder = byIp.get(a.value);
    const other = holder !== undefined && holder !== h.name ? ` (and host ${q(holder)} has that address)` : '';
    r.add(
      'HOST_NAME_IS_ADDRESS',
      `${h.path}.name`,
      `host ${q(h.name)} of ${ownerText(h)} is named like an IPv4 address${other}; flows name hosts and addresses in the same from/to keys, so ${q(h.name)} would be ambiguous: rename it, e.g. ${q(`host-${h.name.replace(/\./g, '-')}`)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------

/** Azure's and IP's address rules: tunnel ends, address spaces, subnets, VM and flow addresses, host names. */
export const addressRules: RuleGroup = {
  name: 'address rules',
  check(r, ix) {
    checkPublicAddresses(r);
    checkNonUnicast(r);
    checkSubnets(r, ix.subnetIndex);
    checkFlowSources(r, ix.hosts, ix.subnetIndex);
    checkHostNames(r, ix.hosts);
  },
};
