/**
 * The encrypted payload of an established IKE SA (RFC 7296 §3.14; AES-GCM: RFC 5282): seal
 * the payloads of an outgoing message, and check and open an incoming one.
 *
 * Owns which keys protect which direction (messages of the original initiator, I flag set,
 * use SK_ei and SK_ai; the responder's use SK_er and SK_ar), the IV (drawn from the caller's
 * Prng, one cipher block for CBC, 8 bytes for GCM), padding to the cipher's block, the ICV
 * (CBC: the integrity algorithm's HMAC over the first header byte through the ciphertext,
 * truncated; GCM: the tag over the header and SK generic header as associated data, nonce =
 * salt ‖ IV), all through the CryptoBackend. Refuses, as values: a message the SK layout
 * refuses, an ICV that does not verify, a decryption whose padding or inner payloads do not
 * decode; the caller drops such a message and says why. The sizes and splits are
 * sim/wire/ikev2-sk.ts's.
 */
import { bytesEqual, type CryptoBackend } from '../../ipsec/crypto.js';
import type { Prng } from '../../util/prng.js';
import type { IkeSuite } from '../proposals.js';
import type { IkeSaKeys } from '../keys-v2.js';
import type { Ikev2Header } from '../../wire/ikev2-header.js';
import type { Ikev2Message } from '../../wire/ikev2-message.js';
import type { Ikev2Payload } from '../../wire/ikev2-payloads.js';
import { decodeInner, encodeEncrypted, encodeInner, layoutEncrypted, splitEncrypted, type SkSizes } from '../../wire/ikev2-sk.js';

/** What protects one IKE SA's messages. */
export interface ProtectionKeys {
  readonly suite: IkeSuite;
  readonly keys: IkeSaKeys;
}

/** The SK sizes of a suite. */
export function skSizes(suite: IkeSuite): SkSizes {
  const e = suite.encryption;
  return { ivLength: e.ivLength, icvLength: e.mode === 'gcm' ? e.icvLength : suite.integrity!.icvLength, blockSize: e.blockSize };
}

function directionKeys(p: ProtectionKeys, fromOriginalInitiator: boolean): { enc: Uint8Array; auth: Uint8Array } {
  return fromOriginalInitiator ? { enc: p.keys.skEi, auth: p.keys.skAi } : { enc: p.keys.skEr, auth: p.keys.skAr };
}

/** The whole message: `header` and the SK payload holding `inner`, sealed with the keys of the header's I flag. */
export function sealMessage(be: CryptoBackend, p: ProtectionKeys, header: Ikev2Header, inner: readonly Ikev2Payload[], prng: Prng): Uint8Array {
  const e = p.suite.encryption;
  const k = directionKeys(p, header.initiator);
  const { firstInner, plaintext } = encodeInner(inner, e.blockSize);
  const iv = prng.fill(new Uint8Array(e.ivLength));
  if (e.mode === 'gcm') {
    const laid = layoutEncrypted(header, [], firstInner, { ivLength: e.ivLength, ciphertextLength: plaintext.length, icvLength: e.icvLength });
    const key = k.enc.subarray(0, e.keyLength - e.saltLength);
    const nonce = new Uint8Array(12);
    nonce.set(k.enc.subarray(e.keyLength - e.saltLength), 0);
    nonce.set(iv, 4);
    const sealed = be.gcmSeal(e.cipher, key, nonce, laid.bytes.subarray(...laid.layout.associatedData), plaintext);
    laid.bytes.set(iv, laid.layout.iv[0]);
    laid.bytes.set(sealed, laid.layout.ciphertext[0]);
    return laid.bytes;
  }
  const integrity = p.suite.integrity!;
  const ciphertext = be.cbcEncrypt(e.cipher, k.enc, iv, plaintext);
  const laid = encodeEncrypted(header, [], firstInner, iv, ciphertext, integrity.icvLength);
  const mac = be.prf(integrity.hash, k.auth, laid.bytes.subarray(...laid.layout.integrity));
  laid.bytes.set(mac.subarray(0, integrity.icvLength), laid.layout.icv[0]);
  return laid.bytes;
}

/** An opened message, or why it was refused. */
export type OpenResult =
  | { readonly ok: true; readonly message: Ikev2Message; readonly inner: Ikev2Payload[] }
  | { readonly ok: false; readonly problem: string };

/** Check and decrypt the encrypted message `bytes`, sent by the original initiator or not (its I flag). */
export function openMessage(be: CryptoBackend, p: ProtectionKeys, bytes: Uint8Array): OpenResult {
  const e = p.suite.encryption;
  const split = splitEncrypted(bytes, skSizes(p.suite));
  if (!split.ok) return { ok: false, problem: `message parsing failed: ${split.error.message}` };
  const s = split.value;
  const k = directionKeys(p, s.message.header.initiator);
  let plaintext: Uint8Array;
  if (e.mode === 'gcm') {
    const nonce = new Uint8Array(12);
    nonce.set(k.enc.subarray(e.keyLength - e.saltLength), 0);
    nonce.set(s.iv, 4);
    const opened = be.gcmOpen(e.cipher, k.enc.subarray(0, e.keyLength - e.saltLength), nonce, bytes.subarray(...s.layout.associatedData), s.ciphertext, s.icv);
    if (!opened) return { ok: false, problem: 'integrity check failed' };
    plaintext = opened;
  } else {
    const integrity = p.suite.integrity!;
    const mac = be.prf(integrity.hash, k.auth, bytes.subarray(...s.layout.integrity)).subarray(0, integrity.icvLength);
    if (!bytesEqual(mac, s.icv)) return { ok: false, problem: 'integrity check failed' };
    plaintext = be.cbcDecrypt(e.cipher, k.enc, s.iv, s.ciphertext);
  }
  const inner = decodeInner(s.firstInner, plaintext);
  if (!inner.ok) return { ok: false, problem: `message parsing failed: ${inner.error.message}` };
  return { ok: true, message: s.message, inner: inner.value };
}
