/**
 * Test support: the IKE key schedule and authentication values written from the RFCs with
 * node:crypto, for checking what a capture shows without the simulator's own key code
 * (sim/ike/keys-v1.ts, keys-v2.ts).
 *
 * Owns: IKEv2 prf+, SKEYSEED and the seven SK_* keys (RFC 7296 §2.13, §2.14), the PSK AUTH
 * data (§2.15); IKEv1 SKEYID for pre-shared keys, SKEYID_d/_a/_e, HASH_I/HASH_R (RFC 2409
 * §5, §5.4) and the phase-1 cipher key Ka with Appendix B's expansion; the algorithm numbers
 * those need (IANA "IKEv2 Parameters" transform IDs, RFC 2409 Appendix A attribute values)
 * mapped to hashes and key lengths; child SA keys: IKEv2 KEYMAT (§2.17) and IKEv1 Quick Mode
 * KEYMAT (RFC 2409 §5.5).
 * Refuses (throws on) an algorithm number it has no entry for: a test must not guess.
 */
import { createHmac } from 'node:crypto';

export type Hash = 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512';

const HASH_LENGTH: Readonly<Record<Hash, number>> = { md5: 16, sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

export function hmac(hash: Hash, key: Uint8Array, ...data: readonly Uint8Array[]): Uint8Array {
  const h = createHmac(hash, key);
  for (const d of data) h.update(d);
  return Uint8Array.from(h.digest());
}

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

// ---- IKEv2 ----

/** IKEv2 PRF transform IDs (transform type 2). */
const IKEV2_PRF: Readonly<Record<number, Hash>> = { 1: 'md5', 2: 'sha1', 5: 'sha256', 6: 'sha384', 7: 'sha512' };
/** IKEv2 integrity transform IDs (type 3) → key length (RFC 2403, 2404, 4868). */
const IKEV2_INTEG_KEY: Readonly<Record<number, number>> = { 1: 16, 2: 20, 12: 32, 13: 48, 14: 64 };
/** IKEv2 AEAD encryption IDs (AES-GCM ICV 8/12/16, RFC 5282): key ‖ 4-byte salt, no integrity key. */
const IKEV2_GCM = new Set([18, 19, 20]);

export function ikev2Prf(id: number): Hash {
  const h = IKEV2_PRF[id];
  if (!h) throw new Error(`IKEv2 PRF ${id}: not in the by-hand table`);
  return h;
}

/** Lengths of SK_e* and SK_a* for the negotiated ENCR (with its key length attribute, bits) and INTEG (null: AEAD). */
export function ikev2KeyLengths(encr: number, keyBits: number | null, integ: number | null): { readonly e: number; readonly a: number } {
  let e: number;
  if (encr === 3) e = 24;
  else if (encr === 12 && keyBits !== null) e = keyBits / 8;
  else if (IKEV2_GCM.has(encr) && keyBits !== null) e = keyBits / 8 + 4;
  else throw new Error(`IKEv2 ENCR ${encr}/${keyBits}: not in the by-hand table`);
  if (integ === null) {
    if (!IKEV2_GCM.has(encr)) throw new Error(`IKEv2 ENCR ${encr} without an integrity transform`);
    return { e, a: 0 };
  }
  const a = IKEV2_INTEG_KEY[integ];
  if (a === undefined) throw new Error(`IKEv2 INTEG ${integ}: not in the by-hand table`);
  return { e, a };
}

/** prf+ (RFC 7296 §2.13): T1 ‖ T2 ‖ …, Tn = prf(K, Tn-1 ‖ S ‖ n), cut to `length`. */
export function prfPlus(hash: Hash, key: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  const out: Uint8Array[] = [];
  let t: Uint8Array = new Uint8Array(0);
  let total = 0;
  for (let n = 1; total < length; n++) {
    if (n > 255) throw new Error('prf+: more than 255 blocks');
    t = hmac(hash, key, t, seed, Uint8Array.of(n));
    out.push(t);
    total += t.length;
  }
  return concat(...out).subarray(0, length);
}

export interface Ikev2SaKeys {
  readonly skD: Uint8Array;
  readonly skAi: Uint8Array;
  readonly skAr: Uint8Array;
  readonly skEi: Uint8Array;
  readonly skEr: Uint8Array;
  readonly skPi: Uint8Array;
  readonly skPr: Uint8Array;
}

/** SKEYSEED = prf(Ni ‖ Nr, g^ir); SK_d ‖ SK_ai ‖ SK_ar ‖ SK_ei ‖ SK_er ‖ SK_pi ‖ SK_pr = prf+(SKEYSEED, Ni ‖ Nr ‖ SPIi ‖ SPIr) (§2.14). */
export function ikev2SaKeys(hash: Hash, lengths: { readonly e: number; readonly a: number }, gir: Uint8Array, ni: Uint8Array, nr: Uint8Array, spiI: Uint8Array, spiR: Uint8Array): Ikev2SaKeys {
  const skeyseed = hmac(hash, concat(ni, nr), gir);
  const p = HASH_LENGTH[hash];
  const sizes = [p, lengths.a, lengths.a, lengths.e, lengths.e, p, p];
  const all = prfPlus(hash, skeyseed, concat(ni, nr, spiI, spiR), sizes.reduce((s, x) => s + x, 0));
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const n of sizes) {
    parts.push(all.slice(at, at + n));
    at += n;
  }
  const [skD, skAi, skAr, skEi, skEr, skPi, skPr] = parts as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  return { skD, skAi, skAr, skEi, skEr, skPi, skPr };
}

