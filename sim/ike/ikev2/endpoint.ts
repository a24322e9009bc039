/**
 * `Ikev2Endpoint`: one side of one IKEv2 connection (sim/ike/endpoint.ts's `IkeEndpoint`),
 * the way strongSwan's task manager (`task_manager_v2.c`) runs the tasks of ike-init.ts …
 * ike-dpd.ts.
 *
 * Owns the message layer and the clock-driven work, not what the exchanges mean:
 * - datagrams: IKE on the IKE port, on the NAT-T port after the 4-byte zero non-ESP marker
 *   (RFC 3948 §2.2); a 1-byte 0xff there is a NAT-T keepalive and any other non-marked
 *   datagram is ESP, which is the host's (both reported as `received` without effect);
 *   requests go from the SA's local port to the peer's current address and port, responses
 *   back to where the request came from; after an authenticated message the SA follows its
 *   peer's address and port (how a NAT mapping or a float to 4500 is picked up);
 * - the window: one request in flight per SA, its retransmission with identical bytes by the
 *   configured policy, giving up (`giving up after N retransmits`); responses matched by
 *   message ID and exchange; a duplicate of the last request answered from the cached
 *   response; any other unexpected message a `received` output with a `problem`, never an
 *   exception;
 * - which task answers a request (strongSwan's `process_request`: CREATE_CHILD_SA with
 *   selectors is a child create or rekey, without them an IKE rekey; INFORMATIONAL with
 *   D(IKE) deletes the SA, D(ESP) children, N(AUTHENTICATION_FAILED) ends the SA, anything
 *   else is answered empty, which is DPD);
 * - time: rekeys at lifetime − margin (IKE SA and each child, each side on its own timer),
 *   hard expiry, DPD after `dpdDelay` seconds without an authenticated message, delayed
 *   retries, half-open responder SAs dropped after 30 s;
 * - a peer that stops answering: the SA and its children go with MISSING_END_POINT, and an
 *   initiating side starts over at once, as strongSwan's `dpd_action = restart` does and as
 *   Azure's gateways keep trying (negotiation errors are not retried: with the same
 *   configurations they would fail the same way).
 *
 * NAT-T keepalives are the host's business: once `ikeSas()` shows `natHere` on an SA, the
 * host sends the 1-byte 0xff datagram from the SA's local NAT-T port to its peer every 20 s
 * (strongSwan's `keep_alive`), as the ESP-in-UDP it carries keeps the mapping too. Logs are
 * strongSwan's semantic lines (who authenticated, what was established, closed, retried);
 * its `generating …`/`parsed …` lines are the `summary` of `send` and `received` outputs.
 * One file: the window, the dispatch and the timers share the SA table and the output list.
 */
import type { CryptoBackend } from '../../ipsec/crypto.js';
import { covers, formatIPv4 } from '../../net/ipv4.js';
import type { Prng } from '../../util/prng.js';
import type { IkeDatagram, IkeEndpoint, IkeOutput, IkeSessionStatus, IkeTunnelConfig, SelectorPair } from '../endpoint.js';
import { decodeMessage, encodeMessage, type Ikev2Message } from '../../wire/ikev2-message.js';
import { spiKey, type Ikev2Header } from '../../wire/ikev2-header.js';
import { ExchangeType, exchangeName, NotifyType, ProtocolId } from '../../wire/ikev2-numbers.js';
import type { DeletePayload, Ikev2Payload } from '../../wire/ikev2-payloads.js';
import { summarizeMessage, summarizePayloads } from '../../wire/ikev2-summary.js';
import type { Ipv4RangeSelector } from '../../wire/ikev2-ts.js';
import { answerChildDelete, ChildDeleteTask } from './child-delete.js';
import { answerCreateChild, ChildCreateTask } from './child-create.js';
import { answerIkeAuth } from './ike-auth.js';
import { IkeDeleteTask, answerIkeDelete } from './ike-delete.js';
import { IkeDpdTask } from './ike-dpd.js';
import { answerIkeInit, IkeInitTask } from './ike-init.js';
import { answerIkeRekey, IkeRekeyTask } from './ike-rekey.js';
import { newIkeSa, retransmitGiveUpAfter, retransmitWait, sameBytes, type ChildSa, type IkeSa, type InitiatorTask, type Outstanding } from './ike-sa.js';
import { openMessage, sealMessage } from './message-protection.js';
import { notifyOf } from './payload-access.js';
import { childName, ikeName, spiText, STANDARD_PORTS, type Ikev2Ports, type Ikev2Services } from './services.js';
import { selectorPairs, selectorsText } from './traffic-selectors.js';
import { ikeSaView, type IkeSaView } from './views.js';

