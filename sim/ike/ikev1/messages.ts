/**
 * Reading and writing whole IKEv1 messages of one ISAKMP SA: cleartext Main Mode messages,
 * encrypted ones, and the hash-protected messages of phase 2 (Quick Mode's HASH(1..3),
 * Informational's HASH(1), RFC 2409 §5.5, §5.7).
 *
 * Owns: keeping each received payload's bytes beside its decoded form (IKEv1's hashes cover
 * received bytes: SAi_b, IDii_b, "every payload after HASH"), decrypting with the SA's crypter
 * and saying why a body does not decrypt in strongSwan's words ("invalid ID_V1 payload
 * length, decryption failed?"), and verifying the phase-2 hash as strongSwan's `message.c`
 * does (HASH first; "received HASH payload does not match"). Refuses, as values: bytes that
 * do not decode, a body that does not decrypt into a payload chain, a missing or wrong hash.
 */
import { hash1 } from '../keys-v1.js';
import { bytesEqual } from '../../ipsec/crypto.js';
import {
  decodeHeader,
  decodePayloadBody,
  encodeMessage,
  encodePayloads,
  ExchangeType,
  ISAKMP_HEADER_LEN,
  isakmpSummary,
  PayloadType,
  walkPayloads,
  type EncryptedIsakmpMessage,
  type IsakmpHeaderFields,
  type IsakmpPayload,
  type RawPayload,
} from '../../wire/isakmp.js';
import type { Ikev1Context } from './context.js';
import type { IsakmpSa } from './state.js';
import { payloadEnumName } from './words.js';

/** A decoded message with each payload's received bytes. */
export interface ReadMessage {
  readonly header: IsakmpHeaderFields;
  readonly payloads: readonly IsakmpPayload[];
  readonly raw: readonly RawPayload[];
  /** The chain's bytes (without padding): "every payload after HASH" is a slice of it. */
  readonly chain: Uint8Array;
  readonly encrypted: boolean;
}

/** A read message or why not, in strongSwan's words (one or more log lines). */
export type ReadResult = { readonly ok: true; readonly message: ReadMessage; readonly lastBlock: Uint8Array | null } | { readonly ok: false; readonly why: readonly string[] };

function chainOf(header: IsakmpHeaderFields, bytes: Uint8Array, firstType: number, encrypted: boolean): ReadResult {
  const walked = walkPayloads(bytes, firstType);
  if (!walked.ok) {
    const what = encrypted ? `invalid ${payloadEnumName(firstType)} payload length, decryption failed?` : `parsing the payloads failed: ${walked.error.message}`;
    return { ok: false, why: [what] };
  }
  const payloads: IsakmpPayload[] = [];
  for (const r of walked.value.payloads) {
    const p = decodePayloadBody(r.type, r.body);
    if (!p.ok) return { ok: false, why: [`${payloadEnumName(r.type)} payload verification failed${encrypted ? ', decryption failed?' : ''}: ${p.error.message}`] };
    payloads.push(p.value);
  }
  return { ok: true, message: { header, payloads, raw: walked.value.payloads, chain: bytes.subarray(0, walked.value.end), encrypted }, lastBlock: null };
}

/** Read a cleartext message (the whole ISAKMP message, marker removed). */
export function readClear(bytes: Uint8Array): ReadResult {
  const h = decodeHeader(bytes);
  if (!h.ok) return { ok: false, why: [h.error.message] };
  return chainOf(h.value, bytes.subarray(ISAKMP_HEADER_LEN, h.value.length), h.value.nextPayload, false);
}

/** Decrypt and read an encrypted message with the SA's keys; the crypter's chain is not moved (the caller confirms). */
export function readEncrypted(sa: IsakmpSa, m: EncryptedIsakmpMessage): ReadResult {
  if (!sa.crypter) return { ok: false, why: ['found encrypted message, but no keys available'] };
  const d = sa.crypter.decrypt(m);
  if (!d.ok) return { ok: false, why: [d.why] };
  const r = chainOf(m.header, d.plaintext, m.firstPayload, true);
  return r.ok ? { ok: true, message: r.message, lastBlock: d.lastBlock } : r;
}

