/**
 * Deterministic benchmark workloads: selector lists and probe pairs made from a seed, so
 * every run (and any other implementation) can rebuild the same inputs. Route tables and
 * their destinations: lpm-workloads.ts.
 *
 * Owns only data generation; no timing happens in sim/ (the runner in cli/bench/ owns the
 * clock). Rejects nothing: sizes are clamped to >= 0.
 */
import { Prng } from '../util/prng.js';
import { maskOf } from '../net/ipv4.js';
import type { Selector } from '../net/classifier.js';

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

/** The selector workloads of the classify bench (every figure is reported per workload). */
export const SELECTOR_WORKLOADS = ['random', 'private-pools', 'acl-wide-ends', 'cross-product'] as const;
export type SelectorWorkload = (typeof SELECTOR_WORKLOADS)[number];

/** The RFC 1918 pools and how often a site-to-site prefix comes from each. */
const PRIVATE_POOLS: readonly (readonly [addr: number, len: number, weight: number])[] = [
  [0x0a000000, 8, 50], [0xac100000, 12, 25], [0xc0a80000, 16, 25],
];

/** Lengths of site-to-site prefixes: mostly /24, some /16-/23 address spaces, a few hosts and small subnets. */
const PRIVATE_LENGTHS: readonly (readonly [number, number])[] = [
  [16, 8], [17, 2], [18, 3], [19, 3], [20, 7], [21, 4], [22, 9], [23, 7], [24, 40],
  [25, 3], [26, 3], [27, 2], [28, 2], [29, 1], [30, 1], [32, 5],
];

function weighted(rng: Prng, table: readonly (readonly number[])[], weightAt: number): readonly number[] {
  let r = rng.int(table.reduce((s, x) => s + x[weightAt]!, 0));
  for (const x of table) {
    if (r < x[weightAt]!) return x;
    r -= x[weightAt]!;
  }
  return table[0]!;
}

/** A prefix inside one of the private pools, of a typical site-to-site length (at least the pool's). */
function privatePrefix(rng: Prng): [number, number] {
  const [pool, poolLen] = weighted(rng, PRIVATE_POOLS, 2) as [number, number];
  const len = Math.max(poolLen, weighted(rng, PRIVATE_LENGTHS, 1)[0]!);
  return [((pool | (rng.nextU32() & ~maskOf(poolLen))) & maskOf(len)) >>> 0, len];
}

function pair(s: readonly [number, number], d: readonly [number, number]): Selector {
  return { srcAddr: s[0], srcLen: s[1], dstAddr: d[0], dstLen: d[1] };
}

/** `n` site-to-site selectors: both sides from the private pools, typical lengths (/16-/32, mostly /24). */
export function privatePoolSelectors(seed: number, n: number): Selector[] {
  const rng = new Prng(seed, 'bench/sel-private');
  const out: Selector[] = [];
  for (let i = 0; i < n; i++) out.push(pair(privatePrefix(rng), privatePrefix(rng)));
  return out;
}

function acl(srcAddr: number, srcLen: number, dstAddr: number, dstLen: number): Selector {
  return { srcAddr, srcLen, dstAddr, dstLen };
}

/** Wide entries an access list starts with: bogon and anti-spoofing denies (0/8, 127/8 both ways, 169.254/16, 224/4, 240/4), `10.0.0.0/8 -> any`, 100.64/10. */
const ACL_TOP: readonly Selector[] = [
  acl(0x00000000, 8, 0, 0), acl(0x7f000000, 8, 0, 0), acl(0, 0, 0x7f000000, 8), acl(0xa9fe0000, 16, 0, 0),
  acl(0xe0000000, 4, 0, 0), acl(0, 0, 0xf0000000, 4), acl(0x0a000000, 8, 0, 0), acl(0x64400000, 10, 0, 0),
];

/** Wide entries an access list ends with: 172.16/12 -> 10/8, 192.168/16 -> any, any -> 172.16/12, then the catch-all any -> any. */
const ACL_BOTTOM: readonly Selector[] = [
  acl(0xac100000, 12, 0x0a000000, 8), acl(0xc0a80000, 16, 0, 0), acl(0, 0, 0xac100000, 12), acl(0, 0, 0, 0),
];

/**
 * `n` access-list entries (at least the wide ones: `n` is raised to 12 when smaller): wide
 * entries first (bogons, `10.0.0.0/8 -> any`), specific private-pool pairs between, wide
 * entries and a catch-all `any -> any` last. Specifics whose source is in 10/8 are shadowed
 * by the top entries, as in real lists.
 */
export function aclSelectors(seed: number, n: number): Selector[] {
  if (n <= 0) return [];
  const rng = new Prng(seed, 'bench/sel-acl');
  const out: Selector[] = [...ACL_TOP];
  const middle = Math.max(0, n - ACL_TOP.length - ACL_BOTTOM.length);
  for (let i = 0; i < middle; i++) out.push(pair(privatePrefix(rng), privatePrefix(rng)));
  out.push(...ACL_BOTTOM);
  return out;
}

/**
 * `n` policy-based selectors (the last connection cut to make `n`): the gateway's VNet
 * prefixes (4, in 10/8) x each connection's site prefixes (1-4, private or public), both
 * directions (VNet -> site, then site -> VNet), connection after connection.
 */
export function crossProductSelectors(seed: number, n: number): Selector[] {
  const rng = new Prng(seed, 'bench/sel-cross');
  const vnet: [number, number][] = [[0x0a010000, 16], [0x0a020000, 16], [0x0a030000, 24], [0x0a030100, 24]];
  const out: Selector[] = [];
  while (out.length < n) {
    const sites: [number, number][] = [];
    const k = rng.range(1, 4);
    for (let j = 0; j < k; j++) {
      if (rng.int(4) === 0) {
        const len = rng.range(20, 29);
        sites.push([(rng.nextU32() & maskOf(len)) >>> 0, len]);
      } else sites.push(privatePrefix(rng));
    }
    for (const v of vnet) for (const s of sites) out.push(pair(v, s));
    for (const s of sites) for (const v of vnet) out.push(pair(s, v));
  }
  return out.slice(0, Math.max(0, n));
}

/** The `n` selectors of a workload. */
export function workloadSelectors(workload: SelectorWorkload, seed: number, n: number): Selector[] {
  switch (workload) {
    case 'random': return randomSelectors(seed, n);
    case 'private-pools': return privatePoolSelectors(seed, n);
    case 'acl-wide-ends': return aclSelectors(seed, n);
    case 'cross-product': return crossProductSelectors(seed, n);
  }
}

/** Share of probes inside some selector by default: a gateway's traffic mostly matches its selectors. */
export const PROBES_INSIDE = 0.9;

/**
 * Probe pairs for selectors: a share `inside` (0-1, default PROBES_INSIDE) land inside a
 * random selector's rectangle (so they match something), the rest are uniform.
 */
export function selectorProbes(seed: number, sels: readonly Selector[], n: number, inside = PROBES_INSIDE): { src: Uint32Array; dst: Uint32Array } {
  const rng = new Prng(seed, 'bench/probe');
  const m = Math.max(0, n);
  const src = new Uint32Array(m);
  const dst = new Uint32Array(m);
  const cut = Math.round(Math.min(1, Math.max(0, inside)) * 1024);
  for (let i = 0; i < m; i++) {
    if (sels.length > 0 && rng.int(1024) < cut) {
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
