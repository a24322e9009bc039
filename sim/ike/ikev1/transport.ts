/**
 * How IKEv1 messages of one ISAKMP SA travel: datagrams on 500 or, after NAT detection, on
 * 4500 behind the non-ESP marker; the request in flight retransmitted with identical bytes;
 * the peer's retransmissions recognised and answered; all as strongSwan's
 * `task_manager_v1.c` does it.
 *
 * IKEv1 has no message-ID window, so strongSwan recognises a retransmission by the whole
 * message's bytes (it keeps a hash; here the bytes): the same bytes as the last request it
 * answered get the stored response again ("received retransmit of request with ID %u,
 * retransmitting response"); the same bytes as a response it already processed are
 * dropped, except that the latest Quick Mode response makes it send its last request (QM3)
 * again ("... resending last request"). Only the initiator of an exchange retransmits on a
 * timer (timeout × base^n, n = 0 … tries; then "giving up after %u retransmits"), except
 * that the Quick Mode responder retransmits QM2 until QM3 arrives. Informational messages
 * are sent once. Owns the bookkeeping only; what an exchange does is not here.
 */
import type { IkeDatagram } from '../endpoint.js';
import type { Ikev1Context } from './context.js';
import { withNonEspMarker } from './natt.js';
import { sameBytes, type IsakmpSa } from './state.js';

/** How many processed responses an SA remembers (strongSwan MAX_OLD_HASHES). */
const REMEMBERED_RESPONSES = 2;

/** The datagram carrying `message` to the peer on the SA's current ports. */
export function datagramTo(ctx: Ikev1Context, sa: IsakmpSa, message: Uint8Array): IkeDatagram {
  const floated = sa.localPort === ctx.ports.localNatT;
  return { src: ctx.config.local, dst: sa.remoteAddr, sport: sa.localPort, dport: sa.remotePort, payload: floated ? withNonEspMarker(message) : message };
}

/** The retransmission timeout after `n` retransmissions (strongSwan `retransmission_timeout`, no jitter). */
export function retransmitDelay(ctx: Ikev1Context, n: number): number {
  const r = ctx.config.retransmit;
  return r.timeout * Math.pow(r.base, n);
}

/** Send a request that expects an answer: it is retransmitted until answered or given up on. */
export function sendRequest(ctx: Ikev1Context, sa: IsakmpSa, message: Uint8Array, summary: string, messageId: number, exchangeType: number): void {
  const datagram = datagramTo(ctx, sa, message);
  sa.seq++;
  sa.initiating = { datagram, summary, messageId, exchangeType, seq: sa.seq, retransmitted: 0, nextAt: ctx.now + retransmitDelay(ctx, 0) };
  sa.kept = null;
  ctx.emit({ kind: 'send', datagram, summary, retransmit: 0 });
}

/** Send the last message of a Quick Mode (QM3): once, but kept to send again should QM2 come again. */
export function sendFinalRequest(ctx: Ikev1Context, sa: IsakmpSa, message: Uint8Array, summary: string, messageId: number): void {
  const datagram = datagramTo(ctx, sa, message);
  sa.seq++;
  sa.initiating = null;
  sa.kept = { datagram, summary, messageId };
  ctx.emit({ kind: 'send', datagram, summary, retransmit: 0 });
}

/** Send a message that is never retransmitted and answers nothing (Informational). */
export function sendOnce(ctx: Ikev1Context, sa: IsakmpSa, message: Uint8Array, summary: string): void {
  ctx.emit({ kind: 'send', datagram: datagramTo(ctx, sa, message), summary, retransmit: 0 });
}

/** Record the peer's request `bytes` as answered by `response` (null: nothing to answer), and send the response. */
export function answer(
  ctx: Ikev1Context,
  sa: IsakmpSa,
  request: { readonly bytes: Uint8Array; readonly summary: string; readonly messageId: number },
  response: { readonly message: Uint8Array; readonly summary: string; readonly retransmit: boolean } | null,
): void {
  const datagram = response ? datagramTo(ctx, sa, response.message) : null;
  let retransmit: { retransmitted: number; nextAt: number; seq: number } | null = null;
  if (response?.retransmit) {
    sa.seq++;
    retransmit = { retransmitted: 0, nextAt: ctx.now + retransmitDelay(ctx, 0), seq: sa.seq };
  }
  sa.responding = { bytes: request.bytes.slice(), summary: request.summary, messageId: request.messageId, response: datagram, responseSummary: response?.summary ?? '', retransmit };
  if (datagram) ctx.emit({ kind: 'send', datagram, summary: response!.summary, retransmit: 0 });
}

/** The peer's response was processed: the request in flight is answered; remember the response's bytes. */
export function responseProcessed(sa: IsakmpSa, bytes: Uint8Array, summary: string, messageId: number, exchangeType: number): void {
  sa.initiating = null;
  sa.responses.push({ bytes: bytes.slice(), summary, messageId, exchangeType });
  while (sa.responses.length > REMEMBERED_RESPONSES) sa.responses.shift();
}

