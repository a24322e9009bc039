/**
 * ARM constructs one by one, each in a small template written for the test: property copy
 * loops, conditions, an outer-scope nested deployment, linked templates, reference() and
 * its placeholders, BGP and point-to-site, child routes; and that no text, however broken,
 * makes the import throw.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importArm, validateScenarioText } from '../../../sim/index.js';
import type { Scenario } from '../../../sim/index.js';

const VNET = (name: string, space: string, extra = ''): string => `{
      "type": "Microsoft.Network/virtualNetworks", "name": "${name}",
      "properties": { "addressSpace": { "addressPrefixes": ["${space}.0.0/16"] },
        "subnets": [ { "name": "app", "properties": { "addressPrefix": "${space}.1.0/24" } }, { "name": "GatewaySubnet", "properties": { "addressPrefix": "${space}.255.0/27" } } ] }${extra}
    }`;

function template(resources: readonly string[], head = ''): string {
  return `{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",${head}\n  "resources": [\n    ${resources.join(',\n    ')}\n  ]\n}\n`;
}

function imported(text: string): { scenario: Scenario; messages: string; text: string; diagnostics: ReturnType<typeof importArm>['diagnostics'] } {
  const r = importArm({ template: { file: 't.json', text } });
  expect(r.errors, JSON.stringify(r.diagnostics)).toBe(0);
  const v = validateScenarioText(r.yaml!, 'x.yaml');
  expect(v.errors, JSON.stringify(v.diagnostics)).toBe(0);
  return { scenario: v.scenario!, messages: r.diagnostics.map((d) => d.message).join('\n'), text, diagnostics: r.diagnostics };
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('ARM constructs', () => {
  it('a property copy loop builds the subnets; copyIndex names its loop', () => {
    const { scenario } = imported(template([`{
      "type": "Microsoft.Network/virtualNetworks", "name": "v",
      "properties": { "addressSpace": { "addressPrefixes": ["10.5.0.0/16"] },
        "copy": [ { "name": "subnets", "count": 3, "input": { "name": "[concat('s', copyIndex('subnets', 1))]", "properties": { "addressPrefix": "[format('10.5.{0}.0/24', copyIndex('subnets'))]" } } } ] }
    }`]));
    expect(scenario.vnets[0]!.subnets.map((x) => x.name)).toEqual(['s1', 's2', 's3']);
  });

  it('a condition that is false leaves the resource out', () => {
    const { scenario } = imported(template([VNET('kept', '10.6'), `{ "condition": "[equals(parameters('mode'), 'both')]", ${VNET('dropped', '10.7').trim().slice(1)}`], '\n  "parameters": { "mode": { "type": "string", "defaultValue": "one" } },'));
    expect(scenario.vnets.map((v) => v.name)).toEqual(['kept']);
  });

  it('an outer-scope nested deployment reads the parent\'s variables', () => {
    const { scenario } = imported(template([`{
      "type": "Microsoft.Resources/deployments", "name": "inner",
      "properties": { "mode": "Incremental", "template": { "resources": [ ${VNET("[variables('name')]", '10.8')} ] } }
    }`], '\n  "variables": { "name": "from-parent" },'));
    expect(scenario.vnets.map((v) => v.name)).toEqual(['from-parent']);
  });

  it('a linked template is named in a warning, not fetched', () => {
    const { messages } = imported(template([VNET('v', '10.9'), '{ "type": "Microsoft.Resources/deployments", "name": "l", "properties": { "templateLink": { "uri": "https://example.com/t.json" } } }']));
    expect(messages).toContain('linked template');
  });

  it('reference() of a public IP and of a gateway\'s BGP settings gives placeholders with warnings at the expression', () => {
    const text = template([
      VNET('v', '10.10'),
      '{ "type": "Microsoft.Network/publicIPAddresses", "name": "pip", "properties": { "publicIPAllocationMethod": "Dynamic" } }',
      `{ "type": "Microsoft.Network/virtualNetworkGateways", "name": "gw", "properties": { "gatewayType": "Vpn", "vpnType": "RouteBased", "sku": { "name": "HighPerformance" }, "enableBgp": true, "bgpSettings": { "asn": 65001 },
        "ipConfigurations": [ { "name": "c", "properties": { "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 'GatewaySubnet')]" }, "publicIPAddress": { "id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip')]" } } } ] } }`,
      `{ "type": "Microsoft.Network/localNetworkGateways", "name": "mirror", "properties": {
        "gatewayIpAddress": "[reference(resourceId('Microsoft.Network/publicIPAddresses', 'pip')).ipAddress]",
        "localNetworkAddressSpace": { "addressPrefixes": [] },
        "bgpSettings": { "asn": 65002, "bgpPeeringAddress": "[reference('gw', '2023-04-01', 'Full').properties.bgpSettings.bgpPeeringAddress]" } } }`,
    ]);
    const r = importArm({ template: { file: 't.json', text } });
    expect(r.errors, JSON.stringify(r.diagnostics)).toBe(0);
    const placeholders = r.diagnostics.filter((d) => d.code === 'IMPORT_PLACEHOLDER');
    expect(placeholders.map((d) => d.line)).toContain(lineOf(text, '"gatewayIpAddress": "[reference('));
    expect(placeholders.map((d) => d.line)).toContain(lineOf(text, '"bgpPeeringAddress"'));
    expect(r.yaml).toMatch(/gatewayIp: 203\.0\.113\.10\b/);
    expect(r.yaml).toMatch(/addressPrefixes: \[ 192\.0\.2\.10\/32 \]/);
    expect(r.yaml).toContain('bgp: { asn: 65001 }');
  });

  it('point-to-site: the first client pool; forced tunnelling from gatewayDefaultSite', () => {
    const { scenario, messages } = imported(template([
      VNET('v', '10.11'),
      '{ "type": "Microsoft.Network/publicIPAddresses", "name": "pip", "properties": {} }',
      '{ "type": "Microsoft.Network/localNetworkGateways", "name": "hq", "properties": { "gatewayIpAddress": "198.51.100.3", "localNetworkAddressSpace": { "addressPrefixes": ["192.168.0.0/16"] } } }',
      `{ "type": "Microsoft.Network/virtualNetworkGateways", "name": "gw", "properties": { "gatewayType": "Vpn", "vpnType": "RouteBased", "sku": { "name": "VpnGw1" },
        "ipConfigurations": [ { "name": "c", "properties": { "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 'GatewaySubnet')]" }, "publicIPAddress": { "id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip')]" } } } ],
        "gatewayDefaultSite": { "id": "[resourceId('Microsoft.Network/localNetworkGateways', 'hq')]" },
        "vpnClientConfiguration": { "vpnClientAddressPool": { "addressPrefixes": ["172.16.201.0/24", "172.16.202.0/24"] }, "vpnClientProtocols": ["OpenVPN"] } } }`,
      `{ "type": "Microsoft.Network/connections", "name": "gw-hq", "properties": { "connectionType": "IPsec", "sharedKey": "k3y",
        "virtualNetworkGateway1": { "id": "[resourceId('Microsoft.Network/virtualNetworkGateways', 'gw')]" }, "localNetworkGateway2": { "id": "[resourceId('Microsoft.Network/localNetworkGateways', 'hq')]" } } }`,
    ]));
    expect(scenario.gateways[0]!.p2s?.addressPool.len).toBe(24);
    expect(scenario.gateways[0]!.defaultSite).toBe('hq');
    expect(messages).toContain('vpnClientConfiguration.vpnClientProtocols');
    expect(messages).toContain('172.16.202.0/24');
  });

  it('a connection without sharedKey gets one placeholder key for both directions; IKEv1 on a route-based gateway is named', () => {
    const gw = (name: string, vnet: string): string => `{ "type": "Microsoft.Network/virtualNetworkGateways", "name": "${name}", "properties": { "gatewayType": "Vpn", "vpnType": "RouteBased", "sku": { "name": "Standard" },
        "ipConfigurations": [ { "name": "c", "properties": { "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', '${vnet}', 'GatewaySubnet')]" } } } ] } }`;
    const conn = (name: string, a: string, b: string, extra = ''): string => `{ "type": "Microsoft.Network/connections", "name": "${name}", "properties": { "connectionType": "Vnet2Vnet"${extra},
        "virtualNetworkGateway1": { "id": "[resourceId('Microsoft.Network/virtualNetworkGateways', '${a}')]" }, "virtualNetworkGateway2": { "id": "[resourceId('Microsoft.Network/virtualNetworkGateways', '${b}')]" } } }`;
    const text = template([VNET('a', '10.13'), VNET('b', '10.14'), gw('ga', 'a'), gw('gb', 'b'), conn('ab', 'ga', 'gb', ', "connectionProtocol": "IKEv1"'), conn('ba', 'gb', 'ga')]);
    const r = importArm({ template: { file: 't.json', text } });
    const s = validateScenarioText(r.yaml!, 'x.yaml').scenario!;
    expect(s.connections[0]!.sharedKey).toMatch(/^vgwsim[a-z2-7]{13}$/);
    expect(s.connections[1]!.sharedKey).toBe(s.connections[0]!.sharedKey);
    expect(r.diagnostics.filter((d) => d.code === 'IMPORT_PLACEHOLDER' && d.message.includes('pre-shared key'))).toHaveLength(2);
    expect(r.diagnostics.find((d) => d.message.includes('asks for IKEv1'))?.line).toBe(lineOf(text, '"connectionProtocol"'));
  });

  it('routes as child resources of a route table; an unknown resource type is counted', () => {
    const { scenario, messages } = imported(template([
      '{ "type": "Microsoft.Network/routeTables", "name": "rt", "properties": {} }',
      '{ "type": "Microsoft.Network/routeTables/routes", "name": "rt/default", "properties": { "addressPrefix": "0.0.0.0/0", "nextHopType": "Internet" } }',
      VNET('v', '10.12').replace('"addressPrefix": "10.12.1.0/24"', `"addressPrefix": "10.12.1.0/24", "routeTable": { "id": "[resourceId('Microsoft.Network/routeTables', 'rt')]" }`),
      '{ "type": "Microsoft.Storage/storageAccounts", "name": "s1" }',
      '{ "type": "Microsoft.Storage/storageAccounts", "name": "s2" }',
    ]));
    expect(scenario.vnets[0]!.subnets[0]!.routes.map((r) => r.nextHop)).toEqual(['Internet']);
    expect(messages).toContain('Microsoft.Storage/storageAccounts ×2');
  });

  it('subnet properties the 2016 model lacks are named, inline and as child resources', () => {
    const { messages } = imported(template([
      VNET('v', '10.15').replace('"addressPrefix": "10.15.1.0/24"', '"addressPrefix": "10.15.1.0/24", "networkSecurityGroup": { "id": "nsg" }'),
      '{ "type": "Microsoft.Network/virtualNetworks/subnets", "name": "v/extra", "properties": { "addressPrefix": "10.15.2.0/24", "delegations": [] } }',
    ]));
    expect(messages).toContain("subnet 'app' of VNet 'v': networkSecurityGroup has no place");
    expect(messages).toContain('properties.delegations');
  });

  it('a child resource whose name lacks its parent segment is refused at its name', () => {
    const text = template(['{ "type": "Microsoft.Network/virtualNetworks/subnets", "name": "lonely", "properties": {} }']);
    const r = importArm({ template: { file: 't.json', text } });
    expect(r.diagnostics[0]).toMatchObject({ code: 'TEMPLATE_INVALID', line: lineOf(text, '"lonely"') });
    expect(r.diagnostics[0]!.message).toContain('parent/child');
  });
});

describe('ARM import output is safe to print', () => {
  it('control characters from the template are escaped in every message', () => {
    const text = template([VNET('v\\u001b[31mred', '10.16').replace('"addressPrefix": "10.16.1.0/24"', '"addressPrefix": "10.16.1.0/24", "odd\\u001b": 1')]);
    const r = importArm({ template: { file: 't.json', text } });
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) expect(d.message).not.toMatch(/\u001b/);
    expect(r.yaml).not.toMatch(/\u001b/);
  });
});

describe('ARM import never throws', () => {
  it('on random cuts, swaps and insertions of the fixtures', () => {
    const texts = ['site-to-site.json', 'vnet-to-vnet-copy.json', 'policy-based-ipsec.json', 'expressroute-coexist.json'].map((f) => readFileSync(`test/fixtures/import/arm/${f}`, 'utf8'));
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const junk = ['"', '[', ']', '{', '}', ',', "'", '(', ')', '[variables(', "[parameters('x')]", '-1', '1e999', '\\u0000', '/*', '"[copyIndex()]"'];
    for (let k = 0; k < 300; k++) {
      const t = texts[rand(texts.length)]!;
      const at = rand(t.length);
      const mutated = rand(2) === 0 ? t.slice(0, at) + junk[rand(junk.length)]! + t.slice(at + rand(4)) : t.slice(0, at) + t.slice(at + rand(60));
      const r = importArm({ template: { file: 'm.json', text: mutated } });
      for (const d of r.diagnostics) expect(d.line).toBeGreaterThanOrEqual(1);
    }
  });
});
