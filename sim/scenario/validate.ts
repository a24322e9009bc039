/**
 * Validation as users see it: load (schema), check (rules), resolve flows, and compare
 * with `expectDiagnostics`. One entry point for `vgw validate`, `vgw run` and the tests
 * (files through sim/node-host.ts's `validateScenarioFile`).
 * A scenario past vgwsim's size limits (scale.ts) gets only those diagnostics.
 * A file's validation shares one budget of "did you mean" work (suggest.ts); its
 * diagnostics are listed in file order, at most MAX_DIAGNOSTICS of them and then one
 * TOO_MANY_DIAGNOSTICS (the counts stay complete). The one place where the control
 * characters of every message and path are escaped (source-text.ts): a front end shows
 * them as they come, one line each.
 */
import { loadScenarioText } from './loader.js';
import type { LoadResult } from './loader.js';
import { checkScenario, checkExpectedDiagnostics } from './check.js';
import { checkScale } from './scale.js';
import { compileWorld } from './compile.js';
import { positionOf } from './types.js';
import type { Scenario } from './types.js';
import { capDiagnostics, severityOf } from './diagnostics.js';
import { FILE_SUGGEST_BUDGET, withSuggestBudget } from './suggest.js';
import type { Diagnostic } from './diagnostics.js';
import { escapeControls } from './source-text.js';

export interface Validation {
  /** Present when there is no error (warnings allowed). */
  readonly scenario?: Scenario;
  /** Errors and warnings, in file order. */
  readonly diagnostics: readonly Diagnostic[];
  readonly errors: number;
  readonly warnings: number;
  /** True when the file could not be read at all: its one diagnostic says why. */
  readonly unreadable?: boolean;
}

/** The diagnostic with the control characters of its message and path escaped: text to show, one line. */
function escaped(d: Diagnostic): Diagnostic {
  const message = escapeControls(d.message);
  const path = d.path === undefined ? undefined : escapeControls(d.path);
  return message === d.message && path === d.path ? d : { ...d, message, ...(path === undefined ? {} : { path }) };
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}

function finish(loaded: LoadResult, file: string): Validation {
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const s = loaded.scenario;
  if (s) {
    // Past vgwsim's size limits the rules would cost too much: only the limits are reported.
    const tooLarge = checkScale(s);
    diagnostics.push(...(tooLarge.length > 0 ? tooLarge : checkScenario(s)));
    if (!diagnostics.some((d) => d.severity === 'error')) {
      // Flow endpoints that cannot start anywhere are found by the compiler.
      const { flows } = compileWorld(s);
      for (const f of flows) {
        if ('error' in f) {
          const pos = positionOf(s, f.path);
          diagnostics.push({ code: 'UNKNOWN_REFERENCE', severity: severityOf('UNKNOWN_REFERENCE'), file, line: pos.line, column: pos.column, message: f.error, path: f.path });
        }
      }
    }
    diagnostics.push(...checkExpectedDiagnostics(s, diagnostics));
  }
  // A list the loader cut is kept as it is (there is no scenario to check): its last entry counts the rest.
  const unlisted = loaded.unlisted ?? 0;
  if (unlisted === 0) diagnostics.sort(byPosition);
  const real = diagnostics.filter((d) => d.code !== 'TOO_MANY_DIAGNOSTICS');
  const errors = real.filter((d) => d.severity === 'error').length + unlisted;
  const warnings = real.length - (errors - unlisted);
  const listed = (unlisted > 0 ? diagnostics : capDiagnostics(diagnostics)).map(escaped);
  if (loaded.unreadable) return { diagnostics: listed, errors, warnings, unreadable: true };
  return errors === 0 && s ? { scenario: s, diagnostics: listed, errors, warnings } : { diagnostics: listed, errors, warnings };
}

/**
 * Check what `load` loaded (`file` names it in diagnostics), under one "did you mean"
 * budget with the loading. Never throws. A host that reads files (sim/node-host.ts)
 * validates a file with it.
 */
export function validateLoaded(file: string, load: () => LoadResult): Validation {
  return withSuggestBudget(FILE_SUGGEST_BUDGET, () => finish(load(), file));
}

/** Load and check scenario text (`file` names it in diagnostics). Never throws. */
export function validateScenarioText(text: string, file: string): Validation {
  return validateLoaded(file, () => loadScenarioText(text, file));
}
