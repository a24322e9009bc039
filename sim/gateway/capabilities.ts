/**
 * The gateway capability table: what each (gateway kind, VPN type, SKU) can do, per
 * edition of Azure's rules, and the Azure side's IPsec parameters per edition. Everything
 * here is DATA, transcribed from reference/azure-vpn-gateways-2016.md ("Gateway SKUs",
 * "Gateway requirements", "IPsec parameters") and, for the later edition, from the Azure
 * documents named at its tables. Checks and the compiler look facts up here instead of
 * branching on SKU names or editions, so a later edition (e.g. the VpnGw1..5 SKUs) is a
 * new table, not a rewrite.
 *
 * What it owns: the rows (including the combinations that do NOT exist, so they can be
 * printed and named in diagnostics), the edition list and its default, the IPsec proposal
 * tables of every edition and the ESP transforms they let a connection use. What it
 * rejects: nothing; a lookup of a combination that does not exist answers `undefined`
 * (see `gatewayCapabilities`), never throws.
 *
 * One file, over 500 lines: it is one table, and its rows are read side by side.
 */
import type { GatewayKind, GatewaySku, VpnType } from './kinds.js';
import { transformByProposal } from '../ipsec/transforms.js';

/** Which edition of the rules applies (BGP on Standard, IPsec offers; see EDITIONS). */
export type RulesEdition = 'azure-2016-02' | 'azure-2016-late' | 'azure-2018-10';
/** The edition of a scenario that names none. */
export const DEFAULT_EDITION: RulesEdition = 'azure-2016-02';

// ---------------------------------------------------------------------------------------
// Editions
// ---------------------------------------------------------------------------------------

/** One edition of the rules: its name, what distinguishes it, and whether it is the default. */
export interface EditionInfo {
  readonly edition: RulesEdition;
  readonly isDefault: boolean;
  readonly description: string;
}

/** Every edition the simulator knows, the default (`DEFAULT_EDITION`) first. */
export const EDITIONS: readonly EditionInfo[] = [
  {
    edition: 'azure-2016-02',
    isDefault: true,
    description:
      'Azure "About VPN gateways", February 2016 (the default): BGP only on route-based HighPerformance gateways.',
  },
  {
    edition: 'azure-2016-late',
    isDefault: false,
    description:
      'Later 2016 editions of the same tables: route-based Standard gateways support BGP too, and route-based IPsec takes SHA1 or SHA256 in phase 1 '
      + 'with lifetimes of 10,800 s (phase 1) and 3,600 s (phase 2), and no PFS of its own (it accepts groups 1, 2, 5, 14, 24 as responder).',
  },
  {
    edition: 'azure-2018-10',
    isDefault: false,
    description:
      'Azure "About VPN devices" of October 2018, for the SKUs vgwsim models (Basic, Standard, HighPerformance): the gateway table of azure-2016-late, '
      + 'route-based ESP offers that start with AES-GCM (aes256gcm16) and drop MD5 and NULL, and custom IPsec/IKE policies on route-based Standard and '
      + 'HighPerformance gateways (any of their algorithms: aes128gcm16, 3des-md5, null-sha1, ...).',
  },
];

/** A one-line statement of which edition applies when a scenario names none. */
export const DEFAULT_EDITION_DESCRIPTION = `Default rules edition: ${DEFAULT_EDITION} (${
  EDITIONS.find((e) => e.isDefault)?.description ?? ''
})`;

// ---------------------------------------------------------------------------------------
// IPsec parameters (Azure side)
// ---------------------------------------------------------------------------------------

/** IKE version: IKEv1 for policy-based, IKEv2 for route-based gateways. */
export type IkeVersion = 'IKEv1' | 'IKEv2';
/** IKE (phase 1) encryption algorithms. */
export type IkeEncryption = 'AES256' | 'AES128' | '3DES';
/** IKE hash algorithms. */
export type IkeHash = 'SHA1' | 'SHA256';
/**
 * ESP/AH encryption: `NULL` encryption is allowed only on route-based gateways (VNet-to-VNet
 * in Azure); `GCMAES*` is AES-GCM (RFC 4106), an AEAD whose integrity is the same GCM.
 */
