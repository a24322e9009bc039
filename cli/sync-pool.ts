/**
 * A pool of worker threads driven synchronously, so a benchmark can time work spread over
 * threads like any other call: the sharded runs of run-pool.ts and the crypto ceiling of
 * bench/ceiling.ts.
 *
 * Each thread runs sync-pool-worker.js, which imports a job module (its `handleJob`
 * export) and answers every job on its own channel, the answer or the error, then bumps a
 * shared counter; the caller blocks on that counter (Atomics.wait) and reads the answers
 * with receiveMessageOnPort. A thread that does not answer (it failed to start, or hangs)
 * makes `runSync` throw after a total timeout instead of blocking for ever; the pool is
 * then unusable, since a late answer would be taken for the next run's.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';

/** How long `runSync` waits for all answers by default: far above any job of ours. */
export const SYNC_POOL_TIMEOUT_MS = 60_000;

/** What sync-pool-worker.js is started with. */
export interface SyncPoolWorkerData {
  /** URL of the job module; its `handleJob(job)` export answers each job. */
  readonly module: string;
  readonly port: MessagePort;
  readonly done: SharedArrayBuffer;
}

/** A thread's answer to one job. */
export type SyncPoolAnswer<R> = { readonly value: R } | { readonly error: string };

interface Slot {
  readonly worker: Worker;
  readonly port: MessagePort;
}

/** `size` threads running the job module at `module`, reused across runs; `close` ends them. */
export class SyncPool<J, R> {
  private readonly slots: Slot[] = [];
  private readonly done = new Int32Array(new SharedArrayBuffer(4));
  /** Why the pool cannot run jobs any more (a thread died or timed out), or ''. */
  private broken = '';

  constructor(module: URL, readonly size: number, private readonly timeoutMs = SYNC_POOL_TIMEOUT_MS) {
    for (let k = 0; k < size; k++) {
      const { port1, port2 } = new MessageChannel();
      const data: SyncPoolWorkerData = { module: module.href, port: port2, done: this.done.buffer as SharedArrayBuffer };
      const worker = new Worker(new URL('./sync-pool-worker.js', import.meta.url), { workerData: data, transferList: [port2] });
      worker.unref();
      // Seen only between runs (the caller's thread is blocked during one), and keeps an
      // uncaught error in a thread from ending the process with a stack trace.
      worker.on('error', (e: Error) => {
        this.broken ||= `worker thread ${k} failed: ${e.message}`;
      });
      this.slots.push({ worker, port: port1 });
    }
  }

  /**
   * Run one job per thread (jobs.length <= size) and return the answers in order; throws if
   * one failed or none came in time. `onWait`, when given, is called about every `waitMs`
   * while the threads work (the caller's thread is blocked otherwise: a progress bar reads
   * what the threads publish in shared memory there).
   */
  runSync(jobs: readonly J[], onWait?: () => void, waitMs = 100): R[] {
    if (this.broken) throw new Error(this.broken);
    if (jobs.length > this.slots.length) throw new RangeError(`${jobs.length} jobs for ${this.slots.length} worker threads`);
    Atomics.store(this.done, 0, 0);
    jobs.forEach((j, k) => this.slots[k]!.worker.postMessage(j));
    const deadline = performance.now() + this.timeoutMs;
    for (;;) {
      const v = Atomics.load(this.done, 0);
      if (v >= jobs.length) break;
      const left = deadline - performance.now();
      if (left <= 0) {
        this.broken = `${jobs.length - v} of ${jobs.length} worker threads did not answer within ${this.timeoutMs / 1000} s`;
        throw new Error(this.broken);
      }
      Atomics.wait(this.done, 0, v, Math.min(left, onWait ? waitMs : 1000));
      onWait?.();
    }
    // Read every answer before throwing, so none is left for the next run.
    const answers = jobs.map((_, k) => receiveMessageOnPort(this.slots[k]!.port)?.message as SyncPoolAnswer<R> | undefined);
    return answers.map((a, k) => {
      if (!a) throw new Error(`worker thread ${k} finished without an answer`);
      if ('error' in a) throw new Error(`worker thread ${k}: ${a.error}`);
      return a.value;
    });
  }

  /** End the threads. */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
