/**
 * The split classifier's layout helpers against plain references on every bench workload:
 * which selectors lie inside an earlier one (never the first match).
 */
import { describe, expect, it } from 'vitest';
import { selectorColumns } from '../../sim/net/classifier.js';
import type { Selector } from '../../sim/net/classifier.js';
import { shadowed } from '../../sim/net/split-blocks.js';
import { SELECTOR_WORKLOADS, workloadSelectors } from '../../sim/bench/workloads.js';

const inside = (a: Selector, b: Selector): boolean => {
  const within = (net: number, len: number, outer: number, outerLen: number): boolean => outerLen <= len && (outerLen === 0 || ((net ^ outer) >>> (32 - outerLen)) === 0);
  return within(a.srcAddr, a.srcLen, b.srcAddr, b.srcLen) && within(a.dstAddr, a.dstLen, b.dstAddr, b.dstLen);
};

describe('shadowed', () => {
  it('marks exactly the selectors inside an earlier selector, on every workload', () => {
    for (const w of SELECTOR_WORKLOADS) {
      for (const [n, seed] of [[50, 1], [600, 2]] as const) {
        const sels = workloadSelectors(w, seed, n).map((x) => ({ ...x, srcAddr: (x.srcAddr & (x.srcLen === 0 ? 0 : 0xffffffff << (32 - x.srcLen))) >>> 0, dstAddr: (x.dstAddr & (x.dstLen === 0 ? 0 : 0xffffffff << (32 - x.dstLen))) >>> 0 }));
        const { sa, sl, da, dl } = selectorColumns(sels);
        const got = shadowed(sa, sl, da, dl);
        const want = Uint8Array.from(sels, (x, j) => (sels.slice(0, j).some((y) => inside(x, y)) ? 1 : 0));
        expect([w, n, got]).toEqual([w, n, want]);
      }
    }
  });

  it('repeats and nested pairs are shadowed; a wider pair after a narrower one is not', () => {
    const s = (src: number, sl: number, dst: number, dl: number): Selector => ({ srcAddr: src, srcLen: sl, dstAddr: dst, dstLen: dl });
    const sels = [s(0x0a000000, 16, 0xc0a80000, 16), s(0x0a000000, 16, 0xc0a80000, 16), s(0x0a000100, 24, 0xc0a80100, 24), s(0x0a000000, 8, 0xc0a80000, 16), s(0x0a000000, 16, 0, 0)];
    const { sa, sl, da, dl } = selectorColumns(sels);
    expect([...shadowed(sa, sl, da, dl)]).toEqual([0, 1, 1, 0, 0]);
  });
});
