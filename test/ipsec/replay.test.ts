import { describe, expect, it } from 'vitest';
import { ReplayReference } from '../../sim/ipsec/replay-reference.js';
import { ReplayWindow, normalizeWindowSize } from '../../sim/ipsec/replay.js';
import { Prng } from '../../sim/util/prng.js';

describe('anti-replay window', () => {
  it('follows RFC 4303 on a hand-made sequence (size 32)', () => {
    const w = new ReplayWindow(32);
    expect(w.check(0)).toBe(false);
    expect(w.update(1)).toBe(true);
    expect(w.check(1)).toBe(false);
    expect(w.update(3)).toBe(true);
    expect(w.check(2)).toBe(true);
    expect(w.update(40)).toBe(true);
    expect(w.check(8)).toBe(false); // 40 - 8 = 32 ≥ size: left of the window
    expect(w.check(9)).toBe(true);
    expect(w.update(9)).toBe(true);
    expect(w.update(9)).toBe(false);
    expect(w.update(2000)).toBe(true);
    expect(w.check(40)).toBe(false);
    expect(w.check(1999)).toBe(true);
    expect(w.top).toBe(2000);
  });

  it('check does not change state', () => {
    const w = new ReplayWindow(64);
    expect(w.check(5)).toBe(true);
    expect(w.check(5)).toBe(true);
    expect(w.top).toBe(0);
  });

  it('rounds sizes to multiples of 32', () => {
    expect(normalizeWindowSize(0)).toBe(32);
    expect(normalizeWindowSize(64)).toBe(64);
    expect(normalizeWindowSize(100)).toBe(128);
    expect(new ReplayWindow(1024).size).toBe(1024);
  });

  it.each([32, 64, 1024])('agrees with the reference model (size %i) under loss, reordering, duplicates', (size) => {
    const prng = new Prng(4303, `replay-${size}`);
    for (let run = 0; run < 4; run++) {
      const fast = new ReplayWindow(size);
      const ref = new ReplayReference(size);
      let next = 1;
      const sent: number[] = [];
      let accepted = 0;
      for (let step = 0; step < 5000; step++) {
        let seq: number;
        const r = prng.next();
        if (r < 0.55) seq = next++; // in order
        else if (r < 0.65) seq = (next += 1 + prng.int(size * 3)); // burst loss (gap, sometimes beyond the window)
        else if (r < 0.85 && sent.length > 0) seq = sent[sent.length - 1 - prng.int(Math.min(sent.length, size * 2))]!; // reordered / duplicate
        else if (r < 0.95) seq = Math.max(0, next - prng.int(size * 2)); // late arrival near the edge
        else seq = prng.int(4) === 0 ? 0 : next + prng.int(3); // zero or a little ahead
        sent.push(seq);
        const c = fast.check(seq);
        expect(c, `check(${seq}) step ${step}`).toBe(ref.check(seq));
        // One in five packets that pass the check "fails the ICV": no update, the window must not move.
        if (c && prng.next() < 0.8) {
          expect(fast.update(seq)).toBe(ref.update(seq));
          accepted++;
        }
        expect(fast.top).toBe(ref.top);
      }
      expect(accepted).toBeGreaterThan(1000);
    }
  });

  it('handles sequence numbers near 2^32', () => {
    const w = new ReplayWindow(64);
    const ref = new ReplayReference(64);
    for (const s of [0xfffffff0, 0xffffffff, 0xfffffffe, 0xffffffbf, 0xffffffc0, 0xffffffff]) {
      expect(w.check(s)).toBe(ref.check(s));
      expect(w.update(s)).toBe(ref.update(s));
    }
  });
});
