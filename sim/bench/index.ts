/**
 * The bench entry (`vgwsim/bench`): what `vgw bench` needs from the library besides the
 * public API (sim/index.ts): workloads, baselines (including the bitset classifier the
 * simulator does not use) and the structures under test.
 * Not public API: these names change with the structures. Pure: no clock here; cli/bench/
 * times the calls.
 */
export { randomSelectors, selectorProbes } from './workloads.js';
export { bgpRoutes, insideAddresses, randomAddresses, zipfAddresses } from './lpm-workloads.js';
export { workloadSelectors, SELECTOR_WORKLOADS, PROBES_INSIDE } from './workloads.js';
export type { SelectorWorkload } from './workloads.js';
export { NativeScan, nativeScanProblem } from './native-scan.js';
export { IpNumLpm, LinearLpm, classifyAgrees, lookupAgrees } from './baselines.js';
export { parseTableText, parseSelectorsText, parseAddressesText, resultsChecksum, SELECTOR_ACTIONS } from './data.js';
export type { DataError, Parsed, FileSelector } from './data.js';
export { ForwardBench, randomTraffic, flowTraffic, loadBatch } from './forward.js';
export type { Traffic, BenchFlow, NodeRuntimeRow } from './forward.js';
export { EspWorkload, ESP_BENCH_TRANSFORMS } from './esp.js';
export { LpmTable, DIR_MIN_ROUTES, VECTOR_SIZE } from '../net/lpm.js';
export type { LpmRoute, LpmStrategy, LpmVector } from '../net/lpm.js';
export { SelectorClassifier } from '../net/classifier.js';
export { BitsetClassifier } from './classifier-bitset.js';
export type { Selector, ClassifierStrategy } from '../net/classifier.js';
export { CRYPTO_BACKENDS } from '../ipsec/backends.js';
export { nativeAddon, nativeProblem, nativeOpenssl } from '../ipsec/crypto-native.js';
export { IkeWorkload } from './ike.js';
export { NativeDir24, nativeLpmProblem } from './native-lpm.js';
export { TABLE_FORMATS, detectTableFormat } from './table-formats.js';
export type { TableFormat } from './table-formats.js';
