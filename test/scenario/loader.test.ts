/**
 * Loader tests: the contract's full example into the typed model, positions, every kind of
 * SCHEMA / INVALID_PREFIX problem with its line:column and message, all problems at once,
 * and the safety limits (alias bombs, tags, size, several documents, unreadable files,
 * shared keys never echoed).
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { severityOf } from '../../sim/scenario/diagnostics.js';
import type { Diagnostic } from '../../sim/scenario/diagnostics.js';
import { loadScenarioText, MAX_SCENARIO_BYTES, tooDeep, utf8Length } from '../../sim/scenario/loader.js';
import { loadScenarioFile } from '../../sim/node-host.js';
import { Parser } from 'yaml';
import type { LoadResult } from '../../sim/scenario/loader.js';
import { validateScenarioText } from '../../sim/scenario/validate.js';
import type { Scenario } from '../../sim/scenario/types.js';
import { firstInvalidUtf8, LineIndex } from '../../sim/scenario/source-text.js';

/** The full example of SCENARIO-FORMAT.md, verbatim. */
const EXAMPLE = [
  "# yaml-language-server: $schema=./scenario.schema.json",
  "name: Site-to-Site, policy-based",
  "description: One VNet, one on-premises site, a policy-based Basic gateway.",
  "seed: 1                      # every random choice (SPIs, keys, IVs, loss) derives from it",
  "",
  "vnets:",
  "  - name: vnet1",
  "    addressSpace: [10.1.0.0/16]",
  "    subnets:",
  "      - name: frontend",
  "        prefix: 10.1.0.0/24",
  "        # routes: user-defined routes, next hop VirtualNetworkGateway | Internet | None",
  "        # routes: [ { prefix: 0.0.0.0/0, nextHop: VirtualNetworkGateway } ]",
  "      - { name: GatewaySubnet, prefix: 10.1.255.0/27 }",
  "    hosts:",
  "      - { name: vm1, ip: 10.1.0.4 }",
  "",
  "gateways:",
  "  - name: gw1",
  "    vnet: vnet1",
  "    type: Vpn                # Vpn | ExpressRoute",
  "    vpnType: PolicyBased     # PolicyBased | RouteBased; classic aliases Static | Dynamic",
  "    sku: Basic               # Basic | Standard | HighPerformance",
  "    publicIp: 203.0.113.10",
  "    # bgp: { asn: 65515 }    # route-based only, where the SKU allows",
  "    # p2s:                   # route-based only",
  "    #   addressPool: 172.16.201.0/24",
  "    #   clients: [ { name: laptop1 } ]    # each gets the next free pool address",
  "",
  "sites:                       # local network gateways (on-premises)",
  "  - name: hq",
  "    gatewayIp: 198.51.100.1",
  "    addressPrefixes: [192.168.0.0/16]",
  "    device:                  # the on-premises VPN device",
  "      vpnType: PolicyBased",
  "      # sharedKey: \"...\"     # when absent, the connection's sharedKey",
  "      # accessList: ordered, first match wins; when absent it mirrors the Azure side",
  "      accessList:",
  "        - permit ip 192.168.0.0/16 10.1.0.0/16",
  "    hosts:",
  "      - { name: pc1, ip: 192.168.1.10 }",
  "",
  "connections:",
  "  - name: gw1-hq",
  "    type: IPsec              # IPsec (Site-to-Site) | Vnet2Vnet | ExpressRoute",
  "    gateway: gw1",
  "    site: hq                 # Vnet2Vnet: peerGateway: gw2",
  "    sharedKey: \"s3cret\"      # both ends; a mismatch keeps the tunnel down",
  "",
  "traffic:",
  "  - { id: ping, from: vm1, to: pc1, proto: icmp, count: 3 }",
  "  - { id: web,  from: pc1, to: 10.1.0.4, proto: tcp, dport: 443, size: 1400, count: 5, start: 1s }",
  "  - { id: lost, from: vm1, to: 172.16.0.9, proto: udp, dport: 53, count: 1 }",
  "",
  "circuits:                    # optional ExpressRoute circuits",
  "  # - { name: er1, bandwidth: 1Gbps, onPremisesPrefixes: [192.168.0.0/16], site: hq }",
  "  # connect with { type: ExpressRoute, gateway: <an ExpressRoute-type gateway>, circuit: er1 }",
  "",
  "faults:                      # optional",
  "  - { at: 30s, connection: gw1-hq, down: true }",
  "",
  "expect:                      # optional; `vgw run` exits 1 when one fails",
  "  - { flow: ping, delivered: all, via: gw1-hq }",
  "  - { flow: web,  delivered: 5 }",
  "  - { flow: lost, internet: all }    # left by the VNet's default route, unencrypted",
].join('\n') + '\n';

/** 1-based line:column of the `nth` occurrence of `needle` in `text` (plus `shift` columns). */
function at(text: string, needle: string, nth = 0, shift = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`fixture: "${needle}" #${nth} not found`);
  }
  const before = text.slice(0, i);
  const line = before.split('\n').length;
  const column = i - before.lastIndexOf('\n') + shift;
  return { line, column };
}

function ok(text: string): Scenario {
  const r = loadScenarioText(text, 'test.yaml');
  expect(r.diagnostics).toEqual([]);
  expect(r.scenario).toBeDefined();
  return r.scenario as Scenario;
}

function errors(text: string, file = 'test.yaml'): readonly Diagnostic[] {
  const r = loadScenarioText(text, file);
  expect(r.scenario).toBeUndefined();
  expect(r.diagnostics.length).toBeGreaterThan(0);
  for (const d of r.diagnostics) {
    expect(d.file).toBe(file);
    expect(d.severity).toBe(severityOf(d.code));
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
  }
  return r.diagnostics;
}

