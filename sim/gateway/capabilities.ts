/**
 * The gateway capability table: what each (gateway kind, VPN type, SKU) can do, per
 * edition of Azure's rules. Everything here is DATA, transcribed from reference/azure-vpn-gateways-2016.md ("Gateway SKUs",
 * "Gateway requirements", "IPsec parameters") and, for the later edition, from the Azure
 * documents named at its tables. Checks and the compiler look facts up here instead of
 * branching on SKU names or editions, so a later edition (e.g. the VpnGw1..5 SKUs) is a
 * new table, not a rewrite.
 *
 * What it owns: the rows (including the combinations that do NOT exist, so they can be
 * printed and named in diagnostics). The edition list (editions.ts) and the IPsec tables
 * (ipsec-parameters.ts) are their own files, exported from here too. What it
 * rejects: nothing; a lookup of a combination that does not exist answers `undefined`
 * (see `gatewayCapabilities`), never throws.
 */
import type { GatewayKind, GatewaySku, VpnType } from './kinds.js';
import type { RulesEdition } from './editions.js';
import { IPSEC_PARAMETERS, IPSEC_PARAMETERS_BY_EDITION } from './ipsec-parameters.js';
import type { IkeVersion, IpsecParameters } from './ipsec-parameters.js';

export * from './editions.js';
export * from './ipsec-parameters.js';

// ---------------------------------------------------------------------------------------
// The capability table
// ---------------------------------------------------------------------------------------

/** What a gateway of one (kind, VPN type, SKU) can do. Rates in bits per second. */
export interface Capabilities {
  readonly exists: true;
  readonly kind: GatewayKind;
  /** Absent for ExpressRoute gateways. */
  readonly vpnType?: VpnType;
  readonly sku: GatewaySku;
  /** Aggregate VPN throughput (0 for ExpressRoute gateways). */
  readonly vpnThroughputBps: number;
  /** The SKU table's "max IPsec tunnels" (0 for ExpressRoute gateways). */
  readonly maxIpsecTunnels: number;
  /** The SKU table's ExpressRoute gateway throughput for this SKU. */
  readonly expressRouteThroughputBps: number;
  /** Whether a VPN gateway of this row and an ExpressRoute gateway may share a VNet. */
  readonly coexistenceAllowed: boolean;
  /** Site-to-Site (IPsec) plus VNet-to-VNet connections on this gateway. */
  readonly maxS2sConnections: number;
  readonly p2sSupported: boolean;
  /** 0 when point-to-site is not supported. */
  readonly maxP2sClients: number;
  readonly vnet2vnetSupported: boolean;
  /** Configurable BGP over the VPN tunnels. */
  readonly bgpSupported: boolean;
  /** A default site (0.0.0.0/0 into one tunnel). */
  readonly forcedTunnelingSupported: boolean;
  /** How the Site-to-Site side is configured ("policy-based config" / "route-based config"). */
  readonly s2sConfig?: 'policy-based' | 'route-based';
  /** The requirements table's "Authentication" row. */
  readonly authentication: string;
  readonly ikeVersion?: IkeVersion;
  /** Absent for ExpressRoute gateways. */
  readonly ipsec?: IpsecParameters;
}

/** A combination the edition does not offer (kept in the table so it can be printed and named). */
export interface UnavailableCombination {
  readonly exists: false;
  readonly kind: GatewayKind;
  readonly vpnType?: VpnType;
  readonly sku: GatewaySku;
  /** Why it does not exist, for messages and `vgw` tables. */
  readonly note: string;
}

/** One row of a capability table. */
export type CapabilityRow = Capabilities | UnavailableCombination;

/** The SKUs in table order. */
export const GATEWAY_SKUS: readonly GatewaySku[] = ['Basic', 'Standard', 'HighPerformance'];

/** The "Gateway SKUs" table, as written in the reference. */
export interface SkuFacts {
  readonly sku: GatewaySku;
  readonly vpnThroughputBps: number;
  readonly maxIpsecTunnels: number;
  readonly expressRouteThroughputBps: number;
  readonly coexistenceAllowed: boolean;
}

