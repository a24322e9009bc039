/**
 * The ESP transform in tunnel mode (RFC 4303, RFC 4301 §5.1.2): an inner IPv4 packet in,
 * a complete outer IPv4 packet out, and back.
 *
 * Owns the packet layout and the order of checks:
 *
 *   outer IPv4 (proto 50) | SPI | seq | IV | E( inner | pad 1,2,3.. | pad len | next hdr 4 ) | ICV
 *
 * and, for an SA that IKE set up as ESP in UDP (after NAT detection saw a NAT; RFC 3948
 * §2.1), the same ESP packet after a UDP header with the SA's ports and a zero checksum:
 *
 *   outer IPv4 (proto 17) | UDP sport dport len 0 | SPI | seq | IV | ... | ICV
 *
 * Inbound, the UDP header is checked and skipped; a UDP payload that is not ESP (the zero
 * non-ESP marker of IKE, a one-byte NAT-T keepalive) is 'malformed' here, since it is IKE's,
 * and the encapsulation must be the SA's: ESP in UDP for an SA without it, or plain ESP for
 * an SA with it, is dropped ('malformed'), as Linux does (XfrmInStateMismatch).
 *
 * Padding aligns the encrypted part to the cipher block size, and to 4 bytes for NULL and
 * GCM (RFC 4303 §2.4). CBC: the ICV is HMAC-96 over SPI..ciphertext (encrypt-then-MAC).
 * GCM (RFC 4106): nonce = 4-byte salt ‖ 8-byte explicit IV, AAD = SPI ‖ seq, 16-byte tag.
 *
 * CBC IVs (RFC 3602 §3: random and unpredictable; RFC 4303 §3.3.2 leaves the method to the
 * implementation): the SA keeps one CBC chain across its packets. For each packet a fresh
 * block R from the SA's seeded IV source is CBC-encrypted as the first block of the
 * packet's stretch of the chain, and its output is the IV on the wire:
 *   IV_n = E_K(R_n ⊕ C_last(n-1)),  then  C_1 = E_K(P_1 ⊕ IV_n), ...
 * This is NIST SP 800-38A Appendix C's first method (the IV is the forward cipher, under
 * the same key, of a nonce) with the previous ciphertext block mixed in. It stays
 * unpredictable to an attacker who has seen every earlier packet: IV_n is a block-cipher
 * output on an input that includes 128 fresh random bits the attacker never sees, so it
 * is unknown until packet n is on the wire. That is what separates it from the
 * predictable "IV = last ciphertext block" chaining of SSL 3.0/TLS 1.0 (the BEAST attack,
 * and RFC 4303's own warning). Because IV ‖ ciphertext is exactly the chain's output for
 * R ‖ plaintext, one long-lived cipher context per SA produces a packet with a single
 * update call; a receiver needs nothing special (the IV is in the packet, as always).
 *
 * Inbound order follows RFC 4303 §3.4 and strongSwan: outer header and lengths, SA by
 * (SPI, destination), replay check, ICV, then the replay window is updated, then decrypt
 * and trailer checks. Every failure is a drop reason, never an exception:
 * 'malformed' (not IPv4/ESP, truncated, misaligned, bad padding or next header),
 * 'unknown-spi', 'replay', 'icv-mismatch'. Outbound refuses to wrap the 32-bit sequence
 * counter ('seq-overflow': the SA must be rekeyed, RFC 4303 §3.3.3) and packets that would
 * exceed 65535 bytes ('too-big'). Extended sequence numbers are not modelled.
 *
 * A backend that offers an `EspFramer` (the native addon) gets the layout work too: this
 * module still keeps the SA's state (sequence numbers, IV source, replay window, counters)
 * and the order of checks and their messages, and the framer writes or reads one packet
 * in one call. The framing below stays the reference it is tested against (same bytes,
 * same verdicts).
 */
import { ESP_HEADER_LEN, ESP_MIN_SPI, spiText, emit as emitEspHeader, parse as parseEspHeader, readSeq, readSpi } from '../wire/esp.js';
import {
  IPV4_MAX_TOTAL_LEN, IpProtocol, check as checkIpv4, emitPlain as emitIpv4, readDst, readHeaderLength, readIsFragment, readPayloadLength, readProtocol,
} from '../wire/ipv4.js';
import { UDP_HEADER_LEN, emitHeader as emitUdpHeader, readLength as readUdpLength } from '../wire/udp.js';
import { bytesEqual, GCM_NONCE_LEN, type CryptoBackend } from './crypto.js';
import type { SecurityAssociation } from './sa.js';
import type { Sad } from './sad.js';
import { alignUp } from './transforms.js';
import type { CbcCipherName, GcmCipherName } from './transforms.js';

