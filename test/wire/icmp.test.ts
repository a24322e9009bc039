import { describe, expect, it } from 'vitest';
import * as icmp from '../../sim/wire/icmp.js';
import { hex, toHex } from './hex.js';

const ECHO = hex('0800f3c812340001' + '101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f');

describe('icmp', () => {
  it('parses a real echo request', () => {
    const r = icmp.parse(ECHO);
    expect(r.ok).toBe(true);
    if (!r.ok || r.value.kind !== 'echo-request') throw new Error('kind');
    expect(r.value.ident).toBe(0x1234);
    expect(r.value.seq).toBe(1);
    expect(r.value.data.length).toBe(32);
  });

  it('emits identical bytes, and a reply with a fresh checksum', () => {
    const r = icmp.parse(ECHO);
    if (!r.ok) throw new Error('fixture');
    const out = new Uint8Array(icmp.bufferLen(r.value) + 2);
    icmp.emit(r.value, out, 2);
    expect(toHex(out.subarray(2))).toBe(toHex(ECHO));
    if (r.value.kind !== 'echo-request') throw new Error('kind');
    const reply = new Uint8Array(ECHO.length);
    icmp.emit({ ...r.value, kind: 'echo-reply' }, reply, 0);
    expect(reply[0]).toBe(0);
    // Type 8 → 0 changes the sum by 0x0800: checksum 0xf3c8 + 0x0800.
    expect(toHex(reply.subarray(2, 4))).toBe('fbc8');
    expect(icmp.parse(reply).ok).toBe(true);
  });

  it('round-trips fragmentation-needed and time-exceeded', () => {
    const data = new Uint8Array(28).fill(7);
    for (const repr of [
      { kind: 'dst-unreachable', code: icmp.ICMP_FRAG_NEEDED, nextHopMtu: 1400, data } as const,
      { kind: 'time-exceeded', code: 0, data } as const,
    ]) {
      const b = new Uint8Array(icmp.bufferLen(repr));
      icmp.emit(repr, b, 0);
      const r = icmp.parse(b);
      expect(r.ok && r.value).toEqual(repr);
    }
  });

  it('truncation at every length is an error', () => {
    for (let n = 0; n < 8; n++) {
      const r = icmp.parse(ECHO.subarray(0, n));
      expect(!r.ok && r.error.code).toBe('truncated');
    }
    // Cutting data breaks the checksum.
    for (let n = 8; n < ECHO.length; n++) expect(icmp.parse(ECHO.subarray(0, n)).ok).toBe(false);
  });

  it('refuses bad checksum, type and code', () => {
    const b = ECHO.slice();
    b[10] ^= 1;
    expect(((r) => !r.ok && r.error.code)(icmp.parse(b))).toBe('bad-checksum');
    const t = ECHO.slice();
    t[0] = 13;
    expect(((r) => !r.ok && r.error.code)(icmp.parse(t))).toBe('bad-type');
    const c = ECHO.slice();
    c[1] = 1;
    expect(((r) => !r.ok && r.error.code)(icmp.parse(c))).toBe('bad-field');
  });
});