/** QM3 arrived: the responder stops retransmitting QM2 and has nothing to send again. */
export function requestAnsweredWithout(sa: IsakmpSa, bytes: Uint8Array, summary: string, messageId: number): void {
  sa.responding = { bytes: bytes.slice(), summary, messageId, response: null, responseSummary: '', retransmit: null };
}

/**
 * If `bytes` (from `from`) are a retransmission on `sa`, deal with it as strongSwan does and
 * return true; else false.
 */
export function handleRetransmission(ctx: Ikev1Context, sa: IsakmpSa, from: IkeDatagram, bytes: Uint8Array): boolean {
  const seen = sa.responses.findIndex((r) => sameBytes(r.bytes, bytes));
  if (seen >= 0) {
    const r = sa.responses[seen]!;
    ctx.emit({ kind: 'received', datagram: from, summary: r.summary, problem: null });
    const latest = seen === sa.responses.length - 1;
    if (latest && sa.kept && sa.kept.messageId === r.messageId) {
      ctx.log(`received retransmit of response with ID ${r.messageId}, resending last request`);
      ctx.emit({ kind: 'send', datagram: sa.kept.datagram, summary: sa.kept.summary, retransmit: 1 });
    } else {
      ctx.log(`received retransmit of response with ID ${r.messageId}, but next request already sent`);
    }
    return true;
  }
  const last = sa.responding;
  if (last && sameBytes(last.bytes, bytes)) {
    ctx.emit({ kind: 'received', datagram: from, summary: last.summary, problem: null });
    if (last.response) {
      ctx.log(`received retransmit of request with ID ${last.messageId}, retransmitting response`);
      ctx.emit({ kind: 'send', datagram: last.response, summary: last.responseSummary, retransmit: 1 });
    } else {
      ctx.log(`received retransmit of request with ID ${last.messageId}, but no response to retransmit`);
    }
    return true;
  }
  return false;
}

/**
 * A message from the peer was read on `sa`: answer it where it came from (strongSwan
 * `update_hosts`), which is how a responder follows an initiator that floated to 4500 and a
 * NAT that changed its mapping.
 */
export function updateHosts(ctx: Ikev1Context, sa: IsakmpSa, from: IkeDatagram): void {
  sa.remoteAddr = from.src;
  sa.remotePort = from.sport;
  if (from.dport === ctx.ports.localNatT) sa.localPort = ctx.ports.localNatT;
}

/** What a due retransmission timer did. */
export type RetransmitResult = 'none' | 'sent' | 'gave-up';

/**
 * Retransmit the SA's request in flight (or its QM2) if due at `ctx.now`. When the tries are
 * used up, logs "giving up after %u retransmits" and says so; the caller ends the SA, as
 * strongSwan destroys the IKE_SA then.
 */
export function retransmitIfDue(ctx: Ikev1Context, sa: IsakmpSa): RetransmitResult {
  const req = sa.initiating;
  if (req && req.nextAt <= ctx.now) {
    const r = retransmit(ctx, req, `request message ID ${req.messageId}, seq ${req.seq}`, req.datagram, req.summary);
    if (r === 'gave-up') sa.initiating = null;
    return r;
  }
  const resp = sa.responding;
  if (resp?.retransmit && resp.response && resp.retransmit.nextAt <= ctx.now) {
    const r = retransmit(ctx, resp.retransmit, `response message ID ${resp.messageId}, seq ${resp.retransmit.seq}`, resp.response, resp.responseSummary);
    if (r === 'gave-up') resp.retransmit = null;
    return r;
  }
  return 'none';
}

/** One due retransmission of `what` (its timer in `timer`), or the give-up when the tries are used up. */
function retransmit(ctx: Ikev1Context, timer: { retransmitted: number; nextAt: number }, what: string, datagram: IkeDatagram, summary: string): 'sent' | 'gave-up' {
  if (timer.retransmitted + 1 > ctx.config.retransmit.tries) {
    ctx.log(`giving up after ${timer.retransmitted} retransmits`);
    return 'gave-up';
  }
  timer.retransmitted++;
  ctx.log(`sending retransmit ${timer.retransmitted} of ${what}`);
  timer.nextAt = ctx.now + retransmitDelay(ctx, timer.retransmitted);
  ctx.emit({ kind: 'send', datagram, summary, retransmit: timer.retransmitted });
  return 'sent';
}

/** The earliest retransmission time of the SA, or Infinity. */
export function nextRetransmit(sa: IsakmpSa): number {
  let t = Infinity;
  if (sa.initiating) t = Math.min(t, sa.initiating.nextAt);
  if (sa.responding?.retransmit && sa.responding.response) t = Math.min(t, sa.responding.retransmit.nextAt);
  return t;
}
