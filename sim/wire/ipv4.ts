/**
 * IPv4 header codec (RFC 791).
 *
 * Owns the byte layout of the IPv4 header: version/IHL, TOS, total length, identification,
 * flags (DF, MF), fragment offset, TTL, protocol, header checksum, source and destination
 * (as uint32 numbers). `parse` checks lengths before reading any field, verifies the header
 * checksum and returns an `Ipv4Repr`; `emit` writes a repr into a caller's buffer and
 * computes the checksum.
 *
 * Options: accepted on parse and kept as raw bytes (`repr.options`, a view, not a copy) so
 * that a packet round-trips byte for byte; they are not interpreted here (the fragmenter
 * reads their copy flag). Rejected: version ≠ 4, IHL < 5, total length shorter than the
 * header or longer than the buffer, the reserved (evil) flag bit, a bad header checksum.
 * Bytes past the total length (link padding) are ignored, as a host would.
 */
import { internetChecksum } from './checksum.js';
import { badChecksum, fieldError, truncated, type WireError, type WireResult } from './errors.js';

/** Byte ranges of the fixed header (smoltcp's `field` module). */
const field = {
  VER_IHL: 0,
  TOS: 1,
  LENGTH: [2, 4],
  IDENT: [4, 6],
  FLG_OFF: [6, 8],
  TTL: 8,
  PROTOCOL: 9,
  CHECKSUM: [10, 12],
  SRC: [12, 16],
  DST: [16, 20],
} as const;

/** Length of the header without options. */
export const IPV4_MIN_HEADER_LEN = 20;
/** Longest header: IHL 15. */
export const IPV4_MAX_HEADER_LEN = 60;
/** Largest total length the 16-bit field can hold. */
export const IPV4_MAX_TOTAL_LEN = 65535;

/** IP protocol numbers used by the simulator. */
export const IpProtocol = { ICMP: 1, IPIP: 4, TCP: 6, UDP: 17, ESP: 50 } as const;

const FLAG_RESERVED = 0x8000;
const FLAG_DF = 0x4000;
const FLAG_MF = 0x2000;
const OFFSET_MASK = 0x1fff;

/** The validated meaning of an IPv4 header. */
export interface Ipv4Repr {
  /** Type of service / DSCP+ECN byte. */
  readonly tos: number;
  readonly identification: number;
  readonly dontFragment: boolean;
  readonly moreFragments: boolean;
  /** Fragment offset in bytes (a multiple of 8). */
  readonly fragmentOffset: number;
  readonly ttl: number;
  readonly protocol: number;
  /** Source address as uint32. */
  readonly src: number;
  /** Destination address as uint32. */
  readonly dst: number;
  /** Raw option bytes (length a multiple of 4, at most 40); usually empty. */
  readonly options: Uint8Array;
  /** Bytes after the header, as given by total length. */
  readonly payloadLength: number;
}

const NO_OPTIONS = new Uint8Array(0);

/** Build a repr with defaults for the fields most callers do not care about. */
export function ipv4Repr(fields: Partial<Ipv4Repr> & Pick<Ipv4Repr, 'src' | 'dst' | 'protocol' | 'payloadLength'>): Ipv4Repr {
  return {
    tos: 0,
    identification: 0,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 64,
    options: NO_OPTIONS,
    ...fields,
  };
}

/** Check that `bytes` can hold the fixed header, then the header its IHL claims. */
export function checkLen(bytes: Uint8Array): WireResult<number> {
  if (bytes.length < IPV4_MIN_HEADER_LEN) return truncated('IPv4 header', IPV4_MIN_HEADER_LEN, bytes.length);
  const hl = (bytes[field.VER_IHL]! & 0x0f) * 4;
  if (hl < IPV4_MIN_HEADER_LEN) return fieldError('bad-ihl', `IPv4 IHL ${hl / 4} is below 5`);
  if (bytes.length < hl) return truncated('IPv4 header with options', hl, bytes.length);
  return { ok: true, value: hl };
}

/** Header length of a repr (20 + options). */
export function headerLength(repr: Ipv4Repr): number {
  return IPV4_MIN_HEADER_LEN + repr.options.length;
}

/** Bytes `emit` writes: header plus payload length (the payload itself is the caller's). */
export function bufferLen(repr: Ipv4Repr): number {
  return headerLength(repr) + repr.payloadLength;
}

/**
 * Validate the IPv4 header at the start of `bytes` exactly as `parse` does, without
 * building a repr: null when it is valid, else the failed result. With the `read*`
 * accessors below it serves hot paths that need a few fields (ESP decapsulation), the
 * way smoltcp's `Packet::new_checked` serves them.
 */
