/**
 * The IKE bench workload negotiates for real (both child SAs up, four datagrams), records
 * the crypto calls one negotiation makes (two DH key pairs, two shared secrets, PRF calls,
 * SK encryption both ways), and its floor replays exactly those calls.
 */
import { describe, expect, it } from 'vitest';
import { compileWorld, validateScenarioFile } from '../../sim/index.js';
import { CRYPTO_BACKENDS, IkeWorkload } from '../../sim/bench/index.js';
import type { CryptoBackend } from '../../sim/index.js';
import { ROOT } from '../support/run-cli.js';

function world() {
  const v = validateScenarioFile(`${ROOT}/scenarios/s2s-route-based-multisite.yaml`);
  return compileWorld(v.scenario!).world;
}

/** `be` counting its calls by method. */
function counting(be: CryptoBackend, counts: Map<string, number>): CryptoBackend {
  return new Proxy(be, {
    get(target, name, receiver) {
      const v = Reflect.get(target, name, receiver) as unknown;
      if (typeof v !== 'function' || typeof name !== 'string') return v;
      return (...args: unknown[]) => {
        counts.set(name, (counts.get(name) ?? 0) + 1);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe('the IKE bench workload', () => {
  const w = new IkeWorkload(world(), 0, 1, CRYPTO_BACKENDS.node);

  it('negotiates IKE_SA_INIT and IKE_AUTH between the two sides of a route-based connection', () => {
    expect(w.datagrams).toBe(4);
    expect(w.azure.version).toBe(2);
    expect([w.azure.connection, w.device.connection]).toEqual(['to-hq', 'hq/to-hq']);
    expect(w.callCounts).toMatchObject({ dhPublic: 2, dhShared: 2 });
    expect(w.callCounts['prf']).toBeGreaterThan(10);
    expect(w.callCounts['cbcEncrypt']).toBe(2);
    expect(w.callCounts['cbcDecrypt']).toBe(2);
    expect(w.negotiate(CRYPTO_BACKENDS.forge, 2)).toBe(2);
  });

  it('its floor makes the same calls as a negotiation, and a negotiation makes no others', () => {
    const floor = new Map<string, number>();
    w.bare(counting(CRYPTO_BACKENDS.node, floor), 3);
    const real = new Map<string, number>();
    w.negotiate(counting(CRYPTO_BACKENDS.node, real), 3);
    const times3 = Object.fromEntries(Object.entries(w.callCounts).map(([k, n]) => [k, n * 3]));
    expect(Object.fromEntries(floor)).toEqual(times3);
    expect(Object.fromEntries(real)).toEqual(times3);
  });
});
