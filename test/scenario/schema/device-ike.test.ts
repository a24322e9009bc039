/**
 * A site device's `ike:` block as the scenario reads it (sim/scenario/schema/device-ike.ts):
 * every key accepted in each of its spellings and read into typed values (proposals by
 * sim/ike/proposals.ts, groups from the DH table, durations in seconds, identities by
 * kind); each bad value refused as SCHEMA at its line and column with the message that
 * says what to write; the JSON Schema lists the block; and `vgw validate` exits 2 on one.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineColumn } from '../../support/line-column.js';
import { formatIkeProposal } from '../../../sim/ike/proposals.js';
import { scenarioJsonSchema } from '../../../sim/scenario/schema/index.js';
import type { DeviceIkeSettings } from '../../../sim/scenario/types.js';
import { validateScenarioText } from '../../../sim/scenario/validate.js';
import { formatIPv4 } from '../../../sim/net/ipv4.js';
import { runCli } from '../../support/run-cli.js';

/** A route-based scenario whose device gets `ike` (lines indented under `ike:`). */
function scenarioWith(ike: readonly string[]): string {
  return [
    'name: device ike',
    'vnets:',
    '  - name: vnet1',
    '    addressSpace: [10.1.0.0/16]',
    '    subnets:',
    '      - { name: apps, prefix: 10.1.0.0/24 }',
    '      - { name: GatewaySubnet, prefix: 10.1.255.0/27 }',
    'gateways:',
    '  - { name: gw1, vnet: vnet1, vpnType: RouteBased, sku: Standard, publicIp: 203.0.113.10 }',
    'sites:',
    '  - name: hq',
    '    gatewayIp: 198.51.100.1',
    '    addressPrefixes: [192.168.0.0/16]',
    '    device:',
    '      vpnType: RouteBased',
    '      ike:',
    ...ike.map((l) => `        ${l}`),
    'connections:',
    '  - { name: gw1-hq, type: IPsec, gateway: gw1, site: hq, sharedKey: "s3cret" }',
  ].join('\n') + '\n';
}

const at = lineColumn;

/** 1-based line:column of `needle` inside the ike line `line` of `text`. */
function atIn(text: string, line: string, needle: string): string {
  const start = text.indexOf(`        ${line}\n`);
  const k = line.indexOf(needle);
  if (start < 0 || k < 0) throw new Error(`fixture: "${needle}" not in "${line}"`);
  const before = text.slice(0, start);
  return `${before.split('\n').length}:${8 + k + 1}`;
}

function settings(ike: readonly string[]): DeviceIkeSettings {
  const v = validateScenarioText(scenarioWith(ike), 'ike.yaml');
  if (!v.scenario) throw new Error(v.diagnostics.map((d) => d.message).join('; '));
  const s = v.scenario.sites[0]!.device!.ike;
  if (!s) throw new Error('no ike settings');
  return s;
}

/** Every diagnostic of a scenario whose ike block is `ike`, as "line:column CODE message". */
function problems(ike: readonly string[]): string[] {
  const v = validateScenarioText(scenarioWith(ike), 'ike.yaml');
  expect(v.scenario).toBeUndefined();
  return v.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);
}

const OWNER = 'IKE settings of device of site "hq"';

