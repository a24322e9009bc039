/**
 * The IKE SA's algorithms as data: encryption, integrity and PRF, each with every number
 * and name the protocol, the key schedule and the tools need (reference/ike-2016.md §1.3,
 * §2.2, §3.1).
 *
 * Owns, per algorithm: the IKEv2 transform ID (and Key Length attribute), the IKEv1
 * attribute value, key, block, IV and ICV lengths, the hash behind an HMAC, Wireshark's
 * exact enum spelling for `ikev2_decryption_table` (checked in the strings of tshark
 * 4.0's libwireshark), strongSwan's proposal keyword and its log name
 * (`AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1`), and the ESP transform of sim/ipsec/transforms.ts
 * that is the same cipher, where there is one. Refuses (by not listing them) DES, which
 * OpenSSL 3 no longer runs, and AES-GCM in IKEv1, which has no phase-1 GCM (`ikev1: null`).
 * ESP's own table stays in transforms.ts; this one points at it.
 */
import type { HashName } from '../ipsec/crypto.js';
import type { CbcCipherName, EncryptionName, GcmCipherName, IntegrityName } from '../ipsec/transforms.js';

/** Encryption algorithm names (strongSwan's keywords). */
export const IKE_ENCRYPTION_NAMES = ['aes256', 'aes192', 'aes128', '3des', 'aes256gcm16', 'aes128gcm16'] as const;
/** An encryption algorithm name. */
export type IkeEncryptionName = (typeof IKE_ENCRYPTION_NAMES)[number];

/** Integrity algorithm names (strongSwan's keywords). */
export const IKE_INTEGRITY_NAMES = ['sha256', 'sha1', 'md5'] as const;
/** An integrity algorithm name. */
export type IkeIntegrityName = (typeof IKE_INTEGRITY_NAMES)[number];

/** PRF names (strongSwan's keywords). */
export const IKE_PRF_NAMES = ['prfsha256', 'prfsha1', 'prfmd5'] as const;
/** A PRF name. */
export type IkePrfName = (typeof IKE_PRF_NAMES)[number];

/** IKEv2 transform type numbers (RFC 7296 §3.3.2). */
export const TRANSFORM_TYPE = { encryption: 1, prf: 2, integrity: 3, dhGroup: 4, esn: 5 } as const;
/** IKEv2 transform attribute type of the key length, in bits (RFC 7296 §3.3.5). */
export const KEY_LENGTH_ATTRIBUTE = 14;

/** Wireshark's `ikev2_decryption_table` integrity value for an AEAD cipher (no integrity transform). */
export const WIRESHARK_NO_INTEGRITY = 'NONE [RFC4306]';

/** What every encryption algorithm of an IKE SA has. */
interface IkeEncryptionFacts {
  readonly name: IkeEncryptionName;
  /** Human label, e.g. `AES-CBC-256`. */
  readonly label: string;
  /** IKEv2 ENCR transform ID: 3 3DES, 12 AES-CBC, 20 AES-GCM with a 16-byte ICV (RFC 7296 §3.3.2, RFC 5282 §7). */
  readonly ikev2Id: number;
  /** IKEv2 Key Length attribute in bits, or null for a cipher of one key length (3DES). */
  readonly keyLengthBits: number | null;
  /** Bytes of SK_e: the cipher key, plus the 4-byte salt for GCM (RFC 5282 §7.1). */
  readonly keyLength: number;
  /** Of which the trailing salt (GCM only). */
  readonly saltLength: number;
  /** Cipher block size; the encrypted payload is padded to it (1 for GCM, which pads to nothing). */
  readonly blockSize: number;
  /** IV carried in each encrypted message: one block for CBC, 8 bytes for GCM (RFC 5282 §3.1). */
  readonly ivLength: number;
  /** ICV the cipher itself produces (the GCM tag), else 0. */
  readonly icvLength: number;
  /**
   * IKEv1 phase-1 Encryption Algorithm attribute value (RFC 2409 Appendix A: 5 3DES-CBC;
   * RFC 3602 §5: 7 AES-CBC, with the Key Length attribute), or null when IKEv1 has none.
   */
  readonly ikev1: number | null;
  /** IKEv1 ESP transform ID of the same cipher (RFC 2407 §4.4.4: 3 ESP_3DES; 12 ESP_AES; RFC 4106 §8.1: 20), or null. */
  readonly ikev1Esp: number | null;
  /** The same cipher as an ESP transform (sim/ipsec/transforms.ts), or null when ESP does not offer it. */
  readonly esp: EncryptionName | null;
  /** Wireshark `ikev2_decryption_table` encryption enum. */
  readonly wireshark: string;
  /** strongSwan's log name, with the key size (`AES_CBC_256`). */
  readonly strongswanName: string;
}

/** A CBC cipher: the encrypted payload carries a block-sized IV, an integrity algorithm signs the message. */
export interface IkeCbcEncryption extends IkeEncryptionFacts {
  readonly mode: 'cbc';
  /** The cipher as the crypto backends name it. */
  readonly cipher: CbcCipherName;
}