/** What an endpoint is built from besides its configuration. */
export interface Ikev2EndpointOptions {
  readonly crypto: CryptoBackend;
  /** Every SPI, nonce, DH private value and IV comes from here. */
  readonly prng: Prng;
  /** Ports other than 500/4500 (the strongSwan tests put charon on 5500/5501). */
  readonly ports?: Partial<Ikev2Ports>;
}

const NON_ESP_MARKER_LEN = 4;
const ZERO_SPI = new Uint8Array(8);

/** The IKEv2 state machine of one connection. */
export type { ChildSaView, IkeSaView } from './views.js';

export class Ikev2Endpoint implements IkeEndpoint, Ikev2Services {
  readonly crypto: CryptoBackend;
  readonly prng: Prng;
  readonly ports: Ikev2Ports;
  private readonly sas: IkeSa[] = [];
  private out: IkeOutput[] = [];
  private ikeUids = 0;
  private childUids = 0;
  private readonly reqids = new Map<string, number>();
  private closed = false;
  private reestablishAt = Infinity;

  constructor(
    readonly config: IkeTunnelConfig,
    options: Ikev2EndpointOptions,
  ) {
    if (config.version !== 2) throw new RangeError(`connection ${config.connection} is IKEv${config.version}, not IKEv2`);
    this.crypto = options.crypto;
    this.prng = options.prng;
    this.ports = { ...STANDARD_PORTS, ...options.ports };
  }

  // ---- IkeEndpoint ----

  start(now: number): IkeOutput[] {
    if (this.config.initiator && !this.closed && !this.sas.some((sa) => sa.weAreOriginalInitiator)) this.initiate(now);
    return this.flush(now);
  }

  receive(d: IkeDatagram, now: number): IkeOutput[] {
    this.handle(d, now);
    return this.flush(now);
  }

  nextDeadline(): number {
    let t = this.reestablishAt;
    const dpd = this.config.dpdDelay;
    for (const sa of this.sas) {
      if (sa.outstanding) t = Math.min(t, sa.outstanding.nextAt);
      for (const d of sa.delayed) t = Math.min(t, d.at);
      if (sa.state === 'connecting' && !sa.weAreOriginalInitiator) t = Math.min(t, sa.halfOpenUntil);
      if (sa.state === 'established') {
        t = Math.min(t, sa.rekeyAt, sa.expireAt);
        for (const c of sa.children) t = Math.min(t, c.state === 'installed' ? c.rekeyAt : Infinity, c.expireAt);
        if (dpd !== null && !sa.outstanding && sa.queue.length === 0) t = Math.min(t, sa.lastInbound + dpd);
      }
      if (sa.state === 'rekeyed') t = Math.min(t, sa.expireAt);
    }
    return t;
  }

  tick(now: number): IkeOutput[] {
    for (const sa of [...this.sas]) if (this.sas.includes(sa)) this.tickSa(sa, now);
    if (this.reestablishAt <= now) {
      this.reestablishAt = Infinity;
      if (!this.closed && !this.sas.some((sa) => sa.state === 'established' || sa.state === 'connecting')) this.initiate(now);
    }
    return this.flush(now);
  }

  acquire(pair: SelectorPair, now: number): IkeOutput[] {
    if (this.closed) return this.flush(now);
    const live = this.sas.find((sa) => sa.state === 'established' || sa.state === 'connecting');
    if (!live) {
      this.initiate(now);
    } else if (live.state === 'established') {
      const covered = live.children.some((c) => selectorPairs(c.localTs, c.remoteTs).some((p) => covers(p.local, pair.local) && covers(p.remote, pair.remote)));
      const pending = live.queue.some((t) => t.kind === 'child-create') || live.outstanding?.task.kind === 'child-create';
      if (!covered && !pending) this.queue(live, new ChildCreateTask(this, live, null));
    }
    return this.flush(now);
  }

  espActivity(now: number): void {
    for (const sa of this.sas) if (sa.state === 'established' && sa.lastInbound < now) sa.lastInbound = now;
  }

