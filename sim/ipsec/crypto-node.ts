/**
 * node:crypto (OpenSSL) implementation of `CryptoBackend`: the Node.js entry's default
 * backend where the native addon is not built (DEFAULT_CRYPTO in backends.ts), and what the
 * native backend forwards IKE's primitives to.
 *
 * Owns only the mapping from the interface to node:crypto calls. Auto-padding is off for
 * CBC because ESP pads itself; a GCM tag mismatch (which node reports by throwing from
 * `final()`) becomes `null` here so no exception reaches the data path. Diffie-Hellman
 * keeps one node DiffieHellman object per group (making one checks the prime, tens of
 * milliseconds) and sets the caller's private value on it for each call; the value checks
 * are modp.ts's, shared with the other backends, and node's values, which can be a byte
 * short when they start with zeros, are left-padded to the prime's length.
 */
import { createCipheriv, createDecipheriv, createDiffieHellman, createHash, createHmac, type DiffieHellman } from 'node:crypto';
import { GCM_TAG_LEN, HMAC96_LEN, type CbcStream, type CryptoBackend, type HashName, type ModpGroup } from './crypto.js';
import { acceptableModpPublic, checkModpPrivate, leftPad } from './modp.js';
import type { CbcCipherName, GcmCipherName, HmacHashName } from './transforms.js';

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (b.length === 0) return new Uint8Array(a.buffer, a.byteOffset, a.length);
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** GCM seal writing ciphertext ‖ tag into `out` at `offset`. */
function gcmSealInto(cipher: GcmCipherName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, out: Uint8Array, offset: number): void {
  const c = createCipheriv(cipher, key, nonce, { authTagLength: GCM_TAG_LEN });
  c.setAAD(aad);
  const body = c.update(plaintext);
  out.set(body, offset);
  c.final(); // GCM is a stream mode: final() returns nothing, it computes the tag
  out.set(c.getAuthTag(), offset + body.length);
}

const dhByGroup = new WeakMap<ModpGroup, DiffieHellman>();

/** The group's DiffieHellman object with `priv` set as its private value (checked first). */
function dhWithPrivate(group: ModpGroup, priv: Uint8Array): DiffieHellman {
  checkModpPrivate(group, priv);
  let dh = dhByGroup.get(group);
  if (!dh) {
    dh = createDiffieHellman(Buffer.from(group.primeHex, 'hex'), Buffer.from(group.generatorHex, 'hex'));
    dhByGroup.set(group, dh);
  }
  dh.setPrivateKey(priv);
  return dh;
}

function bytes(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** The node:crypto backend. */
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

  prf(hash: HashName, key: Uint8Array, data: Uint8Array): Uint8Array {
    return bytes(createHmac(hash, key).update(data).digest());
  },

  digest(hash: HashName, data: Uint8Array): Uint8Array {
    return bytes(createHash(hash).update(data).digest());
  },

  dhPublic(group: ModpGroup, priv: Uint8Array): Uint8Array {
    // With a private value set, generateKeys computes g^x from it (OpenSSL's DH_generate_key).
    return leftPad(dhWithPrivate(group, priv).generateKeys(), group.length);
  },

  dhShared(group: ModpGroup, priv: Uint8Array, peerPublic: Uint8Array): Uint8Array | null {
    const dh = dhWithPrivate(group, priv);
    if (!acceptableModpPublic(group, peerPublic)) return null;
    return leftPad(dh.computeSecret(peerPublic), group.length);
  },
};
