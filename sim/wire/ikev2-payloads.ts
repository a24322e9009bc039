/**
 * IKEv2 payloads as typed values, and the codec of each payload's body (what follows the
 * 4-byte generic header) (RFC 7296 §3.3–§3.16).
 *
 * Owns the `Ikev2Payload` union and, per kind: SA (via ikev2-sa.ts), KE, IDi/IDr, AUTH, Nonce,
 * Notify, Delete, Vendor ID, TSi/TSr (via ikev2-ts.ts); CERT, CERTREQ, CP and EAP are kept
 * as opaque bytes (the simulated gateways authenticate with pre-shared keys and assign no
 * addresses); a type this codec does not know is kept raw with its critical bit. The
 * encrypted payload (SK) is not here: it frames other payloads and lives in ikev2-sk.ts.
 * Refused (as strongSwan's payload `verify` functions refuse them): a body shorter than its
 * fixed fields (`truncated`), a nonce outside 16..256 bytes (RFC 7296 §3.9) (`bad-length`),
 * a notify protocol other than none/IKE/AH/ESP (`bad-field`), a delete whose SPI size does
 * not fit its protocol (IKE 0, AH/ESP 4) (`bad-spi`) or whose SPIs do not fill it exactly
 * (`bad-length`). Decoded byte fields are copies, so a decoded message outlives the datagram.
 */
import { concatBytes, copyBytes, read16, write16 } from './bytes.js';
import { PayloadType, ProtocolId } from './ikev2-numbers.js';
import { decodeSa, encodeSa, type Proposal } from './ikev2-sa.js';
import { decodeTs, encodeTs, type TrafficSelector } from './ikev2-ts.js';
import { fieldError, truncated, type WireResult } from './errors.js';

/** Nonce length limits (RFC 7296 §3.9). */
export const NONCE_MIN_LEN = 16;
export const NONCE_MAX_LEN = 256;

const EMPTY = new Uint8Array(0);

export interface SaPayload {
  readonly kind: 'SA';
  readonly proposals: readonly Proposal[];
}

export interface KePayload {
  readonly kind: 'KE';
  /** Diffie-Hellman group (key exchange method) number. */
  readonly group: number;
  /** The public value: for MODP exactly the prime's length, left-padded with zeros. */
  readonly data: Uint8Array;
}

export interface IdPayload {
  readonly kind: 'IDi' | 'IDr';
  readonly idType: number;
  readonly data: Uint8Array;
}

export interface AuthPayload {
  readonly kind: 'AUTH';
  readonly method: number;
  readonly data: Uint8Array;
}

export interface NoncePayload {
  readonly kind: 'Nonce';
  /** 16..256 bytes. */
  readonly data: Uint8Array;
}

export interface NotifyPayload {
  readonly kind: 'Notify';
  /** 0 when the notify concerns no SA or the IKE SA; 2 AH, 3 ESP with the SPI of that SA. */
  readonly protocol: number;
  readonly spi: Uint8Array;
  readonly notifyType: number;
  readonly data: Uint8Array;
}

export interface DeletePayload {
  readonly kind: 'Delete';
  /** 1 IKE (no SPIs), 2 AH, 3 ESP. */
  readonly protocol: number;
  /** Bytes of each SPI: 0 for IKE, 4 for AH and ESP. */
  readonly spiSize: number;
  readonly spis: readonly Uint8Array[];
}

export interface VendorIdPayload {
  readonly kind: 'VendorID';
  readonly data: Uint8Array;
}

export interface TsPayload {
  readonly kind: 'TSi' | 'TSr';
  readonly selectors: readonly TrafficSelector[];
}

/** A payload this codec carries without reading it. */
export interface OpaquePayload {
  readonly kind: 'CERT' | 'CERTREQ' | 'CP' | 'EAP';
  readonly data: Uint8Array;
}

/** A payload of a type this codec does not know. Decoding keeps only non-critical ones. */
export interface UnknownPayload {
  readonly kind: 'Unknown';
  readonly type: number;
  readonly critical: boolean;
  readonly data: Uint8Array;
}

/** Every payload except the encrypted one (SK), which frames these. */
export type Ikev2Payload =
  | SaPayload
  | KePayload
  | IdPayload
  | AuthPayload
  | NoncePayload
  | NotifyPayload
  | DeletePayload
  | VendorIdPayload
  | TsPayload
  | OpaquePayload
  | UnknownPayload;

