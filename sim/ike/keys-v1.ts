/**
 * The IKEv1 key schedule for pre-shared keys (RFC 2409 §5, §5.4, §5.5, §5.7, Appendix B;
 * reference/ike-2016.md §2.1, §2.3), as pure functions of the backend and the bytes the
 * exchange carried. The PRF is the HMAC of the negotiated hash (`IkePrf`, chosen by the
 * phase-1 Hash Algorithm attribute).
 *
 * Owns: SKEYID = prf(PSK, Ni_b ‖ Nr_b); SKEYID_d, _a, _e; the cipher key Ka (the first
 * key-length bytes of SKEYID_e, or Appendix B's K1 = prf(SKEYID_e, 0x00), Kn =
 * prf(SKEYID_e, Kn-1) when SKEYID_e is shorter, as SHA-1 with AES-256 or 3DES needs); the
 * phase-1 IV hash(g^xi ‖ g^xr) and the IV of a phase-2 or Informational exchange
 * hash(last phase-1 CBC block ‖ M-ID), each cut to the cipher's block; HASH_I, HASH_R;
 * Quick Mode's HASH(1), HASH(2), HASH(3) (HASH(1) is also the Informational hash); Quick
 * Mode KEYMAT for ESP, with or without PFS, the initiator → responder keys seeded with the
 * responder's SPI (the SPI those packets carry; strongSwan `derive_child_keys`), each
 * direction encryption key first, then integrity key. `_b` means a payload's body without
 * its generic header. Refuses (RangeError, the caller's mistake) cookies that are not 8
 * bytes and a cipher IKEv1 has no phase 1 for (AES-GCM). No state: fresh arrays only.
 */
import type { CryptoBackend } from '../ipsec/crypto.js';
import type { Transform } from '../ipsec/transforms.js';
import type { IkeEncryption, IkePrf } from './algorithms.js';
import { concatBytes, u32be } from '../wire/bytes.js';
import type { ChildSaKeys } from './child-keys.js';
import { prfChainV1 } from './prf-plus.js';

/** SKEYID's three children (RFC 2409 §5). */
export interface SkeyidKeys {
  /** Derives Quick Mode KEYMAT. */
  readonly skeyidD: Uint8Array;
  /** Keys the phase-2 and Informational hashes. */
  readonly skeyidA: Uint8Array;
  /** Source of the cipher key Ka. */
  readonly skeyidE: Uint8Array;
}

/** The Main Mode values HASH_I and HASH_R cover besides the identity. */
export interface MainModeHashInput {
  /** The initiator's KE value g^xi, as sent (the prime's length). */
  readonly gxi: Uint8Array;
  /** The responder's KE value g^xr. */
  readonly gxr: Uint8Array;
  /** The initiator's cookie (8 bytes). */
  readonly ckyI: Uint8Array;
  /** The responder's cookie (8 bytes). */
  readonly ckyR: Uint8Array;
  /** The body of the initiator's SA payload, as sent: DOI, situation and every proposal. */
  readonly saiBody: Uint8Array;
}

/** The Quick Mode values KEYMAT is made of. */
export interface QuickModeKeyInput {
  /** The SPI the initiator chose (in its SA payload): packets responder → initiator carry it. */
  readonly initiatorSpi: number;
  /** The SPI the responder chose: packets initiator → responder carry it. */
  readonly responderSpi: number;
  /** Ni_b and Nr_b of this Quick Mode. */
  readonly niBody: Uint8Array;
  readonly nrBody: Uint8Array;
  /** g(qm)^xy of this Quick Mode's KE payloads (PFS), or null without PFS. */
  readonly sharedSecret: Uint8Array | null;
}

/** IPsec DOI protocol ID of ESP (RFC 2407 §4.4.1), the `protocol` byte of KEYMAT. */
export const PROTO_ESP = 3;

const COOKIE_LENGTH = 8;

function checkCookies(ckyI: Uint8Array, ckyR: Uint8Array): void {
  if (ckyI.length !== COOKIE_LENGTH || ckyR.length !== COOKIE_LENGTH) throw new RangeError(`ISAKMP cookies are ${COOKIE_LENGTH} bytes, not ${ckyI.length} and ${ckyR.length}`);
}

