/**
 * node:crypto (OpenSSL) implementation of `CryptoBackend`: the Node.js entry's default
 * backend where the native addon is not built (DEFAULT_CRYPTO in backends.ts).
 *
 * Owns only the mapping from the interface to node:crypto calls. Auto-padding is off for
 * CBC because ESP pads itself; a GCM tag mismatch (which node reports by throwing from
 * `final()`) becomes `null` here so no exception reaches the data path.
 */
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { GCM_TAG_LEN, HMAC96_LEN, type CbcStream, type CryptoBackend } from './crypto.js';
import type { CbcCipherName, GcmCipherName, HmacHashName } from './transforms.js';

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (b.length === 0) return new Uint8Array(a.buffer, a.byteOffset, a.length);
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The node:crypto backend. */
/** GCM seal writing ciphertext ‖ tag into `out` at `offset`. */
function gcmSealInto(cipher: GcmCipherName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, out: Uint8Array, offset: number): void {
  const c = createCipheriv(cipher, key, nonce, { authTagLength: GCM_TAG_LEN });
  c.setAAD(aad);
  const body = c.update(plaintext);
  out.set(body, offset);
  c.final(); // GCM is a stream mode: final() returns nothing, it computes the tag
  out.set(c.getAuthTag(), offset + body.length);
}

export const nodeCrypto: CryptoBackend = {
  name: 'node',

  cbcEncrypt(cipher: CbcCipherName, key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const c = createCipheriv(cipher, key, iv);
    c.setAutoPadding(false);
    return concat(c.update(plaintext), c.final());
  },

  cbcDecrypt(cipher: CbcCipherName, key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    const d = createDecipheriv(cipher, key, iv);
    d.setAutoPadding(false);
    return concat(d.update(ciphertext), d.final());
  },

  cbcStream(cipher: CbcCipherName, key: Uint8Array, iv: Uint8Array, decrypt: boolean): CbcStream {
    const c = decrypt ? createDecipheriv(cipher, key, iv) : createCipheriv(cipher, key, iv);
    c.setAutoPadding(false);
    // With padding off OpenSSL holds nothing back: every call returns all its blocks.
    return {
      updateInto: (buf: Uint8Array, start: number, end: number, out: Uint8Array, offset: number): void => out.set(c.update(buf.subarray(start, end)), offset),
    };
  },

  gcmSeal(cipher: GcmCipherName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const out = new Uint8Array(plaintext.length + GCM_TAG_LEN);
    gcmSealInto(cipher, key, nonce, aad, plaintext, out, 0);
    return out;
  },

  gcmSealInto,

  gcmOpen(cipher: GcmCipherName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Uint8Array | null {
    if (tag.length !== GCM_TAG_LEN) return null;
    const d = createDecipheriv(cipher, key, nonce, { authTagLength: GCM_TAG_LEN });
    d.setAAD(aad);
    d.setAuthTag(tag);
    const body = d.update(ciphertext);
    try {
      return concat(body, d.final());
    } catch {
      // OpenSSL reports "unable to authenticate data": the ICV did not verify.
      return null;
    }
  },

  hmac96(hash: HmacHashName, key: Uint8Array, data: Uint8Array): Uint8Array {
    const full = createHmac(hash, key).update(data).digest();
    return new Uint8Array(full.buffer, full.byteOffset, HMAC96_LEN);
  },
};
