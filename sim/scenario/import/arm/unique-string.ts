/**
 * ARM's `uniqueString(...)`: its arguments joined with `-`, UTF-8 encoded, hashed with the
 * 64-bit MurmurHash variant of Microsoft's expression engine (two 32-bit lanes, its own
 * constants), and the hash's top 65 bits written as 13 base-32 letters (a-z, 2-7). The
 * test checks it against values Azure gives. All arithmetic is 32-bit: Math.imul and >>> 0.
 */

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x85ebca6b;
const C4 = 0xc2b2ae35;
const N1 = 0x561ccd1b;
const N2 = 0x0bcaa747;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function rotl(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

/** Little-endian word of up to 4 bytes of `b` from `i` (fewer at the end). */
function word(b: Uint8Array, i: number, n: number): number {
  let w = 0;
  for (let k = n - 1; k >= 0; k--) w = (w << 8) | (b[i + k] as number);
  return w >>> 0;
}

function mixK1(k: number): number {
  return Math.imul(rotl(Math.imul(k, C1) >>> 0, 15), C2) >>> 0;
}

function mixK2(k: number): number {
  return Math.imul(rotl(Math.imul(k, C2) >>> 0, 17), C1) >>> 0;
}

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), C3) >>> 0;
  h = Math.imul(h ^ (h >>> 13), C4) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** The 64-bit hash of `bytes` as its high and low 32-bit halves. */
export function murmurHash64(bytes: Uint8Array): { readonly hi: number; readonly lo: number } {
  const n = bytes.length;
  let h1 = 0;
  let h2 = 0;
  let i = 0;
  for (; i + 7 < n; i += 8) {
    h1 = rotl((h1 ^ mixK1(word(bytes, i, 4))) >>> 0, 19);
    h1 = (Math.imul((h1 + h2) >>> 0, 5) + N1) >>> 0;
    h2 = rotl((h2 ^ mixK2(word(bytes, i + 4, 4))) >>> 0, 13);
    h2 = (Math.imul((h2 + h1) >>> 0, 5) + N2) >>> 0;
  }
  const tail = n - i;
  if (tail > 0) {
    h1 = (h1 ^ mixK1(word(bytes, i, Math.min(tail, 4)))) >>> 0;
    if (tail > 4) h2 = (h2 ^ mixK2(word(bytes, i + 4, tail - 4))) >>> 0;
  }
  h1 = (h1 ^ n) >>> 0;
  h2 = (h2 ^ n) >>> 0;
  h1 = (h1 + h2) >>> 0;
  h2 = (h2 + h1) >>> 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = (h1 + h2) >>> 0;
  h2 = (h2 + h1) >>> 0;
  return { hi: h2, lo: h1 };
}

export function uniqueString(values: readonly string[]): string {
  const { hi, lo } = murmurHash64(new TextEncoder().encode(values.join('-')));
  let h = (BigInt(hi) << 32n) | BigInt(lo);
  let out = '';
  for (let k = 0; k < 13; k++) {
    out += ALPHABET[Number(h >> 59n)];
    h = (h << 5n) & 0xffffffffffffffffn;
  }
  return out;
}
