/**
 * A site device's `nat:` block (sim/scenario/schema/device-nat.ts, the site's rule in
 * declarations.ts, checks/device-nat.ts): read into the device's own address and compiled
 * into WDevice.natPrivateIp; refused at its line and column when it is no address (INVALID_PREFIX),
 * has an unknown key or no privateIp (SCHEMA), equals the site's gatewayIp (SCHEMA) or is no
 * unicast address (NON_UNICAST_ADDRESS); a DEVICE_BEHIND_NAT warning with Azure's 2016 words
 * on each NATed device of an IPsec site, for both VPN types, that says so when the device
 * does not initiate; none for a site no IPsec connection uses; the JSON Schema lists the key.
 */
import { describe, expect, it } from 'vitest';
import { lineColumn } from '../../support/line-column.js';
import { scenarioJsonSchema } from '../../../sim/scenario/schema/index.js';
import { compileWorld } from '../../../sim/scenario/compile/index.js';
import { validateScenarioText } from '../../../sim/scenario/validate.js';
import { ip } from '../../wire/hex.js';

/** A scenario whose site "hq" (gatewayIp 198.51.100.1) has a device of `vpnType` with the lines `device` under `device:`. */
function scenarioWith(device: readonly string[], opts: { vpnType?: 'RouteBased' | 'PolicyBased'; connected?: boolean } = {}): string {
  const vpnType = opts.vpnType ?? 'RouteBased';
  return [
    'name: device nat',
    'vnets:',
    '  - name: vnet1',
    '    addressSpace: [10.1.0.0/16]',
    '    subnets:',
    '      - { name: apps, prefix: 10.1.0.0/24 }',
    '      - { name: GatewaySubnet, prefix: 10.1.255.0/27 }',
    'gateways:',
    `  - { name: gw1, vnet: vnet1, vpnType: ${vpnType}, sku: ${vpnType === 'RouteBased' ? 'Standard' : 'Basic'}, publicIp: 203.0.113.10 }`,
    'sites:',
    '  - name: hq',
    '    gatewayIp: 198.51.100.1',
    '    addressPrefixes: [192.168.0.0/16]',
    '    device:',
    `      vpnType: ${vpnType}`,
    ...device.map((l) => `      ${l}`),
    ...(opts.connected === false ? [] : ['connections:', '  - { name: gw1-hq, type: IPsec, gateway: gw1, site: hq, sharedKey: "s3cret" }']),
  ].join('\n') + '\n';
}

const at = lineColumn;

function diagnostics(text: string): string[] {
  return validateScenarioText(text, 'nat.yaml').diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);
}

describe('device nat: a good block', () => {
  it('is read into the device\'s own address and compiled beside the public one', () => {
    const text = scenarioWith(['nat: { privateIp: 192.168.1.2 }']);
    const v = validateScenarioText(text, 'nat.yaml');
    expect(v.errors).toBe(0);
    const nat = v.scenario!.sites[0]!.device!.nat!;
    expect([nat.privateIp, nat.privateIpText, nat.path]).toEqual([ip('192.168.1.2'), '192.168.1.2', 'sites[0].device.nat']);
    const { world } = compileWorld(v.scenario!);
    expect(world.sites[0]!.device.natPrivateIp).toBe(ip('192.168.1.2'));
    expect(world.sites[0]!.device.publicIp).toBe(ip('198.51.100.1'));
  });

  it('a device without nat compiles to natPrivateIp null', () => {
    const v = validateScenarioText(scenarioWith([]), 'nat.yaml');
    expect(compileWorld(v.scenario!).world.sites[0]!.device.natPrivateIp).toBeNull();
  });

  it('any unicast address is accepted, private or not (a carrier-grade NAT hands out 100.64.0.0/10)', () => {
    for (const addr of ['10.0.0.2', '100.64.3.4', '198.51.100.77']) {
      expect(validateScenarioText(scenarioWith([`nat: { privateIp: ${addr} }`]), 'nat.yaml').errors, addr).toBe(0);
    }
  });
});

describe('device nat: what is refused, at its line and column', () => {
  it('privateIp equal to the site\'s gatewayIp', () => {
    const text = scenarioWith(['nat: { privateIp: 198.51.100.1 }']);
    const d = diagnostics(text);
    expect(d).toEqual([
      `${at(text, '198.51.100.1 }')} error SCHEMA site "hq": device.nat.privateIp 198.51.100.1 is the site's gatewayIp; behind a NAT the device's own address differs from the NAT's public one (gatewayIp): write the device's address behind the NAT, or remove nat if the device has the public address itself`,
    ]);
  });

  it('an address where no unicast host can be', () => {
    const text = scenarioWith(['nat: { privateIp: 127.0.0.5 }']);
    const d = diagnostics(text);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatch(new RegExp(`^${at(text, '127.0.0.5')} error NON_UNICAST_ADDRESS site "hq": device.nat.privateIp 127.0.0.5 is in 127.0.0.0/8 `));
  });

  it('no address, an unknown key, no privateIp', () => {
    const bad = scenarioWith(['nat: { privateIp: 192.168.1.300 }']);
    expect(diagnostics(bad)[0]).toMatch(new RegExp(`^${at(bad, '192.168.1.300')} error INVALID_PREFIX `));
    const unknown = scenarioWith(['nat: { privateIp: 192.168.1.2, publicPort: 4500 }']);
    expect(diagnostics(unknown)[0]).toMatch(new RegExp(`^${at(unknown, 'publicPort')} error SCHEMA .*publicPort`));
    const empty = scenarioWith(['nat: {}']);
    expect(diagnostics(empty)[0]).toMatch(/error SCHEMA .*privateIp/);
  });
});

describe('device nat: the DEVICE_BEHIND_NAT warning', () => {
  for (const vpnType of ['RouteBased', 'PolicyBased'] as const) {
    it(`${vpnType}: at the nat block, quoting Azure's 2016 document, the scenario still valid`, () => {
      const text = scenarioWith(['nat:', '  privateIp: 192.168.1.2'], { vpnType });
      const v = validateScenarioText(text, 'nat.yaml');
      expect(v.errors).toBe(0);
      const d = diagnostics(text);
      expect(d).toHaveLength(1);
      expect(d[0]).toMatch(new RegExp(`^${at(text, 'privateIp: 192.168.1.2')} warning DEVICE_BEHIND_NAT the device of site "hq" is behind a NAT \\(its own address 192.168.1.2, public 198.51.100.1\\)`));
      expect(d[0]).toContain('"cannot be located behind a NAT" (articles/vpn-gateway/vpn-gateway-site-to-site-create.md, ms.date 10/14/2016)');
      expect(d[0]).toContain('with the device starting every negotiation');
    });
  }

  it('a device that does not initiate: the warning says the tunnel never comes up', () => {
    const d = diagnostics(scenarioWith(['nat: { privateIp: 192.168.1.2 }', 'ike: { initiate: false }']));
    expect(d).toHaveLength(1);
    expect(d[0]).toContain('Its ike.initiate is false, and the gateway cannot start a negotiation through the NAT');
    expect(d[0]).toContain('the tunnel never comes up');
  });

  it('no warning for a site no IPsec connection uses', () => {
    expect(diagnostics(scenarioWith(['nat: { privateIp: 192.168.1.2 }'], { connected: false }))).toEqual([]);
  });
});

describe('device nat: the JSON Schema', () => {
  it('lists nat with its required privateIp', () => {
    const json = JSON.stringify(scenarioJsonSchema());
    expect(json).toContain('"nat"');
    expect(json).toMatch(/"privateIp":\{[^}]*"description":"The device's own address behind the NAT/);
  });
});
