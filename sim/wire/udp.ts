/**
 * UDP header codec (RFC 768).
 *
 * Owns the 8-byte UDP header: ports, length, checksum over the IPv4 pseudo-header. The
 * checksum needs the IP addresses, so `parse` and `emit` take them. A zero checksum means
 * "none" (allowed over IPv4) and is accepted; a computed checksum of 0 is sent as 0xffff.
 * Rejected: fewer than 8 bytes, a length field below 8 or beyond the bytes given, a bad
 * checksum. Bytes beyond the UDP length are ignored. `payload` is a view, not a copy.
 * For a payload already in place (ESP in UDP, RFC 3948, on the data path): `emitHeader`
 * writes only the header, without a checksum, and `readLength`/`readDstPort` read one in
 * place after the caller checked there are 8 bytes.
 */
import { finish, pseudoHeaderSum, sumWords } from './checksum.js';
import { badChecksum, fieldError, truncated, type WireResult } from './errors.js';
import { IpProtocol } from './ipv4.js';

const field = {
  SRC_PORT: [0, 2],
  DST_PORT: [2, 4],
  LENGTH: [4, 6],
  CHECKSUM: [6, 8],
  PAYLOAD: 8,
} as const;

/** Length of the UDP header. */
export const UDP_HEADER_LEN = 8;

/** The validated meaning of a UDP datagram. */
export interface UdpRepr {
  readonly srcPort: number;
  readonly dstPort: number;
  /** Whether the checksum field is used (false: sent as zero, "no checksum"). */
  readonly checksummed: boolean;
  readonly payload: Uint8Array;
}

/** Check that `bytes` can hold the UDP header. */
export function checkLen(bytes: Uint8Array): WireResult<number> {
  if (bytes.length < UDP_HEADER_LEN) return truncated('UDP header', UDP_HEADER_LEN, bytes.length);
  return { ok: true, value: UDP_HEADER_LEN };
}

/** The two ports of a UDP header. */
export interface UdpPorts {
  readonly srcPort: number;
  readonly dstPort: number;
}

/** Bytes `emit` writes. */
export function bufferLen(repr: UdpRepr): number {
  return UDP_HEADER_LEN + repr.payload.length;
}

function u16(b: Uint8Array, i: number): number {
  return (b[i]! << 8) | b[i + 1]!;
}

function checksumOf(bytes: Uint8Array, start: number, len: number, src: number, dst: number): number {
  return finish(sumWords(bytes, start, start + len, pseudoHeaderSum(src, dst, IpProtocol.UDP, len)));
}

/** Decode a UDP datagram carried from `src` to `dst` (uint32 addresses). */
export function parse(bytes: Uint8Array, src: number, dst: number): WireResult<UdpRepr> {
  const c = checkLen(bytes);
  if (!c.ok) return c;
  const len = u16(bytes, field.LENGTH[0]);
  if (len < UDP_HEADER_LEN) return fieldError('bad-length', `UDP length ${len} is below 8`);
  if (len > bytes.length) return truncated('UDP datagram (length field)', len, bytes.length);
  const found = u16(bytes, field.CHECKSUM[0]);
  if (found !== 0 && checksumOf(bytes, 0, len, src, dst) !== 0) {
    const copy = bytes.slice(0, len);
    copy[field.CHECKSUM[0]] = 0;
    copy[field.CHECKSUM[0] + 1] = 0;
    const expected = checksumOf(copy, 0, len, src, dst);
    return badChecksum('UDP datagram', found, expected === 0 ? 0xffff : expected);
  }
  return {
    ok: true,
    value: {
      srcPort: u16(bytes, field.SRC_PORT[0]),
      dstPort: u16(bytes, field.DST_PORT[0]),
      checksummed: found !== 0,
      payload: bytes.subarray(field.PAYLOAD, len),
    },
  };
}

/**
 * Write `repr` (header and payload) at `buf[offset]`; returns the bytes written.
 * `payloadSum`: `sumWords` of the payload when the caller already knows it (a packet
 * generator reusing payloads); the checksum then reads only the header.
 */
export function emit(repr: UdpRepr, buf: Uint8Array, offset: number, src: number, dst: number, payloadSum?: number): number {
  const len = bufferLen(repr);
  const put = (i: number, v: number): void => {
    buf[offset + i] = (v >>> 8) & 0xff;
    buf[offset + i + 1] = v & 0xff;
  };
  put(field.SRC_PORT[0], repr.srcPort);
  put(field.DST_PORT[0], repr.dstPort);
  put(field.LENGTH[0], len);
  put(field.CHECKSUM[0], 0);
  buf.set(repr.payload, offset + field.PAYLOAD);
  if (repr.checksummed) {
    const ck = payloadSum === undefined ? checksumOf(buf, offset, len, src, dst)
      : finish(sumWords(buf, offset, offset + UDP_HEADER_LEN, pseudoHeaderSum(src, dst, IpProtocol.UDP, len) + payloadSum));
    put(field.CHECKSUM[0], ck === 0 ? 0xffff : ck);
  }
  return len;
}

/**
 * Write the header of a datagram whose `payloadLen` payload bytes already follow
 * `buf[offset + 8]`, with the checksum field zero ("no checksum": allowed over IPv4, and
 * what RFC 3948 §2.1 asks of ESP in UDP). Returns the bytes written (8).
 */
export function emitHeader(ports: UdpPorts, payloadLen: number, buf: Uint8Array, offset: number): number {
  const len = UDP_HEADER_LEN + payloadLen;
  buf[offset] = (ports.srcPort >>> 8) & 0xff;
  buf[offset + 1] = ports.srcPort & 0xff;
  buf[offset + 2] = (ports.dstPort >>> 8) & 0xff;
  buf[offset + 3] = ports.dstPort & 0xff;
  buf[offset + 4] = (len >>> 8) & 0xff;
  buf[offset + 5] = len & 0xff;
  buf[offset + 6] = 0;
  buf[offset + 7] = 0;
  return UDP_HEADER_LEN;
}

/** The length field of the UDP header at `b[offset]` (the caller checked 8 bytes are there). */
export function readLength(b: Uint8Array, offset: number): number {
  return u16(b, offset + field.LENGTH[0]);
}

/** The destination port of the UDP header at `b[offset]` (the caller checked 8 bytes are there). */
export function readDstPort(b: Uint8Array, offset: number): number {
  return u16(b, offset + field.DST_PORT[0]);
}
