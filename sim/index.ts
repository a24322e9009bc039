/**
 * vgwsim's public API: what `cli/` (and any other front end) may import. Everything else
 * under sim/ is internal.
 */
export { validateScenarioFile, validateScenarioText } from './scenario/validate.js';
export type { Validation } from './scenario/validate.js';
export { runScenario } from './scenario/run.js';
export type { RunOptions, RunResult, FlowSummary, ExpectationResult, SaSummary } from './scenario/run.js';
export type { ForwardStats } from './gateway/pipeline.js';
export { compileWorld } from './scenario/compile.js';
export type { Scenario, Flow } from './scenario/types.js';
export { formatDiagnostic, DIAGNOSTIC_INFO, DIAGNOSTIC_CODES } from './scenario/diagnostics.js';
export type { Diagnostic, DiagnosticCode } from './scenario/diagnostics.js';
export { DROP_REASONS, DROP_REASON_NAMES } from './engine/drop-reasons.js';
export type { DropReason } from './engine/drop-reasons.js';
export { CollectSink } from './engine/events.js';
export type { SimEvent, HopEvent, EndEvent, FaultEvent, EventSink, RouteView } from './engine/events.js';
export { scenarioJsonSchema } from './scenario/schema.js';
export { parseIPv4 } from './net/ipv4.js';
export { whatIf, WHAT_IF_FLOW } from './scenario/what-if.js';
export type { WhatIf } from './scenario/what-if.js';
export * from './bench/index.js';
