/**
 * IKEv2 message codecs (RFC 7296), one import for the IKE control plane and traces.
 *
 * Owns nothing itself: it re-exports the header, payload, chain, message, SK layout, names and
 * summary modules, each of which says what it accepts and refuses.
 */
export * from './ikev2-header.js';
export * from './ikev2-numbers.js';
export * from './ikev2-sa.js';
export * from './ikev2-ts.js';
export * from './ikev2-payloads.js';
export * from './ikev2-chain.js';
export * from './ikev2-message.js';
export * from './ikev2-sk.js';
export * from './ikev2-summary.js';
