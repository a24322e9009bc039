/**
 * node-forge (pure JavaScript) implementation of `CryptoBackend`, for `--crypto forge`:
 * runs where OpenSSL lacks an algorithm (3DES in some builds), cross-checks node:crypto,
 * and is what a browser build can use.
 *
 * Owns the conversion between Uint8Array and forge's binary strings and the forge calls.
 * CBC padding is disabled by passing forge a pad/unpad function that does nothing (forge's
 * `finish(pad)`), because ESP pads itself; a GCM tag mismatch is forge's `finish() === false`
 * and becomes `null`. Diffie-Hellman is BigInt modular exponentiation (modp.ts, which also
 * holds the value checks every backend shares): forge has no finite-field DH.
 */
import forge from 'node-forge';
import { GCM_TAG_LEN, HMAC96_LEN, type CryptoBackend, type HashName, type ModpGroup } from './crypto.js';
import { acceptableModpPublic, bigIntToBytes, bytesToBigInt, checkModpPrivate, modpGenerator, modPow, modpPrime } from './modp.js';
import type { CbcCipherName, GcmCipherName, HmacHashName } from './transforms.js';

/** Uint8Array → forge binary string (one char per byte), chunked to stay off the stack limit. */
function toBin(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** forge binary string → Uint8Array. */
function fromBin(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

const CBC_ALGORITHM: { readonly [K in CbcCipherName]: forge.cipher.Algorithm } = {
  'aes-128-cbc': 'AES-CBC',
  'aes-192-cbc': 'AES-CBC',
  'aes-256-cbc': 'AES-CBC',
  'des-ede3-cbc': '3DES-CBC',
};

/** forge's typings omit `finish`'s legacy pad argument; this is its real signature. */
type FinishWithPad = (pad: (blockSize: number, buffer: forge.util.ByteStringBuffer, decrypt: boolean) => boolean) => boolean;
const NO_PADDING = (): boolean => true;

function cbc(decrypt: boolean, cipher: CbcCipherName, key: Uint8Array, iv: Uint8Array, input: Uint8Array): Uint8Array {
  const keyBuf = forge.util.createBuffer(toBin(key));
  const c = decrypt ? forge.cipher.createDecipher(CBC_ALGORITHM[cipher], keyBuf) : forge.cipher.createCipher(CBC_ALGORITHM[cipher], keyBuf);
  c.start({ iv: toBin(iv) });
  c.update(forge.util.createBuffer(toBin(input)));
  (c.finish as unknown as FinishWithPad).call(c, NO_PADDING);
  return fromBin(c.output.getBytes());
}

/** A fresh forge message digest for each hash. */
const DIGESTS: { readonly [K in HashName]: () => forge.md.MessageDigest } = {
  md5: () => forge.md.md5.create(),
  sha1: () => forge.md.sha1.create(),
  sha256: () => forge.md.sha256.create(),
  sha384: () => forge.md.sha384.create(),
  sha512: () => forge.md.sha512.create(),
};

/** The node-forge backend. */
export const forgeCrypto: CryptoBackend = {
  name: 'forge',

  cbcEncrypt(cipher: CbcCipherName, key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
    return cbc(false, cipher, key, iv, plaintext);
  },

  cbcDecrypt(cipher: CbcCipherName, key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    return cbc(true, cipher, key, iv, ciphertext);
  },

  gcmSeal(_cipher: GcmCipherName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    // The AES key length (16 or 32) selects AES-128 or AES-256.
    const c = forge.cipher.createCipher('AES-GCM', forge.util.createBuffer(toBin(key)));
    c.start({ iv: toBin(nonce), additionalData: toBin(aad), tagLength: GCM_TAG_LEN * 8 });
    c.update(forge.util.createBuffer(toBin(plaintext)));
    c.finish();
    const body = c.output.getBytes();
    return fromBin(body + c.mode.tag.getBytes());
  },

  gcmOpen(_cipher: GcmCipherName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Uint8Array | null {
    if (tag.length !== GCM_TAG_LEN) return null;
    const d = forge.cipher.createDecipher('AES-GCM', forge.util.createBuffer(toBin(key)));
    d.start({ iv: toBin(nonce), additionalData: toBin(aad), tagLength: GCM_TAG_LEN * 8, tag: forge.util.createBuffer(toBin(tag)) });
    d.update(forge.util.createBuffer(toBin(ciphertext)));
    if (!d.finish()) return null;
    return fromBin(d.output.getBytes());
  },

  hmac96(hash: HmacHashName, key: Uint8Array, data: Uint8Array): Uint8Array {
    const h = forge.hmac.create();
    h.start(hash, toBin(key));
    h.update(toBin(data));
    return fromBin(h.digest().getBytes()).subarray(0, HMAC96_LEN);
  },

  prf(hash: HashName, key: Uint8Array, data: Uint8Array): Uint8Array {
    const h = forge.hmac.create();
    h.start(DIGESTS[hash](), toBin(key));
    h.update(toBin(data));
    return fromBin(h.digest().getBytes());
  },

  digest(hash: HashName, data: Uint8Array): Uint8Array {
    return fromBin(DIGESTS[hash]().update(toBin(data)).digest().getBytes());
  },

  dhPublic(group: ModpGroup, priv: Uint8Array): Uint8Array {
    const x = checkModpPrivate(group, priv);
    return bigIntToBytes(modPow(modpGenerator(group), x, modpPrime(group)), group.length);
  },

  dhShared(group: ModpGroup, priv: Uint8Array, peerPublic: Uint8Array): Uint8Array | null {
    const x = checkModpPrivate(group, priv);
    if (!acceptableModpPublic(group, peerPublic)) return null;
    return bigIntToBytes(modPow(bytesToBigInt(peerPublic), x, modpPrime(group)), group.length);
  },
};