/** SKEYID = prf(pre-shared key, Ni_b ‖ Nr_b) (RFC 2409 §5). */
export function skeyidPsk(be: CryptoBackend, prf: IkePrf, psk: Uint8Array, niBody: Uint8Array, nrBody: Uint8Array): Uint8Array {
  return be.prf(prf.hash, psk, concatBytes([niBody, nrBody]));
}

/**
 * SKEYID_d = prf(SKEYID, g^xy ‖ CKY-I ‖ CKY-R ‖ 0), SKEYID_a = prf(SKEYID, SKEYID_d ‖ g^xy ‖
 * CKY-I ‖ CKY-R ‖ 1), SKEYID_e = prf(SKEYID, SKEYID_a ‖ g^xy ‖ CKY-I ‖ CKY-R ‖ 2).
 */
export function deriveSkeyids(be: CryptoBackend, prf: IkePrf, skeyid: Uint8Array, gxy: Uint8Array, ckyI: Uint8Array, ckyR: Uint8Array): SkeyidKeys {
  checkCookies(ckyI, ckyR);
  const skeyidD = be.prf(prf.hash, skeyid, concatBytes([gxy, ckyI, ckyR, Uint8Array.of(0)]));
  const skeyidA = be.prf(prf.hash, skeyid, concatBytes([skeyidD, gxy, ckyI, ckyR, Uint8Array.of(1)]));
  const skeyidE = be.prf(prf.hash, skeyid, concatBytes([skeyidA, gxy, ckyI, ckyR, Uint8Array.of(2)]));
  return { skeyidD, skeyidA, skeyidE };
}

function checkPhase1Cipher(encryption: IkeEncryption): void {
  if (encryption.ikev1 === null) throw new RangeError(`IKEv1 has no phase 1 with ${encryption.label}`);
}

/**
 * The phase-1 cipher key Ka for `encryption` (RFC 2409 Appendix B): SKEYID_e's first
 * key-length bytes, or K1 ‖ K2 ‖ … with K1 = prf(SKEYID_e, 0x00), Kn = prf(SKEYID_e, Kn-1)
 * when SKEYID_e is shorter. This is the key of Wireshark's `ikev1_decryption_table`.
 */
export function cipherKeyV1(be: CryptoBackend, prf: IkePrf, skeyidE: Uint8Array, encryption: IkeEncryption): Uint8Array {
  checkPhase1Cipher(encryption);
  const n = encryption.keyLength;
  if (skeyidE.length >= n) return skeyidE.slice(0, n);
  const ka = new Uint8Array(n);
  let k: Uint8Array = Uint8Array.of(0);
  for (let o = 0; o < n; o += prf.length) {
    k = be.prf(prf.hash, skeyidE, k);
    ka.set(k.subarray(0, Math.min(prf.length, n - o)), o);
  }
  return ka;
}

/** The IV of Main Mode message 5: hash(g^xi ‖ g^xr), its first block (RFC 2409 Appendix B; the plain hash, not the PRF). */
export function phase1Iv(be: CryptoBackend, prf: IkePrf, gxi: Uint8Array, gxr: Uint8Array, encryption: IkeEncryption): Uint8Array {
  checkPhase1Cipher(encryption);
  return be.digest(prf.hash, concatBytes([gxi, gxr])).slice(0, encryption.blockSize);
}

/**
 * The first IV of a Quick Mode or Informational exchange with message ID `messageId`:
 * hash(last phase-1 CBC block ‖ M-ID), its first block (RFC 2409 Appendix B). The last
 * phase-1 block is the last ciphertext block of Main Mode's final message.
 */
export function phase2Iv(be: CryptoBackend, prf: IkePrf, lastPhase1Block: Uint8Array, messageId: number, encryption: IkeEncryption): Uint8Array {
  checkPhase1Cipher(encryption);
  return be.digest(prf.hash, concatBytes([lastPhase1Block, u32be(messageId)])).slice(0, encryption.blockSize);
}

