/**
 * Worker threads for sharded runs (`vgw run --workers N`, `vgw bench end-to-end`): a pool
 * of threads, each running its shard of a scenario's flows (sim/scenario/shard.ts) in
 * run-worker.ts, driven synchronously (sync-pool.ts) so a benchmark can time a sharded run
 * like any other call. A thread that fails or does not answer makes the run throw.
 * Progress: each thread publishes how far its run is in shared memory (`ShardProgress`),
 * and the caller's progress callback sees the slowest thread's, as a one-thread run's.
 */
import { mergeShardEvents, mergeShardResults, planShards, shardOption } from '../sim/index.js';
import type { CryptoBackendName, EventSink, RunProgress, RunResult, Scenario, SimEvent } from '../sim/index.js';
import { SyncPool } from './sync-pool.js';

/** One worker's job: run its shard of the scenario in `file`. */
export interface ShardJob {
  readonly file: string;
  readonly crypto: CryptoBackendName;
  readonly traceLimit: number;
  /** Collect and return the events of the worker's traced packets. */
  readonly events: boolean;
  readonly shard: { readonly owned: readonly boolean[]; readonly faults: boolean };
  /** Where the thread publishes its progress (ShardProgress), and its slot there. */
  readonly progress?: { readonly buffer: SharedArrayBuffer; readonly slot: number };
}

/** Integers per slot of ShardProgress: packets, total packets, virtual µs reached, virtual µs of the end. */
const PROGRESS_FIELDS = 4;

/**
 * How far each thread of a sharded run is, in shared memory: per thread four 64-bit
 * integers written and read with Atomics (times in virtual microseconds), so a reader
 * never sees half a value.
 */
export class ShardProgress {
  private readonly a: BigInt64Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.a = new BigInt64Array(buffer);
  }

  static create(threads: number): ShardProgress {
    return new ShardProgress(new SharedArrayBuffer(threads * PROGRESS_FIELDS * 8));
  }

  /** Thread `slot` reached `p`. */
  publish(slot: number, p: RunProgress): void {
    const o = slot * PROGRESS_FIELDS;
    Atomics.store(this.a, o, BigInt(p.packets));
    Atomics.store(this.a, o + 1, BigInt(p.totalPackets));
    Atomics.store(this.a, o + 2, BigInt(Math.round(p.t * 1e6)));
    Atomics.store(this.a, o + 3, BigInt(Math.round(p.endT * 1e6)));
  }

  /** The slowest thread's progress (every thread moves every packet), not done. */
  slowest(): RunProgress {
    const n = this.a.length / PROGRESS_FIELDS;
    let packets = Infinity;
    let total = 0;
    let t = Infinity;
    let endT = 0;
    for (let k = 0; k < n; k++) {
      const o = k * PROGRESS_FIELDS;
      packets = Math.min(packets, Number(Atomics.load(this.a, o)));
      total = Math.max(total, Number(Atomics.load(this.a, o + 1)));
      t = Math.min(t, Number(Atomics.load(this.a, o + 2)) / 1e6);
      endT = Math.max(endT, Number(Atomics.load(this.a, o + 3)) / 1e6);
    }
    return { packets: n ? packets : 0, totalPackets: total, t: n ? t : 0, endT, done: false };
  }
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
  opts: { crypto: CryptoBackendName; traceLimit: number; sink?: EventSink; progress?: (p: RunProgress) => void },
  pool?: RunPool,
): RunResult {
  const n = Math.max(1, Math.min(workers, s.traffic.length));
  const p = pool ?? new RunPool(n);
  try {
    const owner = planShards(s, n);
    const report = opts.progress;
    const shared = report ? ShardProgress.create(n) : null;
    const onWait = report && shared ? () => {
      const now = shared.slowest();
      if (now.totalPackets > 0) report(now);
    } : undefined;
    const replies = p.runSync(Array.from({ length: n }, (_, k) => ({
      file, crypto: opts.crypto, traceLimit: opts.traceLimit, events: opts.sink !== undefined, shard: shardOption(owner, k),
      ...(shared ? { progress: { buffer: shared.buffer, slot: k } } : {}),
    })), onWait);
    if (opts.sink) mergeShardEvents(s, replies.map((r) => r.events), opts.sink);
    if (report && shared) report({ ...shared.slowest(), done: true });
    return mergeShardResults(replies.map((r) => r.result));
  } finally {
    if (!pool) void p.close();
  }
}