const TYPE_OF_KIND: Readonly<Record<Exclude<Ikev2Payload['kind'], 'Unknown'>, number>> = {
  SA: PayloadType.SA,
  KE: PayloadType.KE,
  IDi: PayloadType.IDi,
  IDr: PayloadType.IDr,
  CERT: PayloadType.CERT,
  CERTREQ: PayloadType.CERTREQ,
  AUTH: PayloadType.AUTH,
  Nonce: PayloadType.Nonce,
  Notify: PayloadType.Notify,
  Delete: PayloadType.Delete,
  VendorID: PayloadType.VendorID,
  TSi: PayloadType.TSi,
  TSr: PayloadType.TSr,
  CP: PayloadType.CP,
  EAP: PayloadType.EAP,
};

/** The payload type number of a payload. */
export function payloadTypeOf(p: Ikev2Payload): number {
  return p.kind === 'Unknown' ? p.type : TYPE_OF_KIND[p.kind];
}

/** Whether this codec decodes payloads of `type` (SK excluded: the chain handles it). */
export function isKnownPayloadType(type: number): boolean {
  return type >= PayloadType.SA && type <= PayloadType.EAP && type !== PayloadType.SK;
}

/** A notify payload; protocol and SPI default to none, as for notifies about the IKE SA. */
export function notifyPayload(notifyType: number, data: Uint8Array = EMPTY, protocol = 0, spi: Uint8Array = EMPTY): NotifyPayload {
  return { kind: 'Notify', protocol, spi, notifyType, data };
}

/** A 4-byte SPI (ESP, AH) as bytes. */
export function spi32Bytes(spi: number): Uint8Array {
  const out = new Uint8Array(4);
  out[0] = spi >>> 24;
  out[1] = (spi >>> 16) & 0xff;
  out[2] = (spi >>> 8) & 0xff;
  out[3] = spi & 0xff;
  return out;
}

