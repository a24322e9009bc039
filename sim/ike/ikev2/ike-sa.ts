/**
 * One IKEv2 SA's state (RFC 7296 §2): who it is (SPIs, which side was the original
 * initiator), what it negotiated (suite, keys, the IKE_SA_INIT messages and nonces AUTH is
 * computed over), where its peer is (address, ports, NAT findings), its message window and
 * its timers, and the child SAs it carries (their records are here too; installing one is child-sa.ts's).
 *
 * Owns the records and the message-window rules that are pure bookkeeping: per-side message
 * IDs (ours count our requests, `expectedMessageId` the peer's, both from 0, and again from 0
 * in an SA that replaces another, §2.18), window 1 (one outstanding request; more wait in
 * `queue`), the retransmission schedule (strongSwan's: the request is resent after
 * timeout·base^k for k = 0, 1, …; after `tries` resends and one more wait it gives up,
 * `task_manager_v2.c` `retransmit`) and the cached last response a duplicate request is
 * answered from (§2.1). What a message means is the tasks'; sending it is the endpoint's.
 * Refuses nothing: it is state, changed by its owners.
 */
import type { IkeDatagram, IkeIdentity, RetransmitPolicy } from '../endpoint.js';
import type { IkeSaKeys } from '../keys-v2.js';
import type { IkeSuite } from '../proposals.js';
import type { Ikev2Header } from '../../wire/ikev2-header.js';
import type { Ikev2Payload } from '../../wire/ikev2-payloads.js';
import type { ChildSaKeys } from '../child-keys.js';
import type { Ipv4RangeSelector } from '../../wire/ikev2-ts.js';
import type { EspSelection } from './proposal-selection.js';

/** A child's life: in use, being rekeyed by us, replaced (waiting for its delete), being deleted. */
export type ChildSaState = 'installed' | 'rekeying' | 'rekeyed' | 'deleting';

export interface ChildSa {
  readonly uid: number;
  readonly reqid: number;
  readonly inSpi: number;
  readonly outSpi: number;
  readonly selection: EspSelection;
  readonly keys: ChildSaKeys;
  readonly weInitiated: boolean;
  /** Selectors from this side's view. */
  readonly localTs: readonly Ipv4RangeSelector[];
  readonly remoteTs: readonly Ipv4RangeSelector[];
  readonly createdAt: number;
  rekeyAt: number;
  expireAt: number;
  state: ChildSaState;
  /** min(Ni, Nr) of the exchange that made it: the rekey collision tie-break (RFC 7296 §2.8.1). */
  readonly lowerNonce: Uint8Array;
  /** The child the peer made rekeying this one while our own rekey of it was in flight. */
  passiveReplacement: ChildSa | null;
  /** A failed rekey was already reported as a status (further retries only log). */
  rekeyFailureReported: boolean;
}

/** What a task gets back: the response's header, its (decrypted) payloads, bytes and datagram. */
export interface ResponseInfo {
  readonly header: Ikev2Header;
  readonly payloads: readonly Ikev2Payload[];
  /** The whole IKE message (non-ESP marker removed). */
  readonly bytes: Uint8Array;
  readonly datagram: IkeDatagram;
}

/** The kinds of exchange this side starts (strongSwan's initiating tasks). */
export type TaskKind = 'ike-init' | 'ike-auth' | 'child-create' | 'ike-rekey' | 'child-delete' | 'ike-delete' | 'ike-dpd' | 'auth-failed-notice';

/** An exchange this side initiates: it builds the request and reads the response. */
export interface InitiatorTask {
  readonly kind: TaskKind;
  readonly exchange: number;
  /** True for a request no response is awaited for (the notice of a failed AUTH before the SA goes). */
  readonly oneWay: boolean;
  /** The request's payloads (inside SK except in IKE_SA_INIT), or null when there is nothing to do any more. */
  build(now: number): Ikev2Payload[] | null;
  /** Read the response: 'done', or 'again' for a new request of the same task (a retry with another group). */
  process(response: ResponseInfo, now: number): 'done' | 'again';
}

/** The request in flight. */
export interface Outstanding {
  readonly task: InitiatorTask;
  readonly messageId: number;
  readonly datagram: IkeDatagram;
  readonly summary: string;
  retransmits: number;
  /** When to resend, or to give up. */
  nextAt: number;
}

/** The last response this side sent, for a duplicate of its request. */
export interface CachedResponse {
  readonly messageId: number;
  /** The request it answered, byte for byte (a duplicate must be equal). */
  readonly request: Uint8Array;
  /** The response's IKE bytes (no non-ESP marker). */
  readonly response: Uint8Array;
  readonly summary: string;
  resent: number;
}

/** An IKE SA's life: negotiating, up, replaced by a rekey (waiting for its delete), being deleted. */
export type IkeSaState = 'connecting' | 'established' | 'rekeyed' | 'deleting';

