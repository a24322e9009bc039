/**
 * The capability table against the reference (reference/azure-vpn-gateways-2016.md):
 * every cell of the "Gateway SKUs" and "Gateway requirements" tables, the IPsec
 * parameter tables, and the edition switch for BGP on Standard.
 */
import { describe, expect, it } from 'vitest';
import {
  availableSkus,
  CAPABILITY_TABLES,
  capabilityRow,
  DEFAULT_EDITION,
  DEFAULT_EDITION_DESCRIPTION,
  EDITIONS,
  espTransformOffers,
  expressRouteCapabilities,
  gatewayCapabilities,
  IPSEC_PARAMETERS,
  IPSEC_PARAMETERS_BY_EDITION,
  ipsecParameters,
  SKU_TABLE,
} from '../../sim/gateway/capabilities.js';
import type { Capabilities } from '../../sim/gateway/capabilities.js';
import type { GatewaySku, VpnType } from '../../sim/gateway/kinds.js';
import type { RulesEdition } from '../../sim/gateway/capabilities.js';

const M = 1_000_000;

function caps(vpnType: VpnType, sku: GatewaySku, edition: RulesEdition = 'azure-2016-02'): Capabilities {
  const c = gatewayCapabilities(edition, vpnType, sku);
  if (!c) throw new Error(`no row ${vpnType} ${sku}`);
  return c;
}

describe('Gateway SKUs table', () => {
  // | SKU | VPN throughput | max IPsec tunnels | ExpressRoute gateway throughput | coexist |
  const rows: [GatewaySku, number, number, number, boolean][] = [
    ['Basic', 100 * M, 10, 500 * M, false],
    ['Standard', 100 * M, 10, 1000 * M, true],
    ['HighPerformance', 200 * M, 30, 2000 * M, true],
  ];
  it.each(rows)('%s: SKU_TABLE row', (sku, vpn, tunnels, er, coexist) => {
    expect(SKU_TABLE[sku]).toEqual({ sku, vpnThroughputBps: vpn, maxIpsecTunnels: tunnels, expressRouteThroughputBps: er, coexistenceAllowed: coexist });
  });
  it.each(rows)('%s: route-based VPN gateway row carries the SKU facts', (sku, vpn, tunnels, er, coexist) => {
    const c = caps('RouteBased', sku);
    expect(c.vpnThroughputBps).toBe(vpn);
    expect(c.maxIpsecTunnels).toBe(tunnels);
    expect(c.expressRouteThroughputBps).toBe(er);
    expect(c.coexistenceAllowed).toBe(coexist);
  });
  it.each(rows)('%s: ExpressRoute gateway row', (sku, _vpn, _tunnels, er, coexist) => {
    const c = expressRouteCapabilities('azure-2016-02', sku);
    expect(c?.kind).toBe('ExpressRoute');
    expect(c?.vpnType).toBeUndefined();
    expect(c?.expressRouteThroughputBps).toBe(er);
    expect(c?.coexistenceAllowed).toBe(coexist);
    expect(c?.maxS2sConnections).toBe(0);
    expect(c?.p2sSupported).toBe(false);
    expect(c?.ipsec).toBeUndefined();
  });
  it('policy-based Basic has the Basic SKU facts but cannot coexist with ExpressRoute', () => {
    const c = caps('PolicyBased', 'Basic');
    expect(c.vpnThroughputBps).toBe(100 * M);
    expect(c.maxIpsecTunnels).toBe(10);
    expect(c.expressRouteThroughputBps).toBe(500 * M);
    expect(c.coexistenceAllowed).toBe(false);
  });
});

