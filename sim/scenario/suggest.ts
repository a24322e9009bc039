/**
 * "Did you mean" suggestions for unknown keys, names and enum values.
 *
 * Owns the edit distance (Damerau-Levenshtein, optimal string alignment: insert, delete,
 * substitute, swap two neighbours), the rule that decides when a candidate is close
 * enough to name, and the bound on the work that costs. A suggestion is worth a few
 * milliseconds, never minutes: the distance is computed in a band of width 2k+1 around
 * the diagonal (k the edit limit, at most MAX_EDIT_LIMIT) with an early exit when a row
 * is past the limit; candidates whose length differs by more than k are skipped; one
 * call spends at most CALL_BUDGET units of work and everything run under one
 * `withSuggestBudget` (a file's load and check) at most its budget, after which the
 * closest candidate found so far (or none) is the answer. Same input, same answer.
 * Rejects nothing: it only ever proposes.
 */

/** The largest edit distance a suggestion may have, whatever the length of the names. */
export const MAX_EDIT_LIMIT = 8;
/** Work units one `suggest` call may spend (distance cells, candidates looked at, characters lower-cased). */
export const CALL_BUDGET = 2_000_000;
/** Work units a file's validation may spend on suggestions (see withSuggestBudget). */
export const FILE_SUGGEST_BUDGET = 20_000_000;

let cellsTotal = 0;

/** Distance cells computed since the module was loaded, by both distance functions: a work meter for tests. */
export function editDistanceCells(): number {
  return cellsTotal;
}

/** The budget shared by every `suggest` call under the innermost running `withSuggestBudget`, or undefined. */
let shared: { left: number } | undefined;

/**
 * Run `fn` with `units` of suggestion work to share among every `suggest` call it makes
 * (synchronously). Under an outer budget, the outer one is used.
 */
export function withSuggestBudget<T>(units: number, fn: () => T): T {
  if (shared !== undefined) return fn();
  shared = { left: units };
  try {
    return fn();
  } finally {
    shared = undefined;
  }
}

/**
 * Optimal-string-alignment distance between `a` and `b` (case-sensitive): the number of
 * insertions, deletions, substitutions and adjacent transpositions that turn `a` into `b`.
 * The plain full-table reference, O(|a|·|b|); `suggest` uses boundedDistance.
 */
export function damerauLevenshtein(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  // Three rolling rows are enough for the transposition lookback.
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = new Array<number>(m + 1);
  let cur = new Array<number>(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prev2[j - 2] as number) + 1);
      }
      cur[j] = d;
    }
    cellsTotal += m;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m] as number;
}

/** Rows reused by boundedDistance (grown when a longer name comes). */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * The distance of damerauLevenshtein when it is at most `k`, else k + 1, computing only
 * the cells within `k` of the diagonal and stopping at the first row whose cells all
 * exceed `k`: at most (2k + 1)·|a| cells.
 */
export function boundedDistance(a: string, b: string, k: number): number {
  const n = a.length;
  const m = b.length;
  const big = k + 1;
  if (Math.abs(n - m) > k) return big;
  if (n === 0 || m === 0) return Math.max(n, m);
  if ((rows[0] as Int32Array).length < m + 2) rows = [new Int32Array(m + 2), new Int32Array(m + 2), new Int32Array(m + 2)];
  let prev2 = rows[0] as Int32Array;
  let prev = rows[1] as Int32Array;
  let cur = rows[2] as Int32Array;
  for (let j = 0; j <= Math.min(m, k + 1); j++) prev[j] = Math.min(j, big);
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - k);
    const hi = Math.min(m, i + k);
    cur[lo - 1] = lo === 1 ? Math.min(i, big) : big;
    let rowMin = cur[lo - 1] as number;
    const ai = a.charCodeAt(i - 1);
    const aPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = lo; j <= hi; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = (prev[j - 1] as number) + (ai === bj ? 0 : 1);
      const up = (prev[j] as number) + 1;
      const left = (cur[j - 1] as number) + 1;
      if (up < d) d = up;
      if (left < d) d = left;
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && aPrev === bj) {
        const t = (prev2[j - 2] as number) + 1;
        if (t < d) d = t;
      }
      if (d > big) d = big;
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (hi < m) cur[hi + 1] = big;
    cellsTotal += hi - lo + 1;
    if (rowMin > k) return big;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[m] as number, big);
}

/** The edit limit for two names of these lengths: max(2, ⌊longer/3⌋), at most MAX_EDIT_LIMIT. */
export function editLimit(n: number, m: number): number {
  return Math.min(MAX_EDIT_LIMIT, Math.max(2, Math.floor(Math.max(n, m) / 3)));
}

/**
 * The candidate `word` was most likely meant to be, or undefined.
 *
 * A case-insensitive exact match wins; otherwise the closest candidate (compared without
 * case) whose distance is at most editLimit of the two lengths and less than the longer
 * length. Ties go to the candidate listed first, so the order of `candidates` is the
 * order of preference. When the work budget (see the module comment) runs out, the best
 * candidate among those compared so far.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let left = Math.min(CALL_BUDGET, shared?.left ?? CALL_BUDGET);
  const start = left;
  try {
    const n = word.length;
    const lw = word.toLowerCase();
    left -= n;
    for (const c of candidates) {
      left--;
      if (c.length !== n) continue;
      left -= n;
      if (left < 0) return undefined;
      if (c.toLowerCase() === lw) return c;
    }
    let best: string | undefined;
    let bestD = Infinity;
    for (const c of candidates) {
      const m = c.length;
      const limit = Math.min(editLimit(n, m), bestD - 1, Math.max(n, m) - 1);
      left--;
      if (limit < 0 || Math.abs(n - m) > limit) continue;
      // The band costs at most (2k + 1) cells a row, plus lower-casing the candidate.
      const cost = (2 * limit + 1) * Math.min(n, m) + m;
      if (cost > left) break;
      left -= cost;
      const d = boundedDistance(lw, c.toLowerCase(), limit);
      if (d <= limit) {
        best = c;
        bestD = d;
        if (d === 0) break;
      }
    }
    return best;
  } finally {
    if (shared !== undefined) shared.left -= start - left;
  }
}
