/**
 * IKEv1 NAT traversal (RFC 3947, RFC 3948 §2.2): the vendor ID that says a side speaks it,
 * the NAT-D hashes of Main Mode messages 3 and 4, what they tell about NATs on the path,
 * and the 4-byte non-ESP marker of IKE on UDP 4500.
 *
 * Owns: NAT-D = HASH(CKY-I ‖ CKY-R ‖ IP ‖ port) with the negotiated hash (RFC 3947 §3.2,
 * strongSwan `isakmp_natd.c` generate_natd_hash), the order of the two payloads (destination
 * first, then source, as strongSwan sends them), reading them the way strongSwan does (the
 * first NAT-D is the destination, any later one a source), and splitting a UDP 4500 payload
 * into IKE (marker then an ISAKMP message), a NAT-T keepalive (one 0xff byte, RFC 3948 §2.3)
 * or ESP (a non-zero SPI where the marker would be). Refuses nothing: a datagram that is none
 * of these is `other`, for the caller to report. The draft NAT-T versions (payload 130,
 * encapsulation 61443) are not sent; only RFC 3947 is spoken.
 */
import type { CryptoBackend, HashName } from '../../ipsec/crypto.js';
import { concatBytes, u32be } from '../../wire/bytes.js';
import { vendorIdBytes } from '../../wire/isakmp-vendor.js';

/** The RFC 3947 vendor ID (MD5 of "RFC 3947"). */
export const NATT_VENDOR_NAME = 'NAT-T (RFC 3947)';

/** The bytes of the RFC 3947 vendor ID. */
export function nattVendorId(): Uint8Array {
  const v = vendorIdBytes(NATT_VENDOR_NAME);
  if (!v) throw new RangeError('the vendor table lost the RFC 3947 vendor ID');
  return v;
}

/** Seconds between NAT-T keepalives from the side behind a NAT (strongSwan's `keep_alive` default). */
export const NATT_KEEPALIVE_INTERVAL = 20;

/** Length of the non-ESP marker in front of IKE on UDP 4500 (RFC 3948 §2.2). */
export const NON_ESP_MARKER_LEN = 4;

/** NAT-D hash of one address and port (RFC 3947 §3.2). */
export function natdHash(be: CryptoBackend, hash: HashName, cookieI: Uint8Array, cookieR: Uint8Array, addr: number, port: number): Uint8Array {
  return be.digest(hash, concatBytes([cookieI, cookieR, u32be(addr), Uint8Array.of(port >>> 8, port & 0xff)]));
}

/** Where a side is, as a NAT-D hash names it. */
export interface NatEndpoint {
  readonly addr: number;
  readonly port: number;
}

/** The two NAT-D hashes a sender puts in MM3/MM4: the destination's first, then its own. */
export function natdPayloadHashes(be: CryptoBackend, hash: HashName, cookieI: Uint8Array, cookieR: Uint8Array, from: NatEndpoint, to: NatEndpoint): Uint8Array[] {
  return [natdHash(be, hash, cookieI, cookieR, to.addr, to.port), natdHash(be, hash, cookieI, cookieR, from.addr, from.port)];
}

/** What the NAT-D payloads of a received message say. */
export interface NatDetection {
  /** There is a NAT in front of this side: the peer saw another address or port than ours. */
  readonly natHere: boolean;
  /** There is a NAT in front of the peer (or it fakes one to force UDP encapsulation, as charon with kernel-libipsec does). */
  readonly natThere: boolean;
}

/**
 * Compare received NAT-D hashes (in order) with the addresses the datagram carried:
 * the first must be the hash of where it arrived (`me`), one of the others the hash of
 * where it came from (`peer`). Null when there were not at least two (no detection).
 */
export function detectNat(be: CryptoBackend, hash: HashName, cookieI: Uint8Array, cookieR: Uint8Array, received: readonly Uint8Array[], me: NatEndpoint, peer: NatEndpoint): NatDetection | null {
  if (received.length < 2) return null;
  const dst = natdHash(be, hash, cookieI, cookieR, me.addr, me.port);
  const src = natdHash(be, hash, cookieI, cookieR, peer.addr, peer.port);
  const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  return { natHere: !same(received[0]!, dst), natThere: !received.slice(1).some((h) => same(h, src)) };
}

/** What a UDP payload on the NAT-T port holds. */
export type NattPayload =
  | { readonly kind: 'ike'; readonly message: Uint8Array }
  | { readonly kind: 'keepalive' }
  | { readonly kind: 'esp' }
  | { readonly kind: 'other'; readonly why: string };

/** Split a UDP 4500 payload (RFC 3948 §2.2-2.3). `message` is a view after the marker. */
export function splitNattPayload(payload: Uint8Array): NattPayload {
  if (payload.length === 1 && payload[0] === 0xff) return { kind: 'keepalive' };
  if (payload.length < NON_ESP_MARKER_LEN) return { kind: 'other', why: `a ${payload.length}-byte UDP payload on the NAT-T port is neither IKE nor ESP` };
  const marker = payload[0]! | payload[1]! | payload[2]! | payload[3]!;
  return marker === 0 ? { kind: 'ike', message: payload.subarray(NON_ESP_MARKER_LEN) } : { kind: 'esp' };
}

/** `message` behind the non-ESP marker, in a new array. */
export function withNonEspMarker(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(NON_ESP_MARKER_LEN + message.length);
  out.set(message, NON_ESP_MARKER_LEN);
  return out;
}
