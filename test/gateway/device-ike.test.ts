/**
 * A site device's own IKE settings from the scenario to the negotiation: compiled into the
 * World (WDevice.ike, parsed values, null without a block), applied by applyDeviceIke to
 * the device's mirror configuration one setting at a time (the rest and the Azure side
 * untouched), and shown to matter in negotiations between two endpoints in memory built
 * from ikeSides: an IKE proposal Azure does not accept (IKE_PHASE1_FAILED with
 * NO_PROPOSAL_CHOSEN), PFS on IKEv2 that shows only at the first child rekey (accepted by
 * the azure-2016-late responder, PFS_MISMATCH under azure-2016-02), PFS on IKEv1 (Quick Mode
 * refused), narrower proxy IDs (Azure narrows), and a device that does not initiate.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileWorld, validateScenarioText } from '../../sim/index.js';
import type { World } from '../../sim/gateway/world.js';
import { applyDeviceIke } from '../../sim/gateway/device-ike.js';
import type { DeviceIke } from '../../sim/gateway/device-ike.js';
import { ikeSides } from '../../sim/gateway/ike-sides.js';
import type { IkeInitiator } from '../../sim/gateway/ike-sides.js';
import { DH_GROUPS } from '../../sim/ike/dh-groups.js';
import type { IkeEndpoint, IkeOutput, IkeTunnelConfig } from '../../sim/ike/endpoint.js';
import { Ikev1Endpoint } from '../../sim/ike/ikev1/endpoint.js';
import { Ikev2Endpoint } from '../../sim/ike/ikev2/endpoint.js';
import type { EspProposal, IkeProposal } from '../../sim/ike/proposals.js';
import { CRYPTO_BACKENDS } from '../../sim/ipsec/backends.js';
import { formatIPv4 } from '../../sim/net/ipv4.js';
import { Prng } from '../../sim/util/prng.js';
import { IkeNet } from '../support/ike-net.js';
import { espProposal, espRoundTrip, ikeProposal, ikev2Config, pair } from '../support/ikev2-pair.js';

const ROUTE_BASED = 'scenarios/s2s-route-based-multisite.yaml';
const POLICY_BASED = 'scenarios/s2s-policy-based.yaml';

function ikeWords(p: IkeProposal): string {
  return [...p.encryptions.map((e) => e.name), ...p.integrities.map((i) => i.name), ...p.dhGroups.map((g) => g.strongswan)].join('-');
}

function espWords(p: EspProposal): string {
  return [...p.encryptions.map((e) => e.strongswan), ...p.integrities.map((i) => i.strongswan), ...p.dhGroups.map((g) => g.strongswan)].join('-');
}

/**
 * The compiled World of `file` with `ike` (lines) as the ike block of its first site's
 * device (none when empty) and, optionally, another rules edition.
 */
function worldWith(file: string, ike: readonly string[], edition?: string): World {
  let text = readFileSync(file, 'utf8');
  if (edition !== undefined) text = text.replace(/^name: .*\n/m, (m) => `${m}edition: ${edition}\n`);
  if (ike.length > 0) {
    const block = `      ike:\n${ike.map((l) => `        ${l}\n`).join('')}`;
    text = file === ROUTE_BASED
      ? text.replace('    device: { vpnType: RouteBased }\n    hosts:\n      - { name: hq-srv', `    device:\n      vpnType: RouteBased\n${block}    hosts:\n      - { name: hq-srv`)
      : text.replace('      vpnType: PolicyBased\n      accessList', `      vpnType: PolicyBased\n${block}      accessList`);
    if (!text.includes('      ike:\n')) throw new Error('fixture: the ike block did not go in');
  }
  const v = validateScenarioText(text, file);
  if (!v.scenario) throw new Error(v.diagnostics.map((d) => d.message).join('; '));
  return compileWorld(v.scenario).world;
}

