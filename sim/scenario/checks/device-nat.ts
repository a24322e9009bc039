/**
 * A site device behind a NAT (`device.nat`):
 * - NON_UNICAST_ADDRESS (error): a `privateIp` where no unicast host can be (0.0.0.0/8,
 *   loopback, link-local, multicast, 240/4, broadcast): the device could neither send nor
 *   receive from it. Any unicast address is accepted, private or not (a carrier-grade NAT
 *   hands out 100.64.0.0/10; some NATs translate public space).
 * - DEVICE_BEHIND_NAT (warning), on every site with an IPsec connection whose device has a
 *   NAT: Azure's 2016 documents asked for a device address that "cannot be located behind a
 *   NAT" (articles/vpn-gateway/vpn-gateway-site-to-site-create.md, ms.date 10/14/2016,
 *   "Before you begin"), for both VPN types. vgwsim negotiates NAT traversal as strongSwan does
 *   (NAT detection, IKE and ESP on UDP 4500, keepalives), and only the device can start a
 *   negotiation through its NAT; a device that does not initiate (`ike.initiate: false`)
 *   therefore never gets a tunnel, which the warning says. That privateIp differs from
 *   gatewayIp is a SCHEMA rule of the site (schema/declarations.ts).
 */
import { nonUnicastBlocksOverlapping } from '../../net/special-purpose.js';
import type { Report } from '../diagnostics.js';
import { q } from '../message-text.js';
import type { RuleGroup } from './context.js';

/** Where Azure's 2016 documents say a device must not be behind a NAT. */
export const NAT_SOURCE = 'articles/vpn-gateway/vpn-gateway-site-to-site-create.md, ms.date 10/14/2016';

function checkDeviceNat(r: Report): void {
  const s = r.s;
  const tunnelSites = new Set(s.connections.filter((c) => c.type === 'IPsec' && c.site !== undefined).map((c) => c.site as string));
  for (const site of s.sites) {
    const nat = site.device?.nat;
    if (!site.device || !nat) continue;
    const block = nonUnicastBlocksOverlapping(nat.privateIp, 32)[0];
    if (block) {
      r.add(
        'NON_UNICAST_ADDRESS',
        `${nat.path}.privateIp`,
        `site ${q(site.name)}: device.nat.privateIp ${nat.privateIpText} is in ${block.text} (${block.name}, ${block.rfc}), where no host can have an address (${block.notUnicast ?? ''}); write the device's unicast address behind the NAT, e.g. in 192.168.0.0/16`,
      );
      continue;
    }
    if (!tunnelSites.has(site.name)) continue;
    const passive = site.device.ike?.initiate === false;
    r.add(
      'DEVICE_BEHIND_NAT',
      nat.path,
      `the device of site ${q(site.name)} is behind a NAT (its own address ${nat.privateIpText}, public ${site.gatewayIpText}); Azure's 2016 documents say the device's address "cannot be located behind a NAT" (${NAT_SOURCE}). `
        + (passive
          ? 'Its ike.initiate is false, and the gateway cannot start a negotiation through the NAT (nothing there maps port 500 to the device): the tunnel never comes up; let the device initiate'
          : 'vgwsim negotiates NAT traversal as strongSwan does (IKE and ESP on UDP 4500, keepalives), with the device starting every negotiation, since nothing the gateway sends gets through the NAT first'),
    );
  }
}

/** On-premises devices behind a NAT. */
export const deviceNat: RuleGroup = { name: 'devices behind a NAT', check: checkDeviceNat };
