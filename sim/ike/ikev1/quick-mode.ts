/**
 * Quick Mode (RFC 2409 §5.5), both roles, as strongSwan's `quick_mode.c` runs it: one ESP SA
 * pair per exchange, for one selector pair, on an established ISAKMP SA.
 *
 *   QM1 I→R* HASH(1) SA Ni [KE] IDci IDcr
 *   QM2 R→I* HASH(2) SA Nr [KE] IDci IDcr
 *   QM3 I→R* HASH(3)
 *
 * Proxy IDs are ID_IPV4_ADDR_SUBNET with protocol and port 0 (RFC 2407 §4.6.2). The SA offers
 * the configured ESP transforms with lifetimes in seconds and, when configured, kilobytes (a
 * TLV past 65,535), the PFS group when an ESP proposal names one, and tunnel mode, UDP-
 * encapsulated (RFC 3947 §5) once Main Mode saw a NAT. The initiator installs the SA when QM2
 * checks out, then sends QM3; the responder installs on QM3. KEYMAT and SPIs by direction are
 * keys-v1.ts's `quickModeKeys`: initiator → responder keys seeded with the responder's SPI.
 *
 * The responder narrows as strongSwan does: a configured pair whose prefixes overlap the
 * proposed ones is taken, cut to the overlap, and answered with it; the initiator takes the
 * answer only inside what it proposed ("peer selected invalid traffic selectors"). Failures
 * go out as an Informational notify with the initiator's SPI (strongSwan's send_notify):
 * INVALID_ID_INFORMATION ("no matching CHILD_SA config found for %#R === %#R";
 * TRAFFIC_SELECTOR_MISMATCH), NO_PROPOSAL_CHOSEN ("no matching proposal found, sending
 * NO_PROPOSAL_CHOSEN"; IPSEC_PHASE2_FAILED, the detail saying when only PFS differs),
 * INVALID_HASH_INFORMATION for a wrong HASH(n) (strongSwan's `message.c`). A failed Quick
 * Mode leaves the ISAKMP SA up.
 */
import { covers, makePrefix, maskOf, type Prefix } from '../../net/ipv4.js';
import type { IkeDatagram, IkeSessionStatus, SelectorPair } from '../endpoint.js';
import { hash1, hash2, hash3, quickModeKeys } from '../keys-v1.js';
import { ExchangeType, NotifyType, ProtocolId, type IdPayload, type IsakmpDatagram, type IsakmpPayload } from '../../wire/isakmp.js';
import { inboundSpis, installChild } from './children.js';
import type { Ikev1Context } from './context.js';
import { checkPhase2Hash, headerOf, payloadOf, payloadsOf, protectedMessage, readEncrypted, summaryOf, type ReadMessage } from './messages.js';
import { sendNotify, spiBytes } from './notify.js';
import {
  acceptEspAnswer,
  espChoices,
  espChoicesAnyGroup,
  espOffers,
  espSaPayload,
  formatEspChoice,
  isTunnelMode,
  pfsGroupFor,
  selectEsp,
  tunnelMode,
  type EspChoice,
  type EspOffer,
} from './proposals.js';
import { answer, requestAnsweredWithout, responseProcessed, sendFinalRequest, sendRequest, updateHosts } from './transport.js';
import { natSeen, type Ikev1Book, type IsakmpSa, type QuickModeExchange, type WantedChild } from './state.js';
import { childSaName, notifyLongName, prefixesText, pairText } from './words.js';

/** A prefix as a Quick Mode proxy ID (ID_IPV4_ADDR_SUBNET, protocol 0, port 0). */
export function proxyId(p: Prefix): IdPayload {
  return { kind: 'id', protocol: 0, port: 0, identity: { kind: 'ipv4-subnet', address: p.addr, mask: maskOf(p.len) } };
}

