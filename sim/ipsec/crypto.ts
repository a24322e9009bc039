/**
 * The crypto primitives ESP needs, behind one interface, so the same ESP code runs on
 * OpenSSL through the native addon (fastest, the default when it was built), node:crypto
 * (OpenSSL through Node's API) or node-forge (pure JavaScript). All must give the same
 * bytes for the same inputs; a shared conformance suite checks that.
 *
 * Owns the contract only: CBC without padding (ESP pads itself, RFC 4303 §2.4), GCM seal
 * and open with AAD and a 16-byte tag, HMAC truncated to 96 bits. Callers pass lengths that
 * are already checked (CBC input a multiple of the block size, keys of the table's length);
 * the one failure the data path can cause, a GCM tag that does not verify, is a `null`
 * result, never an exception.
 */
import type { CbcCipherName, GcmCipherName, HmacHashName, Transform } from './transforms.js';

/** Crypto backend names (the CLI's `--crypto` values). */
export const CRYPTO_BACKEND_NAMES = ['native', 'node', 'forge'] as const;
/** A crypto backend name. */
export type CryptoBackendName = (typeof CRYPTO_BACKEND_NAMES)[number];

/** Length of the GCM tag used by ESP (RFC 4106 ICV of 16 octets). */
export const GCM_TAG_LEN = 16;
/** Length of the GCM nonce: 4-byte salt ‖ 8-byte explicit IV (RFC 4106 §4). */
export const GCM_NONCE_LEN = 12;
/** Length of a truncated HMAC ICV (RFC 2403/2404: 96 bits). */
export const HMAC96_LEN = 12;

/**
 * A CBC context kept for the life of an SA: each `updateInto` continues the chain from the
 * last ciphertext block of the previous call (OpenSSL keeps it in the context), so N
 * packets cost N update calls and one key schedule. Input and output lengths are equal
 * multiples of the block size (no padding).
 */
export interface CbcStream {
  /**
   * Continue the chain over `buf[start, end)`, writing to `out` at `offset`; `out` may be
   * `buf` at offset `start` (in place). Ranges instead of views: the data path allocates
   * nothing.
   */
  updateInto(buf: Uint8Array, start: number, end: number, out: Uint8Array, offset: number): void;
}

/** What an `EspFramer` needs of its SA (a `SecurityAssociation` is one). */
export interface EspFramerSa {
  readonly transform: Transform;
  /** Encryption key (GCM: key ‖ 4-byte salt). */
  readonly encKey: Uint8Array;
  readonly authKey: Uint8Array;
  /** CBC: the block the SA's outbound chain continues from. */
  readonly cbcChain: Uint8Array;
  readonly spi: number;
  readonly src: number;
  readonly dst: number;
}

/**
 * One SA's whole ESP transform in one call per packet: the packet layout and checks of
 * esp.ts (which keeps the SA's sequence numbers, IV source, replay window and counters,
 * and stays the reference the framer is tested against), done where the crypto runs.
 */
export interface EspFramer {
  /**
   * Write the ESP packet of `inner` at `out[offset..]`: outer IPv4 header, ESP header,
   * inner packet, padding, trailer, then encrypt and add the ICV. The caller has written
   * the packet's IV at `out[offset + 28..]`. `hdr` packs the outer identification (bits
   * 31-16), TTL (15-8) and DF (1-0: 0 copy the inner DF, 1 set, 2 clear).
   */
  seal(inner: Uint8Array, out: Uint8Array, offset: number, seq: number, hdr: number): void;
  /**
   * Verify, decrypt and check the trailer of the ESP part `buf[start, end)` (SPI..ICV,
   * lengths already checked) into `out[offset..]`: the inner packet's length (it starts
   * at `out[offset + IV length]` for CBC, at `out[offset]` otherwise), -1 when the ICV
   * does not verify, -2 when it does but the padding or next header is wrong.
   */
  open(buf: Uint8Array, start: number, end: number, out: Uint8Array, offset: number): number;
  /** CBC: copy the outbound chain's last block to `chain` (before another backend takes over). */
  saveChain(chain: Uint8Array): void;
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
  /** Optional: the whole ESP transform of `sa` per call (else esp.ts frames the packet and calls the primitives). */
  espFramer?(sa: EspFramerSa): EspFramer;
}

/** Compare two byte ranges without early exit (the ICV compare; timing is moot in a simulator, but it costs nothing). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
