/**
 * strongSwan configurations to PeerTunnels: swanctl.conf (`connections { NAME { ... } }`
 * and `secrets { ike-X { secret, id } }`) and the older ipsec.conf (`conn NAME` blocks of
 * `key=value`, `conn %default`, `also=`), whose keys live in ipsec.secrets. Which format a
 * text is shows in it (`connections {` or `conn NAME`).
 *
 * One tunnel per connection with a remote address. Children (or a conn's subnets) whose
 * selectors are all 0.0.0.0/0 make a route-based device; others a policy-based one whose
 * access list permits every local × remote selector pair, in order. Proposals are
 * strongSwan's own syntax; its aliases (`aes` = aes128, `sha` = sha1) are spelt out, a
 * trailing `!` (strict) dropped; a proposal vgwsim's reader refuses is left out with a
 * NOT_MODELLED warning naming the algorithm. Lifetimes: the IKE SA's `rekey_time`
 * (`ikelifetime`), the child's `life_time` or else `rekey_time` (`lifetime`, `keylife`),
 * `life_bytes` in kilobytes. `start_action = none` (`auto=add`) makes a device that only
 * answers. Version 0 (`keyexchange=ike`, either version) is left to vgwsim's default, the
 * gateway's version.
 */
import { parseIPv4, parsePrefix } from '../../../net/ipv4.js';
import { parseEspProposal, parseIkeProposal } from '../../../ike/proposals.js';
import { strongswanKeyword } from './algorithms.js';
import type { At, Findings } from './findings.js';
import { items, readSwanctl, section, setting } from './swanctl-reader.js';
import type { Section, Setting } from './swanctl-reader.js';
import { sourced } from './tunnel.js';
import type { PeerTunnel, SourceFile, Sourced, TunnelDraft } from './tunnel.js';

/** A value with where it was written: a swanctl setting or an ipsec.conf line. */
interface Val {
  readonly value: string;
  readonly at: At;
  readonly element: string;
}

function val(s: Setting | undefined): Val | undefined {
  return s ? { value: s.value, at: s.valueAt, element: s.text } : undefined;
}

/** A strongSwan time value (`3600`, `3600s`, `60m`, `8h`, `1d`) in seconds, or undefined. */
function seconds(v: string): number | undefined {
  const m = /^(\d+)\s*([smhd]?)$/.exec(v.trim());
  if (!m) return undefined;
  return Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]!]!;
}

function time(v: Val | undefined, findings: Findings): Sourced<number> | undefined {
  if (!v) return undefined;
  const s = seconds(v.value);
  if (s === undefined || s === 0) {
    findings.add('CONFIG_SYNTAX', v.at, `"${v.element}": a time is a number of seconds, optionally with s, m, h or d, and not 0`);
    return undefined;
  }
  return sourced(s, v.at, v.element);
}

/** The proposals of a comma list that vgwsim's reader takes, each spelt as it takes them. */
function proposals(v: Val | undefined, kind: 'IKE' | 'ESP', findings: Findings): Sourced<string>[] {
  if (!v) return [];
  const out: Sourced<string>[] = [];
  for (const raw of items(v.value.replace(/!$/, ''))) {
    const p = raw.replace(/!$/, '').split('-').map(strongswanKeyword).join('-');
    if (p === 'default') {
      findings.add('NOT_MODELLED', v.at, `"${v.element}": "default" stands for strongSwan's built-in proposals, which vgwsim does not list; left out`);
      continue;
    }
    const r = kind === 'IKE' ? parseIkeProposal(p) : parseEspProposal(p);
    if (r.ok) out.push(sourced(p, v.at, v.element));
    else findings.add('NOT_MODELLED', v.at, `"${v.element}": ${kind} proposal "${raw}" is left out: ${r.error.message}`);
  }
  return out;
}

/** Traffic selectors as prefixes; `dynamic` and other forms are reported. */
function selectors(v: Val | undefined, findings: Findings): string[] | undefined {
  if (!v) return undefined;
  const out: string[] = [];
  for (const ts of items(v.value)) {
    const bare = ts.replace(/\[.*\]$/, '');
    if (bare !== ts) findings.add('NOT_MODELLED', v.at, `"${v.element}": protocol and port restrictions ("${ts}") are not modelled; read as ${bare}`);
    const p = parsePrefix(bare.includes('/') ? bare : `${bare}/32`);
    if (p.ok) out.push(p.value.text);
    else findings.add(bare === 'dynamic' || bare === '%dynamic' ? 'NOT_MODELLED' : 'CONFIG_SYNTAX', v.at, `"${v.element}": selector "${ts}" is ${bare.includes('dynamic') ? "the host's own address, which vgwsim's device does not have as a prefix; left out" : `not an IPv4 prefix (${p.error})`}`);
  }
  return out;
}

