/**
 * The crypto commands of a Cisco IOS or ASA configuration, read into records the tunnel
 * assembly (cisco.ts) combines: IKE policies and proposals as strongSwan proposal strings,
 * pre-shared keys by peer, IKEv2 keyrings and profiles, transform sets and ASA IPsec
 * proposals as ESP proposal strings, IPsec profiles, crypto map entries (block form and
 * ASA's one-line form), ASA tunnel groups, and the global IPsec SA lifetimes.
 *
 * A policy or transform set whose algorithms vgwsim does not model loses those algorithms
 * with a NOT_MODELLED warning at the word; one left with nothing offers nothing. Platform
 * defaults fill what a policy leaves out (IOS isakmp policy: DES, SHA-1, RSA signatures,
 * group 1, 86,400 s; ASA: 3DES, SHA-1, group 2, 86,400 s), as the device would. A key
 * stored encrypted (type 6, 7 or ASA's `*****`) cannot be read: NOT_MODELLED, and the
 * scenario keeps the connection's key.
 */
import { atOf, phrase } from './cisco-reader.js';
import type { Command, Word } from './cisco-reader.js';
import type { CiscoDialect } from './cisco-acl.js';
import { dhGroup, espCipher, espIntegrity, ikeCipher, ikeIntegrity, ikePrf } from './algorithms.js';
import type { Mapped } from './algorithms.js';
import type { At, Findings } from './findings.js';
import { sourced } from './tunnel.js';
import type { Sourced } from './tunnel.js';

/** An IKE policy or IKEv2 proposal as one strongSwan proposal, with its lifetime. */
export interface IkeOffer {
  readonly order: number;
  readonly cmd: Command;
  readonly version: 1 | 2;
  readonly proposal?: Sourced<string>;
  readonly lifetime?: Sourced<number>;
}

/** A crypto map entry, or an IPsec profile (a VTI's), in the same terms. */
export interface CryptoEntry {
  readonly cmd: Command;
  readonly map: string;
  readonly seq: number;
  peers: Sourced<string>[];
  acl?: Sourced<string>;
  transformSets: Sourced<string>[];
  ikev2Proposals: Sourced<string>[];
  ikev2Profile?: Sourced<string>;
  pfs?: Sourced<number | 'none'>;
  lifetimeSeconds?: Sourced<number>;
  lifetimeKilobytes?: Sourced<number>;
  answerOnly?: Sourced<boolean>;
}

export interface KeyringPeer {
  readonly address: string;
  readonly key?: Sourced<string>;
}

export interface Ikev2Profile {
  readonly cmd: Command;
  keyring?: string;
  remote?: string;
  lifetime?: Sourced<number>;
  dpd?: Sourced<number>;
}

/** Everything crypto the configuration says. */
export interface CiscoCrypto {
  readonly ikev1: IkeOffer[];
  /** IKEv2 proposals by name (IOS `crypto ikev2 proposal`). */
  readonly ikev2Proposals: Map<string, IkeOffer>;
  /** IKEv2 policies: IOS named ones list proposals; ASA numbered ones are offers themselves. */
  readonly ikev2Policies: { readonly cmd: Command; readonly proposals: string[]; readonly offer?: IkeOffer }[];
  /** IKEv1 keys by peer address. */
  readonly keys: Map<string, Sourced<string>>;
  readonly keyrings: Map<string, KeyringPeer[]>;
  readonly profiles: Map<string, Ikev2Profile>;
  /** ESP proposal of each transform set or ASA IKEv2 IPsec proposal (undefined: nothing modelled). */
  readonly transformSets: Map<string, { readonly cmd: Command; readonly esp?: string }>;
  readonly entries: CryptoEntry[];
  readonly ipsecProfiles: Map<string, CryptoEntry>;
  /** Crypto map name → interface it is applied to (ASA `crypto map NAME interface IF`). */
  readonly mapInterfaces: Map<string, string>;
  readonly tunnelGroups: Map<string, { readonly cmd: Command; ikev1Key?: Sourced<string>; ikev2Local?: Sourced<string>; ikev2Remote?: Sourced<string> }>;
  globalSeconds?: Sourced<number>;
  globalKilobytes?: Sourced<number>;
  dpd?: Sourced<number>;
}

