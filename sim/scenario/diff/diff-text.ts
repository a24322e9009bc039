/**
 * A scenario diff as the reader sees it: text lines (each with a tone a front end may
 * colour: a title, what the first run did, what the second does) and the `--json`
 * document (`schema: vgwsim-diff/1`, which only ever gains fields). Pure functions of the
 * diff; names from the scenarios are left as written for the front end to escape.
 */
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
    lines.push({ text: `    packet ${f.first.packet}, from hop ${f.first.hop}:`, tone: 'note' });
    lines.push(...tailLines(f.first.before, '-'), ...tailLines(f.first.after, '+'));
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
  const changed = d.flows.filter((f) => f.change === 'changed').length;
  const added = d.flows.filter((f) => f.change === 'added').length;
  const removed = d.flows.filter((f) => f.change === 'removed').length;
  lines.push({ text: '' }, {
    text: `${plural(changed, 'flow')} changed, ${added} added, ${removed} removed, ${d.unchanged.length} unchanged; `
      + `${plural(d.ike.length, 'IKE status', 'IKE statuses')} changed; ${plural(d.config.length, 'configuration change')}`,
  });
  if (d.unchanged.length > 0) lines.push({ text: `unchanged: ${d.unchanged.join(', ')}`, tone: 'note' });
  return lines;
}

/** The `--json` document. */
export function diffDocument(d: ScenarioDiff): Record<string, unknown> {
  return { schema: DIFF_SCHEMA, ...d };
}
