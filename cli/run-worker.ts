/**
 * The job module of RunPool's threads (run-pool.ts, started by sync-pool-worker.ts):
 * validates the scenario file (once per file) and runs the shard it is given. Prints
 * nothing; a failure is thrown and reaches the caller as the thread's error.
 */
import { CollectSink, runScenario, validateScenarioFile } from '../sim/index.js';
import type { Scenario } from '../sim/index.js';
import { ShardProgress } from './run-pool.js';
import type { ShardJob, ShardReply } from './run-pool.js';

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

/** Run one shard and return its result and, when asked, the events of its traced packets. */
export function handleJob(job: ShardJob): ShardReply {
  const sink = job.events ? new CollectSink() : undefined;
  const shared = job.progress ? new ShardProgress(job.progress.buffer) : null;
  const slot = job.progress?.slot ?? 0;
  const result = runScenario(scenario(job.file), {
    crypto: job.crypto, traceLimit: job.traceLimit, shard: job.shard, ...(sink ? { sink } : {}),
    ...(shared ? { progress: (p) => shared.publish(slot, p) } : {}),
  });
  return { result, events: sink ? sink.events : [] };
}