  close(now: number): IkeOutput[] {
    this.closed = true;
    this.reestablishAt = Infinity;
    for (const sa of [...this.sas]) {
      if (sa.state === 'established' || sa.state === 'rekeyed') {
        this.queue(sa, new IkeDeleteTask(this, sa, 'connection closed'), true);
      } else if (sa.state === 'connecting') {
        this.log(`deleting unestablished IKE_SA ${ikeName(this, sa)}`);
        this.destroySa(sa, now, 'connection closed');
      }
    }
    return this.flush(now);
  }

  /** The IKE SAs and their children, for traces, views and tests. */
  ikeSas(): IkeSaView[] {
    return this.sas.map(ikeSaView);
  }

  // ---- Ikev2Services ----

  log(text: string): void {
    this.out.push({ kind: 'log', text });
  }

  emit(output: IkeOutput): void {
    this.out.push(output);
  }

  status(status: IkeSessionStatus, detail: string, notify: string | null): void {
    this.out.push({ kind: 'status', status, detail, notify });
  }

  newIkeUid(): number {
    return ++this.ikeUids;
  }

  newChildUid(): number {
    return ++this.childUids;
  }

  reqidFor(local: readonly Ipv4RangeSelector[], remote: readonly Ipv4RangeSelector[]): number {
    const key = `${selectorsText(local)}|${selectorsText(remote)}`;
    let r = this.reqids.get(key);
    if (r === undefined) {
      r = this.reqids.size + 1;
      this.reqids.set(key, r);
    }
    return r;
  }

  randomBytes(n: number): Uint8Array {
    return this.prng.fill(new Uint8Array(n));
  }

  newIkeSpi(): Uint8Array {
    for (;;) {
      const spi = this.randomBytes(8);
      if (spi.some((b) => b !== 0)) return spi;
    }
  }

  newEspSpi(): number {
    for (;;) {
      const spi = (0xc0000000 | (this.prng.nextU32() & 0x3fffffff)) >>> 0;
      if (!this.sas.some((sa) => sa.children.some((c) => c.inSpi === spi))) return spi;
    }
  }

  newNonce(): Uint8Array {
    return this.randomBytes(32);
  }

  addSa(sa: IkeSa): void {
    this.sas.push(sa);
  }

  destroySa(sa: IkeSa, _now: number, childReason: string): void {
    const i = this.sas.indexOf(sa);
    if (i < 0) return;
    for (const c of [...sa.children]) this.closeChild(sa, c, childReason);
    this.sas.splice(i, 1);
    for (const other of this.sas) if (other.passiveReplacement === sa) other.passiveReplacement = null;
  }

  queue(sa: IkeSa, task: InitiatorTask, front = false): void {
    if (front) sa.queue.unshift(task);
    else sa.queue.push(task);
  }

  later(sa: IkeSa, at: number, make: () => InitiatorTask | null): void {
    sa.delayed.push({ at, make });
  }

  sendOneWay(sa: IkeSa, task: InitiatorTask, now: number): void {
    this.sendRequest(sa, task, now);
  }

  moveChildren(from: IkeSa, to: IkeSa): void {
    to.children.push(...from.children);
    from.children.length = 0;
  }

  closeChild(sa: IkeSa, child: ChildSa, reason: string, expired = false): void {
    const i = sa.children.indexOf(child);
    if (i < 0) return;
    sa.children.splice(i, 1);
    child.state = 'deleting';
    this.log(`closing ${expired ? 'expired ' : ''}CHILD_SA ${childName(this, child)} with SPIs ${spiText(child.inSpi)}_i ${spiText(child.outSpi)}_o and TS ${selectorsText(child.localTs)} === ${selectorsText(child.remoteTs)}`);
    this.emit({ kind: 'child-down', inboundSpi: child.inSpi, outboundSpi: child.outSpi, reason });
  }

  // ---- the message layer ----

  private flush(now: number): IkeOutput[] {
    for (const sa of [...this.sas]) this.kick(sa, now);
    const out = this.out;
    this.out = [];
    return out;
  }