/** The text of a command with the key at word `k` hidden. */
export function hideKey(c: Command, k: number): string {
  return c.words.map((w, i) => (i === k ? '*****' : w.text)).join(' ');
}

function wordAt(c: Command, w: Word): At {
  return { line: c.line, column: w.column };
}

function num(w: Word | undefined): number | undefined {
  return w && /^\d+$/.test(w.text) ? Number(w.text) : undefined;
}

/** Adds the keyword of `m` to `into`, or says why not. */
function take(m: Mapped | undefined, c: Command, w: Word, what: string, into: string[], findings: Findings): void {
  if (m === undefined) findings.add('CONFIG_SYNTAX', wordAt(c, w), `"${c.text}": unknown ${what} "${w.text}"`);
  else if ('unmodelled' in m) findings.add('NOT_MODELLED', wordAt(c, w), `"${c.text}": ${what} "${w.text}" is left out: ${m.unmodelled}`);
  else if (!into.includes(m.keyword)) into.push(m.keyword);
}

/** A key word of a key command: refuses encrypted forms. */
function readKey(c: Command, k: number, findings: Findings): Sourced<string> | undefined {
  let i = k;
  const t = c.words[i]?.text;
  if (t === '0') i++;
  else if (t === '6' || t === '7' || t === '8') {
    findings.add('NOT_MODELLED', wordAt(c, c.words[i]!), `"${hideKey(c, i + 1)}": the key is stored encrypted (type ${t}) and cannot be read; write it in clear text (type 0) in the file you import, or the scenario keeps the connection's sharedKey`);
    return undefined;
  }
  const w = c.words[i];
  if (w === undefined) {
    findings.add('CONFIG_SYNTAX', atOf(c), `"${c.text}": the pre-shared key is missing`);
    return undefined;
  }
  if (/^\*+$/.test(w.text)) {
    findings.add('NOT_MODELLED', wordAt(c, w), `"${c.text}": the key is masked (as "show running-config" prints it) and cannot be read; import a configuration with the key written out, or the scenario keeps the connection's sharedKey`);
    return undefined;
  }
  return sourced(w.text, wordAt(c, w), hideKey(c, i));
}

function lifetimeOf(c: Command, w: Word | undefined, findings: Findings): Sourced<number> | undefined {
  const n = num(w);
  if (n === undefined || n === 0) {
    findings.add('CONFIG_SYNTAX', w ? wordAt(c, w) : atOf(c), `"${c.text}": a lifetime is a whole number of seconds, at least 1`);
    return undefined;
  }
  return sourced(n, wordAt(c, w!), c.text);
}

/** `crypto isakmp policy N` / `crypto ikev1 policy N`: one IKEv1 proposal. */
function readIkev1Policy(c: Command, dialect: CiscoDialect, findings: Findings): IkeOffer {
  const order = num(c.words[3]) ?? 0;
  let enc: string[] = [dialect === 'ios' ? 'des' : '3des'];
  let encAt: { c: Command; w: Word } | undefined;
  let hash = ['sha1'];
  let group: string[] = [dialect === 'ios' ? 'modp768' : 'modp1024'];
  let preShare = false;
  let authAt: Command | undefined;
  let lifetime: Sourced<number> | undefined;
  for (const ch of c.children) {
    const w = ch.words;
    const k = w[0]!.text.toLowerCase();
    if (k === 'encryption' || k === 'encr') {
      enc = [];
      encAt = { c: ch, w: w[1] ?? w[0]! };
      if (w[1]) take(ikeCipher(w[1].text, w[2]?.text), ch, w[1], 'cipher', enc, findings);
    } else if (k === 'hash') {
      hash = [];
      if (w[1]) take(ikeIntegrity(w[1].text), ch, w[1], 'hash', hash, findings);
    } else if (k === 'group') {
      group = [];
      if (w[1]) take(dhGroup(w[1].text), ch, w[1], 'Diffie-Hellman group', group, findings);
    } else if (k === 'authentication') {
      preShare = w[1]?.text.toLowerCase() === 'pre-share';
      authAt = ch;
    } else if (k === 'lifetime') {
      lifetime = lifetimeOf(ch, w[1], findings);
    } else {
      findings.add('NOT_MODELLED', atOf(ch), `"${ch.text}" in ${phrase(c, 0, 3)} ${order} is not modelled; left out`);
    }
  }
  if (encAt === undefined && dialect === 'ios') {
    findings.add('NOT_MODELLED', atOf(c), `"${c.text}" names no encryption, so the device uses IOS's default, single DES, which vgwsim does not model: this policy offers nothing (add "encryption aes 256")`);
    enc = [];
  }
  if (!preShare) {
    findings.add('NOT_MODELLED', authAt ? atOf(authAt) : atOf(c), `"${(authAt ?? c).text}": ${authAt ? 'this authentication method is' : 'without "authentication pre-share" the policy uses RSA signatures, which are'} not modelled (vgwsim authenticates with pre-shared keys); this policy offers nothing`);
  }
  const ok = preShare && enc.length > 0 && hash.length > 0 && group.length > 0;
  return { order, cmd: c, version: 1, ...(ok ? { proposal: sourced(`${enc[0]}-${hash[0]}-${group[0]}`, atOf(c), c.text) } : {}), ...(lifetime ? { lifetime } : {}) };
}

