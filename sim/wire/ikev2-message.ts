/**
 * A whole IKEv2 message: the header and the payload chain it starts (RFC 7296 §3).
 *
 * Owns joining ikev2-header.ts and ikev2-chain.ts: the header's Next Payload names the first
 * payload, its Length counts everything (header, payloads, and for an SK payload its IV,
 * ciphertext and ICV). Refuses what those two refuse, nothing more: which payloads an exchange
 * must carry is the state machine's question. An encrypted message decodes to its clear
 * payloads (usually none) and the SK payload's opaque contents; ikev2-sk.ts splits those.
 */
import { decodeChain, encodeChain, type EncryptedPayload } from './ikev2-chain.js';
import { emitHeader, IKEV2_HEADER_LEN, parseHeader, type Ikev2Header } from './ikev2-header.js';
import type { Ikev2Payload } from './ikev2-payloads.js';
import type { WireResult } from './errors.js';

/** An IKEv2 message as a value. */
export interface Ikev2Message {
  readonly header: Ikev2Header;
  /** The payloads in the clear, in order. */
  readonly payloads: readonly Ikev2Payload[];
  /** The encrypted payload that ends the message, when it has one. */
  readonly encrypted?: EncryptedPayload;
}

/** Decode the IKEv2 message that fills `bytes` (a UDP payload, non-ESP marker removed). */
export function decodeMessage(bytes: Uint8Array): WireResult<Ikev2Message> {
  const h = parseHeader(bytes);
  if (!h.ok) return h;
  const chain = decodeChain(h.value.nextPayload, bytes.subarray(IKEV2_HEADER_LEN, h.value.length), true);
  if (!chain.ok) return chain;
  const { payloads, encrypted } = chain.value;
  return { ok: true, value: encrypted ? { header: h.value.header, payloads, encrypted } : { header: h.value.header, payloads } };
}

/** Encode a message. It is trusted: SPIs of 8 bytes, fields in range (else this throws). */
export function encodeMessage(m: Ikev2Message): Uint8Array {
  const chain = encodeChain(m.payloads, m.encrypted);
  const out = new Uint8Array(IKEV2_HEADER_LEN + chain.bytes.length);
  emitHeader(m.header, chain.first, out.length, out, 0);
  out.set(chain.bytes, IKEV2_HEADER_LEN);
  return out;
}
