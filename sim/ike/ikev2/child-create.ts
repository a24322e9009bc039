/**
 * Creating a child SA, both roles, as strongSwan's `child_create` and `child_rekey` tasks do
 * it: in IKE_AUTH (no KE, groups left out and skipped, keys from IKE_SA_INIT's nonces,
 * RFC 7296 §1.2) and in CREATE_CHILD_SA (a new child, or a rekey that names the old child's
 * inbound SPI in N(REKEY_SA), with its own nonces and, when the ESP proposal has a group, a
 * KE for PFS; §1.3.1, §1.3.3).
 *
 * Owns: the initiator's offer (our inbound SPI in our proposals, TSi/TSr, nonce and KE) and
 * its check of the answer (one of our proposals, the PFS group we sent, selectors within
 * ours), the responder's choice (proposal, KE group or INVALID_KE_PAYLOAD, narrowed selectors
 * or TS_UNACCEPTABLE, CHILD_SA_NOT_FOUND, TEMPORARY_FAILURE while the SA or the child is busy),
 * the keys (deriveChildKeys, with g^ir when PFS), and the rekey's end: the old child is deleted
 * by the side that initiated the rekey, and when both sides rekeyed it at once (§2.8.1) the
 * exchange with the lowest nonce loses; its initiator deletes the child it made, the winner
 * deletes the old one (strongSwan's `child_rekey.c` `lost_collision`/`handle_collision`, which
 * compares the lower nonce of each exchange with memcmp over the shorter length). A failed
 * rekey is retried after 15 s (strongSwan's RETRY_INTERVAL, without its random jitter, so
 * runs stay deterministic) until the child's hard lifetime ends. A refused rekey of a child
 * that IKE_AUTH made is reported as PFS_MISMATCH: its algorithms matched there, so the group
 * is what differs (the responder checks that by selecting again without groups).
 */
import { deriveChildKeys } from '../keys-v2.js';
import { dhGroupById, type DhGroup } from '../dh-groups.js';
import { read16, write16 } from '../../wire/bytes.js';
import { ExchangeType, notifyName, NotifyType, ProtocolId } from '../../wire/ikev2-numbers.js';
import { notifyPayload, spi32, spi32Bytes, type Ikev2Payload, type TsPayload } from '../../wire/ikev2-payloads.js';
import type { Proposal } from '../../wire/ikev2-sa.js';
import type { Ipv4RangeSelector } from '../../wire/ikev2-ts.js';
import { childByPeerSpi, installChild } from './child-sa.js';
import { ChildDeleteTask } from './child-delete.js';
import { lowerNonce, compareNonces, type ChildSa, type IkeSa, type InitiatorTask, type ResponseInfo } from './ike-sa.js';
import { firstPayload, groupName, notifiesOf, notifyOf } from './payload-access.js';
import { acceptedEspProposal, espProposalsOnWire, type EspSelection, espSelectionLogText, espSelectionOnWire, offersPfs, proposalsKeywords, proposalsLogText, selectEspProposal } from './proposal-selection.js';
import { childName, spiText, type Ikev2Services } from './services.js';
import { configuredSelectors, narrow, selectorsText } from './traffic-selectors.js';

/** Seconds before a failed rekey is tried again (strongSwan's RETRY_INTERVAL). */
export const REKEY_RETRY_INTERVAL = 15;

/** Notifies that fail the child only, leaving the IKE SA up (strongSwan's `child_create.c` `process_i`). */
const CHILD_ONLY_ERRORS: ReadonlySet<number> = new Set([
  NotifyType.NO_PROPOSAL_CHOSEN,
  NotifyType.SINGLE_PAIR_REQUIRED,
  NotifyType.NO_ADDITIONAL_SAS,
  NotifyType.INTERNAL_ADDRESS_FAILURE,
  NotifyType.FAILED_CP_REQUIRED,
  NotifyType.TS_UNACCEPTABLE,
  NotifyType.INVALID_SELECTORS,
]);

const TS_ERRORS: ReadonlySet<number> = new Set([NotifyType.TS_UNACCEPTABLE, NotifyType.INVALID_SELECTORS, NotifyType.SINGLE_PAIR_REQUIRED]);

/** Whether a notify fails only the child. */
export function isChildOnlyError(type: number): boolean {
  return CHILD_ONLY_ERRORS.has(type);
}

function ts(kind: 'TSi' | 'TSr', selectors: readonly Ipv4RangeSelector[]): TsPayload {
  return { kind, selectors };
}

