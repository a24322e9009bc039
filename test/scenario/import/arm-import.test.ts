/**
 * `importArm` on templates in the shapes of Azure's quickstart templates: each imports
 * without errors, its YAML validates and runs with the same output every time, and
 * diagnostics point at the template line they are about (found in the fixture text, not
 * written down). Bad templates give TEMPLATE_INVALID at the offending line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importArm, runScenario, validateScenarioText } from '../../../sim/index.js';
import type { ArmImportInput } from '../../../sim/index.js';

const DIR = 'test/fixtures/import/arm';

function source(name: string): { file: string; text: string } {
  const file = `${DIR}/${name}`;
  return { file, text: readFileSync(file, 'utf8') };
}

/** 1-based line of the first line of `text` containing `needle` (after line `after`). */
function lineOf(text: string, needle: string, after = 0): number {
  const i = text.split('\n').findIndex((l, k) => k >= after && l.includes(needle));
  if (i < 0) throw new Error(`fixture has no line with ${needle}`);
  return i + 1;
}

const FIXTURES: readonly (readonly [string, Omit<ArmImportInput, 'template'>])[] = [
  ['site-to-site.json', { parameters: source('site-to-site.parameters.json') }],
  ['vnet-to-vnet-copy.json', {}],
  ['policy-based-ipsec.json', {}],
  ['expressroute-coexist.json', {}],
  ['bicep-modules.json', {}],
];

function summary(yaml: string): unknown {
  const v = validateScenarioText(yaml, 'imported.yaml');
  expect(v.errors, JSON.stringify(v.diagnostics)).toBe(0);
  const r = runScenario(v.scenario!, { crypto: 'node' });
  return r.flows.map((f) => ({ id: f.id, sent: f.sent, delivered: f.delivered, dropped: f.dropped, via: Object.keys(f.via) }));
}

