/**
 * The rules checks on big inputs: messages that list at most 8 items and count the rest,
 * overlap checks answered by an index exactly as a scan of every pair would answer them,
 * and vgwsim's own size limits (SCENARIO_TOO_LARGE).
 */
import { describe, expect, it } from 'vitest';
import { makePrefix, overlaps } from '../../sim/net/ipv4.js';
import { MAX_ACCESS_LIST_ENTRIES, MAX_POLICY_SELECTOR_PAIRS } from '../../sim/scenario/scale.js';
import type { Diagnostic } from '../../sim/scenario/diagnostics.js';
import { validateScenarioText } from '../../sim/scenario/validate.js';
import { loadScenarioText } from '../../sim/scenario/loader.js';
import { Prng } from '../../sim/util/prng.js';

const GATEWAY_SUBNET = '{ name: GatewaySubnet, prefix: 10.255.255.0/27 }';

function all(text: string): readonly Diagnostic[] {
  return validateScenarioText(text, 'big.yaml').diagnostics;
}

describe('messages list at most 8 items', () => {
  it('a host outside 20 subnets names 8 of them and counts the rest', () => {
    const subnets = Array.from({ length: 20 }, (_, i) => `{ name: s${i}, prefix: 10.0.${i}.0/24 }`).join(', ');
    const t = `name: x\nvnets:\n  - { name: v, addressSpace: [10.0.0.0/8], subnets: [${subnets}], hosts: [{ name: h, ip: 11.0.0.4 }] }\n`;
    const d = all(t).find((x) => x.path === 'vnets[0].hosts[0].ip');
    expect(d?.message).toBe('host "h" of VNet "v" has address 11.0.0.4, which is in none of its subnets (s0 10.0.0.0/24, s1 10.0.1.0/24, s2 10.0.2.0/24, s3 10.0.3.0/24, s4 10.0.4.0/24, s5 10.0.5.0/24, s6 10.0.6.0/24, s7 10.0.7.0/24, and 12 more); give it an address inside a subnet');
  });

  it('a site prefix overlapping 20 VNet prefixes names the first 8 in file order', () => {
    const space = Array.from({ length: 20 }, (_, i) => `10.0.${19 - i}.0/24`).join(', ');
    const t = `name: x
vnets:
  - { name: v, addressSpace: [${space}, 10.255.255.0/24], subnets: [${GATEWAY_SUBNET}] }
gateways:
  - { name: g, vnet: v, vpnType: RouteBased, sku: Standard, publicIp: 203.0.113.1 }
sites:
  - { name: s, gatewayIp: 198.51.100.1, addressPrefixes: [10.0.0.0/16] }
connections:
  - { name: c, type: IPsec, gateway: g, site: s, sharedKey: abcd }
`;
    const d = all(t).find((x) => x.code === 'ADDRESS_OVERLAP');
    expect(d?.message).toContain('overlaps VNet "v" (10.0.19.0/24, 10.0.18.0/24, 10.0.17.0/24, 10.0.16.0/24, 10.0.15.0/24, 10.0.14.0/24, 10.0.13.0/24, 10.0.12.0/24, and 12 more)');
  });
});

