/**
 * Main Mode with a pre-shared key (RFC 2409 §5, §5.4), both roles, as strongSwan's
 * `main_mode.c` (with `phase1.c`, `isakmp_vendor.c`, `isakmp_natd.c`) runs it:
 *
 *   MM1 I→R  SA [V(NAT-T)]            MM2 R→I  SA [V(NAT-T)]
 *   MM3 I→R  KE Ni [NAT-D NAT-D]      MM4 R→I  KE Nr [NAT-D NAT-D]
 *   MM5 I→R* IDii HASH_I [N(INITIAL_CONTACT)]   MM6 R→I* IDir HASH_R
 *
 * IDs are the configured identities (IP addresses by default: with a PSK, Main Mode finds the
 * key by the peer's address, §5.4). After MM4 both sides have SKEYID*, Ka and the phase-1 IV
 * and tell the host (`ike-sa-keys`); when NAT-D shows a NAT the initiator floats to 4500 for
 * MM5 and the responder follows the peer there.
 *
 * Failures are strongSwan's: no acceptable proposal (responder: "no proposal found", a clear
 * N(NO_PROPOSAL_CHOSEN); IKE_PHASE1_FAILED); MM5 that does not decrypt into payloads
 * (responder: "invalid ID_V1 payload length, decryption failed?", "message parsing failed",
 * an encrypted N(PAYLOAD_MALFORMED)) or whose HASH_I is wrong ("calculated HASH does not match
 * HASH payload", N(AUTHENTICATION_FAILED)): IKE_PHASE1_KEY_MISMATCH, since with a PSK both
 * mean the keys differ; a wrong identity (IKE_PHASE1_FAILED); on the initiator, MM6 with a
 * wrong HASH_R or ID ends in an ISAKMP Delete (strongSwan `send_delete`). Every such end
 * drops the SA.
 */
import { bytesEqual } from '../../ipsec/crypto.js';
import { cipherKeyV1, deriveSkeyids, hashI, hashR, phase1Iv, skeyidPsk, type MainModeHashInput } from '../keys-v1.js';
import { formatIkeProposal } from '../proposals.js';
import type { IkeDatagram, IkeIdentity } from '../endpoint.js';
import { formatIPv4 } from '../../net/ipv4.js';
import {
  encodePayloadBody,
  ExchangeType,
  NotifyType,
  PayloadType,
  vendorIdName,
  type IdPayload,
  type IsakmpDatagram,
  type IsakmpIdentity,
  type IsakmpPayload,
} from '../../wire/isakmp.js';
import type { Ikev1Context } from './context.js';
import { Ikev1Crypter } from './crypt.js';
import { clearMessage, headerOf, payloadOf, payloadsOf, rawBodyOf, readClear, readEncrypted, summaryOf, type ReadMessage } from './messages.js';
import { detectNat, NATT_KEEPALIVE_INTERVAL, NATT_VENDOR_NAME, natdPayloadHashes, nattVendorId } from './natt.js';
import { betweenText, sendIsakmpDelete, sendPhase1Notify } from './notify.js';
import { acceptPhase1Answer, phase1Answer, phase1Offer, phase1Suites, phase1Transforms, selectPhase1 } from './proposals.js';
import { rekeyTime } from './children.js';
import { adoptChildren, dropSa, failSa } from './teardown.js';
import { answer, responseProcessed, sendRequest, updateHosts } from './transport.js';
import type { Ikev1Book, IsakmpSa } from './state.js';
import { identityText, ikeSaName, notifyLongName } from './words.js';

const ZERO_COOKIE = new Uint8Array(8);

/** The ID payload of an identity (phase 1: protocol 0, port 0, as strongSwan sends it). */
export function idPayloadOf(id: IkeIdentity): IdPayload {
  const identity: IsakmpIdentity = id.type === 'ipv4' ? { kind: 'ipv4', address: id.addr } : { kind: 'fqdn', name: id.name };
  return { kind: 'id', protocol: 0, port: 0, identity };
}