/** The prefix a received proxy ID names, or null when it names something else (ports, a protocol, a range that is no prefix, IPv6). */
export function prefixOfProxyId(p: IdPayload): Prefix | null {
  if (p.protocol !== 0 || p.port !== 0) return null;
  const id = p.identity;
  if (id.kind === 'ipv4') return makePrefix(id.address, 32);
  if (id.kind === 'ipv4-subnet') {
    let len = 0;
    while (len < 32 && ((id.mask << len) & 0x80000000) !== 0) len++;
    return maskOf(len) === id.mask >>> 0 ? makePrefix(id.address, len) : null;
  }
  if (id.kind === 'ipv4-range') {
    for (let len = 0; len <= 32; len++) {
      const p2 = makePrefix(id.start, len);
      if (p2.addr === id.start && ((p2.addr | ~maskOf(len)) >>> 0) === id.end) return p2;
    }
  }
  return null;
}

/** The overlap of two prefixes (the longer one when one holds the other), or null. */
export function intersect(a: Prefix, b: Prefix): Prefix | null {
  if (covers(a, b)) return b;
  if (covers(b, a)) return a;
  return null;
}

function idText(p: IdPayload | undefined, fallback: Prefix): string {
  if (!p) return fallback.text;
  return prefixOfProxyId(p)?.text ?? `(${p.identity.kind}, protocol ${p.protocol}, port ${p.port})`;
}

/** Start a Quick Mode for `want` on the established `sa`: QM1. */
export function startQuickMode(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa, want: WantedChild): void {
  const suite = sa.choice!.suite;
  const pfsGroup = pfsGroupFor(ctx.config.espProposals, suite.dhGroup);
  const offered = espChoices(ctx.config.espProposals, pfsGroup);
  if (offered.length === 0) {
    ctx.status('IPSEC_PHASE2_FAILED', 'none of our ESP proposals can be offered in IKEv1 Quick Mode', null);
    return;
  }
  const messageId = ctx.messageId();
  const ourSpi = ctx.spi(inboundSpis(book.sas));
  const ni = ctx.nonce();
  const dhPrivate = pfsGroup ? ctx.dhPrivate(pfsGroup) : null;
  const ourKe = pfsGroup && dhPrivate ? ctx.be.dhPublic(pfsGroup, dhPrivate) : null;
  const udp = natSeen(sa);
  const pair = want.rekeyOf?.pair ?? want.configured;
  const qm: QuickModeExchange = {
    messageId,
    weInitiated: true,
    reqid: want.reqid,
    configured: want.configured,
    pair,
    ourSpi,
    peerSpi: null,
    ni,
    nr: null,
    pfsGroup,
    dhPrivate,
    ourKe,
    peerKe: null,
    offered,
    agreed: null,
    lifetime: ctx.config.childLifetime,
    lifeKilobytes: ctx.config.childLifeKilobytes,
    udpEncapsulated: udp,
    rekeyOf: want.rekeyOf,
    state: 'sent-1',
  };
  const rest: IsakmpPayload[] = [
    espSaPayload(offered, ourSpi, { seconds: ctx.config.childLifetime, kilobytes: ctx.config.childLifeKilobytes }, tunnelMode(udp)),
    { kind: 'nonce', data: ni },
    ...(ourKe ? [{ kind: 'ke', data: ourKe } as const] : []),
    proxyId(pair.local),
    proxyId(pair.remote),
  ];
  if (want.rekeyOf) ctx.log(`rekeying CHILD_SA ${childSaName(ctx.config.connection, want.rekeyOf.uniqueId)} (${pairText(pair)})`);
  const header = headerOf(sa, ExchangeType.QUICK_MODE, messageId);
  const m = protectedMessage(sa, header, rest, (after) => hash1(ctx.be, suite.prf, sa.keys!.skeyidA, messageId, after));
  sa.quickModes.push(qm);
  sendRequest(ctx, sa, m.bytes, summaryOf(header, m.payloads, 'request'), messageId, ExchangeType.QUICK_MODE);
}

