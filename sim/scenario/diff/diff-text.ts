/**
 * A scenario diff as the reader sees it: text lines (each with a tone a front end may
 * colour: a title, what the first run did, what the second does) and the `--json`
 * document (`schema: vgwsim-diff/1`, which only ever gains fields). Pure functions of the
 * diff; names from the scenarios are left as written for the front end to escape.
 */
import { endKey, hopKey } from './flow-paths.js';
import type { ConfigChange, FlowDiff, OutcomeCount, PathTail, ScenarioDiff } from './index.js';

export const DIFF_SCHEMA = 'vgwsim-diff/1';

export interface DiffLine {
  readonly text: string;
  /** title: a heading; before: the first run's side; after: the second's; note: secondary. */
  readonly tone?: 'title' | 'before' | 'after' | 'note';
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * How many hops at the end of both tails are the same hop (number, node, stage, decision)
 * when the two ends are the same too; the first hop of each tail (the one that differs) is
 * never counted.
 */
function sameEnding(a: PathTail, b: PathTail): number {
  if (endKey(a.end) !== endKey(b.end)) return 0;
  let n = 0;
  while (n < a.hops.length - 1 && n < b.hops.length - 1) {
    const x = a.hops[a.hops.length - 1 - n]!;
    const y = b.hops[b.hops.length - 1 - n]!;
    if (x.hop !== y.hop || hopKey(x) !== hopKey(y)) break;
    n++;
  }
  return n;
}

/** `t` without its last `n` hops and its end (both runs have them). */
function withoutEnding(t: PathTail, n: number): PathTail {
  return { hops: t.hops.slice(0, t.hops.length - n), end: null };
}

function tailLines(t: PathTail, sign: '-' | '+'): DiffLine[] {
  const tone = sign === '-' ? 'before' : 'after';
  const nodeW = Math.max(8, ...t.hops.map((h) => h.node.length));
  const lines: DiffLine[] = t.hops.map((h) => ({ text: `      ${sign} ${String(h.hop).padStart(2)}  ${h.node.padEnd(nodeW)}  ${h.stage.padEnd(8)}  ${h.decision}`, tone }));
  const e = t.end;
  if (e) {
    const via = e.via.length > 0 ? ` via ${e.via.join(', ')}` : '';
    const end = e.type === 'delivered' ? `✓ delivered at ${e.node}${via}`
      : e.type === 'internet' ? `→ internet: left in clear text at ${e.node}${via}`
      : `✗ dropped: ${e.reason ?? ''} at ${e.node} (${e.stage}): ${e.detail ?? ''}`;
    lines.push({ text: `      ${sign}     ${end}`, tone });
  }
  return lines;
}

function countText(c: OutcomeCount, sent: number): string {
  const what = c.outcome === 'internet' ? 'to the internet' : c.outcome;
  if (c.before === 0) return `${c.after} of ${sent} packets now ${what}`;
  if (c.after === 0) return `no packet ${what} any more (were ${c.before})`;
  return `${what}: ${c.before} → ${c.after} of ${sent} packets`;
}

function where(c: ConfigChange): string {
  return `${c.file}:${c.line}:${c.column}`;
}

function flowLines(f: FlowDiff): DiffLine[] {
  const lines: DiffLine[] = [{ text: `  ${f.text}` }];
  if (f.first) {
    const { packets, traced } = f.first;
    const others = traced > 1 ? ` (${packets === traced ? `all ${traced}` : `${packets} of ${traced}`} packets traced in both differ)` : '';
    lines.push({ text: `    packet ${f.first.packet}, from hop ${f.first.hop}${others}:`, tone: 'note' });
    const { before, after } = f.first;
    const same = sameEnding(before, after);
    if (same === 0) lines.push(...tailLines(before, '-'), ...tailLines(after, '+'));
    else {
      const from = after.hops[after.hops.length - same]!.hop;
      const to = after.hops[after.hops.length - 1]!.hop;
      lines.push(...tailLines(withoutEnding(before, same), '-'), ...tailLines(withoutEnding(after, same), '+'));
      lines.push({ text: `      = ${from === to ? `hop ${from}` : `hops ${from}-${to}`} and the end the same in both`, tone: 'note' });
    }
  }
  for (const c of f.counts) lines.push({ text: `    ${countText(c, f.sent.after)}`, tone: 'note' });
  if (f.responsible) lines.push({ text: `    responsible: ${f.responsible.change.text}  (${where(f.responsible.change)})`, tone: 'note' });
  return lines;
}

/** The diff as text lines: flows, IKE, configuration, then a one-line count. */
export function diffLines(d: ScenarioDiff): DiffLine[] {
  const seeds = d.a.seed === d.b.seed ? `seed ${d.a.seed}` : `seeds ${d.a.seed} and ${d.b.seed}`;
  const lines: DiffLine[] = [{ text: `${d.a.file} → ${d.b.file}  (${seeds}, ${plural(d.flows.length + d.unchanged.length, 'flow')})`, tone: 'title' }];
  if (!d.differs) {
    lines.push({ text: 'no differences' });
    return lines;
  }
  if (d.flows.length > 0) {
    lines.push({ text: '' }, { text: 'flows', tone: 'title' });
    for (const f of d.flows) lines.push(...flowLines(f));
  }
  if (d.ike.length > 0) {
    lines.push({ text: '' }, { text: 'IKE', tone: 'title' });
    for (const c of d.ike) lines.push({ text: `  ${c.text}` }, ...(c.detail ? [{ text: `    ${c.detail}`, tone: 'note' as const }] : []));
  }
  if (d.config.length > 0) {
    lines.push({ text: '' }, { text: 'configuration', tone: 'title' });
    const sign = { added: '+', removed: '-', changed: '~' } as const;
    for (const c of d.config) lines.push({ text: `  ${sign[c.change]} ${c.text}  (${where(c)})`, tone: c.change === 'removed' ? 'before' : c.change === 'added' ? 'after' : undefined });
  }
  const e = d.expectations;
  if (e.changed.length > 0) {
    lines.push({ text: '' }, { text: `expectations: ${e.before.passed} passed, ${e.before.failed} failed → ${e.after.passed} passed, ${e.after.failed} failed`, tone: 'title' });
    for (const r of e.changed) lines.push({ text: `  ${r.passed ? '✓ now passes' : '✗ now fails'}: ${r.message}`, tone: r.passed ? 'after' : 'before' });
  }
  const { appeared, gone } = d.warnings;
  if (appeared.length + gone.length > 0) {
    lines.push({ text: '' }, { text: 'warnings', tone: 'title' });
    for (const w of gone) lines.push({ text: `  - ${w.file}:${w.line}:${w.column} ${w.code} ${w.message}`, tone: 'before' });
    for (const w of appeared) lines.push({ text: `  + ${w.file}:${w.line}:${w.column} ${w.code} ${w.message}`, tone: 'after' });
  }
  const changed = d.flows.filter((f) => f.change === 'changed').length;
  const added = d.flows.filter((f) => f.change === 'added').length;
  const removed = d.flows.filter((f) => f.change === 'removed').length;
  lines.push({ text: '' }, {
    text: `${plural(changed, 'flow')} changed, ${added} added, ${removed} removed, ${d.unchanged.length} unchanged; `
      + `${plural(d.ike.length, 'IKE status', 'IKE statuses')} changed; ${plural(d.config.length, 'configuration change')}`
      + (appeared.length + gone.length > 0 ? `; ${plural(appeared.length, 'warning')} new, ${gone.length} gone` : ''),
  });
  if (d.unchanged.length > 0) lines.push({ text: `unchanged: ${d.unchanged.join(', ')}`, tone: 'note' });
  return lines;
}

/** The `--json` document. */
export function diffDocument(d: ScenarioDiff): Record<string, unknown> {
  return { schema: DIFF_SCHEMA, ...d };
}
