/**
 * IKE_AUTH with a pre-shared key (RFC 7296 §1.2, §2.15), both roles, with the first child SA
 * (child-create.ts), as strongSwan's `ike_auth` task and `psk_authenticator` do it.
 *
 * Owns: the ID payloads of this side's identity (ID_IPV4_ADDR or ID_FQDN) and the check of
 * the peer's against the configured one, the AUTH payloads (keys-v2.ts's formulas over the
 * IKE_SA_INIT messages as sent), what a failure does — the responder answers
 * N(AUTHENTICATION_FAILED) and ends the SA (IKE_PHASE1_KEY_MISMATCH for a MAC that does not
 * verify, IKE_PHASE1_FAILED for an identity no configuration matches); the initiator that
 * receives it ends the SA too; an initiator whose check of the responder's AUTH fails tells
 * the peer in an INFORMATIONAL with N(AUTHENTICATION_FAILED), not waiting for an answer, and
 * ends the SA — and the moment the IKE SA counts as established (its rekey and hard-expiry
 * times start then). A child-only error keeps the IKE SA (`failed to establish CHILD_SA,
 * keeping IKE_SA`). Every line logged is strongSwan's wording.
 */
import { formatIPv4 } from '../../net/ipv4.js';
import { pskAuthInitiator, pskAuthResponder } from '../keys-v2.js';
import { bytesEqual } from '../../ipsec/crypto.js';
import type { IkeIdentity } from '../endpoint.js';
import { AuthMethod, ExchangeType, IdType, isErrorNotify, notifyName, NotifyType } from '../../wire/ikev2-numbers.js';
import { notifyPayload, type IdPayload, type Ikev2Payload } from '../../wire/ikev2-payloads.js';
import { installChild } from './child-sa.js';
import { ChildOffer, answerChild, isChildOnlyError } from './child-create.js';
import { lowerNonce, rekeyTime, type IkeSa, type InitiatorTask, type ResponseInfo } from './ike-sa.js';
import { firstPayload, notifiesOf } from './payload-access.js';
import { espSelectionLogText, proposalLogText, ikeSelectionOnWire } from './proposal-selection.js';
import { deriveChildKeys } from '../keys-v2.js';
import { childName, identityText, ikeEnds, ikeName, type Ikev2Services } from './services.js';
import { configuredSelectors, selectorsText } from './traffic-selectors.js';

/** An identity as an ID payload. */
export function idPayload(kind: 'IDi' | 'IDr', id: IkeIdentity): IdPayload {
  if (id.type === 'ipv4') return { kind, idType: IdType.IPV4_ADDR, data: Uint8Array.of(id.addr >>> 24, (id.addr >>> 16) & 0xff, (id.addr >>> 8) & 0xff, id.addr & 0xff) };
  return { kind, idType: IdType.FQDN, data: new TextEncoder().encode(id.name) };
}

/** The ID payload's body as AUTH signs it: type, three reserved zero bytes, data (RFC 7296 §2.15). */
export function idBody(p: IdPayload): Uint8Array {
  const out = new Uint8Array(4 + p.data.length);
  out[0] = p.idType;
  out.set(p.data, 4);
  return out;
}

/** The identity an ID payload names, or null for a type this side does not use. */
export function identityOf(p: IdPayload): IkeIdentity | null {
  if (p.idType === IdType.IPV4_ADDR && p.data.length === 4) return { type: 'ipv4', addr: ((p.data[0]! << 24) | (p.data[1]! << 16) | (p.data[2]! << 8) | p.data[3]!) >>> 0 };
  if (p.idType === IdType.FQDN) return { type: 'fqdn', name: new TextDecoder().decode(p.data) };
  return null;
}

function sameIdentity(a: IkeIdentity, b: IkeIdentity): boolean {
  return a.type === 'ipv4' ? b.type === 'ipv4' && a.addr === b.addr : b.type === 'fqdn' && a.name.toLowerCase() === b.name.toLowerCase();
}

function idText(p: IdPayload): string {
  const id = identityOf(p);
  return id ? identityText(id) : `(ID type ${p.idType})`;
}

/** The IKE SA is up: log it, start its lifetime. */
function established(s: Ikev2Services, sa: IkeSa, now: number): void {
  sa.state = 'established';
  sa.establishedAt = now;
  sa.halfOpenUntil = Infinity;
  sa.rekeyAt = rekeyTime(now, s.config.ikeLifetime, s.config.rekeyMargin);
  sa.expireAt = now + s.config.ikeLifetime;
  s.log(`IKE_SA ${ikeName(s, sa)} established between ${ikeEnds(s, sa)}`);
}

function establishedStatus(s: Ikev2Services, sa: IkeSa, childLine: string): void {
  s.status('IPSEC_SESSION_ESTABLISHED', `IKE_SA ${ikeName(s, sa)} ${proposalLogText(ikeSelectionOnWire({ number: 1, suite: sa.suite! }, new Uint8Array(0)))}; ${childLine}`, null);
}

