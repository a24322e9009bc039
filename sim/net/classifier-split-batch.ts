/**
 * Per-table batch code for the 'split' classifier (classifier-split.ts): each table gets
 * its own copy of one fixed batch loop, made with `new Function`, whose arrays are
 * constants to the JIT, and which looks up two packets at once.
 *
 * Why this file exists. A split lookup is a chain of dependent loads (top row, sub-block
 * row, bucket entries) with data-dependent branches (bucket lengths, matches), so it runs
 * at the speed of its cache misses and branch mispredictions, not of its instructions. The
 * loop here reads both packets' rows (four to eight loads, no branch on their buckets)
 * before scanning either packet's buckets, so the two packets' misses overlap and a
 * mispredicted bucket branch of one does not throw away the other's row loads. Measured on
 * `vgw bench classify` workloads at 10,000 selectors, two at a time is about 1.2x the one-
 * packet loop; four at a time was slower than two (registers run out).
 * As in lpm-specialise.ts: when V8's optimising compiler sees the typed arrays as ordinary
 * values it re-checks each array's map and reloads its data pointer and length per element;
 * arrays read from `const` bindings of a one-closure source function (function-context
 * specialisation, which applies to a function compiled normally, not by on-stack
 * replacement) are constants. So the batch runs in chunks of CHUNK packets through `range`,
 * which is called often enough to be compiled normally, and each table gets its own source
 * function (`functionFromText`, code-from-text.ts).
 *
 * Safety: the source is the fixed template below (built once from fixed pieces, with no
 * data put into it, only the sequence number in a comment); the tables are passed as
 * arguments. Where `new Function` is refused (a browser page whose Content-Security-Policy
 * forbids eval), `splitBatchLoop` returns null and the classifier keeps its plain loop
 * (`splitBatch`).
 */
import { functionFromText } from './code-from-text.js';
import { NONE, nestedEntryBest } from './classifier-split.js';
import type { SplitTables } from './classifier-split.js';

/** A specialised batch: `out[k] = splitClassify(t, src[k], dst[k])` for k < m (the caller clamps m). */
export type SplitBatchLoop = (src: Uint32Array, dst: Uint32Array, out: Int32Array, m: number) => void;

/** Packets per call of the inner loop: short enough that it is called often and compiled normally. */
const CHUNK = 1024;

/** Packet `x`'s rows: its source and destination rows (top level, or a cut block's sub-block), bucket bounds and cross cell. */
function rows(x: string): string {
  return `
    const s${x} = src[k + ${x}];
    const d${x} = dst[k + ${x}];
    let sh${x} = SRC_HEAD;
    let hs${x} = (s${x} >>> SHIFT) << 1;
    let r${x} = sh${x}[hs${x}];
    if (r${x} < 0) {
      r${x} = ~r${x};
      hs${x} = ((r${x} >>> 9) + ((s${x} >>> ((r${x} >>> 4) & 31)) & ((1 << (r${x} & 15)) - 1))) << 1;
      sh${x} = SRC_SUB;
    }
    let dh${x} = DST_HEAD;
    let hd${x} = (d${x} >>> SHIFT) << 1;
    r${x} = dh${x}[hd${x}];
    if (r${x} < 0) {
      r${x} = ~r${x};
      hd${x} = ((r${x} >>> 9) + ((d${x} >>> ((r${x} >>> 4) & 31)) & ((1 << (r${x} & 15)) - 1))) << 1;
      dh${x} = DST_SUB;
    }
    const sb${x} = sh${x}[hs${x} + 1];
    const se${x} = sh${x}[hs${x} + 3];
    const db${x} = dh${x}[hd${x} + 1];
    const de${x} = dh${x}[hd${x} + 3];
    const cross${x} = CROSS[sh${x}[hs${x}] + dh${x}[hd${x}]];`;
}

/**
 * One bucket of entries `ENT[from, to)` in list order, up to the first entry at or after
 * the best so far: a match (`key` on the bucket's side, `other` on the other) ends it; a
 * matching crowded entry (key mask 0) goes to its nested tables.
 */
function bucket(ent: string, key: string, other: string, from: string, to: string): string {
  return `
      for (let e = ${from}; e < ${to}; e += 5) {
        const i = ${ent}[e + 4];
        if (i >= best) break;
        if (((${key} ^ ${ent}[e]) & ${ent}[e + 1]) === 0 && ((${other} ^ ${ent}[e + 2]) & ${ent}[e + 3]) === 0) {
          best = ${ent}[e + 1] !== 0 ? i : NESTED(${ent}[e], s, d, best);
          break;
        }
      }`;
}

/** Packet `x`'s answer: its cross cell lowered by its source bucket, then its destination bucket. */
function scans(x: string): string {
  return `
    {
      const s = s${x};
      const d = d${x};
      let best = cross${x};${bucket('SRC_ENT', 's', 'd', `sb${x}`, `se${x}`)}${bucket('DST_ENT', 'd', 's', `db${x}`, `de${x}`)}
      out[k + ${x}] = best === NONE ? -1 : best;
    }`;
}

/**
 * The template, over the arguments `t` (the tables), `none` (NONE), `nested` (a crowded
 * entry's first match) and `chunk` (CHUNK). `range` answers packets [from, to): two per
 * iteration, then the odd one.
 */
const TEMPLATE = `'use strict';
const SRC_HEAD = t.srcHead;
const DST_HEAD = t.dstHead;
const SRC_SUB = t.srcSub;
const DST_SUB = t.dstSub;
const CROSS = t.cross;
const SRC_ENT = t.srcEnt;
const DST_ENT = t.dstEnt;
const SHIFT = t.shift;
const NONE = none;
const NESTED = nested;
const CHUNK = chunk;
function range(src, dst, out, from, to) {
  let k = from;
  for (; k + 2 <= to; k += 2) {${rows('0')}${rows('1')}${scans('0')}${scans('1')}
  }
  if (k < to) {${rows('0')}${scans('0')}
  }
}
return function batch(src, dst, out, m) {
  for (let b = 0; b < m; b += CHUNK) range(src, dst, out, b, m - b < CHUNK ? m : b + CHUNK);
};
`;

type Maker = (t: SplitTables, none: number, nested: (k: number, s: number, d: number, best: number) => number, chunk: number) => SplitBatchLoop;

/** A specialised batch loop over split tables `t`, or null where code cannot be made from text (then the caller keeps `splitBatch`). */
export function splitBatchLoop(t: SplitTables): SplitBatchLoop | null {
  // A new source function per table: see the top of this file.
  const make = functionFromText<Maker>('classify-split', ['t', 'none', 'nested', 'chunk'], TEMPLATE);
  return make === null ? null : make(t, NONE, (k, s, d, best) => nestedEntryBest(t, k, s, d, best), CHUNK);
}
