/**
 * Rekeying the IKE SA with CREATE_CHILD_SA (RFC 7296 §1.3.2, §2.18), both roles, as
 * strongSwan's `ike_rekey` task does it: an SA payload whose proposals carry the new 8-byte
 * SPI of its sender, a nonce and a KE (in the old SA's group first, strongSwan's
 * `prefer_previous_dh_group`), no traffic selectors.
 *
 * Owns: the new SA (SKEYSEED = prf(SK_d old, g^ir new ‖ Ni ‖ Nr) with the old SA's PRF, its
 * seven keys with the new SPIs, an `ike-sa-keys` output; the rekey's initiator is the new
 * SA's original initiator; message IDs start at 0 in it), the children moving to it, and
 * the old SA's end: its rekey's initiator deletes it, the other side waits for that delete.
 * When both sides rekey at once (§2.8.2), the exchange with the lowest nonce loses and its
 * initiator deletes the SA it made, as strongSwan does; strongSwan's winner waits for that
 * delete before deleting the old SA, this one deletes the old SA at once (the two deletes
 * travel on different SAs, so the order does not matter to either side). The responder
 * answers TEMPORARY_FAILURE while a child exchange of its own is in flight or it is deleting
 * the SA. INVALID_KE_PAYLOAD gets one retry in the asked group; any other failure is retried
 * after 15 s until the old SA's hard lifetime.
 */
import { deriveIkeSaKeys, rekeySkeyseed } from '../keys-v2.js';
import { dhGroupById, type DhGroup } from '../dh-groups.js';
import { read16, write16 } from '../../wire/bytes.js';
import { ExchangeType, isErrorNotify, notifyName, NotifyType } from '../../wire/ikev2-numbers.js';
import { notifyPayload, type Ikev2Payload } from '../../wire/ikev2-payloads.js';
import type { Proposal } from '../../wire/ikev2-sa.js';
import { compareNonces, lowerNonce, newIkeSa, rekeyTime, type IkeSa, type InitiatorTask, type ResponseInfo } from './ike-sa.js';
import { IkeDeleteTask } from './ike-delete.js';
import { firstPayload, groupName, notifiesOf } from './payload-access.js';
import { acceptedIkeProposal, ikeProposalsOnWire, ikeSelectionOnWire, proposalsLogText, selectIkeProposal } from './proposal-selection.js';
import { ikeEnds, ikeName, type Ikev2Services } from './services.js';
import type { IkeSuite } from '../proposals.js';

/** Seconds before a failed IKE rekey is tried again (strongSwan's RETRY_INTERVAL, without jitter). */
export const IKE_REKEY_RETRY_INTERVAL = 15;

/** Make the new SA of a rekey, established, and hand its keys out. */
function newRekeyedSa(
  s: Ikev2Services,
  old: IkeSa,
  init: { spiI: Uint8Array; spiR: Uint8Array; weInitiated: boolean; suite: IkeSuite; shared: Uint8Array; ni: Uint8Array; nr: Uint8Array },
  now: number,
): IkeSa {
  const sa = newIkeSa({ uid: s.newIkeUid(), spiI: init.spiI, spiR: init.spiR, weAreOriginalInitiator: init.weInitiated, peerAddress: old.peerAddress, peerPort: old.peerPort, localPort: old.localPort, now });
  const seed = rekeySkeyseed(s.crypto, old.suite!.prf, old.keys!.skD, init.shared, init.ni, init.nr);
  sa.suite = init.suite;
  sa.keys = deriveIkeSaKeys(s.crypto, init.suite, seed, init.ni, init.nr, init.spiI, init.spiR);
  sa.ni = init.ni;
  sa.nr = init.nr;
  sa.lowerNonce = lowerNonce(init.ni, init.nr);
  sa.peerId = old.peerId;
  sa.natHere = old.natHere;
  sa.natThere = old.natThere;
  sa.state = 'established';
  sa.establishedAt = now;
  sa.rekeyAt = rekeyTime(now, s.config.ikeLifetime, s.config.rekeyMargin);
  sa.expireAt = now + s.config.ikeLifetime;
  s.addSa(sa);
  s.emit({ kind: 'ike-sa-keys', keys: { version: 2, spiI: sa.spiI, spiR: sa.spiR, skEi: sa.keys.skEi, skEr: sa.keys.skEr, skAi: sa.keys.skAi, skAr: sa.keys.skAr, suite: init.suite } });
  s.log(`IKE_SA ${ikeName(s, sa)} rekeyed between ${ikeEnds(s, sa)}`);
  return sa;
}

