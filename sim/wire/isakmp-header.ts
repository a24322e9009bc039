/**
 * The 28-byte ISAKMP header (RFC 2408 §3.1) that starts every IKEv1 message.
 *
 * Owns its layout: initiator and responder cookies (8 bytes each, kept as bytes: they are
 * compared and hashed, never added), Next Payload, version, exchange type, flags E (encryption),
 * C (commit) and A (authentication only), message ID (unsigned 32-bit), length.
 *
 * Refused, each with its own error: fewer than 28 bytes (`truncated`); a version other than 1.0
 * (`bad-version`: the caller answers INVALID-MAJOR-VERSION or INVALID-MINOR-VERSION, and an IKEv2
 * message, version 2.0, belongs to the IKEv2 codec: `readMajorVersion` tells them apart first);
 * an exchange type strongSwan does not accept for IKEv1 (`bad-type`: it takes 2, 3, 4, 5, 6, 32,
 * 33, `ike_header.c` verify); a non-zero message ID in Main or Aggressive Mode and an all-zero
 * initiator cookie (`bad-field`, as strongSwan's verify); a length below 28 or shorter than the
 * datagram (`bad-length`: one UDP datagram carries one message, RFC 2408 §3.1 "Length of total
 * message"; strongSwan ignores the field, but then an encrypted body would end where the sender
 * did not put its end) or longer than it (`truncated`). Flag bits other than E, C and A are
 * reserved and ignored, as strongSwan does.
 */
import { fieldError, truncated, type WireResult } from './errors.js';
import { put32, put8, read32 } from './bytes.js';
import { ExchangeType } from './isakmp-names.js';

const field = {
  INITIATOR_COOKIE: [0, 8],
  RESPONDER_COOKIE: [8, 16],
  NEXT_PAYLOAD: 16,
  VERSION: 17,
  EXCHANGE_TYPE: 18,
  FLAGS: 19,
  MESSAGE_ID: [20, 24],
  LENGTH: [24, 28],
} as const;

/** Length of the ISAKMP header. */
export const ISAKMP_HEADER_LEN = 28;
/** The version byte of IKEv1: major 1, minor 0. */
export const ISAKMP_VERSION = 0x10;
/** Length of each cookie. */
export const COOKIE_LEN = 8;

const FLAG_ENCRYPTION = 0x01;
const FLAG_COMMIT = 0x02;
const FLAG_AUTH_ONLY = 0x04;

const IKEV1_EXCHANGES: ReadonlySet<number> = new Set(Object.values(ExchangeType));
/** Exchanges whose messages all carry message ID 0 (RFC 2408 §3.1; strongSwan refuses others). */
const PHASE1_EXCHANGES: ReadonlySet<number> = new Set([ExchangeType.MAIN_MODE, ExchangeType.AGGRESSIVE]);

/** The header fields a sender chooses; Next Payload, the E flag and the length follow from the body. */
export interface IsakmpHeaderFields {
  readonly initiatorCookie: Uint8Array;
  /** All zeros in the first message of an exchange that creates the ISAKMP SA. */
  readonly responderCookie: Uint8Array;
  readonly exchangeType: number;
  /** 0 in Main and Aggressive Mode; random per Quick Mode and Informational exchange. */
  readonly messageId: number;
  /** C flag (RFC 2408 §3.1). */
  readonly commit: boolean;
  /** A flag (RFC 2408 §3.1). */
  readonly authOnly: boolean;
}

/** Every field of the header as it is on the wire. */
export interface IsakmpHeader extends IsakmpHeaderFields {
  readonly nextPayload: number;
  /** E flag: everything after the header is ciphertext. */
  readonly encrypted: boolean;
  /** Whole message, header included (and, when encrypted, the padded ciphertext). */
  readonly length: number;
}

/** The major version of the IKE message in `bytes` (1 for IKEv1, 2 for IKEv2), or null when there is no version byte. */
export function readMajorVersion(bytes: Uint8Array): number | null {
  return bytes.length > field.VERSION ? bytes[field.VERSION]! >>> 4 : null;
}

