/**
 * prf+ (RFC 7296 §2.13) and IKEv1's counterless chain (RFC 2409 §5.5) against strongSwan's
 * published vectors, on every crypto backend: strongswan/strongswan
 * src/libstrongswan/tests/suites/test_prf_plus.c at commit
 * 768e013790d82e88ef41c33ef69a7edec59558db (HMAC-SHA2-256; `counter_data` is prf+,
 * `classic_data` the chain without a counter; each vector is the stream cut into pieces,
 * so the pieces end to end are the first bytes of the output). `test_wrap` there: 255
 * blocks are given, the 256th is refused.
 */
import { describe, expect, it } from 'vitest';
import { PRF_PLUS_MAX_BLOCKS, prfChainV1, prfPlus } from '../../sim/ike/prf-plus.js';
import { CRYPTO_BACKENDS } from '../../sim/ipsec/backends.js';
import { hex, toHex } from '../wire/hex.js';

const KEY = hex('0b'.repeat(20));
const SEED = hex('4869205468657265'); // "Hi There"

const COUNTER_PIECES = [
  'b9bdc0',
  '8988b4c2b75a',
  'a93e596ac84205',
  'fa2ddde1bf7a2572067b00e14b237732',
  '830509981ad2f94a',
  '8c32a47daa2255b6',
  '60c436347ae756a6edc023477d80',
  '9590e682f61d9c04b06b4ad971a34c8147fa6679',
  '2ff1434b93c722b32e12f48832ebc15ce2369ce71fe9b7b81e5704c14d0f5280a6ec626e992d7a9f',
];

const CLASSIC_PIECES = [
  'b0344c',
  '61d8db38535c',
  'a8afceaf0bf12b',
  '881dc200c9833da726e9376c2e32cff7',
  'd09ae24b3a83ffd4',
  'b1efa5945cc5ed85',
  'b0b2cc56fcf75d23a0a34ca4dbff',
  'eafdaa6a3bf4113424e4502df97a769324f61124',
  '243b996e7d0f35998879736bdb70659a6efad2399410e6ce80456eb607078fe1c47c6b5e8165478a',
];

describe.each(Object.values(CRYPTO_BACKENDS).map((b) => [b.name, b] as const))('prf+ and the IKEv1 chain on backend %s', (_n, be) => {
  it('prf+ gives strongSwan\'s counter vector (122 bytes over 4 blocks), and every shorter length is its prefix', () => {
    const stream = COUNTER_PIECES.join('');
    expect(toHex(prfPlus(be, 'sha256', KEY, SEED, stream.length / 2))).toBe(stream);
    for (const n of [0, 1, 31, 32, 33, 64, 100]) expect(toHex(prfPlus(be, 'sha256', KEY, SEED, n))).toBe(stream.slice(0, 2 * n));
  });

  it('the IKEv1 chain gives strongSwan\'s classic (counterless) vector', () => {
    const stream = CLASSIC_PIECES.join('');
    expect(toHex(prfChainV1(be, 'sha256', KEY, SEED, stream.length / 2))).toBe(stream);
    expect(toHex(prfChainV1(be, 'sha256', KEY, SEED, 45))).toBe(stream.slice(0, 90));
  });

  it('prf+ gives 255 blocks and refuses the 256th (the one-byte counter would wrap)', () => {
    expect(PRF_PLUS_MAX_BLOCKS).toBe(255);
    expect(prfPlus(be, 'sha256', KEY, SEED, 255 * 32).length).toBe(8160);
    expect(prfPlus(be, 'sha1', KEY, SEED, 255 * 20).length).toBe(5100);
    expect(() => prfPlus(be, 'sha256', KEY, SEED, 255 * 32 + 1)).toThrow(RangeError);
    expect(() => prfPlus(be, 'sha1', KEY, SEED, 255 * 20 + 1)).toThrow(RangeError);
    expect(() => prfPlus(be, 'sha1', KEY, SEED, -1)).toThrow(RangeError);
    expect(() => prfPlus(be, 'sha1', KEY, SEED, 1.5)).toThrow(RangeError);
  });
});
