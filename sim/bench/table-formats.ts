/**
 * Route tables as people have them in text: the forms `vgw bench --table` reads.
 *
 * Formats (one route per line; blank lines and `#` comments skipped but counted):
 * - 'cidr':    `PREFIX/LEN [more columns]`, the bench's own form and CIDR lists such as
 *              APNIC's data-raw-table (`1.0.0.0/24<TAB>13335`);
 * - 'bgp':     Cisco `show ip bgp`: status codes (`*>`, `*`, `*>i`, `s>`, ...) then the
 *              network; a classful network is written without a length; a line with only a
 *              next hop (another path to the network above) adds nothing;
 * - 'route':   Cisco `show ip route`: codes (`B`, `S`, `S*`, `O IA`, `D EX`, `C`, `L`, ...)
 *              then the network, `[ad/metric] via ...`; under a header
 *              `A.B.C.D/NN is subnetted`, networks without a length have that length;
 * - 'range':   `A.B.C.D-E.F.G.H [more columns]`, each range the prefixes that cover it;
 * - 'bgpdump': `bgpdump -m` lines (`TABLE_DUMP2|time|B|peer|as|PREFIX|...`) of a RouteViews
 *              or RIPE RIS dump, one per route and peer.
 * The format is detected from the file's lines (`detectTableFormat`) unless given. Text
 * that is not a route in the format (headers, legends, footers, continuation lines) is
 * skipped; IPv6 routes are skipped and counted.
 *
 * Rejects, with the 1-based line and column and what to write instead: a network that is
 * not an IPv4 prefix (length out of range, host bits set, a class D/E network without a
 * length), a range whose end is before its start, a line of none of the format's shapes
 * in 'cidr', 'range' and 'bgpdump'. Parsing collects every problem.
 */
import { formatPrefix, maskOf, parseIPv4, parsePrefix } from '../net/ipv4.js';
import type { LpmRoute } from '../net/lpm.js';
import type { DataError, Parsed } from './parsed.js';

