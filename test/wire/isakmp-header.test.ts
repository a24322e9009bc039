/**
 * The 28-byte ISAKMP header against bytes written by hand from RFC 2408 §3.1's layout, and each
 * refusal: short input, version other than 1.0, exchange types strongSwan refuses for IKEv1, a
 * non-zero message ID in Main Mode, a zero initiator cookie, a length that is not the datagram's.
 */
import { describe, expect, it } from 'vitest';
import { decodeHeader, encodeHeader, ISAKMP_HEADER_LEN, readMajorVersion, type IsakmpHeader } from '../../sim/wire/isakmp.js';
import { hex, toHex } from './hex.js';

// Initiator cookie, responder cookie, Next Payload 1 (SA), version 0x10, exchange 32 (Quick
// Mode), flags 0x01 (E), message ID 0xa317fdd7 (2736258519), length 0x1c (28).
const QUICK_MODE_HEADER = '0102030405060708 1112131415161718 01 10 20 01 a317fdd7 0000001c';

function withByte(h: string, index: number, value: number): Uint8Array {
  const b = hex(h);
  b[index] = value;
  return b;
}

describe('ISAKMP header', () => {
  it('decodes every field of a hand-written header', () => {
    const r = decodeHeader(hex(QUICK_MODE_HEADER));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(toHex(r.value.initiatorCookie)).toBe('0102030405060708');
    expect(toHex(r.value.responderCookie)).toBe('1112131415161718');
    expect(r.value.nextPayload).toBe(1);
    expect(r.value.exchangeType).toBe(32);
    expect(r.value.encrypted).toBe(true);
    expect(r.value.commit).toBe(false);
    expect(r.value.authOnly).toBe(false);
    expect(r.value.messageId).toBe(2736258519);
    expect(r.value.length).toBe(28);
  });

  it('encodes the same bytes', () => {
    const h: IsakmpHeader = {
      initiatorCookie: hex('0102030405060708'),
      responderCookie: hex('1112131415161718'),
      nextPayload: 1,
      exchangeType: 32,
      encrypted: true,
      commit: false,
      authOnly: false,
      messageId: 2736258519,
      length: 28,
    };
    const out = new Uint8Array(ISAKMP_HEADER_LEN);
    encodeHeader(h, out);
    expect(toHex(out)).toBe(toHex(hex(QUICK_MODE_HEADER)));
  });

  it('reads the C and A flags and ignores the reserved flag bits', () => {
    const r = decodeHeader(withByte(QUICK_MODE_HEADER, 19, 0xfe));
    expect(r.ok && [r.value.encrypted, r.value.commit, r.value.authOnly]).toEqual([false, true, true]);
  });

  it('refuses a version other than 1.0, and tells IKEv2 apart', () => {
    for (const v of [0x20, 0x11, 0x00]) {
      const b = withByte(QUICK_MODE_HEADER, 17, v);
      const r = decodeHeader(b);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('bad-version');
    }
    expect(readMajorVersion(withByte(QUICK_MODE_HEADER, 17, 0x20))).toBe(2);
    expect(readMajorVersion(hex(QUICK_MODE_HEADER))).toBe(1);
    expect(readMajorVersion(new Uint8Array(17))).toBeNull();
  });

  it('accepts the IKEv1 exchanges strongSwan accepts and refuses others (IKEv2 ones included)', () => {
    for (const x of [2, 3, 4, 5, 6, 32, 33]) {
      const b = withByte(QUICK_MODE_HEADER, 18, x);
      if (x === 2 || x === 4) b.fill(0, 20, 24); // phase 1 carries message ID 0
      expect(decodeHeader(b).ok, `exchange ${x}`).toBe(true);
    }
    for (const x of [0, 1, 7, 31, 34, 35, 255]) {
      const r = decodeHeader(withByte(QUICK_MODE_HEADER, 18, x));
      expect(r.ok ? 'ok' : r.error.code, `exchange ${x}`).toBe('bad-type');
    }
  });

  it('refuses a non-zero message ID in Main and Aggressive Mode', () => {
    for (const x of [2, 4]) {
      const r = decodeHeader(withByte(QUICK_MODE_HEADER, 18, x));
      expect(r.ok ? 'ok' : r.error.code).toBe('bad-field');
    }
  });

  it('refuses an all-zero initiator cookie, not a zero responder cookie', () => {
    const b = hex(QUICK_MODE_HEADER);
    b.fill(0, 8, 16);
    expect(decodeHeader(b).ok).toBe(true);
    b.fill(0, 0, 8);
    const r = decodeHeader(b);
    expect(r.ok ? 'ok' : r.error.code).toBe('bad-field');
  });

  it('checks the length against the datagram', () => {
    const short = decodeHeader(hex(QUICK_MODE_HEADER).subarray(0, 27));
    expect(short.ok ? 'ok' : short.error.code).toBe('truncated');
    const below = decodeHeader(withByte(QUICK_MODE_HEADER, 27, 27));
    expect(below.ok ? 'ok' : below.error.code).toBe('bad-length');
    const beyond = decodeHeader(withByte(QUICK_MODE_HEADER, 27, 29));
    expect(beyond.ok ? 'ok' : beyond.error).toMatchObject({ code: 'truncated', need: 29, have: 28 });
    const longer = decodeHeader(new Uint8Array([...hex(QUICK_MODE_HEADER), 0]));
    expect(longer.ok ? 'ok' : longer.error.code).toBe('bad-length');
  });

  it('refuses to encode what it would refuse to decode', () => {
    const good: IsakmpHeader = {
      initiatorCookie: hex('0102030405060708'),
      responderCookie: new Uint8Array(8),
      nextPayload: 1,
      exchangeType: 2,
      encrypted: false,
      commit: false,
      authOnly: false,
      messageId: 0,
      length: 28,
    };
    const out = new Uint8Array(28);
    expect(() => encodeHeader(good, out)).not.toThrow();
    expect(() => encodeHeader({ ...good, initiatorCookie: new Uint8Array(8) }, out)).toThrow(RangeError);
    expect(() => encodeHeader({ ...good, initiatorCookie: hex('01020304050607') }, out)).toThrow(RangeError);
    expect(() => encodeHeader({ ...good, messageId: 7 }, out)).toThrow(RangeError);
    expect(() => encodeHeader({ ...good, exchangeType: 34 }, out)).toThrow(RangeError);
    expect(() => encodeHeader({ ...good, length: 20 }, out)).toThrow(RangeError);
    expect(() => encodeHeader(good, new Uint8Array(27))).toThrow(RangeError);
  });
});