function identityOf(p: IdPayload): IkeIdentity | null {
  if (p.identity.kind === 'ipv4') return { type: 'ipv4', addr: p.identity.address };
  if (p.identity.kind === 'fqdn') return { type: 'fqdn', name: p.identity.name };
  return null;
}

function identityWords(p: IdPayload): string {
  const id = identityOf(p);
  return id ? identityText(id) : `(${p.identity.kind})`;
}

function sameIdentity(a: IkeIdentity, b: IkeIdentity): boolean {
  return a.type === 'ipv4' ? b.type === 'ipv4' && a.addr === b.addr : b.type === 'fqdn' && a.name.toLowerCase() === b.name.toLowerCase();
}

function vendorIds(ctx: Ikev1Context, m: ReadMessage): boolean {
  let natt = false;
  for (const v of payloadsOf(m, 'vendor-id')) {
    const name = vendorIdName(v.data);
    if (name === NATT_VENDOR_NAME) natt = true;
    ctx.log(name ? `received ${name} vendor ID` : `received unknown vendor ID: ${Array.from(v.data, (b) => b.toString(16).padStart(2, '0')).join(':')}`);
  }
  return natt;
}

/** Start Main Mode as initiator: MM1. */
export function startMainMode(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa): void {
  const suites = phase1Suites(ctx.config.ikeProposals);
  ctx.log(`initiating Main Mode IKE_SA ${ikeSaName(ctx.config.connection, sa.uniqueId)} to ${formatIPv4(sa.remoteAddr)}`);
  if (suites.length === 0) {
    failSa(ctx, book, sa, 'IKE_PHASE1_FAILED', 'none of our IKE proposals can be offered in IKEv1 Main Mode (it has no AES-GCM phase 1)', null);
    return;
  }
  const saPayload = phase1Offer(suites, ctx.config.ikeLifetime);
  sa.saiBody = encodePayloadBody(saPayload);
  const payloads: IsakmpPayload[] = [saPayload];
  if (ctx.config.natTraversal) payloads.push({ kind: 'vendor-id', data: nattVendorId() });
  const header = headerOf(sa, ExchangeType.MAIN_MODE, 0);
  sa.state = 'mm-sa';
  sendRequest(ctx, sa, clearMessage(header, payloads), summaryOf(header, payloads, 'request'), 0, ExchangeType.MAIN_MODE);
}

function keyExchange(ctx: Ikev1Context, sa: IsakmpSa): Uint8Array {
  const group = sa.choice!.suite.dhGroup;
  sa.dhPrivate = ctx.dhPrivate(group);
  return ctx.be.dhPublic(group, sa.dhPrivate);
}

/** SKEYID*, Ka, the phase-1 IV and the crypter, once both KE and both nonces are known; false when the peer's KE value is unusable. */
function deriveKeys(ctx: Ikev1Context, sa: IsakmpSa): boolean {
  const suite = sa.choice!.suite;
  const peerKe = sa.initiator ? sa.gxr! : sa.gxi!;
  const shared = ctx.be.dhShared(suite.dhGroup, sa.dhPrivate!, peerKe);
  if (!shared) return false;
  const enc = suite.encryption;
  if (enc.mode !== 'cbc') throw new RangeError('IKEv1 phase 1 runs CBC ciphers only');
  const skeyid = skeyidPsk(ctx.be, suite.prf, ctx.config.psk, sa.ni!, sa.nr!);
  const k = deriveSkeyids(ctx.be, suite.prf, skeyid, shared, sa.cookieI, sa.cookieR);
  const ka = cipherKeyV1(ctx.be, suite.prf, k.skeyidE, enc);
  sa.keys = { skeyid, ...k, ka };
  sa.crypter = new Ikev1Crypter(ctx.be, enc, suite.prf, ka, phase1Iv(ctx.be, suite.prf, sa.gxi!, sa.gxr!, enc), ctx.padding);
  ctx.emit({ kind: 'ike-sa-keys', keys: { version: 1, cookieI: sa.cookieI.slice(), encryptionKey: ka.slice(), suite } });
  return true;
}