export type EspEncryption = 'AES256' | 'AES192' | 'AES128' | '3DES' | 'DES' | 'NULL' | 'GCMAES256' | 'GCMAES192' | 'GCMAES128';
/** ESP/AH integrity algorithms: HMACs, or the GCM of a `GCMAES*` encryption. */
export type Integrity = 'SHA1' | 'MD5' | 'SHA256' | 'GCMAES256' | 'GCMAES192' | 'GCMAES128';

/** IKE phase 1 (main mode / IKE_SA_INIT) parameters of the Azure side. */
export interface Phase1Parameters {
  readonly ikeVersion: IkeVersion;
  /** Diffie-Hellman group number (2 = 1024-bit MODP). */
  readonly dhGroup: number;
  readonly authentication: 'pre-shared key';
  /** Encryption algorithms offered, in preference order. */
  readonly encryption: readonly IkeEncryption[];
  readonly hash: readonly IkeHash[];
  readonly lifetimeSeconds: number;
}

/**
 * One child SA (quick mode) offer. `protocol` says which headers: `ESP` alone, `AH+ESP`
 * (AH provides integrity, ESP only encrypts with a null HMAC) or `AH` alone
 * (integrity-only). `encryption` is absent for AH-only offers; `NULL` for integrity-only ESP.
 */
export interface ChildSaOffer {
  readonly protocol: 'ESP' | 'AH+ESP' | 'AH';
  readonly encryption?: EspEncryption;
  readonly integrity: Integrity;
  /** The offer's PFS Diffie-Hellman group, where the edition lists offers per group. */
  readonly pfsGroup?: number;
}

/**
 * A custom IPsec/IKE policy on a connection (route-based gateways of later editions): the
 * connection then proposes and accepts exactly one (encryption, integrity) pair chosen
 * from these lists, instead of the default offers. A `GCMAES*` encryption goes only with
 * the same `GCMAES*` integrity, and an HMAC integrity only with a non-GCM encryption.
 */
export interface CustomIpsecPolicy {
  /** The SKUs whose gateways take a custom policy. */
  readonly skus: readonly GatewaySku[];
  readonly encryption: readonly EspEncryption[];
  readonly integrity: readonly Integrity[];
}

/** IKE phase 2 / child SA parameters of the Azure side. */
export interface Phase2Parameters {
  readonly hash: readonly IkeHash[];
  /** Absent: the reference does not specify one. */
  readonly lifetimeSeconds?: number;
  /** Absent: the reference does not specify one. */
  readonly lifetimeKilobytes?: number;
  /** Offers when Azure initiates, in preference order. */
  readonly initiatorOffers: readonly ChildSaOffer[];
  /** Offers Azure accepts as responder, in preference order. */
  readonly responderOffers: readonly ChildSaOffer[];
  /** Perfect forward secrecy: `false`, or the DH group used for it. */
  readonly pfs: false | { readonly dhGroup: number };
  /** The PFS groups Azure accepts as responder when it proposes none itself (absent: only `pfs`'s). */
  readonly responderPfsGroups?: readonly number[];
  readonly deadPeerDetection: boolean;
  /** ESP with NULL encryption accepted (meant for VNet-to-VNet inside Azure only). */
  readonly nullEncryptionAllowed: boolean;
  /** Absent: the edition has no custom IPsec/IKE policies for this VPN type. */
  readonly customPolicy?: CustomIpsecPolicy;
}

/** Both phases, for one VPN type. */
export interface IpsecParameters {
  readonly phase1: Phase1Parameters;
  readonly phase2: Phase2Parameters;
}

const esp = (encryption: EspEncryption, integrity: Integrity, pfsGroup?: number): ChildSaOffer =>
  pfsGroup === undefined ? { protocol: 'ESP', encryption, integrity } : { protocol: 'ESP', encryption, integrity, pfsGroup };
const ahEsp = (encryption: EspEncryption): ChildSaOffer => ({ protocol: 'AH+ESP', encryption, integrity: 'SHA1' });
const ah = (integrity: Integrity): ChildSaOffer => ({ protocol: 'AH', integrity });

/** Policy-based offers: one list, the same as initiator and responder. */
const POLICY_BASED_OFFERS: readonly ChildSaOffer[] = [esp('AES256', 'SHA1'), esp('AES128', 'SHA1'), esp('3DES', 'SHA1')];

