/**
 * IKEv1 proposals: the SA payloads a side offers (Main Mode's phase-1 SA, Quick Mode's ESP
 * SA), what a received transform means, and the choice between what was offered and what is
 * configured (RFC 2409 §5, Appendix A; RFC 2407 §4.5; RFC 3947 §5 for the UDP modes).
 *
 * Owns the rules, which are strongSwan's (`proposal_substructure.c`, `proposal.c`
 * proposal_select): one proposal whose transforms are the alternatives, numbered from 1; the
 * attribute order strongSwan writes (phase 1: encryption, key length, hash, group, auth method,
 * life type, duration; phase 2: key length, auth algorithm, group, encapsulation, life
 * seconds, life kilobytes); AES without a Key Length attribute read as AES-128; the
 * responder prefers its own configured order and returns the one transform it took, with its
 * number. One difference, said here: strongSwan offers only the first algorithm of each kind
 * of a configured proposal in IKEv1; this offers every combination (encryption × integrity ×
 * group), so `aes256-aes128-sha1-modp1024` offers both ciphers; a one-algorithm proposal,
 * Azure's kind, gives the same bytes.
 *
 * Refuses nothing by throwing: a transform with a value it does not know is `unknown` (kept
 * for the logs), and selection simply does not pick it.
 */
import {
  attribute,
  attributeNumber,
  Doi,
  EncapsulationMode,
  IkeAttribute,
  IkeAuthMethod,
  IpsecAttribute,
  IsakmpTransformId,
  LifeType,
  ProtocolId,
  Situation,
  type IsakmpAttribute,
  type IsakmpProposal,
  type IsakmpTransform,
  type SaPayload,
} from '../../wire/isakmp.js';
import { ENCRYPTIONS, INTEGRITIES, makeTransform, type Transform } from '../../ipsec/transforms.js';
import { IKE_ENCRYPTION_NAMES, IKE_ENCRYPTIONS, IKE_INTEGRITIES, IKE_INTEGRITY_NAMES, IKE_PRFS, IKE_PRF_NAMES, type IkeEncryption } from '../algorithms.js';
import { dhGroupByIkev1, type DhGroup } from '../dh-groups.js';
import { formatIkeProposal, type EspProposal, type IkeProposal, type IkeSuite } from '../proposals.js';

// ---------------------------------------------------------------------------------------------
// Phase 1

/** One phase-1 transform as offered or received: a suite (null when a value is unknown) and its lifetime. */
export interface Phase1Choice {
  /** The transform number it had on the wire. */
  readonly number: number;
  readonly suite: IkeSuite | null;
  /** Pre-shared key authentication (the only method spoken here). */
  readonly psk: boolean;
  /** SA lifetime in seconds, or null when the transform names none. */
  readonly lifetime: number | null;
  /** strongSwan's log words for it: `IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024`. */
  readonly words: string;
}

/** Every suite a side offers in Main Mode, in its order (IKEv1 has no GCM phase 1: those are skipped). */
export function phase1Suites(proposals: readonly IkeProposal[]): IkeSuite[] {
  const out: IkeSuite[] = [];
  for (const p of proposals) {
    for (const encryption of p.encryptions) {
      if (encryption.ikev1 === null || encryption.mode !== 'cbc') continue;
      for (const integrity of p.integrities) {
        for (const dhGroup of p.dhGroups) out.push({ encryption, integrity, prf: IKE_PRFS[integrity.prf], dhGroup });
      }
    }
  }
  return out;
}

function phase1Attributes(s: IkeSuite, lifetime: number): IsakmpAttribute[] {
  const a = [attribute(IkeAttribute.ENCRYPTION_ALGORITHM, s.encryption.ikev1 ?? 0)];
  if (s.encryption.keyLengthBits !== null) a.push(attribute(IkeAttribute.KEY_LENGTH, s.encryption.keyLengthBits));
  a.push(
    attribute(IkeAttribute.HASH_ALGORITHM, s.prf.ikev1Hash),
    attribute(IkeAttribute.GROUP_DESCRIPTION, s.dhGroup.ikev1),
    attribute(IkeAttribute.AUTHENTICATION_METHOD, IkeAuthMethod.PRE_SHARED_KEY),
    attribute(IkeAttribute.LIFE_TYPE, LifeType.SECONDS),
    attribute(IkeAttribute.LIFE_DURATION, lifetime),
  );
  return a;
}

