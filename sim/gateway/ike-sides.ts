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
 *   identities (a device behind a NAT has its own address, `natPrivateIp`, as its local
 *   one, and keeps the public gatewayIp, which Azure knows, as its identity), the shared
 *   key, the selectors (route-based any-to-any 0.0.0.0/0 both ways,
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
import type { AzureIkeSide } from './azure-ike.js';
import { applyDeviceIke } from './device-ike.js';
import { EndKind } from './world.js';
import type { World } from './world.js';
import { makePrefix } from '../net/ipv4.js';
import { parseEspProposal } from '../ike/proposals.js';
import type { EspProposal } from '../ike/proposals.js';

/** strongSwan's retransmission defaults (charon.retransmit_timeout, _base, _tries). */
export const STRONGSWAN_RETRANSMIT: RetransmitPolicy = Object.freeze({ timeout: 4, base: 1.8, tries: 5 });
/** strongSwan's rekey margin: ipsec.conf's margintime default, 9 minutes. */
export const STRONGSWAN_REKEY_MARGIN = 540;

/**
 * Both sides of one connection, or why there are none. `device` is the other end: the
 * site's device, or the peer gateway of a VNet-to-VNet connection.
 */
export type IkeSides =
  | { readonly ok: true; readonly azure: IkeTunnelConfig; readonly device: IkeTunnelConfig }
  | { readonly ok: false; readonly problem: string };

/** Who starts the negotiation: the Azure gateway or the device (the other one answers). */
export type IkeInitiator = 'azure' | 'device';

const ANY = makePrefix(0, 0);

/**
 * The ESP proposals of `offers` that carry `transform` (a connection's `transform:`, a
 * strongSwan proposal), narrowed to it, PFS groups kept; the transform alone when no offer
 * carries it (a custom IPsec policy); `offers` unchanged without one.
 */
export function narrowEspProposals(offers: readonly EspProposal[], transform: string | null): readonly EspProposal[] {
  if (transform === null) return offers;
  const t = parseEspProposal(transform);
  if (!t.ok) return offers;
  const enc = t.value.encryptions[0];
  const integ = t.value.integrities[0];
  const same = (a: { readonly name: string } | undefined, b: { readonly name: string } | undefined): boolean => a?.name === b?.name;
  const narrowed = offers
    .filter((o) => o.encryptions.some((e) => same(e, enc)) && (integ === undefined ? o.integrities.length === 0 : o.integrities.some((i) => same(i, integ))))
    .map((o) => ({ encryptions: t.value.encryptions, integrities: t.value.integrities, dhGroups: o.dhGroups }));
  return narrowed.length > 0 ? narrowed : [t.value];
}

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
  if (c.type === 'Vnet2Vnet') return vnetToVnetSides(world, ci);
  if (c.type !== 'IPsec') return { ok: false, problem: `${c.name} is a ${c.type} connection, not IPsec (Site-to-Site)` };
  const g = world.gateways[c.gateway];
  const site = world.sites[c.site];
  if (!g || !site) return { ok: false, problem: `${c.name} has no gateway or no site` };
  if (g.kind !== 'Vpn' || !g.vpnType) return { ok: false, problem: `${c.name}'s gateway ${g.name} is not a VPN gateway with a VPN type` };
  if (c.sharedKey === null) return { ok: false, problem: `${c.name} has no sharedKey: IKE cannot authenticate` };
  const side = azureIkeSide(world.edition, g.vpnType);
  // The device speaks the IKE version of its own VPN type, with the settings Azure's table gives that type.
  const deviceSide = azureIkeSide(world.edition, site.device.vpnType);
  const gatewayIp = g.publicIp;
  const deviceIp = site.device.publicIp;
  const pairs = g.vpnType === 'RouteBased' ? [{ local: ANY, remote: ANY }] : policyPairs(world, ci);
  // IKEv1 negotiates on demand: either side may start when its traffic needs an SA; behind a
  // NAT only the device can (nothing reaches it before it has sent), unless Azure is told to.
  const onDemand = side.version === 1;
  const behindNat = site.device.natPrivateIp !== null;
  const azure: IkeTunnelConfig = {
    ...sideSettings(c.name, side, c.sharedKey),
    local: gatewayIp,
    remote: deviceIp,
    localId: { type: 'ipv4', addr: gatewayIp },
    remoteId: { type: 'ipv4', addr: deviceIp },
    espProposals: narrowEspProposals(initiator === 'azure' ? side.espInitiatorProposals : side.espResponderProposals, c.transform),
    dpdDelay: side.dpdDelay,
    initiator: (onDemand && !behindNat) || initiator === 'azure',
    selectors: pairs,
  };
  const mirror: IkeTunnelConfig = {
    ...sideSettings(`${site.name}/${c.name}`, deviceSide, c.peerSharedKey ?? c.sharedKey),
    local: site.device.natPrivateIp ?? deviceIp,
    remote: gatewayIp,
    localId: { type: 'ipv4', addr: deviceIp },
    remoteId: { type: 'ipv4', addr: gatewayIp },
    espProposals: narrowEspProposals(deviceSide.espInitiatorProposals, c.transform),
    dpdDelay: null,
    initiator: deviceSide.version === 1 || initiator === 'device',
    selectors: pairs.map((p) => ({ local: p.remote, remote: p.local })),
  };
  return { ok: true, azure, device: applyDeviceIke(mirror, site.device.ike) };
}

