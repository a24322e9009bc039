/**
 * The state of one side of an IKEv1 connection, as data: ISAKMP SAs (phase 1), the Quick
 * Modes under way on them, the CHILD_SAs they made, and the request/response bookkeeping
 * strongSwan's `task_manager_v1.c` keeps per IKE_SA (the one request in flight with its
 * retransmission schedule, the last request answered and its response, recent responses).
 *
 * Owns the shapes and the few facts that follow from them alone (an SA's names, whether it
 * can carry Quick Modes). Refuses nothing; the exchanges (main-mode.ts, quick-mode.ts,
 * informational.ts) change this state and the endpoint (endpoint.ts) drives them.
 */
import type { ChildSaKeys } from '../child-keys.js';
import type { IkeDatagram, IkeIdentity, SelectorPair } from '../endpoint.js';
import type { IkeSuite } from '../proposals.js';
import type { DhGroup } from '../dh-groups.js';
import type { Transform } from '../../ipsec/transforms.js';
import type { Ikev1Crypter } from './crypt.js';
import type { EspChoice, EspOffer, Phase1Choice } from './proposals.js';

/** The four UDP ports: this side's and the peer's, for IKE (500) and after NAT detection (4500). */
export interface Ikev1Ports {
  readonly local: number;
  readonly localNatT: number;
  readonly remote: number;
  readonly remoteNatT: number;
}

/** IKE's ports (RFC 2408 §2.5.1 port 500; RFC 3948 §2.2 port 4500). */
export const STANDARD_PORTS: Ikev1Ports = Object.freeze({ local: 500, localNatT: 4500, remote: 500, remoteNatT: 4500 });

/** Where Main Mode is (strongSwan's MM_INIT/MM_SA/MM_KE/MM_AUTH, from this side's view), then established or gone. */
export type MainModeState = 'mm-sa' | 'mm-ke' | 'mm-auth' | 'established' | 'deleted';

/** Phase-1 keys (RFC 2409 §5): SKEYID and its children, and the cipher key Ka. */
export interface Phase1Keys {
  readonly skeyid: Uint8Array;
  readonly skeyidD: Uint8Array;
  readonly skeyidA: Uint8Array;
  readonly skeyidE: Uint8Array;
  readonly ka: Uint8Array;
}

/** A request this side sent and waits an answer to, with strongSwan's retransmission count. */
export interface OutstandingRequest {
  readonly datagram: IkeDatagram;
  readonly summary: string;
  readonly messageId: number;
  readonly exchangeType: number;
  /** strongSwan's per-SA request sequence number (its retransmit log line names it). */
  readonly seq: number;
  /** How many times it has been sent again. */
  retransmitted: number;
  /** When it is sent again (or given up on). */
  nextAt: number;
}

/** The last request the peer sent that this side answered (or chose not to), to spot its retransmission. */
export interface AnsweredRequest {
  readonly bytes: Uint8Array;
  readonly summary: string;
  readonly messageId: number;
  /** The answer, or null when it had none (QM3, Informational). */
  readonly response: IkeDatagram | null;
  readonly responseSummary: string;
  /** Quick Mode's second message is retransmitted until the third arrives (strongSwan does it for three-message exchanges only). */
  retransmit: { retransmitted: number; nextAt: number; seq: number } | null;
}

/** A response the peer sent that this side processed, to spot its retransmission. */
export interface ProcessedResponse {
  readonly bytes: Uint8Array;
  readonly summary: string;
  readonly messageId: number;
  readonly exchangeType: number;
}

/** One CHILD_SA (an ESP SA pair) made by a Quick Mode. */
export interface ChildSaRecord {
  readonly uniqueId: number;
  readonly reqid: number;
  /** The configured pair it serves (the rekey of a narrowed SA offers this again). */
  readonly configured: SelectorPair;
  /** The negotiated pair, from this side's view. */
  readonly pair: SelectorPair;
  readonly transform: Transform;
  readonly pfsGroup: DhGroup | null;
  readonly inboundSpi: number;
  readonly outboundSpi: number;
  readonly weInitiated: boolean;
  readonly keys: ChildSaKeys;
  readonly lifetime: number;
  readonly lifeKilobytes: number | null;
  readonly udpEncapsulated: boolean;
  readonly establishedAt: number;
  /** When this side starts its replacement; null once replaced (strongSwan CHILD_REKEYED). */
  rekeyAt: number | null;
  /** Hard expiry: the SA is closed and a Delete sent. */
  readonly expireAt: number;
  /** Replaced by a newer SA for the same pair; kept until it expires or the peer deletes it. */
  rekeyed: boolean;
}

