/**
 * ICMPv4 codec (RFC 792, RFC 1191): echo request/reply, destination unreachable (with the
 * next-hop MTU of "fragmentation needed") and time exceeded.
 *
 * Owns the byte layout of an ICMP message; the checksum covers the whole message and is
 * verified on parse and computed on emit. `data` in a repr is a view into the parsed bytes
 * (no copy). Rejected: messages shorter than the 8-byte header, a bad checksum, and types
 * this simulator never produces or consumes (`bad-type`), so that an unexpected message
 * is a named drop instead of being misread.
 */
import { finish, internetChecksum, sumWords } from './checksum.js';
import { badChecksum, fieldError, truncated, type WireResult } from './errors.js';

const field = {
  TYPE: 0,
  CODE: 1,
  CHECKSUM: [2, 4],
  /** Echo: identifier; unreachable: unused (2 bytes). */
  REST_HI: [4, 6],
  /** Echo: sequence number; unreachable code 4: next-hop MTU. */
  REST_LO: [6, 8],
  DATA: 8,
} as const;

/** Length of the ICMP header. */
export const ICMP_HEADER_LEN = 8;

/** ICMP message types understood here. */
export const IcmpType = { ECHO_REPLY: 0, DST_UNREACHABLE: 3, ECHO_REQUEST: 8, TIME_EXCEEDED: 11 } as const;

/** Destination-unreachable code for "fragmentation needed and DF set". */
export const ICMP_FRAG_NEEDED = 4;

/** The validated meaning of an ICMP message. */
export type IcmpRepr =
  | { readonly kind: 'echo-request' | 'echo-reply'; readonly ident: number; readonly seq: number; readonly data: Uint8Array }
  | {
      readonly kind: 'dst-unreachable';
      readonly code: number;
      /** Next-hop MTU (RFC 1191) for code 4, otherwise 0. */
      readonly nextHopMtu: number;
      /** The offending IP header plus at least 8 bytes of its payload. */
      readonly data: Uint8Array;
    }
  | { readonly kind: 'time-exceeded'; readonly code: number; readonly data: Uint8Array };

/** Check that `bytes` can hold the ICMP header. */
export function checkLen(bytes: Uint8Array): WireResult<number> {
  if (bytes.length < ICMP_HEADER_LEN) return truncated('ICMP header', ICMP_HEADER_LEN, bytes.length);
  return { ok: true, value: ICMP_HEADER_LEN };
}

/** Bytes `emit` writes. */
export function bufferLen(repr: IcmpRepr): number {
  return ICMP_HEADER_LEN + repr.data.length;
}

/** Decode an ICMP message; `bytes` is exactly the IP payload. */
export function parse(bytes: Uint8Array): WireResult<IcmpRepr> {
  const c = checkLen(bytes);
  if (!c.ok) return c;
  const hi = (bytes[field.REST_HI[0]]! << 8) | bytes[field.REST_HI[0] + 1]!;
  const lo = (bytes[field.REST_LO[0]]! << 8) | bytes[field.REST_LO[0] + 1]!;
  const type = bytes[field.TYPE]!;
  const code = bytes[field.CODE]!;
  const data = bytes.subarray(field.DATA);
  let repr: IcmpRepr;
  switch (type) {
    case IcmpType.ECHO_REQUEST:
    case IcmpType.ECHO_REPLY:
      if (code !== 0) return fieldError('bad-field', `ICMP echo with code ${code}, expected 0`);
      repr = { kind: type === IcmpType.ECHO_REQUEST ? 'echo-request' : 'echo-reply', ident: hi, seq: lo, data };
      break;
    case IcmpType.DST_UNREACHABLE:
      repr = { kind: 'dst-unreachable', code, nextHopMtu: code === ICMP_FRAG_NEEDED ? lo : 0, data };
      break;
    case IcmpType.TIME_EXCEEDED:
      repr = { kind: 'time-exceeded', code, data };
      break;
    default:
      return fieldError('bad-type', `ICMP type ${type} is not modelled`);
  }
  if (internetChecksum(bytes) !== 0) {
    const found = (bytes[field.CHECKSUM[0]]! << 8) | bytes[field.CHECKSUM[0] + 1]!;
    const copy = bytes.slice();
    copy[field.CHECKSUM[0]] = 0;
    copy[field.CHECKSUM[0] + 1] = 0;
    return badChecksum('ICMP message', found, internetChecksum(copy));
  }
  return { ok: true, value: repr };
}

/** Write `repr` at `buf[offset]` with its checksum; returns the bytes written. `payloadSum`: `sumWords` of `repr.data` when the caller knows it. */
export function emit(repr: IcmpRepr, buf: Uint8Array, offset = 0, payloadSum?: number): number {
  const len = bufferLen(repr);
  let type: number;
  let code: number;
  let hi = 0;
  let lo = 0;
  switch (repr.kind) {
    case 'echo-request':
    case 'echo-reply':
      type = repr.kind === 'echo-request' ? IcmpType.ECHO_REQUEST : IcmpType.ECHO_REPLY;
      code = 0;
      hi = repr.ident;
      lo = repr.seq;
      break;
    case 'dst-unreachable':
      type = IcmpType.DST_UNREACHABLE;
      code = repr.code;
      lo = repr.nextHopMtu;
      break;
    case 'time-exceeded':
      type = IcmpType.TIME_EXCEEDED;
      code = repr.code;
      break;
  }
  buf[offset + field.TYPE] = type;
  buf[offset + field.CODE] = code & 0xff;
  buf[offset + field.CHECKSUM[0]] = 0;
  buf[offset + field.CHECKSUM[0] + 1] = 0;
  buf[offset + field.REST_HI[0]] = (hi >>> 8) & 0xff;
  buf[offset + field.REST_HI[0] + 1] = hi & 0xff;
  buf[offset + field.REST_LO[0]] = (lo >>> 8) & 0xff;
  buf[offset + field.REST_LO[0] + 1] = lo & 0xff;
  buf.set(repr.data, offset + field.DATA);
  const ck = payloadSum === undefined ? internetChecksum(buf, offset, offset + len) : finish(sumWords(buf, offset, offset + field.DATA, payloadSum));
  buf[offset + field.CHECKSUM[0]] = ck >>> 8;
  buf[offset + field.CHECKSUM[0] + 1] = ck & 0xff;
  return len;
}