describe('vgw import arm: fixtures', () => {
  it.each(FIXTURES)('%s imports, validates and runs with deterministic output', (name, rest) => {
    const a = importArm({ template: source(name), ...rest });
    expect(a.errors, JSON.stringify(a.diagnostics.filter((d) => d.severity === 'error'))).toBe(0);
    expect(a.yaml).toBeDefined();
    const b = importArm({ template: source(name), ...rest });
    expect(b.yaml).toBe(a.yaml);
    const first = summary(a.yaml!);
    expect(summary(b.yaml!)).toEqual(first);
    // Every flow the import adds goes through its connection and arrives.
    for (const f of first as { sent: number; delivered: number; via: string[] }[]) {
      expect(f.delivered).toBe(f.sent);
      expect(f.via.length).toBe(1);
    }
  });

  it('maps the site-to-site template: parameters file over defaults, VpnGw1 as Standard, a placeholder public IP', () => {
    const t = source('site-to-site.json');
    const a = importArm({ template: t, parameters: source('site-to-site.parameters.json') });
    const v = validateScenarioText(a.yaml!, 'x.yaml');
    const s = v.scenario!;
    expect(s.sites[0]!.gatewayIpText).toBe('198.51.100.20');
    expect(s.gateways[0]!.sku).toBe('Standard');
    expect(s.gateways[0]!.publicIpText).toMatch(/^203\.0\.113\.\d+$/);
    expect(s.vnets[0]!.subnets.map((x) => x.name)).toEqual(['Subnet1', 'GatewaySubnet']);
    const sku = a.diagnostics.find((d) => d.code === 'IMPORT_NOT_MODELLED' && d.message.includes('VpnGw1'));
    expect(sku?.line).toBe(lineOf(t.text, '"sku": { "name": "[parameters(\'gatewaySku\')]"'));
    const pip = a.diagnostics.find((d) => d.code === 'IMPORT_PLACEHOLDER');
    expect(pip?.file).toBe(t.file);
    expect(pip?.line).toBe(lineOf(t.text, '"publicIPAddress": { "id"'));
    const unmodelled = a.diagnostics.filter((d) => d.message.startsWith('resource types vgwsim does not model'));
    expect(unmodelled).toHaveLength(1);
    expect(unmodelled[0]!.message).toContain('Microsoft.Compute/virtualMachines ×1');
    expect(a.yaml).toContain(`# resources[2] virtualNetworks 'azureVnet'  (${t.file}:${lineOf(t.text, '"type": "Microsoft.Network/virtualNetworks"') - 1}:5)`);
  });

  it('--set overrides the parameters file, and a rule the YAML breaks is reported at the template line', () => {
    const t = source('site-to-site.json');
    const a = importArm({ template: t, parameters: source('site-to-site.parameters.json'), set: [['vpnType', 'PolicyBased'], ['gatewaySku', 'VpnGw2']] });
    const d = a.diagnostics.find((x) => x.code === 'SKU_NOT_AVAILABLE');
    expect(d, JSON.stringify(a.diagnostics)).toBeDefined();
    expect(d!.file).toBe(t.file);
    expect(d!.line).toBe(lineOf(t.text, '"sku": { "name": "[parameters(\'gatewaySku\')]"'));
    expect(d!.message).toContain('imported from resources[4].properties.sku.name');
    expect(a.errors).toBeGreaterThan(0);
  });

  it('expands copy loops and an inner-scope nested deployment', () => {
    const a = importArm({ template: source('vnet-to-vnet-copy.json') });
    const s = validateScenarioText(a.yaml!, 'x.yaml').scenario!;
    expect(s.vnets.map((v) => v.name)).toEqual(['net1', 'net2']);
    expect(s.vnets[1]!.subnets.map((x) => `${x.name} ${x.prefix.addr >>> 24}.${(x.prefix.addr >>> 16) & 255}.${(x.prefix.addr >>> 8) & 255}.0/${x.prefix.len}`)).toEqual(['app 10.12.1.0/24', 'GatewaySubnet 10.12.255.0/27']);
    expect(s.gateways.map((g) => [g.name, g.sku, g.bgp?.asn])).toEqual([['net1-gw', 'HighPerformance', 65010], ['net2-gw', 'Standard', undefined]]);
    expect(s.connections.map((c) => [c.name, c.type, c.gateway, c.peerGateway])).toEqual([
      ['net1-to-net2', 'Vnet2Vnet', 'net1-gw', 'net2-gw'],
      ['net2-to-net1', 'Vnet2Vnet', 'net2-gw', 'net1-gw'],
    ]);
    expect(new Set(s.gateways.map((g) => g.publicIpText)).size).toBe(2);
  });

  it('maps route tables, child subnets and ipsecPolicies; names what 2016 lacks', () => {
    const t = source('policy-based-ipsec.json');
    const a = importArm({ template: t });
    const s = validateScenarioText(a.yaml!, 'x.yaml').scenario!;
    expect(s.vnets[0]!.subnets.map((x) => x.name)).toEqual(['app', 'GatewaySubnet']);
    expect(s.vnets[0]!.subnets[0]!.routes.map((r) => r.nextHop)).toEqual(['VirtualNetworkGateway', 'None']);
    expect(s.connections[0]!.transform).toBe('aes128-sha1');
    const messages = a.diagnostics.map((d) => d.message).join('\n');
    expect(messages).toContain('VirtualAppliance is not imported');
    expect(messages).toContain('usePolicyBasedTrafficSelectors');
    expect(messages).toContain('ikeEncryption');
    expect(a.diagnostics.find((d) => d.message.includes('VirtualAppliance'))!.line).toBe(lineOf(t.text, '"nextHopType": "VirtualAppliance"'));
  });

  it('ExpressRoute coexistence: the circuit takes the VPN site as its on-premises end, ErGw1AZ becomes Standard', () => {
    const a = importArm({ template: source('expressroute-coexist.json') });
    const s = validateScenarioText(a.yaml!, 'x.yaml').scenario!;
    expect(s.circuits.map((c) => [c.name, c.site, c.bandwidth])).toEqual([['er-hq', 'hq', 1e9]]);
    expect(s.gateways.map((g) => [g.name, g.type, g.sku])).toEqual([['er-gw', 'ExpressRoute', 'Standard'], ['vpn-gw', 'Vpn', 'Standard']]);
    expect(a.diagnostics.some((d) => d.message.includes('ErGw1AZ'))).toBe(true);
  });
});