function u16(n: number): Uint8Array {
  const b = new Uint8Array(2);
  write16(b, 0, n);
  return b;
}

/** Why an answer to our child offer cannot be used. */
export interface OfferRefusal {
  readonly log: string;
  readonly detail: string;
}

/** The child an answer gives us, ready to install. */
export interface OfferAccepted {
  readonly uid: number;
  readonly inSpi: number;
  readonly outSpi: number;
  readonly localTs: Ipv4RangeSelector[];
  readonly remoteTs: Ipv4RangeSelector[];
  readonly selection: EspSelection;
  readonly sharedSecret: Uint8Array | null;
  readonly nr: Uint8Array | null;
}

/** The initiator's side of one child negotiation: what it offers and how it reads the answer. */
export class ChildOffer {
  /** The child's unique ID, taken now for the `establishing` log line. */
  readonly uid: number;
  readonly spi: number;
  readonly nonce: Uint8Array | null;
  group: DhGroup | null;
  private privateValue: Uint8Array | null;
  offered: Proposal[] = [];

  /** `withKe`: a CREATE_CHILD_SA offer (own nonce; groups and a KE when the ESP proposals have them). */
  constructor(
    private readonly s: Ikev2Services,
    readonly localTs: readonly Ipv4RangeSelector[],
    readonly remoteTs: readonly Ipv4RangeSelector[],
    readonly withKe: boolean,
  ) {
    this.uid = s.newChildUid();
    this.spi = s.newEspSpi();
    this.nonce = withKe ? s.newNonce() : null;
    this.group = withKe ? (s.config.espProposals.find((p) => p.dhGroups.length > 0)?.dhGroups[0] ?? null) : null;
    this.privateValue = this.group ? s.randomBytes(this.group.privateLength) : null;
  }

  /** Use `group` for the KE from now on (after INVALID_KE_PAYLOAD). */
  regroup(group: DhGroup): void {
    this.group = group;
    this.privateValue = this.s.randomBytes(group.privateLength);
  }

  /** SA [Nonce KE] TSi TSr. */
  payloads(): Ikev2Payload[] {
    this.offered = espProposalsOnWire(this.s.config.espProposals, spi32Bytes(this.spi), this.withKe, this.group);
    const out: Ikev2Payload[] = [{ kind: 'SA', proposals: this.offered }];
    if (this.nonce) out.push({ kind: 'Nonce', data: this.nonce });
    if (this.group && this.privateValue) out.push({ kind: 'KE', group: this.group.id, data: this.s.crypto.dhPublic(this.group, this.privateValue) });
    out.push(ts('TSi', this.localTs), ts('TSr', this.remoteTs));
    return out;
  }

  /** The offer in status words: `aes256-sha1-modp1024`. */
  offeredText(): string {
    return proposalsKeywords(this.offered);
  }

  /** Read the answer's SA, KE, nonce and selectors. */
  accept(payloads: readonly Ikev2Payload[]): OfferAccepted | OfferRefusal {
    const s = this.s;
    const saPayload = firstPayload(payloads, 'SA');
    const sel = saPayload ? acceptedEspProposal(s.config.espProposals, this.offered, saPayload.proposals, !this.withKe) : null;
    if (!sel) return { log: 'no acceptable proposal found', detail: `the peer's answer is not one of our ESP proposals (${this.offeredText()})` };
    const outSpi = spi32(sel.peerSpi);
    if (outSpi === null || outSpi === 0) return { log: 'no acceptable proposal found', detail: 'the peer chose an ESP SPI of 0' };
    let sharedSecret: Uint8Array | null = null;
    if (sel.dhGroup) {
      const ke = firstPayload(payloads, 'KE');
      if (!ke || !this.group || ke.group !== this.group.id || sel.dhGroup !== this.group || !this.privateValue) {
        return { log: `key exchange method in received payload ${groupName(ke?.group ?? 0)} doesn't match negotiated ${groupName(sel.dhGroup.id)}`, detail: 'the peer answered with another PFS group than ours' };
      }
      sharedSecret = s.crypto.dhShared(this.group, this.privateValue, ke.data);
      if (!sharedSecret) return { log: 'applying key exchange public key failed', detail: "the peer's PFS key exchange value is unusable" };
    }
    const nonce = firstPayload(payloads, 'Nonce');
    if (this.withKe && !nonce) return { log: 'NONCE payload missing in message', detail: 'the peer sent no nonce' };
    const tsi = payloads.find((p): p is TsPayload => p.kind === 'TSi');
    const tsr = payloads.find((p): p is TsPayload => p.kind === 'TSr');
    const localTs = tsi ? narrow(this.localTs, tsi.selectors) : [];
    const remoteTs = tsr ? narrow(this.remoteTs, tsr.selectors) : [];
    if (localTs.length === 0 || remoteTs.length === 0) {
      return { log: 'no acceptable traffic selectors found', detail: `the peer answered selectors outside ours (${selectorsText(this.localTs)} === ${selectorsText(this.remoteTs)})` };
    }
    return { uid: this.uid, inSpi: this.spi, outSpi, localTs, remoteTs, selection: sel, sharedSecret, nr: nonce?.data ?? null };
  }
}

