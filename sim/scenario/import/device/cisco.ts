/**
 * A Cisco IOS or ASA configuration to one PeerTunnel per peer: a crypto map's peer
 * (policy-based: the access list it matches, the transform sets, PFS and lifetimes of its
 * entries) or a tunnel interface's destination (route-based, a VTI: its IPsec profile and
 * the static routes that point at it). IKE settings come from the isakmp/ikev1 policies
 * (IKEv1) or the IKEv2 policies, proposals, keyring and profile (IKEv2); the key from
 * `crypto isakmp key`, a keyring or the ASA tunnel group of that peer.
 *
 * Lines outside what a VPN device needs (hostname, DHCP, timeouts, ...) are counted in one
 * NOT_VPN warning; what concerns the VPN but is not modelled gets its own NOT_MODELLED
 * warning (cisco-crypto.ts, cisco-acl.ts and here); a reference to nothing (a crypto map's
 * ACL, a profile, a transform set) is CONFIG_INCOMPLETE.
 */
import { parseIPv4 } from '../../../net/ipv4.js';
import { readAcls, readObjects, maskedAddress } from './cisco-acl.js';
import type { CiscoAcl, CiscoDialect } from './cisco-acl.js';
import { readCrypto } from './cisco-crypto.js';
import type { CiscoCrypto, CryptoEntry, IkeOffer } from './cisco-crypto.js';
import { atOf, phrase, readCiscoConfig } from './cisco-reader.js';
import type { Command } from './cisco-reader.js';
import type { At, Findings } from './findings.js';
import { sourced } from './tunnel.js';
import type { PeerTunnel, Sourced, TunnelDraft } from './tunnel.js';

interface Interface {
  readonly cmd: Command;
  readonly name: string;
  nameif?: string;
  address?: Sourced<string>;
  cryptoMap?: string;
  tunnelSource?: Sourced<string>;
  tunnelDestination?: Sourced<string>;
  tunnelMode?: Command;
  protection?: Sourced<string>;
}

interface Route {
  readonly prefix: Sourced<string>;
  /** The interface (normalised name) or ASA nameif the route points at. */
  readonly via: string;
}

/** `Tunnel1`, `tunnel 1`, `Tu1` → `tunnel1`. */
function ifName(words: readonly string[]): string {
  return words.join('').toLowerCase().replace(/^tu(n(n(e(l)?)?)?)?(?=\d)/, 'tunnel');
}

const READ_TOP = new Set(['access-list', 'object', 'object-group', 'crypto', 'tunnel-group', 'interface', 'int', 'route']);

function readInterfaces(cmds: readonly Command[], findings: Findings): Map<string, Interface> {
  const out = new Map<string, Interface>();
  for (const c of cmds) {
    const w0 = c.words[0]!.text.toLowerCase();
    if ((w0 !== 'interface' && w0 !== 'int') || c.words.length < 2) continue;
    const itf: Interface = { cmd: c, name: ifName(c.words.slice(1).map((w) => w.text)) };
    const tunnel = itf.name.startsWith('tunnel');
    const unread: Command[] = [];
    for (const ch of c.children) {
      const p = phrase(ch);
      const w = ch.words;
      if (p.startsWith('nameif') && w[1]) itf.nameif = w[1].text;
      else if (p.startsWith('ip address') && w[2] && w[3] && parseIPv4(w[2].text).ok) {
        if (tunnel) findings.add('NOT_MODELLED', atOf(ch), `"${ch.text}": a tunnel interface's inside address is not modelled (vgwsim's tunnels carry packets without interface addresses); left out`);
        else itf.address = sourced(w[2].text, { line: ch.line, column: w[2].column }, ch.text);
      } else if (p.startsWith('crypto map') && w[2]) itf.cryptoMap = w[2].text;
      else if (tunnel && p.startsWith('tunnel source') && w[2]) {
        const v = w[2].text.toLowerCase() === 'interface' && w[3] ? w[3] : w[2];
        itf.tunnelSource = sourced(v.text, { line: ch.line, column: v.column }, ch.text);
      } else if (tunnel && p.startsWith('tunnel destination') && w[2]) itf.tunnelDestination = sourced(w[2].text, { line: ch.line, column: w[2].column }, ch.text);
      else if (tunnel && p.startsWith('tunnel mode')) itf.tunnelMode = ch;
      else if (tunnel && p.startsWith('tunnel protection ipsec profile') && w[4]) itf.protection = sourced(w[4].text, { line: ch.line, column: w[4].column }, ch.text);
      else if (!['no shutdown', 'no crypto map', 'security-level'].some((x) => p.startsWith(x))) unread.push(ch);
    }
    if (tunnel || itf.cryptoMap !== undefined) {
      for (const ch of unread) {
        const why = phrase(ch).includes('adjust-mss') ? 'TCP MSS clamping is not modelled (vgwsim fragments or drops by path MTU)' : 'not modelled';
        findings.add('NOT_MODELLED', atOf(ch), `"${ch.text}" on ${c.text}: ${why}; left out`);
      }
    }
    out.set(itf.name, itf);
  }
  return out;
}

