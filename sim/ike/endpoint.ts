/**
 * One side of one IKE connection as the rest of vgwsim sees it: its configuration, the
 * datagrams it exchanges, and what it tells its host (send this, install these SAs, delete
 * those, this is how the negotiation went). Both versions' state machines (ikev2/, ikev1/)
 * implement `IkeEndpoint`; the simulator's run, `vgw peer` (real UDP) and the strongSwan
 * tests drive them the same way: hand in datagrams and the time, carry out the outputs.
 *
 * Pure: no clock (the caller passes `now`, seconds), no sockets, no Node. Randomness (SPIs,
 * nonces, DH private values, message IDs of IKEv1) comes from the Prng the caller hands in,
 * so a scenario and seed give the same bytes. Types only, plus the defaults strongSwan uses
 * where Azure's documents are silent.
 */
import type { Prefix } from '../net/ipv4.js';
import type { EspProposal, IkeProposal, IkeSuite } from './proposals.js';
import type { ChildSaKeys } from './child-keys.js';
import type { Transform } from '../ipsec/transforms.js';

/** A UDP datagram between public addresses (IKE on 500, or 4500 after NAT detection, with the non-ESP marker). */
export interface IkeDatagram {
  readonly src: number;
  readonly dst: number;
  readonly sport: number;
  readonly dport: number;
  /** The UDP payload (on 4500: the 4-byte zero non-ESP marker first, RFC 3948 §2.2). */
  readonly payload: Uint8Array;
}

/** An IKE identity (IDi/IDr, IKEv1 ID payload in Main Mode). */
export type IkeIdentity =
  | { readonly type: 'ipv4'; readonly addr: number }
  | { readonly type: 'fqdn'; readonly name: string };

/** A pair of traffic selectors (IKEv2 TSi/TSr entry; IKEv1 proxy IDs of one Quick Mode), from this side's view. */
export interface SelectorPair {
  readonly local: Prefix;
  readonly remote: Prefix;
}

/** Retransmission of an unanswered request (strongSwan's defaults: 4 s, x1.8, 5 tries). */
export interface RetransmitPolicy {
  readonly timeout: number;
  readonly base: number;
  readonly tries: number;
}

/** One side's configuration of one connection. */
export interface IkeTunnelConfig {
  /** The connection's name (traces, logs). */
  readonly connection: string;
  readonly version: 1 | 2;
  /** Public addresses: this side and the peer. */
  readonly local: number;
  readonly remote: number;
  readonly psk: Uint8Array;
  readonly localId: IkeIdentity;
  /** The identity the peer must show; null: any. */
  readonly remoteId: IkeIdentity | null;
  /** IKE proposals in preference order (the first proposal's first DH group goes in the first KE). */
  readonly ikeProposals: readonly IkeProposal[];
  /** ESP proposals in preference order; a non-empty dhGroups means PFS on rekeys (IKEv2) or every Quick Mode (IKEv1). */
  readonly espProposals: readonly EspProposal[];
  /** IKE SA lifetime, seconds (IKEv1: proposed in Main Mode). */
  readonly ikeLifetime: number;
  /** Child SA lifetime, seconds, and IKEv1's kilobytes (null: none). */
  readonly childLifetime: number;
  readonly childLifeKilobytes: number | null;
  /** Rekey this long before a lifetime ends (the side with the shorter lifetime rekeys first). */
  readonly rekeyMargin: number;
  /** Dead peer detection: an empty INFORMATIONAL after this many idle seconds; null: off (IKEv1 on Azure). */
  readonly dpdDelay: number | null;
  /** Starts the negotiation (true) or only answers (false). */
  readonly initiator: boolean;
  /** IKEv2: the TSi/TSr this side proposes or accepts (any-to-any by default); IKEv1: one Quick Mode per pair. */
  readonly selectors: readonly SelectorPair[];
  readonly retransmit: RetransmitPolicy;
  /** NAT traversal: send NAT detection payloads and float to 4500 when a NAT is seen. */
  readonly natTraversal: boolean;
}

/** Batfish's session status names plus vgwsim's own for what Batfish does not check. */
export type IkeSessionStatus =
  | 'IPSEC_SESSION_ESTABLISHED'
  | 'IKE_PHASE1_FAILED'
  | 'IKE_PHASE1_KEY_MISMATCH'
  | 'IPSEC_PHASE2_FAILED'
  | 'MISSING_END_POINT'
  | 'TRAFFIC_SELECTOR_MISMATCH'
  | 'PFS_MISMATCH';

