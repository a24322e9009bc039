/**
 * checkScenario: pre-shared keys as Azure and IKE accept them (sim/scenario/checks/shared-keys.ts): never empty
 * or only whitespace; a key Azure holds (a connection's, or a device's standing in for a
 * connection without one) 1-128 letters and digits. Reported at the key's position; never
 * echoed.
 */
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../../sim/scenario/checks/index.js';
import { sharedKeyProblem } from '../../../sim/scenario/checks/shared-keys.js';
import { validateScenarioText } from '../../../sim/scenario/validate.js';
import type { Scenario } from '../../../sim/scenario/types.js';
import { policyBased, routeBased } from '../../support/build-scenario.js';
import type { ScenarioIn } from '../../support/build-scenario.js';
import { codes, diagAt, build as buildWith } from '../../support/check-helpers.js';

const build = (f: (x: ScenarioIn) => void, base: () => ScenarioIn = policyBased): Scenario => buildWith(f, base);

describe('SHARED_KEY_INVALID', () => {
  it.each([
    ['', 'is empty'],
    ['   ', 'is only whitespace'],
    ['\t\n', 'is only whitespace'],
    ['Summer2016!', 'has characters other than letters and digits'],
    ['two words', 'has characters other than letters and digits'],
    ['k'.repeat(129), 'is longer than 128 characters'],
  ])('a connection key %j %s', (key, what) => {
    const s = build((x) => (x.connections![0]!.sharedKey = key));
    const d = diagAt(s, 'SHARED_KEY_INVALID', 'connections[0].sharedKey');
    const ike = key.trim() === '' ? ', and IKE cannot authenticate without one' : '';
    expect(d.message).toBe(
      `connection "gw1-hq": sharedKey ${what}; Azure accepts a pre-shared key of 1-128 letters and digits (A-Z, a-z, 0-9)${ike}: set one on both ends`,
    );
    if (key.trim() !== '') expect(d.message).not.toContain(key);
  });

  it("an empty device key, at the device's sharedKey", () => {
    const s = build((x) => (x.sites![0]!.device!.sharedKey = ''));
    const d = diagAt(s, 'SHARED_KEY_INVALID', 'sites[0].device.sharedKey');
    expect(d.message).toBe(
      "the device of site \"hq\": sharedKey is empty; IKE authenticates both ends with the pre-shared key and cannot without one: set the connection's key here, or remove the device's key to use the connection's",
    );
  });

  it("a device key Azure could not hold is the connection's mismatch, reported once (SHARED_KEY_MISMATCH)", () => {
    const s = build((x) => (x.sites![0]!.device!.sharedKey = 'Hunter-2'));
    expect(codes(s)).toEqual(['SHARED_KEY_MISMATCH@sites[0].device.sharedKey']);
    const long = build((x) => (x.sites![0]!.device!.sharedKey = 'k'.repeat(129)));
    expect(codes(long)).toEqual(['SHARED_KEY_MISMATCH@sites[0].device.sharedKey']);
  });

  it("a device key standing in for a connection without a key gets Azure's rule", () => {
    const s = build((x) => {
      x.sites![0]!.device!.sharedKey = 'Hunter-2';
      delete x.connections![0]!.sharedKey;
    });
    expect(diagAt(s, 'SHARED_KEY_INVALID', 'sites[0].device.sharedKey').message).toBe(
      'the device of site "hq": sharedKey has characters other than letters and digits; connection "gw1-hq" has no sharedKey of its own, so Azure\'s end would need this one, and Azure accepts a pre-shared key of 1-128 letters and digits (A-Z, a-z, 0-9): set a key of 1-128 letters and digits on connection "gw1-hq" and here',
    );
    expect(codes(build((x) => {
      x.sites![0]!.device!.sharedKey = 'Hunter2';
      delete x.connections![0]!.sharedKey;
    }))).toEqual([]);
  });

  it('a VNet-to-VNet connection key', () => {
    const s = build((x) => (x.connections![2]!.sharedKey = 'v2v-key'), routeBased);
    const d = diagAt(s, 'SHARED_KEY_INVALID', 'connections[2].sharedKey');
    expect(d.message).not.toContain('v2v-key');
  });

  it('near miss: 1 and 128 letters and digits; no key at all (the tunnel stays down, no error)', () => {
    expect(codes(build((x) => (x.connections![0]!.sharedKey = 'k')))).toEqual([]);
    expect(codes(build((x) => (x.connections![0]!.sharedKey = 'aZ09'.repeat(32))))).toEqual([]);
    expect(codes(build((x) => delete x.connections![0]!.sharedKey))).toEqual([]);
  });

  it('the rule in words', () => {
    expect(sharedKeyProblem('abc123XYZ')).toBeUndefined();
    expect(sharedKeyProblem('é')).toBe('has characters other than letters and digits');
  });

  it('from YAML: an empty key is refused at its line and column, and no message holds a key', () => {
    const text = [
      'name: keys',
      'vnets:',
      '  - { name: v, addressSpace: [10.1.0.0/16], subnets: [ { name: GatewaySubnet, prefix: 10.1.255.0/27 } ] }',
      'gateways:',
      '  - { name: g, vnet: v, type: Vpn, vpnType: RouteBased, sku: Standard, publicIp: 203.0.113.10 }',
      'sites:',
      '  - { name: s, gatewayIp: 198.51.100.1, addressPrefixes: [192.168.0.0/16], device: { vpnType: RouteBased, sharedKey: "Secret-Key-1" } }',
      'connections:',
      '  - { name: c, type: IPsec, gateway: g, site: s, sharedKey: "" }',
      '',
    ].join('\n');
    const v = validateScenarioText(text, 'keys.yaml');
    const at = (code: string) => v.diagnostics.filter((d) => d.code === code).map((d) => `${d.line}:${d.column} ${d.path}`);
    expect(at('SHARED_KEY_INVALID')).toEqual(['9:61 connections[0].sharedKey']);
    expect(at('SHARED_KEY_MISMATCH')).toEqual(['7:118 sites[0].device.sharedKey']);
    for (const d of v.diagnostics) expect(d.message).not.toContain('Secret-Key-1');
    expect(v.errors).toBeGreaterThan(0);
  });

  it('no message of any check contains a bad key', () => {
    const s = build((x) => {
      x.sites![0]!.device!.sharedKey = 'TOP-SECRET-1';
      x.connections![0]!.sharedKey = 'TOP SECRET 2';
    });
    const ds = checkScenario(s);
    expect(ds.map((d) => d.code)).toContain('SHARED_KEY_INVALID');
    for (const d of ds) expect(d.message).not.toMatch(/TOP.SECRET/);
  });
});