function readRoutes(cmds: readonly Command[], dialect: CiscoDialect, findings: Findings): Route[] {
  const out: Route[] = [];
  for (const c of cmds) {
    const w = c.words;
    const ios = dialect === 'ios' && phrase(c, 0, 2) === 'ip route';
    const asa = dialect === 'asa' && phrase(c, 0, 1) === 'route';
    if (!ios && !asa) continue;
    const [a, m] = [w[2], w[3]]; // `ip route NET MASK ...` and ASA `route NAMEIF NET MASK ...` alike
    if (!a || !m) {
      findings.add('CONFIG_SYNTAX', atOf(c), `"${c.text}": a static route names a network and its mask`);
      continue;
    }
    const got = maskedAddress(a, m, false);
    if (typeof got !== 'string') {
      findings.add('CONFIG_SYNTAX', { line: c.line, column: got.word.column }, `"${c.text}": ${got.error}`);
      continue;
    }
    const prefix = got === 'any' ? '0.0.0.0/0' : got.startsWith('host ') ? `${got.slice(5)}/32` : got;
    // `tunnel 1` names an interface in two words; in `Tunnel1 200` the number is a distance.
    const twoWords = /^[A-Za-z-]+$/.test(w[4]?.text ?? '') && /^\d[\d/.]*$/.test(w[5]?.text ?? '') && !parseIPv4(w[5]!.text).ok;
    const via = ios ? ifName(w.slice(4, twoWords ? 6 : 5).map((x) => x.text)) : w[1]!.text;
    out.push({ prefix: sourced(prefix, { line: c.line, column: a.column }, c.text), via });
  }
  return out;
}

/** The IKE offers of one tunnel's IKE version, in the device's order. */
function ikeOffers(cr: CiscoCrypto, version: 1 | 2, at: Command, findings: Findings): IkeOffer[] {
  if (version === 1) return [...cr.ikev1].sort((a, b) => a.order - b.order);
  const asa = cr.ikev2Policies.filter((p) => p.offer).map((p) => p.offer!);
  if (asa.length) return asa.sort((a, b) => a.order - b.order);
  const names = cr.ikev2Policies.flatMap((p) => p.proposals);
  const offers: IkeOffer[] = [];
  for (const n of names.length ? names : [...cr.ikev2Proposals.keys()]) {
    const o = cr.ikev2Proposals.get(n);
    if (o) offers.push(o);
    else findings.add('CONFIG_INCOMPLETE', atOf(at), `IKEv2 proposal "${n}" is named by an IKEv2 policy but not defined`);
  }
  return offers;
}

