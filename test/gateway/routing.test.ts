/**
 * The routing model of SCENARIO-FORMAT.md, through the public API on small inline
 * scenarios: subnet effective routes (system routes, gateway-propagated prefixes, UDRs and
 * their precedence, next hop None, 0.0.0.0/0 to the Internet), route-based longest prefix
 * match across overlapping site prefixes (and what the trace says it beat), ExpressRoute
 * preferred over a VPN at equal prefix with failover, and point-to-site addresses.
 */
import { describe, expect, it } from 'vitest';
import { compileWorld, validateScenarioText } from '../../sim/index.js';
import type { Scenario } from '../../sim/index.js';
import { end, expectFlow, flow, hops, load, simulate } from '../support/simulate.js';

// ---- helpers ----

/** Effective routes of a subnet as [prefix, nextHop, source] rows, in table order. */
function effective(s: Scenario, vnet: string, subnet: string): [string, string, string][] {
  const w = compileWorld(s).world;
  const vi = w.vnets.findIndex((v) => v.name === vnet);
  const sn = w.subnets.find((x) => x.vnet === vi && x.name === subnet);
  expect(sn, `${vnet}/${subnet}`).toBeDefined();
  return sn!.table.entries.map((e) => [e.prefix.text, e.nextHop, e.source]);
}

const VNET = `
vnets:
  - name: vnet1
    addressSpace: [10.1.0.0/16]
    subnets:
      - name: frontend
        prefix: 10.1.0.0/24
        ROUTES
      - { name: GatewaySubnet, prefix: 10.1.255.0/27 }
    hosts:
      - { name: vm1, ip: 10.1.0.4 }
`;

function vnet(routes: string[] = []): string {
  return VNET.replace('ROUTES', routes.length ? `routes:\n${routes.map((r) => `          - ${r}`).join('\n')}` : '');
}

/** Route-based Standard gateway gw1 with site hq 192.168.0.0/16 (pc1 192.168.1.10). */
function routeBased(opts: { routes?: string[]; traffic: string; extraSites?: string; extraConnections?: string; p2s?: string }): string {
  return `
name: rb
seed: 1
${vnet(opts.routes)}
gateways:
  - name: gw1
    vnet: vnet1
    type: Vpn
    vpnType: RouteBased
    sku: Standard
    publicIp: 203.0.113.10
${opts.p2s ?? ''}
sites:
  - name: hq
    gatewayIp: 198.51.100.1
    addressPrefixes: [192.168.0.0/16]
    device: { vpnType: RouteBased }
    hosts:
      - { name: pc1, ip: 192.168.1.10 }
${opts.extraSites ?? ''}
connections:
  - { name: gw1-hq, type: IPsec, gateway: gw1, site: hq, sharedKey: "hqkey1" }
${opts.extraConnections ?? ''}
traffic:
${opts.traffic}
`;
}

// ---- subnet effective routes ----