export function check(bytes: Uint8Array): { readonly ok: false; readonly error: WireError } | null {
  // The common case, a valid 20-byte header, in straight-line code small enough to inline;
  // anything else (options, any fault) takes the full checks below, which decide alone.
  if (bytes.length >= IPV4_MIN_HEADER_LEN && bytes[0] === 0x45 && (bytes[6]! & 0x80) === 0) {
    const total = u16(bytes, 2);
    if (total >= IPV4_MIN_HEADER_LEN && total <= bytes.length && header20Sum(bytes) === 0xffff) return null;
  }
  return checkFully(bytes);
}

/** The ones' complement sum of the 10 words of a 20-byte header, folded to 16 bits (0xffff when its checksum is right). */
function header20Sum(b: Uint8Array): number {
  let s = ((b[0]! << 8) | b[1]!) + ((b[2]! << 8) | b[3]!) + ((b[4]! << 8) | b[5]!) + ((b[6]! << 8) | b[7]!) + ((b[8]! << 8) | b[9]!)
    + ((b[10]! << 8) | b[11]!) + ((b[12]! << 8) | b[13]!) + ((b[14]! << 8) | b[15]!) + ((b[16]! << 8) | b[17]!) + ((b[18]! << 8) | b[19]!);
  s = (s & 0xffff) + (s >>> 16);
  return (s & 0xffff) + (s >>> 16);
}

function checkFully(bytes: Uint8Array): { readonly ok: false; readonly error: WireError } | null {
  if (bytes.length < 1) return truncated('IPv4 header', IPV4_MIN_HEADER_LEN, 0);
  const version = bytes[field.VER_IHL]! >>> 4;
  // Version before length: a short IPv6 packet should say "version 6", not "truncated".
  if (version !== 4) return fieldError('bad-version', `IP version ${version}, expected 4`);
  const hlr = checkLen(bytes);
  if (!hlr.ok) return hlr;
  const hl = hlr.value;
  const total = u16(bytes, field.LENGTH[0]);
  if (total < hl) return fieldError('bad-length', `IPv4 total length ${total} is shorter than the header (${hl})`);
  if (total > bytes.length) return truncated('IPv4 packet (total length)', total, bytes.length);
  if (u16(bytes, field.FLG_OFF[0]) & FLAG_RESERVED) return fieldError('bad-field', 'IPv4 reserved flag bit is set');
  if (internetChecksum(bytes, 0, hl) !== 0) {
    // Recompute with the field zeroed to report the expected value.
    return badChecksum('IPv4 header', u16(bytes, field.CHECKSUM[0]), internetChecksumZeroed(bytes, hl));
  }
  return null;
}

/** Header length of a checked header (20 + options). */
export function readHeaderLength(b: Uint8Array): number {
  return (b[field.VER_IHL]! & 0x0f) * 4;
}

/** Bytes after the header, by the total length field, of a checked header. */
export function readPayloadLength(b: Uint8Array): number {
  return u16(b, field.LENGTH[0]) - readHeaderLength(b);
}

/** Protocol of a checked header. */
export function readProtocol(b: Uint8Array): number {
  return b[field.PROTOCOL]!;
}

/** Whether a checked header is a fragment (MF set or a non-zero offset). */
export function readIsFragment(b: Uint8Array): boolean {
  return (u16(b, field.FLG_OFF[0]) & (FLAG_MF | OFFSET_MASK)) !== 0;
}

/** Source address (uint32) of a checked header. */
export function readSrc(b: Uint8Array): number {
  return u32(b, field.SRC[0]);
}

/** Destination address (uint32) of a checked header. */
export function readDst(b: Uint8Array): number {
  return u32(b, field.DST[0]);
}

/** Decode and validate an IPv4 header from `bytes` (which start at the header). */
export function parse(bytes: Uint8Array): WireResult<Ipv4Repr> {
  const bad = check(bytes);
  if (bad) return bad;
  const hl = readHeaderLength(bytes);
  const flg = u16(bytes, field.FLG_OFF[0]);
  return {
    ok: true,
    value: {
      tos: bytes[field.TOS]!,
      identification: u16(bytes, field.IDENT[0]),
      dontFragment: (flg & FLAG_DF) !== 0,
      moreFragments: (flg & FLAG_MF) !== 0,
      fragmentOffset: (flg & OFFSET_MASK) * 8,
      ttl: bytes[field.TTL]!,
      protocol: bytes[field.PROTOCOL]!,
      src: u32(bytes, field.SRC[0]),
      dst: u32(bytes, field.DST[0]),
      options: hl > IPV4_MIN_HEADER_LEN ? bytes.subarray(IPV4_MIN_HEADER_LEN, hl) : NO_OPTIONS,
      payloadLength: u16(bytes, field.LENGTH[0]) - hl,
    },
  };
}

