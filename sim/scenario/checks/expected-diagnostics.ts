/**
 * EXPECTED_DIAGNOSTICS: a scenario meant to be rejected lists the codes it expects
 * (`expectDiagnostics:`); this rule runs after every other one, over their diagnostics.
 */
import { DIAGNOSTIC_CODES, Report } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { suggest } from '../suggest.js';
import type { Scenario } from '../types.js';

/**
 * For a scenario meant to be rejected (`expectDiagnostics: [CODE, ...]`): an
 * EXPECTED_DIAGNOSTICS error naming each listed code that did not occur in `diagnostics`
 * (and any listed name that is no diagnostic code at all). Empty when the list is empty or
 * every code occurred.
 */
export function checkExpectedDiagnostics(s: Scenario, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  if (s.expectDiagnostics.length === 0) return [];
  const got = new Set<string>(diagnostics.map((d) => d.code));
  const known = new Set<string>(DIAGNOSTIC_CODES);
  const missing = [...new Set(s.expectDiagnostics.filter((c) => !got.has(c)))];
  if (missing.length === 0) return [];
  const unknown = missing.filter((c) => !known.has(c));
  const absent = missing.filter((c) => known.has(c));
  const parts: string[] = [];
  if (absent.length > 0) {
    parts.push(
      `expected diagnostic${absent.length > 1 ? 's' : ''} ${absent.join(', ')} did not occur (got ${got.size > 0 ? [...got].join(', ') : 'none'}); fix the scenario so it shows the problem, or remove ${absent.length > 1 ? 'them' : 'it'} from expectDiagnostics`,
    );
  }
  for (const c of unknown) {
    const hint = suggest(c, DIAGNOSTIC_CODES);
    parts.push(`${c} is not a diagnostic code${hint !== undefined ? `; did you mean ${hint}?` : ''}`);
  }
  const r = new Report(s);
  r.add('EXPECTED_DIAGNOSTICS', 'expectDiagnostics', parts.join('; '));
  return r.out;
}


