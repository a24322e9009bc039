/**
 * TRANSFORM_NOT_OFFERED and the ESP transform / replay window keys of a connection: the
 * transform must be among the gateway's offers under the scenario's rules edition
 * (reference: "About VPN devices", IPsec parameters; AES-GCM only from edition
 * azure-2018-10); the data plane then uses it.
 */
import { describe, expect, it } from 'vitest';
import { validateScenarioText } from '../../sim/scenario/validate.js';
import { runScenario } from '../../sim/index.js';

function scenario(vpnType: string, conn: string, extra = '', head = '', sku = 'Basic'): string {
  return `
name: t
${head}
vnets:
  - name: v1
    addressSpace: [10.1.0.0/16]
    subnets: [ { name: a, prefix: 10.1.0.0/24 }, { name: GatewaySubnet, prefix: 10.1.255.0/27 } ]
    hosts: [ { name: vm1, ip: 10.1.0.4 } ]
  - name: v2
    addressSpace: [10.2.0.0/16]
    subnets: [ { name: a, prefix: 10.2.0.0/24 }, { name: GatewaySubnet, prefix: 10.2.255.0/27 } ]
    hosts: [ { name: vm2, ip: 10.2.0.4 } ]
gateways:
  - { name: gw1, vnet: v1, type: Vpn, vpnType: ${vpnType}, sku: ${sku}, publicIp: 203.0.113.1 }
  - { name: gw2, vnet: v2, type: Vpn, vpnType: RouteBased, sku: Basic, publicIp: 203.0.113.2 }
sites:
  - { name: hq, gatewayIp: 198.51.100.1, addressPrefixes: [192.168.0.0/16], hosts: [ { name: pc1, ip: 192.168.1.10 } ] }
connections:
${conn}
traffic:
  - { id: f, from: vm1, to: pc1, proto: icmp, count: 3 }
${extra}`;
}

const codes = (text: string) => validateScenarioText(text, 't.yaml').diagnostics.map((d) => d.code);