/** The status a refused child gets, by the notify that refused it. */
function refusedChildStatus(s: Ikev2Services, type: number, offer: ChildOffer, rekeying: ChildSa | null): void {
  const name = notifyName(type);
  if (TS_ERRORS.has(type)) {
    s.status('TRAFFIC_SELECTOR_MISMATCH', `we proposed ${selectorsText(offer.localTs)} === ${selectorsText(offer.remoteTs)}; the peer accepts none of them (${name})`, name);
  } else if (rekeying && (type === NotifyType.NO_PROPOSAL_CHOSEN || type === NotifyType.INVALID_KE_PAYLOAD)) {
    if (rekeying.rekeyFailureReported) return;
    rekeying.rekeyFailureReported = true;
    const ours = offer.group ? `with PFS (${groupName(offer.group.id)})` : 'without PFS';
    s.status(
      'PFS_MISMATCH',
      `the peer refused our rekey of CHILD_SA ${childName(s, rekeying)} (${name}): we offered ESP ${offer.offeredText()} ${ours}, the same algorithms it accepted without a key exchange in IKE_AUTH, so its PFS setting differs from ours`,
      name,
    );
  } else {
    s.status('IPSEC_PHASE2_FAILED', `we offered ESP ${offer.offeredText()}; the peer accepted none of them (${name})`, name);
  }
}

/** CREATE_CHILD_SA as initiator: a new child (`rekeying` null) or the rekey of one. */
export class ChildCreateTask implements InitiatorTask {
  readonly kind = 'child-create';
  readonly exchange = ExchangeType.CREATE_CHILD_SA;
  readonly oneWay = false;
  private offer: ChildOffer | null = null;
  private retried = false;

  constructor(
    private readonly s: Ikev2Services,
    private readonly sa: IkeSa,
    private readonly rekeying: ChildSa | null,
  ) {}

  build(now: number): Ikev2Payload[] | null {
    const s = this.s;
    const old = this.rekeying;
    if (this.sa.state !== 'established') {
      // The IKE SA was rekeyed before this went out: the child moved on, and is due again there.
      if (old && old.state === 'installed') old.rekeyAt = now;
      return null;
    }
    // A retry of this task (after INVALID_KE_PAYLOAD) finds the child in the state its first request left it.
    const ours = old !== null && old.state === 'rekeying' && this.offer !== null;
    if (old && ((old.state !== 'installed' && !ours) || !this.sa.children.includes(old))) return null;
    if (!this.offer) {
      const conf = configuredSelectors(s.config.selectors);
      this.offer = new ChildOffer(s, old ? old.localTs : conf.local, old ? old.remoteTs : conf.remote, true);
      const name = `${s.config.connection}{${this.offer.uid}}`;
      s.log(old ? `establishing CHILD_SA ${name} reqid ${old.reqid}` : `establishing CHILD_SA ${name}`);
    }
    if (old) old.state = 'rekeying';
    const rekeySa = old ? [notifyPayload(NotifyType.REKEY_SA, new Uint8Array(0), ProtocolId.ESP, spi32Bytes(old.inSpi))] : [];
    return [...rekeySa, ...this.offer.payloads()];
  }

  private retryLater(now: number): void {
    const s = this.s;
    const old = this.rekeying;
    if (!old) return;
    old.state = 'installed';
    if (now + REKEY_RETRY_INTERVAL >= old.expireAt) return;
    s.log(`CHILD_SA rekeying failed, trying again in ${REKEY_RETRY_INTERVAL} seconds`);
    s.later(this.sa, now + REKEY_RETRY_INTERVAL, () => (old.state === 'installed' && this.sa.children.includes(old) ? new ChildCreateTask(s, this.sa, old) : null));
  }

