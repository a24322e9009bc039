/**
 * What `vgw peer` takes from sim/: the Azure side of one Site-to-Site connection of a
 * scenario as a live IKE endpoint (IKEv1 for a policy-based gateway, IKEv2 for a
 * route-based one), built with node:crypto, and each of its outputs in words and as a
 * JSON object. The command owns the sockets and the clock; this module owns neither.
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
import type { IkeEndpoint, IkeOutput, IkeTunnelConfig, SelectorPair } from './ike/endpoint.js';
import { Ikev1Endpoint } from './ike/ikev1/endpoint.js';
import { Ikev2Endpoint } from './ike/ikev2/endpoint.js';
import { nodeCrypto } from './ipsec/crypto-node.js';
import { formatIPv4 } from './net/ipv4.js';
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

/** A selector pair as strongSwan writes it: `10.1.0.0/16 === 192.168.0.0/16`. */
function pairText(p: SelectorPair): string {
  return `${p.local.text} === ${p.remote.text}`;
}

function hostPort(addr: number, port: number): string {
  return `${formatIPv4(addr)}[${port}]`;
}

/**
 * One output in words, or null for the ones the command does not show (keys). `send` and
 * `received` carry strongSwan's summary and both ends (`sending packet: from A[500] to
 * B[500]`, as charon logs it); statuses carry the detail and the peer's notify.
 */
export function peerOutputText(o: IkeOutput): string | null {
  switch (o.kind) {
    case 'send': {
      const d = o.datagram;
      const again = o.retransmit > 0 ? ` (retransmit ${o.retransmit})` : '';
      return `send      ${o.summary} ${hostPort(d.src, d.sport)} -> ${hostPort(d.dst, d.dport)}${again}`;
    }
    case 'received': {
      const d = o.datagram;
      return `received  ${o.summary} ${hostPort(d.src, d.sport)} -> ${hostPort(d.dst, d.dport)}${o.problem ? `: dropped, ${o.problem}` : ''}`;
    }
    case 'log':
      return `log       ${o.text}`;
    case 'status':
      return `status    ${o.status}: ${o.detail}${o.notify ? ` (notify ${o.notify})` : ''}`;
    case 'child-up':
      return `child-up  SPIs ${spiText(o.child.inboundSpi)}_i ${spiText(o.child.outboundSpi)}_o ${o.child.transform.name} ${o.child.selectors.map(pairText).join(', ')}`;
    case 'child-down':
      return `child-down SPIs ${spiText(o.inboundSpi)}_i ${spiText(o.outboundSpi)}_o: ${o.reason}`;
    case 'ike-sa-keys':
      return null;
  }
}

function spiText(spi: number): string {
  return (spi >>> 0).toString(16).padStart(8, '0');
}

/** One output as a JSON Lines object (no key material), or null for the ones not shown. */
export function peerOutputJson(o: IkeOutput): Record<string, unknown> | null {
  switch (o.kind) {
    case 'send':
    case 'received': {
      const d = o.datagram;
      return {
        type: o.kind, summary: o.summary, from: formatIPv4(d.src), sport: d.sport, to: formatIPv4(d.dst), dport: d.dport, bytes: d.payload.length,
        ...(o.kind === 'send' ? { retransmit: o.retransmit } : { problem: o.problem }),
      };
    }
    case 'log':
      return { type: 'log', text: o.text };
    case 'status':
      return { type: 'status', status: o.status, detail: o.detail, notify: o.notify };
    case 'child-up':
      return {
        type: 'child-up', inboundSpi: spiText(o.child.inboundSpi), outboundSpi: spiText(o.child.outboundSpi), transform: o.child.transform.name,
        selectors: o.child.selectors.map(pairText), lifetime: o.child.lifetime,
      };
    case 'child-down':
      return { type: 'child-down', inboundSpi: spiText(o.inboundSpi), outboundSpi: spiText(o.outboundSpi), reason: o.reason };
    case 'ike-sa-keys':
      return null;
  }
}
