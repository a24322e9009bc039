/**
 * Route-lookup workloads of `vgw bench lpm`: a BGP-like table shaped like the public IPv4
 * table, and the destinations a gateway's traffic goes to. Deterministic from a seed, so
 * every run (and any other implementation) can rebuild the same inputs.
 *
 * Owns only data generation; no timing happens in sim/ (cli/bench/ owns the clock).
 * Rejects nothing: sizes are clamped to >= 0, shares to 0-1.
 */
import { Prng } from '../util/prng.js';
import { maskOf } from '../net/ipv4.js';
import type { LpmRoute } from '../net/lpm.js';

/**
 * Share of each prefix length among the more-specifics announced inside an allocation,
 * roughly the public IPv4 table as RouteViews sees it: /24 about 60%, then /22, /23, /21,
 * /20, /19, /16 ...; a few longer than /24, as in internal tables.
 */
const BGP_LENGTHS: readonly (readonly [number, number])[] = [
  [16, 40], [17, 30], [18, 50], [19, 90], [20, 150], [21, 180], [22, 400], [23, 380], [24, 2700],
  [25, 5], [26, 5], [27, 4], [28, 3], [29, 3], [30, 2], [32, 2],
];

/** Lengths of the allocations (the blocks registries hand out) the more-specifics cluster in. */
const ALLOCATION_LENGTHS: readonly (readonly [number, number])[] = [
  [10, 1], [11, 1], [12, 2], [13, 3], [14, 5], [15, 6], [16, 14], [17, 8], [18, 8], [19, 10], [20, 10], [21, 8], [22, 8],
];

function weighted(rng: Prng, table: readonly (readonly [number, number])[], min = 0): number {
  let total = 0;
  for (const [len, w] of table) if (len > min) total += w;
  if (total === 0) return 32;
  let r = rng.int(total);
  for (const [len, w] of table) {
    if (len <= min) continue;
    if (r < w) return len;
    r -= w;
  }
  return 32;
}

/** The /8s announced space lives in: unicast, not 0, 10, 127 (private, loopback) or 224 and up. */
function unicastSlash8s(): number[] {
  const out: number[] = [];
  for (let a = 1; a < 224; a++) if (a !== 10 && a !== 127) out.push(a);
  return out;
}

/**
 * Draws from `items` by Zipf rank (exponent 1) over a seeded order of them: the item at
 * rank k with weight 1/(k+1). Reorders `items` in place.
 */
function zipfPicker<T>(rng: Prng, items: T[]): () => T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  const cdf = new Float64Array(items.length);
  let acc = 0;
  for (let k = 0; k < items.length; k++) cdf[k] = acc += 1 / (k + 1);
  return () => {
    const x = rng.next() * acc;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}

/**
 * `n` BGP-like routes clustered like a RouteViews table, without a default route:
 * allocations (/10-/22) inside a skewed set of /8s (a few /8s hold most of them); about a
 * third of the allocations announced as an aggregate with more-specifics nested inside;
 * each allocation's more-specifics in runs of adjacent prefixes with the length mix above
 * (dominated by /24); duplicates possible, as in a real table from several peers.
 */
export function bgpRoutes(seed: number, n: number): LpmRoute[] {
  const rng = new Prng(seed, 'bench/bgp-clustered');
  const slash8s = unicastSlash8s();
  const pickSlash8 = zipfPicker(rng, slash8s);
  const out: LpmRoute[] = [];
  const target = Math.max(0, n);
  while (out.length < target) {
    const alen = weighted(rng, ALLOCATION_LENGTHS);
    const base = ((pickSlash8() << 24) | (rng.nextU32() & ~maskOf(8) & maskOf(alen))) >>> 0;
    const end = base + 2 ** (32 - alen);
    if (rng.int(3) === 0) out.push({ addr: base, len: alen });
    // A run of adjacent more-specifics from a random point of the allocation, with gaps.
    let cursor = base + rng.int(2 ** (32 - alen));
    const runs = 1 + Math.floor(-Math.log(1 - rng.next()) * 8);
    for (let k = 0; k < runs && out.length < target; k++) {
      const len = weighted(rng, BGP_LENGTHS, alen);
      const size = 2 ** (32 - len);
      cursor = Math.ceil(cursor / size) * size;
      if (cursor + size > end) break;
      out.push({ addr: cursor >>> 0, len });
      // Now and then a longer prefix inside the one just announced (traffic engineering).
      if (len < 24 && rng.int(8) === 0 && out.length < target) {
        const inner = rng.range(len + 1, 24);
        out.push({ addr: (cursor + (rng.nextU32() & (size - 1) & maskOf(inner))) >>> 0, len: inner });
      }
      cursor += size;
      if (rng.int(4) === 0) cursor += size * rng.range(1, 4);
    }
  }
  return out;
}

/** `n` uniformly random uint32 addresses. */
export function randomAddresses(seed: number, n: number): Uint32Array {
  const rng = new Prng(seed, 'bench/addr');
  const out = new Uint32Array(Math.max(0, n));
  for (let i = 0; i < out.length; i++) out[i] = rng.nextU32();
  return out;
}

/** A uniformly random address inside `r`. */
function inside(rng: Prng, r: LpmRoute): number {
  return ((r.addr & maskOf(r.len)) | (rng.nextU32() & ~maskOf(r.len))) >>> 0;
}

/**
 * `n` destinations of which a share `insideShare` (0-1) lies inside the table's prefixes
 * (a route picked uniformly, then an address in it; the default route /0 is never picked,
 * it would make every address "inside"); the rest uniform over the address space.
 */
export function insideAddresses(seed: number, routes: readonly LpmRoute[], n: number, insideShare: number): Uint32Array {
  const rng = new Prng(seed, 'bench/addr-inside');
  const specific = routes.filter((r) => r.len > 0);
  const share = Math.min(1, Math.max(0, insideShare));
  const out = new Uint32Array(Math.max(0, n));
  for (let i = 0; i < out.length; i++) out[i] = specific.length > 0 && rng.next() < share ? inside(rng, rng.pick(specific)) : rng.nextU32();
  return out;
}

/**
 * `n` Zipf-skewed destinations (exponent 1): the routes in a seeded order, the one at rank
 * k drawn with weight 1/(k+1), then an address in it; a few hot prefixes take most of the
 * traffic, as at a gateway. Uniform when the table has no route but the default.
 */
export function zipfAddresses(seed: number, routes: readonly LpmRoute[], n: number): Uint32Array {
  const rng = new Prng(seed, 'bench/addr-zipf');
  const specific = routes.filter((r) => r.len > 0);
  const out = new Uint32Array(Math.max(0, n));
  if (specific.length === 0) {
    for (let i = 0; i < out.length; i++) out[i] = rng.nextU32();
    return out;
  }
  const pick = zipfPicker(rng, specific);
  for (let i = 0; i < out.length; i++) out[i] = inside(rng, pick());
  return out;
}
