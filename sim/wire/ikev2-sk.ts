/**
 * The layout of the IKEv2 encrypted payload, SK (RFC 7296 §3.14; RFC 5282 §5.1 for AEADs).
 *
 * Owns where the bytes go, not what they are: splitting a received SK payload into IV,
 * ciphertext and ICV with the sizes the caller's transform gives, and the byte ranges the
 * integrity check and an AEAD's associated data cover; laying out an encrypted message whose
 * header Length already counts the ICV (so the ICV is computed over the final header); and the
 * plaintext inside: payloads, padding, Pad Length. Encryption, decryption and the ICV itself
 * are the caller's (the CryptoBackend's). Refused: a message without an SK payload
 * (`bad-type`), an SK payload too short to hold IV, at least one byte of ciphertext and ICV,
 * or whose ciphertext is not a whole number of cipher blocks (`bad-length`; strongSwan's
 * `encrypted_payload.c` refuses both), a decrypted plaintext whose Pad Length reaches past its
 * start (`bad-length`), and inner payloads that the chain refuses. Padding is sent as zeros
 * (§3.14: any value) and the shortest that fills the block, so output is deterministic.
 */
import { decodeChain, encodeChain, GENERIC_HEADER_LEN } from './ikev2-chain.js';
import { emitHeader, IKEV2_HEADER_LEN, type Ikev2Header } from './ikev2-header.js';
import { decodeMessage, type Ikev2Message } from './ikev2-message.js';
import type { Ikev2Payload } from './ikev2-payloads.js';
import { fieldError, truncated, type WireResult } from './errors.js';

/** The sizes an SK payload's transform fixes. */
export interface SkSizes {
  /** IV bytes: the cipher block for CBC (16 for AES), 8 for AES-GCM. */
  readonly ivLength: number;
  /** ICV bytes: 12 for HMAC-SHA1-96, 8/12/16 for AES-GCM. */
  readonly icvLength: number;
  /** The ciphertext is a multiple of this (16 for AES-CBC, 8 for 3DES, 1 when any length goes). */
  readonly blockSize: number;
}

/** Offsets [start, end) into the message bytes. */
export type ByteRange = readonly [start: number, end: number];

/** Where the parts of an encrypted message lie. */
export interface SkLayout {
  readonly iv: ByteRange;
  readonly ciphertext: ByteRange;
  readonly icv: ByteRange;
  /** What an integrity transform's ICV covers: the first header byte through the last ciphertext byte. */
  readonly integrity: ByteRange;
  /** An AEAD's associated data: the first header byte through the SK generic header (not the IV). */
  readonly associatedData: ByteRange;
}

/** A received encrypted message, split. `iv`, `ciphertext` and `icv` are views of the message bytes. */
export interface SplitMessage {
  readonly message: Ikev2Message;
  /** Type of the first payload inside the SK payload. */
  readonly firstInner: number;
  readonly layout: SkLayout;
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly icv: Uint8Array;
}

function layoutFor(skHeaderAt: number, sizes: { ivLength: number; ciphertextLength: number; icvLength: number }): SkLayout {
  const ivStart = skHeaderAt + GENERIC_HEADER_LEN;
  const ctStart = ivStart + sizes.ivLength;
  const ctEnd = ctStart + sizes.ciphertextLength;
  return {
    iv: [ivStart, ctStart],
    ciphertext: [ctStart, ctEnd],
    icv: [ctEnd, ctEnd + sizes.icvLength],
    integrity: [0, ctEnd],
    associatedData: [0, ivStart],
  };
}

/** Decode the message in `bytes` and split its SK payload with the transform's `sizes`. */
export function splitEncrypted(bytes: Uint8Array, sizes: SkSizes): WireResult<SplitMessage> {
  const m = decodeMessage(bytes);
  if (!m.ok) return m;
  const sk = m.value.encrypted;
  if (!sk) return fieldError('bad-type', 'the message has no SK payload');
  const ciphertextLength = sk.data.length - sizes.ivLength - sizes.icvLength;
  if (ciphertextLength < 1) {
    return fieldError('bad-length', `SK payload of ${sk.data.length} bytes holds no ciphertext besides a ${sizes.ivLength}-byte IV and ${sizes.icvLength}-byte ICV`);
  }
  if (ciphertextLength % sizes.blockSize !== 0) {
    return fieldError('bad-length', `SK ciphertext of ${ciphertextLength} bytes is not a multiple of the ${sizes.blockSize}-byte block`);
  }
  const layout = layoutFor(bytes.length - sk.data.length - GENERIC_HEADER_LEN, { ...sizes, ciphertextLength });
  return {
    ok: true,
    value: {
      message: m.value,
      firstInner: sk.firstInner,
      layout,
      iv: bytes.subarray(...layout.iv),
      ciphertext: bytes.subarray(...layout.ciphertext),
      icv: bytes.subarray(...layout.icv),
    },
  };
}