function saPayload(protocol: number, spi: Uint8Array, transforms: IsakmpTransform[]): SaPayload {
  return { kind: 'sa', doi: Doi.IPSEC, situation: Situation.IDENTITY_ONLY, proposals: [{ number: 1, protocol, spi, transforms }] };
}

/** The initiator's phase-1 SA payload: one ISAKMP proposal, one KEY_IKE transform per suite. */
export function phase1Offer(suites: readonly IkeSuite[], lifetime: number): SaPayload {
  return saPayload(
    ProtocolId.ISAKMP,
    new Uint8Array(0),
    suites.map((s, i) => ({ number: i + 1, id: IsakmpTransformId.KEY_IKE, attributes: phase1Attributes(s, lifetime) })),
  );
}

/** The responder's phase-1 SA payload: the chosen transform alone, with its number and the lifetime it took. */
export function phase1Answer(choice: Phase1Choice & { readonly suite: IkeSuite }, lifetime: number): SaPayload {
  return saPayload(ProtocolId.ISAKMP, new Uint8Array(0), [{ number: choice.number, id: IsakmpTransformId.KEY_IKE, attributes: phase1Attributes(choice.suite, lifetime) }]);
}

function value(attrs: readonly IsakmpAttribute[], type: number): number | null {
  const a = attrs.find((x) => x.type === type);
  return a ? attributeNumber(a) : null;
}

/** A life duration of `lifeType`: the duration attribute that follows a life-type attribute with that value (RFC 2407 §4.5). */
function lifeDuration(attrs: readonly IsakmpAttribute[], typeAttr: number, durationAttr: number, lifeType: number): number | null {
  for (let i = 0; i < attrs.length; i++) {
    if (attrs[i]!.type !== typeAttr || attributeNumber(attrs[i]!) !== lifeType) continue;
    for (let j = i + 1; j < attrs.length; j++) if (attrs[j]!.type === durationAttr) return attributeNumber(attrs[j]!);
  }
  return null;
}

function ikeEncryptionByIkev1(v: number | null, bits: number | null): IkeEncryption | null {
  if (v === null) return null;
  // AES without a Key Length attribute is AES-128 (early RFC 3602 drafts; strongSwan reads it so).
  const wanted = bits ?? (v === 7 ? 128 : null);
  return IKE_ENCRYPTION_NAMES.map((n) => IKE_ENCRYPTIONS[n]).find((e) => e.ikev1 === v && e.keyLengthBits === wanted) ?? null;
}

/** What a received phase-1 transform offers. */
export function readPhase1Transform(t: IsakmpTransform): Phase1Choice {
  const a = t.attributes;
  const encryption = ikeEncryptionByIkev1(value(a, IkeAttribute.ENCRYPTION_ALGORITHM), value(a, IkeAttribute.KEY_LENGTH));
  const hash = value(a, IkeAttribute.HASH_ALGORITHM);
  const prf = IKE_PRF_NAMES.map((n) => IKE_PRFS[n]).find((p) => p.ikev1Hash === hash) ?? null;
  const integrity = prf ? IKE_INTEGRITY_NAMES.map((n) => IKE_INTEGRITIES[n]).find((i) => i.prf === prf.name) ?? null : null;
  const group = value(a, IkeAttribute.GROUP_DESCRIPTION);
  const dhGroup = group === null ? null : dhGroupByIkev1(group);
  const suite = encryption && encryption.mode === 'cbc' && integrity && prf && dhGroup ? { encryption, integrity, prf, dhGroup } : null;
  const words = suite
    ? formatIkeProposal(suite)
    : `IKE:${[
      encryption?.strongswanName ?? `ENCR_${value(a, IkeAttribute.ENCRYPTION_ALGORITHM) ?? 'NONE'}`,
      integrity?.strongswanName ?? `HASH_${hash ?? 'NONE'}`,
      prf?.strongswanName ?? `PRF_${hash ?? 'NONE'}`,
      dhGroup?.strongswanName ?? `GROUP_${group ?? 'NONE'}`,
    ].join('/')}`;
  return {
    number: t.number,
    suite,
    psk: value(a, IkeAttribute.AUTHENTICATION_METHOD) === IkeAuthMethod.PRE_SHARED_KEY,
    lifetime: lifeDuration(a, IkeAttribute.LIFE_TYPE, IkeAttribute.LIFE_DURATION, LifeType.SECONDS),
    words,
  };
}