/** Next header value of a tunnel-mode payload: IPv4 in IPv4 (IP protocol 4). */
export const NEXT_HEADER_IPV4 = IpProtocol.IPIP;
/** Next header 59 ("no next header"): a dummy packet (RFC 4303 §2.6), dropped silently. */
export const NEXT_HEADER_NONE = 59;
/** Outer header length (no options). */
const OUTER_HDR = 20;
/** Where the IV starts: after the outer header and SPI ‖ seq. */
const IV_START = OUTER_HDR + ESP_HEADER_LEN;

/** Why an inbound ESP packet was dropped. */
export const ESP_DROP_REASONS = ['malformed', 'unknown-spi', 'replay', 'icv-mismatch'] as const;
/** An inbound drop reason. */
export type EspDropReason = (typeof ESP_DROP_REASONS)[number];

/** Why an outbound packet could not be encapsulated. */
export type EspEncapError = 'seq-overflow' | 'too-big';

/** Declared descriptions of the ESP outcomes (for counters and help text). */
export const ESP_OUTCOMES: { readonly [K in EspDropReason | EspEncapError]: string } = {
  malformed: 'ESP packet could not be decoded: truncated, misaligned, bad padding or next header, or not ESP over IPv4',
  'unknown-spi': 'no inbound SA for this SPI and destination',
  replay: 'sequence number already seen or left of the anti-replay window',
  'icv-mismatch': 'integrity check value did not verify (tampered, or wrong key)',
  'seq-overflow': 'the SA sent 2^32-1 packets; it must be rekeyed before sending more',
  'too-big': 'the ESP packet would exceed the 65535-byte IPv4 limit',
};

/** Options for the outer header. */
export interface EncapOptions {
  /** Outer TTL (default 64). */
  readonly ttl?: number;
  /** Outer identification (default: low 16 bits of the sequence number). */
  readonly identification?: number;
  /** DF handling, RFC 4301 §8.1: copy the inner DF (default), or always set/clear. */
  readonly df?: 'copy' | 'set' | 'clear';
  /**
   * Write the packet at the start of this buffer (a per-batch arena) when it is big
   * enough; the result is then a view on it. Default: a new array per packet.
   */
  readonly into?: Uint8Array;
  /**
   * Let the backend's framer queue the encryption and ICV (`EspFramer.sealQueued`): the
   * caller calls `crypto.flushSeals` before anything reads the packet past its outer
   * header, and keeps the packet's array alive until then.
   */
  readonly queue?: boolean;
}

/** Options of decapsulation. */
export interface DecapOptions {
  /**
   * Write the plaintext into this buffer (a reused scratch) when it is big enough; the
   * inner packet is then a view on it, valid until the buffer is reused. Default: fresh
   * memory per packet.
   */
  readonly into?: Uint8Array;
}

/** Result of encapsulation. */
export type EncapResult =
  | { readonly ok: true; readonly packet: Uint8Array; readonly seq: number; readonly overhead: number }
  | { readonly ok: false; readonly error: EspEncapError; readonly message: string };

/** Result of decapsulation. */
export type DecapResult =
  | { readonly ok: true; readonly inner: Uint8Array; readonly saIndex: number; readonly spi: number; readonly seq: number }
  | {
      readonly ok: false;
      readonly drop: EspDropReason;
      /** Index of the SA when one was found, else -1. */
      readonly saIndex: number;
      readonly spi: number;
      readonly seq: number;
      readonly message: string;
    };

const NONCE = new Uint8Array(GCM_NONCE_LEN);

/** salt ‖ explicit IV (`ivLength` bytes at `bytes[ivStart]`) in a shared scratch array (backends copy the nonce when they start). */
function gcmNonce(sa: SecurityAssociation, bytes: Uint8Array, ivStart: number): Uint8Array {
  const salt = sa.gcmSalt;
  for (let i = 0; i < salt.length; i++) NONCE[i] = salt[i]!;
  for (let i = salt.length; i < GCM_NONCE_LEN; i++) NONCE[i] = bytes[ivStart + i - salt.length]!;
  return NONCE;
}

