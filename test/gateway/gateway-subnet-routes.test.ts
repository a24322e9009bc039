/**
 * A route table on the GatewaySubnet steers what a gateway hands into its VNet (Azure, May
 * 2016: "apply a route table to the GatewaySubnet, providing the ability to forward all
 * traffic coming into the Azure VNet from a hybrid connection to a virtual appliance").
 * The gateway's instances sit in the GatewaySubnet, so everything the gateway delivers into
 * its VNet leaves by that subnet's routes, wherever it came from: a tunnel, an ExpressRoute
 * circuit, or a subnet whose route sent it to the gateway. The packet takes a route hop at
 * VNET/GatewaySubnet with the route it matched and the routes it beat; None drops there,
 * Internet leaves there, VirtualNetworkGateway sends it back to the gateway: a loop that
 * ends when the TTL does. Traffic between subnets that does not pass the gateway is not
 * affected, and a GatewaySubnet without routes adds no hop.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { MAX_HOPS } from '../../sim/gateway/pipeline.js';
import { end, expectFlow, hops, simulate } from '../support/simulate.js';

function scenario(vpnType: 'RouteBased' | 'PolicyBased', gwRoutes: string[], traffic: string): string {
  const routes = gwRoutes.length ? `\n        routes:\n${gwRoutes.map((r) => `          - ${r}`).join('\n')}` : '';
  return `
name: gateway subnet routes
seed: 3
vnets:
  - name: vnet1
    addressSpace: [10.1.0.0/16]
    subnets:
      - { name: a, prefix: 10.1.0.0/24 }
      - { name: b, prefix: 10.1.1.0/24 }
      - { name: c, prefix: 10.1.2.0/24 }
      - name: d
        prefix: 10.1.3.0/24
        routes:
          - { prefix: 10.1.1.0/24, nextHop: VirtualNetworkGateway }
          - { prefix: 10.1.2.0/24, nextHop: VirtualNetworkGateway }
          - { prefix: 10.1.0.0/24, nextHop: VirtualNetworkGateway }
      - name: GatewaySubnet
        prefix: 10.1.255.0/27${routes}
    hosts:
      - { name: vm1, ip: 10.1.0.4 }
      - { name: vm2, ip: 10.1.1.4 }
      - { name: vm3, ip: 10.1.2.4 }
      - { name: vm4, ip: 10.1.3.4 }
gateways:
  - { name: gw1, vnet: vnet1, type: Vpn, vpnType: ${vpnType}, sku: Basic, publicIp: 203.0.113.10 }
sites:
  - name: hq
    gatewayIp: 198.51.100.1
    addressPrefixes: [192.168.0.0/16]
    device: { vpnType: ${vpnType} }
    hosts:
      - { name: pc1, ip: 192.168.1.10 }
connections:
  - { name: gw1-hq, type: IPsec, gateway: gw1, site: hq, sharedKey: "gwskey1" }
traffic:
${traffic}
`;
}

const TRAFFIC = [
  '  - { id: to-none, from: pc1, to: vm2, proto: icmp, count: 2 }',
  '  - { id: to-inet, from: pc1, to: vm3, proto: udp, dport: 53, count: 1 }',
  '  - { id: to-vm1, from: pc1, to: vm1, proto: tcp, dport: 22, count: 1 }',
  '  - { id: inside, from: vm1, to: vm2, proto: icmp, count: 1 }',
  '  - { id: via-gw-none, from: vm4, to: vm2, proto: icmp, count: 2 }',
  '  - { id: via-gw-inet, from: vm4, to: vm3, proto: udp, dport: 53, count: 1 }',
  '  - { id: via-gw-vm1, from: vm4, to: vm1, proto: tcp, dport: 22, count: 1 }',
].join('\n');

describe.each(['RouteBased', 'PolicyBased'] as const)('GatewaySubnet routes on a %s gateway', (vpnType) => {
  const text = scenario(vpnType, ['{ prefix: 10.1.1.0/24, nextHop: None }', '{ prefix: 10.1.2.0/24, nextHop: Internet }'], TRAFFIC);

  it('10.1.1.0/24 -> None drops tunnel traffic to 10.1.1.4 at vnet1/GatewaySubnet, with the route and what it beat', () => {
    const { r, events } = simulate(text);
    expectFlow(r, 'to-none', { delivered: 0, dropped: 2, dropReasons: { 'no-route': 2 }, via: { 'gw1-hq': 2 } });
    const e = end(events, 'to-none');
    expect(e).toMatchObject({ type: 'dropped', reason: 'no-route', node: 'vnet1/GatewaySubnet', stage: 'route' });
    expect(e.detail).toBe('route 10.1.1.0/24 has next hop None: the packet is discarded');
    const h = hops(events, 'to-none').find((x) => x.node === 'vnet1/GatewaySubnet')!;
    expect(h.route).toEqual({ prefix: '10.1.1.0/24', nextHop: 'None', source: 'User' });
    expect(h.beat).toEqual([{ prefix: '10.1.0.0/16', nextHop: 'VnetLocal', source: 'Default' }, { prefix: '0.0.0.0/0', nextHop: 'Internet', source: 'Default' }]);
    // to-none's 2 and via-gw-none's 2 (below): one counter for the subnet, whatever the packets came from.
    expect(r.counters['vnet1/GatewaySubnet/route/no-route']).toBe(4);
  });

  it('10.1.2.0/24 -> Internet sends it out in clear at vnet1/GatewaySubnet', () => {
    const { r, events } = simulate(text);
    expectFlow(r, 'to-inet', { delivered: 0, dropped: 0, internet: 1, via: { 'gw1-hq': 1 } });
    expect(end(events, 'to-inet')).toMatchObject({ type: 'internet', node: 'vnet1/GatewaySubnet', stage: 'route' });
  });

  it('what no user route matches is delivered, after a route hop at the GatewaySubnet; VNet-internal traffic is untouched', () => {
    const { r, events } = simulate(text);
    expectFlow(r, 'to-vm1', { delivered: 1, dropped: 0 });
    const h = hops(events, 'to-vm1').find((x) => x.node === 'vnet1/GatewaySubnet')!;
    expect(h.route).toEqual({ prefix: '10.1.0.0/16', nextHop: 'VnetLocal', source: 'Default' });
    expectFlow(r, 'inside', { delivered: 1, dropped: 0 });
    expect(hops(events, 'inside').map((x) => x.node)).toEqual(['vm1', 'vnet1/a', 'vnet1']);
  });

  it('a subnet route to the gateway leads through the GatewaySubnet\'s routes too: the same drop, exit and delivery', () => {
    const { r, events } = simulate(text);
    expectFlow(r, 'via-gw-none', { delivered: 0, dropped: 2, dropReasons: { 'no-route': 2 }, via: {} });
    expect(end(events, 'via-gw-none')).toMatchObject({ type: 'dropped', reason: 'no-route', node: 'vnet1/GatewaySubnet', stage: 'route' });
    expect(hops(events, 'via-gw-none').map((x) => x.node)).toEqual(['vm4', 'vnet1/d', 'gw1', 'vnet1/GatewaySubnet']);
    expectFlow(r, 'via-gw-inet', { delivered: 0, dropped: 0, internet: 1 });
    expect(end(events, 'via-gw-inet')).toMatchObject({ type: 'internet', node: 'vnet1/GatewaySubnet', stage: 'route' });
    expectFlow(r, 'via-gw-vm1', { delivered: 1, dropped: 0 });
    expect(hops(events, 'via-gw-vm1').map((x) => x.node)).toEqual(['vm4', 'vnet1/d', 'gw1', 'vnet1/GatewaySubnet', 'vnet1']);
  });

  it('a GatewaySubnet without routes adds no hop', () => {
    const { r, events } = simulate(scenario(vpnType, [], TRAFFIC));
    for (const id of ['to-none', 'to-inet', 'to-vm1', 'via-gw-none', 'via-gw-inet', 'via-gw-vm1']) {
      const f = r.flows.find((x) => x.id === id)!;
      expect(f, id).toMatchObject({ delivered: f.sent, dropped: 0 });
      expect(hops(events, id).some((x) => x.node === 'vnet1/GatewaySubnet')).toBe(false);
    }
  });
});

describe('VirtualNetworkGateway on the GatewaySubnet', () => {
  it('hands the gateway its own traffic back: a loop that ends ttl-expired at the gateway, one TTL per pass', () => {
    const text = scenario('RouteBased', ['{ prefix: 10.1.1.0/24, nextHop: VirtualNetworkGateway }'], [
      '  - { id: loop, from: pc1, to: vm2, proto: icmp, count: 1, ttl: 6 }',
      '  - { id: loop64, from: pc1, to: vm2, proto: icmp, count: 1 }',
    ].join('\n'));
    const { r, events } = simulate(text);
    expectFlow(r, 'loop', { delivered: 0, dropped: 1, dropReasons: { 'ttl-expired': 1 } });
    expect(end(events, 'loop')).toMatchObject({ reason: 'ttl-expired', node: 'gw1', stage: 'forward' });
    // TTL 6: the device takes one, then the gateway one per pass until it reaches 1.
    expect(hops(events, 'loop').filter((x) => x.node === 'vnet1/GatewaySubnet')).toHaveLength(4);
    // The default TTL of 64 runs the same loop out: 62 passes, far more hops than a path needs.
    expectFlow(r, 'loop64', { delivered: 0, dropped: 1, dropReasons: { 'ttl-expired': 1 } });
    expect(hops(events, 'loop64').filter((x) => x.node === 'vnet1/GatewaySubnet')).toHaveLength(62);
    expect(r.counters['gw1/forward/ttl-expired']).toBe(2);
  });

  it('with TTL 255, the longest path a scenario can make, the TTL ends it at hop 511, counted, below the hop bound', () => {
    const { r, events } = simulate(scenario('RouteBased', ['{ prefix: 10.1.1.0/24, nextHop: VirtualNetworkGateway }'], [
      '  - { id: loop255, from: pc1, to: vm2, proto: icmp, count: 1, ttl: 255 }',
    ].join('\n')));
    expectFlow(r, 'loop255', { delivered: 0, dropped: 1, dropReasons: { 'ttl-expired': 1 } });
    const hs = hops(events, 'loop255');
    expect(hs.at(-1)).toMatchObject({ hop: 511, node: 'vnet1/GatewaySubnet' });
    // TTL 255: the device takes one, then the gateway one per pass until it reaches 1.
    expect(hs.filter((x) => x.node === 'vnet1/GatewaySubnet')).toHaveLength(253);
    expect(end(events, 'loop255')).toMatchObject({ reason: 'ttl-expired', node: 'gw1', stage: 'forward', detail: 'TTL 1 reached zero at gw1' });
    expect(r.counters['gw1/forward/ttl-expired']).toBe(1);
    expect(hs.at(-1)!.hop).toBeLessThan(MAX_HOPS);
  });
});

describe('traffic from an ExpressRoute circuit', () => {
  it('is routed by the GatewaySubnet too', () => {
    const base = readFileSync('scenarios/expressroute-with-vpn.yaml', 'utf8');
    const text = base.replace(
      '      - { name: GatewaySubnet, prefix: 10.20.255.0/27 }   # both gateways live here',
      '      - name: GatewaySubnet\n        prefix: 10.20.255.0/27\n        routes: [ { prefix: 10.20.1.0/24, nextHop: None } ]',
    );
    expect(text).not.toBe(base);
    const { r, events } = simulate(text);
    // Into the VNet over the circuit (before 10s) and over the VPN (during the outage): both dropped there.
    for (const id of ['before-back', 'during-back']) {
      expectFlow(r, id, { delivered: 0, dropped: 3, dropReasons: { 'no-route': 3 } });
      expect(end(events, id).node).toBe('prod/GatewaySubnet');
    }
    expectFlow(r, 'before', { delivered: 5 });
  });
});