function sameSuite(a: IkeSuite, b: IkeSuite): boolean {
  return a.encryption === b.encryption && a.integrity === b.integrity && a.prf === b.prf && a.dhGroup === b.dhGroup;
}

/** The phase-1 transforms of an SA payload (its first ISAKMP proposal), or [] when it has none. */
export function phase1Transforms(sa: SaPayload): Phase1Choice[] {
  const p = sa.proposals.find((x) => x.protocol === ProtocolId.ISAKMP);
  return p ? p.transforms.map(readPhase1Transform) : [];
}

/** The responder's choice: our suites in our order, the first the peer offered with PSK; null when none. */
export function selectPhase1(ours: readonly IkeSuite[], offered: readonly Phase1Choice[]): (Phase1Choice & { readonly suite: IkeSuite }) | null {
  for (const s of ours) {
    const match = offered.find((o) => o.psk && o.suite !== null && sameSuite(o.suite, s));
    if (match) return { ...match, suite: s };
  }
  return null;
}

/** Whether the responder's answer is one of the suites we offered (it must be exactly one transform). */
export function acceptPhase1Answer(ours: readonly IkeSuite[], answer: readonly Phase1Choice[]): (Phase1Choice & { readonly suite: IkeSuite }) | null {
  if (answer.length !== 1) return null;
  const a = answer[0]!;
  const s = a.suite;
  if (!s || !a.psk) return null;
  const mine = ours.find((o) => sameSuite(o, s));
  return mine ? { ...a, suite: mine } : null;
}

// ---------------------------------------------------------------------------------------------
// Phase 2 (ESP)

/** One ESP alternative: a transform and the PFS group (null: no PFS). */
export interface EspChoice {
  readonly transform: Transform;
  readonly pfsGroup: DhGroup | null;
}

/** One received ESP transform: what it offers (null when a value is unknown), its lifetimes and mode. */
export interface EspOffer {
  readonly number: number;
  readonly choice: EspChoice | null;
  /** Seconds (RFC 2407 §4.5: 28,800 when absent) and kilobytes (null when absent). */
  readonly lifetime: number;
  readonly lifeKilobytes: number | null;
  readonly encapsulation: number;
  readonly words: string;
}

/** What a side's lifetimes are when it proposes or answers. */
export interface EspLifetimes {
  readonly seconds: number;
  readonly kilobytes: number | null;
}

/** RFC 2407 §4.5: "If unspecified, the default value shall be assumed to be 28800 seconds". */
export const DEFAULT_PHASE2_LIFETIME = 28_800;

/**
 * Every ESP alternative a side offers, in its order. With PFS, only the proposals that have
 * `pfsGroup`, each with that group (strongSwan `quick_mode.c` get_proposals); without, every
 * proposal's transforms with no group.
 */
export function espChoices(proposals: readonly EspProposal[], pfsGroup: DhGroup | null): EspChoice[] {
  const out: EspChoice[] = [];
  for (const p of proposals) {
    if (pfsGroup !== null && !p.dhGroups.includes(pfsGroup)) continue;
    if (pfsGroup === null && p.dhGroups.length > 0) continue;
    for (const e of p.encryptions) {
      for (const i of p.integrities.length === 0 ? [INTEGRITIES.none] : p.integrities) {
        const t = makeTransform(e.name, i.name);
        if (t.ok) out.push({ transform: t.value, pfsGroup });
      }
    }
  }
  return out;
}

/**
 * The PFS group a Quick Mode initiator uses: none when no ESP proposal names one; else the
 * ISAKMP SA's group when a proposal has it, else the first proposal's first (strongSwan
 * `quick_mode.c` build_i).
 */
export function pfsGroupFor(proposals: readonly EspProposal[], ikeGroup: DhGroup): DhGroup | null {
  const withGroups = proposals.filter((p) => p.dhGroups.length > 0);
  if (withGroups.length === 0) return null;
  return withGroups.some((p) => p.dhGroups.includes(ikeGroup)) ? ikeGroup : withGroups[0]!.dhGroups[0]!;
}