describe('overlaps found by the index are the ones a scan of every pair finds', () => {
  it('address space, subnets and sites of one gateway, on random prefixes', () => {
    const r = new Prng(3, 'check-scale');
    // Prefixes in 10.1.0.0/16 (or 192.168.0.0/16) of lengths 16-25, so that many of them nest.
    const rand = (base: string): string => makePrefix((base === '10.1' ? 0x0a010000 : 0xc0a80000) + r.int(4) * 256 + r.int(2) * 128, r.pick([16, 17, 24, 25])).text;
    let checked = 0;
    let found = 0;
    for (let round = 0; round < 25; round++) {
      const space = Array.from({ length: 2 + r.int(8) }, () => rand('10.1'));
      const subnets = Array.from({ length: 2 + r.int(8) }, () => rand('10.1'));
      const sites = Array.from({ length: 2 + r.int(4) }, () => Array.from({ length: 1 + r.int(4) }, () => rand('192.168')));
      const t = `name: x
vnets:
  - { name: v, addressSpace: [${space.join(', ')}, 10.255.255.0/24], subnets: [${subnets.map((p, i) => `{ name: s${i}, prefix: ${p} }`).join(', ')}, ${GATEWAY_SUBNET}] }
gateways:
  - { name: g, vnet: v, vpnType: RouteBased, sku: HighPerformance, publicIp: 203.0.113.1 }
sites:
${sites.map((ps, i) => `  - { name: site${i}, gatewayIp: 198.51.100.${i + 1}, addressPrefixes: [${ps.join(', ')}] }`).join('\n')}
connections:
${sites.map((_ps, i) => `  - { name: c${i}, type: IPsec, gateway: g, site: site${i}, sharedKey: abcd }`).join('\n')}
`;
      const loaded = loadScenarioText(t, 'r.yaml');
      const s = loaded.scenario;
      if (!s) throw new Error(`fixture does not load: ${loaded.diagnostics[0]?.message}`);
      checked++;
      const got = all(t).filter((d) => d.code === 'ADDRESS_OVERLAP' || d.code === 'SITE_PREFIX_OVERLAP').map((d) => `${d.path} ${d.message}`);
      const want: string[] = [];
      const v = s.vnets[0]!;
      v.addressSpace.forEach((p, k) => {
        const j = v.addressSpace.findIndex((o, jj) => jj < k && overlaps(o, p));
        if (j >= 0) want.push(`vnets[0].addressSpace[${k}] VNet "v": address space prefix ${p.text} overlaps ${v.addressSpace[j]!.text} of the same VNet`);
      });
      v.subnets.forEach((sn, k) => {
        const j = v.subnets.findIndex((o, jj) => jj < k && overlaps(o.prefix, sn.prefix));
        if (j >= 0) want.push(`vnets[0].subnets[${k}].prefix subnet "${sn.name}" (${sn.prefix.text}) overlaps subnet "${v.subnets[j]!.name}"`);
      });
      s.sites.forEach((b, bi) => {
        b.addressPrefixes.forEach((bp, k) => {
          const a = s.sites.find((x, ai) => ai < bi && x.addressPrefixes.some((ap) => overlaps(ap, bp)));
          if (a) want.push(`sites[${bi}].addressPrefixes[${k}] site "${b.name}" prefix ${bp.text} overlaps site "${a.name}" (${a.addressPrefixes.filter((ap) => overlaps(ap, bp)).map((ap) => ap.text).join(', ')})`);
        });
      });
      found += want.length;
      expect(got.length, t).toBe(want.length);
      for (const w of want) expect(got.some((g) => g.startsWith(w)), `${w}\n${got.join('\n')}`).toBe(true);
    }
    expect(checked).toBe(25);
    expect(found).toBeGreaterThan(50);
  });
});

describe('SCENARIO_TOO_LARGE', () => {
  const policy = (vnetPrefixes: number, sitePrefixes: number, acl = ''): string => `name: x
vnets:
  - { name: v, addressSpace: [${Array.from({ length: vnetPrefixes }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`).join(', ')}], subnets: [{ name: GatewaySubnet, prefix: 10.0.0.0/27 }] }
gateways:
  - { name: g, vnet: v, vpnType: PolicyBased, sku: Basic, publicIp: 203.0.113.1 }
sites:
  - name: s
    gatewayIp: 198.51.100.1
    addressPrefixes: [${Array.from({ length: sitePrefixes }, (_, i) => `172.${16 + (i >> 8)}.${i & 255}.0/24`).join(', ')}]
${acl}connections:
  - { name: c, type: IPsec, gateway: g, site: s, sharedKey: abcd }
`;

  it('refuses more policy-based prefix pairs than vgwsim simulates, at the connection, and skips the other rules', () => {
    expect(MAX_POLICY_SELECTOR_PAIRS).toBe(1000);
    expect(all(policy(25, 40)).some((d) => d.code === 'SCENARIO_TOO_LARGE')).toBe(false);
    const ds = all(policy(40, 26));
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({
      code: 'SCENARIO_TOO_LARGE',
      severity: 'error',
      path: 'connections[0]',
      message: 'connection "c" brings the policy-based traffic selectors of the scenario to 1040 prefix pairs (this one: 40 VNet prefixes × 26 site prefixes, one SA pair each); vgwsim simulates at most 1000: summarise the prefixes (fewer, wider ones) or use a route-based gateway',
    });
    // Two lists of thousands of prefixes are counted, never enumerated.
    expect(all(policy(3000, 3000))).toHaveLength(1);
  });

  it('refuses an access list longer than vgwsim simulates', () => {
    const lines = (n: number): string => `    device:\n      vpnType: PolicyBased\n      accessList:\n${'        - permit ip 172.16.0.0/24 10.0.0.0/24\n'.repeat(n)}`;
    expect(all(policy(1, 1, lines(MAX_ACCESS_LIST_ENTRIES))).some((d) => d.code === 'SCENARIO_TOO_LARGE')).toBe(false);
    const ds = all(policy(1, 1, lines(MAX_ACCESS_LIST_ENTRIES + 1)));
    expect(ds.map((d) => [d.code, d.path, d.message])).toEqual([
      ['SCENARIO_TOO_LARGE', 'sites[0].device.accessList', 'the access list of site "s"\'s device has 1001 entries; vgwsim simulates at most 1000 per device: summarise it (fewer, wider prefixes)'],
    ]);
  });
});
