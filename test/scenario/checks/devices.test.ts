/**
 * checkScenario: the on-premises device side: VPN type, shared keys (never shown), access
 * lists (syntax as SCHEMA with the column inside the line, shadowed entries, the mirror of
 * a policy-based gateway's selectors). A failing case and a passing near miss per code.
 */
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../../sim/scenario/checks/index.js';
import type { Scenario } from '../../../sim/scenario/types.js';
import { buildScenario, policyBased, posAt, routeBased } from '../../support/build-scenario.js';
import type { ScenarioIn } from '../../support/build-scenario.js';
import { codes, diagAt, build as buildWith } from '../../support/check-helpers.js';

/** Device checks start from the policy-based fixture. */
const build = (f: (x: ScenarioIn) => void, base: () => ScenarioIn = policyBased): Scenario => buildWith(f, base);

describe('DEVICE_VPN_TYPE_MISMATCH', () => {
  it('route-based device on a policy-based gateway (warning)', () => {
    const s = build((x) => (x.sites![0]!.device!.vpnType = 'RouteBased'));
    const d = diagAt(s, 'DEVICE_VPN_TYPE_MISMATCH', 'sites[0].device.vpnType', 'warning');
    expect(d.message).toMatch(/the device of site "hq" is route-based \(IKEv2\) but gateway "gw1" \(policy-based Basic\) is policy-based \(IKEv1\)/);
    expect(d.message).toMatch(/IKE on connection "gw1-hq" cannot agree: the IKEv1 side's requests go unanswered by the IKEv2 side/);
    expect(d.message).toMatch(/set the device's vpnType to PolicyBased/);
  });
  it('policy-based device on a route-based gateway', () => {
    const s = build((x) => (x.sites![1]!.device!.vpnType = 'PolicyBased'), routeBased);
    const d = diagAt(s, 'DEVICE_VPN_TYPE_MISMATCH', 'sites[1].device.vpnType', 'warning');
    expect(d.message).toMatch(/the IKEv2 side's requests go unanswered by the IKEv1 side until it gives up \(MISSING_END_POINT\)/);
  });
  it('near miss: matching types; a site without a device', () => {
    expect(codes(buildScenario(policyBased()))).toEqual([]);
    expect(codes(build((x) => delete x.sites![0]!.device))).toEqual([]);
  });
});

describe('SHARED_KEY_MISMATCH', () => {
  it('device key differs from the connection key (warning, keys never shown)', () => {
    const s = build((x) => (x.sites![0]!.device!.sharedKey = 'otherkey'));
    const d = diagAt(s, 'SHARED_KEY_MISMATCH', 'sites[0].device.sharedKey', 'warning');
    expect(d.message).toMatch(/site "hq"/);
    expect(d.message).toMatch(/connection "gw1-hq"/);
    expect(d.message).toMatch(/\*\*\*/);
    expect(d.message).toMatch(/tunnel stays down/);
    expect(d.message).not.toContain('otherkey');
    expect(d.message).not.toContain('s3cret');
  });
  it('a VNet-to-VNet pair whose two directions have different keys', () => {
    const s = build((x) => (x.connections![3]!.sharedKey = 'v2vother'), routeBased);
    const d = diagAt(s, 'SHARED_KEY_MISMATCH', 'connections[3].sharedKey', 'warning');
    expect(d.message).toMatch(/connections "gw1-gw2" and "gw2-gw1" are the two directions/);
    expect(d.message).not.toContain('v2v');
  });
  it('near miss: equal keys; no device key (the connection key is used); one-direction VNet-to-VNet', () => {
    expect(codes(build((x) => (x.sites![0]!.device!.sharedKey = 's3cret')))).toEqual([]);
    expect(codes(buildScenario(routeBased()))).toEqual([]);
    expect(codes(build((x) => x.connections!.splice(3, 1), routeBased))).toEqual([]);
  });
  it('no message of any check contains a shared key', () => {
    const s = build((x) => {
      x.sites![0]!.device!.sharedKey = 'TOPSECRET1';
      x.connections![0]!.sharedKey = 'TOPSECRET2';
      x.connections!.push({ name: 'dup', type: 'IPsec', gateway: 'gw1', site: 'hq', sharedKey: 'TOPSECRET3' });
    });
    const ds = checkScenario(s);
    expect(ds.length).toBeGreaterThan(0);
    for (const d of ds) expect(d.message).not.toMatch(/TOPSECRET/);
  });
});

describe('access-list syntax (SCHEMA at the line, column inside it)', () => {
  it('an unsupported protocol points at the token', () => {
    const s = build((x) => (x.sites![0]!.device!.accessList = ['permit tcp 192.168.0.0/16 10.1.0.0/16']));
    const d = diagAt(s, 'SCHEMA', 'sites[0].device.accessList[0]');
    const line = posAt(s, 'sites[0].device.accessList[0]');
    expect(d.line).toBe(line.line);
    expect(d.column).toBe(line.column + 'permit '.length);
    expect(d.message).toMatch(/site "hq" device accessList line 1/);
    expect(d.message).toMatch(/only "ip" is supported/);
  });
  it('a bad line does not stop the other checks', () => {
    const s = build((x) => (x.sites![0]!.device!.accessList = ['permit ip 192.168.0.0/16 10.1.0.0/16', 'permt ip any any']));
    const got = codes(s);
    expect(got).toEqual(['SCHEMA@sites[0].device.accessList[1]']);
  });
  it('near miss: host, any and wildcard forms parse', () => {
    const s = build(
      (x) =>
        (x.sites![0]!.device!.accessList = ['deny ip host 192.168.9.9 any', 'permit ip 192.168.0.0 0.0.255.255 10.1.0.0 0.0.255.255']),
    );
    expect(codes(s)).toEqual([]);
  });
});

describe('ACL_SHADOWED', () => {
  it('an entry covered by an earlier one (warning at that line)', () => {
    const s = build(
      (x) => (x.sites![0]!.device!.accessList = ['permit ip 192.168.0.0/16 10.1.0.0/16', 'deny ip 192.168.1.0/24 10.1.0.0/16']),
    );
    const d = diagAt(s, 'ACL_SHADOWED', 'sites[0].device.accessList[1]', 'warning');
    expect(d.message).toMatch(/site "hq" device accessList line 2 \("deny ip 192\.168\.1\.0\/24 10\.1\.0\.0\/16"\) can never match/);
    expect(d.message).toMatch(/line 1 \("permit ip 192\.168\.0\.0\/16 10\.1\.0\.0\/16"\) covers it/);
    expect(d.message).toMatch(/remove it or move it above/);
  });
  it('covered by several earlier entries together; line numbers skip nothing after a bad line', () => {
    const s = build(
      (x) =>
        (x.sites![0]!.device!.accessList = [
          'bogus',
          'permit ip 192.168.0.0/17 10.1.0.0/16',
          'permit ip 192.168.128.0/17 10.1.0.0/16',
          'deny ip 192.168.0.0/16 10.1.0.0/16',
        ]),
    );
    const d = diagAt(s, 'ACL_SHADOWED', 'sites[0].device.accessList[3]', 'warning');
    expect(d.message).toMatch(/line 4/);
    expect(d.message).toMatch(/line 2 .* and line 3 .* cover it/);
  });
  it('near miss: the narrower entry first', () => {
    const s = build(
      (x) => (x.sites![0]!.device!.accessList = ['deny ip 192.168.1.0/24 10.1.0.0/16', 'permit ip 192.168.0.0/16 10.1.0.0/16']),
    );
    expect(codes(s)).toEqual([]);
  });
});

describe('SELECTOR_MISMATCH', () => {
  it('missing and extra pairs are named (warning)', () => {
    const s = build((x) => (x.sites![0]!.device!.accessList = ['permit ip 192.168.0.0/16 10.1.0.0/24']));
    const d = diagAt(s, 'SELECTOR_MISMATCH', 'sites[0].device.accessList', 'warning');
    expect(d.message).toMatch(/site "hq"'s device is not the mirror of policy-based gateway "gw1"/);
    expect(d.message).toContain('missing "permit ip 192.168.0.0/16 10.1.0.0/16"');
    expect(d.message).toContain('extra "permit ip 192.168.0.0/16 10.1.0.0/24"');
  });
  it('every VNet prefix x every site prefix is needed', () => {
    const s = build((x) => {
      x.vnets![0]!.addressSpace.push('10.5.0.0/16');
      x.sites![0]!.addressPrefixes.push('172.20.0.0/16');
    });
    const d = diagAt(s, 'SELECTOR_MISMATCH', 'sites[0].device.accessList', 'warning');
    for (const pair of ['192.168.0.0/16 10.5.0.0/16', '172.20.0.0/16 10.1.0.0/16', '172.20.0.0/16 10.5.0.0/16']) {
      expect(d.message).toContain(`"permit ip ${pair}"`);
    }
    expect(d.message).not.toContain('"permit ip 192.168.0.0/16 10.1.0.0/16"');
    expect(d.message).not.toMatch(/extra/);
  });
  it('entries written from the Azure side are called out', () => {
    const s = build((x) => (x.sites![0]!.device!.accessList = ['permit ip 10.1.0.0/16 192.168.0.0/16']));
    const d = diagAt(s, 'SELECTOR_MISMATCH', 'sites[0].device.accessList', 'warning');
    expect(d.message).toMatch(/written from the Azure side/);
  });
  it('near miss: the exact mirror in another order with deny entries; route-based gateways are not compared', () => {
    const s = build((x) => {
      x.vnets![0]!.addressSpace.push('10.5.0.0/16');
      x.sites![0]!.device!.accessList = ['deny ip host 192.168.7.7 any', 'permit ip 192.168.0.0/16 10.5.0.0/16', 'permit ip 192.168.0.0/16 10.1.0.0/16'];
    });
    expect(codes(s)).toEqual([]);
    const rb = build((x) => (x.sites![0]!.device!.accessList = ['permit ip 192.168.0.0/16 10.1.0.0/24']), routeBased);
    expect(codes(rb)).toEqual([]);
    // absent accessList: the device mirrors the Azure side
    expect(codes(build((x) => delete x.sites![0]!.device!.accessList))).toEqual([]);
  });
});
