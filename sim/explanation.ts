/** One explainable code's explanation, as `vgw explain` and the TUI show it (explain.ts, explain-ike.ts). */
export interface Explanation {
  /** What it means, in a sentence or two a learner can follow. */
  readonly meaning: string;
  /** The configuration object (scenario key) that decides it. */
  readonly responsible: string;
  /** How to make it go away, when that is what you want. */
  readonly fix: string;
}
