/**
 * `Ikev1Endpoint`: one side of one policy-based connection speaking IKEv1 (the `IkeEndpoint`
 * contract of ../endpoint.ts). It takes datagrams and the time, and answers with datagrams,
 * SAs to install or delete, statuses and strongSwan-worded log lines; main-mode.ts,
 * quick-mode.ts and informational.ts run the exchanges, this file routes datagrams to them
 * and keeps time.
 *
 * Owns: finding the ISAKMP SA a datagram belongs to (by cookies; a new Main Mode from the
 * configured peer makes a responder SA), the NAT-T port (marker stripped, keepalives and ESP
 * set aside), the retransmission of identical bytes (transport.ts), and the timers:
 * retransmissions, a half-open responder SA dropped after 30 s (strongSwan's
 * HALF_OPEN_IKE_SA_TIMEOUT), CHILD_SA rekey and expiry, ISAKMP SA re-authentication and
 * expiry, NAT-T keepalives every 20 s behind a NAT.
 *
 * Tunnels come up on demand, as Azure's policy-based gateways bring them up: `start()` does
 * nothing, `acquire(pair)` (traffic needs an SA) starts Main Mode if no ISAKMP SA is up and
 * then one Quick Mode per configured selector pair, one at a time per ISAKMP SA (strongSwan
 * runs one exchange at a time as initiator). This is strongSwan's `start_action = trap` (a trap
 * policy turns the first packet into an acquire); `start_action = none` would do nothing even
 * on traffic, and `start` would initiate at once, which `start()` does not. A side configured
 * not to initiate answers only, but still rekeys the CHILD_SAs it has. Re-authentication is
 * IKEv1's way to renew the ISAKMP SA (a new Main Mode; the new SA adopts the CHILD_SAs, the
 * old one is deleted), as strongSwan does it. DPD (RFC 3706) is not spoken: Azure's
 * policy-based gateways did not support it, so `dpdDelay` is ignored here.
 */
import type { CryptoBackend } from '../../ipsec/crypto.js';
import { covers, formatIPv4 } from '../../net/ipv4.js';
import type { Prng } from '../../util/prng.js';
import { decodeIsakmp, ExchangeType, readMajorVersion, type IsakmpHeaderFields, type IsakmpPadding } from '../../wire/isakmp.js';
import type { IkeDatagram, IkeEndpoint, IkeOutput, IkeTunnelConfig, SelectorPair } from '../endpoint.js';
import type { IkeSuite } from '../proposals.js';
import { closeChild } from './children.js';
import { Ikev1Context } from './context.js';
import { receiveInformational } from './informational.js';
import { receiveMainMode, startMainMode } from './main-mode.js';
import { NATT_KEEPALIVE_INTERVAL, splitNattPayload } from './natt.js';
import { sendIsakmpDelete } from './notify.js';
import { receiveQuickMode, startQuickMode } from './quick-mode.js';
import { newIsakmpSa, sameBytes, STANDARD_PORTS, type Ikev1Book, type Ikev1Ports, type IsakmpSa, type Phase1Keys } from './state.js';
import { dropSa, failSa } from './teardown.js';
import { handleRetransmission, nextRetransmit, retransmitIfDue } from './transport.js';
import { hostPort, ikeSaName, pairText } from './words.js';

/** Seconds a responder keeps an ISAKMP SA whose Main Mode does not finish (strongSwan HALF_OPEN_IKE_SA_TIMEOUT). */
export const HALF_OPEN_TIMEOUT = 30;

/** What an endpoint needs besides its configuration. */
export interface Ikev1EndpointOptions {
  readonly crypto: CryptoBackend;
  /** Every random value (cookies, message IDs, SPIs, nonces, DH private values) comes from here. */
  readonly prng: Prng;
  /** UDP ports of both sides (default 500 and 4500 each); a test peer may listen elsewhere. */
  readonly ports?: Partial<Ikev1Ports>;
  /** How encrypted bodies are padded: strongSwan's zeros (default) or RFC 2409's count byte. */
  readonly padding?: IsakmpPadding;
}