/** AUTH with a shared key (§2.15): prf(prf(PSK, "Key Pad for IKEv2"), the sender's IKE_SA_INIT message ‖ the peer's nonce ‖ prf(SK_p, ID body)). */
export function ikev2PskAuth(hash: Hash, psk: Uint8Array, saInitMessage: Uint8Array, peerNonce: Uint8Array, skP: Uint8Array, idBody: Uint8Array): Uint8Array {
  const pad = new TextEncoder().encode('Key Pad for IKEv2');
  return hmac(hash, hmac(hash, psk, pad), saInitMessage, peerNonce, hmac(hash, skP, idBody));
}

// ---- IKEv1 ----

/** IKEv1 phase-1 hash attribute values (RFC 2409 Appendix A, RFC 4868 §2.4 for SHA-2). */
const IKEV1_HASH: Readonly<Record<number, Hash>> = { 1: 'md5', 2: 'sha1', 4: 'sha256', 5: 'sha384', 6: 'sha512' };

export function ikev1Hash(value: number): Hash {
  const h = IKEV1_HASH[value];
  if (!h) throw new Error(`IKEv1 hash ${value}: not in the by-hand table`);
  return h;
}

/** Phase-1 cipher key length: encryption attribute 5 = 3DES-CBC (24), 7 = AES-CBC (key length attribute, bits). */
export function ikev1CipherKeyLength(encryption: number, keyBits: number | null): number {
  if (encryption === 5) return 24;
  if (encryption === 7 && keyBits !== null) return keyBits / 8;
  throw new Error(`IKEv1 encryption ${encryption}/${keyBits}: not in the by-hand table`);
}

/** SKEYID for pre-shared keys: prf(PSK, Ni_b ‖ Nr_b) (RFC 2409 §5). */
export function skeyidPsk(hash: Hash, psk: Uint8Array, niBody: Uint8Array, nrBody: Uint8Array): Uint8Array {
  return hmac(hash, psk, niBody, nrBody);
}

/** HASH_I = prf(SKEYID, g^xi ‖ g^xr ‖ CKY-I ‖ CKY-R ‖ SAi_b ‖ IDii_b) (RFC 2409 §5). */
export function hashI(hash: Hash, skeyid: Uint8Array, gxi: Uint8Array, gxr: Uint8Array, ckyI: Uint8Array, ckyR: Uint8Array, saiBody: Uint8Array, idiiBody: Uint8Array): Uint8Array {
  return hmac(hash, skeyid, gxi, gxr, ckyI, ckyR, saiBody, idiiBody);
}

/** HASH_R = prf(SKEYID, g^xr ‖ g^xi ‖ CKY-R ‖ CKY-I ‖ SAi_b ‖ IDir_b) (RFC 2409 §5). */
export function hashR(hash: Hash, skeyid: Uint8Array, gxi: Uint8Array, gxr: Uint8Array, ckyI: Uint8Array, ckyR: Uint8Array, saiBody: Uint8Array, idirBody: Uint8Array): Uint8Array {
  return hmac(hash, skeyid, gxr, gxi, ckyR, ckyI, saiBody, idirBody);
}

/** SKEYID_d = prf(SKEYID, g^xy ‖ CKY-I ‖ CKY-R ‖ 0), SKEYID_a = prf(SKEYID, SKEYID_d ‖ g^xy ‖ … ‖ 1), SKEYID_e = prf(SKEYID, SKEYID_a ‖ g^xy ‖ … ‖ 2). */
export function skeyids(hash: Hash, skeyid: Uint8Array, gxy: Uint8Array, ckyI: Uint8Array, ckyR: Uint8Array): { readonly d: Uint8Array; readonly a: Uint8Array; readonly e: Uint8Array } {
  const d = hmac(hash, skeyid, gxy, ckyI, ckyR, Uint8Array.of(0));
  const a = hmac(hash, skeyid, d, gxy, ckyI, ckyR, Uint8Array.of(1));
  const e = hmac(hash, skeyid, a, gxy, ckyI, ckyR, Uint8Array.of(2));
  return { d, a, e };
}

