/**
 * Two scenarios side by side: run each on its own traffic (flows matched by id), then list
 * the flows whose outcome or path changed, the first hop that differs, the IKE statuses
 * that changed, the configuration changes, and for each difference the change that
 * explains it (responsible.ts). The review of a configuration change as one call.
 *
 * A flow's outcome is its packets' counts (delivered, to the internet, dropped by reason)
 * over every packet; its path is compared packet by packet over the traced packets (the
 * first `traceLimit` of each flow), hop by hop in the trace's own words.
 */
import type { CryptoBackend } from '../../ipsec/crypto.js';
import { parseIPv4 } from '../../net/ipv4.js';
import { runScenario } from '../run.js';
import type { ExpectationResult, FlowSummary, RunResult } from '../run.js';
import type { Scenario } from '../types.js';
import type { Diagnostic } from '../diagnostics.js';
import type { IkeConnectionSummary } from '../../gateway/ike-summary.js';
import { configChanges } from './config-changes.js';
import type { ConfigChange, LocatedChange } from './config-changes.js';
import { endKey, hopKey, PathSink } from './flow-paths.js';
import type { EndView, HopView, PacketPath } from './flow-paths.js';
import { responsibleChange } from './responsible.js';
import type { DifferenceContext, Responsible } from './responsible.js';

export type { ConfigChange, ObjectKind } from './config-changes.js';
export type { EndView, HopView } from './flow-paths.js';
export type { Responsible } from './responsible.js';

export interface DiffOptions {
  readonly crypto: CryptoBackend;
  /** Packets traced per flow and compared hop by hop (default 1000); every packet is counted. */
  readonly traceLimit?: number;
  /** Run both scenarios with this seed instead of their own. */
  readonly seed?: number;
  /** Each scenario's warnings (its diagnostics of severity warning), to list those that appeared or went. */
  readonly warnings?: { readonly a: readonly Diagnostic[]; readonly b: readonly Diagnostic[] };
}

/** One outcome of a flow's packets whose count changed: `delivered`, `internet` or `dropped REASON`. */
export interface OutcomeCount {
  readonly outcome: string;
  readonly before: number;
  readonly after: number;
}

/** A packet's path from its first differing hop on, in one run. */
export interface PathTail {
  readonly hops: readonly HopView[];
  readonly end: EndView | null;
}

/** The first traced packet whose path differs, and where. */
export interface FirstDifference {
  readonly packet: number;
  /** 1-based hop number of the first hop that differs (one past the last hop when only the end differs). */
  readonly hop: number;
  readonly before: PathTail;
  readonly after: PathTail;
  /** Of the packets traced in both runs (`traced`), how many took a different path. */
  readonly packets: number;
  readonly traced: number;
}

export interface FlowDiff {
  readonly id: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** The outcome in words in each run (null: the flow is not in that run). */
  readonly before: string | null;
  readonly after: string | null;
  readonly sent: { readonly before: number; readonly after: number };
  /** The outcomes whose packet counts changed. */
  readonly counts: readonly OutcomeCount[];
  readonly first: FirstDifference | null;
  readonly responsible: Responsible | null;
  /** The difference in one sentence. */
  readonly text: string;
}

export interface IkeDiff {
  readonly connection: string;
  /** Batfish's status name from the gateway's side, and from the peer's (null: nothing decided, or no such connection). */
  readonly before: string | null;
  readonly after: string | null;
  readonly peerBefore: string | null;
  readonly peerAfter: string | null;
  /** The second run's status detail ('' when the connection is only in the first). */
  readonly detail: string;
  readonly responsible: Responsible | null;
  readonly text: string;
}