describe('subnet effective routes', () => {
  it('system routes: VNet space (VnetLocal), gateway-propagated site prefix and P2S pool, 0.0.0.0/0 Internet', () => {
    const s = load(routeBased({
      traffic: '  - { id: a, from: vm1, to: pc1, proto: icmp }',
      p2s: '    p2s:\n      addressPool: 172.16.201.0/24\n      clients: [ { name: laptop1 } ]',
    }));
    const rows = effective(s, 'vnet1', 'frontend');
    expect(rows).toContainEqual(['10.1.0.0/16', 'VnetLocal', 'Default']);
    expect(rows).toContainEqual(['192.168.0.0/16', 'VirtualNetworkGateway gw1', 'VirtualNetworkGateway']);
    expect(rows).toContainEqual(['172.16.201.0/24', 'VirtualNetworkGateway gw1', 'VirtualNetworkGateway']);
    expect(rows).toContainEqual(['0.0.0.0/0', 'Internet', 'Default']);
    expect(rows.filter((r) => r[2] === 'User')).toEqual([]);
    expect(rows).toHaveLength(4);
  });

  it('a VNet without a gateway has only VnetLocal and 0.0.0.0/0', () => {
    const s = load(`
name: lonely
seed: 1
${vnet()}
traffic:
  - { id: a, from: vm1, to: 8.8.8.8, proto: icmp }
`);
    expect(effective(s, 'vnet1', 'frontend')).toEqual([
      ['10.1.0.0/16', 'VnetLocal', 'Default'],
      ['0.0.0.0/0', 'Internet', 'Default'],
    ]);
  });

  it('to a site: the propagated route wins by prefix length; the trace lists 0.0.0.0/0 as beaten', () => {
    const { r, events } = simulate(routeBased({ traffic: '  - { id: a, from: vm1, to: pc1, proto: icmp, count: 2 }' }));
    expectFlow(r, 'a', { sent: 2, delivered: 2, via: { 'gw1-hq': 2 } });
    const h = hops(events, 'a').find((x) => x.node === 'vnet1/frontend')!;
    expect(h.route).toEqual({ prefix: '192.168.0.0/16', nextHop: 'VirtualNetworkGateway gw1', source: 'VirtualNetworkGateway' });
    expect(h.beat).toEqual([{ prefix: '0.0.0.0/0', nextHop: 'Internet', source: 'Default' }]);
  });

  it('0.0.0.0/0 → Internet: a non-VNet, non-site address leaves in clear, crossing no connection', () => {
    const { r, events } = simulate(routeBased({ traffic: '  - { id: web, from: vm1, to: 8.8.8.8, proto: udp, dport: 53, count: 3 }' }));
    expectFlow(r, 'web', { sent: 3, internet: 3, delivered: 0, dropped: 0, via: {} });
    const e = end(events, 'web');
    expect(e.type).toBe('internet');
    expect(e.node).toBe('vnet1/frontend');
    expect(e.via).toEqual([]);
    expect(hops(events, 'web').find((x) => x.stage === 'route')!.route).toEqual({ prefix: '0.0.0.0/0', nextHop: 'Internet', source: 'Default' });
  });

  it('UDR beats the system route of the SAME prefix: 0.0.0.0/0 → VirtualNetworkGateway', () => {
    const { s, events } = simulate(routeBased({
      routes: ['{ prefix: 0.0.0.0/0, nextHop: VirtualNetworkGateway }'],
      traffic: '  - { id: web, from: vm1, to: 8.8.8.8, proto: udp, dport: 53 }',
    }));
    const rows = effective(s, 'vnet1', 'frontend');
    expect(rows).toContainEqual(['0.0.0.0/0', 'VirtualNetworkGateway gw1', 'User']);
    expect(rows).toContainEqual(['0.0.0.0/0', 'Internet', 'Default']);
    const h = hops(events, 'web').find((x) => x.node === 'vnet1/frontend')!;
    expect(h.route).toEqual({ prefix: '0.0.0.0/0', nextHop: 'VirtualNetworkGateway gw1', source: 'User' });
    expect(h.beat).toContainEqual({ prefix: '0.0.0.0/0', nextHop: 'Internet', source: 'Default' });
    // The packet reached the gateway (its table has no default route: no-route there).
    expect(hops(events, 'web').some((x) => x.node === 'gw1')).toBe(true);
  });

  it('UDR beats a gateway-propagated route of the same prefix: 192.168.0.0/16 → Internet', () => {
    const { r, events } = simulate(routeBased({
      routes: ['{ prefix: 192.168.0.0/16, nextHop: Internet }'],
      traffic: '  - { id: a, from: vm1, to: pc1, proto: icmp, count: 2 }',
    }));
    expectFlow(r, 'a', { internet: 2, delivered: 0, via: {} });
    const h = hops(events, 'a').find((x) => x.node === 'vnet1/frontend')!;
    expect(h.route).toEqual({ prefix: '192.168.0.0/16', nextHop: 'Internet', source: 'User' });
    expect(h.beat).toContainEqual({ prefix: '192.168.0.0/16', nextHop: 'VirtualNetworkGateway gw1', source: 'VirtualNetworkGateway' });
  });

  it('a more specific system route still beats a less specific UDR (prefix length first)', () => {
    const { r } = simulate(routeBased({
      routes: ['{ prefix: 0.0.0.0/0, nextHop: None }'],
      traffic: '  - { id: a, from: vm1, to: pc1, proto: icmp }\n  - { id: web, from: vm1, to: 8.8.8.8, proto: icmp }',
    }));
    expectFlow(r, 'a', { delivered: 1 });
    expectFlow(r, 'web', { dropped: 1, dropReasons: { 'no-route': 1 } });
  });

  it('UDR next hop None → dropped no-route in the subnet, counted by name', () => {
    const { r, events } = simulate(routeBased({
      routes: ['{ prefix: 192.168.1.0/24, nextHop: None }'],
      traffic: '  - { id: a, from: vm1, to: pc1, proto: icmp, count: 4 }\n  - { id: b, from: vm1, to: 192.168.2.1, proto: icmp }',
    }));
    expectFlow(r, 'a', { sent: 4, dropped: 4, delivered: 0, dropReasons: { 'no-route': 4 }, via: {} });
    const e = end(events, 'a');
    expect(e).toMatchObject({ type: 'dropped', reason: 'no-route', node: 'vnet1/frontend', stage: 'route' });
    expect(e.detail).toMatch(/None/);
    expect(r.counters['vnet1/frontend/route/no-route']).toBe(4);
    // Outside the /24 the propagated /16 still applies (then no-host at hq).
    expectFlow(r, 'b', { dropped: 1, dropReasons: { 'no-host': 1 }, via: { 'gw1-hq': 1 } });
  });

  it('UDRs apply only to their own subnet', () => {
    const text = routeBased({
      routes: ['{ prefix: 0.0.0.0/0, nextHop: None }'],
      traffic: '  - { id: a, from: vm1, to: 8.8.8.8, proto: icmp }\n  - { id: b, from: vm2, to: 8.8.8.8, proto: icmp }',
    }).replace(
      '      - { name: GatewaySubnet, prefix: 10.1.255.0/27 }',
      '      - { name: backend, prefix: 10.1.1.0/24 }\n      - { name: GatewaySubnet, prefix: 10.1.255.0/27 }',
    ).replace('      - { name: vm1, ip: 10.1.0.4 }', '      - { name: vm1, ip: 10.1.0.4 }\n      - { name: vm2, ip: 10.1.1.4 }');
    const { s, r } = simulate(text);
    expect(flow(r, 'a').dropped).toBe(1);
    expect(flow(r, 'b').internet).toBe(1);
    expect(effective(s, 'vnet1', 'backend').some((row) => row[2] === 'User')).toBe(false);
  });
});

