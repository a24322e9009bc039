/**
 * transitSas: which SAs can carry a packet back to esp-encrypt after its receiver decrypts
 * it. The example gateways only deliver what they decrypt into their VNet (so esp-encrypt
 * takes its whole list at once); a site whose device routes another site's prefix into its
 * tunnel makes its inbound SA a transit one; a GatewaySubnet with its own routes too.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateScenarioFile } from '../../sim/node-host.js';
import { validateScenarioText } from '../../sim/index.js';
import { compileWorld } from '../../sim/scenario/compile/index.js';
import { transitSas } from '../../sim/gateway/transit.js';
import type { Scenario } from '../../sim/index.js';

const DIR = join(import.meta.dirname, '..', '..', 'scenarios');

function transitNames(s: Scenario): string[] {
  const { world } = compileWorld(s);
  const t = transitSas(world);
  return world.sas.filter((_, k) => t[k] === 1).map((sa) => sa.name);
}

function scenarioText(yaml: string): Scenario {
  const v = validateScenarioText(yaml, 't.yaml');
  expect(v.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return v.scenario!;
}

/** gw1 (route-based) with sites hq and br; `hqRoutes`: what hq's device routes into its tunnel. */
function twoSites(hqRoutes: string, gatewaySubnetRoute = ''): string {
  return `
name: t
vnets:
  - name: vnet1
    addressSpace: [10.1.0.0/16]
    subnets:
      - { name: a, prefix: 10.1.0.0/24 }
      - { name: GatewaySubnet, prefix: 10.1.255.0/27${gatewaySubnetRoute} }
    hosts:
      - { name: vm1, ip: 10.1.0.4 }
gateways:
  - { name: gw1, vnet: vnet1, type: Vpn, vpnType: RouteBased, sku: Basic, publicIp: 203.0.113.10 }
sites:
  - name: hq
    gatewayIp: 198.51.100.1
    addressPrefixes: [192.168.0.0/16]
    device: { vpnType: RouteBased, routes: ${hqRoutes} }
    hosts:
      - { name: pc1, ip: 192.168.1.10 }
  - name: br
    gatewayIp: 198.51.100.2
    addressPrefixes: [172.20.0.0/16]
    device: { vpnType: RouteBased }
    hosts:
      - { name: pc2, ip: 172.20.1.10 }
connections:
  - { name: gw1-hq, type: IPsec, gateway: gw1, site: hq, sharedKey: "connkey123" }
  - { name: gw1-br, type: IPsec, gateway: gw1, site: br, sharedKey: "connkey456" }
traffic: []
`;
}

describe('transitSas', () => {
  it('finds none in the forward benchmarks\' examples: what their gateways decrypt goes into the VNet', () => {
    for (const f of ['s2s-route-based-multisite.yaml', 's2s-policy-based.yaml', 'vnet-to-vnet.yaml']) {
      expect(transitNames(validateScenarioFile(join(DIR, f)).scenario!), f).toEqual([]);
    }
  });

  it('marks the SA into gw1 from a site whose device routes another site\'s prefix into its tunnel', () => {
    expect(transitNames(scenarioText(twoSites('[10.1.0.0/16]')))).toEqual([]);
    expect(transitNames(scenarioText(twoSites('[10.1.0.0/16, 172.20.0.0/16]')))).toEqual(['gw1-hq/in']);
    // A default route into the tunnel covers br's prefix too.
    expect(transitNames(scenarioText(twoSites('[0.0.0.0/0]')))).toEqual(['gw1-hq/in']);
  });

  it('marks every SA into a gateway whose GatewaySubnet has routes of its own', () => {
    const routes = ', routes: [{ prefix: 10.1.0.0/24, nextHop: VirtualNetworkGateway }]';
    expect(transitNames(scenarioText(twoSites('[10.1.0.0/16]', routes))).sort()).toEqual(['gw1-br/in', 'gw1-hq/in']);
  });
});