/**
 * Encapsulate `inner` (a complete IPv4 packet) for the outbound SA `sa`: returns the outer
 * packet bytes. Takes the next sequence number and the next IV from the SA and counts the
 * packet in the SA's out counters.
 */
export function espEncapsulate(sa: SecurityAssociation, inner: Uint8Array, crypto: CryptoBackend, opts: EncapOptions = {}): EncapResult {
  if (sa.seqOut >= 0xffffffff) {
    return { ok: false, error: 'seq-overflow', message: `SA ${sa.name} used all 2^32-1 sequence numbers; rekey required` };
  }
  const t = sa.transform;
  const enc = t.encryption;
  const plainLen = alignUp(inner.length + 2, enc.padAlign);
  const espLen = ESP_HEADER_LEN + enc.ivLength + plainLen + t.icvLength;
  // ESP in UDP: the packet is framed `udp` bytes in, then its outer header moves to the front (udpWrap).
  const udp = sa.udpHeaderLen;
  const total = OUTER_HDR + udp + espLen;
  if (total > IPV4_MAX_TOTAL_LEN) {
    return { ok: false, error: 'too-big', message: `ESP packet would be ${total} bytes (limit ${IPV4_MAX_TOTAL_LEN})` };
  }
  const seq = sa.seqOut + 1;
  sa.seqOut = seq;

  const out = opts.into && opts.into.length >= total ? opts.into.subarray(0, total) : new Uint8Array(total);
  // The IV comes from the SA's source whoever frames the packet.
  if (enc.ivLength > 0) sa.ivSource.next(out, udp + IV_START, enc.ivLength);
  if (sa.contextBackend !== crypto.name) bindContexts(sa, crypto);
  if (sa.framer !== null) {
    // The same packet, framed where the crypto runs (one call).
    const df = opts.df === 'set' ? 1 : opts.df === 'clear' ? 2 : 0;
    const hdr = (((opts.identification ?? seq) & 0xffff) << 16 | ((opts.ttl ?? 64) & 0xff) << 8 | df) >>> 0;
    if (opts.queue === true) sa.framer.sealQueued(inner, out, udp, seq, hdr);
    else sa.framer.seal(inner, out, udp, seq, hdr);
  } else {
    frame(sa, inner, udp === 0 ? out : out.subarray(udp), crypto, opts, seq, plainLen);
  }
  if (udp !== 0) udpWrap(sa, out);
  sa.packetsOut++;
  sa.bytesOut += inner.length;
  return { ok: true, packet: out, seq, overhead: total - inner.length };
}

/**
 * The reference framing of `espEncapsulate` (the ESP packet of `inner` in `out`, whose IV
 * is already written), on the backend's primitives: what a framer must equal.
 */
function frame(sa: SecurityAssociation, inner: Uint8Array, out: Uint8Array, crypto: CryptoBackend, opts: EncapOptions, seq: number, plainLen: number): void {
  const t = sa.transform;
  const enc = t.encryption;
  // Outer header: TOS copied from the inner packet (RFC 4301 §5.1.2.1), DF per policy.
  const innerTos = inner.length >= 2 ? inner[1]! : 0;
  const innerDf = inner.length >= 7 ? (inner[6]! & 0x40) !== 0 : false;
  const df = opts.df === 'set' ? true : opts.df === 'clear' ? false : innerDf;
  emitIpv4(out, 0, innerTos, opts.identification ?? seq & 0xffff, df, opts.ttl ?? 64, IpProtocol.ESP, sa.src, sa.dst, out.length - OUTER_HDR);

  const espStart = OUTER_HDR;
  emitEspHeader({ spi: sa.spi, seq }, out, espStart);

  // Plaintext: inner | 1,2,3,... | pad length | next header.
  const ivStart = IV_START;
  const ctStart = ivStart + enc.ivLength;
  const padLen = plainLen - inner.length - 2;
  out.set(inner, ctStart);
  const padStart = ctStart + inner.length;
  for (let i = 0; i < padLen; i++) out[padStart + i] = i + 1;
  out[ctStart + plainLen - 2] = padLen;
  out[ctStart + plainLen - 1] = NEXT_HEADER_IPV4;

  const icvStart = ctStart + plainLen;
  if (enc.mode === 'gcm') {
    // Ciphertext then tag: exactly [ctStart, icvStart + 16), over the plaintext.
    const nonce = gcmNonce(sa, out, ivStart);
    const aad = out.subarray(espStart, espStart + ESP_HEADER_LEN);
    const plain = out.subarray(ctStart, icvStart);
    if (crypto.gcmSealInto) crypto.gcmSealInto(enc.cipher as GcmCipherName, sa.gcmKey, nonce, aad, plain, out, ctStart);
    else out.set(crypto.gcmSeal(enc.cipher as GcmCipherName, sa.gcmKey, nonce, aad, plain), ctStart);
    return;
  }
  if (enc.mode === 'cbc') {
    // R ‖ plaintext through the SA's chain gives IV ‖ ciphertext (see the module comment).
    if (sa.encStream) sa.encStream.updateInto(out, ivStart, icvStart, out, ivStart);
    else out.set(crypto.cbcEncrypt(enc.cipher as CbcCipherName, sa.encKey, sa.cbcChain, out.subarray(ivStart, icvStart)), ivStart);
    const chain = sa.cbcChain;
    for (let k = 0, from = icvStart - enc.blockSize; k < chain.length; k++) chain[k] = out[from + k]!;
  }
  const hash = t.integrity.hash;
  if (hash) out.set(crypto.hmac96(hash, sa.authKey, out.subarray(espStart, icvStart)), icvStart);
}

