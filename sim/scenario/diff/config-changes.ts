/**
 * What changed between two scenarios, object by object: every named object (VNet, subnet,
 * gateway, site, connection, circuit, flow) is written as a flat table of its fields in
 * the document's own key paths (`device.accessList`, `p2s.addressPool`, `bgp.asn`), with
 * list fields as lists of entries; two tables are compared field by field. Shared keys are
 * compared and never shown. Each change remembers which objects it touches (a site's change
 * touches its connections) and its position in the file it is in, for the reader and for
 * finding the change behind a flow's new path (responsible.ts).
 */
import { formatIPv4 } from '../../net/ipv4.js';
import type { Prefix } from '../../net/ipv4.js';
import { positionOf } from '../types.js';
import type { Connection, DeviceIkeSettings, Gateway, Scenario, Site } from '../types.js';

export type ObjectKind = 'scenario' | 'vnet' | 'subnet' | 'gateway' | 'site' | 'connection' | 'circuit' | 'flow';

/** One change of the configuration: an object added or removed, or one field of it changed. */
export interface ConfigChange {
  readonly change: 'added' | 'removed' | 'changed';
  readonly kind: ObjectKind;
  /** The object's name (a subnet: `VNET/SUBNET`; the scenario itself: ''). */
  readonly name: string;
  /** The changed field as a key path in the document (`sku`, `device.accessList`); absent for an added or removed object. */
  readonly field?: string;
  /** A single value before and after (absent: not set); a shared key shows as `***`. */
  readonly before?: string;
  readonly after?: string;
  /** A list field: the entries only in the first scenario, and those only in the second. */
  readonly removed?: readonly string[];
  readonly added?: readonly string[];
  /** Where it is: in the second scenario's file, or the first's for a removed object. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The change in words. */
  readonly text: string;
}

/** The names of the objects a change touches, by kind (the object's own name included). */
export interface Touches {
  readonly names: ReadonlySet<string>;
  readonly connections: ReadonlySet<string>;
}

/** A change and what it touches (internal to the diff). */
export interface LocatedChange {
  readonly change: ConfigChange;
  readonly touches: Touches;
  /** An object added or removed whole: its prefixes (`addressPrefixes: 192.168.0.0/16`), which may cover a packet. */
  readonly prefixes?: readonly string[];
}

/** The fields whose entries are prefixes (or hold them: routes). */
const PREFIX_FIELDS = new Set(['addressSpace', 'addressPrefixes', 'prefix', 'routes', 'device.routes', 'onPremisesPrefixes', 'p2s.addressPool']);

/** The prefix entries of a table, each as `field: entry`. */
function prefixEntries(t: ObjectTable): string[] {
  return [...t.fields].flatMap(([f, v]) => (!PREFIX_FIELDS.has(f) || v === undefined ? [] : (typeof v === 'string' ? [v] : v).map((x) => `${f}: ${x}`)));
}

type FieldValue = string | readonly string[] | undefined;

interface ObjectTable {
  readonly kind: ObjectKind;
  readonly name: string;
  /** The object's path in its document (`sites[0]`). */
  readonly path: string;
  readonly fields: ReadonlyMap<string, FieldValue>;
  readonly touches: Touches;
}

/** Fields whose values are compared and never shown. */
const SECRET_FIELDS = new Set(['sharedKey', 'device.sharedKey']);

const prefixes = (ps: readonly Prefix[]): string[] => ps.map((p) => p.text);
const num = (n: number | undefined): string | undefined => (n === undefined ? undefined : String(n));
const seconds = (n: number | undefined): string | undefined => (n === undefined ? undefined : `${n}s`);

