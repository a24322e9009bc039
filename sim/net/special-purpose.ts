/**
 * The IPv4 special-purpose address blocks, as data: the IANA IPv4 Special-Purpose Address
 * Registry (RFC 6890, as updated by RFC 8190) plus the multicast block 224.0.0.0/4
 * (RFC 5771), which has a registry of its own.
 *
 * Owns the table and the lookups over it: the most specific block that holds an address,
 * and the blocks a prefix shares addresses with. It rejects nothing itself; the scenario
 * checks decide what a block means for a gateway address, an address space or a flow.
 *
 * Columns:
 * - `globallyReachable`: the registry's "Globally Reachable" column (RFC 8190 §2): an
 *   address of the block can be reached from the Internet. A more specific block overrides
 *   the one around it (192.0.0.9/32 is reachable inside 192.0.0.0/24, which is not).
 * - `documentation`: the three RFC 5737 blocks reserved for examples and documentation.
 * - `notUnicast`: set (to the reason, in words) where no interface of a routed network holds
 *   an address of the block, so no unicast packet is ever delivered to one: "this network" (RFC 1122
 *   §3.2.1.3: only a source while a host learns its address), loopback (never leaves a
 *   host, RFC 1122 §3.2.1.3), link-local (never forwarded by a router, RFC 3927 §2.7),
 *   multicast groups (RFC 5771), the reserved 240.0.0.0/4 (RFC 1112 §4) and the limited
 *   broadcast address (RFC 919 §7).
 *
 * Lookups scan the table (a few dozen rows); nothing here is on a per-packet path.
 */
import { contains, parsePrefix } from './ipv4.js';

export interface SpecialBlock {
  readonly addr: number;
  readonly len: number;
  /** Canonical text, e.g. "10.0.0.0/8". */
  readonly text: string;
  /** The registry's name of the block. */
  readonly name: string;
  /** The defining document, e.g. "RFC 1918". */
  readonly rfc: string;
  readonly globallyReachable: boolean;
  readonly documentation: boolean;
  /** Why no unicast host has an address of the block; undefined when hosts may. */
  readonly notUnicast?: string;
}

/** RFC 1122 §3.2.1.3 (a), (b): never sent "except as a source address as part of an initialization procedure by which the host learns its own IP address". */
const THIS_NETWORK = 'no interface holds such an address, and a host sends from one only broadcasts while it learns its own';

type Row = [text: string, name: string, rfc: string, globallyReachable: boolean, flags?: { documentation?: true; notUnicast?: string }];

