/**
 * Big-endian fields and byte joining for the IKEv2 codecs.
 *
 * Owns reading and writing unsigned 16- and 32-bit fields and joining encoded parts. It
 * checks no bounds: every decoder checks a structure's length before it reads, and every
 * encoder sizes its buffer before it writes, so a read here past the end is a bug in the caller.
 */

/** The unsigned 16-bit big-endian field at `b[i]`. */
export function read16(b: Uint8Array, i: number): number {
  return (b[i]! << 8) | b[i + 1]!;
}

/** The unsigned 32-bit big-endian field at `b[i]`. */
export function read32(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

/** Write `v` as an unsigned 16-bit big-endian field at `b[i]`. */
export function write16(b: Uint8Array, i: number, v: number): void {
  b[i] = (v >>> 8) & 0xff;
  b[i + 1] = v & 0xff;
}

/** Write `v` as an unsigned 32-bit big-endian field at `b[i]`. */
export function write32(b: Uint8Array, i: number, v: number): void {
  b[i] = (v >>> 24) & 0xff;
  b[i + 1] = (v >>> 16) & 0xff;
  b[i + 2] = (v >>> 8) & 0xff;
  b[i + 3] = v & 0xff;
}

/** The parts one after the other, in a new buffer. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
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