/** What both ends of a connection take from one Azure side: version, IKE proposals, lifetimes, key, retransmission. */
function sideSettings(connection: string, side: AzureIkeSide, sharedKey: string): Pick<
  IkeTunnelConfig,
  'connection' | 'version' | 'psk' | 'ikeProposals' | 'ikeLifetime' | 'childLifetime' | 'childLifeKilobytes' | 'rekeyMargin' | 'retransmit' | 'natTraversal'
> {
  return {
    connection,
    version: side.version,
    psk: new TextEncoder().encode(sharedKey),
    ikeProposals: side.ikeProposals,
    ikeLifetime: side.ikeLifetime,
    childLifetime: side.childLifetime,
    childLifeKilobytes: side.childLifeKilobytes,
    rekeyMargin: STRONGSWAN_REKEY_MARGIN,
    retransmit: STRONGSWAN_RETRANSMIT,
    natTraversal: true,
  };
}

/**
 * A VNet-to-VNet connection: two Azure route-based gateways, each with Azure's settings; the
 * gateway that defines the connection initiates (as `azure`), the peer gateway answers (as
 * `device`) with the reverse connection's key.
 */
function vnetToVnetSides(world: World, ci: number): IkeSides {
  const c = world.connections[ci]!;
  const g = world.gateways[c.gateway];
  const p = world.gateways[c.peerGateway];
  if (!g || !p) return { ok: false, problem: `${c.name} has no gateway or no peer gateway` };
  if (g.vpnType !== 'RouteBased' || p.vpnType !== 'RouteBased') return { ok: false, problem: `${c.name}: VNet-to-VNet needs route-based gateways at both ends` };
  if (c.sharedKey === null) return { ok: false, problem: `${c.name} has no sharedKey: IKE cannot authenticate` };
  const side = azureIkeSide(world.edition, 'RouteBased');
  const end = (name: string, local: number, remote: number, key: string, initiator: boolean, transform: string | null): IkeTunnelConfig => ({
    ...sideSettings(name, side, key),
    local,
    remote,
    localId: { type: 'ipv4', addr: local },
    remoteId: { type: 'ipv4', addr: remote },
    espProposals: narrowEspProposals(initiator ? side.espInitiatorProposals : side.espResponderProposals, transform),
    dpdDelay: side.dpdDelay,
    initiator,
    selectors: [{ local: ANY, remote: ANY }],
  });
  return {
    ok: true,
    azure: end(c.name, g.publicIp, p.publicIp, c.sharedKey, true, c.transform),
    device: end(`${p.name}/${c.name}`, p.publicIp, g.publicIp, c.peerSharedKey ?? c.sharedKey, false, c.peerTransform),
  };
}

/** The IPsec (Site-to-Site) connections of `world` by name, for messages that list them. */
export function ipsecConnectionNames(world: World): string[] {
  return world.connections.filter((c) => c.type === 'IPsec').map((c) => c.name);
}
