/**
 * checkScenario: references, duplicate names, shapes (SCHEMA), addresses, GatewaySubnet,
 * expected diagnostics. Each code has a failing case (code, severity, path and position,
 * key words of the message) and a passing near miss. Gateway requirements and devices are
 * in gateway-requirements.test.ts and devices.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { checkExpectedDiagnostics, checkScenario, RULE_GROUPS } from '../../../sim/scenario/checks/index.js';
import type { Diagnostic } from '../../../sim/scenario/diagnostics.js';
import { buildScenario, policyBased, posAt, routeBased } from '../../support/build-scenario.js';
import type { ScenarioIn } from '../../support/build-scenario.js';
import { build, codes, diagAt } from '../../support/check-helpers.js';

describe('fixtures', () => {
  it('the policy-based and route-based fixtures are clean', () => {
    expect(checkScenario(buildScenario(policyBased()))).toEqual([]);
    expect(checkScenario(buildScenario(routeBased()))).toEqual([]);
  });
  it('the builder gives every path a distinct position', () => {
    const s = buildScenario(routeBased());
    const seen = new Set([...s.positions.values()].map((p) => `${p.line}:${p.column}`));
    expect(seen.size).toBe(s.positions.size);
    expect(posAt(s, 'vnets[0].subnets[1].prefix')).not.toEqual(posAt(s, 'vnets[0].subnets[1]'));
  });
});

describe('UNKNOWN_REFERENCE', () => {
  const cases: [string, (x: ScenarioIn) => void, string, string[]][] = [
    ['gateway.vnet', (x) => (x.gateways![0]!.vnet = 'vnet'), 'gateways[0].vnet', ['gateway "gw1"', 'VNet "vnet"', 'did you mean "vnet1"']],
    ['gateway.defaultSite', (x) => (x.gateways![0]!.defaultSite = 'hqq'), 'gateways[0].defaultSite', ['defaultSite "hqq"', 'did you mean "hq"']],
    ['connection.gateway', (x) => (x.connections![0]!.gateway = 'gw3'), 'connections[0].gateway', ['connection "gw1-hq"', 'gateway "gw3"', 'did you mean']],
    ['connection.site', (x) => (x.connections![0]!.site = 'HQ'), 'connections[0].site', ['site "HQ"', 'did you mean "hq"']],
    ['connection.peerGateway', (x) => (x.connections![2]!.peerGateway = 'gw-two'), 'connections[2].peerGateway', ['peerGateway "gw-two"', 'defined gateways: "gw1", "gw2", "ergw1"']],
    ['connection.circuit', (x) => (x.connections![4]!.circuit = 'er2'), 'connections[4].circuit', ['circuit "er2"', 'did you mean "er1"']],
    ['circuit.site', (x) => (x.circuits![0]!.site = 'hqs'), 'circuits[0].site', ['circuit "er1"', 'site "hqs"', 'did you mean "hq"']],
    ['fault.connection', (x) => (x.faults![0]!.connection = 'gw1-hw'), 'faults[0].connection', ['connection "gw1-hw"', 'did you mean "gw1-hq"']],
    ['fault.circuit', (x) => x.faults!.push({ at: 5, circuit: 'nope', down: true }), 'faults[1].circuit', ['circuit "nope"', 'defined circuits: "er1"']],
    ['expect.flow', (x) => (x.expect![0]!.flow = 'pign'), 'expect[0].flow', ['flow "pign"', 'did you mean "ping"']],
    ['expect.via', (x) => (x.expect![0]!.via = 'gw1-hqx'), 'expect[0].via', ['via connection "gw1-hqx"', 'did you mean "gw1-hq"']],
    ['flow.from', (x) => (x.traffic![0]!.from = 'vm11'), 'traffic[0].from', ['flow "ping"', 'from host "vm11"', 'did you mean "vm1"']],
    ['flow.to', (x) => (x.traffic![0]!.to = 'zzzzzz'), 'traffic[0].to', ['to host "zzzzzz"', 'IPv4 address']],
  ];
  it.each(cases)('%s', (_name, f, path, words) => {
    const d = diagAt(build(f), 'UNKNOWN_REFERENCE', path);
    for (const w of words) expect(d.message).toContain(w);
    expect(d.message).toMatch(/not defined/);
  });
  it('defaultSite naming a defined site that is not connected to the gateway', () => {
    const s = build((x) => {
      x.sites!.push({ name: 'lonely', addressPrefixes: ['172.30.0.0/16'] });
      x.gateways![0]!.defaultSite = 'lonely';
    });
    const d = diagAt(s, 'UNKNOWN_REFERENCE', 'gateways[0].defaultSite');
    expect(d.message).toMatch(/"lonely" is not connected to this gateway/);
    expect(d.message).toMatch(/add an IPsec connection from "gw1" to "lonely"/);
    expect(d.message).toContain('"hq"');
  });
  it('near miss: address literals in from/to, a p2s client as a host, a connected defaultSite', () => {
    const s = build((x) => {
      x.traffic!.push({ id: 'lit', from: '10.1.0.4', to: '8.8.8.8' }, { id: 'p2s', from: 'laptop1', to: 'vm1' });
      x.gateways![0]!.defaultSite = 'hq';
    });
    expect(checkScenario(s)).toEqual([]);
  });
});

describe('DUPLICATE_NAME', () => {
  const cases: [string, (x: ScenarioIn) => void, string, string[]][] = [
    ['vnet', (x) => (x.vnets![1]!.name = 'vnet1'), 'vnets[1].name', ['VNet "vnet1" is defined twice', 'first at vnets[0]']],
    ['gateway', (x) => (x.gateways![1]!.name = 'gw1'), 'gateways[1].name', ['gateway "gw1" is defined twice']],
    ['site', (x) => (x.sites![1]!.name = 'hq'), 'sites[1].name', ['site "hq" is defined twice']],
    ['connection', (x) => (x.connections![1]!.name = 'gw1-hq'), 'connections[1].name', ['connection "gw1-hq" is defined twice']],
    ['circuit', (x) => x.circuits!.push({ name: 'er1', onPremisesPrefixes: ['192.168.0.0/16'], site: 'hq' }), 'circuits[1].name', ['circuit "er1"']],
    ['flow id', (x) => x.traffic!.push({ id: 'ping', from: 'vm1', to: 'pc1' }), 'traffic[1].id', ['flow "ping" is defined twice', 'flow ids must be unique']],
    ['subnet in one VNet', (x) => (x.vnets![0]!.subnets![0]!.name = 'GatewaySubnet'), 'vnets[0].subnets[1].name', ['subnet "GatewaySubnet" in VNet "vnet1"']],
    [
      'host in a VNet and a p2s client',
      (x) => (x.gateways![0]!.p2s!.clients![0]!.name = 'vm1'),
      'gateways[0].p2s.clients[0].name',
      ['host "vm1"', 'point-to-site clients of gateway "gw1"', 'VNet "vnet1"', 'unique across the scenario'],
    ],
    ['host in a VNet and a site', (x) => (x.sites![0]!.hosts![0]!.name = 'vm1'), 'sites[0].hosts[0].name', ['host "vm1" in site "hq"', 'VNet "vnet1"']],
    [
      'two hosts with one address in a VNet',
      (x) => x.vnets![0]!.hosts!.push({ name: 'vm9', ip: '10.1.0.4' }),
      'vnets[0].hosts[1].ip',
      ['"vm1" and "vm9"', 'VNet "vnet1"', '10.1.0.4'],
    ],
    [
      'two hosts with one address in a site',
      (x) => x.sites![0]!.hosts!.push({ name: 'pc9', ip: '192.168.1.10' }),
      'sites[0].hosts[1].ip',
      ['"pc1" and "pc9"', 'site "hq"'],
    ],
  ];
  it.each(cases)('%s', (_n, f, path, words) => {
    const d = diagAt(build(f), 'DUPLICATE_NAME', path);
    for (const w of words) expect(d.message).toContain(w);
  });
  it('near miss: one subnet name in two VNets, one name across kinds, one address in two networks', () => {
    const s = build((x) => {
      x.vnets![1]!.subnets![0]!.name = 'frontend';
      x.sites![1]!.name = 'branch';
      x.vnets![1]!.hosts!.push({ name: 'branch', ip: '10.2.0.5' }); // a host may share a site's name
      x.vnets![1]!.name = 'vnet2';
    });
    expect(checkScenario(s)).toEqual([]);
  });
});

describe('SCHEMA: shapes the schema cannot express', () => {
  const cases: [string, (x: ScenarioIn) => void, string, string[]][] = [
    ['IPsec without site', (x) => delete x.connections![0]!.site, 'connections[0].type', ['connection "gw1-hq" (type IPsec) needs site']],
    ['IPsec with peerGateway', (x) => (x.connections![0]!.peerGateway = 'gw2'), 'connections[0].peerGateway', ['does not take peerGateway', 'type: Vnet2Vnet']],
    ['IPsec with circuit', (x) => (x.connections![0]!.circuit = 'er1'), 'connections[0].circuit', ['does not take circuit']],
    ['Vnet2Vnet without peerGateway', (x) => delete x.connections![2]!.peerGateway, 'connections[2].type', ['(type Vnet2Vnet) needs peerGateway']],
    ['Vnet2Vnet with site', (x) => (x.connections![2]!.site = 'hq'), 'connections[2].site', ['does not take site', 'type: IPsec']],
    ['Vnet2Vnet to itself', (x) => (x.connections![2]!.peerGateway = 'gw1'), 'connections[2].peerGateway', ['to itself']],
    ['Vnet2Vnet to an ExpressRoute gateway', (x) => (x.connections![2]!.peerGateway = 'ergw1'), 'connections[2].peerGateway', ['is an ExpressRoute gateway', 'Vpn gateway at both ends']],
    ['ExpressRoute without circuit', (x) => delete x.connections![4]!.circuit, 'connections[4].type', ['(type ExpressRoute) needs circuit']],
    ['ExpressRoute on a Vpn gateway', (x) => (x.connections![4]!.gateway = 'gw1'), 'connections[4].gateway', ['a Vpn gateway', 'ExpressRoute-type gateway']],
    ['IPsec on an ExpressRoute gateway', (x) => (x.connections![0]!.gateway = 'ergw1'), 'connections[0].gateway', ['VPN connection on ExpressRoute gateway "ergw1"']],
    ['Vpn gateway without vpnType', (x) => delete x.gateways![0]!.vpnType, 'gateways[0].type', ['gateway "gw1"', 'no vpnType', 'add vpnType: RouteBased']],
    ['ExpressRoute gateway with vpnType', (x) => (x.gateways![2]!.vpnType = 'RouteBased'), 'gateways[2].vpnType', ['ExpressRoute gateway "ergw1" has a vpnType']],
    [
      'two Vpn gateways in one VNet',
      (x) => x.gateways!.push({ name: 'gw3', vnet: 'vnet1', type: 'Vpn', vpnType: 'RouteBased', sku: 'Standard' }),
      'gateways[3].vnet',
      ['VNet "vnet1" already has a Vpn gateway ("gw1")', 'at most one Vpn and one ExpressRoute gateway'],
    ],
    [
      'two ExpressRoute gateways in one VNet',
      (x) => x.gateways!.push({ name: 'ergw2', vnet: 'vnet1', type: 'ExpressRoute', sku: 'Standard' }),
      'gateways[3].vnet',
      ['already has an ExpressRoute gateway ("ergw1")'],
    ],
    ['expectation count above the flow count', (x) => (x.expect![0]!.delivered = 5), 'expect[0].delivered', ['delivered: 5', 'flow "ping" sends (count: 3)', 'at most 3']],
    ['dropped above the flow count', (x) => (x.expect![0]!.dropped = 4), 'expect[0].dropped', ['dropped: 4']],
    [
      'a tcp flow smaller than its headers',
      (x) => Object.assign(x.traffic![0]!, { proto: 'tcp', size: 30 }),
      'traffic[0].size',
      ['"size" in flow "ping" is 30 bytes', 'tcp packet (IPv4 20 + TCP 20 header bytes)', 'at least 40'],
    ],
  ];
  it.each(cases)('%s', (_n, f, path, words) => {
    const d = diagAt(build(f), 'SCHEMA', path);
    for (const w of words) expect(d.message).toContain(w);
  });
  it('near miss: counts equal to the flow count, all, one Vpn and one ExpressRoute gateway per VNet', () => {
    const s = build((x) => {
      x.expect![0]!.delivered = 3;
      x.expect!.push({ flow: 'ping', dropped: 0, internet: 'all' });
    });
    expect(codes(s)).toEqual([]);
  });
  it('near miss: a tcp flow of 40 bytes, udp and icmp flows of 28', () => {
    const s = build((x) => {
      Object.assign(x.traffic![0]!, { proto: 'tcp', size: 40 });
      x.traffic!.push({ id: 'u', from: 'vm1', to: 'pc1', proto: 'udp', size: 28 }, { id: 'i', from: 'vm1', to: 'pc1', proto: 'icmp', size: 28 });
    });
    expect(codes(s)).toEqual([]);
  });
});

describe('INVALID_PREFIX (semantic)', () => {
  it('subnet outside its VNet address space', () => {
    const d = diagAt(
      build((x) => (x.vnets![0]!.subnets![0]!.prefix = '10.9.0.0/24'), policyBased),
      'INVALID_PREFIX',
      'vnets[0].subnets[0].prefix',
    );
    expect(d.message).toMatch(/subnet "frontend" of VNet "vnet1" \(10\.9\.0\.0\/24\) is not inside the VNet's address space \(10\.1\.0\.0\/16\)/);
    expect(d.message).toMatch(/extend addressSpace/);
  });
  it('VNet host in none of its subnets', () => {
    const d = diagAt(build((x) => (x.vnets![0]!.hosts![0]!.ip = '10.1.7.4'), policyBased), 'INVALID_PREFIX', 'vnets[0].hosts[0].ip');
    expect(d.message).toMatch(/host "vm1" of VNet "vnet1" has address 10\.1\.7\.4, which is in none of its subnets/);
  });
  it('site host outside the site prefixes', () => {
    const d = diagAt(build((x) => (x.sites![0]!.hosts![0]!.ip = '172.31.0.1'), policyBased), 'INVALID_PREFIX', 'sites[0].hosts[0].ip');
    expect(d.message).toMatch(/host "pc1" of site "hq" has address 172\.31\.0\.1, outside the site's addressPrefixes \(192\.168\.0\.0\/16\)/);
  });
  it('near miss: subnet equal to the address space edge, hosts at subnet edges, route-table prefixes anywhere', () => {
    const s = build((x) => {
      const v = x.vnets![0]!;
      v.subnets![0]!.prefix = '10.1.0.0/24';
      v.subnets![0]!.routes = [{ prefix: '0.0.0.0/0', nextHop: 'VirtualNetworkGateway' }, { prefix: '8.8.8.0/24', nextHop: 'Internet' }];
      v.hosts![0]!.ip = '10.1.0.254';
      x.sites![0]!.hosts![0]!.ip = '192.168.255.254';
    }, policyBased);
    expect(codes(s)).toEqual([]);
  });
});

describe('ADDRESS_OVERLAP', () => {
  it('two prefixes of one VNet address space', () => {
    const d = diagAt(build((x) => x.vnets![0]!.addressSpace.push('10.1.128.0/17'), policyBased), 'ADDRESS_OVERLAP', 'vnets[0].addressSpace[1]');
    expect(d.message).toMatch(/VNet "vnet1": address space prefix 10\.1\.128\.0\/17 overlaps 10\.1\.0\.0\/16/);
  });
  it('two subnets of one VNet', () => {
    const d = diagAt(build((x) => (x.vnets![0]!.subnets![1]!.prefix = '10.1.0.0/27'), policyBased), 'ADDRESS_OVERLAP', 'vnets[0].subnets[1].prefix');
    expect(d.message).toMatch(/subnet "GatewaySubnet" \(10\.1\.0\.0\/27\) overlaps subnet "frontend" \(10\.1\.0\.0\/24\) in VNet "vnet1"/);
  });
  it('a site connected to the VNet gateway', () => {
    const d = diagAt(build((x) => x.sites![0]!.addressPrefixes.push('10.1.50.0/24'), policyBased), 'ADDRESS_OVERLAP', 'sites[0].addressPrefixes[1]');
    expect(d.message).toMatch(/site "hq" prefix 10\.1\.50\.0\/24 overlaps VNet "vnet1" \(10\.1\.0\.0\/16\)/);
    expect(d.message).toMatch(/connection "gw1-hq"/);
    expect(d.message).toMatch(/must not overlap/);
  });
  it('two VNets connected VNet-to-VNet', () => {
    const d = diagAt(build((x) => x.vnets![1]!.addressSpace.push('10.1.128.0/17')), 'ADDRESS_OVERLAP', 'vnets[1].addressSpace[1]');
    expect(d.message).toMatch(/VNet "vnet2" prefix 10\.1\.128\.0\/17 overlaps VNet "vnet1"/);
    expect(d.message).toMatch(/VNet-to-VNet/);
    // once per pair, though the link is written in both directions
    expect(checkScenario(build((x) => x.vnets![1]!.addressSpace.push('10.1.128.0/17'))).filter((z) => z.code === 'ADDRESS_OVERLAP')).toHaveLength(1);
  });
  it('a point-to-site pool with its VNet', () => {
    const d = diagAt(build((x) => (x.gateways![0]!.p2s!.addressPool = '10.1.200.0/24')), 'ADDRESS_OVERLAP', 'gateways[0].p2s.addressPool');
    expect(d.message).toMatch(/gateway "gw1": point-to-site addressPool 10\.1\.200\.0\/24 overlaps its VNet "vnet1"/);
  });
  it('a point-to-site pool with a connected site', () => {
    const d = diagAt(build((x) => (x.gateways![0]!.p2s!.addressPool = '172.20.5.0/24')), 'ADDRESS_OVERLAP', 'gateways[0].p2s.addressPool');
    expect(d.message).toMatch(/overlaps site "branch" \(172\.20\.0\.0\/16\), connected by "gw1-branch"/);
  });
  it('ExpressRoute circuit on-premises prefixes with the VNet', () => {
    const d = diagAt(build((x) => x.circuits![0]!.onPremisesPrefixes.push('10.1.5.0/24')), 'ADDRESS_OVERLAP', 'circuits[0].onPremisesPrefixes[1]');
    expect(d.message).toMatch(/circuit "er1" on-premises prefix 10\.1\.5\.0\/24 overlaps VNet "vnet1"/);
    expect(d.message).toMatch(/connection "vnet1-er1"/);
  });
  it('near miss: adjacent prefixes, a pool next to the VNet, a site overlapping a VNet it is NOT connected to', () => {
    const s = build((x) => {
      x.vnets![0]!.addressSpace.push('10.0.0.0/16'); // adjacent to 10.1.0.0/16
      x.gateways![0]!.p2s!.addressPool = '10.3.0.0/24';
      x.sites!.push({ name: 'far', addressPrefixes: ['10.2.0.0/16'] }); // vnet2's space, but no connection
    });
    expect(codes(s)).toEqual([]);
  });
});

describe('SITE_PREFIX_OVERLAP', () => {
  it('two sites connected to one gateway share addresses (warning)', () => {
    const d = diagAt(build((x) => x.sites![1]!.addressPrefixes.push('192.168.100.0/24')), 'SITE_PREFIX_OVERLAP', 'sites[1].addressPrefixes[1]', 'warning');
    expect(d.message).toMatch(/site "branch" prefix 192\.168\.100\.0\/24 overlaps site "hq" \(192\.168\.0\.0\/16\)/);
    expect(d.message).toMatch(/gateway "gw1"/);
    expect(d.message).toMatch(/longest prefix match/);
  });
  it('near miss: overlapping sites on different gateways; a circuit carrying a VPN site prefix', () => {
    const s = build((x) => {
      x.sites!.push({ name: 'branch2', addressPrefixes: ['192.168.100.0/24'] });
      x.connections!.push({ name: 'gw2-branch2', type: 'IPsec', gateway: 'gw2', site: 'branch2', sharedKey: 'k' });
    });
    expect(codes(s)).toEqual([]);
  });
});

describe('GATEWAY_SUBNET_MISSING / GATEWAY_SUBNET_TOO_SMALL', () => {
  it('missing: suggests a free /27', () => {
    const d = diagAt(build((x) => x.vnets![0]!.subnets!.pop(), policyBased), 'GATEWAY_SUBNET_MISSING', 'vnets[0].subnets');
    expect(d.message).toMatch(/VNet "vnet1" has no subnet named GatewaySubnet, which gateway "gw1" needs/);
    expect(d.message).toMatch(/add a subnet \{ name: GatewaySubnet, prefix: 10\.1\.255\.224\/27 \}/);
  });
  it('missing: a subnet with the wrong case is named', () => {
    const d = diagAt(build((x) => (x.vnets![0]!.subnets![1]!.name = 'gatewaysubnet'), policyBased), 'GATEWAY_SUBNET_MISSING', 'vnets[0].subnets');
    expect(d.message).toMatch(/rename subnet "gatewaysubnet" to GatewaySubnet/);
  });
  it('too small: /30', () => {
    const d = diagAt(build((x) => (x.vnets![0]!.subnets![1]!.prefix = '10.1.255.0/30'), policyBased), 'GATEWAY_SUBNET_TOO_SMALL', 'vnets[0].subnets[1].prefix');
    expect(d.message).toMatch(/GatewaySubnet of VNet "vnet1" is 10\.1\.255\.0\/30, smaller than \/29/);
  });
  it('near miss: /29 is enough; a VNet without gateways needs no GatewaySubnet', () => {
    const s = build((x) => {
      x.vnets![0]!.subnets![1]!.prefix = '10.1.255.0/29';
      x.vnets!.push({ name: 'vnet3', addressSpace: ['10.3.0.0/16'], subnets: [{ name: 'a', prefix: '10.3.0.0/24' }] });
    }, policyBased);
    expect(codes(s)).toEqual([]);
  });
});

describe('EXPECTED_DIAGNOSTICS', () => {
  it('names the listed codes that did not occur', () => {
    const s = build((x) => {
      x.vnets![0]!.subnets!.pop();
      x.expectDiagnostics = ['GATEWAY_SUBNET_MISSING', 'SKU_NOT_AVAILABLE', 'P2S_LIMIT_EXCEDED'];
    }, policyBased);
    const ds = checkScenario(s);
    const out = checkExpectedDiagnostics(s, ds);
    expect(out).toHaveLength(1);
    const d = out[0] as Diagnostic;
    expect(d.code).toBe('EXPECTED_DIAGNOSTICS');
    expect(d.severity).toBe('error');
    expect(d.path).toBe('expectDiagnostics');
    expect({ line: d.line, column: d.column }).toEqual(posAt(s, 'expectDiagnostics'));
    expect(d.message).toMatch(/SKU_NOT_AVAILABLE did not occur/);
    expect(d.message).toMatch(/got GATEWAY_SUBNET_MISSING/);
    expect(d.message).toMatch(/P2S_LIMIT_EXCEDED is not a diagnostic code; did you mean P2S_LIMIT_EXCEEDED\?/);
    expect(d.message).not.toMatch(/GATEWAY_SUBNET_MISSING did not occur/);
  });
  it('near miss: every listed code occurred; an empty list asks nothing', () => {
    const s = build((x) => {
      x.vnets![0]!.subnets!.pop();
      x.expectDiagnostics = ['GATEWAY_SUBNET_MISSING'];
    }, policyBased);
    expect(checkExpectedDiagnostics(s, checkScenario(s))).toEqual([]);
    const clean = buildScenario(policyBased());
    expect(checkExpectedDiagnostics(clean, [])).toEqual([]);
  });
});

describe('collecting', () => {
  it('reports every problem, sorted by position, never throws', () => {
    const s = build((x) => {
      x.gateways![0]!.vnet = 'nowhere';
      x.connections![0]!.site = 'nosite';
      x.vnets![0]!.subnets![0]!.prefix = '10.9.0.0/24';
      x.expect![0]!.flow = 'noflow';
    }, policyBased);
    const ds = checkScenario(s);
    expect(ds.map((d) => d.code).sort()).toEqual(['INVALID_PREFIX', 'INVALID_PREFIX', 'UNKNOWN_REFERENCE', 'UNKNOWN_REFERENCE', 'UNKNOWN_REFERENCE']);
    const lines = ds.map((d) => d.line);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });
  it('an empty scenario is clean', () => {
    expect(checkScenario(buildScenario({}))).toEqual([]);
  });
});

describe('rule groups', () => {
  it('run in one fixed order over one report', () => {
    expect(RULE_GROUPS.map((g) => g.name)).toEqual([
      'duplicate names',
      'references',
      'shapes',
      'address spaces',
      'connected addresses',
      'gateway subnets',
      'gateway requirements',
      'devices',
      'transforms',
      'address rules',
      'shared keys',
      'devices behind a NAT',
    ]);
  });
  it('diagnostics at one position come out in rule-group order', () => {
    // A second site host on pc1's address, outside the site's prefixes: duplicate names before address spaces.
    const s = build((x) => x.sites![0]!.hosts!.push({ name: 'pc2', ip: '10.9.9.9' }, { name: 'pc3', ip: '10.9.9.9' }));
    expect(codes(s).filter((c) => c.endsWith('sites[0].hosts[2].ip'))).toEqual(['DUPLICATE_NAME@sites[0].hosts[2].ip', 'INVALID_PREFIX@sites[0].hosts[2].ip']);
  });
});
