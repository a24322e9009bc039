/**
 * Big-endian reads and writes and byte concatenation shared by the ISAKMP (IKEv1) codecs.
 *
 * Owns nothing but arithmetic on bytes: callers check lengths before they read (every
 * `isakmp-*` decoder does, so these helpers never see a short buffer). Writers refuse a
 * value that does not fit its field with a RangeError, because an encoder's input is the
 * simulator's own typed representation and an out-of-range number there is a bug, not
 * malformed input from outside.
 */

/** The 16-bit big-endian number at `b[i]`. */
export function u16(b: Uint8Array, i: number): number {
  return (b[i]! << 8) | b[i + 1]!;
}

/** The 32-bit big-endian unsigned number at `b[i]`. */
export function u32(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

/** Write `v` as one byte at `b[i]`. */
export function put8(b: Uint8Array, i: number, v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`${what} ${v} does not fit in 8 bits`);
  b[i] = v;
}

/** Write `v` as 16 bits big-endian at `b[i]`. */
export function put16(b: Uint8Array, i: number, v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`${what} ${v} does not fit in 16 bits`);
  b[i] = v >>> 8;
  b[i + 1] = v & 0xff;
}

/** Write `v` as 32 bits big-endian at `b[i]`. */
export function put32(b: Uint8Array, i: number, v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`${what} ${v} does not fit in 32 bits`);
  b[i] = v >>> 24;
  b[i + 1] = (v >>> 16) & 0xff;
  b[i + 2] = (v >>> 8) & 0xff;
  b[i + 3] = v & 0xff;
}

/** The parts one after the other, in a new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
