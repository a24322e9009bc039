/**
 * Sharded runs: a scenario's flows split over N workers (threads), results merged into
 * exactly what one thread gives. Pure: no threads here; cli/ spawns the workers, each
 * calling `runScenario(s, { shard })`.
 *
 * How it stays exact (see also sim/gateway/esp-plane.ts): every worker moves every packet
 * through the pipeline, so routing, SKU token buckets, TTLs, faults and the sequence
 * numbers each SA hands out are the same in every worker and equal to the single-threaded
 * run; only the ESP bytes (the expensive part) of a flow are built, encrypted, MACed,
 * verified and decrypted by the one worker that owns the flow. Sharding by flow keeps each
 * flow's packets in order on one worker, and since each SA's sequence numbers are global,
 * a worker's receiving SA sees increasing numbers with gaps (the other shards' packets),
 * which anti-replay accepts. What this cannot reproduce, and refuses: injections
 * (duplicate, reorder, corrupt, replay act on the N-th ESP packet of a connection, across
 * flows, and their outcome depends on bytes) and captures (one pcap needs every packet's
 * bytes in one place).
 *
 * Owns: the flow → worker assignment (balanced by bytes to encrypt), the refusal reasons,
 * and the merge of results and events.
 */
import type { EventSink, SimEvent } from '../engine/events.js';
import { compareEventKey, eventKey } from './run.js';
import type { EventKey, RunResult, TunnelSummary } from './run.js';
import type { Scenario } from './types.js';

/** Why `s` cannot be sharded with these options, or null when it can. */
export function shardRefusal(s: Scenario, opts: { readonly capture?: boolean } = {}): string | null {
  if ((s.inject ?? []).length > 0) return 'the scenario has inject: entries, which act on the N-th ESP packet of a connection across flows';
  if (opts.capture) return 'captures (--pcap) need every packet\'s bytes in one place';
  return null;
}

/**
 * Owner worker of each flow (index = flow index): flows sorted by the bytes they send
 * (count × size, the crypto work), largest first, each to the least-loaded worker; ties
 * by flow order. Deterministic.
 */
export function planShards(s: Scenario, workers: number): number[] {
  const n = Math.max(1, Math.floor(workers));
  const load = new Float64Array(n);
  const owner = new Array<number>(s.traffic.length).fill(0);
  const order = s.traffic.map((f, i) => ({ i, w: f.count * f.size })).sort((a, b) => b.w - a.w || a.i - b.i);
  for (const { i, w } of order) {
    let best = 0;
    for (let k = 1; k < n; k++) if (load[k]! < load[best]!) best = k;
    owner[i] = best;
    load[best]! += w;
  }
  return owner;
}

/** The `shard` option of worker `k` for the plan `owner`. */
export function shardOption(owner: readonly number[], k: number): { owned: boolean[]; faults: boolean } {
  return { owned: owner.map((o) => o === k), faults: k === 0 };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Merge the workers' results (index = worker). Outcomes, expectations, counters and SA
 * packet counts are decided by the pipeline, which every worker ran over every packet: they
 * must agree, and a disagreement is a bug (thrown, never hidden). ESP byte counters are
 * summed over the workers that built the bytes; sequence tops are the highest seen.
 */
export function mergeShardResults(results: readonly RunResult[]): RunResult {
  const first = results[0];
  if (!first) throw new Error('no shard results');
  for (const r of results.slice(1)) {
    if (!sameJson(r.flows, first.flows) || !sameJson(r.counters, first.counters) || !sameJson(r.expectations, first.expectations)) {
      throw new Error('sharded run: the workers disagree on outcomes (a bug in sharding)');
    }
  }
  const tunnels: TunnelSummary[] = first.tunnels.map((t, k) => {
    const all = results.map((r) => r.tunnels[k]!);
    const sum = (f: (x: TunnelSummary) => number): number => all.reduce((a, x) => a + f(x), 0);
    return {
      ...t,
      packetsOut: sum((x) => x.packetsOut), bytesOut: sum((x) => x.bytesOut),
      packetsIn: sum((x) => x.packetsIn), bytesIn: sum((x) => x.bytesIn),
      seqIn: Math.max(...all.map((x) => x.seqIn)), seqOut: Math.max(...all.map((x) => x.seqOut)),
    };
  });
  return { ...first, tunnels };
}

/**
 * Merge the workers' event lists into the single-threaded order: by `eventKey` (time,
 * flow order, packet), then worker, then emission order. A packet's events all come from
 * the worker owning its flow, and faults only from worker 0, so no two workers tie.
 */
export function mergeShardEvents(s: Scenario, perWorker: readonly (readonly SimEvent[])[], sink: EventSink): void {
  const key = eventKey(s);
  const all: { e: SimEvent; key: EventKey; w: number; k: number }[] = [];
  perWorker.forEach((events, w) => events.forEach((e, k) => all.push({ e, key: key(e), w, k })));
  all.sort((a, b) => compareEventKey(a.key, b.key) || a.w - b.w || a.k - b.k);
  for (const x of all) sink.event(x.e);
}