/** A CHILD_SA as the endpoint reports it. */
export interface Ikev1ChildView {
  readonly uniqueId: number;
  readonly reqid: number;
  readonly pair: SelectorPair;
  readonly transform: string;
  readonly inboundSpi: number;
  readonly outboundSpi: number;
  readonly weInitiated: boolean;
  readonly lifetime: number;
  readonly lifeKilobytes: number | null;
  readonly udpEncapsulated: boolean;
  readonly establishedAt: number;
  readonly rekeyAt: number | null;
  readonly expireAt: number;
  readonly rekeyed: boolean;
}

/** An ISAKMP SA as the endpoint reports it (`vgw sas`, tests). */
export interface Ikev1SaView {
  readonly uniqueId: number;
  readonly name: string;
  readonly initiator: boolean;
  readonly state: IsakmpSa['state'];
  readonly cookieI: Uint8Array;
  readonly cookieR: Uint8Array;
  readonly suite: IkeSuite | null;
  /** SKEYID, its children and Ka once Main Mode message 3 or 4 is read (what charon logs at level 4). */
  readonly keys: Phase1Keys | null;
  readonly lifetime: number;
  readonly natHere: boolean;
  readonly natThere: boolean;
  readonly localPort: number;
  readonly remotePort: number;
  readonly establishedAt: number | null;
  readonly expireAt: number | null;
  readonly children: readonly Ikev1ChildView[];
}

function isZero(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}

export class Ikev1Endpoint implements IkeEndpoint {
  private readonly ctx: Ikev1Context;
  private readonly book: Ikev1Book = { sas: [], wanted: [] };

  constructor(
    readonly config: IkeTunnelConfig,
    options: Ikev1EndpointOptions,
  ) {
    if (config.version !== 1) throw new RangeError(`Ikev1Endpoint speaks IKEv1; connection ${config.connection} is configured for IKEv${config.version}`);
    this.ctx = new Ikev1Context(config, options.crypto, options.prng, { ...STANDARD_PORTS, ...options.ports }, options.padding ?? 'zeros');
  }

  start(now: number): IkeOutput[] {
    this.ctx.begin(now);
    return this.ctx.finish();
  }

  /** IKEv1 here does no dead peer detection (Azure's policy-based gateways had none): nothing waits on ESP. */
  espActivity(_now: number): void {}

  acquire(pair: SelectorPair, now: number): IkeOutput[] {
    const ctx = this.ctx;
    ctx.begin(now);
    const index = this.config.selectors.findIndex((c) => covers(c.local, pair.local) && covers(c.remote, pair.remote));
    if (index < 0) {
      ctx.log(`no CHILD_SA config of ${this.config.connection} covers ${pairText(pair)}, acquire ignored`);
    } else if (!this.config.initiator) {
      ctx.log(`ignoring acquire for ${pairText(pair)}: ${this.config.connection} only answers, it does not initiate`);
    } else {
      const reqid = index + 1;
      const sas = this.book.sas;
      const up = sas.some((s) => s.children.some((c) => c.reqid === reqid && !c.rekeyed));
      const pending = this.book.wanted.some((w) => w.reqid === reqid) || sas.some((s) => s.quickModes.some((q) => q.reqid === reqid));
      if (up) ctx.log(`ignoring acquire for reqid {${reqid}}, CHILD_SA already established`);
      else if (pending) ctx.log(`ignoring acquire for reqid {${reqid}}, connection attempt pending`);
      else {
        const configured = this.config.selectors[index]!;
        ctx.log(`creating acquire job for policy ${configured.local.text} === ${configured.remote.text} with reqid {${reqid}}`);
        this.book.wanted.push({ configured, reqid, rekeyOf: null });
        this.pump();
      }
    }
    return ctx.finish();
  }

  receive(datagram: IkeDatagram, now: number): IkeOutput[] {
    this.ctx.begin(now);
    this.route(datagram);
    this.pump();
    return this.ctx.finish();
  }

