/**
 * The crypto primitives ESP needs, behind one interface, so the same ESP code runs on
 * node:crypto (default, fast, OpenSSL) or node-forge (pure JavaScript). Both must give the
 * same bytes for the same inputs; a shared conformance suite checks that.
 *
 * Owns the contract only: CBC without padding (ESP pads itself, RFC 4303 §2.4), GCM seal
 * and open with AAD and a 16-byte tag, HMAC truncated to 96 bits. Callers pass lengths that
 * are already checked (CBC input a multiple of the block size, keys of the table's length);
 * the one failure the data path can cause, a GCM tag that does not verify, is a `null`
 * result, never an exception.
 */
import type { CbcCipherName, GcmCipherName, HmacHashName } from './transforms.js';

/** Crypto backend names (the CLI's `--crypto` values). */
export const CRYPTO_BACKEND_NAMES = ['node', 'forge'] as const;
/** A crypto backend name. */
export type CryptoBackendName = (typeof CRYPTO_BACKEND_NAMES)[number];

/** Length of the GCM tag used by ESP (RFC 4106 ICV of 16 octets). */
export const GCM_TAG_LEN = 16;
/** Length of the GCM nonce: 4-byte salt ‖ 8-byte explicit IV (RFC 4106 §4). */
export const GCM_NONCE_LEN = 12;
/** Length of a truncated HMAC ICV (RFC 2403/2404: 96 bits). */
export const HMAC96_LEN = 12;

/**
 * A CBC context kept for the life of an SA: each `update` continues the chain from the
 * last ciphertext block of the previous call (OpenSSL keeps it in the context), so N
 * packets cost N update calls and one key schedule. Input and output lengths are equal
 * multiples of the block size (no padding).
 */
export interface CbcStream {
  update(data: Uint8Array): Uint8Array;
}

/** The primitive operations of the ESP transform. */
export interface CryptoBackend {
  readonly name: CryptoBackendName;
  /** CBC-encrypt `plaintext` (length a multiple of the block size) with no padding. */
  cbcEncrypt(cipher: CbcCipherName, key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** CBC-decrypt `ciphertext` (length a multiple of the block size) with no unpadding. */
  cbcDecrypt(cipher: CbcCipherName, key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array;
  /** GCM-encrypt: returns ciphertext ‖ 16-byte tag. `nonce` is 12 bytes. */
  gcmSeal(cipher: GcmCipherName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Optional: gcmSeal writing ciphertext ‖ tag into `out` at `offset` (saves a copy). */
  gcmSealInto?(cipher: GcmCipherName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, out: Uint8Array, offset: number): void;
  /** GCM-decrypt and verify `tag`: the plaintext, or null if the tag does not verify. */
  gcmOpen(cipher: GcmCipherName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Uint8Array | null;
  /**
   * Optional: a long-lived CBC context started with `iv`, encrypting or decrypting. A
   * backend without it is driven packet by packet through cbcEncrypt/cbcDecrypt with the
   * chaining value passed as the IV (same bytes, slower).
   */
  cbcStream?(cipher: CbcCipherName, key: Uint8Array, iv: Uint8Array, decrypt: boolean): CbcStream;
  /** HMAC of `data` truncated to its first 12 bytes. */
  hmac96(hash: HmacHashName, key: Uint8Array, data: Uint8Array): Uint8Array;
}

/** Compare two byte ranges without early exit (the ICV compare; timing is moot in a simulator, but it costs nothing). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