/** End a Quick Mode of `sa` without an SA: status, and the exchange forgotten. */
export function failQuickMode(ctx: Ikev1Context, sa: IsakmpSa, qm: QuickModeExchange, status: IkeSessionStatus, detail: string, notify: string | null): void {
  const i = sa.quickModes.indexOf(qm);
  if (i >= 0) sa.quickModes.splice(i, 1);
  if (sa.initiating?.messageId === qm.messageId) sa.initiating = null;
  if (sa.responding?.messageId === qm.messageId) sa.responding.retransmit = null;
  sa.crypter?.forget(qm.messageId);
  ctx.status(status, detail, notify);
}

/** A Quick Mode message for `sa` arrived. */
export function receiveQuickMode(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa, d: IkeDatagram, bytes: Uint8Array, decoded: IsakmpDatagram): void {
  const mid = decoded.header.messageId;
  const qm = sa.quickModes.find((q) => q.messageId === mid) ?? null;
  const role = qm?.weInitiated ? 'response' : 'request';
  if (sa.state !== 'established' || decoded.kind !== 'encrypted') {
    const why = sa.state !== 'established' ? 'ignoring QUICK_MODE request while phase 1 is incomplete' : 'a QUICK_MODE message must be encrypted';
    ctx.log(why);
    ctx.emit({ kind: 'received', datagram: d, summary: `QUICK_MODE ${role} ${mid} [ ]`, problem: why });
    return;
  }
  const read = readEncrypted(sa, decoded);
  if (!read.ok) {
    for (const line of read.why) ctx.log(line);
    ctx.log('message parsing failed');
    ctx.log(`QUICK_MODE ${role} with message ID ${mid} processing failed`);
    ctx.emit({ kind: 'received', datagram: d, summary: `QUICK_MODE ${role} ${mid} [ (undecryptable) ]`, problem: read.why.join('; ') });
    sendNotify(ctx, sa, NotifyType.PAYLOAD_MALFORMED, ProtocolId.ISAKMP, new Uint8Array(0));
    return;
  }
  const m = read.message;
  const prf = sa.choice!.suite.prf;
  const skeyidA = sa.keys!.skeyidA;
  const expected = !qm
    ? (after: Uint8Array) => hash1(ctx.be, prf, skeyidA, mid, after)
    : qm.weInitiated
      ? (after: Uint8Array) => hash2(ctx.be, prf, skeyidA, mid, qm.ni!, after)
      : () => hash3(ctx.be, prf, skeyidA, mid, qm.ni!, qm.nr!);
  const bad = checkPhase2Hash(m, expected);
  const summary = summaryOf(m.header, m.payloads, role);
  if (bad) {
    for (const line of bad) ctx.log(line);
    ctx.log(`QUICK_MODE ${role} with message ID ${mid} processing failed`);
    ctx.emit({ kind: 'received', datagram: d, summary, problem: `HASH(${!qm ? 1 : qm.weInitiated ? 2 : 3}) does not verify` });
    sendNotify(ctx, sa, NotifyType.INVALID_HASH_INFORMATION, ProtocolId.ISAKMP, new Uint8Array(0));
    return;
  }
  sa.crypter!.confirm(mid, ExchangeType.QUICK_MODE, read.lastBlock!);
  ctx.emit({ kind: 'received', datagram: d, summary, problem: null });
  updateHosts(ctx, sa, d);
  if (!qm) qm1(ctx, book, sa, m, bytes, summary);
  else if (qm.weInitiated) qm2(ctx, sa, qm, m, bytes, summary);
  else qm3(ctx, sa, qm, m, bytes, summary);
}

