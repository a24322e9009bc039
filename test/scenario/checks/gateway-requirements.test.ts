/**
 * checkScenario: gateway requirements looked up in the capability table: SKU availability,
 * point-to-site, VNet-to-VNet, connection and client limits, BGP per edition, ExpressRoute
 * coexistence, forced tunnelling. A failing case and a passing near miss per code.
 */
import { describe, expect, it } from 'vitest';
import { buildScenario, policyBased, routeBased } from '../../support/build-scenario.js';
import type { ScenarioIn } from '../../support/build-scenario.js';
import { build, codes, diagAt } from '../../support/check-helpers.js';

/** Add `n` extra sites (172.21.i.0/24) connected to `gateway`. */
function addSites(x: ScenarioIn, gateway: string, n: number): void {
  for (let i = 0; i < n; i++) {
    x.sites!.push({ name: `s${i}`, addressPrefixes: [`172.21.${i}.0/24`], device: { vpnType: 'RouteBased' } });
    x.connections!.push({ name: `${gateway}-s${i}`, type: 'IPsec', gateway, site: `s${i}`, sharedKey: 'k' });
  }
}

describe('SKU_NOT_AVAILABLE', () => {
  it.each(['Standard', 'HighPerformance'] as const)('policy-based %s', (sku) => {
    const d = diagAt(build((x) => (x.gateways![0]!.sku = sku), policyBased), 'SKU_NOT_AVAILABLE', 'gateways[0].sku');
    expect(d.message).toContain(`gateway "gw1" (policy-based ${sku}) does not exist`);
    expect(d.message).toMatch(/policy-based gateways exist only as Basic; set sku: Basic, or vpnType: RouteBased/);
  });
  it('does not cascade into SKU-dependent limits', () => {
    const s = build((x) => {
      x.gateways![0]!.sku = 'HighPerformance';
      x.sites!.push({ name: 'b', addressPrefixes: ['172.20.0.0/16'] });
      x.connections!.push({ name: 'gw1-b', type: 'IPsec', gateway: 'gw1', site: 'b', sharedKey: 's3cret' });
    }, policyBased);
    const got = codes(s);
    expect(got).toContain('SKU_NOT_AVAILABLE@gateways[0].sku');
    expect(got.filter((c) => c.startsWith('S2S_LIMIT'))).toEqual([]);
  });
  it('near miss: policy-based Basic and route-based of every SKU exist', () => {
    expect(codes(buildScenario(policyBased()))).toEqual([]);
    for (const sku of ['Basic', 'Standard', 'HighPerformance'] as const) {
      const s = build((x) => {
        x.gateways![0]!.sku = sku;
        x.gateways!.splice(2, 1); // no ExpressRoute, so Basic may stand alone
        x.connections!.splice(4, 1);
      });
      expect(codes(s)).toEqual([]);
    }
  });
});

describe('P2S_REQUIRES_ROUTE_BASED', () => {
  it('point-to-site on a policy-based gateway', () => {
    const d = diagAt(
      build((x) => (x.gateways![0]!.p2s = { addressPool: '172.16.201.0/24', clients: [{ name: 'laptop1' }] }), policyBased),
      'P2S_REQUIRES_ROUTE_BASED',
      'gateways[0].p2s',
    );
    expect(d.message).toMatch(/gateway "gw1" \(policy-based Basic\) has p2s/);
    expect(d.message).toMatch(/set vpnType: RouteBased/);
  });
  it('point-to-site on an ExpressRoute gateway', () => {
    const d = diagAt(build((x) => (x.gateways![2]!.p2s = { addressPool: '172.16.202.0/24' })), 'P2S_REQUIRES_ROUTE_BASED', 'gateways[2].p2s');
    expect(d.message).toMatch(/ExpressRoute gateway "ergw1"/);
  });
  it('near miss: point-to-site on a route-based Basic gateway', () => {
    const s = build((x) => {
      x.gateways![0]!.sku = 'Basic';
      x.gateways!.splice(2, 1);
      x.connections!.splice(4, 1);
    });
    expect(codes(s)).toEqual([]);
  });
});

