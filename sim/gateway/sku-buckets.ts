/**
 * The SKU throughput buckets the encrypt node charges for each ESP packet: the sending
 * gateway's, and at the same instant the receiving gateway's (whose verdict esp-decrypt
 * acts on). A token bucket per gateway at its SKU's bytes per second with a burst of
 * 50 ms; nothing is queued, a packet over the bucket is refused.
 *
 * Every gateway has a bucket slot (its index); every other end of an SA (a device, a P2S
 * client) and a gateway without a limit charge one more slot whose rate has no limit.
 * So the node charges both ends of every packet alike, with no branch on the kind of end:
 * the ends of an ordered node's packets alternate with the traffic's directions, and such
 * a branch would be mispredicted about once a packet. Per SA its two slots, per slot its
 * rate: read from the world, made once per world (worlds are immutable).
 */
import type { World } from './world.js';
import { EndKind } from './world.js';

/** The rate of the slot without a limit: finite, so the arithmetic stays that of a bucket that never runs dry. */
const NO_LIMIT = 1e300;

/** Per SA its ends' bucket slots, per slot its rate in bytes per second. */
export interface SkuBuckets {
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly rate: Float64Array;
}

const cache = new WeakMap<World, SkuBuckets>();

/** The bucket slots of `w`'s SAs and their rates (made once per world). */
export function skuBuckets(w: World): SkuBuckets {
  let k = cache.get(w);
  if (k === undefined) {
    const unlimited = w.gateways.length;
    const slot = (kind: number, end: number): number => (kind === EndKind.GATEWAY && w.gateways[end]!.bytesPerSecond > 0 ? end : unlimited);
    k = {
      from: Int32Array.from(w.sas, (sa) => slot(sa.fromKind, sa.from)),
      to: Int32Array.from(w.sas, (sa) => slot(sa.toKind, sa.to)),
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
