import { describe, it } from 'vitest';
import { regionSort } from '../../sim/engine/region-sort.js';
import { checkRegionSort } from './region-sort-cases.js';

describe('regionSort', () => {
  it('sorts a region of distinct batch indices in place, leaving the rest and the marks as they were', () => {
    checkRegionSort(regionSort);
  });
});