/**
 * Route-based offers. The reference names the head of each list exactly (initiator
 * AES256-SHA1, AES128-SHA1, 3DES-MD5, 3DES-SHA1; responder AES128-SHA1 first) and then
 * "AH+ESP combinations, ESP DES variants" and, for the responder, "finally integrity-only
 * ESP/AH"; the tail below is that description spelled out.
 */
const ROUTE_BASED_INITIATOR_OFFERS: readonly ChildSaOffer[] = [
  esp('AES256', 'SHA1'),
  esp('AES128', 'SHA1'),
  esp('3DES', 'MD5'),
  esp('3DES', 'SHA1'),
  ahEsp('AES128'),
  ahEsp('3DES'),
  esp('DES', 'MD5'),
  esp('DES', 'SHA1'),
];

const ROUTE_BASED_RESPONDER_OFFERS: readonly ChildSaOffer[] = [
  esp('AES128', 'SHA1'),
  esp('3DES', 'MD5'),
  esp('3DES', 'SHA1'),
  ahEsp('AES128'),
  ahEsp('3DES'),
  ahEsp('DES'),
  esp('DES', 'MD5'),
  esp('DES', 'SHA1'),
  esp('NULL', 'SHA1'),
  esp('NULL', 'MD5'),
  ah('SHA1'),
  ah('MD5'),
];

/** The Azure side's IPsec parameters by VPN type in the 2016 editions ("About VPN devices", Dec 2015). */
export const IPSEC_PARAMETERS: Readonly<Record<VpnType, IpsecParameters>> = {
  PolicyBased: {
    phase1: {
      ikeVersion: 'IKEv1',
      dhGroup: 2,
      authentication: 'pre-shared key',
      encryption: ['AES256', 'AES128', '3DES'],
      hash: ['SHA1'],
      lifetimeSeconds: 28_800,
    },
    phase2: {
      hash: ['SHA1'],
      lifetimeSeconds: 3_600,
      lifetimeKilobytes: 102_400_000,
      initiatorOffers: POLICY_BASED_OFFERS,
      responderOffers: POLICY_BASED_OFFERS,
      pfs: false,
      deadPeerDetection: false,
      nullEncryptionAllowed: false,
    },
  },
  RouteBased: {
    phase1: {
      ikeVersion: 'IKEv2',
      dhGroup: 2,
      authentication: 'pre-shared key',
      encryption: ['AES256', '3DES'],
      hash: ['SHA1'],
      lifetimeSeconds: 28_800,
    },
    phase2: {
      hash: ['SHA1'],
      initiatorOffers: ROUTE_BASED_INITIATOR_OFFERS,
      responderOffers: ROUTE_BASED_RESPONDER_OFFERS,
      pfs: { dhGroup: 1 },
      deadPeerDetection: true,
      nullEncryptionAllowed: true,
    },
  },
};

/**
 * The Azure side's IPsec parameters in the later 2016 editions of "About VPN devices"
 * (ms.date 2016-06-29 and 2016-09-13): route-based gateways hash with SHA1 or SHA2-256 in
 * phase 1, whose lifetime drops to 10,800 s, with a 3,600 s phase 2; the 2016-09-13 edition
 * has no PFS as initiator ("No (*)") but, as IKE responder, accepts PFS DH groups 1, 2, 5, 14
 * and 24. Policy-based parameters are those of the earlier editions.
 */
const IPSEC_PARAMETERS_2016_LATE: Readonly<Record<VpnType, IpsecParameters>> = {
  PolicyBased: IPSEC_PARAMETERS.PolicyBased,
  RouteBased: {
    phase1: { ...IPSEC_PARAMETERS.RouteBased.phase1, hash: ['SHA1', 'SHA256'], lifetimeSeconds: 10_800 },
    phase2: { ...IPSEC_PARAMETERS.RouteBased.phase2, lifetimeSeconds: 3_600, pfs: false, responderPfsGroups: [1, 2, 5, 14, 24] },
  },
};

/**
 * Route-based offers of "About VPN devices" ms.date 10/05/2018 (MicrosoftDocs/azure-docs,
 * articles/vpn-gateway/vpn-gateway-about-vpn-devices.md, "RouteBased VPN IPsec Security
 * Association (IKE Quick Mode SA) Offers"), row by row: AES-GCM first, no MD5 and no NULL
 * among them (the article adds that ESP NULL can be specified, i.e. by a custom policy).
 */
