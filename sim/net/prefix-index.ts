/**
 * Which prefixes of a list overlap a given prefix, without comparing it with every one.
 *
 * Two prefixes overlap exactly when one contains the other, so the prefixes of a list
 * that overlap `p` are its ancestors (found by looking up the at most 33 prefixes that
 * contain `p`, one per length) and its descendants (a contiguous run of the list sorted
 * by address, found by binary search). A sparse table of range minima over that sorted
 * order gives the earliest list positions among the descendants. Built in O(n log n);
 * a query costs O(33 + log n), plus O(k log k) to list k of the overlapping prefixes.
 * Used by the scenario checks, whose lists come from untrusted files of up to 1 MiB.
 * Compile time only, never on a packet path.
 */
import { maskOf } from './ipv4.js';

/** A prefix as an address and a length (addresses uint32). */
export interface AddrLen {
  readonly addr: number;
  readonly len: number;
}

const keyOf = (addr: number, len: number): number => len * 0x1_0000_0000 + addr;

/** An index over one list of prefixes, answering in list positions (0-based). */
export class PrefixIndex {
  /** List positions of each exact prefix (ascending), by (len, addr). */
  private readonly exact = new Map<number, number[]>();
  /** The list sorted by address, then length, then position. */
  private readonly sAddr: Float64Array;
  private readonly sLen: Uint8Array;
  private readonly sPos: Int32Array;
  /** sparse[k][i]: the sorted slot of the smallest list position in slots [i, i + 2^k). */
  private readonly sparse: Int32Array[] = [];

  constructor(list: readonly AddrLen[]) {
    const n = list.length;
    list.forEach((p, i) => {
      const k = keyOf(p.addr >>> 0, p.len);
      const at = this.exact.get(k);
      if (at) at.push(i);
      else this.exact.set(k, [i]);
    });
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => {
      const pa = list[a] as AddrLen;
      const pb = list[b] as AddrLen;
      return (pa.addr >>> 0) - (pb.addr >>> 0) || pa.len - pb.len || a - b;
    });
    this.sAddr = new Float64Array(n);
    this.sLen = new Uint8Array(n);
    this.sPos = new Int32Array(n);
    order.forEach((i, slot) => {
      const p = list[i] as AddrLen;
      this.sAddr[slot] = p.addr >>> 0;
      this.sLen[slot] = p.len;
      this.sPos[slot] = i;
    });
    let level = Int32Array.from({ length: n }, (_, i) => i);
    this.sparse.push(level);
    for (let w = 1; 2 * w <= n; w *= 2) {
      const prev = level;
      const next = new Int32Array(n - 2 * w + 1);
      for (let i = 0; i < next.length; i++) {
        const a = prev[i] as number;
        const b = prev[i + w] as number;
        next[i] = (this.sPos[a] as number) <= (this.sPos[b] as number) ? a : b;
      }
      this.sparse.push(next);
      level = next;
    }
  }

  /** The sorted slot holding the smallest list position among slots [lo, hi) (lo < hi). */
  private minSlot(lo: number, hi: number): number {
    const k = 31 - Math.clz32(hi - lo);
    const row = this.sparse[k] as Int32Array;
    const a = row[lo] as number;
    const b = row[hi - (1 << k)] as number;
    return (this.sPos[a] as number) <= (this.sPos[b] as number) ? a : b;
  }

  /** First sorted slot whose address is at least `addr`. */
  private lowerBound(addr: number): number {
    let lo = 0;
    let hi = this.sAddr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.sAddr[mid] as number) < addr) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The slots [lo, hi) of the prefixes strictly inside `p`. */
  private descendants(p: AddrLen): [number, number] {
    const addr = (p.addr & maskOf(p.len)) >>> 0;
    const last = addr + 2 ** (32 - p.len) - 1;
    let lo = this.lowerBound(addr);
    const hi = this.lowerBound(last + 1);
    // Those at p's own address and no longer than p contain it: they are ancestors (or p).
    while (lo < hi && this.sAddr[lo] === addr && (this.sLen[lo] as number) <= p.len) lo++;
    return [lo, hi];
  }

  /** The position lists of the prefixes that contain `p` (p itself included). */
  private ancestors(p: AddrLen): number[][] {
    const out: number[][] = [];
    for (let l = 0; l <= p.len; l++) {
      const at = this.exact.get(keyOf((p.addr & maskOf(l)) >>> 0, l));
      if (at) out.push(at);
    }
    return out;
  }

  /** Is `p` inside some prefix of the list (equal to it included)? */
  covered(p: AddrLen): boolean {
    for (let l = 0; l <= p.len; l++) if (this.exact.has(keyOf((p.addr & maskOf(l)) >>> 0, l))) return true;
    return false;
  }

  /** How many prefixes of the list overlap `p`. */
  count(p: AddrLen): number {
    let n = 0;
    for (const a of this.ancestors(p)) n += a.length;
    const [lo, hi] = this.descendants(p);
    return n + hi - lo;
  }

  /** The smallest list position of a prefix that overlaps `p`, or -1. */
  first(p: AddrLen): number {
    let best = -1;
    for (const a of this.ancestors(p)) if (best < 0 || (a[0] as number) < best) best = a[0] as number;
    const [lo, hi] = this.descendants(p);
    if (lo < hi) {
      const d = this.sPos[this.minSlot(lo, hi)] as number;
      if (best < 0 || d < best) best = d;
    }
    return best;
  }

  /** The `max` smallest list positions of the prefixes that overlap `p`, ascending. */
  list(p: AddrLen, max: number): number[] {
    if (max <= 0) return [];
    const found: number[] = [];
    for (const a of this.ancestors(p)) for (let i = 0; i < a.length && i < max; i++) found.push(a[i] as number);
    // The descendants' smallest positions: repeatedly take a range's minimum and split the range.
    const [lo, hi] = this.descendants(p);
    const ranges: [number, number][] = lo < hi ? [[lo, hi]] : [];
    for (let taken = 0; taken < max && ranges.length > 0; taken++) {
      let bi = 0;
      let bestSlot = this.minSlot(...(ranges[0] as [number, number]));
      for (let r = 1; r < ranges.length; r++) {
        const s = this.minSlot(...(ranges[r] as [number, number]));
        if ((this.sPos[s] as number) < (this.sPos[bestSlot] as number)) {
          bestSlot = s;
          bi = r;
        }
      }
      found.push(this.sPos[bestSlot] as number);
      const [a, b] = ranges[bi] as [number, number];
      ranges.splice(bi, 1);
      if (a < bestSlot) ranges.push([a, bestSlot]);
      if (bestSlot + 1 < b) ranges.push([bestSlot + 1, b]);
    }
    return found.sort((x, y) => x - y).slice(0, max);
  }
}
