/**
 * An IKE datagram as the IPv4 packet that carries it, for a capture: what a packet capture
 * on the wire between the two IKE ends would hold.
 *
 * Owns the choices of that packet: a 20-byte IPv4 header without options, TTL 64, DF and MF
 * clear, TOS 0, the identification the caller gives (its low 16 bits, so a running count
 * wraps as a host's does), protocol UDP; a UDP header with the datagram's ports and the
 * checksum over the pseudo-header, always filled in. The UDP payload is the datagram's as
 * it is: on 4500 it already starts with the 4-byte non-ESP marker (RFC 3948 §2.2), which is
 * how Wireshark tells IKE from ESP there. The bytes are written by sim/wire's IPv4 and UDP
 * encoders. Refuses (RangeError: a caller's mistake, not input from outside) a payload that
 * no IPv4 packet can hold (over 65,507 bytes).
 */
import type { IkeDatagram } from './endpoint.js';
import * as ipv4 from '../wire/ipv4.js';
import { IPV4_MAX_TOTAL_LEN, IPV4_MIN_HEADER_LEN, IpProtocol } from '../wire/ipv4.js';
import * as udp from '../wire/udp.js';
import { UDP_HEADER_LEN } from '../wire/udp.js';

/** TTL of the packets: a host's default (Linux's net.ipv4.ip_default_ttl). */
export const IKE_PACKET_TTL = 64;

/** The largest UDP payload one IPv4 packet without options carries. */
export const IKE_DATAGRAM_MAX_PAYLOAD = IPV4_MAX_TOTAL_LEN - IPV4_MIN_HEADER_LEN - UDP_HEADER_LEN;

/** The IPv4/UDP packet carrying `d`, with IP identification `id` (taken modulo 65,536). */
export function ikeDatagramPacket(d: IkeDatagram, id: number): Uint8Array {
  if (d.payload.length > IKE_DATAGRAM_MAX_PAYLOAD) {
    throw new RangeError(`an IKE datagram of ${d.payload.length} bytes does not fit one IPv4 packet (at most ${IKE_DATAGRAM_MAX_PAYLOAD})`);
  }
  const u: udp.UdpRepr = { srcPort: d.sport, dstPort: d.dport, checksummed: true, payload: d.payload };
  const header = ipv4.ipv4Repr({
    src: d.src, dst: d.dst, protocol: IpProtocol.UDP, payloadLength: udp.bufferLen(u),
    identification: id & 0xffff, ttl: IKE_PACKET_TTL, dontFragment: false,
  });
  const out = new Uint8Array(ipv4.bufferLen(header));
  udp.emit(u, out, ipv4.emit(header, out, 0), d.src, d.dst);
  return out;
}
