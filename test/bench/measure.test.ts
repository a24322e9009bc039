import { describe, expect, it } from 'vitest';
import { measure, nowMs, type Variant } from '../../cli/bench/measure.js';

/** Busy-wait `ms` milliseconds (a stand-in for a GC pause or a preempted core). */
function stall(ms: number): void {
  const end = nowMs() + ms;
  while (nowMs() < end) { /* spin */ }
}

/** Keeps the busy loops' results alive. */
let sink = 0;

describe('bench clock calibration', () => {
  it('is not stopped by one slow call while it grows the repetition size', () => {
    let calls = 0;
    let items = 0;
    // About 0.2 µs an item, except the second call (the first timed one), which stalls
    // as long as a whole repetition is meant to take.
    const v: Variant = {
      name: 'stalls once', role: 'subject',
      run(count: number): void {
        calls++;
        if (calls === 2) stall(20);
        let x = 0;
        for (let i = 0; i < count * 20; i++) x = (x + i) | 0;
        sink ^= x;
        items += count;
      },
    };
    const [r] = measure([v], { reps: 5, warmupMs: 0, repMs: 15 });
    // Without the second timing it settled at one item per repetition.
    expect(r!.itemsPerRep).toBeGreaterThan(1000);
    expect(r!.samples).toHaveLength(5);
    expect(items).toBeGreaterThan(5 * 1000);
  });

  it('keeps one item per repetition when every item takes longer than a repetition', () => {
    const v: Variant = { name: 'slow', role: 'subject', run: (count) => stall(10 * count) };
    const [r] = measure([v], { reps: 5, warmupMs: 0, repMs: 15 });
    expect(r!.itemsPerRep).toBeLessThanOrEqual(2);
  });
});
