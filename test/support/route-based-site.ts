/**
 * Test support: the smallest route-based Site-to-Site scenario, as YAML text. VNet vnet1
 * (10.1.0.0/16, subnet `a` 10.1.0.0/24 with vm1 10.1.0.4, a GatewaySubnet), gateway gw1
 * (route-based, 203.0.113.10), site hq (192.168.0.0/16, pc1 192.168.1.10, a route-based
 * device at 198.51.100.1), connection gw1-hq. The traffic list is the caller's and comes
 * last, so more top-level keys (inject:, faults:) may follow it. `branch` adds a second
 * site, br (172.20.0.0/16, pc2 172.20.1.10, at 198.51.100.2), and connection gw1-br;
 * `deviceRoutes` sets what hq's device routes into its tunnel (with br's prefix among
 * them, gw1 carries hq → br from one tunnel into the other); `gatewaySubnet` adds keys to
 * the GatewaySubnet (its routes).
 */
export function routeBasedSite(opts: { traffic: string; sku?: string; p2s?: string; branch?: boolean; deviceRoutes?: string; gatewaySubnet?: string }): string {
  return `
name: rb
seed: 8
vnets:
  - name: vnet1
    addressSpace: [10.1.0.0/16]
    subnets:
      - { name: a, prefix: 10.1.0.0/24 }
      - { name: GatewaySubnet, prefix: 10.1.255.0/27${opts.gatewaySubnet ?? ''} }
    hosts:
      - { name: vm1, ip: 10.1.0.4 }
gateways:
  - name: gw1
    vnet: vnet1
    type: Vpn
    vpnType: RouteBased
    sku: ${opts.sku ?? 'Standard'}
    publicIp: 203.0.113.10
${opts.p2s ?? ''}
sites:
  - name: hq
    gatewayIp: 198.51.100.1
    addressPrefixes: [192.168.0.0/16]
    device: { vpnType: RouteBased${opts.deviceRoutes ? `, routes: ${opts.deviceRoutes}` : ''} }
    hosts:
      - { name: pc1, ip: 192.168.1.10 }
${opts.branch ? `  - name: br
    gatewayIp: 198.51.100.2
    addressPrefixes: [172.20.0.0/16]
    device: { vpnType: RouteBased }
    hosts:
      - { name: pc2, ip: 172.20.1.10 }
` : ''}connections:
  - { name: gw1-hq, type: IPsec, gateway: gw1, site: hq, sharedKey: "connkey123" }
${opts.branch ? '  - { name: gw1-br, type: IPsec, gateway: gw1, site: br, sharedKey: "connkey456" }\n' : ''}traffic:
${opts.traffic}
`;
}