const MBPS = 1_000_000;

/** The reference's "Gateway SKUs" table. */
export const SKU_TABLE: Readonly<Record<GatewaySku, SkuFacts>> = {
  Basic: { sku: 'Basic', vpnThroughputBps: 100 * MBPS, maxIpsecTunnels: 10, expressRouteThroughputBps: 500 * MBPS, coexistenceAllowed: false },
  Standard: { sku: 'Standard', vpnThroughputBps: 100 * MBPS, maxIpsecTunnels: 10, expressRouteThroughputBps: 1000 * MBPS, coexistenceAllowed: true },
  HighPerformance: {
    sku: 'HighPerformance',
    vpnThroughputBps: 200 * MBPS,
    maxIpsecTunnels: 30,
    expressRouteThroughputBps: 2000 * MBPS,
    coexistenceAllowed: true,
  },
};

const sku = SKU_TABLE;

function vpnRow(
  vpnType: VpnType,
  s: SkuFacts,
  cols: Pick<Capabilities, 'maxS2sConnections' | 'p2sSupported' | 'maxP2sClients' | 'vnet2vnetSupported' | 'bgpSupported' | 'authentication'>,
  ipsec: Readonly<Record<VpnType, IpsecParameters>> = IPSEC_PARAMETERS,
): Capabilities {
  const routeBased = vpnType === 'RouteBased';
  return {
    exists: true,
    kind: 'Vpn',
    vpnType,
    sku: s.sku,
    vpnThroughputBps: s.vpnThroughputBps,
    maxIpsecTunnels: s.maxIpsecTunnels,
    expressRouteThroughputBps: s.expressRouteThroughputBps,
    // "ExpressRoute and Site-to-Site VPN can coexist ... only with a route-based gateway of SKU Standard or HighPerformance".
    coexistenceAllowed: routeBased && s.coexistenceAllowed,
    forcedTunnelingSupported: routeBased,
    s2sConfig: routeBased ? 'route-based' : 'policy-based',
    ikeVersion: ipsec[vpnType].phase1.ikeVersion,
    ipsec: ipsec[vpnType],
    ...cols,
  };
}

function expressRouteRow(s: SkuFacts): Capabilities {
  return {
    exists: true,
    kind: 'ExpressRoute',
    sku: s.sku,
    vpnThroughputBps: 0,
    maxIpsecTunnels: 0,
    expressRouteThroughputBps: s.expressRouteThroughputBps,
    coexistenceAllowed: s.coexistenceAllowed,
    maxS2sConnections: 0,
    p2sSupported: false,
    maxP2sClients: 0,
    vnet2vnetSupported: false,
    // Routes come from the circuit's own BGP session; there is no configurable VPN BGP.
    bgpSupported: false,
    forcedTunnelingSupported: false,
    authentication: 'none (private circuit)',
  };
}

const PSK = 'pre-shared key';
const PSK_AND_CERTS = 'PSK for S2S, certificates for P2S';
const POLICY_ONLY_BASIC = 'policy-based gateways exist only as Basic';

/** The February 2016 table (the "Gateway requirements" columns, one row each). */
const TABLE_2016_02: readonly CapabilityRow[] = [
  vpnRow('PolicyBased', sku.Basic, {
    maxS2sConnections: 1,
    p2sSupported: false,
    maxP2sClients: 0,
    vnet2vnetSupported: false,
    bgpSupported: false,
    authentication: PSK,
  }),
  { exists: false, kind: 'Vpn', vpnType: 'PolicyBased', sku: 'Standard', note: POLICY_ONLY_BASIC },
  { exists: false, kind: 'Vpn', vpnType: 'PolicyBased', sku: 'HighPerformance', note: POLICY_ONLY_BASIC },
  vpnRow('RouteBased', sku.Basic, {
    maxS2sConnections: 10,
    p2sSupported: true,
    maxP2sClients: 128,
    vnet2vnetSupported: true,
    bgpSupported: false,
    authentication: PSK_AND_CERTS,
  }),
  vpnRow('RouteBased', sku.Standard, {
    maxS2sConnections: 10,
    p2sSupported: true,
    maxP2sClients: 128,
    vnet2vnetSupported: true,
    bgpSupported: false,
    authentication: PSK_AND_CERTS,
  }),
  vpnRow('RouteBased', sku.HighPerformance, {
    maxS2sConnections: 30,
    p2sSupported: true,
    maxP2sClients: 128,
    vnet2vnetSupported: true,
    bgpSupported: true,
    authentication: PSK_AND_CERTS,
  }),
  expressRouteRow(sku.Basic),
  expressRouteRow(sku.Standard),
  expressRouteRow(sku.HighPerformance),
];

