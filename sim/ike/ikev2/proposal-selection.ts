/**
 * IKEv2 proposals on the wire (RFC 7296 §3.3): this side's configured IKE and ESP proposals
 * as SA payload proposals, the choice a responder makes among a peer's proposals, the check
 * an initiator makes of the one proposal the responder returned, and the words logs and
 * status details use for both.
 *
 * Owns the selection rule, which is strongSwan's (`proposal_select` and `select_algos` in
 * src/libstrongswan/crypto/proposal/proposal.c, with its default
 * `prefer_configured_proposals = yes`): our proposals in our order, each against the peer's
 * in theirs; the first pair that agrees wins; within a transform type our algorithm order
 * decides. Every transform type either side lists must agree, except that an AEAD cipher
 * drops integrity and that, for ESP, a side with no Diffie-Hellman group accepts the other's
 * only if the other also lists NONE (so PFS on one side only is a mismatch, as in strongSwan).
 * In IKE_AUTH the ESP proposals go without groups and the groups are skipped in selection
 * (RFC 7296 §1.2; strongSwan's `PROPOSAL_SKIP_KE`). Transform order on the wire is
 * strongSwan's: ENCR, INTEG, PRF, DH, ESN. Only NO_ESN is offered or accepted (the ESP code
 * has 32-bit sequence numbers). Refuses nothing by throwing: a peer's proposal with
 * transforms this side does not know simply does not match; a returned proposal that is not
 * one of ours is `null`.
 */
import { INTEGRITIES, makeTransform, type EncryptionInfo, type IntegrityInfo, type Transform as EspTransform } from '../../ipsec/transforms.js';
import { IKE_ENCRYPTION_NAMES, IKE_ENCRYPTIONS, IKE_INTEGRITY_NAMES, IKE_INTEGRITIES, IKE_PRF_NAMES, IKE_PRFS, type IkeEncryption, type IkeIntegrity, type IkePrf } from '../algorithms.js';
import { dhGroupById, type DhGroup } from '../dh-groups.js';
import type { EspProposal, IkeProposal, IkeSuite } from '../proposals.js';
import { keyLengthAttribute, transformKeyLength, type Proposal, type Transform } from '../../wire/ikev2-sa.js';
import { EncrId, EsnId, ProtocolId, TransformType, transformIdName } from '../../wire/ikev2-numbers.js';

/** A transform as (type, id, key length in bits or null). */
interface Algo {
  readonly type: number;
  readonly id: number;
  readonly bits: number | null;
}

function wire(a: Algo): Transform {
  return { type: a.type, id: a.id, attributes: a.bits === null ? [] : [keyLengthAttribute(a.bits)] };
}

function algoOf(t: Transform): Algo {
  return { type: t.type, id: t.id, bits: transformKeyLength(t) ?? null };
}

function sameAlgo(a: Algo, b: Algo): boolean {
  return a.type === b.type && a.id === b.id && a.bits === b.bits;
}

const ENCR = (e: IkeEncryption): Algo => ({ type: TransformType.ENCR, id: e.ikev2Id, bits: e.keyLengthBits });
const INTEG = (i: IkeIntegrity): Algo => ({ type: TransformType.INTEG, id: i.ikev2Id, bits: null });
const PRF = (p: IkePrf): Algo => ({ type: TransformType.PRF, id: p.ikev2Id, bits: null });
const DH = (g: DhGroup): Algo => ({ type: TransformType.DH, id: g.id, bits: null });
const NO_ESN: Algo = { type: TransformType.ESN, id: EsnId.NO_ESN, bits: null };

/** ESP encryption as an IKEv2 ENCR transform (RFC 7296 §3.3.2; NULL is 11, RFC 2410). */
function espEncr(e: EncryptionInfo): Algo {
  if (e.mode === 'null') return { type: TransformType.ENCR, id: EncrId.NULL, bits: null };
  const ike = IKE_ENCRYPTION_NAMES.map((n) => IKE_ENCRYPTIONS[n]).find((x) => x.esp === e.name);
  if (!ike) throw new RangeError(`ESP encryption ${e.name} has no IKEv2 transform`);
  return ENCR(ike);
}

