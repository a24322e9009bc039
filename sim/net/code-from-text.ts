/**
 * Functions made per instance from a fixed template with `new Function`: the mechanism
 * behind the per-table lookup loops (lpm-specialise.ts, classifier-split-batch.ts,
 * classifier-classes.ts, which say why V8 compiles such a loop with the table's arrays
 * as constants), the dispatcher's sort and its drain loop (sim/engine/region-sort.ts,
 * drain-loop.ts).
 *
 * Each call makes a new source function: the text is the template plus a
 * `//# sourceURL=vgw-NAME-N.js` comment with a sequence number, because V8 caches the code
 * it makes from text and would otherwise hand every instance after the first one the same
 * source function. The comment also names the code in profiles and debuggers.
 *
 * Where code cannot be made from text (a browser page whose Content-Security-Policy
 * forbids eval), the first refusal is remembered and every later call answers null at
 * once: the callers keep their plain loops.
 */

/** Whether this realm may compile code from text; decided by the first attempt. */
let allowed: boolean | null = null;

/** Functions made so far: the sequence number of each one's sourceURL. */
let made = 0;

/**
 * `new Function(...params, template)` as a new source function named `name`, or null
 * where code cannot be made from text. `template` must be fixed text: no data in it.
 */
export function functionFromText<F>(name: string, params: readonly string[], template: string): F | null {
  if (allowed === false) return null;
  try {
    const f = new Function(...params, `${template}//# sourceURL=vgw-${name}-${++made}.js\n`) as F;
    allowed = true;
    return f;
  } catch {
    allowed = false;
    return null;
  }
}