const ROUTE_BASED_2018_INITIATOR_OFFERS: readonly ChildSaOffer[] = [
  esp('GCMAES256', 'GCMAES256'), esp('AES256', 'SHA1'), esp('3DES', 'SHA1'), esp('AES256', 'SHA256'), esp('AES128', 'SHA1'), esp('3DES', 'SHA256'),
];

const ROUTE_BASED_2018_RESPONDER_OFFERS: readonly ChildSaOffer[] = [
  ...ROUTE_BASED_2018_INITIATOR_OFFERS,
  esp('DES', 'SHA1'),
  esp('AES256', 'SHA1', 1), esp('AES256', 'SHA1', 2), esp('AES256', 'SHA1', 14),
  esp('AES128', 'SHA1', 1), esp('AES128', 'SHA1', 2), esp('AES128', 'SHA1', 14),
  esp('3DES', 'SHA1', 1), esp('3DES', 'SHA1', 2), esp('3DES', 'SHA256', 2),
  esp('AES256', 'SHA256', 1), esp('AES256', 'SHA256', 2), esp('AES256', 'SHA256', 14),
  esp('AES256', 'SHA1', 24), esp('AES256', 'SHA256', 24),
  esp('AES128', 'SHA256'), esp('AES128', 'SHA256', 1), esp('AES128', 'SHA256', 2), esp('AES128', 'SHA256', 14),
  esp('3DES', 'SHA1', 14),
];

/** Policy-based offers of the same article: AES256-SHA256 first. */
const POLICY_BASED_2018_OFFERS: readonly ChildSaOffer[] = [esp('AES256', 'SHA256'), esp('AES256', 'SHA1'), esp('AES128', 'SHA1'), esp('3DES', 'SHA1')];

/**
 * The algorithms of a custom IPsec/IKE policy ("What are the algorithms and key strengths
 * supported in the custom policy?", includes/vpn-gateway-faq-ipsecikepolicy-include.md,
 * ms.date 12/14/2018; the 10/05/2018 "About VPN devices" points to these policies for
 * route-based gateways). Of the SKUs vgwsim models, Standard and HighPerformance take
 * them; "The Basic SKU is not supported".
 */
const CUSTOM_POLICY_2018: CustomIpsecPolicy = {
  skus: ['Standard', 'HighPerformance'],
  encryption: ['GCMAES256', 'GCMAES192', 'GCMAES128', 'AES256', 'AES192', 'AES128', '3DES', 'DES', 'NULL'],
  integrity: ['GCMAES256', 'GCMAES192', 'GCMAES128', 'SHA256', 'SHA1', 'MD5'],
};

/** The Azure side's IPsec parameters in edition azure-2018-10 (the tables of the same article). */
const IPSEC_PARAMETERS_2018_10: Readonly<Record<VpnType, IpsecParameters>> = {
  PolicyBased: {
    phase1: { ...IPSEC_PARAMETERS.PolicyBased.phase1, hash: ['SHA256', 'SHA1'] },
    phase2: { ...IPSEC_PARAMETERS.PolicyBased.phase2, hash: ['SHA256', 'SHA1'], initiatorOffers: POLICY_BASED_2018_OFFERS, responderOffers: POLICY_BASED_2018_OFFERS },
  },
  RouteBased: {
    phase1: { ...IPSEC_PARAMETERS.RouteBased.phase1, encryption: ['AES256', 'AES128', '3DES'], hash: ['SHA1', 'SHA256'] },
    phase2: {
      hash: ['SHA1', 'SHA256'],
      lifetimeSeconds: 27_000,
      initiatorOffers: ROUTE_BASED_2018_INITIATOR_OFFERS,
      responderOffers: ROUTE_BASED_2018_RESPONDER_OFFERS,
      // As initiator Azure offers no PFS; as responder it accepts the groups of the offers that name one.
      pfs: false,
      deadPeerDetection: true,
      nullEncryptionAllowed: false,
      customPolicy: CUSTOM_POLICY_2018,
    },
  },
};

/** The IPsec parameters of every edition, by VPN type. */
export const IPSEC_PARAMETERS_BY_EDITION: Readonly<Record<RulesEdition, Readonly<Record<VpnType, IpsecParameters>>>> = {
  'azure-2016-02': IPSEC_PARAMETERS,
  'azure-2016-late': IPSEC_PARAMETERS_2016_LATE,
  'azure-2018-10': IPSEC_PARAMETERS_2018_10,
};

