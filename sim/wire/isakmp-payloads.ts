/**
 * The bodies of the IKEv1 payloads (RFC 2408 §3.4-3.15, RFC 2407 §4.6, RFC 3947 §3.2), one typed
 * representation each, and the codec between a body's bytes and that representation.
 *
 * Owns what follows each payload's 4-byte generic header: SA (in `isakmp-sa.ts`), KE, ID, HASH,
 * Nonce, Notification, Delete, Vendor ID and NAT-D. The chain of generic headers that links
 * payloads into a message is `isakmp-chain.ts`'s job.
 *
 * Refused, as strongSwan's payload `verify` methods refuse them: a Nonce outside 8..256 bytes
 * (RFC 2409 §5), an ID_IPV4_ADDR_SUBNET or ID_IPV4_ADDR_RANGE whose data is not 8 bytes (and
 * here also an ID_IPV4_ADDR that is not 4), a Notification for a protocol other than none (0),
 * ISAKMP, AH or ESP, and a Delete whose SPI size does not suit its protocol (16 = both cookies
 * for ISAKMP, 4 for ESP and AH, RFC 2408 §3.15) or whose SPIs do not fill it exactly.
 * A Proposal or Transform in the payload chain is refused: they live inside an SA only.
 *
 * Any other payload type is kept as an `unknown` payload with its raw body, and the message
 * decodes. IKEv1 has no critical bit (RFC 2408 §3.2: the byte is RESERVED), so the receiver cannot
 * tell a payload it may skip from one it must understand; strongSwan skips them
 * (`encoding/message.c`: "payload unknown or not allowed", kept as PL_UNKNOWN, and nothing in
 * its IKEv1 task manager refuses them), and so does this codec: whether an exchange can go on
 * without a payload it expected is the IKE layer's call.
 *
 * Decoded values are copies, never views of the datagram. Encoders refuse (RangeError) a
 * representation the decoder would refuse or would read back as another kind, so whatever
 * encodes decodes to itself.
 */
import { fieldError, truncated, type WireResult } from './errors.js';
import { put16, put32, put8, read16, read32 } from './bytes.js';
import { IdType, PayloadType, ProtocolId } from './isakmp-names.js';
import { decodeSaBody, encodeSaBody, type SaBody } from './isakmp-sa.js';

/** An identity in an ID payload (RFC 2407 §4.6.2.1); addresses are uint32 numbers, as in the rest of sim/. */
export type IsakmpIdentity =
  | { readonly kind: 'ipv4'; readonly address: number }
  | { readonly kind: 'ipv4-subnet'; readonly address: number; readonly mask: number }
  | { readonly kind: 'ipv4-range'; readonly start: number; readonly end: number }
  /** ID_FQDN; the name's characters are its bytes (Latin-1), so any bytes decode and re-encode the same. */
  | { readonly kind: 'fqdn'; readonly name: string }
  | { readonly kind: 'user-fqdn'; readonly name: string }
  /** Any other ID type (IPv6, DN, KEY_ID, ...), its data uninterpreted. */
  | { readonly kind: 'other'; readonly idType: number; readonly data: Uint8Array };

export interface SaPayload extends SaBody {
  readonly kind: 'sa';
}

export interface KePayload {
  readonly kind: 'ke';
  /** g^x, as many bytes as the group's prime (the IKE layer left-pads). */
  readonly data: Uint8Array;
}

export interface IdPayload {
  readonly kind: 'id';
  /** IP protocol (0 = any, 17 = UDP in phase 1). */
  readonly protocol: number;
  /** Port (0 = any, 500 in phase 1). */
  readonly port: number;
  readonly identity: IsakmpIdentity;
}

export interface HashPayload {
  readonly kind: 'hash';
  readonly data: Uint8Array;
}

export interface NoncePayload {
  readonly kind: 'nonce';
  readonly data: Uint8Array;
}

export interface NotifyPayload {
  readonly kind: 'notify';
  readonly doi: number;
  readonly protocol: number;
  readonly spi: Uint8Array;
  readonly notifyType: number;
  readonly data: Uint8Array;
}

export interface DeletePayload {
  readonly kind: 'delete';
  readonly doi: number;
  readonly protocol: number;
  /** 16 for ISAKMP (both cookies), 4 for ESP and AH; kept apart from `spis` so an empty list still says it. */
  readonly spiSize: number;
  readonly spis: readonly Uint8Array[];
}

export interface VendorIdPayload {
  readonly kind: 'vendor-id';
  readonly data: Uint8Array;
}

