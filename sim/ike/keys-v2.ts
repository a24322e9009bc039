/**
 * The IKEv2 key schedule (RFC 7296 §2.13-§2.18; reference/ike-2016.md §1.4), as pure
 * functions of the backend and the bytes the exchange carried.
 *
 * Owns: SKEYSEED = prf(Ni ‖ Nr, g^ir); SK_d ‖ SK_ai ‖ SK_ar ‖ SK_ei ‖ SK_er ‖ SK_pi ‖ SK_pr
 * = prf+(SKEYSEED, Ni ‖ Nr ‖ SPIi ‖ SPIr), split by the negotiated algorithms' lengths
 * (SK_d, SK_pi, SK_pr the PRF's; SK_a the integrity key, none with GCM; SK_e the cipher
 * key, ‖ its 4-byte salt with GCM); the pre-shared-key AUTH of each side (§2.15, the
 * 17-byte pad "Key Pad for IKEv2"); child KEYMAT = prf+(SK_d, [g^ir (new) ‖] Ni ‖ Nr)
 * split encr_i ‖ integ_i ‖ encr_r ‖ integ_r by the ESP transform's lengths
 * (sim/ipsec/transforms.ts), i being the initiator of that exchange (§2.17); the IKE rekey's
 * SKEYSEED = prf(SK_d (old), g^ir (new) ‖ Ni ‖ Nr) with the old SA's PRF (§2.18). The new
 * SA's keys then come from `deriveIkeSaKeys` with its own PRF and SPIs, as §2.18 says
 * (strongSwan's `derive_ike_keys` runs prf+ with the old PRF too; the two agree whenever a
 * rekey keeps the PRF, which every Azure offer does). g^ir is the backend's `dhShared`,
 * already the prime's length. Refuses (RangeError, the caller's mistake) SPIs that are not
 * 8 bytes and classic encryption without an integrity algorithm. No state: every call
 * returns fresh arrays.
 */
import type { CryptoBackend } from '../ipsec/crypto.js';
import type { Transform } from '../ipsec/transforms.js';
import type { IkeEncryption, IkeIntegrity, IkePrf } from './algorithms.js';
import { concatBytes } from '../wire/bytes.js';
import type { ChildSaKeys } from './child-keys.js';
import { prfPlus } from './prf-plus.js';

/** The negotiated algorithms an IKE SA's keys are split by (an `IkeSuite` is one). */
export interface IkeKeyAlgorithms {
  readonly encryption: IkeEncryption;
  /** Null with an AEAD cipher. */
  readonly integrity: IkeIntegrity | null;
  readonly prf: IkePrf;
}

/** The seven keys of an IKE SA (RFC 7296 §2.14). */
export interface IkeSaKeys {
  /** Derives the child SAs' keys and the next IKE SA's SKEYSEED. */
  readonly skD: Uint8Array;
  /** Integrity key of messages from the original initiator (empty with GCM). */
  readonly skAi: Uint8Array;
  /** Integrity key of messages from the original responder (empty with GCM). */
  readonly skAr: Uint8Array;
  /** Encryption key of messages from the original initiator (GCM: key ‖ salt). */
  readonly skEi: Uint8Array;
  /** Encryption key of messages from the original responder (GCM: key ‖ salt). */
  readonly skEr: Uint8Array;
  /** The initiator's key for its AUTH. */
  readonly skPi: Uint8Array;
  /** The responder's key for its AUTH. */
  readonly skPr: Uint8Array;
}

/** The pad string of PSK AUTH: 17 ASCII bytes, no NUL (RFC 7296 §2.15). */
export const IKEV2_KEY_PAD: Uint8Array = new TextEncoder().encode('Key Pad for IKEv2');

/** Bytes of an IKE SPI. */
const IKE_SPI_LENGTH = 8;

/** SKEYSEED = prf(Ni ‖ Nr, g^ir) (RFC 7296 §2.14; every PRF here is an HMAC, so the nonces are used whole). */
export function skeyseed(be: CryptoBackend, prf: IkePrf, ni: Uint8Array, nr: Uint8Array, sharedSecret: Uint8Array): Uint8Array {
  return be.prf(prf.hash, concatBytes([ni, nr]), sharedSecret);
}

/** The rekeyed IKE SA's SKEYSEED = prf(SK_d (old), g^ir (new) ‖ Ni ‖ Nr), with the old SA's PRF (RFC 7296 §2.18). */
export function rekeySkeyseed(be: CryptoBackend, oldPrf: IkePrf, oldSkD: Uint8Array, sharedSecret: Uint8Array, ni: Uint8Array, nr: Uint8Array): Uint8Array {
  return be.prf(oldPrf.hash, oldSkD, concatBytes([sharedSecret, ni, nr]));
}

