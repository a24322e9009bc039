/**
 * Which configuration change explains a difference between two runs. A difference (a
 * flow's first differing hop, or a connection's IKE status) gives a context: the nodes
 * where it happened, the connections involved, the packet's addresses, the drop reasons
 * that appeared or went. Each change is scored against it: a removed or added entry (a
 * prefix, an access-list line) that covers the packet's addresses weighs most, then the
 * fields that decide the drop reason at hand (`rate-limit`: the SKU; `no-selector`: access
 * lists and prefixes; an IKE failure: keys and IKE settings), then touching the nodes and
 * connections on the path. The best one, if it scores at all, is named with a sentence
 * written for the packet ("no longer covers 192.168.1.10 → 10.1.0.4").
 */
import { parseAclLine } from '../../net/acl.js';
import { contains, formatIPv4, parsePrefix } from '../../net/ipv4.js';
import type { ConfigChange, LocatedChange } from './config-changes.js';
import { objectTitle } from './config-changes.js';

/** Where and how two runs differ, as far as finding the change behind it needs. */
export interface DifferenceContext {
  /** Topology nodes at the difference (`gw1`, `hq/device`, `vnet1/frontend`). */
  readonly nodes: readonly string[];
  /** Connections crossed in either run, or the connection whose IKE status changed. */
  readonly connections: readonly string[];
  /** The packet's inner addresses, when a packet is involved. */
  readonly packet?: { readonly src: number; readonly dst: number };
  /** Drop reasons whose counts changed. */
  readonly reasons: readonly string[];
  /** An IKE status changed on one of `connections`: how, in words (`IKE on gw1-hq A → B`; '' when the difference is that status itself); absent when none did. */
  readonly ike?: string;
  /** The flow being explained (its own definition may be the change). */
  readonly flow?: string;
}

/** The change found responsible and the sentence that says how. */
export interface Responsible {
  readonly change: ConfigChange;
  readonly text: string;
}

const SELECTOR_FIELDS = ['device.accessList', 'addressPrefixes', 'addressSpace', 'device.vpnType', 'vpnType', 'device.ike.selectors', 'device.routes', 'prefix'];
const IKE_FIELDS = [
  'sharedKey', 'device.sharedKey', 'device.vpnType', 'vpnType', 'type', 'transform', 'gatewayIp', 'publicIp', 'edition', 'faults',
  'device.ike.version', 'device.ike.ikeProposals', 'device.ike.espProposals', 'device.ike.dhGroup', 'device.ike.pfsGroup', 'device.ike.identity',
  'device.ike.initiate', 'device.ike.selectors', 'device.ike.ikeLifetime', 'device.ike.childLifetime', 'device.ike.childLifeKilobytes', 'device.ike.dpd',
  'device.nat.privateIp',
];
const ROUTE_FIELDS = ['routes', 'addressPrefixes', 'addressSpace', 'device.routes', 'defaultSite', 'onPremisesPrefixes', 'prefix', 'device.accessList', 'faults'];

/** The fields that decide each drop reason. */
const REASON_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'no-route': ROUTE_FIELDS,
  'no-selector': SELECTOR_FIELDS,
  'tunnel-down': [...SELECTOR_FIELDS, ...IKE_FIELDS],
  'inbound-policy': SELECTOR_FIELDS,
  'rate-limit': ['sku', 'count', 'interval', 'size', 'start', 'bandwidth'],
  'no-host': ['hosts', 'addressSpace', 'addressPrefixes', 'to'],
  'p2s-auth': ['p2s.clients'],
  mtu: ['mtu', 'transform', 'size', 'df', 'device.nat.privateIp'],
  'ttl-expired': ['ttl', 'routes'],
  replay: ['inject', 'replayWindow'],
  'icv-mismatch': ['inject'],
  'unknown-spi': ['inject', ...IKE_FIELDS],
};

/** How a removed or added entry of a list field relates to the packet. */
interface Coverage {
  readonly removed: readonly string[];
  readonly added: readonly string[];
}

/** Whether entry `entry` of list field `field` covers the packet (an access-list line in either direction; a prefix at either end). */
function entryCovers(field: string, entry: string, p: { src: number; dst: number }): boolean {
  if (field.endsWith('accessList')) {
    const r = parseAclLine(entry);
    if (!r.ok) return false;
    const e = r.entry;
    const within = (s: number, d: number): boolean => contains(e.src.addr, e.src.len, s) && contains(e.dst.addr, e.dst.len, d);
    return within(p.src, p.dst) || within(p.dst, p.src);
  }
  for (const m of entry.matchAll(/\d+\.\d+\.\d+\.\d+\/\d+/g)) {
    const q = parsePrefix(m[0]);
    if (q.ok && (contains(q.value.addr, q.value.len, p.src) || contains(q.value.addr, q.value.len, p.dst))) return true;
  }
  return false;
}