/**
 * ESP in UDP (RFC 3948 §2.1): `out` holds a plain ESP packet framed UDP_HEADER_LEN bytes in
 * (its outer header at out[8, 28)); the same header, now for protocol UDP and the whole
 * length, goes to the front and the UDP header with the SA's ports and a zero checksum
 * between it and the ESP header, which stays where it is.
 */
function udpWrap(sa: SecurityAssociation, out: Uint8Array): void {
  const h = UDP_HEADER_LEN;
  emitIpv4(
    out, 0, out[h + 1]!, (out[h + 4]! << 8) | out[h + 5]!, (out[h + 6]! & 0x40) !== 0, out[h + 8]!,
    IpProtocol.UDP, sa.src, sa.dst, out.length - OUTER_HDR,
  );
  emitUdpHeader({ srcPort: sa.udpSrcPort, dstPort: sa.udpDstPort }, out.length - OUTER_HDR - h, out, OUTER_HDR);
}

/**
 * Bind the SA to `crypto`: its framer when the backend has one, else long-lived CBC
 * contexts continuing the SA's chain when it offers them. Called when the SA first meets
 * a backend, and again if a later packet uses another one.
 */
function bindContexts(sa: SecurityAssociation, crypto: CryptoBackend): void {
  const enc = sa.transform.encryption;
  // A framer keeps the CBC chain itself: the next backend continues from its last block.
  if (sa.framer !== null) sa.framer.saveChain(sa.cbcChain);
  sa.framer = crypto.espFramer ? crypto.espFramer(sa) : null;
  const cbc = sa.framer === null && enc.mode === 'cbc' && crypto.cbcStream ? crypto.cbcStream.bind(crypto) : null;
  sa.encStream = cbc ? cbc(enc.cipher as CbcCipherName, sa.encKey, sa.cbcChain, false) : null;
  // The decrypting context's starting block only affects output that is discarded.
  sa.decStream = cbc ? cbc(enc.cipher as CbcCipherName, sa.encKey, sa.cbcChain, true) : null;
  sa.contextBackend = crypto.name;
}

/** The ESP header parser's message for a header it refuses (the slow path of a drop). */
function parseEspHeaderError(esp: Uint8Array): string {
  const h = parseEspHeader(esp);
  return h.ok ? 'unexpected header' : h.error.message;
}

/** The drop message of an ICV that did not verify. */
function icvFailure(t: SecurityAssociation['transform']): string {
  return t.encryption.mode === 'gcm' ? 'GCM tag did not verify' : `${t.integrity.label} ICV did not verify`;
}

/**
 * What is wrong with the trailer of the plaintext `buf[p0, pEnd)` (pad length and next
 * header are its last two bytes, padding before them), or null.
 */
