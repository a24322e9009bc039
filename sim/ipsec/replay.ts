/**
 * Anti-replay window (RFC 4303 §3.4.3 and Appendix A), 32-bit sequence numbers.
 *
 * Owns the receiver's window: the highest authenticated sequence number (`top`) and a
 * bitmap of which of the `size` numbers ending at `top` were seen. The bitmap is a ring
 * over a Uint32Array indexed by `seq mod size` (the layout of RFC 6479 and Linux's
 * `xfrm_replay_*_bmp`), so sliding the window clears bits instead of shifting words.
 *
 * Two steps, as RFC 4303 asks and strongSwan's esp_context does: `check(seq)` before the
 * ICV is verified (cheap rejection of duplicates and stale numbers), `update(seq)` only
 * after the ICV verified, so forged packets cannot move the window. Refused: sequence
 * number 0 (never sent: the first packet is 1), numbers at or below `top - size`, numbers
 * already marked. Extended sequence numbers (64-bit) are not modelled.
 */

/** Default window size (RFC 4303: 32 minimum, 64 recommended). */
export const DEFAULT_REPLAY_WINDOW = 64;
/** Largest window this implementation accepts. */
export const MAX_REPLAY_WINDOW = 65536;

/** Round a requested window size to a supported one: a multiple of 32, 32..65536. */
export function normalizeWindowSize(size: number): number {
  if (!Number.isFinite(size) || size <= 32) return 32;
  return Math.min(MAX_REPLAY_WINDOW, Math.ceil(size / 32) * 32);
}

/** A receiver's anti-replay window. */
export class ReplayWindow {
  /** Window size in sequence numbers (a multiple of 32). */
  readonly size: number;
  private readonly bits: Uint32Array;
  private topSeq = 0;

  /** `size` is rounded up to a multiple of 32 (minimum 32, maximum 65536). */
  constructor(size: number = DEFAULT_REPLAY_WINDOW) {
    this.size = normalizeWindowSize(size);
    this.bits = new Uint32Array(this.size >>> 5);
  }

  /** Highest sequence number accepted so far (0 before the first). */
  get top(): number {
    return this.topSeq;
  }

  private isSet(seq: number): boolean {
    const pos = seq % this.size;
    return (this.bits[pos >>> 5]! & (1 << (pos & 31))) !== 0;
  }

  private set(seq: number): void {
    const pos = seq % this.size;
    this.bits[pos >>> 5] = this.bits[pos >>> 5]! | (1 << (pos & 31));
  }

  private clear(seq: number): void {
    const pos = seq % this.size;
    this.bits[pos >>> 5] = this.bits[pos >>> 5]! & ~(1 << (pos & 31));
  }

  /** Would `seq` be accepted? Call before the ICV is verified; changes nothing. */
  check(seq: number): boolean {
    const s = seq >>> 0;
    if (s === 0) return false;
    if (s > this.topSeq) return true;
    if (this.topSeq - s >= this.size) return false;
    return !this.isSet(s);
  }

  /**
   * Record `seq` as received. Call only after the ICV verified (and `check` said yes).
   * Returns false, changing nothing, if `seq` would not pass `check`.
   */
  update(seq: number): boolean {
    const s = seq >>> 0;
    if (!this.check(s)) return false;
    if (s > this.topSeq) {
      const diff = s - this.topSeq;
      if (diff >= this.size) {
        this.bits.fill(0);
      } else {
        // Slide: the numbers top+1 .. s-1 enter the window unseen.
        for (let n = this.topSeq + 1; n < s; n++) this.clear(n);
      }
      this.topSeq = s;
    }
    this.set(s);
    return true;
  }

  /** Forget everything (a new SA). */
  reset(): void {
    this.bits.fill(0);
    this.topSeq = 0;
  }
}
