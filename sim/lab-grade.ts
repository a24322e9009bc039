/**
 * Grading a teaching lab from its run: a lab is a scenario whose `expect:` entries are the
 * goals, each with a `hint:`; the run's expectation results become a report (each goal
 * passed or failed with its hint, a score). Pure over a Validation and a RunResult, so any
 * front end grades the same way whatever ran the scenario (Node: sim/lab.ts; the browser:
 * sim/web/index.ts).
 */
import type { Validation } from './scenario/validate.js';
import type { Diagnostic } from './scenario/diagnostics.js';
import type { RunResult } from './scenario/run.js';

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

/** Grade a validated lab scenario from `r`, its run (absent when the scenario is invalid). */
export function gradeRun(v: Validation, r: RunResult | undefined): LabGrade {
  if (!v.scenario || !r) return { valid: false, diagnostics: v.diagnostics };
  const goals = r.expectations.map((e, i): LabGoal => ({
    n: i + 1, flow: e.flow, passed: e.passed, message: e.message, ...(e.hint !== undefined ? { hint: e.hint } : {}),
  }));
  return { valid: true, diagnostics: v.diagnostics, goals, passed: r.passed, total: goals.length, complete: goals.length > 0 && r.failed === 0 };
}