/** Every configured alternative a responder could take, for any group the peer may ask (in configured order). */
export function espChoicesAnyGroup(proposals: readonly EspProposal[]): EspChoice[] {
  const out: EspChoice[] = [];
  for (const p of proposals) {
    const groups: (DhGroup | null)[] = p.dhGroups.length > 0 ? [...p.dhGroups] : [null];
    for (const g of groups) out.push(...espChoices([p], g));
  }
  return out;
}

function ikeEncryptionOfEsp(t: Transform): IkeEncryption | null {
  return IKE_ENCRYPTION_NAMES.map((n) => IKE_ENCRYPTIONS[n]).find((e) => e.esp === t.encryption.name) ?? null;
}

function espAuthValue(t: Transform): number | null {
  if (t.integrity.name === 'none') return null;
  return IKE_INTEGRITY_NAMES.map((n) => IKE_INTEGRITIES[n]).find((i) => i.esp === t.integrity.name)?.ikev1EspAuth ?? null;
}

/** strongSwan's log words for an ESP alternative: `ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ`. */
export function formatEspChoice(c: EspChoice): string {
  const enc = ikeEncryptionOfEsp(c.transform);
  const integ = IKE_INTEGRITY_NAMES.map((n) => IKE_INTEGRITIES[n]).find((i) => i.esp === c.transform.integrity.name);
  const parts = [enc?.strongswanName ?? c.transform.encryption.label];
  if (integ) parts.push(integ.strongswanName);
  if (c.pfsGroup) parts.push(c.pfsGroup.strongswanName);
  parts.push('NO_EXT_SEQ');
  return `ESP:${parts.join('/')}`;
}

/** Encapsulation mode for tunnel mode: UDP-encapsulated once a NAT was seen (RFC 3947 §5). */
export function tunnelMode(nat: boolean): number {
  return nat ? EncapsulationMode.UDP_ENCAPSULATED_TUNNEL : EncapsulationMode.TUNNEL;
}

function espTransform(c: EspChoice, number: number, lifetimes: EspLifetimes, encapsulation: number): IsakmpTransform | null {
  const enc = ikeEncryptionOfEsp(c.transform);
  if (!enc || enc.ikev1Esp === null) return null;
  const a: IsakmpAttribute[] = [];
  if (enc.keyLengthBits !== null) a.push(attribute(IpsecAttribute.KEY_LENGTH, enc.keyLengthBits));
  const auth = espAuthValue(c.transform);
  if (auth !== null) a.push(attribute(IpsecAttribute.AUTHENTICATION_ALGORITHM, auth));
  if (c.pfsGroup) a.push(attribute(IpsecAttribute.GROUP_DESCRIPTION, c.pfsGroup.ikev1));
  a.push(attribute(IpsecAttribute.ENCAPSULATION_MODE, encapsulation));
  a.push(attribute(IpsecAttribute.SA_LIFE_TYPE, LifeType.SECONDS), attribute(IpsecAttribute.SA_LIFE_DURATION, lifetimes.seconds));
  if (lifetimes.kilobytes !== null) {
    a.push(attribute(IpsecAttribute.SA_LIFE_TYPE, LifeType.KILOBYTES), attribute(IpsecAttribute.SA_LIFE_DURATION, lifetimes.kilobytes));
  }
  return { number, id: enc.ikev1Esp, attributes: a };
}

/** An ESP SA payload: one ESP proposal with SPI `spi`, one transform per alternative (numbered from `firstNumber`). */
export function espSaPayload(choices: readonly EspChoice[], spi: number, lifetimes: EspLifetimes, encapsulation: number, numbers?: readonly number[]): SaPayload {
  const transforms: IsakmpTransform[] = [];
  choices.forEach((c, i) => {
    const t = espTransform(c, numbers?.[i] ?? transforms.length + 1, lifetimes, encapsulation);
    if (t) transforms.push(t);
  });
  return saPayload(ProtocolId.ESP, Uint8Array.of(spi >>> 24, (spi >>> 16) & 0xff, (spi >>> 8) & 0xff, spi & 0xff), transforms);
}

