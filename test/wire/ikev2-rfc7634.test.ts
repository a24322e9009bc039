/**
 * A real encrypted IKEv2 message decoded and rebuilt: the example of RFC 7634 Appendix B (an
 * INFORMATIONAL request carrying SK{N(SET_WINDOW_SIZE 10)}, ChaCha20-Poly1305), as strongSwan
 * checks its generator against it in `src/libcharon/tests/suites/test_message_chapoly.c`
 * (strongswan/strongswan at 3b902ea59b86a8ac097e27a34db85feb877a00f9). node:crypto decrypts
 * with the ranges the SK layout names (nonce = 4-byte salt | 8-byte IV, associated data =
 * header through the SK generic header, RFC 7634 §4 / RFC 5282 §5.1), so a wrong range fails
 * the Poly1305 tag; rebuilding the message from its payload must give the same 69 bytes.
 */
import { createCipheriv, createDecipheriv, getCiphers } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeInner,
  decodeMessage,
  encodeInner,
  layoutEncrypted,
  notifyPayload,
  NotifyType,
  splitEncrypted,
  summarizeMessage,
} from '../../sim/wire/ikev2.js';
import { hex, toHex } from './hex.js';

const MESSAGE = hex(
  'c0c1c2c3c4c5c6c7 d0d1d2d3d4d5d6d7 2e 20 25 00 00000009 00000045' + // header
    '29 00 0029 1011121314151617' + // SK: next payload Notify, length 41, IV
    '610394701f8d017f7c12924889' + // ciphertext (13 bytes)
    '6b71bfe25236efd7cdc67066906315b2', // ICV (16 bytes)
);
const KEY = hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
const SALT = hex('a0a1a2a3');
const SIZES = { ivLength: 8, icvLength: 16, blockSize: 1 };

describe('RFC 7634 Appendix B: a ChaCha20-Poly1305 INFORMATIONAL message', () => {
  it('node:crypto has the cipher', () => {
    expect(getCiphers()).toContain('chacha20-poly1305');
  });

  it('decodes: header, SK payload naming a Notify first, IV, ciphertext, ICV', () => {
    expect(MESSAGE.length).toBe(69);
    const m = decodeMessage(MESSAGE);
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(m.value.header).toEqual({
      initiatorSpi: hex('c0c1c2c3c4c5c6c7'),
      responderSpi: hex('d0d1d2d3d4d5d6d7'),
      exchangeType: 37,
      initiator: false,
      response: false,
      higherVersion: false,
      messageId: 9,
    });
    expect(m.value.payloads).toEqual([]);
    expect(m.value.encrypted?.firstInner).toBe(41);
    const s = splitEncrypted(MESSAGE, SIZES);
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(toHex(s.value.iv)).toBe('1011121314151617');
    expect(s.value.ciphertext.length).toBe(13);
    expect(s.value.layout.associatedData).toEqual([0, 32]);
    expect(s.value.layout.icv).toEqual([53, 69]);
  });

  it('decrypts with the layout\'s ranges to N(SET_WINDOW_SIZE 10), and summarizes as strongSwan logs it', () => {
    const s = splitEncrypted(MESSAGE, SIZES);
    if (!s.ok) throw new Error(s.error.message);
    const d = createDecipheriv('chacha20-poly1305', KEY, Buffer.concat([SALT, s.value.iv]), { authTagLength: 16 });
    d.setAAD(MESSAGE.subarray(...s.value.layout.associatedData), { plaintextLength: s.value.ciphertext.length });
    d.setAuthTag(s.value.icv);
    const plaintext = Buffer.concat([d.update(s.value.ciphertext), d.final()]);
    const inner = decodeInner(s.value.firstInner, plaintext);
    expect(inner.ok ? inner.value : inner.error).toEqual([notifyPayload(NotifyType.SET_WINDOW_SIZE, hex('0000000a'))]);
    expect(summarizeMessage(s.value.message, inner.ok ? inner.value : [])).toBe('INFORMATIONAL request 9 [ N(SET_WINSIZE) ]');
  });

  it('rebuilds the same 69 bytes from the header and the notify', () => {
    const m = decodeMessage(MESSAGE);
    if (!m.ok) throw new Error(m.error.message);
    const { firstInner, plaintext } = encodeInner([notifyPayload(NotifyType.SET_WINDOW_SIZE, hex('0000000a'))], 1);
    const iv = hex('1011121314151617');
    const laid = layoutEncrypted(m.value.header, [], firstInner, { ivLength: 8, ciphertextLength: plaintext.length, icvLength: 16 });
    const c = createCipheriv('chacha20-poly1305', KEY, Buffer.concat([SALT, iv]), { authTagLength: 16 });
    c.setAAD(laid.bytes.subarray(...laid.layout.associatedData), { plaintextLength: plaintext.length });
    laid.bytes.set(iv, laid.layout.iv[0]);
    laid.bytes.set(Buffer.concat([c.update(plaintext), c.final()]), laid.layout.ciphertext[0]);
    laid.bytes.set(c.getAuthTag(), laid.layout.icv[0]);
    expect(toHex(laid.bytes)).toBe(toHex(MESSAGE));
  });
});