/** The only diagnostic of `text`. */
function single(text: string): Diagnostic {
  const ds = errors(text);
  expect(ds.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toHaveLength(1);
  return ds[0] as Diagnostic;
}

const MINIMAL = `name: minimal
vnets:
  - name: vnet1
    addressSpace: [10.1.0.0/16]
    subnets:
      - { name: GatewaySubnet, prefix: 10.1.255.0/27 }
`;

describe('the contract example', () => {
  it('loads into the typed model', () => {
    const s = ok(EXAMPLE);
    expect(s.file).toBe('test.yaml');
    expect(s.name).toBe('Site-to-Site, policy-based');
    expect(s.description).toBe('One VNet, one on-premises site, a policy-based Basic gateway.');
    expect(s.seed).toBe(1);
    expect(s.edition).toBe('azure-2016-02');
    expect(s.expectDiagnostics).toEqual([]);
    expect(s.circuits).toEqual([]); // `circuits:` with only comments under it

    const v = s.vnets[0];
    expect(s.vnets).toHaveLength(1);
    expect(v?.path).toBe('vnets[0]');
    expect(v?.addressSpace).toEqual([{ addr: 0x0a010000, len: 16, text: '10.1.0.0/16' }]);
    expect(v?.subnets.map((x) => [x.name, x.prefix.text, x.path])).toEqual([
      ['frontend', '10.1.0.0/24', 'vnets[0].subnets[0]'],
      ['GatewaySubnet', '10.1.255.0/27', 'vnets[0].subnets[1]'],
    ]);
    expect(v?.subnets[0]?.routes).toEqual([]);
    expect(v?.hosts).toEqual([{ path: 'vnets[0].hosts[0]', name: 'vm1', ip: 0x0a010004, ipText: '10.1.0.4' }]);

    const g = s.gateways[0];
    expect(g).toEqual({
      path: 'gateways[0]',
      name: 'gw1',
      vnet: 'vnet1',
      type: 'Vpn',
      vpnType: 'PolicyBased',
      sku: 'Basic',
      publicIp: ((203 << 24) | (0 << 16) | (113 << 8) | 10) >>> 0,
      publicIpText: '203.0.113.10',
    });
    expect(g && 'vpnTypeAlias' in g).toBe(false);

    const site = s.sites[0];
    expect(site?.name).toBe('hq');
    expect(site?.gatewayIpText).toBe('198.51.100.1');
    expect(site?.gatewayIp).toBe(((198 << 24) | (51 << 16) | (100 << 8) | 1) >>> 0);
    expect(site?.addressPrefixes.map((p) => p.text)).toEqual(['192.168.0.0/16']);
    expect(site?.device?.vpnType).toBe('PolicyBased');
    expect(site?.device?.sharedKey).toBeUndefined();
    expect(site?.device?.accessList).toEqual([
      { path: 'sites[0].device.accessList[0]', text: 'permit ip 192.168.0.0/16 10.1.0.0/16' },
    ]);
    expect(site?.device?.routes).toBeUndefined();
    expect(site?.hosts[0]?.ipText).toBe('192.168.1.10');

    expect(s.connections).toEqual([
      { path: 'connections[0]', name: 'gw1-hq', type: 'IPsec', gateway: 'gw1', site: 'hq', sharedKey: 's3cret' },
    ]);

    expect(s.traffic).toEqual([
      { path: 'traffic[0]', id: 'ping', from: 'vm1', to: 'pc1', proto: 'icmp', size: 84, count: 3, start: 0, interval: 1, ttl: 64, df: false },
      { path: 'traffic[1]', id: 'web', from: 'pc1', to: '10.1.0.4', proto: 'tcp', dport: 443, size: 1400, count: 5, start: 1, interval: 1, ttl: 64, df: false },
      { path: 'traffic[2]', id: 'lost', from: 'vm1', to: '172.16.0.9', proto: 'udp', dport: 53, size: 64, count: 1, start: 0, interval: 1, ttl: 64, df: false },
    ]);
    expect(s.faults).toEqual([{ path: 'faults[0]', at: 30, connection: 'gw1-hq', down: true }]);
    expect(s.expect).toEqual([
      { path: 'expect[0]', flow: 'ping', delivered: 'all', via: 'gw1-hq' },
      { path: 'expect[1]', flow: 'web', delivered: 5 },
      { path: 'expect[2]', flow: 'lost', internet: 'all' },
    ]);
  });

  it('keeps the position of every value path', () => {
    const s = ok(EXAMPLE);
    const pos = (p: string) => s.positions.get(p);
    expect(pos('')).toEqual(at(EXAMPLE, 'name: Site'));
    expect(pos('name')).toEqual(at(EXAMPLE, 'Site-to-Site, policy-based'));
    expect(pos('vnets')).toEqual(at(EXAMPLE, '- name: vnet1'));
    expect(pos('vnets[0]')).toEqual(at(EXAMPLE, 'name: vnet1'));
    expect(pos('vnets[0].addressSpace')).toEqual(at(EXAMPLE, '[10.1.0.0/16]'));
    expect(pos('vnets[0].addressSpace[0]')).toEqual(at(EXAMPLE, '10.1.0.0/16]'));
    expect(pos('vnets[0].subnets[1]')).toEqual(at(EXAMPLE, '{ name: GatewaySubnet'));
    expect(pos('vnets[0].subnets[1].prefix')).toEqual(at(EXAMPLE, '10.1.255.0/27'));
    expect(pos('vnets[0].hosts[0].ip')).toEqual(at(EXAMPLE, '10.1.0.4 }'));
    expect(pos('gateways[0].sku')).toEqual(at(EXAMPLE, 'Basic    '));
    expect(pos('gateways[0].publicIp')).toEqual(at(EXAMPLE, '203.0.113.10'));
    expect(pos('sites[0].device.accessList[0]')).toEqual(at(EXAMPLE, 'permit ip'));
    expect(pos('connections[0].sharedKey')).toEqual(at(EXAMPLE, '"s3cret"'));
    expect(pos('traffic[1].start')).toEqual(at(EXAMPLE, '1s }'));
    expect(pos('faults[0].at')).toEqual(at(EXAMPLE, '30s'));
    expect(pos('expect[0].delivered')).toEqual(at(EXAMPLE, 'all, via'));
    // Every Located object has a position.
    const located = [
      ...s.vnets,
      ...s.vnets.flatMap((v) => [...v.subnets, ...v.hosts]),
      ...s.gateways,
      ...s.sites,
      ...s.connections,
      ...s.traffic,
      ...s.faults,
      ...s.expect,
    ];
    for (const o of located) expect(s.positions.has(o.path), o.path).toBe(true);
    // Defaults have no position (they are not in the document).
    expect(pos('traffic[0].ttl')).toBeUndefined();
  });

  it('normalises the classic aliases Static and Dynamic, keeping the spelling', () => {
    const text = EXAMPLE.replace('vpnType: PolicyBased     #', 'vpnType: Dynamic     #').replace(
      '      vpnType: PolicyBased\n',
      '      vpnType: Static\n',
    );
    const s = ok(text);
    expect(s.gateways[0]?.vpnType).toBe('RouteBased');
    expect(s.gateways[0]?.vpnTypeAlias).toBe('Dynamic');
    expect(s.sites[0]?.device?.vpnType).toBe('PolicyBased');
    expect(s.sites[0]?.device?.vpnTypeAlias).toBe('Static');
  });

  it('accepts the same scenario as JSON, with positions', () => {
    const json = `{
  "name": "json",
  "vnets": [
    { "name": "vnet1", "addressSpace": ["10.1.0.0/16"], "subnets": [] }
  ],
  "traffic": [ { "id": "f", "from": "10.1.0.4", "to": "10.1.0.5", "proto": "udp", "dport": 53 } ]
}
`;
    const s = ok(json);
    expect(s.vnets[0]?.addressSpace[0]?.text).toBe('10.1.0.0/16');
    expect(s.traffic[0]?.dport).toBe(53);
    expect(s.positions.get('vnets[0].addressSpace[0]')).toEqual(at(json, '"10.1.0.0/16"'));
    expect(s.positions.get('traffic[0].dport')).toEqual(at(json, '53 }'));
  });
});

describe('values with units, counts and defaults', () => {
  it('converts durations to seconds and rates to bits or packets per second', () => {
    const s = ok(`name: units
traffic:
  - { id: a, from: h1, to: h2, proto: udp, start: 250ms, interval: 2s }
  - { id: b, from: h1, to: h2, proto: tcp, start: 8h, rate: 1000pps, count: 10 }
  - { id: c, from: h1, to: h2, proto: icmp, start: 1.5, interval: 0.25, ttl: 3, df: true, size: 1500 }
  - { id: d, from: h1, to: h2, proto: icmp, start: 2m, rate: 4kpps }
circuits:
  - { name: er1, bandwidth: 1Gbps, onPremisesPrefixes: [192.168.0.0/16], site: hq }
  - { name: er2, bandwidth: 50Mbps, onPremisesPrefixes: [192.168.0.0/16], site: hq }
  - { name: er3, bandwidth: 500kbps, onPremisesPrefixes: [192.168.0.0/16], site: hq }
faults:
  - { at: 30s, circuit: er1 }
  - { at: 1m, circuit: er1, down: false }
`);
    expect(s.traffic.map((f) => [f.start, f.interval])).toEqual([
      [0.25, 2],
      [28800, 0.001],
      [1.5, 0.25],
      [120, 0.00025],
    ]);
    expect(s.traffic[1]?.count).toBe(10);
    expect(s.traffic.map((f) => f.size)).toEqual([64, 64, 1500, 84]);
    expect([s.traffic[2]?.ttl, s.traffic[2]?.df]).toEqual([3, true]);
    expect(s.circuits.map((c) => c.bandwidth)).toEqual([1e9, 50e6, 500e3]);
    expect(s.faults).toEqual([
      { path: 'faults[0]', at: 30, circuit: 'er1', down: true },
      { path: 'faults[1]', at: 60, circuit: 'er1', down: false },
    ]);
  });

  it('fills top-level defaults and vgwsim extensions', () => {
    const s = ok(`name: defaults
edition: azure-2016-late
seed: 42
expectDiagnostics: [SCHEMA, GATEWAY_SUBNET_MISSING]
gateways:
  - name: gw1
    vnet: vnet1
    vpnType: RouteBased
    sku: Standard
    defaultSite: hq
    bgp: { asn: 65515 }
    p2s:
      addressPool: 172.16.201.0/24
      clients: [ { name: laptop1 }, { name: laptop2, certificate: revoked } ]
  - { name: er, vnet: vnet1, type: ExpressRoute, sku: HighPerformance }
sites:
  - name: hq
    gatewayIp: 198.51.100.1
    addressPrefixes: [192.168.0.0/16]
    device: { vpnType: RouteBased, routes: [10.1.0.0/16], sharedKey: k3yonprem }
`);
    expect(s.seed).toBe(42);
    expect(s.edition).toBe('azure-2016-late');
    expect(s.expectDiagnostics).toEqual(['SCHEMA', 'GATEWAY_SUBNET_MISSING']);
    expect(s.vnets).toEqual([]);
    expect(s.connections).toEqual([]);
    const gw = s.gateways[0];
    expect(gw?.defaultSite).toBe('hq');
    expect(gw?.bgp).toEqual({ path: 'gateways[0].bgp', asn: 65515 });
    expect(gw?.p2s?.addressPool.text).toBe('172.16.201.0/24');
    expect(gw?.p2s?.clients.map((c) => [c.name, c.certificate])).toEqual([
      ['laptop1', 'valid'],
      ['laptop2', 'revoked'],
    ]);
    expect(s.gateways[1]).toEqual({ path: 'gateways[1]', name: 'er', vnet: 'vnet1', type: 'ExpressRoute', sku: 'HighPerformance' });
    expect(s.sites[0]?.device?.routes?.map((p) => p.text)).toEqual(['10.1.0.0/16']);
    expect(s.sites[0]?.device?.sharedKey).toBe('k3yonprem');
    expect(s.sites[0]?.hosts).toEqual([]);
  });

  it('accepts YAML anchors and aliases within the budget', () => {
    const s = ok(`name: anchors
sites:
  - { name: a, gatewayIp: 198.51.100.1, addressPrefixes: &p [192.168.0.0/16] }
  - { name: b, gatewayIp: 198.51.100.2, addressPrefixes: *p }
`);
    expect(s.sites[1]?.addressPrefixes[0]?.text).toBe('192.168.0.0/16');
    expect(s.positions.get('sites[1].addressPrefixes')).toBeDefined();
  });

  it('accepts explicit core-schema tags and a $schema key', () => {
    const s = ok(`$schema: ./scenario.schema.json
name: !!str 12
seed: !!int 7
`);
    expect(s.name).toBe('12');
    expect(s.seed).toBe(7);
  });

  it('loads a file from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vgw-loader-'));
    const f = join(dir, 'ok.yaml');
    writeFileSync(f, MINIMAL);
    const r = loadScenarioFile(f);
    expect(r.diagnostics).toEqual([]);
    expect(r.scenario?.file).toBe(f);
    expect(r.scenario?.vnets[0]?.subnets[0]?.name).toBe('GatewaySubnet');
  });
});

