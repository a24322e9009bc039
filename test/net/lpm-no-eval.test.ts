import { afterEach, describe, expect, it, vi } from 'vitest';
import { LpmTable } from '../../sim/net/lpm.js';
import { dir24Vector } from '../../sim/net/lpm-specialise.js';
import { bgpRoutes, randomAddresses } from '../../sim/bench/lpm-workloads.js';
import { referenceLookup } from '../../sim/net/lpm-reference.js';
import { refuseEval } from '../support/refuse-eval.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('LpmTable where code cannot be made from text', () => {
  it('DIR-24-8 falls back to its plain loop and still agrees with the reference', () => {
    const routes = bgpRoutes(41, 3000);
    const t = LpmTable.compile(routes, { strategy: 'dir-24-8' });
    const addrs = randomAddresses(42, 1000);
    for (let i = 0; i < routes.length && i < 500; i++) addrs[i] = (routes[i]!.addr + (i % 3)) >>> 0;
    const out = new Int32Array(1000);
    refuseEval();
    expect(dir24Vector(new Int32Array(1 << 24), new Int32Array(256))).toBeNull();
    t.lookupBatch(addrs, out, 1000);
    const v = t.vector;
    expect(t.vectorLoop).toBe('plain');
    v.input.set(addrs.subarray(0, v.input.length));
    v.lookup(v.input.length);
    vi.unstubAllGlobals();
    for (let i = 0; i < 1000; i++) {
      const want = referenceLookup(routes, addrs[i]!);
      if (out[i] !== want) expect({ i, got: out[i] }).toEqual({ i, got: want });
      if (i < v.input.length && v.output[i] !== want) expect({ i, vector: v.output[i] }).toEqual({ i, vector: want });
    }
  });
});