describe('device ike: what a good block reads as', () => {
  it('every key, read into typed values', () => {
    const s = settings([
      'version: 2',
      'ikeProposals: [aes128-sha256-modp2048, aes256-sha1-modp1024]',
      'espProposals: [aes256-sha1, aes128gcm16-modp2048]',
      'dhGroup: 14',
      'pfsGroup: 2',
      'ikeLifetime: 8h',
      'childLifetime: 3600',
      'childLifeKilobytes: 102400000',
      'dpd: 30s',
      'identity: vpn.example.com',
      'initiate: false',
      'selectors:',
      '  - { local: 192.168.0.0/16, remote: 10.1.0.0/16 }',
      '  - { local: 192.168.1.0/24, remote: 10.1.0.0/24 }',
    ]);
    expect(s.path).toBe('sites[0].device.ike');
    expect(s.version).toBe(2);
    expect(s.ikeProposals?.map((p) => [p.text, formatIkeProposal(p.value)])).toEqual([
      ['aes128-sha256-modp2048', 'IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048'],
      ['aes256-sha1-modp1024', 'IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024'],
    ]);
    expect(s.espProposals?.map((p) => [p.text, p.value.encryptions.map((e) => e.name), p.value.integrities.map((i) => i.name), p.value.dhGroups.map((g) => g.id)])).toEqual([
      ['aes256-sha1', ['aes256-cbc'], ['hmac-sha1-96'], []],
      ['aes128gcm16-modp2048', ['aes128-gcm16'], [], [14]],
    ]);
    expect([s.dhGroup?.id, s.pfsGroup !== 'none' && s.pfsGroup?.id]).toEqual([14, 2]);
    expect([s.ikeLifetime, s.childLifetime, s.childLifeKilobytes, s.dpd]).toEqual([28_800, 3_600, 102_400_000, 30]);
    expect(s.identity).toEqual({ type: 'fqdn', name: 'vpn.example.com' });
    expect(s.initiate).toBe(false);
    expect(s.selectors?.map((p) => `${p.local.text} === ${p.remote.text}`)).toEqual(['192.168.0.0/16 === 10.1.0.0/16', '192.168.1.0/24 === 10.1.0.0/24']);
  });

  it('the other spellings: IKEv1/IKEv2, pfsGroup none, dpd off, an IPv4 identity; absent keys stay absent', () => {
    const one = settings(['version: IKEv1', 'pfsGroup: none', 'dpd: off', 'identity: 203.0.113.99']);
    expect([one.version, one.pfsGroup, one.dpd]).toEqual([1, 'none', 'off']);
    expect(one.identity?.type === 'ipv4' && formatIPv4(one.identity.addr)).toBe('203.0.113.99');
    expect(Object.keys(one).sort()).toEqual(['dpd', 'identity', 'path', 'pfsGroup', 'version']);
    expect(settings(['version: IKEv2']).version).toBe(2);
    // An AEAD ESP proposal is fine with IKEv1: Quick Mode negotiates AES-GCM ESP (RFC 4106 §8.1).
    expect(settings(['version: 1', 'espProposals: [aes256gcm16]']).espProposals?.[0]?.value.encryptions[0]?.mode).toBe('gcm');
  });
});