  private initiate(now: number): void {
    const sa = newIkeSa({ uid: this.newIkeUid(), spiI: this.newIkeSpi(), spiR: ZERO_SPI, weAreOriginalInitiator: true, peerAddress: this.config.remote, peerPort: this.ports.remote, localPort: this.ports.local, now });
    this.log(`initiating IKE_SA ${ikeName(this, sa)} to ${formatIPv4(this.config.remote)}`);
    this.addSa(sa);
    this.queue(sa, new IkeInitTask(this, sa));
  }

  /** Start queued exchanges while the window is free. */
  private kick(sa: IkeSa, now: number): void {
    while (this.sas.includes(sa) && !sa.outstanding && sa.queue.length > 0) this.sendRequest(sa, sa.queue.shift()!, now);
  }

  private datagramTo(addr: number, port: number, fromPort: number, ike: Uint8Array): IkeDatagram {
    const natT = fromPort === this.ports.localNatT;
    const payload = natT ? new Uint8Array(NON_ESP_MARKER_LEN + ike.length) : ike;
    if (natT) payload.set(ike, NON_ESP_MARKER_LEN);
    return { src: this.config.local, dst: addr, sport: fromPort, dport: port, payload };
  }

  private encode(sa: IkeSa, header: Ikev2Header, payloads: readonly Ikev2Payload[]): Uint8Array {
    if (header.exchangeType === ExchangeType.IKE_SA_INIT) return encodeMessage({ header, payloads });
    return sealMessage(this.crypto, { suite: sa.suite!, keys: sa.keys! }, header, payloads, this.prng);
  }

  private sendRequest(sa: IkeSa, task: InitiatorTask, now: number): void {
    const payloads = task.build(now);
    if (!payloads) return;
    const header: Ikev2Header = {
      initiatorSpi: sa.spiI,
      responderSpi: sa.spiR,
      exchangeType: task.exchange,
      initiator: sa.weAreOriginalInitiator,
      response: false,
      higherVersion: false,
      messageId: sa.nextMessageId,
    };
    const bytes = this.encode(sa, header, payloads);
    if (task.exchange === ExchangeType.IKE_SA_INIT) sa.initRequest = bytes;
    const datagram = this.datagramTo(sa.peerAddress, sa.peerPort, sa.localPort, bytes);
    const summary = summarizePayloads(header, payloads);
    sa.nextMessageId = (sa.nextMessageId + 1) >>> 0;
    this.emit({ kind: 'send', datagram, summary, retransmit: 0 });
    if (!task.oneWay) sa.outstanding = { task, messageId: header.messageId, datagram, summary, retransmits: 0, nextAt: now + retransmitWait(this.config.retransmit, 0) };
  }

  private sendResponse(sa: IkeSa | null, request: Ikev2Header, requestBytes: Uint8Array, payloads: readonly Ikev2Payload[], d: IkeDatagram, responderSpi: Uint8Array): Uint8Array {
    const header: Ikev2Header = {
      initiatorSpi: request.initiatorSpi,
      responderSpi,
      exchangeType: request.exchangeType,
      initiator: sa ? sa.weAreOriginalInitiator : false,
      response: true,
      higherVersion: false,
      messageId: request.messageId,
    };
    const bytes = sa && request.exchangeType !== ExchangeType.IKE_SA_INIT ? this.encode(sa, header, payloads) : encodeMessage({ header, payloads });
    const summary = summarizePayloads(header, payloads);
    this.emit({ kind: 'send', datagram: this.datagramTo(d.src, d.sport, d.dport, bytes), summary, retransmit: 0 });
    if (sa) sa.lastResponse = { messageId: request.messageId, request: requestBytes, response: bytes, summary, resent: 0 };
    return bytes;
  }

  private problem(d: IkeDatagram, summary: string, problem: string): void {
    this.emit({ kind: 'received', datagram: d, summary, problem });
  }