/** The IKE, ESP, key and lifetime settings an entry (crypto map entry or IPsec profile) gives a tunnel. */
function fillCrypto(t: TunnelDraft, e: CryptoEntry, cr: CiscoCrypto, dialect: CiscoDialect, findings: Findings): void {
  const profile = e.ikev2Profile ? cr.profiles.get(e.ikev2Profile.value) : undefined;
  if (e.ikev2Profile && !profile) findings.add('CONFIG_INCOMPLETE', e.ikev2Profile.at, `IKEv2 profile "${e.ikev2Profile.value}" is not defined (crypto ikev2 profile ${e.ikev2Profile.value})`);
  const v2 = e.ikev2Profile !== undefined || (e.ikev2Proposals.length > 0 && e.transformSets.length === 0);
  if (e.ikev2Proposals.length > 0 && e.transformSets.length > 0) {
    findings.add('NOT_MODELLED', e.ikev2Proposals[0]!.at, `"${e.ikev2Proposals[0]!.element}": the device offers IKEv2 and IKEv1, but vgwsim models one IKE version per device; imported as IKEv1 (its transform sets)`);
  }
  const version: 1 | 2 = v2 ? 2 : 1;
  t.version = sourced(version, atOf(e.cmd), e.cmd.text);
  const offers = ikeOffers(cr, version, e.cmd, findings);
  t.ikeProposals = offers.filter((o) => o.proposal).map((o) => o.proposal!);
  if (offers.length === 0) findings.add('CONFIG_INCOMPLETE', atOf(e.cmd), `"${e.cmd.text}" needs ${version === 1 ? 'an IKEv1 policy (crypto isakmp policy N, or ASA crypto ikev1 policy N)' : 'an IKEv2 proposal (crypto ikev2 proposal, or ASA crypto ikev2 policy N)'}, and the configuration has none`);
  else if (t.ikeProposals.length === 0) findings.add('CONFIG_INCOMPLETE', atOf(e.cmd), `none of the device's IKEv${version} policies offers anything vgwsim models (see the warnings above)`);
  const life = profile?.lifetime ?? offers.find((o) => o.lifetime)?.lifetime;
  if (life) t.ikeLifetime = life;
  const sets = version === 2 && dialect === 'asa' ? e.ikev2Proposals : e.transformSets;
  const esp: Sourced<string>[] = [];
  for (const s of sets) {
    const ts = cr.transformSets.get(s.value);
    if (!ts) findings.add('CONFIG_INCOMPLETE', s.at, `"${s.element}" names "${s.value}", which is not defined`);
    else if (ts.esp) esp.push(sourced(ts.esp, atOf(ts.cmd), ts.cmd.text));
  }
  if (sets.length === 0) findings.add('CONFIG_INCOMPLETE', atOf(e.cmd), `"${e.cmd.text}" names no ${version === 2 && dialect === 'asa' ? 'IKEv2 IPsec proposal (set ikev2 ipsec-proposal)' : 'transform set (set transform-set)'}`);
  else if (esp.length === 0) findings.add('CONFIG_INCOMPLETE', sets[0]!.at, `none of the transform sets of "${e.cmd.text}" offers anything vgwsim models (see the warnings above)`);
  t.espProposals = esp;
  if (e.pfs) t.pfsGroup = e.pfs;
  const secs = e.lifetimeSeconds ?? cr.globalSeconds;
  const kb = e.lifetimeKilobytes ?? cr.globalKilobytes;
  if (secs) t.childLifetime = secs;
  if (kb) t.childLifeKilobytes = kb;
  if (e.answerOnly?.value) t.initiate = sourced(false, e.answerOnly.at, e.answerOnly.element);
  const peer = t.peer;
  const tg = cr.tunnelGroups.get(peer);
  if (version === 1) {
    const key = cr.keys.get(peer) ?? tg?.ikev1Key;
    if (key) t.sharedKey = key;
    if (cr.dpd) findings.add('NOT_MODELLED', cr.dpd.at, `"${cr.dpd.element}": vgwsim models dead peer detection for IKEv2 only; left out`);
  } else {
    const ring = profile?.keyring ? cr.keyrings.get(profile.keyring) : undefined;
    if (profile?.keyring && !ring) findings.add('CONFIG_INCOMPLETE', atOf(profile.cmd), `IKEv2 keyring "${profile.keyring}" is not defined`);
    const key = ring?.find((p) => p.address === peer)?.key ?? tg?.ikev2Local;
    if (key) t.sharedKey = key;
    if (tg?.ikev2Local && tg.ikev2Remote && tg.ikev2Local.value !== tg.ikev2Remote.value) {
      findings.add('NOT_MODELLED', tg.ikev2Remote.at, `tunnel-group ${peer} has different local and remote pre-shared keys; vgwsim's device has one key (its local one is imported), so one direction's authentication would fail against Azure's single key`);
    }
    if (profile?.dpd) t.dpd = profile.dpd;
  }
  if (!t.sharedKey) findings.add('NOT_MODELLED', t.source.at, `no readable pre-shared key for peer ${peer} in the configuration; the device keeps the connection's sharedKey`);
}

