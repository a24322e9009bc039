/**
 * The names Azure gives its gateways' kinds, VPN types and SKUs, and the states of a
 * point-to-site client certificate: the words the capability table, the compiled world and
 * the scenario model share. sim/scenario/types.ts re-exports them for the scenario.
 */

/** How a VPN gateway picks a tunnel: traffic selectors (policy-based) or routes (route-based). */
export type VpnType = 'PolicyBased' | 'RouteBased';
/** The 2016 gateway SKUs. */
export type GatewaySku = 'Basic' | 'Standard' | 'HighPerformance';
/** A virtual network gateway is a VPN gateway or an ExpressRoute gateway. */
export type GatewayKind = 'Vpn' | 'ExpressRoute';
/** Whether a gateway accepts a point-to-site client's certificate. */
export type CertificateState = 'valid' | 'revoked' | 'untrusted';