/** The first payload of `kind` in a read message. */
export function payloadOf<K extends IsakmpPayload['kind']>(m: ReadMessage, kind: K): Extract<IsakmpPayload, { kind: K }> | undefined {
  return m.payloads.find((p): p is Extract<IsakmpPayload, { kind: K }> => p.kind === kind);
}

/** Every payload of `kind`, in order. */
export function payloadsOf<K extends IsakmpPayload['kind']>(m: ReadMessage, kind: K): Extract<IsakmpPayload, { kind: K }>[] {
  return m.payloads.filter((p): p is Extract<IsakmpPayload, { kind: K }> => p.kind === kind);
}

/** The received body of the first payload of `type`. */
export function rawBodyOf(m: ReadMessage, type: number): Uint8Array | undefined {
  return m.raw.find((r) => r.type === type)?.body;
}

/** The bytes after the leading HASH payload, or null when the message does not start with HASH. */
export function afterHash(m: ReadMessage): Uint8Array | null {
  const first = m.raw[0];
  if (!first || first.type !== PayloadType.HASH) return null;
  return m.chain.subarray(first.bytes.length);
}

/** The HASH value of a message that starts with HASH, or null. */
export function leadingHash(m: ReadMessage): Uint8Array | null {
  const first = m.payloads[0];
  return first?.kind === 'hash' ? first.data : null;
}

/**
 * Check a phase-2 message's hash against `expected(afterHash)`; null when it holds, else the
 * log lines strongSwan writes.
 */
export function checkPhase2Hash(m: ReadMessage, expected: (after: Uint8Array) => Uint8Array): string[] | null {
  const after = afterHash(m);
  const got = leadingHash(m);
  if (after === null || got === null) {
    return [m.header.exchangeType === ExchangeType.INFORMATIONAL ? 'ignoring unprotected INFORMATIONAL' : 'expected HASH payload as first payload'];
  }
  return bytesEqual(got, expected(after)) ? null : ['received HASH payload does not match', 'integrity check failed'];
}

/** The bytes of a cleartext message. */
export function clearMessage(header: IsakmpHeaderFields, payloads: readonly IsakmpPayload[]): Uint8Array {
  return encodeMessage({ header, payloads });
}

/**
 * An encrypted phase-2 message: HASH first, computed by `hash` over the bytes of the
 * payloads after it, then those payloads; encrypted with the SA's crypter (which moves its
 * chain). Returns the bytes and the plain message (for summaries).
 */
export function protectedMessage(sa: IsakmpSa, header: IsakmpHeaderFields, rest: readonly IsakmpPayload[], hash: (after: Uint8Array) => Uint8Array): { readonly bytes: Uint8Array; readonly payloads: readonly IsakmpPayload[] } {
  if (!sa.crypter) throw new RangeError('a protected message needs the phase-1 keys');
  const payloads: IsakmpPayload[] = [{ kind: 'hash', data: hash(encodePayloads(rest)) }, ...rest];
  return { bytes: sa.crypter.encrypt(header, payloads), payloads };
}

/** An Informational message's HASH(1) function for `sa` and message ID `mid`. */
export function informationalHash(ctx: Ikev1Context, sa: IsakmpSa, messageId: number): (after: Uint8Array) => Uint8Array {
  const keys = sa.keys;
  const choice = sa.choice;
  if (!keys || !choice) throw new RangeError('an Informational hash needs the phase-1 keys');
  return (after) => hash1(ctx.be, choice.suite.prf, keys.skeyidA, messageId, after);
}

/** A message's summary in strongSwan's words. */
export function summaryOf(header: IsakmpHeaderFields, payloads: readonly IsakmpPayload[], role: 'request' | 'response'): string {
  return isakmpSummary({ header, payloads }, role);
}

/** The header fields of a message of `sa`. */
export function headerOf(sa: IsakmpSa, exchangeType: number, messageId: number): IsakmpHeaderFields {
  return { initiatorCookie: sa.cookieI, responderCookie: sa.cookieR, exchangeType, messageId, commit: false, authOnly: false };
}
