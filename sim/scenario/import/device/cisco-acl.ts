/**
 * Cisco access lists and network objects, read into vgwsim access-list lines.
 *
 * Owns: IOS numbered (`access-list 101 permit ip ...`) and named (`ip access-list extended
 * NAME` with its entries) lists, ASA lists (`access-list NAME [line N] extended ...`), and
 * the network objects they name: ASA `object network` (subnet, host), `object-group
 * network` (network-object, group-object, IOS host and address-mask lines), service groups
 * (recorded so an entry that names one is understood). An address is `any` (ASA `any4`),
 * `host A`, an address and mask (a wildcard mask in IOS entries, a subnet mask in ASA entries
 * and in object groups), `object NAME` or `object-group NAME`; an entry whose addresses name
 * groups becomes one vgwsim line per source and destination pair, in order.
 *
 * vgwsim's selectors match whole prefixes: an entry for tcp, udp, icmp or a service group
 * is read as `ip` with a NOT_MODELLED warning (the SA it asks for is wider than the
 * device's), its ports and options likewise. A mask that is not contiguous, an address
 * with bits under its mask, an unknown object or a malformed entry is CONFIG_SYNTAX.
 */
import { formatIPv4, maskOf, parseIPv4 } from '../../../net/ipv4.js';
import { atOf, phrase } from './cisco-reader.js';
import type { Command, Word } from './cisco-reader.js';
import type { Findings } from './findings.js';
import { sourced } from './tunnel.js';
import type { Sourced } from './tunnel.js';

/** Which Cisco dialect: they differ in the mask an access-list entry takes. */
export type CiscoDialect = 'ios' | 'asa';

/** A prefix as vgwsim writes it in an access list: `any`, `host A`, or `A.B.C.D/N`. */
type AclAddress = string;

/** A named access list: its entries as vgwsim lines, each from its source line. */
export interface CiscoAcl {
  readonly name: string;
  readonly first: Command;
  readonly lines: Sourced<AclAddress>[];
}

/** Network and service objects by name. */
export interface CiscoObjects {
  readonly networks: Map<string, { readonly cmd: Command; readonly addresses: AclAddress[] }>;
  readonly services: Set<string>;
}

/** A prefix written as vgwsim's access lists write it. */
function aclAddress(addr: number, len: number): AclAddress {
  if (len === 0) return 'any';
  if (len === 32) return `host ${formatIPv4(addr)}`;
  return `${formatIPv4(addr)}/${len}`;
}

/**
 * `A MASK` as a prefix: `wildcard` says whether MASK is a wildcard (IOS entries) or a
 * subnet mask (ASA entries, object groups). A message instead when it is not one prefix.
 */
export function maskedAddress(a: Word, m: Word, wildcard: boolean): AclAddress | { error: string; word: Word } {
  const addr = parseIPv4(a.text);
  if (!addr.ok) return { error: `${a.text}: ${addr.error}`, word: a };
  const mask = parseIPv4(m.text);
  if (!mask.ok) return { error: `mask ${m.text}: ${mask.error}`, word: m };
  const net = wildcard ? ~mask.value >>> 0 : mask.value;
  const inv = ~net >>> 0;
  if (((inv + 1) & inv) !== 0) {
    const kind = wildcard ? 'wildcard mask' : 'subnet mask';
    const other = ((mask.value + 1) & mask.value) === 0 || (((~mask.value >>> 0) + 1) & ~mask.value) === 0;
    return { error: `${m.text} is not a contiguous ${kind}${other ? ` (it is a ${wildcard ? 'subnet' : 'wildcard'} mask: this place takes a ${kind})` : ''}, so "${a.text} ${m.text}" is not one prefix`, word: m };
  }
  const len = Math.clz32(inv); // the host bits are the low `32 - len` ones of inv
  const base = (addr.value & maskOf(len)) >>> 0;
  if (base !== addr.value) return { error: `${a.text} has address bits set under the mask ${m.text}; did you mean ${formatIPv4(base)}?`, word: a };
  return aclAddress(base, len);
}

/** Reads the network objects and object groups of the configuration. */
export function readObjects(cmds: readonly Command[], findings: Findings): CiscoObjects {
  const objects: CiscoObjects = { networks: new Map(), services: new Set() };
  for (const c of cmds) {
    const w0 = c.words[0]?.text.toLowerCase();
    const kind = c.words[1]?.text.toLowerCase();
    const name = c.words[2]?.text;
    if ((w0 !== 'object' && w0 !== 'object-group') || name === undefined) continue;
    if (kind === 'service' || kind === 'protocol' || kind === 'icmp-type') {
      objects.services.add(name);
      continue;
    }
    if (kind !== 'network') continue;
    const addresses: AclAddress[] = [];
    for (const ch of c.children) {
      const got = objectLine(ch, w0 === 'object', objects, findings);
      if (got) addresses.push(...got);
    }
    objects.networks.set(name, { cmd: c, addresses });
  }
  return objects;
}