function trailerProblem(buf: Uint8Array, p0: number, pEnd: number): string | null {
  const padLen = buf[pEnd - 2]!;
  const nextHeader = buf[pEnd - 1]!;
  if (padLen + 2 > pEnd - p0) return `pad length ${padLen} exceeds the payload`;
  const padStart = pEnd - 2 - padLen;
  for (let i = 0; i < padLen; i++) {
    // RFC 4303 §2.4: default padding is 1, 2, 3, ...; the receiver may check it.
    if (buf[padStart + i] !== i + 1) return `padding byte ${i} is ${buf[padStart + i]}, expected ${i + 1}`;
  }
  if (nextHeader !== NEXT_HEADER_IPV4) {
    return nextHeader === NEXT_HEADER_NONE ? 'dummy packet (next header 59)' : `next header ${nextHeader} is not IPv4 (4) in tunnel mode`;
  }
  return null;
}

/**
 * Why the UDP datagram after the outer header (`b[e0, e0 + len)`) holds no ESP packet, or
 * null: too short for a UDP header, a length field that is not the datagram's, or a payload
 * that RFC 3948 §2.2 gives to IKE (the zero non-ESP marker) or is a NAT-T keepalive (§2.3).
 */
function udpPayloadProblem(b: Uint8Array, e0: number, len: number): string | null {
  if (len < UDP_HEADER_LEN) return `UDP header: ${len} bytes, needs ${UDP_HEADER_LEN}`;
  const udpLen = readUdpLength(b, e0);
  if (udpLen !== len) return `UDP length ${udpLen} is not the datagram's ${len} bytes`;
  const p = e0 + UDP_HEADER_LEN;
  const payload = len - UDP_HEADER_LEN;
  if (payload === 1 && b[p] === 0xff) return 'a NAT-T keepalive (one 0xff byte), not ESP';
  if (payload >= 4 && b[p] === 0 && b[p + 1] === 0 && b[p + 2] === 0 && b[p + 3] === 0) return 'the zero non-ESP marker: IKE, not ESP';
  return null;
}

function drop(drop: EspDropReason, saIndex: number, spi: number, seq: number, message: string): DecapResult {
  return { ok: false, drop, saIndex, spi, seq, message };
}

/**
 * Decapsulate an outer IPv4 ESP packet: find the SA in `sad` by (SPI, outer destination),
 * check replay, verify the ICV, update the window, decrypt and strip the trailer. Returns
 * the inner packet (fresh memory, or a view on `opts.into`) and the SA index, or a drop
 * reason. Never throws on bytes.
 */
