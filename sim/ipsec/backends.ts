/**
 * The crypto backends by name, for the CLI's `--crypto node|forge` and for tests that run
 * the same suite over each. node:crypto is the default.
 */
import type { CryptoBackend, CryptoBackendName } from './crypto.js';
import { forgeCrypto } from './crypto-forge.js';
import { nodeCrypto } from './crypto-node.js';

/** Every backend, by name. */
export const CRYPTO_BACKENDS: { readonly [K in CryptoBackendName]: CryptoBackend } = { node: nodeCrypto, forge: forgeCrypto };

/** The default backend. */
export const DEFAULT_CRYPTO: CryptoBackend = nodeCrypto;

/** Backend by name, or null if unknown. */
export function cryptoBackend(name: string): CryptoBackend | null {
  return name === 'node' || name === 'forge' ? CRYPTO_BACKENDS[name] : null;
}
