/**
 * IKE_SA_INIT (RFC 7296 §1.2), both roles, as strongSwan's `ike_init` and `ike_natd` tasks do
 * it: the IKE proposals, the Diffie-Hellman exchange, the nonces, the NAT detection notifies,
 * and the IKE SA's seven keys (SKEYSEED, SK_*), which go out as an `ike-sa-keys` output.
 *
 * Owns, as initiator: the first KE in the first proposal's first group; on
 * INVALID_KE_PAYLOAD a new request (message ID 0 again, same SPI and nonce, a new private
 * value) in the group the peer asked for, if we offer it (at most 5 times, strongSwan's
 * MAX_RETRIES); any other error notify ends the SA with IKE_PHASE1_FAILED; a returned
 * proposal that is not a choice from ours, a KE in another group or a public value out of
 * range end it too; NAT findings move the SA to the NAT-T ports (strongSwan floats whenever
 * either side is behind a NAT; `encap = yes` on a peer fakes its source hash, which reads as
 * a NAT in front of it, so we float then too). As responder: proposal selection, the KE
 * group check (INVALID_KE_PAYLOAD naming the selected group), NO_PROPOSAL_CHOSEN with both
 * sides' proposals in the status, and the NAT detection answer when the request carried
 * NAT detection and this side does NAT traversal. Error responses carry a zero responder SPI
 * and create no SA, as strongSwan's do.
 */
import type { IkeDatagram } from '../endpoint.js';
import { deriveIkeSaKeys, skeyseed } from '../keys-v2.js';
import { dhGroupById, type DhGroup } from '../dh-groups.js';
import { read16, write16 } from '../../wire/bytes.js';
import type { Ikev2Header } from '../../wire/ikev2-header.js';
import { ExchangeType, isErrorNotify, notifyName, NotifyType } from '../../wire/ikev2-numbers.js';
import { notifyPayload, type Ikev2Payload, type KePayload, type NoncePayload, type NotifyPayload, type SaPayload } from '../../wire/ikev2-payloads.js';
import { firstPayload, groupName, notifiesOf } from './payload-access.js';
import type { Proposal } from '../../wire/ikev2-sa.js';
import { formatIPv4 } from '../../net/ipv4.js';
import { lowerNonce, newIkeSa, HALF_OPEN_TIMEOUT, type IkeSa, type InitiatorTask, type ResponseInfo } from './ike-sa.js';
import { IkeAuthTask } from './ike-auth.js';
import { natDetectionNotifies, readNatDetection } from './nat-detection.js';
import { acceptedIkeProposal, ikeProposalsOnWire, ikeSelectionOnWire, proposalLogText, proposalsKeywords, proposalsLogText, selectIkeProposal } from './proposal-selection.js';
import type { Ikev2Services } from './services.js';

/** strongSwan's limit on IKE_SA_INIT retries (`ike_init.c` MAX_RETRIES). */
export const MAX_INIT_RETRIES = 5;

const ZERO_SPI = new Uint8Array(8);

/** Log and record NAT findings on `sa`; true when either side is behind a NAT. */
function noteNat(s: Ikev2Services, sa: IkeSa, natHere: boolean, natThere: boolean): boolean {
  sa.natHere = natHere;
  sa.natThere = natThere;
  if (natHere) s.log('local host is behind NAT, sending keep alives');
  if (natThere) s.log('remote host is behind NAT');
  return natHere || natThere;
}

/** The initiator's IKE_SA_INIT. */
export class IkeInitTask implements InitiatorTask {
  readonly kind = 'ike-init';
  readonly exchange = ExchangeType.IKE_SA_INIT;
  readonly oneWay = false;
  private group: DhGroup;
  private privateValue: Uint8Array;
  private readonly ni: Uint8Array;
  private retries = 0;
  private offered: Proposal[] = [];

  constructor(
    private readonly s: Ikev2Services,
    private readonly sa: IkeSa,
  ) {
    const first = s.config.ikeProposals[0]?.dhGroups[0];
    if (!first) throw new RangeError(`connection ${s.config.connection} has no IKE proposal with a DH group`);
    this.group = first;
    this.privateValue = s.randomBytes(first.privateLength);
    this.ni = s.newNonce();
  }

  build(): Ikev2Payload[] {
    const s = this.s;
    const sa = this.sa;
    this.offered = ikeProposalsOnWire(s.config.ikeProposals, new Uint8Array(0), this.retries > 0 ? this.group : null);
    const ke: KePayload = { kind: 'KE', group: this.group.id, data: s.crypto.dhPublic(this.group, this.privateValue) };
    const nonce: NoncePayload = { kind: 'Nonce', data: this.ni };
    const natd = s.config.natTraversal ? natDetectionNotifies(s.crypto, sa.spiI, ZERO_SPI, s.config.local, sa.localPort, sa.peerAddress, sa.peerPort) : [];
    return [{ kind: 'SA', proposals: this.offered }, ke, nonce, ...natd];
  }