function coverage(l: LocatedChange, p: { src: number; dst: number } | undefined): Coverage {
  const c = l.change;
  if (p && c.change !== 'changed') {
    const covering = (l.prefixes ?? []).filter((x) => entryCovers('', x, p));
    return c.change === 'added' ? { removed: [], added: covering } : { removed: covering, added: [] };
  }
  if (!p || !c.field) return { removed: [], added: [] };
  const f = c.field;
  const scalar = (v: string | undefined): string[] => (v !== undefined && entryCovers(f, v, p) ? [v] : []);
  return {
    removed: [...(c.removed ?? []).filter((x) => entryCovers(f, x, p)), ...scalar(c.before)],
    added: [...(c.added ?? []).filter((x) => entryCovers(f, x, p)), ...scalar(c.after)],
  };
}

function score(l: LocatedChange, ctx: DifferenceContext): number {
  const c = l.change;
  let s = 0;
  const cov = coverage(l, ctx.packet);
  if (cov.removed.length > 0 || cov.added.length > 0) s += 4;
  const field = c.field ?? '';
  const fields = ctx.reasons.length > 0 ? ctx.reasons.flatMap((r) => REASON_FIELDS[r] ?? []) : ROUTE_FIELDS;
  if (field !== '' && fields.includes(field)) s += 3;
  if (ctx.ike !== undefined && field !== '' && IKE_FIELDS.includes(field)) s += 3;
  if (ctx.connections.some((n) => l.touches.connections.has(n))) s += 2;
  if (ctx.nodes.some((n) => l.touches.names.has(n) || l.touches.names.has(n.split('/')[0]!))) s += 2;
  if (c.kind === 'flow' && ctx.flow !== undefined) s = c.name === ctx.flow ? s + 6 : 0;
  // An object added or removed whole explains a path through it only when something ties it there.
  if (c.change !== 'changed' && s < 4) s = Math.min(s, 1);
  return s;
}

function addressText(p: { src: number; dst: number }): string {
  return `${formatIPv4(p.src)} → ${formatIPv4(p.dst)}`;
}

/** The sentence naming change `l` as the cause, for the packet when there is one. */
function sentence(l: LocatedChange, ctx: DifferenceContext): string {
  const c = l.change;
  const owner = objectTitle(c.kind, c.name);
  const cov = coverage(l, ctx.packet);
  const p = ctx.packet;
  const whole = [...cov.removed, ...cov.added];
  if (p && c.change !== 'changed' && whole.length > 0) {
    const held = [p.src, p.dst].filter((a) => whole.some((x) => entryCovers('', x, { src: a, dst: a }))).map(formatIPv4).join(' and ');
    return `${owner} ${c.change}, which ${c.change === 'added' ? 'covers' : 'covered'} ${held} (${whole.join(', ')})`;
  }
  const ike = ctx.ike && IKE_FIELDS.includes(c.field ?? '') ? `; ${ctx.ike}` : '';
  const own = c.text.startsWith(`${owner}: `) ? `${owner}'s ${c.text.slice(owner.length + 2)}` : c.text;
  if (!p || !c.field || (cov.removed.length === 0 && cov.added.length === 0)) return own + ike;
  const field = c.field === 'device.accessList' ? 'device access list' : c.field;
  const quoted = (xs: readonly string[]): string => xs.map((x) => (c.field!.endsWith('accessList') ? `"${x}"` : x)).join(', ');
  const changes = [cov.removed.length > 0 ? `${quoted(cov.removed)} removed` : '', cov.added.length > 0 ? `${quoted(cov.added)} added` : ''].filter((x) => x !== '').join(', ');
  const what = c.field.endsWith('accessList') ? addressText(p) : [p.src, p.dst].filter((a) => [...cov.removed, ...cov.added].some((x) => entryCovers(c.field!, x, { src: a, dst: a }))).map(formatIPv4).join(' and ');
  const covers = field.endsWith('s') ? 'cover' : 'covers';
  if (cov.added.length === 0) return `${owner}'s ${field} no longer ${covers} ${what} (${changes})`;
  if (cov.removed.length === 0) return `${owner}'s ${field} now ${covers} ${what} (${changes})`;
  return `${owner}'s ${field} ${covers} ${what} with ${quoted(cov.added)} instead of ${quoted(cov.removed)}`;
}

/** The change that best explains the difference, or null when none is tied to it. */
export function responsibleChange(changes: readonly LocatedChange[], ctx: DifferenceContext): Responsible | null {
  let best: LocatedChange | null = null;
  let bestScore = 1;
  for (const l of changes) {
    const s = score(l, ctx);
    if (s > bestScore) {
      best = l;
      bestScore = s;
    }
  }
  return best ? { change: best.change, text: sentence(best, ctx) } : null;
}