describe('TRANSFORM_NOT_OFFERED', () => {
  it('a policy-based gateway offers AES256, AES128 and 3DES with SHA1 only', () => {
    const bad = validateScenarioText(scenario('PolicyBased', '  - { name: c, type: IPsec, gateway: gw1, site: hq, sharedKey: k1234, transform: 3des-md5 }'), 't.yaml');
    const d = bad.diagnostics.find((x) => x.code === 'TRANSFORM_NOT_OFFERED');
    expect(d?.severity).toBe('error');
    expect(d?.message).toMatch(/asks for ESP 3des-md5.*offers aes256-sha1, aes128-sha1, 3des-sha1/);
    expect(d?.line).toBeGreaterThan(0);
    expect(codes(scenario('PolicyBased', '  - { name: c, type: IPsec, gateway: gw1, site: hq, sharedKey: k1234, transform: 3des-sha1 }'))).toEqual([]);
  });
  it('AES-GCM is in no 2016 offer list: refused in both 2016 editions, with that edition\'s offers', () => {
    for (const edition of ['', 'edition: azure-2016-02', 'edition: azure-2016-late']) {
      for (const [vt, sku] of [['RouteBased', 'Basic'], ['RouteBased', 'Standard'], ['RouteBased', 'HighPerformance'], ['PolicyBased', 'Basic']] as const) {
        for (const gcm of ['aes128gcm16', 'aes256gcm16']) {
          const v = validateScenarioText(scenario(vt, `  - { name: c, type: IPsec, gateway: gw1, site: hq, sharedKey: k1234, transform: ${gcm} }`, '', edition, sku), 't.yaml');
          const d = v.diagnostics.filter((x) => x.code === 'TRANSFORM_NOT_OFFERED');
          expect(d, `${edition} ${vt} ${sku} ${gcm}`).toHaveLength(1);
          const offers = vt === 'RouteBased' ? 'aes256-sha1, aes128-sha1, 3des-md5, 3des-sha1' : 'aes256-sha1, aes128-sha1, 3des-sha1';
          // Exactly the edition's offers, then where GCM is found instead.
          expect(d[0]!.message).toContain(`under rules edition ${edition === '' ? 'azure-2016-02' : edition.slice(9)}`);
          expect(d[0]!.message).toMatch(new RegExp(`offers ${offers}(;|$)`));
          if (vt === 'RouteBased') expect(d[0]!.message).toContain('azure-2018-10');
        }
      }
    }
  });
  it('edition azure-2018-10: GCM-AES256 is the first route-based offer, AES-128-GCM needs a custom IPsec/IKE policy (Standard, HighPerformance)', () => {
    const ed = 'edition: azure-2018-10';
    const c = (t: string): string => `  - { name: c, type: IPsec, gateway: gw1, site: hq, sharedKey: k1234, transform: ${t} }`;
    expect(codes(scenario('RouteBased', c('aes256gcm16'), '', ed, 'Basic'))).toEqual([]);
    expect(codes(scenario('RouteBased', c('aes128gcm16'), '', ed, 'Standard'))).toEqual([]);
    expect(codes(scenario('RouteBased', c('aes128gcm16'), '', ed, 'HighPerformance'))).toEqual([]);
    const basic = validateScenarioText(scenario('RouteBased', c('aes128gcm16'), '', ed, 'Basic'), 't.yaml').diagnostics;
    expect(basic.map((d) => d.code)).toEqual(['TRANSFORM_NOT_OFFERED']);
    expect(basic[0]!.message).toMatch(/offers aes256gcm16, aes256-sha1, 3des-sha1, aes128-sha1; a custom IPsec\/IKE policy allows aes128gcm16 on a Standard or HighPerformance gateway/);
    // MD5 left the default offers; a custom policy brings it back on Standard.
    expect(codes(scenario('RouteBased', c('3des-md5'), '', ed, 'Basic'))).toEqual(['TRANSFORM_NOT_OFFERED']);
    expect(codes(scenario('RouteBased', c('3des-md5'), '', ed, 'Standard'))).toEqual([]);
    // Policy-based gateways have no GCM and no custom policies in this edition either.
    const pb = validateScenarioText(scenario('PolicyBased', c('aes256gcm16'), '', ed), 't.yaml').diagnostics;
    expect(pb.map((d) => d.code)).toEqual(['TRANSFORM_NOT_OFFERED']);
    expect(pb[0]!.message).toMatch(/offers aes256-sha1, aes128-sha1, 3des-sha1$/);
  });
  it('NULL encryption only between Azure gateways (VNet-to-VNet)', () => {
    const s2s = validateScenarioText(scenario('RouteBased', '  - { name: c, type: IPsec, gateway: gw1, site: hq, sharedKey: k1234, transform: null-sha1 }'), 't.yaml');
    expect(s2s.diagnostics.find((x) => x.code === 'TRANSFORM_NOT_OFFERED')?.message).toContain('rules edition azure-2016-02 offers NULL encryption only between Azure gateways (VNet-to-VNet)');
    expect(codes(scenario('RouteBased', '  - { name: c, type: Vnet2Vnet, gateway: gw1, peerGateway: gw2, sharedKey: k1234, transform: null-sha1 }'))).toEqual([]);
  });
  it('another edition is named for what it does there: offers the transform, or allows it by a custom policy', () => {
    const message = (sku: string, t: string): string | undefined =>
      validateScenarioText(scenario('RouteBased', `  - { name: c, type: IPsec, gateway: gw1, site: hq, sharedKey: k1234, transform: ${t} }`, '', '', sku), 't.yaml')
        .diagnostics.find((x) => x.code === 'TRANSFORM_NOT_OFFERED')?.message;
    const offers = 'offers aes256-sha1, aes128-sha1, 3des-md5, 3des-sha1';
    const custom = 'rules edition azure-2018-10 allows it on a Standard gateway by a custom IPsec/IKE policy on the connection (edition: azure-2018-10)';
    expect(message('Standard', 'aes128gcm16')).toBe(
      `connection "c" asks for ESP aes128gcm16, but it is not among the ESP offers of a route-based gateway under rules edition azure-2016-02 (IKE would end with NO_PROPOSAL_CHOSEN); gateway "gw1" (route-based Standard) ${offers}; ${custom}`,
    );
    expect(message('Standard', 'aes256-md5')).toBe(
      `connection "c" asks for ESP aes256-md5, but it is not among the ESP offers of a route-based gateway under rules edition azure-2016-02 (IKE would end with NO_PROPOSAL_CHOSEN); gateway "gw1" (route-based Standard) ${offers}; ${custom}`,
    );
    expect(message('Standard', 'null-sha1')).toBe(
      `connection "c" asks for ESP null-sha1, but rules edition azure-2016-02 offers NULL encryption only between Azure gateways (VNet-to-VNet) (IKE would end with NO_PROPOSAL_CHOSEN); gateway "gw1" (route-based Standard) ${offers}; ${custom}`,
    );
    expect(message('Basic', 'aes256gcm16')).toBe(
      `connection "c" asks for ESP aes256gcm16, but it is not among the ESP offers of a route-based gateway under rules edition azure-2016-02 (IKE would end with NO_PROPOSAL_CHOSEN); gateway "gw1" (route-based Basic) ${offers}; rules edition azure-2018-10 offers it (edition: azure-2018-10)`,
    );
    expect(message('Basic', 'aes128gcm16')).toBe(
      `connection "c" asks for ESP aes128gcm16, but it is not among the ESP offers of a route-based gateway under rules edition azure-2016-02 (IKE would end with NO_PROPOSAL_CHOSEN); gateway "gw1" (route-based Basic) ${offers}; rules edition azure-2018-10 allows it by a custom IPsec/IKE policy on a Standard or HighPerformance gateway`,
    );
  });
  it('an unknown transform is a SCHEMA error with a suggestion', () => {
    const v = validateScenarioText(scenario('RouteBased', '  - { name: c, type: IPsec, gateway: gw1, site: hq, sharedKey: k1234, transform: aes256-sha2 }'), 't.yaml');
    expect(v.diagnostics.map((d) => d.code)).toEqual(['SCHEMA']);
    expect(v.diagnostics[0]!.message).toMatch(/aes256-sha1/);
  });
});

