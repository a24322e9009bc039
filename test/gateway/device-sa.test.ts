/**
 * Where a policy-based device drops: its access list against the gateway's prefix pairs.
 *
 * The gateway negotiates (IKEv1 quick mode) only its VNet × site prefix pairs; the device
 * answers each with the first entry covering it: a permit accepts the SA, a deny refuses
 * it. On the way out (RFC 4301
 * §5.1) a packet matching a permit entry uses the SA of the pair that holds it; anything
 * else the entry matches has no SA, and a quick mode for it would be refused, so the
 * device drops it there (tunnel-down at SITE/device), never the gateway after decryption.
 * SELECTOR_MISMATCH says the same thing the run does. And the gateway still enforces its
 * inbound policy when a device does put a packet into the wrong SA.
 */
import { keyedEspPlane } from '../support/keyed-plane.js';
import { describe, expect, it } from 'vitest';
import { validateScenarioText } from '../../sim/index.js';
import { PacketBatch, Outcome } from '../../sim/engine/batch.js';
import { DropCounters } from '../../sim/engine/counters.js';
import { CollectSink } from '../../sim/engine/events.js';
import type { SimEvent } from '../../sim/engine/events.js';
import { dropReasonCode } from '../../sim/engine/drop-reasons.js';
import { Forwarder } from '../../sim/gateway/pipeline.js';
import type { PipelineContext } from '../../sim/gateway/pipeline.js';
import { RunState } from '../../sim/gateway/world.js';
import type { World } from '../../sim/gateway/world.js';
import { nodeCrypto } from '../../sim/ipsec/crypto-node.js';
import { compileWorld } from '../../sim/scenario/compile/index.js';
import { parseIPv4 } from '../../sim/net/ipv4.js';
import { end, expectFlow, hops, load, simulate } from '../support/simulate.js';

/**
 * Policy-based gw1: vnet1 10.1.0.0/16 + 10.2.0.0/16 (vm1, vm2); site hq 192.168.0.0/16
 * (pc1 192.168.1.10, pc2 192.168.2.10) whose device has the access list `acl`.
 */
function scenario(acl: string[], traffic: string): string {
  return `
name: device SAs
seed: 5
vnets:
  - name: vnet1
    addressSpace: [10.1.0.0/16, 10.2.0.0/16]
    subnets:
      - { name: a, prefix: 10.1.0.0/24 }
      - { name: b, prefix: 10.2.0.0/24 }
      - { name: GatewaySubnet, prefix: 10.1.255.0/27 }
    hosts:
      - { name: vm1, ip: 10.1.0.4 }
      - { name: vm2, ip: 10.2.0.4 }
gateways:
  - { name: gw1, vnet: vnet1, type: Vpn, vpnType: PolicyBased, sku: Basic, publicIp: 203.0.113.10 }
sites:
  - name: hq
    gatewayIp: 198.51.100.1
    addressPrefixes: [192.168.0.0/16]
    device:
      vpnType: PolicyBased
      accessList:
${acl.map((l) => `        - ${l}`).join('\n')}
    hosts:
      - { name: pc1, ip: 192.168.1.10 }
      - { name: pc2, ip: 192.168.2.10 }
connections:
  - { name: gw1-hq, type: IPsec, gateway: gw1, site: hq, sharedKey: "devicesakey" }
traffic:
${traffic}
`;
}

function selectorMismatch(text: string): string {
  const d = validateScenarioText(text, 'inline.yaml').diagnostics.filter((x) => x.code === 'SELECTOR_MISMATCH');
  expect(d).toHaveLength(1);
  expect(d[0]!.severity).toBe('warning');
  return d[0]!.message;
}

