/**
 * Per-table DIR-24-8 lookup code: each table gets its own copy of one fixed lookup loop,
 * made with `new Function`, whose arrays are constants to the JIT.
 *
 * Why this file exists. The DIR-24-8 loop (`v = l1[a >>> 8]`, rarely a chunk load) is bound
 * by cache and TLB misses, so it is only as fast as the number of lookups the CPU keeps in
 * flight, and that falls with every instruction the loop spends per address. When V8's
 * optimising compiler (TurboFan) sees the typed arrays as ordinary values (parameters,
 * object fields, closure variables shared by many closures) it re-checks each array's map
 * and reloads its data pointer and length for every element: three to four times the
 * instructions of the C loop. When the arrays are constants it embeds their addresses and
 * lengths in the code and the loop is about as short as C's. Arrays become constants when
 * the code reads them from a context that is itself a constant: either the function is
 * compiled with function-context specialisation (TurboFan does that only for a function
 * that is the one closure of its source function, and not for on-stack replacement), or
 * the function is inlined into one that reads it from such a context and the bindings are
 * `const`. A fresh `new Function` per table gives every table its own source function, so
 * each table's closures are the only ones of theirs; `const` bindings keep the arrays
 * constant when V8 inlines the vector loop into the batch loop (which it compiles with
 * on-stack replacement on the first long batch, Node 20 to 24).
 *
 * The second point is the vector: the loop answers a fixed-size vector the table owns
 * (`input` to `output`, VECTOR_SIZE addresses, as VPP's vectors), so one call is short. A
 * call that runs millions of iterations is compiled with on-stack replacement only, and
 * then without constants (Node 22 and 24 never recompile it normally). 1024 addresses
 * rather than VPP's 256: `lookupBatch` copies each vector in and out, and at 256 the
 * copies' fixed cost (a subarray and two `set` calls) is a tenth of the lookups' time.
 * Copying is faster than reading and writing the caller's arrays in the loop, which are
 * not constants.
 *
 * The loop's shape keeps its instructions per address near the C loop's: sixteen
 * addresses per iteration, each answered and stored before the next is read (so few
 * values are live and none spill to the stack); the address is read again from the
 * vector in the rare chunk branch rather than kept in a register (a shift in place, no
 * copy); and a loop bound V8 can bound by VECTOR_SIZE (`m = Math.min(..., SIZE)`,
 * `i <= m - 16`), so `i + k` needs no overflow check. A load that misses holds its
 * place in the CPU's reorder window until it returns, so the fewer instructions each
 * lookup adds to that window, the more lookups' misses are in flight at once.
 *
 * V8 also caches the code it makes from text: from the second `new Function` of one text
 * on, it hands back the same source function, so every table would share one again. So
 * each table's code is made by `functionFromText` (code-from-text.ts), which adds a
 * `//# sourceURL=` comment with a sequence number (vgw-lpm-dir24-N.js).
 *
 * Safety: the source is the fixed template below, with no data put into it (only that
 * sequence number, in a comment); the arrays and the vector size are passed as
 * arguments. Where `new Function` is refused (a browser page whose
 * Content-Security-Policy forbids eval), `dir24Vector` returns null and the table keeps
 * its plain loop (lpm-dir-24-8.ts).
 */

import { functionFromText } from './code-from-text.js';

/** Addresses per vector: the batch the specialised loop answers per call. */
export const VECTOR_SIZE = 1024;

/** The table's vector and the loops closed over it (one per table). */
export interface Dir24Vector {
  /** Addresses to look up: fill input[0..n) and call `lookup(n)`. */
  readonly input: Uint32Array;
  /** Answers: output[i] is the route of input[i] (or -1), for i < n. */
  readonly output: Int32Array;
  /** Answers input[0..n) into output[0..n); n is clamped to VECTOR_SIZE. */
  lookup(n: number): void;
  /**
   * `out[i] = answer(addrs[i])` for i < m, through the vector: VECTOR_SIZE addresses are
   * copied in, answered and copied out at a time. The caller clamps m to both lengths.
   */
  batch(addrs: Uint32Array, out: Int32Array, m: number): void;
}

/**
 * The template. `l1`, `l2`: the DIR-24-8 levels (lpm-dir-24-8.ts: an entry >= -1 is the
 * answer, `-2 - c` names the 256-entry chunk c of l2, indexed by the address's low byte);
 * `size`: VECTOR_SIZE. `(-2 - v) << 8 | (a & 255)` is the chunk index in int32
 * arithmetic (no overflow checks; chunks < 2^23 as the table is built). `m` clamps n to
 * 0..SIZE before truncating it, so no count wraps around 2^32 into range; NaN is 0.
 */
