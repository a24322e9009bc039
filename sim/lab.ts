/**
 * Grading a teaching lab in Node.js: validate, run with the default crypto backend, and
 * grade the run (sim/lab-grade.ts). Reading and copying lab folders is the front end's
 * business.
 */
import type { Validation } from './scenario/validate.js';
import { gradeRun } from './lab-grade.js';
import type { LabGrade } from './lab-grade.js';
import { runScenario } from './node-host.js';

export type { LabGoal, LabGrade } from './lab-grade.js';

/** Grade a validated lab scenario. */
export function gradeLab(v: Validation): LabGrade {
  return gradeRun(v, v.scenario ? runScenario(v.scenario, { traceLimit: 0 }) : undefined);
}
