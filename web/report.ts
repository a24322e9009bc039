/**
 * The run's report below the trace: the summary table (one row per flow), the
 * expectations (each PASS or FAIL in words, with its hint), the drops by node and reason,
 * and the diagnostics list under the editor (each a button that moves the cursor there).
 */
import type { Diagnostic, RunResult } from '../sim/web/index.js';
import { h } from './dom.js';

export function summaryTable(r: RunResult): HTMLTableElement {
  const head = h('tr', {}, ...['flow', 'from → to', 'sent', 'delivered', 'dropped', 'internet', 'via'].map((c) => h('th', { scope: 'col' }, c)));
  const rows = r.flows.map((f) => {
    const via = Object.keys(f.via).join(', ') || '-';
    const dropped = f.dropped > 0 ? `${f.dropped} DROP (${Object.entries(f.dropReasons).map(([k, n]) => `${k} ${n}`).join(', ')})` : '0';
    return h('tr', f.dropped > 0 ? { class: 'drop' } : {}, h('th', { scope: 'row' }, f.id), h('td', {}, `${f.from} → ${f.to} ${f.proto}`),
      h('td', {}, String(f.sent)), h('td', {}, String(f.delivered)), h('td', {}, dropped), h('td', {}, String(f.internet)), h('td', {}, via));
  });
  return h('table', { class: 'summary' }, h('caption', {}, `${r.flows.length} flows, ${r.duration}s simulated`), h('thead', {}, head), h('tbody', {}, ...rows));
}

export function expectationList(r: RunResult): HTMLElement {
  if (r.expectations.length === 0) return h('p', { class: 'dim' }, 'No expectations in this scenario.');
  const items = r.expectations.map((x) => h('li', { class: x.passed ? 'ok' : 'drop' },
    h('strong', {}, x.passed ? '✓ PASS ' : '✗ FAIL '), x.message, ...(x.hint && !x.passed ? [h('div', { class: 'hint' }, `Hint: ${x.hint}`)] : [])));
  return h('div', {}, h('p', {}, `expectations: ${r.passed} passed, ${r.failed} failed`), h('ul', { class: 'expectations' }, ...items));
}

export function dropCounters(r: RunResult): HTMLElement {
  const entries = Object.entries(r.counters);
  if (entries.length === 0) return h('p', { class: 'dim' }, 'No packet was dropped.');
  return h('ul', { class: 'counters' }, ...entries.map(([k, n]) => h('li', { class: 'drop' }, `DROP ${k}: ${n}`)));
}

/** The diagnostics as buttons; `go` moves the editor to a diagnostic's line and column. */
export function diagnosticList(ds: readonly Diagnostic[], go: (d: Diagnostic) => void): HTMLElement {
  if (ds.length === 0) return h('p', { class: 'ok' }, '✓ No diagnostics: the scenario is valid.');
  return h('ul', { class: 'diagnostics' }, ...ds.map((d) => {
    const b = h('button', { type: 'button', class: d.severity === 'error' ? 'drop' : 'warn' },
      `${d.severity === 'error' ? '✗ ERROR' : '⚠ WARNING'} ${d.file}:${d.line}:${d.column} ${d.code}: ${d.message}`);
    b.addEventListener('click', () => go(d));
    return h('li', {}, b);
  }));
}