function sidesOf(world: World, initiator: IkeInitiator): { azure: IkeTunnelConfig; device: IkeTunnelConfig } {
  const s = ikeSides(world, 0, initiator);
  if (!s.ok) throw new Error(s.problem);
  return s;
}

/** Both sides of connection 0 as endpoints of their versions on a fresh IkeNet, started at 0. */
function negotiate(world: World, initiator: IkeInitiator): IkeNet {
  const s = sidesOf(world, initiator);
  const endpoint = (c: IkeTunnelConfig, name: string): IkeEndpoint => {
    const options = { crypto: CRYPTO_BACKENDS.node, prng: new Prng(2016, name) };
    return c.version === 2 ? new Ikev2Endpoint(c, options) : new Ikev1Endpoint(c, options);
  };
  const net = new IkeNet();
  net.attach('azure', endpoint(s.azure, 'azure'));
  net.attach('device', endpoint(s.device, 'device'));
  net.start(0);
  return net;
}

type Status = Extract<IkeOutput, { kind: 'status' }>;

function statuses(net: IkeNet, name: string): string[] {
  return net.outputs(name, 'status').map((s: Status) => `${s.status}${s.notify ? ` ${s.notify}` : ''}`);
}

describe('applyDeviceIke: each setting on the mirror, the rest as it was', () => {
  const mirror: IkeTunnelConfig = ikev2Config('device', {
    ikeProposals: [ikeProposal('aes256-3des-sha1-modp1024')],
    espProposals: [espProposal('aes256-sha1-modp768'), espProposal('aes128-sha1-modp768'), espProposal('aes256-sha1')],
    dpdDelay: 30,
  });
  const base: DeviceIke = { initiate: true };

  it('no settings: the mirror itself; an empty block: an equal configuration', () => {
    expect(applyDeviceIke(mirror, null)).toBe(mirror);
    expect(applyDeviceIke(mirror, base)).toEqual(mirror);
  });

  it('each setting changes its field and nothing else', () => {
    const cases: ReadonlyArray<readonly [string, Partial<DeviceIke>, (c: IkeTunnelConfig) => unknown, unknown]> = [
      ['version', { version: 1 }, (c) => c.version, 1],
      ['ikeProposals', { ikeProposals: [ikeProposal('aes128-sha256-modp2048')] }, (c) => c.ikeProposals.map(ikeWords), ['aes128-sha256-modp2048']],
      ['dhGroup on the mirrored proposals', { dhGroup: DH_GROUPS[14] }, (c) => c.ikeProposals.map(ikeWords), ['aes256-3des-sha1-modp2048']],
      ['espProposals', { espProposals: [espProposal('aes128gcm16')] }, (c) => c.espProposals.map(espWords), ['aes128gcm16']],
      ['pfsGroup on every mirrored ESP proposal', { pfsGroup: DH_GROUPS[2] }, (c) => c.espProposals.map(espWords), ['aes256-sha1-modp1024', 'aes128-sha1-modp1024']],
      ['pfsGroup null: no PFS, equal proposals kept once', { pfsGroup: null }, (c) => c.espProposals.map(espWords), ['aes256-sha1', 'aes128-sha1']],
      ['ikeLifetime', { ikeLifetime: 3600 }, (c) => c.ikeLifetime, 3600],
      ['childLifetime', { childLifetime: 1800 }, (c) => c.childLifetime, 1800],
      ['childLifeKilobytes', { childLifeKilobytes: 4_608_000 }, (c) => c.childLifeKilobytes, 4_608_000],
      ['dpdDelay', { dpdDelay: 10 }, (c) => c.dpdDelay, 10],
      ['dpdDelay null: DPD off where the mirror had it', { dpdDelay: null }, (c) => c.dpdDelay, null],
      ['identity', { identity: { type: 'fqdn', name: 'vpn.example.com' } }, (c) => c.localId, { type: 'fqdn', name: 'vpn.example.com' }],
      ['initiate false: the device does not start', { initiate: false }, (c) => c.initiator, false],
      ['selectors', { selectors: [pair('192.168.1.0/24', '10.1.0.0/16')] }, (c) => c.selectors.map((p) => `${p.local.text} === ${p.remote.text}`), ['192.168.1.0/24 === 10.1.0.0/16']],
    ];
    for (const [what, setting, read, want] of cases) {
      const out = applyDeviceIke(mirror, { ...base, ...setting });
      expect(read(out), what).toEqual(want);
      expect(read(mirror), `${what}: the mirror differs from the result`).not.toEqual(want);
      const touched = Object.keys(out).filter((k) => out[k as keyof IkeTunnelConfig] !== mirror[k as keyof IkeTunnelConfig]);
      expect(touched.length, `${what} touched ${touched.join(', ')}`).toBe(1);
    }
  });

  it('dhGroup applies to the device\'s own IKE proposals too, pfsGroup to its own ESP proposals', () => {
    const out = applyDeviceIke(mirror, {
      ...base,
      ikeProposals: [ikeProposal('aes128-sha256-modp2048-modp1024'), ikeProposal('aes256-sha1-modp1536')],
      dhGroup: DH_GROUPS[5],
      espProposals: [espProposal('aes128-sha1'), espProposal('3des-md5-modp2048')],
      pfsGroup: DH_GROUPS[14],
    });
    expect(out.ikeProposals.map(ikeWords)).toEqual(['aes128-sha256-modp1536', 'aes256-sha1-modp1536']);
    expect(out.espProposals.map(espWords)).toEqual(['aes128-sha1-modp2048', '3des-md5-modp2048']);
  });

  it('initiate true never makes a device start that the caller made the responder; the mirror is not changed', () => {
    const responder = { ...mirror, initiator: false };
    expect(applyDeviceIke(responder, { ...base, initiate: true }).initiator).toBe(false);
    applyDeviceIke(mirror, { ...base, dhGroup: DH_GROUPS[14], pfsGroup: null });
    expect(mirror.ikeProposals.map(ikeWords)).toEqual(['aes256-3des-sha1-modp1024']);
    expect(mirror.espProposals.map(espWords)).toEqual(['aes256-sha1-modp768', 'aes128-sha1-modp768', 'aes256-sha1']);
  });
});