/** What a received ESP transform offers. */
export function readEspTransform(t: IsakmpTransform): EspOffer {
  const a = t.attributes;
  const bits = value(a, IpsecAttribute.KEY_LENGTH);
  const enc = IKE_ENCRYPTION_NAMES.map((n) => IKE_ENCRYPTIONS[n]).find((e) => e.ikev1Esp === t.id && e.keyLengthBits === (bits ?? (t.id === 12 ? 128 : null)) && e.esp !== null) ?? null;
  const authValue = value(a, IpsecAttribute.AUTHENTICATION_ALGORITHM);
  const integ = authValue === null ? INTEGRITIES.none : INTEGRITIES[IKE_INTEGRITY_NAMES.map((n) => IKE_INTEGRITIES[n]).find((i) => i.ikev1EspAuth === authValue)?.esp ?? 'none'];
  const knownAuth = authValue === null || integ.name !== 'none';
  const groupValue = value(a, IpsecAttribute.GROUP_DESCRIPTION);
  const pfsGroup = groupValue === null ? null : dhGroupByIkev1(groupValue);
  const transform = enc?.esp && knownAuth ? makeTransform(ENCRYPTIONS[enc.esp].name, integ.name) : null;
  const choice = transform?.ok && (groupValue === null || pfsGroup !== null) ? { transform: transform.value, pfsGroup } : null;
  const words = choice
    ? formatEspChoice(choice)
    : `ESP:${[enc?.strongswanName ?? `ENCR_${t.id}`, authValue === null ? null : knownAuth ? integ.label : `AUTH_${authValue}`, groupValue === null ? null : pfsGroup?.strongswanName ?? `GROUP_${groupValue}`, 'NO_EXT_SEQ']
      .filter((x) => x !== null)
      .join('/')}`;
  return {
    number: t.number,
    choice,
    lifetime: lifeDuration(a, IpsecAttribute.SA_LIFE_TYPE, IpsecAttribute.SA_LIFE_DURATION, LifeType.SECONDS) ?? DEFAULT_PHASE2_LIFETIME,
    lifeKilobytes: lifeDuration(a, IpsecAttribute.SA_LIFE_TYPE, IpsecAttribute.SA_LIFE_DURATION, LifeType.KILOBYTES),
    encapsulation: value(a, IpsecAttribute.ENCAPSULATION_MODE) ?? EncapsulationMode.TUNNEL,
    words,
  };
}

/** The ESP proposal of an SA payload and its transforms, or null when it has no 4-byte-SPI ESP proposal. */
export function espOffers(sa: SaPayload): { readonly spi: number; readonly offers: EspOffer[] } | null {
  const p: IsakmpProposal | undefined = sa.proposals.find((x) => x.protocol === ProtocolId.ESP && x.spi.length === 4);
  if (!p) return null;
  const spi = ((p.spi[0]! << 24) | (p.spi[1]! << 16) | (p.spi[2]! << 8) | p.spi[3]!) >>> 0;
  return { spi, offers: p.transforms.map(readEspTransform) };
}

function sameChoice(a: EspChoice, b: EspChoice): boolean {
  return a.transform.name === b.transform.name && a.pfsGroup === b.pfsGroup;
}

/** The responder's choice: our alternatives in our order, the first the peer offered; null when none. */
export function selectEsp(ours: readonly EspChoice[], offered: readonly EspOffer[]): (EspOffer & { readonly choice: EspChoice }) | null {
  for (const c of ours) {
    const o = offered.find((x) => x.choice !== null && sameChoice(x.choice, c));
    if (o) return { ...o, choice: c };
  }
  return null;
}

/** Whether the responder's answer is one transform and one of ours. */
export function acceptEspAnswer(ours: readonly EspChoice[], answer: readonly EspOffer[]): (EspOffer & { readonly choice: EspChoice }) | null {
  if (answer.length !== 1 || answer[0]!.choice === null) return null;
  const a = answer[0]!;
  const mine = ours.find((c) => sameChoice(c, a.choice!));
  return mine ? { ...a, choice: mine } : null;
}

/** Whether an encapsulation mode is tunnel mode (plain or UDP-encapsulated, RFC or draft value). */
export function isTunnelMode(mode: number): boolean {
  return mode === EncapsulationMode.TUNNEL || mode === EncapsulationMode.UDP_ENCAPSULATED_TUNNEL || mode === EncapsulationMode.UDP_ENCAPSULATED_TUNNEL_DRAFT;
}