function aclAddress(p: string): string {
  if (p === '0.0.0.0/0') return 'any';
  return p.endsWith('/32') ? `host ${p.slice(0, -3)}` : p;
}

/** Sets a tunnel's type and selectors from its children's local and remote selectors. */
function applySelectors(t: TunnelDraft, children: readonly { local: string[]; remote: string[]; from: Val }[]): void {
  const all = children.flatMap((c) => [...c.local, ...c.remote]);
  const anyToAny = all.length > 0 && all.every((p) => p === '0.0.0.0/0');
  if (anyToAny) {
    t.vpnType = sourced('RouteBased', children[0]!.from.at, children[0]!.from.element);
    return;
  }
  t.vpnType = sourced('PolicyBased', children[0]?.from.at ?? t.source.at, children[0]?.from.element ?? t.source.element);
  t.accessList = children.flatMap((c) => c.local.flatMap((l) => c.remote.map((r) => sourced(`permit ip ${aclAddress(l)} ${aclAddress(r)}`, c.from.at, c.from.element))));
}

function version(v: Val | undefined, findings: Findings, words: Record<string, 1 | 2 | 0>): Sourced<1 | 2> | undefined {
  if (!v) return undefined;
  const n = words[v.value.toLowerCase()];
  if (n === undefined) {
    findings.add('CONFIG_SYNTAX', v.at, `"${v.element}": unknown IKE version "${v.value}" (${Object.keys(words).join(', ')})`);
    return undefined;
  }
  if (n === 0) {
    findings.add('NOT_MODELLED', v.at, `"${v.element}": a device that speaks either IKE version is not modelled; the import leaves the version to vgwsim's default, the gateway's`);
    return undefined;
  }
  return sourced(n, v.at, v.element);
}

/** DPD for an IKEv2 device; vgwsim's IKEv1 has none, which an IKEv1 device's DPD setting is told. */
function setDpd(t: TunnelDraft, dpd: Sourced<number> | undefined, findings: Findings): void {
  if (!dpd) return;
  if (t.version?.value === 1) findings.add('NOT_MODELLED', dpd.at, `"${dpd.element}": vgwsim models dead peer detection for IKEv2 only; left out`);
  else t.dpd = dpd;
}

function newTunnel(peer: Val, from: Val): TunnelDraft {
  const source = sourced(peer.value, peer.at, peer.element);
  return { peer: peer.value, source, vpnType: sourced('RouteBased', from.at, from.element), ikeProposals: [], espProposals: [], accessList: [], routes: [] };
}

/** A PSK for the connection from swanctl `secrets { ike-X { secret, id... } }`: the one naming its ids, else the only one. */
function swanctlSecret(root: Section, ids: readonly string[], findings: Findings): Sourced<string> | undefined {
  const secrets = section(root, 'secrets')?.sections.filter((s) => s.name.startsWith('ike')) ?? [];
  const named = secrets.filter((s) => s.settings.some((x) => x.key.startsWith('id') && ids.includes(x.value)));
  const pick = named[0] ?? (secrets.length === 1 ? secrets[0] : undefined);
  const secret = pick ? setting(pick, 'secret') : undefined;
  if (!secret) return undefined;
  const v = secret.value.startsWith('0x') || secret.value.startsWith('0s') ? undefined : secret.value;
  if (v === undefined) {
    findings.add('NOT_MODELLED', secret.valueAt, `secrets ${pick!.name}: a key written in hex (0x) or base64 (0s) is not read; write it as a string`);
    return undefined;
  }
  return sourced(v, secret.valueAt, `secrets ${pick!.name} secret = *****`);
}

const CONNECTION_KEYS = new Set(['version', 'local_addrs', 'remote_addrs', 'proposals', 'rekey_time', 'reauth_time', 'dpd_delay']);
const SIDE_KEYS = new Set(['auth', 'id']);
const CHILD_KEYS = new Set(['local_ts', 'remote_ts', 'esp_proposals', 'rekey_time', 'life_time', 'life_bytes', 'rekey_bytes', 'start_action', 'mode']);

/** A NOT_MODELLED warning for each setting of `s` outside `known`, and each subsection outside `sections`. */
function reportOthers(s: Section, known: ReadonlySet<string>, sections: (name: string) => boolean, findings: Findings): void {
  for (const x of s.settings) if (!known.has(x.key)) findings.add('NOT_MODELLED', x.at, `"${x.text}" in ${s.name} is not modelled; left out`);
  for (const x of s.sections) if (!sections(x.name)) findings.add('NOT_MODELLED', x.at, `section "${x.name}" in ${s.name || 'the file'} is not modelled; left out`);
}

