/**
 * NAT detection in IKE_SA_INIT (RFC 7296 §2.23): the NAT_DETECTION_SOURCE_IP and
 * NAT_DETECTION_DESTINATION_IP notifies and what they reveal.
 *
 * Owns the hash, SHA-1(SPIi ‖ SPIr ‖ IPv4 address ‖ port), both 8-byte SPIs as the header
 * carries them (SPIr zero in the request), the address and port in network order; the two
 * notifies a sender adds for the addresses and ports it sends from and to; and the reading
 * of a peer's notifies against the datagram as it arrived: no destination hash matching the
 * address and port it reached us on means a NAT in front of us, no source hash matching where
 * it came from means one in front of the peer (strongSwan's `ike_natd.c`). A message with
 * neither notify says nothing (`null`): the peer does not do NAT traversal. Moving to port
 * 4500 and sending keepalives are the endpoint's and the host's jobs, not this file's.
 */
import type { CryptoBackend } from '../../ipsec/crypto.js';
import { concatBytes } from '../../wire/bytes.js';
import { notifyPayload, type Ikev2Payload, type NotifyPayload } from '../../wire/ikev2-payloads.js';
import { NotifyType } from '../../wire/ikev2-numbers.js';

/** SHA-1(SPIi ‖ SPIr ‖ address ‖ port) (RFC 7296 §2.23). */
export function natDetectionHash(be: CryptoBackend, spiI: Uint8Array, spiR: Uint8Array, address: number, port: number): Uint8Array {
  const where = Uint8Array.of(address >>> 24, (address >>> 16) & 0xff, (address >>> 8) & 0xff, address & 0xff, (port >>> 8) & 0xff, port & 0xff);
  return be.digest('sha1', concatBytes([spiI, spiR, where]));
}

/** The two notifies for a message sent from `src:sport` to `dst:dport`. */
export function natDetectionNotifies(be: CryptoBackend, spiI: Uint8Array, spiR: Uint8Array, src: number, sport: number, dst: number, dport: number): NotifyPayload[] {
  return [
    notifyPayload(NotifyType.NAT_DETECTION_SOURCE_IP, natDetectionHash(be, spiI, spiR, src, sport)),
    notifyPayload(NotifyType.NAT_DETECTION_DESTINATION_IP, natDetectionHash(be, spiI, spiR, dst, dport)),
  ];
}

/** What a peer's NAT detection notifies say about the path. */
export interface NatFindings {
  /** Our address or port was rewritten on the way: a NAT in front of us. */
  readonly natHere: boolean;
  /** The peer's address or port was rewritten: a NAT in front of the peer. */
  readonly natThere: boolean;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Read the notifies of a message that arrived from `src:sport` at `dst:dport` (as received),
 * with the IKE SA's SPIs as that message's header carries them; null when it has none of them.
 */
export function readNatDetection(be: CryptoBackend, payloads: readonly Ikev2Payload[], spiI: Uint8Array, spiR: Uint8Array, src: number, sport: number, dst: number, dport: number): NatFindings | null {
  const notifies = payloads.filter((p): p is NotifyPayload => p.kind === 'Notify');
  const sources = notifies.filter((n) => n.notifyType === NotifyType.NAT_DETECTION_SOURCE_IP);
  const destinations = notifies.filter((n) => n.notifyType === NotifyType.NAT_DETECTION_DESTINATION_IP);
  if (sources.length === 0 || destinations.length === 0) return null;
  const fromHash = natDetectionHash(be, spiI, spiR, src, sport);
  const toHash = natDetectionHash(be, spiI, spiR, dst, dport);
  return {
    natHere: !destinations.some((n) => equal(n.data, toHash)),
    natThere: !sources.some((n) => equal(n.data, fromHash)),
  };
}
