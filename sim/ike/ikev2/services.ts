/**
 * What the IKEv2 tasks (ike-init.ts … ike-dpd.ts) need from the endpoint that runs them,
 * and the words they log with.
 *
 * Owns the `Ikev2Services` contract (configuration, crypto, randomness, outputs, the SA
 * table, the window) and strongSwan's spellings of names in log lines: `name[uid]` for an
 * IKE SA, `name{uid}` for a child, `%H[%Y]` for an address with its identity, `%.8x` for an
 * ESP SPI. The endpoint (endpoint.ts) implements the services; the tasks never see sockets,
 * the clock or each other, only the SA they work on and these calls.
 */
import type { CryptoBackend } from '../../ipsec/crypto.js';
import { formatIPv4 } from '../../net/ipv4.js';
import type { Prng } from '../../util/prng.js';
import type { IkeIdentity, IkeOutput, IkeSessionStatus, IkeTunnelConfig } from '../endpoint.js';
import type { Ipv4RangeSelector } from '../../wire/ikev2-ts.js';
import type { ChildSa, IkeSa, InitiatorTask } from './ike-sa.js';

/** The UDP ports an endpoint uses: IKE and NAT-T, its own and the peer's. */
export interface Ikev2Ports {
  readonly local: number;
  readonly localNatT: number;
  readonly remote: number;
  readonly remoteNatT: number;
}

/** The standard ports: 500, and 4500 after NAT detection (RFC 7296 §2.23). */
export const STANDARD_PORTS: Ikev2Ports = { local: 500, localNatT: 4500, remote: 500, remoteNatT: 4500 };

/** What the tasks ask of the endpoint. */
export interface Ikev2Services {
  readonly config: IkeTunnelConfig;
  readonly crypto: CryptoBackend;
  readonly prng: Prng;
  readonly ports: Ikev2Ports;
  log(text: string): void;
  emit(output: IkeOutput): void;
  status(status: IkeSessionStatus, detail: string, notify: string | null): void;
  newIkeUid(): number;
  newChildUid(): number;
  /** The reqid of a selector set: stable per connection and selectors, so a rekeyed child keeps it. */
  reqidFor(local: readonly Ipv4RangeSelector[], remote: readonly Ipv4RangeSelector[]): number;
  randomBytes(n: number): Uint8Array;
  /** A fresh non-zero 8-byte IKE SPI. */
  newIkeSpi(): Uint8Array;
  /** A fresh ESP SPI in strongSwan's range (0xc0000000 and up, as its kernel interface allocates). */
  newEspSpi(): number;
  /** A fresh nonce (32 bytes, strongSwan's size). */
  newNonce(): Uint8Array;
  addSa(sa: IkeSa): void;
  /** Remove an SA; its remaining children go down with `childReason`. */
  destroySa(sa: IkeSa, now: number, childReason: string): void;
  /** Queue an exchange on `sa` (at the front: it runs next). */
  queue(sa: IkeSa, task: InitiatorTask, front?: boolean): void;
  /** Queue an exchange at a later time. */
  later(sa: IkeSa, at: number, make: () => InitiatorTask | null): void;
  /** Send a request no answer is awaited for, now (a notice before the SA goes). */
  sendOneWay(sa: IkeSa, task: InitiatorTask, now: number): void;
  /** Move children between SAs (IKE rekey). */
  moveChildren(from: IkeSa, to: IkeSa): void;
  /** Take down a child: emits child-down and logs the closing line. */
  closeChild(sa: IkeSa, child: ChildSa, reason: string, expired?: boolean): void;
}

/** `name[uid]`. */
export function ikeName(s: Ikev2Services, sa: IkeSa): string {
  return `${s.config.connection}[${sa.uid}]`;
}

/** `name{uid}`. */
export function childName(s: Ikev2Services, c: ChildSa): string {
  return `${s.config.connection}{${c.uid}}`;
}

/** An identity as strongSwan prints it (`%Y`). */
export function identityText(id: IkeIdentity | null): string {
  if (!id) return '%any';
  return id.type === 'ipv4' ? formatIPv4(id.addr) : id.name;
}

/** `%H[%Y]...%H[%Y]`: both ends of an IKE SA. */
export function ikeEnds(s: Ikev2Services, sa: IkeSa): string {
  return `${formatIPv4(s.config.local)}[${identityText(s.config.localId)}]...${formatIPv4(sa.peerAddress)}[${identityText(sa.peerId ?? s.config.remoteId)}]`;
}

/** An ESP SPI as `%.8x`. */
export function spiText(spi: number): string {
  return (spi >>> 0).toString(16).padStart(8, '0');
}