/** The initiator's rekey of `old`. */
export class IkeRekeyTask implements InitiatorTask {
  readonly kind = 'ike-rekey';
  readonly exchange = ExchangeType.CREATE_CHILD_SA;
  readonly oneWay = false;
  private readonly spi: Uint8Array;
  private readonly ni: Uint8Array;
  private group: DhGroup;
  private privateValue: Uint8Array;
  private offered: Proposal[] = [];
  private retried = false;

  constructor(
    private readonly s: Ikev2Services,
    private readonly old: IkeSa,
  ) {
    this.spi = s.newIkeSpi();
    this.ni = s.newNonce();
    this.group = old.suite!.dhGroup;
    this.privateValue = s.randomBytes(this.group.privateLength);
  }

  build(): Ikev2Payload[] | null {
    if (this.old.state !== 'established') return null;
    this.old.rekeyingActively = true;
    this.offered = ikeProposalsOnWire(this.s.config.ikeProposals, this.spi, this.group);
    return [{ kind: 'SA', proposals: this.offered }, { kind: 'Nonce', data: this.ni }, { kind: 'KE', group: this.group.id, data: this.s.crypto.dhPublic(this.group, this.privateValue) }];
  }

  private retryLater(now: number): 'done' {
    const s = this.s;
    const old = this.old;
    old.rekeyingActively = false;
    old.passiveReplacement = null;
    if (now + IKE_REKEY_RETRY_INTERVAL < old.expireAt && old.state === 'established') {
      s.log(`IKE_SA rekeying failed, trying again in ${IKE_REKEY_RETRY_INTERVAL} seconds`);
      s.later(old, now + IKE_REKEY_RETRY_INTERVAL, () => (old.state === 'established' ? new IkeRekeyTask(s, old) : null));
    }
    return 'done';
  }

  process(r: ResponseInfo, now: number): 'done' | 'again' {
    const s = this.s;
    const old = this.old;
    for (const n of notifiesOf(r.payloads)) {
      if (n.notifyType === NotifyType.INVALID_KE_PAYLOAD) {
        const asked = n.data.length === 2 ? read16(n.data, 0) : 0;
        s.log(`peer didn't accept key exchange method ${groupName(this.group.id)}, it requested ${groupName(asked)}`);
        const group = dhGroupById(asked);
        if (this.retried || !group || !s.config.ikeProposals.some((p) => p.dhGroups.includes(group))) return this.retryLater(now);
        this.retried = true;
        this.group = group;
        this.privateValue = s.randomBytes(group.privateLength);
        return 'again';
      }
      if (n.notifyType === NotifyType.TEMPORARY_FAILURE) {
        s.log(`received ${notifyName(n.notifyType)} notify`);
        return this.retryLater(now);
      }
      if (isErrorNotify(n.notifyType)) {
        s.log(`received ${notifyName(n.notifyType)} notify error`);
        return this.retryLater(now);
      }
    }
    const saPayload = firstPayload(r.payloads, 'SA');
    const accepted = saPayload ? acceptedIkeProposal(this.offered, saPayload.proposals) : null;
    const ke = firstPayload(r.payloads, 'KE');
    const nonce = firstPayload(r.payloads, 'Nonce');
    if (!accepted || accepted.spi.length !== 8 || accepted.suite.dhGroup !== this.group || !ke || ke.group !== this.group.id || !nonce) {
      s.log("peer's proposal selection invalid");
      return this.retryLater(now);
    }
    const shared = s.crypto.dhShared(this.group, this.privateValue, ke.data);
    if (!shared) {
      s.log('applying key exchange public value failed');
      return this.retryLater(now);
    }
    old.rekeyingActively = false;
    if (old.state !== 'established') return 'done';
    const fresh = newRekeyedSa(s, old, { spiI: this.spi, spiR: accepted.spi, weInitiated: true, suite: accepted.suite, shared, ni: this.ni, nr: nonce.data }, now);
    const passive = old.passiveReplacement;
    old.passiveReplacement = null;
    if (passive && compareNonces(fresh.lowerNonce!, passive.lowerNonce!) < 0) {
      s.log(`IKE_SA rekey collision lost, deleting redundant IKE_SA ${ikeName(s, fresh)}`);
      old.state = 'rekeyed';
      fresh.rekeyAt = Infinity;
      s.queue(fresh, new IkeDeleteTask(s, fresh, 'redundant IKE_SA deleted'));
      return 'done';
    }
    if (passive) {
      s.log(`IKE_SA rekey collision won, deleting redundant IKE_SA ${ikeName(s, passive)} when the peer does`);
      s.moveChildren(passive, fresh);
      passive.rekeyAt = Infinity;
      passive.state = 'rekeyed';
    } else {
      s.moveChildren(old, fresh);
    }
    old.state = 'rekeyed';
    s.queue(old, new IkeDeleteTask(s, old));
    return 'done';
  }
}

