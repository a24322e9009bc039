/**
 * The vendor-neutral result of reading a device configuration: one `PeerTunnel` per peer
 * the device talks to (a crypto map's peer, a tunnel interface's destination, a strongSwan
 * connection's remote address), each value with where it was written. The site's `device:`
 * section is made from one of them (section.ts); every vendor reader produces this shape
 * and nothing else.
 */
import type { At } from './findings.js';

/** A file's name (as the user gave it) and its text. */
export interface SourceFile {
  readonly file: string;
  readonly text: string;
}

/** A value and the configuration line it came from, in the configuration's own words. */
export interface Sourced<T> {
  readonly value: T;
  readonly at: At;
  /** The source line as written (a pre-shared key in it replaced by *****). */
  readonly element: string;
  /** The file it is in, when not the configuration itself (strongSwan's ipsec.secrets). */
  readonly file?: string;
}

/** What the device does with one peer, in the terms of a scenario's `device:` section. */
export interface PeerTunnel {
  /** The peer's address as written (the Azure gateway's public IP). */
  readonly peer: string;
  /** Where the peer is named (the crypto map, tunnel interface or connection). */
  readonly source: Sourced<string>;
  readonly vpnType: Sourced<'PolicyBased' | 'RouteBased'>;
  readonly version?: Sourced<1 | 2>;
  /** strongSwan proposal syntax, in the device's preference order. */
  readonly ikeProposals: readonly Sourced<string>[];
  readonly espProposals: readonly Sourced<string>[];
  readonly pfsGroup?: Sourced<number | 'none'>;
  readonly ikeLifetime?: Sourced<number>;
  readonly childLifetime?: Sourced<number>;
  readonly childLifeKilobytes?: Sourced<number>;
  readonly dpd?: Sourced<number>;
  readonly initiate?: Sourced<boolean>;
  readonly sharedKey?: Sourced<string>;
  /** Policy-based: access-list lines in vgwsim's syntax (`permit ip 10.0.0.0/8 10.1.0.0/16`). */
  readonly accessList: readonly Sourced<string>[];
  /** Route-based: prefixes the device routes into the tunnel. */
  readonly routes: readonly Sourced<string>[];
  /** The device's own public address, when the configuration says it. */
  readonly localAddress?: Sourced<string>;
}

/** A mutable PeerTunnel while a reader assembles it. */
export type TunnelDraft = { -readonly [K in keyof PeerTunnel]: PeerTunnel[K] };

/** A sourced value. */
export function sourced<T>(value: T, at: At, element: string, file?: string): Sourced<T> {
  return file === undefined ? { value, at, element } : { value, at, element, file };
}