function lifetimesLog(ctx: Ikev1Context, offer: EspOffer): void {
  if (offer.lifetime !== ctx.config.childLifetime) ctx.log(`received ${offer.lifetime}s lifetime, configured ${ctx.config.childLifetime}s`);
  const got = (offer.lifeKilobytes ?? 0) * 1000;
  const mine = (ctx.config.childLifeKilobytes ?? 0) * 1000;
  if (got !== mine) ctx.log(`received ${got} lifebytes, configured ${mine}`);
}

function espWords(choices: readonly EspChoice[]): string {
  return choices.map(formatEspChoice).join(', ') || '(none)';
}

/** Why no ESP proposal matched, in words that name both sides and say when only PFS differs. */
function espMismatchDetail(ctx: Ikev1Context, offers: readonly EspOffer[], ours: readonly EspChoice[]): string {
  const theirs = offers.map((o) => o.words).join(', ') || '(none)';
  const base = `no ESP proposal in common: the peer offered ${theirs}; we accept ${espWords(ours)}`;
  const sameApartFromPfs = offers.some((o) => o.choice && ours.some((c) => c.transform.name === o.choice!.transform.name));
  if (!sameApartFromPfs) return base;
  const theirPfs = offers.find((o) => o.choice)?.choice?.pfsGroup;
  const ourPfs = ctx.config.espProposals.flatMap((p) => p.dhGroups);
  return `${base} (only PFS differs: the peer ${theirPfs ? `uses PFS with ${theirPfs.strongswanName}` : 'uses no PFS'}, we ${ourPfs.length > 0 ? `use PFS with ${ourPfs.map((g) => g.strongswanName).join('/')}` : 'use no PFS'})`;
}

