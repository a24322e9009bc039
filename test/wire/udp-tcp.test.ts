import { describe, expect, it } from 'vitest';
import * as tcp from '../../sim/wire/tcp.js';
import * as udp from '../../sim/wire/udp.js';
import { hex, ip, toHex } from './hex.js';

const SRC = ip('10.1.0.4');
const DST = ip('10.2.0.5');
// Checksums hand-derived with the RFC 768/793 pseudo-header (independent Python).
const UDP = hex('14e90035000d92d868656c6c6f');
const TCP_SYN = hex('9c4001bb01020304000000006002faf0e7280000020405b4');

describe('udp', () => {
  it('parses and re-emits a datagram', () => {
    const r = udp.parse(UDP, SRC, DST);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.srcPort).toBe(5353);
    expect(r.value.dstPort).toBe(53);
    expect(r.value.checksummed).toBe(true);
    expect(new TextDecoder().decode(r.value.payload)).toBe('hello');
    const out = new Uint8Array(udp.bufferLen(r.value));
    udp.emit(r.value, out, 0, SRC, DST);
    expect(toHex(out)).toBe(toHex(UDP));
  });

  it('accepts a zero checksum as none and emits it', () => {
    const b = UDP.slice();
    b[6] = 0;
    b[7] = 0;
    const r = udp.parse(b, SRC, DST);
    expect(r.ok && !r.value.checksummed).toBe(true);
    if (!r.ok) return;
    const out = new Uint8Array(udp.bufferLen(r.value));
    udp.emit(r.value, out, 0, SRC, DST);
    expect(toHex(out)).toBe(toHex(b));
  });

  it('checks the pseudo-header, lengths and truncation', () => {
    expect(((r) => !r.ok && r.error.code)(udp.parse(UDP, SRC, DST + 1))).toBe('bad-checksum');
    for (let n = 0; n < UDP.length; n++) expect(udp.parse(UDP.subarray(0, n), SRC, DST).ok).toBe(false);
    const short = UDP.slice();
    short[5] = 7;
    expect(((r) => !r.ok && r.error.code)(udp.parse(short, SRC, DST))).toBe('bad-length');
    const long = UDP.slice();
    long[5] = 0x20;
    expect(((r) => !r.ok && r.error.code)(udp.parse(long, SRC, DST))).toBe('truncated');
  });
});

describe('tcp', () => {
  it('parses and re-emits a SYN with an MSS option', () => {
    const r = tcp.parse(TCP_SYN, SRC, DST);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ srcPort: 40000, dstPort: 443, seq: 0x01020304, ack: 0, flags: tcp.TcpFlags.SYN, window: 64240, urgent: 0 });
    expect(toHex(r.value.options)).toBe('020405b4');
    expect(r.value.payload.length).toBe(0);
    const out = new Uint8Array(tcp.bufferLen(r.value));
    tcp.emit(r.value, out, 0, SRC, DST);
    expect(toHex(out)).toBe(toHex(TCP_SYN));
  });

  it('round-trips a segment with payload', () => {
    const repr: tcp.TcpRepr = {
      srcPort: 1,
      dstPort: 2,
      seq: 0xfffffff0,
      ack: 0x80000001,
      flags: tcp.TcpFlags.ACK | tcp.TcpFlags.PSH,
      window: 1,
      urgent: 0,
      options: new Uint8Array(0),
      payload: hex('0102030405'),
    };
    const b = new Uint8Array(tcp.bufferLen(repr));
    tcp.emit(repr, b, 0, SRC, DST);
    const r = tcp.parse(b, SRC, DST);
    expect(r.ok && r.value).toEqual(repr);
  });

  it('refuses truncation, bad data offset and bad checksum', () => {
    for (let n = 0; n < TCP_SYN.length; n++) expect(tcp.parse(TCP_SYN.subarray(0, n), SRC, DST).ok).toBe(false);
    const off = TCP_SYN.slice();
    off[12] = 0x40 | (off[12]! & 0x0f);
    expect(((r) => !r.ok && r.error.code)(tcp.parse(off, SRC, DST))).toBe('bad-offset');
    const big = TCP_SYN.slice();
    big[12] = 0xf0;
    expect(((r) => !r.ok && r.error.code)(tcp.parse(big, SRC, DST))).toBe('truncated');
    const ck = TCP_SYN.slice();
    ck[4] ^= 0x10;
    expect(((r) => !r.ok && r.error.code)(tcp.parse(ck, SRC, DST))).toBe('bad-checksum');
  });
});
