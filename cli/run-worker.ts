/**
 * Entry of a worker thread of RunPool (run-pool.ts): validates the scenario file (once per
 * file), runs the shard it is given, and replies on its channel before bumping the shared
 * counter the caller waits on. Prints nothing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { CollectSink, runScenario, validateScenarioFile } from '../sim/index.js';
import type { Scenario } from '../sim/index.js';
import type { ShardJob } from './run-pool.js';

const { port, done } = workerData as { port: MessagePort; done: SharedArrayBuffer };
const counter = new Int32Array(done);
const scenarios = new Map<string, Scenario>();

function scenario(file: string): Scenario {
  let s = scenarios.get(file);
  if (!s) {
    const v = validateScenarioFile(file);
    if (!v.scenario) throw new Error(`${file} does not validate`);
    s = v.scenario;
    scenarios.set(file, s);
  }
  return s;
}

parentPort?.on('message', (job: ShardJob) => {
  try {
    const sink = job.events ? new CollectSink() : undefined;
    const result = runScenario(scenario(job.file), { crypto: job.crypto, traceLimit: job.traceLimit, shard: job.shard, ...(sink ? { sink } : {}) });
    port.postMessage({ result, events: sink ? sink.events : [] });
  } catch (e) {
    port.postMessage({ error: (e as Error).stack ?? String(e) });
  }
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
});
