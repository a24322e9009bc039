/**
 * Tampering on the Internet link (`inject:` in a scenario) as data: an injection as the
 * link applies it, and what became of it. The link (internet-link.ts) fills the outcomes;
 * the trace (trace-text.ts) and the run's result read them.
 */

/** An injection as the link applies it (resolved from the scenario). */
export interface LinkInjection {
  readonly index: number;
  readonly connection: string;
  readonly at: number;
  readonly action: 'duplicate' | 'reorder' | 'corrupt' | 'replay';
  readonly direction?: 'out' | 'in';
  readonly packet: number;
  readonly byte?: number;
}

/** What happened to one injection (duplicate, reorder, corrupt, replay). */
export interface InjectionOutcome {
  readonly index: number;
  readonly connection: string;
  readonly action: string;
  /** Time the tampered packet was on the wire; -1 when it never applied. */
  t: number;
  flow: number;
  packet: number;
  sa: string;
  spi: string;
  seq: number;
  /** 'not-applied' | 'held' | 'delivered' | 'dropped'. */
  result: string;
  reason?: string;
  detail: string;
}
