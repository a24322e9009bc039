/**
 * Both sides of a Site-to-Site connection as IKE configurations, read from compiled
 * scenarios: the Azure gateway's (version by VPN type, addresses and identities, the
 * connection's key, Azure's proposals and lifetimes for the scenario's edition, selectors)
 * and the device's mirror image; and the connections that have none.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileWorld, validateScenarioText } from '../../sim/index.js';
import type { Scenario } from '../../sim/index.js';
import { ikeSides, ipsecConnectionNames, STRONGSWAN_REKEY_MARGIN, STRONGSWAN_RETRANSMIT } from '../../sim/gateway/ike-sides.js';
import type { IkeTunnelConfig } from '../../sim/ike/endpoint.js';
import { formatIPv4 } from '../../sim/net/ipv4.js';
import { formatIkeProposal } from '../../sim/ike/proposals.js';
import type { EspProposal } from '../../sim/ike/proposals.js';

function scenario(file: string, edit: (t: string) => string = (t) => t): Scenario {
  const v = validateScenarioText(edit(readFileSync(file, 'utf8')), file);
  if (!v.scenario) throw new Error(`${file} is invalid: ${v.diagnostics.map((d) => d.message).join('; ')}`);
  return v.scenario;
}

function esp(p: EspProposal): string {
  return [...p.encryptions.map((e) => e.strongswan), ...p.integrities.map((i) => i.strongswan), ...p.dhGroups.map((g) => g.strongswan)].join('-');
}

/** The parts of a config a reader checks, in words. */
function shape(c: IkeTunnelConfig) {
  return {
    connection: c.connection,
    version: c.version,
    local: formatIPv4(c.local),
    remote: formatIPv4(c.remote),
    psk: new TextDecoder().decode(c.psk),
    localId: c.localId.type === 'ipv4' ? formatIPv4(c.localId.addr) : c.localId.name,
    remoteId: c.remoteId?.type === 'ipv4' ? formatIPv4(c.remoteId.addr) : c.remoteId,
    initiator: c.initiator,
    selectors: c.selectors.map((p) => `${p.local.text} === ${p.remote.text}`),
  };
}

const MULTISITE = 'scenarios/s2s-route-based-multisite.yaml';
const POLICY = 'scenarios/s2s-policy-based.yaml';

describe('IKE sides of a route-based connection (s2s-route-based-multisite.yaml)', () => {
  const { world } = compileWorld(scenario(MULTISITE));

  it('Azure answers branch-a over IKEv2 with its public address, branch-a\'s key and any-to-any selectors', () => {
    const sides = ikeSides(world, world.connections.findIndex((c) => c.name === 'to-branch-a'), 'device');
    if (!sides.ok) throw new Error(sides.problem);
    expect(shape(sides.azure)).toEqual({
      connection: 'to-branch-a', version: 2, local: '203.0.113.20', remote: '198.51.100.2', psk: 'akey',
      localId: '203.0.113.20', remoteId: '198.51.100.2', initiator: false, selectors: ['0.0.0.0/0 === 0.0.0.0/0'],
    });
    expect(shape(sides.device)).toEqual({
      connection: 'branch-a/to-branch-a', version: 2, local: '198.51.100.2', remote: '203.0.113.20', psk: 'akey',
      localId: '198.51.100.2', remoteId: '203.0.113.20', initiator: true, selectors: ['0.0.0.0/0 === 0.0.0.0/0'],
    });
    // The scenario's edition (the default, azure-2016-02): IKEv2 phase 1 and the responder offers with PFS group 1.
    expect(world.edition).toBe('azure-2016-02');
    expect(sides.azure.ikeProposals.map(formatIkeProposal)).toEqual(['IKE:AES_CBC_256/3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024']);
    expect(sides.azure.espProposals.map(esp).slice(0, 2)).toEqual(['aes128-sha1-modp768', '3des-md5-modp768']);
    expect(sides.device.espProposals.map(esp).slice(0, 2)).toEqual(['aes256-sha1-modp768', 'aes128-sha1-modp768']);
    expect([sides.azure.ikeLifetime, sides.azure.childLifetime, sides.azure.childLifeKilobytes, sides.azure.dpdDelay]).toEqual([28_800, 3_600, null, 45]);
    // Where Azure is silent: strongSwan's defaults; the device does no DPD (swanctl's dpd_delay 0).
    expect(sides.azure.retransmit).toEqual({ timeout: 4, base: 1.8, tries: 5 });
    expect([sides.azure.rekeyMargin, sides.azure.natTraversal, sides.device.dpdDelay]).toEqual([540, true, null]);
    expect([STRONGSWAN_RETRANSMIT, STRONGSWAN_REKEY_MARGIN]).toEqual([sides.device.retransmit, sides.device.rekeyMargin]);
  });

  it('each connection has its own key and device address; Azure initiating offers its initiator proposals', () => {
    const keys = world.connections.map((c, ci) => {
      const s = ikeSides(world, ci, 'azure');
      return s.ok ? [c.name, new TextDecoder().decode(s.azure.psk), formatIPv4(s.azure.remote), s.azure.initiator, s.device.initiator] : [c.name, s.problem];
    });
    expect(keys).toEqual([
      ['to-hq', 'hqkey', '198.51.100.1', true, false],
      ['to-branch-a', 'akey', '198.51.100.2', true, false],
      ['to-branch-b', 'bkey', '198.51.100.3', true, false],
    ]);
    expect(ipsecConnectionNames(world)).toEqual(['to-hq', 'to-branch-a', 'to-branch-b']);
  });
});

