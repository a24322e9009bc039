/**
 * Reference model of the anti-replay window, for tests: obviously right, not fast.
 *
 * A set of every accepted sequence number and the highest one. A number is acceptable if
 * it is not 0, not already seen, and above `highest - size`. Nothing is ever forgotten, so
 * there is no ring and no sliding to get wrong; `ReplayWindow` must agree with it.
 */

/** Plain reference for `ReplayWindow` (same `check`/`update` contract). */
export class ReplayReference {
  private readonly seen = new Set<number>();
  private highest = 0;

  constructor(readonly size: number) {}

  /** Highest accepted sequence number. */
  get top(): number {
    return this.highest;
  }

  /** Would `seq` be accepted? */
  check(seq: number): boolean {
    if (seq === 0) return false;
    if (seq > this.highest) return true;
    if (seq <= this.highest - this.size) return false;
    return !this.seen.has(seq);
  }

  /** Accept `seq` if `check` allows it. */
  update(seq: number): boolean {
    if (!this.check(seq)) return false;
    this.seen.add(seq);
    if (seq > this.highest) this.highest = seq;
    return true;
  }
}