  private fail(detail: string, notify: string | null, now: number): 'done' {
    this.s.status('IKE_PHASE1_FAILED', detail, notify);
    this.s.destroySa(this.sa, now, 'IKE_SA_INIT failed');
    return 'done';
  }

  process(r: ResponseInfo, now: number): 'done' | 'again' {
    const s = this.s;
    const sa = this.sa;
    const offeredText = proposalsKeywords(this.offered);
    for (const n of notifiesOf(r.payloads)) {
      if (n.notifyType === NotifyType.INVALID_KE_PAYLOAD) {
        const asked = n.data.length === 2 ? read16(n.data, 0) : 0;
        s.log(`peer didn't accept key exchange method ${groupName(this.group.id)}, it requested ${groupName(asked)}`);
        const group = dhGroupById(asked);
        if (!group || !s.config.ikeProposals.some((p) => p.dhGroups.includes(group))) {
          return this.fail(`the peer asks for DH group ${groupName(asked)}, which we do not offer (we offered ${offeredText})`, 'INVALID_KE_PAYLOAD', now);
        }
        if (this.retries >= MAX_INIT_RETRIES) {
          s.log(`giving up after ${MAX_INIT_RETRIES} retries`);
          return this.fail(`the peer keeps refusing our DH group (INVALID_KE_PAYLOAD ${MAX_INIT_RETRIES} times); we offered ${offeredText}`, 'INVALID_KE_PAYLOAD', now);
        }
        this.retries++;
        this.group = group;
        this.privateValue = s.randomBytes(group.privateLength);
        sa.nextMessageId = 0;
        return 'again';
      }
      if (isErrorNotify(n.notifyType)) {
        s.log(`received ${notifyName(n.notifyType)} notify error`);
        const why = n.notifyType === NotifyType.NO_PROPOSAL_CHOSEN ? `we offered ${offeredText}; the peer accepted none of them` : `the peer refused IKE_SA_INIT with ${notifyName(n.notifyType)}`;
        return this.fail(why, notifyName(n.notifyType), now);
      }
    }
    const saPayload = firstPayload(r.payloads, 'SA');
    const accepted = saPayload ? acceptedIkeProposal(this.offered, saPayload.proposals) : null;
    if (!accepted) {
      s.log("peer's proposal selection invalid");
      return this.fail(`the peer's answer is not one of our proposals (we offered ${offeredText})`, null, now);
    }
    const ke = firstPayload(r.payloads, 'KE');
    if (!ke || ke.group !== this.group.id || accepted.suite.dhGroup !== this.group) {
      s.log("peer's key exchange method selection invalid");
      return this.fail(`the peer's KE is not in the group we sent (${groupName(this.group.id)})`, null, now);
    }
    const shared = s.crypto.dhShared(this.group, this.privateValue, ke.data);
    const nonce = firstPayload(r.payloads, 'Nonce');
    if (!shared || !nonce) {
      s.log('applying key exchange public value failed');
      return this.fail("the peer's key exchange value is unusable", null, now);
    }
    sa.spiR = r.header.responderSpi;
    sa.suite = accepted.suite;
    sa.ni = this.ni;
    sa.nr = nonce.data;
    sa.lowerNonce = lowerNonce(this.ni, nonce.data);
    sa.initResponse = r.bytes;
    const seed = skeyseed(s.crypto, accepted.suite.prf, this.ni, nonce.data, shared);
    sa.keys = deriveIkeSaKeys(s.crypto, accepted.suite, seed, this.ni, nonce.data, sa.spiI, sa.spiR);
    s.emit({ kind: 'ike-sa-keys', keys: { version: 2, spiI: sa.spiI, spiR: sa.spiR, skEi: sa.keys.skEi, skEr: sa.keys.skEr, skAi: sa.keys.skAi, skAr: sa.keys.skAr, suite: accepted.suite } });
    if (s.config.natTraversal) {
      const d = r.datagram;
      const found = readNatDetection(s.crypto, r.payloads, sa.spiI, sa.spiR, d.src, d.sport, d.dst, d.dport);
      if (found && noteNat(s, sa, found.natHere, found.natThere)) {
        sa.localPort = s.ports.localNatT;
        sa.peerPort = s.ports.remoteNatT;
      }
    }
    s.queue(sa, new IkeAuthTask(s, sa), true);
    return 'done';
  }
}