describe('transform and replay window reach the data plane', () => {
  it('the chosen transform is the SA\'s (3DES: 8-byte IV and blocks)', () => {
    const v = validateScenarioText(scenario('PolicyBased', '  - { name: c, type: IPsec, gateway: gw1, site: hq, sharedKey: k1234, transform: 3des-sha1 }'), 't.yaml');
    const r = runScenario(v.scenario!);
    expect(r.flows[0]!.delivered).toBe(3);
    expect(new Set(r.sas.map((s) => s.transform))).toEqual(new Set(['3des-sha1']));
  });
  it('VNet-to-VNet pairs with different transforms do not come up (no proposal chosen)', () => {
    const conns = [
      '  - { name: a, type: Vnet2Vnet, gateway: gw1, peerGateway: gw2, sharedKey: k1234, transform: aes128-sha1 }',
      '  - { name: b, type: Vnet2Vnet, gateway: gw2, peerGateway: gw1, sharedKey: k1234, transform: aes256-sha1 }',
    ].join('\n');
    const v = validateScenarioText(scenario('RouteBased', conns, '  - { id: g, from: vm1, to: vm2, proto: icmp }'), 't.yaml');
    const r = runScenario(v.scenario!);
    const g = r.flows.find((f) => f.id === 'g')!;
    expect(g.dropReasons).toEqual({ 'tunnel-down': 1 });
  });
  it('a replay window of 1024 accepts a packet 1000 behind the top that 64 rejects', async () => {
    const { SecurityAssociation } = await import('../../sim/ipsec/sa.js');
    const { transformByProposal } = await import('../../sim/ipsec/transforms.js');
    const t = transformByProposal('aes256-sha1');
    if (!t.ok) throw new Error('transform');
    const mk = (w: number) => new SecurityAssociation({
      spi: 0x1000, src: 1, dst: 2, direction: 'in', transform: t.value, encKey: new Uint8Array(32), authKey: new Uint8Array(20), reqid: 1, name: 'x', seed: 1, replayWindow: w,
    });
    for (const [w, ok] of [[64, false], [1024, true]] as const) {
      const sa = mk(w);
      sa.replay.update(2000);
      expect(sa.replay.check(1001), `window ${w}`).toBe(ok);
    }
  });
});