describe('Gateway requirements table', () => {
  // columns: Policy-based Basic | Route-based Basic | Route-based Standard | Route-based HighPerformance
  const cols: [VpnType, GatewaySku][] = [
    ['PolicyBased', 'Basic'],
    ['RouteBased', 'Basic'],
    ['RouteBased', 'Standard'],
    ['RouteBased', 'HighPerformance'],
  ];
  const table = {
    s2sConfig: ['policy-based', 'route-based', 'route-based', 'route-based'],
    p2sSupported: [false, true, true, true],
    authentication: ['pre-shared key', 'PSK for S2S, certificates for P2S', 'PSK for S2S, certificates for P2S', 'PSK for S2S, certificates for P2S'],
    maxS2sConnections: [1, 10, 10, 30],
    maxP2sClients: [0, 128, 128, 128],
    bgpSupported: [false, false, false, true],
    vnet2vnetSupported: [false, true, true, true],
    forcedTunnelingSupported: [false, true, true, true],
    ikeVersion: ['IKEv1', 'IKEv2', 'IKEv2', 'IKEv2'],
  } as const;
  for (const [field, values] of Object.entries(table)) {
    it(`row ${field}`, () => {
      const got = cols.map(([vt, sku]) => caps(vt, sku)[field as keyof Capabilities]);
      expect(got).toEqual(values);
    });
  }
  it('policy-based gateways exist only as Basic', () => {
    expect(gatewayCapabilities('azure-2016-02', 'PolicyBased', 'Standard')).toBeUndefined();
    expect(gatewayCapabilities('azure-2016-02', 'PolicyBased', 'HighPerformance')).toBeUndefined();
    const row = capabilityRow('azure-2016-02', 'Vpn', 'PolicyBased', 'HighPerformance');
    expect(row?.exists).toBe(false);
    expect(row && !row.exists ? row.note : '').toMatch(/only as Basic/);
    expect(availableSkus('azure-2016-02', 'Vpn', 'PolicyBased')).toEqual(['Basic']);
    expect(availableSkus('azure-2016-02', 'Vpn', 'RouteBased')).toEqual(['Basic', 'Standard', 'HighPerformance']);
    expect(availableSkus('azure-2016-02', 'ExpressRoute', undefined)).toEqual(['Basic', 'Standard', 'HighPerformance']);
  });
  it('every edition table has one row per (kind, vpnType, sku): 3 + 3 VPN, 3 ExpressRoute', () => {
    for (const e of EDITIONS) {
      const t = CAPABILITY_TABLES[e.edition];
      expect(t).toHaveLength(9);
      const keys = new Set(t.map((r) => `${r.kind}/${r.vpnType ?? '-'}/${r.sku}`));
      expect(keys.size).toBe(9);
    }
  });
  it('the table is frozen', () => {
    expect(Object.isFrozen(CAPABILITY_TABLES['azure-2016-02'])).toBe(true);
    expect(Object.isFrozen(CAPABILITY_TABLES['azure-2016-02'][0])).toBe(true);
  });
});

describe('editions', () => {
  it('the default is azure-2016-02 and is named', () => {
    expect(DEFAULT_EDITION).toBe('azure-2016-02');
    expect(EDITIONS.filter((e) => e.isDefault).map((e) => e.edition)).toEqual(['azure-2016-02']);
    expect(DEFAULT_EDITION_DESCRIPTION).toContain('azure-2016-02');
  });
  it('BGP on route-based Standard: no in 2016-02, yes in later 2016', () => {
    expect(caps('RouteBased', 'Standard', 'azure-2016-02').bgpSupported).toBe(false);
    expect(caps('RouteBased', 'Standard', 'azure-2016-late').bgpSupported).toBe(true);
  });
  it('nothing else changes between the 2016 editions but route-based IPsec ("About VPN devices" 2016-06-29 and 2016-09-13)', () => {
    const a = CAPABILITY_TABLES['azure-2016-02'];
    const b = CAPABILITY_TABLES['azure-2016-late'];
    a.forEach((row, i) => {
      const other = b[i]!;
      const ipsec = row.exists && row.kind === 'Vpn' ? { ipsec: row.ipsec } : {};
      if (row.exists && row.kind === 'Vpn' && row.vpnType === 'RouteBased' && row.sku === 'Standard') {
        expect({ ...other, bgpSupported: false, ...ipsec }).toEqual(row);
      } else {
        expect({ ...other, ...ipsec }).toEqual(row);
      }
    });
    const late = IPSEC_PARAMETERS_BY_EDITION['azure-2016-late'];
    expect(late.PolicyBased).toBe(IPSEC_PARAMETERS.PolicyBased);
    expect(late.RouteBased.phase1).toEqual({ ...IPSEC_PARAMETERS.RouteBased.phase1, hash: ['SHA1', 'SHA256'], lifetimeSeconds: 10_800 });
    expect(late.RouteBased.phase2.lifetimeSeconds).toBe(3_600);
    expect(late.RouteBased.phase2.pfs).toBe(false);
    expect(late.RouteBased.phase2.responderPfsGroups).toEqual([1, 2, 5, 14, 24]);
    expect(late.RouteBased.phase2.initiatorOffers).toBe(IPSEC_PARAMETERS.RouteBased.phase2.initiatorOffers);
    expect(caps('RouteBased', 'Basic', 'azure-2016-late').bgpSupported).toBe(false);
    expect(caps('PolicyBased', 'Basic', 'azure-2016-late').bgpSupported).toBe(false);
  });
  it('azure-2018-10: the azure-2016-late table with the IPsec parameters of that edition', () => {
    const late = CAPABILITY_TABLES['azure-2016-late'];
    const e18 = CAPABILITY_TABLES['azure-2018-10'];
    late.forEach((row, i) => {
      const other = e18[i]!;
      if (row.exists && row.kind === 'Vpn' && row.vpnType) {
        expect({ ...other, ipsec: row.ipsec }).toEqual(row);
        expect(other.exists && other.ipsec).toBe(IPSEC_PARAMETERS_BY_EDITION['azure-2018-10'][row.vpnType]);
      } else {
        expect(other).toEqual(row);
      }
    });
  });
  it('an unknown edition answers undefined, never throws', () => {
    expect(gatewayCapabilities('azure-1999' as RulesEdition, 'RouteBased', 'Basic')).toBeUndefined();
  });
});