  private handle(d: IkeDatagram, now: number): void {
    let bytes = d.payload;
    if (d.dport === this.ports.localNatT) {
      if (bytes.length === 1 && bytes[0] === 0xff) {
        this.emit({ kind: 'received', datagram: d, summary: 'NAT-T keepalive', problem: null });
        return;
      }
      if (bytes.length < NON_ESP_MARKER_LEN || bytes.subarray(0, NON_ESP_MARKER_LEN).some((b) => b !== 0)) {
        this.problem(d, '', 'ESP in UDP (no non-ESP marker): not IKE, for the host');
        return;
      }
      bytes = bytes.subarray(NON_ESP_MARKER_LEN);
    }
    // A copy: the SA keeps request bytes (AUTH, the duplicate check), and a socket's buffer is the host's.
    bytes = new Uint8Array(bytes);
    const decoded = decodeMessage(bytes);
    if (!decoded.ok) {
      this.problem(d, '', `message parsing failed: ${decoded.error.message}`);
      return;
    }
    const m = decoded.value;
    const h = m.header;
    if (h.exchangeType === ExchangeType.IKE_SA_INIT) {
      this.handleInit(d, bytes, m, now);
      return;
    }
    const sa = this.sas.find((x) => sameBytes(x.spiI, h.initiatorSpi) && sameBytes(x.spiR, h.responderSpi));
    if (!sa) return this.problem(d, summarizeMessage(m), `no IKE_SA found for SPIs ${spiKey(h.initiatorSpi)}_i ${spiKey(h.responderSpi)}_r`);
    if (!sa.keys) return this.problem(d, summarizeMessage(m), 'found encrypted message, but no keys available');
    if (h.initiator === sa.weAreOriginalInitiator) return this.problem(d, summarizeMessage(m), `the I flag says the message is ${h.initiator ? '' : 'not '}from the original initiator, which is ${sa.weAreOriginalInitiator ? 'us' : 'the peer'}`);
    if (h.response) this.handleResponse(sa, d, bytes, m, now);
    else this.handleRequest(sa, d, bytes, m, now);
  }

  private handleInit(d: IkeDatagram, bytes: Uint8Array, m: Ikev2Message, now: number): void {
    const h = m.header;
    const summary = summarizeMessage(m);
    if (!h.response) {
      if (!h.initiator || h.messageId !== 0) return this.problem(d, summary, 'IKE_SA_INIT request without the I flag or with a message ID other than 0');
      const existing = this.sas.find((sa) => !sa.weAreOriginalInitiator && sameBytes(sa.spiI, h.initiatorSpi));
      if (existing && existing.lastResponse?.messageId === 0 && sameBytes(existing.lastResponse.request, bytes)) return this.resendResponse(existing, d, summary);
      if (existing) return this.problem(d, summary, `IKE_SA_INIT request for the existing IKE_SA ${ikeName(this, existing)}, ignored`);
      this.emit({ kind: 'received', datagram: d, summary, problem: null });
      const answer = answerIkeInit(this, h, m.payloads, bytes, d, now);
      if (answer.sa) this.addSa(answer.sa);
      const response = this.sendResponse(answer.sa, h, bytes, answer.payloads, d, answer.responderSpi);
      if (answer.sa) {
        answer.sa.initResponse = response;
        answer.sa.expectedMessageId = 1;
        answer.sa.lastInbound = now;
      }
      return;
    }
    const sa = this.sas.find((x) => x.weAreOriginalInitiator && sameBytes(x.spiI, h.initiatorSpi) && x.outstanding?.task.kind === 'ike-init');
    if (!sa || !sa.outstanding || sa.outstanding.messageId !== h.messageId) return this.problem(d, summary, 'unexpected IKE_SA_INIT response');
    if (h.initiator) return this.problem(d, summary, 'IKE_SA_INIT response with the I flag');
    this.emit({ kind: 'received', datagram: d, summary, problem: null });
    sa.lastInbound = now;
    this.finishExchange(sa, sa.outstanding, { header: h, payloads: m.payloads, bytes, datagram: d }, now);
  }

  private finishExchange(sa: IkeSa, o: Outstanding, r: { header: Ikev2Header; payloads: readonly Ikev2Payload[]; bytes: Uint8Array; datagram: IkeDatagram }, now: number): void {
    sa.outstanding = null;
    const next = o.task.process(r, now);
    if (next === 'again' && this.sas.includes(sa)) this.queue(sa, o.task, true);
  }

  private resendResponse(sa: IkeSa, d: IkeDatagram, summary: string): void {
    const cached = sa.lastResponse!;
    this.emit({ kind: 'received', datagram: d, summary, problem: null });
    this.log(`received retransmit of request with ID ${cached.messageId}, retransmitting response`);
    cached.resent++;
    this.emit({ kind: 'send', datagram: this.datagramTo(d.src, d.sport, d.dport, cached.response), summary: cached.summary, retransmit: cached.resent });
  }

