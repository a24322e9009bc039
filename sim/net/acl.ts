/**
 * Cisco-style access-list entries for on-premises VPN devices and policy-based gateways.
 *
 * Owns: parsing one access-list line of the form `permit|deny ip SRC DST`, where an
 * address spec is a CIDR (`10.1.0.0/16`), `host A.B.C.D`, `any`, or an address with a
 * Cisco wildcard mask (`10.1.0.0 0.0.255.255`); finding entries that can never match
 * because earlier entries cover them (shadowing, computed exactly over prefix pairs); and
 * turning entries into traffic selectors in order.
 *
 * Rejects, with a 1-based column pointing at the offending token and a message saying how
 * to fix it: protocols other than `ip` (ports and protocols are not modelled), missing
 * `ip`, wildcard masks that are not contiguous (they cannot be expressed as one prefix),
 * subnet masks written where a wildcard belongs, address bits set under the wildcard or
 * the prefix length (naming the address meant), a leading `access-list NAME extended`
 * (the scenario holds only the entries), too few or too many tokens, and unknown words
 * (with a "did you mean").
 */
import { formatIPv4, formatPrefix, makePrefix, maskOf, parseIPv4, parsePrefix } from './ipv4.js';
import type { Prefix } from './ipv4.js';
import type { Selector } from './classifier.js';

/** One parsed access-list line. `text` is the line as written, trimmed. */
export interface AclEntry {
  readonly action: 'permit' | 'deny';
  readonly src: Prefix;
  readonly dst: Prefix;
  readonly text: string;
}

/** Result of parsing one line: the entry, or a 1-based column and a message with the fix. */
export type AclParseResult =
  | { readonly ok: true; readonly entry: AclEntry }
  | { readonly ok: false; readonly column: number; readonly message: string };

/** An entry that can never match, and the earlier entries that together cover it. */
export interface ShadowedEntry {
  readonly index: number;
  readonly by: number[];
}

/** One word of a line and its 1-based column. */
export interface Token {
  readonly text: string;
  /** 1-based column of the token's first character. */
  readonly column: number;
}

const EXAMPLE = 'e.g. "permit ip 10.1.0.0/16 192.168.0.0/16"';
const OTHER_PROTOCOLS = new Set([
  'tcp', 'udp', 'icmp', 'gre', 'esp', 'ahp', 'ah', 'eigrp', 'igmp', 'ipinip', 'nos', 'ospf', 'pcp', 'pim', 'sctp',
]);
const PORT_WORDS = new Set(['eq', 'neq', 'lt', 'gt', 'range', 'established']);

/** The words of a line (runs of non-space), each with its column. */
export function tokenize(line: string): Token[] {
  const out: Token[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) out.push({ text: m[0], column: m.index + 1 });
  return out;
}

/** Edit distance with adjacent transpositions counting 1 ("nay" → "any"), for hints. */
function distance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [];
    for (let j = 0; j <= b.length; j++) row.push(i === 0 ? j : j === 0 ? i : 0);
    d.push(row);
  }
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