  private failed(type: number | null, log: string | null, detail: string | null, now: number): 'done' {
    const s = this.s;
    if (log) s.log(log);
    if (type !== null) refusedChildStatus(s, type, this.offer!, this.rekeying);
    else if (detail) {
      if (this.rekeying && !this.rekeying.rekeyFailureReported) {
        this.rekeying.rekeyFailureReported = true;
        s.status('IPSEC_PHASE2_FAILED', `the rekey of CHILD_SA ${childName(s, this.rekeying)} failed: ${detail}`, null);
      } else if (!this.rekeying) s.status('IPSEC_PHASE2_FAILED', detail, null);
    }
    if (this.rekeying) this.retryLater(now);
    else s.log('failed to establish CHILD_SA, keeping IKE_SA');
    return 'done';
  }

  process(r: ResponseInfo, now: number): 'done' | 'again' {
    const s = this.s;
    const offer = this.offer!;
    const old = this.rekeying;
    for (const n of notifiesOf(r.payloads)) {
      if (n.notifyType === NotifyType.INVALID_KE_PAYLOAD) {
        const asked = n.data.length === 2 ? read16(n.data, 0) : 0;
        const group = dhGroupById(asked);
        if (this.retried || !group || !s.config.espProposals.some((p) => p.dhGroups.includes(group))) {
          const why = this.retried ? `already retried with key exchange method ${groupName(offer.group?.id ?? 0)}, ignore requested ${groupName(asked)}` : `peer didn't accept key exchange method ${groupName(offer.group?.id ?? 0)}, it requested ${groupName(asked)}`;
          return this.failed(NotifyType.INVALID_KE_PAYLOAD, why, null, now);
        }
        s.log(`peer didn't accept key exchange method ${groupName(offer.group?.id ?? 0)}, it requested ${groupName(asked)}`);
        this.retried = true;
        offer.regroup(group);
        return 'again';
      }
      if (old && (n.notifyType === NotifyType.TEMPORARY_FAILURE || n.notifyType === NotifyType.CHILD_SA_NOT_FOUND) && (old.passiveReplacement || !this.sa.children.includes(old))) {
        // The peer rekeyed (and maybe deleted) the child before our request reached it: its replacement stands.
        s.log(`abort active rekeying for CHILD_SA ${childName(s, old)} because it was successfully rekeyed by the peer before it received our request`);
        old.state = 'rekeyed';
        old.passiveReplacement = null;
        return 'done';
      }
      if (n.notifyType === NotifyType.TEMPORARY_FAILURE) {
        s.log(`received ${notifyName(n.notifyType)} notify`);
        if (old) this.retryLater(now);
        return 'done';
      }
      if (n.notifyType === NotifyType.CHILD_SA_NOT_FOUND && old) {
        s.log(`peer didn't find CHILD_SA ${childName(s, old)} we tried to rekey, create a replacement`);
        s.closeChild(this.sa, old, 'the peer has no such CHILD_SA');
        s.queue(this.sa, new ChildCreateTask(s, this.sa, null));
        return 'done';
      }
      if (isChildOnlyError(n.notifyType)) return this.failed(n.notifyType, `received ${notifyName(n.notifyType)} notify, no CHILD_SA built`, null, now);
      if (n.notifyType < 16384) return this.failed(n.notifyType, `received ${notifyName(n.notifyType)} notify error`, null, now);
    }
    const got = offer.accept(r.payloads);
    if ('log' in got) return this.failed(null, got.log, got.detail, now);
    const ni = offer.nonce!;
    const nr = got.nr!;
    const sa = this.sa;
    const keys = deriveChildKeys(s.crypto, sa.suite!.prf, sa.keys!.skD, got.selection.transform, ni, nr, got.sharedSecret);
    const stillThere = old !== null && sa.children.includes(old);
    const child = installChild(s, sa, { ...got, keys, weInitiated: true, lowerNonce: lowerNonce(ni, nr), replaces: stillThere ? old : null }, now);
    if (!old) return 'done';
    if (!stillThere) {
      // The peer deleted the old child while our rekey was in flight: nothing left to replace.
      return 'done';
    }
    const passive = old.passiveReplacement;
    old.passiveReplacement = null;
    if (passive && sa.children.includes(passive) && compareNonces(child.lowerNonce, passive.lowerNonce) < 0) {
      s.log(`CHILD_SA rekey collision lost, deleting redundant child ${childName(s, child)}`);
      old.state = 'rekeyed';
      child.rekeyAt = Infinity;
      s.queue(sa, new ChildDeleteTask(s, sa, [child]));
      return 'done';
    }
    if (passive) {
      s.log(`CHILD_SA rekey collision won, deleting old child ${childName(s, old)}`);
      passive.rekeyAt = Infinity;
    }
    old.state = 'rekeyed';
    s.queue(sa, new ChildDeleteTask(s, sa, [old]));
    return 'done';
  }
}

