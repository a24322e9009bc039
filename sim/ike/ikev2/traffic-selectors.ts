/**
 * IKEv2 traffic selectors for a child SA (RFC 7296 §2.9, §3.13): what this side proposes,
 * how a responder narrows a proposal to its configuration, how an initiator checks what came
 * back, and how the result reads in logs and in the SAD.
 *
 * Owns: a configuration's selector pairs as TSi/TSr lists (the initiator's local prefixes are
 * TSi, its remote ones TSr; a responder reads them the other way round), the narrowing rule,
 * which is strongSwan's (`child_cfg` `get_traffic_selectors` with the peer's list: each
 * configured selector intersected with each proposed one, in configured order, duplicates
 * dropped; nothing left is TS_UNACCEPTABLE), the initiator's check (the returned selectors
 * narrowed again by its own configuration must leave something), the SAD's selector pairs
 * (address ranges split into prefixes), and strongSwan's `%#R` spelling (`10.1.0.0/16`,
 * `0.0.0.0/0`, `10.1.0.0/16[tcp/443]`, `10.1.0.5..10.1.0.9`). IPv4 ranges only: a selector of
 * another type (IPv6, a label) never intersects anything, as the gateways here are IPv4-only.
 */
import { formatIPv4, lastAddress, makePrefix, type Prefix } from '../../net/ipv4.js';
import type { Ipv4RangeSelector, TrafficSelector } from '../../wire/ikev2-ts.js';
import type { SelectorPair } from '../endpoint.js';

/** A prefix as an any-protocol, any-port IPv4 range selector. */
export function selectorOfPrefix(p: Prefix): Ipv4RangeSelector {
  return { kind: 'ipv4-range', ipProtocol: 0, startPort: 0, endPort: 65535, startAddress: p.addr, endAddress: lastAddress(p.addr, p.len) };
}

function uniquePrefixes(list: readonly Prefix[]): Prefix[] {
  const out: Prefix[] = [];
  for (const p of list) if (!out.some((q) => q.addr === p.addr && q.len === p.len)) out.push(p);
  return out;
}

/** This side's local and remote selectors from its configured pairs, in order, without repeats. */
export function configuredSelectors(pairs: readonly SelectorPair[]): { local: Ipv4RangeSelector[]; remote: Ipv4RangeSelector[] } {
  return {
    local: uniquePrefixes(pairs.map((p) => p.local)).map(selectorOfPrefix),
    remote: uniquePrefixes(pairs.map((p) => p.remote)).map(selectorOfPrefix),
  };
}

function sameSelector(a: Ipv4RangeSelector, b: Ipv4RangeSelector): boolean {
  return a.ipProtocol === b.ipProtocol && a.startPort === b.startPort && a.endPort === b.endPort && a.startAddress === b.startAddress && a.endAddress === b.endAddress;
}

/** The intersection of two selectors, or null (strongSwan's `get_subset`). */
export function intersect(a: Ipv4RangeSelector, b: Ipv4RangeSelector): Ipv4RangeSelector | null {
  if (a.ipProtocol !== 0 && b.ipProtocol !== 0 && a.ipProtocol !== b.ipProtocol) return null;
  const startAddress = Math.max(a.startAddress, b.startAddress);
  const endAddress = Math.min(a.endAddress, b.endAddress);
  const startPort = Math.max(a.startPort, b.startPort);
  const endPort = Math.min(a.endPort, b.endPort);
  if (startAddress > endAddress || startPort > endPort) return null;
  return { kind: 'ipv4-range', ipProtocol: a.ipProtocol !== 0 ? a.ipProtocol : b.ipProtocol, startPort, endPort, startAddress, endAddress };
}

/** `configured` narrowed by `proposed`: every non-empty intersection, configured order, no repeats. */
export function narrow(configured: readonly Ipv4RangeSelector[], proposed: readonly TrafficSelector[]): Ipv4RangeSelector[] {
  const out: Ipv4RangeSelector[] = [];
  for (const c of configured) {
    for (const p of proposed) {
      if (p.kind !== 'ipv4-range') continue;
      const i = intersect(c, p);
      if (i && !out.some((o) => sameSelector(o, i))) out.push(i);
    }
  }
  return out;
}

/** The largest prefixes that exactly cover the address range [start, end]. */
export function rangePrefixes(start: number, end: number): Prefix[] {
  const out: Prefix[] = [];
  let a = start;
  while (a <= end) {
    let len = 32;
    while (len > 0) {
      const wider = len - 1;
      const size = 2 ** (32 - wider);
      if (a % size !== 0 || a + size - 1 > end) break;
      len = wider;
    }
    out.push(makePrefix(a, len));
    a += 2 ** (32 - len);
  }
  return out;
}

/** The SAD's selector pairs of a child: every local prefix with every remote prefix. */
export function selectorPairs(local: readonly Ipv4RangeSelector[], remote: readonly Ipv4RangeSelector[]): SelectorPair[] {
  const locals = local.flatMap((s) => rangePrefixes(s.startAddress, s.endAddress));
  const remotes = remote.flatMap((s) => rangePrefixes(s.startAddress, s.endAddress));
  return locals.flatMap((l) => remotes.map((r) => ({ local: l, remote: r })));
}

const PROTOCOL_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'icmp'],
  [6, 'tcp'],
  [17, 'udp'],
  [50, 'esp'],
]);

/** One selector as strongSwan prints it (`%R`). */
export function selectorText(s: TrafficSelector): string {
  if (s.kind !== 'ipv4-range') return `(type ${s.tsType})`;
  const prefixes = rangePrefixes(s.startAddress, s.endAddress);
  const net = prefixes.length === 1 ? prefixes[0]!.text : `${formatIPv4(s.startAddress)}..${formatIPv4(s.endAddress)}`;
  const anyPort = s.startPort === 0 && s.endPort === 65535;
  if (s.ipProtocol === 0 && anyPort) return net;
  const proto = PROTOCOL_NAMES.get(s.ipProtocol) ?? String(s.ipProtocol);
  if (anyPort) return `${net}[${proto}]`;
  const ports = s.startPort === s.endPort ? String(s.startPort) : `${s.startPort}-${s.endPort}`;
  return `${net}[${proto}/${ports}]`;
}

/** A list of selectors as strongSwan prints it (`%#R`): space-separated. */
export function selectorsText(list: readonly TrafficSelector[]): string {
  return list.map(selectorText).join(' ');
}
