/**
 * checkScenario: Azure's address rules (sim/scenario/checks/address-rules.ts). Tunnel ends on public
 * addresses, address spaces and flow endpoints where unicast hosts can be, subnet sizes,
 * the five reserved addresses of every subnet and the GatewaySubnet, host names that read
 * as addresses. A failing case and a passing near miss per rule, with the edge cases: /31
 * and /32 subnets, a gateway without publicIp, a site without device, an ExpressRoute-only
 * site.
 */
import { describe, expect, it } from 'vitest';
import { CollectSink } from '../../../sim/engine/events.js';
import { checkScenario } from '../../../sim/scenario/checks/index.js';
import { whatIf } from '../../../sim/scenario/what-if.js';
import type { Scenario } from '../../../sim/scenario/types.js';
import { buildScenario, policyBased, routeBased } from '../../support/build-scenario.js';
import type { ScenarioIn } from '../../support/build-scenario.js';
import { codes, diagAt, build as buildWith } from '../../support/check-helpers.js';
import { simulate } from '../../support/simulate.js';
import { routeBasedSite } from '../../support/route-based-site.js';

/** Address checks start from the policy-based fixture (gw1 has publicIp 203.0.113.10). */
const build = (f: (x: ScenarioIn) => void, base: () => ScenarioIn = policyBased): Scenario => buildWith(f, base);
const only = (s: Scenario, code: string): string[] => codes(s).filter((c) => c.startsWith(`${code}@`));

describe('PUBLIC_IP_REQUIRED', () => {
  it.each([
    ['10.0.0.1', '10.0.0.0/8 (Private-Use, RFC 1918)'],
    ['172.16.5.5', '172.16.0.0/12 (Private-Use, RFC 1918)'],
    ['192.168.1.1', '192.168.0.0/16 (Private-Use, RFC 1918)'],
    ['100.64.0.1', '100.64.0.0/10 (Shared Address Space, RFC 6598)'],
    ['127.0.0.1', '127.0.0.0/8 (Loopback, RFC 1122 §3.2.1.3)'],
    ['169.254.1.1', '169.254.0.0/16 (Link Local, RFC 3927)'],
    ['0.0.0.1', '0.0.0.0/8 ("This network", RFC 791 §3.2)'],
    ['192.0.0.5', '192.0.0.0/29 (IPv4 Service Continuity Prefix, RFC 7335)'],
    ['192.0.0.77', '192.0.0.0/24 (IETF Protocol Assignments, RFC 6890 §2.1)'],
    ['192.88.99.1', '192.88.99.0/24 (Deprecated (6to4 Relay Anycast), RFC 7526)'],
    ['198.18.0.1', '198.18.0.0/15 (Benchmarking, RFC 2544)'],
    ['224.0.0.5', '224.0.0.0/4 (Multicast, RFC 5771)'],
    ['240.0.0.1', '240.0.0.0/4 (Reserved, RFC 1112 §4)'],
    ['255.255.255.255', '255.255.255.255/32 (Limited Broadcast, RFC 919 §7, RFC 8190)'],
  ])('a site gatewayIp %s is refused, naming %s', (addr, block) => {
    const s = build((x) => (x.sites![0]!.gatewayIp = addr));
    const d = diagAt(s, 'PUBLIC_IP_REQUIRED', 'sites[0].gatewayIp');
    expect(d.message).toContain(`site "hq": gatewayIp ${addr} is in ${block}, which the Internet cannot reach`);
    expect(d.message).toMatch(/externally facing public IPv4 address/);
  });

  it('a gateway publicIp in private space is refused', () => {
    const s = build((x) => (x.gateways![0]!.publicIp = '10.255.0.1'));
    const d = diagAt(s, 'PUBLIC_IP_REQUIRED', 'gateways[0].publicIp');
    expect(d.message).toMatch(/^gateway "gw1": publicIp 10\.255\.0\.1 is in 10\.0\.0\.0\/8 \(Private-Use, RFC 1918\)/);
    expect(d.message).toMatch(/Azure gives a gateway an address from its own public space/);
  });

  it('near miss: public addresses, the three documentation blocks, a globally reachable anycast /32', () => {
    for (const addr of ['20.1.2.3', '192.0.2.1', '198.51.100.77', '203.0.113.200', '192.0.0.9', '192.31.196.1']) {
      expect(codes(build((x) => (x.sites![0]!.gatewayIp = addr))), addr).toEqual([]);
      expect(codes(build((x) => (x.gateways![0]!.publicIp = addr === '203.0.113.200' ? '203.0.113.201' : addr))), addr).toEqual([]);
    }
  });

  it('a site without a device still needs a public gatewayIp when a connection uses it', () => {
    const s = build((x) => {
      delete x.sites![0]!.device;
      x.sites![0]!.gatewayIp = '192.168.100.1';
    });
    diagAt(s, 'PUBLIC_IP_REQUIRED', 'sites[0].gatewayIp');
  });

  it('near miss: a site no IPsec connection uses (ExpressRoute only) is no tunnel end', () => {
    const s = build((x) => {
      x.connections = x.connections!.filter((c) => c.site !== 'hq');
      x.sites![0]!.gatewayIp = '10.99.0.1';
    }, routeBased);
    expect(only(s, 'PUBLIC_IP_REQUIRED')).toEqual([]);
    expect(s.circuits[0]?.site).toBe('hq');
  });

  it('near miss: gateways without publicIp are not checked (the route-based fixture has none)', () => {
    expect(buildScenario(routeBased()).gateways.every((g) => g.publicIp === undefined)).toBe(true);
    expect(codes(buildScenario(routeBased()))).toEqual([]);
  });
});