/** The responder's answer to a child request, and the child it made (null when refused). */
export interface ChildAnswer {
  readonly payloads: Ikev2Payload[];
  readonly child: ChildSa | null;
}

/**
 * The responder's child negotiation, in IKE_AUTH (`ikeAuth`: nonces of IKE_SA_INIT, no KE)
 * or CREATE_CHILD_SA (the request's nonce and ours, PFS when the chosen proposal has a group).
 */
export function answerChild(s: Ikev2Services, sa: IkeSa, payloads: readonly Ikev2Payload[], ikeAuth: boolean, rekeyed: ChildSa | null, now: number): ChildAnswer {
  const refuse = (type: number, data: Uint8Array = new Uint8Array(0)): ChildAnswer => {
    if (ikeAuth || !rekeyed) s.log('failed to establish CHILD_SA, keeping IKE_SA');
    return { payloads: [notifyPayload(type, data)], child: null };
  };
  const saPayload = firstPayload(payloads, 'SA');
  const tsi = payloads.find((p): p is TsPayload => p.kind === 'TSi');
  const tsr = payloads.find((p): p is TsPayload => p.kind === 'TSr');
  if (!saPayload || !tsi || !tsr) {
    s.log(!saPayload ? 'SA payload missing in message' : 'TS payloads missing in message');
    return refuse(NotifyType.INVALID_SYNTAX);
  }
  const ours = espProposalsOnWire(s.config.espProposals, new Uint8Array(4), !ikeAuth);
  const sel = selectEspProposal(s.config.espProposals, saPayload.proposals, ikeAuth);
  if (!sel) {
    s.log(`received proposals: ${proposalsLogText(saPayload.proposals)}`);
    s.log(`configured proposals: ${proposalsLogText(ours)}`);
    s.log('no acceptable proposal found');
    const groupsOnly = !ikeAuth && selectEspProposal(s.config.espProposals, saPayload.proposals, true) !== null;
    if (groupsOnly && rekeyed) {
      if (!rekeyed.rekeyFailureReported) {
        rekeyed.rekeyFailureReported = true;
        const ourPfs = offersPfs(s.config.espProposals) ? 'with PFS' : 'without PFS';
        s.status('PFS_MISMATCH', `the peer's rekey of CHILD_SA ${childName(s, rekeyed)} offers ESP ${proposalsKeywords(saPayload.proposals)}; we accept ESP ${proposalsKeywords(ours)} (${ourPfs}): the algorithms match, the PFS groups do not`, 'NO_PROPOSAL_CHOSEN');
      }
    } else {
      s.status('IPSEC_PHASE2_FAILED', `we accept ESP ${proposalsKeywords(ours)}, the peer offered ESP ${proposalsKeywords(saPayload.proposals)}`, 'NO_PROPOSAL_CHOSEN');
    }
    return refuse(NotifyType.NO_PROPOSAL_CHOSEN);
  }
  s.log(`selected proposal: ${espSelectionLogText(sel)}`);
  const ke = ikeAuth ? null : firstPayload(payloads, 'KE');
  let sharedSecret: Uint8Array | null = null;
  let kePayload: Ikev2Payload | null = null;
  if (sel.dhGroup) {
    if (!ke || ke.group !== sel.dhGroup.id) {
      s.log(`key exchange method ${groupName(ke?.group ?? 0)} unacceptable, requesting ${groupName(sel.dhGroup.id)}`);
      return { payloads: [notifyPayload(NotifyType.INVALID_KE_PAYLOAD, u16(sel.dhGroup.id))], child: null };
    }
    const privateValue = s.randomBytes(sel.dhGroup.privateLength);
    sharedSecret = s.crypto.dhShared(sel.dhGroup, privateValue, ke.data);
    if (!sharedSecret) {
      s.log('applying key exchange public key failed');
      return refuse(NotifyType.NO_PROPOSAL_CHOSEN);
    }
    kePayload = { kind: 'KE', group: sel.dhGroup.id, data: s.crypto.dhPublic(sel.dhGroup, privateValue) };
  } else if (ke) {
    s.log('ignoring KE payload, agreed on a non-PFS proposal');
  }
  const conf = configuredSelectors(s.config.selectors);
  const remoteTs = narrow(conf.remote, tsi.selectors);
  const localTs = narrow(conf.local, tsr.selectors);
  if (remoteTs.length === 0 || localTs.length === 0) {
    s.log(`traffic selectors ${selectorsText(tsr.selectors)} === ${selectorsText(tsi.selectors)} unacceptable`);
    s.status(
      'TRAFFIC_SELECTOR_MISMATCH',
      `the peer proposed ${selectorsText(tsi.selectors)} === ${selectorsText(tsr.selectors)}; we accept ${selectorsText(conf.remote)} === ${selectorsText(conf.local)}`,
      'TS_UNACCEPTABLE',
    );
    return refuse(NotifyType.TS_UNACCEPTABLE);
  }
  const peerSpi = spi32(sel.peerSpi);
  if (peerSpi === null || peerSpi === 0) {
    s.log('no acceptable proposal found');
    return refuse(NotifyType.NO_PROPOSAL_CHOSEN);
  }
  let ni: Uint8Array;
  let nr: Uint8Array;
  let nonceOut: Ikev2Payload | null = null;
  if (ikeAuth) {
    ni = sa.ni!;
    nr = sa.nr!;
  } else {
    const nonce = firstPayload(payloads, 'Nonce');
    if (!nonce) {
      s.log('NONCE payload missing in message');
      return refuse(NotifyType.INVALID_SYNTAX);
    }
    ni = nonce.data;
    nr = s.newNonce();
    nonceOut = { kind: 'Nonce', data: nr };
  }
  const inSpi = s.newEspSpi();
  const uid = s.newChildUid();
  if (!ikeAuth) s.log(`establishing CHILD_SA ${s.config.connection}{${uid}}${rekeyed ? ` reqid ${rekeyed.reqid}` : ''}`);
  const keys = deriveChildKeys(s.crypto, sa.suite!.prf, sa.keys!.skD, sel.transform, ni, nr, sharedSecret);
  const child = installChild(s, sa, { uid, inSpi, outSpi: peerSpi, selection: sel, keys, weInitiated: false, localTs, remoteTs, lowerNonce: lowerNonce(ni, nr), replaces: rekeyed }, now);
  if (rekeyed) {
    if (rekeyed.state === 'rekeying') {
      rekeyed.passiveReplacement = child;
    } else {
      rekeyed.state = 'rekeyed';
      rekeyed.rekeyAt = Infinity;
    }
  }
  const out: Ikev2Payload[] = [{ kind: 'SA', proposals: [espSelectionOnWire(sel, spi32Bytes(inSpi))] }];
  if (nonceOut) out.push(nonceOut);
  if (kePayload) out.push(kePayload);
  out.push(ts('TSi', remoteTs), ts('TSr', localTs));
  return { payloads: out, child };
}

