import { describe, expect, it } from 'vitest';
import * as ipv4 from '../../sim/wire/ipv4.js';
import { Prng } from '../../sim/util/prng.js';
import { hex, ip, toHex } from './hex.js';

// A real ICMP echo request 192.168.1.10 → 192.168.1.1 (DF, TTL 64), header checksum 0x9b1f
// and ICMP checksum 0xf3c8 computed by hand (independent Python one-liner).
const PING = hex(
  '4500003c1c46400040019b1fc0a8010ac0a80101' + '0800f3c812340001' + '101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f',
);
// The textbook header (Wikipedia "IPv4 header checksum"): checksum 0xb861.
const TEXTBOOK = hex('450000730000400040110000c0a80001c0a800c7');
TEXTBOOK[10] = 0xb8;
TEXTBOOK[11] = 0x61;

describe('ipv4', () => {
  it('parses a real packet', () => {
    const r = ipv4.parse(PING);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      tos: 0,
      identification: 0x1c46,
      dontFragment: true,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 64,
      protocol: 1,
      src: ip('192.168.1.10'),
      dst: ip('192.168.1.1'),
      payloadLength: 40,
    });
    expect(r.value.options.length).toBe(0);
  });

  it('emits identical bytes', () => {
    const r = ipv4.parse(PING);
    if (!r.ok) throw new Error('fixture');
    const out = new Uint8Array(ipv4.bufferLen(r.value));
    const hl = ipv4.emit(r.value, out, 0);
    out.set(PING.subarray(hl), hl);
    expect(toHex(out)).toBe(toHex(PING));
    expect(toHex(ipv4.build(r.value, PING.subarray(20)))).toBe(toHex(PING));
  });

  it('emits at an offset and computes the textbook checksum', () => {
    const r = ipv4.parse(new Uint8Array([...TEXTBOOK, ...new Uint8Array(0x73 - 20)]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const buf = new Uint8Array(3 + 20);
    ipv4.emit(r.value, buf, 3);
    expect(toHex(buf.subarray(3))).toBe(toHex(TEXTBOOK));
  });

  it('truncation at every length is an error', () => {
    for (let n = 0; n < PING.length; n++) {
      const r = ipv4.parse(PING.subarray(0, n));
      expect(r.ok).toBe(false);
      if (!r.ok && n > 0) expect(r.error.code).toBe('truncated');
    }
    // Extra link padding beyond total length is fine.
    expect(ipv4.parse(new Uint8Array([...PING, 0, 0, 0])).ok).toBe(true);
  });

  it('refuses bad fields', () => {
    const bad = (mut: (b: Uint8Array) => void): string => {
      const b = PING.slice();
      mut(b);
      const r = ipv4.parse(b);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(bad((b) => (b[0] = 0x65))).toBe('bad-version');
    expect(bad((b) => (b[0] = 0x44))).toBe('bad-ihl');
    expect(bad((b) => (b[3] = 10))).toBe('bad-length');
    expect(bad((b) => (b[3] = 0xff))).toBe('truncated');
    expect(bad((b) => (b[8] = 63))).toBe('bad-checksum');
    expect(bad((b) => (b[6] |= 0x80))).toBe('bad-field');
    const r = ipv4.parse(
      (() => {
        const b = PING.slice();
        b[8] = 63;
        return b;
      })(),
    );
    if (!r.ok && r.error.code === 'bad-checksum') {
      expect(r.error.found).toBe(0x9b1f);
      expect(r.error.expected).toBe(0x9c1f);
    } else throw new Error('expected bad-checksum');
  });

  it('keeps options and round-trips them', () => {
    const repr = ipv4.ipv4Repr({ src: ip('10.0.0.1'), dst: ip('10.0.0.2'), protocol: 17, payloadLength: 4, options: hex('94040000') });
    const pkt = ipv4.build(repr, hex('deadbeef'));
    expect(pkt[0]).toBe(0x46);
    const r = ipv4.parse(pkt);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(toHex(r.value.options)).toBe('94040000');
    expect(toHex(ipv4.build(r.value, hex('deadbeef')))).toBe(toHex(pkt));
  });

  it('encodes fragment fields', () => {
    const repr = ipv4.ipv4Repr({ src: 1, dst: 2, protocol: 6, payloadLength: 8, moreFragments: true, fragmentOffset: 1480 });
    const r = ipv4.parse(ipv4.build(repr, new Uint8Array(8)));
    expect(r.ok && r.value.moreFragments && r.value.fragmentOffset === 1480).toBe(true);
  });

  it('emitPlain writes the bytes emit writes for the same header without options, at any offset', () => {
    const prng = new Prng(791, 'ipv4-emit-plain');
    for (let k = 0; k < 2000; k++) {
      const repr = ipv4.ipv4Repr({
        src: prng.nextU32(), dst: prng.nextU32(), protocol: prng.int(256), payloadLength: prng.int(65516),
        tos: prng.int(256), identification: prng.int(65536), dontFragment: prng.int(2) === 1, ttl: prng.int(256),
      });
      const offset = prng.int(9);
      const want = new Uint8Array(offset + 20).fill(0xa5);
      ipv4.emit(repr, want, offset);
      const got = new Uint8Array(offset + 20).fill(0xa5);
      ipv4.emitPlain(got, offset, repr.tos, repr.identification, repr.dontFragment, repr.ttl, repr.protocol, repr.src, repr.dst, repr.payloadLength);
      expect(toHex(got)).toBe(toHex(want));
    }
  });
});
