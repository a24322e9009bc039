/**
 * vgwsim's public API, the Node.js entry (`vgwsim`): what `cli/` (and any other front end)
 * may import. Everything else under sim/ is internal; the benchmark's structures have
 * their own entry (`vgwsim/bench`, sim/bench/index.ts).
 */
export { validateScenarioText } from './scenario/validate.js';
export type { Validation } from './scenario/validate.js';
export { validateScenarioFile, runScenario, whatIf } from './node-host.js';
export type { RunOptions } from './node-host.js';
export { captureLinks } from './scenario/run.js';
export type { RunResult, RunProgress, FlowSummary, ExpectationResult, SaSummary, TunnelSummary, Captures } from './scenario/run.js';
export type { InjectionOutcome } from './gateway/internet-link.js';
export { CRYPTO_BACKEND_NAMES } from './ipsec/crypto.js';
export { cryptoBackendProblem, DEFAULT_CRYPTO } from './ipsec/backends.js';
export type { CryptoBackend, CryptoBackendName } from './ipsec/crypto.js';
export type { ForwardStats } from './gateway/pipeline.js';
export { compileWorld } from './scenario/compile/index.js';
export type { Scenario, Flow } from './scenario/types.js';
export { MIN_FLOW_SIZE } from './scenario/types.js';
export { MAX_SECONDS, MAX_SECONDS_TEXT } from './scenario/units.js';
export { formatDiagnostic, DIAGNOSTIC_INFO, DIAGNOSTIC_CODES } from './scenario/diagnostics.js';
export { escapeControls } from './scenario/source-text.js';
export type { Diagnostic, DiagnosticCode } from './scenario/diagnostics.js';
export { DROP_REASONS, DROP_REASON_NAMES } from './engine/drop-reasons.js';
export type { DropReason } from './engine/drop-reasons.js';
export { CollectSink } from './engine/events.js';
export { PcapMemorySink, PcapStreamSink, captureFileName } from './engine/capture.js';
export type { CaptureSink } from './engine/capture.js';
export type { SimEvent, HopEvent, EndEvent, FaultEvent, InjectEvent, EventSink, RouteView } from './engine/events.js';
export { scenarioJsonSchema } from './scenario/schema/index.js';
export { parseIPv4 } from './net/ipv4.js';
export { WHAT_IF_FLOW } from './scenario/what-if.js';
export type { WhatIf } from './scenario/what-if.js';
export { explain, explainDrop, allExplanations, DROP_EXPLANATIONS, DIAGNOSTIC_EXPLANATIONS } from './explain.js';
export type { Explanation, ExplainEntry, ExplainKind } from './explain.js';
export { gradeLab } from './lab.js';
export type { LabGrade, LabGoal } from './lab.js';
export { renderDiagram, diagramGraph } from './diagram.js';
export { graphText } from './gateway/graph-text.js';
export type { GraphFormat } from './gateway/graph-text.js';
export type { DiagramFormat, DiagramGraph } from './diagram.js';
export { shardRefusal, planShards, shardOption, mergeShardResults, mergeShardEvents } from './scenario/shard.js';
export { formatIPv4 } from './net/ipv4.js';
export { openPeerSession } from './peer-host.js';
export { ikeOutputText, ikeOutputJson, ikePayloadLines } from './gateway/ike-text.js';
export { withNotify } from './gateway/ike-summary.js';
export type { IkeConnectionSummary, IkeSaSummary } from './gateway/ike-summary.js';
export type { PeerOptions, PeerPorts, PeerSession, PeerSessionResult } from './peer-host.js';
export { ikeSides, ipsecConnectionNames, STRONGSWAN_RETRANSMIT, STRONGSWAN_REKEY_MARGIN } from './gateway/ike-sides.js';
export type { IkeSides, IkeInitiator } from './gateway/ike-sides.js';
export type { IkeDatagram, IkeOutput, IkeTunnelConfig, IkeSessionStatus, SelectorPair } from './ike/endpoint.js';
export { IKEV1_DECRYPTION_TABLE, IKEV2_DECRYPTION_TABLE } from './ike/wireshark-tables.js';
