/**
 * How the 'split' classifier (classifier-split.ts) lays selectors out in address blocks:
 * which side keys a selector's bucket (how many selectors share its exact prefix, how
 * crowded its block is), and how a crowded top block is cut into sub-blocks on the bits
 * where its sides differ, with the two-level rows a lookup reads.
 *
 * Compile time only (allocates freely), except `subOf`, which the lookups inline by hand.
 */

/**
 * 'split': how one dimension's top blocks are cut into sub-blocks. Per top block one row
 * `firstSub << 9 | shift << 4 | k`: the block's 2^k sub-blocks are numbered from firstSub,
 * and an address's sub-block is `firstSub + ((addr >>> shift) & (2^k - 1))`, i.e. the k
 * bits after the prefix its long sides share (k = 0: one sub-block). A block whose sides
 * crowd a few addresses (the private pools: all of 192.168/16 in one block) is cut where
 * those sides differ, not where the address space does.
 */
export interface Refinement {
  readonly top: Int32Array;
  readonly subs: number;
  /** Top block of each sub-block. */
  readonly topOf: Int32Array;
}

/** 'split': most sub-blocks of a dimension (firstSub has 22 bits in a refinement row). */
export const MAX_SUBS = 1 << 22;

/** 'split': a top block of `count` keyed sides gets at most REFINE_MEMORY * count + REFINE_EXTRA sub-blocks and entries. */
const REFINE_MEMORY = 8;
const REFINE_EXTRA = 8;

/** 'split': sub-block bits of a top block at most (a row holds k in 4 bits). */
const MAX_SUB_BITS = 12;

/**
 * The sub-blocks of one dimension over the sides keyed by it (`side[i] === s`): per top
 * block with more than two, the cut (after the block or after the prefix its sides share)
 * and the k (0..MAX_SUB_BITS) whose sub-blocks give a lookup the fewest entries to read
 * (the mean of a lookup inside one of the sides and one anywhere in the block), within
 * about REFINE_MEMORY entries and sub-blocks per side.
 */
export function refine(net: Uint32Array, len: Uint8Array, side: Int8Array, s: number, bits: number, subLimit: number): Refinement {
  const shift = 32 - bits;
  const blocks = 2 ** bits;
  const long: number[][] = [];
  const short = new Int32Array(blocks);
  for (let b = 0; b < blocks; b++) long.push([]);
  for (let i = 0; i < net.length; i++) {
    if (side[i] !== s) continue;
    const l = len[i]!;
    const f = net[i]! >>> shift;
    if (l >= bits) long[f]!.push(i);
    else for (let b = f; b < f + 2 ** (bits - l); b++) short[b]!++;
  }
  const top = new Int32Array(blocks);
  const topOf: number[] = [];
  let subs = 0;
  for (let b = 0; b < blocks; b++) {
    const ls = long[b]!;
    const count = ls.length + short[b]!;
    let bestK = 0;
    let bestC = bits;
    if (count > 2 && ls.length > 0 && subLimit > 1) {
      let diff = 0;
      for (const i of ls) diff |= net[i]! ^ net[ls[0]!]!;
      // Cut right below the top block, or below the prefix the block's sides share.
      const lcp = Math.min(31, Math.clz32(diff));
      let bestCost = count;
      for (const c of lcp > bits ? [bits, lcp] : [bits]) {
        const kMax = Math.min(MAX_SUB_BITS, 32 - c, Math.ceil(Math.log2(2 * count)) + 3);
        for (let k = 1; k <= kMax; k++) {
          const load = new Int32Array(2 ** k).fill(short[b]!);
          let entries = short[b]! * 2 ** k;
          for (const i of ls) {
            const l = len[i]!;
            const first = l <= c ? 0 : (net[i]! >>> (32 - c - k)) & (2 ** k - 1);
            const span = l <= c ? 2 ** k : l >= c + k ? 1 : 2 ** (c + k - l);
            for (let x = first; x < first + span; x++) load[x]!++;
            entries += span;
          }
          if (entries + 2 ** k > REFINE_MEMORY * count + REFINE_EXTRA || subs + 2 ** k > subLimit) break;
          let sq = 0;
          for (let x = 0; x < load.length; x++) sq += load[x]! * load[x]!;
          // A probe inside one of the sides looks at sq / entries on average, one anywhere in the block at entries / 2^k.
          const cost = (sq / entries + entries / 2 ** k) / 2;
          if (cost < bestCost) {
            bestCost = cost;
            bestK = k;
            bestC = c;
          }
        }
      }
    }
    top[b] = (subs << 9) | ((bestK === 0 ? 0 : 32 - bestC - bestK) << 4) | bestK;
    for (let x = 0; x < 2 ** bestK; x++) topOf.push(b);
    subs += 2 ** bestK;
  }
  return { top, subs, topOf: Int32Array.from(topOf) };
}

/**
 * The lookup rows of one dimension from its per-sub-block rows (`head`: [2x] class, [2x+1]
 * bucket start, one more row at the end): a block with one sub-block keeps its row in the
 * top level, a cut block points at its rows in the second level.
 */