describe('device ike: each bad value, at its line and column', () => {
  const cases: ReadonlyArray<readonly [string, string, string, string]> = [
    ['an unknown key, with a suggestion', 'initiat: true', 'initiat', `unknown key "initiat" in ${OWNER}; did you mean "initiate"?`],
    ['an unknown key, far from any', 'colour: blue', 'colour', `unknown key "colour" in ${OWNER}; allowed keys: version, ikeProposals, espProposals, dhGroup, pfsGroup, ikeLifetime, childLifetime, childLifeKilobytes, dpd, identity, initiate, selectors`],
    ['version 3', 'version: 3', '3', `"version" in ${OWNER} must be 1 or 2 (or IKEv1, IKEv2); got 3`],
    ['version ikev2, a near miss', 'version: ikev2', 'ikev2', `"version" in ${OWNER} must be 1 or 2 (or IKEv1, IKEv2); got "ikev2"; did you mean "IKEv2"?`],
    ['an IKE proposal with an unknown keyword (proposals.ts\'s message)', 'ikeProposals: [aes256-sha1-modp1025]', 'aes256-sha1-modp1025',
      `"ikeProposals[0]" in ${OWNER}: unknown algorithm 'modp1025' in IKE proposal 'aes256-sha1-modp1025' (known: aes256, aes192, aes128, 3des, aes256gcm16, aes128gcm16, sha256, sha1, md5, prfsha256, prfsha1, prfmd5, modp768, modp1024, modp1536, modp2048, modp2048s256)`],
    ['an IKE proposal without a DH group', 'ikeProposals: [aes256-sha1]', 'aes256-sha1', `"ikeProposals[0]" in ${OWNER}: IKE proposal 'aes256-sha1' names no Diffie-Hellman group (e.g. modp1024)`],
    ['an ESP proposal without integrity', 'espProposals: [aes256-sha1, aes128]', 'aes128]', `"espProposals[1]" in ${OWNER}: ESP proposal 'aes128' has no integrity algorithm, which vgwsim's ESP refuses (add sha1 or md5)`],
    ['an ESP proposal given as one string, not a list', 'espProposals: aes256-sha1', 'aes256-sha1', `"espProposals" in ${OWNER} must be a list; got "aes256-sha1"; write it as a list: [aes256-sha1]`],
    ['an empty proposal list', 'ikeProposals: []', '[]', `"ikeProposals" in ${OWNER} needs at least 1 item; add one`],
    ['a DH group the table does not know', 'dhGroup: 19', '19', `"dhGroup" in ${OWNER} must be a Diffie-Hellman group number (1, 2, 5, 14 or 24); got 19; group 19 is not in vgwsim's Diffie-Hellman table (MODP groups only, sim/ike/dh-groups.ts)`],
    ['a DH group written as its keyword', 'dhGroup: modp1024', 'modp1024', `"dhGroup" in ${OWNER} must be a Diffie-Hellman group number (1, 2, 5, 14 or 24); got "modp1024"; write 2 for modp1024`],
    ['a PFS group the table does not know', 'pfsGroup: 20', '20', `"pfsGroup" in ${OWNER} must be a Diffie-Hellman group number (1, 2, 5, 14 or 24) or none; got 20; group 20 is not in vgwsim's Diffie-Hellman table (MODP groups only, sim/ike/dh-groups.ts)`],
    ['a PFS "none" misspelt', 'pfsGroup: nonee', 'nonee', `"pfsGroup" in ${OWNER} must be a Diffie-Hellman group number (1, 2, 5, 14 or 24) or none; got "nonee"; did you mean "none"?`],
    ['an IKE lifetime of 0', 'ikeLifetime: 0', '0', `"ikeLifetime" in ${OWNER} must be at least 1 second; got 0`],
    ['a negative child lifetime', 'childLifetime: -5', '-5', `"childLifetime" in ${OWNER}: expected a duration ≥ 0; got -5`],
    ['a child lifetime that is not whole seconds', 'childLifetime: 1500ms', '1500ms', `"childLifetime" in ${OWNER} must be whole seconds (IKE carries seconds); got "1500ms", which is 1.5 s`],
    ['kilobytes of 0', 'childLifeKilobytes: 0', '0', `"childLifeKilobytes" in ${OWNER} must be an integer 1-4294967295; got 0`],
    ['a DPD delay of 0', 'dpd: 0s', '0s', `"dpd" in ${OWNER} must be at least 1 second; got "0s"`],
    ['an identity that is a broken address', 'identity: 203.0.113.300', '203.0.113.300',
      `"identity" in ${OWNER} looks like an IPv4 address but is not one ("203.0.113.300" is not an IPv4 address: each of the four numbers must be 0-255, without leading zeros); an identity is an IPv4 address such as "203.0.113.10" or a host name such as "vpn.example.com"`],
    ['an identity that is no host name', 'identity: "vpn example.com"', '"vpn example.com"',
      `"identity" in ${OWNER} is neither an IPv4 address nor a host name: it has the label "vpn example", which is not letters, digits and inner hyphens of at most 63 characters; an identity is an IPv4 address such as "203.0.113.10" or a host name such as "vpn.example.com"`],
    ['an identity with an empty label', 'identity: vpn..example.com', 'vpn..example.com',
      `"identity" in ${OWNER} is neither an IPv4 address nor a host name: it has an empty label (two dots in a row, or a dot at an end); an identity is an IPv4 address such as "203.0.113.10" or a host name such as "vpn.example.com"`],
    ['initiate as text', 'initiate: "yes"', '"yes"', `"initiate" in ${OWNER} must be true or false; got "yes"`],
    ['a selector pair without its remote side', 'selectors: [{ local: 192.168.0.0/16 }]', '{ local',
      `missing required key "remote" in selector selectors[0] of ${OWNER}; add "remote: ..." (the Azure side's prefix, e.g. 10.1.0.0/16)`],
  ];
  for (const [what, line, needle, message] of cases) {
    it(what, () => {
      const text = scenarioWith([line]);
      expect(problems([line])).toEqual([`${atIn(text, line, needle)} SCHEMA ${message}`]);
    });
  }

  it('a selector prefix with host bits is INVALID_PREFIX at the prefix', () => {
    const line = 'selectors: [{ local: 192.168.1.1/16, remote: 10.1.0.0/16 }]';
    const text = scenarioWith([line]);
    const [only, ...rest] = problems([line]);
    expect(rest).toEqual([]);
    expect(only).toMatch(new RegExp(`^${at(text, '192.168.1.1/16')} INVALID_PREFIX "local" in selector selectors\\[0\\] of IKE settings`));
  });

  it('version 1 with an IKE proposal of AES-GCM ciphers only: IKEv1 has no AES-GCM phase 1 (at ikeProposals)', () => {
    const lines = ['version: 1', 'ikeProposals: [aes256-sha1-modp1024, aes256gcm16-prfsha256-modp2048]'];
    const text = scenarioWith(lines);
    expect(problems(lines)).toEqual([
      `${at(text, '[aes256-sha1-modp1024')} SCHEMA ${OWNER} says version 1, but IKE proposal 'aes256gcm16-prfsha256-modp2048' has only AES-GCM ciphers and IKEv1 has no AES-GCM phase 1; use a CBC cipher with an integrity algorithm (e.g. aes256-sha1-modp1024) or version 2`,
    ]);
    // The same proposal with version 2 is accepted.
    expect(settings(['version: 2', 'ikeProposals: [aes256gcm16-prfsha256-modp2048]']).ikeProposals).toHaveLength(1);
  });

  it('every bad key of one block is reported, each at its own line', () => {
    const lines = ['version: 3', 'dhGroup: 19', 'ikeLifetime: 0', 'identity: 1.2.3'];
    const text = scenarioWith(lines);
    expect(problems(lines).map((p) => p.split(' ')[0])).toEqual([atIn(text, lines[0]!, '3'), atIn(text, lines[1]!, '19'), atIn(text, lines[2]!, '0'), atIn(text, lines[3]!, '1.2.3')]);
  });

  it('an empty device sharedKey beside an ike block is refused at validation (SHARED_KEY_INVALID)', () => {
    const text = scenarioWith(['initiate: true']).replace('      ike:\n', '      sharedKey: ""\n      ike:\n');
    const v = validateScenarioText(text, 'ike.yaml');
    expect(v.scenario).toBeUndefined();
    expect(v.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toContain(`${at(text, '""')} SHARED_KEY_INVALID`);
    expect(v.errors).toBeGreaterThan(0);
  });
});

describe('device ike: the JSON Schema and the command line', () => {
  it('the device schema lists the ike block, closed, with every key described', () => {
    const json = scenarioJsonSchema() as { properties: { sites: { anyOf: [{ items: { properties: { device: { anyOf: [{ properties: { ike: { anyOf: [Record<string, unknown>] } } }] } } } }] } } };
    const ike = json.properties.sites.anyOf[0].items.properties.device.anyOf[0].properties.ike.anyOf[0];
    expect(ike['additionalProperties']).toBe(false);
    const props = ike['properties'] as Record<string, { description: string; anyOf: [Record<string, unknown>] }>;
    expect(Object.keys(props)).toEqual(['version', 'ikeProposals', 'espProposals', 'dhGroup', 'pfsGroup', 'ikeLifetime', 'childLifetime', 'childLifeKilobytes', 'dpd', 'identity', 'initiate', 'selectors']);
    expect(props['dhGroup']!.anyOf[0]).toEqual({ enum: [1, 2, 5, 14, 24] });
    expect(props['pfsGroup']!.anyOf[0]).toEqual({ enum: [1, 2, 5, 14, 24, 'none'] });
    expect(props['version']!.anyOf[0]).toEqual({ enum: [1, 2, 'IKEv1', 'IKEv2'] });
  });

  it('vgw validate prints the diagnostic with file, line and column and exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vgw-device-ike-'));
    const file = join(dir, 'bad-ike.yaml');
    const text = scenarioWith(['dhGroup: 19']);
    writeFileSync(file, text);
    const r = runCli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain(`${file}:${atIn(text, 'dhGroup: 19', '19')} SCHEMA`);
    expect(r.stdout + r.stderr).toContain('"dhGroup" in IKE settings of device of site "hq" must be a Diffie-Hellman group number');
  });
});
