import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, ROOT } from '../support/run-cli.js';
import { LpmTable, VECTOR_SIZE } from '../../sim/net/lpm.js';
import type { LpmRoute, LpmStrategy } from '../../sim/net/lpm.js';
import { bgpRoutes } from '../../sim/bench/lpm-workloads.js';
import { referenceLookup } from '../../sim/net/lpm-reference.js';
import { Prng } from '../../sim/util/prng.js';
import { probe, randomPrefixes } from './gen.js';

/** Batch sizes around the vector's edges and the loops' ends. */
const SIZES = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, VECTOR_SIZE - 17, VECTOR_SIZE - 9, VECTOR_SIZE - 1, VECTOR_SIZE, VECTOR_SIZE + 1, 3 * VECTOR_SIZE + 5, 4000];

function probes(rng: Prng, routes: readonly LpmRoute[], n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.next() < 0.1 ? (rng.next() * 2 ** 32) >>> 0 : probe(rng, routes);
  return a;
}

function expectReference(routes: readonly LpmRoute[], addrs: Uint32Array, got: Int32Array, n: number, what: string): void {
  for (let i = 0; i < n; i++) {
    const want = referenceLookup(routes, addrs[i]!);
    if (got[i] !== want) expect({ what, i, addr: addrs[i], got: got[i] }).toEqual({ what, i, addr: addrs[i], got: want });
  }
}

describe('LpmTable batches through the vector', () => {
  const tables: [string, () => LpmRoute[], LpmStrategy | undefined][] = [
    ['random prefixes, DIR-24-8', () => randomPrefixes(new Prng(21, 'vec'), 3000), 'dir-24-8'],
    ['BGP-like, DIR-24-8', () => bgpRoutes(22, 5000), 'dir-24-8'],
    ['random prefixes, default strategy', () => randomPrefixes(new Prng(23, 'vec'), 2000), undefined],
    ['a few prefixes (range table)', () => randomPrefixes(new Prng(24, 'vec'), 9), undefined],
  ];
  for (const [name, make, strategy] of tables) {
    it(`${name}: lookupBatch and vector.lookup agree with the reference at every batch size`, () => {
      const routes = make();
      const t = LpmTable.compile(routes, strategy ? { strategy } : {});
      if (strategy) expect(t.strategy).toBe(strategy);
      const rng = new Prng(25, name);
      for (const n of SIZES) {
        const addrs = probes(rng, routes, n + 3);
        // Extra room after n: the batch must leave it alone.
        const out = new Int32Array(n + 3).fill(-7);
        t.lookupBatch(addrs, out, n);
        expectReference(routes, addrs, out, n, `lookupBatch n=${n}`);
        expect([...out.subarray(n)]).toEqual([-7, -7, -7]);

        const v = t.vector;
        expect(v.input.length).toBe(VECTOR_SIZE);
        expect(v.output.length).toBe(VECTOR_SIZE);
        const k = Math.min(n, VECTOR_SIZE);
        v.input.set(addrs.subarray(0, k));
        v.output.fill(-7);
        v.lookup(n); // n above VECTOR_SIZE is clamped
        expectReference(routes, addrs, v.output, k, `vector n=${n}`);
        expect(v.output.subarray(k).every((x) => x === -7)).toBe(true);
      }
      expect(t.vector).toBe(t.vector);
    });
  }

  it('two DIR-24-8 tables keep their own vectors and answers', () => {
    const ra = bgpRoutes(31, 3000);
    const rb = randomPrefixes(new Prng(32, 'vec'), 3000);
    const a = LpmTable.compile(ra, { strategy: 'dir-24-8' });
    const b = LpmTable.compile(rb, { strategy: 'dir-24-8' });
    expect(a.vector.input).not.toBe(b.vector.input);
    const rng = new Prng(33, 'two');
    const addrs = probes(rng, [...ra, ...rb], 1000);
    const oa = new Int32Array(1000);
    const ob = new Int32Array(1000);
    // Interleaved, so that each table's loop runs after the other's.
    for (let r = 0; r < 3; r++) {
      a.lookupBatch(addrs, oa, 1000);
      b.lookupBatch(addrs, ob, 1000);
    }
    expectReference(ra, addrs, oa, 1000, 'table a');
    expectReference(rb, addrs, ob, 1000, 'table b');
  });

  it('clamps n to both arrays and reads nothing for n <= 0 or NaN', () => {
    const routes = bgpRoutes(34, 3000);
    const t = LpmTable.compile(routes, { strategy: 'dir-24-8' });
    const addrs = probes(new Prng(35), routes, VECTOR_SIZE);
    const out = new Int32Array(300).fill(-7);
    t.lookupBatch(addrs, out, 1000);
    expectReference(routes, addrs, out, 300, 'clamped to out');
    // Counts that wrap around 2^32 into 0..VECTOR_SIZE when truncated to int32.
    for (const n of [2 ** 32 + 5, 2 ** 33]) {
      t.vector.input.set(addrs.subarray(0, VECTOR_SIZE));
      t.vector.output.fill(-7);
      t.vector.lookup(n);
      expectReference(routes, addrs, t.vector.output, VECTOR_SIZE, `vector n=${n}`);
    }
    for (const n of [0, -5, Number.NaN, -(2 ** 32) + 3]) {
      const o = new Int32Array(4).fill(-7);
      t.lookupBatch(addrs, o, n);
      expect([...o]).toEqual([-7, -7, -7, -7]);
      t.vector.output.fill(-7);
      t.vector.lookup(n);
      expect(t.vector.output.every((x) => x === -7)).toBe(true);
    }
  });
});