describe('SCHEMA problems, with line:column and a fix', () => {
  it('unknown key, with "did you mean"', () => {
    const text = MINIMAL.replace('addressSpace', 'adressSpace');
    const ds = errors(text);
    expect(ds).toHaveLength(2);
    expect(ds[1]).toMatchObject({
      code: 'SCHEMA',
      ...at(text, 'adressSpace'),
      path: 'vnets[0].adressSpace',
      message: 'unknown key "adressSpace" in vnet "vnet1"; did you mean "addressSpace"?',
    });
    // the missing addressSpace is reported too, at the vnet (diagnostics are in document order)
    expect(ds[0]).toMatchObject({ ...at(text, 'name: vnet1'), message: expect.stringContaining('missing required key "addressSpace" in vnet "vnet1"') });
  });

  it('unknown key without a near match lists the allowed keys', () => {
    const text = 'name: x\nfrobnicate: 1\n';
    expect(single(text)).toMatchObject({
      line: 2,
      column: 1,
      message: expect.stringMatching(/^unknown key "frobnicate" in the scenario; allowed keys: .*name, description, seed/),
    });
  });

  it('case-insensitive match of a key is suggested', () => {
    expect(single('name: x\nVNETS: []\n').message).toBe('unknown key "VNETS" in the scenario; did you mean "vnets"?');
  });

  it('wrong type', () => {
    const text = 'name: x\nseed: abc\n';
    expect(single(text)).toMatchObject({
      code: 'SCHEMA',
      line: 2,
      column: 7,
      path: 'seed',
      message: '"seed" in the scenario must be an integer 0-4294967295; got "abc"',
    });
    expect(single('name: x\nseed: "5"\n').message).toContain('(remove the quotes)');
    expect(single('name: 5\n').message).toBe('"name" in the scenario must be a non-empty string (a name); got 5 (quote it if you mean text: "5")');
    expect(single('name: x\nvnets: { name: v }\n').message).toBe('"vnets" in the scenario must be a list; got a mapping');
    expect(single('name: x\nvnets:\n  - { name: v, addressSpace: [10.0.0.0/8], subnets: [ { name: s, prefix: 10.0.0.0/24, routes: [ { prefix: 0.0.0.0/0, nextHop: internet } ] } ] }\n').message).toBe(
      '"nextHop" in route routes[0] of subnet "s" must be one of VirtualNetworkGateway, Internet, None; got "internet"; did you mean "Internet"?',
    );
    const t2 = MINIMAL.replace('[10.1.0.0/16]', '10.1.0.0/16');
    expect(single(t2)).toMatchObject({
      ...at(t2, '10.1.0.0/16'),
      message: '"addressSpace" in vnet "vnet1" must be a list; got "10.1.0.0/16"; write it as a list: [10.1.0.0/16]',
    });
  });

  it('missing required key, at the parent object', () => {
    const text = `name: x
gateways:
  - name: gw1
    vpnType: RouteBased
    sku: Basic
`;
    expect(single(text)).toMatchObject({
      code: 'SCHEMA',
      ...at(text, 'name: gw1'),
      path: 'gateways[0].vnet',
      message: `missing required key "vnet" in gateway "gw1"; add "vnet: ..." (the name of the gateway's VNet)`,
    });
    expect(single('description: no name\n')).toMatchObject({ line: 1, column: 1, message: expect.stringContaining('missing required key "name" in the scenario') });
  });

  it('bad enum value, with a suggestion when one is close', () => {
    const text = 'name: x\ngateways:\n  - { name: gw1, vnet: v, vpnType: RouteBased, sku: Premium }\n';
    expect(single(text)).toMatchObject({
      ...at(text, 'Premium'),
      path: 'gateways[0].sku',
      message: '"sku" in gateway "gw1" must be one of Basic, Standard, HighPerformance; got "Premium"',
    });
    expect(single(text.replace('Premium', 'standard')).message).toBe(
      '"sku" in gateway "gw1" must be one of Basic, Standard, HighPerformance; got "standard"; did you mean "Standard"?',
    );
    expect(single(text.replace('RouteBased', 'RuoteBased').replace('Premium', 'Basic')).message).toContain('did you mean "RouteBased"?');
    const t1 = 'name: x\nexpectDiagnostics: [SCHEMA, INVALID_PREFX]\n';
    expect(single(t1)).toMatchObject({
      ...at(t1, 'INVALID_PREFX'),
      path: 'expectDiagnostics[1]',
      message: expect.stringContaining('did you mean "INVALID_PREFIX"?'),
    });
    const t3 = 'name: x\nexpect:\n  - { flow: f, dropped: 1, reason: tunnel-dwn }\n';
    expect(single(t3)).toMatchObject({ ...at(t3, 'tunnel-dwn'), message: expect.stringContaining('did you mean "tunnel-down"?') });
  });

  it('bad durations', () => {
    const flow = (v: string) => `name: x\ntraffic:\n  - { id: f, from: a, to: b, proto: udp, start: ${v} }\n`;
    expect(single(flow('2x'))).toMatchObject({
      ...at(flow('2x'), '2x'),
      path: 'traffic[0].start',
      message: '"start" in flow "f": "2x" has an unknown time unit "x"; use ms, s, m or h, e.g. "250ms", "2s", "8h"',
    });
    expect(single(flow('"5"')).message).toBe('"start" in flow "f": "5" has no unit; write "5s" for seconds (or ms, m, h), or the bare number 5');
    expect(single(flow('2S')).message).toContain('did you mean "2s"?');
    expect(single(flow('-1')).message).toContain('expected a duration ≥ 0; got -1');
    expect(single(flow('soon')).message).toContain('"soon" is not a duration');
  });

  it('bad rates', () => {
    const circuit = (v: string) => `name: x\ncircuits:\n  - { name: er1, bandwidth: ${v}, onPremisesPrefixes: [192.168.0.0/16], site: hq }\n`;
    const t = circuit('1gbps');
    expect(single(t)).toMatchObject({ ...at(t, '1gbps'), message: '"bandwidth" in circuit "er1": "1gbps" has an unknown unit "gbps"; did you mean "1Gbps"?' });
    expect(single(circuit('1000pps')).message).toContain('"1000pps" is a packet rate, but a bit rate is needed here');
    expect(single(circuit('0Mbps')).message).toContain('must be more than zero');
    const flow = 'name: x\ntraffic:\n  - { id: f, from: a, to: b, proto: udp, rate: 10Mbps }\n';
    expect(single(flow).message).toContain('"10Mbps" is a bit rate, but a packet rate is needed here');
  });

  it('bad counts', () => {
    const exp = (v: string) => `name: x\nexpect:\n  - { flow: f, delivered: ${v} }\n`;
    const t = exp('many');
    expect(single(t)).toMatchObject({ ...at(t, 'many'), path: 'expect[0].delivered', message: '"delivered" in expectation "f" must be an integer ≥ 0 or "all"; got "many"' });
    expect(single(exp('-1')).message).toContain('got -1');
    expect(single(exp('ALL')).message).toContain('did you mean "all"?');
    expect(single(exp('2.5')).message).toContain('got 2.5');
  });

  it('integers out of range', () => {
    const t = 'name: x\ntraffic:\n  - { id: f, from: a, to: b, proto: udp, dport: 70000, ttl: 0, count: 2000000, size: 10 }\n';
    const ds = errors(t);
    expect(ds.map((d) => d.message)).toEqual([
      '"dport" in flow "f" must be an integer 1-65535; got 70000',
      '"ttl" in flow "f" must be an integer 1-255; got 0',
      '"count" in flow "f" must be an integer 1-1000000; got 2000000',
      '"size" in flow "f" must be an integer 28-65535; got 10',
    ]);
  });

  it('duplicate keys', () => {
    const t = 'name: x\nseed: 1\nseed: 2\n';
    expect(single(t)).toMatchObject({ line: 3, column: 1, message: 'duplicate key "seed" in the scenario (first at line 2); each key may appear once: remove one' });
  });

  it('rules across keys', () => {
    const conn = 'name: x\nconnections:\n  - { name: c1, type: IPsec, gateway: gw1, peerGateway: gw2 }\n';
    const ds = errors(conn);
    expect(ds.map((d) => d.message)).toEqual([
      'missing required key "site" in connection "c1"; a IPsec connection needs "site: NAME"',
      '"peerGateway" does not apply to a IPsec connection (connection "c1"); remove it (a IPsec connection uses site)',
    ]);
    expect(ds[0]).toMatchObject(at(conn, '{ name: c1'));
    expect(ds[1]).toMatchObject(at(conn, 'gw2'));
    expect(single('name: x\nfaults:\n  - { at: 1s }\n').message).toContain('missing required key "connection" in fault faults[0]');
    expect(single('name: x\ntraffic:\n  - { id: f, from: a, to: b, proto: udp, interval: 1s, rate: 10pps }\n').message).toContain(
      'gives both "interval" and "rate"',
    );
    expect(single('name: x\ntraffic:\n  - { id: f, from: a, to: b, proto: icmp, dport: 80 }\n').message).toContain('"dport" does not apply to an icmp flow');
    expect(single('name: x\ngateways:\n  - { name: g, vnet: v, sku: Basic }\n').message).toContain('missing required key "vpnType" in gateway "g"');
    expect(single('name: x\nexpect:\n  - { flow: f }\n').message).toContain('expectation "f" checks nothing');
  });

  it('reports all problems at once', () => {
    const text = `name: five problems
seed: -3
vnets:
  - name: vnet1
    adressSpace: [10.1.0.0/16]
    addressSpace: [10.1.0.5/16]
    subnets: []
gateways:
  - { name: gw1, vnet: vnet1, vpnType: PolicyBased, sku: Premium }
traffic:
  - { id: t, from: vm1, to: pc1, proto: tcpp }
`;
    const ds = errors(text);
    const where = (needle: string) => at(text, needle);
    expect(ds.map((d) => [d.line, d.column, d.code])).toEqual([
      [where('-3').line, where('-3').column, 'SCHEMA'],
      [where('adressSpace').line, where('adressSpace').column, 'SCHEMA'],
      [where('10.1.0.5/16').line, where('10.1.0.5/16').column, 'INVALID_PREFIX'],
      [where('Premium').line, where('Premium').column, 'SCHEMA'],
      [where('tcpp').line, where('tcpp').column, 'SCHEMA'],
    ]);
    expect(ds[4]?.message).toContain('did you mean "tcp"?');
  });
});

