/**
 * The plain-TypeScript SHA-256, HMAC-SHA256 and HKDF-SHA256 give node:crypto's bytes on
 * random inputs of every length around the block edges, and the published vectors.
 */
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hkdfSha256, hmacSha256, sha256 } from '../../sim/ipsec/hkdf.js';
import { Prng } from '../../sim/util/prng.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

function bytes(rng: Prng, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = rng.int(256);
  return b;
}

describe('sha256', () => {
  it('matches FIPS 180-4 examples', () => {
    expect(hex(sha256(new TextEncoder().encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(sha256(new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });
  it('matches node:crypto for every length 0-300 and split inputs', () => {
    const rng = new Prng(1, 'sha256');
    for (let n = 0; n <= 300; n++) {
      const m = bytes(rng, n);
      const cut = rng.int(n + 1);
      expect([n, hex(sha256(m.subarray(0, cut), m.subarray(cut)))]).toEqual([n, createHash('sha256').update(m).digest('hex')]);
    }
  });
});

describe('hmacSha256', () => {
  it('matches node:crypto for keys shorter and longer than a block', () => {
    const rng = new Prng(2, 'hmac');
    for (let i = 0; i < 200; i++) {
      const key = bytes(rng, rng.int(150));
      const data = bytes(rng, rng.int(200));
      expect([i, hex(hmacSha256(key, data))]).toEqual([i, createHmac('sha256', key).update(data).digest('hex')]);
    }
  });
});

describe('hkdfSha256', () => {
  it('matches node:crypto hkdfSync for lengths up to several blocks', () => {
    const rng = new Prng(3, 'hkdf');
    for (let i = 0; i < 200; i++) {
      const ikm = bytes(rng, 1 + rng.int(80));
      const salt = bytes(rng, i % 3 === 0 ? 0 : rng.int(100));
      const info = bytes(rng, rng.int(60));
      const len = 1 + rng.int(130);
      expect([i, hex(hkdfSha256(ikm, salt, info, len))]).toEqual([i, hex(new Uint8Array(hkdfSync('sha256', ikm, salt, info, len)))]);
    }
  });
  it('matches RFC 5869 test cases 1 and 3', () => {
    expect(hex(hkdfSha256(unhex('0b'.repeat(22)), unhex('000102030405060708090a0b0c'), unhex('f0f1f2f3f4f5f6f7f8f9'), 42)))
      .toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
    expect(hex(hkdfSha256(unhex('0b'.repeat(22)), new Uint8Array(0), new Uint8Array(0), 42)))
      .toBe('8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
  });
  it('refuses an output longer than 255 blocks', () => {
    expect(() => hkdfSha256(new Uint8Array(1), new Uint8Array(0), new Uint8Array(0), 255 * 32 + 1)).toThrow(RangeError);
  });
});