describe('vgw import arm: Bicep output', () => {
  it('reads symbolic-name resources, a module\'s outputs through reference(), and names the existing resource it skips', () => {
    const t = source('bicep-modules.json');
    const a = importArm({ template: t });
    const s = validateScenarioText(a.yaml!, 'x.yaml').scenario!;
    expect(s.gateways.map((g) => [g.name, g.vnet])).toEqual([['spoke-gw', 'spoke']]);
    expect(s.sites[0]!.addressPrefixes).toHaveLength(2);
    const existing = a.diagnostics.find((d) => d.message.includes('existing resource'));
    expect(existing?.line).toBe(lineOf(t.text, '"logs"'));
    // IKEv2 on a route-based gateway is what 2016 did: nothing to say.
    expect(a.diagnostics.some((d) => d.message.includes('connectionProtocol'))).toBe(false);
  });
});

describe('vgw import arm: bad templates', () => {
  const base = (resources: string, extra = ''): string => `{\n  "$schema": "x",\n  "parameters": {${extra}},\n  "resources": [\n${resources}\n  ]\n}\n`;
  const pip = (name: string, more = ''): string => `    { "type": "Microsoft.Network/publicIPAddresses", "name": ${name}${more}, "properties": {} }`;

  it.each<[string, string, RegExp, string]>([
    ['malformed JSON', '{\n  "resources": [\n    { "type": "a" "name": "b" }\n  ]\n}\n', /not valid JSON: a comma was expected/, '"name": "b"'],
    ['an unknown function', base(pip(`"[nosuch('x')]"`)), /unknown template function 'nosuch'/, 'nosuch'],
    ['a wrong argument type', base(pip(`"[toLower(1)]"`)), /'toLower' expects its argument to be of type String/, 'toLower'],
    ['a missing parameter without default', base(pip(`"[parameters('p')]"`), '\n    "p": { "type": "string" }\n  '), /parameter 'p' has no value and no defaultValue/, '"p": {'],
    ['a copy count that is not an integer', base(pip(`"[concat('p', copyIndex())]"`, `, "copy": { "name": "l", "count": "[json('2.5')]" }`)), /copy count must be an integer/, '"count"'],
    ['a cycle of variables', base(pip(`"[variables('a')]"`)).replace('"parameters": {}', '"parameters": {},\n  "variables": { "a": "[variables(\'b\')]", "b": "[variables(\'a\')]" }'), /depends on itself/, '"variables"'],
    ['a cycle of dependsOn', base(`${pip('"a"', ', "dependsOn": ["b"]')},\n${pip('"b"', `, "dependsOn": ["[resourceId('Microsoft.Network/publicIPAddresses', 'a')]"]`)}`), /circular dependency detected: 'a' depends on 'b' depends on 'a'/, '"name": "a"'],
    ['a value outside allowedValues', base(pip(`"[parameters('p')]"`), '\n    "p": { "type": "string", "defaultValue": "x", "allowedValues": ["a"] }\n  '), /not among its allowedValues/, '"defaultValue"'],
  ])('%s: TEMPLATE_INVALID at its line', (_what, text, msg, needle) => {
    const r = importArm({ template: { file: 'bad.json', text } });
    expect(r.errors).toBeGreaterThan(0);
    const d = r.diagnostics.find((x) => x.code === 'TEMPLATE_INVALID');
    expect(d, JSON.stringify(r.diagnostics)).toBeDefined();
    expect(d!.message).toMatch(msg);
    expect(d!.file).toBe('bad.json');
    expect(d!.line).toBe(lineOf(text, needle));
  });

  it('a parameter the template does not define is refused where the parameters file gives it', () => {
    const params = { file: 'p.json', text: '{\n  "parameters": {\n    "nope": { "value": 1 }\n  }\n}\n' };
    const r = importArm({ template: { file: 't.json', text: base(pip('"a"')) }, parameters: params });
    expect(r.diagnostics[0]).toMatchObject({ code: 'TEMPLATE_INVALID', file: 'p.json', line: 3 });
  });

  it('a template with multi-line strings and comments reads', () => {
    const text = '{\n  // comment\n  "resources": [\n    { "type": "Microsoft.Network/publicIPAddresses", "name": "a", "properties": { "x": "two\nlines" } } /* c */\n  ]\n}\n';
    const r = importArm({ template: { file: 't.json', text } });
    expect(r.errors).toBe(0);
  });
});