describe('INVALID_PREFIX', () => {
  it('host bits set, with the network the author meant', () => {
    const text = MINIMAL.replace('[10.1.0.0/16]', '[10.1.0.5/16]');
    expect(single(text)).toMatchObject({
      code: 'INVALID_PREFIX',
      severity: 'error',
      ...at(text, '10.1.0.5/16'),
      path: 'vnets[0].addressSpace[0]',
      message: '"addressSpace[0]" in vnet "vnet1": "10.1.0.5/16" has host bits set; did you mean 10.1.0.0/16?',
    });
  });

  it('not a prefix, no length, not an address', () => {
    expect(single(MINIMAL.replace('[10.1.0.0/16]', '[10.1.0.0]')).message).toContain('has no prefix length');
    expect(single(MINIMAL.replace('[10.1.0.0/16]', '[10.1.0.0/33]')).message).toContain('must be 0-32');
    const t = 'name: x\nsites:\n  - { name: hq, gatewayIp: 198.51.100.300, addressPrefixes: [192.168.0.0/16] }\n';
    expect(single(t)).toMatchObject({
      code: 'INVALID_PREFIX',
      ...at(t, '198.51.100.300'),
      message: expect.stringContaining('"gatewayIp" in site "hq": "198.51.100.300" is not an IPv4 address'),
    });
    const h = MINIMAL + '    hosts: [ { name: vm1, ip: vm1.example } ]\n';
    expect(single(h).message).toContain('"vm1.example" is not an IPv4 address');
  });
});

