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