/** HASH_I = prf(SKEYID, g^xi ‖ g^xr ‖ CKY-I ‖ CKY-R ‖ SAi_b ‖ IDii_b) (RFC 2409 §5). */
export function hashI(be: CryptoBackend, prf: IkePrf, skeyid: Uint8Array, mm: MainModeHashInput, idiiBody: Uint8Array): Uint8Array {
  checkCookies(mm.ckyI, mm.ckyR);
  return be.prf(prf.hash, skeyid, concatBytes([mm.gxi, mm.gxr, mm.ckyI, mm.ckyR, mm.saiBody, idiiBody]));
}

/** HASH_R = prf(SKEYID, g^xr ‖ g^xi ‖ CKY-R ‖ CKY-I ‖ SAi_b ‖ IDir_b) (RFC 2409 §5). */
export function hashR(be: CryptoBackend, prf: IkePrf, skeyid: Uint8Array, mm: MainModeHashInput, idirBody: Uint8Array): Uint8Array {
  checkCookies(mm.ckyI, mm.ckyR);
  return be.prf(prf.hash, skeyid, concatBytes([mm.gxr, mm.gxi, mm.ckyR, mm.ckyI, mm.saiBody, idirBody]));
}

/**
 * HASH(1) = prf(SKEYID_a, M-ID ‖ every payload after the HASH payload, with their generic
 * headers) (RFC 2409 §5.5); the same formula is an Informational exchange's hash (§5.7).
 */
export function hash1(be: CryptoBackend, prf: IkePrf, skeyidA: Uint8Array, messageId: number, afterHash: Uint8Array): Uint8Array {
  return be.prf(prf.hash, skeyidA, concatBytes([u32be(messageId), afterHash]));
}

/** HASH(2) = prf(SKEYID_a, M-ID ‖ Ni_b ‖ every payload after the HASH payload) (RFC 2409 §5.5). */
export function hash2(be: CryptoBackend, prf: IkePrf, skeyidA: Uint8Array, messageId: number, niBody: Uint8Array, afterHash: Uint8Array): Uint8Array {
  return be.prf(prf.hash, skeyidA, concatBytes([u32be(messageId), niBody, afterHash]));
}

/** HASH(3) = prf(SKEYID_a, 0x00 ‖ M-ID ‖ Ni_b ‖ Nr_b) (RFC 2409 §5.5). */
export function hash3(be: CryptoBackend, prf: IkePrf, skeyidA: Uint8Array, messageId: number, niBody: Uint8Array, nrBody: Uint8Array): Uint8Array {
  return be.prf(prf.hash, skeyidA, concatBytes([Uint8Array.of(0), u32be(messageId), niBody, nrBody]));
}

/**
 * Quick Mode KEYMAT for one ESP SA pair (RFC 2409 §5.5): per direction K1 ‖ K2 ‖ … with
 * K1 = prf(SKEYID_d, [g(qm)^xy ‖] 3 ‖ SPI ‖ Ni_b ‖ Nr_b), Kn = prf(SKEYID_d, Kn-1 ‖ same),
 * the encryption key then the integrity key of `transform`; the SPI is the one the
 * receiving side chose, so initiator → responder uses the responder's.
 */
export function quickModeKeys(be: CryptoBackend, prf: IkePrf, skeyidD: Uint8Array, transform: Transform, qm: QuickModeKeyInput): ChildSaKeys {
  const e = transform.encryption.keyLength;
  const a = transform.integrity.keyLength;
  const direction = (spi: number): { encKey: Uint8Array; authKey: Uint8Array } => {
    const seed = concatBytes([qm.sharedSecret ?? new Uint8Array(0), Uint8Array.of(PROTO_ESP), u32be(spi), qm.niBody, qm.nrBody]);
    const keymat = prfChainV1(be, prf.hash, skeyidD, seed, e + a);
    return { encKey: keymat.slice(0, e), authKey: keymat.slice(e) };
  };
  return { initiatorToResponder: direction(qm.responderSpi), responderToInitiator: direction(qm.initiatorSpi) };
}
