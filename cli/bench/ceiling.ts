/**
 * The machine's own ceiling for sharding crypto-bound work over threads: the crypto calls
 * one end-to-end run makes on the default backend, with no simulation around them, on one
 * thread and split evenly over N worker threads. They are the ESP suites' floors (the bare
 * calls of sim/bench/esp.ts) for the end-to-end transform and packet size, encrypt and
 * decrypt for each packet. A sharded simulation cannot scale better than this on the same
 * machine, so the end-to-end suite prints it next to the sharded run. Timing stays in cli/
 * (the workers only compute).
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { EspWorkload, nativeAddon } from '../../sim/index.js';

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

/** N threads that each run `cryptoWork` on their share when asked, synchronously. */
export class CeilingPool {
  private readonly workers: Worker[] = [];
  private readonly done = new Int32Array(new SharedArrayBuffer(4));

  constructor(readonly size: number) {
    for (let k = 0; k < size; k++) {
      const w = new Worker(new URL(import.meta.url), { workerData: { done: this.done.buffer } });
      w.unref();
      this.workers.push(w);
    }
  }

  /** `packets` split evenly over the threads; returns when all are done. */
  runSync(packets: number, size: number): void {
    Atomics.store(this.done, 0, 0);
    const share = Math.ceil(packets / this.size);
    for (const w of this.workers) w.postMessage({ packets: share, size });
    for (;;) {
      const v = Atomics.load(this.done, 0);
      if (v >= this.size) return;
      Atomics.wait(this.done, 0, v, 1000);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

if (!isMainThread && parentPort && (workerData as { done?: SharedArrayBuffer } | null)?.done) {
  const counter = new Int32Array((workerData as { done: SharedArrayBuffer }).done);
  parentPort.on('message', (job: { packets: number; size: number }) => {
    cryptoWork(job.packets, job.size);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  });
}