function hashInput(sa: IsakmpSa): MainModeHashInput {
  return { gxi: sa.gxi!, gxr: sa.gxr!, ckyI: sa.cookieI, ckyR: sa.cookieR, saiBody: sa.saiBody! };
}

function natdPayloads(ctx: Ikev1Context, sa: IsakmpSa): IsakmpPayload[] {
  if (!sa.natTraversal) return [];
  const hash = sa.choice!.suite.prf.hash;
  return natdPayloadHashes(ctx.be, hash, sa.cookieI, sa.cookieR, { addr: ctx.config.local, port: sa.localPort }, { addr: sa.remoteAddr, port: sa.remotePort }).map((h) => ({ kind: 'nat-d', hash: h }));
}

/** Read the NAT-D payloads of MM3/MM4 as they arrived in `d`; log what they show. */
function readNat(ctx: Ikev1Context, sa: IsakmpSa, m: ReadMessage, d: IkeDatagram): void {
  if (!sa.natTraversal) return;
  const hashes = payloadsOf(m, 'nat-d').map((p) => p.hash);
  const r = detectNat(ctx.be, sa.choice!.suite.prf.hash, sa.cookieI, sa.cookieR, hashes, { addr: d.dst, port: d.dport }, { addr: d.src, port: d.sport });
  if (!r) return;
  sa.natHere = r.natHere;
  sa.natThere = r.natThere;
  if (r.natHere) ctx.log('local host is behind NAT, sending keep alives');
  if (r.natThere) ctx.log('remote host is behind NAT');
}

function established(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa): void {
  sa.state = 'established';
  sa.establishedAt = ctx.now;
  sa.expireAt = ctx.now + sa.lifetime;
  sa.reauthAt = rekeyTime(ctx.now, Math.min(sa.lifetime, ctx.config.ikeLifetime), ctx.config.rekeyMargin, sa.initiator);
  sa.keepaliveAt = sa.natHere ? ctx.now + NATT_KEEPALIVE_INTERVAL : null;
  ctx.log(`IKE_SA ${ikeSaName(ctx.config.connection, sa.uniqueId)} established between ${betweenText(ctx, sa)}`);
  const older = book.sas.filter((s) => s !== sa && s.state === 'established');
  if (adoptChildren(book, sa) > 0 || older.length > 0) {
    for (const old of older) {
      old.replaced = true;
      if (sa.initiator) {
        sendIsakmpDelete(ctx, old);
        dropSa(ctx, book, old);
      }
    }
  }
}

function phase1Detail(ctx: Ikev1Context, offered: string, accepted: string): string {
  return `the peer offered ${offered}; we accept ${accepted} (connection ${ctx.config.connection})`;
}

/** A Main Mode message for `sa` arrived (`bytes` is the ISAKMP message, marker removed). */
export function receiveMainMode(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa, d: IkeDatagram, bytes: Uint8Array, decoded: IsakmpDatagram): void {
  const encrypted = decoded.kind === 'encrypted';
  const expecting = sa.initiator ? { 'mm-sa': 2, 'mm-ke': 4, 'mm-auth': 6 } : { 'mm-sa': 1, 'mm-ke': 3, 'mm-auth': 5 };
  const n = sa.state === 'established' || sa.state === 'deleted' ? null : expecting[sa.state];
  const role = sa.initiator ? 'response' : 'request';
  if (n === null || encrypted !== (n >= 5)) {
    const what = sa.state === 'established' ? 'ignoring ID_PROT in established IKE_SA state' : `unexpected ${encrypted ? 'encrypted' : 'cleartext'} ID_PROT ${role} while waiting for Main Mode message ${n ?? '-'}`;
    ctx.log(what);
    ctx.emit({ kind: 'received', datagram: d, summary: `ID_PROT ${role} 0 [ ${encrypted ? '(encrypted) ' : ''}]`, problem: what });
    return;
  }
  const read = decoded.kind === 'encrypted' ? readEncrypted(sa, decoded) : readClear(bytes);
  if (!read.ok) {
    for (const line of read.why) ctx.log(line);
    ctx.log('message parsing failed');
    ctx.log(`ID_PROT ${role} with message ID 0 processing failed`);
    ctx.emit({ kind: 'received', datagram: d, summary: `ID_PROT ${role} 0 [ ${n >= 5 ? '(undecryptable) ' : ''}]`, problem: read.why.join('; ') });
    if (n >= 5) keysDiffer(ctx, book, sa, n);
    return;
  }
  const m = read.message;
  // strongSwan's message.c moves the IV on once the message parsed, before Main Mode judges it.
  if (read.lastBlock) sa.crypter!.confirm(0, ExchangeType.MAIN_MODE, read.lastBlock);
  const summary = summaryOf(m.header, m.payloads, role);
  ctx.emit({ kind: 'received', datagram: d, summary, problem: null });
  sa.heard = true;
  updateHosts(ctx, sa, d);
  if (n === 1) mm1(ctx, book, sa, m, bytes, summary);
  else if (n === 2) mm2(ctx, book, sa, m, bytes, summary);
  else if (n === 3) mm3(ctx, book, sa, m, d, bytes, summary);
  else if (n === 4) mm4(ctx, book, sa, m, d, bytes, summary);
  else if (n === 5) mm5(ctx, book, sa, m, bytes, summary);
  else mm6(ctx, book, sa, m, bytes, summary);
}