describe('the DIR-24-8 vector loop once V8 has optimised it', () => {
  it('answers a million addresses as lookup() does, on every pass', () => {
    // Enough vectors for TurboFan to compile the table's loops (the bench's path);
    // the batch-size test above runs them mostly unoptimised.
    const routes = [...bgpRoutes(61, 20_000), ...randomPrefixes(new Prng(62, 'hot'), 2000)];
    const t = LpmTable.compile(routes, { strategy: 'dir-24-8' });
    const rng = new Prng(63, 'hot');
    const n = 1 << 20;
    const addrs = new Uint32Array(n);
    for (let i = 0; i < n; i++) addrs[i] = rng.next() < 0.1 ? (rng.next() * 2 ** 32) >>> 0 : probe(rng, routes);
    const want = new Int32Array(n);
    for (let i = 0; i < n; i++) want[i] = t.lookup(addrs[i]!);
    const out = new Int32Array(n);
    for (let pass = 0; pass < 3; pass++) {
      out.fill(-7);
      t.lookupBatch(addrs, out, n);
      for (let i = 0; i < n; i++) if (out[i] !== want[i]) expect({ pass, i, addr: addrs[i], got: out[i] }).toEqual({ pass, i, addr: addrs[i], got: want[i] });
    }
  });
});

describe('LpmTable.vectorLoop', () => {
  it('is specialised for DIR-24-8 where code can be made, plain for the other structures', () => {
    const routes = bgpRoutes(51, 3000);
    expect(LpmTable.compile(routes, { strategy: 'dir-24-8' }).vectorLoop).toBe('specialised');
    for (const strategy of ['dir-16-8', 'dir-16-search', 'range-table'] as const) expect(LpmTable.compile(routes, { strategy }).vectorLoop).toBe('plain');
  });
});

describe('the DIR-24-8 vector loop has feedback for every path before V8 optimises it', () => {
  it('takes a chunk path first seen after optimisation without leaving the optimised code', () => {
    // Without the warm-up at creation (lpm-specialise.ts), a path that never ran before
    // TurboFan compiled the loop is an exit to the interpreter ("insufficient type
    // feedback"), which can leave every later call in the slow on-stack-replacement code.
    ensureBuilt();
    const module = pathToFileURL(join(ROOT, 'dist', 'sim', 'net', 'lpm.js')).href;
    const script = [
      `const { LpmTable } = await import(${JSON.stringify(module)});`,
      // 10.0.0.0/16 -> 0, 10.0.1.0/25 -> 1: the block 10.0.1.0/24 has a chunk.
      "const t = LpmTable.compile([{ addr: 0x0a000000, len: 16 }, { addr: 0x0a000100, len: 25 }], { strategy: 'dir-24-8' });",
      'const v = t.vector;',
      'for (let r = 0; r < 3000; r++) { v.input.fill(0x0a000500); v.lookup(1024); }',
      'for (let r = 0; r < 300; r++) { v.input.fill(0x0a000181); v.lookup(1024); }',
      "if (v.output[0] !== 0 || v.output[1023] !== 0) throw new Error('wrong answer ' + v.output[0]);",
      'v.input.fill(0x0a000101); v.lookup(1024);',
      "if (v.output[0] !== 1 || v.output[1023] !== 1) throw new Error('wrong answer ' + v.output[0]);",
      "console.log('done');",
    ].join('\n');
    const r = spawnSync(process.execPath, ['--trace-deopt', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('done');
    expect(r.stdout.split('\n').filter((l) => /deoptimizing.*lookupVector/.test(l))).toEqual([]);
  });
});

describe('each DIR-24-8 table has its own source function', () => {
  it('V8 gives every table fresh code, not one cached source function shared by all', () => {
    // A table sharing its source function with another loses function-context
    // specialisation (lpm-specialise.ts). V8's own view, through %DebugPrint.
    ensureBuilt();
    const module = pathToFileURL(join(ROOT, 'dist', 'sim', 'net', 'lpm-specialise.js')).href;
    const script = [
      `const { dir24Vector } = await import(${JSON.stringify(module)});`,
      'for (let i = 0; i < 4; i++) %DebugPrint(dir24Vector(new Int32Array(16), new Int32Array(16)).lookup);',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const shared = [...r.stdout.matchAll(/shared_info: (0x[0-9a-f]+)/g)].map((m) => m[1]);
    expect(shared).toHaveLength(4);
    expect(new Set(shared).size).toBe(4);
  });
});
