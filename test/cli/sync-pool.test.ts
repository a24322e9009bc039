/**
 * SyncPool (cli/sync-pool.ts), the synchronous worker pool of `vgw run --workers` and
 * `vgw bench end-to-end`: answers come back in order, and a job that throws, a job module
 * that does not load, or a thread that does not answer makes `runSync` throw instead of
 * blocking the caller for ever. Runs the built pool (its threads start dist/ files).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../support/run-cli.js';

type PoolModule = typeof import('../../cli/sync-pool.js');
type Pool = InstanceType<PoolModule['SyncPool']>;

let SyncPool: PoolModule['SyncPool'];
let dir: string;
const pools: Pool[] = [];

/** A job module in a temporary directory, from its source text. */
function jobModule(name: string, source: string): URL {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, source);
  return pathToFileURL(file);
}

function pool(module: URL, size: number, timeoutMs?: number): Pool {
  const p = new SyncPool(module, size, timeoutMs);
  pools.push(p);
  return p;
}

beforeAll(async () => {
  ensureBuilt();
  ({ SyncPool } = (await import(pathToFileURL(join(ROOT, 'dist', 'cli', 'sync-pool.js')).href)) as PoolModule);
  dir = mkdtempSync(join(tmpdir(), 'vgw-sync-pool-'));
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('SyncPool', () => {
  it('returns each thread\'s answer in job order, run after run', () => {
    const p = pool(jobModule('double', 'export function handleJob(n) { return n * 2; }'), 3);
    expect(p.runSync([1, 2, 3])).toEqual([2, 4, 6]);
    expect(p.runSync([5, 6])).toEqual([10, 12]);
  });

  it('throws the error of a job that throws, and stays usable', () => {
    const p = pool(jobModule('picky', 'export function handleJob(n) { if (n < 0) throw new Error(`negative: ${n}`); return n; }'), 2);
    expect(() => p.runSync([1, -4])).toThrow('worker thread 1: negative: -4');
    expect(p.runSync([7, 8])).toEqual([7, 8]);
  });

  it('throws when the job module does not load', () => {
    const p = pool(jobModule('broken', 'throw new Error("cannot start");'), 2);
    expect(() => p.runSync([1, 2])).toThrow(/cannot load .*broken\.mjs: cannot start/);
  });

  it('throws when the job module has no handleJob', () => {
    const p = pool(jobModule('empty', 'export const x = 1;'), 1);
    expect(() => p.runSync([1])).toThrow('has no handleJob export');
  });

  it('calls onWait while the threads work (a job here finishes only once onWait has run)', () => {
    const gate = new Int32Array(new SharedArrayBuffer(4));
    const p = pool(jobModule('gated', 'export function handleJob(j) { const g = new Int32Array(j.gate); while (Atomics.load(g, 0) === 0) Atomics.wait(g, 0, 0, 5000); return j.n; }'), 2);
    let waits = 0;
    const answers = p.runSync([{ gate: gate.buffer, n: 1 }, { gate: gate.buffer, n: 2 }], () => {
      waits++;
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0);
    }, 10);
    expect(answers).toEqual([1, 2]);
    expect(waits).toBeGreaterThan(0);
  });

  it('gives up after its timeout when a thread does not answer, then refuses to run', () => {
    const p = pool(jobModule('stuck', 'export function handleJob() { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10000); }'), 2, 300);
    const t0 = performance.now();
    expect(() => p.runSync([1, 2])).toThrow('2 of 2 worker threads did not answer within 0.3 s');
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(() => p.runSync([1])).toThrow('did not answer');
  });
});