function deviceIkeFields(ike: DeviceIkeSettings | undefined): [string, FieldValue][] {
  if (!ike) return [];
  return [
    ['device.ike.version', num(ike.version)],
    ['device.ike.ikeProposals', ike.ikeProposals?.map((p) => p.text)],
    ['device.ike.espProposals', ike.espProposals?.map((p) => p.text)],
    ['device.ike.dhGroup', num(ike.dhGroup?.id)],
    ['device.ike.pfsGroup', ike.pfsGroup === undefined ? undefined : ike.pfsGroup === 'none' ? 'none' : String(ike.pfsGroup.id)],
    ['device.ike.ikeLifetime', seconds(ike.ikeLifetime)],
    ['device.ike.childLifetime', seconds(ike.childLifetime)],
    ['device.ike.childLifeKilobytes', num(ike.childLifeKilobytes)],
    ['device.ike.dpd', ike.dpd === undefined ? undefined : ike.dpd === 'off' ? 'off' : `${ike.dpd}s`],
    ['device.ike.identity', ike.identity === undefined ? undefined : ike.identity.type === 'ipv4' ? formatIPv4(ike.identity.addr) : ike.identity.name],
    ['device.ike.initiate', ike.initiate === undefined ? undefined : String(ike.initiate)],
    ['device.ike.selectors', ike.selectors?.map((x) => `${x.local.text} ↔ ${x.remote.text}`)],
  ];
}

function touches(names: Iterable<string>, connections: Iterable<string>): Touches {
  return { names: new Set(names), connections: new Set(connections) };
}

function gatewayTable(s: Scenario, g: Gateway): ObjectTable {
  const conns = s.connections.filter((c) => c.gateway === g.name || c.peerGateway === g.name).map((c) => c.name);
  return {
    kind: 'gateway', name: g.name, path: g.path,
    fields: new Map<string, FieldValue>([
      ['vnet', g.vnet], ['type', g.type], ['vpnType', g.vpnType], ['sku', g.sku], ['publicIp', g.publicIpText],
      ['bgp.asn', num(g.bgp?.asn)], ['p2s.addressPool', g.p2s?.addressPool.text],
      ['p2s.clients', g.p2s?.clients.map((c) => `${c.name} (certificate ${c.certificate})`)], ['defaultSite', g.defaultSite],
    ]),
    touches: touches([g.name, g.vnet], conns),
  };
}

function siteTable(s: Scenario, x: Site): ObjectTable {
  const d = x.device;
  const conns = s.connections.filter((c) => c.site === x.name).map((c) => c.name);
  return {
    kind: 'site', name: x.name, path: x.path,
    fields: new Map<string, FieldValue>([
      ['gatewayIp', x.gatewayIpText], ['addressPrefixes', prefixes(x.addressPrefixes)],
      ['hosts', x.hosts.map((h) => `${h.name} ${h.ipText}`)],
      ['device.vpnType', d?.vpnType], ['device.sharedKey', d?.sharedKey], ['device.accessList', d?.accessList?.map((l) => l.text)],
      ['device.routes', d?.routes ? prefixes(d.routes) : undefined], ['device.nat.privateIp', d?.nat?.privateIpText],
      ...deviceIkeFields(d?.ike),
    ]),
    touches: touches([x.name, ...s.connections.filter((c) => c.site === x.name).map((c) => c.gateway)], conns),
  };
}

function connectionTable(c: Connection): ObjectTable {
  return {
    kind: 'connection', name: c.name, path: c.path,
    fields: new Map<string, FieldValue>([
      ['type', c.type], ['gateway', c.gateway], ['site', c.site], ['peerGateway', c.peerGateway], ['circuit', c.circuit],
      ['sharedKey', c.sharedKey], ['mtu', num(c.mtu)], ['transform', c.transform], ['replayWindow', num(c.replayWindow)],
    ]),
    touches: touches([c.name, c.gateway, ...[c.site, c.peerGateway, c.circuit].filter((n): n is string => n !== undefined)], [c.name]),
  };
}

