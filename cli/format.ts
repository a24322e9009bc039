/**
 * Text output of `vgw run` and `vgw trace`: each flow's packet paths, one line per hop
 * with the decision taken there, identical paths folded, then a summary and the
 * expectations. Pure functions from events and results to lines. Every text from the
 * scenario (the title, hints, names, details that quote them) is escaped where it is put
 * into a line (printable.ts), before the line gets its colours; a hop's decision and a
 * drop's detail show an access-list line's tabs as spaces (traceText).
 */
import type { SimEvent, HopEvent, EndEvent, RunResult, Scenario } from '../sim/index.js';
import { withNotify } from '../sim/index.js';
import { printable, traceText } from './printable.js';
import type { Style } from './style.js';

interface PacketPath {
  readonly packet: number;
  readonly t: number;
  readonly hops: HopEvent[];
  end?: EndEvent;
}

function seconds(t: number): string {
  if (t === 0) return '0s';
  if (t < 1) return `${+(t * 1000).toFixed(3)}ms`;
  return `${+t.toFixed(6)}s`;
}

/** What makes two packets' paths "the same" for folding: hops and decisions, not times or sequence numbers. */
function signature(p: PacketPath): string {
  return p.hops.map((h) => `${h.node}|${h.stage}|${h.decision}`).join('\n') + `\n${p.end?.type}|${p.end?.reason ?? ''}`;
}