describe('VNET2VNET_REQUIRES_ROUTE_BASED', () => {
  it('either end policy-based', () => {
    const s = build((x) => {
      x.gateways![1]!.vpnType = 'PolicyBased';
      x.gateways![1]!.sku = 'Basic';
    });
    const a = diagAt(s, 'VNET2VNET_REQUIRES_ROUTE_BASED', 'connections[2].peerGateway');
    expect(a.message).toMatch(/connection "gw1-gw2" is VNet-to-VNet, but its peer gateway "gw2" \(policy-based Basic\) is policy-based/);
    expect(a.message).toMatch(/set vpnType: RouteBased on "gw2"/);
    const b = diagAt(s, 'VNET2VNET_REQUIRES_ROUTE_BASED', 'connections[3].gateway');
    expect(b.message).toMatch(/connection "gw2-gw1" is VNet-to-VNet, but its gateway "gw2" \(policy-based Basic\)/);
  });
  it('near miss: both ends route-based (the fixture)', () => {
    expect(codes(buildScenario(routeBased()))).toEqual([]);
  });
});

describe('S2S_LIMIT_EXCEEDED', () => {
  it('policy-based Basic: 1 connection', () => {
    const s = build((x) => {
      x.sites!.push({ name: 'b', addressPrefixes: ['172.20.0.0/16'] });
      x.connections!.push({ name: 'gw1-b', type: 'IPsec', gateway: 'gw1', site: 'b', sharedKey: 's3cret' });
    }, policyBased);
    const d = diagAt(s, 'S2S_LIMIT_EXCEEDED', 'connections[1]');
    expect(d.message).toMatch(/gateway "gw1" \(policy-based Basic\) has 2 Site-to-Site\/VNet-to-VNet connections, more than the 1 it allows/);
    expect(d.message).toMatch(/connection "gw1-b" is the first over the limit/);
    expect(d.message).toMatch(/route-based gateway/);
  });
  it('route-based Standard: 10, counting VNet-to-VNet', () => {
    // gw1 already has gw1-hq, gw1-branch, gw1-gw2 (3); 8 more sites make 11.
    const s = build((x) => addSites(x, 'gw1', 8));
    const d = diagAt(s, 'S2S_LIMIT_EXCEEDED', 'connections[12]');
    expect(d.message).toMatch(/has 11 Site-to-Site\/VNet-to-VNet connections, more than the 10/);
    expect(d.message).toMatch(/"gw1-s7" is the first over the limit/);
    expect(d.message).toMatch(/larger SKU/);
  });
  it('near miss: exactly 10 on Standard; 30 on HighPerformance (31 fails); ExpressRoute connections do not count', () => {
    expect(codes(build((x) => addSites(x, 'gw1', 7)))).toEqual([]);
    expect(
      codes(
        build((x) => {
          x.gateways![0]!.sku = 'HighPerformance';
          addSites(x, 'gw1', 27);
        }),
      ),
    ).toEqual([]);
    const hp31 = build((x) => {
      x.gateways![0]!.sku = 'HighPerformance';
      addSites(x, 'gw1', 28);
    });
    expect(diagAt(hp31, 'S2S_LIMIT_EXCEEDED', 'connections[32]').message).toMatch(/has 31 .* more than the 30/);
  });
});

describe('P2S_LIMIT_EXCEEDED', () => {
  const clients = (n: number): { name: string }[] => Array.from({ length: n }, (_, i) => ({ name: `c${i}` }));
  it('more clients than the table allows (128)', () => {
    const s = build((x) => (x.gateways![0]!.p2s = { addressPool: '172.16.0.0/16', clients: clients(129) }));
    const d = diagAt(s, 'P2S_LIMIT_EXCEEDED', 'gateways[0].p2s.clients[128]');
    expect(d.message).toMatch(/has 129 point-to-site clients, more than the 128 its SKU allows; remove 1 client/);
  });
  it('more clients than the pool has usable addresses (pool size minus network and broadcast)', () => {
    const s = build((x) => (x.gateways![0]!.p2s = { addressPool: '172.16.201.0/29', clients: clients(7) }));
    const d = diagAt(s, 'P2S_LIMIT_EXCEEDED', 'gateways[0].p2s.clients[6]');
    expect(d.message).toMatch(/7 point-to-site clients but its addressPool 172\.16\.201\.0\/29 has only 6 usable address/);
    expect(d.message).toMatch(/larger pool/);
  });
  it('near miss: 6 clients in a /29, 128 clients in a /24', () => {
    expect(codes(build((x) => (x.gateways![0]!.p2s = { addressPool: '172.16.201.0/29', clients: clients(6) })))).toEqual([]);
    expect(codes(build((x) => (x.gateways![0]!.p2s = { addressPool: '172.16.201.0/24', clients: clients(128) })))).toEqual([]);
  });
});

