/**
 * Sharding (sim/scenario/shard.ts): each shard builds ESP bytes only for its flows, yet the
 * merged result equals the single-threaded run, and shards really split the crypto work.
 */
import { describe, expect, it } from 'vitest';
import { CollectSink, mergeShardEvents, mergeShardResults, planShards, runScenario, shardOption, shardRefusal, validateScenarioFile } from '../../sim/index.js';
import type { SimEvent } from '../../sim/index.js';

function load(file: string) {
  const v = validateScenarioFile(file);
  if (!v.scenario) throw new Error(file);
  return v.scenario;
}

describe('sharded runs', () => {
  it('two shards merge to the single-threaded result and events, and each built only its own ESP packets', () => {
    const s = load('scenarios/s2s-route-based-multisite.yaml');
    const full = new CollectSink();
    const one = runScenario(s, { sink: full });
    const owner = planShards(s, 2);
    expect(new Set(owner).size).toBe(2);
    const sinks = [new CollectSink(), new CollectSink()];
    const parts = [0, 1].map((k) => runScenario(s, { sink: sinks[k]!, shard: shardOption(owner, k) }));
    const merged = mergeShardResults(parts);
    expect(merged.flows).toEqual(one.flows);
    expect(merged.counters).toEqual(one.counters);
    expect(merged.expectations).toEqual(one.expectations);
    expect(merged.tunnels).toEqual(one.tunnels);
    // Each shard built fewer ESP packets than the whole run: the work was split.
    const built = (r: typeof one): number => r.tunnels.reduce((n, t) => n + t.packetsOut, 0);
    expect(built(parts[0]!)).toBeLessThan(built(one));
    expect(built(parts[0]!) + built(parts[1]!)).toBe(built(one));
    const events: SimEvent[] = [];
    mergeShardEvents(s, sinks.map((x) => x.events), { event: (e) => events.push(e) });
    expect(events).toEqual(full.events);
  });

  it('plans by bytes sent, largest first, to the least-loaded worker', () => {
    const s = load('scenarios/bench/highperf-200mbps.yaml');
    expect(planShards(s, 2)).toEqual([0, 1, 0, 1]);
    expect(planShards(s, 1)).toEqual([0, 0, 0, 0]);
  });

  it('refuses injections and captures', () => {
    expect(shardRefusal(load('scenarios/s2s-esp-tamper-mtu.yaml'))).toMatch(/inject/);
    expect(shardRefusal(load('scenarios/s2s-policy-based.yaml'), { capture: true })).toMatch(/pcap/);
    expect(shardRefusal(load('scenarios/s2s-policy-based.yaml'))).toBeNull();
    expect(() => runScenario(load('scenarios/s2s-esp-tamper-mtu.yaml'), { shard: { owned: [true], faults: true } })).toThrow(/injections/);
  });
});
