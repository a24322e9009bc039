/**
 * Test support: a real strongSwan charon as the IKE peer of a test, in a private network
 * namespace. One import for the tests: the config description (strongswan/config.ts), the
 * runner (strongswan/runner.ts, with harness.sh), and the readers of charon's key log
 * (strongswan/charon-log.ts) and of `swanctl --list-sas` (strongswan/list-sas.ts).
 * Owns nothing itself; refuses nothing itself.
 */
export * from './strongswan/config.js';
export * from './strongswan/runner.js';
export * from './strongswan/charon-log.js';
export * from './strongswan/list-sas.js';