describe('the rules edition reaches the World', () => {
  it('edition azure-2016-late: SHA256 in phase 1 and 10,800 s IKE lifetime', () => {
    const late = scenario(MULTISITE, (t) => t.replace('seed: 7\n', 'seed: 7\nedition: azure-2016-late\n'));
    const { world } = compileWorld(late);
    expect(world.edition).toBe('azure-2016-late');
    const sides = ikeSides(world, 0, 'azure');
    if (!sides.ok) throw new Error(sides.problem);
    expect(sides.azure.ikeProposals.map(formatIkeProposal)).toEqual(['IKE:AES_CBC_256/3DES_CBC/HMAC_SHA1_96/HMAC_SHA2_256_128/PRF_HMAC_SHA1/PRF_HMAC_SHA2_256/MODP_1024']);
    expect(sides.azure.ikeLifetime).toBe(10_800);
  });
});

describe('IKE sides of a policy-based connection (s2s-policy-based.yaml)', () => {
  it('IKEv1, one selector pair per VNet prefix x site prefix, Azure\'s 2016 policy-based lifetimes, no DPD', () => {
    const { world } = compileWorld(scenario(POLICY));
    const sides = ikeSides(world, 0, 'azure');
    if (!sides.ok) throw new Error(sides.problem);
    expect(shape(sides.azure)).toEqual({
      connection: 'gw1-hq', version: 1, local: '203.0.113.10', remote: '198.51.100.1', psk: 's3cret',
      localId: '203.0.113.10', remoteId: '198.51.100.1', initiator: true, selectors: ['10.1.0.0/16 === 192.168.0.0/16'],
    });
    expect(shape(sides.device).selectors).toEqual(['192.168.0.0/16 === 10.1.0.0/16']);
    expect(sides.azure.ikeProposals.map(formatIkeProposal)).toEqual(['IKE:AES_CBC_256/AES_CBC_128/3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024']);
    expect(sides.azure.espProposals.map(esp)).toEqual(['aes256-sha1', 'aes128-sha1', '3des-sha1']);
    expect([sides.azure.ikeLifetime, sides.azure.childLifetime, sides.azure.childLifeKilobytes, sides.azure.dpdDelay]).toEqual([28_800, 3_600, 102_400_000, null]);
  });

  it('two VNet prefixes and two site prefixes make four pairs, VNet prefixes outer, as the SAs hold them', () => {
    const two = scenario(POLICY, (t) => t
      .replace('addressSpace: [10.1.0.0/16]', 'addressSpace: [10.1.0.0/16, 10.2.0.0/16]')
      .replace('addressPrefixes: [192.168.0.0/16]', 'addressPrefixes: [192.168.0.0/16, 172.16.0.0/12]')
      .replace('- permit ip 192.168.0.0/16 10.1.0.0/16', '- permit ip any any'));
    const { world } = compileWorld(two);
    const sides = ikeSides(world, 0, 'device');
    if (!sides.ok) throw new Error(sides.problem);
    expect(shape(sides.azure).selectors).toEqual([
      '10.1.0.0/16 === 192.168.0.0/16', '10.1.0.0/16 === 172.16.0.0/12', '10.2.0.0/16 === 192.168.0.0/16', '10.2.0.0/16 === 172.16.0.0/12',
    ]);
    // IKEv1 negotiates on demand: both sides may start when their traffic needs an SA.
    expect(sides.azure.initiator).toBe(true);
    expect(sides.device.initiator).toBe(true);
  });

  it('the site device\'s key stands in when the connection has none; no key at all is refused', () => {
    const deviceKey = scenario(POLICY, (t) => t.replace('    sharedKey: "s3cret"\n', '').replace('      vpnType: PolicyBased\n      accessList', '      vpnType: PolicyBased\n      sharedKey: "devkey"\n      accessList'));
    const a = ikeSides(compileWorld(deviceKey).world, 0, 'azure');
    expect(a.ok && new TextDecoder().decode(a.azure.psk)).toBe('devkey');
    const none = scenario(POLICY, (t) => t.replace('    sharedKey: "s3cret"\n', ''));
    expect(ikeSides(compileWorld(none).world, 0, 'azure')).toEqual({ ok: false, problem: 'gw1-hq has no sharedKey: IKE cannot authenticate' });
  });
});

describe('connections without IKE sides', () => {
  it('a VNet-to-VNet connection has two Azure sides, the defining gateway initiating; an index out of range is refused in words', () => {
    const { world } = compileWorld(scenario('scenarios/vnet-to-vnet.yaml'));
    const v = ikeSides(world, 0, 'azure');
    if (!v.ok) throw new Error(v.problem);
    expect([formatIPv4(v.azure.local), formatIPv4(v.azure.remote), v.azure.initiator, v.device.initiator]).toEqual(['203.0.113.1', '203.0.113.2', true, false]);
    expect(v.azure.version).toBe(2);
    expect(v.device.version).toBe(2);
    expect(ikeSides(world, 99, 'azure')).toEqual({ ok: false, problem: 'no connection number 99' });
    expect(ipsecConnectionNames(world)).toEqual([]);
  });
});
