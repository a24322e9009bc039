/**
 * The 28-byte IKEv2 header (RFC 7296 §3.1).
 *
 * Owns the header's fields: both SPIs, the next-payload type, the version, the exchange type,
 * the I (original initiator), V (higher version) and R (response) flags, the message ID and
 * the length, checked against the datagram that carries it. Refused: fewer than 28 bytes; a
 * major version other than 2 (a typed `unsupported-version` error, which the caller answers
 * with INVALID_MAJOR_VERSION, or hands to the IKEv1 codec); a length below 28 or below the
 * datagram (`bad-length`: the bytes after it belong to no message), a length beyond the
 * datagram (`truncated`); an initiator SPI of zero (RFC 7296 §3.1 forbids it; strongSwan's
 * header check refuses it too). Accepted and dropped, as §3.1 says receivers do: the minor
 * version and the reserved flag bits. The exchange type is any number: which ones a side
 * accepts is the state machine's question.
 *
 * SPIs are 8-byte `Uint8Array`s, not bigints: every consumer wants the bytes (the prf+ seed
 * Ni | Nr | SPIi | SPIr, the AUTH octets, Wireshark's decryption table in hex, the new SPI an
 * IKE rekey proposal carries), the same type serves the 0/4/8-byte SPIs of proposals,
 * notifies and deletes, and a bigint would make a traced message throw in `JSON.stringify`.
 * Tables keyed by SPI use `spiKey`.
 */
import { copyBytes, read32, write32 } from './bytes.js';
import { fieldError, truncated, unsupportedVersion, type WireResult } from './errors.js';

/** Length of the IKE header. */
export const IKEV2_HEADER_LEN = 28;
/** Length of an IKE SPI. */
export const IKE_SPI_LEN = 8;
/** Version byte IKEv2 sends: major 2, minor 0. */
export const IKEV2_VERSION = 0x20;

const field = {
  SPI_I: 0,
  SPI_R: 8,
  NEXT_PAYLOAD: 16,
  VERSION: 17,
  EXCHANGE: 18,
  FLAGS: 19,
  MESSAGE_ID: 20,
  LENGTH: 24,
} as const;

const FLAG_INITIATOR = 0x08;
const FLAG_HIGHER_VERSION = 0x10;
const FLAG_RESPONSE = 0x20;

/** The meaning of an IKEv2 header, without the fields the payloads decide (next payload, length). */
export interface Ikev2Header {
  /** 8 bytes, chosen by the original initiator; never zero. */
  readonly initiatorSpi: Uint8Array;
  /** 8 bytes, chosen by the responder; zero in the IKE_SA_INIT request. */
  readonly responderSpi: Uint8Array;
  readonly exchangeType: number;
  /** I flag: sent by the original initiator of the IKE SA. */
  readonly initiator: boolean;
  /** R flag: this message is a response. */
  readonly response: boolean;
  /** V flag: the sender could speak a higher major version (RFC 7296 sends it clear). */
  readonly higherVersion: boolean;
  /** Unsigned 32-bit. */
  readonly messageId: number;
}

/** A decoded header with the two fields that frame the payloads. */
export interface Ikev2HeaderFrame {
  readonly header: Ikev2Header;
  /** Type of the first payload (0: none). */
  readonly nextPayload: number;
  /** Bytes of the whole message, header and ICV included (equal to the datagram's). */
  readonly length: number;
}

/** Decode the header of the IKEv2 message that fills `bytes` (the UDP payload, non-ESP marker removed). */
export function parseHeader(bytes: Uint8Array): WireResult<Ikev2HeaderFrame> {
  if (bytes.length < IKEV2_HEADER_LEN) return truncated('IKE header', IKEV2_HEADER_LEN, bytes.length);
  const version = bytes[field.VERSION]!;
  const major = version >>> 4;
  if (major !== 2) return unsupportedVersion('IKE header', major, version & 0x0f);
  const length = read32(bytes, field.LENGTH);
  if (length < IKEV2_HEADER_LEN) return fieldError('bad-length', `IKE length ${length} is below the 28-byte header`);
  if (length > bytes.length) return truncated('IKE message (length field)', length, bytes.length);
  if (length < bytes.length) return fieldError('bad-length', `IKE length ${length} is shorter than the ${bytes.length}-byte datagram`);
  const initiatorSpi = copyBytes(bytes, field.SPI_I, field.SPI_I + IKE_SPI_LEN);
  if (isZeroSpi(initiatorSpi)) return fieldError('bad-spi', 'IKE initiator SPI is zero');
  const flags = bytes[field.FLAGS]!;
  return {
    ok: true,
    value: {
      header: {
        initiatorSpi,
        responderSpi: copyBytes(bytes, field.SPI_R, field.SPI_R + IKE_SPI_LEN),
        exchangeType: bytes[field.EXCHANGE]!,
        initiator: (flags & FLAG_INITIATOR) !== 0,
        response: (flags & FLAG_RESPONSE) !== 0,
        higherVersion: (flags & FLAG_HIGHER_VERSION) !== 0,
        messageId: read32(bytes, field.MESSAGE_ID),
      },
      nextPayload: bytes[field.NEXT_PAYLOAD]!,
      length,
    },
  };
}

/**
 * Write the header at `buf[offset]` with the first payload's type and the whole message's
 * length (header, payloads and ICV). The header is trusted: SPIs must be 8 bytes.
 */
export function emitHeader(header: Ikev2Header, nextPayload: number, length: number, buf: Uint8Array, offset = 0): number {
  if (buf.length - offset < IKEV2_HEADER_LEN) throw new RangeError(`IKE header does not fit at offset ${offset}`);
  if (header.initiatorSpi.length !== IKE_SPI_LEN || header.responderSpi.length !== IKE_SPI_LEN) {
    throw new RangeError('IKE SPIs must be 8 bytes');
  }
  buf.set(header.initiatorSpi, offset + field.SPI_I);
  buf.set(header.responderSpi, offset + field.SPI_R);
  buf[offset + field.NEXT_PAYLOAD] = nextPayload & 0xff;
  buf[offset + field.VERSION] = IKEV2_VERSION;
  buf[offset + field.EXCHANGE] = header.exchangeType & 0xff;
  buf[offset + field.FLAGS] =
    (header.initiator ? FLAG_INITIATOR : 0) | (header.higherVersion ? FLAG_HIGHER_VERSION : 0) | (header.response ? FLAG_RESPONSE : 0);
  write32(buf, offset + field.MESSAGE_ID, header.messageId >>> 0);
  write32(buf, offset + field.LENGTH, length >>> 0);
  return IKEV2_HEADER_LEN;
}

/** Whether an SPI is all zeros (the responder SPI of an IKE_SA_INIT request). */
export function isZeroSpi(spi: Uint8Array): boolean {
  return spi.every((b) => b === 0);
}

/** An SPI as lowercase hex: a key for tables of SAs, and the form Wireshark's IKEv2 table wants. */
export function spiKey(spi: Uint8Array): string {
  let s = '';
  for (const b of spi) s += b.toString(16).padStart(2, '0');
  return s;
}