  private follow(sa: IkeSa, d: IkeDatagram, now: number): void {
    sa.lastInbound = now;
    sa.peerAddress = d.src;
    sa.peerPort = d.sport;
    sa.localPort = d.dport;
  }

  private handleResponse(sa: IkeSa, d: IkeDatagram, bytes: Uint8Array, m: Ikev2Message, now: number): void {
    const h = m.header;
    const o = sa.outstanding;
    if (!o || o.messageId !== h.messageId) {
      return this.problem(d, summarizeMessage(m), `received response with message ID ${h.messageId}, but ${o ? `expected ${o.messageId}` : 'no request is outstanding'}`);
    }
    if (h.exchangeType !== o.task.exchange) return this.problem(d, summarizeMessage(m), `received ${exchangeName(h.exchangeType)} response, but expected ${exchangeName(o.task.exchange)}`);
    const opened = openMessage(this.crypto, { suite: sa.suite!, keys: sa.keys! }, bytes);
    if (!opened.ok) return this.problem(d, summarizeMessage(m), opened.problem);
    this.emit({ kind: 'received', datagram: d, summary: summarizeMessage(m, opened.inner), problem: null });
    this.follow(sa, d, now);
    this.finishExchange(sa, o, { header: h, payloads: opened.inner, bytes, datagram: d }, now);
  }

  private handleRequest(sa: IkeSa, d: IkeDatagram, bytes: Uint8Array, m: Ikev2Message, now: number): void {
    const h = m.header;
    const cached = sa.lastResponse;
    if (cached && h.messageId === cached.messageId && sameBytes(cached.request, bytes)) return this.resendResponse(sa, d, summarizeMessage(m));
    if (h.messageId !== sa.expectedMessageId) return this.problem(d, summarizeMessage(m), `received message ID ${h.messageId}, expected ${sa.expectedMessageId}, ignored`);
    const opened = openMessage(this.crypto, { suite: sa.suite!, keys: sa.keys! }, bytes);
    if (!opened.ok) return this.problem(d, summarizeMessage(m), opened.problem);
    if (!this.takes(sa, h, opened.inner)) return this.problem(d, summarizeMessage(m, opened.inner), `ignoring ${exchangeName(h.exchangeType)} in IKE_SA state ${sa.state}`);
    this.emit({ kind: 'received', datagram: d, summary: summarizeMessage(m, opened.inner), problem: null });
    this.follow(sa, d, now);
    sa.expectedMessageId = (sa.expectedMessageId + 1) >>> 0;
    const answer = this.answer(sa, h, opened.inner, now);
    this.sendResponse(sa, h, bytes, answer.payloads, d, sa.spiR);
    if (answer.endSa !== null) this.destroySa(sa, now, answer.endSa);
  }

  /** Whether the SA, in its state, takes this request. */
  private takes(sa: IkeSa, h: Ikev2Header, inner: readonly Ikev2Payload[]): boolean {
    switch (h.exchangeType) {
      case ExchangeType.IKE_AUTH:
        return sa.state === 'connecting' && !sa.weAreOriginalInitiator;
      case ExchangeType.CREATE_CHILD_SA:
        return sa.state !== 'connecting';
      case ExchangeType.INFORMATIONAL:
        return sa.state !== 'connecting' || notifyOf(inner, NotifyType.AUTHENTICATION_FAILED) !== null;
      default:
        return false;
    }
  }

  /** The task that answers a request (strongSwan's `process_request`), its answer, and whether the SA ends once it is sent. */
  private answer(sa: IkeSa, h: Ikev2Header, inner: readonly Ikev2Payload[], now: number): { payloads: Ikev2Payload[]; endSa: string | null } {
    if (h.exchangeType === ExchangeType.IKE_AUTH) {
      const a = answerIkeAuth(this, sa, inner, now);
      return { payloads: a.payloads, endSa: a.endSa ? 'IKE_AUTH failed' : null };
    }
    if (h.exchangeType === ExchangeType.CREATE_CHILD_SA) {
      const withTs = inner.some((p) => p.kind === 'TSi' || p.kind === 'TSr');
      return { payloads: withTs ? answerCreateChild(this, sa, inner, now) : answerIkeRekey(this, sa, inner, now), endSa: null };
    }
    const deletes = inner.filter((p): p is DeletePayload => p.kind === 'Delete');
    if (deletes.some((p) => p.protocol === ProtocolId.IKE)) return { payloads: answerIkeDelete(this, sa), endSa: 'deleted by the peer' };
    if (notifyOf(inner, NotifyType.AUTHENTICATION_FAILED)) {
      this.log('received AUTHENTICATION_FAILED notify error');
      this.status('IKE_PHASE1_KEY_MISMATCH', 'the peer could not verify our AUTH payload: the pre-shared keys differ', 'AUTHENTICATION_FAILED');
      return { payloads: [], endSa: 'authentication failed' };
    }
    return { payloads: answerChildDelete(this, sa, deletes), endSa: null };
  }