describe('IPsec parameters', () => {
  it('phase 1: IKE version, DH group 2, PSK, encryption, SHA1, 28,800 s', () => {
    expect(IPSEC_PARAMETERS.PolicyBased.phase1).toEqual({
      ikeVersion: 'IKEv1',
      dhGroup: 2,
      authentication: 'pre-shared key',
      encryption: ['AES256', 'AES128', '3DES'],
      hash: ['SHA1'],
      lifetimeSeconds: 28_800,
    });
    expect(IPSEC_PARAMETERS.RouteBased.phase1).toEqual({
      ikeVersion: 'IKEv2',
      dhGroup: 2,
      authentication: 'pre-shared key',
      encryption: ['AES256', '3DES'],
      hash: ['SHA1'],
      lifetimeSeconds: 28_800,
    });
  });
  it('phase 2 policy-based: SHA1, 3,600 s, 102,400,000 KB, AES256/AES128/3DES, no PFS, no DPD', () => {
    const p = ipsecParameters('PolicyBased').phase2;
    expect(p.hash).toEqual(['SHA1']);
    expect(p.lifetimeSeconds).toBe(3_600);
    expect(p.lifetimeKilobytes).toBe(102_400_000);
    const names = p.initiatorOffers.map((o) => `${o.protocol} ${o.encryption}-${o.integrity}`);
    expect(names).toEqual(['ESP AES256-SHA1', 'ESP AES128-SHA1', 'ESP 3DES-SHA1']);
    expect(p.responderOffers).toEqual(p.initiatorOffers);
    expect(p.pfs).toBe(false);
    expect(p.deadPeerDetection).toBe(false);
    expect(p.nullEncryptionAllowed).toBe(false);
  });
  it('phase 2 route-based: SHA1, lifetimes not specified, PFS group 1, DPD, offers in order', () => {
    const p = ipsecParameters('RouteBased').phase2;
    expect(p.hash).toEqual(['SHA1']);
    expect(p.lifetimeSeconds).toBeUndefined();
    expect(p.lifetimeKilobytes).toBeUndefined();
    expect(p.pfs).toEqual({ dhGroup: 1 });
    expect(p.deadPeerDetection).toBe(true);
    expect(p.nullEncryptionAllowed).toBe(true);
    const fmt = (o: { protocol: string; encryption?: string; integrity: string }): string => `${o.protocol} ${o.encryption ?? ''}-${o.integrity}`;
    expect(p.initiatorOffers.slice(0, 4).map(fmt)).toEqual(['ESP AES256-SHA1', 'ESP AES128-SHA1', 'ESP 3DES-MD5', 'ESP 3DES-SHA1']);
    // then AH+ESP combinations, then ESP DES variants
    const rest = p.initiatorOffers.slice(4);
    const firstDes = rest.findIndex((o) => o.protocol === 'ESP' && o.encryption === 'DES');
    expect(rest.slice(0, firstDes).every((o) => o.protocol === 'AH+ESP')).toBe(true);
    expect(rest.slice(firstDes).every((o) => o.protocol === 'ESP' && o.encryption === 'DES')).toBe(true);
    expect(p.responderOffers.slice(0, 3).map(fmt)).toEqual(['ESP AES128-SHA1', 'ESP 3DES-MD5', 'ESP 3DES-SHA1']);
    // finally integrity-only ESP/AH
    const last = p.responderOffers.slice(-4);
    expect(last.every((o) => (o.protocol === 'ESP' && o.encryption === 'NULL') || o.protocol === 'AH')).toBe(true);
  });
  it('2016 editions: the ESP transforms a connection may use are the implemented ESP offers; NULL only VNet-to-VNet; no custom policies', () => {
    for (const edition of ['azure-2016-02', 'azure-2016-late'] as const) {
      for (const sku of ['Basic', 'Standard', 'HighPerformance'] as const) {
        expect(espTransformOffers(edition, 'RouteBased', sku)).toEqual({
          offered: ['aes256-sha1', 'aes128-sha1', '3des-md5', '3des-sha1'],
          nullForVnet2Vnet: ['null-sha1', 'null-md5'],
          customPolicy: [],
          customPolicySkus: [],
        });
      }
      expect(espTransformOffers(edition, 'PolicyBased', 'Basic')).toEqual({
        offered: ['aes256-sha1', 'aes128-sha1', '3des-sha1'], nullForVnet2Vnet: [], customPolicy: [], customPolicySkus: [],
      });
    }
  });
  it('azure-2018-10: route-based offers start with GCM-AES256 ("About VPN devices" 10/05/2018); custom policies on Standard and HighPerformance', () => {
    const rb = IPSEC_PARAMETERS_BY_EDITION['azure-2018-10'].RouteBased.phase2;
    const fmt = (o: { encryption?: string; integrity: string; pfsGroup?: number }): string => `${o.encryption}-${o.integrity}${o.pfsGroup ? `/pfs${o.pfsGroup}` : ''}`;
    expect(rb.initiatorOffers.map(fmt)).toEqual(['GCMAES256-GCMAES256', 'AES256-SHA1', '3DES-SHA1', 'AES256-SHA256', 'AES128-SHA1', '3DES-SHA256']);
    expect(rb.responderOffers).toHaveLength(26);
    expect(rb.lifetimeSeconds).toBe(27_000);
    const basic = espTransformOffers('azure-2018-10', 'RouteBased', 'Basic');
    expect(basic.offered).toEqual(['aes256gcm16', 'aes256-sha1', '3des-sha1', 'aes128-sha1']);
    expect(basic.nullForVnet2Vnet).toEqual([]);
    expect(basic.customPolicy).toEqual([]);
    expect(basic.customPolicySkus).toEqual(['Standard', 'HighPerformance']);
    const std = espTransformOffers('azure-2018-10', 'RouteBased', 'Standard');
    expect([...std.customPolicy].sort()).toEqual(
      ['aes256gcm16', 'aes128gcm16', 'aes256-sha1', 'aes256-md5', 'aes128-sha1', 'aes128-md5', '3des-sha1', '3des-md5', 'null-sha1', 'null-md5'].sort(),
    );
    expect(espTransformOffers('azure-2018-10', 'PolicyBased', 'Basic')).toEqual({
      offered: ['aes256-sha1', 'aes128-sha1', '3des-sha1'], nullForVnet2Vnet: [], customPolicy: [], customPolicySkus: [],
    });
    expect(ipsecParameters('PolicyBased', 'azure-2018-10').phase2.initiatorOffers[0]).toEqual({ protocol: 'ESP', encryption: 'AES256', integrity: 'SHA256' });
  });
  it('rows carry the parameters of their VPN type', () => {
    expect(caps('PolicyBased', 'Basic').ipsec).toBe(IPSEC_PARAMETERS.PolicyBased);
    expect(caps('RouteBased', 'HighPerformance').ipsec).toBe(IPSEC_PARAMETERS.RouteBased);
  });
});
