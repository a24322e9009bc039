/**
 * Random cases for the dispatcher's region sort (sim/engine/region-sort.ts): regions of a
 * slots array holding distinct batch indices in any order, sorted in place; the other
 * regions and the marks are left as they were.
 */
import { expect } from 'vitest';
import type { RegionSort } from '../../sim/engine/region-sort.js';
import { Prng } from '../../sim/util/prng.js';

/** Sort 300 random regions with the sort `make` returns over fresh slots and marks, checking each. */
export function checkRegionSort(make: (slots: Int32Array, mark: Uint8Array) => RegionSort): void {
  const rng = new Prng(7, 'region-sort');
  const capacity = 256;
  const regions = 4;
  const slots = new Int32Array(capacity * regions);
  const mark = new Uint8Array(capacity);
  const sort = make(slots, mark);
  for (let c = 0; c < 300; c++) {
    for (let k = 0; k < slots.length; k++) slots[k] = rng.int(capacity);
    const region = rng.int(regions);
    const n = rng.pick([0, 1, 2, 3, rng.range(1, capacity), capacity]);
    // n distinct indices: a shuffled range, or two interleaved sorted runs (what two nodes queue).
    const picked = [...Array(capacity).keys()].filter(() => rng.int(capacity) < n + 8).slice(0, n);
    while (picked.length < n) picked.push([...Array(capacity).keys()].find((x) => !picked.includes(x))!);
    const list = rng.int(2) === 0
      ? picked.sort(() => rng.int(3) - 1)
      : [...picked.filter((_, k) => k % 2 === 0), ...picked.filter((_, k) => k % 2 === 1)];
    const at = region * capacity;
    slots.set(list, at);
    const before = Int32Array.from(slots);
    sort(at, n);
    const want = [...list].sort((x, y) => x - y);
    expect([...slots.subarray(at, at + n)]).toEqual(want);
    for (let k = 0; k < slots.length; k++) if ((k < at || k >= at + n) && slots[k] !== before[k]) expect({ c, k, slot: slots[k] }).toEqual({ c, k, slot: before[k] });
    expect(mark.every((x) => x === 0)).toBe(true);
  }
}
