/**
 * Random prefix tables and probe addresses for the net conformance suites: nested,
 * duplicate and overlapping prefixes, /0 and /32 edges, probes uniform and at prefix edges.
 */
import { Prng } from '../../sim/util/prng.js';

/** A prefix as the generators make it (addr already masked). */
export interface GenPrefix {
  readonly addr: number;
  readonly len: number;
}

function mask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** Random prefixes where many are nested in, equal to, or adjacent to earlier ones. */
export function randomPrefixes(rng: Prng, n: number): GenPrefix[] {
  const out: GenPrefix[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.int(100);
    if (out.length > 0 && r < 10) {
      out.push(rng.pick(out)); // duplicate
    } else if (out.length > 0 && r < 45) {
      const p = rng.pick(out); // nested (or equal when len is 32)
      const len = Math.min(32, p.len + rng.range(0, 12));
      out.push({ addr: ((p.addr | (rng.nextU32() & ~mask(p.len))) & mask(len)) >>> 0, len });
    } else if (out.length > 0 && r < 55) {
      const p = rng.pick(out); // wider, containing an earlier one
      const len = Math.max(0, p.len - rng.range(1, 8));
      out.push({ addr: (p.addr & mask(len)) >>> 0, len });
    } else if (r < 58) {
      out.push({ addr: 0, len: rng.pick([0, 1, 32]) });
    } else {
      const len = rng.pick([0, 1, 8, 16, 24, 32, rng.range(0, 32), rng.range(8, 32), rng.range(16, 28)]);
      out.push({ addr: (rng.nextU32() & mask(len)) >>> 0, len });
    }
  }
  return out;
}

/** A probe: uniform, inside a prefix, or at/just beyond its first or last address. */
export function probe(rng: Prng, prefixes: readonly GenPrefix[]): number {
  const r = rng.int(6);
  if (prefixes.length === 0 || r === 0) return rng.pick([rng.nextU32(), 0, 0xffffffff]);
  const p = rng.pick(prefixes);
  const first = p.addr;
  const last = (p.addr | ~mask(p.len)) >>> 0;
  switch (r) {
    case 1:
      return first;
    case 2:
      return last;
    case 3:
      return (first - 1) >>> 0;
    case 4:
      return (last + 1) >>> 0;
    default:
      return (first | (rng.nextU32() & ~mask(p.len))) >>> 0;
  }
}
