import { describe, expect, it } from 'vitest';
import { CRYPTO_BACKENDS, cryptoBackend, cryptoBackendProblem } from '../../sim/ipsec/backends.js';
import { nativeOpenssl, nativeProblem } from '../../sim/ipsec/crypto-native.js';
import type { CryptoBackend } from '../../sim/ipsec/crypto.js';
import { Prng } from '../../sim/util/prng.js';
import { hex, toHex } from '../wire/hex.js';

const BACKENDS: CryptoBackend[] = Object.values(CRYPTO_BACKENDS);
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

// One shared conformance suite, run over every backend (hono's router conformance idea).
describe.each(BACKENDS.map((b) => [b.name, b] as const))('crypto backend %s: known answers', (_name, be) => {
  it('AES-128-CBC, RFC 3602 case #1 and #2', () => {
    expect(toHex(be.cbcEncrypt('aes-128-cbc', hex('06a9214036b8a15b512e03d534120006'), hex('3dafba429d9eb430b422da802c9fac41'), ascii('Single block msg')))).toBe(
      'e353779c1079aeb82708942dbe77181a',
    );
    const key = hex('c286696d887c9aa0611bbb3e2025a45a');
    const iv = hex('562e17996d093d28ddb3ba695a2e6f58');
    const pt = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const ct = 'd296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1';
    expect(toHex(be.cbcEncrypt('aes-128-cbc', key, iv, pt))).toBe(ct);
    expect(toHex(be.cbcDecrypt('aes-128-cbc', key, iv, hex(ct)))).toBe(toHex(pt));
  });

  it('3DES (TDEA), NIST SP 800-67 example block ("The qufc")', () => {
    const key = hex('0123456789abcdef23456789abcdef01456789abcdef0123');
    const ct = be.cbcEncrypt('des-ede3-cbc', key, new Uint8Array(8), ascii('The qufc'));
    expect(toHex(ct)).toBe('a826fd8ce53b855f');
    expect(new TextDecoder().decode(be.cbcDecrypt('des-ede3-cbc', key, new Uint8Array(8), ct))).toBe('The qufc');
  });

  it('HMAC-SHA1-96 and HMAC-MD5-96, RFC 2202 cases 1 and 2', () => {
    expect(toHex(be.hmac96('sha1', new Uint8Array(20).fill(0x0b), ascii('Hi There')))).toBe('b617318655057264e28bc0b6');
    expect(toHex(be.hmac96('sha1', ascii('Jefe'), ascii('what do ya want for nothing?')))).toBe('effcdf6ae5eb2fa2d27416d5');
    expect(toHex(be.hmac96('md5', new Uint8Array(16).fill(0x0b), ascii('Hi There')))).toBe('9294727a3638bb1c13f48ef8');
    expect(toHex(be.hmac96('md5', ascii('Jefe'), ascii('what do ya want for nothing?')))).toBe('750c783e6ab0b503eaa86e31');
  });

  // McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 3, 4, 15, 16.
  // The 12-byte IV is RFC 4106's salt (cafebabe) ‖ explicit IV (facedbaddecaf888).
  const P = 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
  const A = 'feedfacedeadbeeffeedfacedeadbeefabaddad2';
  const N = hex('cafebabefacedbaddecaf888');
  const K128 = hex('feffe9928665731c6d6a8f9467308308');
  const K256 = hex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308');
  const C128 = '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985';
  const C256 = '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad';
  it.each([
    ['TC3', 'aes-128-gcm', K128, '', P, C128 + '4d5c2af327cd64a62cf35abd2ba6fab4'],
    ['TC4', 'aes-128-gcm', K128, A, P.slice(0, 120), C128.slice(0, 120) + '5bc94fbc3221a5db94fae95ae7121a47'],
    ['TC15', 'aes-256-gcm', K256, '', P, C256 + 'b094dac5d93471bdec1a502270e3cc6c'],
    ['TC16', 'aes-256-gcm', K256, A, P.slice(0, 120), C256.slice(0, 120) + '76fc6ece0f4e1768cddf8853bb2d551b'],
  ] as const)('AES-GCM %s', (_tc, cipher, key, aad, pt, sealed) => {
    expect(toHex(be.gcmSeal(cipher, key, N, hex(aad), hex(pt)))).toBe(sealed);
    const s = hex(sealed);
    const body = s.subarray(0, s.length - 16);
    const tag = s.subarray(s.length - 16);
    expect(toHex(be.gcmOpen(cipher, key, N, hex(aad), body, tag) ?? new Uint8Array())).toBe(pt);
    const badTag = tag.slice();
    badTag[0] ^= 1;
    expect(be.gcmOpen(cipher, key, N, hex(aad), body, badTag)).toBeNull();
    const badAad = hex(aad + '00');
    expect(be.gcmOpen(cipher, key, N, badAad, body, tag)).toBeNull();
  });
});

