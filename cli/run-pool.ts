/**
 * Worker threads for sharded runs (`vgw run --workers N`, `vgw bench end-to-end`): a pool
 * of workers, each running its shard of a scenario's flows (sim/scenario/shard.ts), driven
 * synchronously so a benchmark can time a sharded run like any other call.
 *
 * Owns the threads and the hand-off: jobs go out by message; each worker posts its reply
 * on its own channel, then bumps a shared counter; the caller blocks on that counter
 * (Atomics.wait) and reads the replies with receiveMessageOnPort. A worker that fails
 * replies with the error message, which is thrown here.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { mergeShardEvents, mergeShardResults, planShards, shardOption } from '../sim/index.js';
import type { CryptoBackendName, EventSink, RunResult, Scenario, SimEvent } from '../sim/index.js';

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

interface Slot {
  readonly worker: Worker;
  readonly port: MessagePort;
}

/** N worker threads, reused across runs; `close` ends them. */
export class RunPool {
  private readonly slots: Slot[] = [];
  private readonly done = new Int32Array(new SharedArrayBuffer(4));

  constructor(readonly size: number) {
    for (let k = 0; k < size; k++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(new URL('./run-worker.js', import.meta.url), {
        workerData: { port: port2, done: this.done.buffer },
        transferList: [port2],
      });
      worker.unref();
      this.slots.push({ worker, port: port1 });
    }
  }

  /** Run one job per worker (jobs.length <= size) and wait for all replies. */
  runSync(jobs: readonly ShardJob[]): ShardReply[] {
    if (jobs.length > this.slots.length) throw new RangeError(`${jobs.length} jobs for ${this.slots.length} workers`);
    Atomics.store(this.done, 0, 0);
    jobs.forEach((j, k) => this.slots[k]!.worker.postMessage(j));
    for (;;) {
      const v = Atomics.load(this.done, 0);
      if (v >= jobs.length) break;
      Atomics.wait(this.done, 0, v, 1000);
    }
    return jobs.map((_, k) => {
      const m = receiveMessageOnPort(this.slots[k]!.port);
      if (!m) throw new Error(`worker ${k} finished without a reply`);
      const reply = m.message as ShardReply | { error: string };
      if ('error' in reply) throw new Error(`worker ${k}: ${reply.error}`);
      return reply;
    });
  }

  /** End the threads. */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
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
