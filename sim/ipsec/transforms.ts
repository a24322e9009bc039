/**
 * ESP transforms as data: the encryption and integrity algorithms Azure's gateways offer
 * (reference/azure-vpn-gateways-2016.md) plus AES-GCM (RFC 4106), with every length the
 * ESP code needs and the names other tools use for them.
 *
 * Owns: key, block, IV and ICV lengths; the exact algorithm names of Wireshark's ESP SA
 * table (`uat:esp_sa`, from epan/dissectors/packet-esp.c `esp_encryption_type_vals` and
 * `esp_authentication_type_vals`); strongSwan proposal keywords (`aes256-sha1`,
 * `aes128gcm16`). Rejects (typed error): a separate integrity algorithm with GCM (it is an
 * AEAD, its ICV is the GCM tag), NULL encryption with no integrity (RFC 4303 §3.2: ESP must
 * give confidentiality or integrity; RFC 4835 forbids NULL+NULL), and CBC encryption with
 * no integrity (confidentiality-only ESP is open to cut-and-paste attacks, no Azure offer
 * uses it, and a capture of it could not be integrity-checked).
 */

/** Encryption algorithm keys. */
export const ENCRYPTION_NAMES = ['aes256-cbc', 'aes128-cbc', '3des-cbc', 'null', 'aes128-gcm16', 'aes256-gcm16'] as const;
/** An encryption algorithm key. */
export type EncryptionName = (typeof ENCRYPTION_NAMES)[number];

/** Integrity algorithm keys ('none' for AEAD ciphers). */
export const INTEGRITY_NAMES = ['hmac-sha1-96', 'hmac-md5-96', 'none'] as const;
/** An integrity algorithm key. */
export type IntegrityName = (typeof INTEGRITY_NAMES)[number];

/** Block cipher of a CBC transform, ESP's or IKE's (node:crypto names; AES-192 is IKE's only). */
export type CbcCipherName = 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc' | 'des-ede3-cbc';
/** AEAD cipher used by a GCM transform (node:crypto names). */
export type GcmCipherName = 'aes-128-gcm' | 'aes-256-gcm';
/** Hash of an HMAC integrity transform. */
export type HmacHashName = 'sha1' | 'md5';

/** Facts about one encryption algorithm. */
export interface EncryptionInfo {
  readonly name: EncryptionName;
  readonly mode: 'cbc' | 'gcm' | 'null';
  /** node:crypto cipher name, or null for NULL encryption. */
  readonly cipher: CbcCipherName | GcmCipherName | null;
  /** Key material in bytes, including a GCM salt (RFC 4106 §8.1: key ‖ 4-byte salt). */
  readonly keyLength: number;
  /** Of which the trailing salt (GCM only). */
  readonly saltLength: number;
  /** Cipher block size (1 for NULL and GCM, which are not block-aligned). */
  readonly blockSize: number;
  /** Alignment of (payload ‖ padding ‖ pad length ‖ next header): block size, at least 4 (RFC 4303 §2.4). */
  readonly padAlign: number;
  /** IV carried in each packet (CBC: one block; GCM: 8-byte explicit IV). */
  readonly ivLength: number;
  /** ICV produced by the cipher itself (GCM tag), else 0. */
  readonly icvLength: number;
  /** Wireshark `uat:esp_sa` encryption algorithm name. */
  readonly wireshark: string;
  /** strongSwan proposal keyword. */
  readonly strongswan: string;
  /** Human label for traces. */
  readonly label: string;
}

/** Facts about one integrity algorithm. */
export interface IntegrityInfo {
  readonly name: IntegrityName;
  readonly hash: HmacHashName | null;
  /** Key length in bytes (RFC 2404: 20 for SHA-1; RFC 2403: 16 for MD5). */
  readonly keyLength: number;
  /** Truncated ICV length in bytes (96 bits). */
  readonly icvLength: number;
  /** Wireshark `uat:esp_sa` authentication algorithm name. */
  readonly wireshark: string;
  /** strongSwan proposal keyword ('' for none). */
  readonly strongswan: string;
  readonly label: string;
}

/** The encryption table. */
export const ENCRYPTIONS: { readonly [K in EncryptionName]: EncryptionInfo } = {
  'aes256-cbc': {
    name: 'aes256-cbc', mode: 'cbc', cipher: 'aes-256-cbc', keyLength: 32, saltLength: 0, blockSize: 16, padAlign: 16,
    ivLength: 16, icvLength: 0, wireshark: 'AES-CBC [RFC3602]', strongswan: 'aes256', label: 'AES-256-CBC',
  },
  'aes128-cbc': {
    name: 'aes128-cbc', mode: 'cbc', cipher: 'aes-128-cbc', keyLength: 16, saltLength: 0, blockSize: 16, padAlign: 16,
    ivLength: 16, icvLength: 0, wireshark: 'AES-CBC [RFC3602]', strongswan: 'aes128', label: 'AES-128-CBC',
  },
  '3des-cbc': {
    name: '3des-cbc', mode: 'cbc', cipher: 'des-ede3-cbc', keyLength: 24, saltLength: 0, blockSize: 8, padAlign: 8,
    ivLength: 8, icvLength: 0, wireshark: 'TripleDES-CBC [RFC2451]', strongswan: '3des', label: '3DES-CBC',
  },
  null: {
    name: 'null', mode: 'null', cipher: null, keyLength: 0, saltLength: 0, blockSize: 1, padAlign: 4,
    ivLength: 0, icvLength: 0, wireshark: 'NULL', strongswan: 'null', label: 'NULL',
  },
  'aes128-gcm16': {
    name: 'aes128-gcm16', mode: 'gcm', cipher: 'aes-128-gcm', keyLength: 20, saltLength: 4, blockSize: 1, padAlign: 4,
    ivLength: 8, icvLength: 16, wireshark: 'AES-GCM with 16 octet ICV [RFC4106]', strongswan: 'aes128gcm16', label: 'AES-128-GCM-16',
  },
  'aes256-gcm16': {
    name: 'aes256-gcm16', mode: 'gcm', cipher: 'aes-256-gcm', keyLength: 36, saltLength: 4, blockSize: 1, padAlign: 4,
    ivLength: 8, icvLength: 16, wireshark: 'AES-GCM with 16 octet ICV [RFC4106]', strongswan: 'aes256gcm16', label: 'AES-256-GCM-16',
  },
};

