/**
 * The crypto backends by name, for the CLI's `--crypto native|node|forge` and for tests
 * that run the same suite over each. The default is the native addon when it was built
 * (`npm ci` builds it), else node:crypto; all give the same bytes.
 *
 * Node.js only (the native addon and node:crypto): sim/node-host.ts and the bench import
 * it; the scenario layer is handed a backend and never imports this table.
 */
import type { CryptoBackend } from './crypto.js';
import { forgeCrypto } from './crypto-forge.js';
import { nativeCrypto, nativeProblem } from './crypto-native.js';
import { nodeCrypto } from './crypto-node.js';

/** The backends that are available here, by name (native only when its addon loaded). */
export const CRYPTO_BACKENDS: { readonly native?: CryptoBackend; readonly node: CryptoBackend; readonly forge: CryptoBackend } = {
  ...(nativeCrypto ? { native: nativeCrypto } : {}),
  node: nodeCrypto,
  forge: forgeCrypto,
};

/** The default backend: native when built, else node:crypto. */
export const DEFAULT_CRYPTO: CryptoBackend = nativeCrypto ?? nodeCrypto;

/** Backend by name, or null if unknown or not available here (see `cryptoBackendProblem`). */
export function cryptoBackend(name: string): CryptoBackend | null {
  return name === 'native' || name === 'node' || name === 'forge' ? CRYPTO_BACKENDS[name] ?? null : null;
}

/** Why backend `name` cannot be used here, or '' when it can. */
export function cryptoBackendProblem(name: string): string {
  if (cryptoBackend(name)) return '';
  if (name === 'native') return nativeProblem;
  return `unknown crypto backend "${name}"`;
}