/** The addresses one line of an object or object group adds. */
function objectLine(ch: Command, single: boolean, objects: CiscoObjects, findings: Findings): AclAddress[] | undefined {
  const words = ch.words;
  let i = 0;
  const head = words[0]!.text.toLowerCase();
  if (head === 'description') return [];
  if (head === 'group-object' || (head === 'network-object' && words[1]?.text.toLowerCase() === 'object')) {
    const ref = words[head === 'group-object' ? 1 : 2];
    const got = ref ? objects.networks.get(ref.text) : undefined;
    if (!got) {
      findings.add('CONFIG_SYNTAX', ref ? { line: ch.line, column: ref.column } : atOf(ch), `"${ch.text}": no network object or group ${ref ? `"${ref.text}" is defined above this line` : 'named'}; define it first`);
      return undefined;
    }
    return got.addresses;
  }
  if (head === 'network-object' || (single && (head === 'subnet' || head === 'host'))) i = head === 'network-object' ? 1 : 0;
  const w = words[i];
  if (w === undefined) {
    findings.add('CONFIG_SYNTAX', atOf(ch), `"${ch.text}" names no address`);
    return undefined;
  }
  const lw = w.text.toLowerCase();
  if (lw === 'host') {
    const a = words[i + 1] ? parseIPv4(words[i + 1]!.text) : undefined;
    if (!a?.ok) {
      findings.add('CONFIG_SYNTAX', { line: ch.line, column: (words[i + 1] ?? w).column }, `"${ch.text}": "host" takes one IPv4 address`);
      return undefined;
    }
    return [aclAddress(a.value, 32)];
  }
  if (lw === 'subnet') i++;
  const a = words[i];
  const m = words[i + 1];
  if (a && m && /^[\d.]+$/.test(a.text)) {
    const got = maskedAddress(a, m, false);
    if (typeof got === 'string') return [got];
    findings.add('CONFIG_SYNTAX', { line: ch.line, column: got.word.column }, `"${ch.text}": ${got.error}`);
    return undefined;
  }
  findings.add('NOT_MODELLED', atOf(ch), `"${ch.text}": vgwsim reads network objects made of subnets and hosts only (a range or a host name is not one prefix); this line adds nothing`);
  return [];
}

const PORT_OPERATORS = new Set(['eq', 'neq', 'lt', 'gt']);
const OPTIONS = new Set(['log', 'log-input', 'inactive', 'established', 'time-range', 'fragments', 'dscp', 'precedence', 'tos']);

interface EntryParse {
  readonly action: 'permit' | 'deny';
  readonly src: AclAddress[];
  readonly dst: AclAddress[];
}

/** Reads one entry's words from `k` (the action) on; undefined with a finding when it cannot. */
function readEntry(c: Command, k: number, dialect: CiscoDialect, objects: CiscoObjects, findings: Findings): EntryParse | undefined {
  const w = c.words;
  const action = w[k]?.text.toLowerCase();
  if (action !== 'permit' && action !== 'deny') {
    findings.add('CONFIG_SYNTAX', { line: c.line, column: (w[k] ?? w[0]!).column }, `"${c.text}": an access-list entry says permit or deny here`);
    return undefined;
  }
  let i = k + 1;
  const proto = w[i];
  if (proto === undefined) {
    findings.add('CONFIG_SYNTAX', atOf(c), `"${c.text}": the entry has no protocol and addresses`);
    return undefined;
  }
  let protoName = proto.text.toLowerCase();
  if (protoName === 'object-group' || protoName === 'object') {
    protoName = `${protoName} ${w[i + 1]?.text ?? ''}`;
    i++;
  }
  i++;
  const notIp = protoName !== 'ip' && protoName !== '0';
  const src = readAddress(c, i, dialect, objects, findings, 'source');
  if (!src) return undefined;
  i = skipPorts(w, src.next, objects);
  const dst = readAddress(c, i, dialect, objects, findings, 'destination');
  if (!dst) return undefined;
  const after = skipPorts(w, dst.next, objects);
  const ported = after > dst.next || i > src.next;
  if (notIp || ported) {
    findings.add('NOT_MODELLED', { line: c.line, column: proto.column }, `"${c.text}": vgwsim's traffic selectors match whole prefixes, not protocols or ports; imported as "ip", so the entry covers every protocol between these addresses`);
  }
  if (after < w.length) {
    const extra = w[after]!;
    const known = OPTIONS.has(extra.text.toLowerCase());
    findings.add(known ? 'NOT_MODELLED' : 'CONFIG_SYNTAX', { line: c.line, column: extra.column }, known
      ? `"${c.text}": the option "${w.slice(after).map((x) => x.text).join(' ')}" is not modelled; the entry is imported without it`
      : `"${c.text}": unexpected "${extra.text}" after the destination address`);
    if (!known) return undefined;
  }
  return { action, src: src.addresses, dst: dst.addresses };
}