  nextDeadline(): number {
    let t = Infinity;
    for (const sa of this.book.sas) {
      t = Math.min(t, nextRetransmit(sa));
      if (sa.state !== 'established') {
        if (!sa.initiator) t = Math.min(t, sa.createdAt + HALF_OPEN_TIMEOUT);
        continue;
      }
      if (sa.expireAt !== null) t = Math.min(t, sa.expireAt);
      if (sa.reauthAt !== null) t = Math.min(t, sa.reauthAt);
      if (sa.keepaliveAt !== null) t = Math.min(t, sa.keepaliveAt);
      for (const c of sa.children) {
        t = Math.min(t, c.expireAt);
        if (c.rekeyAt !== null) t = Math.min(t, c.rekeyAt);
      }
    }
    return t;
  }

  tick(now: number): IkeOutput[] {
    const ctx = this.ctx;
    ctx.begin(now);
    for (const sa of [...this.book.sas]) {
      const request = sa.initiating;
      const answered = sa.responding;
      if (retransmitIfDue(ctx, sa) === 'gave-up') {
        this.gaveUp(sa, request?.summary ?? answered?.responseSummary ?? '');
        continue;
      }
      if (sa.state === 'deleted') continue;
      if (sa.state !== 'established') {
        if (!sa.initiator && now >= sa.createdAt + HALF_OPEN_TIMEOUT) {
          ctx.log(`deleting half open IKE_SA with ${formatIPv4(sa.remoteAddr)} after timeout`);
          dropSa(ctx, this.book, sa);
        }
        continue;
      }
      this.timers(sa);
    }
    this.pump();
    return ctx.finish();
  }

  close(now: number): IkeOutput[] {
    const ctx = this.ctx;
    ctx.begin(now);
    this.book.wanted.length = 0;
    for (const sa of [...this.book.sas]) {
      if (sa.state === 'established') {
        for (const child of [...sa.children]) closeChild(ctx, sa, child, 'closed');
        sendIsakmpDelete(ctx, sa);
      }
      dropSa(ctx, this.book, sa);
    }
    return ctx.finish();
  }

  /** The ISAKMP SAs and their CHILD_SAs as they are now. */
  sas(): Ikev1SaView[] {
    return this.book.sas.map((sa) => ({
      uniqueId: sa.uniqueId,
      name: ikeSaName(this.config.connection, sa.uniqueId),
      initiator: sa.initiator,
      state: sa.state,
      cookieI: sa.cookieI.slice(),
      cookieR: sa.cookieR.slice(),
      suite: sa.choice?.suite ?? null,
      keys: sa.keys,
      lifetime: sa.lifetime,
      natHere: sa.natHere,
      natThere: sa.natThere,
      localPort: sa.localPort,
      remotePort: sa.remotePort,
      establishedAt: sa.establishedAt,
      expireAt: sa.expireAt,
      children: sa.children.map((c) => ({
        uniqueId: c.uniqueId,
        reqid: c.reqid,
        pair: c.pair,
        transform: c.transform.name,
        inboundSpi: c.inboundSpi,
        outboundSpi: c.outboundSpi,
        weInitiated: c.weInitiated,
        lifetime: c.lifetime,
        lifeKilobytes: c.lifeKilobytes,
        udpEncapsulated: c.udpEncapsulated,
        establishedAt: c.establishedAt,
        rekeyAt: c.rekeyAt,
        expireAt: c.expireAt,
        rekeyed: c.rekeyed,
      })),
    }));
  }

  // -------------------------------------------------------------------------------------------

  private drop(d: IkeDatagram, summary: string, problem: string): void {
    this.ctx.emit({ kind: 'received', datagram: d, summary, problem });
  }

  private findSa(h: IsakmpHeaderFields): IsakmpSa | undefined {
    const zero = isZero(h.responderCookie);
    return this.book.sas.find((sa) => {
      if (!sameBytes(sa.cookieI, h.initiatorCookie)) return false;
      if (zero) return !sa.initiator;
      return sameBytes(sa.cookieR, h.responderCookie) || (sa.initiator && isZero(sa.cookieR));
    });
  }