/** Answer a peer's rekey of `old`. */
export function answerIkeRekey(s: Ikev2Services, old: IkeSa, payloads: readonly Ikev2Payload[], now: number): Ikev2Payload[] {
  if (old.state === 'deleting' || old.state === 'rekeyed') {
    s.log('peer initiated rekeying, but we are deleting');
    return [notifyPayload(NotifyType.TEMPORARY_FAILURE)];
  }
  if (old.outstanding && old.outstanding.task.kind === 'child-create') {
    s.log('peer initiated rekeying, but a child is half-open');
    return [notifyPayload(NotifyType.TEMPORARY_FAILURE)];
  }
  const saPayload = firstPayload(payloads, 'SA');
  const ke = firstPayload(payloads, 'KE');
  const nonce = firstPayload(payloads, 'Nonce');
  if (!saPayload || !ke || !nonce) {
    s.log(`${!saPayload ? 'SA' : !ke ? 'KE' : 'NONCE'} payload missing in message`);
    return [notifyPayload(NotifyType.INVALID_SYNTAX)];
  }
  const sel = selectIkeProposal(s.config.ikeProposals, saPayload.proposals);
  const peerSpi = sel ? saPayload.proposals.find((p) => p.number === sel.number)?.spi : undefined;
  if (!sel || !peerSpi || peerSpi.length !== 8) {
    s.log(`received proposals: ${proposalsLogText(saPayload.proposals)}`);
    s.log(`configured proposals: ${proposalsLogText(ikeProposalsOnWire(s.config.ikeProposals, new Uint8Array(0)))}`);
    s.log('received proposals unacceptable');
    return [notifyPayload(NotifyType.NO_PROPOSAL_CHOSEN)];
  }
  const group = sel.suite.dhGroup;
  if (ke.group !== group.id) {
    s.log(`key exchange method ${groupName(ke.group)} unacceptable, requesting ${groupName(group.id)}`);
    const data = new Uint8Array(2);
    write16(data, 0, group.id);
    return [notifyPayload(NotifyType.INVALID_KE_PAYLOAD, data)];
  }
  const privateValue = s.randomBytes(group.privateLength);
  const shared = s.crypto.dhShared(group, privateValue, ke.data);
  if (!shared) {
    s.log('applying KE public value failed');
    return [notifyPayload(NotifyType.NO_PROPOSAL_CHOSEN)];
  }
  const nr = s.newNonce();
  const spiR = s.newIkeSpi();
  const fresh = newRekeyedSa(s, old, { spiI: peerSpi, spiR, weInitiated: false, suite: sel.suite, shared, ni: nonce.data, nr }, now);
  if (old.rekeyingActively) {
    old.passiveReplacement = fresh;
  } else {
    old.state = 'rekeyed';
    old.rekeyAt = Infinity;
  }
  s.moveChildren(old, fresh);
  return [{ kind: 'SA', proposals: [ikeSelectionOnWire(sel, spiR)] }, { kind: 'Nonce', data: nr }, { kind: 'KE', group: group.id, data: s.crypto.dhPublic(group, privateValue) }];
}