function readSwanctlConf(text: string, findings: Findings): PeerTunnel[] {
  const root = readSwanctl(text, findings);
  reportOthers(root, new Set(), (n) => n === 'connections' || n === 'secrets', findings);
  for (const x of section(root, 'secrets')?.sections ?? []) if (!x.name.startsWith('ike')) findings.add('NOT_MODELLED', x.at, `secrets ${x.name}: only IKE pre-shared keys (ike-...) are read; left out`);
  const conns = section(root, 'connections');
  const out: PeerTunnel[] = [];
  for (const c of conns?.sections ?? []) {
    const from: Val = { value: c.name, at: c.at, element: c.text };
    reportOthers(c, CONNECTION_KEYS, (n) => n === 'children' || /^(local|remote)(-.*)?$/.test(n), findings);
    for (const side of c.sections.filter((x) => x.name !== 'children')) reportOthers(side, SIDE_KEYS, () => false, findings);
    const remote = val(setting(c, 'remote_addrs'));
    const peers = remote ? items(remote.value) : [];
    if (!remote || peers.length === 0 || !parseIPv4(peers[0]!).ok) {
      findings.add(remote ? 'NOT_MODELLED' : 'CONFIG_INCOMPLETE', remote?.at ?? c.at, `connection ${c.name}: ${remote ? `remote_addrs "${remote.value}" is not one IPv4 address; vgwsim needs the Azure gateway's address` : 'no remote_addrs: vgwsim needs the Azure gateway\'s address'}; left out`);
      continue;
    }
    if (peers.length > 1) findings.add('NOT_MODELLED', remote.at, `"${remote.element}": more than one remote address is not modelled; the device talks to ${peers[0]}`);
    const t = newTunnel({ ...remote, value: peers[0]! }, from);
    const v = version(val(setting(c, 'version')), findings, { '0': 0, '1': 1, '2': 2 });
    if (v) t.version = v;
    t.ikeProposals = proposals(val(setting(c, 'proposals')), 'IKE', findings);
    const ikeLife = time(val(setting(c, 'rekey_time')) ?? val(setting(c, 'reauth_time')), findings);
    if (ikeLife) t.ikeLifetime = ikeLife;
    setDpd(t, time(val(setting(c, 'dpd_delay')), findings), findings);
    const local = val(setting(c, 'local_addrs'));
    if (local && parseIPv4(items(local.value)[0] ?? '').ok) t.localAddress = sourced(items(local.value)[0]!, local.at, local.element);
    const ids: string[] = [peers[0]!];
    for (const side of ['local', 'remote']) {
      const s = c.sections.find((x) => x.name === side || x.name.startsWith(`${side}-`));
      const auth = s ? val(setting(s, 'auth')) : undefined;
      if (auth && auth.value !== 'psk') findings.add('NOT_MODELLED', auth.at, `"${auth.element}": authentication "${auth.value}" is not modelled (vgwsim authenticates with pre-shared keys)`);
      const id = s ? setting(s, 'id') : undefined;
      if (id) ids.push(id.value);
    }
    if (local) ids.push(...items(local.value));
    const key = swanctlSecret(root, ids, findings);
    if (key) t.sharedKey = key;
    else findings.add('NOT_MODELLED', c.at, `connection ${c.name}: no readable secret in secrets { ike-... }; the device keeps the connection's sharedKey`);
    const children = section(c, 'children')?.sections ?? [];
    const sel: { local: string[]; remote: string[]; from: Val }[] = [];
    for (const ch of children) {
      const chFrom: Val = { value: ch.name, at: ch.at, element: ch.text };
      reportOthers(ch, CHILD_KEYS, () => false, findings);
      sel.push({ local: selectors(val(setting(ch, 'local_ts')), findings) ?? ['0.0.0.0/0'], remote: selectors(val(setting(ch, 'remote_ts')), findings) ?? ['0.0.0.0/0'], from: chFrom });
      const mode = val(setting(ch, 'mode'));
      if (mode && mode.value !== 'tunnel') findings.add('NOT_MODELLED', mode.at, `"${mode.element}": ${mode.value} mode is not modelled (Azure's tunnels are tunnel mode)`);
      if (ch !== children[0]) continue;
      t.espProposals = proposals(val(setting(ch, 'esp_proposals')), 'ESP', findings);
      const life = time(val(setting(ch, 'life_time')) ?? val(setting(ch, 'rekey_time')), findings);
      if (life) t.childLifetime = life;
      const bytes = val(setting(ch, 'life_bytes')) ?? val(setting(ch, 'rekey_bytes'));
      if (bytes && /^\d+$/.test(bytes.value) && Number(bytes.value) >= 1024) t.childLifeKilobytes = sourced(Math.floor(Number(bytes.value) / 1024), bytes.at, bytes.element);
      const start = val(setting(ch, 'start_action'));
      if (start) t.initiate = sourced(start.value !== 'none', start.at, start.element);
    }
    if (children.length === 0) findings.add('CONFIG_INCOMPLETE', c.at, `connection ${c.name} has no children { NAME { local_ts, remote_ts } }: it would negotiate no IPsec SA`);
    else applySelectors(t, sel);
    out.push(t);
  }
  return out;
}

/** One ipsec.conf `conn` or `config` block: its settings in order, with where each is. */
interface ConnBlock {
  readonly name: string;
  readonly at: At;
  readonly text: string;
  readonly settings: Map<string, Val>;
  readonly also: Val[];
}

function readIpsecConfBlocks(text: string, findings: Findings): ConnBlock[] {
  const blocks: ConnBlock[] = [];
  let cur: ConnBlock | undefined;
  text.split('\n').forEach((rawLine, i) => {
    const raw = rawLine.replace(/\r$/, '');
    const hash = raw.indexOf('#');
    const body = (hash >= 0 ? raw.slice(0, hash) : raw).trimEnd();
    if (body.trim() === '') return;
    const at = { line: i + 1, column: body.length - body.trimStart().length + 1 };
    if (!/^\s/.test(body)) {
      const m = /^(conn|config|ca)\s+(\S+)$/.exec(body);
      if (body.startsWith('include ')) findings.add('NOT_MODELLED', at, `"${body}": included files are not read; import the file that holds the conn`);
      else if (m) {
        cur = { name: m[1] === 'conn' ? m[2]! : `${m[1]} ${m[2]}`, at, text: body, settings: new Map(), also: [] };
        blocks.push(cur);
      } else findings.add('CONFIG_SYNTAX', at, `"${body}" is not "conn NAME", "config setup" or "ca NAME" (settings under them are indented)`);
      return;
    }
    const m = /^\s+([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(body);
    if (!m || !cur) {
      findings.add('CONFIG_SYNTAX', at, `"${body.trim()}" is not a "key=value" setting under a conn`);
      return;
    }
    const value = m[2]!.trim().replace(/^"(.*)"$/, '$1');
    const v: Val = { value, at: { line: i + 1, column: body.indexOf('=') + 2 + (m[2]!.length - m[2]!.trimStart().length) }, element: body.trim() };
    if (m[1] === 'also') cur.also.push(v);
    else cur.settings.set(m[1]!, v);
  });
  return blocks;
}

/** The settings of `conn`, with `%default` and `also=` blocks under it (its own win). */
function resolved(conn: ConnBlock, blocks: readonly ConnBlock[], findings: Findings, seen = new Set<string>()): Map<string, Val> {
  const out = new Map<string, Val>();
  const def = blocks.find((b) => b.name === '%default');
  if (def && seen.size === 0) for (const [k, v] of def.settings) out.set(k, v);
  seen.add(conn.name);
  for (const a of conn.also) {
    const b = blocks.find((x) => x.name === a.value);
    if (!b) findings.add('CONFIG_INCOMPLETE', a.at, `"${a.element}": no conn ${a.value} is defined`);
    else if (!seen.has(b.name)) for (const [k, v] of resolved(b, blocks, findings, seen)) out.set(k, v);
  }
  for (const [k, v] of conn.settings) out.set(k, v);
  return out;
}

const IPSEC_CONF_READ = new Set(['keyexchange', 'left', 'right', 'leftsubnet', 'rightsubnet', 'ike', 'esp', 'ikelifetime', 'lifetime', 'keylife', 'authby', 'auto', 'dpddelay', 'leftid', 'rightid', 'type', 'lifebytes', 'leftauth', 'rightauth']);

/** ipsec.secrets: the PSK whose selectors name one of `ids`, else one with no selector. */
function ipsecSecret(secrets: SourceFile | undefined, ids: readonly string[], findings: Findings): Sourced<string> | undefined {
  if (!secrets) return undefined;
  let fallback: Sourced<string> | undefined;
  const lines = secrets.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*([^:#]*?)\s*:\s*PSK\s+(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+))/.exec(lines[i]!);
    if (!m) continue;
    const key = m[2] ?? m[3] ?? m[4]!;
    const sels = m[1]!.split(/\s+/).filter((x) => x !== '');
    const s = sourced(key, { line: i + 1, column: lines[i]!.indexOf('PSK') + 1 }, `${m[1]} : PSK *****`, secrets.file);
    if (sels.some((x) => ids.includes(x))) return s;
    if (sels.length === 0 || sels.includes('%any')) fallback ??= s;
  }
  if (!fallback) findings.add('NOT_MODELLED', { line: 1, column: 1 }, `${secrets.file} has no PSK for ${ids.join(' or ')}; the device keeps the connection's sharedKey`, secrets.file);
  return fallback;
}

function readIpsecConf(text: string, secrets: SourceFile | undefined, findings: Findings): PeerTunnel[] {
  const blocks = readIpsecConfBlocks(text, findings);
  const out: PeerTunnel[] = [];
  for (const b of blocks) {
    if (b.name.startsWith('config ') || b.name.startsWith('ca ')) {
      findings.add('NOT_VPN', b.at, `"${b.text}" and its ${b.settings.size} setting${b.settings.size === 1 ? '' : 's'} configure the daemon or certificates, not the tunnel; not read`);
      continue;
    }
    if (b.name === '%default') continue;
    const s = resolved(b, blocks, findings);
    const auto = s.get('auto');
    if (auto?.value === 'ignore') continue;
    const from: Val = { value: b.name, at: b.at, element: b.text };
    const right = s.get('right');
    if (!right || !parseIPv4(right.value).ok) {
      const why = right ? `right=${right.value} is not one IPv4 address` : 'it has no right=ADDRESS';
      if (auto?.value === 'add' || !right) findings.add('NOT_MODELLED', right?.at ?? b.at, `conn ${b.name}: ${why}, and vgwsim needs the Azure gateway's address; left out`);
      continue;
    }
    for (const [k, v] of s) if (!IPSEC_CONF_READ.has(k)) findings.add('NOT_MODELLED', v.at, `"${v.element}" is not modelled; left out`);
    const t = newTunnel(right, from);
    const ver = version(s.get('keyexchange'), findings, { ikev1: 1, ikev2: 2, ike: 0 });
    if (ver) t.version = ver;
    t.ikeProposals = proposals(s.get('ike'), 'IKE', findings);
    t.espProposals = proposals(s.get('esp'), 'ESP', findings);
    const ikeLife = time(s.get('ikelifetime'), findings);
    if (ikeLife) t.ikeLifetime = ikeLife;
    const life = time(s.get('lifetime') ?? s.get('keylife'), findings);
    if (life) t.childLifetime = life;
    setDpd(t, time(s.get('dpddelay'), findings), findings);
    if (auto) t.initiate = sourced(auto.value !== 'add', auto.at, auto.element);
    const authby = s.get('authby');
    if (authby && authby.value !== 'secret' && authby.value !== 'psk') findings.add('NOT_MODELLED', authby.at, `"${authby.element}": authentication "${authby.value}" is not modelled (vgwsim authenticates with pre-shared keys)`);
    const type = s.get('type');
    if (type && type.value !== 'tunnel') findings.add('NOT_MODELLED', type.at, `"${type.element}": ${type.value} is not modelled (Azure's tunnels are tunnel mode)`);
    const left = s.get('left');
    if (left && parseIPv4(left.value).ok) t.localAddress = sourced(left.value, left.at, left.element);
    const ids = [right.value, s.get('rightid')?.value, left?.value, s.get('leftid')?.value].filter((x): x is string => x !== undefined);
    const key = ipsecSecret(secrets, ids, findings);
    if (key) t.sharedKey = key;
    else if (!secrets) findings.add('NOT_MODELLED', b.at, `conn ${b.name}: its key is in ipsec.secrets, which was not given (--secrets FILE); the device keeps the connection's sharedKey`);
    const ls = s.get('leftsubnet');
    const rs = s.get('rightsubnet');
    applySelectors(t, [{ local: selectors(ls, findings) ?? ['0.0.0.0/0'], remote: selectors(rs, findings) ?? ['0.0.0.0/0'], from: ls ?? rs ?? from }]);
    out.push(t);
  }
  return out;
}

/** Reads a swanctl.conf or ipsec.conf text (told apart by what it holds). */
export function readStrongswan(text: string, secrets: SourceFile | undefined, findings: Findings): PeerTunnel[] {
  const ipsecConf = /^conn\s+\S+/m.test(text) && !/^\s*connections\s*\{/m.test(text);
  return ipsecConf ? readIpsecConf(text, secrets, findings) : readSwanctlConf(text, findings);
}