/** Answer a CREATE_CHILD_SA request with selectors: a rekey (N(REKEY_SA)) or a new child. */
export function answerCreateChild(s: Ikev2Services, sa: IkeSa, payloads: readonly Ikev2Payload[], now: number): Ikev2Payload[] {
  if (sa.rekeyingActively) {
    s.log('unable to create CHILD_SA while rekeying IKE_SA');
    return [notifyPayload(NotifyType.TEMPORARY_FAILURE)];
  }
  if (sa.state === 'deleting' || sa.state === 'rekeyed') {
    s.log('unable to create CHILD_SA while deleting IKE_SA');
    return [notifyPayload(NotifyType.TEMPORARY_FAILURE)];
  }
  const rekey = notifyOf(payloads, NotifyType.REKEY_SA);
  let old: ChildSa | null = null;
  if (rekey) {
    const spi = spi32(rekey.spi);
    old = spi === null ? null : childByPeerSpi(sa, spi);
    if (!old) {
      s.log(`unable to rekey, ESP CHILD_SA with SPI ${spi === null ? '(none)' : spiText(spi)} not found`);
      return [notifyPayload(NotifyType.CHILD_SA_NOT_FOUND, new Uint8Array(0), ProtocolId.ESP, rekey.spi)];
    }
    if (old.state === 'deleting' || old.state === 'rekeyed') {
      s.log(`unable to rekey CHILD_SA ${childName(s, old)}, we are deleting it`);
      return [notifyPayload(NotifyType.TEMPORARY_FAILURE)];
    }
  }
  return answerChild(s, sa, payloads, false, old, now).payloads;
}
