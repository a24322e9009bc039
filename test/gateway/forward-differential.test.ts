/**
 * The batch path and the scalar path of the Forwarder must agree packet for packet:
 * outcomes, drop reasons, connections crossed, counters and trace events, on every example
 * scenario and on random traffic; and the batch path must be the one that really ran.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PacketBatch } from '../../sim/engine/batch.js';
import { DropCounters } from '../../sim/engine/counters.js';
import { CollectSink } from '../../sim/engine/events.js';
import { Forwarder } from '../../sim/gateway/pipeline.js';
import type { ForwardStats, PipelineContext } from '../../sim/gateway/pipeline.js';
import { RunState } from '../../sim/gateway/world.js';
import { EspPlane } from '../../sim/gateway/esp-plane.js';
import { nodeCrypto } from '../../sim/ipsec/crypto-node.js';
import { compileWorld } from '../../sim/scenario/compile/index.js';
import { runScenario } from '../../sim/index.js';
import { validateScenarioFile } from '../../sim/index.js';
import { loadBatch, randomTraffic } from '../../sim/bench/forward.js';

const DIR = join(import.meta.dirname, '..', '..', 'scenarios');
const EXAMPLES = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

function load(file: string) {
  const v = validateScenarioFile(join(DIR, file));
  if (!v.scenario) throw new Error(`${file} is invalid`);
  return v.scenario;
}

const stats = (): ForwardStats => ({ batchRuns: 0, batchPackets: 0, maxBatch: 0, scalarPackets: 0 });

describe('batch and scalar forwarding agree on every example scenario', () => {
  it('there are examples', () => expect(EXAMPLES.length).toBeGreaterThan(3));
  it.each(EXAMPLES)('%s', (file) => {
    const s = load(file);
    const sinkB = new CollectSink();
    const sinkS = new CollectSink();
    const stB = stats();
    const stS = stats();
    const rb = runScenario(s, { sink: sinkB, stats: stB });
    const rs = runScenario(s, { sink: sinkS, stats: stS, path: 'scalar' });
    expect(rs).toEqual(rb);
    expect(sinkS.events).toEqual(sinkB.events);
    // The batch path ran with real batches; the scalar path moved every packet alone.
    const sent = rb.flows.reduce((n, f) => n + f.sent, 0);
    expect(stB.batchPackets).toBe(sent);
    expect(stB.scalarPackets).toBe(0);
    if (sent > 1) expect(stB.maxBatch).toBeGreaterThan(1);
    expect(stS.scalarPackets).toBe(sent);
    expect(stS.batchRuns).toBe(0);
  });
});

describe('batch and scalar forwarding agree on random traffic', () => {
  it.each(EXAMPLES)('%s, 3 seeds x 2,000 packets', (file) => {
    const { world } = compileWorld(load(file));
    for (const seed of [1, 2, 3]) {
      const traffic = randomTraffic(world, seed, 2000);
      const run = (scalar: boolean) => {
        const counters = new DropCounters(world.counterNodes);
        // Real ESP in both paths: every tunnelled packet is encrypted, decrypted and replay-checked.
        const ctx: PipelineContext = { world, state: new RunState(world), esp: new EspPlane(world, nodeCrypto, 256), counters, flowNames: ['random'] };
        const f = new Forwarder(256);
        const b = new PacketBatch(256);
        const outcome: number[] = [];
        const reason: number[] = [];
        const via: number[] = [];
        const ttl: number[] = [];
        for (let from = 0; from < traffic.src.length; from += 256) {
          loadBatch(b, traffic, from, 256, from * 0.001);
          if (scalar) f.runScalar(ctx, b);
          else f.run(ctx, b);
          for (let i = 0; i < b.n; i++) {
            outcome.push(b.outcome[i]!);
            reason.push(b.reason[i]!);
            ttl.push(b.ttl[i]!);
            for (let k = 0; k < 4; k++) via.push(b.via[i * 4 + k]!);
          }
        }
        return { outcome, reason, via, ttl, counters: counters.toRecord(), sa: ctx.world.sas.map((_, k) => ctx.esp.sad.get(k).sentPackets), stats: f.stats };
      };
      const batch = run(false);
      const scalar = run(true);
      expect(scalar.outcome).toEqual(batch.outcome);
      expect(scalar.reason).toEqual(batch.reason);
      expect(scalar.via).toEqual(batch.via);
      expect(scalar.ttl).toEqual(batch.ttl);
      expect(scalar.counters).toEqual(batch.counters);
      expect(scalar.sa).toEqual(batch.sa);
      expect(batch.stats.batchPackets).toBe(traffic.src.length);
      expect(batch.stats.maxBatch).toBe(Math.min(256, traffic.src.length));
      expect(scalar.stats.scalarPackets).toBe(traffic.src.length);
      expect(scalar.stats.batchRuns).toBe(0);
      // Random traffic exercises more than one outcome.
      if (traffic.src.length > 0) expect(new Set(batch.outcome).size).toBeGreaterThan(1);
    }
  });
});

describe('Forwarder capacity', () => {
  it('refuses a batch bigger than its queues instead of losing packets', () => {
    const { world } = compileWorld(load(EXAMPLES[0]!));
    const traffic = randomTraffic(world, 1, 300);
    const ctx: PipelineContext = { world, state: new RunState(world), esp: new EspPlane(world, nodeCrypto, 300), counters: new DropCounters(world.counterNodes), flowNames: ['random'] };
    const b = new PacketBatch(300);
    loadBatch(b, traffic, 0, 300, 0);
    expect(() => new Forwarder(256).run(ctx, b)).toThrow(/batch of 300 packets for a forwarder of capacity 256/);
    expect(() => new Forwarder(300).run(ctx, b)).not.toThrow();
  });
});