/** The index after a port match at `i` (`eq 443`, `range 1 9`, a service object group), or `i`. */
function skipPorts(w: readonly Word[], i: number, objects: CiscoObjects): number {
  const t = w[i]?.text.toLowerCase();
  if (t !== undefined && PORT_OPERATORS.has(t)) return i + 2;
  if (t === 'range') return i + 3;
  if (t === 'object-group' && objects.services.has(w[i + 1]?.text ?? '')) return i + 2;
  return i;
}

/** One address of an entry from word `i` on: its prefixes and the index after it. */
function readAddress(c: Command, i: number, dialect: CiscoDialect, objects: CiscoObjects, findings: Findings, which: string): { addresses: AclAddress[]; next: number } | undefined {
  const w = c.words;
  const t = w[i];
  const fail = (word: Word | undefined, why: string): undefined => {
    findings.add('CONFIG_SYNTAX', word ? { line: c.line, column: word.column } : { line: c.line, column: c.indent + c.text.length + 1 }, `"${c.text}": ${why}`);
    return undefined;
  };
  if (t === undefined) return fail(undefined, `the ${which} address is missing`);
  const lt = t.text.toLowerCase();
  if (lt === 'any' || lt === 'any4') return { addresses: ['any'], next: i + 1 };
  if (lt === 'host') {
    const a = w[i + 1] ? parseIPv4(w[i + 1]!.text) : undefined;
    if (!a?.ok) return fail(w[i + 1] ?? t, `"host" takes one IPv4 address`);
    return { addresses: [aclAddress(a.value, 32)], next: i + 2 };
  }
  if (lt === 'object' || lt === 'object-group') {
    const name = w[i + 1];
    const got = name ? objects.networks.get(name.text) : undefined;
    if (!got) return fail(name ?? t, `no network object ${lt === 'object' ? '' : 'group '}"${name?.text ?? ''}" is defined (the ${which} address names it)`);
    return { addresses: got.addresses, next: i + 2 };
  }
  if (lt === 'interface' || lt === 'any6' || t.text.includes(':')) {
    findings.add('NOT_MODELLED', { line: c.line, column: t.column }, `"${c.text}": the ${which} "${t.text}" is not an IPv4 prefix vgwsim can model; the entry is left out`);
    return { addresses: [], next: lt === 'interface' ? i + 2 : i + 1 };
  }
  const m = w[i + 1];
  if (m === undefined) return fail(t, `the ${which} address ${t.text} needs a mask (or "host ${t.text}")`);
  const got = maskedAddress(t, m, dialect === 'ios');
  if (typeof got !== 'string') return fail(got.word, got.error);
  return { addresses: [got], next: i + 2 };
}

/** Adds an entry's lines (one per source and destination pair) to `acl`. */
function addEntry(acl: CiscoAcl, c: Command, e: EntryParse): void {
  for (const s of e.src) for (const d of e.dst) acl.lines.push(sourced(`${e.action} ip ${s} ${d}`, atOf(c), c.text));
}

/** Reads every access list of the configuration. */
export function readAcls(cmds: readonly Command[], dialect: CiscoDialect, objects: CiscoObjects, findings: Findings): Map<string, CiscoAcl> {
  const acls = new Map<string, CiscoAcl>();
  const aclNamed = (name: string, c: Command): CiscoAcl => {
    let acl = acls.get(name);
    if (!acl) acls.set(name, (acl = { name, first: c, lines: [] }));
    return acl;
  };
  for (const c of cmds) {
    const w0 = c.words[0]?.text.toLowerCase();
    if (w0 === 'access-list' && c.words.length >= 3) {
      const name = c.words[1]!.text;
      let k = 2;
      if (c.words[k]?.text.toLowerCase() === 'line') k += 2;
      const kw = c.words[k]?.text.toLowerCase();
      if (kw === 'remark') continue;
      if (kw === 'standard' || kw === 'webtype' || kw === 'ethertype' || (dialect === 'ios' && /^\d+$/.test(name) && Number(name) < 100)) {
        findings.add('NOT_MODELLED', atOf(c), `"${c.text}": a standard access list matches sources only; vgwsim's access lists take a source and a destination, so this entry is left out`);
        aclNamed(name, c);
        continue;
      }
      if (kw === 'extended') k++;
      if (c.words[k]?.text.toLowerCase() === 'dynamic') k += 2;
      const e = readEntry(c, k, dialect, objects, findings);
      const acl = aclNamed(name, c);
      if (e) addEntry(acl, c, e);
    } else if (w0 === 'ip' && phrase(c, 1, 3) === 'access-list extended' && c.words[3]) {
      const acl = aclNamed(c.words[3].text, c);
      for (const ch of c.children) {
        const k = /^\d+$/.test(ch.words[0]!.text) ? 1 : 0;
        if (ch.words[k]?.text.toLowerCase() === 'remark') continue;
        const e = readEntry(ch, k, dialect, objects, findings);
        if (e) addEntry(acl, ch, e);
      }
    }
  }
  return acls;
}