/** The text forms of a route table `--table` reads. */
export const TABLE_FORMATS = ['cidr', 'bgp', 'route', 'range', 'bgpdump'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

/** A parsed table: its routes, the format read, and how many IPv6 routes were skipped. */
export interface ParsedTable extends Parsed<LpmRoute> {
  readonly format: TableFormat;
  readonly ipv6Skipped: number;
}

const IP = String.raw`\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}`;
const RANGE_LINE = new RegExp(String.raw`^\s*(${IP})\s*-\s*(${IP})(?=\s|$)`);
/** `show ip bgp`: status codes, then the network (or the next hop of another path). */
const BGP_LINE = /^(\s*[*>=sdhrSmbfxacRNVIie]{1,6}\s*)(\S+)(?:\s+(\S+))?/;
/** `show ip route`: codes, an optional sub-code, then the network. */
const ROUTE_LINE = new RegExp(String.raw`^(\s*[A-Za-z+%&*][A-Za-z0-9*+%&]{0,3}(?:\s+(?:IA|E1|E2|N1|N2|EX|L1|L2|ia|su))?\s+)(${IP}(?:/\S*)?)(?=\s|,|$)`);
const SUBNETTED = new RegExp(String.raw`^(\s*)(${IP}/\d{1,2})\s+is\s+(variably\s+)?subnetted`);

/** The format of a table's text: the first line that only one format writes decides; else 'cidr'. */
export function detectTableFormat(text: string): TableFormat {
  let seen = 0;
  for (const l of text.split(/\r?\n/)) {
    if (l.trim() === '' || l.trimStart().startsWith('#')) continue;
    if (++seen > 5000) break;
    if (/^TABLE_DUMP2?\|/.test(l)) return 'bgpdump';
    if (/Gateway of last resort|is directly connected|is (variably )?subnetted|\[\d+\/\d+\] via|^Codes: /.test(l)) return 'route';
    if (/BGP table version|Network\s+Next Hop|^\s*[sdhr]?[*>]/.test(l)) return 'bgp';
    if (RANGE_LINE.test(l)) return 'range';
  }
  return 'cidr';
}

/** The classful length of a network written without one (A /8, B /16, C /24), or null for class D/E. */
function classfulLength(addr: number): number | null {
  const first = addr >>> 24;
  return first < 128 ? 8 : first < 192 ? 16 : first < 224 ? 24 : null;
}

/** The smallest list of prefixes that covers `[lo, hi]` exactly (both inclusive). */
export function rangePrefixes(lo: number, hi: number): LpmRoute[] {
  const out: LpmRoute[] = [];
  let a = lo;
  const end = hi + 1;
  while (a < end) {
    let len = 32;
    // Widen while the block stays aligned at `a` and inside the range.
    while (len > 0 && a % 2 ** (33 - len) === 0 && a + 2 ** (33 - len) <= end) len--;
    out.push({ addr: a >>> 0, len });
    a += 2 ** (32 - len);
  }
  return out;
}

class Collector {
  readonly entries: LpmRoute[] = [];
  readonly lineNos: number[] = [];
  readonly errors: DataError[] = [];
  ipv6 = 0;
  add(r: LpmRoute, line: number): void {
    this.entries.push(r);
    this.lineNos.push(line);
  }
  error(line: number, column: number, message: string): void {
    this.errors.push({ line: line + 1, column, message });
  }
}

/** A network as `show ip bgp`/`show ip route` print it: with a length, or classful (or `subnetLen` inside a subnetted header). */
function network(c: Collector, text: string, line: number, col: number, subnetted: { addr: number; len: number; subnet: number } | null): void {
  if (text.includes('/')) {
    const p = parsePrefix(text);
    if (p.ok) c.add({ addr: p.value.addr, len: p.value.len }, line);
    else c.error(line, col, p.error);
    return;
  }
  const a = parseIPv4(text);
  if (!a.ok) return c.error(line, col, a.error);
  const inHeader = subnetted !== null && ((a.value & maskOf(subnetted.len)) >>> 0) === subnetted.addr;
  const len = inHeader ? subnetted.subnet : classfulLength(a.value);
  if (len === null) return c.error(line, col, `"${text}" is a class D/E address with no classful length; write its length, e.g. "${text}/32"`);
  if (((a.value & maskOf(len)) >>> 0) !== a.value) {
    return c.error(line, col, `"${text}" without a length is read as ${inHeader ? 'the subnetted header\'s' : 'its classful'} /${len}, but has host bits set for it; write its length, e.g. "${formatPrefix(a.value, 32)}"`);
  }
  c.add({ addr: a.value, len }, line);
}

function parseLine(format: TableFormat, c: Collector, l: string, n: number, state: { subnetted: { addr: number; len: number; subnet: number } | null }): void {
  const lead = l.length - l.trimStart().length;
  const first = l.trim().split(/\s+/)[0]!;
  if (format !== 'bgpdump' && first.includes(':') && /^[0-9a-fA-F:]+(\/\d+)?$/.test(first.replace(/^[*>=a-zA-Z]+/, ''))) {
    c.ipv6++;
    return;
  }
  switch (format) {
    case 'cidr': {
      const p = parsePrefix(first);
      if (p.ok) c.add({ addr: p.value.addr, len: p.value.len }, n);
      else c.error(n, lead + 1, `${p.error} (expected "PREFIX/LEN [more columns]")`);
      return;
    }
    case 'range': {
      const m = RANGE_LINE.exec(l);
      if (!m) return c.error(n, lead + 1, 'expected a range "A.B.C.D-E.F.G.H [more columns]"');
      const lo = parseIPv4(m[1]!);
      const hi = parseIPv4(m[2]!);
      if (!lo.ok) return c.error(n, lead + 1, lo.error);
      if (!hi.ok) return c.error(n, l.indexOf(m[2]!, lead + m[1]!.length) + 1, hi.error);
      if (hi.value < lo.value) return c.error(n, lead + 1, `the range ends (${m[2]}) before it starts (${m[1]}); write the lower address first`);
      for (const r of rangePrefixes(lo.value, hi.value)) c.add(r, n);
      return;
    }
    case 'bgpdump': {
      const f = l.split('|');
      if (f.length < 6 || !/^TABLE_DUMP2?$/.test(f[0]!.trim())) return c.error(n, lead + 1, 'expected a "bgpdump -m" line: TABLE_DUMP2|TIME|B|PEER|AS|PREFIX|...');
      const pfx = f[5]!.trim();
      if (pfx.includes(':')) {
        c.ipv6++;
        return;
      }
      const p = parsePrefix(pfx);
      if (p.ok) c.add({ addr: p.value.addr, len: p.value.len }, n);
      else c.error(n, f.slice(0, 5).join('|').length + 2, p.error);
      return;
    }
    case 'bgp': {
      const m = BGP_LINE.exec(l);
      if (!m || !/^\d/.test(m[2]!)) return; // headers, legends, footers
      const t0 = m[2]!;
      const t1 = m[3];
      // Another path to the network above: only a next hop, then metrics.
      if (!t0.includes('/') && t1 !== undefined && !parseIPv4(t1).ok) return;
      network(c, t0, n, m[1]!.length + 1, null);
      return;
    }
    case 'route': {
      const h = SUBNETTED.exec(l);
      if (h) {
        const p = parsePrefix(h[2]!);
        if (!p.ok) return c.error(n, h[1]!.length + 1, p.error);
        // "is subnetted": every subnet has this length; "variably": each says its own.
        state.subnetted = h[3] ? null : { addr: (p.value.addr & maskOf(classfulLength(p.value.addr) ?? 32)) >>> 0, len: classfulLength(p.value.addr) ?? 32, subnet: p.value.len };
        return;
      }
      const m = ROUTE_LINE.exec(l);
      if (!m || /^\s*(Gateway|Codes)\b/.test(l)) return;
      network(c, m[2]!, n, m[1]!.length + 1, state.subnetted);
      return;
    }
  }
}

/** Parse a route table in `format` (detected when not given). */
export function parseTable(text: string, format: TableFormat = detectTableFormat(text)): ParsedTable {
  const c = new Collector();
  const state = { subnetted: null as { addr: number; len: number; subnet: number } | null };
  text.split(/\r?\n/).forEach((l, n) => {
    const t = l.trim();
    if (t === '' || t.startsWith('#')) return;
    parseLine(format, c, l, n, state);
  });
  return { entries: c.entries, lineOf: Int32Array.from(c.lineNos), errors: c.errors, format, ipv6Skipped: c.ipv6 };
}
