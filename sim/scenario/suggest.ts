/**
 * "Did you mean" suggestions for unknown keys and bad enum values.
 *
 * Owns the edit distance (Damerau-Levenshtein, optimal string alignment: insert, delete,
 * substitute, swap two neighbours) and the rule that decides when a candidate is close
 * enough to name. Rejects nothing: it only ever proposes.
 */

/**
 * Optimal-string-alignment distance between `a` and `b` (case-sensitive): the number of
 * insertions, deletions, substitutions and adjacent transpositions that turn `a` into `b`.
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
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m] as number;
}

/**
 * The candidate `word` was most likely meant to be, or undefined.
 *
 * A case-insensitive exact match wins; otherwise the closest candidate (compared without
 * case) whose distance is at most max(2, ⌊len/3⌋) of the longer of the two words. Ties go
 * to the candidate listed first, so the order of `candidates` is the order of preference.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const lw = word.toLowerCase();
  for (const c of candidates) if (c.toLowerCase() === lw) return c;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = damerauLevenshtein(lw, c.toLowerCase());
    const limit = Math.max(2, Math.floor(Math.max(word.length, c.length) / 3));
    // A distance equal to the whole word says nothing ("a" vs "b").
    if (d <= limit && d < Math.max(word.length, c.length) && d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