describe('compiled into the World', () => {
  it('the parsed settings land on the device; none is null; off and none become null; initiate defaults to true', () => {
    const world = worldWith(ROUTE_BASED, [
      'version: IKEv1',
      'ikeProposals: [aes128-sha256-modp2048]',
      'espProposals: [aes256-sha1, aes128-sha1]',
      'dhGroup: 14',
      'pfsGroup: none',
      'ikeLifetime: 8h',
      'childLifetime: 30m',
      'childLifeKilobytes: 102400000',
      'dpd: off',
      'identity: vpn.example.com',
      'selectors: [{ local: 192.168.0.0/16, remote: 10.10.0.0/16 }]',
    ]);
    const ike = world.sites[0]!.device.ike;
    if (!ike) throw new Error('no ike on the device');
    expect({
      ...ike,
      ikeProposals: ike.ikeProposals?.map(ikeWords),
      espProposals: ike.espProposals?.map(espWords),
      dhGroup: ike.dhGroup?.id,
      selectors: ike.selectors?.map((p) => `${p.local.text} === ${p.remote.text}`),
    }).toEqual({
      version: 1,
      ikeProposals: ['aes128-sha256-modp2048'],
      espProposals: ['aes256-sha1', 'aes128-sha1'],
      dhGroup: 14,
      pfsGroup: null,
      ikeLifetime: 28_800,
      childLifetime: 1_800,
      childLifeKilobytes: 102_400_000,
      dpdDelay: null,
      identity: { type: 'fqdn', name: 'vpn.example.com' },
      initiate: true,
      selectors: ['192.168.0.0/16 === 10.10.0.0/16'],
    });
    expect(world.sites.slice(1).map((s) => s.device.ike)).toEqual([null, null]);
    const two = worldWith(ROUTE_BASED, ['pfsGroup: 2', 'dpd: 30', 'initiate: false']).sites[0]!.device.ike;
    expect([two?.pfsGroup?.id, two?.dpdDelay, two?.initiate, two && 'version' in two]).toEqual([2, 30, false, false]);
  });

  it('ikeSides: the device takes its settings, the Azure side is the same as without them', () => {
    const plain = sidesOf(worldWith(ROUTE_BASED, []), 'device');
    const set = sidesOf(worldWith(ROUTE_BASED, ['ikeProposals: [aes128-sha256-modp2048]', 'identity: 203.0.113.99', 'dpd: 20', 'initiate: false']), 'device');
    expect(set.azure).toEqual(plain.azure);
    expect(set.device.ikeProposals.map(ikeWords)).toEqual(['aes128-sha256-modp2048']);
    expect(set.device.localId.type === 'ipv4' && formatIPv4(set.device.localId.addr)).toBe('203.0.113.99');
    expect([set.device.dpdDelay, set.device.initiator, plain.device.initiator]).toEqual([20, false, true]);
    expect({ ...set.device, ikeProposals: plain.device.ikeProposals, localId: plain.device.localId, dpdDelay: null, initiator: true }).toEqual(plain.device);
  });
});

