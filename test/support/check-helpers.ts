/**
 * Test support for the semantic-check tests: build a scenario from a fixture and find the
 * one diagnostic a check must report, with its severity, file and position.
 */
import { expect } from 'vitest';
import { checkScenario } from '../../sim/scenario/checks/index.js';
import type { Diagnostic, DiagnosticCode } from '../../sim/scenario/diagnostics.js';
import { positionOf } from '../../sim/scenario/types.js';
import type { Scenario } from '../../sim/scenario/types.js';
import { buildScenario, routeBased } from './build-scenario.js';
import type { ScenarioIn } from './build-scenario.js';

/**
 * The one diagnostic of `code` at `path`; asserts its severity, file and position. A
 * SCHEMA diagnostic of an access-list line points into the line (the offending token):
 * same line, at or right of the value's column.
 */
export function diagAt(s: Scenario, code: DiagnosticCode, path: string, severity: 'error' | 'warning' = 'error'): Diagnostic {
  const ds = checkScenario(s);
  const hits = ds.filter((d) => d.code === code && d.path === path);
  expect(hits, `expected ${code} at ${path}; got ${ds.map((d) => `${d.code}@${d.path}`).join(', ') || 'nothing'}`).toHaveLength(1);
  const d = hits[0] as Diagnostic;
  expect(d.severity).toBe(severity);
  expect(d.file).toBe(s.file);
  const pos = positionOf(s, path);
  if (code === 'SCHEMA') {
    expect(d.line).toBe(pos.line);
    expect(d.column).toBeGreaterThanOrEqual(pos.column);
  } else {
    expect({ line: d.line, column: d.column }).toEqual(pos);
  }
  return d;
}

/** Every diagnostic as `CODE@path`. */
export function codes(s: Scenario): string[] {
  return checkScenario(s).map((d) => `${d.code}@${d.path ?? ''}`);
}

/** A fixture (route-based unless `base` says otherwise), changed by `f`, built. */
export function build(f: (x: ScenarioIn) => void, base: () => ScenarioIn = routeBased): Scenario {
  const x = base();
  f(x);
  return buildScenario(x);
}
