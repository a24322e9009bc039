/**
 * Compare the simulator's batch path (runScenario, every packet traced) with the reference
 * forwarder (forward-reference.ts), packet by packet: the outcome, the drop reason, the
 * node and stage where it ended, the connections it crossed, and every hop (node, stage,
 * and what the hop chose: route prefix, selector entry, SA, ESP packets, wire bytes and
 * the inner TTL);
 * and the outcome of every tampering (`inject:`). Only the public API and its events are
 * read, so the comparison holds however the data plane is built.
 */
import { CollectSink, runScenario } from '../../sim/index.js';
import type { EndEvent, HopEvent, InjectEvent, RunOptions, Scenario } from '../../sim/index.js';
import { referenceRun } from './forward-reference.js';
import type { RefEnd, RefHop, RefInject, RefPacket } from './forward-reference.js';

/** One packet (or the list of injections) on which the two disagree. */
export interface Disagreement {
  /** The flow of the packet ('' for the list of injections). */
  readonly flow: string;
  /** Both results, hop by hop, printable. */
  readonly text: string;
  /**
   * It involves state that packets share and that the batch path updates in its own
   * order within a batch: a SKU bucket (rate-limit on either side), an anti-replay window
   * (replay), or a tampered packet (`inject:`, on either side).
   */
  readonly shared: boolean;
}

export interface Comparison {
  /** Packets compared. */
  readonly packets: number;
  /** Packets per outcome and per drop reason (what the run exercised). */
  readonly outcomes: Record<string, number>;
  readonly disagreements: Disagreement[];
}

function simHop(e: HopEvent): RefHop {
  return {
    node: e.node, stage: e.stage,
    ...(e.sa ? { sa: e.sa.name, esp: `${e.sa.espPackets}x${e.sa.sizeAfter}, ttl ${/\bttl (\d+)/.exec(e.sa.innerHeader ?? '')?.[1]}` } : {}),
    ...(e.route ? { route: e.route.prefix } : {}),
    ...(e.selector ? { selector: e.selector.index } : {}),
  };
}

function simEnd(e: EndEvent): RefEnd {
  return { type: e.type, node: e.node, stage: e.stage, via: e.via, ...(e.reason ? { reason: e.reason } : {}) };
}

function hopText(h: RefHop): string {
  const what = [h.route && `route ${h.route}`, h.selector !== undefined && `entry ${h.selector}`, h.sa && `SA ${h.sa} ${h.esp}`].filter(Boolean).join(', ');
  return `${h.node} ${h.stage}${what ? ` (${what})` : ''}`;
}

function endText(e: RefEnd | undefined): string {
  if (!e) return '(no end event)';
  return `${e.type}${e.reason ? ` ${e.reason}` : ''} at ${e.node} (${e.stage})${e.via.length ? ` via ${e.via.join(', ')}` : ''}`;
}

function injectKey(x: RefInject): string {
  return `${x.flow}#${x.packet} ${x.action} ${x.result}${x.reason ? ` ${x.reason}` : ''}`;
}

export interface CompareOptions {
  /** The run's batch size (default: runScenario's). */
  readonly batchSize?: number;
  /**
   * Packets traced per flow (the first N), compared hop by hop; every packet is compared
   * in its flow's summary. Default: all.
   */
  readonly traceLimit?: number;
  /** Also compare the scalar path's flow summaries (RunOptions.path 'scalar': packets one at a time). */
  readonly scalar?: boolean;
  /** Receives the traced run's counts of what ran (RunOptions.stats). */
  readonly stats?: RunOptions['stats'];
}

/**
 * Run `s` through the simulator and the reference and compare; `label` names the scenario
 * in messages. The simulator runs twice: every packet traced (hop by hop), and untraced
 * (the per-flow summary: sent, delivered, dropped by reason, internet, connections crossed),
 * since tracing is a view on the same path and must not change what it decides; with
 * `scalar`, a third time on the scalar path (the bench's baseline), by flow summary.
 */