/** A task to queue at a later time (a rekey retried after a failure). */
export interface DelayedTask {
  readonly at: number;
  readonly make: () => InitiatorTask | null;
}

/** One IKE SA. */
export interface IkeSa {
  /** strongSwan's unique ID, `name[uid]` in logs. */
  readonly uid: number;
  readonly spiI: Uint8Array;
  /** Zero until the IKE_SA_INIT response names it (initiator). */
  spiR: Uint8Array;
  /** Whether this side was the original initiator (sends with the I flag, uses SK_ei/SK_ai). */
  readonly weAreOriginalInitiator: boolean;
  state: IkeSaState;
  suite: IkeSuite | null;
  keys: IkeSaKeys | null;
  /** The nonces of the exchange that made this SA (IKE_SA_INIT, or the rekey's). */
  ni: Uint8Array | null;
  nr: Uint8Array | null;
  /** IKE_SA_INIT request and response as sent (AUTH covers them). */
  initRequest: Uint8Array | null;
  initResponse: Uint8Array | null;
  /** The peer's identity once authenticated. */
  peerId: IkeIdentity | null;
  peerAddress: number;
  peerPort: number;
  localPort: number;
  /** NAT findings of IKE_SA_INIT (RFC 7296 §2.23). */
  natHere: boolean;
  natThere: boolean;
  nextMessageId: number;
  expectedMessageId: number;
  outstanding: Outstanding | null;
  readonly queue: InitiatorTask[];
  readonly delayed: DelayedTask[];
  lastResponse: CachedResponse | null;
  readonly children: ChildSa[];
  /** When the last authenticated message arrived (DPD counts idle time from it). */
  lastInbound: number;
  establishedAt: number;
  rekeyAt: number;
  expireAt: number;
  /** A responder's half-open SA goes at this time if IKE_AUTH never comes (strongSwan's half_open_timeout, 30 s). */
  halfOpenUntil: number;
  /** Our rekey of this SA is in flight. */
  rekeyingActively: boolean;
  /** The SA the peer made rekeying this one while our own rekey was in flight (a collision). */
  passiveReplacement: IkeSa | null;
  /** min(Ni, Nr) of the exchange that made this SA: the rekey collision tie-break (RFC 7296 §2.8.2). */
  lowerNonce: Uint8Array | null;
}

/** Half-open responder SAs go after this long (strongSwan's `half_open_timeout`). */
export const HALF_OPEN_TIMEOUT = 30;

/** A new SA record with empty window and timers. */
export function newIkeSa(init: {
  uid: number;
  spiI: Uint8Array;
  spiR: Uint8Array;
  weAreOriginalInitiator: boolean;
  peerAddress: number;
  peerPort: number;
  localPort: number;
  now: number;
}): IkeSa {
  return {
    uid: init.uid,
    spiI: init.spiI,
    spiR: init.spiR,
    weAreOriginalInitiator: init.weAreOriginalInitiator,
    state: 'connecting',
    suite: null,
    keys: null,
    ni: null,
    nr: null,
    initRequest: null,
    initResponse: null,
    peerId: null,
    peerAddress: init.peerAddress,
    peerPort: init.peerPort,
    localPort: init.localPort,
    natHere: false,
    natThere: false,
    nextMessageId: 0,
    expectedMessageId: 0,
    outstanding: null,
    queue: [],
    delayed: [],
    lastResponse: null,
    children: [],
    lastInbound: init.now,
    establishedAt: Infinity,
    rekeyAt: Infinity,
    expireAt: Infinity,
    halfOpenUntil: Infinity,
    rekeyingActively: false,
    passiveReplacement: null,
    lowerNonce: null,
  };
}

/** Seconds to wait after send number `k` (0: the first send) before resending or giving up. */
export function retransmitWait(policy: RetransmitPolicy, k: number): number {
  return policy.timeout * policy.base ** k;
}

/** Total seconds from the first send until an unanswered request is given up. */
export function retransmitGiveUpAfter(policy: RetransmitPolicy): number {
  let t = 0;
  for (let k = 0; k <= policy.tries; k++) t += retransmitWait(policy, k);
  return t;
}

/** When a lifetime's rekey is due: `lifetime - margin` after `from`, or half the lifetime when the margin leaves nothing. */
export function rekeyTime(from: number, lifetime: number, margin: number): number {
  return from + (lifetime > margin ? lifetime - margin : lifetime / 2);
}

/** The smaller of two nonces as strongSwan compares them (`memcmp` over the shorter length): negative when `a` sorts first. */
export function compareNonces(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** min(a, b) by `compareNonces`. */
export function lowerNonce(a: Uint8Array, b: Uint8Array): Uint8Array {
  return compareNonces(a, b) <= 0 ? a : b;
}

/** Whether two byte strings are equal. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
