/**
 * The Node.js host (sim/node-host.ts): the entry's runScenario picks the backend by name
 * and defaults to DEFAULT_CRYPTO (the native addon when built, else node:crypto), while
 * the scenario layer's own runScenario takes a backend and defaults to node-forge; all
 * give the same bytes. validateScenarioFile reads through loadScenarioFile.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CRYPTO, runScenario, validateScenarioFile } from '../sim/index.js';
import { CRYPTO_BACKENDS } from '../sim/ipsec/backends.js';
import { runScenario as runWithBackend } from '../sim/scenario/run.js';
import { ROOT } from './support/run-cli.js';

const v = validateScenarioFile(join(ROOT, 'scenarios', 's2s-esp-tamper-mtu.yaml'));

describe('node host', () => {
  it('reads and validates a scenario file', () => {
    expect(v.errors).toBe(0);
    expect(v.scenario).toBeDefined();
  });

  it('runs on DEFAULT_CRYPTO unless a backend is named, with the same captures on each', () => {
    const s = v.scenario!;
    const byDefault = runScenario(s, { capture: true });
    expect(byDefault.crypto).toBe(DEFAULT_CRYPTO.name);
    const node = runScenario(s, { capture: true, crypto: 'node' });
    expect(node.crypto).toBe('node');
    const forge = runWithBackend(s, { capture: true });
    expect(forge.crypto).toBe('forge');
    const viaObject = runWithBackend(s, { capture: true, crypto: CRYPTO_BACKENDS.node });
    expect(viaObject.crypto).toBe('node');
    for (const r of [node, forge, viaObject]) expect(r.captures!.pcaps).toEqual(byDefault.captures!.pcaps);
  });

  it('refuses a backend that is not available here', () => {
    expect(() => runScenario(v.scenario!, { crypto: 'bogus' as 'node' })).toThrow(/unknown crypto backend/);
  });
});
