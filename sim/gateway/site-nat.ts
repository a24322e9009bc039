/**
 * The NAT in front of a site's VPN device (`device.nat` in a scenario), as the datagrams of
 * the IKE control plane and the ESP-in-UDP ports see it: the device's own address
 * (`privateIp`) is translated to the site's public one (`publicIp`, the gatewayIp Azure's
 * local network gateway holds), and each source port the device sends from to a public port.
 *
 * Owns the mappings and the translation of one datagram each way:
 * - a mapping is made when the device first sends from a port (an outbound packet creates
 *   it, as a NAT does) and lasts for the whole run: mapping timeouts are not modelled (the
 *   device's keepalives and ESP would hold it anyway);
 * - its public port is drawn from the seeded generator in the dynamic range 49152-65535
 *   (RFC 6335), one per private port and never two alike, so the NAT visibly changes both the
 *   address and the port (what NAT detection sees) and a scenario and seed give the same ports;
 * - inbound, a datagram to the public address is translated when a mapping holds its
 *   destination port, whoever sent it (endpoint-independent filtering, RFC 4787 §5); one with
 *   no mapping is refused (null), so the gateway cannot reach the device before the device
 *   has sent through the NAT.
 * Datagrams that neither come from the device nor go to the public address pass unchanged.
 * Also what the control plane asks of a NAT: a datagram's crossing (`crossNat`), the ports
 * of ESP in UDP as the Internet sees them (`espUdpPorts`), the device's keepalives
 * (`natKeepalives`). Pure: no Node, no clock.
 */
import type { IkeDatagram, IkeEndpoint, IkeTunnelConfig, UdpEncapsulation } from '../ike/endpoint.js';
import { Ikev2Endpoint } from '../ike/ikev2/endpoint.js';
import type { EspUdpPorts } from '../ipsec/sa.js';
import { Prng } from '../util/prng.js';

/** The dynamic port range the public ports come from (RFC 6335 §6). */
export const NAT_PORT_FIRST = 49152;
export const NAT_PORT_LAST = 65535;

/** What an inbound datagram became at the NAT: translated, or refused with the reason. */
export type NatInbound =
  | { readonly ok: true; readonly datagram: IkeDatagram }
  | { readonly ok: false; readonly problem: string };

export class SiteNat {
  /** Private port → public port. */
  private readonly outbound = new Map<number, number>();
  /** Public port → private port. */
  private readonly inbound = new Map<number, number>();
  private readonly prng: Prng;

  /** The NAT of one site: `privateIp` behind it, `publicIp` outside; ports from `seed` and the site's name. */
  constructor(readonly privateIp: number, readonly publicIp: number, seed: number, site: string) {
    this.prng = new Prng(seed, `nat/${site}`);
  }

  /** The public port of the device's private port `port` (made now when there is none). */
  publicPort(port: number): number {
    const known = this.outbound.get(port);
    if (known !== undefined) return known;
    let p = this.prng.range(NAT_PORT_FIRST, NAT_PORT_LAST);
    while (this.inbound.has(p)) p = p === NAT_PORT_LAST ? NAT_PORT_FIRST : p + 1;
    this.outbound.set(port, p);
    this.inbound.set(p, port);
    return p;
  }

  /** The public port already mapped to private port `port`, or null. */
  mappedPort(port: number): number | null {
    return this.outbound.get(port) ?? null;
  }

  /** Datagram `d` leaving towards the Internet: from the device, its source becomes public. */
  toInternet(d: IkeDatagram): IkeDatagram {
    if (d.src !== this.privateIp) return d;
    return { ...d, src: this.publicIp, sport: this.publicPort(d.sport) };
  }

  /** Datagram `d` arriving from the Internet: to the public address, its destination becomes the device's, or it is refused. */
  fromInternet(d: IkeDatagram): NatInbound {
    if (d.dst !== this.publicIp) return { ok: true, datagram: d };
    const port = this.inbound.get(d.dport);
    if (port === undefined) return { ok: false, problem: `the NAT at this address has no mapping for port ${d.dport} (the device has not sent from behind it to open one)` };
    return { ok: true, datagram: { ...d, dst: this.privateIp, dport: port } };
  }
}

/**
 * Datagram `d` crossing the Internet with `nat` in front of the device (null: none):
 * `internet`, as the capture shows it (after the NAT when the device sent it); `arrived`, as
 * the receiver gets it (through the NAT when it goes to the device), or null with the NAT's
 * `problem` when the NAT refuses it.
 */
export function crossNat(nat: SiteNat | null, d: IkeDatagram): { internet: IkeDatagram; arrived: IkeDatagram | null; problem: string | null } {
  if (!nat) return { internet: d, arrived: d, problem: null };
  const internet = nat.toInternet(d);
  const inbound = nat.fromInternet(internet);
  return inbound.ok ? { internet, arrived: inbound.datagram, problem: null } : { internet, arrived: null, problem: inbound.problem };
}

/**
 * The Internet ports of a child SA's ESP-in-UDP packets towards the side that installs it
 * (null: plain ESP): the sender's port then the receiver's. `nat`: the NAT in front of the
 * receiving side, whose own port is the NAT's mapped one outside (null: the receiver sees
 * the NAT's ports already, or there is none).
 */
export function espUdpPorts(nat: SiteNat | null, u: UdpEncapsulation | null): EspUdpPorts | null {
  if (u === null) return null;
  return { srcPort: u.remotePort, dstPort: nat ? nat.mappedPort(u.localPort) ?? u.localPort : u.localPort };
}

/** A NAT-T keepalive: one 0xff byte on the NAT-T port (RFC 3948 §2.3). */
const KEEPALIVE_PAYLOAD = Uint8Array.of(0xff);

/** The keepalives a device behind a NAT sends now: one per established IKEv2 SA that sees the NAT (IKEv1 sends its own). */
export function natKeepalives(endpoint: IkeEndpoint, config: IkeTunnelConfig): IkeDatagram[] {
  if (!(endpoint instanceof Ikev2Endpoint)) return [];
  return endpoint.ikeSas()
    .filter((sa) => sa.state === 'established' && sa.natHere)
    .map((sa) => ({ src: config.local, dst: sa.peerAddress, sport: sa.localPort, dport: sa.peerPort, payload: KEEPALIVE_PAYLOAD }));
}