function qm1(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa, m: ReadMessage, bytes: Uint8Array, summary: string): void {
  const mid = m.header.messageId;
  const request = { bytes, summary, messageId: mid };
  const saPayload = payloadOf(m, 'sa');
  const esp = saPayload ? espOffers(saPayload) : null;
  if (!esp) {
    ctx.log('sa payload missing');
    answer(ctx, sa, request, null);
    sendNotify(ctx, sa, NotifyType.INVALID_PAYLOAD_TYPE, ProtocolId.ESP, new Uint8Array(0));
    ctx.status('IPSEC_PHASE2_FAILED', 'the peer\'s Quick Mode has no ESP proposal', notifyLongName(NotifyType.INVALID_PAYLOAD_TYPE));
    return;
  }
  const refuse = (type: number, status: IkeSessionStatus, detail: string): void => {
    answer(ctx, sa, request, null);
    sendNotify(ctx, sa, type, ProtocolId.ESP, spiBytes(esp.spi));
    ctx.status(status, detail, notifyLongName(type));
  };
  const ids = payloadsOf(m, 'id');
  const peerHost = makePrefix(sa.remoteAddr, 32);
  const ourHost = makePrefix(ctx.config.local, 32);
  const tsi = ids[0] ? prefixOfProxyId(ids[0]) : peerHost;
  const tsr = ids[1] ? prefixOfProxyId(ids[1]) : ourHost;
  const mode = esp.offers[0]?.encapsulation ?? 1;
  let selected: { index: number; pair: SelectorPair } | null = null;
  if (tsi && tsr && isTunnelMode(mode)) {
    ctx.config.selectors.some((cfg, index) => {
      const local = intersect(cfg.local, tsr);
      const remote = intersect(cfg.remote, tsi);
      if (local && remote) selected = { index, pair: { local, remote } };
      return selected !== null;
    });
  }
  if (!selected) {
    const asked = `${idText(ids[1], ourHost)} === ${idText(ids[0], peerHost)}`;
    ctx.log(`no matching CHILD_SA config found for ${idText(ids[0], peerHost)} === ${idText(ids[1], ourHost)}`);
    const ours = ctx.config.selectors.map(pairText).join(', ') || '(none)';
    const modeNote = isTunnelMode(mode) ? '' : ` (and it asked for transport mode, we run tunnel mode)`;
    refuse(NotifyType.INVALID_ID_INFORMATION, 'TRAFFIC_SELECTOR_MISMATCH', `proxy IDs differ: the peer asked for ${asked} (our side === its side)${modeNote}; we have ${ours}`);
    return;
  }
  const sel: { index: number; pair: SelectorPair } = selected;
  const ours = espChoicesAnyGroup(ctx.config.espProposals);
  const agreed = selectEsp(ours, esp.offers);
  if (!agreed) {
    ctx.log(`received proposals: ${esp.offers.map((o) => o.words).join(', ') || '(none)'}`);
    ctx.log(`configured proposals: ${espWords(ours)}`);
    ctx.log(`no matching proposal found, sending ${notifyLongName(NotifyType.NO_PROPOSAL_CHOSEN)}`);
    refuse(NotifyType.NO_PROPOSAL_CHOSEN, 'IPSEC_PHASE2_FAILED', espMismatchDetail(ctx, esp.offers, ours));
    return;
  }
  ctx.log(`selected proposal: ${agreed.words}`);
  lifetimesLog(ctx, agreed);
  const nonce = payloadOf(m, 'nonce');
  const ke = payloadOf(m, 'ke');
  const pfsGroup = agreed.choice.pfsGroup;
  if (!nonce || (pfsGroup && !ke)) {
    ctx.log(!nonce ? 'NONCE payload missing in message' : 'KE payload missing');
    refuse(NotifyType.INVALID_PAYLOAD_TYPE, 'IPSEC_PHASE2_FAILED', `the peer's Quick Mode lacks its ${!nonce ? 'nonce' : 'KE payload for PFS'}`);
    return;
  }
  const dhPrivate = pfsGroup ? ctx.dhPrivate(pfsGroup) : null;
  if (pfsGroup && dhPrivate && !ctx.be.dhShared(pfsGroup, dhPrivate, ke!.data)) {
    ctx.log('unable to apply received KE value');
    refuse(NotifyType.INVALID_PAYLOAD_TYPE, 'IPSEC_PHASE2_FAILED', `the peer's PFS KE value is not a valid ${pfsGroup.label} public value`);
    return;
  }
  const configured = ctx.config.selectors[sel.index]!;
  const rekeyOf = book.sas.flatMap((s) => s.children).find((c) => !c.rekeyed && c.reqid === sel.index + 1) ?? null;
  if (rekeyOf) ctx.log(`detected rekeying of CHILD_SA ${childSaName(ctx.config.connection, rekeyOf.uniqueId)}`);
  const udp = mode !== 1;
  const qm: QuickModeExchange = {
    messageId: mid,
    weInitiated: false,
    reqid: sel.index + 1,
    configured,
    pair: sel.pair,
    ourSpi: ctx.spi(inboundSpis(book.sas)),
    peerSpi: esp.spi,
    ni: nonce.data.slice(),
    nr: ctx.nonce(),
    pfsGroup,
    dhPrivate,
    ourKe: pfsGroup && dhPrivate ? ctx.be.dhPublic(pfsGroup, dhPrivate) : null,
    peerKe: ke?.data.slice() ?? null,
    offered: [],
    agreed,
    lifetime: agreed.lifetime,
    lifeKilobytes: agreed.lifeKilobytes,
    udpEncapsulated: udp,
    rekeyOf,
    state: 'sent-2',
  };
  const rest: IsakmpPayload[] = [
    espSaPayload([agreed.choice], qm.ourSpi, { seconds: agreed.lifetime, kilobytes: agreed.lifeKilobytes }, tunnelMode(udp), [agreed.number]),
    { kind: 'nonce', data: qm.nr! },
    ...(qm.ourKe ? [{ kind: 'ke', data: qm.ourKe } as const] : []),
    proxyId(sel.pair.remote),
    proxyId(sel.pair.local),
  ];
  const header = headerOf(sa, ExchangeType.QUICK_MODE, mid);
  const suite = sa.choice!.suite;
  const reply = protectedMessage(sa, header, rest, (after) => hash2(ctx.be, suite.prf, sa.keys!.skeyidA, mid, qm.ni!, after));
  sa.quickModes.push(qm);
  answer(ctx, sa, request, { message: reply.bytes, summary: summaryOf(header, reply.payloads, 'response'), retransmit: true });
}

