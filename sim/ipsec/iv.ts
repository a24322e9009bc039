/**
 * IV sources for ESP, one per outbound SA, deterministic so the same seed gives the same
 * packets.
 *
 * Owns two generators: random IVs from a seeded `Prng` stream for CBC (RFC 3602 §3 and
 * RFC 2451: the IV must be unpredictable; a seeded PRNG is unpredictable enough for a
 * simulator and reproducible), and a 64-bit counter for GCM (RFC 4106 §3.1: the IV must
 * never repeat under one key; a counter guarantees it, as strongSwan's `iv_seq` does).
 * Nothing here reads a clock or Math.random.
 */
import { Prng } from '../util/prng.js';

/** Writes the next IV of `len` bytes into `out[offset, offset+len)`. */
export interface IvSource {
  /** Write the next IV; each call yields a new one. */
  next(out: Uint8Array, offset: number, len: number): void;
}

/** Random IVs from a seeded PRNG stream (for CBC). */
export class PrngIvSource implements IvSource {
  private readonly prng: Prng;

  /** `seed` and `stream` as for `Prng` (use one stream per SA, e.g. the SA's name). */
  constructor(seed: number, stream: string | number) {
    this.prng = new Prng(seed, stream);
  }

  next(out: Uint8Array, offset: number, len: number): void {
    this.prng.fillAt(out, offset, len);
  }
}

/** A big-endian 64-bit counter (for GCM explicit IVs); starts at `start` (default 1). */
export class CounterIvSource implements IvSource {
  private hi: number;
  private lo: number;

  constructor(start = 1) {
    this.hi = Math.floor(start / 4294967296) >>> 0;
    this.lo = start >>> 0;
  }

  next(out: Uint8Array, offset: number, len: number): void {
    // Writes the counter right-aligned in `len` bytes (8 for GCM), zero-filled on the left.
    for (let i = 0; i < len; i++) out[offset + i] = 0;
    for (let b = 0; b < 8; b++) {
      const pos = len - 8 + b;
      const v = b < 4 ? this.hi : this.lo;
      if (pos >= 0) out[offset + pos] = (v >>> (24 - 8 * (b & 3))) & 0xff;
    }
    this.lo = (this.lo + 1) >>> 0;
    if (this.lo === 0) this.hi = (this.hi + 1) >>> 0;
  }
}

/** A fixed sequence of IVs (for known-answer tests); repeats the last one when exhausted. */
export class FixedIvSource implements IvSource {
  private i = 0;

  constructor(private readonly ivs: readonly Uint8Array[]) {}

  next(out: Uint8Array, offset: number, len: number): void {
    const iv = this.ivs[Math.min(this.i, this.ivs.length - 1)];
    this.i++;
    for (let k = 0; k < len; k++) out[offset + k] = iv?.[k] ?? 0;
  }
}
