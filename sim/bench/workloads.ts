/**
 * Deterministic benchmark workloads: route tables, selector lists and probe addresses made
 * from a seed, so every run (and any other implementation) can rebuild the same inputs.
 *
 * Owns only data generation; no timing happens in sim/ (the runner in cli/bench/ owns the
 * clock). Rejects nothing: sizes are clamped to >= 0.
 */
import { Prng } from '../util/prng.js';
import { maskOf } from '../net/ipv4.js';
import type { LpmRoute } from '../net/lpm.js';
import type { Selector } from '../net/classifier.js';

/**
 * Share of each prefix length in a BGP-like table (roughly the public IPv4 table: /24 about
 * 60%, then /22, /23, /20 ...; a few more-specifics beyond /24 as in internal tables).
 */
const BGP_LENGTHS: readonly (readonly [number, number])[] = [
  [8, 1], [12, 2], [14, 4], [15, 6], [16, 60], [17, 30], [18, 50], [19, 90], [20, 150], [21, 150],
  [22, 350], [23, 350], [24, 2700], [25, 6], [26, 6], [27, 4], [28, 3], [29, 3], [30, 2], [32, 2],
];
const BGP_TOTAL = BGP_LENGTHS.reduce((s, [, w]) => s + w, 0);

function bgpLength(rng: Prng): number {
  let r = rng.int(BGP_TOTAL);
  for (const [len, w] of BGP_LENGTHS) {
    if (r < w) return len;
    r -= w;
  }
  return 24;
}

/** `n` BGP-like routes (random addresses, BGP length mix, duplicates possible), plus a default route first. */
export function bgpRoutes(seed: number, n: number): LpmRoute[] {
  const rng = new Prng(seed, 'bench/bgp');
  const out: LpmRoute[] = [];
  if (n > 0) out.push({ addr: 0, len: 0 });
  while (out.length < n) {
    const len = bgpLength(rng);
    out.push({ addr: (rng.nextU32() & maskOf(len)) >>> 0, len });
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

/**
 * `n` random prefix-pair selectors: each side a random prefix of length 8-32 (uniform), a
 * few wide ones (/0-/7) for nesting and overlap, and about 1 in 50 a duplicate of an
 * earlier one. First match wins, so order matters.
 */
export function randomSelectors(seed: number, n: number): Selector[] {
  const rng = new Prng(seed, 'bench/sel');
  const out: Selector[] = [];
  const side = (): [number, number] => {
    const len = rng.int(20) === 0 ? rng.range(0, 7) : rng.range(8, 32);
    return [(rng.nextU32() & maskOf(len)) >>> 0, len];
  };
  for (let i = 0; i < n; i++) {
    if (out.length > 0 && rng.int(50) === 0) {
      out.push(rng.pick(out));
      continue;
    }
    const [sa, sl] = side();
    const [da, dl] = side();
    out.push({ srcAddr: sa, srcLen: sl, dstAddr: da, dstLen: dl });
  }
  return out;
}

/**
 * Probe pairs for selectors: half land inside a random selector's rectangle (so they match
 * something), half are uniform.
 */
export function selectorProbes(seed: number, sels: readonly Selector[], n: number): { src: Uint32Array; dst: Uint32Array } {
  const rng = new Prng(seed, 'bench/probe');
  const m = Math.max(0, n);
  const src = new Uint32Array(m);
  const dst = new Uint32Array(m);
  for (let i = 0; i < m; i++) {
    if (sels.length > 0 && (i & 1) === 0) {
      const s = rng.pick(sels);
      src[i] = (s.srcAddr | (rng.nextU32() & ~maskOf(s.srcLen))) >>> 0;
      dst[i] = (s.dstAddr | (rng.nextU32() & ~maskOf(s.dstLen))) >>> 0;
    } else {
      src[i] = rng.nextU32();
      dst[i] = rng.nextU32();
    }
  }
  return { src, dst };
}
