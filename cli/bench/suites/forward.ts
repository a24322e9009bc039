/**
 * The `forward-route` and `forward-policy` suites: the forwarding pipeline over batches of
 * 256 against the same packets one at a time, on an example scenario of each gateway type
 * (sizes only, no crypto). One file: the two suites differ only in the scenario.
 */
import { compileWorld } from '../../../sim/index.js';
import { ForwardBench, randomTraffic } from '../../../sim/bench/index.js';
import { defineSuite, loadScenario } from './case.js';
import type { CaseThunk, SuiteOptions } from './case.js';

function forwardCase(o: SuiteOptions, suite: 'forward-route' | 'forward-policy', file: string): CaseThunk {
  const label = `${suite} ${file}`;
  return {
    suite, label,
    build() {
      const { world } = compileWorld(loadScenario(file));
      const traffic = randomTraffic(world, o.seed, 1 << 16);
      const batchPath = new ForwardBench(world, traffic, 256);
      const scalarPath = new ForwardBench(world, traffic, 256);
      return {
        suite, name: label, unit: 'packets',
        params: { scenario: file, packets: traffic.src.length, batch: 256 },
        variants: [
          { name: 'batch path (256 per batch)', role: 'subject', run: (c) => void batchPath.pass(c, false) },
          { name: 'scalar path (one at a time)', role: 'baseline', run: (c) => void scalarPath.pass(c, true) },
        ],
        info: { outcomes: batchPath.outcomeMix(), crypto: 'none (sizes only)' },
        // Proof from the forwarders' own counters that each variant ran the path it names.
        derive: () => ({
          subjectBatchRuns: batchPath.forwarder.stats.batchRuns, subjectMaxBatch: batchPath.forwarder.stats.maxBatch,
          subjectScalarPackets: batchPath.forwarder.stats.scalarPackets, baselineScalarPackets: scalarPath.forwarder.stats.scalarPackets,
          baselineBatchRuns: scalarPath.forwarder.stats.batchRuns,
        }),
      };
    },
  };
}

export const forwardRouteSuite = defineSuite({
  name: 'forward-route',
  help: ['the forwarding pipeline, route-based example, batch vs scalar path'],
  plan: (o) => [forwardCase(o, 'forward-route', 's2s-route-based-multisite.yaml')],
});

export const forwardPolicySuite = defineSuite({
  name: 'forward-policy',
  help: ['the same, policy-based example'],
  plan: (o) => [forwardCase(o, 'forward-policy', 's2s-policy-based.yaml')],
});
