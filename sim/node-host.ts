/**
 * What vgwsim takes from Node.js: reading a scenario file, and the crypto backends by
 * name. The layers below (wire, net, engine, gateway, scenario) import nothing from Node,
 * so a browser build can use them as they are; this module is where Node comes in, and
 * sim/index.ts, the Node.js entry, re-exports it.
 *
 * Files: `loadScenarioFile` checks the size (before reading) and that the bytes are
 * UTF-8, then hands the text to the loader; every failure is a diagnostic, never a throw.
 * Crypto: `runScenario` and `whatIf` here take a backend name (`native`, `node`, `forge`)
 * and default to DEFAULT_CRYPTO (the native addon when it was built, else node:crypto);
 * the scenario layer's own versions take the backend itself.
 */
import { readFileSync, statSync } from 'node:fs';
import { cryptoBackend, cryptoBackendProblem, DEFAULT_CRYPTO } from './ipsec/backends.js';
import type { CryptoBackend, CryptoBackendName } from './ipsec/crypto.js';
import type { EventSink } from './engine/events.js';
import { diag, errorText, loadScenarioText, MAX_SCENARIO_BYTES, tooBig } from './scenario/loader.js';
import type { LoadResult } from './scenario/loader.js';
import { runScenario as runWithBackend } from './scenario/run.js';
import type { RunOptions as BackendRunOptions, RunResult } from './scenario/run.js';
import { bytesProblem } from './scenario/source-text.js';
import type { Scenario } from './scenario/types.js';
import { validateLoaded } from './scenario/validate.js';
import type { Validation } from './scenario/validate.js';
import { whatIf as whatIfWithBackend } from './scenario/what-if.js';
import type { WhatIf } from './scenario/what-if.js';

/**
 * Load a scenario file. A missing or unreadable file, one over 1 MiB or one in UTF-16 or
 * UTF-32 gives one SCHEMA diagnostic at 1:1 (the size is checked before reading); other
 * bytes that are not UTF-8, one at the first of them. Never throws.
 */
export function loadScenarioFile(path: string): LoadResult {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) {
      return { unreadable: true, diagnostics: [diag('SCHEMA', path, { line: 1, column: 1 }, `cannot read ${path}: not a regular file; give the path of a .yaml or .json scenario`)] };
    }
    if (st.size > MAX_SCENARIO_BYTES) return { diagnostics: [tooBig(path, st.size)] };
    const bytes = readFileSync(path);
    const bad = bytesProblem(bytes);
    if (bad !== undefined) return { diagnostics: [diag('SCHEMA', path, bad.pos, `${path} ${bad.message}`)] };
    text = bytes.toString('utf8');
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    const why = code === 'ENOENT' ? 'no such file; check the path' : code === 'EACCES' ? 'permission denied' : errorText(e);
    return { unreadable: true, diagnostics: [diag('SCHEMA', path, { line: 1, column: 1 }, `cannot read ${path}: ${why}`)] };
  }
  return loadScenarioText(text, path);
}

/** Load and check a scenario file. Never throws. */
export function validateScenarioFile(path: string): Validation {
  return validateLoaded(path, () => loadScenarioFile(path));
}

/** The backend named `name`; a name the caller did not check first (cryptoBackendProblem) is its bug. */
function backendNamed(name: CryptoBackendName | undefined): CryptoBackend {
  const crypto = cryptoBackend(name ?? DEFAULT_CRYPTO.name);
  if (!crypto) throw new Error(cryptoBackendProblem(name ?? DEFAULT_CRYPTO.name));
  return crypto;
}

/** RunOptions with the crypto backend named (default DEFAULT_CRYPTO). */
export interface RunOptions extends Omit<BackendRunOptions, 'crypto'> {
  /** ESP crypto backend: native, node or forge (all give the same bytes); default DEFAULT_CRYPTO. */
  readonly crypto?: CryptoBackendName;
}

/** Run a scenario (see sim/scenario/run.ts) with the named crypto backend. */
export function runScenario(s: Scenario, opts: RunOptions = {}): RunResult {
  return runWithBackend(s, { ...opts, crypto: backendNamed(opts.crypto) });
}

/** One what-if packet (see sim/scenario/what-if.ts), with the default crypto backend. */
export function whatIf(s: Scenario, q: WhatIf, sink: EventSink): { error: string } | { result: RunResult } {
  return whatIfWithBackend(s, q, sink, DEFAULT_CRYPTO);
}