/** MM5 or MM6 did not decrypt into payloads: with a PSK that means the keys, so the PSKs, differ. */
function keysDiffer(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa, n: number): void {
  if (!sa.initiator) sendPhase1Notify(ctx, sa, NotifyType.PAYLOAD_MALFORMED);
  failSa(
    ctx,
    book,
    sa,
    'IKE_PHASE1_KEY_MISMATCH',
    `Main Mode message ${n} from ${formatIPv4(sa.remoteAddr)} does not decrypt with the keys our pre-shared key gives: the two sides' pre-shared keys differ`,
    sa.initiator ? null : notifyLongName(NotifyType.PAYLOAD_MALFORMED),
  );
}

function mm1(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa, m: ReadMessage, bytes: Uint8Array, summary: string): void {
  ctx.log(`${formatIPv4(sa.remoteAddr)} is initiating a Main Mode IKE_SA`);
  const natt = vendorIds(ctx, m);
  const saPayload = payloadOf(m, 'sa');
  const saiBody = rawBodyOf(m, PayloadType.SA);
  if (!saPayload || !saiBody) {
    ctx.log('SA payload missing');
    sendPhase1Notify(ctx, sa, NotifyType.INVALID_PAYLOAD_TYPE);
    failSa(ctx, book, sa, 'IKE_PHASE1_FAILED', 'the peer\'s Main Mode message 1 has no SA payload', notifyLongName(NotifyType.INVALID_PAYLOAD_TYPE));
    return;
  }
  const ours = phase1Suites(ctx.config.ikeProposals);
  const offered = phase1Transforms(saPayload);
  const choice = selectPhase1(ours, offered);
  if (!choice) {
    const theirs = offered.map((o) => o.words + (o.psk ? '' : ' (not PSK)')).join(', ') || '(none)';
    const mine = ours.map((s) => formatIkeProposal(s)).join(', ') || '(none)';
    ctx.log(`received proposals: ${theirs}`);
    ctx.log(`configured proposals: ${mine}`);
    ctx.log('no proposal found');
    sendPhase1Notify(ctx, sa, NotifyType.NO_PROPOSAL_CHOSEN);
    failSa(ctx, book, sa, 'IKE_PHASE1_FAILED', `no IKE proposal in common: ${phase1Detail(ctx, theirs, mine)}`, notifyLongName(NotifyType.NO_PROPOSAL_CHOSEN));
    return;
  }
  ctx.log(`selected proposal: ${formatIkeProposal(choice.suite)}`);
  sa.choice = choice;
  sa.lifetime = choice.lifetime ?? ctx.config.ikeLifetime;
  sa.saiBody = saiBody.slice();
  sa.natTraversal = ctx.config.natTraversal && natt;
  const payloads: IsakmpPayload[] = [phase1Answer(choice, sa.lifetime)];
  if (sa.natTraversal) payloads.push({ kind: 'vendor-id', data: nattVendorId() });
  const header = headerOf(sa, ExchangeType.MAIN_MODE, 0);
  sa.state = 'mm-ke';
  answer(ctx, sa, { bytes, summary, messageId: 0 }, { message: clearMessage(header, payloads), summary: summaryOf(header, payloads, 'response'), retransmit: false });
}

