/**
 * Worker threads for sharded runs (`vgw run --workers N`, `vgw bench end-to-end`): a pool
 * of threads, each running its shard of a scenario's flows (sim/scenario/shard.ts) in
 * run-worker.ts, driven synchronously (sync-pool.ts) so a benchmark can time a sharded run
 * like any other call. A thread that fails or does not answer makes the run throw.
 */
import { mergeShardEvents, mergeShardResults, planShards, shardOption } from '../sim/index.js';
import type { CryptoBackendName, EventSink, RunResult, Scenario, SimEvent } from '../sim/index.js';
import { SyncPool } from './sync-pool.js';

/** One worker's job: run its shard of the scenario in `file`. */
export interface ShardJob {
  readonly file: string;
  readonly crypto: CryptoBackendName;
  readonly traceLimit: number;
  /** Collect and return the events of the worker's traced packets. */
  readonly events: boolean;
  readonly shard: { readonly owned: readonly boolean[]; readonly faults: boolean };
}

/** A worker's answer. */
export interface ShardReply {
  readonly result: RunResult;
  readonly events: SimEvent[];
}

/** N worker threads running shards, reused across runs; `close` ends them. */
export class RunPool extends SyncPool<ShardJob, ShardReply> {
  constructor(size: number) {
    super(new URL('./run-worker.js', import.meta.url), size);
  }
}

/**
 * Run `s` (validated from `file`) sharded over `workers` threads and merge the results and
 * events into what one thread gives (sim/scenario/shard.ts). Call only when `shardRefusal`
 * is null. Uses `pool` when given (benchmarks keep one), else starts and ends its own.
 */
export function runSharded(
  file: string, s: Scenario, workers: number,
  opts: { crypto: CryptoBackendName; traceLimit: number; sink?: EventSink },
  pool?: RunPool,
): RunResult {
  const n = Math.max(1, Math.min(workers, s.traffic.length));
  const p = pool ?? new RunPool(n);
  try {
    const owner = planShards(s, n);
    const replies = p.runSync(Array.from({ length: n }, (_, k) => ({
      file, crypto: opts.crypto, traceLimit: opts.traceLimit, events: opts.sink !== undefined, shard: shardOption(owner, k),
    })));
    if (opts.sink) mergeShardEvents(s, replies.map((r) => r.events), opts.sink);
    return mergeShardResults(replies.map((r) => r.result));
  } finally {
    if (!pool) void p.close();
  }
}
