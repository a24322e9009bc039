/**
 * vgwsim's browser entry: what the web page (web/) may import. The same scenario layer as
 * the Node.js entry (sim/index.ts), without anything of Node: scenario text instead of
 * files, and ESP and IKE crypto through node-forge (pure JavaScript, the same bytes as the
 * native and node:crypto backends). Nothing here or below it imports a `node:` module; the
 * bundler (scripts/build-web.mjs) refuses a bundle that does.
 */
import { CollectSink } from '../engine/events.js';
import type { SimEvent } from '../engine/events.js';
import { forgeCrypto } from '../ipsec/crypto-forge.js';
import { runScenario } from '../scenario/run.js';
import type { RunResult } from '../scenario/run.js';
import { validateScenarioText } from '../scenario/validate.js';
import type { Validation } from '../scenario/validate.js';

export { validateScenarioText } from '../scenario/validate.js';
export type { Validation } from '../scenario/validate.js';
export type { RunResult, FlowSummary, ExpectationResult, Captures, TunnelSummary, SaSummary } from '../scenario/run.js';
export type { Scenario } from '../scenario/types.js';
export type { Diagnostic } from '../scenario/diagnostics.js';
export { DIAGNOSTIC_INFO } from '../scenario/diagnostics.js';
export type { SimEvent, HopEvent, EndEvent, RouteView } from '../engine/events.js';
export { scenarioJsonSchema } from '../scenario/schema/index.js';
export { DROP_EXPLANATIONS, DIAGNOSTIC_EXPLANATIONS } from '../explain.js';
export type { Explanation } from '../explain.js';
export { diagramGraph } from '../diagram.js';
export type { DiagramGraph } from '../diagram.js';
export { ikePayloadLines } from '../gateway/ike-text.js';
export { withNotify } from '../gateway/ike-summary.js';
export { gradeRun } from '../lab-grade.js';
export { planLabVariant, applyLabVariant, MAX_LAB_VARIANT } from '../lab-variant.js';
export type { LabGrade, LabGoal } from '../lab-grade.js';
export { IKEV1_DECRYPTION_TABLE, IKEV2_DECRYPTION_TABLE } from '../ike/wireshark-tables.js';
export { captureFileName } from '../engine/capture.js';

/** Options of a run in the page. */
export interface WebRunOptions {
  /** Packets traced per flow (the first N of each); default 100, as `vgw run`. */
  readonly traceLimit?: number;
  /** Keep every link's capture as pcap bytes in RunResult.captures; default false. */
  readonly capture?: boolean;
}

/** A checked and (when valid) simulated scenario text. */
export interface WebRun {
  readonly validation: Validation;
  /** Present when the scenario is valid (warnings allowed). */
  readonly result?: RunResult;
  /** The run's events, in the order `vgw run --json` prints them. */
  readonly events: readonly SimEvent[];
}

/**
 * Validate `text` (`file` names it in diagnostics) and, when it has no error, run it with
 * the node-forge crypto backend. Never throws for bad input: diagnostics say what is wrong.
 */
export function runScenarioText(text: string, file: string, opts: WebRunOptions = {}): WebRun {
  const validation = validateScenarioText(text, file);
  if (!validation.scenario) return { validation, events: [] };
  const sink = new CollectSink();
  const result = runScenario(validation.scenario, { sink, traceLimit: opts.traceLimit ?? 100, crypto: forgeCrypto, capture: opts.capture === true });
  return { validation, result, events: sink.events };
}
export { escapeControls } from '../scenario/source-text.js';
