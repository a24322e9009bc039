/**
 * The Informational messages this side sends (RFC 2409 §5.7, RFC 2408 §3.14-3.15): an error
 * notification, a Delete for ESP SAs, a Delete for the ISAKMP SA. Each is its own exchange
 * with a fresh message ID, sent once (strongSwan never retransmits them), encrypted and
 * protected by HASH(1) once the SA has keys, in the clear before (a Main Mode refusal).
 *
 * Owns the payloads and the log lines that go with sending them (strongSwan's
 * `quick_delete.c`, `isakmp_delete.c`). Refuses nothing.
 */
import { Doi, ExchangeType, ProtocolId, type IsakmpPayload } from '../../wire/isakmp.js';
import type { Ikev1Context } from './context.js';
import { clearMessage, headerOf, informationalHash, protectedMessage, summaryOf } from './messages.js';
import { sendOnce } from './transport.js';
import type { IsakmpSa } from './state.js';
import { hostPort, identityText, ikeSaName, spiHex } from './words.js';
import { formatIPv4 } from '../../net/ipv4.js';

/** An SPI as the 4 bytes a Notification or Delete carries. */
export function spiBytes(spi: number): Uint8Array {
  return Uint8Array.of(spi >>> 24, (spi >>> 16) & 0xff, (spi >>> 8) & 0xff, spi & 0xff);
}

/** The 16-byte "SPI" of an ISAKMP SA: both cookies (RFC 2408 §3.15). */
export function cookiesOf(sa: IsakmpSa): Uint8Array {
  const out = new Uint8Array(16);
  out.set(sa.cookieI, 0);
  out.set(sa.cookieR, 8);
  return out;
}

/** Send one Informational exchange holding `payload`. */
export function sendInformational(ctx: Ikev1Context, sa: IsakmpSa, payload: IsakmpPayload): void {
  const messageId = ctx.messageId();
  const header = headerOf(sa, ExchangeType.INFORMATIONAL, messageId);
  if (sa.crypter && sa.keys) {
    const m = protectedMessage(sa, header, [payload], informationalHash(ctx, sa, messageId));
    sendOnce(ctx, sa, m.bytes, summaryOf(header, m.payloads, 'request'));
  } else {
    sendOnce(ctx, sa, clearMessage(header, [payload]), summaryOf(header, [payload], 'request'));
  }
}

/** Notify the peer of an error: `protocol` and `spi` name what it is about (cookies for ISAKMP, the initiator's SPI for ESP). */
export function sendNotify(ctx: Ikev1Context, sa: IsakmpSa, notifyType: number, protocol: number, spi: Uint8Array): void {
  sendInformational(ctx, sa, { kind: 'notify', doi: Doi.IPSEC, protocol, spi, notifyType, data: new Uint8Array(0) });
}

/** A Main Mode error notification (strongSwan `main_mode.c` send_notify: protocol ISAKMP, SPI the cookies). */
export function sendPhase1Notify(ctx: Ikev1Context, sa: IsakmpSa, notifyType: number): void {
  sendNotify(ctx, sa, notifyType, ProtocolId.ISAKMP, cookiesOf(sa));
}

/** Delete ESP SAs: `inboundSpi` is this side's inbound SPI, the one the peer sends to (strongSwan `quick_delete.c`). */
export function sendEspDelete(ctx: Ikev1Context, sa: IsakmpSa, inboundSpi: number): void {
  ctx.log(`sending DELETE for ESP CHILD_SA with SPI ${spiHex(inboundSpi)}`);
  sendInformational(ctx, sa, { kind: 'delete', doi: Doi.IPSEC, protocol: ProtocolId.ESP, spiSize: 4, spis: [spiBytes(inboundSpi)] });
}

/** The "between" part of strongSwan's IKE_SA lines: `me[myid]...peer[peerid]`. */
export function betweenText(ctx: Ikev1Context, sa: IsakmpSa): string {
  const peer = sa.peerId ? identityText(sa.peerId) : formatIPv4(sa.remoteAddr);
  return `${formatIPv4(ctx.config.local)}[${identityText(ctx.config.localId)}]...${formatIPv4(sa.remoteAddr)}[${peer}]`;
}

/** Delete the ISAKMP SA (strongSwan `isakmp_delete.c` build_i). */
export function sendIsakmpDelete(ctx: Ikev1Context, sa: IsakmpSa): void {
  const name = ikeSaName(ctx.config.connection, sa.uniqueId);
  ctx.log(`deleting IKE_SA ${name} between ${betweenText(ctx, sa)}`);
  ctx.log(`sending DELETE for IKE_SA ${name}`);
  sendInformational(ctx, sa, { kind: 'delete', doi: Doi.IPSEC, protocol: ProtocolId.ISAKMP, spiSize: 16, spis: [cookiesOf(sa)] });
}

/** `198.51.100.20[500]`, the peer as the SA reaches it. */
export function peerHost(sa: IsakmpSa): string {
  return hostPort(sa.remoteAddr, sa.remotePort);
}
