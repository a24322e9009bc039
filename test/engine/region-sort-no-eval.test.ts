import { afterEach, describe, it, vi } from 'vitest';
import { regionSort } from '../../sim/engine/region-sort.js';
import { refuseEval } from '../support/refuse-eval.js';
import { checkRegionSort } from './region-sort-cases.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('regionSort where code cannot be made from text', () => {
  it('falls back to its plain loop, which sorts the same way', () => {
    refuseEval();
    checkRegionSort(regionSort);
  });
});
