/**
 * PrefixIndex against the plain answer (compare with every prefix of the list) on random
 * lists with nesting, duplicates and the extremes /0 and /32.
 */
import { describe, expect, it } from 'vitest';
import { covers, maskOf, overlaps } from '../../sim/net/ipv4.js';
import { PrefixIndex } from '../../sim/net/prefix-index.js';
import type { Prefix } from '../../sim/net/ipv4.js';
import { Prng } from '../../sim/util/prng.js';

function prefix(addr: number, len: number): Prefix {
  const a = (addr & maskOf(len)) >>> 0;
  return { addr: a, len, text: `${a}/${len}` };
}

/** Prefixes in a few clusters, so that many of them nest and some repeat. */
function randomList(r: Prng, n: number): Prefix[] {
  const bases = [0x0a000000, 0xc0a80000, 0xac100000, 0];
  const out: Prefix[] = [];
  for (let i = 0; i < n; i++) {
    if (out.length > 0 && r.int(8) === 0) out.push(r.pick(out));
    else out.push(prefix((r.pick(bases) + r.int(1 << 20) * 4096 + r.int(4096)) >>> 0, r.int(12) === 0 ? r.int(33) : 8 + r.int(25)));
  }
  return out;
}

describe('PrefixIndex', () => {
  it('answers count, first, list and covered exactly as a scan of the list', () => {
    const r = new Prng(11, 'prefix-index');
    for (let round = 0; round < 60; round++) {
      const list = randomList(r, r.int(200));
      const ix = new PrefixIndex(list);
      for (let q = 0; q < 60; q++) {
        const p = r.int(3) === 0 && list.length > 0 ? r.pick(list) : randomList(r, 1)[0]!;
        const hits = list.map((x, i) => (overlaps(x, p) ? i : -1)).filter((i) => i >= 0);
        expect(ix.count(p)).toBe(hits.length);
        expect(ix.first(p)).toBe(hits.length > 0 ? hits[0] : -1);
        for (const max of [0, 1, 3, 8, 1000]) expect(ix.list(p, max)).toEqual(hits.slice(0, max));
        expect(ix.covered(p)).toBe(list.some((x) => covers(x, p)));
      }
    }
  });

  it('handles the empty list, /0 and /32', () => {
    const empty = new PrefixIndex([]);
    expect([empty.count(prefix(0, 0)), empty.first(prefix(0, 0)), empty.list(prefix(0, 0), 8), empty.covered(prefix(0, 0))]).toEqual([0, -1, [], false]);
    const list = [prefix(0xffffffff, 32), prefix(0, 0), prefix(0, 32)];
    const ix = new PrefixIndex(list);
    expect(ix.list(prefix(0, 0), 8)).toEqual([0, 1, 2]);
    expect(ix.list(prefix(0xffffffff, 32), 8)).toEqual([0, 1]);
    expect(ix.first(prefix(0x80000000, 1))).toBe(0);
  });
});