/** NAT-D (RFC 3947 §3.2): HASH(CKY-I | CKY-R | IP | Port) with the negotiated hash. */
export interface NatDPayload {
  readonly kind: 'nat-d';
  readonly hash: Uint8Array;
}

/** A payload of a type this codec does not decode, kept as it came. */
export interface UnknownPayload {
  readonly kind: 'unknown';
  readonly payloadType: number;
  readonly body: Uint8Array;
}

export type IsakmpPayload =
  | SaPayload
  | KePayload
  | IdPayload
  | HashPayload
  | NoncePayload
  | NotifyPayload
  | DeletePayload
  | VendorIdPayload
  | NatDPayload
  | UnknownPayload;

/** The payload type number of each decoded kind. */
export const PAYLOAD_TYPE_OF_KIND = {
  sa: PayloadType.SA,
  ke: PayloadType.KE,
  id: PayloadType.ID,
  hash: PayloadType.HASH,
  nonce: PayloadType.NONCE,
  notify: PayloadType.NOTIFICATION,
  delete: PayloadType.DELETE,
  'vendor-id': PayloadType.VENDOR_ID,
  'nat-d': PayloadType.NAT_D,
} as const satisfies Record<Exclude<IsakmpPayload['kind'], 'unknown'>, number>;

/** Types an `unknown` payload cannot have: those decoded here, the end of the chain, and the SA's substructures. */
const NEVER_UNKNOWN: ReadonlySet<number> = new Set([...Object.values(PAYLOAD_TYPE_OF_KIND), PayloadType.NONE, PayloadType.PROPOSAL, PayloadType.TRANSFORM]);

/** The payload type number of `p`. */
export function payloadTypeOf(p: IsakmpPayload): number {
  return p.kind === 'unknown' ? p.payloadType : PAYLOAD_TYPE_OF_KIND[p.kind];
}

/** RFC 2409 §5: "The length of nonce payload MUST be between 8 and 256 bytes inclusive." */
export const NONCE_MIN_LEN = 8;
export const NONCE_MAX_LEN = 256;
/** RFC 2408 §3.15: an ISAKMP SA is deleted by its two cookies. */
const ISAKMP_DELETE_SPI_SIZE = 16;

// ---------------------------------------------------------------------------------------------
// Decoding

/** Decode the body (after the generic header) of a payload of type `type`. */
export function decodePayloadBody(type: number, body: Uint8Array): WireResult<IsakmpPayload> {
  switch (type) {
    case PayloadType.SA: {
      const sa = decodeSaBody(body);
      return sa.ok ? { ok: true, value: { kind: 'sa', ...sa.value } } : sa;
    }
    case PayloadType.KE:
      return { ok: true, value: { kind: 'ke', data: body.slice() } };
    case PayloadType.ID:
      return decodeId(body);
    case PayloadType.HASH:
      return { ok: true, value: { kind: 'hash', data: body.slice() } };
    case PayloadType.NONCE:
      if (body.length < NONCE_MIN_LEN || body.length > NONCE_MAX_LEN) {
        return fieldError('bad-length', `Nonce of ${body.length} bytes (RFC 2409: 8 to 256)`);
      }
      return { ok: true, value: { kind: 'nonce', data: body.slice() } };
    case PayloadType.NOTIFICATION:
      return decodeNotify(body);
    case PayloadType.DELETE:
      return decodeDelete(body);
    case PayloadType.VENDOR_ID:
      return { ok: true, value: { kind: 'vendor-id', data: body.slice() } };
    case PayloadType.NAT_D:
      return { ok: true, value: { kind: 'nat-d', hash: body.slice() } };
    case PayloadType.PROPOSAL:
    case PayloadType.TRANSFORM:
      return fieldError('bad-type', `payload type ${type} (a proposal or transform) outside an SA payload`);
    default:
      return { ok: true, value: { kind: 'unknown', payloadType: type, body: body.slice() } };
  }
}

const ID_FIXED_LEN = 4;

function decodeId(body: Uint8Array): WireResult<IdPayload> {
  if (body.length < ID_FIXED_LEN) return truncated('ID payload', ID_FIXED_LEN, body.length);
  const idType = body[0]!;
  const data = body.subarray(ID_FIXED_LEN);
  const identity = decodeIdentity(idType, data);
  if (!identity.ok) return identity;
  return { ok: true, value: { kind: 'id', protocol: body[1]!, port: read16(body, 2), identity: identity.value } };
}

