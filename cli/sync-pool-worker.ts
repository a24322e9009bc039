/**
 * Entry of every thread of a SyncPool (sync-pool.ts): imports the job module, then for
 * each job posts `{ value }` or `{ error }` on its channel and always bumps the shared
 * counter the caller waits on, also when the job module failed to load or the job threw,
 * so the caller learns of the failure instead of waiting for it. Prints nothing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SyncPoolAnswer, SyncPoolWorkerData } from './sync-pool.js';

const { module, port, done } = workerData as SyncPoolWorkerData;
const counter = new Int32Array(done);

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

type Handler = (job: unknown) => unknown;

const handler: Promise<Handler> = import(module).then((m: { handleJob?: unknown }) => {
  if (typeof m.handleJob !== 'function') throw new Error(`${module} has no handleJob export`);
  return m.handleJob as Handler;
});
// A module that fails to load is reported with each job, not as an unhandled rejection.
handler.catch(() => undefined);

function answer(a: SyncPoolAnswer<unknown>): void {
  try {
    port.postMessage(a);
  } catch (e) {
    // The value could not be copied to the caller's thread.
    port.postMessage({ error: `cannot send the answer: ${message(e)}` });
  } finally {
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  }
}

parentPort?.on('message', (job: unknown) => {
  handler.then(
    (h) => {
      let a: SyncPoolAnswer<unknown>;
      try {
        a = { value: h(job) };
      } catch (e) {
        a = { error: message(e) };
      }
      answer(a);
    },
    (e: unknown) => answer({ error: `cannot load ${module}: ${message(e)}` }),
  );
});