function mm2(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa, m: ReadMessage, bytes: Uint8Array, summary: string): void {
  if (bytesEqual(sa.cookieR, ZERO_COOKIE)) sa.cookieR = m.header.responderCookie.slice();
  const natt = vendorIds(ctx, m);
  responseProcessed(sa, bytes, summary, 0, ExchangeType.MAIN_MODE);
  const saPayload = payloadOf(m, 'sa');
  const ours = phase1Suites(ctx.config.ikeProposals);
  const answered = saPayload ? phase1Transforms(saPayload) : [];
  const choice = acceptPhase1Answer(ours, answered);
  if (!choice) {
    ctx.log(saPayload ? 'no proposal found' : 'SA payload missing');
    sendPhase1Notify(ctx, sa, saPayload ? NotifyType.NO_PROPOSAL_CHOSEN : NotifyType.INVALID_PAYLOAD_TYPE);
    const theirs = answered.map((o) => o.words).join(', ') || '(nothing)';
    failSa(ctx, book, sa, 'IKE_PHASE1_FAILED', `the peer answered with ${theirs}, which is not one of our IKE proposals (${ours.map((s) => formatIkeProposal(s)).join(', ')})`, notifyLongName(NotifyType.NO_PROPOSAL_CHOSEN));
    return;
  }
  sa.choice = choice;
  const lifetime = choice.lifetime ?? ctx.config.ikeLifetime;
  if (lifetime !== ctx.config.ikeLifetime) ctx.log(`received lifetime ${lifetime}s does not match configured lifetime ${ctx.config.ikeLifetime}s`);
  sa.lifetime = lifetime;
  sa.natTraversal = ctx.config.natTraversal && natt;
  sa.ni = ctx.nonce();
  sa.gxi = keyExchange(ctx, sa);
  const payloads: IsakmpPayload[] = [{ kind: 'ke', data: sa.gxi }, { kind: 'nonce', data: sa.ni }, ...natdPayloads(ctx, sa)];
  const header = headerOf(sa, ExchangeType.MAIN_MODE, 0);
  sa.state = 'mm-ke';
  sendRequest(ctx, sa, clearMessage(header, payloads), summaryOf(header, payloads, 'request'), 0, ExchangeType.MAIN_MODE);
}

/** KE and Nonce of MM3/MM4, or the failure. */
function takeKeNonce(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa, m: ReadMessage): boolean {
  const ke = payloadOf(m, 'ke');
  const nonce = payloadOf(m, 'nonce');
  const missing = !ke ? 'KE payload missing in message' : !nonce ? 'NONCE payload missing in message' : null;
  if (missing) {
    ctx.log(missing);
    sendPhase1Notify(ctx, sa, NotifyType.INVALID_PAYLOAD_TYPE);
    failSa(ctx, book, sa, 'IKE_PHASE1_FAILED', `the peer's Main Mode message lacks a payload: ${missing}`, notifyLongName(NotifyType.INVALID_PAYLOAD_TYPE));
    return false;
  }
  if (sa.initiator) {
    sa.gxr = ke!.data.slice();
    sa.nr = nonce!.data.slice();
  } else {
    sa.gxi = ke!.data.slice();
    sa.ni = nonce!.data.slice();
  }
  return true;
}

function badKe(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa): void {
  ctx.log('unable to apply received KE value');
  sendPhase1Notify(ctx, sa, NotifyType.INVALID_PAYLOAD_TYPE);
  failSa(ctx, book, sa, 'IKE_PHASE1_FAILED', `the peer's KE value is not a valid ${sa.choice!.suite.dhGroup.label} public value`, notifyLongName(NotifyType.INVALID_PAYLOAD_TYPE));
}