/** An AEAD cipher (RFC 5282): no integrity algorithm, the tag is the ICV. */
export interface IkeGcmEncryption extends IkeEncryptionFacts {
  readonly mode: 'gcm';
  /** The cipher as the crypto backends name it. */
  readonly cipher: GcmCipherName;
}

/** One encryption algorithm of an IKE SA. */
export type IkeEncryption = IkeCbcEncryption | IkeGcmEncryption;

/** One integrity algorithm of an IKE SA (none with GCM). */
export interface IkeIntegrity {
  readonly name: IkeIntegrityName;
  /** Human label, e.g. `HMAC-SHA1-96`. */
  readonly label: string;
  readonly hash: HashName;
  /** IKEv2 INTEG transform ID: 1 HMAC_MD5_96, 2 HMAC_SHA1_96 (RFC 7296 §3.3.2), 12 HMAC_SHA2_256_128 (RFC 4868 §2.4). */
  readonly ikev2Id: number;
  /** Bytes of SK_a: the HMAC key, the hash's output length (RFC 2403, 2404, 4868). */
  readonly keyLength: number;
  /** Bytes of the truncated ICV. */
  readonly icvLength: number;
  /** IKEv1 phase-2 Authentication Algorithm attribute value (RFC 2407 §4.5: 1 HMAC-MD5, 2 HMAC-SHA; IANA: 5 HMAC-SHA2-256, strongSwan `ikev1_auth_algo_t`). */
  readonly ikev1EspAuth: number;
  /** The same MAC as an ESP integrity transform (sim/ipsec/transforms.ts), or null when ESP does not offer it. */
  readonly esp: IntegrityName | null;
  /** The PRF strongSwan adds to an IKE proposal that names this integrity algorithm and no PRF. */
  readonly prf: IkePrfName;
  /** Wireshark `ikev2_decryption_table` integrity enum. */
  readonly wireshark: string;
  /** strongSwan's log name (`HMAC_SHA1_96`). */
  readonly strongswanName: string;
}

/** One pseudo-random function of an IKE SA: HMAC over `hash`. */
export interface IkePrf {
  readonly name: IkePrfName;
  /** Human label, e.g. `HMAC-SHA1`. */
  readonly label: string;
  readonly hash: HashName;
  /** IKEv2 PRF transform ID: 1 PRF_HMAC_MD5, 2 PRF_HMAC_SHA1 (RFC 7296 §3.3.2), 5 PRF_HMAC_SHA2_256 (RFC 4868 §2.4). */
  readonly ikev2Id: number;
  /** Output length in bytes, also the preferred key length: the length of SK_d, SK_pi and SK_pr (RFC 7296 §2.14). */
  readonly length: number;
  /**
   * IKEv1 phase-1 Hash Algorithm attribute value (RFC 2409 Appendix A: 1 MD5, 2 SHA; IANA's
   * IKEv1 registry: 4 SHA2-256, strongSwan `ikev1_hash_t`): IKEv1's PRF is the HMAC of the
   * negotiated hash.
   */
  readonly ikev1Hash: number;
  /** strongSwan's log name (`PRF_HMAC_SHA1`). */
  readonly strongswanName: string;
}

function encryption<E extends IkeEncryption>(e: E): E {
  return Object.freeze(e);
}

/** The encryption table. */
export const IKE_ENCRYPTIONS: { readonly [K in IkeEncryptionName]: IkeEncryption } = {
  aes256: encryption({
    name: 'aes256', label: 'AES-CBC-256', mode: 'cbc', cipher: 'aes-256-cbc', ikev2Id: 12, keyLengthBits: 256, keyLength: 32, saltLength: 0,
    blockSize: 16, ivLength: 16, icvLength: 0, ikev1: 7, ikev1Esp: 12, esp: 'aes256-cbc', wireshark: 'AES-CBC-256 [RFC3602]', strongswanName: 'AES_CBC_256',
  }),
  aes192: encryption({
    name: 'aes192', label: 'AES-CBC-192', mode: 'cbc', cipher: 'aes-192-cbc', ikev2Id: 12, keyLengthBits: 192, keyLength: 24, saltLength: 0,
    blockSize: 16, ivLength: 16, icvLength: 0, ikev1: 7, ikev1Esp: 12, esp: null, wireshark: 'AES-CBC-192 [RFC3602]', strongswanName: 'AES_CBC_192',
  }),
  aes128: encryption({
    name: 'aes128', label: 'AES-CBC-128', mode: 'cbc', cipher: 'aes-128-cbc', ikev2Id: 12, keyLengthBits: 128, keyLength: 16, saltLength: 0,
    blockSize: 16, ivLength: 16, icvLength: 0, ikev1: 7, ikev1Esp: 12, esp: 'aes128-cbc', wireshark: 'AES-CBC-128 [RFC3602]', strongswanName: 'AES_CBC_128',
  }),
  '3des': encryption({
    name: '3des', label: '3DES-CBC', mode: 'cbc', cipher: 'des-ede3-cbc', ikev2Id: 3, keyLengthBits: null, keyLength: 24, saltLength: 0,
    blockSize: 8, ivLength: 8, icvLength: 0, ikev1: 5, ikev1Esp: 3, esp: '3des-cbc', wireshark: '3DES [RFC2451]', strongswanName: '3DES_CBC',
  }),
  aes256gcm16: encryption({
    name: 'aes256gcm16', label: 'AES-GCM-256-16', mode: 'gcm', cipher: 'aes-256-gcm', ikev2Id: 20, keyLengthBits: 256, keyLength: 36, saltLength: 4,
    blockSize: 1, ivLength: 8, icvLength: 16, ikev1: null, ikev1Esp: 20, esp: 'aes256-gcm16', wireshark: 'AES-GCM-256 with 16 octet ICV [RFC5282]', strongswanName: 'AES_GCM_16_256',
  }),
  aes128gcm16: encryption({
    name: 'aes128gcm16', label: 'AES-GCM-128-16', mode: 'gcm', cipher: 'aes-128-gcm', ikev2Id: 20, keyLengthBits: 128, keyLength: 20, saltLength: 4,
    blockSize: 1, ivLength: 8, icvLength: 16, ikev1: null, ikev1Esp: 20, esp: 'aes128-gcm16', wireshark: 'AES-GCM-128 with 16 octet ICV [RFC5282]', strongswanName: 'AES_GCM_16_128',
  }),
};