describe('refused input', () => {
  it('an alias bomb', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const bomb = `name: bomb\nanchors:\n${lines.map((l) => '  ' + l).join('\n')}\nexpectDiagnostics: *i\n`;
    const t0 = Date.now();
    const ds = errors(bomb);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(ds.some((d) => d.message.includes('too many YAML alias expansions (more than 100)'))).toBe(true);
    expect(ds).toHaveLength(1);
    // reported at the alias that tips expansion over the budget (inside the unknown key, too)
    expect(ds[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it('custom tags, at the tag', () => {
    const t = 'name: x\ndescription: !foo bar\n';
    expect(single(t)).toMatchObject({
      line: 2,
      column: 14,
      message: '"description" in the scenario has the tag !foo, which scenario files do not accept (only plain YAML core values); remove the tag',
    });
    const b = 'name: x\ndescription: !!binary aGVsbG8=\n';
    expect(single(b)).toMatchObject({ line: 2, column: 14, message: expect.stringContaining('has the tag !!binary') });
    expect(single('name: x\n!foo seed: 1\n').message).toContain('the key "seed" in the scenario has the tag !foo');
    const m = 'name: x\nvnets: !!set\n  ? a\n';
    expect(single(m)).toMatchObject({ line: 2, column: 8, message: expect.stringContaining('!!set') });
  });

  it('a file over 1 MiB', () => {
    const big = `name: big\ndescription: "${'x'.repeat(MAX_SCENARIO_BYTES)}"\n`;
    const d = single(big);
    expect(d).toMatchObject({ line: 1, column: 1, code: 'SCHEMA' });
    expect(d.message).toMatch(/test\.yaml is 1\.0 MiB \(\d+ bytes\); scenario files are limited to 1 MiB \(1048576 bytes\)/);
    const dir = mkdtempSync(join(tmpdir(), 'vgw-loader-'));
    const f = join(dir, 'big.yaml');
    writeFileSync(f, big);
    const r = loadScenarioFile(f);
    expect(r.scenario).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]?.message).toContain('limited to 1 MiB');
  });

  it('several YAML documents', () => {
    const t = 'name: one\n---\nname: two\n';
    expect(single(t)).toMatchObject({ line: 2, column: 1, message: expect.stringContaining('holds 2 YAML documents') });
  });

  it('a document that is not a mapping, or nothing at all', () => {
    expect(single('- a\n- b\n')).toMatchObject({ line: 1, column: 1, message: 'the document must be a mapping (lines of "key: value"); got a list' });
    expect(single('just text\n').message).toBe('the document must be a mapping (lines of "key: value"); got "just text"');
    expect(single('').message).toContain('holds no YAML document');
    expect(single('# only a comment\n').message).toContain('a scenario is a mapping with at least "name:"');
  });

  it('YAML syntax errors, at the parser position', () => {
    const t = 'name: x\nvnets: [a, b\nseed: 1\n';
    const ds = errors(t);
    expect(ds[0]?.message).toMatch(/^YAML syntax error: /);
    expect(ds[0]).toMatchObject({ line: 3, column: 1 });
    const d2 = errors('name: x\n  bad: indent\n')[0];
    expect(d2).toMatchObject({ code: 'SCHEMA', line: 1, column: 7 });
    expect(d2?.message).toMatch(/^YAML syntax error: .*; fix the YAML at this position$/);
  });

  it('an unreadable file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vgw-loader-'));
    const missing = join(dir, 'nope.yaml');
    const r = loadScenarioFile(missing);
    expect(r).toEqual({
      unreadable: true,
      diagnostics: [
        { code: 'SCHEMA', severity: 'error', file: missing, line: 1, column: 1, message: `cannot read ${missing}: no such file; check the path` },
      ],
    });
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    const r2 = loadScenarioFile(sub);
    expect(r2.diagnostics).toHaveLength(1);
    expect(r2.unreadable).toBe(true);
    expect(r2.diagnostics[0]?.message).toMatch(/^cannot read .*: not a regular file/);
  });

  it('never throws, whatever slice of a scenario it gets', () => {
    for (let i = 0; i < EXAMPLE.length; i += 13) {
      const r: LoadResult = loadScenarioText(EXAMPLE.slice(0, i) + '\n' + EXAMPLE.slice(i + 3), 'cut.yaml');
      expect(Array.isArray(r.diagnostics)).toBe(true);
      if (r.scenario === undefined) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    }
  });
});

describe('shared keys are never echoed', () => {
  const SECRET = 'hunter2-very-secret';

  function allMessages(text: string): string {
    return loadScenarioText(text, 'k.yaml').diagnostics.map((d) => d.message).join('\n');
  }

  it('wrong type of a sharedKey', () => {
    const t = 'name: x\nconnections:\n  - { name: c, type: IPsec, gateway: g, site: s, sharedKey: 123456789 }\n';
    const d = single(t);
    expect(d).toMatchObject({ ...at(t, '123456789') });
    expect(d.message).toBe('"sharedKey" in connection "c" must be a string (the pre-shared key); got *** (a number)');
    const t2 = `name: x\nsites:\n  - { name: s, gatewayIp: 1.2.3.4, addressPrefixes: [1.2.3.0/24], device: { vpnType: RouteBased, sharedKey: [${SECRET}] } }\n`;
    const m2 = allMessages(t2);
    expect(m2).toContain('"sharedKey" in device of site "s" must be a string (the pre-shared key); got a list');
    expect(m2).not.toContain(SECRET);
  });

  it('in other problems of the same file', () => {
    const t = `name: x\nconnections:\n  - { name: c, type: IPsec, gateway: g, site: s, sharedKey: ${SECRET}, sharedKey: ${SECRET}x, extra: 1 }\n`;
    const m = allMessages(t);
    expect(m).toContain('duplicate key "sharedKey"');
    expect(m).not.toContain(SECRET);
    const typo = `name: x\nconnections:\n  - { name: c, type: IPsec, gateway: g, site: s, sharedkey: ${SECRET} }\n`;
    const m3 = allMessages(typo);
    expect(m3).toContain('did you mean "sharedKey"?');
    expect(m3).not.toContain(SECRET);
  });

  it('in YAML syntax errors', () => {
    const t = `name: x\nconnections:\n  - name: c\n    sharedKey: "${SECRET}\n`;
    const m = allMessages(t);
    expect(m.length).toBeGreaterThan(0);
    expect(m).not.toContain(SECRET);
  });
});

/** 1-based line:column of offset `o` in `text`, lines ending after "\n" (the loader's definition). */
function posOf(text: string, o: number): { line: number; column: number } {
  const before = text.slice(0, o);
  return { line: before.split('\n').length, column: o - before.lastIndexOf('\n') };
}

/** Every diagnostic of `text` points inside it: line within the file, column at most one past the line. */
function insideFile(text: string, ds: readonly Diagnostic[]): void {
  const lines = text.split('\n');
  for (const d of ds) {
    expect(d.line, d.message).toBeLessThanOrEqual(lines.length);
    expect(d.column, d.message).toBeLessThanOrEqual((lines[d.line - 1] ?? '').length + 1);
  }
}