describe('PUBLIC_IP_CONFLICT', () => {
  it("a VPN device on its gateway's own publicIp: a tunnel to itself", () => {
    const s = build((x) => (x.sites![0]!.gatewayIp = '203.0.113.10'));
    const d = diagAt(s, 'PUBLIC_IP_CONFLICT', 'sites[0].gatewayIp');
    expect(d.message).toMatch(/site "hq": gatewayIp 203\.0\.113\.10 is gateway "gw1"'s own publicIp/);
    expect(d.message).toMatch(/tunnel to the gateway itself/);
  });
  it("a VPN device on another gateway's publicIp", () => {
    const s = build((x) => {
      x.gateways![1]!.publicIp = '203.0.113.77';
      x.sites![1]!.gatewayIp = '203.0.113.77';
    }, routeBased);
    const d = diagAt(s, 'PUBLIC_IP_CONFLICT', 'sites[1].gatewayIp');
    expect(d.message).toMatch(/gateway "gw2"'s own publicIp/);
  });
  it('two gateways with one publicIp', () => {
    const s = build((x) => {
      x.gateways![0]!.publicIp = '203.0.113.5';
      x.gateways![1]!.publicIp = '203.0.113.5';
    }, routeBased);
    const d = diagAt(s, 'PUBLIC_IP_CONFLICT', 'gateways[1].publicIp');
    expect(d.message).toMatch(/gateway "gw2": publicIp 203\.0\.113\.5 is also the publicIp of gateway "gw1"/);
  });
  it('near miss: different addresses everywhere', () => {
    const s = build((x) => {
      x.gateways![0]!.publicIp = '203.0.113.5';
      x.gateways![1]!.publicIp = '203.0.113.6';
    }, routeBased);
    expect(codes(s)).toEqual([]);
  });
});

describe('NON_UNICAST_ADDRESS: address spaces', () => {
  it('a VNet address-space prefix inside loopback; its subnets are not reported again', () => {
    const s = build((x) => {
      x.vnets![0]!.addressSpace = ['10.1.0.0/16', '127.1.0.0/16'];
      x.vnets![0]!.subnets!.push({ name: 'lo', prefix: '127.1.0.0/24' });
    });
    const d = diagAt(s, 'NON_UNICAST_ADDRESS', 'vnets[0].addressSpace[1]');
    expect(d.message).toBe(
      'VNet "vnet1": address space prefix 127.1.0.0/16 is inside 127.0.0.0/8 (Loopback, RFC 1122 §3.2.1.3), where no host can have an address (loopback never leaves a host); it cannot be address space: use private (RFC 1918: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) or public unicast space',
    );
    expect(only(s, 'NON_UNICAST_ADDRESS')).toEqual(['NON_UNICAST_ADDRESS@vnets[0].addressSpace[1]']);
  });
  it('0.0.0.0/0 as a site prefix covers every such block (named, then "and N more")', () => {
    const s = build((x) => (x.sites![1]!.addressPrefixes = ['0.0.0.0/0']), routeBased);
    const d = diagAt(s, 'NON_UNICAST_ADDRESS', 'sites[1].addressPrefixes[0]');
    expect(d.message).toMatch(/^site "branch": address prefix 0\.0\.0\.0\/0 covers 0\.0\.0\.0\/8 \("This network", RFC 791 §3\.2\), 127\.0\.0\.0\/8 \(Loopback, RFC 1122 §3\.2\.1\.3\), 169\.254\.0\.0\/16 \(Link Local, RFC 3927\) and 2 more/);
  });
  it.each([
    ['a subnet that reaches into link-local', (x: ScenarioIn) => {
      x.vnets![0]!.addressSpace = ['10.1.0.0/16', '169.254.0.0/15'];
      x.vnets![0]!.subnets!.push({ name: 'll', prefix: '169.254.0.0/15' });
    }, 'vnets[0].addressSpace[1]', /covers 169\.254\.0\.0\/16 \(Link Local, RFC 3927\)/],
    ['a point-to-site pool in multicast space', (x: ScenarioIn) => (x.gateways![0]!.p2s!.addressPool = '224.1.0.0/24'), 'gateways[0].p2s.addressPool', /is inside 224\.0\.0\.0\/4 \(Multicast, RFC 5771\).*choose a private pool/],
    ['a circuit prefix in 240.0.0.0/4', (x: ScenarioIn) => (x.circuits![0]!.onPremisesPrefixes = ['240.0.0.0/8']), 'circuits[0].onPremisesPrefixes[0]', /circuit "er1": on-premises prefix 240\.0\.0\.0\/8 is inside 240\.0\.0\.0\/4 \(Reserved, RFC 1112 §4\)/],
    ['a site prefix of "this network"', (x: ScenarioIn) => (x.sites![1]!.addressPrefixes = ['0.0.0.0/8']), 'sites[1].addressPrefixes[0]', /address prefix 0\.0\.0\.0\/8 is the block 0\.0\.0\.0\/8 \("This network"/],
    ['the broadcast address as a site prefix', (x: ScenarioIn) => (x.sites![1]!.addressPrefixes = ['172.20.0.0/16', '255.255.255.255/32']), 'sites[1].addressPrefixes[1]', /is the block 255\.255\.255\.255\/32 \(Limited Broadcast, RFC 919 §7, RFC 8190\)/],
  ])('%s', (_, f, path, re) => {
    const d = diagAt(build(f, routeBased), 'NON_UNICAST_ADDRESS', path);
    expect(d.message).toMatch(re);
  });
  it('a subnet whose own address-space prefix is fine but that leaves it is still INVALID_PREFIX only', () => {
    const s = build((x) => x.vnets![0]!.subnets!.push({ name: 'mc', prefix: '224.0.0.0/24' }));
    expect(codes(s)).toEqual(['INVALID_PREFIX@vnets[0].subnets[2].prefix', 'NON_UNICAST_ADDRESS@vnets[0].subnets[2].prefix']);
  });
  it('near miss: RFC 1918, shared and public space next to the blocks; a subnet route to 0.0.0.0/0', () => {
    const s = build((x) => {
      x.vnets![0]!.addressSpace = ['10.1.0.0/16', '126.0.0.0/8', '169.253.0.0/16', '223.0.0.0/8'];
      x.vnets![0]!.subnets![0]!.routes = [{ prefix: '0.0.0.0/0', nextHop: 'VirtualNetworkGateway' }, { prefix: '224.0.0.0/4', nextHop: 'None' }];
      x.sites![1]!.addressPrefixes = ['100.64.0.0/10'];
    }, routeBased);
    expect(codes(s)).toEqual([]);
  });
});

describe('NON_UNICAST_ADDRESS: device routes are destinations', () => {
  it.each(['0.0.0.0/0', '192.0.0.0/2', '10.1.0.0/16', '128.0.0.0/1'])('a device route %s is accepted', (p) => {
    const s = build((x) => (x.sites![0]!.device!.routes = [p]), routeBased);
    expect(only(s, 'NON_UNICAST_ADDRESS')).toEqual([]);
  });
  it.each([
    ['224.0.0.0/4', /device route 224\.0\.0\.0\/4 is the block 224\.0\.0\.0\/4 \(Multicast, RFC 5771\)/],
    ['224.0.0.0/3', /device route 224\.0\.0\.0\/3 covers 224\.0\.0\.0\/4 \(Multicast, RFC 5771\), 240\.0\.0\.0\/4 \(Reserved, RFC 1112 §4\)/],
    ['127.0.0.0/24', /is inside 127\.0\.0\.0\/8 \(Loopback/],
  ])('a device route holding nothing but such addresses (%s) is refused', (p, re) => {
    const s = build((x) => (x.sites![0]!.device!.routes = ['10.1.0.0/16', p]), routeBased);
    const d = diagAt(s, 'NON_UNICAST_ADDRESS', 'sites[0].device.routes[1]');
    expect(d.message).toMatch(re);
    expect(d.message).toMatch(/, so no unicast packet can ever match it; route the Azure side's unicast prefixes/);
  });
});

describe('NON_UNICAST_ADDRESS: circuit prefixes are routes the site advertises', () => {
  it.each(['0.0.0.0/0', '128.0.0.0/1', '192.0.0.0/2'])('an on-premises prefix %s that holds unicast space is accepted', (p) => {
    const s = build((x) => (x.circuits![0]!.onPremisesPrefixes = ['192.168.0.0/16', p]), routeBased);
    expect(only(s, 'NON_UNICAST_ADDRESS')).toEqual([]);
  });
  it('an on-premises prefix holding nothing but such addresses is refused', () => {
    const s = build((x) => (x.circuits![0]!.onPremisesPrefixes = ['192.168.0.0/16', '224.0.0.0/4']), routeBased);
    expect(diagAt(s, 'NON_UNICAST_ADDRESS', 'circuits[0].onPremisesPrefixes[1]').message).toBe(
      'circuit "er1": on-premises prefix 224.0.0.0/4 is the block 224.0.0.0/4 (Multicast, RFC 5771), where no host can have an address (multicast addresses name groups, not hosts), so no unicast packet can ever match it; advertise the site\'s unicast prefixes, or 0.0.0.0/0 to send everything through the circuit',
    );
  });
});

describe('NON_UNICAST_ADDRESS: flow endpoints', () => {
  it.each([
    ['to', '224.0.0.5', /224\.0\.0\.0\/4 \(Multicast, RFC 5771\): multicast addresses name groups, not hosts, so no unicast packet is delivered to it; Azure blocks multicast and broadcast within VNets/],
    ['to', '255.255.255.255', /Limited Broadcast.*Azure blocks multicast and broadcast within VNets/],
    ['to', '0.0.0.0', /0\.0\.0\.0\/32 \("This host on this network"/],
    ['to', '0.1.2.3', /0\.0\.0\.0\/8 \("This network"/],
    ['to', '240.1.2.3', /240\.0\.0\.0\/4 \(Reserved/],
    ['to', '169.254.169.254', /Link Local, RFC 3927\): routers never forward link-local addresses/],
    ['from', '127.0.0.1', /from 127\.0\.0\.1 is in 127\.0\.0\.0\/8 \(Loopback, RFC 1122 §3\.2\.1\.3\): loopback never leaves a host, so no unicast packet comes from it/],
  ] as const)('a flow %s %s is refused', (end, addr, re) => {
    const s = build((x) => (x.traffic![0]![end] = addr));
    const d = diagAt(s, 'NON_UNICAST_ADDRESS', `traffic[0].${end}`);
    expect(d.message).toMatch(/^flow "ping": /);
    expect(d.message).toMatch(re);
  });
  it('"this network" reads right at either end: no interface holds it, a host sends only broadcasts from it', () => {
    const why = 'no interface holds such an address, and a host sends from one only broadcasts while it learns its own';
    const from = build((x) => (x.traffic![0]!.from = '0.0.0.0'));
    expect(diagAt(from, 'NON_UNICAST_ADDRESS', 'traffic[0].from').message).toBe(
      `flow "ping": from 0.0.0.0 is in 0.0.0.0/32 ("This host on this network", RFC 1122 §3.2.1.3): ${why}, so no unicast packet comes from it. Use a host name or a host's unicast address`,
    );
    const to = build((x) => (x.traffic![0]!.to = '0.1.2.3'));
    expect(diagAt(to, 'NON_UNICAST_ADDRESS', 'traffic[0].to').message).toBe(
      `flow "ping": to 0.1.2.3 is in 0.0.0.0/8 ("This network", RFC 791 §3.2): ${why}, so no unicast packet is delivered to it. Use a host name or a host's unicast address`,
    );
  });
  it('vgw trace refuses the same addresses in --from/--to', () => {
    const s = buildScenario(policyBased());
    expect(whatIf(s, { from: 'vm1', to: '224.0.0.5' }, new CollectSink())).toEqual({
      error: '--to 224.0.0.5 is in 224.0.0.0/4 (Multicast, RFC 5771): multicast addresses name groups, not hosts, so no unicast packet is delivered to it; Azure blocks multicast and broadcast within VNets. Use a host name or a host\'s unicast address',
    });
    expect(whatIf(s, { from: '127.0.0.1', to: 'vm1' }, new CollectSink())).toMatchObject({ error: expect.stringMatching(/^--from 127\.0\.0\.1 is in 127\.0\.0\.0\/8 \(Loopback/) });
    expect(whatIf(s, { from: 'pc1', to: '10.1.0.255' }, new CollectSink())).toHaveProperty('result');
  });
  it("near miss: a subnet's own broadcast address and an RFC 1918 literal are unicast addresses", () => {
    for (const to of ['10.1.0.255', '10.1.0.0', '172.16.0.9', '8.8.8.8']) expect(codes(build((x) => (x.traffic![0]!.to = to))), to).toEqual([]);
  });
});

describe("a subnet's broadcast address holds no VM, so a flow to it ends no-host", () => {
  it('the packet crosses the tunnel and is dropped no-host in the VNet', () => {
    const { r } = simulate(routeBasedSite({ traffic: '  - { id: bcast, from: pc1, to: 10.1.0.255, proto: udp, dport: 53, count: 2 }' }));
    const f = r.flows.find((x) => x.id === 'bcast');
    expect(f).toMatchObject({ sent: 2, delivered: 0, dropped: 2, dropReasons: { 'no-host': 2 }, via: { 'gw1-hq': 2 } });
  });
});

describe('SUBNET_SIZE_UNSUPPORTED', () => {
  it.each(['10.1.1.0/30', '10.1.1.0/31', '10.1.1.1/32'])('a %s subnet has no room for a VM', (p) => {
    const s = build((x) => x.vnets![0]!.subnets!.push({ name: 'tiny', prefix: p }));
    const d = diagAt(s, 'SUBNET_SIZE_UNSUPPORTED', 'vnets[0].subnets[2].prefix');
    expect(d.message).toContain(`subnet "tiny" of VNet "vnet1" is ${p}; the smallest subnet Azure supports is a /29`);
    expect(d.message).toMatch(/make it \/29 or larger/);
  });
  it('a subnet larger than /8', () => {
    const s = build((x) => {
      x.vnets![0]!.addressSpace = ['10.0.0.0/7'];
      x.vnets![0]!.subnets![0]!.prefix = '10.0.0.0/7';
      x.vnets![0]!.subnets![1]!.prefix = '11.255.255.0/27';
    });
    const d = diagAt(s, 'SUBNET_SIZE_UNSUPPORTED', 'vnets[0].subnets[0].prefix');
    expect(d.message).toMatch(/the largest subnet Azure supports is a \/8/);
  });
  it('a GatewaySubnet longer than /29 is GATEWAY_SUBNET_TOO_SMALL only', () => {
    const s = build((x) => (x.vnets![0]!.subnets![1]!.prefix = '10.1.255.0/30'));
    expect(codes(s)).toEqual(['GATEWAY_SUBNET_TOO_SMALL@vnets[0].subnets[1].prefix']);
  });
  it('hosts of a /31 or /32 subnet are left to the size error (one mistake, one report)', () => {
    for (const [p, ip] of [['10.1.1.0/31', '10.1.1.1'], ['10.1.1.1/32', '10.1.1.1']] as const) {
      const s = build((x) => {
        x.vnets![0]!.subnets!.push({ name: 'tiny', prefix: p });
        x.vnets![0]!.hosts!.push({ name: 'vm9', ip });
      });
      expect(codes(s), p).toEqual(['SUBNET_SIZE_UNSUPPORTED@vnets[0].subnets[2].prefix']);
    }
  });
  it('near miss: /29 and /8 subnets', () => {
    expect(codes(build((x) => x.vnets![0]!.subnets!.push({ name: 'small', prefix: '10.1.1.0/29' })))).toEqual([]);
    const s = build((x) => {
      x.vnets![0]!.addressSpace = ['10.0.0.0/8'];
      x.vnets![0]!.subnets![0]!.prefix = '10.0.0.0/9';
      x.vnets![0]!.subnets!.push({ name: 'big', prefix: '10.128.0.0/9' });
      x.vnets![0]!.hosts![0]!.ip = '10.0.0.4';
      x.vnets![0]!.subnets![1]!.prefix = '10.128.0.0/27';
    });
    expect(codes(s)).toContain('ADDRESS_OVERLAP@vnets[0].subnets[2].prefix');
    expect(only(s, 'SUBNET_SIZE_UNSUPPORTED')).toEqual([]);
  });
});

describe('RESERVED_ADDRESS', () => {
  it.each([
    ['10.1.0.0', 'the network address'],
    ['10.1.0.1', "the subnet's default gateway"],
    ['10.1.0.2', 'Azure DNS'],
    ['10.1.0.3', 'Azure DNS'],
    ['10.1.0.255', 'the broadcast address'],
  ])('a VM on %s (%s)', (addr, why) => {
    const s = build((x) => x.vnets![0]!.hosts!.push({ name: 'vm9', ip: addr }));
    const d = diagAt(s, 'RESERVED_ADDRESS', 'vnets[0].hosts[1].ip');
    expect(d.message).toBe(
      `host "vm9" of VNet "vnet1" has address ${addr}, which Azure reserves in subnet "frontend" (10.1.0.0/24) as ${why}: Azure keeps the first four addresses of every subnet (network, default gateway, two for Azure DNS) and the last (10.1.0.255, broadcast); the first free address for a VM is 10.1.0.5`,
    );
  });
  it('in a /29 the last address is the broadcast; the first free one skips hosts', () => {
    const s = build((x) => {
      x.vnets![0]!.subnets!.push({ name: 'small', prefix: '10.1.1.0/29' });
      x.vnets![0]!.hosts!.push({ name: 'a', ip: '10.1.1.4' }, { name: 'b', ip: '10.1.1.7' });
    });
    const d = diagAt(s, 'RESERVED_ADDRESS', 'vnets[0].hosts[2].ip');
    expect(d.message).toMatch(/as the broadcast address.*the first free address for a VM is 10\.1\.1\.5$/);
  });
  it('a full subnet: no free address left', () => {
    const s = build((x) => {
      x.vnets![0]!.subnets!.push({ name: 'small', prefix: '10.1.1.0/29' });
      x.vnets![0]!.hosts!.push({ name: 'a', ip: '10.1.1.4' }, { name: 'b', ip: '10.1.1.5' }, { name: 'c', ip: '10.1.1.6' }, { name: 'd', ip: '10.1.1.1' });
    });
    expect(diagAt(s, 'RESERVED_ADDRESS', 'vnets[0].hosts[4].ip').message).toMatch(/the subnet has no free address left: use a larger subnet$/);
  });
  it('a VM in the GatewaySubnet', () => {
    const s = build((x) => x.vnets![0]!.hosts!.push({ name: 'vm9', ip: '10.1.255.10' }));
    const d = diagAt(s, 'RESERVED_ADDRESS', 'vnets[0].hosts[1].ip');
    expect(d.message).toBe(
      'host "vm9" of VNet "vnet1" has address 10.1.255.10 in the GatewaySubnet (10.1.255.0/27), which holds only the gateway\'s own instances (Azure: "don\'t deploy VMs or anything else to the gateway subnet"); move it to subnet "frontend", e.g. 10.1.0.5',
    );
  });
  it('near miss: the fifth address and the one before the broadcast; site hosts on .1 and .255', () => {
    const s = build((x) => {
      x.vnets![0]!.hosts!.push({ name: 'vm5', ip: '10.1.0.254' });
      x.sites![0]!.hosts!.push({ name: 'router', ip: '192.168.0.1' }, { name: 'edge', ip: '192.168.1.255' });
    });
    expect(codes(s)).toEqual([]);
  });
});

describe('RESERVED_ADDRESS: a flow sent from an address no VM can have', () => {
  it.each([
    ['10.1.0.255', 'as the broadcast address'],
    ['10.1.0.1', "as the subnet's default gateway"],
    ['10.1.0.0', 'as the network address'],
  ])('from %s, in subnet "frontend"', (addr, why) => {
    const s = build((x) => (x.traffic![0]!.from = addr));
    expect(diagAt(s, 'RESERVED_ADDRESS', 'traffic[0].from').message).toBe(
      `flow "ping": from ${addr} is an address Azure reserves in subnet "frontend" (10.1.0.0/24) of VNet "vnet1" ${why}, so no VM sends from it. Use a host name or a VM's address, e.g. 10.1.0.5`,
    );
  });
  it('from an address in the GatewaySubnet', () => {
    const s = build((x) => (x.traffic![0]!.from = '10.1.255.5'));
    expect(diagAt(s, 'RESERVED_ADDRESS', 'traffic[0].from').message).toBe(
      'flow "ping": from 10.1.255.5 is in the GatewaySubnet (10.1.255.0/27) of VNet "vnet1", which holds only the gateway\'s own instances (Azure: "don\'t deploy VMs or anything else to the gateway subnet"), so no VM sends from it. Use a host name or the address of a VM in another subnet',
    );
  });
  it('vgw trace --from refuses the same addresses', () => {
    const s = buildScenario(policyBased());
    expect(whatIf(s, { from: '10.1.0.255', to: 'pc1' }, new CollectSink())).toEqual({
      error: '--from 10.1.0.255 is an address Azure reserves in subnet "frontend" (10.1.0.0/24) of VNet "vnet1" as the broadcast address, so no VM sends from it. Use a host name or a VM\'s address, e.g. 10.1.0.5',
    });
    expect(whatIf(s, { from: '10.1.255.5', to: 'pc1' }, new CollectSink())).toMatchObject({ error: expect.stringMatching(/^--from 10\.1\.255\.5 is in the GatewaySubnet/) });
    expect(whatIf(s, { from: 'pc1', to: '10.1.0.255' }, new CollectSink())).toHaveProperty('result');
    expect(whatIf(s, { from: '10.1.0.9', to: 'pc1' }, new CollectSink())).toHaveProperty('result');
  });
  it("near miss: a VM's free address, a host's own address, an on-premises address, a flow to a reserved address", () => {
    for (const from of ['10.1.0.9', '10.1.0.4', '192.168.1.1']) expect(codes(build((x) => (x.traffic![0]!.from = from))), from).toEqual([]);
    expect(codes(build((x) => {
      x.traffic![0]!.from = 'pc1';
      x.traffic![0]!.to = '10.1.0.255';
    }))).toEqual([]);
  });
});

describe('HOST_NAME_IS_ADDRESS', () => {
  it.each([
    ['a VNet host', (x: ScenarioIn) => (x.vnets![0]!.hosts![0]!.name = '10.1.0.9'), 'vnets[0].hosts[0].name', 'host "10.1.0.9" of VNet "vnet1"'],
    ['a site host', (x: ScenarioIn) => (x.sites![0]!.hosts![0]!.name = '192.168.1.10'), 'sites[0].hosts[0].name', 'host "192.168.1.10" of site "hq"'],
    ['a point-to-site client', (x: ScenarioIn) => (x.gateways![0]!.p2s!.clients![0]!.name = '172.16.201.1'), 'gateways[0].p2s.clients[0].name', 'host "172.16.201.1" of the point-to-site clients of gateway "gw1"'],
  ])('%s named like an address', (_, f, path, who) => {
    const s = build((x) => {
      f(x);
      x.traffic = [];
      x.expect = [];
    }, routeBased);
    const d = diagAt(s, 'HOST_NAME_IS_ADDRESS', path);
    expect(d.message).toContain(`${who} is named like an IPv4 address`);
    expect(d.message).toMatch(/flows name hosts and addresses in the same from\/to keys/);
  });

  it('the flow case: a name that is another host\'s address is refused, never resolved by name', () => {
    const s = build((x) => {
      x.vnets![0]!.hosts = [
        { name: '10.1.0.5', ip: '10.1.0.6' },
        { name: 'vm2', ip: '10.1.0.5' },
      ];
      x.traffic = [{ id: 'amb', from: 'pc1', to: '10.1.0.5' }];
      x.expect = [];
    });
    const d = diagAt(s, 'HOST_NAME_IS_ADDRESS', 'vnets[0].hosts[0].name');
    expect(d.message).toBe(
      'host "10.1.0.5" of VNet "vnet1" is named like an IPv4 address (and host "vm2" has that address); flows name hosts and addresses in the same from/to keys, so "10.1.0.5" would be ambiguous: rename it, e.g. "host-10-1-0-5"',
    );
    expect(checkScenario(s).some((x) => x.severity === 'error')).toBe(true);
  });

  it("a name that is a point-to-site client's address names the client too", () => {
    const s = build((x) => {
      x.vnets![0]!.hosts![0]!.name = '172.16.201.1';
      x.traffic = [];
      x.expect = [];
    }, routeBased);
    expect(diagAt(s, 'HOST_NAME_IS_ADDRESS', 'vnets[0].hosts[0].name').message).toMatch(
      /^host "172\.16\.201\.1" of VNet "vnet1" is named like an IPv4 address \(and host "laptop1" has that address\);/,
    );
  });

  it('near miss: names with digits and dots that are no address', () => {
    const s = build((x) => {
      x.vnets![0]!.hosts![0]!.name = 'vm-10-1-0-4';
      x.sites![0]!.hosts![0]!.name = '10.1.0';
      x.traffic = [{ id: 'p', from: 'vm-10-1-0-4', to: '10.1.0' }];
      x.expect = [];
    });
    expect(codes(s)).toEqual([]);
  });
});
