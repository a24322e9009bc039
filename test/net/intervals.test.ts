/**
 * The interval toolkit the LPM strategies and the classifiers are built from
 * (sim/net/intervals.ts), checked directly: prefixes swept into merged intervals answer
 * what the reference LPM answers, `findInterval` agrees with a plain scan of the starts,
 * and the cut-block counts that choose an LPM strategy agree with counting by hand.
 */
import { describe, expect, it } from 'vitest';
import { buildIntervalTable, findInterval, networkOf, sortUniquePrefixes, sweepPrefixes } from '../../sim/net/intervals.js';
import type { IntervalTable } from '../../sim/net/intervals.js';
import { cutBlocks } from '../../sim/net/lpm-dir-16-8.js';
import { cutBlocks24 } from '../../sim/net/lpm-dir-24-8.js';
import { referenceLookup } from '../../sim/net/lpm-reference.js';
import type { LpmRoute } from '../../sim/net/lpm.js';
import { Prng } from '../../sim/util/prng.js';
import { probe, randomPrefixes } from './gen.js';

/** The interval table of `routes` whose values are route indices, as LpmTable builds it. */
function table(routes: readonly LpmRoute[]): IntervalTable {
  const addrs = Uint32Array.from(routes.map((r) => networkOf(r.addr, r.len)));
  const lens = Uint8Array.from(routes.map((r) => r.len));
  const order = sortUniquePrefixes(addrs, lens);
  const starts: number[] = [];
  const vals: number[] = [];
  sweepPrefixes(order.length, (k) => addrs[order[k]!]!, (k) => lens[order[k]!]!, (start, top) => {
    const v = top < 0 ? -1 : order[top]!;
    if (vals.length > 0 && vals[vals.length - 1] === v) return;
    starts.push(start);
    vals.push(v);
  });
  return buildIntervalTable(starts, vals, starts.length);
}

describe('intervals', () => {
  it('sweeps random prefix lists into merged intervals that answer like the reference', () => {
    for (const size of [0, 1, 5, 50, 500]) {
      for (const seed of [1, 2, 3]) {
        const rng = new Prng(seed, `intervals-${size}`);
        const routes = randomPrefixes(rng, size);
        const t = table(routes);
        expect(t.starts[0]).toBe(0);
        for (let i = 1; i < t.starts.length; i++) {
          expect(t.starts[i]!).toBeGreaterThan(t.starts[i - 1]!);
          expect(t.values[i]).not.toBe(t.values[i - 1]);
        }
        for (let i = 0; i < 300; i++) {
          const a = i % 3 === 0 ? rng.nextU32() : probe(rng, routes);
          let scan = 0;
          while (scan + 1 < t.starts.length && t.starts[scan + 1]! <= a) scan++;
          const at = findInterval(t, a);
          if (at !== scan || t.values[at] !== referenceLookup(routes, a)) {
            expect({ size, seed, a, at, value: t.values[at] }).toEqual({ size, seed, a, at: scan, value: referenceLookup(routes, a) });
          }
        }
      }
    }
  });

  it('counts the /16 and /24 blocks cut by an interval start as counting by hand does', () => {
    const rng = new Prng(4, 'cut-blocks');
    for (const size of [0, 3, 40, 400]) {
      const t = table(randomPrefixes(rng, size));
      const cut16 = new Set<number>();
      const cut24 = new Set<number>();
      for (const s of t.starts) {
        if ((s & 0xffff) !== 0) cut16.add(s >>> 16);
        if ((s & 0xff) !== 0) cut24.add(s >>> 8);
      }
      expect([size, cutBlocks(t), cutBlocks24(t)]).toEqual([size, cut16.size, cut24.size]);
    }
  });
});
