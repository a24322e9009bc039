/**
 * ESP header codec (RFC 4303 §2): the cleartext part of an ESP packet.
 *
 * Owns the 8-byte header (SPI, sequence number) and the layout of the encrypted trailer
 * (padding, pad length, next header) as offsets; the cryptographic transform lives in
 * `sim/ipsec/esp.ts`. Rejected: fewer than 8 bytes, and SPIs 0..255, which RFC 4303 §2.1
 * reserves (0 for local use, never sent; 1..255 reserved by IANA) so no SA can own them.
 * Sequence number 0 is *not* refused here: whether it is valid is the anti-replay
 * window's question (RFC 4303 §3.3.3: the first packet has sequence number 1).
 */
import { fieldError, truncated, type WireResult } from './errors.js';

const field = {
  SPI: [0, 4],
  SEQ: [4, 8],
  PAYLOAD: 8,
} as const;

/** An SPI as traces, captures and Wireshark's SA table write it: 0x and 8 hex digits. */
export function spiText(spi: number): string {
  return `0x${(spi >>> 0).toString(16).padStart(8, '0')}`;
}

/** Length of the ESP header (SPI + sequence number). */
export const ESP_HEADER_LEN = 8;
/** Length of the fixed trailer fields (pad length + next header). */
export const ESP_TRAILER_LEN = 2;
/** Lowest SPI an SA may use. */
export const ESP_MIN_SPI = 256;

/** The validated meaning of an ESP header. */
export interface EspRepr {
  readonly spi: number;
  readonly seq: number;
}

/** Check that `bytes` can hold the ESP header. */
export function checkLen(bytes: Uint8Array): WireResult<number> {
  if (bytes.length < ESP_HEADER_LEN) return truncated('ESP header', ESP_HEADER_LEN, bytes.length);
  return { ok: true, value: ESP_HEADER_LEN };
}

/** Bytes `emit` writes (the header only; IV, payload and ICV belong to the transform). */
export function bufferLen(_repr: EspRepr): number {
  return ESP_HEADER_LEN;
}

/** Decode the ESP header at the start of `bytes` (the IP payload). */
export function parse(bytes: Uint8Array): WireResult<EspRepr> {
  const c = checkLen(bytes);
  if (!c.ok) return c;
  const spi = readSpi(bytes, 0);
  if (spi < ESP_MIN_SPI) return fieldError('bad-spi', `ESP SPI ${spi} is reserved (RFC 4303: 0..255)`);
  return { ok: true, value: { spi, seq: readSeq(bytes, 0) } };
}

/** The SPI of the ESP header at `bytes[offset]` (at least 8 bytes there; not checked for the reserved range). */
export function readSpi(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

/** The sequence number of the ESP header at `bytes[offset]`. */
export function readSeq(bytes: Uint8Array, offset: number): number {
  return readSpi(bytes, offset + 4);
}

/** Write the ESP header at `buf[offset]`; returns the bytes written. */
export function emit(repr: EspRepr, buf: Uint8Array, offset = 0): number {
  if (buf.length - offset < ESP_HEADER_LEN) throw new RangeError(`ESP header does not fit at offset ${offset}`);
  put32(buf, offset + field.SPI[0], repr.spi >>> 0);
  put32(buf, offset + field.SEQ[0], repr.seq >>> 0);
  return ESP_HEADER_LEN;
}

function put32(b: Uint8Array, i: number, v: number): void {
  b[i] = v >>> 24;
  b[i + 1] = (v >>> 16) & 0xff;
  b[i + 2] = (v >>> 8) & 0xff;
  b[i + 3] = v & 0xff;
}

/** Offset of the payload (IV, then ciphertext) after the header. */
export const ESP_PAYLOAD_OFFSET = field.PAYLOAD;