/** ESP integrity as an IKEv2 INTEG transform. */
function espInteg(i: IntegrityInfo): Algo {
  const ike = IKE_INTEGRITY_NAMES.map((n) => IKE_INTEGRITIES[n]).find((x) => x.esp === i.name);
  if (!ike) throw new RangeError(`ESP integrity ${i.name} has no IKEv2 transform`);
  return INTEG(ike);
}

/** Our IKE proposals as SA payload proposals, numbered from 1, with `spi` (empty in IKE_SA_INIT, the new SPI in a rekey). */
export function ikeProposalsOnWire(proposals: readonly IkeProposal[], spi: Uint8Array, preferGroup: DhGroup | null = null): Proposal[] {
  return orderForGroup(proposals, preferGroup).map((p, i) => ({
    number: i + 1,
    protocol: ProtocolId.IKE,
    spi,
    transforms: [...p.encryptions.map(ENCR), ...p.integrities.map(INTEG), ...p.prfs.map(PRF), ...p.dhGroups.map(DH)].map(wire),
  }));
}

/**
 * Proposals with `group` first, and `group` first within each (strongSwan's `build_payloads`
 * after INVALID_KE_PAYLOAD, and for a rekey reusing the old group), so the KE payload matches
 * the first proposal.
 */
function orderForGroup(proposals: readonly IkeProposal[], group: DhGroup | null): IkeProposal[] {
  if (!group) return [...proposals];
  const withGroup = proposals.filter((p) => p.dhGroups.includes(group)).map((p) => ({ ...p, dhGroups: [group, ...p.dhGroups.filter((g) => g !== group)] }));
  return [...withGroup, ...proposals.filter((p) => !p.dhGroups.includes(group))];
}

/** Our ESP proposals on the wire with our inbound `spi`; groups only when `withGroups` (never in IKE_AUTH). */
export function espProposalsOnWire(proposals: readonly EspProposal[], spi: Uint8Array, withGroups: boolean, preferGroup: DhGroup | null = null): Proposal[] {
  const ordered = preferGroup
    ? [...proposals.filter((p) => p.dhGroups.includes(preferGroup)).map((p) => ({ ...p, dhGroups: [preferGroup, ...p.dhGroups.filter((g) => g !== preferGroup)] })), ...proposals.filter((p) => !p.dhGroups.includes(preferGroup))]
    : proposals;
  return ordered.map((p, i) => ({
    number: i + 1,
    protocol: ProtocolId.ESP,
    spi,
    transforms: [...p.encryptions.map(espEncr), ...p.integrities.map(espInteg), ...(withGroups ? p.dhGroups.map(DH) : []), NO_ESN].map(wire),
  }));
}

/** The algorithms of one type a wire proposal lists, in its order. */
function listed(p: Proposal, type: number): Algo[] {
  return p.transforms.filter((t) => t.type === type).map(algoOf);
}

/** Our first algorithm of `type` the peer lists too, or null. */
function firstCommon(ours: readonly Algo[], theirs: readonly Algo[]): Algo | null {
  return ours.find((a) => theirs.some((b) => sameAlgo(a, b))) ?? null;
}

/** The IKE SA's algorithms a responder chose, and the peer's proposal number it answers. */
export interface IkeSelection {
  readonly number: number;
  readonly suite: IkeSuite;
}

