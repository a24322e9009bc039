/**
 * The Azure side's IPsec parameters per edition of the rules, as DATA transcribed from
 * reference/azure-vpn-gateways-2016.md ("IPsec parameters") and the Azure documents named at
 * each table: IKE version, phase-1 algorithms and lifetime, child SA offers as initiator and
 * responder, PFS, DPD and custom policies, and the ESP transforms they let a connection use.
 * Rejects nothing: a lookup answers from the tables.
 */
import type { GatewaySku, VpnType } from './kinds.js';
import { DEFAULT_EDITION } from './editions.js';
import type { RulesEdition } from './editions.js';
import { transformByProposal } from '../ipsec/transforms.js';

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
export const ENCRYPTION_KEYWORD: Readonly<Record<EspEncryption, string>> = {
  AES256: 'aes256', AES192: 'aes192', AES128: 'aes128', '3DES': '3des', DES: 'des', NULL: 'null',
  GCMAES256: 'aes256gcm16', GCMAES192: 'aes192gcm16', GCMAES128: 'aes128gcm16',
};

/**
 * The strongSwan proposal of an (encryption, integrity) pair, or undefined when the two do
 * not go together (GCM with anything but its own GCM, an HMAC with GCM). Azure's GCM
 * offers are written with a 16-byte ICV, RFC 4106's usual one.
 */
export function proposalOf(encryption: EspEncryption, integrity: Integrity): string | undefined {
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

/** The IPsec parameters (both phases) the Azure side uses for `vpnType` under `edition` (default: the default edition). */
export function ipsecParameters(vpnType: VpnType, edition: RulesEdition = DEFAULT_EDITION): IpsecParameters {
  return (IPSEC_PARAMETERS_BY_EDITION[edition] ?? IPSEC_PARAMETERS)[vpnType];
}