describe('nesting deeper than the limit', () => {
  const LIMIT_MESSAGE = 'lists and mappings nest more than 64 levels deep here; a scenario needs about 7 (the deepest is a subnet\'s routes): flatten this value';

  it('is one diagnostic where the limit was hit, at any depth and in every style', () => {
    for (const n of [800, 10_000, 100_000]) {
      // The root mapping is level 1, so the 64th "[" is level 65.
      const flow = `name: x\ndescription: ${'['.repeat(n)}${']'.repeat(n)}\n`;
      expect(single(flow), `[ x ${n}`).toMatchObject({ code: 'SCHEMA', ...posOf(flow, 'name: x\ndescription: '.length + 63), message: LIMIT_MESSAGE });
      const map = `name: x\ndescription: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`;
      expect(single(map), `{a: x ${n}`).toMatchObject({ ...posOf(map, 'name: x\ndescription: '.length + 63 * 4), message: LIMIT_MESSAGE });
      const dash = `name: x\ndescription:\n  ${'- '.repeat(n)}x\n`;
      expect(single(dash), `- x ${n}`).toMatchObject({ ...posOf(dash, 'name: x\ndescription:\n  '.length + 63 * 2), message: LIMIT_MESSAGE });
      const json = `{"name": "x", "description": ${'['.repeat(n)}${']'.repeat(n)}}`;
      expect(single(json), `JSON x ${n}`).toMatchObject({ ...posOf(json, '{"name": "x", "description": '.length + 63), message: LIMIT_MESSAGE });
    }
    // Block mappings, one indentation step per level.
    let block = 'name: x\ndescription:\n';
    for (let i = 1; i <= 200; i++) block += `${' '.repeat(i)}k${i}:\n`;
    expect(single(block)).toMatchObject({ ...at(block, 'k64:'), message: LIMIT_MESSAGE });
  });

  it('stops the parser at the first bracket past the limit, and reports the place a full parse finds', () => {
    // Block levels above the brackets, brackets in strings, comments and block scalars (not nesting).
    for (const block of [0, 1, 5, 30, 63]) {
      let t = 'name: x\ndescription: "[[[[" # [[[[\nvnets:\n';
      for (let i = 1; i <= block; i++) t += `${' '.repeat(i + 1)}k${i}:\n`;
      t += `${' '.repeat(block + 2)}v: |\n${' '.repeat(block + 4)}[\n${' '.repeat(block + 2)}w: ${'[{a: '.repeat(60)}1${'}]'.repeat(60)}\n`;
      const full = tooDeep(Array.from(new Parser().parse(t)), 64);
      expect(full, `block ${block}`).toBeDefined();
      expect(single(t), `block ${block}`).toMatchObject({ ...new LineIndex(t).posAt(full!), message: LIMIT_MESSAGE });
    }
  });

  it('accepts 64 levels: the value is then only of the wrong type', () => {
    const t = `name: x\ndescription: ${'['.repeat(63)}${']'.repeat(63)}\n`;
    expect(single(t).message).toBe('"description" in the scenario must be a string; got a list');
  });
});

describe('merge keys', () => {
  it('say they are not supported and what to write instead', () => {
    const t = `${MINIMAL}gateways:\n  - <<: { type: Vpn }\n    name: gw1\n    vnet: vnet1\n    vpnType: RouteBased\n    sku: Basic\n`;
    expect(single(t)).toMatchObject({
      code: 'SCHEMA',
      ...at(t, '<<'),
      message: 'YAML merge keys ("<<") are not supported in scenario files (gateway "gw1"); write the keys out here instead of merging them from an anchor (an alias may still stand for a whole value: key: *anchor)',
    });
  });
});

describe('positions after multi-line tokens', () => {
  it('count the line breaks inside broken tokens', () => {
    // A quote opened after a flow collection swallows line breaks the parser's own count missed.
    const shrunk = '{{}"\n';
    const ds = errors(shrunk);
    expect(ds.map((d) => `${d.line}:${d.column}`)).toEqual(['1:4', '2:1']);
    const t = 'name: x\nvnets: {{}"a\nb\nc\n  more: 1\n';
    const dt = errors(t);
    expect(dt.at(-1)).toMatchObject({ line: 6, column: 1 });
    insideFile(t, dt);
  });

  it('keep every position inside the file, for the three-line reproducer and multi-line scalars', () => {
    for (const t of [
      '" :\n0d\np:',
      '" :\n0d\np:\n',
      'name: x\ndescription: "a\n  b\n  c"\nseed: [\n',
      'name: x\ndescription: {a: "x\n  y\n  z\nseed: ]\n',
      'name: x\ndescription: |\n  one\n  two\nseed: ]\n',
      'name: x\ndescription: >\n  one\n\n  two\n  seed: [\n  - a\nb: ]\n',
      'name: x\ndescription: [ "a\nb\nc ]\nseed: ]\n',
    ]) {
      const ds = errors(t);
      insideFile(t, ds);
    }
    const q = 'name: x\ndescription: "a\n  b\n  c"\nseed: abc\n';
    expect(single(q)).toMatchObject({ ...at(q, 'abc'), message: expect.stringContaining('"seed" in the scenario must be an integer') });
  });
});

describe('an unclosed quote', () => {
  it('is reported where the string opens, not where the text ran out', () => {
    const d = single('" :\n0d\np:\n');
    expect(d).toMatchObject({ line: 1, column: 1 });
    expect(d.message).toBe('YAML syntax error: the string that opens with " here is never closed (the text runs on to line 4, column 1); add the closing " where the string should end');
    const t = "name: x\ndescription: 'it\n  b: 2\n";
    expect(single(t)).toMatchObject({ ...at(t, "'it"), message: expect.stringContaining("opens with ' here is never closed (the text runs on to line 4, column 1)") });
    const f = 'name: x\nvnets: [ "x, b ]\nseed: 1\n';
    expect(errors(f)[0]).toMatchObject({ ...at(f, '"x'), message: expect.stringContaining('opens with " here is never closed') });
  });

  it('is not blamed for errors right after a string that is closed', () => {
    for (const t of ['name: "x"#c\n', 'name: x\nvnets: ["a""b"]\n', 'name: x\nvnets: ["a"b]\n', "name: x\nvnets: ['a'#c\n"]) {
      const ds = errors(t);
      expect(ds.length, t).toBeGreaterThan(0);
      for (const d of ds) expect(d.message, t).not.toContain('never closed');
    }
  });
});

describe('at most 50 diagnostics per file', () => {
  it('a 1 MB file of syntax errors lists 50 and counts the rest in one last line', () => {
    const t = 'a: b\n' + '"x": ]'.repeat(170_000) + '\n';
    const ds = errors(t);
    expect(ds).toHaveLength(51);
    const last = ds[50] as Diagnostic;
    expect(last.code).toBe('TOO_MANY_DIAGNOSTICS');
    expect(last.severity).toBe('error');
    expect(last.message).toMatch(/^\.\.\. and \d+ more \(\d+ errors\) not listed: vgwsim lists the first 50 diagnostics of a file; fix these and validate again$/);
    const more = Number(/\d+/.exec(last.message)?.[0]);
    const v = validateScenarioText(t, 't.yaml');
    expect(v.diagnostics).toHaveLength(51);
    expect(v.errors).toBe(50 + more);
    expect(more).toBeGreaterThan(100_000);
    insideFile(t, ds);
  });

  it('schema problems and rule problems too, with complete counts', () => {
    const keys = 'name: x\n' + Array.from({ length: 120 }, (_, i) => `k${i}: 1\n`).join('');
    const ds = errors(keys);
    expect(ds).toHaveLength(51);
    expect(ds[50]).toMatchObject({ code: 'TOO_MANY_DIAGNOSTICS', ...at(keys, 'k50:'), message: expect.stringMatching(/^\.\.\. and 70 more \(70 errors\)/) });
    expect(validateScenarioText(keys, 'k.yaml').errors).toBe(120);
    const refs = `${MINIMAL}traffic:\n${Array.from({ length: 80 }, (_, i) => `  - { id: f${i}, from: nobody${i}, to: 10.1.0.9, proto: icmp }\n`).join('')}`;
    const v = validateScenarioText(refs, 'r.yaml');
    expect(v.errors).toBe(80);
    expect(v.diagnostics).toHaveLength(51);
    expect(v.diagnostics[50]).toMatchObject({ code: 'TOO_MANY_DIAGNOSTICS', message: expect.stringMatching(/^\.\.\. and 30 more \(30 errors\)/) });
  });
});

