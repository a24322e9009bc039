/**
 * What `vgw peer` takes from sim/: the Azure side of one Site-to-Site connection of a
 * scenario as a live IKE endpoint (IKEv1 for a policy-based gateway, IKEv2 for a
 * route-based one), built with node:crypto. The command owns the sockets and the clock;
 * this module owns neither; the outputs' words are gateway/ike-text.ts's.
 *
 * Addresses: the identities stay the scenario's public ones (the gateway's publicIp, the
 * device's gatewayIp), as Azure would show them. On the wire the endpoint uses the address
 * the command listens on and the address the device really has (the `peer` override of a
 * lab), so NAT detection compares what the packets carry, as on a real network.
 *
 * Refuses, as a value: an unknown connection (with the names of the IPsec ones), one that
 * is not IPsec Site-to-Site, one ike-sides.ts cannot configure.
 */
import { compileWorld } from './scenario/compile/index.js';
import type { Scenario } from './scenario/types.js';
import { ikeSides, ipsecConnectionNames } from './gateway/ike-sides.js';
import type { IkeEndpoint, IkeTunnelConfig, SelectorPair } from './ike/endpoint.js';
import { Ikev1Endpoint } from './ike/ikev1/endpoint.js';
import { Ikev2Endpoint } from './ike/ikev2/endpoint.js';
import { nodeCrypto } from './ipsec/crypto-node.js';
import { Prng } from './util/prng.js';

/** UDP ports of both sides: IKE and NAT-T (4500) here and at the device. */
export interface PeerPorts {
  readonly local: number;
  readonly localNatT: number;
  readonly remote: number;
  readonly remoteNatT: number;
}

export interface PeerOptions {
  /** The Azure side starts the negotiation (route-based: start(); policy-based: acquire() of the first pair). */
  readonly initiate: boolean;
  /** The address this side sends from (null: the gateway's publicIp). */
  readonly localAddress: number | null;
  /** Where the device really is (null: the site's gatewayIp). */
  readonly peerAddress: number | null;
  readonly ports: PeerPorts;
  /** Seeds the endpoint's SPIs, nonces and DH values. */
  readonly seed: number;
}

/** The Azure side of one connection, ready to be driven. */
export interface PeerSession {
  readonly endpoint: IkeEndpoint;
  /** The Azure side's configuration (with the wire addresses in `local` and `remote`). */
  readonly config: IkeTunnelConfig;
  /** The only address the endpoint may send to. */
  readonly peerAddress: number;
  /** What `--initiate` negotiates first: null for IKEv2 (start()), the first selector pair for IKEv1 (acquire()). */
  readonly firstPair: SelectorPair | null;
}

export type PeerSessionResult =
  | { readonly ok: true; readonly session: PeerSession }
  | { readonly ok: false; readonly problem: string; readonly known: readonly string[] };

/** The Azure side of connection `name` of the checked scenario `s`. */
export function openPeerSession(s: Scenario, name: string, options: PeerOptions): PeerSessionResult {
  const { world } = compileWorld(s);
  const known = ipsecConnectionNames(world);
  const ci = world.connections.findIndex((c) => c.name === name);
  if (ci < 0) return { ok: false, problem: `no connection named "${name}"`, known };
  const c = world.connections[ci]!;
  if (c.type !== 'IPsec') return { ok: false, problem: `${c.name} is a ${c.type} connection, not IPsec (Site-to-Site)`, known };
  const sides = ikeSides(world, ci, options.initiate ? 'azure' : 'device');
  if (!sides.ok) return { ok: false, problem: sides.problem, known };
  const peerAddress = options.peerAddress ?? sides.azure.remote;
  const config: IkeTunnelConfig = { ...sides.azure, local: options.localAddress ?? sides.azure.local, remote: peerAddress };
  const prng = new Prng(options.seed, `vgw peer ${name}`);
  const endpoint: IkeEndpoint = config.version === 2
    ? new Ikev2Endpoint(config, { crypto: nodeCrypto, prng, ports: options.ports })
    : new Ikev1Endpoint(config, { crypto: nodeCrypto, prng, ports: options.ports });
  return { ok: true, session: { endpoint, config, peerAddress, firstPair: config.version === 1 ? config.selectors[0] ?? null : null } };
}