/** Bytes of SK_d ‖ … ‖ SK_pr for `alg`. */
export function ikeSaKeyLength(alg: IkeKeyAlgorithms): number {
  return 3 * alg.prf.length + 2 * (alg.integrity?.keyLength ?? 0) + 2 * alg.encryption.keyLength;
}

function checkIntegrity(alg: IkeKeyAlgorithms): void {
  if (alg.encryption.mode !== 'gcm' && alg.integrity === null) throw new RangeError(`${alg.encryption.label} needs an integrity algorithm`);
}

/** The seven keys from SKEYSEED: prf+(SKEYSEED, Ni ‖ Nr ‖ SPIi ‖ SPIr) split in order (RFC 7296 §2.14). */
export function deriveIkeSaKeys(be: CryptoBackend, alg: IkeKeyAlgorithms, seed: Uint8Array, ni: Uint8Array, nr: Uint8Array, spiI: Uint8Array, spiR: Uint8Array): IkeSaKeys {
  if (spiI.length !== IKE_SPI_LENGTH || spiR.length !== IKE_SPI_LENGTH) throw new RangeError(`IKE SPIs are ${IKE_SPI_LENGTH} bytes, not ${spiI.length} and ${spiR.length}`);
  checkIntegrity(alg);
  const keymat = prfPlus(be, alg.prf.hash, seed, concatBytes([ni, nr, spiI, spiR]), ikeSaKeyLength(alg));
  const p = alg.prf.length;
  const a = alg.integrity?.keyLength ?? 0;
  const e = alg.encryption.keyLength;
  let o = 0;
  const take = (n: number): Uint8Array => keymat.slice(o, (o += n));
  return { skD: take(p), skAi: take(a), skAr: take(a), skEi: take(e), skEr: take(e), skPi: take(p), skPr: take(p) };
}

/** AUTH = prf(prf(PSK, pad), message ‖ peer's nonce ‖ prf(SK_p, ID body)) (RFC 7296 §2.15). */
function pskAuth(be: CryptoBackend, prf: IkePrf, psk: Uint8Array, message: Uint8Array, peerNonce: Uint8Array, skP: Uint8Array, idBody: Uint8Array): Uint8Array {
  const macedId = be.prf(prf.hash, skP, idBody);
  return be.prf(prf.hash, be.prf(prf.hash, psk, IKEV2_KEY_PAD), concatBytes([message, peerNonce, macedId]));
}

/**
 * The initiator's AUTH data with a pre-shared key: over its whole IKE_SA_INIT request as
 * sent, the responder's nonce Nr (body only) and prf(SK_pi, IDi body), where the ID body is
 * ID Type ‖ 3 reserved bytes ‖ data, without the generic payload header.
 */
export function pskAuthInitiator(be: CryptoBackend, prf: IkePrf, psk: Uint8Array, saInitRequest: Uint8Array, nr: Uint8Array, skPi: Uint8Array, idiBody: Uint8Array): Uint8Array {
  return pskAuth(be, prf, psk, saInitRequest, nr, skPi, idiBody);
}

/** The responder's AUTH data: over its IKE_SA_INIT response as sent, Ni and prf(SK_pr, IDr body). */
export function pskAuthResponder(be: CryptoBackend, prf: IkePrf, psk: Uint8Array, saInitResponse: Uint8Array, ni: Uint8Array, skPr: Uint8Array, idrBody: Uint8Array): Uint8Array {
  return pskAuth(be, prf, psk, saInitResponse, ni, skPr, idrBody);
}

/**
 * A child SA's keys: KEYMAT = prf+(SK_d, Ni ‖ Nr), or prf+(SK_d, g^ir (new) ‖ Ni ‖ Nr) with
 * PFS (`sharedSecret` from this exchange's KE payloads), split encr_i ‖ integ_i ‖ encr_r ‖
 * integ_r by `transform`'s lengths (RFC 7296 §2.17). Ni and Nr are the nonces of the
 * exchange that creates the SA: IKE_SA_INIT's for the IKE_AUTH child, else CREATE_CHILD_SA's.
 */
export function deriveChildKeys(be: CryptoBackend, prf: IkePrf, skD: Uint8Array, transform: Transform, ni: Uint8Array, nr: Uint8Array, sharedSecret: Uint8Array | null = null): ChildSaKeys {
  const e = transform.encryption.keyLength;
  const a = transform.integrity.keyLength;
  const seed = sharedSecret ? concatBytes([sharedSecret, ni, nr]) : concatBytes([ni, nr]);
  const keymat = prfPlus(be, prf.hash, skD, seed, 2 * (e + a));
  return {
    initiatorToResponder: { encKey: keymat.slice(0, e), authKey: keymat.slice(e, e + a) },
    responderToInitiator: { encKey: keymat.slice(e + a, 2 * e + a), authKey: keymat.slice(2 * e + a, 2 * (e + a)) },
  };
}