/** What a responder answers to an IKE_SA_INIT request: the payloads, the responder SPI for the header, and the new SA (none on an error). */
export interface InitAnswer {
  readonly payloads: Ikev2Payload[];
  readonly responderSpi: Uint8Array;
  readonly sa: IkeSa | null;
}

function refusal(notify: NotifyPayload): InitAnswer {
  return { payloads: [notify], responderSpi: ZERO_SPI, sa: null };
}

/** Answer an IKE_SA_INIT request that arrived as `d` (a new SA in state `connecting` when it succeeds). */
export function answerIkeInit(s: Ikev2Services, header: Ikev2Header, payloads: readonly Ikev2Payload[], request: Uint8Array, d: IkeDatagram, now: number): InitAnswer {
  s.log(`${formatIPv4(d.src)} is initiating an IKE_SA`);
  const saPayload: SaPayload | null = firstPayload(payloads, 'SA');
  const ke = firstPayload(payloads, 'KE');
  const nonce = firstPayload(payloads, 'Nonce');
  if (!saPayload || !ke || !nonce) {
    s.log(`${!saPayload ? 'SA' : !ke ? 'KE' : 'NONCE'} payload missing in message`);
    return refusal(notifyPayload(NotifyType.INVALID_SYNTAX));
  }
  const ours = ikeProposalsOnWire(s.config.ikeProposals, new Uint8Array(0));
  const sel = selectIkeProposal(s.config.ikeProposals, saPayload.proposals);
  if (!sel) {
    s.log(`received proposals: ${proposalsLogText(saPayload.proposals)}`);
    s.log(`configured proposals: ${proposalsLogText(ours)}`);
    s.log('received proposals unacceptable');
    s.status('IKE_PHASE1_FAILED', `we accept ${proposalsKeywords(ours)}, the peer offered ${proposalsKeywords(saPayload.proposals)}`, 'NO_PROPOSAL_CHOSEN');
    return refusal(notifyPayload(NotifyType.NO_PROPOSAL_CHOSEN));
  }
  s.log(`selected proposal: ${proposalLogText(ikeSelectionOnWire(sel, new Uint8Array(0)))}`);
  const group = sel.suite.dhGroup;
  if (ke.group !== group.id) {
    s.log(`key exchange method ${groupName(ke.group)} unacceptable, requesting ${groupName(group.id)}`);
    const data = new Uint8Array(2);
    write16(data, 0, group.id);
    return refusal(notifyPayload(NotifyType.INVALID_KE_PAYLOAD, data));
  }
  const privateValue = s.randomBytes(group.privateLength);
  const shared = s.crypto.dhShared(group, privateValue, ke.data);
  if (!shared) {
    s.log('applying KE public value failed');
    return refusal(notifyPayload(NotifyType.NO_PROPOSAL_CHOSEN));
  }
  const spiR = s.newIkeSpi();
  const nr = s.newNonce();
  const sa = newIkeSa({ uid: s.newIkeUid(), spiI: header.initiatorSpi, spiR, weAreOriginalInitiator: false, peerAddress: d.src, peerPort: d.sport, localPort: d.dport, now });
  sa.suite = sel.suite;
  sa.ni = nonce.data;
  sa.nr = nr;
  sa.lowerNonce = lowerNonce(nonce.data, nr);
  sa.initRequest = request;
  sa.halfOpenUntil = now + HALF_OPEN_TIMEOUT;
  const seed = skeyseed(s.crypto, sel.suite.prf, nonce.data, nr, shared);
  sa.keys = deriveIkeSaKeys(s.crypto, sel.suite, seed, nonce.data, nr, sa.spiI, spiR);
  s.emit({ kind: 'ike-sa-keys', keys: { version: 2, spiI: sa.spiI, spiR, skEi: sa.keys.skEi, skEr: sa.keys.skEr, skAi: sa.keys.skAi, skAr: sa.keys.skAr, suite: sel.suite } });
  const out: Ikev2Payload[] = [{ kind: 'SA', proposals: [ikeSelectionOnWire(sel, new Uint8Array(0))] }, { kind: 'KE', group: group.id, data: s.crypto.dhPublic(group, privateValue) }, { kind: 'Nonce', data: nr }];
  if (s.config.natTraversal) {
    const found = readNatDetection(s.crypto, payloads, header.initiatorSpi, header.responderSpi, d.src, d.sport, d.dst, d.dport);
    if (found) {
      noteNat(s, sa, found.natHere, found.natThere);
      out.push(...natDetectionNotifies(s.crypto, sa.spiI, spiR, s.config.local, d.dport, d.src, d.sport));
    }
  }
  return { payloads: out, responderSpi: spiR, sa };
}