  private route(d: IkeDatagram): void {
    const ctx = this.ctx;
    let bytes = d.payload;
    if (d.dport === ctx.ports.localNatT) {
      const s = splitNattPayload(d.payload);
      if (s.kind === 'keepalive') return ctx.emit({ kind: 'received', datagram: d, summary: 'NAT-T keepalive', problem: null });
      if (s.kind === 'esp') return this.drop(d, 'ESP in UDP', 'ESP in UDP (RFC 3948) belongs to the ESP data path, not IKE');
      if (s.kind === 'other') return this.drop(d, 'UDP', s.why);
      bytes = s.message;
    }
    const major = readMajorVersion(bytes);
    if (major !== 1) {
      return this.drop(d, 'UDP', major === 2 ? `an IKEv2 message, but ${this.config.connection} speaks IKEv1` : 'not an ISAKMP message');
    }
    const decoded = decodeIsakmp(bytes);
    if (!decoded.ok) {
      ctx.log(`invalid ISAKMP message from ${hostPort(d.src, d.sport)}: ${decoded.error.message}`);
      return this.drop(d, 'ISAKMP', decoded.error.message);
    }
    const h = decoded.value.header;
    let sa = this.findSa(h);
    if (sa && handleRetransmission(ctx, sa, d, bytes)) return;
    if (!sa) {
      const newMainMode = h.exchangeType === ExchangeType.MAIN_MODE && isZero(h.responderCookie) && decoded.value.kind === 'clear';
      if (!newMainMode) {
        const cookies = `${Array.from(h.initiatorCookie, (b) => b.toString(16).padStart(2, '0')).join('')}_i ${Array.from(h.responderCookie, (b) => b.toString(16).padStart(2, '0')).join('')}_r`;
        return this.drop(d, 'ISAKMP', `no IKE_SA with cookies ${cookies}`);
      }
      if (d.src !== this.config.remote) {
        ctx.log(`no IKE config found for ${formatIPv4(this.config.local)}...${formatIPv4(d.src)}, sending NO_PROPOSAL_CHOSEN`);
        return this.drop(d, 'ID_PROT request 0', `a Main Mode from ${formatIPv4(d.src)}, but ${this.config.connection}'s peer is ${formatIPv4(this.config.remote)}`);
      }
      sa = newIsakmpSa({
        uniqueId: ctx.nextIkeSaId(),
        initiator: false,
        cookieI: h.initiatorCookie.slice(),
        cookieR: ctx.cookie(),
        now: ctx.now,
        remoteAddr: d.src,
        localPort: d.dport,
        remotePort: d.sport,
      });
      this.book.sas.push(sa);
    }
    switch (h.exchangeType) {
      case ExchangeType.MAIN_MODE:
        return receiveMainMode(ctx, this.book, sa, d, bytes, decoded.value);
      case ExchangeType.QUICK_MODE:
        return receiveQuickMode(ctx, this.book, sa, d, bytes, decoded.value);
      case ExchangeType.INFORMATIONAL:
        return receiveInformational(ctx, this.book, sa, d, bytes, decoded.value);
      default:
        ctx.log('unsupported exchange type');
        return this.drop(d, 'ISAKMP', `exchange type ${h.exchangeType} is not spoken here (Main Mode, Quick Mode and Informational are)`);
    }
  }

  /** The newest established ISAKMP SA that no newer one replaced. */
  private current(): IsakmpSa | undefined {
    return [...this.book.sas].reverse().find((sa) => sa.state === 'established' && !sa.replaced);
  }