/** The notice an initiator sends when the responder's AUTH does not verify (strongSwan sends it and ends the SA). */
class AuthFailedNotice implements InitiatorTask {
  readonly kind = 'auth-failed-notice';
  readonly exchange = ExchangeType.INFORMATIONAL;
  readonly oneWay = true;
  build(): Ikev2Payload[] {
    return [notifyPayload(NotifyType.AUTHENTICATION_FAILED)];
  }
  process(): 'done' {
    return 'done';
  }
}

/** The initiator's IKE_AUTH. */
export class IkeAuthTask implements InitiatorTask {
  readonly kind = 'ike-auth';
  readonly exchange = ExchangeType.IKE_AUTH;
  readonly oneWay = false;
  private offer: ChildOffer | null = null;

  constructor(
    private readonly s: Ikev2Services,
    private readonly sa: IkeSa,
  ) {}

  build(): Ikev2Payload[] {
    const s = this.s;
    const sa = this.sa;
    const idi = idPayload('IDi', s.config.localId);
    s.log(`authentication of '${identityText(s.config.localId)}' (myself) with pre-shared key`);
    const auth = pskAuthInitiator(s.crypto, sa.suite!.prf, s.config.psk, sa.initRequest!, sa.nr!, sa.keys!.skPi, idBody(idi));
    const conf = configuredSelectors(s.config.selectors);
    this.offer = new ChildOffer(s, conf.local, conf.remote, false);
    s.log(`establishing CHILD_SA ${s.config.connection}{${this.offer.uid}}`);
    const idr = s.config.remoteId ? [idPayload('IDr', s.config.remoteId)] : [];
    return [idi, ...idr, { kind: 'AUTH', method: AuthMethod.PSK, data: auth }, ...this.offer.payloads()];
  }

  private end(status: 'IKE_PHASE1_FAILED' | 'IKE_PHASE1_KEY_MISMATCH', detail: string, notify: string | null, now: number): 'done' {
    this.s.status(status, detail, notify);
    this.s.destroySa(this.sa, now, 'IKE_AUTH failed');
    return 'done';
  }

  process(r: ResponseInfo, now: number): 'done' {
    const s = this.s;
    const sa = this.sa;
    const notifies = notifiesOf(r.payloads);
    const authFailed = notifies.find((n) => n.notifyType === NotifyType.AUTHENTICATION_FAILED);
    if (authFailed) {
      s.log('received AUTHENTICATION_FAILED notify error');
      return this.end('IKE_PHASE1_KEY_MISMATCH', `the peer could not verify our AUTH: the pre-shared keys differ, or it does not accept our identity '${identityText(s.config.localId)}'`, 'AUTHENTICATION_FAILED', now);
    }
    const fatal = notifies.find((n) => isErrorNotify(n.notifyType) && !isChildOnlyError(n.notifyType));
    if (fatal) {
      s.log(`received ${notifyName(fatal.notifyType)} notify error`);
      return this.end('IKE_PHASE1_FAILED', `the peer refused IKE_AUTH with ${notifyName(fatal.notifyType)}`, notifyName(fatal.notifyType), now);
    }
    const idr = firstPayload(r.payloads, 'IDr');
    const auth = firstPayload(r.payloads, 'AUTH');
    if (!idr || !auth) {
      s.log(`${!idr ? 'IDr' : 'AUTH'} payload missing`);
      return this.end('IKE_PHASE1_FAILED', `the peer's IKE_AUTH response has no ${!idr ? 'IDr' : 'AUTH'} payload`, null, now);
    }
    const peerId = identityOf(idr);
    if (s.config.remoteId && (!peerId || !sameIdentity(peerId, s.config.remoteId))) {
      s.log(`received IDr '${idText(idr)}', but require '${identityText(s.config.remoteId)}'`);
      return this.end('IKE_PHASE1_FAILED', `the peer identifies as '${idText(idr)}', we expect '${identityText(s.config.remoteId)}'`, null, now);
    }
    const want = pskAuthResponder(s.crypto, sa.suite!.prf, s.config.psk, sa.initResponse!, sa.ni!, sa.keys!.skPr, idBody(idr));
    if (auth.method !== AuthMethod.PSK || !bytesEqual(auth.data, want)) {
      s.log(`tried 1 shared key for '${identityText(s.config.localId)}' - '${idText(idr)}', but MAC mismatched`);
      s.sendOneWay(sa, new AuthFailedNotice(), now);
      return this.end('IKE_PHASE1_KEY_MISMATCH', "the peer's AUTH payload does not verify with our pre-shared key: the keys differ", 'AUTHENTICATION_FAILED', now);
    }
    s.log(`authentication of '${idText(idr)}' with pre-shared key successful`);
    sa.peerId = peerId;
    established(s, sa, now);
    const offer = this.offer!;
    const childError = notifies.find((n) => isChildOnlyError(n.notifyType));
    if (childError) {
      const name = notifyName(childError.notifyType);
      s.log(`received ${name} notify, no CHILD_SA built`);
      s.log('failed to establish CHILD_SA, keeping IKE_SA');
      if (childError.notifyType === NotifyType.NO_PROPOSAL_CHOSEN) {
        s.status('IPSEC_PHASE2_FAILED', `we offered ESP ${offer.offeredText()}; the peer accepted none of them (${name})`, name);
      } else {
        s.status('TRAFFIC_SELECTOR_MISMATCH', `we proposed ${selectorsText(offer.localTs)} === ${selectorsText(offer.remoteTs)}; the peer accepts none of them (${name})`, name);
      }
      return 'done';
    }
    const got = offer.accept(r.payloads);
    if ('log' in got) {
      s.log(got.log);
      s.log('failed to establish CHILD_SA, keeping IKE_SA');
      s.status(got.log.includes('traffic selectors') ? 'TRAFFIC_SELECTOR_MISMATCH' : 'IPSEC_PHASE2_FAILED', got.detail, null);
      return 'done';
    }
    const keys = deriveChildKeys(s.crypto, sa.suite!.prf, sa.keys!.skD, got.selection.transform, sa.ni!, sa.nr!);
    const child = installChild(s, sa, { ...got, keys, weInitiated: true, lowerNonce: lowerNonce(sa.ni!, sa.nr!), replaces: null }, now);
    establishedStatus(s, sa, `CHILD_SA ${childName(s, child)} ${espSelectionLogText(child.selection)} with TS ${selectorsText(child.localTs)} === ${selectorsText(child.remoteTs)}`);
    return 'done';
  }
}