function emptyTunnel(peer: Sourced<string>, vpnType: 'PolicyBased' | 'RouteBased', at: Sourced<unknown>): TunnelDraft {
  return { peer: peer.value, source: peer, vpnType: sourced(vpnType, at.at, at.element), ikeProposals: [], espProposals: [], accessList: [], routes: [] };
}

/** The device's own address on interface `name` (IOS name or ASA nameif). */
function addressOf(itfs: Map<string, Interface>, name: string | undefined): Sourced<string> | undefined {
  if (name === undefined) return undefined;
  if (parseIPv4(name).ok) return undefined;
  const n = ifName([name]);
  for (const i of itfs.values()) if (i.name === n || i.nameif === name) return i.address;
  return undefined;
}

/** Reads a Cisco configuration: every peer it has a tunnel to. */
export function readCisco(text: string, dialect: CiscoDialect, findings: Findings): PeerTunnel[] {
  const cmds = readCiscoConfig(text, findings);
  const objects = readObjects(cmds, findings);
  const acls = readAcls(cmds, dialect, objects, findings);
  const cr = readCrypto(cmds, dialect, findings);
  const itfs = readInterfaces(cmds, findings);
  const routes = readRoutes(cmds, dialect, findings);
  countOthers(cmds, findings);
  /** Interfaces (names or nameifs) the tunnels use; the others, and routes not into a tunnel, are outside the VPN. */
  const used = new Set<string>();
  const usedRoutes = new Set<Sourced<string>>();
  const tunnels: PeerTunnel[] = [];
  const byPeer = new Map<string, TunnelDraft>();
  const sorted = [...cr.entries].sort((a, b) => (a.map === b.map ? a.seq - b.seq : a.map < b.map ? -1 : 1));
  for (const e of sorted) {
    const peer = e.peers[0];
    if (!peer) {
      findings.add('CONFIG_INCOMPLETE', atOf(e.cmd), `crypto map ${e.map} ${e.seq} has no peer (set peer ADDRESS); left out`);
      continue;
    }
    if (!parseIPv4(peer.value).ok) {
      findings.add('CONFIG_SYNTAX', peer.at, `"${peer.element}": ${notAddress(peer.value)}; left out`);
      continue;
    }
    for (const extra of e.peers.slice(1)) findings.add('NOT_MODELLED', extra.at, `"${extra.element}": backup peer ${extra.value} is not modelled; the device talks to ${peer.value}`);
    const applied = [...itfs.values()].find((i) => i.cryptoMap === e.map)?.name ?? cr.mapInterfaces.get(e.map);
    if (applied !== undefined) used.add(ifName([applied]));
    if (applied === undefined) findings.add('NOT_MODELLED', atOf(e.cmd), `crypto map ${e.map} is applied to no interface, so the device would not use it; imported as if it were`);
    let t = byPeer.get(peer.value);
    if (!t) {
      t = emptyTunnel(peer, 'PolicyBased', sourced(null, atOf(e.cmd), e.cmd.text));
      fillCrypto(t, e, cr, dialect, findings);
      const local = addressOf(itfs, applied);
      if (local) t.localAddress = local;
      byPeer.set(peer.value, t);
      tunnels.push(t);
    } else {
      findings.add('NOT_MODELLED', atOf(e.cmd), `crypto map ${e.map} ${e.seq} has the same peer as an entry before it; vgwsim's device has one set of IKE and IPsec settings per peer, so only its access list is added`);
    }
    if (!e.acl) findings.add('CONFIG_INCOMPLETE', atOf(e.cmd), `crypto map ${e.map} ${e.seq} matches no access list (match address ACL)`);
    else {
      const acl: CiscoAcl | undefined = acls.get(e.acl.value);
      if (!acl) findings.add('CONFIG_INCOMPLETE', e.acl.at, `"${e.acl.element}" names access list ${e.acl.value}, which is not defined`);
      else t.accessList = [...t.accessList, ...acl.lines];
    }
  }
  for (const itf of itfs.values()) {
    if (!itf.tunnelDestination) continue;
    const dest = itf.tunnelDestination;
    const mode = itf.tunnelMode ? phrase(itf.tunnelMode, 2) : 'gre ip';
    if (mode !== 'ipsec ipv4') findings.add('NOT_MODELLED', itf.tunnelMode ? atOf(itf.tunnelMode) : atOf(itf.cmd), `${itf.cmd.text}: tunnel mode ${mode}${itf.tunnelMode ? '' : ' (the default)'} is not modelled; vgwsim's route-based tunnels are IPsec VTIs (tunnel mode ipsec ipv4); imported as one`);
    if (!parseIPv4(dest.value).ok) {
      findings.add('CONFIG_SYNTAX', dest.at, `"${dest.element}": ${notAddress(dest.value)}`);
      continue;
    }
    const t = emptyTunnel(dest, 'RouteBased', sourced(null, atOf(itf.cmd), itf.cmd.text));
    const prof = itf.protection ? cr.ipsecProfiles.get(itf.protection.value) : undefined;
    if (!itf.protection) findings.add('CONFIG_INCOMPLETE', atOf(itf.cmd), `${itf.cmd.text} has no "tunnel protection ipsec profile NAME": its packets would not be encrypted`);
    else if (!prof) findings.add('CONFIG_INCOMPLETE', itf.protection.at, `IPsec profile "${itf.protection.value}" is not defined (crypto ipsec profile ${itf.protection.value})`);
    else fillCrypto(t, prof, cr, dialect, findings);
    used.add(itf.name);
    const src = itf.tunnelSource;
    if (src) used.add(ifName([src.value]));
    if (src) {
      const local = parseIPv4(src.value).ok ? src : addressOf(itfs, src.value);
      if (local) t.localAddress = local;
    }
    const names = [itf.name, itf.nameif].filter((n): n is string => n !== undefined);
    t.routes = routes.filter((r) => names.includes(r.via)).map((r) => r.prefix);
    for (const r of t.routes) usedRoutes.add(r);
    if (t.routes.length === 0) findings.add('NOT_MODELLED', atOf(itf.cmd), `no static route points at ${itf.cmd.text}; the device's routes into the tunnel are left to vgwsim's default (the Azure side's address space)`);
    if (byPeer.has(dest.value)) {
      findings.add('CONFIG_PEER', dest.at, `${itf.cmd.text} goes to ${dest.value}, which a crypto map also protects; a device talks to a peer one way: remove one of them`);
      continue;
    }
    byPeer.set(dest.value, t);
    tunnels.push(t);
  }
  const isUsed = (i: Interface): boolean => [i.name, i.nameif].some((n) => n !== undefined && (used.has(n) || used.has(ifName([n]))));
  const others: At[] = [
    ...[...itfs.values()].filter((i) => !isUsed(i)).map((i) => atOf(i.cmd)),
    ...routes.filter((r) => !usedRoutes.has(r.prefix)).map((r) => r.prefix.at),
  ].sort((a, b) => a.line - b.line);
  if (others.length > 0) {
    findings.add('NOT_VPN', others[0]!, `${others.length} interface or static route command${others.length === 1 ? '' : 's'} that no tunnel uses (LAN ports, routes to other next hops) ${others.length === 1 ? 'was' : 'were'} not read; the first is here`);
  }
  return tunnels;
}

