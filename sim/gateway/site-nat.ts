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
 * Pure: no Node, no clock.
 */
import type { IkeDatagram } from '../ike/endpoint.js';
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
