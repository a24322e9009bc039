/**
 * Both sides of one Site-to-Site (IPsec) connection as IKE configurations, read from a
 * compiled World: the Azure gateway's `IkeTunnelConfig` and the one a correctly configured
 * on-premises device would use (its mirror image). `vgw peer` plays the Azure side against
 * a real device; a simulated negotiation needs both.
 *
 * Where each setting comes from:
 * - Azure's (azure-ike.ts, per rules edition and VPN type): the IKE version (policy-based
 *   IKEv1, route-based IKEv2), IKE and ESP proposals (as initiator: the offers Azure sends;
 *   as responder: the offers it accepts), IKE and child lifetimes, child kilobytes, DPD;
 * - the scenario's: the addresses (gateway publicIp, site gatewayIp) that are also the
 *   identities, the shared key, the selectors (route-based any-to-any 0.0.0.0/0 both ways,
 *   as Azure's route-based gateways negotiate; policy-based one pair per VNet prefix x site
 *   prefix, as the World's SAs hold them);
 * - strongSwan's defaults, where Azure's documents say nothing: retransmission (4 s, x1.8,
 *   5 tries: charon.retransmit_timeout/_base/_tries), the rekey margin (540 s: ipsec.conf's
 *   margintime of 9 minutes), NAT traversal on; and for the device, no DPD (swanctl's
 *   dpd_delay 0), where Azure's own DPD stays as azure-ike.ts gives it.
 * The device mirrors the Azure side: same version, proposals (Azure's initiator offers,
 * which Azure also accepts), lifetimes and key, addresses and selectors swapped; then its
 * own `ike:` settings, where the scenario gives any, replace parts of that mirror
 * (device-ike.ts). The Azure side never changes with them.
 *
 * Refuses, as a value: a connection index out of range, a connection that is not IPsec
 * Site-to-Site, one whose gateway is not a VPN gateway with a VPN type, one without a key.
 * Pure: no Node, no clock.
 */
import type { IkeTunnelConfig, RetransmitPolicy, SelectorPair } from '../ike/endpoint.js';
import { azureIkeSide } from './azure-ike.js';
import { applyDeviceIke } from './device-ike.js';
import { EndKind } from './world.js';
import type { World } from './world.js';
import { makePrefix } from '../net/ipv4.js';

/** strongSwan's retransmission defaults (charon.retransmit_timeout, _base, _tries). */
export const STRONGSWAN_RETRANSMIT: RetransmitPolicy = Object.freeze({ timeout: 4, base: 1.8, tries: 5 });
/** strongSwan's rekey margin: ipsec.conf's margintime default, 9 minutes. */
export const STRONGSWAN_REKEY_MARGIN = 540;

/** Both sides of one connection, or why there are none. */
export type IkeSides =
  | { readonly ok: true; readonly azure: IkeTunnelConfig; readonly device: IkeTunnelConfig }
  | { readonly ok: false; readonly problem: string };

/** Who starts the negotiation: the Azure gateway or the device (the other one answers). */
export type IkeInitiator = 'azure' | 'device';

const ANY = makePrefix(0, 0);

/** The gateway's selector pairs of connection `ci`, from its SAs that leave the gateway. */
function policyPairs(world: World, ci: number): SelectorPair[] {
  const pairs: SelectorPair[] = [];
  for (const t of world.tunnels) {
    if (t.connection !== ci) continue;
    const sa = world.sas[t.saOut];
    if (sa && sa.fromKind === EndKind.GATEWAY) pairs.push({ local: sa.selSrc, remote: sa.selDst });
  }
  return pairs;
}

/**
 * The Azure gateway's and the device's IKE configurations of connection `ci` of `world`,
 * with `initiator` starting the negotiation.
 */
export function ikeSides(world: World, ci: number, initiator: IkeInitiator): IkeSides {
  const c = world.connections[ci];
  if (!c) return { ok: false, problem: `no connection number ${ci}` };
  if (c.type !== 'IPsec') return { ok: false, problem: `${c.name} is a ${c.type} connection, not IPsec (Site-to-Site)` };
  const g = world.gateways[c.gateway];
  const site = world.sites[c.site];
  if (!g || !site) return { ok: false, problem: `${c.name} has no gateway or no site` };
  if (g.kind !== 'Vpn' || !g.vpnType) return { ok: false, problem: `${c.name}'s gateway ${g.name} is not a VPN gateway with a VPN type` };
  if (c.sharedKey === null) return { ok: false, problem: `${c.name} has no sharedKey: IKE cannot authenticate` };
  const side = azureIkeSide(world.edition, g.vpnType);
  const psk = new TextEncoder().encode(c.sharedKey);
  const gatewayIp = g.publicIp;
  const deviceIp = site.device.publicIp;
  const pairs = g.vpnType === 'RouteBased' ? [{ local: ANY, remote: ANY }] : policyPairs(world, ci);
  const shared = {
    connection: c.name,
    version: side.version,
    psk,
    ikeProposals: side.ikeProposals,
    ikeLifetime: side.ikeLifetime,
    childLifetime: side.childLifetime,
    childLifeKilobytes: side.childLifeKilobytes,
    rekeyMargin: STRONGSWAN_REKEY_MARGIN,
    retransmit: STRONGSWAN_RETRANSMIT,
    natTraversal: true,
  };
  const azure: IkeTunnelConfig = {
    ...shared,
    local: gatewayIp,
    remote: deviceIp,
    localId: { type: 'ipv4', addr: gatewayIp },
    remoteId: { type: 'ipv4', addr: deviceIp },
    espProposals: initiator === 'azure' ? side.espInitiatorProposals : side.espResponderProposals,
    dpdDelay: side.dpdDelay,
    initiator: initiator === 'azure',
    selectors: pairs,
  };
  const mirror: IkeTunnelConfig = {
    ...shared,
    connection: `${site.name}/${c.name}`,
    local: deviceIp,
    remote: gatewayIp,
    localId: { type: 'ipv4', addr: deviceIp },
    remoteId: { type: 'ipv4', addr: gatewayIp },
    espProposals: side.espInitiatorProposals,
    dpdDelay: null,
    initiator: initiator === 'device',
    selectors: pairs.map((p) => ({ local: p.remote, remote: p.local })),
  };
  return { ok: true, azure, device: applyDeviceIke(mirror, site.device.ike) };
}

/** The IPsec (Site-to-Site) connections of `world` by name, for messages that list them. */
export function ipsecConnectionNames(world: World): string[] {
  return world.connections.filter((c) => c.type === 'IPsec').map((c) => c.name);
}