export function twoLevels(r: Refinement, head: Int32Array): [Int32Array, Int32Array] {
  const blocks = r.top.length;
  const top = new Int32Array(2 * (blocks + 1));
  let cut = 0;
  for (let b = 0; b < blocks; b++) if ((r.top[b]! & 15) !== 0) cut += 2 ** (r.top[b]! & 15) + 1;
  const sub = new Int32Array(2 * cut);
  let next = 0;
  for (let b = 0; b < blocks; b++) {
    const row = r.top[b]!;
    const k = row & 15;
    const first = row >>> 9;
    top[2 * b + 1] = head[2 * first + 1]!;
    if (k === 0) {
      top[2 * b] = head[2 * first]!;
      continue;
    }
    top[2 * b] = ~((next << 9) | (row & 511));
    for (let j = 0; j <= 2 ** k; j++) {
      sub[2 * (next + j)] = head[2 * first]!;
      sub[2 * (next + j) + 1] = head[2 * (first + j) + 1]!;
    }
    next += 2 ** k + 1;
  }
  top[2 * blocks + 1] = head[2 * r.subs + 1]!;
  return [top, sub];
}

/** The sub-block of `addr` under a refinement row. */
export function subOf(row: number, addr: number): number {
  return (row >>> 9) + ((addr >>> ((row >>> 4) & 31)) & ((1 << (row & 15)) - 1));
}

/** Sub-blocks [lo, hi) of a side (net/l, l >= the threshold) under a refinement. */
export function subRange(r: Refinement, net: number, l: number, bits: number): [number, number] {
  const shift = 32 - bits;
  const f = net >>> shift;
  if (l < bits) {
    const end = f + 2 ** (bits - l);
    return [r.top[f]! >>> 9, end < r.top.length ? r.top[end]! >>> 9 : r.subs];
  }
  const row = r.top[f]!;
  const k = row & 15;
  const lo = row >>> 9;
  if (k === 0) return [lo, lo + 1];
  const c = 32 - ((row >>> 4) & 31) - k;
  if (l <= c) return [lo, lo + 2 ** k];
  const first = subOf(row, net);
  return [first, first + (l >= c + k ? 1 : 2 ** (c + k - l))];
}

/** How many selectors use each exact prefix (key `net * 64 + len`) of one dimension. */
export function prefixUses(net: Uint32Array, len: Uint8Array): Map<number, number> {
  const m = new Map<number, number>();
  for (let i = 0; i < net.length; i++) {
    const k = net[i]! * 64 + len[i]!;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

/** How many sides of at least `t` bits of one dimension fall in (or cover) each top block. */
export function blockDensity(net: Uint32Array, len: Uint8Array, t: number, bits: number): Int32Array {
  const out = new Int32Array(2 ** bits);
  for (let i = 0; i < net.length; i++) {
    const l = len[i]!;
    if (l < t) continue;
    const f = net[i]! >>> (32 - bits);
    const end = l >= bits ? f + 1 : f + 2 ** (bits - l);
    for (let b = f; b < end; b++) out[b]!++;
  }
  return out;
}

/**
 * About how many other sides a side (net/l) would share its sub-blocks with: its top
 * block's sides, spread over up to 8 more bits (a side that spans blocks: all of theirs).
 */
export function crowding(density: Int32Array, net: number, l: number, bits: number): number {
  const f = net >>> (32 - bits);
  if (l >= bits) return density[f]! / 2 ** Math.min(8, l - bits);
  let sum = 0;
  for (let b = f; b < f + 2 ** (bits - l); b++) sum += density[b]!;
  return sum;
}

/**
 * 1 for each selector whose rectangle lies inside an earlier selector's (a repeat, or a
 * /24 pair under an earlier /16 pair): it never matches first. Per selector it looks up
 * the earlier selectors with each shorter-or-equal source prefix of its own, then, among
 * those, each destination prefix of its own: no pairwise comparison.
 */
export function shadowed(sa: Uint32Array, sl: Uint8Array, da: Uint32Array, dl: Uint8Array): Uint8Array {
  const n = sa.length;
  const dead = new Uint8Array(n);
  // Source prefix (net * 64 + len) -> the destination prefixes of earlier selectors with it, and their lengths.
  const bySrc = new Map<number, { dst: Set<number>; lens: number[] }>();
  const srcLens: number[] = [];
  const mask = (len: number): number => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);
  for (let j = 0; j < n; j++) {
    let covered = false;
    for (const l of srcLens) {
      if (l > sl[j]!) continue;
      const g = bySrc.get(((sa[j]! & mask(l)) >>> 0) * 64 + l);
      if (g === undefined) continue;
      for (const m of g.lens) {
        if (m <= dl[j]! && g.dst.has(((da[j]! & mask(m)) >>> 0) * 64 + m)) {
          covered = true;
          break;
        }
      }
      if (covered) break;
    }
    if (covered) {
      dead[j] = 1;
      continue;
    }
    const key = sa[j]! * 64 + sl[j]!;
    let g = bySrc.get(key);
    if (g === undefined) {
      g = { dst: new Set(), lens: [] };
      bySrc.set(key, g);
      if (!srcLens.includes(sl[j]!)) srcLens.push(sl[j]!);
    }
    g.dst.add(da[j]! * 64 + dl[j]!);
    if (!g.lens.includes(dl[j]!)) g.lens.push(dl[j]!);
  }
  return dead;
}