/** An IKEv2 proposal (IOS) or ASA numbered IKEv2 policy: encryptions, integrities, PRFs, groups. */
function readIkev2Offer(c: Command, order: number, findings: Findings): IkeOffer {
  const enc: string[] = [];
  const integ: string[] = [];
  const prf: string[] = [];
  const group: string[] = [];
  let lifetime: Sourced<number> | undefined;
  for (const ch of c.children) {
    const w = ch.words;
    const k = w[0]!.text.toLowerCase();
    const rest = w.slice(1);
    if (k === 'encryption') for (const x of rest) take(ikeCipher(x.text), ch, x, 'cipher', enc, findings);
    else if (k === 'integrity') {
      for (const x of rest) if (x.text.toLowerCase() !== 'null') take(ikeIntegrity(x.text), ch, x, 'integrity algorithm', integ, findings);
    }
    else if (k === 'prf') for (const x of rest) take(ikePrf(x.text), ch, x, 'PRF', prf, findings);
    else if (k === 'group') for (const x of rest) take(dhGroup(x.text), ch, x, 'Diffie-Hellman group', group, findings);
    else if (k === 'lifetime') lifetime = lifetimeOf(ch, w[1]?.text.toLowerCase() === 'seconds' ? w[2] : w[1], findings);
    else if (k !== 'proposal' && k !== 'match') findings.add('NOT_MODELLED', atOf(ch), `"${ch.text}" in "${c.text}" is not modelled; left out`);
  }
  const aead = enc.length > 0 && enc.every((e) => e.includes('gcm'));
  if (aead && prf.length === 0) prf.push(...(integ.length ? integ.map((i) => `prf${i}`) : ['prfsha256']));
  const parts = [...enc, ...(aead ? [] : integ), ...prf.filter((p) => aead || !integ.includes(p.slice(3))), ...group];
  const ok = enc.length > 0 && (aead || integ.length > 0) && group.length > 0;
  if (!ok) findings.add('NOT_MODELLED', atOf(c), `"${c.text}" has no ${enc.length === 0 ? 'cipher' : group.length === 0 ? 'Diffie-Hellman group' : 'integrity algorithm'} vgwsim models, so it offers nothing`);
  return { order, cmd: c, version: 2, ...(ok ? { proposal: sourced(parts.join('-'), atOf(c), c.text) } : {}), ...(lifetime ? { lifetime } : {}) };
}