const TEMPLATE = `'use strict';
const L1 = l1;
const L2 = l2;
const SIZE = size;
const IN = new Uint32Array(SIZE);
const OUT = new Int32Array(SIZE);
function lookupVector(n) {
  const m = Math.min(n > 0 ? (n > SIZE ? SIZE : n | 0) : 0, SIZE);
  const last = m - 16;
  let i = 0;
  for (; i <= last; i += 16) {
    let v = L1[IN[i] >>> 8];
    if (v < -1) v = L2[((-2 - v) << 8) | (IN[i] & 255)];
    OUT[i] = v;
    v = L1[IN[i + 1] >>> 8];
    if (v < -1) v = L2[((-2 - v) << 8) | (IN[i + 1] & 255)];
    OUT[i + 1] = v;
    v = L1[IN[i + 2] >>> 8];
    if (v < -1) v = L2[((-2 - v) << 8) | (IN[i + 2] & 255)];
    OUT[i + 2] = v;
    v = L1[IN[i + 3] >>> 8];
    if (v < -1) v = L2[((-2 - v) << 8) | (IN[i + 3] & 255)];
    OUT[i + 3] = v;
    v = L1[IN[i + 4] >>> 8];
    if (v < -1) v = L2[((-2 - v) << 8) | (IN[i + 4] & 255)];
    OUT[i + 4] = v;
    v = L1[IN[i + 5] >>> 8];
    if (v < -1) v = L2[((-2 - v) << 8) | (IN[i + 5] & 255)];
    OUT[i + 5] = v;
    v = L1[IN[i + 6] >>> 8];
    if (v < -1) v = L2[((-2 - v) << 8) | (IN[i + 6] & 255)];
    OUT[i + 6] = v;
    v = L1[IN[i + 7] >>> 8];
    if (v < -1) v = L2[((-2 - v) << 8) | (IN[i + 7] & 255)];
    OUT[i + 7] = v;
    v = L1[IN[i + 8] >>> 8];
    if (v < -1) v = L2[((-2 - v) << 8) | (IN[i + 8] & 255)];
    OUT[i + 8] = v;
    v = L1[IN[i + 9] >>> 8];
    if (v < -1) v = L2[((-2 - v) << 8) | (IN[i + 9] & 255)];
    OUT[i + 9] = v;
    v = L1[IN[i + 10] >>> 8];
    if (v < -1) v = L2[((-2 - v) << 8) | (IN[i + 10] & 255)];
    OUT[i + 10] = v;
    v = L1[IN[i + 11] >>> 8];
    if (v < -1) v = L2[((-2 - v) << 8) | (IN[i + 11] & 255)];
    OUT[i + 11] = v;
    v = L1[IN[i + 12] >>> 8];
    if (v < -1) v = L2[((-2 - v) << 8) | (IN[i + 12] & 255)];
    OUT[i + 12] = v;
    v = L1[IN[i + 13] >>> 8];
    if (v < -1) v = L2[((-2 - v) << 8) | (IN[i + 13] & 255)];
    OUT[i + 13] = v;
    v = L1[IN[i + 14] >>> 8];
    if (v < -1) v = L2[((-2 - v) << 8) | (IN[i + 14] & 255)];
    OUT[i + 14] = v;
    v = L1[IN[i + 15] >>> 8];
    if (v < -1) v = L2[((-2 - v) << 8) | (IN[i + 15] & 255)];
    OUT[i + 15] = v;
  }
  for (; i < m; i++) {
    let v = L1[IN[i] >>> 8];
    if (v < -1) v = L2[((-2 - v) << 8) | (IN[i] & 255)];
    OUT[i] = v;
  }
}
function lookupBatch(addrs, out, m) {
  for (let b = 0; b < m; b += SIZE) {
    const k = m - b < SIZE ? m - b : SIZE;
    IN.set(addrs.subarray(b, b + k));
    lookupVector(k);
    out.set(k === SIZE ? OUT : OUT.subarray(0, k), b);
  }
}
return { input: IN, output: OUT, lookup: lookupVector, batch: lookupBatch };
`;

type Maker = (l1: Int32Array, l2: Int32Array, size: number) => Dir24Vector;

/**
 * A vector and specialised loops for the DIR-24-8 levels `l1`, `l2`, or null where code
 * cannot be made from text (then the caller keeps its plain loop).
 */
export function dir24Vector(l1: Int32Array, l2: Int32Array): Dir24Vector | null {
  // A new source function per table: see the top of this file.
  const make = functionFromText<Maker>('lpm-dir24', ['l1', 'l2', 'size'], TEMPLATE);
  if (make === null) return null;
  const v = make(l1, l2, VECTOR_SIZE);
  warm(v, l1, l2.length > 0);
  return v;
}

/**
 * The first address of the first /24 block whose level-1 entry names a chunk (`chunk`
 * true) or is an answer, or -1 when there is none.
 */
function firstBlock(l1: Int32Array, chunk: boolean): number {
  for (let b = 0; b < l1.length; b++) if (l1[b]! < -1 === chunk) return (b << 8) >>> 0;
  return -1;
}

/**
 * Runs every path of the vector's loops once, before V8 optimises them: each of the
 * sixteen unrolled steps with an address whose block has a chunk and with one whose block
 * has none, the loop's tail both ways, and `batch` on a whole and a partial vector; then
 * clears the vector. V8 compiles a path that never ran as an exit back to the interpreter
 * ("insufficient type feedback"). In the vector loop such an exit is costly: calls that
 * come back through the interpreter enter the loop's on-stack-replacement code, compiled
 * without the table's arrays as constants, and V8 may go on running that code (and
 * leaving it at the same exit) for every call, several times slower. A table without
 * chunks (`hasChunks` false) never takes the chunk path, so it needs no feedback there.
 */
function warm(v: Dir24Vector, l1: Int32Array, hasChunks: boolean): void {
  const plain = firstBlock(l1, false);
  const chunked = hasChunks ? firstBlock(l1, true) : -1;
  const a = plain < 0 ? chunked : plain;
  const b = chunked < 0 ? plain : chunked;
  const input = v.input;
  const n = input.length;
  // Row r, step k of the sixteen-wide loop: a and b alternate along rows and along steps.
  for (let i = 0; i < n; i++) input[i] = ((i + (i >> 4)) & 1) === 0 ? a : b;
  v.lookup(n);
  v.lookup(2);
  const addrs = input.slice();
  const out = new Int32Array(n);
  v.batch(addrs, out, n);
  v.batch(addrs, out, 17);
  input.fill(0);
  v.output.fill(0);
}
