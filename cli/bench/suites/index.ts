/**
 * The registry of `vgw bench` suites, in run order. A suite is a file in this folder that
 * exports a `Suite` (case.ts); adding one is that file plus a line here. Pairs that differ
 * only in a parameter share a file (forward.ts: the scenario; esp.ts: the direction);
 * lpm and classify share the lookup case shape (lookup-case.ts).
 */
import { classifySuite } from './classify.js';
import { endToEndSuite } from './end-to-end.js';
import { espDecryptSuite, espEncryptSuite } from './esp.js';
import { forwardPolicySuite, forwardRouteSuite } from './forward.js';
import { ikeSuite } from './ike.js';
import { lpmSuite } from './lpm.js';
import type { CaseThunk, SuiteOptions } from './case.js';

export type { BuiltCase, CaseThunk, NotRun, Suite, SuiteOptions, UserAddresses, UserSelectors, UserTable } from './case.js';

const REGISTRY = [lpmSuite, classifySuite, forwardRouteSuite, forwardPolicySuite, espEncryptSuite, espDecryptSuite, ikeSuite, endToEndSuite] as const;

export type SuiteName = (typeof REGISTRY)[number]['name'];

/** Every suite, in run order. */
export const SUITE_LIST: readonly (typeof REGISTRY)[number][] = REGISTRY;

/** Every suite name, in run order. */
export const SUITES: readonly SuiteName[] = REGISTRY.map((s) => s.name);

/** The cases of the chosen suites, in run order. */
export function planSuites(suites: readonly SuiteName[], o: SuiteOptions): CaseThunk[] {
  return REGISTRY.filter((s) => suites.includes(s.name)).flatMap((s) => s.plan(o));
}
