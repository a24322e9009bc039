/**
 * The obviously-right traffic-selector classifier: first match over the list.
 *
 * Owns: the meaning of "which selector takes this packet" that the compiled
 * SelectorClassifier (classifier.ts) must match: the FIRST selector (lowest index) whose
 * source prefix contains the source address and whose destination prefix contains the
 * destination address, or -1.
 *
 * Rejects nothing: a selector with a length outside 0-32 never matches here (the compiled
 * classifier refuses it at compile time). Host bits in selector addresses are ignored.
 * Not for hot loops: O(selectors) per packet.
 */
import type { Selector } from './classifier.js';

function inPrefix(addr: number, len: number, a: number): boolean {
  if (!Number.isInteger(len) || len < 0 || len > 32) return false;
  if (len === 0) return true;
  return ((a ^ addr) & ((0xffffffff << (32 - len)) >>> 0)) === 0;
}

/** Index of the first selector containing (src, dst), or -1. */
export function referenceClassify(sels: readonly Selector[], src: number, dst: number): number {
  const s = src >>> 0;
  const d = dst >>> 0;
  for (let i = 0; i < sels.length; i++) {
    const x = sels[i]!;
    if (inPrefix(x.srcAddr, x.srcLen, s) && inPrefix(x.dstAddr, x.dstLen, d)) return i;
  }
  return -1;
}