function padRight(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** The lines of one packet's path: what `vgw run` shows per group of packets and `vgw trace` for its one packet. */
export function hopLines(path: PacketPath, st: Style): string[] {
  const out: string[] = [];
  const nodeW = Math.max(8, ...path.hops.map((h) => h.node.length));
  for (const h of path.hops) {
    let line = traceText(`    ${String(h.hop).padStart(2)}  ${padRight(h.node, nodeW)}  ${padRight(h.stage, 8)}  ${h.decision}`);
    if (h.route) line += st.dim(traceText(`  [${h.route.source}]`));
    out.push(line);
    const indent = ' '.repeat(4 + 2 + 2 + nodeW + 2 + 8 + 2);
    if (h.beat && h.beat.length) {
      const tie = (b: { prefix: string }) => (h.route && b.prefix === h.route.prefix ? ', same prefix, less preferred' : '');
      out.push(st.dim(traceText(`${indent}beat: ${h.beat.map((b) => `${b.prefix} → ${b.nextHop} [${b.source}${tie(b)}]`).join('; ')}`)));
    }
    if (h.sa && h.stage === 'encrypt') {
      const sa = h.sa;
      const n = sa.espPackets ?? 1;
      out.push(st.dim(traceText(`${indent}inner ${sa.innerHeader}`)));
      out.push(st.dim(traceText(`${indent}outer ${sa.outerHeader}`)));
      out.push(st.dim(`${indent}${sa.sizeBefore} → ${sa.sizeAfter} bytes on the wire (+${sa.overhead} ESP overhead${n > 1 ? ` over ${n} fragments` : ''}), path MTU ${sa.mtu}`));
    } else if (h.sa && h.stage === 'decrypt') {
      const sa = h.sa;
      const n = sa.espPackets ?? 1;
      out.push(st.dim(traceText(`${indent}ESP spi ${sa.spi} seq ${n > 1 ? `${sa.seq}-${(sa.seq ?? 0) + n - 1} (reassembled)` : sa.seq} ${sa.transform}, ${sa.sizeAfter} → ${sa.sizeBefore} bytes`)));
    }
  }
  const e = path.end;
  if (e) {
    const via = e.via.length ? ` via ${e.via.join(', ')}` : '';
    if (e.type === 'delivered') out.push(`    ${st.green('✓ delivered')}${traceText(` to ${e.node}${via}`)}`);
    else if (e.type === 'internet') out.push(`    ${st.cyan('→ internet')}${traceText(`: left the modelled networks in clear text at ${e.node}${via}`)}`);
    else out.push(`    ${st.red(`✗ dropped: ${e.reason}`)}${traceText(` at ${e.node} (${e.stage}): ${e.detail ?? ''}`)}`);
  }
  return out;
}

function ranges(ns: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < ns.length) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j]! + 1) j++;
    parts.push(i === j ? `${ns[i]}` : `${ns[i]}-${ns[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** Group events by flow and packet. */
export function pathsByFlow(events: readonly SimEvent[]): Map<string, PacketPath[]> {
  const byFlow = new Map<string, Map<number, PacketPath>>();
  for (const e of events) {
    if (e.type === 'fault' || e.type === 'inject' || e.type === 'ike') continue;
    let flow = byFlow.get(e.flow);
    if (!flow) byFlow.set(e.flow, (flow = new Map()));
    let p = flow.get(e.packet);
    if (!p) flow.set(e.packet, (p = { packet: e.packet, t: e.t, hops: [] }));
    if (e.type === 'hop') p.hops.push(e);
    else p.end = e;
  }
  const out = new Map<string, PacketPath[]>();
  for (const [k, v] of byFlow) out.set(k, [...v.values()].sort((a, b) => a.packet - b.packet));
  return out;
}

/** The whole text report of a run. */
export function formatRun(s: Scenario, events: readonly SimEvent[], r: RunResult, st: Style, traceLimit: number): string[] {
  const lines: string[] = [];
  lines.push(st.bold(printable(s.name)) + st.dim(`  (seed ${s.seed}, ${s.traffic.length} flow${s.traffic.length === 1 ? '' : 's'}, ESP crypto ${r.crypto})`));
  lines.push(...ikeLines(events, r, st));
  const paths = pathsByFlow(events);
  const faults = events.filter((e) => e.type === 'fault');
  const injects = events.filter((e) => e.type === 'inject');
  for (const f of s.traffic) {
    const sum = r.flows.find((x) => x.id === f.id)!;
    lines.push('');
    const port = f.dport !== undefined ? ` port ${f.dport}` : '';
    lines.push(st.bold(printable(`flow ${f.id}`)) + printable(`: ${f.from} → ${f.to}, ${f.proto}${port}, ${f.count} packet${f.count === 1 ? '' : 's'} of ${f.size} bytes from t=${seconds(f.start)}`));
    for (const fe of faults) {
      if (fe.type === 'fault' && fe.t > f.start && fe.t <= f.start + (f.count - 1) * f.interval) lines.push(st.yellow(printable(`  ! at t=${seconds(fe.t)}: ${fe.note}`)));
    }
    for (const ie of injects) {
      if (ie.flow !== f.id) continue;
      const result = ie.result === 'dropped' ? st.red(`dropped ${ie.reason ?? ''}`) : ie.result === 'delivered' ? st.green('delivered') : ie.result;
      lines.push(st.yellow(printable(`  ! at t=${seconds(ie.t)}: inject ${ie.action} on ${ie.connection} (packet ${ie.packet}, SA ${ie.sa})`)) + ` → ${result}: ${printable(ie.detail)}`);
    }
    const ps = paths.get(f.id) ?? [];
    const groups = new Map<string, PacketPath[]>();
    for (const p of ps) {
      const k = signature(p);
      const g = groups.get(k);
      if (g) g.push(p);
      else groups.set(k, [p]);
    }
    for (const g of groups.values()) {
      const first = g[0]!;
      const others = g.slice(1).map((p) => p.packet);
      lines.push(`  packet ${first.packet} at t=${seconds(first.t)}${others.length ? st.dim(`  (same path: packet${others.length > 1 ? 's' : ''} ${ranges(others)})`) : ''}`);
      lines.push(...hopLines(first, st));
    }
    if (f.count > traceLimit) lines.push(st.dim(`  (paths shown for the first ${traceLimit} packets; all ${f.count} are counted)`));
    const parts = [`${sum.sent} sent`, `${sum.delivered} delivered`];
    if (sum.internet) parts.push(`${sum.internet} to the internet`);
    if (sum.dropped) parts.push(`${sum.dropped} dropped (${Object.entries(sum.dropReasons).map(([k, v]) => `${k} ${v}`).join(', ')})`);
    const via = Object.keys(sum.via);
    lines.push(printable(`  ⇒ ${parts.join(', ')}${via.length ? `; via ${via.join(', ')}` : ''}`));
    if (sum.copies) {
      const c = sum.copies;
      const why = Object.entries(c.dropReasons).map(([k, v]) => `${k} ${v}`).join(', ');
      lines.push(`  ⇒ injected copies: ${c.sent} on the wire, ${c.delivered} accepted, ${c.dropped} dropped${why ? ` (${why})` : ''}`);
    }
  }
  lines.push('');
  lines.push(st.bold('summary'));
  const head = ['flow', 'sent', 'delivered', 'dropped', 'internet', 'via'];
  const rows = r.flows.map((x) => [printable(x.id), String(x.sent), String(x.delivered), String(x.dropped), String(x.internet), printable(Object.keys(x.via).join(', ')) || '-']);
  const w = head.map((h, k) => Math.max(h.length, ...rows.map((row) => row[k]!.length)));
  const fmtRow = (row: string[]) => '  ' + row.map((c, k) => (k === 0 || k === 5 ? padRight(c, w[k]!) : c.padStart(w[k]!))).join('  ').trimEnd();
  lines.push(st.dim(fmtRow(head)));
  for (const row of rows) lines.push(fmtRow(row));
  const counters = Object.entries(r.counters);
  if (counters.length) {
    lines.push('');
    lines.push(st.bold('drops by node and reason'));
    for (const [k, v] of counters) lines.push(`  ${padRight(printable(k), 40)} ${v}`);
  }
  const notApplied = r.injections.filter((x) => x.result === 'not-applied');
  for (const x of notApplied) lines.push(st.yellow(printable(`  ! inject ${x.action} on ${x.connection} never applied: ${x.detail}`)));
  if (r.expectations.length) {
    lines.push('');
    lines.push(st.bold(`expectations: ${r.passed} passed, ${r.failed} failed`));
    for (const e of r.expectations) {
      lines.push(`  ${e.passed ? st.green('✓') : st.red('✗')} ${printable(e.message)}`);
      if (!e.passed && e.hint) lines.push(st.yellow(printable(`    hint: ${e.hint}`)));
    }
  }
  return lines;
}

/** IKE lines shown per connection in the text report; --json and the TUI have every event. */
const IKE_LINES_PER_CONNECTION = 30;

/** A connection's IKE status in words: `IPSEC_SESSION_ESTABLISHED` or the failure with its detail and notify. */
export function ikeStatusText(c: RunResult['ike'][number]): string {
  if (c.status === null) return c.messages === 0 ? 'not negotiated (no traffic needed it)' : 'negotiating (no answer yet)';
  if (c.status === 'IPSEC_SESSION_ESTABLISHED') return c.status;
  return `${c.status}: ${withNotify(c.detail, c.notify)}`;
}

/** One IKE event as a line of the text report, or null for those it leaves to --json (logs, what arrived fine). */
/** An empty INFORMATIONAL exchange: dead peer detection's liveness check (or its answer). */
function isLivenessCheck(e: Extract<SimEvent, { type: 'ike' }>): boolean {
  return (e.action === 'send' || e.action === 'received') && /\bINFORMATIONAL (request|response) \d+ \[ \]/.test(e.text);
}

function ikeLine(e: Extract<SimEvent, { type: 'ike' }>): string | null {
  const words = e.text.replace(/^\S+\s+/, '');
  switch (e.action) {
    case 'send': return `${e.node} → ${e.peer}  ${words}`;
    case 'lost': return `${e.node} → ${e.peer}  ${words}`;
    case 'received': return / dropped, /.test(e.text) ? `${e.node}  ${words}` : null;
    case 'log': return null;
    default: return `${e.node}  ${e.action} ${words}`;
  }
}

/** The IKE section of the text report: each connection's result, then its messages and state changes. */
function ikeLines(events: readonly SimEvent[], r: RunResult, st: Style): string[] {
  if (r.ike.length === 0) return [];
  const lines: string[] = ['', st.bold('IKE')];
  for (const c of r.ike) {
    const ok = c.status === 'IPSEC_SESSION_ESTABLISHED';
    const text = printable(`${c.connection} (IKEv${c.version}): ${ikeStatusText(c)}`);
    lines.push(`  ${ok ? st.green(text) : c.status === null ? st.yellow(text) : st.red(text)}`);
    const own: string[] = [];
    let liveness = 0;
    for (const e of events) {
      if (e.type !== 'ike' || e.connection !== c.connection) continue;
      // Answered liveness checks say only "still there": counted, not listed.
      if (isLivenessCheck(e) && !/retransmit/.test(e.text)) {
        if (e.action === 'send') liveness++;
        continue;
      }
      const l = ikeLine(e);
      if (l !== null) own.push(`    t=${seconds(e.t)}  ${l}`);
    }
    for (const l of own.slice(0, IKE_LINES_PER_CONNECTION)) lines.push(st.dim(printable(l)));
    if (own.length > IKE_LINES_PER_CONNECTION) lines.push(st.dim(`    (${own.length - IKE_LINES_PER_CONNECTION} more: --json or the TUI show every IKE event)`));
    if (liveness > 0) lines.push(st.dim(`    (${liveness} dead peer detection messages not listed)`));
  }
  return lines;
}

/** `vgw sas`: child SAs per connection, in the shape of `swanctl --list-sas`. */
export function formatSas(r: RunResult, st: Style): string[] {
  const lines: string[] = [];
  const byConn = new Map<string, RunResult['tunnels'][number][]>();
  for (const t of r.tunnels) {
    const g = byConn.get(t.connection);
    if (g) g.push(t);
    else byConn.set(t.connection, [t]);
  }
  const hexSpi = (s: string): string => s.replace(/^0x/, '');
  for (const [conn, ts] of byConn) {
    const up = ts.filter((t) => t.established).length;
    const first = ts[0]!;
    lines.push(st.bold(printable(conn)) + `: ${first.local}...${first.remote}, ${up} of ${ts.length} child SA${ts.length === 1 ? '' : 's'} established`);
    const ike = r.ike.find((c) => c.connection === conn);
    if (ike) {
      const ok = ike.status === 'IPSEC_SESSION_ESTABLISHED';
      lines.push(`  IKEv${ike.version}: ${ok ? st.green(ikeStatusText(ike)) : st.red(printable(ikeStatusText(ike)))}; ${ike.messages} messages${ike.lost ? ` (${ike.lost} lost)` : ''}`);
      ike.ikeSas.forEach((x, k) => {
        const current = k === ike.ikeSas.length - 1 ? '' : ' (replaced)';
        lines.push(`  IKE SA #${k + 1}${current}: SPIs ${x.spiI}_i${x.spiR ? ` ${x.spiR}_r` : ''}, ${x.proposal}`);
      });
    }
    for (const t of ts) {
      const state = t.established ? st.green('INSTALLED') : t.state === 'idle' ? st.yellow(printable(`NOT NEGOTIATED (${t.downDetail})`))
        : st.red(printable(`NOT ESTABLISHED at the end of the run (${t.downDetail})`));
      const spis = t.spiIn || t.spiOut ? `ESP SPIs: ${hexSpi(t.spiIn) || '-'}_i ${hexSpi(t.spiOut) || '-'}_o` : 'no ESP SPIs';
      lines.push(`  ${printable(t.name)}: ${state}, TUNNEL, ${spis}, path MTU ${t.mtu}`);
      lines.push(`    ${t.transform}`);
      lines.push(`    in  ${hexSpi(t.spiIn) || '(no SA)'}, ${t.bytesIn} bytes, ${t.packetsIn} packets${t.seqIn ? `, replay window top ${t.seqIn}` : ''}`);
      lines.push(`    out ${hexSpi(t.spiOut) || '(no SA)'}, ${t.bytesOut} bytes, ${t.packetsOut} packets${t.seqOut ? `, last seq ${t.seqOut}` : ''}`);
      lines.push(`    local  ${t.localSelector}`);
      lines.push(`    remote ${t.remoteSelector}`);
    }
  }
  if (lines.length === 0) lines.push('no IPsec SAs in this scenario');
  return lines;
}

/** Greedy word wrap of `text` to lines of at most `width` characters (a longer word gets its own line). */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ' ' + word;
    else {
      out.push(line);
      line = word;
    }
  }
  if (line !== '') out.push(line);
  return out;
}