/** A laid-out encrypted message: its bytes and where the caller writes IV, ciphertext and ICV. */
export interface LaidOutMessage {
  readonly bytes: Uint8Array;
  readonly layout: SkLayout;
}

/**
 * Lay out an encrypted message: the header (its Length counting the ICV), the clear payloads
 * (usually none), the SK generic header naming `firstInner`, then zeroed room for the IV, the
 * ciphertext and the ICV. An AEAD needs the associated data before it can produce the
 * ciphertext; it has it here, since the header depends only on the lengths.
 */
export function layoutEncrypted(
  header: Ikev2Header,
  clear: readonly Ikev2Payload[],
  firstInner: number,
  sizes: { readonly ivLength: number; readonly ciphertextLength: number; readonly icvLength: number },
): LaidOutMessage {
  const contents = sizes.ivLength + sizes.ciphertextLength + sizes.icvLength;
  const chain = encodeChain(clear, { firstInner, data: new Uint8Array(contents) });
  const bytes = new Uint8Array(IKEV2_HEADER_LEN + chain.bytes.length);
  emitHeader(header, chain.first, bytes.length, bytes, 0);
  bytes.set(chain.bytes, IKEV2_HEADER_LEN);
  return { bytes, layout: layoutFor(bytes.length - contents - GENERIC_HEADER_LEN, sizes) };
}

/** Lay out an encrypted message with its IV and ciphertext written; the ICV room is zeros for the caller to fill. */
export function encodeEncrypted(
  header: Ikev2Header,
  clear: readonly Ikev2Payload[],
  firstInner: number,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  icvLength: number,
): LaidOutMessage {
  const out = layoutEncrypted(header, clear, firstInner, { ivLength: iv.length, ciphertextLength: ciphertext.length, icvLength });
  out.bytes.set(iv, out.layout.iv[0]);
  out.bytes.set(ciphertext, out.layout.ciphertext[0]);
  return out;
}

/** Plaintext for an SK payload: the inner payloads, zero padding, and the Pad Length byte. */
export interface InnerPlaintext {
  /** Type of the first inner payload (0 when there is none), for the SK generic header. */
  readonly firstInner: number;
  /** A multiple of the block size. */
  readonly plaintext: Uint8Array;
}

/** Encode the payloads that go inside an SK payload and pad them to `blockSize`. */
export function encodeInner(payloads: readonly Ikev2Payload[], blockSize: number): InnerPlaintext {
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > 256) throw new RangeError(`block size ${blockSize}`);
  const chain = encodeChain(payloads);
  const padLength = (blockSize - ((chain.bytes.length + 1) % blockSize)) % blockSize;
  const plaintext = new Uint8Array(chain.bytes.length + padLength + 1);
  plaintext.set(chain.bytes, 0);
  plaintext[plaintext.length - 1] = padLength;
  return { firstInner: chain.first, plaintext };
}

/** Decode decrypted SK contents: drop the padding its last byte counts, then decode the inner chain. */
export function decodeInner(firstInner: number, plaintext: Uint8Array): WireResult<Ikev2Payload[]> {
  if (plaintext.length < 1) return truncated('SK plaintext (Pad Length)', 1, 0);
  const padLength = plaintext[plaintext.length - 1]!;
  if (padLength + 1 > plaintext.length) {
    return fieldError('bad-length', `Pad Length ${padLength} reaches past the start of ${plaintext.length} decrypted bytes`);
  }
  const chain = decodeChain(firstInner, plaintext.subarray(0, plaintext.length - padLength - 1), false);
  return chain.ok ? { ok: true, value: chain.value.payloads } : chain;
}