function install(ctx: Ikev1Context, sa: IsakmpSa, qm: QuickModeExchange): void {
  const suite = sa.choice!.suite;
  const shared = qm.pfsGroup && qm.dhPrivate && qm.peerKe ? ctx.be.dhShared(qm.pfsGroup, qm.dhPrivate, qm.peerKe) : null;
  const keys = quickModeKeys(ctx.be, suite.prf, sa.keys!.skeyidD, qm.agreed!.choice.transform, {
    initiatorSpi: qm.weInitiated ? qm.ourSpi : qm.peerSpi!,
    responderSpi: qm.weInitiated ? qm.peerSpi! : qm.ourSpi,
    niBody: qm.ni!,
    nrBody: qm.nr!,
    sharedSecret: shared,
  });
  const i = sa.quickModes.indexOf(qm);
  if (i >= 0) sa.quickModes.splice(i, 1);
  const child = installChild(ctx, sa, qm, keys);
  // A rekey changes keys, not the connection's state: only a first SA for the pair is news.
  if (qm.rekeyOf) return;
  const narrowed = qm.configured.local.text !== child.pair.local.text || qm.configured.remote.text !== child.pair.remote.text;
  ctx.status(
    'IPSEC_SESSION_ESTABLISHED',
    `CHILD_SA ${childSaName(ctx.config.connection, child.uniqueId)} up: ${pairText(child.pair)}${narrowed ? ` (narrowed from ${pairText(qm.configured)})` : ''} with ${formatEspChoice(qm.agreed!.choice)}${qm.udpEncapsulated ? ', UDP-encapsulated (NAT)' : ''}`,
  );
}