/** The pairs the SELECTOR_MISMATCH message says get no SA (every "no SA for A ⇄ B, C ⇄ D (..."). */
function saidNoSa(message: string): string[] {
  return [...message.matchAll(/no SA for ([^(]+) \(/g)].flatMap((m) => m[1]!.split(', ').map((x) => x.trim()));
}

/** The pairs whose tunnels are down in a run (tunnel gw1-hq#k carries pair k: VNet prefixes outer). */
function downPairs(text: string): string[] {
  const pairOf = ['192.168.0.0/16 ⇄ 10.1.0.0/16', '192.168.0.0/16 ⇄ 10.2.0.0/16'];
  return simulate(text).r.tunnels.filter((t) => t.state === 'down').map((t) => pairOf[Number(t.name.split('#')[1]) - 1]!);
}

describe('permit ip any any on a policy-based device', () => {
  const text = scenario(['permit ip any any'], [
    '  - { id: to-vm1, from: pc1, to: vm1, proto: icmp, count: 2 }',
    '  - { id: to-vm2, from: pc2, to: vm2, proto: tcp, dport: 22, count: 2 }',
    '  - { id: to-web, from: pc1, to: 8.8.8.8, proto: udp, dport: 53, count: 3 }',
    '  - { id: to-nobody, from: pc2, to: 172.16.0.9, proto: icmp, count: 1 }',
    '  - { id: back, from: vm2, to: pc2, proto: icmp, count: 1 }',
  ].join('\n'));

  it('traffic inside a pair uses that pair\'s SA; traffic outside every pair is dropped at the device, not at gw1', () => {
    const { r, events } = simulate(text);
    expectFlow(r, 'to-vm1', { delivered: 2, dropped: 0, via: { 'gw1-hq': 2 } });
    expectFlow(r, 'to-vm2', { delivered: 2, dropped: 0, via: { 'gw1-hq': 2 } });
    expectFlow(r, 'back', { delivered: 1, dropped: 0 });
    expect(hops(events, 'to-vm1').find((h) => h.stage === 'encrypt')!.sa!.name).toBe('gw1-hq#1/in');
    expect(hops(events, 'to-vm2').find((h) => h.stage === 'encrypt')!.sa!.name).toBe('gw1-hq#2/in');
    for (const id of ['to-web', 'to-nobody']) {
      const f = r.flows.find((x) => x.id === id)!;
      expect(f, id).toMatchObject({ delivered: 0, internet: 0, dropReasons: { 'tunnel-down': f.sent }, via: {} });
      const e = end(events, id);
      expect(e).toMatchObject({ type: 'dropped', reason: 'tunnel-down', node: 'hq/device', stage: 'classify' });
      expect(e.detail).toMatch(/^no SA for 192\.168\.\d\.10 → [\d.]+ under access-list entry 1 \(permit ip any any\): gw1 negotiates only its prefix pairs; the ones inside this entry \(192\.168\.0\.0\/16 → 10\.1\.0\.0\/16, 192\.168\.0\.0\/16 → 10\.2\.0\.0\/16\) have their own SAs/);
      expect(e.detail).toMatch(/would fail \(INVALID_ID_INFORMATION\)$/);
      // Nothing was encrypted for them.
      expect(hops(events, id).some((h) => h.stage === 'encrypt')).toBe(false);
    }
    expect(r.counters['hq/device/classify/tunnel-down']).toBe(4);
    expect(r.counters['gw1/decrypt/inbound-policy']).toBeUndefined();
  });

  it('SELECTOR_MISMATCH says what the run does: both pairs get their SAs under line 1, the rest of line 1 is dropped at the device', () => {
    const m = selectorMismatch(text);
    expect(m).toContain('missing "permit ip 192.168.0.0/16 10.1.0.0/16", "permit ip 192.168.0.0/16 10.2.0.0/16"');
    expect(m).toContain('extra "permit ip 0.0.0.0/0 0.0.0.0/0"');
    expect(m).toContain('192.168.0.0/16 ⇄ 10.1.0.0/16, 192.168.0.0/16 ⇄ 10.2.0.0/16 get their SAs under line 1 ("permit ip any any") and carry their own traffic');
    expect(m).toContain('the device drops the rest of what that line matches tunnel-down');
    expect(saidNoSa(m)).toEqual([]);
    expect(m).not.toMatch(/will not get an SA/);
  });
});

describe('an entry narrower than a pair, and one written from the Azure side', () => {
  const text = scenario(['permit ip 192.168.1.0/24 10.1.0.0/16', 'permit ip 10.2.0.0/16 192.168.0.0/16'], [
    '  - { id: narrow, from: pc1, to: vm1, proto: icmp, count: 2 }',
    '  - { id: unlisted, from: pc2, to: vm1, proto: icmp, count: 1 }',
    '  - { id: out1, from: vm1, to: pc1, proto: icmp, count: 1 }',
    '  - { id: out2, from: vm2, to: pc2, proto: icmp, count: 1 }',
  ].join('\n'));

  it('no pair is covered: the gateway drops tunnel-down; the narrow entry drops at the device; unlisted traffic leaves in clear', () => {
    const { r, events } = simulate(text);
    expectFlow(r, 'narrow', { delivered: 0, dropped: 2, dropReasons: { 'tunnel-down': 2 } });
    const e = end(events, 'narrow');
    expect(e).toMatchObject({ node: 'hq/device', stage: 'classify' });
    expect(e.detail).toContain('under access-list entry 1 (permit ip 192.168.1.0/24 10.1.0.0/16)');
    expect(e.detail).toContain('this entry covers none of them, so quick mode for 192.168.1.0/24 → 10.1.0.0/16 would fail (INVALID_ID_INFORMATION)');
    expectFlow(r, 'unlisted', { delivered: 0, dropped: 0, internet: 1 });
    expect(end(events, 'unlisted')).toMatchObject({ type: 'internet', node: 'hq/device' });
    for (const id of ['out1', 'out2']) {
      expectFlow(r, id, { delivered: 0, dropped: 1, dropReasons: { 'tunnel-down': 1 } });
      expect(end(events, id).node).toBe('gw1');
    }
  });

  it('the pairs SELECTOR_MISMATCH says get no SA are exactly the pairs whose tunnels are down', () => {
    const m = selectorMismatch(text);
    const down = downPairs(text);
    expect(saidNoSa(m).sort()).toEqual(down.sort());
    expect(down).toHaveLength(2);
    expect(m).toContain('the device drops what line 1 ("permit ip 192.168.1.0/24 10.1.0.0/16") matches tunnel-down (it covers no pair');
    expect(m).toContain('the device drops what line 2 ("permit ip 10.2.0.0/16 192.168.0.0/16") matches tunnel-down');
    expect(m).toMatch(/written from the Azure side/);
  });
});

describe('first match stays exact with the pair selectors in front of an entry', () => {
  it('a deny before permit ip any any still bypasses; a pair accepted under a later entry keeps its place', () => {
    const text = scenario(['deny ip host 192.168.1.10 any', 'permit ip 192.168.0.0/16 10.1.0.0/16', 'permit ip any any'], [
      '  - { id: denied, from: pc1, to: vm1, proto: icmp, count: 1 }',
      '  - { id: exact, from: pc2, to: vm1, proto: icmp, count: 1 }',
      '  - { id: wide, from: pc2, to: vm2, proto: icmp, count: 1 }',
      '  - { id: outside, from: pc2, to: 8.8.4.4, proto: icmp, count: 1 }',
    ].join('\n'));
    const { r, events } = simulate(text);
    expectFlow(r, 'denied', { internet: 1, dropped: 0 });
    expectFlow(r, 'exact', { delivered: 1 });
    expectFlow(r, 'wide', { delivered: 1 });
    expectFlow(r, 'outside', { dropped: 1, dropReasons: { 'tunnel-down': 1 } });
    const cls = (id: string) => hops(events, id).find((h) => h.stage === 'classify')!;
    expect(cls('denied').selector).toMatchObject({ index: 1, action: 'bypass' });
    expect(cls('exact').decision).toBe('access list entry 2: permit ip 192.168.0.0/16 10.1.0.0/16 → SA gw1-hq#1/in');
    expect(cls('wide').decision).toBe('access list entry 3: permit ip any any, pair 192.168.0.0/16 → 10.2.0.0/16 → SA gw1-hq#2/in');
    expect(cls('outside').decision).toBe('access list entry 3: permit ip any any → no SA');
    const m = selectorMismatch(text);
    expect(m).toContain('192.168.0.0/16 ⇄ 10.2.0.0/16 gets its SA under line 3 ("permit ip any any") and carries its own traffic');
    expect(m).not.toContain('⇄ 10.1.0.0/16 gets');
  });
});

describe('a deny entry before the permit entry that covers a pair (first match wins, RFC 4301 §4.4.1)', () => {
  it('a deny that covers a whole pair refuses its quick mode: no SA, its packets leave the device in clear', () => {
    const text = scenario(['deny ip 192.168.0.0/16 10.2.0.0/16', 'permit ip any any'], [
      '  - { id: kept, from: pc1, to: vm1, proto: icmp, count: 1 }',
      '  - { id: bypassed, from: pc2, to: vm2, proto: icmp, count: 1 }',
      '  - { id: back, from: vm2, to: pc2, proto: icmp, count: 1 }',
    ].join('\n'));
    const { r, events } = simulate(text);
    expectFlow(r, 'kept', { delivered: 1, via: { 'gw1-hq': 1 } });
    expectFlow(r, 'bypassed', { delivered: 0, dropped: 0, internet: 1 });
    expect(end(events, 'bypassed')).toMatchObject({ type: 'internet', node: 'hq/device' });
    expectFlow(r, 'back', { delivered: 0, dropped: 1, dropReasons: { 'tunnel-down': 1 } });
    const back = end(events, 'back');
    expect(back).toMatchObject({ node: 'gw1', reason: 'tunnel-down' });
    expect(back.detail).toBe(
      "no SA for 10.2.0.0/16 ⇄ 192.168.0.0/16: the first entry of hq's device access list covering 192.168.0.0/16 → 10.2.0.0/16 is entry 1 (deny ip 192.168.0.0/16 10.2.0.0/16), a deny, so the device refuses quick mode",
    );
    expect(downPairs(text)).toEqual(['192.168.0.0/16 ⇄ 10.2.0.0/16']);

    const m = selectorMismatch(text);
    expect(saidNoSa(m)).toEqual(['192.168.0.0/16 ⇄ 10.2.0.0/16']);
    expect(m).toContain(
      'no SA for 192.168.0.0/16 ⇄ 10.2.0.0/16 (line 1 ("deny ip 192.168.0.0/16 10.2.0.0/16") is the first entry that covers it, a deny, so the device refuses quick mode: "gw1" drops its packets tunnel-down, the device sends its packets to the Internet in clear)',
    );
    expect(m).toContain('192.168.0.0/16 ⇄ 10.1.0.0/16 gets its SA under line 2 ("permit ip any any") and carries its own traffic;');
    expect(m).not.toContain('⇄ 10.2.0.0/16 gets');
  });

  it('a deny that covers part of a pair: the pair gets its SA under the permit, except what the deny sends in clear', () => {
    const text = scenario(['deny ip 192.168.1.0/24 10.1.0.0/16', 'permit ip any any'], [
      '  - { id: denied, from: pc1, to: vm1, proto: icmp, count: 1 }',
      '  - { id: carried, from: pc2, to: vm1, proto: icmp, count: 1 }',
    ].join('\n'));
    const { r } = simulate(text);
    expectFlow(r, 'denied', { delivered: 0, dropped: 0, internet: 1 });
    expectFlow(r, 'carried', { delivered: 1, via: { 'gw1-hq': 1 } });
    expect(downPairs(text)).toEqual([]);
    const m = selectorMismatch(text);
    expect(saidNoSa(m)).toEqual([]);
    expect(m).toContain(
      '192.168.0.0/16 ⇄ 10.1.0.0/16, 192.168.0.0/16 ⇄ 10.2.0.0/16 get their SAs under line 2 ("permit ip any any") and carry their own traffic, except what line 1 ("deny ip 192.168.1.0/24 10.1.0.0/16") sends in clear;',
    );
  });
});

describe('the text of a device drop and of SELECTOR_MISMATCH: short lists, two gateways', () => {
  /** hq (site prefixes `sitePrefixes`, device `acl`) connected to policy-based gw1 (vnet1) and gw2 (vnet2). */
  const twoGateways = (sitePrefixes: string[], acl: string[]): string => `
name: two policy-based gateways
seed: 5
vnets:
  - name: vnet1
    addressSpace: [10.1.0.0/16]
    subnets: [ { name: a, prefix: 10.1.0.0/24 }, { name: GatewaySubnet, prefix: 10.1.255.0/27 } ]
    hosts: [ { name: vm1, ip: 10.1.0.4 } ]
  - name: vnet2
    addressSpace: [10.2.0.0/16]
    subnets: [ { name: a, prefix: 10.2.0.0/24 }, { name: GatewaySubnet, prefix: 10.2.255.0/27 } ]
    hosts: [ { name: vm2, ip: 10.2.0.4 } ]
gateways:
  - { name: gw1, vnet: vnet1, type: Vpn, vpnType: PolicyBased, sku: Basic, publicIp: 203.0.113.10 }
  - { name: gw2, vnet: vnet2, type: Vpn, vpnType: PolicyBased, sku: Basic, publicIp: 203.0.113.20 }
sites:
  - name: hq
    gatewayIp: 198.51.100.1
    addressPrefixes: [${sitePrefixes.join(', ')}]
    device:
      vpnType: PolicyBased
      accessList: [${acl.map((l) => `"${l}"`).join(', ')}]
    hosts: [ { name: pc1, ip: 172.16.0.10 } ]
connections:
  - { name: c1, type: IPsec, gateway: gw1, site: hq, sharedKey: "k1" }
  - { name: c2, type: IPsec, gateway: gw2, site: hq, sharedKey: "k2" }
traffic:
  - { id: web, from: pc1, to: 8.8.8.8, proto: icmp }
  - { id: narrow, from: pc1, to: 10.9.0.1, proto: icmp }
`;
  const twelve = Array.from({ length: 12 }, (_, i) => `172.16.${i}.0/24`);

  it('a drop under an entry that holds many pairs names eight of them and counts the rest; two gateways negotiate their pairs', () => {
    const { events } = simulate(twoGateways(twelve, ['permit ip any any']));
    const e = end(events, 'web');
    expect(e).toMatchObject({ type: 'dropped', reason: 'tunnel-down', node: 'hq/device' });
    const shown = twelve.slice(0, 8).map((p) => `${p} → 10.1.0.0/16`).join(', ');
    expect(e.detail).toBe(
      `no SA for 172.16.0.10 → 8.8.8.8 under access-list entry 1 (permit ip any any): gw1 and gw2 negotiate only their prefix pairs; the ones inside this entry (${shown}, and 16 more) have their own SAs, and quick mode for any other traffic of it would fail (INVALID_ID_INFORMATION)`,
    );
  });

  it('a drop under an entry that holds no pair lists eight of the gateways\' pairs', () => {
    const { events } = simulate(twoGateways(twelve, ['permit ip 172.16.0.0/24 10.9.0.0/16', 'permit ip any any']));
    const e = end(events, 'narrow');
    const shown = twelve.slice(0, 8).map((p) => `${p} → 10.1.0.0/16`).join(', ');
    expect(e.detail).toBe(
      `no SA for 172.16.0.10 → 10.9.0.1 under access-list entry 1 (permit ip 172.16.0.0/24 10.9.0.0/16): gw1 and gw2 negotiate only their prefix pairs (${shown}, and 16 more); this entry covers none of them, so quick mode for 172.16.0.0/24 → 10.9.0.0/16 would fail (INVALID_ID_INFORMATION)`,
    );
  });

  it('SELECTOR_MISMATCH names the gateway of each pair without an SA, and both gateways where both negotiate', () => {
    const m = selectorMismatch(twoGateways(['172.16.0.0/24'], ['deny ip 172.16.0.0/24 10.2.0.0/16', 'permit ip any any']));
    expect(m).toMatch(/^the access list of site "hq"'s device is not the mirror of policy-based gateways "gw1" and "gw2"'s traffic selectors/);
    expect(m).toContain('a deny, so the device refuses quick mode: "gw2" drops its packets tunnel-down, the device sends its packets to the Internet in clear)');
    expect(m).toContain('the device drops the rest of what that line matches tunnel-down (no SA: "gw1" and "gw2" negotiate only their pairs)');
  });
});

describe('the gateway still checks the inner packet against the SA (inbound-policy)', () => {
  it('a device that puts 192.168.x traffic for 10.2.0.0/16 into the 10.1.0.0/16 pair\'s SA is refused after decryption', () => {
    // Compile the any-any device, then point its 10.2.0.0/16 pair selector at the 10.1.0.0/16
    // pair's SA: what a device that picked SAs by entry instead of by selectors would do.
    const s = load(scenario(['permit ip any any'], '  - { id: x, from: pc1, to: vm2, proto: icmp, count: 1 }'));
    const { world } = compileWorld(s);
    const dev = world.sites[0]!.device;
    const p = dev.policy!;
    const sa = Int32Array.from(p.sa);
    sa[1] = sa[0]!;
    const bent: World = { ...world, sites: [{ ...world.sites[0]!, device: { ...dev, policy: { ...p, sa } } }] };
    const counters = new DropCounters(bent.counterNodes);
    const sink = new CollectSink();
    const ctx: PipelineContext = { world: bent, state: new RunState(bent), esp: keyedEspPlane(bent, nodeCrypto, 4), counters, flowNames: ['x'], sink };
    const b = new PacketBatch(4);
    const ip = (t: string): number => {
      const a = parseIPv4(t);
      if (!a.ok) throw new Error(t);
      return a.value;
    };
    const i = b.push(ip('192.168.1.10'), ip('10.2.0.4'), 1, 0, 0, 84, 64, false, 0, 0, 1, true);
    b.arg[i] = bent.hosts.findIndex((h) => h.name === 'pc1');
    new Forwarder(4).run(ctx, b);
    expect(b.outcome[i]).toBe(Outcome.DROPPED);
    expect(b.reason[i]).toBe(dropReasonCode('inbound-policy'));
    expect(counters.toRecord()['gw1/decrypt/inbound-policy']).toBe(1);
    const drop = sink.events.find((e: SimEvent) => e.type === 'dropped')!;
    expect(drop).toMatchObject({ node: 'gw1', stage: 'decrypt', reason: 'inbound-policy' });
  });
});
