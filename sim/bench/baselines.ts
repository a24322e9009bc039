/**
 * Baselines the fast structures are measured against, in the same process and run:
 * linear scans (the reference implementations) and an ip-num based lookup, the library
 * people reach for (objects per address and per prefix, BigInt arithmetic inside).
 *
 * Owns nothing but these slow paths; they are obviously right and never used by the
 * simulator itself.
 */
import { IPv4, IPv4CidrRange } from 'ip-num';
import { makePrefix, maskOf } from '../net/ipv4.js';
import type { LpmRoute } from '../net/lpm.js';
import { referenceLookup } from '../net/lpm-reference.js';
import type { Selector } from '../net/classifier.js';
import { referenceClassify } from '../net/classifier-reference.js';

/** Longest-prefix match with ip-num objects: a linear scan of IPv4CidrRange.contains. */
export class IpNumLpm {
  private readonly ranges: IPv4CidrRange[];
  private readonly lens: Int32Array;

  constructor(routes: readonly LpmRoute[]) {
    this.ranges = routes.map((r) => IPv4CidrRange.fromCidr(makePrefix(r.addr, r.len).text));
    this.lens = Int32Array.from(routes.map((r) => r.len));
  }

  lookup(addr: number): number {
    const a = new IPv4(BigInt(addr >>> 0));
    let best = -1;
    let bestLen = -1;
    for (let i = 0; i < this.ranges.length; i++) {
      if (this.lens[i]! > bestLen && this.ranges[i]!.contains(a)) {
        best = i;
        bestLen = this.lens[i]!;
      }
    }
    return best;
  }
}

/**
 * Linear-scan LPM over typed arrays (network, mask, length): the fair baseline, same
 * answers as referenceLookup.
 */
export class LinearLpm {
  private readonly nets: Uint32Array;
  private readonly masks: Uint32Array;
  private readonly lens: Int32Array;

  constructor(routes: readonly LpmRoute[]) {
    this.nets = Uint32Array.from(routes.map((r) => (r.addr & maskOf(r.len)) >>> 0));
    this.masks = Uint32Array.from(routes.map((r) => maskOf(r.len)));
    this.lens = Int32Array.from(routes.map((r) => r.len));
  }

  lookup(addr: number): number {
    const a = addr >>> 0;
    const nets = this.nets;
    const masks = this.masks;
    const lens = this.lens;
    let best = -1;
    let bestLen = -1;
    for (let i = 0; i < nets.length; i++) {
      if (lens[i]! > bestLen && ((a ^ nets[i]!) & masks[i]!) === 0) {
        best = i;
        bestLen = lens[i]!;
      }
    }
    return best;
  }
}

/** Whether `got[i]` equals referenceClassify on the first `n` pairs (checks fast paths in the bench). */
export function classifyAgrees(sels: readonly Selector[], src: Uint32Array, dst: Uint32Array, got: Int32Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (got[i] !== referenceClassify(sels, src[i]!, dst[i]!)) return false;
  return true;
}

/** Whether `got[i]` equals referenceLookup on the first `n` addresses. */
export function lookupAgrees(routes: readonly LpmRoute[], addrs: Uint32Array, got: Int32Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (got[i] !== referenceLookup(routes, addrs[i]!)) return false;
  return true;
}