function u16(b: Uint8Array, i: number): number {
  return (b[i]! << 8) | b[i + 1]!;
}

function u32(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

function put16(b: Uint8Array, i: number, v: number): void {
  b[i] = (v >>> 8) & 0xff;
  b[i + 1] = v & 0xff;
}

function put32(b: Uint8Array, i: number, v: number): void {
  b[i] = v >>> 24;
  b[i + 1] = (v >>> 16) & 0xff;
  b[i + 2] = (v >>> 8) & 0xff;
  b[i + 3] = v & 0xff;
}

function internetChecksumZeroed(bytes: Uint8Array, hl: number): number {
  const copy = bytes.slice(0, hl);
  copy[field.CHECKSUM[0]] = 0;
  copy[field.CHECKSUM[1] - 1] = 0;
  return internetChecksum(copy);
}

/**
 * Write the header of `repr` at `buf[offset]` and compute its checksum. The payload bytes
 * (`repr.payloadLength` of them after the header) are the caller's to write. Returns the
 * header length. The repr is trusted (it comes from the simulator, not the wire): options
 * must be a multiple of 4 and at most 40 bytes, the fragment offset a multiple of 8.
 */
export function emit(repr: Ipv4Repr, buf: Uint8Array, offset = 0): number {
  const hl = headerLength(repr);
  if (buf.length - offset < hl) throw new RangeError(`IPv4 header of ${hl} bytes does not fit at offset ${offset}`);
  buf[offset + field.VER_IHL] = 0x40 | (hl >>> 2);
  buf[offset + field.TOS] = repr.tos & 0xff;
  put16(buf, offset + field.LENGTH[0], hl + repr.payloadLength);
  put16(buf, offset + field.IDENT[0], repr.identification & 0xffff);
  const flg = (repr.dontFragment ? FLAG_DF : 0) | (repr.moreFragments ? FLAG_MF : 0) | ((repr.fragmentOffset >>> 3) & OFFSET_MASK);
  put16(buf, offset + field.FLG_OFF[0], flg);
  buf[offset + field.TTL] = repr.ttl & 0xff;
  buf[offset + field.PROTOCOL] = repr.protocol & 0xff;
  put16(buf, offset + field.CHECKSUM[0], 0);
  put32(buf, offset + field.SRC[0], repr.src >>> 0);
  put32(buf, offset + field.DST[0], repr.dst >>> 0);
  if (repr.options.length > 0) buf.set(repr.options, offset + IPV4_MIN_HEADER_LEN);
  put16(buf, offset + field.CHECKSUM[0], internetChecksum(buf, offset, offset + hl));
  return hl;
}

/**
 * Write a 20-byte header without options, not a fragment, at `buf[offset]` and compute its
 * checksum: what `emit` writes for such a repr, from the fields themselves. The data plane
 * writes every packet's header this way, without building a repr per packet. `buf` must
 * hold the 20 bytes; `payloadLength` bytes of payload follow (the caller's).
 */
export function emitPlain(
  buf: Uint8Array, offset: number, tos: number, identification: number, dontFragment: boolean,
  ttl: number, protocol: number, src: number, dst: number, payloadLength: number,
): void {
  const total = IPV4_MIN_HEADER_LEN + payloadLength;
  const flags = dontFragment ? FLAG_DF : 0;
  const ttlProto = ((ttl & 0xff) << 8) | (protocol & 0xff);
  const s = src >>> 0;
  const d = dst >>> 0;
  // The checksum from the fields, without reading the bytes back.
  let sum = (0x4500 | (tos & 0xff)) + total + (identification & 0xffff) + flags + ttlProto
    + (s >>> 16) + (s & 0xffff) + (d >>> 16) + (d & 0xffff);
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  buf[offset] = 0x45;
  buf[offset + field.TOS] = tos & 0xff;
  put16(buf, offset + field.LENGTH[0], total);
  put16(buf, offset + field.IDENT[0], identification & 0xffff);
  put16(buf, offset + field.FLG_OFF[0], flags);
  put16(buf, offset + field.TTL, ttlProto);
  put16(buf, offset + field.CHECKSUM[0], ~sum & 0xffff);
  put32(buf, offset + field.SRC[0], s);
  put32(buf, offset + field.DST[0], d);
}

/** Emit header and payload into a new buffer (a convenience for tests and slow paths). */
export function build(repr: Ipv4Repr, payload: Uint8Array): Uint8Array {
  const r = repr.payloadLength === payload.length ? repr : { ...repr, payloadLength: payload.length };
  const out = new Uint8Array(bufferLen(r));
  const hl = emit(r, out, 0);
  out.set(payload, hl);
  return out;
}
