/**
 * diffScenarios on pairs of scenarios that differ by one edit (test/fixtures/diff/): the
 * flows that changed, their first differing hop, the packet counts, the IKE statuses and
 * the configuration change found responsible; identical scenarios give no difference.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CRYPTO, diffLines, diffScenarios, validateScenarioFile, validateScenarioText } from '../../../sim/index.js';
import type { Scenario, ScenarioDiff } from '../../../sim/index.js';

const DIR = 'test/fixtures/diff';

function load(file: string): Scenario {
  const v = validateScenarioFile(file);
  expect(v.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return v.scenario!;
}

function fromText(text: string, file: string): Scenario {
  const v = validateScenarioText(text, file);
  expect(v.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return v.scenario!;
}

function diff(a: string, b: string): ScenarioDiff {
  return diffScenarios(load(join(DIR, a)), load(join(DIR, b)), { crypto: DEFAULT_CRYPTO });
}

function flow(d: ScenarioDiff, id: string) {
  const f = d.flows.find((x) => x.id === id);
  expect(f, `flow ${id} in the diff`).toBeDefined();
  return f!;
}

describe('no difference', () => {
  it('a scenario against itself', () => {
    const d = diff('policy-base.yaml', 'policy-base.yaml');
    expect(d.differs).toBe(false);
    expect(d.flows).toEqual([]);
    expect(d.ike).toEqual([]);
    expect(d.config).toEqual([]);
    expect(d.unchanged).toEqual(['ping', 'web', 'lost']);
  });

  it('an edit of comments and blank lines only', () => {
    const d = diff('policy-base.yaml', 'policy-comments-only.yaml');
    expect(d.differs).toBe(false);
  });

  it.each(readdirSync('scenarios').filter((f) => f.endsWith('.yaml')))('example %s against itself', (f) => {
    const s = load(join('scenarios', f));
    const d = diffScenarios(s, s, { crypto: DEFAULT_CRYPTO, traceLimit: 20 });
    expect(d.differs).toBe(false);
    expect(d.unchanged.length).toBe(s.traffic.length);
  });

  it('another seed changes no hop: the seed is the only change', () => {
    const s = load(join(DIR, 'policy-base.yaml'));
    const d = diffScenarios(s, { ...s, seed: 99 }, { crypto: DEFAULT_CRYPTO });
    expect(d.flows).toEqual([]);
    expect(d.config.map((c) => [c.kind, c.field, c.before, c.after])).toEqual([['scenario', 'seed', '1', '99']]);
  });

  it('--seed runs both with one seed', () => {
    const s = load(join(DIR, 'policy-base.yaml'));
    const d = diffScenarios(s, s, { crypto: DEFAULT_CRYPTO, seed: 5 });
    expect([d.a.seed, d.b.seed]).toEqual([5, 5]);
    expect(d.differs).toBe(false);
  });
});

describe('an access-list entry removed', () => {
  const d = diff('policy-base.yaml', 'policy-acl-entry-removed.yaml');

  it('the flow it carried now leaves in clear; the others are unchanged', () => {
    expect(d.flows.map((f) => f.id)).toEqual(['web']);
    expect(d.unchanged).toEqual(['ping', 'lost']);
    const f = flow(d, 'web');
    expect(f.before).toBe('delivered via gw1-hq');
    expect(f.after).toBe('to the internet');
    expect(f.counts).toEqual([{ outcome: 'delivered', before: 5, after: 0 }, { outcome: 'internet', before: 0, after: 5 }]);
  });

  it('the first differing hop is the device\'s classification', () => {
    const f = flow(d, 'web');
    expect(f.first?.packet).toBe(1);
    expect(f.first?.hop).toBe(3);
    expect(f.first?.before.hops[0]).toMatchObject({ node: 'hq/device', stage: 'classify', decision: expect.stringMatching(/^access list entry 2: permit ip 192\.168\.2\.0\/24/) });
    expect(f.first?.after.hops[0]).toMatchObject({ node: 'hq/device', stage: 'classify', decision: 'no entry of the access list matches 192.168.2.10 → 10.1.0.4' });
    expect(f.first?.after.end?.type).toBe('internet');
  });

  it('the removed entry is responsible, named for the packet it covered', () => {
    const f = flow(d, 'web');
    expect(f.responsible?.change).toMatchObject({ kind: 'site', name: 'hq', field: 'device.accessList', removed: ['permit ip 192.168.2.0/24 10.1.0.0/16'] });
    expect(f.responsible?.change.file).toBe(join(DIR, 'policy-acl-entry-removed.yaml'));
    expect(f.text).toBe('flow web: delivered via gw1-hq → to the internet: site hq\'s device access list no longer covers 192.168.2.10 → 10.1.0.4 ("permit ip 192.168.2.0/24 10.1.0.0/16" removed)');
    expect(d.config).toHaveLength(1);
  });
});

describe('a shared key changed', () => {
  const d = diff('policy-base.yaml', 'policy-shared-key.yaml');

  it('the IKE status goes from established to a key mismatch on both sides', () => {
    expect(d.ike).toHaveLength(1);
    expect(d.ike[0]).toMatchObject({
      connection: 'gw1-hq', before: 'IPSEC_SESSION_ESTABLISHED', after: 'IKE_PHASE1_KEY_MISMATCH',
      peerBefore: 'IPSEC_SESSION_ESTABLISHED', peerAfter: 'IKE_PHASE1_KEY_MISMATCH',
    });
    expect(d.ike[0]!.responsible?.change).toMatchObject({ kind: 'connection', name: 'gw1-hq', field: 'sharedKey' });
  });

  it('every tunnelled flow is dropped tunnel-down, blamed on the key, with the IKE change', () => {
    expect(d.flows.map((f) => f.id)).toEqual(['ping', 'web']);
    for (const f of d.flows) {
      expect(f.counts.find((c) => c.outcome === 'dropped tunnel-down')).toEqual({ outcome: 'dropped tunnel-down', before: 0, after: f.sent.after });
      expect(f.responsible?.change.field).toBe('sharedKey');
      expect(f.text).toMatch(/connection gw1-hq's sharedKey changed; IKE on gw1-hq IPSEC_SESSION_ESTABLISHED → IKE_PHASE1_KEY_MISMATCH$/);
    }
    expect(flow(d, 'ping').text).toMatch(/^flow ping: delivered via gw1-hq → dropped tunnel-down at gw1: /);
  });

  it('never shows a key', () => {
    expect(d.config).toEqual([expect.objectContaining({ kind: 'connection', field: 'sharedKey', before: '***', after: '***' })]);
    const all = JSON.stringify(d);
    expect(all).not.toContain('s3cret');
    expect(all).not.toContain('0ther');
  });
});

describe('a route-based site prefix narrowed', () => {
  const d = diff('route-base.yaml', 'route-site-prefix-narrowed.yaml');

  it('an address no longer in the site goes to the Internet, blamed on the prefix', () => {
    const f = flow(d, 'nobody');
    expect(f.before).toBe('dropped no-host via to-hq');
    expect(f.after).toBe('to the internet');
    expect(f.first?.hop).toBe(2);
    expect(f.first?.after.hops[0]).toMatchObject({ node: 'hub/apps', stage: 'route', decision: '0.0.0.0/0 → Internet' });
    expect(f.responsible?.change).toMatchObject({ kind: 'site', name: 'hq', field: 'addressPrefixes', removed: ['192.168.0.0/16'], added: ['192.168.1.0/24'] });
    expect(f.responsible?.text).toBe('site hq\'s addressPrefixes no longer cover 192.168.200.9 (192.168.0.0/16 removed)');
  });

  it('a flow still delivered shows the new route that won', () => {
    const f = flow(d, 'to-hq');
    expect(f.before).toBe(f.after);
    expect(f.counts).toEqual([]);
    expect(f.first?.before.hops[0]?.decision).toBe('192.168.0.0/16 → VirtualNetworkGateway hub-gw');
    expect(f.first?.after.hops[0]?.decision).toBe('192.168.1.0/24 → VirtualNetworkGateway hub-gw');
    expect(d.unchanged).toEqual(['to-b', 'lpm', 'a-back', 'web']);
  });

  it('lists the warning that went with the overlap', () => {
    const [va, vb] = [validateScenarioFile(join(DIR, 'route-base.yaml')), validateScenarioFile(join(DIR, 'route-site-prefix-narrowed.yaml'))];
    const warnings = { a: va.diagnostics.filter((x) => x.severity === 'warning'), b: vb.diagnostics.filter((x) => x.severity === 'warning') };
    expect(warnings.a.length).toBeGreaterThan(0);
    const dw = diffScenarios(va.scenario!, vb.scenario!, { crypto: DEFAULT_CRYPTO, warnings });
    expect(dw.warnings.appeared).toEqual([]);
    expect(dw.warnings.gone.map((w) => w.code)).toEqual(['SITE_PREFIX_OVERLAP']);
    const back = diffScenarios(vb.scenario!, va.scenario!, { crypto: DEFAULT_CRYPTO, warnings: { a: warnings.b, b: warnings.a } });
    expect(back.warnings.appeared.map((w) => [w.code, w.file])).toEqual([['SITE_PREFIX_OVERLAP', join(DIR, 'route-base.yaml')]]);
    expect(diffLines(back).map((l) => l.text)).toContainEqual(expect.stringMatching(/^ {2}\+ test\/fixtures\/diff\/route-base\.yaml:\d+:\d+ SITE_PREFIX_OVERLAP site "branch-a"/));
  });

  it('a site added whole takes the flow its prefix covers, and is named for it', () => {
    const dd = diff('route-base.yaml', 'route-site-added.yaml');
    expect(dd.flows.map((f) => f.id)).toEqual(['nobody']);
    const f = flow(dd, 'nobody');
    expect([f.before, f.after]).toEqual(['dropped no-host via to-hq', 'delivered via to-far']);
    expect(f.responsible?.change).toMatchObject({ change: 'added', kind: 'site', name: 'far' });
    expect(f.responsible?.text).toBe('site far added, which covers 192.168.200.9 (addressPrefixes: 192.168.200.0/24)');
    expect(dd.ike).toEqual([expect.objectContaining({ connection: 'to-far', before: null, after: 'IPSEC_SESSION_ESTABLISHED' })]);
    expect(dd.config.map((c) => `${c.change} ${c.kind} ${c.name}`)).toEqual(['added site far', 'added connection to-far']);
  });

  it('the text shows the differing hops and folds the hops both paths end with', () => {
    const text = diffLines(d).map((l) => l.text);
    const at = text.findIndex((l) => l.startsWith('  flow to-hq: '));
    expect(text.slice(at + 1, at + 7)).toEqual([
      '    packet 1, from hop 2 (all 3 packets traced in both differ):',
      '      -  2  hub/apps  route     192.168.0.0/16 → VirtualNetworkGateway hub-gw',
      '      -  3  hub-gw    route     192.168.0.0/16 → tunnel to-hq',
      '      +  2  hub/apps  route     192.168.1.0/24 → VirtualNetworkGateway hub-gw',
      '      +  3  hub-gw    route     192.168.1.0/24 → tunnel to-hq',
      '      = hops 4-6 and the end the same in both',
    ]);
  });

  it('a list\'s change is placed at its first added entry', () => {
    const c = d.config[0]!;
    const lines = readFileSync(join(DIR, 'route-site-prefix-narrowed.yaml'), 'utf8').split('\n');
    expect(lines[c.line - 1]!.slice(c.column - 1)).toMatch(/^192\.168\.1\.0\/24\]/);
  });
});

describe('a SKU changed so the rate limit drops', () => {
  const d = diff('rate-base.yaml', 'rate-sku-standard.yaml');

  it('counts the packets now dropped rate-limit and blames the SKU', () => {
    expect(d.flows.length).toBeGreaterThan(0);
    let dropped = 0;
    for (const f of d.flows) {
      const c = f.counts.find((x) => x.outcome === 'dropped rate-limit');
      expect(c?.before).toBe(0);
      dropped += c?.after ?? 0;
      const delivered = f.counts.find((x) => x.outcome === 'delivered')!;
      expect(delivered.before).toBe(f.sent.before);
      expect(delivered.after + (c?.after ?? 0)).toBe(f.sent.after);
      expect(f.responsible?.change).toMatchObject({ kind: 'gateway', name: 'hub-gw', field: 'sku', before: 'HighPerformance', after: 'Standard' });
      expect(f.first?.after.end).toMatchObject({ type: 'dropped', reason: 'rate-limit', node: 'hub-gw' });
      // Every packet is traced (fewer than the trace limit): each one dropped took another path.
      expect([f.first?.packets, f.first?.traced]).toEqual([c?.after, f.sent.after]);
    }
    // 200 Mbps for 0.1 s (20 Mbit) offered to a 100 Mbps gateway whose bucket starts with 50 ms
    // of burst: about 15 Mbit pass, so about a quarter of the packets is dropped.
    const sent = 2 * 893;
    expect(dropped).toBeGreaterThan(sent * 0.2);
    expect(dropped).toBeLessThan(sent * 0.3);
  });

  it('names the SKU even beside a change that touches no drop', () => {
    const base = readFileSync(join(DIR, 'rate-base.yaml'), 'utf8');
    const edited = readFileSync(join(DIR, 'rate-sku-standard.yaml'), 'utf8').replace('gatewayIp: 198.51.100.41', 'gatewayIp: 198.51.100.49');
    const dd = diffScenarios(fromText(base, 'a.yaml'), fromText(edited, 'b.yaml'), { crypto: DEFAULT_CRYPTO });
    expect(dd.config.map((c) => c.field)).toEqual(['sku', 'gatewayIp']);
    for (const f of dd.flows) expect(f.responsible?.change.field).toBe('sku');
  });
});

describe('a user route and a device setting', () => {
  it('a list the second file no longer writes is shown where the first wrote it', () => {
    const d = diff('policy-udr-none.yaml', 'policy-base.yaml');
    const c = d.config.find((x) => x.field === 'routes')!;
    expect(c).toMatchObject({ kind: 'subnet', name: 'vnet1/frontend', removed: ['192.168.1.0/24 → None'], file: join(DIR, 'policy-udr-none.yaml') });
    expect(readFileSync(join(DIR, 'policy-udr-none.yaml'), 'utf8').split('\n')[c.line - 1]).toMatch(/192\.168\.1\.0\/24, nextHop: None/);
  });

  it('a route to None drops the flow it now covers, blamed on the subnet\'s route', () => {
    const d = diff('policy-base.yaml', 'policy-udr-none.yaml');
    expect(d.flows.map((f) => f.id)).toEqual(['ping']);
    const f = flow(d, 'ping');
    expect(f.first?.after.hops[0]).toMatchObject({ hop: 2, node: 'vnet1/frontend', stage: 'route', decision: '192.168.1.0/24 → None' });
    expect(f.text).toBe('flow ping: delivered via gw1-hq → dropped no-route at vnet1/frontend: subnet vnet1/frontend\'s routes now cover 192.168.1.10 (192.168.1.0/24 → None added)');
  });

  it('a device DH group Azure does not offer fails IKE, blamed on the device setting', () => {
    const base = readFileSync(join(DIR, 'policy-base.yaml'), 'utf8');
    const edited = base.replace('      sharedKey: "s3cret"\n      accessList:', '      sharedKey: "s3cret"\n      ike: { dhGroup: 14 }\n      accessList:');
    const d = diffScenarios(fromText(base, 'a.yaml'), fromText(edited, 'b.yaml'), { crypto: DEFAULT_CRYPTO });
    expect(d.ike).toEqual([expect.objectContaining({ connection: 'gw1-hq', before: 'IPSEC_SESSION_ESTABLISHED', after: 'IKE_PHASE1_FAILED' })]);
    expect(d.ike[0]!.responsible?.change).toMatchObject({ kind: 'site', name: 'hq', field: 'device.ike.dhGroup', after: '14' });
    for (const f of d.flows) expect(f.responsible?.change.field).toBe('device.ike.dhGroup');
  });
});

describe('expectations', () => {
  it('lists the expectations whose result changed, with the second run\'s words', () => {
    const text = readFileSync('scenarios/s2s-policy-based.yaml', 'utf8');
    const narrowed = text.replace('- permit ip 192.168.0.0/16 10.1.0.0/16', '- permit ip 192.168.0.0/24 10.1.0.0/16');
    const d = diffScenarios(fromText(text, 'a.yaml'), fromText(narrowed, 'b.yaml'), { crypto: DEFAULT_CRYPTO });
    expect(d.expectations.before).toEqual({ passed: 4, failed: 0 });
    expect(d.expectations.after).toEqual({ passed: 1, failed: 3 });
    expect(d.expectations.changed.map((r) => [r.flow, r.passed])).toEqual([['ping', false], ['web', false], ['nobody', false]]);
    expect(diffLines(d).map((l) => l.text)).toContain('expectations: 4 passed, 0 failed → 1 passed, 3 failed');
    // The gateway's pair is refused before any message: nothing was negotiated.
    expect(d.ike[0]!.text).toMatch(/^connection gw1-hq: IPSEC_SESSION_ESTABLISHED → not negotiated /);
    const back = diffScenarios(fromText(narrowed, 'b.yaml'), fromText(text, 'a.yaml'), { crypto: DEFAULT_CRYPTO });
    expect(back.expectations.changed.every((r) => r.passed)).toBe(true);
    expect(back.expectations.changed).toHaveLength(3);
  });
});

describe('flows added and removed', () => {
  it('a flow only in B is added, with its outcome', () => {
    const d = diff('policy-base.yaml', 'policy-flow-added.yaml');
    expect(d.flows).toEqual([expect.objectContaining({ id: 'ping2', change: 'added', before: null, after: 'delivered via gw1-hq', text: 'flow ping2 added: delivered via gw1-hq' })]);
    expect(d.config).toEqual([expect.objectContaining({ change: 'added', kind: 'flow', name: 'ping2' })]);
  });

  it('a flow only in A is removed, with what it was', () => {
    const d = diff('policy-flow-added.yaml', 'policy-base.yaml');
    expect(d.flows).toEqual([expect.objectContaining({ id: 'ping2', change: 'removed', before: 'delivered via gw1-hq', after: null })]);
    expect(d.config).toEqual([expect.objectContaining({ change: 'removed', kind: 'flow', name: 'ping2', file: join(DIR, 'policy-flow-added.yaml') })]);
  });
});

describe('configuration changes', () => {
  const base = readFileSync(join(DIR, 'policy-base.yaml'), 'utf8');

  it('an access list reordered is a change', () => {
    const edited = base.replace(
      '        - permit ip 192.168.1.0/24 10.1.0.0/16\n        - permit ip 192.168.2.0/24 10.1.0.0/16\n',
      '        - permit ip 192.168.2.0/24 10.1.0.0/16\n        - permit ip 192.168.1.0/24 10.1.0.0/16\n',
    );
    const d = diffScenarios(fromText(base, 'a.yaml'), fromText(edited, 'b.yaml'), { crypto: DEFAULT_CRYPTO });
    expect(d.config.map((c) => c.text)).toEqual([
      'site hq: device.accessList reordered (permit ip 192.168.1.0/24 10.1.0.0/16, permit ip 192.168.2.0/24 10.1.0.0/16 → permit ip 192.168.2.0/24 10.1.0.0/16, permit ip 192.168.1.0/24 10.1.0.0/16)',
    ]);
  });

  it('lists objects added and removed and fields changed, with their positions, even when no flow changed', () => {
    const edited = base
      .replace('    site: hq\n    sharedKey: "s3cret"\n', '    site: hq\n    sharedKey: "s3cret"\n    replayWindow: 128\n')
      .replace("      - { name: vm1, ip: 10.1.0.4 }\n", "      - { name: vm1, ip: 10.1.0.4 }\n      - { name: vm2, ip: 10.1.0.5 }\n");
    const d = diffScenarios(fromText(base, 'a.yaml'), fromText(edited, 'b.yaml'), { crypto: DEFAULT_CRYPTO });
    expect(d.flows).toEqual([]);
    expect(d.differs).toBe(true);
    expect(d.config.map((c) => c.text)).toEqual(['vnet vnet1: hosts added "vm2 10.1.0.5"', 'connection gw1-hq: replayWindow (not set) → 128']);
    const w = d.config.find((c) => c.field === 'replayWindow')!;
    expect([w.file, w.line, w.column]).toEqual(['b.yaml', edited.split('\n').findIndex((l) => l.includes('replayWindow: 128')) + 1, 19]);
  });
});
