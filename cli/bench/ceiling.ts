/**
 * The machine's own ceiling for sharding crypto-bound work over threads: the crypto calls
 * one end-to-end run makes on the default backend, with no simulation around them, on one
 * thread and split evenly over N worker threads. They are the ESP suites' floors (the bare
 * calls of sim/bench/esp.ts) for the end-to-end transform and packet size, encrypt and
 * decrypt for each packet. A sharded simulation cannot scale better than this on the same
 * machine, so the end-to-end suite prints it next to the sharded run. Timing stays in cli/
 * (the workers only compute). This module is also the job module of the pool's threads.
 */
import { EspWorkload, nativeAddon } from '../../sim/bench/index.js';
import { SyncPool } from '../sync-pool.js';

/** Which calls the ceiling makes: those of the default backend. */
export function ceilingBackend(): string {
  return nativeAddon ? 'the native addon' : 'node:crypto';
}

/** One workload per thread and packet size (built once: keys, packets, contexts). */
const workloads = new Map<number, EspWorkload>();

/** The crypto of `packets` ESP packets of `size` inner bytes, both ends (see the module comment). */
export function cryptoWork(packets: number, size: number): number {
  let w = workloads.get(size);
  if (!w) workloads.set(size, (w = new EspWorkload('aes256-sha1', size, 64, 1)));
  if (nativeAddon) return w.bareNative('encrypt', packets) + w.bareNative('decrypt', packets);
  return w.bareCrypto('encrypt', packets) + w.bareCrypto('decrypt', packets);
}

/** One thread's share of the ceiling's work. */
interface CeilingJob {
  readonly packets: number;
  readonly size: number;
}

/** What a pool thread does with a job (see sync-pool-worker.ts). */
export function handleJob(job: CeilingJob): number {
  return cryptoWork(job.packets, job.size);
}

/** N threads that each run `cryptoWork` on their share when asked, synchronously. */
export class CeilingPool {
  private readonly pool: SyncPool<CeilingJob, number>;

  constructor(readonly size: number) {
    this.pool = new SyncPool(new URL(import.meta.url), size);
  }

  /** `packets` split evenly over the threads; returns when all are done, throws if one failed or hangs. */
  runSync(packets: number, size: number): void {
    const share = Math.ceil(packets / this.size);
    this.pool.runSync(Array.from({ length: this.size }, () => ({ packets: share, size })));
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