export function espDecapsulate(sad: Sad, outerBytes: Uint8Array, crypto: CryptoBackend, opts: DecapOptions = {}): DecapResult {
  // Checked in place and read by offset, not parsed into objects or views: the data path
  // allocates only its result.
  const b = outerBytes;
  const bad = checkIpv4(b);
  if (bad) return drop('malformed', -1, 0, 0, `outer IPv4: ${bad.error.message}`);
  const proto = readProtocol(b);
  let e0 = readHeaderLength(b);
  let espLen = readPayloadLength(b);
  // ESP in UDP: the ESP packet is the UDP payload (udp: the header's length; 0 for plain ESP).
  let udp = 0;
  if (proto !== IpProtocol.ESP) {
    if (proto !== IpProtocol.UDP) return drop('malformed', -1, 0, 0, `outer protocol ${proto} is neither ESP (50) nor UDP (17: ESP in UDP)`);
    const problem = udpPayloadProblem(b, e0, espLen);
    if (problem !== null) return drop('malformed', -1, 0, 0, problem);
    udp = UDP_HEADER_LEN;
    e0 += udp;
    espLen -= udp;
  }
  if (readIsFragment(b)) return drop('malformed', -1, 0, 0, 'outer packet is a fragment (reassemble before ESP)');
  // The ESP header parser says why it refuses a header (short, reserved SPI); read in place otherwise.
  const spi = espLen >= ESP_HEADER_LEN ? readSpi(b, e0) : 0;
  if (spi < ESP_MIN_SPI) return drop('malformed', -1, 0, 0, `ESP header: ${parseEspHeaderError(b.subarray(e0, e0 + espLen))}`);
  const seq = readSeq(b, e0);

  const saIndex = sad.lookup(spi, readDst(b));
  if (saIndex < 0) return drop('unknown-spi', -1, spi, seq, `no inbound SA for SPI ${spiText(spi)}`);
  const sa = sad.get(saIndex);
  if (sa.udpHeaderLen !== udp) {
    return drop('malformed', saIndex, spi, seq, udp !== 0 ? `ESP in UDP for SA ${sa.name}, which IKE set up as plain ESP` : `plain ESP for SA ${sa.name}, which IKE set up as ESP in UDP (RFC 3948)`);
  }
  const t = sa.transform;
  const enc = t.encryption;

  const ctLen = espLen - ESP_HEADER_LEN - enc.ivLength - t.icvLength;
  if (ctLen < enc.padAlign || ctLen % enc.padAlign !== 0) {
    return drop('malformed', saIndex, spi, seq, `ESP payload of ${ctLen} bytes is not a positive multiple of ${enc.padAlign}`);
  }
  // Replay check before the (expensive) ICV; the window moves only after it verifies.
  if (!sa.replay.check(seq)) return drop('replay', saIndex, spi, seq, `sequence ${seq} replayed or left of the window (top ${sa.replay.top})`);

  const ivStart = e0 + ESP_HEADER_LEN;
  const ctStart = ivStart + enc.ivLength;
  const icvStart = ctStart + ctLen;
  // The plaintext is plainBuf[p0, p0 + ctLen): in `into` when it has room, else fresh memory.
  const into = opts.into && opts.into.length >= ctLen + enc.ivLength ? opts.into : null;
  if (sa.contextBackend !== crypto.name) bindContexts(sa, crypto);
  const framer = sa.framer;
  if (framer !== null) {
    // ICV, decryption and trailer in one call (CBC: the first block out is the IV's, discarded).
    const f0 = enc.mode === 'cbc' ? enc.ivLength : 0;
    const fBuf = into ?? new Uint8Array(f0 + ctLen);
    const n = framer.open(b, e0, icvStart + t.icvLength, fBuf, 0);
    if (n === -1) return drop('icv-mismatch', saIndex, spi, seq, icvFailure(t));
    sa.replay.update(seq);
    if (n < 0) return drop('malformed', saIndex, spi, seq, trailerProblem(fBuf, f0, f0 + ctLen) ?? 'bad trailer');
    sa.packetsIn++;
    sa.bytesIn += n;
    return { ok: true, inner: fBuf.subarray(f0, f0 + n), saIndex, spi, seq };
  }
  let plainBuf: Uint8Array;
  let p0 = 0;
  if (enc.mode === 'gcm') {
    const opened = crypto.gcmOpen(enc.cipher as GcmCipherName, sa.gcmKey, gcmNonce(sa, b, ivStart), b.subarray(e0, e0 + ESP_HEADER_LEN), b.subarray(ctStart, icvStart), b.subarray(icvStart, icvStart + t.icvLength));
    if (!opened) return drop('icv-mismatch', saIndex, spi, seq, icvFailure(t));
    plainBuf = opened;
  } else {
    const hash = t.integrity.hash;
    const authentic = hash ? bytesEqual(crypto.hmac96(hash, sa.authKey, b.subarray(e0, icvStart)), b.subarray(icvStart, icvStart + t.icvLength)) : true;
    if (!authentic) return drop('icv-mismatch', saIndex, spi, seq, icvFailure(t));
    if (enc.mode !== 'cbc') {
      plainBuf = into ?? new Uint8Array(ctLen);
      plainBuf.set(b.subarray(ctStart, icvStart), 0);
    } else if (sa.decStream) {
      // A long-lived context decrypting IV ‖ ciphertext: the first output block is D(IV) ⊕
      // whatever the context held (discarded); every later block chains from the packet's own IV.
      plainBuf = into ?? new Uint8Array(icvStart - ivStart);
      sa.decStream.updateInto(b, ivStart, icvStart, plainBuf, 0);
      p0 = enc.ivLength;
    } else {
      plainBuf = crypto.cbcDecrypt(enc.cipher as CbcCipherName, sa.encKey, b.subarray(ivStart, ctStart), b.subarray(ctStart, icvStart));
    }
  }
  // Authentic: the window moves even if the trailer turns out malformed (the sender sent it).
  sa.replay.update(seq);

  const pEnd = p0 + ctLen;
  const problem = trailerProblem(plainBuf, p0, pEnd);
  if (problem !== null) return drop('malformed', saIndex, spi, seq, problem);
  const innerEnd = pEnd - 2 - plainBuf[pEnd - 2]!;
  const inner = plainBuf.subarray(p0, innerEnd);
  sa.packetsIn++;
  sa.bytesIn += inner.length;
  return { ok: true, inner, saIndex, spi, seq };
}
