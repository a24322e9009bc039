/**
 * The checks and the BigInt arithmetic of MODP Diffie-Hellman that every crypto backend
 * shares, so all of them accept and refuse exactly the same values.
 *
 * Owns: the private-value check (2 ≤ x ≤ p - 2, at most the prime's length: anything else
 * is the caller's mistake and a RangeError), the peer-value check (exactly the prime's
 * length, 1 < y < p - 1: anything else is a `false` the backend turns into `null`, never an
 * exception, because the value comes from the network), conversion between big-endian
 * bytes and BigInt with left-padding to a fixed length, and modular exponentiation for the
 * pure-JavaScript backend. Plain TypeScript: no Node module, so it runs in a browser.
 */
import type { ModpGroup } from './crypto.js';

const primes = new WeakMap<ModpGroup, bigint>();
const generators = new WeakMap<ModpGroup, bigint>();

/** p of `group`, parsed once per group object. */
export function modpPrime(group: ModpGroup): bigint {
  let p = primes.get(group);
  if (p === undefined) {
    p = BigInt(`0x${group.primeHex}`);
    primes.set(group, p);
  }
  return p;
}

/** g of `group`, parsed once per group object. */
export function modpGenerator(group: ModpGroup): bigint {
  let g = generators.get(group);
  if (g === undefined) {
    g = BigInt(`0x${group.generatorHex}`);
    generators.set(group, g);
  }
  return g;
}

/** The big-endian unsigned integer in `bytes` (0 for no bytes). */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex === '' ? 0n : BigInt(`0x${hex}`);
}

/** `x` (0 ≤ x < 256^length) as exactly `length` big-endian bytes, left-padded with zeros. */
export function bigIntToBytes(x: bigint, length: number): Uint8Array {
  const hex = x.toString(16);
  if (x < 0n || hex.length > 2 * length) throw new RangeError(`${hex.length} hex digits do not fit in ${length} bytes`);
  const padded = hex.padStart(2 * length, '0');
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(padded.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Copy of `bytes` left-padded with zeros to `length` (node's DH values drop leading zero bytes). */
export function leftPad(bytes: Uint8Array, length: number): Uint8Array {
  if (bytes.length > length) throw new RangeError(`a ${bytes.length}-byte value is longer than ${length} bytes`);
  const out = new Uint8Array(length);
  out.set(bytes, length - bytes.length);
  return out;
}

/** The private value x of `priv` for `group`; throws RangeError unless it has at most `group.length` bytes and 2 ≤ x ≤ p - 2. */
export function checkModpPrivate(group: ModpGroup, priv: Uint8Array): bigint {
  if (priv.length > group.length) throw new RangeError(`a ${priv.length}-byte private value is longer than group ${group.id}'s ${group.length}-byte prime`);
  const x = bytesToBigInt(priv);
  if (x < 2n || x > modpPrime(group) - 2n) throw new RangeError(`the private value for group ${group.id} is not in 2..p-2`);
  return x;
}

/** Whether a peer's public value may be used: exactly `group.length` bytes and 1 < y < p - 1. */
export function acceptableModpPublic(group: ModpGroup, peerPublic: Uint8Array): boolean {
  if (peerPublic.length !== group.length) return false;
  const y = bytesToBigInt(peerPublic);
  return y > 1n && y < modpPrime(group) - 1n;
}

/** base^exp mod m (m > 1), left to right over 4-bit windows of the exponent. */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  const b = base % m;
  // b^0 .. b^15 mod m.
  const table: bigint[] = [1n];
  for (let i = 1; i < 16; i++) table.push((table[i - 1]! * b) % m);
  const digits = exp.toString(16);
  let r = 1n;
  for (const d of digits) {
    r = (r * r) % m;
    r = (r * r) % m;
    r = (r * r) % m;
    r = (r * r) % m;
    const w = parseInt(d, 16);
    if (w !== 0) r = (r * table[w]!) % m;
  }
  return r;
}