function qm2(ctx: Ikev1Context, sa: IsakmpSa, qm: QuickModeExchange, m: ReadMessage, bytes: Uint8Array, summary: string): void {
  const mid = m.header.messageId;
  responseProcessed(sa, bytes, summary, mid, ExchangeType.QUICK_MODE);
  const refuse = (type: number, status: IkeSessionStatus, log: string, detail: string): void => {
    ctx.log(log);
    sendNotify(ctx, sa, type, ProtocolId.ESP, spiBytes(qm.ourSpi));
    failQuickMode(ctx, sa, qm, status, detail, notifyLongName(type));
  };
  const saPayload = payloadOf(m, 'sa');
  const esp = saPayload ? espOffers(saPayload) : null;
  const agreed = esp ? acceptEspAnswer(qm.offered, esp.offers) : null;
  if (!esp || !agreed) {
    refuse(NotifyType.NO_PROPOSAL_CHOSEN, 'IPSEC_PHASE2_FAILED', esp ? 'no matching proposal found' : 'sa payload missing', `the peer answered with ${esp?.offers.map((o) => o.words).join(', ') || 'no ESP proposal'}, which is not one of ours (${espWords(qm.offered)})`);
    return;
  }
  qm.agreed = agreed;
  qm.peerSpi = esp.spi;
  lifetimesLog(ctx, agreed);
  qm.lifetime = agreed.lifetime;
  qm.lifeKilobytes = agreed.lifeKilobytes;
  const nonce = payloadOf(m, 'nonce');
  const ke = payloadOf(m, 'ke');
  if (!nonce) {
    refuse(NotifyType.INVALID_PAYLOAD_TYPE, 'IPSEC_PHASE2_FAILED', 'NONCE payload missing in message', 'the peer\'s Quick Mode answer has no nonce');
    return;
  }
  if (qm.pfsGroup && (!ke || !ctx.be.dhShared(qm.pfsGroup, qm.dhPrivate!, ke.data))) {
    refuse(NotifyType.INVALID_KEY_INFORMATION, 'PFS_MISMATCH', ke ? 'unable to apply received KE value' : 'KE payload missing', `we use PFS with ${qm.pfsGroup.strongswanName}; the peer's answer has ${ke ? 'an invalid' : 'no'} KE value`);
    return;
  }
  qm.nr = nonce.data.slice();
  qm.peerKe = ke?.data.slice() ?? null;
  const ids = payloadsOf(m, 'id');
  if (ids.length >= 2) {
    const tsi = prefixOfProxyId(ids[0]!);
    const tsr = prefixOfProxyId(ids[1]!);
    if (!tsi || !tsr || !covers(qm.pair.local, tsi) || !covers(qm.pair.remote, tsr)) {
      refuse(
        NotifyType.INVALID_PAYLOAD_TYPE,
        'TRAFFIC_SELECTOR_MISMATCH',
        `peer selected invalid traffic selectors: ${idText(ids[0], qm.pair.local)} for ${qm.pair.local.text}, ${idText(ids[1], qm.pair.remote)} for ${qm.pair.remote.text}`,
        `the peer answered ${idText(ids[0], qm.pair.local)} === ${idText(ids[1], qm.pair.remote)}, outside what we proposed (${pairText(qm.pair)})`,
      );
      return;
    }
    qm.pair = { local: tsi, remote: tsr };
  }
  install(ctx, sa, qm);
  const header = headerOf(sa, ExchangeType.QUICK_MODE, mid);
  const suite = sa.choice!.suite;
  const h3 = hash3(ctx.be, suite.prf, sa.keys!.skeyidA, mid, qm.ni!, qm.nr!);
  const payloads: IsakmpPayload[] = [{ kind: 'hash', data: h3 }];
  sendFinalRequest(ctx, sa, sa.crypter!.encrypt(header, payloads), summaryOf(header, payloads, 'request'), mid);
  sa.crypter!.forget(mid);
}

function qm3(ctx: Ikev1Context, sa: IsakmpSa, qm: QuickModeExchange, m: ReadMessage, bytes: Uint8Array, summary: string): void {
  requestAnsweredWithout(sa, bytes, summary, m.header.messageId);
  for (const n of payloadsOf(m, 'notify')) {
    if (n.notifyType < 16384) {
      ctx.log(`received ${notifyLongName(n.notifyType)} error notify`);
      failQuickMode(ctx, sa, qm, 'IPSEC_PHASE2_FAILED', `the peer reported ${notifyLongName(n.notifyType)} in Quick Mode message 3`, notifyLongName(n.notifyType));
      return;
    }
  }
  install(ctx, sa, qm);
  sa.crypter!.forget(qm.messageId);
}

/** The detail of a Quick Mode the peer refused with notify `type`. */
export function refusedDetail(qm: QuickModeExchange, type: number): { status: IkeSessionStatus; detail: string } {
  if (type === NotifyType.INVALID_ID_INFORMATION) {
    return { status: 'TRAFFIC_SELECTOR_MISMATCH', detail: `proxy IDs differ: we offered ${pairText(qm.pair)} and the peer refused them (${notifyLongName(type)}): its configuration has other prefixes for this tunnel` };
  }
  if (type === NotifyType.NO_PROPOSAL_CHOSEN) {
    const pfs = qm.pfsGroup ? `PFS with ${qm.pfsGroup.strongswanName}` : 'no PFS';
    return { status: 'IPSEC_PHASE2_FAILED', detail: `the peer accepts none of our ESP proposals (${espWords(qm.offered)}; ${pfs}) for ${prefixesText(qm.pair.local, qm.pair.remote)}` };
  }
  return { status: 'IPSEC_PHASE2_FAILED', detail: `the peer refused our Quick Mode for ${pairText(qm.pair)} with ${notifyLongName(type)}` };
}