// ---- route-based longest prefix match ----

describe('route-based gateway: longest prefix match across overlapping sites', () => {
  const text = routeBased({
    extraSites: `  - name: branch
    gatewayIp: 198.51.100.2
    addressPrefixes: [192.168.10.0/24]
    device: { vpnType: RouteBased }
    hosts:
      - { name: a-pc, ip: 192.168.10.20 }`,
    extraConnections: '  - { name: gw1-branch, type: IPsec, gateway: gw1, site: branch, sharedKey: "branchkey1" }',
    traffic: [
      '  - { id: specific, from: vm1, to: a-pc, proto: tcp, dport: 443, count: 3 }',
      '  - { id: general, from: vm1, to: pc1, proto: tcp, dport: 443, count: 2 }',
      '  - { id: back, from: a-pc, to: vm1, proto: tcp, dport: 22, count: 2 }',
    ].join('\n'),
  });

  it('validates with a SITE_PREFIX_OVERLAP warning, not an error', () => {
    const v = validateScenarioText(text, 'inline.yaml');
    expect(v.errors).toBe(0);
    expect(v.diagnostics.map((d) => d.code)).toContain('SITE_PREFIX_OVERLAP');
  });

  it('the /24 wins over the /16: packets cross the branch tunnel only', () => {
    const { r } = simulate(text);
    expectFlow(r, 'specific', { sent: 3, delivered: 3, via: { 'gw1-branch': 3 } });
    expectFlow(r, 'general', { sent: 2, delivered: 2, via: { 'gw1-hq': 2 } });
    expectFlow(r, 'back', { delivered: 2, via: { 'gw1-branch': 2 } });
  });

  it("the gateway's route hop picks the /24 and lists the /16 (and nothing unrelated) in beat", () => {
    const { events } = simulate(text);
    const g = hops(events, 'specific').find((h) => h.node === 'gw1' && h.stage === 'route')!;
    expect(g.route).toEqual({ prefix: '192.168.10.0/24', nextHop: 'tunnel gw1-branch', source: 'Connection' });
    expect(g.beat).toEqual([{ prefix: '192.168.0.0/16', nextHop: 'tunnel gw1-hq', source: 'Connection' }]);
    // In the subnet, both site prefixes are propagated: the /24 beats the /16 and 0.0.0.0/0.
    const sn = hops(events, 'specific').find((h) => h.node === 'vnet1/frontend')!;
    expect(sn.route?.prefix).toBe('192.168.10.0/24');
    expect(sn.beat?.map((b) => b.prefix).sort()).toEqual(['0.0.0.0/0', '192.168.0.0/16']);
    const enc = hops(events, 'specific').find((h) => h.stage === 'encrypt')!;
    expect(enc.sa?.name).toBe('gw1-branch/out');
    expect(enc.connection).toBe('gw1-branch');
  });

  it('the less specific destination has nothing to beat but 0.0.0.0/0 in the subnet', () => {
    const { events } = simulate(text);
    const g = hops(events, 'general').find((h) => h.node === 'gw1' && h.stage === 'route')!;
    expect(g.route?.prefix).toBe('192.168.0.0/16');
    expect(g.beat).toEqual([]);
  });

  it('one SA pair per route-based connection, any-to-any selectors', () => {
    const { r } = simulate(text);
    const names = r.sas.map((x) => x.name);
    expect(names).toEqual(['gw1-hq/out', 'gw1-hq/in', 'gw1-branch/out', 'gw1-branch/in']);
    for (const sa of r.sas) expect(sa.selectors).toBe('0.0.0.0/0 → 0.0.0.0/0');
    expect(new Set(r.sas.map((x) => x.spi)).size).toBe(4);
    expect(r.sas.find((x) => x.name === 'gw1-branch/out')).toMatchObject({ src: '203.0.113.10', dst: '198.51.100.2', established: true, packets: 3 });
    expect(r.sas.find((x) => x.name === 'gw1-branch/in')).toMatchObject({ src: '198.51.100.2', dst: '203.0.113.10', packets: 2 });
  });
});