function ikeMatch(ours: IkeProposal, theirs: Proposal): IkeSuite | null {
  if (theirs.protocol !== ProtocolId.IKE) return null;
  const encrAlgo = firstCommon(ours.encryptions.map(ENCR), listed(theirs, TransformType.ENCR));
  const encryption = encrAlgo && ours.encryptions.find((e) => sameAlgo(ENCR(e), encrAlgo));
  if (!encryption) return null;
  let integrity: IkeIntegrity | null = null;
  if (encryption.mode !== 'gcm') {
    const a = firstCommon(ours.integrities.map(INTEG), listed(theirs, TransformType.INTEG));
    integrity = (a && ours.integrities.find((i) => sameAlgo(INTEG(i), a))) ?? null;
    if (!integrity) return null;
  }
  const prfAlgo = firstCommon(ours.prfs.map(PRF), listed(theirs, TransformType.PRF));
  const prf = prfAlgo && ours.prfs.find((f) => sameAlgo(PRF(f), prfAlgo));
  const groupAlgo = firstCommon(ours.dhGroups.map(DH), listed(theirs, TransformType.DH));
  const dhGroup = groupAlgo && ours.dhGroups.find((g) => g.id === groupAlgo.id);
  if (!prf || !dhGroup) return null;
  if (listed(theirs, TransformType.ESN).length > 0) return null;
  return { encryption, integrity, prf, dhGroup };
}

/** The responder's choice among the peer's IKE proposals, or null: NO_PROPOSAL_CHOSEN. */
export function selectIkeProposal(ours: readonly IkeProposal[], theirs: readonly Proposal[]): IkeSelection | null {
  for (const o of ours) {
    for (const t of theirs) {
      const suite = ikeMatch(o, t);
      if (suite) return { number: t.number, suite };
    }
  }
  return null;
}

/** The one proposal a responder returns: the chosen algorithms under the peer's number, with the responder's SPI. */
export function ikeSelectionOnWire(sel: IkeSelection, spi: Uint8Array): Proposal {
  const s = sel.suite;
  const transforms = [ENCR(s.encryption), ...(s.integrity ? [INTEG(s.integrity)] : []), PRF(s.prf), DH(s.dhGroup)].map(wire);
  return { number: sel.number, protocol: ProtocolId.IKE, spi, transforms };
}

/**
 * The suite a responder returned, if it is a choice from the proposal of ours with its number
 * (exactly one algorithm of each type we offered in it); null otherwise (strongSwan: "peer's
 * proposal selection invalid").
 */
export function acceptedIkeProposal(offered: readonly Proposal[], returned: readonly Proposal[]): { suite: IkeSuite; spi: Uint8Array } | null {
  if (returned.length !== 1) return null;
  const r = returned[0]!;
  const ours = offered.find((p) => p.number === r.number);
  if (!ours || r.protocol !== ProtocolId.IKE) return null;
  const one = (type: number): Algo | null | undefined => {
    const got = listed(r, type);
    if (got.length > 1) return undefined;
    const a = got[0] ?? null;
    if (a && !listed(ours, type).some((b) => sameAlgo(a, b))) return undefined;
    return a;
  };
  const e = one(TransformType.ENCR);
  const i = one(TransformType.INTEG);
  const f = one(TransformType.PRF);
  const d = one(TransformType.DH);
  if (!e || i === undefined || !f || !d) return null;
  const encryption = IKE_ENCRYPTION_NAMES.map((n) => IKE_ENCRYPTIONS[n]).find((x) => sameAlgo(ENCR(x), e));
  const integrity = i ? IKE_INTEGRITY_NAMES.map((n) => IKE_INTEGRITIES[n]).find((x) => sameAlgo(INTEG(x), i)) ?? null : null;
  const prf = IKE_PRF_NAMES.map((n) => IKE_PRFS[n]).find((x) => sameAlgo(PRF(x), f));
  const dhGroup = dhGroupById(d.id);
  if (!encryption || !prf || !dhGroup || (encryption.mode !== 'gcm') !== (integrity !== null)) return null;
  return { suite: { encryption, integrity, prf, dhGroup }, spi: r.spi };
}

/** An ESP choice: the transform, the PFS group (null: none), the peer's proposal number and SPI. */
export interface EspSelection {
  readonly number: number;
  readonly transform: EspTransform;
  readonly dhGroup: DhGroup | null;
  /** The SPI the peer put in its proposal: the one its inbound SA has. */
  readonly peerSpi: Uint8Array;
}

function groupsAgree(ours: readonly Algo[], theirs: readonly Algo[]): { ok: boolean; group: Algo | null } {
  const realTheirs = theirs.filter((a) => a.id !== 0);
  if (ours.length === 0) return { ok: theirs.length === 0 || theirs.some((a) => a.id === 0), group: null };
  if (theirs.length === 0) return { ok: false, group: null };
  const g = firstCommon(ours, realTheirs);
  return { ok: g !== null, group: g };
}