function decodeIdentity(idType: number, data: Uint8Array): WireResult<IsakmpIdentity> {
  const exactly = (n: number): WireResult<true> =>
    data.length === n ? { ok: true, value: true } : fieldError('bad-length', `ID type ${idType} with ${data.length} bytes of data (needs ${n})`);
  switch (idType) {
    case IdType.IPV4_ADDR: {
      const c = exactly(4);
      return c.ok ? { ok: true, value: { kind: 'ipv4', address: read32(data, 0) } } : c;
    }
    case IdType.IPV4_ADDR_SUBNET: {
      const c = exactly(8);
      return c.ok ? { ok: true, value: { kind: 'ipv4-subnet', address: read32(data, 0), mask: read32(data, 4) } } : c;
    }
    case IdType.IPV4_ADDR_RANGE: {
      const c = exactly(8);
      return c.ok ? { ok: true, value: { kind: 'ipv4-range', start: read32(data, 0), end: read32(data, 4) } } : c;
    }
    case IdType.FQDN:
      return { ok: true, value: { kind: 'fqdn', name: latin1(data) } };
    case IdType.USER_FQDN:
      return { ok: true, value: { kind: 'user-fqdn', name: latin1(data) } };
    default:
      return { ok: true, value: { kind: 'other', idType, data: data.slice() } };
  }
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += String.fromCharCode(c);
  return s;
}

/** Notification protocols strongSwan accepts (`notify_payload.c` verify): none, ISAKMP, AH, ESP. */
function checkNotifyProtocol(protocol: number): WireResult<number> {
  return protocol <= ProtocolId.ESP ? { ok: true, value: protocol } : fieldError('bad-field', `Notification for protocol ${protocol}`);
}

const NOTIFY_FIXED_LEN = 8;

function decodeNotify(body: Uint8Array): WireResult<NotifyPayload> {
  if (body.length < NOTIFY_FIXED_LEN) return truncated('Notification payload', NOTIFY_FIXED_LEN, body.length);
  const protocol = checkNotifyProtocol(body[4]!);
  if (!protocol.ok) return protocol;
  const spiSize = body[5]!;
  if (body.length < NOTIFY_FIXED_LEN + spiSize) return truncated('Notification SPI', NOTIFY_FIXED_LEN + spiSize, body.length);
  return {
    ok: true,
    value: {
      kind: 'notify',
      doi: read32(body, 0),
      protocol: protocol.value,
      spi: body.slice(NOTIFY_FIXED_LEN, NOTIFY_FIXED_LEN + spiSize),
      notifyType: read16(body, 6),
      data: body.slice(NOTIFY_FIXED_LEN + spiSize),
    },
  };
}

/** The SPI size a Delete for `protocol` must have (strongSwan `delete_payload.c` verify), or null if it cannot be deleted. */
function deleteSpiSize(protocol: number): number | null {
  if (protocol === ProtocolId.ESP || protocol === ProtocolId.AH) return 4;
  if (protocol === ProtocolId.ISAKMP || protocol === 0) return ISAKMP_DELETE_SPI_SIZE;
  return null;
}

const DELETE_FIXED_LEN = 8;

function decodeDelete(body: Uint8Array): WireResult<DeletePayload> {
  if (body.length < DELETE_FIXED_LEN) return truncated('Delete payload', DELETE_FIXED_LEN, body.length);
  const protocol = body[4]!;
  const spiSize = body[5]!;
  const count = read16(body, 6);
  const wanted = deleteSpiSize(protocol);
  if (wanted === null) return fieldError('bad-field', `Delete for protocol ${protocol}`);
  if (spiSize !== wanted) return fieldError('bad-spi', `Delete for protocol ${protocol} with SPI size ${spiSize} (needs ${wanted})`);
  const need = DELETE_FIXED_LEN + count * spiSize;
  if (body.length < need) return truncated(`Delete payload with ${count} SPIs`, need, body.length);
  if (body.length > need) return fieldError('bad-length', `Delete payload of ${body.length} bytes holds ${count} SPIs of ${spiSize} (${need})`);
  const spis: Uint8Array[] = [];
  for (let i = 0; i < count; i++) spis.push(body.slice(DELETE_FIXED_LEN + i * spiSize, DELETE_FIXED_LEN + (i + 1) * spiSize));
  return { ok: true, value: { kind: 'delete', doi: read32(body, 0), protocol, spiSize, spis } };
}

// ---------------------------------------------------------------------------------------------
// Encoding