function didYouMean(word: string, choices: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = 3;
  for (const c of choices) {
    const d = distance(word.toLowerCase(), c);
    if (d < bestD && d <= Math.max(1, Math.floor(c.length / 2))) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

function popcount(x: number): number {
  let v = x >>> 0;
  let c = 0;
  while (v !== 0) {
    v &= v - 1;
    c++;
  }
  return c;
}

const looksDotted = (t: string): boolean => /^\d+\.\d+\.\d+\.\d+$/.test(t);
const looksAddressLike = (t: string): boolean => /^[\d.]+(\/\d*)?$/.test(t) && t.includes('.');

type Fail = { readonly ok: false; readonly column: number; readonly message: string };
type SpecResult = { readonly ok: true; readonly prefix: Prefix; readonly next: number } | Fail;

function fail(column: number, message: string): Fail {
  return { ok: false, column, message };
}

/**
 * Parse the address spec starting at token `i`. `which` is "source" or "destination";
 * `endColumn` is where a missing token would go.
 */
function parseSpec(toks: readonly Token[], i: number, which: string, endColumn: number): SpecResult {
  const t = toks[i];
  if (t === undefined) {
    return fail(endColumn, `missing ${which} address: add "any", "host A.B.C.D", a prefix such as 10.1.0.0/16, or an address and wildcard such as 10.1.0.0 0.0.255.255`);
  }
  const word = t.text.toLowerCase();
  if (word === 'any') return { ok: true, prefix: makePrefix(0, 0), next: i + 1 };
  if (word === 'host') {
    const a = toks[i + 1];
    if (a === undefined) return fail(endColumn, `"host" needs an address after it, e.g. "host 10.1.0.4"`);
    const p = parseIPv4(a.text);
    if (!p.ok) return fail(a.column, `after "host": ${p.error}`);
    return { ok: true, prefix: makePrefix(p.value, 32), next: i + 2 };
  }
  if (t.text.includes('/')) {
    const p = parsePrefix(t.text);
    if (!p.ok) return fail(t.column, `${which}: ${p.error}`);
    return { ok: true, prefix: p.value, next: i + 1 };
  }
  if (looksDotted(t.text)) {
    const a = parseIPv4(t.text);
    if (!a.ok) return fail(t.column, `${which}: ${a.error}`);
    const w = toks[i + 1];
    const net24 = formatIPv4((a.value & maskOf(24)) >>> 0);
    const bare = `${which} address ${t.text} needs a prefix length or a wildcard mask: write "host ${t.text}" or "${t.text}/32" for one address, or a network such as "${net24}/24" or "${net24} 0.0.0.255"`;
    if (w === undefined || !looksDotted(w.text)) return fail(t.column, bare);
    const wm = parseIPv4(w.text);
    if (!wm.ok) return fail(w.column, `wildcard mask: ${wm.error}`);
    const wild = wm.value;
    if (((wild + 1) & wild) !== 0) {
      // Not of the form 0...01...1. A subnet mask (1...10...0) is a common slip.
      const inv = ~wild >>> 0;
      if (((inv + 1) & inv) === 0) {
        const len = popcount(wild);
        return fail(
          w.column,
          `${w.text} is a subnet mask, but access lists take a wildcard (inverse) mask: write "${t.text} ${formatIPv4(inv)}" or "${formatPrefix((a.value & maskOf(len)) >>> 0, len)}"`,
        );
      }
      // When nothing follows, this "mask" was more likely the destination address.
      if (toks[i + 2] === undefined && which === 'source') return fail(t.column, bare);
      return fail(
        w.column,
        `wildcard mask ${w.text} is not contiguous (its 1 bits must be the lowest bits, like 0.0.255.255), so "${t.text} ${w.text}" cannot be expressed as one prefix; split it into several entries`,
      );
    }
    const len = 32 - popcount(wild);
    const net = (a.value & maskOf(len)) >>> 0;
    if (net !== a.value) {
      return fail(
        t.column,
        `${t.text} has address bits set under the wildcard ${w.text}; did you mean "${formatIPv4(net)} ${w.text}" (${formatPrefix(net, len)})?`,
      );
    }
    return { ok: true, prefix: makePrefix(net, len), next: i + 2 };
  }
  if (looksAddressLike(t.text)) {
    const a = parseIPv4(t.text);
    return fail(t.column, `${which}: ${a.ok ? 'unexpected address' : a.error}`);
  }
  const hint = didYouMean(word, ['any', 'host']);
  return fail(
    t.column,
    hint !== null
      ? `unknown word "${t.text}" where the ${which} address belongs; did you mean "${hint}"?`
      : `"${t.text}" is not a ${which} address: write "any", "host A.B.C.D", a prefix such as 10.1.0.0/16, or an address and wildcard such as 10.1.0.0 0.0.255.255`,
  );
}

/**
 * Parse one access-list line `permit|deny ip SRC DST`. Never throws; on error returns the
 * 1-based column of the offending token (or just past the end when a token is missing)
 * and a message that says how to fix it.
 */
export function parseAclLine(text: string): AclParseResult {
  const line = typeof text === 'string' ? text : '';
  const toks = tokenize(line);
  const endColumn = line.replace(/\s+$/, '').length + 1;
  const first = toks[0];
  if (first === undefined) return fail(1, `empty access-list entry: expected "permit|deny ip SOURCE DESTINATION", ${EXAMPLE}`);
  const w0 = first.text.toLowerCase();
  if (w0 === 'access-list') {
    return fail(first.column, `write only the entry, without "access-list NAME extended": start with permit or deny, ${EXAMPLE}`);
  }
  if (w0 === 'remark') return fail(first.column, 'remarks are not entries: use a YAML comment (#) instead');
  if (w0 !== 'permit' && w0 !== 'deny') {
    const hint = didYouMean(w0, ['permit', 'deny']);
    return fail(
      first.column,
      hint !== null
        ? `unknown action "${first.text}"; did you mean "${hint}"?`
        : `an entry starts with "permit" or "deny", not "${first.text}"; ${EXAMPLE}`,
    );
  }
  const action: 'permit' | 'deny' = w0;
  const proto = toks[1];
  if (proto === undefined) return fail(endColumn, `missing "ip" and the addresses after "${first.text}"; ${EXAMPLE}`);
  const pw = proto.text.toLowerCase();
  if (pw !== 'ip') {
    if (OTHER_PROTOCOLS.has(pw) || /^\d+$/.test(pw)) {
      return fail(proto.column, `only "ip" is supported: traffic selectors here match whole prefixes, not protocol "${proto.text}"; write "${action} ip ..."`);
    }
    if (pw === 'any' || pw === 'host' || looksAddressLike(pw)) {
      return fail(proto.column, `missing protocol: write "${action} ip ${toks.slice(1).map((t) => t.text).join(' ')}"`);
    }
    const hint = didYouMean(pw, ['ip']);
    return fail(
      proto.column,
      hint !== null
        ? `unknown protocol "${proto.text}"; did you mean "ip"?`
        : `expected "ip" after "${action}", not "${proto.text}" (only "ip" is supported)`,
    );
  }
  const src = parseSpec(toks, 2, 'source', endColumn);
  if (!src.ok) return src;
  const dst = parseSpec(toks, src.next, 'destination', endColumn);
  if (!dst.ok) return dst;
  const extra = toks[dst.next];
  if (extra !== undefined) {
    const ew = extra.text.toLowerCase();
    const why = PORT_WORDS.has(ew)
      ? 'port matches are not supported (only "ip" entries)'
      : ew === 'log' || ew === 'log-input'
        ? 'logging options are not supported'
        : 'an entry ends after the destination address';
    return fail(extra.column, `unexpected "${extra.text}" after the destination: ${why}; remove it`);
  }
  return { ok: true, entry: { action, src: src.prefix, dst: dst.prefix, text: line.trim() } };
}

/** Traffic selectors for entries, in order (the caller keeps the action array alongside). */
export function aclToSelectors(entries: readonly AclEntry[]): Selector[] {
  return entries.map((e) => ({ srcAddr: e.src.addr, srcLen: e.src.len, dstAddr: e.dst.addr, dstLen: e.dst.len }));
}

function prefixOverlaps(a1: number, l1: number, a2: number, l2: number): boolean {
  const l = Math.min(l1, l2);
  return ((a1 ^ a2) & maskOf(l)) === 0;
}

function prefixCovers(outerA: number, outerL: number, innerA: number, innerL: number): boolean {
  return outerL <= innerL && ((outerA ^ innerA) & maskOf(outerL)) === 0;
}

/**
 * Is the rectangle (sa/sl × da/dl) covered by the union of `cands` (indices into entries)?
 * Splits one dimension's prefix into its two halves where a candidate is narrower there.
 * Adds the entries used to cover each piece to `used`.
 */
function covered(
  entries: readonly AclEntry[],
  sa: number,
  sl: number,
  da: number,
  dl: number,
  cands: readonly number[],
  used: Set<number>,
): boolean {
  const here: number[] = [];
  for (const j of cands) {
    const e = entries[j]!;
    if (!prefixOverlaps(e.src.addr, e.src.len, sa, sl) || !prefixOverlaps(e.dst.addr, e.dst.len, da, dl)) continue;
    if (prefixCovers(e.src.addr, e.src.len, sa, sl) && prefixCovers(e.dst.addr, e.dst.len, da, dl)) {
      used.add(j);
      return true;
    }
    here.push(j);
  }
  if (here.length === 0) return false;
  // Every remaining candidate overlaps but does not cover, so it is narrower in at least one
  // dimension. Split the source when some candidate is narrower there, else the destination.
  let splitSrc = false;
  for (const j of here) {
    if (entries[j]!.src.len > sl) {
      splitSrc = true;
      break;
    }
  }
  if (splitSrc) {
    const half = 2 ** (31 - sl);
    return (
      covered(entries, sa, sl + 1, da, dl, here, used) &&
      covered(entries, (sa + half) >>> 0, sl + 1, da, dl, here, used)
    );
  }
  const half = 2 ** (31 - dl);
  return (
    covered(entries, sa, sl, da, dl + 1, here, used) &&
    covered(entries, sa, sl, (da + half) >>> 0, dl + 1, here, used)
  );
}

/**
 * Entries that can never match: the union of earlier entries (of any action) covers their
 * whole source × destination rectangle. Exact, by rectangle splitting over prefix pairs.
 * `by` lists, ascending, the earlier entries used to cover the entry.
 */
export function findShadowed(entries: readonly AclEntry[]): ShadowedEntry[] {
  const out: ShadowedEntry[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const cands: number[] = [];
    for (let j = 0; j < i; j++) {
      const o = entries[j]!;
      if (prefixOverlaps(o.src.addr, o.src.len, e.src.addr, e.src.len) && prefixOverlaps(o.dst.addr, o.dst.len, e.dst.addr, e.dst.len)) {
        cands.push(j);
      }
    }
    if (cands.length === 0) continue;
    const used = new Set<number>();
    if (covered(entries, e.src.addr, e.src.len, e.dst.addr, e.dst.len, cands, used)) {
      out.push({ index: i, by: [...used].sort((x, y) => x - y) });
    }
  }
  return out;
}
