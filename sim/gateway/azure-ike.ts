/**
 * The Azure side of a connection's IKE negotiation, as data: what a gateway of a rules
 * edition and VPN type proposes and accepts (ipsec-parameters.ts's tables) turned into the
 * IKE control plane's terms (sim/ike/proposals.ts): IKE version, one IKE proposal holding
 * every algorithm Azure lists, ESP proposals in Azure's order as initiator and as responder,
 * lifetimes, PFS and dead peer detection.
 *
 * What Azure's documents leave open is filled as strongSwan does, and said here:
 * - no phase-2 lifetime (route-based, the 2015/early-2016 tables): 3,600 s, strongSwan's
 *   child rekey time;
 * - DPD's interval: 45 s, the timeout Azure documented later (the 2022 IPsec/IKE FAQ); the
 *   2016 tables only say "supported".
 * Offers vgwsim's ESP cannot carry (AH, AH+ESP, single DES, which OpenSSL 3 no longer
 * runs) are left out and named in `notModelled`, never dropped silently.
 */
import type { RulesEdition } from './editions.js';
import { ENCRYPTION_KEYWORD, ipsecParameters, proposalOf } from './ipsec-parameters.js';
import type { ChildSaOffer, IpsecParameters, Phase2Parameters } from './ipsec-parameters.js';
import type { VpnType } from './kinds.js';
import { dhGroupById } from '../ike/dh-groups.js';
import type { DhGroup } from '../ike/dh-groups.js';
import { parseEspProposal, parseIkeProposal } from '../ike/proposals.js';
import type { EspProposal, IkeProposal } from '../ike/proposals.js';

/** Child SA lifetime when the edition's table gives none (strongSwan's default rekey time). */
export const DEFAULT_CHILD_LIFETIME = 3_600;
/** Seconds of silence before a DPD liveness check (Azure's later documented DPD timeout). */
export const AZURE_DPD_DELAY = 45;

/** The Azure side's IKE settings for one edition and VPN type. */
export interface AzureIkeSide {
  readonly version: 1 | 2;
  /** One proposal with every encryption, hash (as integrity and PRF) and the DH group of phase 1. */
  readonly ikeProposals: readonly IkeProposal[];
  /** ESP proposals Azure sends as initiator, in its order (PFS group included where it uses one). */
  readonly espInitiatorProposals: readonly EspProposal[];
  /** ESP proposals Azure accepts as responder, in its order. */
  readonly espResponderProposals: readonly EspProposal[];
  readonly ikeLifetime: number;
  readonly childLifetime: number;
  readonly childLifeKilobytes: number | null;
  /** Seconds of idle before DPD; null: Azure does no DPD (policy-based). */
  readonly dpdDelay: number | null;
  /** Azure's offers that vgwsim's ESP does not implement, as the tables write them (`AH SHA1`, `ESP DES-MD5`). */
  readonly notModelled: readonly string[];
}

const HASH_KEYWORD: Readonly<Record<string, string>> = { SHA1: 'sha1', SHA256: 'sha256', MD5: 'md5' };

function offerText(o: ChildSaOffer): string {
  return `${o.protocol} ${o.encryption ? `${o.encryption}-` : ''}${o.integrity}${o.pfsGroup ? ` (PFS group ${o.pfsGroup})` : ''}`;
}

/** The strongSwan ESP proposal of an offer with its PFS group, or null when it is not plain ESP. */
function offerProposal(o: ChildSaOffer, pfs: DhGroup | null): string | null {
  const pair = o.protocol === 'ESP' && o.encryption ? proposalOf(o.encryption, o.integrity) : undefined;
  if (pair === undefined) return null;
  const group = o.pfsGroup !== undefined ? dhGroupById(o.pfsGroup) : pfs;
  return group ? `${pair}-${group.strongswan}` : pair;
}

function espProposals(offers: readonly ChildSaOffer[], pfs: DhGroup | null, notModelled: string[]): EspProposal[] {
  const out: EspProposal[] = [];
  for (const o of offers) {
    const text = offerProposal(o, pfs);
    const p = text === null ? null : parseEspProposal(text);
    if (p && p.ok) out.push(p.value);
    else if (!notModelled.includes(offerText(o))) notModelled.push(offerText(o));
  }
  return out;
}

function ikeProposal(p: IpsecParameters): IkeProposal {
  const group = dhGroupById(p.phase1.dhGroup);
  const words = [...p.phase1.encryption.map((e) => ENCRYPTION_KEYWORD[e]!), ...p.phase1.hash.map((h) => HASH_KEYWORD[h]!), group?.strongswan ?? `modp-group-${p.phase1.dhGroup}`];
  const r = parseIkeProposal(words.join('-'));
  // The tables hold only algorithms the IKE table knows (capabilities.test.ts checks every edition).
  if (!r.ok) throw new Error(`Azure's phase 1 of the tables is not an IKE proposal: ${r.error.message}`);
  return r.value;
}

function pfsGroup(p2: Phase2Parameters): DhGroup | null {
  return p2.pfs === false ? null : dhGroupById(p2.pfs.dhGroup);
}

/** The Azure side's IKE settings for a gateway of `vpnType` under rules `edition`. */
export function azureIkeSide(edition: RulesEdition, vpnType: VpnType): AzureIkeSide {
  const p = ipsecParameters(vpnType, edition);
  const p2 = p.phase2;
  const notModelled: string[] = [];
  const pfs = pfsGroup(p2);
  const espInitiatorProposals = espProposals(p2.initiatorOffers, pfs, notModelled);
  // As responder Azure takes each offer without PFS and, where the edition says so, with
  // any of the PFS groups it accepts without proposing them: the same offers again, with
  // those groups (strongSwan's way to accept both: `aes128-sha1, aes128-sha1-modp1024`).
  const responderGroups = (p2.responderPfsGroups ?? []).map((g) => dhGroupById(g)).filter((g): g is DhGroup => g !== null);
  const responderOffers = espProposals(p2.responderOffers, pfs, notModelled);
  const espResponderProposals = responderGroups.length === 0
    ? responderOffers
    : [...responderOffers, ...responderOffers.filter((e) => e.dhGroups.length === 0).map((e) => ({ ...e, dhGroups: responderGroups }))];
  return {
    version: p.phase1.ikeVersion === 'IKEv1' ? 1 : 2,
    ikeProposals: [ikeProposal(p)],
    espInitiatorProposals,
    espResponderProposals,
    ikeLifetime: p.phase1.lifetimeSeconds,
    childLifetime: p2.lifetimeSeconds ?? DEFAULT_CHILD_LIFETIME,
    childLifeKilobytes: p2.lifetimeKilobytes ?? null,
    dpdDelay: p2.deadPeerDetection ? AZURE_DPD_DELAY : null,
    notModelled,
  };
}
