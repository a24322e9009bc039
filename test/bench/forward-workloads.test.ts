/**
 * The forwarding benchmarks' workloads and their per-node accounting: the scenario's flows
 * in the scenario's proportions, and a node runtime that counts what the dispatcher did.
 */
import { describe, expect, it } from 'vitest';
import { ForwardBench, flowTraffic } from '../../sim/bench/forward.js';
import type { BenchFlow } from '../../sim/bench/forward.js';
import { join } from 'node:path';
import { compileWorld } from '../../sim/scenario/compile/index.js';
import { validateScenarioFile } from '../../sim/index.js';

const FLOWS: BenchFlow[] = [
  { srcIp: 0x0a000004, dstIp: 0xc0a80005, origin: 0, packets: 1, size: 100 },
  { srcIp: 0x0a000005, dstIp: 0xc0a80006, origin: 1, packets: 0, size: 200 },
  { srcIp: 0x0a000006, dstIp: 0xc0a80007, origin: 2, packets: 3, size: 300 },
];

describe('flowTraffic', () => {
  it("draws each packet's flow in proportion to the flows' packets, with the flow's endpoints and size", () => {
    const t = flowTraffic(FLOWS, 5, 40_000);
    const seen = [0, 0, 0];
    let unlike = 0;
    for (let i = 0; i < t.src.length; i++) {
      const k = FLOWS.findIndex((f) => f.srcIp === t.src[i]);
      seen[k]!++;
      const f = FLOWS[k]!;
      if (t.dst[i] !== f.dstIp || t.origin[i] !== f.origin || t.len[i] !== f.size) unlike++;
    }
    expect(unlike).toBe(0);
    expect(seen[1]).toBe(0);
    expect(seen[0]! / 40_000).toBeGreaterThan(0.24);
    expect(seen[0]! / 40_000).toBeLessThan(0.26);
    expect(flowTraffic(FLOWS, 5, 100)).toEqual(flowTraffic(FLOWS, 5, 100));
  });

  it('is empty without a flow that sends', () => {
    expect(flowTraffic([], 1, 10).src.length).toBe(0);
    expect(flowTraffic([FLOWS[1]!], 1, 10).src.length).toBe(0);
  });
});

describe('ForwardBench.nodeRuntime', () => {
  it("counts each node's calls and packets as the dispatcher ran them, and its time on the caller's clock", () => {
    const s = validateScenarioFile(join(import.meta.dirname, '..', '..', 'scenarios', 's2s-route-based-multisite.yaml')).scenario!;
    const { world, flows } = compileWorld(s);
    const bench: BenchFlow[] = flows.flatMap((ep, fi) => ('error' in ep ? [] : [{ ...ep, packets: s.traffic[fi]!.count, size: s.traffic[fi]!.size }]));
    const fb = new ForwardBench(world, flowTraffic(bench, 1, 1000), 256);
    // A clock that moves one unit per reading: each call of a node costs exactly 1.
    let now = 0;
    const rows = fb.nodeRuntime(1000, () => now++);
    expect(rows[0]!.node).toBe('send');
    expect(rows[0]!.packets).toBe(1000);
    expect(rows[0]!.calls).toBe(4); // 256 + 256 + 256 + 232
    for (const r of rows) expect(r.nsPerPacket).toBeCloseTo(r.calls / r.packets, 12);
    // Every packet leaves send for somewhere: the nodes after it together saw at least as many.
    expect(rows.slice(1).reduce((n, r) => n + r.packets, 0)).toBeGreaterThanOrEqual(1000);
    // The timed pass left the bench's own forwarder untimed.
    expect(fb.forwarder.measureNodes(null)).toBeNull();
  });
});
