import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runScenario, validateScenarioText } from '../../../sim/index.js';
import type { DeviceVendor } from '../../../sim/index.js';
import { fixture, imported, scenario } from './device-support.js';

/** Imports a fixture into a scenario; the merged text, its validation and its run. */
function merged(config: string, vendor: DeviceVendor, scenarioName: string, site?: string, secrets?: string) {
  const s = scenario(scenarioName);
  const r = imported(fixture(config), vendor, { scenario: s, ...(site ? { site } : {}), ...(secrets ? { secrets: fixture(secrets) } : {}) });
  expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  expect(r.output).toBeDefined();
  const v = validateScenarioText(r.output!, scenarioName);
  expect(v.errors).toBe(0);
  return { s, r, v, run: runScenario(v.scenario!) };
}

/** The original text with the device block of the site whose `name:` line is `nameLine` cut out. */
function outsideDevice(text: string, nameLine: string): [string, string] {
  const site = text.indexOf(nameLine);
  const start = text.indexOf('    device:', site);
  const next = text.slice(start + 1).search(/\n    [a-z]/);
  return [text.slice(0, start), text.slice(start + 1 + next + 1)];
}

describe('vgw import device, merged into a scenario', () => {
  const cases: [string, DeviceVendor, string, string?, string?][] = [
    ['ios-policy-based.cfg', 'cisco-ios', 's2s-policy-based.yaml'],
    ['asa-policy-based.cfg', 'cisco-asa', 's2s-policy-based.yaml'],
    ['asa-guide-flat.cfg', 'cisco-asa', 's2s-policy-based.yaml'],
    ['ipsec.conf', 'strongswan', 's2s-policy-based.yaml', undefined, 'ipsec.secrets'],
    ['ios-route-based.cfg', 'cisco-ios', 's2s-route-based-multisite.yaml', 'hq'],
    ['swanctl.conf', 'strongswan', 's2s-route-based-multisite.yaml', 'hq'],
    ['asa-route-based.cfg', 'cisco-asa', 's2s-route-based-multisite.yaml', 'hq'],
  ];
  for (const [config, vendor, scen, site, secrets] of cases) {
    it(`${config} into ${scen}: the rest of the file is kept byte for byte, it validates, and the tunnel comes up`, () => {
      const { s, r, run } = merged(config, vendor, scen, site, secrets);
      const [before, after] = outsideDevice(s.text, site === 'hq' ? '  - name: hq ' : '  - name: hq\n');
      expect(r.output!.startsWith(before)).toBe(true);
      expect(r.output!.endsWith(after)).toBe(true);
      expect(r.output!.slice(before.length)).toMatch(new RegExp(`^    device:  # vgw import device ${config.replace('.', '\\.')} --vendor ${vendor}`));
      const conn = run.ike.find((c) => c.connection === (site === 'hq' ? 'to-hq' : 'gw1-hq'))!;
      expect(conn.status).toBe('IPSEC_SESSION_ESTABLISHED');
      expect(conn.peerStatus).toBe('IPSEC_SESSION_ESTABLISHED');
      expect(run.failed).toBe(0);
    });
  }

  it('a device whose IKE policy Azure does not offer: the run reports the negotiation failure', () => {
    const { run } = merged('ios-policy-based-group14.cfg', 'cisco-ios', 's2s-policy-based.yaml');
    const conn = run.ike[0]!;
    expect(conn.status).toBe('IKE_PHASE1_FAILED');
    expect(conn.notify).toBe('NO_PROPOSAL_CHOSEN');
    expect(conn.detail).toContain('MODP_2048');
    expect(run.flows.find((f) => f.id === 'ping')!.dropReasons).toEqual({ 'tunnel-down': 3 });
  });

  it('an IKEv1 VTI against a route-based gateway (IKEv2 in 2016): the gateway gets no answer and the traffic is dropped tunnel-down', () => {
    const { run } = merged('ios-route-based-ikev1.cfg', 'cisco-ios', 's2s-route-based-multisite.yaml', 'hq');
    const conn = run.ike.find((c) => c.connection === 'to-hq')!;
    expect(conn.version).toBe(2);
    expect(conn.status).not.toBe('IPSEC_SESSION_ESTABLISHED');
    expect(run.flows.find((f) => f.id === 'to-hq')!.dropReasons).toEqual({ 'tunnel-down': 3 });
  });

  it('a diagnostic about the imported device points at the configuration line', () => {
    const cfg = fixture('ios-policy-based.cfg');
    const r = imported({ file: 'branch.cfg', text: cfg.text.replace('crypto isakmp key s3cret', 'crypto isakmp key other') }, 'cisco-ios', { scenario: scenario('s2s-policy-based.yaml') });
    const d = r.diagnostics.find((x) => x.code === 'SHARED_KEY_MISMATCH')!;
    expect([d.file, d.line, d.column]).toEqual(['branch.cfg', 20, 19]);
    expect(d.message).toContain('(imported from crypto isakmp key ***** address 203.0.113.10)');
    expect(d.message).not.toContain('other');
  });

  it('adds a device to a site that has none, picks the peer by the gateway the site connects to, and names an address that disagrees', () => {
    const s = scenario('s2s-policy-based.yaml');
    const bare = { file: s.file, text: s.text.replace(/    device:\n(      .*\n|        .*\n)*/, '') };
    const two = fixture('ios-policy-based.cfg').text + '\ncrypto map azure-crypto-map 20 ipsec-isakmp\n set peer 203.0.113.99\n set transform-set azure-ipsec-proposal-set\n match address 101\n';
    const r = imported({ file: 'two.cfg', text: two.replace('ip address 198.51.100.1', 'ip address 198.51.100.9') }, 'cisco-ios', { scenario: bare });
    expect(r.tunnel?.peer).toBe('203.0.113.10');
    const v = validateScenarioText(r.output!, 'out.yaml');
    expect(v.errors).toBe(0);
    expect(v.scenario!.sites[0]!.device?.accessList?.map((l) => l.text)).toEqual(['permit ip 192.168.0.0/16 10.1.0.0/16']);
    expect(r.output).toContain('      - { name: pc1, ip: 192.168.1.10 }\n    device:  # vgw import device two.cfg');
    const mismatch = r.findings.find((f) => f.code === 'SCENARIO_MISMATCH')!;
    expect(mismatch.message).toContain("the device's own address here is 198.51.100.9, but site hq's gatewayIp is 198.51.100.1");
  });

  it('an unknown site is refused with the sites the scenario has, and so is a JSON scenario', () => {
    const r = imported(fixture('ios-route-based.cfg'), 'cisco-ios', { scenario: scenario('s2s-route-based-multisite.yaml'), site: 'nowhere' });
    expect(r.output).toBeUndefined();
    expect(r.findings.find((f) => f.severity === 'error')!.message).toBe('the scenario has no site "nowhere" (sites: hq, branch-a, branch-b)');
    const none = imported(fixture('ios-route-based.cfg'), 'cisco-ios', { scenario: scenario('s2s-route-based-multisite.yaml') });
    expect(none.findings.find((f) => f.severity === 'error')!.message).toContain('say which with --site NAME');
    const json = imported(fixture('ios-policy-based.cfg'), 'cisco-ios', { scenario: { file: 'pb.json', text: JSON.stringify(parse(scenario('s2s-policy-based.yaml').text)) } });
    expect(json.findings.find((f) => f.severity === 'error')).toMatchObject({ code: 'SCENARIO_SITE', file: 'pb.json' });
  });

  it('a site written in flow style becomes a block mapping with its values as written, and the device goes under it', () => {
    const s = scenario('s2s-policy-based.yaml');
    const flow = s.text.replace(/  - name: hq\n[\s\S]*?(?=\nconnections:)/, '  - { name: hq, gatewayIp: 198.51.100.1, addressPrefixes: [192.168.0.0/16], hosts: [{ name: pc1, ip: 192.168.1.10 }] }\n');
    expect(flow).not.toBe(s.text);
    const r = imported(fixture('ios-policy-based.cfg'), 'cisco-ios', { scenario: { file: 'flow.yaml', text: flow } });
    expect(r.output).toContain('  - name: hq\n    gatewayIp: 198.51.100.1\n    addressPrefixes: [192.168.0.0/16]\n    hosts: [{ name: pc1, ip: 192.168.1.10 }]\n    device:  # vgw import device');
    const v = validateScenarioText(r.output!, 'flow.yaml');
    expect(v.errors).toBe(0);
    expect(runScenario(v.scenario!).failed).toBe(0);
  });

  it('the same import twice gives the same bytes', () => {
    const a = imported(fixture('asa-policy-based.cfg'), 'cisco-asa', { scenario: scenario('s2s-policy-based.yaml') }).output;
    const b = imported(fixture('asa-policy-based.cfg'), 'cisco-asa', { scenario: scenario('s2s-policy-based.yaml') }).output;
    expect(a).toBe(b);
  });
});