function espMatch(ours: EspProposal, theirs: Proposal, skipGroups: boolean): Omit<EspSelection, 'number' | 'peerSpi'> | null {
  if (theirs.protocol !== ProtocolId.ESP) return null;
  const theirEncr = listed(theirs, TransformType.ENCR);
  const encryption = ours.encryptions.find((e) => theirEncr.some((t) => sameAlgo(espEncr(e), t)));
  if (!encryption) return null;
  let integrity: IntegrityInfo = INTEGRITIES.none;
  if (encryption.mode !== 'gcm') {
    const theirInteg = listed(theirs, TransformType.INTEG);
    const i = ours.integrities.find((x) => theirInteg.some((t) => sameAlgo(espInteg(x), t)));
    if (!i) return null;
    integrity = i;
  }
  let dhGroup: DhGroup | null = null;
  if (!skipGroups) {
    const agree = groupsAgree(ours.dhGroups.map(DH), listed(theirs, TransformType.DH));
    if (!agree.ok) return null;
    dhGroup = agree.group ? dhGroupById(agree.group.id) : null;
  }
  const esn = listed(theirs, TransformType.ESN);
  if (!esn.some((a) => a.id === EsnId.NO_ESN)) return null;
  const t = makeTransform(encryption.name, integrity.name);
  return t.ok ? { transform: t.value, dhGroup } : null;
}

/** The responder's choice among the peer's ESP proposals, or null: NO_PROPOSAL_CHOSEN. `skipGroups` in IKE_AUTH. */
export function selectEspProposal(ours: readonly EspProposal[], theirs: readonly Proposal[], skipGroups: boolean): EspSelection | null {
  for (const o of ours) {
    for (const t of theirs) {
      const m = espMatch(o, t, skipGroups);
      if (m) return { ...m, number: t.number, peerSpi: t.spi };
    }
  }
  return null;
}

/** The one ESP proposal a responder returns, with its own inbound SPI. */
export function espSelectionOnWire(sel: EspSelection, spi: Uint8Array): Proposal {
  const transforms = [
    espEncr(sel.transform.encryption),
    ...(sel.transform.integrity.name === 'none' ? [] : [espInteg(sel.transform.integrity)]),
    ...(sel.dhGroup ? [DH(sel.dhGroup)] : []),
    NO_ESN,
  ].map(wire);
  return { number: sel.number, protocol: ProtocolId.ESP, spi, transforms };
}

/** The ESP choice a responder returned, if it is one of ours (by number); null otherwise. */
export function acceptedEspProposal(ours: readonly EspProposal[], offered: readonly Proposal[], returned: readonly Proposal[], skipGroups: boolean): EspSelection | null {
  if (returned.length !== 1) return null;
  const r = returned[0]!;
  const offeredOne = offered.find((p) => p.number === r.number);
  if (!offeredOne || r.spi.length !== 4) return null;
  for (const t of r.transforms) if (!offeredOne.transforms.some((o) => sameAlgo(algoOf(o), algoOf(t)))) return null;
  for (const type of [TransformType.ENCR, TransformType.INTEG, TransformType.DH, TransformType.ESN]) if (listed(r, type).length > 1) return null;
  const sel = selectEspProposal(ours, [r], skipGroups);
  if (!sel) return null;
  if (!skipGroups && listed(offeredOne, TransformType.DH).length > 0 && !sel.dhGroup) return null;
  return sel;
}

const ENCR_KEYWORDS = new Map<string, string>([
  ...IKE_ENCRYPTION_NAMES.map((n) => [`${IKE_ENCRYPTIONS[n].ikev2Id}/${IKE_ENCRYPTIONS[n].keyLengthBits}`, n] as const),
  [`${EncrId.NULL}/null`, 'null'],
]);
const INTEG_KEYWORDS = new Map(IKE_INTEGRITY_NAMES.map((n) => [IKE_INTEGRITIES[n].ikev2Id, n] as const));
const PRF_KEYWORDS = new Map(IKE_PRF_NAMES.map((n) => [IKE_PRFS[n].ikev2Id, n] as const));