function mm3(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa, m: ReadMessage, d: IkeDatagram, bytes: Uint8Array, summary: string): void {
  if (!takeKeNonce(ctx, book, sa, m)) return;
  readNat(ctx, sa, m, d);
  sa.nr = ctx.nonce();
  sa.gxr = keyExchange(ctx, sa);
  if (!deriveKeys(ctx, sa)) {
    badKe(ctx, book, sa);
    return;
  }
  const payloads: IsakmpPayload[] = [{ kind: 'ke', data: sa.gxr }, { kind: 'nonce', data: sa.nr }, ...natdPayloads(ctx, sa)];
  const header = headerOf(sa, ExchangeType.MAIN_MODE, 0);
  sa.state = 'mm-auth';
  answer(ctx, sa, { bytes, summary, messageId: 0 }, { message: clearMessage(header, payloads), summary: summaryOf(header, payloads, 'response'), retransmit: false });
}

function mm4(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa, m: ReadMessage, d: IkeDatagram, bytes: Uint8Array, summary: string): void {
  responseProcessed(sa, bytes, summary, 0, ExchangeType.MAIN_MODE);
  if (!takeKeNonce(ctx, book, sa, m)) return;
  if (!deriveKeys(ctx, sa)) {
    badKe(ctx, book, sa);
    return;
  }
  readNat(ctx, sa, m, d);
  if (sa.natHere || sa.natThere) {
    sa.localPort = ctx.ports.localNatT;
    sa.remotePort = ctx.ports.remoteNatT;
  }
  const id = idPayloadOf(ctx.config.localId);
  const hash = hashI(ctx.be, sa.choice!.suite.prf, sa.keys!.skeyid, hashInput(sa), encodePayloadBody(id));
  const payloads: IsakmpPayload[] = [
    id,
    { kind: 'hash', data: hash },
    { kind: 'notify', doi: 1, protocol: 1, spi: new Uint8Array([...sa.cookieI, ...sa.cookieR]), notifyType: NotifyType.INITIAL_CONTACT, data: new Uint8Array(0) },
  ];
  const header = headerOf(sa, ExchangeType.MAIN_MODE, 0);
  sa.state = 'mm-auth';
  sendRequest(ctx, sa, sa.crypter!.encrypt(header, payloads), summaryOf(header, payloads, 'request'), 0, ExchangeType.MAIN_MODE);
}

/** Error notifies in a Main Mode message (strongSwan `has_notify_errors`): logged; true when there was one. */
function notifyErrors(ctx: Ikev1Context, m: ReadMessage): number | null {
  let err: number | null = null;
  for (const n of payloadsOf(m, 'notify')) {
    if (n.notifyType < 16384) {
      ctx.log(`received ${notifyLongName(n.notifyType)} error notify`);
      err ??= n.notifyType;
    } else if (n.notifyType !== NotifyType.INITIAL_CONTACT) {
      ctx.log(`received ${notifyLongName(n.notifyType)} notify`);
    }
  }
  return err;
}