  /** Start what is wanted: Main Mode when no ISAKMP SA is up, else the next Quick Mode. */
  private pump(): void {
    const book = this.book;
    const live = (w: (typeof book.wanted)[number]): boolean => w.rekeyOf === null || book.sas.some((s) => s.children.includes(w.rekeyOf!));
    for (let i = book.wanted.length - 1; i >= 0; i--) if (!live(book.wanted[i]!)) book.wanted.splice(i, 1);
    if (book.wanted.length === 0) return;
    const sa = this.current();
    if (!sa) {
      const connecting = book.sas.some((s) => s.state !== 'established' && s.state !== 'deleted');
      if (!connecting && this.config.initiator) this.newMainMode();
      return;
    }
    if (sa.initiating || sa.quickModes.some((q) => q.weInitiated)) return;
    startQuickMode(this.ctx, book, sa, book.wanted.shift()!);
  }

  private newMainMode(): void {
    const ctx = this.ctx;
    const sa = newIsakmpSa({
      uniqueId: ctx.nextIkeSaId(),
      initiator: true,
      cookieI: ctx.cookie(),
      cookieR: new Uint8Array(8),
      now: ctx.now,
      remoteAddr: this.config.remote,
      localPort: ctx.ports.local,
      remotePort: ctx.ports.remote,
    });
    this.book.sas.push(sa);
    startMainMode(ctx, this.book, sa);
  }

  private timers(sa: IsakmpSa): void {
    const ctx = this.ctx;
    const now = ctx.now;
    for (const child of [...sa.children]) {
      if (child.expireAt <= now) closeChild(ctx, sa, child, 'expired');
      else if (child.rekeyAt !== null && child.rekeyAt <= now) {
        child.rekeyAt = null;
        if (!this.book.wanted.some((w) => w.reqid === child.reqid)) this.book.wanted.push({ configured: child.configured, reqid: child.reqid, rekeyOf: child });
      }
    }
    if (sa.expireAt !== null && sa.expireAt <= now) {
      sendIsakmpDelete(ctx, sa);
      dropSa(ctx, this.book, sa);
      return;
    }
    if (sa.reauthAt !== null && sa.reauthAt <= now) {
      sa.reauthAt = null;
      const renewing = this.book.sas.some((s) => s !== sa && s.state !== 'established' && s.state !== 'deleted');
      if (!sa.replaced && !renewing && (this.config.initiator || sa.initiator)) {
        ctx.log(`reauthenticating IKE_SA ${ikeSaName(this.config.connection, sa.uniqueId)}`);
        this.newMainMode();
      }
    }
    if (sa.keepaliveAt !== null && sa.keepaliveAt <= now) {
      sa.keepaliveAt = now + NATT_KEEPALIVE_INTERVAL;
      const datagram: IkeDatagram = { src: this.config.local, dst: sa.remoteAddr, sport: sa.localPort, dport: sa.remotePort, payload: Uint8Array.of(0xff) };
      ctx.emit({ kind: 'send', datagram, summary: 'NAT-T keepalive', retransmit: 0 });
    }
  }

  /** The SA's request went unanswered: strongSwan destroys the IKE_SA. */
  private gaveUp(sa: IsakmpSa, summary: string): void {
    const ctx = this.ctx;
    const peer = hostPort(sa.remoteAddr, sa.remotePort);
    const tries = this.config.retransmit.tries;
    if (sa.state !== 'established') {
      ctx.log('establishing IKE_SA failed, peer not responding');
      if (sa.heard) failSa(ctx, this.book, sa, 'IKE_PHASE1_FAILED', `${peer} stopped answering in Main Mode: no answer to ${summary} after ${tries} retransmits`, null);
      else failSa(ctx, this.book, sa, 'MISSING_END_POINT', `no answer from ${peer} to ${summary} after ${tries} retransmits: nothing answers IKE at that address (wrong peer address, or the path is cut)`, null);
      return;
    }
    const qm = sa.quickModes[0];
    failSa(ctx, this.book, sa, 'IPSEC_PHASE2_FAILED', `${peer} stopped answering Quick Mode${qm ? ` for ${pairText(qm.pair)}` : ''}: no answer to ${summary} after ${tries} retransmits; the IKE_SA is deleted`, null);
  }
}