const ROWS: readonly Row[] = [
  ['0.0.0.0/8', '"This network"', 'RFC 791 §3.2', false, { notUnicast: THIS_NETWORK }],
  ['0.0.0.0/32', '"This host on this network"', 'RFC 1122 §3.2.1.3', false, { notUnicast: THIS_NETWORK }],
  ['10.0.0.0/8', 'Private-Use', 'RFC 1918', false],
  ['100.64.0.0/10', 'Shared Address Space', 'RFC 6598', false],
  ['127.0.0.0/8', 'Loopback', 'RFC 1122 §3.2.1.3', false, { notUnicast: 'loopback never leaves a host' }],
  ['169.254.0.0/16', 'Link Local', 'RFC 3927', false, { notUnicast: 'routers never forward link-local addresses' }],
  ['172.16.0.0/12', 'Private-Use', 'RFC 1918', false],
  ['192.0.0.0/24', 'IETF Protocol Assignments', 'RFC 6890 §2.1', false],
  ['192.0.0.0/29', 'IPv4 Service Continuity Prefix', 'RFC 7335', false],
  ['192.0.0.8/32', 'IPv4 dummy address', 'RFC 7600', false],
  ['192.0.0.9/32', 'Port Control Protocol Anycast', 'RFC 7723', true],
  ['192.0.0.10/32', 'Traversal Using Relays around NAT Anycast', 'RFC 8155', true],
  ['192.0.0.170/32', 'NAT64/DNS64 Discovery', 'RFC 7050 §2.2', false],
  ['192.0.0.171/32', 'NAT64/DNS64 Discovery', 'RFC 7050 §2.2', false],
  ['192.0.2.0/24', 'Documentation (TEST-NET-1)', 'RFC 5737', false, { documentation: true }],
  ['192.31.196.0/24', 'AS112-v4', 'RFC 7535', true],
  ['192.52.193.0/24', 'AMT', 'RFC 7450', true],
  ['192.88.99.0/24', 'Deprecated (6to4 Relay Anycast)', 'RFC 7526', false],
  ['192.168.0.0/16', 'Private-Use', 'RFC 1918', false],
  ['192.175.48.0/24', 'Direct Delegation AS112 Service', 'RFC 7534', true],
  ['198.18.0.0/15', 'Benchmarking', 'RFC 2544', false],
  ['198.51.100.0/24', 'Documentation (TEST-NET-2)', 'RFC 5737', false, { documentation: true }],
  ['203.0.113.0/24', 'Documentation (TEST-NET-3)', 'RFC 5737', false, { documentation: true }],
  ['224.0.0.0/4', 'Multicast', 'RFC 5771', false, { notUnicast: 'multicast addresses name groups, not hosts' }],
  ['240.0.0.0/4', 'Reserved', 'RFC 1112 §4', false, { notUnicast: 'reserved for future use' }],
  ['255.255.255.255/32', 'Limited Broadcast', 'RFC 919 §7, RFC 8190', false, { notUnicast: 'the limited broadcast address reaches every host of a link, never one' }],
];

function block([text, name, rfc, globallyReachable, flags]: Row): SpecialBlock {
  const p = parsePrefix(text);
  if (!p.ok || p.value.text !== text) throw new Error(`special-purpose table: bad block ${text}`);
  return {
    addr: p.value.addr, len: p.value.len, text, name, rfc, globallyReachable,
    documentation: flags?.documentation === true,
    ...(flags?.notUnicast !== undefined ? { notUnicast: flags.notUnicast } : {}),
  };
}

/** Every special-purpose block, in address order (a block before the blocks inside it). */
export const SPECIAL_BLOCKS: readonly SpecialBlock[] = Object.freeze(ROWS.map(block));

/** The most specific special-purpose block holding `addr`, or undefined for an ordinary address. */
export function specialBlockOf(addr: number): SpecialBlock | undefined {
  let best: SpecialBlock | undefined;
  for (const b of SPECIAL_BLOCKS) {
    if (contains(b.addr, b.len, addr) && (best === undefined || b.len > best.len)) best = b;
  }
  return best;
}

/**
 * The blocks without unicast hosts that share addresses with the prefix `addr/len`: the
 * most specific one holding the whole prefix (255.255.255.255/32 rather than 240.0.0.0/4),
 * or else the blocks inside the prefix in address order, leaving out a block inside
 * another listed one.
 */
export function nonUnicastBlocksOverlapping(addr: number, len: number): SpecialBlock[] {
  const hit = SPECIAL_BLOCKS.filter((b) => b.notUnicast !== undefined && contains(b.addr, Math.min(b.len, len), addr));
  const around = hit.filter((b) => b.len <= len);
  if (around.length > 0) return [around.reduce((a, b) => (b.len > a.len ? b : a))];
  return hit.filter((b) => !hit.some((o) => o !== b && o.len < b.len && contains(o.addr, o.len, b.addr)));
}

/**
 * Does the prefix `addr/len` hold only addresses of blocks without unicast hosts (so no
 * unicast packet can ever be sent to any of them)?
 */
export function onlyNonUnicast(addr: number, len: number): boolean {
  const size = 2 ** (32 - len);
  let covered = 0;
  for (const b of nonUnicastBlocksOverlapping(addr, len)) {
    if (b.len <= len) return true;
    covered += 2 ** (32 - b.len);
  }
  return covered === size;
}
