/**
 * The `forward-route` and `forward-policy` suites: the forwarding pipeline over batches of
 * 256 against the same packets one at a time, on an example scenario of each gateway type
 * (sizes only, no crypto), for two workloads: the scenario's own flows (the traffic its
 * routes and selectors are written for) and random host pairs (every path, including
 * drops). Each case then times the batch path node by node, as VPP's `show runtime` does.
 * One file: the two suites differ only in the scenario.
 */
import { compileWorld } from '../../../sim/index.js';
import { ForwardBench, flowTraffic, randomTraffic } from '../../../sim/bench/index.js';
import type { BenchFlow, Traffic } from '../../../sim/bench/index.js';
import type { Scenario } from '../../../sim/index.js';
import { nowMs } from '../measure.js';
import { defineSuite, loadScenario } from './case.js';
import type { CaseThunk, SuiteOptions } from './case.js';

/** Packets per workload, made up front and cycled over. */
const PACKETS = 1 << 16;

/** The workloads of a forward case: how its packets are chosen. */
const WORKLOADS = {
  'scenario flows': "the scenario's flows, each with its share of the scenario's packets and its size",
  'random host pairs': 'a random host to another random host (9 in 10) or to a random address; 64-1400 bytes',
} as const;
type Workload = keyof typeof WORKLOADS;

/** The scenario's flows that can start, as the bench sends them. */
function benchFlows(s: Scenario, flows: ReturnType<typeof compileWorld>['flows']): BenchFlow[] {
  const out: BenchFlow[] = [];
  flows.forEach((ep, fi) => {
    if ('error' in ep) return;
    const f = s.traffic[fi]!;
    out.push({ srcIp: ep.srcIp, dstIp: ep.dstIp, origin: ep.origin, packets: f.count, size: f.size });
  });
  return out;
}

function forwardCase(o: SuiteOptions, suite: 'forward-route' | 'forward-policy', file: string, workload: Workload): CaseThunk {
  const label = `${suite} ${file}, ${workload}`;
  return {
    suite, label,
    build() {
      const s = loadScenario(file);
      const { world, flows } = compileWorld(s);
      const traffic: Traffic = workload === 'scenario flows' ? flowTraffic(benchFlows(s, flows), o.seed, PACKETS) : randomTraffic(world, o.seed, PACKETS);
      const batchPath = new ForwardBench(world, traffic, 256);
      const scalarPath = new ForwardBench(world, traffic, 256);
      return {
        suite, name: label, unit: 'packets',
        params: { scenario: file, workload, packets: traffic.src.length, batch: 256 },
        variants: [
          { name: 'batch path (256 per batch)', role: 'subject', run: (c) => void batchPath.pass(c, false) },
          { name: 'scalar path (one at a time)', role: 'baseline', run: (c) => void scalarPath.pass(c, true) },
        ],
        info: { traffic: WORKLOADS[workload], outcomes: batchPath.outcomeMix(), crypto: 'none (sizes only)' },
        // Proof from the forwarders' own counters that each variant ran the path it names.
        derive: () => ({
          subjectBatchRuns: batchPath.forwarder.stats.batchRuns, subjectMaxBatch: batchPath.forwarder.stats.maxBatch,
          subjectScalarPackets: batchPath.forwarder.stats.scalarPackets, baselineScalarPackets: scalarPath.forwarder.stats.scalarPackets,
          baselineBatchRuns: scalarPath.forwarder.stats.batchRuns,
        }),
        // After the timed repetitions (the code is warm): one pass of every packet, node by node.
        nodeRuntime: () => batchPath.nodeRuntime(traffic.src.length, () => nowMs() * 1e6),
      };
    },
  };
}

function plan(o: SuiteOptions, suite: 'forward-route' | 'forward-policy', file: string): CaseThunk[] {
  return (Object.keys(WORKLOADS) as Workload[]).map((w) => forwardCase(o, suite, file, w));
}

export const forwardRouteSuite = defineSuite({
  name: 'forward-route',
  help: [
    'the forwarding pipeline, route-based example, batch vs scalar path, on the',
    "scenario's own flows and on random host pairs; time per node (show runtime)",
  ],
  plan: (o) => plan(o, 'forward-route', 's2s-route-based-multisite.yaml'),
});

export const forwardPolicySuite = defineSuite({
  name: 'forward-policy',
  help: ['the same, policy-based example'],
  plan: (o) => plan(o, 'forward-policy', 's2s-policy-based.yaml'),
});