/** Ka (RFC 2409 Appendix B): SKEYID_e's first bytes when it is long enough, else K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1), cut. */
export function ikev1CipherKey(hash: Hash, skeyidE: Uint8Array, length: number): Uint8Array {
  if (skeyidE.length >= length) return skeyidE.slice(0, length);
  const blocks: Uint8Array[] = [];
  let k = hmac(hash, skeyidE, Uint8Array.of(0));
  blocks.push(k);
  while (blocks.reduce((s, b) => s + b.length, 0) < length) {
    k = hmac(hash, skeyidE, k);
    blocks.push(k);
  }
  return concat(...blocks).slice(0, length);
}

// ---- child SA (ESP) keys ----

/** ESP key lengths (encryption, integrity) for IKEv2 ESP transform IDs: ENCR 3 3DES, 11 NULL, 12 AES-CBC, 18-20 AES-GCM (key ‖ 4-byte salt, RFC 4106 §8.1); INTEG 1/2/12 or none. */
export function ikev2EspKeyLengths(encr: number, keyBits: number | null, integ: number | null): { readonly e: number; readonly a: number } {
  if (encr === 11 && integ !== null) return { e: 0, a: ikev2KeyLengths(12, 128, integ).a };
  return ikev2KeyLengths(encr, keyBits, integ);
}

/** IKEv1 ESP key lengths: transform ID 3 3DES (24), 11 NULL (0), 12 AES (key length attribute, bits); auth algorithm 1 HMAC-MD5 (16), 2 HMAC-SHA1 (20), 5 HMAC-SHA2-256 (32) (RFC 2407 §4.4.4, §4.5; RFC 4868). */
export function ikev1EspKeyLengths(transformId: number, keyBits: number | null, authAlgorithm: number): { readonly e: number; readonly a: number } {
  const a = ({ 1: 16, 2: 20, 5: 32 } as Readonly<Record<number, number>>)[authAlgorithm];
  if (a === undefined) throw new Error(`IKEv1 ESP auth algorithm ${authAlgorithm}: not in the by-hand table`);
  if (transformId === 3) return { e: 24, a };
  if (transformId === 11) return { e: 0, a };
  if (transformId === 12 && keyBits !== null) return { e: keyBits / 8, a };
  throw new Error(`IKEv1 ESP transform ${transformId}/${keyBits}: not in the by-hand table`);
}

/** IKEv2 child KEYMAT (RFC 7296 §2.17): prf+(SK_d, [g^ir (new) ‖] Ni ‖ Nr) split encr_i ‖ integ_i ‖ encr_r ‖ integ_r. */
export function ikev2ChildKeys(hash: Hash, skD: Uint8Array, lengths: { readonly e: number; readonly a: number }, ni: Uint8Array, nr: Uint8Array, gir: Uint8Array | null = null): { readonly encI: Uint8Array; readonly integI: Uint8Array; readonly encR: Uint8Array; readonly integR: Uint8Array } {
  const { e, a } = lengths;
  const k = prfPlus(hash, skD, concat(...(gir ? [gir] : []), ni, nr), 2 * (e + a));
  return { encI: k.slice(0, e), integI: k.slice(e, e + a), encR: k.slice(e + a, 2 * e + a), integR: k.slice(2 * e + a) };
}

/** IKEv1 Quick Mode KEYMAT for the SA of `spi` (RFC 2409 §5.5): K1 = prf(SKEYID_d, [g^xy ‖] 3 ‖ SPI ‖ Ni_b ‖ Nr_b), Kn = prf(SKEYID_d, Kn-1 ‖ same), encryption key first. */
export function ikev1EspKeys(hash: Hash, skeyidD: Uint8Array, lengths: { readonly e: number; readonly a: number }, spi: Uint8Array, niBody: Uint8Array, nrBody: Uint8Array, gxy: Uint8Array | null = null): { readonly enc: Uint8Array; readonly integ: Uint8Array } {
  const seed = concat(...(gxy ? [gxy] : []), Uint8Array.of(3), spi, niBody, nrBody);
  const blocks: Uint8Array[] = [];
  let k: Uint8Array = new Uint8Array(0);
  while (blocks.reduce((s, b) => s + b.length, 0) < lengths.e + lengths.a) {
    k = hmac(hash, skeyidD, k, seed);
    blocks.push(k);
  }
  const all = concat(...blocks);
  return { enc: all.slice(0, lengths.e), integ: all.slice(lengths.e, lengths.e + lengths.a) };
}