// ---- ExpressRoute preferred ----

describe('ExpressRoute and a Site-to-Site VPN carrying the same prefix', () => {
  const text = `
name: er+vpn
seed: 5
vnets:
  - name: prod
    addressSpace: [10.20.0.0/16]
    subnets:
      - { name: app, prefix: 10.20.1.0/24 }
      - { name: GatewaySubnet, prefix: 10.20.255.0/27 }
    hosts:
      - { name: vm, ip: 10.20.1.4 }
gateways:
  - { name: er-gw, vnet: prod, type: ExpressRoute, sku: Standard }
  - { name: vpn-gw, vnet: prod, type: Vpn, vpnType: RouteBased, sku: Standard, publicIp: 203.0.113.80 }
sites:
  - name: hq
    gatewayIp: 198.51.100.80
    addressPrefixes: [192.168.0.0/16]
    device: { vpnType: RouteBased }
    hosts:
      - { name: erp, ip: 192.168.4.20 }
circuits:
  - { name: er-hq, bandwidth: 1Gbps, onPremisesPrefixes: [192.168.0.0/16], site: hq }
connections:
  - { name: vnet-er, type: ExpressRoute, gateway: er-gw, circuit: er-hq }
  - { name: vnet-vpn, type: IPsec, gateway: vpn-gw, site: hq, sharedKey: "backupkey1" }
faults:
  - { at: 5s, circuit: er-hq, down: true }
traffic:
  - { id: out, from: vm, to: erp, proto: tcp, dport: 443, count: 10 }
  - { id: back, from: erp, to: vm, proto: tcp, dport: 8443, count: 10 }
`;

  it('ExpressRoute wins at equal prefix in the subnet, ahead of the VPN gateway route', () => {
    const s = load(text);
    const rows = effective(s, 'prod', 'app').filter((r) => r[0] === '192.168.0.0/16');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual(['192.168.0.0/16', 'VirtualNetworkGateway er-gw (ExpressRoute)', 'VirtualNetworkGateway']);
    expect(rows[1]).toEqual(['192.168.0.0/16', 'VirtualNetworkGateway vpn-gw', 'VirtualNetworkGateway']);
  });

  it('packets before the circuit fault cross vnet-er, after it vnet-vpn; both directions; none lost', () => {
    const { r, events } = simulate(text);
    for (const id of ['out', 'back']) {
      expectFlow(r, id, { sent: 10, delivered: 10, dropped: 0, via: { 'vnet-er': 5, 'vnet-vpn': 5 } });
      for (let p = 1; p <= 10; p++) expect(end(events, id, p).via, `${id}#${p}`).toEqual([p <= 5 ? 'vnet-er' : 'vnet-vpn']);
    }
    const faults = events.filter((e) => e.type === 'fault');
    expect(faults).toEqual([expect.objectContaining({ type: 'fault', t: 5, target: 'er-hq', down: true })]);
    // Before the fault, the VPN's route was beaten in the subnet.
    const h = hops(events, 'out', 1).find((x) => x.node === 'prod/app')!;
    expect(h.route?.nextHop).toBe('VirtualNetworkGateway er-gw (ExpressRoute)');
    expect(h.beat).toContainEqual({ prefix: '192.168.0.0/16', nextHop: 'VirtualNetworkGateway vpn-gw', source: 'VirtualNetworkGateway' });
    const h6 = hops(events, 'out', 6).find((x) => x.node === 'prod/app')!;
    expect(h6.route?.nextHop).toBe('VirtualNetworkGateway vpn-gw');
  });

  it('compiling with the circuit down withdraws the ExpressRoute routes', () => {
    const s = load(text);
    const w = compileWorld(s, new Set(['er-hq'])).world;
    const sn = w.subnets.find((x) => x.name === 'app')!;
    expect(sn.table.entries.filter((e) => e.prefix.text === '192.168.0.0/16').map((e) => e.nextHop)).toEqual(['VirtualNetworkGateway vpn-gw']);
    expect(w.erPaths).toEqual([]);
  });
});

