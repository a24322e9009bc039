/**
 * The byte-string building the IKE key schedules share: concatenation of the pieces a
 * formula names (Ni ‖ Nr ‖ SPIi ‖ SPIr) and a message ID as the four big-endian bytes
 * IKEv1's hashes and IVs take. Always a fresh array; nothing here reads a message.
 */

/** `parts` end to end, in a new array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
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

/** `n` (0 ≤ n < 2^32) as four big-endian bytes; RangeError otherwise. */
export function u32be(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`${String(n)} is not a 32-bit unsigned number`);
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}
