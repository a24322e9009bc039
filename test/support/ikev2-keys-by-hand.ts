/**
 * Test support: IKEv2 IKE SA key derivation for the 2016 suite (PRF_HMAC_SHA1,
 * AUTH_HMAC_SHA1_96, ENCR_AES_CBC, MODP-1024), written from RFC 7296 §2.13/§2.14 and RFC
 * 2409 §6.2 with node:crypto, to check what a real charon logs without using the
 * simulator's own key schedule.
 *
 * Owns: the MODP-1024 shared secret (g^ir, left-padded to the 128-byte prime length) from a
 * peer's public value and a private exponent, and SKEYSEED with the seven SK_* keys over
 * HMAC-SHA1 (prf+ is ike-keys-by-hand.ts's). Refuses other groups and PRFs.
 */
import { getDiffieHellman } from 'node:crypto';
import { concat, hmac, prfPlus } from './ike-keys-by-hand.js';
import type { Ikev2SaKeys as Ikev2SkKeys } from './ike-keys-by-hand.js';

const MODP1024_PRIME = BigInt('0x' + getDiffieHellman('modp2').getPrime('hex'));

function toBigInt(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + Buffer.from(b).toString('hex'));
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
  }
  return result;
}

function fixedLength(n: bigint, bytes: number): Uint8Array {
  return Uint8Array.from(Buffer.from(n.toString(16).padStart(bytes * 2, '0'), 'hex'));
}

/** g^x mod p for MODP-1024, 128 bytes. */
export function modp1024Public(privateKey: Uint8Array): Uint8Array {
  return fixedLength(modPow(2n, toBigInt(privateKey), MODP1024_PRIME), 128);
}

/** (peer public)^x mod p for MODP-1024, left-padded to 128 bytes. */
export function modp1024Shared(peerPublic: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return fixedLength(modPow(toBigInt(peerPublic), toBigInt(privateKey), MODP1024_PRIME), 128);
}

/** The seven SK_* keys (ike-keys-by-hand.ts) and the SKEYSEED they come from. */
export interface Ikev2SaKeys extends Ikev2SkKeys {
  readonly skeyseed: Uint8Array;
}

/**
 * SKEYSEED = prf(Ni | Nr, g^ir); {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} =
 * prf+(SKEYSEED, Ni | Nr | SPIi | SPIr), with HMAC-SHA1 (20-byte SK_d, SK_a*, SK_p*) and an
 * AES-CBC key of `encrKeyBytes` bytes.
 */
export function ikev2SaKeysSha1(args: {
  readonly ni: Uint8Array;
  readonly nr: Uint8Array;
  readonly spiI: Uint8Array;
  readonly spiR: Uint8Array;
  readonly shared: Uint8Array;
  readonly encrKeyBytes: number;
}): Ikev2SaKeys {
  const skeyseed = hmac('sha1', concat(args.ni, args.nr), args.shared);
  const e = args.encrKeyBytes;
  const all = prfPlus('sha1', skeyseed, concat(args.ni, args.nr, args.spiI, args.spiR), 20 * 5 + 2 * e);
  let at = 0;
  const take = (n: number): Uint8Array => all.slice(at, (at += n));
  return { skeyseed, skD: take(20), skAi: take(20), skAr: take(20), skEi: take(e), skEr: take(e), skPi: take(20), skPr: take(20) };
}