describe('device settings decide negotiations (two endpoints in memory, built by ikeSides)', () => {
  it('IKEv2: an IKE proposal Azure does not accept is NO_PROPOSAL_CHOSEN, IKE_PHASE1_FAILED on both sides; without it the tunnel comes up', () => {
    const net = negotiate(worldWith(ROUTE_BASED, ['ikeProposals: [aes128-sha256-modp2048]']), 'device');
    net.run(60);
    expect(net.sent().map((t) => `${t.from} ${t.summary}`)).toEqual([
      'device IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]',
      'azure IKE_SA_INIT response 0 [ N(NO_PROP) ]',
    ]);
    expect(statuses(net, 'azure')).toEqual(['IKE_PHASE1_FAILED NO_PROPOSAL_CHOSEN']);
    expect(statuses(net, 'device')).toEqual(['IKE_PHASE1_FAILED NO_PROPOSAL_CHOSEN']);
    expect(net.outputs('azure', 'status')[0]!.detail).toBe('we accept aes256-3des-sha1-modp1024, the peer offered aes128-sha256-modp2048');
    const control = negotiate(worldWith(ROUTE_BASED, []), 'device');
    control.run(60);
    expect(statuses(control, 'azure')).toEqual(['IPSEC_SESSION_ESTABLISHED']);
  });

  it('IKEv2 pfsGroup 2 with a shorter child lifetime: the device rekeys first with a MODP_1024 KE, which azure-2016-late accepts', () => {
    const net = negotiate(worldWith(ROUTE_BASED, ['pfsGroup: 2', 'childLifetime: 1800'], 'azure-2016-late'), 'device');
    net.run(1300);
    const rekey = net.sent().filter((t) => t.summary.startsWith('CREATE_CHILD_SA'));
    expect(rekey.map((t) => `${t.time.toFixed(2)} ${t.from} ${t.summary}`)).toEqual([
      '1260.04 device CREATE_CHILD_SA request 2 [ N(REKEY_SA) SA No KE TSi TSr ]', // 1800 s - strongSwan's 540 s margin
      '1260.05 azure CREATE_CHILD_SA response 2 [ SA No KE TSi TSr ]',
    ]);
    expect(net.logs('azure')).toContain('selected proposal: ESP:AES_CBC_128/HMAC_SHA1_96/MODP_1024/NO_EXT_SEQ');
    expect(statuses(net, 'device')).toEqual(['IPSEC_SESSION_ESTABLISHED']);
    expect(net.outputs('device', 'child-up')).toHaveLength(2);
  });

  it('IKEv2 pfsGroup 2 under azure-2016-02 (Azure answers with PFS group 1 only): traffic flows, then the first rekey is PFS_MISMATCH', () => {
    const net = negotiate(worldWith(ROUTE_BASED, ['pfsGroup: 2', 'childLifetime: 1800']), 'device');
    net.run(1259);
    expect(statuses(net, 'device')).toEqual(['IPSEC_SESSION_ESTABLISHED']);
    const a = net.outputs('azure', 'child-up')[0]!.child;
    const d = net.outputs('device', 'child-up')[0]!.child;
    const deviceAddr = sidesOf(worldWith(ROUTE_BASED, []), 'device').device.local;
    const azureAddr = sidesOf(worldWith(ROUTE_BASED, []), 'device').azure.local;
    expect(espRoundTrip(d, deviceAddr, a, azureAddr)).toEqual({ ok: true, same: true });
    net.run(1300);
    expect(statuses(net, 'azure')).toEqual(['IPSEC_SESSION_ESTABLISHED', 'PFS_MISMATCH NO_PROPOSAL_CHOSEN']);
    expect(statuses(net, 'device')).toEqual(['IPSEC_SESSION_ESTABLISHED', 'PFS_MISMATCH NO_PROPOSAL_CHOSEN']);
    expect(net.logs('device')).toContain('CHILD_SA rekeying failed, trying again in 15 seconds');
  });

  it('IKEv1 pfsGroup 2 against a policy-based gateway without PFS: Quick Mode carries a KE and is refused, IPSEC_PHASE2_FAILED', () => {
    const world = worldWith(POLICY_BASED, ['pfsGroup: 2']);
    const net = negotiate(world, 'device');
    net.call('device', (e, now) => e.acquire(e.config.selectors[0]!, now));
    net.run(60);
    expect(net.sent().filter((t) => !t.summary.startsWith('ID_PROT')).map((t) => `${t.from} ${t.summary.replace(/ \d+ /, ' N ')}`)).toEqual([
      'device QUICK_MODE request N [ HASH SA No KE ID ID ]',
      'azure INFORMATIONAL_V1 request N [ HASH N(NO_PROP) ]',
    ]);
    expect(statuses(net, 'azure')).toEqual(['IPSEC_PHASE2_FAILED NO_PROPOSAL_CHOSEN']);
    expect(statuses(net, 'device')).toEqual(['IPSEC_PHASE2_FAILED NO_PROPOSAL_CHOSEN']);
  });

  it('IKEv1 device proxy IDs narrower than Azure\'s pair: Azure, the initiator, gets the narrowed pair', () => {
    const net = negotiate(worldWith(POLICY_BASED, ['selectors: [{ local: 192.168.1.0/24, remote: 10.1.0.0/16 }]']), 'azure');
    net.call('azure', (e, now) => e.acquire(e.config.selectors[0]!, now));
    net.run(60);
    expect(net.outputs('azure', 'status').map((s) => s.detail)).toEqual([
      'CHILD_SA gw1-hq{1} up: 10.1.0.0/16 === 192.168.1.0/24 (narrowed from 10.1.0.0/16 === 192.168.0.0/16) with ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ',
    ]);
  });

  it('initiate: false: the World says so, the device does not start even when asked to, and nothing is sent', () => {
    const world = worldWith(ROUTE_BASED, ['initiate: false']);
    expect(world.sites[0]!.device.ike?.initiate).toBe(false);
    const net = negotiate(world, 'device');
    net.run(60);
    expect(net.sent()).toEqual([]);
    const control = negotiate(world, 'azure');
    control.run(60);
    expect(statuses(control, 'device')).toEqual(['IPSEC_SESSION_ESTABLISHED']);
  });
});