describe('keys and units named like JavaScript built-ins', () => {
  it('are unknown keys with their position, at any depth, and every other problem is still reported', () => {
    const t = `name: x
constructor: 1
toString: 2
__proto__: 3
hasOwnProperty: 4
gateways:
  - { name: g, vnet: v, vpnType: RouteBased, sku: Premium, valueOf: 5 }
traffic:
  - { id: f, from: a, to: b, proto: icmp, constructor: 6, __proto__: { x: 1 } }
`;
    const ds = errors(t);
    const unknown = ds.filter((d) => d.message.startsWith('unknown key'));
    const where = (key: string, nth = 0): [number, number] => {
      const p = at(t, `${key}:`, nth);
      return [p.line, p.column];
    };
    expect(unknown.map((d) => [d.message.slice(0, d.message.indexOf(';')), d.line, d.column])).toEqual([
      ['unknown key "constructor" in the scenario', ...where('constructor')],
      ['unknown key "toString" in the scenario', ...where('toString')],
      ['unknown key "__proto__" in the scenario', ...where('__proto__')],
      ['unknown key "hasOwnProperty" in the scenario', ...where('hasOwnProperty')],
      ['unknown key "valueOf" in gateway "g"', ...where('valueOf')],
      ['unknown key "constructor" in flow "f"', ...where('constructor', 1)],
      ['unknown key "__proto__" in flow "f"', ...where('__proto__', 1)],
    ]);
    expect(ds.some((d) => d.message.includes('"sku" in gateway "g" must be one of Basic, Standard, HighPerformance; got "Premium"'))).toBe(true);
    expect(ds.some((d) => d.message.includes('internal error'))).toBe(false);
  });

  it('durations and rates with a unit named like one are unknown units', () => {
    const t = `name: x\ntraffic:\n  - { id: f, from: a, to: b, proto: icmp, start: 5constructor }\n  - { id: g, from: a, to: b, proto: icmp, rate: 3toString }\n`;
    const ds = errors(t);
    expect(ds.map((d) => d.message)).toEqual([
      '"start" in flow "f": "5constructor" has an unknown time unit "constructor"; use ms, s, m or h, e.g. "250ms", "2s", "8h"',
      '"rate" in flow "g": "3toString" has an unknown unit "toString"; use pps, kpps, Mpps, e.g. "1000pps", "10kpps"',
    ]);
  });
});

describe('messages stay one line of plain text', () => {
  it('names with control characters are refused, and every message and path is escaped once validated', () => {
    const t = `${MINIMAL}    hosts: [ { name: "vm\\n1\\u001b[31m", ip: 10.1.0.4 } ]\n"bad\\u0007key\\u202e": 1\n`;
    const ds = validateScenarioText(t, 'test.yaml').diagnostics;
    for (const d of ds) expect(`${d.message} ${d.path}`).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(ds.map((d) => d.path)).toEqual(['vnets[0].hosts[0].name', 'bad\\u0007key\\u202e']);
    expect(ds.map((d) => d.message)).toEqual([
      '"name" in host "vm\\n1\\u001b[31m" contains the control character \\n; names are plain text (no line breaks, tabs, escape or direction characters): remove it',
      'unknown key "bad\\u0007key\\u202e" in the scenario; allowed keys: $schema, name, description, seed, edition, vnets, gateways, sites, connections, traffic, circuits, faults, inject, expect, expectDiagnostics',
    ]);
    const bidi = `${MINIMAL}    hosts: [ { name: "a\\u202eb", ip: 10.1.0.4 } ]\n`;
    expect(single(bidi).message).toContain('contains the control character \\u202e');
    // The scenario's title is free text, like its description: kept, and escaped wherever it is printed.
    expect(ok('name: "a title \\u001b[2J"\n').name).toBe('a title \u001b[2J');
  });

  it('never say NaN or Infinity: numbers are shown as written', () => {
    const t = `name: x
seed: .nan
traffic:
  - { id: f, from: a, to: b, proto: icmp, count: 1e400, interval: .inf, start: -.inf }
  - { id: g, from: a, to: b, proto: icmp, rate: .nan }
circuits:
  - { name: c, bandwidth: 1e999, onPremisesPrefixes: [1.2.3.0/24], site: s }
`;
    const ds = errors(t);
    expect(ds).toHaveLength(6);
    for (const d of ds) expect(d.message).not.toMatch(/NaN|Infinity/);
    expect(ds.map((d) => d.message)).toEqual([
      '"seed" in the scenario must be an integer 0-4294967295; got .nan (not a finite number)',
      '"count" in flow "f" must be an integer 1-1000000; got 1e400 (not a finite number)',
      '"interval" in flow "f": .inf is more than 10^9 s (about 31.7 years), the longest time vgwsim simulates; use a shorter time',
      '"start" in flow "f": expected a duration ≥ 0; got -.inf',
      '"rate" in flow "g": expected a packet rate > 0, e.g. "1000pps", "10kpps"; got .nan',
      '"bandwidth" in circuit "c": 1e999 is more than 10^12 bps (1 Tbps), the highest bit rate vgwsim simulates; use a lower rate',
    ]);
  });
});

describe('text that is not a UTF-8 scenario', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vgw-enc-'));
  const file = (name: string, bytes: Buffer): Diagnostic => {
    const f = join(dir, name);
    writeFileSync(f, bytes);
    const r = loadScenarioFile(f);
    expect(r.scenario).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    return r.diagnostics[0] as Diagnostic;
  };

  it('UTF-16 and UTF-32, with or without a byte-order mark, say what they are and what to do', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(MINIMAL, 'utf16le')]);
    expect(file('le.yaml', le)).toMatchObject({ line: 1, column: 1, message: expect.stringMatching(/le\.yaml is UTF-16 little-endian text \(it starts with the byte-order mark FF FE\); save it as UTF-8/) });
    const be = Buffer.from(le);
    be.swap16();
    expect(file('be.yaml', be).message).toMatch(/is UTF-16 big-endian text \(it starts with the byte-order mark FE FF\); save it as UTF-8/);
    expect(file('nobom.yaml', Buffer.from(MINIMAL, 'utf16le')).message).toMatch(/looks like UTF-16 little-endian text without a byte-order mark/);
    const u32 = Buffer.alloc(8 + MINIMAL.length * 4);
    u32.writeUInt32LE(0xfeff, 0);
    expect(file('u32.yaml', u32).message).toMatch(/is UTF-32 little-endian text/);
    // The same bytes read as UTF-8 text by a caller.
    expect(single(le.toString('utf8')).message).toMatch(/UTF-16 or UTF-32 byte-order mark.*save it as UTF-8/);
  });

  it('CR-only line ends say so, at the first CR; a lone CR in an LF file too', () => {
    const cr = MINIMAL.replace(/\n/g, '\r');
    expect(single(cr)).toMatchObject({ line: 1, column: 'name: minimal'.length + 1, message: expect.stringContaining('has CR-only line ends (the classic Mac OS convention)') });
    expect(single(cr).message).toContain('save it with LF or CRLF line ends');
    const mixed = MINIMAL.replace('vnets:\n', 'vnets:\r');
    expect(single(mixed)).toMatchObject({ ...at(mixed, '\r'), message: expect.stringContaining('a carriage return (CR) without a line feed here') });
    // CRLF is fine.
    ok(MINIMAL.replace(/\n/g, '\r\n'));
  });

  it('a byte that is not UTF-8 is refused at its line and column, not read as U+FFFD', () => {
    const latin1 = Buffer.from(MINIMAL.replace('name: minimal', 'name: caf\u00e9'), 'latin1');
    expect(file('latin1.yaml', latin1)).toMatchObject({
      line: 1,
      column: 'name: caf'.length + 1,
      message: expect.stringMatching(/latin1\.yaml is not UTF-8 text: the byte E9 here \(byte offset 9\) .* save it as UTF-8/),
    });
    // Past a UTF-8 byte-order mark and a character of two bytes, columns count characters.
    const later = Buffer.concat([Buffer.from('\ufeffname: \u00e9\nseed: 1 # ', 'utf8'), Buffer.from([0xc0, 0xaf, 0x0a])]);
    expect(file('overlong.yaml', later)).toMatchObject({ line: 2, column: 'seed: 1 # '.length + 1, message: expect.stringContaining('byte C0 here') });
    // The same text in UTF-8 loads.
    const utf8 = join(dir, 'utf8.yaml');
    writeFileSync(utf8, MINIMAL.replace('name: minimal', 'name: caf\u00e9'));
    expect(loadScenarioFile(utf8).scenario?.name).toBe('caf\u00e9');
  });

  it('firstInvalidUtf8 agrees with a strict decoder on random bytes', () => {
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const oneChar = (b: Uint8Array): boolean => {
      try {
        return [...strict.decode(b)].length === 1;
      } catch {
        return false;
      }
    };
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
    // Bytes around the UTF-8 boundaries, so that well-formed and malformed sequences both occur.
    const pool = [0x41, 0x0a, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff];
    let invalid = 0;
    for (let round = 0; round < 5000; round++) {
      const bytes = Uint8Array.from({ length: 1 + (next() % 12) }, () => pool[next() % pool.length]!);
      const at = firstInvalidUtf8(bytes);
      let whole = true;
      try {
        strict.decode(bytes);
      } catch {
        whole = false;
      }
      expect(at === undefined).toBe(whole);
      if (at === undefined) continue;
      invalid++;
      expect(() => strict.decode(bytes.subarray(0, at))).not.toThrow();
      for (let len = 1; len <= 4 && at + len <= bytes.length; len++) expect(oneChar(bytes.subarray(at, at + len))).toBe(false);
    }
    expect(invalid).toBeGreaterThan(250);
    expect(invalid).toBeLessThan(5000);
  });

  it('a NUL character is refused where it is; a UTF-8 byte-order mark is fine and columns start after it', () => {
    expect(single('name: x\nseed: 1\u0000\n')).toMatchObject({ line: 2, column: 8, message: expect.stringContaining('holds a NUL character') });
    ok('\ufeff' + MINIMAL);
    expect(single('\ufeffname: x\nseed: abc\n')).toMatchObject({ line: 2, column: 7 });
    expect(errors('\ufeffnam: x\n')[0]).toMatchObject({ line: 1, column: 1, message: expect.stringContaining('unknown key "nam"') });
  });
});

