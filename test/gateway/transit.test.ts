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
import { routeBasedSite } from '../support/route-based-site.js';

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

/** gw1 with sites hq and br (route-based-site.ts); hq's device routes `deviceRoutes` into its tunnel. */
function twoSites(deviceRoutes: string, gatewaySubnet?: string): string {
  return routeBasedSite({ sku: 'Basic', branch: true, traffic: '  []', deviceRoutes, ...(gatewaySubnet ? { gatewaySubnet } : {}) });
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