/** One wire transform in strongSwan's keyword spelling (`aes256`, `sha1`, `prfsha1`, `modp1024`), or its log name when there is none. */
function keyword(a: Algo): string {
  switch (a.type) {
    case TransformType.ENCR:
      return ENCR_KEYWORDS.get(`${a.id}/${a.bits}`) ?? logName(a).toLowerCase();
    case TransformType.INTEG:
      return INTEG_KEYWORDS.get(a.id) ?? logName(a).toLowerCase();
    case TransformType.PRF:
      return PRF_KEYWORDS.get(a.id) ?? logName(a).toLowerCase();
    case TransformType.DH:
      return dhGroupById(a.id)?.strongswan ?? logName(a).toLowerCase();
    default:
      return logName(a).toLowerCase();
  }
}

/** strongSwan's log name of a transform: `AES_CBC_256`, `HMAC_SHA1_96`, `PRF_HMAC_SHA1`, `MODP_1024`, `NO_EXT_SEQ`. */
function logName(a: Algo): string {
  const name = transformIdName(a.type, a.id);
  return a.bits === null ? name : `${name}_${a.bits}`;
}

const TYPE_ORDER = [TransformType.ENCR, TransformType.INTEG, TransformType.PRF, TransformType.DH, TransformType.ESN];

function inOrder(p: Proposal): Algo[] {
  const known = TYPE_ORDER.flatMap((type) => listed(p, type));
  return [...known, ...p.transforms.filter((t) => !TYPE_ORDER.includes(t.type as (typeof TYPE_ORDER)[number])).map(algoOf)];
}

/**
 * A proposal in strongSwan's proposal-string words, for status details:
 * `aes256-sha1-modp1024` (the PRF left out when it is the one the integrity algorithm
 * implies, the ESN left out, as configurations are written).
 */
export function proposalKeywords(p: Proposal): string {
  const algos = inOrder(p).filter((a) => a.type !== TransformType.ESN);
  const implied = new Set<number>();
  for (const a of algos) {
    const integ = a.type === TransformType.INTEG ? INTEG_KEYWORDS.get(a.id) : undefined;
    if (integ) implied.add(IKE_PRFS[IKE_INTEGRITIES[integ].prf].ikev2Id);
  }
  const prfIds = algos.filter((a) => a.type === TransformType.PRF).map((a) => a.id);
  const prfImplied = prfIds.length === implied.size && prfIds.every((id) => implied.has(id));
  return algos.filter((a) => !(prfImplied && a.type === TransformType.PRF)).map(keyword).join('-');
}

/** Several proposals for a status detail: `aes256-sha1-modp1024, aes128-sha1-modp1024`. */
export function proposalsKeywords(ps: readonly Proposal[]): string {
  return ps.map(proposalKeywords).join(', ');
}

/** A proposal as strongSwan logs it (`%P`): `IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024`, `ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ`. */
export function proposalLogText(p: Proposal): string {
  const proto = p.protocol === ProtocolId.IKE ? 'IKE' : p.protocol === ProtocolId.ESP ? 'ESP' : p.protocol === ProtocolId.AH ? 'AH' : `(${p.protocol})`;
  return `${proto}:${inOrder(p).map(logName).join('/')}`;
}

/** Several proposals as strongSwan logs them (`%#P`), comma-separated. */
export function proposalsLogText(ps: readonly Proposal[]): string {
  return ps.map(proposalLogText).join(', ');
}

/** The negotiated ESP transform in strongSwan's words (`ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ`), via its wire form. */
export function espSelectionLogText(sel: EspSelection): string {
  return proposalLogText(espSelectionOnWire(sel, new Uint8Array(4)));
}

/** Whether an ESP proposal list offers PFS (any Diffie-Hellman group). */
export function offersPfs(ps: readonly EspProposal[]): boolean {
  return ps.some((p) => p.dhGroups.length > 0);
}
