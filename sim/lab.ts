/**
 * Grading a teaching lab: a lab is a scenario whose `expect:` entries are the goals, each
 * with a `hint:`. Grading validates and runs it and turns the expectations into a report
 * (each goal passed or failed with its hint, a score). Pure over a Validation: reading
 * and copying lab folders is the front end's business.
 */
import type { Validation } from './scenario/validate.js';
import type { Diagnostic } from './scenario/diagnostics.js';
import { runScenario } from './node-host.js';

export interface LabGoal {
  /** 1-based goal number (the expectation's position). */
  readonly n: number;
  readonly flow: string;
  readonly passed: boolean;
  /** What was expected and what happened. */
  readonly message: string;
  readonly hint?: string;
}

export type LabGrade =
  | { readonly valid: false; readonly diagnostics: readonly Diagnostic[] }
  | {
      readonly valid: true;
      /** Warnings only. */
      readonly diagnostics: readonly Diagnostic[];
      readonly goals: readonly LabGoal[];
      readonly passed: number;
      readonly total: number;
      /** Every goal passed (and there is at least one). */
      readonly complete: boolean;
    };

/** Grade a validated lab scenario. */
export function gradeLab(v: Validation): LabGrade {
  if (!v.scenario) return { valid: false, diagnostics: v.diagnostics };
  const r = runScenario(v.scenario, { traceLimit: 0 });
  const goals = r.expectations.map((e, i): LabGoal => ({
    n: i + 1, flow: e.flow, passed: e.passed, message: e.message, ...(e.hint !== undefined ? { hint: e.hint } : {}),
  }));
  return { valid: true, diagnostics: v.diagnostics, goals, passed: r.passed, total: goals.length, complete: goals.length > 0 && r.failed === 0 };
}
