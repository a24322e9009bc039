/**
 * The machine's own ceiling for sharding crypto-bound work over threads: the crypto calls
 * one end-to-end run makes on the default backend (per 1400-byte packet: a CBC update on
 * a long-lived context and an HMAC-SHA1 to encrypt, an HMAC-SHA1 and a CBC update to
 * decrypt), with no simulation around them, on one thread and split evenly over N worker
 * threads. A sharded simulation cannot scale better than this on the same machine, so
 * the end-to-end suite prints it next to the sharded run. Timing stays in cli/ (the
 * workers only compute).
 */
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { nativeAddon } from '../../sim/index.js';

const KEY = Buffer.alloc(32, 1);
const AUTH = Buffer.alloc(20, 2);

/** Which calls the ceiling makes: those of the default backend. */
export function ceilingBackend(): string {
  return nativeAddon ? 'the native addon' : 'node:crypto';
}

/** The crypto of `packets` ESP packets of `size` bytes, both ends (see the module comment). */
export function cryptoWork(packets: number, size: number): number {
  const n = size - (size % 16);
  const data = new Uint8Array(n + 12).fill(3);
  let sink = 0;
  const a = nativeAddon;
  if (a) {
    const out = new Uint8Array(n + 12);
    const enc = a.cbcContext('aes-256-cbc', KEY, new Uint8Array(16), false);
    const dec = a.cbcContext('aes-256-cbc', KEY, new Uint8Array(16), true);
    const mac = a.hmacContext('sha1', AUTH);
    for (let i = 0; i < packets; i++) {
      a.cbcUpdate(enc, data, 0, n, data, 0);
      a.hmac96(mac, data, 0, n, data, n);
      sink ^= a.hmac96Verify(mac, data, 0, n, data, n) ? 1 : 0;
      a.cbcUpdate(dec, data, 0, n, out, 0);
      sink ^= out[0]!;
    }
    return sink;
  }
  const enc = createCipheriv('aes-256-cbc', KEY, Buffer.alloc(16));
  const dec = createDecipheriv('aes-256-cbc', KEY, Buffer.alloc(16));
  enc.setAutoPadding(false);
  dec.setAutoPadding(false);
  const block = data.subarray(0, n);
  for (let i = 0; i < packets; i++) {
    const ct = enc.update(block);
    sink ^= createHmac('sha1', AUTH).update(ct).digest()[0]!;
    sink ^= createHmac('sha1', AUTH).update(ct).digest()[1]!;
    sink ^= dec.update(ct)[0]!;
  }
  return sink;
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