describe('explicit core tags whose value does not resolve', () => {
  it('are refused at the tag, for every kind of value', () => {
    const t = 'name: !!int abc\n';
    expect(single(t)).toMatchObject({ line: 1, column: 7, message: '"name" in the scenario has the tag !!int, but abc is not an integer (YAML core schema); remove the tag or write an integer' });
    expect(single('name: x\nseed: !!int 1.5\n').message).toContain('has the tag !!int, but 1.5 is not an integer');
    expect(single('name: x\ndescription: !!bool yes\n').message).toContain('has the tag !!bool, but yes is not true or false');
    expect(single('name: x\ndescription: !!null abc\n').message).toContain('has the tag !!null, but abc is not null');
    // Tags that resolve are fine; the core schema's float pattern includes whole numbers.
    expect(ok('name: !!str 12\nseed: !!int 0x10\n').seed).toBe(16);
    expect(ok('name: x\nseed: !!float 7\n').seed).toBe(7);
    expect(ok('name: x\nseed: !!float +7\n').seed).toBe(7);
    expect(single('name: x\nseed: !!float 7x\n').message).toContain('has the tag !!float, but 7x is not a number');
  });

  it('are found at the tag when it is written verbatim, after an anchor too', () => {
    const t = 'name: x\nseed: &s !<tag:yaml.org,2002:int> abc\n';
    expect(single(t)).toMatchObject({ ...at(t, '!<'), message: expect.stringContaining('has the tag !!int, but abc is not an integer') });
    const other = 'name: x\nseed: !<tag:example.com,2000:x> 1\n';
    expect(single(other)).toMatchObject({ ...at(other, '!<'), message: expect.stringContaining('has the tag tag:example.com,2000:x, which scenario files do not accept') });
  });
});

describe('times and rates are finite and bounded', () => {
  const flow = (extra: string): string => `name: x\ntraffic:\n  - { id: f, from: a, to: b, proto: icmp, ${extra} }\n`;

  it('refuses times past 10^9 s and rates past their bounds, with the value as written', () => {
    expect(single(flow('count: 3, interval: 1e308')).message).toBe('"interval" in flow "f": 1e308 is more than 10^9 s (about 31.7 years), the longest time vgwsim simulates; use a shorter time');
    expect(single(flow(`start: "${'9'.repeat(320)}s"`)).message).toBe(`"start" in flow "f": "${'9'.repeat(39)}…" is more than 10^9 s (about 31.7 years), the longest time vgwsim simulates; use a shorter time`);
    expect(single(flow('start: 1000000001')).message).toContain('1000000001 is more than 10^9 s');
    expect(single(flow('rate: 2Gpps')).message).toContain('has an unknown unit "Gpps"');
    expect(single(flow('rate: 1001Mpps')).message).toBe('"rate" in flow "f": "1001Mpps" is more than 10^9 pps, the highest packet rate vgwsim simulates; use a lower rate');
    expect(single(flow('rate: 0.0000000001')).message).toBe('"rate" in flow "f": 0.0000000001 is less than one packet per 10^9 s (about 31.7 years), the longest time vgwsim simulates; use a higher rate');
    const c = 'name: x\ncircuits:\n  - { name: c, bandwidth: 1001Gbps, onPremisesPrefixes: [1.2.3.0/24], site: s }\n';
    expect(single(c).message).toContain('"1001Gbps" is more than 10^12 bps (1 Tbps)');
    expect(single('name: x\nfaults:\n  - { at: 2e9, connection: c }\n').message).toContain('"at" in fault faults[0]: 2e9 is more than 10^9 s');
  });

  it('refuses a flow whose last packet would fall past 10^9 s, at the flow', () => {
    const t = flow('count: 1000, interval: 1e7');
    expect(single(t)).toMatchObject({
      ...at(t, '{ id: f'),
      message: 'flow "f" would send its last packet at t=9990000000s (start 0s + 999 × interval 10000000s), later than 10^9 s (about 31.7 years), the longest time vgwsim simulates; lower count, shorten the interval or start earlier',
    });
    expect(single(flow('count: 3, start: 999999999, rate: 0.5pps')).message).toContain('t=1000000003s (start 999999999s + 2 × 1/rate = 2s)');
    ok(flow('count: 3, start: 999999998, interval: 1s'));
  });

  it('reads digit separators, exponents and hexadecimal deliberately', () => {
    expect(single(flow('start: "1_000s"')).message).toBe('"start" in flow "f": "1_000s" is not a duration; write a number of seconds or a number with a unit ms, s, m or h, e.g. "250ms", "2s", "8h"; write the number without "_" separators, e.g. "1000s"');
    expect(single(flow('start: "1e3s"')).message).toContain('write the number without an exponent (or give a bare number of seconds)');
    expect(single(flow('start: "0x10s"')).message).toContain('write the number in decimal');
    // As YAML numbers (not strings) they are YAML's: 1e3 is 1000 and 0x10 is 16; 1_000 is text.
    const s = ok(flow('start: 1e3, count: 0x10'));
    expect([s.traffic[0]?.start, s.traffic[0]?.count]).toEqual([1000, 16]);
    expect(single(flow('count: 1_000')).message).toBe('"count" in flow "f" must be an integer 1-1000000; got "1_000"');
  });
});

describe('utf8Length', () => {
  it('counts the bytes Node writes for any text, lone surrogates included', () => {
    for (const t of ['', 'abc', 'é', '€', '😀', 'a\ud800b', '\udc00', '\ud800', 'x\ud83d\ude00\ud83dy', '\ufeffname: a\n'.repeat(3)]) {
      expect([t, utf8Length(t)]).toEqual([t, Buffer.byteLength(t, 'utf8')]);
    }
  });
});