/** The integrity table. */
export const IKE_INTEGRITIES: { readonly [K in IkeIntegrityName]: IkeIntegrity } = {
  sha256: Object.freeze({
    name: 'sha256', label: 'HMAC-SHA2-256-128', hash: 'sha256', ikev2Id: 12, keyLength: 32, icvLength: 16, ikev1EspAuth: 5, esp: null, prf: 'prfsha256',
    wireshark: 'HMAC_SHA2_256_128 [RFC4868]', strongswanName: 'HMAC_SHA2_256_128',
  }),
  sha1: Object.freeze({
    name: 'sha1', label: 'HMAC-SHA1-96', hash: 'sha1', ikev2Id: 2, keyLength: 20, icvLength: 12, ikev1EspAuth: 2, esp: 'hmac-sha1-96', prf: 'prfsha1',
    wireshark: 'HMAC_SHA1_96 [RFC2404]', strongswanName: 'HMAC_SHA1_96',
  }),
  md5: Object.freeze({
    name: 'md5', label: 'HMAC-MD5-96', hash: 'md5', ikev2Id: 1, keyLength: 16, icvLength: 12, ikev1EspAuth: 1, esp: 'hmac-md5-96', prf: 'prfmd5',
    wireshark: 'HMAC_MD5_96 [RFC2403]', strongswanName: 'HMAC_MD5_96',
  }),
};

/** The PRF table. */
export const IKE_PRFS: { readonly [K in IkePrfName]: IkePrf } = {
  prfsha256: Object.freeze({ name: 'prfsha256', label: 'HMAC-SHA2-256', hash: 'sha256', ikev2Id: 5, length: 32, ikev1Hash: 4, strongswanName: 'PRF_HMAC_SHA2_256' }),
  prfsha1: Object.freeze({ name: 'prfsha1', label: 'HMAC-SHA1', hash: 'sha1', ikev2Id: 2, length: 20, ikev1Hash: 2, strongswanName: 'PRF_HMAC_SHA1' }),
  prfmd5: Object.freeze({ name: 'prfmd5', label: 'HMAC-MD5', hash: 'md5', ikev2Id: 1, length: 16, ikev1Hash: 1, strongswanName: 'PRF_HMAC_MD5' }),
};

/**
 * The encryption algorithm with IKEv2 transform ID `id` and Key Length attribute `bits`
 * (null when the transform carried none), or null when the table has none: a peer may
 * propose anything.
 */
export function ikeEncryptionByTransform(id: number, bits: number | null): IkeEncryption | null {
  return IKE_ENCRYPTION_NAMES.map((n) => IKE_ENCRYPTIONS[n]).find((e) => e.ikev2Id === id && e.keyLengthBits === bits) ?? null;
}

/** The integrity algorithm with IKEv2 transform ID `id`, or null. */
export function ikeIntegrityByTransform(id: number): IkeIntegrity | null {
  return IKE_INTEGRITY_NAMES.map((n) => IKE_INTEGRITIES[n]).find((i) => i.ikev2Id === id) ?? null;
}

/** The PRF with IKEv2 transform ID `id`, or null. */
export function ikePrfByTransform(id: number): IkePrf | null {
  return IKE_PRF_NAMES.map((n) => IKE_PRFS[n]).find((p) => p.ikev2Id === id) ?? null;
}

/** The PRF an IKEv1 SA uses for the phase-1 Hash Algorithm attribute value `value` (its HMAC), or null. */
export function ikePrfByIkev1Hash(value: number): IkePrf | null {
  return IKE_PRF_NAMES.map((n) => IKE_PRFS[n]).find((p) => p.ikev1Hash === value) ?? null;
}