// ---------------------------------------------------------------------------------------
// ESP transforms a connection may use
// ---------------------------------------------------------------------------------------

/** strongSwan keywords of the encryption algorithms (GCM is named with its ICV length, below). */
const ENCRYPTION_KEYWORD: Readonly<Record<EspEncryption, string>> = {
  AES256: 'aes256', AES192: 'aes192', AES128: 'aes128', '3DES': '3des', DES: 'des', NULL: 'null',
  GCMAES256: 'aes256gcm16', GCMAES192: 'aes192gcm16', GCMAES128: 'aes128gcm16',
};

/**
 * The strongSwan proposal of an (encryption, integrity) pair, or undefined when the two do
 * not go together (GCM with anything but its own GCM, an HMAC with GCM). Azure's GCM
 * offers are written with a 16-byte ICV, RFC 4106's usual one.
 */
function proposalOf(encryption: EspEncryption, integrity: Integrity): string | undefined {
  const gcm = encryption.startsWith('GCM');
  if (gcm || integrity.startsWith('GCM')) return gcm && integrity === encryption ? ENCRYPTION_KEYWORD[encryption] : undefined;
  return `${ENCRYPTION_KEYWORD[encryption]}-${integrity.toLowerCase()}`;
}

/** Proposals vgwsim implements (sim/ipsec/transforms.ts), in the order given, without repeats. */
function implemented(proposals: Iterable<string | undefined>): string[] {
  const out: string[] = [];
  for (const p of proposals) if (p !== undefined && !out.includes(p) && transformByProposal(p).ok) out.push(p);
  return out;
}

/** The ESP transforms a connection on a gateway may ask for, as strongSwan proposals vgwsim implements. */
export interface EspTransformOffers {
  /** From the default offers (initiator, then responder), NULL encryption apart. */
  readonly offered: readonly string[];
  /** NULL-encryption offers: accepted on VNet-to-VNet connections only (inside Azure). */
  readonly nullForVnet2Vnet: readonly string[];
  /** Through a custom IPsec/IKE policy on the connection; empty when the edition or the SKU has none. */
  readonly customPolicy: readonly string[];
  /** The SKUs on which this edition takes custom policies for this VPN type (empty: none). */
  readonly customPolicySkus: readonly GatewaySku[];
}

/**
 * What a connection on a gateway of (edition, vpnType, sku) may set as its `transform`:
 * an ESP offer of the edition's tables (AH and AH+ESP offers are not ESP transforms) or,
 * where the edition and SKU have them, a custom IPsec/IKE policy's pair.
 */
export function espTransformOffers(edition: RulesEdition, vpnType: VpnType, skuName: GatewaySku): EspTransformOffers {
  const p2 = (IPSEC_PARAMETERS_BY_EDITION[edition] ?? IPSEC_PARAMETERS)[vpnType].phase2;
  const esps = [...p2.initiatorOffers, ...p2.responderOffers].filter((o) => o.protocol === 'ESP' && o.encryption !== undefined);
  const all = implemented(esps.map((o) => proposalOf(o.encryption as EspEncryption, o.integrity)));
  const isNull = (name: string): boolean => name.startsWith('null-');
  const custom = p2.customPolicy;
  return {
    offered: all.filter((x) => !isNull(x)),
    nullForVnet2Vnet: p2.nullEncryptionAllowed ? all.filter(isNull) : [],
    customPolicy: custom && custom.skus.includes(skuName)
      ? implemented(custom.encryption.flatMap((e) => custom.integrity.map((i) => proposalOf(e, i))))
      : [],
    customPolicySkus: custom ? custom.skus : [],
  };
}

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
  const row = { ...r, ipsec: IPSEC_PARAMETERS_2016_LATE[r.vpnType] };
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

/** The IPsec parameters (both phases) the Azure side uses for `vpnType` under `edition` (default: the default edition). */
export function ipsecParameters(vpnType: VpnType, edition: RulesEdition = DEFAULT_EDITION): IpsecParameters {
  return (IPSEC_PARAMETERS_BY_EDITION[edition] ?? IPSEC_PARAMETERS)[vpnType];
}
