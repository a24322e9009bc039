/**
 * The Internet checksum (RFC 1071): 16-bit ones' complement of the ones' complement sum.
 *
 * Owns the summing used by IPv4, ICMP, UDP and TCP, and the IPv4 pseudo-header of RFC 768 /
 * RFC 793. Pure functions over a byte range; they read only `[start, end)` of the buffer,
 * so callers check lengths first.
 */

/** Add the 16-bit big-endian words of `bytes[start, end)` to `acc` (odd tail padded with 0). */
export function sumWords(bytes: Uint8Array, start: number, end: number, acc = 0): number {
  let s = acc;
  let i = start;
  // Four bytes per step (the sum stays far below 2^53): a quarter fewer loop tests.
  for (; i + 3 < end; i += 4) s += ((bytes[i]! << 8) | bytes[i + 1]!) + ((bytes[i + 2]! << 8) | bytes[i + 3]!);
  for (; i + 1 < end; i += 2) s += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < end) s += bytes[i]! << 8;
  return s;
}

/** Fold a 32-bit+ sum into 16 bits and complement it. */
export function finish(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

/** Internet checksum of `bytes[start, end)`. Over bytes that include a correct checksum it is 0. */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return finish(sumWords(bytes, start, end));
}

/** Sum of the IPv4 pseudo-header (src, dst, zero, protocol, upper-layer length). */
export function pseudoHeaderSum(src: number, dst: number, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}