/** Why a peer address is not one: a template's `40.76.X.X` left as it was, or a host name. */
function notAddress(v: string): string {
  return /^[\dxX]+(\.[\dxX]+){3}$/.test(v)
    ? `${v} is a template's placeholder: write the Azure gateway's public IPv4 address`
    : `the peer must be the Azure gateway's IPv4 address (a host name cannot be simulated)`;
}

/** One NOT_VPN warning for the top-level commands the importer does not read. */
function countOthers(cmds: readonly Command[], findings: Findings): void {
  const others = cmds.filter((c) => {
    const w0 = c.words[0]!.text.toLowerCase();
    if (READ_TOP.has(w0)) return false;
    return !(w0 === 'ip' && ['route', 'access-list'].includes(c.words[1]?.text.toLowerCase() ?? ''));
  });
  if (others.length === 0) return;
  const words = [...new Set(others.map((c) => c.words[0]!.text.toLowerCase()))];
  findings.add('NOT_VPN', atOf(others[0]!), `${others.length} line${others.length === 1 ? '' : 's'} configure${others.length === 1 ? 's' : ''} things outside the site-to-site VPN that vgwsim does not model and were not read (${words.slice(0, 8).join(', ')}${words.length > 8 ? ', ...' : ''}); the first is here`);
}
