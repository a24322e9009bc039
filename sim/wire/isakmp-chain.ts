/**
 * The IKEv1 payload chain (RFC 2408 §3.2): payloads one after another, each behind a 4-byte
 * generic header (Next Payload, RESERVED, Payload Length), the first one's type in the ISAKMP
 * header, the last one's Next Payload 0. Also the padding of a chain before encryption.
 *
 * Owns the walk over generic headers and the links between them; payload bodies are
 * `isakmp-payloads.ts`'s. Refused: a generic header that does not fit, a Payload Length below 4
 * (strongSwan's parser: "all payloads must have at least 4 bytes header") or beyond the bytes
 * left. The RESERVED byte is not judged (strongSwan reads and ignores it). Bytes after the last
 * payload are accepted and counted as `trailing`: in a decrypted body they are the padding, and
 * RFC 2409 §5.3 padding (zeros and a final pad-count byte) and strongSwan's (zeros only,
 * `encrypted_payload.c` encrypt_v1) are both just bytes the chain does not reach; strongSwan
 * also stops reading a cleartext message at Next Payload 0 without looking at what follows.
 *
 * `walkPayloads` gives each payload's bytes as they came (views into the input), because IKEv1's
 * hashes are computed over received bytes: HASH_I/HASH_R over the SA and ID bodies, Quick Mode
 * HASH(1)/(2) over "every payload after HASH" with their generic headers (RFC 2409 §5.4, §5.5).
 */
import { fieldError, truncated, type WireResult } from './errors.js';
import { concatBytes, put16, read16 } from './bytes.js';
import { PayloadType } from './isakmp-names.js';
import { decodePayloadBody, encodePayloadBody, payloadTypeOf, type IsakmpPayload } from './isakmp-payloads.js';

/** Length of the generic payload header. */
export const GENERIC_HEADER_LEN = 4;

/** One payload of a chain as it came: its type, its bytes with the generic header, its body. */
export interface RawPayload {
  readonly type: number;
  /** The whole payload, generic header included (a view into the decoded bytes). */
  readonly bytes: Uint8Array;
  /** The payload after its generic header (a view). */
  readonly body: Uint8Array;
}

/** A walked chain: the payloads and where the last one ends. */
export interface RawChain {
  readonly payloads: readonly RawPayload[];
  /** Offset just past the last payload; bytes from here on are not part of the chain. */
  readonly end: number;
}

/** The decoded payloads of a chain and the count of bytes after the last one. */
export interface DecodedChain {
  readonly payloads: readonly IsakmpPayload[];
  readonly trailing: number;
}

/** Walk the generic headers of the chain in `bytes` whose first payload has type `firstType` (0: empty). */
export function walkPayloads(bytes: Uint8Array, firstType: number): WireResult<RawChain> {
  const payloads: RawPayload[] = [];
  let type = firstType;
  let offset = 0;
  while (type !== PayloadType.NONE) {
    const left = bytes.length - offset;
    const where = `payload ${payloads.length + 1} (type ${type})`;
    if (left < GENERIC_HEADER_LEN) return truncated(`${where} generic header`, GENERIC_HEADER_LEN, left);
    const length = read16(bytes, offset + 2);
    if (length < GENERIC_HEADER_LEN) return fieldError('bad-length', `${where}: payload length ${length} is below 4`);
    if (length > left) return truncated(where, length, left);
    payloads.push({
      type,
      bytes: bytes.subarray(offset, offset + length),
      body: bytes.subarray(offset + GENERIC_HEADER_LEN, offset + length),
    });
    type = bytes[offset]!;
    offset += length;
  }
  return { ok: true, value: { payloads, end: offset } };
}

/** Decode the chain in `bytes` (first payload type `firstType`) into typed payloads. */
export function decodePayloads(bytes: Uint8Array, firstType: number): WireResult<DecodedChain> {
  const raw = walkPayloads(bytes, firstType);
  if (!raw.ok) return raw;
  const payloads: IsakmpPayload[] = [];
  for (const r of raw.value.payloads) {
    const p = decodePayloadBody(r.type, r.body);
    if (!p.ok) return p;
    payloads.push(p.value);
  }
  return { ok: true, value: { payloads, trailing: bytes.length - raw.value.end } };
}

/** The type the ISAKMP header's Next Payload names for `payloads` (0 when there are none). */
export function firstPayloadType(payloads: readonly IsakmpPayload[]): number {
  return payloads.length === 0 ? PayloadType.NONE : payloadTypeOf(payloads[0]!);
}

/** The chain's bytes: each payload behind its generic header, linked by Next Payload, RESERVED zero. */
export function encodePayloads(payloads: readonly IsakmpPayload[]): Uint8Array {
  return concatBytes(
    payloads.map((p, i) => {
      const body = encodePayloadBody(p);
      const out = new Uint8Array(GENERIC_HEADER_LEN + body.length);
      const next = payloads[i + 1];
      out[0] = next === undefined ? PayloadType.NONE : payloadTypeOf(next);
      put16(out, 2, out.length, `payload ${i + 1} length`);
      out.set(body, GENERIC_HEADER_LEN);
      return out;
    }),
  );
}

/**
 * How an encrypted body is padded to the cipher's block: `rfc2409` as RFC 2409 §5.3 writes it
 * (zeros, then a last byte holding the count of padding bytes before it), `zeros` as strongSwan
 * sends it. Both always add 1 to `blockSize` bytes.
 */
export type IsakmpPadding = 'rfc2409' | 'zeros';

/** `plain` followed by padding to a whole number of `blockSize`-byte blocks, in a new array. */
export function padPlaintext(plain: Uint8Array, blockSize: number, style: IsakmpPadding): Uint8Array {
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > 256) throw new RangeError(`block size ${blockSize}`);
  const pad = blockSize - (plain.length % blockSize);
  const out = new Uint8Array(plain.length + pad);
  out.set(plain, 0);
  if (style === 'rfc2409') out[out.length - 1] = pad - 1;
  return out;
}