describe.each(BACKENDS.filter((b) => b.name !== 'node').map((b) => [b.name, b] as const))('backend %s agrees with node:crypto on random inputs', (_name, b) => {
  it('CBC, GCM and HMAC give identical bytes', () => {
    const prng = new Prng(7, 'crypto-agree');
    const a = CRYPTO_BACKENDS.node;
    for (let i = 0; i < 40; i++) {
      const bytes = (n: number): Uint8Array => prng.fill(new Uint8Array(n));
      for (const [cipher, kl, bs] of [['aes-128-cbc', 16, 16], ['aes-256-cbc', 32, 16], ['des-ede3-cbc', 24, 8]] as const) {
        const k = bytes(kl);
        const iv = bytes(bs);
        const pt = bytes(bs * prng.range(1, 20));
        const ca = a.cbcEncrypt(cipher, k, iv, pt);
        expect(toHex(b.cbcEncrypt(cipher, k, iv, pt))).toBe(toHex(ca));
        expect(toHex(b.cbcDecrypt(cipher, k, iv, ca))).toBe(toHex(pt));
      }
      for (const [cipher, kl] of [['aes-128-gcm', 16], ['aes-256-gcm', 32]] as const) {
        const k = bytes(kl);
        const n = bytes(12);
        const aad = bytes(8);
        const pt = bytes(prng.int(300));
        const sa = a.gcmSeal(cipher, k, n, aad, pt);
        expect(toHex(b.gcmSeal(cipher, k, n, aad, pt))).toBe(toHex(sa));
        expect(toHex(b.gcmOpen(cipher, k, n, aad, sa.subarray(0, pt.length), sa.subarray(pt.length)) ?? hex('ff'))).toBe(toHex(pt));
      }
      for (const [hash, kl] of [['sha1', 20], ['md5', 16]] as const) {
        const k = bytes(kl);
        const d = bytes(prng.int(200));
        expect(toHex(b.hmac96(hash, k, d))).toBe(toHex(a.hmac96(hash, k, d)));
      }
    }
  });

});

describe('backend names', () => {
  it('looks backends up by name', () => {
    expect(cryptoBackend('native')?.name).toBe('native');
    expect(cryptoBackend('node')?.name).toBe('node');
    expect(cryptoBackend('forge')?.name).toBe('forge');
    expect(cryptoBackend('openssl')).toBeNull();
    expect(cryptoBackendProblem('openssl')).toMatch(/unknown crypto backend "openssl"/);
    expect(cryptoBackendProblem('node')).toBe('');
  });

  it('the native addon is built and loaded (npm ci builds it; without it this fails, it does not skip)', () => {
    expect(nativeProblem).toBe('');
    expect(CRYPTO_BACKENDS.native?.name).toBe('native');
    expect(cryptoBackendProblem('native')).toBe('');
    // It runs on the OpenSSL inside this node binary.
    expect(nativeOpenssl).toContain(`OpenSSL ${process.versions.openssl.replace(/\+.*$/, '')}`);
  });
});