export interface ScenarioDiff {
  readonly a: { readonly file: string; readonly name: string; readonly seed: number };
  readonly b: { readonly file: string; readonly name: string; readonly seed: number };
  /** Flows added, removed, or whose outcome or path changed, in the first scenario's order, then the added ones. */
  readonly flows: readonly FlowDiff[];
  /** Flows in both runs with the same outcome and paths. */
  readonly unchanged: readonly string[];
  readonly ike: readonly IkeDiff[];
  readonly config: readonly ConfigChange[];
  /**
   * Each run's expectations passed and failed, and the expectations whose result changed (a
   * flow's k-th `expect:` entry in one file is matched with its k-th in the other), with the
   * second run's words; an expectation only in one file is not listed.
   */
  readonly expectations: {
    readonly before: { readonly passed: number; readonly failed: number };
    readonly after: { readonly passed: number; readonly failed: number };
    readonly changed: readonly ExpectationResult[];
  };
  /** Warnings only the second scenario has (appeared) and only the first had (gone), compared by code and message. */
  readonly warnings: { readonly appeared: readonly Diagnostic[]; readonly gone: readonly Diagnostic[] };
  /** Whether anything differs (a flow, an IKE status, the configuration, a warning). */
  readonly differs: boolean;
}

/** A flow's outcome in words: `delivered via to-hq`, `2 delivered, 3 dropped rate-limit via to-east`, `to the internet`. */
export function outcomeText(f: FlowSummary): string {
  const all = (n: number): string => (n === f.sent ? '' : `${n} `);
  const parts: string[] = [];
  if (f.delivered > 0) parts.push(`${all(f.delivered)}delivered`);
  if (f.internet > 0) parts.push(`${all(f.internet)}to the internet`);
  for (const [r, n] of Object.entries(f.dropReasons)) parts.push(`${all(n)}dropped ${r}`);
  if (parts.length === 0) parts.push('no packets sent');
  const via = Object.keys(f.via);
  return parts.join(', ') + (via.length > 0 ? ` via ${via.join(', ')}` : '');
}

function outcomeCounts(f: FlowSummary): Map<string, number> {
  const m = new Map<string, number>([['delivered', f.delivered], ['internet', f.internet]]);
  for (const [r, n] of Object.entries(f.dropReasons)) m.set(`dropped ${r}`, n);
  return m;
}

function changedCounts(a: FlowSummary, b: FlowSummary): OutcomeCount[] {
  const ca = outcomeCounts(a);
  const cb = outcomeCounts(b);
  const out: OutcomeCount[] = [];
  for (const k of new Set([...ca.keys(), ...cb.keys()])) {
    const before = ca.get(k) ?? 0;
    const after = cb.get(k) ?? 0;
    if (before !== after) out.push({ outcome: k, before, after });
  }
  return out;
}

/** How many hops two paths share from the start (their length when they are the same path, ends included). */
function samePrefix(a: PacketPath, b: PacketPath): number {
  const n = Math.max(a.hops.length, b.hops.length);
  let i = 0;
  while (i < n && a.hops[i] !== undefined && b.hops[i] !== undefined && hopKey(a.hops[i]!) === hopKey(b.hops[i]!)) i++;
  return i === n && endKey(a.end) === endKey(b.end) ? -1 : i;
}

/** The first packet traced in both runs whose hops or end differ, and how many of those packets differ. */
function firstDifference(pa: readonly PacketPath[], pb: readonly PacketPath[]): FirstDifference | null {
  const byPacket = new Map(pb.map((p) => [p.packet, p]));
  let first: Omit<FirstDifference, 'packets' | 'traced'> | null = null;
  let packets = 0;
  let traced = 0;
  for (const a of pa) {
    const b = byPacket.get(a.packet);
    if (!b) continue;
    traced++;
    const i = samePrefix(a, b);
    if (i < 0) continue;
    packets++;
    first ??= {
      packet: a.packet, hop: i + 1,
      before: { hops: a.hops.slice(i), end: a.end },
      after: { hops: b.hops.slice(i), end: b.end },
    };
  }
  return first ? { ...first, packets, traced } : null;
}

/** The nodes where a tail starts and ends: where the paths part and where this one ended. */
function tailNodes(t: PathTail): string[] {
  return [...t.hops.slice(0, 1).map((h) => h.node), ...(t.end ? [t.end.node] : [])];
}

/** The connections a tail crosses. */
function tailConnections(t: PathTail): string[] {
  return [...t.hops.flatMap((h) => (h.connection ? [h.connection] : [])), ...(t.end?.via ?? [])];
}