export function compareWithReference(s: Scenario, label: string, opts: CompareOptions = {}): Comparison {
  const sink = new CollectSink();
  const batch = opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {};
  const traceLimit = opts.traceLimit ?? Number.MAX_SAFE_INTEGER;
  runScenario(s, { sink, traceLimit, ...batch, ...(opts.stats ? { stats: opts.stats } : {}) });
  const untraced = runScenario(s, batch);
  const runs = [{ name: 'untraced run', flows: untraced.flows }, ...(opts.scalar ? [{ name: 'scalar path', flows: runScenario(s, { path: 'scalar' }).flows }] : [])];
  const hops = new Map<string, RefHop[]>();
  const ends = new Map<string, RefEnd>();
  const simInjects: RefInject[] = [];
  for (const e of sink.events) {
    if (e.type === 'hop') {
      const k = `${e.flow}#${e.packet}`;
      const list = hops.get(k) ?? [];
      list.push(simHop(e));
      hops.set(k, list);
    } else if (e.type === 'delivered' || e.type === 'dropped' || e.type === 'internet') {
      ends.set(`${e.flow}#${e.packet}`, simEnd(e));
    } else if (e.type === 'inject') {
      const x = e as InjectEvent;
      simInjects.push({ flow: x.flow, packet: x.packet, action: x.action, result: x.result, ...(x.reason ? { reason: x.reason } : {}) });
    }
  }

  const ref = referenceRun(s);
  const disagreements: Disagreement[] = [];
  const tampered = new Set([...simInjects, ...ref.injects].map((x) => `${x.flow}#${x.packet}`));
  const outcomes: Record<string, number> = {};
  const seen = new Set<string>();
  for (const p of ref.packets) {
    const k = `${p.flow}#${p.packet}`;
    seen.add(k);
    const kind = p.end.type === 'dropped' ? `dropped ${p.end.reason}` : p.end.type;
    outcomes[kind] = (outcomes[kind] ?? 0) + 1;
    if (p.packet > traceLimit) continue;
    const mine = hops.get(k) ?? [];
    const end = ends.get(k);
    if (JSON.stringify(mine) !== JSON.stringify(p.hops) || JSON.stringify(end) !== JSON.stringify(p.end)) {
      const shared = tampered.has(k) || [end?.reason, p.end.reason].some((r) => r === 'rate-limit' || r === 'replay');
      disagreements.push({ flow: p.flow, text: describe(label, s, p, mine, end), shared });
    }
  }
  for (const k of ends.keys()) {
    if (!seen.has(k)) disagreements.push({ flow: k.slice(0, k.lastIndexOf('#')), text: `${label}: packet ${k} ended in the simulator (${endText(ends.get(k))}) but the reference never sent it`, shared: false });
  }
  // The untraced run, flow by flow, against the reference's tallies.
  const sharedFlows = new Set([...tampered].map((k) => k.slice(0, k.lastIndexOf('#'))));
  for (const d of disagreements) if (d.shared) sharedFlows.add(d.flow);
  for (const run of runs) {
    run.flows.forEach((got, fi) => {
      const want = tally(ref.packets.filter((p) => p.flow === s.traffic[fi]!.id));
      const have = { sent: got.sent, delivered: got.delivered, dropped: got.dropped, internet: got.internet, dropReasons: got.dropReasons, via: got.via };
      if (JSON.stringify(sorted(have)) === JSON.stringify(sorted(want))) return;
      const reasons = Object.keys({ ...got.dropReasons, ...want.dropReasons });
      disagreements.push({
        flow: got.id,
        text: `${label}: flow ${got.id}, ${run.name}\n  simulator: ${JSON.stringify(sorted(have))}\n  reference: ${JSON.stringify(sorted(want))}`,
        shared: sharedFlows.has(got.id) || reasons.includes('rate-limit') || reasons.includes('replay'),
      });
    });
  }
  const a = simInjects.map(injectKey).sort();
  const b = ref.injects.map(injectKey).sort();
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    disagreements.push({ flow: '', text: `${label}: injections differ\n  simulator: ${a.join('; ') || 'none'}\n  reference: ${b.join('; ') || 'none'}`, shared: true });
  }
  return { packets: ref.packets.length, outcomes, disagreements };
}

/** A flow's summary as runScenario gives it, from the reference's packets. */
function tally(packets: readonly RefPacket[]) {
  const dropReasons: Record<string, number> = {};
  const via: Record<string, number> = {};
  let delivered = 0;
  let dropped = 0;
  let internet = 0;
  for (const p of packets) {
    if (p.end.type === 'delivered') delivered++;
    else if (p.end.type === 'internet') internet++;
    else {
      dropped++;
      dropReasons[p.end.reason ?? ''] = (dropReasons[p.end.reason ?? ''] ?? 0) + 1;
    }
    for (const c of p.end.via) via[c] = (via[c] ?? 0) + 1;
  }
  return { sent: packets.length, delivered, dropped, internet, dropReasons, via };
}

/** Keys of the nested records in order, for comparing as JSON. */
function sorted<T extends { dropReasons: Record<string, number>; via: Record<string, number> }>(x: T): T {
  const order = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
  return { ...x, dropReasons: order(x.dropReasons), via: order(x.via) };
}

function describe(label: string, s: Scenario, p: RefPacket, sim: readonly RefHop[], end: RefEnd | undefined): string {
  const f = s.traffic.find((x) => x.id === p.flow);
  const pkt = f ? `${f.from} → ${f.to} ${f.proto}${f.dport !== undefined ? ` port ${f.dport}` : ''}, ${f.size} bytes, ttl ${f.ttl}${f.df ? ', DF' : ''}` : '';
  const n = Math.max(sim.length, p.hops.length);
  const rows: string[] = [];
  for (let k = 0; k < n; k++) {
    const a = sim[k] ? hopText(sim[k]!) : '-';
    const b = p.hops[k] ? hopText(p.hops[k]!) : '-';
    rows.push(`    ${String(k + 1).padStart(2)} ${a === b ? ' ' : '≠'} ${a.padEnd(60)} | ${b}`);
  }
  return [
    `${label}: flow ${p.flow} packet ${p.packet} at t=${p.t}s: ${pkt}`,
    `    hops: simulator${' '.repeat(53)}| reference`,
    ...rows,
    `    end:  simulator ${endText(end)}`,
    `          reference ${endText(p.end)}`,
  ].join('\n');
}
