/**
 * Forwarding workloads: random traffic over a compiled world, made up front, and a loader
 * that refills one reused PacketBatch from it. Used by the `forward-route` and
 * `forward-policy` benchmarks and by the batch-vs-scalar differential tests.
 *
 * Owns only data: no clock here (the runner in cli/bench/ times the calls). Rejects
 * nothing; a world without hosts gives empty traffic.
 */
import { MAX_VIA, Outcome } from '../engine/batch.js';
import type { PacketBatch } from '../engine/batch.js';
import type { World } from '../gateway/world.js';
import { Prng } from '../util/prng.js';

/** Packets made up front: per packet its addresses and the host it starts at. */
export interface Traffic {
  readonly src: Uint32Array;
  readonly dst: Uint32Array;
  readonly origin: Int32Array;
  readonly len: Uint16Array;
}

/**
 * `n` packets between random hosts of `world`: the source is a random host; the destination
 * is another random host's address (about 9 in 10) or a uniformly random address (the rest,
 * so no-route, internet and no-host paths run too). Sizes 64-1400 bytes.
 */
export function randomTraffic(world: World, seed: number, n: number): Traffic {
  const rng = new Prng(seed, 'bench/traffic');
  const hosts = world.hosts;
  const m = hosts.length === 0 ? 0 : n;
  const t: Traffic = { src: new Uint32Array(m), dst: new Uint32Array(m), origin: new Int32Array(m), len: new Uint16Array(m) };
  for (let i = 0; i < m; i++) {
    const h = rng.int(hosts.length);
    t.origin[i] = h;
    t.src[i] = hosts[h]!.ip;
    t.dst[i] = rng.int(10) === 0 ? rng.nextU32() : hosts[rng.int(hosts.length)]!.ip;
    t.len[i] = 64 + rng.int(1337);
  }
  return t;
}

/** Only the packets of `t` whose origin host satisfies `keep` (e.g. hosts in VNets). */
export function filterTraffic(t: Traffic, keep: (origin: number) => boolean): Traffic {
  const idx: number[] = [];
  for (let i = 0; i < t.origin.length; i++) if (keep(t.origin[i]!)) idx.push(i);
  const pick = <A extends Uint32Array | Int32Array | Uint16Array>(a: A, out: A): A => {
    idx.forEach((i, k) => (out[k] = a[i]!));
    return out;
  };
  return {
    src: pick(t.src, new Uint32Array(idx.length)),
    dst: pick(t.dst, new Uint32Array(idx.length)),
    origin: pick(t.origin, new Int32Array(idx.length)),
    len: pick(t.len, new Uint16Array(idx.length)),
  };
}

/**
 * Refill `b` with packets `from .. from+count` of `t` (count clamped to the capacity and
 * the traffic), in clear at their origin, untraced, 1 ms apart from `time0` seconds (slow
 * enough that SKU token buckets never run dry, so every packet takes its full path).
 * Returns how many packets were loaded.
 */
export function loadBatch(b: PacketBatch, t: Traffic, from: number, count: number, time0: number): number {
  const n = Math.max(0, Math.min(count, b.capacity, t.src.length - from));
  for (let k = 0; k < n; k++) {
    const i = from + k;
    b.src[k] = t.src[i]!;
    b.dst[k] = t.dst[i]!;
    b.proto[k] = 17;
    b.sport[k] = 49152;
    b.dport[k] = 4500;
    b.len[k] = t.len[i]!;
    b.wireLen[k] = t.len[i]!;
    b.ttl[k] = 64;
    b.flags[k] = 0;
    b.time[k] = time0 + k * 0.001;
    b.flow[k] = 0;
    b.seq[k] = i + 1;
    b.at[k] = t.origin[i]!;
    b.sa[k] = -1;
    b.espSeq[k] = 0;
    b.fromTunnel[k] = 0;
    b.outcome[k] = Outcome.IN_FLIGHT;
    b.reason[k] = 0;
    b.hops[k] = 0;
    b.trace[k] = 0;
  }
  b.via.fill(-1, 0, n * MAX_VIA);
  b.n = n;
  return n;
}