/** A 4-byte SPI as a number, or null when the bytes are not 4 long. */
export function spi32(bytes: Uint8Array): number | null {
  if (bytes.length !== 4) return null;
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

/** Decode the body of a payload of a known `type` (see `isKnownPayloadType`). */
export function decodePayloadBody(type: number, body: Uint8Array): WireResult<Ikev2Payload> {
  switch (type) {
    case PayloadType.SA: {
      const r = decodeSa(body);
      return r.ok ? { ok: true, value: { kind: 'SA', proposals: r.value } } : r;
    }
    case PayloadType.KE:
      if (body.length < 4) return truncated('KE payload', 4, body.length);
      return { ok: true, value: { kind: 'KE', group: read16(body, 0), data: copyBytes(body, 4) } };
    case PayloadType.IDi:
    case PayloadType.IDr:
      if (body.length < 4) return truncated('ID payload', 4, body.length);
      return { ok: true, value: { kind: type === PayloadType.IDi ? 'IDi' : 'IDr', idType: body[0]!, data: copyBytes(body, 4) } };
    case PayloadType.AUTH:
      if (body.length < 4) return truncated('AUTH payload', 4, body.length);
      return { ok: true, value: { kind: 'AUTH', method: body[0]!, data: copyBytes(body, 4) } };
    case PayloadType.Nonce:
      if (body.length < NONCE_MIN_LEN || body.length > NONCE_MAX_LEN) {
        return fieldError('bad-length', `nonce of ${body.length} bytes (${NONCE_MIN_LEN}..${NONCE_MAX_LEN} allowed)`);
      }
      return { ok: true, value: { kind: 'Nonce', data: copyBytes(body) } };
    case PayloadType.Notify:
      return decodeNotify(body);
    case PayloadType.Delete:
      return decodeDelete(body);
    case PayloadType.VendorID:
      return { ok: true, value: { kind: 'VendorID', data: copyBytes(body) } };
    case PayloadType.TSi:
    case PayloadType.TSr: {
      const r = decodeTs(body);
      return r.ok ? { ok: true, value: { kind: type === PayloadType.TSi ? 'TSi' : 'TSr', selectors: r.value } } : r;
    }
    case PayloadType.CERT:
      return { ok: true, value: { kind: 'CERT', data: copyBytes(body) } };
    case PayloadType.CERTREQ:
      return { ok: true, value: { kind: 'CERTREQ', data: copyBytes(body) } };
    case PayloadType.CP:
      return { ok: true, value: { kind: 'CP', data: copyBytes(body) } };
    case PayloadType.EAP:
      return { ok: true, value: { kind: 'EAP', data: copyBytes(body) } };
    default:
      return fieldError('bad-type', `payload type ${type} has no body codec`);
  }
}

function decodeNotify(body: Uint8Array): WireResult<NotifyPayload> {
  if (body.length < 4) return truncated('Notify payload', 4, body.length);
  const protocol = body[0]!;
  const spiSize = body[1]!;
  if (protocol > ProtocolId.ESP) return fieldError('bad-field', `Notify protocol ${protocol} is none of 0 (none), IKE, AH, ESP`);
  if (body.length < 4 + spiSize) return truncated('Notify SPI', 4 + spiSize, body.length);
  return {
    ok: true,
    value: { kind: 'Notify', protocol, spi: copyBytes(body, 4, 4 + spiSize), notifyType: read16(body, 2), data: copyBytes(body, 4 + spiSize) },
  };
}

function decodeDelete(body: Uint8Array): WireResult<DeletePayload> {
  if (body.length < 4) return truncated('Delete payload', 4, body.length);
  const protocol = body[0]!;
  const spiSize = body[1]!;
  const count = read16(body, 2);
  if (protocol === 0 || protocol === ProtocolId.IKE) {
    if (spiSize !== 0) return fieldError('bad-spi', `Delete of the IKE SA with SPI size ${spiSize}, not 0`);
  } else if (protocol === ProtocolId.AH || protocol === ProtocolId.ESP) {
    if (spiSize !== 4) return fieldError('bad-spi', `Delete for protocol ${protocol} with SPI size ${spiSize}, not 4`);
  } else {
    return fieldError('bad-field', `Delete protocol ${protocol} is none of IKE, AH, ESP`);
  }
  if (body.length - 4 !== count * spiSize) {
    return fieldError('bad-length', `Delete says ${count} SPIs of ${spiSize} bytes, holds ${body.length - 4} bytes`);
  }
  const spis: Uint8Array[] = [];
  for (let i = 0; i < count; i++) spis.push(copyBytes(body, 4 + i * spiSize, 4 + (i + 1) * spiSize));
  return { ok: true, value: { kind: 'Delete', protocol, spiSize, spis } };
}

/** Four bytes: a one-byte field (type or method), three reserved, before the data. */
function typedData(first: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + data.length);
  out[0] = first;
  out.set(data, 4);
  return out;
}

/** Encode the body of a payload. The payload is trusted; fields out of range throw. */
export function encodePayloadBody(p: Ikev2Payload): Uint8Array {
  switch (p.kind) {
    case 'SA':
      return encodeSa(p.proposals);
    case 'KE': {
      const out = new Uint8Array(4 + p.data.length);
      write16(out, 0, p.group);
      out.set(p.data, 4);
      return out;
    }
    case 'IDi':
    case 'IDr':
      return typedData(p.idType, p.data);
    case 'AUTH':
      return typedData(p.method, p.data);
    case 'Notify': {
      if (p.spi.length > 0xff) throw new RangeError(`Notify SPI of ${p.spi.length} bytes`);
      const head = new Uint8Array(4);
      head[0] = p.protocol;
      head[1] = p.spi.length;
      write16(head, 2, p.notifyType);
      return concatBytes([head, p.spi, p.data]);
    }
    case 'Delete': {
      if (p.spis.some((s) => s.length !== p.spiSize)) throw new RangeError(`Delete SPIs must all be ${p.spiSize} bytes`);
      const head = new Uint8Array(4);
      head[0] = p.protocol;
      head[1] = p.spiSize;
      write16(head, 2, p.spis.length);
      return concatBytes([head, ...p.spis]);
    }
    case 'TSi':
    case 'TSr':
      return encodeTs(p.selectors);
    case 'Nonce':
    case 'VendorID':
    case 'CERT':
    case 'CERTREQ':
    case 'CP':
    case 'EAP':
    case 'Unknown':
      return p.data;
  }
}
