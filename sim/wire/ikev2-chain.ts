/**
 * The IKEv2 payload chain: payloads linked by their generic headers' Next Payload fields
 * (RFC 7296 §3.2), and the critical-bit rule (§2.5).
 *
 * Owns walking and building a chain: each generic header's next type, critical bit and
 * length, the body handed to ikev2-payloads.ts, and the encrypted payload (SK, §3.14) as the
 * chain's end. Decoding refuses: a generic header or body that runs past the bytes
 * (`truncated`), a payload length below 4 or bytes left after the last payload (`bad-length`),
 * an SK payload that is not last or sits inside another SK (`bad-field`), and a payload of a
 * type this codec does not know with the critical bit set (`unsupported-critical-payload`,
 * carrying the type, for the caller's UNSUPPORTED_CRITICAL_PAYLOAD). An unknown payload with
 * the bit clear is kept raw. The critical bit of known payloads and the reserved bits are
 * ignored on receipt and sent as zero, as §3.2 says. The SK payload's own Next Payload field
 * names the first payload inside it; its contents (IV, ciphertext, ICV) stay one opaque run
 * of bytes here, split by ikev2-sk.ts once the caller knows the transform's sizes.
 */
import { concatBytes, copyBytes, read16, write16 } from './bytes.js';
import { PayloadType, payloadName } from './ikev2-numbers.js';
import { decodePayloadBody, encodePayloadBody, isKnownPayloadType, payloadTypeOf, type Ikev2Payload } from './ikev2-payloads.js';
import { fieldError, truncated, unsupportedCriticalPayload, type WireResult } from './errors.js';

/** Length of the generic payload header. */
export const GENERIC_HEADER_LEN = 4;
const CRITICAL = 0x80;

/** The encrypted payload as the chain sees it: the type of its first inner payload and its opaque contents. */
export interface EncryptedPayload {
  /** Type of the first payload inside (0: none, as in a liveness check). */
  readonly firstInner: number;
  /** IV, ciphertext and ICV, in that order. */
  readonly data: Uint8Array;
}

/** A decoded chain: the payloads in order and the SK payload that ended it, if one did. */
export interface DecodedChain {
  readonly payloads: Ikev2Payload[];
  readonly encrypted: EncryptedPayload | null;
}

/**
 * Decode the chain that starts with a payload of type `first` and fills `bytes` exactly.
 * `allowEncrypted`: whether an SK payload may end it (false inside an SK payload).
 */
export function decodeChain(first: number, bytes: Uint8Array, allowEncrypted: boolean): WireResult<DecodedChain> {
  const payloads: Ikev2Payload[] = [];
  let type = first;
  let o = 0;
  while (type !== PayloadType.NONE) {
    const where = `${payloadName(type)} payload ${payloads.length + 1}`;
    if (bytes.length - o < GENERIC_HEADER_LEN) return truncated(`${where} header`, GENERIC_HEADER_LEN, bytes.length - o);
    const next = bytes[o]!;
    const critical = (bytes[o + 1]! & CRITICAL) !== 0;
    const length = read16(bytes, o + 2);
    if (length < GENERIC_HEADER_LEN) return fieldError('bad-length', `${where}: length ${length} is below 4`);
    if (length > bytes.length - o) return truncated(where, length, bytes.length - o);
    const body = bytes.subarray(o + GENERIC_HEADER_LEN, o + length);
    if (type === PayloadType.SK) {
      if (!allowEncrypted) return fieldError('bad-field', 'an SK payload inside an SK payload');
      const after = bytes.length - o - length;
      if (after !== 0) return fieldError('bad-field', `${after} bytes after the SK payload, which must be last`);
      return { ok: true, value: { payloads, encrypted: { firstInner: next, data: copyBytes(body) } } };
    }
    if (isKnownPayloadType(type)) {
      const r = decodePayloadBody(type, body);
      if (!r.ok) return { ok: false, error: { ...r.error, message: `${where}: ${r.error.message}` } };
      payloads.push(r.value);
    } else if (critical) {
      return unsupportedCriticalPayload(type);
    } else {
      payloads.push({ kind: 'Unknown', type, critical: false, data: copyBytes(body) });
    }
    type = next;
    o += length;
  }
  if (o !== bytes.length) return fieldError('bad-length', `${bytes.length - o} bytes after the last payload`);
  return { ok: true, value: { payloads, encrypted: null } };
}

/** An encoded chain: the type of its first payload (for the header or SK before it) and its bytes. */
export interface EncodedChain {
  readonly first: number;
  readonly bytes: Uint8Array;
}

/**
 * Encode `payloads` as a chain, ended by the SK payload `encrypted` when given. The payloads
 * are trusted; an unknown payload whose type this codec knows (or SK) throws, since it would
 * not decode back to itself.
 */
export function encodeChain(payloads: readonly Ikev2Payload[], encrypted?: EncryptedPayload): EncodedChain {
  const types = payloads.map(payloadTypeOf);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < payloads.length; i++) {
    const p = payloads[i]!;
    if (p.kind === 'Unknown' && (isKnownPayloadType(p.type) || p.type === PayloadType.SK || p.type === PayloadType.NONE)) {
      throw new RangeError(`payload type ${p.type} cannot be sent as an unknown payload`);
    }
    const next = i + 1 < payloads.length ? types[i + 1]! : encrypted ? PayloadType.SK : PayloadType.NONE;
    parts.push(withGenericHeader(next, p.kind === 'Unknown' && p.critical, encodePayloadBody(p)));
  }
  if (encrypted) parts.push(withGenericHeader(encrypted.firstInner, false, encrypted.data));
  const first = types[0] ?? (encrypted ? PayloadType.SK : PayloadType.NONE);
  return { first, bytes: concatBytes(parts) };
}

/** A generic header (next type, critical bit, length) followed by `body`. */
export function withGenericHeader(next: number, critical: boolean, body: Uint8Array): Uint8Array {
  const length = GENERIC_HEADER_LEN + body.length;
  if (length > 0xffff) throw new RangeError(`payload of ${length} bytes exceeds the 16-bit length`);
  const out = new Uint8Array(length);
  out[0] = next;
  out[1] = critical ? CRITICAL : 0;
  write16(out, 2, length);
  out.set(body, GENERIC_HEADER_LEN);
  return out;
}