/** Every named object of `s` as a table of fields. */
function objectTables(s: Scenario): ObjectTable[] {
  const fault = (f: Scenario['faults'][number]): string => `at ${f.at}s ${f.connection ? `connection ${f.connection}` : `circuit ${f.circuit ?? ''}`} ${f.down ? 'down' : 'up'}`;
  const inject = (x: NonNullable<Scenario['inject']>[number]): string =>
    `at ${x.at}s ${x.action} packet ${x.packet} of connection ${x.connection}${x.direction ? ` ${x.direction}` : ''}${x.byte !== undefined ? ` byte ${x.byte}` : ''}`;
  return [
    {
      kind: 'scenario', name: '', path: '',
      fields: new Map<string, FieldValue>([
        ['edition', s.edition], ['seed', String(s.seed)], ['faults', s.faults.map(fault)], ['inject', (s.inject ?? []).map(inject)],
      ]),
      touches: touches([], [...s.faults, ...(s.inject ?? [])].flatMap((f) => (f.connection ? [f.connection] : []))),
    },
    ...s.vnets.flatMap((v): ObjectTable[] => [
      {
        kind: 'vnet', name: v.name, path: v.path,
        fields: new Map<string, FieldValue>([['addressSpace', prefixes(v.addressSpace)], ['hosts', v.hosts.map((h) => `${h.name} ${h.ipText}`)]]),
        touches: touches([v.name, ...s.gateways.filter((g) => g.vnet === v.name).map((g) => g.name)], []),
      },
      ...v.subnets.map((sn): ObjectTable => ({
        kind: 'subnet', name: `${v.name}/${sn.name}`, path: sn.path,
        fields: new Map<string, FieldValue>([['prefix', sn.prefix.text], ['routes', sn.routes.map((r) => `${r.prefix.text} → ${r.nextHop}`)]]),
        touches: touches([`${v.name}/${sn.name}`, v.name], []),
      })),
    ]),
    ...s.gateways.map((g) => gatewayTable(s, g)),
    ...s.sites.map((x) => siteTable(s, x)),
    ...s.connections.map(connectionTable),
    ...s.circuits.map((c): ObjectTable => ({
      kind: 'circuit', name: c.name, path: c.path,
      fields: new Map<string, FieldValue>([['bandwidth', `${c.bandwidth} bps`], ['onPremisesPrefixes', prefixes(c.onPremisesPrefixes)], ['site', c.site]]),
      touches: touches([c.name, c.site], s.connections.filter((k) => k.circuit === c.name).map((k) => k.name)),
    })),
    ...s.traffic.map((f): ObjectTable => ({
      kind: 'flow', name: f.id, path: f.path,
      fields: new Map<string, FieldValue>([
        ['from', f.from], ['to', f.to], ['proto', f.proto], ['sport', num(f.sport)], ['dport', num(f.dport)], ['size', num(f.size)],
        ['count', num(f.count)], ['start', seconds(f.start)], ['interval', seconds(f.interval)], ['ttl', num(f.ttl)], ['df', String(f.df)],
      ]),
      touches: touches([f.id], []),
    })),
  ];
}

/** `kind name` as a reader names it: `site hq`, `connection gw1-hq`, `the scenario`. */
export function objectTitle(kind: ObjectKind, name: string): string {
  return kind === 'scenario' ? 'the scenario' : `${kind} ${name}`;
}

function shown(field: string, v: string | undefined): string | undefined {
  return v !== undefined && SECRET_FIELDS.has(field) ? '***' : v;
}

/** The changes of one field, or none when it is the same. */
function fieldChange(t: ObjectTable, field: string, a: FieldValue, b: FieldValue): Omit<ConfigChange, 'file' | 'line' | 'column'> | undefined {
  const title = objectTitle(t.kind, t.name);
  if (typeof a !== 'string' && typeof b !== 'string' && (a !== undefined || b !== undefined)) {
    const before: readonly string[] = a ?? [];
    const after: readonly string[] = b ?? [];
    const inBefore = new Set(before);
    const inAfter = new Set(after);
    const removed = before.filter((x) => !inAfter.has(x));
    const added = after.filter((x) => !inBefore.has(x));
    if (removed.length === 0 && added.length === 0) {
      const same = before.join('\n') === after.join('\n');
      if (same && (a === undefined) === (b === undefined)) return undefined;
      // The same entries in another order (an access list's first match changes), or an empty list written or dropped.
      const how = !same ? 'reordered' : a === undefined ? 'written empty' : 'no longer written';
      return {
        change: 'changed', kind: t.kind, name: t.name, field, before: before.join(', '), after: after.join(', '),
        text: `${title}: ${field} ${how} (${before.join(', ') || 'none'} → ${after.join(', ') || 'none'})`,
      };
    }
    const parts = [...removed.map((x) => `removed "${x}"`), ...added.map((x) => `added "${x}"`)];
    return { change: 'changed', kind: t.kind, name: t.name, field, removed, added, text: `${title}: ${field} ${parts.join(', ')}` };
  }
  if (a === b) return undefined;
  const text = (v: FieldValue): string | undefined => (typeof v === 'string' || v === undefined ? v : v.join(', '));
  return scalarChange(t, field, text(a), text(b));
}