function mm5(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa, m: ReadMessage, bytes: Uint8Array, summary: string): void {
  const id = payloadOf(m, 'id');
  const idBody = rawBodyOf(m, PayloadType.ID);
  const hash = payloadOf(m, 'hash');
  if (!id || !idBody || !hash) {
    ctx.log(!id ? 'IDii payload missing' : 'HASH payload missing');
    sendPhase1Notify(ctx, sa, NotifyType.INVALID_PAYLOAD_TYPE);
    failSa(ctx, book, sa, 'IKE_PHASE1_FAILED', 'the peer\'s Main Mode message 5 lacks its ID or HASH payload', notifyLongName(NotifyType.INVALID_PAYLOAD_TYPE));
    return;
  }
  const peer = identityOf(id);
  const wanted = ctx.config.remoteId;
  if (!peer || (wanted && !sameIdentity(peer, wanted))) {
    ctx.log(`looking for peer configs matching ${formatIPv4(ctx.config.local)}...${formatIPv4(sa.remoteAddr)}[${identityWords(id)}]`);
    ctx.log('no peer config found');
    sendPhase1Notify(ctx, sa, NotifyType.AUTHENTICATION_FAILED);
    failSa(ctx, book, sa, 'IKE_PHASE1_FAILED', `the peer identifies as ${identityWords(id)}; we expect ${wanted ? identityText(wanted) : 'an IPv4 address or FQDN'}`, notifyLongName(NotifyType.AUTHENTICATION_FAILED));
    return;
  }
  const expected = hashI(ctx.be, sa.choice!.suite.prf, sa.keys!.skeyid, hashInput(sa), idBody);
  if (!bytesEqual(expected, hash.data)) {
    ctx.log('calculated HASH does not match HASH payload');
    sendPhase1Notify(ctx, sa, NotifyType.AUTHENTICATION_FAILED);
    failSa(ctx, book, sa, 'IKE_PHASE1_KEY_MISMATCH', `HASH_I of ${identityText(peer)} does not verify with our pre-shared key: the two sides' pre-shared keys differ`, notifyLongName(NotifyType.AUTHENTICATION_FAILED));
    return;
  }
  const err = notifyErrors(ctx, m);
  if (err !== null) {
    failSa(ctx, book, sa, 'IKE_PHASE1_FAILED', `the peer reported ${notifyLongName(err)} in Main Mode message 5`, notifyLongName(err));
    return;
  }
  sa.peerId = peer;
  const mine = idPayloadOf(ctx.config.localId);
  const hr = hashR(ctx.be, sa.choice!.suite.prf, sa.keys!.skeyid, hashInput(sa), encodePayloadBody(mine));
  const payloads: IsakmpPayload[] = [mine, { kind: 'hash', data: hr }];
  const header = headerOf(sa, ExchangeType.MAIN_MODE, 0);
  answer(ctx, sa, { bytes, summary, messageId: 0 }, { message: sa.crypter!.encrypt(header, payloads), summary: summaryOf(header, payloads, 'response'), retransmit: false });
  established(ctx, book, sa);
}

function mm6(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa, m: ReadMessage, bytes: Uint8Array, summary: string): void {
  responseProcessed(sa, bytes, summary, 0, ExchangeType.MAIN_MODE);
  const id = payloadOf(m, 'id');
  const idBody = rawBodyOf(m, PayloadType.ID);
  const hash = payloadOf(m, 'hash');
  const peer = id ? identityOf(id) : null;
  const wanted = ctx.config.remoteId;
  let failure: { status: 'IKE_PHASE1_FAILED' | 'IKE_PHASE1_KEY_MISMATCH'; log: string; detail: string } | null = null;
  if (!id || !idBody || !hash) failure = { status: 'IKE_PHASE1_FAILED', log: !id ? 'IDir payload missing' : 'HASH payload missing', detail: 'the peer\'s Main Mode message 6 lacks its ID or HASH payload' };
  else if (!peer || (wanted && !sameIdentity(peer, wanted))) {
    failure = { status: 'IKE_PHASE1_FAILED', log: `IDir '${identityWords(id)}' does not match to '${wanted ? identityText(wanted) : '%any'}'`, detail: `the peer identifies as ${identityWords(id)}; we expect ${wanted ? identityText(wanted) : 'an IPv4 address or FQDN'}` };
  } else if (!bytesEqual(hashR(ctx.be, sa.choice!.suite.prf, sa.keys!.skeyid, hashInput(sa), idBody), hash.data)) {
    failure = { status: 'IKE_PHASE1_KEY_MISMATCH', log: 'calculated HASH does not match HASH payload', detail: `HASH_R of ${identityText(peer)} does not verify with our pre-shared key: the two sides' pre-shared keys differ` };
  }
  if (failure) {
    ctx.log(failure.log);
    sendIsakmpDelete(ctx, sa);
    failSa(ctx, book, sa, failure.status, failure.detail, null);
    return;
  }
  sa.peerId = peer;
  established(ctx, book, sa);
}
