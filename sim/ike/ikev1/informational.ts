/**
 * Informational exchanges this side receives (RFC 2409 §5.7), as strongSwan's
 * `informational.c`, `quick_delete.c` and `isakmp_delete.c` read them: encrypted and
 * protected by HASH(1) once the ISAKMP SA has keys, in the clear before (a refusal of MM1).
 *
 * Owns what each payload does. An error notify during Main Mode ends the SA with
 * IKE_PHASE1_FAILED (one this side can read came with the same keys, so the PSKs agree, even
 * for AUTHENTICATION_FAILED); on an established SA it ends the Quick Mode whose SPI it
 * names (INVALID_ID_INFORMATION: TRAFFIC_SELECTOR_MISMATCH; NO_PROPOSAL_CHOSEN and the rest:
 * IPSEC_PHASE2_FAILED) and the ISAKMP SA stays. A Delete for ESP closes the CHILD_SA with
 * that SPI; a Delete for ISAKMP whose cookies are this SA's deletes it and its CHILD_SAs.
 * An Informational that does not decrypt or verify is dropped and never answered (strongSwan:
 * "ignore malformed INFORMATIONAL request", no notify war), but when it comes while this
 * side, as Main Mode initiator, waits for MM6, it is the peer's answer to an MM5 it could not
 * read: the pre-shared keys differ (IKE_PHASE1_KEY_MISMATCH), and the SA ends at once instead
 * of retransmitting MM5 to a peer that has already dropped it.
 */
import { bytesEqual } from '../../ipsec/crypto.js';
import type { IkeDatagram } from '../endpoint.js';
import { formatIPv4 } from '../../net/ipv4.js';
import { NotifyType, ProtocolId, type IsakmpDatagram } from '../../wire/isakmp.js';
import { closeChild, findChild } from './children.js';
import type { Ikev1Context } from './context.js';
import { checkPhase2Hash, informationalHash, payloadsOf, readClear, readEncrypted, summaryOf, type ReadMessage } from './messages.js';
import { betweenText, cookiesOf } from './notify.js';
import { failQuickMode, refusedDetail } from './quick-mode.js';
import type { Ikev1Book, IsakmpSa } from './state.js';
import { dropSa, failSa } from './teardown.js';
import { updateHosts } from './transport.js';
import { ikeSaName, notifyLongName, spiHex } from './words.js';

function u32(b: Uint8Array): number | null {
  return b.length === 4 ? ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0 : null;
}

/** The Main Mode initiator waits for MM6 and the peer's answer is unreadable: the keys differ. */
function answersUnreadableMm5(sa: IsakmpSa): boolean {
  return sa.initiator && sa.state === 'mm-auth';
}

function keyMismatch(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa): void {
  failSa(
    ctx,
    book,
    sa,
    'IKE_PHASE1_KEY_MISMATCH',
    `the peer answered our Main Mode message 5 with an Informational our keys cannot read: it could not read MM5 either, so the two sides' pre-shared keys differ`,
    null,
  );
}

/** An Informational message for `sa` arrived. */
export function receiveInformational(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa, d: IkeDatagram, bytes: Uint8Array, decoded: IsakmpDatagram): void {
  const mid = decoded.header.messageId;
  let read;
  if (decoded.kind === 'clear') {
    read = sa.keys ? { ok: false as const, why: [`ignoring unprotected INFORMATIONAL from ${formatIPv4(d.src)}`] } : readClear(bytes);
  } else {
    read = readEncrypted(sa, decoded);
  }
  const failed = (why: readonly string[]): void => {
    for (const line of why) ctx.log(line);
    ctx.log('ignore malformed INFORMATIONAL request');
    ctx.log(`INFORMATIONAL_V1 request with message ID ${mid} processing failed`);
    ctx.emit({ kind: 'received', datagram: d, summary: `INFORMATIONAL_V1 request ${mid} [ ${decoded.kind === 'encrypted' ? '(undecryptable) ' : ''}]`, problem: why.join('; ') });
    if (answersUnreadableMm5(sa)) keyMismatch(ctx, book, sa);
  };
  if (!read.ok) {
    failed(read.why);
    return;
  }
  const m = read.message;
  if (m.encrypted) {
    const bad = checkPhase2Hash(m, informationalHash(ctx, sa, mid));
    if (bad) {
      failed(bad);
      return;
    }
  }
  ctx.emit({ kind: 'received', datagram: d, summary: summaryOf(m.header, m.payloads, 'request'), problem: null });
  sa.heard = true;
  updateHosts(ctx, sa, d);
  notifies(ctx, book, sa, m);
  if (sa.state !== 'deleted') deletes(ctx, book, sa, m);
}

function notifies(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa, m: ReadMessage): void {
  for (const n of payloadsOf(m, 'notify')) {
    const name = notifyLongName(n.notifyType);
    if (n.notifyType >= 16384) {
      ctx.log(`received ${name} notify`);
      continue;
    }
    ctx.log(`received ${name} error notify`);
    if (sa.state !== 'established') {
      const detail =
        n.notifyType === NotifyType.NO_PROPOSAL_CHOSEN
          ? `the peer accepts none of our IKE proposals (NO_PROPOSAL_CHOSEN); we offered ${ctx.config.ikeProposals.length} proposal(s) for Main Mode`
          : m.encrypted
            ? `the peer ended Main Mode with ${name}; its message decrypted with our keys, so the pre-shared keys agree and the cause is elsewhere (identity, configuration)`
            : `the peer ended Main Mode with ${name}`;
      const status = 'IKE_PHASE1_FAILED';
      failSa(ctx, book, sa, status, detail, name);
      return;
    }
    // strongSwan cancels the Quick Mode under way on these two, whatever SPI they carry
    // (`informational.c` cancel_quick_mode); charon refusing proxy IDs has no SPI yet to send (0).
    if (n.notifyType !== NotifyType.INVALID_ID_INFORMATION && n.notifyType !== NotifyType.NO_PROPOSAL_CHOSEN) continue;
    const spi = n.protocol === ProtocolId.ESP ? u32(n.spi) : null;
    const ours = sa.quickModes.filter((q) => q.weInitiated);
    const qm = ours.find((q) => q.ourSpi === spi) ?? ours[0];
    if (qm) {
      const r = refusedDetail(qm, n.notifyType);
      failQuickMode(ctx, sa, qm, r.status, r.detail, name);
    }
  }
}

function deletes(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa, m: ReadMessage): void {
  for (const del of payloadsOf(m, 'delete')) {
    if (del.protocol === ProtocolId.ISAKMP || del.protocol === 0) {
      if (!del.spis.some((s) => bytesEqual(s, cookiesOf(sa)))) {
        ctx.log('received DELETE for different IKE_SA, ignored');
        continue;
      }
      const name = ikeSaName(ctx.config.connection, sa.uniqueId);
      ctx.log(`received DELETE for IKE_SA ${name}`);
      ctx.log(`deleting IKE_SA ${name} between ${betweenText(ctx, sa)}`);
      dropSa(ctx, book, sa);
      return;
    }
    if (del.protocol !== ProtocolId.ESP && del.protocol !== ProtocolId.AH) continue;
    for (const raw of del.spis) {
      const spi = u32(raw) ?? 0;
      ctx.log(`received DELETE for ${del.protocol === ProtocolId.ESP ? 'ESP' : 'AH'} CHILD_SA with SPI ${spiHex(spi)}`);
      const found = findChild(book.sas, spi);
      if (!found) {
        ctx.log('CHILD_SA not found, ignored');
        continue;
      }
      closeChild(ctx, found.sa, found.child, 'deleted-by-peer');
    }
  }
}
