/**
 * The obviously-right longest-prefix match: a linear scan over the route list.
 *
 * Owns: the meaning of "the winning route" that the compiled LpmTable (lpm.ts) must match:
 * the longest length wins; among routes of equal length (which, when both match one
 * address, are the same prefix) the lowest index wins, so list order expresses preference.
 * Also lists every matching route best-first, for traces that show the routes a winner beat.
 *
 * Rejects nothing: a route whose length is outside 0-32 simply never matches here (the
 * compiled table refuses such routes at compile time instead). Host bits in a route's
 * address are ignored. Not for hot loops: O(routes) per address.
 */
import type { LpmRoute } from './lpm.js';

function matches(r: LpmRoute, a: number): boolean {
  const len = r.len;
  if (!Number.isInteger(len) || len < 0 || len > 32) return false;
  if (len === 0) return true;
  const mask = (0xffffffff << (32 - len)) >>> 0;
  return ((a ^ r.addr) & mask) === 0;
}

/** Index of the route with the longest length containing `addr` (lowest index on ties), or -1. */
export function referenceLookup(routes: readonly LpmRoute[], addr: number): number {
  const a = addr >>> 0;
  let best = -1;
  let bestLen = -1;
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i]!;
    if (r.len > bestLen && matches(r, a)) {
      best = i;
      bestLen = r.len;
    }
  }
  return best;
}

/** Indices of all routes containing `addr`, best first (longest length, then lowest index). */
export function referenceMatches(routes: readonly LpmRoute[], addr: number): number[] {
  const a = addr >>> 0;
  const out: number[] = [];
  for (let i = 0; i < routes.length; i++) if (matches(routes[i]!, a)) out.push(i);
  out.sort((x, y) => routes[y]!.len - routes[x]!.len || x - y);
  return out;
}