/** What the responder does with an IKE_AUTH request: the response payloads and whether the SA ends once it is sent. */
export interface AuthAnswer {
  readonly payloads: Ikev2Payload[];
  readonly endSa: boolean;
}

/** Answer an IKE_AUTH request. */
export function answerIkeAuth(s: Ikev2Services, sa: IkeSa, payloads: readonly Ikev2Payload[], now: number): AuthAnswer {
  const refuse = (status: 'IKE_PHASE1_FAILED' | 'IKE_PHASE1_KEY_MISMATCH', detail: string): AuthAnswer => {
    s.status(status, detail, 'AUTHENTICATION_FAILED');
    return { payloads: [notifyPayload(NotifyType.AUTHENTICATION_FAILED)], endSa: true };
  };
  const idi = firstPayload(payloads, 'IDi');
  const auth = firstPayload(payloads, 'AUTH');
  if (!idi || !auth) {
    s.log(`${!idi ? 'IDi' : 'AUTH'} payload missing`);
    return refuse('IKE_PHASE1_FAILED', `the peer's IKE_AUTH request has no ${!idi ? 'IDi' : 'AUTH'} payload`);
  }
  const peerId = identityOf(idi);
  s.log(`looking for peer configs matching ${formatIPv4(s.config.local)}[${identityText(s.config.localId)}]...${formatIPv4(sa.peerAddress)}[${idText(idi)}]`);
  if (s.config.remoteId && (!peerId || !sameIdentity(peerId, s.config.remoteId))) {
    s.log('no matching peer config found');
    return refuse('IKE_PHASE1_FAILED', `the peer identifies as '${idText(idi)}', we expect '${identityText(s.config.remoteId)}'`);
  }
  s.log(`selected peer config '${s.config.connection}'`);
  const want = pskAuthInitiator(s.crypto, sa.suite!.prf, s.config.psk, sa.initRequest!, sa.nr!, sa.keys!.skPi, idBody(idi));
  if (auth.method !== AuthMethod.PSK || !bytesEqual(auth.data, want)) {
    s.log(`tried 1 shared key for '${identityText(s.config.localId)}' - '${idText(idi)}', but MAC mismatched`);
    return refuse('IKE_PHASE1_KEY_MISMATCH', "the peer's AUTH payload does not verify with our pre-shared key: the keys differ");
  }
  s.log(`authentication of '${idText(idi)}' with pre-shared key successful`);
  sa.peerId = peerId;
  const idr = idPayload('IDr', s.config.localId);
  s.log(`authentication of '${identityText(s.config.localId)}' (myself) with pre-shared key`);
  const authR = pskAuthResponder(s.crypto, sa.suite!.prf, s.config.psk, sa.initResponse!, sa.ni!, sa.keys!.skPr, idBody(idr));
  established(s, sa, now);
  const child = answerChild(s, sa, payloads, true, null, now);
  if (child.child) {
    const c = child.child;
    establishedStatus(s, sa, `CHILD_SA ${childName(s, c)} ${espSelectionLogText(c.selection)} with TS ${selectorsText(c.localTs)} === ${selectorsText(c.remoteTs)}`);
  }
  return { payloads: [idr, { kind: 'AUTH', method: AuthMethod.PSK, data: authR }, ...child.payloads], endSa: false };
}