describe('BGP_NOT_SUPPORTED (per edition)', () => {
  it('route-based Standard in the default edition', () => {
    const s = build((x) => (x.gateways![0]!.bgp = { asn: 65515 }));
    const d = diagAt(s, 'BGP_NOT_SUPPORTED', 'gateways[0].bgp');
    expect(d.message).toMatch(/gateway "gw1" \(route-based Standard\) cannot run BGP under rules edition azure-2016-02/);
    expect(d.message).toMatch(/set sku: HighPerformance/);
    expect(d.message).toMatch(/edition azure-2016-late or azure-2018-10, where Standard supports BGP/);
  });
  it('policy-based Basic in any edition', () => {
    for (const edition of ['azure-2016-02', 'azure-2016-late'] as const) {
      const s = build((x) => {
        x.edition = edition;
        x.gateways![0]!.bgp = { asn: 65010 };
      }, policyBased);
      const d = diagAt(s, 'BGP_NOT_SUPPORTED', 'gateways[0].bgp');
      expect(d.message).toMatch(/policy-based Basic/);
      expect(d.message).not.toMatch(/where Basic supports/);
    }
  });
  it('near miss: Standard in edition azure-2016-late; HighPerformance in the default edition', () => {
    expect(
      codes(
        build((x) => {
          x.edition = 'azure-2016-late';
          x.gateways![0]!.bgp = { asn: 65515 };
        }),
      ),
    ).toEqual([]);
    expect(
      codes(
        build((x) => {
          x.gateways![0]!.sku = 'HighPerformance';
          x.gateways![0]!.bgp = { asn: 65515 };
        }),
      ),
    ).toEqual([]);
  });
});

describe('COEXIST_NOT_SUPPORTED', () => {
  it('ExpressRoute with a route-based Basic gateway: points at the SKU', () => {
    const d = diagAt(build((x) => (x.gateways![0]!.sku = 'Basic')), 'COEXIST_NOT_SUPPORTED', 'gateways[0].sku');
    expect(d.message).toMatch(/VNet "vnet1" has ExpressRoute gateway "ergw1" and gateway "gw1" \(route-based Basic\)/);
    expect(d.message).toMatch(/coexist only with a route-based gateway of SKU Standard or HighPerformance: set sku: Standard or HighPerformance on "gw1"/);
  });
  it('ExpressRoute with a policy-based gateway: points at the VPN type', () => {
    const s = build((x) => {
      x.gateways!.push({ name: 'ergw1', vnet: 'vnet1', type: 'ExpressRoute', sku: 'Standard' });
    }, policyBased);
    const d = diagAt(s, 'COEXIST_NOT_SUPPORTED', 'gateways[0].vpnType');
    expect(d.message).toMatch(/policy-based Basic/);
    expect(d.message).toMatch(/set vpnType: RouteBased and sku: Standard or HighPerformance/);
  });
  it('a Basic ExpressRoute gateway next to a VPN gateway', () => {
    const d = diagAt(build((x) => (x.gateways![2]!.sku = 'Basic')), 'COEXIST_NOT_SUPPORTED', 'gateways[2].sku');
    expect(d.message).toMatch(/ExpressRoute gateway "ergw1" \(Basic\) shares VNet "vnet1" with VPN gateway "gw1"/);
  });
  it('near miss: route-based Standard and HighPerformance coexist; a Basic VPN gateway without ExpressRoute is fine', () => {
    expect(codes(buildScenario(routeBased()))).toEqual([]);
    expect(codes(build((x) => (x.gateways![0]!.sku = 'HighPerformance')))).toEqual([]);
    expect(codes(buildScenario(policyBased()))).toEqual([]);
  });
});

describe('FORCED_TUNNEL_REQUIRES_ROUTE_BASED', () => {
  it('defaultSite on a policy-based gateway', () => {
    const d = diagAt(build((x) => (x.gateways![0]!.defaultSite = 'hq'), policyBased), 'FORCED_TUNNEL_REQUIRES_ROUTE_BASED', 'gateways[0].defaultSite');
    expect(d.message).toMatch(/gateway "gw1" \(policy-based Basic\) has defaultSite "hq"/);
    expect(d.message).toMatch(/needs a route-based gateway; set vpnType: RouteBased or remove defaultSite/);
  });
  it('near miss: defaultSite on a route-based gateway, naming a connected site', () => {
    expect(codes(build((x) => (x.gateways![0]!.defaultSite = 'branch')))).toEqual([]);
  });
});
