/**
 * The IKE workload of `vgw bench ike`: whole IKEv2 negotiations (IKE_SA_INIT + IKE_AUTH with
 * the first child SA) between the Azure side and the device side of a route-based example's
 * connection, two endpoints in memory handing each other their datagrams, and the floor of
 * that work: the same crypto calls (Diffie-Hellman, PRF, SK encryption and integrity) that one
 * negotiation makes, recorded once and replayed with the same arguments.
 *
 * Owns only data and the in-memory delivery: no clock (the runner in cli/bench/ times the
 * calls). A negotiation that does not establish is a bug in the workload, and throws.
 */
import type { CryptoBackend } from '../ipsec/crypto.js';
import type { IkeDatagram, IkeOutput, IkeTunnelConfig } from '../ike/endpoint.js';
import { Ikev2Endpoint } from '../ike/ikev2/endpoint.js';
import { ikeSides } from '../gateway/ike-sides.js';
import type { World } from '../gateway/world.js';
import { Prng } from '../util/prng.js';

/** A crypto call as made: the method and its arguments. */
type RecordedCall = readonly [name: keyof CryptoBackend, args: readonly unknown[]];

/** The crypto methods a negotiation uses (the rest are ESP's). */
const IKE_CALLS: readonly (keyof CryptoBackend)[] = ['prf', 'digest', 'dhPublic', 'dhShared', 'cbcEncrypt', 'cbcDecrypt', 'gcmSeal', 'gcmOpen', 'hmac96'];

/** `be` with every IKE crypto call appended to `calls`. */
function recording(be: CryptoBackend, calls: RecordedCall[]): CryptoBackend {
  const out: Record<string, unknown> = { ...be };
  for (const name of IKE_CALLS) {
    const f = be[name] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof f !== 'function') continue;
    out[name] = (...args: unknown[]) => {
      calls.push([name, args]);
      return f.apply(be, args);
    };
  }
  return out as unknown as CryptoBackend;
}

/** One negotiation between two fresh endpoints; the number of datagrams they exchanged. */
function negotiate(azure: IkeTunnelConfig, device: IkeTunnelConfig, crypto: CryptoBackend, seed: number): number {
  const a = new Ikev2Endpoint(azure, { crypto, prng: new Prng(seed, 'bench/ike/azure') });
  const d = new Ikev2Endpoint(device, { crypto, prng: new Prng(seed, 'bench/ike/device') });
  const queue: IkeDatagram[] = [];
  let up = 0;
  const take = (outs: readonly IkeOutput[]): void => {
    for (const o of outs) {
      if (o.kind === 'send') queue.push(o.datagram);
      else if (o.kind === 'child-up') up++;
    }
  };
  take(a.start(0));
  take(d.start(0));
  let sent = 0;
  // IKE_SA_INIT and IKE_AUTH are four datagrams; the bound only stops a workload that loops.
  while (queue.length > 0 && sent < 16) {
    const g = queue.shift()!;
    sent++;
    take(g.dst === azure.local ? a.receive(g, 0) : d.receive(g, 0));
  }
  if (up !== 2) throw new Error(`the bench negotiation did not establish (child SAs up: ${up})`);
  return sent;
}

/** Whole IKEv2 negotiations of one connection, and their crypto calls alone. */
export class IkeWorkload {
  readonly azure: IkeTunnelConfig;
  readonly device: IkeTunnelConfig;
  /** Datagrams per negotiation (4: IKE_SA_INIT and IKE_AUTH, request and response). */
  readonly datagrams: number;
  /** The crypto calls of one negotiation, by method: what the floor replays. */
  readonly callCounts: Readonly<Record<string, number>>;
  private readonly calls: RecordedCall[] = [];
  private next = 0;

  /** Connection `connection` (an index) of `world`, the device initiating. */
  constructor(world: World, connection: number, private readonly seed: number, crypto: CryptoBackend) {
    const sides = ikeSides(world, connection, 'device');
    if (!sides.ok) throw new Error(`bench IKE workload: ${sides.problem}`);
    if (sides.azure.version !== 2) throw new Error(`bench IKE workload: ${sides.azure.connection} is not IKEv2`);
    this.azure = sides.azure;
    this.device = sides.device;
    this.datagrams = negotiate(this.azure, this.device, recording(crypto, this.calls), seed);
    const counts: Record<string, number> = {};
    for (const [name] of this.calls) counts[name] = (counts[name] ?? 0) + 1;
    this.callCounts = counts;
  }

  /** `count` whole negotiations on `crypto`, each with its own seed; returns how many. */
  negotiate(crypto: CryptoBackend, count: number): number {
    for (let k = 0; k < count; k++) negotiate(this.azure, this.device, crypto, this.seed + this.next++);
    return count;
  }

  /** The crypto calls of `count` negotiations, replayed on `crypto` with one negotiation's arguments. */
  bare(crypto: CryptoBackend, count: number): number {
    const calls = this.calls;
    for (let k = 0; k < count; k++) {
      for (const [name, args] of calls) (crypto[name] as (...a: unknown[]) => unknown).apply(crypto, args as unknown[]);
    }
    return count;
  }
}