// ---- point-to-site addresses ----

describe('point-to-site client addresses', () => {
  const text = routeBased({
    p2s: `    p2s:
      addressPool: 172.16.201.0/24
      clients:
        - { name: laptop1 }
        - { name: laptop2 }
        - { name: laptop3, certificate: revoked }`,
    traffic: [
      '  - { id: c1, from: laptop1, to: vm1, proto: tcp, dport: 445, count: 2 }',
      '  - { id: c2, from: laptop2, to: vm1, proto: icmp }',
      '  - { id: to-c2, from: vm1, to: laptop2, proto: icmp, count: 2 }',
      '  - { id: hq-to-c1, from: pc1, to: laptop1, proto: icmp }',
      '  - { id: empty, from: vm1, to: 172.16.201.77, proto: icmp }',
    ].join('\n'),
  });

  it('each client gets the next pool address: laptop1 pool+1, laptop2 pool+2, laptop3 pool+3', () => {
    const w = compileWorld(load(text)).world;
    const ip = (n: string) => w.hosts.find((h) => h.name === n)!.ip;
    expect(ip('laptop1')).toBe(0xac10c901); // 172.16.201.1
    expect(ip('laptop2')).toBe(0xac10c902);
    expect(ip('laptop3')).toBe(0xac10c903);
    expect(w.p2sClients.map((c) => c.name)).toEqual(['laptop1', 'laptop2', 'laptop3']);
  });

  it("packets carry the client's pool address and are reachable both ways", () => {
    const { r, events } = simulate(text);
    expect(hops(events, 'c1')[0]).toMatchObject({ src: '172.16.201.1', dst: '10.1.0.4' });
    expect(hops(events, 'c2')[0]).toMatchObject({ src: '172.16.201.2' });
    expect(hops(events, 'to-c2')[0]).toMatchObject({ dst: '172.16.201.2' });
    expectFlow(r, 'c1', { delivered: 2, via: { 'gw1-p2s': 2 } });
    expectFlow(r, 'to-c2', { delivered: 2, via: { 'gw1-p2s': 2 } });
    expect(end(events, 'to-c2').node).toBe('laptop2');
    // From the site: into gw1 over gw1-hq, then out through the client's tunnel.
    expectFlow(r, 'hq-to-c1', { delivered: 1 });
    expect(end(events, 'hq-to-c1').via).toEqual(['gw1-hq', 'gw1-p2s']);
  });

  it('a pool address with no client is dropped no-host at the gateway', () => {
    const { r, events } = simulate(text);
    expectFlow(r, 'empty', { dropped: 1, dropReasons: { 'no-host': 1 } });
    expect(end(events, 'empty').node).toBe('gw1');
    expect(r.counters['gw1/route/no-host']).toBe(1);
  });
});