/** A transform set's or ASA IPsec proposal's words to one ESP proposal, or undefined. */
function readTransforms(c: Command, words: readonly Word[], findings: Findings): string | undefined {
  const enc: string[] = [];
  const integ: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const t = w.text.toLowerCase();
    const bits = /^(128|192|256)$/.test(words[i + 1]?.text ?? '') ? words[i + 1]!.text : undefined;
    if (t === 'esp-none') continue;
    if (t.startsWith('ah-') || t.startsWith('comp-')) {
      findings.add('NOT_MODELLED', wordAt(c, w), `"${c.text}": ${t.startsWith('ah-') ? 'AH' : 'IP compression'} ("${w.text}") is not modelled; vgwsim's SAs are ESP only`);
      continue;
    }
    const e = espCipher(t, bits);
    if (e !== undefined) {
      take(e, c, w, 'ESP cipher', enc, findings);
      if (bits) i++;
      continue;
    }
    take(espIntegrity(t), c, w, 'ESP algorithm', integ, findings);
  }
  const aead = enc.length > 0 && enc.every((e) => e.includes('gcm'));
  if (enc.length === 0 || (!aead && integ.length === 0)) {
    findings.add('NOT_MODELLED', atOf(c), `"${c.text}" has no ${enc.length === 0 ? 'cipher' : 'integrity algorithm'} vgwsim models, so it offers nothing`);
    return undefined;
  }
  return [...enc, ...(aead ? [] : integ)].join('-');
}

/** `set ...` of a crypto map entry or IPsec profile (words from `k`, after `set`). */
function readSet(entry: CryptoEntry, c: Command, k: number, findings: Findings): void {
  const w = c.words;
  const what = phrase(c, k, k + 1);
  const args = w.slice(k + 1);
  const s = <T>(v: T, at: Word | undefined): Sourced<T> => sourced(v, at ? wordAt(c, at) : atOf(c), c.text);
  if (what === 'peer') {
    for (const a of args) if (a.text.toLowerCase() !== 'default' && a.text.toLowerCase() !== 'dynamic') entry.peers.push(s(a.text, a));
  } else if (what === 'transform-set' || (what === 'ikev1' && phrase(c, k + 1, k + 2) === 'transform-set')) {
    for (const a of what === 'ikev1' ? args.slice(1) : args) entry.transformSets.push(s(a.text, a));
  } else if (what === 'ikev2' && phrase(c, k + 1, k + 2) === 'ipsec-proposal') {
    for (const a of args.slice(1)) entry.ikev2Proposals.push(s(a.text, a));
  } else if (what === 'ikev2-profile') {
    if (args[0]) entry.ikev2Profile = s(args[0].text, args[0]);
  } else if (what === 'pfs') {
    const g = args[0] ? dhGroup(args[0].text) : { keyword: 'modp768' };
    if (g === undefined || 'unmodelled' in g) {
      findings.add(g === undefined ? 'CONFIG_SYNTAX' : 'NOT_MODELLED', args[0] ? wordAt(c, args[0]) : atOf(c), `"${c.text}": ${g && 'unmodelled' in g ? g.unmodelled : 'a PFS group is groupN'}; PFS left out`);
      return;
    }
    const n = Number(/\d+/.exec(args[0]?.text ?? '1')![0]);
    entry.pfs = s(n, args[0]);
  } else if (what === 'security-association' && phrase(c, k + 1, k + 2) === 'lifetime') {
    for (let i = k + 2; i < w.length; i += 2) {
      const unit = w[i]!.text.toLowerCase();
      const v = num(w[i + 1]);
      if ((unit !== 'seconds' && unit !== 'kilobytes') || v === undefined) {
        findings.add('CONFIG_SYNTAX', wordAt(c, w[i]!), `"${c.text}": a lifetime is "seconds N" or "kilobytes N"`);
        return;
      }
      if (unit === 'seconds') entry.lifetimeSeconds = s(v, w[i + 1]);
      else entry.lifetimeKilobytes = s(v, w[i + 1]);
    }
  } else if (what === 'isakmp-profile') {
    // The profile's keyring keys are read with every keyring (by peer address); nothing else of it is needed.
  } else if (what === 'connection-type') {
    entry.answerOnly = s(args[0]?.text.toLowerCase() === 'answer-only', args[0]);
  } else {
    findings.add('NOT_MODELLED', wordAt(c, w[k]!), `"${c.text}" is not modelled; left out`);
  }
}

function newEntry(cmd: Command, map: string, seq: number): CryptoEntry {
  return { cmd, map, seq, peers: [], transformSets: [], ikev2Proposals: [] };
}

