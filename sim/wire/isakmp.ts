/**
 * IKEv1 (ISAKMP, RFC 2408/2409/2407, NAT-D of RFC 3947) message codecs: the one entry the IKE
 * layer imports. It only re-exports; each job has its own file:
 *
 * - `isakmp-header.ts`   the 28-byte header
 * - `isakmp-chain.ts`    the payload chain, raw payload views for hashing, padding before encryption
 * - `isakmp-payloads.ts` payload bodies (KE, ID, HASH, Nonce, N, D, V, NAT-D, unknown)
 * - `isakmp-sa.ts`       the SA payload: proposals, transforms, TV/TLV attributes
 * - `isakmp-message.ts`  whole datagrams, cleartext or encrypted
 * - `isakmp-names.ts`    the numbers and their RFC names
 * - `isakmp-vendor.ts`   known vendor IDs
 * - `isakmp-summary.ts`  strongSwan's one-line summary
 *
 * Nothing here encrypts, hashes or keeps state.
 */
export * from './isakmp-chain.js';
export * from './isakmp-header.js';
export * from './isakmp-message.js';
export * from './isakmp-names.js';
export * from './isakmp-payloads.js';
export * from './isakmp-sa.js';
export * from './isakmp-summary.js';
export * from './isakmp-vendor.js';
