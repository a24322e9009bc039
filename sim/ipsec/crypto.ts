/**
 * The crypto primitives ESP and IKE need, behind one interface, so the same code runs on
 * OpenSSL through the native addon (fastest, the default when it was built), node:crypto
 * (OpenSSL through Node's API) or node-forge with BigInt (pure JavaScript, what a browser
 * build can use). All must give the same bytes for the same inputs; a shared conformance
 * suite checks that.
 *
 * Owns the contract only: CBC without padding (ESP and IKE pad themselves, RFC 4303 §2.4,
 * RFC 7296 §3.14), GCM seal and open with AAD and a 16-byte tag, HMAC truncated to 96 bits,
 * full-length HMAC (the IKE PRFs), plain hashes, and finite-field (MODP) Diffie-Hellman
 * with the private value given by the caller, so runs stay deterministic. Callers pass
 * lengths that are already checked (CBC input a multiple of the block size, keys of the
 * table's length, a private value in range); what can come from outside never throws: a
 * GCM tag that does not verify and a peer's Diffie-Hellman value that is out of range are
 * `null` results.
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

/** Hash functions of the IKE PRFs (HMAC-<hash>) and of IKEv1's phase-1 IV (the plain hash). */
export const HASH_NAMES = ['md5', 'sha1', 'sha256', 'sha384', 'sha512'] as const;
/** A hash function name (node:crypto spelling). */
export type HashName = (typeof HASH_NAMES)[number];
/** Output length in bytes of each hash (and of its HMAC). */
export const HASH_LENGTHS: { readonly [K in HashName]: number } = { md5: 16, sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/**
 * A finite-field Diffie-Hellman group (MODP: RFC 2409 §6, RFC 3526, RFC 5114 §2), as a
 * backend computes with it. The groups are data in sim/ike/dh-groups.ts; a backend may
 * keep per-group state keyed by the group object.
 */
export interface ModpGroup {
  /** IANA Diffie-Hellman group number (IKEv2 transform type 4, IKEv1 group description). */
  readonly id: number;
  /** The prime p, big-endian hex, exactly 2 × `length` digits. */
  readonly primeHex: string;
  /** The generator g, big-endian hex. */
  readonly generatorHex: string;
  /** Bytes of p: every public value and shared secret is exactly this long, left-padded with zeros. */
  readonly length: number;
}

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
   * `seal`, except that the encryption and ICV may wait for the backend's `flushSeals`
   * (the framing is written at once): a batch's packets of different SAs then encrypt
   * together. `out` must stay alive and untouched from the SPI on until the flush.
   */
  sealQueued(inner: Uint8Array, out: Uint8Array, offset: number, seq: number, hdr: number): void;
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
  /** Full-length HMAC of `data` under `key` (RFC 2104): the IKE PRF. */
  prf(hash: HashName, key: Uint8Array, data: Uint8Array): Uint8Array;
  /** The plain hash of `data`. */
  digest(hash: HashName, data: Uint8Array): Uint8Array;
  /**
   * g^x mod p for the private value x = `priv` (big-endian, at most `group.length` bytes,
   * 2 ≤ x ≤ p - 2: a RangeError otherwise, the caller's mistake), `group.length` bytes.
   */
  dhPublic(group: ModpGroup, priv: Uint8Array): Uint8Array;
  /**
   * y^x mod p for the peer's public value y = `peerPublic`, `group.length` bytes; null
   * when the peer's value is not exactly `group.length` bytes (RFC 7296 §3.4, RFC 2409 §5)
   * or not 1 < y < p - 1 (which would make the secret 1 or ±1, known to anyone).
   */
  dhShared(group: ModpGroup, priv: Uint8Array, peerPublic: Uint8Array): Uint8Array | null;
  /** Optional: the whole ESP transform of `sa` per call (else esp.ts frames the packet and calls the primitives). */
  espFramer?(sa: EspFramerSa): EspFramer;
  /** Finish every `sealQueued` packet of this backend's framers (present when they queue). */
  flushSeals?(): void;
}

/** Compare two byte ranges without early exit (the ICV compare; timing is moot in a simulator, but it costs nothing). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