/** One Quick Mode exchange under way. */
export interface QuickModeExchange {
  readonly messageId: number;
  readonly weInitiated: boolean;
  readonly reqid: number;
  readonly configured: SelectorPair;
  /** The pair proposed (initiator) or selected (responder), from this side's view. */
  pair: SelectorPair;
  /** This side's SPI (the one the peer sends to). */
  readonly ourSpi: number;
  peerSpi: number | null;
  readonly ni: Uint8Array | null;
  nr: Uint8Array | null;
  /** PFS: this side's private value and KE data, the peer's KE data. */
  readonly pfsGroup: DhGroup | null;
  readonly dhPrivate: Uint8Array | null;
  readonly ourKe: Uint8Array | null;
  peerKe: Uint8Array | null;
  /** What the initiator offered, in order. */
  readonly offered: readonly EspChoice[];
  /** What was agreed. */
  agreed: (EspOffer & { readonly choice: EspChoice }) | null;
  lifetime: number;
  lifeKilobytes: number | null;
  readonly udpEncapsulated: boolean;
  /** The SA this one replaces, when it is a rekey. */
  readonly rekeyOf: ChildSaRecord | null;
  /** The responder's state after sending QM2. */
  state: 'sent-1' | 'sent-2';
}

/** One ISAKMP SA (phase 1) and everything that runs on it. */
export interface IsakmpSa {
  readonly uniqueId: number;
  readonly initiator: boolean;
  readonly cookieI: Uint8Array;
  cookieR: Uint8Array;
  state: MainModeState;
  readonly createdAt: number;
  /** The suite in force once MM2 is sent or read. */
  choice: (Phase1Choice & { readonly suite: IkeSuite }) | null;
  /** The negotiated SA lifetime, seconds. */
  lifetime: number;
  /** The initiator's SA payload body as sent (HASH_I and HASH_R cover it). */
  saiBody: Uint8Array | null;
  dhPrivate: Uint8Array | null;
  gxi: Uint8Array | null;
  gxr: Uint8Array | null;
  ni: Uint8Array | null;
  nr: Uint8Array | null;
  keys: Phase1Keys | null;
  crypter: Ikev1Crypter | null;
  /** Both sides sent the RFC 3947 vendor ID. */
  natTraversal: boolean;
  natHere: boolean;
  natThere: boolean;
  /** The peer as this side last heard it, and the ports in use (500, or 4500 after floating). */
  remoteAddr: number;
  localPort: number;
  remotePort: number;
  /** A datagram from the peer was understood on this SA. */
  heard: boolean;
  /** The identity the peer showed in Main Mode (null before MM5/MM6). */
  peerId: IkeIdentity | null;
  establishedAt: number | null;
  /** When this side starts a replacement (re-authentication) and when the SA ends. */
  reauthAt: number | null;
  expireAt: number | null;
  /** A newer ISAKMP SA with the peer took this one's CHILD_SAs. */
  replaced: boolean;
  /** Behind a NAT: when the next NAT-T keepalive goes out (RFC 3948 §2.3), else null. */
  keepaliveAt: number | null;
  /** Request bookkeeping (task_manager_v1.c). */
  seq: number;
  initiating: OutstandingRequest | null;
  /** The last Quick Mode request sent without retransmission (QM3), sent again when QM2 comes again. */
  kept: { readonly datagram: IkeDatagram; readonly summary: string; readonly messageId: number } | null;
  responding: AnsweredRequest | null;
  readonly responses: ProcessedResponse[];
  readonly quickModes: QuickModeExchange[];
  readonly children: ChildSaRecord[];
}

/** An empty responder or initiator SA. */
export function newIsakmpSa(fields: {
  uniqueId: number;
  initiator: boolean;
  cookieI: Uint8Array;
  cookieR: Uint8Array;
  now: number;
  remoteAddr: number;
  localPort: number;
  remotePort: number;
}): IsakmpSa {
  return {
    ...fields,
    state: 'mm-sa',
    createdAt: fields.now,
    choice: null,
    lifetime: 0,
    saiBody: null,
    dhPrivate: null,
    gxi: null,
    gxr: null,
    ni: null,
    nr: null,
    keys: null,
    crypter: null,
    natTraversal: false,
    natHere: false,
    natThere: false,
    heard: false,
    peerId: null,
    establishedAt: null,
    reauthAt: null,
    expireAt: null,
    replaced: false,
    keepaliveAt: null,
    seq: 0,
    initiating: null,
    kept: null,
    responding: null,
    responses: [],
    quickModes: [],
    children: [],
  };
}

/** An SA's NAT state: any NAT on the path (strongSwan COND_NAT_ANY). */
export function natSeen(sa: IsakmpSa): boolean {
  return sa.natHere || sa.natThere;
}

/** Whether two byte strings are equal. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A CHILD_SA this side wants and has not started negotiating: acquired by traffic, or the rekey of `rekeyOf`. */
export interface WantedChild {
  readonly configured: SelectorPair;
  readonly reqid: number;
  readonly rekeyOf: ChildSaRecord | null;
}

/** Everything one side of the connection has: its ISAKMP SAs (oldest first) and the CHILD_SAs waiting for a Quick Mode. */
export interface Ikev1Book {
  readonly sas: IsakmpSa[];
  readonly wanted: WantedChild[];
}