/** The inner addresses of traced packet `packet` (else the first traced one) of a flow. */
function packetOf(paths: readonly PacketPath[], packet: number | undefined): { src: number; dst: number } | undefined {
  const p = paths.find((x) => x.packet === packet) ?? paths[0];
  if (!p) return undefined;
  const src = parseIPv4(p.src);
  const dst = parseIPv4(p.dst);
  return src.ok && dst.ok ? { src: src.value, dst: dst.value } : undefined;
}

/** One run's result, its flows by id and its traced paths. */
interface RunSide {
  readonly result: RunResult;
  readonly flows: ReadonlyMap<string, FlowSummary>;
  readonly paths: PathSink;
}

function run(s: Scenario, opts: DiffOptions): RunSide {
  const paths = new PathSink();
  const result = runScenario(opts.seed !== undefined ? { ...s, seed: opts.seed } : s, { sink: paths, traceLimit: opts.traceLimit ?? 1000, crypto: opts.crypto });
  return { result, flows: new Map(result.flows.map((f) => [f.id, f])), paths };
}

function flowDiff(id: string, a: RunSide, b: RunSide, changes: readonly LocatedChange[], ikeChanged: ReadonlyMap<string, IkeDiff>): FlowDiff | null {
  const sa = a.flows.get(id);
  const sb = b.flows.get(id);
  const pa = a.paths.paths(id);
  const pb = b.paths.paths(id);
  if (!sa || !sb) {
    // The flow's own entry in the configuration changes says it was added or removed: nothing else to find.
    return {
      id, change: sa ? 'removed' : 'added', before: sa ? outcomeText(sa) : null, after: sb ? outcomeText(sb) : null,
      sent: { before: sa?.sent ?? 0, after: sb?.sent ?? 0 }, counts: [], first: null, responsible: null,
      text: sa ? `flow ${id} removed (it was ${outcomeText(sa)})` : `flow ${id} added: ${outcomeText(sb!)}`,
    };
  }
  const counts = changedCounts(sa, sb);
  const first = firstDifference(pa, pb);
  if (counts.length === 0 && first === null && sa.sent === sb.sent) return null;
  const connections = [...new Set([...Object.keys(sa.via), ...Object.keys(sb.via), ...(first ? [...tailConnections(first.before), ...tailConnections(first.after)] : [])])];
  const reasons = [
    ...counts.flatMap((c) => (c.outcome.startsWith('dropped ') ? [c.outcome.slice(8)] : [])),
    ...(first ? [first.before.end?.reason, first.after.end?.reason].filter((r): r is string => r !== undefined) : []),
  ];
  const ctx: DifferenceContext = {
    nodes: first ? [...tailNodes(first.before), ...tailNodes(first.after)] : [],
    connections, reasons: [...new Set(reasons)], flow: id, ...ikeOf(connections, ikeChanged),
    ...opt(packetOf(pa, first?.packet) ?? packetOf(pb, first?.packet)),
  };
  const responsible = responsibleChange(changes, ctx);
  const before = outcomeText(sa);
  const after = outcomeText(sb);
  const endB = first?.after.end;
  const at = endB && endB.type === 'dropped' ? ` at ${endB.node}` : '';
  const headline = before !== after ? `${before} → ${after}${at}`
    : first ? `${before}, path changed at hop ${first.hop}${first.after.hops[0] ? ` (${first.after.hops[0].node} ${first.after.hops[0].stage})` : ''}`
    : `${before}, ${sa.sent} → ${sb.sent} packets sent`;
  return {
    id, change: 'changed', before, after, sent: { before: sa.sent, after: sb.sent }, counts, first, responsible,
    text: `flow ${id}: ${headline}${responsible ? `: ${responsible.text}` : ''}`,
  };
}

/** How IKE changed on the first of `connections` whose status did, for a DifferenceContext. */
function ikeOf(connections: readonly string[], ike: ReadonlyMap<string, IkeDiff>): { ike?: string } {
  const d = connections.map((c) => ike.get(c)).find((x) => x !== undefined);
  return d ? { ike: `IKE on ${d.connection} ${d.before ?? 'not negotiated'} → ${d.after ?? 'not negotiated'}` } : {};
}

function opt(packet: { src: number; dst: number } | undefined): { packet?: { src: number; dst: number } } {
  return packet ? { packet } : {};
}

