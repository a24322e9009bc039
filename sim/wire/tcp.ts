/**
 * TCP header codec (RFC 793), header only: the simulator classifies and traces TCP
 * segments but runs no TCP state machine.
 *
 * Owns ports, sequence and acknowledgement numbers, data offset, flags, window, checksum
 * (over the IPv4 pseudo-header and the whole segment) and urgent pointer. Options are kept
 * as raw bytes (a view) and not interpreted. Rejected: fewer than 20 bytes, a data offset
 * below 5 or beyond the segment, a bad checksum. `bytes` is exactly the segment (its length
 * comes from the IP header), so the checksum covers all of it.
 */
import { finish, pseudoHeaderSum, sumWords } from './checksum.js';
import { badChecksum, fieldError, truncated, type WireResult } from './errors.js';
import { IpProtocol } from './ipv4.js';

const field = {
  SRC_PORT: [0, 2],
  DST_PORT: [2, 4],
  SEQ: [4, 8],
  ACK: [8, 12],
  /** Data offset (4 bits), reserved (3), NS (1), then the 8 flag bits. */
  OFF_FLAGS: [12, 14],
  WINDOW: [14, 16],
  CHECKSUM: [16, 18],
  URGENT: [18, 20],
  OPTIONS: 20,
} as const;

/** Length of the TCP header without options. */
export const TCP_MIN_HEADER_LEN = 20;

/** Flag bits as they sit in the low 9 bits of the offset/flags word. */
export const TcpFlags = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80, NS: 0x100 } as const;

/** The validated meaning of a TCP segment header. */
export interface TcpRepr {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  /** OR of `TcpFlags`. */
  readonly flags: number;
  readonly window: number;
  readonly urgent: number;
  /** Raw option bytes, a multiple of 4, at most 40. */
  readonly options: Uint8Array;
  readonly payload: Uint8Array;
}

/** Check that `bytes` holds the fixed header and the header its data offset claims. */
export function checkLen(bytes: Uint8Array): WireResult<number> {
  if (bytes.length < TCP_MIN_HEADER_LEN) return truncated('TCP header', TCP_MIN_HEADER_LEN, bytes.length);
  const hl = (bytes[field.OFF_FLAGS[0]]! >>> 4) * 4;
  if (hl < TCP_MIN_HEADER_LEN) return fieldError('bad-offset', `TCP data offset ${hl / 4} is below 5`);
  if (hl > bytes.length) return truncated('TCP header with options', hl, bytes.length);
  return { ok: true, value: hl };
}

/** Bytes `emit` writes. */
export function bufferLen(repr: TcpRepr): number {
  return TCP_MIN_HEADER_LEN + repr.options.length + repr.payload.length;
}

function checksumOf(bytes: Uint8Array, start: number, len: number, src: number, dst: number): number {
  return finish(sumWords(bytes, start, start + len, pseudoHeaderSum(src, dst, IpProtocol.TCP, len)));
}

/** Decode a TCP segment carried from `src` to `dst` (uint32 addresses). */
export function parse(bytes: Uint8Array, src: number, dst: number): WireResult<TcpRepr> {
  const c = checkLen(bytes);
  if (!c.ok) return c;
  const hl = c.value;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (checksumOf(bytes, 0, bytes.length, src, dst) !== 0) {
    const copy = bytes.slice();
    copy[field.CHECKSUM[0]] = 0;
    copy[field.CHECKSUM[0] + 1] = 0;
    return badChecksum('TCP segment', dv.getUint16(field.CHECKSUM[0]), checksumOf(copy, 0, copy.length, src, dst));
  }
  return {
    ok: true,
    value: {
      srcPort: dv.getUint16(field.SRC_PORT[0]),
      dstPort: dv.getUint16(field.DST_PORT[0]),
      seq: dv.getUint32(field.SEQ[0]),
      ack: dv.getUint32(field.ACK[0]),
      flags: dv.getUint16(field.OFF_FLAGS[0]) & 0x1ff,
      window: dv.getUint16(field.WINDOW[0]),
      urgent: dv.getUint16(field.URGENT[0]),
      options: bytes.subarray(field.OPTIONS, hl),
      payload: bytes.subarray(hl),
    },
  };
}

/** Write `repr` (header, options, payload) at `buf[offset]`; returns the bytes written. `payloadSum` as for UDP's emit. */
export function emit(repr: TcpRepr, buf: Uint8Array, offset: number, src: number, dst: number, payloadSum?: number): number {
  const len = bufferLen(repr);
  const hl = TCP_MIN_HEADER_LEN + repr.options.length;
  const dv = new DataView(buf.buffer, buf.byteOffset + offset, len);
  dv.setUint16(field.SRC_PORT[0], repr.srcPort);
  dv.setUint16(field.DST_PORT[0], repr.dstPort);
  dv.setUint32(field.SEQ[0], repr.seq >>> 0);
  dv.setUint32(field.ACK[0], repr.ack >>> 0);
  dv.setUint16(field.OFF_FLAGS[0], ((hl >>> 2) << 12) | (repr.flags & 0x1ff));
  dv.setUint16(field.WINDOW[0], repr.window);
  dv.setUint16(field.CHECKSUM[0], 0);
  dv.setUint16(field.URGENT[0], repr.urgent);
  buf.set(repr.options, offset + field.OPTIONS);
  buf.set(repr.payload, offset + hl);
  dv.setUint16(field.CHECKSUM[0], payloadSum === undefined ? checksumOf(buf, offset, len, src, dst)
    : finish(sumWords(buf, offset, offset + hl, pseudoHeaderSum(src, dst, IpProtocol.TCP, len) + payloadSum)));
  return len;
}
