/**
 * The SKU throughput buckets the encrypt node charges for each ESP packet: the sending
 * gateway's, and at the same instant the receiving gateway's (whose verdict esp-decrypt
 * acts on). A token bucket per gateway at its SKU's bytes per second with a burst of
 * 50 ms; nothing is queued, a packet over the bucket is refused.
 *
 * Every gateway has a bucket slot (its index). Only a gateway with a limit is charged: the
 * other ends of an SA (a device, a P2S client, a gateway without a limit) would let every
 * packet through. Per SA, every packet charges one slot (`first`: the sender's when it has
 * a limit, else the receiver's), and a second only when both ends have a limit
 * (VNet-to-VNet). Which slot, and whose verdict, come from the SA's entries, not from a
 * branch on the kind of end: an ordered node's packets alternate with the traffic's
 * directions, so such a branch would be mispredicted about once a packet. The branch on a
 * second slot goes the same way for every SA of most worlds. Per SA its slots, per slot
 * its rate: read from the world, made once per world (worlds are immutable).
 */
import type { World } from './world.js';
import { EndKind } from './world.js';

/** The rate of the slot without a limit (an SA between ends without one): finite, so the arithmetic stays that of a bucket that never runs dry. */
const NO_LIMIT = 1e300;

/** Per SA the bucket slots its packets charge, per slot its rate in bytes per second. */
export interface SkuBuckets {
  /** Per SA the slot every packet charges: the sender's if it has a limit, else the receiver's (else the slot without a limit). */
  readonly first: Int32Array;
  /** Per SA 1 when `first` is the sender's slot (a refusal drops the packet before its sequence number), 0 when it is the receiver's (a refusal is esp-decrypt's). */
  readonly firstSends: Uint8Array;
  /** Per SA the receiver's slot when both ends have a limit (charged after the sender's), else -1. */
  readonly second: Int32Array;
  readonly rate: Float64Array;
}

const cache = new WeakMap<World, SkuBuckets>();

/** The bucket slots of `w`'s SAs and their rates (made once per world). */
export function skuBuckets(w: World): SkuBuckets {
  let k = cache.get(w);
  if (k === undefined) {
    const unlimited = w.gateways.length;
    const slot = (kind: number, end: number): number => (kind === EndKind.GATEWAY && w.gateways[end]!.bytesPerSecond > 0 ? end : -1);
    const from = w.sas.map((sa) => slot(sa.fromKind, sa.from));
    const to = w.sas.map((sa) => slot(sa.toKind, sa.to));
    k = {
      first: Int32Array.from(w.sas, (_, s) => (from[s]! >= 0 ? from[s]! : to[s]! >= 0 ? to[s]! : unlimited)),
      firstSends: Uint8Array.from(w.sas, (_, s) => (from[s]! >= 0 || to[s]! < 0 ? 1 : 0)),
      second: Int32Array.from(w.sas, (_, s) => (from[s]! >= 0 && to[s]! >= 0 ? to[s]! : -1)),
      rate: Float64Array.from({ length: unlimited + 1 }, (_, g) => (g < unlimited && w.gateways[g]!.bytesPerSecond > 0 ? w.gateways[g]!.bytesPerSecond : NO_LIMIT)),
    };
    cache.set(w, k);
  }
  return k;
}

/**
 * Charge `bytes` at time `t` to bucket slot `g`: false when they exceed it. `tokens` and
 * `last` are the run's (RunState.bucketTokens, a negative count meaning a full bucket not
 * charged yet, and RunState.bucketTime), `rate` the slots' (SkuBuckets.rate). Math.min and
 * Math.max, not selects: V8 compiles a select of doubles to a branch, and whether a packet
 * is later than its slot's last charge changes from packet to packet.
 */
export function chargeBucket(tokens: Float64Array, last: Float64Array, rate: Float64Array, g: number, t: number, bytes: number): boolean {
  const r = rate[g]!;
  const depth = r * 0.05;
  const before = tokens[g]!;
  const then = last[g]!;
  // Packets reach a gateway in batch order, which can trail time slightly: never refill backwards.
  const now = before < 0 ? depth : Math.min(depth, before + Math.max(0, t - then) * r);
  last[g] = Math.max(t, then);
  if (now < bytes) {
    tokens[g] = now;
    return false;
  }
  tokens[g] = now - bytes;
  return true;
}
