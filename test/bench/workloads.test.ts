import { describe, expect, it } from 'vitest';
import { randomSelectors, selectorProbes } from '../../sim/bench/workloads.js';
import { bgpRoutes, randomAddresses } from '../../sim/bench/lpm-workloads.js';

describe('bench workloads', () => {
  it('clamp negative sizes to 0 (nothing is rejected)', () => {
    expect(bgpRoutes(1, -1)).toEqual([]);
    expect(randomAddresses(1, -1).length).toBe(0);
    expect(randomSelectors(1, -1)).toEqual([]);
    const p = selectorProbes(1, randomSelectors(1, 10), -1);
    expect([p.src.length, p.dst.length]).toEqual([0, 0]);
  });
});