/** The refusals that concern chosen fields, shared by the decoder and the encoder. */
function checkFields(exchangeType: number, messageId: number, initiatorCookie: Uint8Array): WireResult<true> {
  if (!IKEV1_EXCHANGES.has(exchangeType)) return fieldError('bad-type', `ISAKMP exchange type ${exchangeType} is not an IKEv1 exchange`);
  if (messageId !== 0 && PHASE1_EXCHANGES.has(exchangeType)) {
    return fieldError('bad-field', `ISAKMP message ID ${messageId} in exchange ${exchangeType} (phase 1 uses 0)`);
  }
  if (initiatorCookie.every((b) => b === 0)) return fieldError('bad-field', 'ISAKMP initiator cookie is zero');
  return { ok: true, value: true };
}

/** Decode the header of the IKEv1 message that is the whole of `datagram` (a UDP payload, non-ESP marker removed). */
export function decodeHeader(datagram: Uint8Array): WireResult<IsakmpHeader> {
  if (datagram.length < ISAKMP_HEADER_LEN) return truncated('ISAKMP header', ISAKMP_HEADER_LEN, datagram.length);
  const version = datagram[field.VERSION]!;
  if (version !== ISAKMP_VERSION) {
    return fieldError('bad-version', `ISAKMP version ${version >>> 4}.${version & 0x0f}, expected 1.0`);
  }
  const exchangeType = datagram[field.EXCHANGE_TYPE]!;
  const messageId = read32(datagram, field.MESSAGE_ID[0]);
  const initiatorCookie = datagram.slice(...field.INITIATOR_COOKIE);
  const fields = checkFields(exchangeType, messageId, initiatorCookie);
  if (!fields.ok) return fields;
  const length = read32(datagram, field.LENGTH[0]);
  if (length < ISAKMP_HEADER_LEN) return fieldError('bad-length', `ISAKMP length ${length} is below the header (28)`);
  if (length > datagram.length) return truncated('ISAKMP message (length field)', length, datagram.length);
  if (length < datagram.length) return fieldError('bad-length', `ISAKMP length ${length} is shorter than the datagram (${datagram.length})`);
  const flags = datagram[field.FLAGS]!;
  return {
    ok: true,
    value: {
      initiatorCookie,
      responderCookie: datagram.slice(...field.RESPONDER_COOKIE),
      nextPayload: datagram[field.NEXT_PAYLOAD]!,
      exchangeType,
      encrypted: (flags & FLAG_ENCRYPTION) !== 0,
      commit: (flags & FLAG_COMMIT) !== 0,
      authOnly: (flags & FLAG_AUTH_ONLY) !== 0,
      messageId,
      length,
    },
  };
}

/**
 * Write `h` at `out[offset]` (28 bytes). Cookies must be 8 bytes and numbers fit their fields;
 * fields `decodeHeader` would refuse throw a RangeError, so no encoded header fails to decode.
 */
export function encodeHeader(h: IsakmpHeader, out: Uint8Array, offset = 0): void {
  if (out.length - offset < ISAKMP_HEADER_LEN) throw new RangeError(`ISAKMP header does not fit at offset ${offset}`);
  const fields = checkFields(h.exchangeType, h.messageId, h.initiatorCookie);
  if (!fields.ok) throw new RangeError(fields.error.message);
  if (h.length < ISAKMP_HEADER_LEN) throw new RangeError(`ISAKMP length ${h.length} is below the header (28)`);
  for (const [name, cookie] of [['initiator', h.initiatorCookie], ['responder', h.responderCookie]] as const) {
    if (cookie.length !== COOKIE_LEN) throw new RangeError(`${name} cookie of ${cookie.length} bytes, not 8`);
  }
  out.set(h.initiatorCookie, offset + field.INITIATOR_COOKIE[0]);
  out.set(h.responderCookie, offset + field.RESPONDER_COOKIE[0]);
  put8(out, offset + field.NEXT_PAYLOAD, h.nextPayload, 'ISAKMP next payload');
  out[offset + field.VERSION] = ISAKMP_VERSION;
  put8(out, offset + field.EXCHANGE_TYPE, h.exchangeType, 'ISAKMP exchange type');
  out[offset + field.FLAGS] = (h.encrypted ? FLAG_ENCRYPTION : 0) | (h.commit ? FLAG_COMMIT : 0) | (h.authOnly ? FLAG_AUTH_ONLY : 0);
  put32(out, offset + field.MESSAGE_ID[0], h.messageId, 'ISAKMP message ID');
  put32(out, offset + field.LENGTH[0], h.length, 'ISAKMP length');
}