/** Later 2016: identical except BGP on route-based Standard. */
const TABLE_2016_LATE: readonly CapabilityRow[] = TABLE_2016_02.map((r) => {
  if (!(r.exists && r.kind === 'Vpn' && r.vpnType)) return r;
  const row = { ...r, ipsec: IPSEC_PARAMETERS_BY_EDITION['azure-2016-late'][r.vpnType] };
  return r.vpnType === 'RouteBased' && r.sku === 'Standard' ? { ...row, bgpSupported: true } : row;
});

/**
 * October 2018, for the SKUs vgwsim models (the "legacy" SKUs of that time,
 * articles/vpn-gateway/vpn-gateway-about-skus-legacy.md): the late-2016 table, with the
 * IPsec parameters of that edition.
 */
const TABLE_2018_10: readonly CapabilityRow[] = TABLE_2016_LATE.map((r) =>
  r.exists && r.kind === 'Vpn' && r.vpnType ? { ...r, ipsec: IPSEC_PARAMETERS_BY_EDITION['azure-2018-10'][r.vpnType] } : r,
);

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

/** The capability tables, one per edition, every (kind, VPN type, SKU) row including those that do not exist. */
export const CAPABILITY_TABLES: Readonly<Record<RulesEdition, readonly CapabilityRow[]>> = deepFreeze({
  'azure-2016-02': TABLE_2016_02,
  'azure-2016-late': TABLE_2016_LATE,
  'azure-2018-10': TABLE_2018_10,
});

/**
 * The row for (edition, kind, vpnType, sku), including combinations that do not exist
 * (`exists: false`); `undefined` only for an unknown edition or key. ExpressRoute rows
 * have no vpnType.
 */
export function capabilityRow(
  edition: RulesEdition,
  kind: GatewayKind,
  vpnType: VpnType | undefined,
  skuName: GatewaySku,
): CapabilityRow | undefined {
  const table = CAPABILITY_TABLES[edition] as readonly CapabilityRow[] | undefined;
  if (!table) return undefined;
  const vt = kind === 'Vpn' ? vpnType : undefined;
  return table.find((r) => r.kind === kind && r.vpnType === vt && r.sku === skuName);
}

/**
 * Capabilities of a VPN gateway (type `Vpn`) of `vpnType` and `sku` under `edition`, or
 * `undefined` when that combination does not exist (e.g. policy-based HighPerformance).
 */
export function gatewayCapabilities(edition: RulesEdition, vpnType: VpnType, skuName: GatewaySku): Capabilities | undefined {
  const row = capabilityRow(edition, 'Vpn', vpnType, skuName);
  return row && row.exists ? row : undefined;
}

/** Capabilities of an ExpressRoute gateway of `sku` under `edition`. */
export function expressRouteCapabilities(edition: RulesEdition, skuName: GatewaySku): Capabilities | undefined {
  const row = capabilityRow(edition, 'ExpressRoute', undefined, skuName);
  return row && row.exists ? row : undefined;
}

/** The SKUs for which (edition, kind, vpnType) exists, in table order. */
export function availableSkus(edition: RulesEdition, kind: GatewayKind, vpnType: VpnType | undefined): GatewaySku[] {
  return GATEWAY_SKUS.filter((s) => capabilityRow(edition, kind, vpnType, s)?.exists === true);
}
