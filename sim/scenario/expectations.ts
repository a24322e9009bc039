/**
 * A run's expectations (`expect:` entries) against what its flows did: delivered, dropped
 * (and the reason), to the Internet, the connections crossed, the injected copies. Each
 * result says what was asked and what happened, in words. Also the flow summaries they
 * read. Pure: no Node.
 */
import { Outcome } from '../engine/batch.js';
import type { DropReason } from '../engine/drop-reasons.js';
import type { compileWorld } from './compile/index.js';
import type { Count, Expectation, Scenario } from './types.js';

export interface FlowSummary {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly proto: string;
  readonly sent: number;
  readonly delivered: number;
  readonly dropped: number;
  readonly internet: number;
  readonly dropReasons: Record<string, number>;
  /** Connection name → packets that crossed it. */
  readonly via: Record<string, number>;
  /** Present when `inject:` duplicated or replayed some of the flow's ESP packets: what became of the copies. */
  readonly copies?: CopiesSummary;
}

/** The injected copies (duplicate, replay) of a flow's ESP packets: extra packets on the wire. */
export interface CopiesSummary {
  readonly sent: number;
  readonly delivered: number;
  readonly dropped: number;
  readonly dropReasons: Record<string, number>;
}

export interface ExpectationResult {
  readonly flow: string;
  readonly path: string;
  readonly passed: boolean;
  /** What was expected and what happened, in words. */
  readonly message: string;
  /** The expectation's `hint:`, when it has one. */
  readonly hint?: string;
}

/** A flow's packets per connection and outcome: [connection * 4 + outcome], as the run counts them. */
export interface FlowVia {
  readonly via: Float64Array;
}

function countText(c: Count): string {
  return c === 'all' ? 'all' : String(c);
}

/**
 * Compare outcome counts with what an expectation wants, pushing what was asked to
 * `wanted` and what failed to `problems`. `label` names the packets in problems ('' for
 * a flow's own, 'copies ' for injected copies). `reason` implies dropped: all; with
 * `allNeedsOne`, 'all' of nothing fails.
 */
function checkCounts(
  got: { readonly sent: number; readonly delivered: number; readonly dropped: number; readonly internet?: number; readonly dropReasons: Record<string, number> },
  want: { readonly delivered?: Count; readonly dropped?: Count; readonly internet?: Count; readonly reason?: DropReason },
  label: string, wanted: string[], problems: string[], allNeedsOne = false,
): void {
  const one = (what: 'delivered' | 'dropped' | 'internet', have: number, w: Count | undefined): void => {
    if (w === undefined) return;
    const n = w === 'all' ? got.sent : w;
    wanted.push(`${what} ${countText(w)}`);
    if (have !== n || (allNeedsOne && w === 'all' && got.sent === 0)) {
      problems.push(`${label}${what} ${have} of ${got.sent}, expected ${countText(w)}${w === 'all' ? ` (${n})` : ''}`);
    }
  };
  one('delivered', got.delivered, want.delivered);
  one('internet', got.internet ?? 0, want.internet);
  one('dropped', got.dropped, want.dropped ?? (want.reason ? 'all' : undefined));
  if (want.reason) {
    const n = got.dropReasons[want.reason] ?? 0;
    wanted.push(`reason ${want.reason}`);
    if (n !== got.dropped || n === 0) {
      const reasons = Object.entries(got.dropReasons).map(([r, c]) => `${r} ${c}`).join(', ') || 'no drops';
      problems.push(`${label}drop reasons: ${reasons}; expected every drop to be ${want.reason}`);
    }
  }
}

/** Expectation `e` of `s` against the flows' summaries and per-connection counts. */
export function evaluate(
  e: Expectation, s: Scenario, flows: readonly FlowSummary[], acc: readonly FlowVia[],
  connIndex: ReadonlyMap<string, number>, eps: ReturnType<typeof compileWorld>['flows'],
): ExpectationResult {
  const fi = s.traffic.findIndex((f) => f.id === e.flow);
  const f = flows[fi];
  if (!f || fi < 0) return { flow: e.flow, path: e.path, passed: false, message: `no flow "${e.flow}"` };
  const ep = eps[fi]!;
  if ('error' in ep) return { flow: e.flow, path: e.path, passed: false, message: ep.error };
  const problems: string[] = [];
  const wanted: string[] = [];
  checkCounts(f, e, '', wanted, problems);
  if (e.via) {
    wanted.push(`via ${e.via}`);
    const c = connIndex.get(e.via);
    const a = acc[fi]!;
    // The packets the expectation speaks of: its named outcomes, else every packet that was not dropped.
    const outcomes: number[] = [];
    if (e.delivered !== undefined) outcomes.push(Outcome.DELIVERED);
    if (e.internet !== undefined) outcomes.push(Outcome.INTERNET);
    if (e.dropped !== undefined || e.reason) outcomes.push(Outcome.DROPPED);
    if (outcomes.length === 0) outcomes.push(Outcome.DELIVERED, Outcome.INTERNET);
    const total = outcomes.reduce((sum, o) => sum + (o === Outcome.DELIVERED ? f.delivered : o === Outcome.INTERNET ? f.internet : f.dropped), 0);
    const crossed = c === undefined ? 0 : outcomes.reduce((sum, o) => sum + a.via[c * 4 + o]!, 0);
    if (total === 0 || crossed !== total) {
      const seen = Object.keys(f.via);
      problems.push(`${crossed} of ${total} packets crossed ${e.via}${seen.length ? ` (they crossed: ${seen.join(', ')})` : ' (they crossed no connection)'}`);
    }
  }
  if (e.copies) {
    // Injected copies are extra packets: 'all' then needs at least one, or nothing was injected.
    const cw: string[] = [];
    checkCounts(f.copies ?? { sent: 0, delivered: 0, dropped: 0, dropReasons: {} }, e.copies, 'copies ', cw, problems, true);
    wanted.push(`copies ${cw.join(', ')}`);
  }
  const summary = `flow ${e.flow}: ${wanted.join(', ') || 'no condition'}`;
  return problems.length === 0
    ? { flow: e.flow, path: e.path, passed: true, message: summary }
    : { flow: e.flow, path: e.path, passed: false, message: `${summary}: ${problems.join('; ')}` };
}