/** A child SA pair ready for the SAD: this side's inbound and outbound SPI and keys. */
export interface ChildSaInstall {
  /** Stable per connection and selector pair: a rekeyed SA keeps it (strongSwan's reqid). */
  readonly reqid: number;
  readonly transform: Transform;
  readonly inboundSpi: number;
  readonly outboundSpi: number;
  /** The exchange's keys; `weInitiated` says which direction is ours. */
  readonly keys: ChildSaKeys;
  readonly weInitiated: boolean;
  readonly selectors: readonly SelectorPair[];
  /** Lifetimes as negotiated (seconds; IKEv1 kilobytes or null). */
  readonly lifetime: number;
  readonly lifeKilobytes: number | null;
  /** The SAs this one replaces (a rekey): delete them once this one carries traffic. */
  readonly replacesInboundSpi: number | null;
  /** ESP in UDP (RFC 3948) between these ports, after NAT detection saw a NAT; null: plain ESP (IP protocol 50). */
  readonly udpEncapsulation: UdpEncapsulation | null;
}

/** The UDP ports ESP-in-UDP packets of a child SA use: this side's and the peer's (as seen from here, after any NAT). */
export interface UdpEncapsulation {
  readonly localPort: number;
  readonly remotePort: number;
}

/** An IKE SA's keys as Wireshark's decryption tables want them. */
export type IkeSaKeyRecord =
  | {
    readonly version: 2;
    readonly spiI: Uint8Array; readonly spiR: Uint8Array;
    readonly skEi: Uint8Array; readonly skEr: Uint8Array; readonly skAi: Uint8Array; readonly skAr: Uint8Array;
    readonly suite: IkeSuite;
  }
  | { readonly version: 1; readonly cookieI: Uint8Array; readonly encryptionKey: Uint8Array; readonly suite: IkeSuite };

/** What an endpoint asks its host to do or tells it, in order. */
export type IkeOutput =
  /** Send a datagram; `summary` is strongSwan's one-line form (`IKE_AUTH request 1 [ IDi AUTH SA TSi TSr ]`). */
  | { readonly kind: 'send'; readonly datagram: IkeDatagram; readonly summary: string; readonly retransmit: number }
  /** A datagram arrived and was understood (summary) or dropped (`problem`). */
  | { readonly kind: 'received'; readonly datagram: IkeDatagram; readonly summary: string; readonly problem: string | null }
  | { readonly kind: 'ike-sa-keys'; readonly keys: IkeSaKeyRecord }
  | { readonly kind: 'child-up'; readonly child: ChildSaInstall }
  | { readonly kind: 'child-down'; readonly inboundSpi: number; readonly outboundSpi: number; readonly reason: string }
  /** The connection's state changed: the status and why, in words, with both sides' settings where they differ. */
  | { readonly kind: 'status'; readonly status: IkeSessionStatus; readonly detail: string; readonly notify: string | null }
  /** A line as strongSwan would log it (`received NO_PROPOSAL_CHOSEN notify error`). */
  | { readonly kind: 'log'; readonly text: string };

/** One side of one connection. */
export interface IkeEndpoint {
  readonly config: IkeTunnelConfig;
  /** Begin (an initiator sends its first request; a responder does nothing). */
  start(now: number): IkeOutput[];
  /** A datagram for this endpoint arrived. */
  receive(datagram: IkeDatagram, now: number): IkeOutput[];
  /** The earliest time `tick` has something to do (retransmit, rekey, DPD, expiry); Infinity: nothing. */
  nextDeadline(): number;
  /** Do what is due at `now`. */
  tick(now: number): IkeOutput[];
  /**
   * ESP arrived on one of this side's child SAs by `now`: the peer is alive, so dead peer
   * detection waits (strongSwan reads the kernel SA's last use before it sends a DPD).
   */
  espActivity(now: number): void;
  /** Traffic needs an SA for this pair and none is up (IKEv1 on demand): negotiate it. */
  acquire(pair: SelectorPair, now: number): IkeOutput[];
  /** Delete everything (INFORMATIONAL delete / IKEv1 Informational). */
  close(now: number): IkeOutput[];
}