/** The integrity table. */
export const INTEGRITIES: { readonly [K in IntegrityName]: IntegrityInfo } = {
  'hmac-sha1-96': {
    name: 'hmac-sha1-96', hash: 'sha1', keyLength: 20, icvLength: 12, wireshark: 'HMAC-SHA-1-96 [RFC2404]', strongswan: 'sha1', label: 'HMAC-SHA1-96',
  },
  'hmac-md5-96': {
    name: 'hmac-md5-96', hash: 'md5', keyLength: 16, icvLength: 12, wireshark: 'HMAC-MD5-96 [RFC2403]', strongswan: 'md5', label: 'HMAC-MD5-96',
  },
  none: { name: 'none', hash: null, keyLength: 0, icvLength: 0, wireshark: 'NULL', strongswan: '', label: 'none' },
};

/** A validated ESP transform: one encryption and one integrity algorithm that go together. */
export interface Transform {
  readonly encryption: EncryptionInfo;
  readonly integrity: IntegrityInfo;
  /** strongSwan proposal, e.g. `aes256-sha1`, `aes128gcm16`, `null-sha1`. */
  readonly name: string;
  /** Human label, e.g. `AES-256-CBC/HMAC-SHA1-96`. */
  readonly label: string;
  /** Bytes of ICV after the ciphertext (GCM tag or truncated HMAC). */
  readonly icvLength: number;
}

/** Why a transform was refused. */
export interface TransformError {
  readonly code: 'unknown-encryption' | 'unknown-integrity' | 'aead-with-integrity' | 'no-integrity' | 'unknown-proposal';
  readonly message: string;
}

/** A transform or why not. */
export type TransformResult = { readonly ok: true; readonly value: Transform } | { readonly ok: false; readonly error: TransformError };

function isEncryption(s: string): s is EncryptionName {
  return (ENCRYPTION_NAMES as readonly string[]).includes(s);
}
function isIntegrity(s: string): s is IntegrityName {
  return (INTEGRITY_NAMES as readonly string[]).includes(s);
}

/** Validate an (encryption, integrity) pair; `integrity` defaults to 'none' (right for GCM). */
export function makeTransform(encryption: string, integrity: string = 'none'): TransformResult {
  if (!isEncryption(encryption)) {
    return { ok: false, error: { code: 'unknown-encryption', message: `unknown ESP encryption '${encryption}' (known: ${ENCRYPTION_NAMES.join(', ')})` } };
  }
  if (!isIntegrity(integrity)) {
    return { ok: false, error: { code: 'unknown-integrity', message: `unknown ESP integrity '${integrity}' (known: ${INTEGRITY_NAMES.join(', ')})` } };
  }
  const enc = ENCRYPTIONS[encryption];
  const integ = INTEGRITIES[integrity];
  if (enc.mode === 'gcm' && integ.name !== 'none') {
    return { ok: false, error: { code: 'aead-with-integrity', message: `${enc.label} is an AEAD cipher with its own 16-byte ICV; drop '${integrity}'` } };
  }
  if (enc.mode !== 'gcm' && integ.name === 'none') {
    const why = enc.mode === 'null' ? 'NULL encryption with no integrity protects nothing (RFC 4303 §3.2)' : `${enc.label} without integrity is confidentiality-only ESP, which vgwsim refuses`;
    return { ok: false, error: { code: 'no-integrity', message: `${why}; add hmac-sha1-96 or hmac-md5-96` } };
  }
  const name = integ.name === 'none' ? enc.strongswan : `${enc.strongswan}-${integ.strongswan}`;
  const label = integ.name === 'none' ? enc.label : `${enc.label}/${integ.label}`;
  return { ok: true, value: Object.freeze({ encryption: enc, integrity: integ, name, label, icvLength: enc.icvLength + integ.icvLength }) };
}

/** Every valid transform, in a stable order (CBC/NULL × HMAC, then GCM). */
export const TRANSFORMS: readonly Transform[] = (() => {
  const out: Transform[] = [];
  for (const e of ENCRYPTION_NAMES) {
    for (const i of INTEGRITY_NAMES) {
      const t = makeTransform(e, i);
      if (t.ok) out.push(t.value);
    }
  }
  return Object.freeze(out);
})();

/** Look a transform up by its strongSwan proposal name (`aes256-sha1`, `3des-md5`, `aes128gcm16`). */
export function transformByProposal(proposal: string): TransformResult {
  const t = TRANSFORMS.find((x) => x.name === proposal.toLowerCase());
  if (t) return { ok: true, value: t };
  return {
    ok: false,
    error: { code: 'unknown-proposal', message: `unknown ESP proposal '${proposal}' (known: ${TRANSFORMS.map((x) => x.name).join(', ')})` },
  };
}

/** ESP overhead in bytes for an inner packet of `innerLength` (ESP header, IV, padding, trailer, ICV; no outer IP header). */
export function espOverhead(t: Transform, innerLength: number): number {
  const plain = alignUp(innerLength + 2, t.encryption.padAlign);
  return 8 + t.encryption.ivLength + (plain - innerLength) + t.icvLength;
}

/** Round `n` up to a multiple of `a`. */
export function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