  // ---- time ----

  private tickSa(sa: IkeSa, now: number): void {
    const policy = this.config.retransmit;
    const o = sa.outstanding;
    if (o && o.nextAt <= now) {
      if (o.retransmits < policy.tries) {
        o.retransmits++;
        this.log(`retransmit ${o.retransmits} of request with message ID ${o.messageId}`);
        this.emit({ kind: 'send', datagram: o.datagram, summary: o.summary, retransmit: o.retransmits });
        o.nextAt = now + retransmitWait(policy, o.retransmits);
      } else {
        this.log(`giving up after ${o.retransmits} retransmits`);
        sa.outstanding = null;
        this.unanswered(sa, o, now);
        return;
      }
    }
    for (const d of [...sa.delayed]) {
      if (d.at > now) continue;
      sa.delayed.splice(sa.delayed.indexOf(d), 1);
      const task = d.make();
      if (task) this.queue(sa, task);
    }
    if (sa.state === 'connecting' && !sa.weAreOriginalInitiator && sa.halfOpenUntil <= now) {
      this.log(`deleting half open IKE_SA with ${formatIPv4(sa.peerAddress)} after timeout`);
      this.destroySa(sa, now, 'half-open timeout');
      return;
    }
    if (sa.state === 'rekeyed' && sa.expireAt <= now) {
      this.destroySa(sa, now, 'expired');
      return;
    }
    if (sa.state !== 'established') return;
    if (sa.expireAt <= now) {
      sa.expireAt = Infinity;
      sa.rekeyAt = Infinity;
      this.queue(sa, new IkeDeleteTask(this, sa, 'IKE_SA expired'), true);
    } else if (sa.rekeyAt <= now) {
      sa.rekeyAt = Infinity;
      this.queue(sa, new IkeRekeyTask(this, sa));
    }
    for (const c of [...sa.children]) {
      if (c.expireAt <= now) {
        this.closeChild(sa, c, 'expired', true);
        this.queue(sa, new ChildDeleteTask(this, sa, [c], 'expired', true));
      } else if (c.state === 'installed' && c.rekeyAt <= now) {
        c.rekeyAt = Infinity;
        this.queue(sa, new ChildCreateTask(this, sa, c));
      }
    }
    const dpd = this.config.dpdDelay;
    if (dpd !== null && !sa.outstanding && sa.queue.length === 0 && sa.lastInbound + dpd <= now) {
      this.log('sending DPD request');
      this.queue(sa, new IkeDpdTask());
    }
  }

  private unanswered(sa: IkeSa, o: Outstanding, now: number): void {
    const peer = `${formatIPv4(sa.peerAddress)}:${sa.peerPort}`;
    const after = `after ${o.retransmits} retransmits over ${retransmitGiveUpAfter(this.config.retransmit).toFixed(1)} s`;
    if (o.task.kind === 'ike-delete') {
      this.log('proper IKE_SA delete failed, peer not responding');
      this.destroySa(sa, now, 'IKE_SA deleted');
      return;
    }
    if (sa.state === 'connecting') {
      this.log('establishing IKE_SA failed, peer not responding');
      this.status('MISSING_END_POINT', `no answer from ${peer} to ${o.summary} ${after}`, null);
    } else {
      if (o.task.kind === 'ike-rekey') this.log('rekeying IKE_SA failed, peer not responding');
      this.status('MISSING_END_POINT', `the peer ${peer} stopped answering: ${o.summary} unanswered ${after}; the IKE_SA and its CHILD_SAs are gone`, null);
    }
    this.destroySa(sa, now, 'peer not responding');
    if (this.config.initiator && !this.closed && !this.sas.some((x) => x.state === 'established' || x.state === 'connecting')) this.reestablishAt = now;
  }
}
