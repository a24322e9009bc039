/**
 * Big-endian fields and byte strings for the IKE codecs (sim/wire/ikev2-*, isakmp-*) and the
 * IKE key schedules (sim/ike/): reading and writing unsigned 8/16/32-bit fields, joining
 * parts, and copying out of a buffer that belongs to someone else.
 *
 * The readers check no bounds: every decoder checks a structure's length before it reads,
 * so a read past the end here is a bug in the caller. The `put*` writers refuse a value that
 * does not fit its field with a RangeError naming the field: an encoder's input is the
 * simulator's own typed representation, so an out-of-range number there is a bug, not
 * malformed input from outside; `write16`/`write32` are for values the caller has already
 * bounded (lengths it computed).
 */

/** The unsigned 16-bit big-endian field at `b[i]`. */
export function read16(b: Uint8Array, i: number): number {
  return (b[i]! << 8) | b[i + 1]!;
}

/** The unsigned 32-bit big-endian field at `b[i]`. */
export function read32(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

/** Write `v` (already within 16 bits) big-endian at `b[i]`. */
export function write16(b: Uint8Array, i: number, v: number): void {
  b[i] = (v >>> 8) & 0xff;
  b[i + 1] = v & 0xff;
}

/** Write `v` (already within 32 bits) big-endian at `b[i]`. */
export function write32(b: Uint8Array, i: number, v: number): void {
  b[i] = (v >>> 24) & 0xff;
  b[i + 1] = (v >>> 16) & 0xff;
  b[i + 2] = (v >>> 8) & 0xff;
  b[i + 3] = v & 0xff;
}

/** Write field `what` = `v` as one byte at `b[i]`; RangeError when it does not fit. */
export function put8(b: Uint8Array, i: number, v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`${what} ${v} does not fit in 8 bits`);
  b[i] = v;
}

/** Write field `what` = `v` as 16 bits big-endian at `b[i]`; RangeError when it does not fit. */
export function put16(b: Uint8Array, i: number, v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`${what} ${v} does not fit in 16 bits`);
  write16(b, i, v);
}

/** Write field `what` = `v` as 32 bits big-endian at `b[i]`; RangeError when it does not fit. */
export function put32(b: Uint8Array, i: number, v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`${what} ${v} does not fit in 32 bits`);
  write32(b, i, v);
}

/** `n` (0 ≤ n < 2^32) as four big-endian bytes (IKEv1's message IDs in hashes and IVs); RangeError otherwise. */
export function u32be(n: number): Uint8Array {
  const out = new Uint8Array(4);
  put32(out, 0, n, 'value');
  return out;
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

/**
 * A copy of `b[start, end)` as a plain Uint8Array. Not `b.slice`: on a Node Buffer (what a UDP
 * socket hands over) `slice` returns a view, so a decoded value would change with the socket's buffer.
 */
export function copyBytes(b: Uint8Array, start = 0, end = b.length): Uint8Array {
  return new Uint8Array(b.subarray(start, end));
}