/**
 * The body bytes of `p` (without the generic header). A representation the decoder would not
 * give back (a nonce of 7 bytes, an `unknown` payload of a type decoded here, ...) is a bug in
 * the caller and throws a RangeError.
 */
export function encodePayloadBody(p: IsakmpPayload): Uint8Array {
  switch (p.kind) {
    case 'sa':
      return encodeSaBody(p);
    case 'ke':
    case 'hash':
    case 'vendor-id':
      return p.data.slice();
    case 'nonce':
      if (p.data.length < NONCE_MIN_LEN || p.data.length > NONCE_MAX_LEN) throw new RangeError(`nonce of ${p.data.length} bytes (8 to 256)`);
      return p.data.slice();
    case 'nat-d':
      return p.hash.slice();
    case 'id':
      return encodeId(p);
    case 'notify':
      return encodeNotify(p);
    case 'delete':
      return encodeDelete(p);
    case 'unknown':
      if (NEVER_UNKNOWN.has(p.payloadType)) throw new RangeError(`an unknown payload cannot have type ${p.payloadType}`);
      return p.body.slice();
  }
}

function encodeId(p: IdPayload): Uint8Array {
  const { idType, data } = encodeIdentity(p.identity);
  const out = new Uint8Array(ID_FIXED_LEN + data.length);
  put8(out, 0, idType, 'ID type');
  put8(out, 1, p.protocol, 'ID protocol');
  put16(out, 2, p.port, 'ID port');
  out.set(data, ID_FIXED_LEN);
  return out;
}

function encodeIdentity(id: IsakmpIdentity): { idType: number; data: Uint8Array } {
  const words = (...ws: number[]): Uint8Array => {
    const out = new Uint8Array(4 * ws.length);
    ws.forEach((w, i) => put32(out, 4 * i, w, 'ID address'));
    return out;
  };
  switch (id.kind) {
    case 'ipv4':
      return { idType: IdType.IPV4_ADDR, data: words(id.address) };
    case 'ipv4-subnet':
      return { idType: IdType.IPV4_ADDR_SUBNET, data: words(id.address, id.mask) };
    case 'ipv4-range':
      return { idType: IdType.IPV4_ADDR_RANGE, data: words(id.start, id.end) };
    case 'fqdn':
      return { idType: IdType.FQDN, data: latin1Bytes(id.name) };
    case 'user-fqdn':
      return { idType: IdType.USER_FQDN, data: latin1Bytes(id.name) };
    case 'other': {
      const decodedHere: readonly number[] = [IdType.IPV4_ADDR, IdType.IPV4_ADDR_SUBNET, IdType.IPV4_ADDR_RANGE, IdType.FQDN, IdType.USER_FQDN];
      if (decodedHere.includes(id.idType)) throw new RangeError(`ID type ${id.idType} has its own kind, not 'other'`);
      return { idType: id.idType, data: id.data };
    }
  }
}

function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) put8(out, i, s.charCodeAt(i), 'ID name character code');
  return out;
}

function encodeNotify(p: NotifyPayload): Uint8Array {
  const protocol = checkNotifyProtocol(p.protocol);
  if (!protocol.ok) throw new RangeError(protocol.error.message);
  const out = new Uint8Array(NOTIFY_FIXED_LEN + p.spi.length + p.data.length);
  put32(out, 0, p.doi, 'Notification DOI');
  out[4] = p.protocol;
  put8(out, 5, p.spi.length, 'Notification SPI size');
  put16(out, 6, p.notifyType, 'Notification type');
  out.set(p.spi, NOTIFY_FIXED_LEN);
  out.set(p.data, NOTIFY_FIXED_LEN + p.spi.length);
  return out;
}

function encodeDelete(p: DeletePayload): Uint8Array {
  const wanted = deleteSpiSize(p.protocol);
  if (wanted === null || p.spiSize !== wanted) throw new RangeError(`Delete for protocol ${p.protocol} with SPI size ${p.spiSize}`);
  const out = new Uint8Array(DELETE_FIXED_LEN + p.spis.length * p.spiSize);
  put32(out, 0, p.doi, 'Delete DOI');
  out[4] = p.protocol;
  out[5] = p.spiSize;
  put16(out, 6, p.spis.length, 'Delete SPI count');
  p.spis.forEach((spi, i) => {
    if (spi.length !== p.spiSize) throw new RangeError(`Delete SPI ${i} has ${spi.length} bytes, not ${p.spiSize}`);
    out.set(spi, DELETE_FIXED_LEN + i * p.spiSize);
  });
  return out;
}
