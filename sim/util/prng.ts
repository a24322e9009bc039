/**
 * Deterministic pseudo-random numbers for the simulator: every random choice (SPIs, keys,
 * IVs, loss, fuzz mutations) derives from a scenario seed, so the same scenario and seed
 * give the same bytes. Not for cryptographic secrecy: this is a simulator.
 *
 * Generator: xoshiro128** seeded through splitmix32, 32-bit state words in a Uint32Array.
 */

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Hash a string to a uint32 (FNV-1a), to derive per-object seeds from names. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Prng {
  private readonly s = new Uint32Array(4);

  /** `seed` is any integer; `stream` separates independent sequences from one seed. */
  constructor(seed: number, stream: string | number = 0) {
    const st = { s: (seed ^ (typeof stream === 'string' ? hashString(stream) : Math.imul(stream, 0x27d4eb2d))) | 0 };
    for (let i = 0; i < 4; i++) this.s[i] = splitmix32(st);
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  /** Next uint32. */
  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Fill `out` with random bytes. */
  fill(out: Uint8Array): Uint8Array {
    this.fillAt(out, 0, out.length);
    return out;
  }

  /** Fill `out[offset, offset + len)` with random bytes (the same bytes `fill` gives a view of that range). */
  fillAt(out: Uint8Array, offset: number, len: number): void {
    for (let i = 0; i < len; i += 4) {
      let w = this.nextU32();
      for (let j = 0; j < 4 && i + j < len; j++) {
        out[offset + i + j] = w & 255;
        w >>>= 8;
      }
    }
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