function ikeDiffs(a: RunResult, b: RunResult, changes: readonly LocatedChange[]): IkeDiff[] {
  const byA = new Map(a.ike.map((c) => [c.connection, c]));
  const byB = new Map(b.ike.map((c) => [c.connection, c]));
  const out: IkeDiff[] = [];
  for (const name of new Set([...byA.keys(), ...byB.keys()])) {
    const x = byA.get(name);
    const y = byB.get(name);
    const before = x?.status ?? null;
    const after = y?.status ?? null;
    const peerBefore = x?.peerStatus ?? null;
    const peerAfter = y?.peerStatus ?? null;
    if (x && y && before === after && peerBefore === peerAfter) continue;
    const responsible = responsibleChange(changes, { nodes: [], connections: [name], reasons: [], ike: '' });
    // A status not decided is named as vgw run names it: nothing sent yet, or no answer yet.
    const word = (st: string | null, c: IkeConnectionSummary | undefined): string => (!c ? '(no connection)' : st ?? (c.messages === 0 ? 'not negotiated' : 'negotiating'));
    const peer = peerBefore !== peerAfter && x && y ? ` (peer ${word(peerBefore, x)} → ${word(peerAfter, y)})` : '';
    out.push({
      connection: name, before, after, peerBefore, peerAfter, detail: y?.detail ?? '', responsible,
      text: `connection ${name}: ${word(before, x)} → ${word(after, y)}${peer}${responsible ? `: ${responsible.text}` : ''}`,
    });
  }
  return out;
}

/** The warnings only `b` has and only `a` had, compared by code and message (their positions move with any edit above them). */
function warningDiff(a: readonly Diagnostic[], b: readonly Diagnostic[]): ScenarioDiff['warnings'] {
  const said = (x: Diagnostic): string => `${x.code} ${x.message}`;
  const inA = new Set(a.map(said));
  const inB = new Set(b.map(said));
  return { appeared: b.filter((x) => !inA.has(said(x))), gone: a.filter((x) => !inB.has(said(x))) };
}

/** Each run's expectation counts, and the expectations whose result changed (see ScenarioDiff.expectations). */
function expectationDiff(a: RunResult, b: RunResult): ScenarioDiff['expectations'] {
  const keyed = (rs: readonly ExpectationResult[]): Map<string, ExpectationResult> => {
    const seen = new Map<string, number>();
    return new Map(rs.map((r) => {
      const k = seen.get(r.flow) ?? 0;
      seen.set(r.flow, k + 1);
      return [`${r.flow}#${k}`, r];
    }));
  };
  const inA = keyed(a.expectations);
  const changed = [...keyed(b.expectations)].filter(([k, r]) => inA.has(k) && inA.get(k)!.passed !== r.passed).map(([, r]) => r);
  return { before: { passed: a.passed, failed: a.failed }, after: { passed: b.passed, failed: b.failed }, changed };
}

/** Run `a` and `b` (both checked: no error diagnostics) and compare them. */
export function diffScenarios(a: Scenario, b: Scenario, opts: DiffOptions): ScenarioDiff {
  const ra = run(a, opts);
  const rb = run(b, opts);
  const changes = configChanges(a, b);
  const ike = ikeDiffs(ra.result, rb.result, changes);
  const ikeChanged = new Map(ike.map((d) => [d.connection, d]));
  const ids = [...new Set([...a.traffic.map((f) => f.id), ...b.traffic.map((f) => f.id)])];
  const flows: FlowDiff[] = [];
  const unchanged: string[] = [];
  for (const id of ids) {
    const d = flowDiff(id, ra, rb, changes, ikeChanged);
    if (d) flows.push(d);
    else unchanged.push(id);
  }
  const seedOf = (s: Scenario): number => opts.seed ?? s.seed;
  const warnings = warningDiff(opts.warnings?.a ?? [], opts.warnings?.b ?? []);
  return {
    a: { file: a.file, name: a.name, seed: seedOf(a) },
    b: { file: b.file, name: b.name, seed: seedOf(b) },
    flows, unchanged, ike, config: changes.map((c) => c.change), expectations: expectationDiff(ra.result, rb.result), warnings,
    differs: flows.length > 0 || ike.length > 0 || changes.length > 0 || warnings.appeared.length > 0 || warnings.gone.length > 0,
  };
}
