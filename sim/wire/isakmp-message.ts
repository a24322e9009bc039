/**
 * Whole IKEv1 messages as UDP payloads: the ISAKMP header with either a cleartext payload chain
 * or, when the E flag is set, a ciphertext body (RFC 2408 §3.1, RFC 2409 §5.3 and Appendix B).
 *
 * Owns putting header and body together and taking them apart; encryption is not here (the IKE
 * layer decrypts `body` with the phase-1 keys and IV and hands the plaintext to
 * `decodeDecrypted`). For an encrypted message the header's Next Payload names the first
 * payload inside the ciphertext and its length counts the padded ciphertext, so `encodeEncrypted`
 * takes both from its input. A cleartext message decodes when its header and chain do; bytes
 * after the last payload are accepted, as strongSwan accepts them (see `isakmp-chain.ts`).
 *
 * Every encoder refuses (RangeError) a representation the decoders would not give back, so
 * `decodeIsakmp(encodeIsakmp(d))` is `d` for every `d` that encodes.
 */
import { type WireResult } from './errors.js';
import { decodePayloads, encodePayloads, firstPayloadType, padPlaintext, type IsakmpPadding } from './isakmp-chain.js';
import { decodeHeader, encodeHeader, ISAKMP_HEADER_LEN, type IsakmpHeaderFields } from './isakmp-header.js';
import { type IsakmpPayload } from './isakmp-payloads.js';

/** A cleartext message, or an encrypted one after decryption. */
export interface IsakmpMessage {
  readonly header: IsakmpHeaderFields;
  readonly payloads: readonly IsakmpPayload[];
}

/** An encrypted message as it travels: the header fields, the first inner payload's type, the padded ciphertext. */
export interface EncryptedIsakmpMessage {
  readonly header: IsakmpHeaderFields;
  /** The header's Next Payload: the type of the first payload inside the ciphertext. */
  readonly firstPayload: number;
  /** The ciphertext; its length is a whole number of cipher blocks when the sender is right. */
  readonly body: Uint8Array;
}

/** What an IKEv1 datagram holds: a cleartext message or an encrypted one. */
export type IsakmpDatagram =
  | ({ readonly kind: 'clear' } & IsakmpMessage)
  | ({ readonly kind: 'encrypted' } & EncryptedIsakmpMessage);

/** A decrypted message and the count of padding bytes after its last payload. */
export interface DecryptedIsakmp {
  readonly message: IsakmpMessage;
  readonly padding: number;
}

/** What to encrypt for a message: the padded payload chain, and the Next Payload its header gets. */
export interface IsakmpPlaintext {
  readonly firstPayload: number;
  readonly plaintext: Uint8Array;
}

function fieldsOf(h: IsakmpHeaderFields): IsakmpHeaderFields {
  return {
    initiatorCookie: h.initiatorCookie,
    responderCookie: h.responderCookie,
    exchangeType: h.exchangeType,
    messageId: h.messageId,
    commit: h.commit,
    authOnly: h.authOnly,
  };
}

/** Decode the IKEv1 message that is the whole of `datagram` (a UDP payload; the NAT-T non-ESP marker already removed). */
export function decodeIsakmp(datagram: Uint8Array): WireResult<IsakmpDatagram> {
  const h = decodeHeader(datagram);
  if (!h.ok) return h;
  const header = fieldsOf(h.value);
  const body = datagram.subarray(ISAKMP_HEADER_LEN, h.value.length);
  if (h.value.encrypted) {
    return { ok: true, value: { kind: 'encrypted', header, firstPayload: h.value.nextPayload, body: body.slice() } };
  }
  const chain = decodePayloads(body, h.value.nextPayload);
  if (!chain.ok) return chain;
  return { ok: true, value: { kind: 'clear', header, payloads: chain.value.payloads } };
}

/** The bytes of a cleartext message (E flag clear). */
export function encodeMessage(m: IsakmpMessage): Uint8Array {
  const chain = encodePayloads(m.payloads);
  const out = new Uint8Array(ISAKMP_HEADER_LEN + chain.length);
  encodeHeader({ ...fieldsOf(m.header), nextPayload: firstPayloadType(m.payloads), encrypted: false, length: out.length }, out, 0);
  out.set(chain, ISAKMP_HEADER_LEN);
  return out;
}

/** The bytes of an encrypted message: E flag set, Next Payload `firstPayload`, length counting the whole ciphertext. */
export function encodeEncrypted(e: EncryptedIsakmpMessage): Uint8Array {
  const out = new Uint8Array(ISAKMP_HEADER_LEN + e.body.length);
  encodeHeader({ ...fieldsOf(e.header), nextPayload: e.firstPayload, encrypted: true, length: out.length }, out, 0);
  out.set(e.body, ISAKMP_HEADER_LEN);
  return out;
}

/** The bytes of either kind of datagram. */
export function encodeIsakmp(d: IsakmpDatagram): Uint8Array {
  return d.kind === 'clear' ? encodeMessage(d) : encodeEncrypted(d);
}

/**
 * The plaintext to encrypt for `payloads`: their chain padded to `blockSize` in the given style
 * (`rfc2409` or strongSwan's `zeros`), and the first payload's type for the header.
 */
export function plaintextOf(payloads: readonly IsakmpPayload[], blockSize: number, padding: IsakmpPadding): IsakmpPlaintext {
  return { firstPayload: firstPayloadType(payloads), plaintext: padPlaintext(encodePayloads(payloads), blockSize, padding) };
}

/**
 * Decode the decrypted body of `e`: the payload chain starting with `e.firstPayload`; whatever
 * follows the last payload is padding, in either style (or any other: its bytes are not judged).
 */
export function decodeDecrypted(e: EncryptedIsakmpMessage, plaintext: Uint8Array): WireResult<DecryptedIsakmp> {
  const chain = decodePayloads(plaintext, e.firstPayload);
  if (!chain.ok) return chain;
  return { ok: true, value: { message: { header: fieldsOf(e.header), payloads: chain.value.payloads }, padding: chain.value.trailing } };
}