/** Reads every crypto command (and ASA tunnel groups) of the configuration. */
export function readCrypto(cmds: readonly Command[], dialect: CiscoDialect, findings: Findings): CiscoCrypto {
  const cr: CiscoCrypto = {
    ikev1: [], ikev2Proposals: new Map(), ikev2Policies: [], keys: new Map(), keyrings: new Map(), profiles: new Map(),
    transformSets: new Map(), entries: [], ipsecProfiles: new Map(), mapInterfaces: new Map(), tunnelGroups: new Map(),
  };
  const entryOf = (c: Command, map: string, seq: number): CryptoEntry => {
    let e = cr.entries.find((x) => x.map === map && x.seq === seq);
    if (!e) cr.entries.push((e = newEntry(c, map, seq)));
    return e;
  };
  for (const c of cmds) {
    const p2 = phrase(c, 0, 2);
    const p3 = phrase(c, 0, 3);
    const w = c.words;
    if (p3 === 'crypto isakmp policy' || p3 === 'crypto ikev1 policy') cr.ikev1.push(readIkev1Policy(c, dialect, findings));
    else if (p3 === 'crypto isakmp key') {
      const addrAt = w.findIndex((x) => x.text.toLowerCase() === 'address');
      const key = readKey(c, 3, findings);
      const peer = addrAt > 0 ? w[addrAt + 1]?.text : undefined;
      if (peer === undefined) findings.add('NOT_MODELLED', atOf(c), `"${hideKey(c, w[3]?.text === '0' ? 4 : 3)}": a key for a host name is not modelled (keys are found by the peer's address)`);
      else if (key) cr.keys.set(peer, key);
    } else if (p3 === 'crypto isakmp keepalive') {
      const v = num(w[3]);
      if (v) cr.dpd = sourced(v, wordAt(c, w[3]!), c.text);
    } else if (p2 === 'crypto keyring' && w[2]) {
      for (const ch of c.children) {
        const chw = ch.words;
        const keyAt = chw.findIndex((x) => x.text.toLowerCase() === 'key');
        if (phrase(ch, 0, 2) === 'pre-shared-key address' && chw[2] && keyAt > 0) {
          const key = readKey(ch, keyAt + 1, findings);
          if (key) cr.keys.set(chw[2].text, key);
        } else findings.add('NOT_MODELLED', atOf(ch), `"${keyAt > 0 ? hideKey(ch, keyAt + 1) : ch.text}" in keyring ${w[2].text} is not modelled (keys are found by the peer's address); left out`);
      }
    } else if (p3 === 'crypto ikev2 proposal' && w[3]) cr.ikev2Proposals.set(w[3].text, readIkev2Offer(c, cr.ikev2Proposals.size, findings));
    else if (p3 === 'crypto ikev2 policy' && w[3]) {
      if (dialect === 'asa') cr.ikev2Policies.push({ cmd: c, proposals: [], offer: readIkev2Offer(c, num(w[3]) ?? 0, findings) });
      else cr.ikev2Policies.push({ cmd: c, proposals: c.children.filter((ch) => phrase(ch, 0, 1) === 'proposal').flatMap((ch) => ch.words.slice(1).map((x) => x.text)) });
    } else if (p3 === 'crypto ikev2 keyring' && w[3]) {
      const peers: KeyringPeer[] = [];
      for (const peer of c.children) {
        let address: string | undefined;
        let key: Sourced<string> | undefined;
        for (const ch of peer.children) {
          const k = ch.words[0]!.text.toLowerCase();
          if (k === 'address' && ch.words[1]) address = ch.words[1].text;
          else if (k === 'pre-shared-key') {
            const dir = ch.words[1]?.text.toLowerCase();
            if (dir === 'remote') continue; // the key the peer proves itself with; the device's own is `local` or unqualified
            key = readKey(ch, dir === 'local' ? 2 : 1, findings);
          } else if (k !== 'description' && k !== 'identity') findings.add('NOT_MODELLED', atOf(ch), `"${ch.text}" in keyring ${w[3].text} is not modelled; left out`);
        }
        if (address !== undefined) peers.push({ address, ...(key ? { key } : {}) });
        else findings.add('NOT_MODELLED', atOf(peer), `"${peer.text}" has no "address": vgwsim finds a peer's key by its address; left out`);
      }
      cr.keyrings.set(w[3].text, peers);
    } else if (p3 === 'crypto ikev2 profile' && w[3]) {
      const prof: Ikev2Profile = { cmd: c };
      for (const ch of c.children) {
        const cw = ch.words;
        const p = phrase(ch);
        if (p.startsWith('match identity remote address') && cw[4]) prof.remote = cw[4].text;
        else if (phrase(ch, 0, 1) === 'keyring') prof.keyring = cw[cw.length - 1]!.text;
        else if (phrase(ch, 0, 1) === 'lifetime') prof.lifetime = lifetimeOf(ch, cw[1], findings);
        else if (phrase(ch, 0, 1) === 'dpd' && num(cw[1])) prof.dpd = sourced(num(cw[1])!, wordAt(ch, cw[1]!), ch.text);
        else if (p === 'authentication remote pre-share' || p === 'authentication local pre-share' || p.startsWith('match address local') || p.startsWith('match identity') || p.startsWith('identity local address')) continue;
        else findings.add('NOT_MODELLED', atOf(ch), `"${ch.text}" in IKEv2 profile ${w[3].text} is not modelled${p.startsWith('authentication') ? ' (vgwsim authenticates with pre-shared keys)' : ''}; left out`);
      }
      cr.profiles.set(w[3].text, prof);
    } else if ((p3 === 'crypto ipsec transform-set' && w[3]) || (phrase(c, 0, 4) === 'crypto ipsec ikev1 transform-set' && w[4])) {
      const k = p3 === 'crypto ipsec transform-set' ? 3 : 4;
      const esp = readTransforms(c, w.slice(k + 1), findings);
      cr.transformSets.set(w[k]!.text, { cmd: c, ...(esp ? { esp } : {}) });
      for (const ch of c.children) {
        if (phrase(ch) === 'mode transport') findings.add('NOT_MODELLED', atOf(ch), `"${ch.text}": transport mode is not modelled (Azure's tunnels are tunnel mode); read as tunnel mode`);
        else if (phrase(ch) !== 'mode tunnel') findings.add('NOT_MODELLED', atOf(ch), `"${ch.text}" is not modelled; left out`);
      }
    } else if (phrase(c, 0, 4) === 'crypto ipsec ikev2 ipsec-proposal' && w[4]) {
      const words: Word[] = [];
      for (const ch of c.children) {
        if (phrase(ch, 0, 2) === 'protocol esp') words.push(...ch.words.slice(3).map((x) => ({ ...x })));
        else findings.add('NOT_MODELLED', atOf(ch), `"${ch.text}" is not modelled; left out`);
      }
      const esp = readTransforms(c, words.map((x) => ({ text: /^(aes|aes-192|aes-256|3des|des|null|aes-gcm.*)$/i.test(x.text) ? `esp-${x.text}` : x.text, column: x.column })), findings);
      cr.transformSets.set(w[4].text, { cmd: c, ...(esp ? { esp } : {}) });
    } else if (p3 === 'crypto ipsec profile' && w[3]) {
      const e = newEntry(c, w[3].text, 0);
      for (const ch of c.children) {
        if (phrase(ch, 0, 1) === 'set') readSet(e, ch, 1, findings);
        else findings.add('NOT_MODELLED', atOf(ch), `"${ch.text}" in IPsec profile ${w[3].text} is not modelled; left out`);
      }
      cr.ipsecProfiles.set(w[3].text, e);
    } else if (phrase(c, 0, 4) === 'crypto ipsec security-association lifetime') {
      const e = newEntry(c, '', 0);
      readSet(e, c, 2, findings);
      if (e.lifetimeSeconds) cr.globalSeconds = e.lifetimeSeconds;
      if (e.lifetimeKilobytes) cr.globalKilobytes = e.lifetimeKilobytes;
    } else if (p2 === 'crypto map' && w[2]) {
      const map = w[2].text;
      if (w[3]?.text.toLowerCase() === 'interface' && w[4]) {
        cr.mapInterfaces.set(map, w[4].text);
        continue;
      }
      const seq = num(w[3]);
      if (seq === undefined) {
        findings.add('NOT_MODELLED', atOf(c), `"${c.text}" is not modelled; left out`);
        continue;
      }
      const e = entryOf(c, map, seq);
      const kind = phrase(c, 4, 5);
      if (kind === 'ipsec-isakmp' || kind === '') {
        for (const ch of c.children) {
          if (phrase(ch, 0, 1) === 'set') readSet(e, ch, 1, findings);
          else if (phrase(ch, 0, 2) === 'match address' && ch.words[2]) e.acl = sourced(ch.words[2].text, wordAt(ch, ch.words[2]), ch.text);
          else findings.add('NOT_MODELLED', atOf(ch), `"${ch.text}" in crypto map ${map} ${seq} is not modelled; left out`);
        }
        if (phrase(c, 5, 6) === 'dynamic') findings.add('NOT_MODELLED', wordAt(c, w[5]!), `"${c.text}": dynamic crypto maps answer any peer; vgwsim needs the peer's address (set peer)`);
      } else if (kind === 'match' && phrase(c, 5, 6) === 'address' && w[6]) e.acl = sourced(w[6].text, wordAt(c, w[6]), c.text);
      else if (kind === 'set') readSet(e, c, 5, findings);
      else findings.add('NOT_MODELLED', atOf(c), `"${c.text}" is not modelled; left out`);
    } else if (phrase(c, 0, 1) === 'tunnel-group' && w[1]) {
      const peer = w[1].text;
      let tg = cr.tunnelGroups.get(peer);
      if (!tg) cr.tunnelGroups.set(peer, (tg = { cmd: c }));
      const kind = phrase(c, 2);
      if (kind === 'type ipsec-l2l' || kind === 'general-attributes') continue;
      if (kind === 'type remote-access') {
        findings.add('NOT_MODELLED', atOf(c), `"${c.text}": remote-access tunnel groups are not modelled (vgwsim imports site-to-site devices)`);
        continue;
      }
      if (kind !== 'ipsec-attributes') {
        findings.add('NOT_MODELLED', atOf(c), `"${c.text}" is not modelled; left out`);
        continue;
      }
      for (const ch of c.children) {
        const p = phrase(ch);
        if (p.startsWith('ikev1 pre-shared-key')) tg.ikev1Key = readKey(ch, 2, findings);
        else if (p.startsWith('pre-shared-key')) tg.ikev1Key = readKey(ch, 1, findings);
        else if (p.startsWith('ikev2 local-authentication pre-shared-key')) tg.ikev2Local = readKey(ch, 3, findings);
        else if (p.startsWith('ikev2 remote-authentication pre-shared-key')) tg.ikev2Remote = readKey(ch, 3, findings);
        else findings.add('NOT_MODELLED', atOf(ch), `"${ch.words[0]!.text.toLowerCase().includes('key') ? hideKey(ch, ch.words.length - 1) : ch.text}" in tunnel-group ${peer} is not modelled; left out`);
      }
    } else if (p3 === 'crypto isakmp profile' && w[3]) {
      // IKEv1 profile: its keyring's keys are read by peer address like any keyring's.
      for (const ch of c.children) {
        const p = phrase(ch);
        if (!p.startsWith('keyring') && !p.startsWith('match identity') && !p.startsWith('self-identity address')) findings.add('NOT_MODELLED', atOf(ch), `"${ch.text}" in ISAKMP profile ${w[3].text} is not modelled; left out`);
      }
    } else if (p2 === 'crypto isakmp' || p2 === 'crypto ikev1' || p2 === 'crypto ikev2') {
      const p = phrase(c, 2, 3);
      if (p !== 'enable') findings.add('NOT_MODELLED', atOf(c), `"${c.text}" is not modelled; left out`);
    } else if (p2.startsWith('crypto ')) {
      findings.add('NOT_MODELLED', atOf(c), `"${c.text}" is not modelled (vgwsim imports pre-shared-key site-to-site IPsec); left out`);
    }
  }
  return cr;
}