function scalarChange(t: ObjectTable, field: string, a: string | undefined, b: string | undefined): Omit<ConfigChange, 'file' | 'line' | 'column'> {
  const title = objectTitle(t.kind, t.name);
  const sa = shown(field, a);
  const sb = shown(field, b);
  const what = SECRET_FIELDS.has(field) && a !== undefined && b !== undefined ? `${field} changed` : `${field} ${sa ?? '(not set)'} → ${sb ?? '(not set)'}`;
  return {
    change: 'changed', kind: t.kind, name: t.name, field,
    ...(sa !== undefined ? { before: sa } : {}), ...(sb !== undefined ? { after: sb } : {}),
    text: `${title}: ${what}`,
  };
}

/** Every change from scenario `a` to scenario `b`, in the order of `a`'s objects, then those only in `b`. */
export function configChanges(a: Scenario, b: Scenario): LocatedChange[] {
  const ta = objectTables(a);
  const tb = objectTables(b);
  const key = (t: ObjectTable): string => `${t.kind} ${t.name}`;
  const inB = new Map(tb.map((t) => [key(t), t]));
  const inA = new Set(ta.map(key));
  const out: LocatedChange[] = [];
  const at = (s: Scenario, path: string): Pick<ConfigChange, 'file' | 'line' | 'column'> => {
    const p = positionOf(s, path);
    return { file: s.file, line: p.line, column: p.column };
  };
  for (const t of ta) {
    const other = inB.get(key(t));
    if (!other) {
      out.push({ change: { change: 'removed', kind: t.kind, name: t.name, ...at(a, t.path), text: `${objectTitle(t.kind, t.name)} removed` }, touches: t.touches, prefixes: prefixEntries(t) });
      continue;
    }
    const fields = [...new Set([...t.fields.keys(), ...other.fields.keys()])];
    for (const f of fields) {
      const c = fieldChange(t, f, t.fields.get(f), other.fields.get(f));
      if (!c) continue;
      // A list's change is shown at its first added entry, else at the list.
      const after = other.fields.get(f);
      const k = c.added && c.added.length > 0 && typeof after !== 'string' && after !== undefined ? after.indexOf(c.added[0]!) : -1;
      const path = `${other.path === '' ? f : `${other.path}.${f}`}${k >= 0 ? `[${k}]` : ''}`;
      // A field the second file no longer writes is shown where the first one wrote it.
      const pathA = t.path === '' ? f : `${t.path}.${f}`;
      const where = !b.positions.has(path) && !b.positions.has(`${other.path}.${f}`) && a.positions.has(pathA) ? at(a, pathA) : at(b, path);
      out.push({ change: { ...c, ...where }, touches: mergeTouches(t.touches, other.touches) });
    }
  }
  for (const t of tb) {
    if (!inA.has(key(t))) out.push({ change: { change: 'added', kind: t.kind, name: t.name, ...at(b, t.path), text: `${objectTitle(t.kind, t.name)} added` }, touches: t.touches, prefixes: prefixEntries(t) });
  }
  return out;
}

function mergeTouches(a: Touches, b: Touches): Touches {
  return touches([...a.names, ...b.names], [...a.connections, ...b.connections]);
}
