/**
 * The forwarding pipeline through the public API on small inline scenarios: policy-based
 * selectors (one SA pair per prefix pair, first match wins, no-selector), tunnel-down
 * (fault mid-flow, shared key mismatch), a wide device entry (one SA per pair), p2s-auth,
 * ttl-expired, rate-limit at the SKU throughput, drop counters by name, `via` and SA
 * names per packet, and determinism.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CollectSink, compileWorld, runScenario, validateScenarioText } from '../../sim/index.js';
import type { SimEvent } from '../../sim/index.js';
import { end, expectFlow, flow, hops, load, simulate, ends } from '../support/simulate.js';
import { routeBasedSite } from '../support/route-based-site.js';

// ---- helpers ----

function warnings(text: string): string[] {
  return validateScenarioText(text, 'inline.yaml').diagnostics.filter((d) => d.severity !== 'error').map((d) => d.code);
}

/**
 * Policy-based Basic gw1: vnet1 10.1.0.0/16 + 10.2.0.0/16 (vm1 10.1.0.4 in a, vm2 10.2.0.4
 * in b), site hq 192.168.1.0/24 + 192.168.2.0/24 (pc1 .1.10, pc2 .2.10), device mirror
 * unless `acl` is given.
 */
function policyBased(opts: { traffic: string; acl?: string[]; deviceKey?: string; faults?: string; routes?: string[] }): string {
  const acl = opts.acl ? `\n      accessList:\n${opts.acl.map((l) => `        - ${l}`).join('\n')}` : '';
  const routes = opts.routes ? `\n        routes:\n${opts.routes.map((r) => `          - ${r}`).join('\n')}` : '';
  return `
name: pb
seed: 4
vnets:
  - name: vnet1
    addressSpace: [10.1.0.0/16, 10.2.0.0/16]
    subnets:
      - name: a
        prefix: 10.1.0.0/24${routes}
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
    addressPrefixes: [192.168.1.0/24, 192.168.2.0/24]
    device:
      vpnType: PolicyBased${opts.deviceKey !== undefined ? `\n      sharedKey: "${opts.deviceKey}"` : ''}${acl}
    hosts:
      - { name: pc1, ip: 192.168.1.10 }
      - { name: pc2, ip: 192.168.2.10 }
connections:
  - { name: gw1-hq, type: IPsec, gateway: gw1, site: hq, sharedKey: "connkey123" }
${opts.faults ? `faults:\n${opts.faults}` : ''}
traffic:
${opts.traffic}
`;
}


// ---- policy-based: SAs per prefix pair, selectors ----

describe('policy-based: one SA pair per (VNet prefix × site prefix)', () => {
  const text = policyBased({
    traffic: [
      '  - { id: v1-p1, from: vm1, to: pc1, proto: icmp, count: 2 }',
      '  - { id: v1-p2, from: vm1, to: pc2, proto: icmp, count: 2 }',
      '  - { id: v2-p1, from: vm2, to: pc1, proto: icmp, count: 2 }',
      '  - { id: v2-p2, from: vm2, to: pc2, proto: icmp, count: 2 }',
      '  - { id: p2-v2, from: pc2, to: vm2, proto: icmp, count: 2 }',
    ].join('\n'),
  });

  it('2 VNet prefixes × 2 site prefixes: 4 tunnels, 8 SAs with distinct SPIs and narrow selectors', () => {
    const { r } = simulate(text);
    expect(r.sas).toHaveLength(8);
    expect(r.sas.map((s) => s.name)).toEqual([
      'gw1-hq#1/out', 'gw1-hq#1/in', 'gw1-hq#2/out', 'gw1-hq#2/in',
      'gw1-hq#3/out', 'gw1-hq#3/in', 'gw1-hq#4/out', 'gw1-hq#4/in',
    ]);
    expect(r.sas.filter((s) => s.name.endsWith('/out')).map((s) => s.selectors)).toEqual([
      '10.1.0.0/16 → 192.168.1.0/24', '10.1.0.0/16 → 192.168.2.0/24',
      '10.2.0.0/16 → 192.168.1.0/24', '10.2.0.0/16 → 192.168.2.0/24',
    ]);
    expect(r.sas.find((s) => s.name === 'gw1-hq#4/in')!.selectors).toBe('192.168.2.0/24 → 10.2.0.0/16');
    expect(new Set(r.sas.map((s) => s.spi)).size).toBe(8);
    for (const s of r.sas) expect(s.established).toBe(true);
    expect(compileWorld(load(text)).world.tunnels).toHaveLength(4);
  });

  it('flows to different prefix pairs use different SAs; each packet is counted on its SA', () => {
    const { r, events } = simulate(text);
    const saOf = (id: string) => hops(events, id).find((h) => h.stage === 'encrypt')!.sa!;
    expect(saOf('v1-p1').name).toBe('gw1-hq#1/out');
    expect(saOf('v1-p2').name).toBe('gw1-hq#2/out');
    expect(saOf('v2-p1').name).toBe('gw1-hq#3/out');
    expect(saOf('v2-p2').name).toBe('gw1-hq#4/out');
    expect(saOf('p2-v2').name).toBe('gw1-hq#4/in');
    expect(new Set(['v1-p1', 'v1-p2', 'v2-p1', 'v2-p2', 'p2-v2'].map((id) => saOf(id).spi)).size).toBe(5);
    for (const n of ['gw1-hq#1/out', 'gw1-hq#2/out', 'gw1-hq#3/out', 'gw1-hq#4/out', 'gw1-hq#4/in']) {
      expect(r.sas.find((s) => s.name === n)!.packets, n).toBe(2);
    }
    expect(r.sas.find((s) => s.name === 'gw1-hq#1/in')!.packets).toBe(0);
    // ESP sequence numbers count per SA: packet 2 of a flow is seq 2 of its SA.
    expect(hops(events, 'v2-p2', 2).find((h) => h.stage === 'encrypt')!.sa!.seq).toBe(2);
    for (const id of ['v1-p1', 'v1-p2', 'v2-p1', 'v2-p2', 'p2-v2']) expectFlow(r, id, { delivered: 2, dropped: 0, via: { 'gw1-hq': 2 } });
  });

  it('the classify hop names the selector that matched', () => {
    const { events } = simulate(text);
    const c = hops(events, 'v2-p1').find((h) => h.stage === 'classify')!;
    expect(c.node).toBe('gw1');
    expect(c.selector).toEqual({ index: 3, src: '10.2.0.0/16', dst: '192.168.1.0/24', action: 'protect' });
    const d = hops(events, 'p2-v2').find((h) => h.stage === 'classify')!;
    expect(d.node).toBe('hq/device');
    expect(d.selector).toMatchObject({ src: '192.168.2.0/24', dst: '10.2.0.0/16', action: 'protect' });
  });

  it('every packet ends delivered with via [gw1-hq] and the encrypt/decrypt hops share one SPI', () => {
    const { events } = simulate(text);
    for (const e of ends(events, 'v1-p2')) expect(e).toMatchObject({ type: 'delivered', node: 'pc2', via: ['gw1-hq'] });
    const hs = hops(events, 'v1-p2');
    const enc = hs.find((h) => h.stage === 'encrypt')!;
    const dec = hs.find((h) => h.stage === 'decrypt')!;
    expect(enc.node).toBe('gw1');
    expect(dec.node).toBe('hq/device');
    expect(dec.sa!.spi).toBe(enc.sa!.spi);
    expect(enc.sa!.spi).toMatch(/^0x[0-9a-f]{8}$/);
    expect(enc.sa!.outer).toEqual({ src: '203.0.113.10', dst: '198.51.100.1' });
    expect(enc.sa!.sizeAfter!).toBeGreaterThan(enc.sa!.sizeBefore!);
  });
});

describe('policy-based: first match wins on the device access list', () => {
  const text = policyBased({
    acl: [
      'deny ip 192.168.1.0/24 10.1.0.0/16',
      'permit ip 192.168.1.0/24 10.1.0.0/16',
      'permit ip 192.168.2.0/24 10.1.0.0/16',
      'permit ip 192.168.1.0/24 10.2.0.0/16',
      'permit ip 192.168.2.0/24 10.2.0.0/16',
    ],
    traffic: [
      '  - { id: denied, from: pc1, to: vm1, proto: icmp, count: 2 }',
      '  - { id: allowed, from: pc2, to: vm2, proto: icmp, count: 2 }',
    ].join('\n'),
  });

  it('the earlier deny entry wins over the later permit of the same pair: bypass, sent in clear', () => {
    const { r, events } = simulate(text);
    expectFlow(r, 'denied', { internet: 2, delivered: 0, dropped: 0, via: {} });
    const c = hops(events, 'denied').find((h) => h.stage === 'classify')!;
    expect(c.selector).toEqual({ index: 1, src: '192.168.1.0/24', dst: '10.1.0.0/16', action: 'bypass' });
    expect(end(events, 'denied')).toMatchObject({ type: 'internet', node: 'hq/device' });
  });

  it('a packet the deny does not cover falls through to the next entry', () => {
    const { r, events } = simulate(text);
    const c = hops(events, 'allowed').find((h) => h.stage === 'classify')!;
    expect(c.selector).toEqual({ index: 5, src: '192.168.2.0/24', dst: '10.2.0.0/16', action: 'protect' });
    expectFlow(r, 'allowed', { delivered: 2, dropped: 0, via: { 'gw1-hq': 2 } });
    expect(hops(events, 'allowed').find((h) => h.stage === 'encrypt')!.sa!.name).toBe('gw1-hq#4/in');
  });
});

describe('policy-based: no-selector', () => {
  it('a UDR hands a non-site destination to the gateway: no selector matches → dropped no-selector, counted', () => {
    const { r, events } = simulate(policyBased({
      routes: ['{ prefix: 0.0.0.0/0, nextHop: VirtualNetworkGateway }'],
      traffic: '  - { id: web, from: vm1, to: 8.8.8.8, proto: udp, dport: 53, count: 3 }\n  - { id: ok, from: vm1, to: pc1, proto: icmp }',
    }));
    expectFlow(r, 'web', { sent: 3, dropped: 3, delivered: 0, internet: 0, dropReasons: { 'no-selector': 3 }, via: {} });
    const e = end(events, 'web');
    expect(e).toMatchObject({ type: 'dropped', reason: 'no-selector', node: 'gw1', stage: 'classify' });
    expect(e.detail).toContain('8.8.8.8');
    expect(r.counters['gw1/classify/no-selector']).toBe(3);
    expect(Object.keys(r.counters)).toEqual(['gw1/classify/no-selector']);
    expectFlow(r, 'ok', { delivered: 1 });
  });

  it('without the UDR the same destination leaves to the Internet and nothing is counted', () => {
    const { r } = simulate(policyBased({ traffic: '  - { id: web, from: vm1, to: 8.8.8.8, proto: udp, dport: 53, count: 3 }' }));
    expectFlow(r, 'web', { internet: 3, dropped: 0 });
    expect(r.counters).toEqual({});
  });
});

// ---- tunnel-down ----

describe('tunnel-down', () => {
  it('a fault mid-flow: packets before it delivered, after it dropped tunnel-down', () => {
    const { r, events } = simulate(policyBased({
      faults: '  - { at: 2500ms, connection: gw1-hq, down: true }',
      traffic: '  - { id: ping, from: vm1, to: pc1, proto: icmp, count: 6 }',
    }));
    expectFlow(r, 'ping', { sent: 6, delivered: 3, dropped: 3, dropReasons: { 'tunnel-down': 3 }, via: { 'gw1-hq': 3 } });
    const es = ends(events, 'ping');
    expect(es.map((e) => [e.packet, e.type])).toEqual([
      [1, 'delivered'], [2, 'delivered'], [3, 'delivered'], [4, 'dropped'], [5, 'dropped'], [6, 'dropped'],
    ]);
    for (const e of es.slice(3)) {
      expect(e).toMatchObject({ reason: 'tunnel-down', node: 'gw1', stage: 'encrypt', via: [] });
      expect(e.detail).toMatch(/gw1-hq.*down/);
    }
    const fault = events.findIndex((e) => e.type === 'fault');
    expect(events[fault]).toMatchObject({ t: 2.5, target: 'gw1-hq', down: true });
    // Events are in time order: the fault sits between packet 3's and packet 4's events.
    expect(events.findIndex((e) => e.type !== 'fault' && e.packet === 4)).toBeGreaterThan(fault);
    expect(events.findIndex((e) => e.type === 'delivered' && e.packet === 3)).toBeLessThan(fault);
    expect(r.counters['gw1/encrypt/tunnel-down']).toBe(3);
  });

  it('the connection coming back up restores delivery', () => {
    const { r } = simulate(policyBased({
      faults: '  - { at: 1500ms, connection: gw1-hq, down: true }\n  - { at: 3500ms, connection: gw1-hq, down: false }',
      traffic: '  - { id: ping, from: vm1, to: pc1, proto: icmp, count: 6 }',
    }));
    expectFlow(r, 'ping', { delivered: 4, dropped: 2, dropReasons: { 'tunnel-down': 2 } });
  });

  it('shared key mismatch: a warning, the tunnel stays down in both directions, the key never shown', () => {
    const text = policyBased({
      deviceKey: 'otherkey987',
      traffic: '  - { id: out, from: vm1, to: pc1, proto: icmp, count: 2 }\n  - { id: in, from: pc1, to: vm1, proto: icmp, count: 2 }',
    });
    expect(warnings(text)).toContain('SHARED_KEY_MISMATCH');
    const { r, events } = simulate(text);
    expectFlow(r, 'out', { delivered: 0, dropped: 2, dropReasons: { 'tunnel-down': 2 }, via: {} });
    expectFlow(r, 'in', { delivered: 0, dropped: 2, dropReasons: { 'tunnel-down': 2 }, via: {} });
    expect(end(events, 'out').node).toBe('gw1');
    expect(end(events, 'in').node).toBe('hq/device');
    for (const sa of r.sas) expect(sa.established).toBe(false);
    const all = JSON.stringify(events) + JSON.stringify(r) + JSON.stringify(validateScenarioText(text, 'inline.yaml').diagnostics);
    expect(all).not.toContain('otherkey987');
    expect(all).not.toContain('connkey123');
    expect(r.counters['gw1/encrypt/tunnel-down']).toBe(2);
    expect(r.counters['hq/device/encrypt/tunnel-down']).toBe(2);
  });
});

// ---- a wide device entry ----

describe('device access list wider than the gateway selectors: one SA per pair under the wide entry', () => {
  // The device has one wide entry per VNet prefix (192.168.0.0/16 → 10.x.0.0/16) where the
  // gateway has one narrow selector per site prefix. Quick mode gives each gateway pair its
  // SA under the wide entry, and the device puts each packet into the SA whose selectors
  // match it (RFC 4301 §5.1): traffic from 192.168.2.x uses the 192.168.2.0/24 pair's SA,
  // so nothing reaches gw1 outside its SA's selectors (the inbound-policy check itself is
  // exercised in device-sa.test.ts).
  const text = policyBased({
    acl: ['permit ip 192.168.0.0/16 10.1.0.0/16', 'permit ip 192.168.0.0/16 10.2.0.0/16'],
    traffic: '  - { id: from-p1, from: pc1, to: vm1, proto: icmp, count: 2 }\n  - { id: from-p2, from: pc2, to: vm1, proto: tcp, dport: 22, count: 3 }',
  });

  it('validates with a SELECTOR_MISMATCH warning', () => {
    expect(warnings(text)).toContain('SELECTOR_MISMATCH');
  });

  it('traffic from 192.168.2.x goes into the 192.168.2.0/24 pair\'s SA and is delivered; 192.168.1.x into its own', () => {
    const { r, events } = simulate(text);
    expectFlow(r, 'from-p1', { delivered: 2, dropped: 0 });
    expectFlow(r, 'from-p2', { delivered: 3, dropped: 0, via: { 'gw1-hq': 3 } });
    const enc1 = hops(events, 'from-p1').find((h) => h.stage === 'encrypt')!;
    const enc2 = hops(events, 'from-p2').find((h) => h.stage === 'encrypt')!;
    expect(enc1).toMatchObject({ node: 'hq/device' });
    expect(enc1.sa!.name).toBe('gw1-hq#1/in');
    expect(enc2.sa!.name).toBe('gw1-hq#2/in');
    const cls = hops(events, 'from-p2').find((h) => h.stage === 'classify')!;
    expect(cls.decision).toBe('access list entry 1: permit ip 192.168.0.0/16 10.1.0.0/16, pair 192.168.2.0/24 → 10.1.0.0/16 → SA gw1-hq#2/in');
    expect(cls.selector).toEqual({ index: 1, src: '192.168.2.0/24', dst: '10.1.0.0/16', action: 'protect' });
    expect(r.counters['gw1/decrypt/inbound-policy']).toBeUndefined();
  });
});

// ---- point-to-site auth, TTL ----

describe('point-to-site authentication', () => {
  const text = routeBasedSite({
    p2s: '    p2s:\n      addressPool: 172.16.201.0/24\n      clients:\n        - { name: good }\n        - { name: bad, certificate: revoked }\n        - { name: stranger, certificate: untrusted }',
    traffic: [
      '  - { id: good, from: good, to: vm1, proto: tcp, dport: 445, count: 2 }',
      '  - { id: bad, from: bad, to: vm1, proto: tcp, dport: 445, count: 3 }',
      '  - { id: to-bad, from: vm1, to: bad, proto: icmp, count: 1 }',
      '  - { id: stranger, from: stranger, to: vm1, proto: icmp, count: 1 }',
    ].join('\n'),
  });

  it('a revoked client is dropped p2s-auth both ways; an untrusted one too; a valid one works', () => {
    const { r, events } = simulate(text);
    expectFlow(r, 'good', { delivered: 2, dropped: 0 });
    expectFlow(r, 'bad', { delivered: 0, dropped: 3, dropReasons: { 'p2s-auth': 3 }, via: {} });
    expectFlow(r, 'to-bad', { dropped: 1, dropReasons: { 'p2s-auth': 1 } });
    expectFlow(r, 'stranger', { dropped: 1, dropReasons: { 'p2s-auth': 1 } });
    expect(end(events, 'bad').detail).toMatch(/revocation/);
    expect(end(events, 'stranger').detail).toMatch(/root certificate/);
    expect(end(events, 'bad').node).toBe('bad');
    expect(end(events, 'to-bad').node).toBe('gw1');
  });
});

describe('ttl-expired', () => {
  it('TTL 1 dies at the first gateway (the subnet does not decrement); counted by name', () => {
    const { r, events } = simulate(routeBasedSite({
      traffic: '  - { id: t1, from: vm1, to: pc1, proto: icmp, ttl: 1, count: 2 }\n  - { id: t2, from: vm1, to: pc1, proto: icmp, ttl: 2 }',
    }));
    expectFlow(r, 't1', { dropped: 2, delivered: 0, dropReasons: { 'ttl-expired': 2 }, via: {} });
    expect(end(events, 't1')).toMatchObject({ reason: 'ttl-expired', node: 'gw1', stage: 'forward' });
    expect(hops(events, 't1').map((h) => h.node)).toEqual(['vm1', 'vnet1/a']);
    expect(r.counters['gw1/forward/ttl-expired']).toBe(2);
    // TTL 2 survives gw1; gw1 forwarded it, so it arrives with TTL 1.
    expect(hops(events, 't2').some((h) => h.node === 'hq/device' && h.stage === 'decrypt')).toBe(true);
  });

  it('TTL counts the same routers in both directions (gw1 and the hq device)', () => {
    // pc1 → vm1 crosses hq/device (forward, TTL check) then gw1 (forward, TTL check);
    // vm1 → pc1 crosses gw1 then hq/device, which forwards the decrypted packet onto its LAN.
    const { r, events } = simulate(routeBasedSite({
      traffic: '  - { id: out, from: vm1, to: pc1, proto: icmp, ttl: 2 }\n  - { id: back, from: pc1, to: vm1, proto: icmp, ttl: 2 }',
    }));
    expectFlow(r, 'back', { dropped: 1, dropReasons: { 'ttl-expired': 1 } });
    expect(end(events, 'back').node).toBe('gw1');
    expectFlow(r, 'out', { dropped: 1, dropReasons: { 'ttl-expired': 1 } });
    expect(end(events, 'out').node).toBe('hq/device');
  });

  it('TTL 1 at a policy-based gateway too', () => {
    const { r } = simulate(policyBased({ traffic: '  - { id: t1, from: vm1, to: pc1, proto: icmp, ttl: 1 }' }));
    expectFlow(r, 't1', { dropped: 1, dropReasons: { 'ttl-expired': 1 } });
    expect(r.counters['gw1/forward/ttl-expired']).toBe(1);
  });
});

// ---- rate-limit ----

describe('rate-limit at the SKU throughput', () => {
  const flood = (sku: string, count: number): string => routeBasedSite({
    sku,
    traffic: `  - { id: flood, from: vm1, to: pc1, proto: udp, dport: 9, size: 1400, count: ${count}, interval: 0.000001 }`,
  });

  it('1400-byte packets every 1 µs through a Basic gateway: some delivered, the rest dropped rate-limit', () => {
    const { r } = simulate(flood('Basic', 3000), 0);
    const f = flow(r, 'flood');
    expect(f.sent).toBe(3000);
    expect(f.delivered).toBeGreaterThan(0);
    expect(f.dropped).toBeGreaterThan(0);
    expect(f.delivered + f.dropped).toBe(3000);
    expect(f.dropReasons).toEqual({ 'rate-limit': f.dropped });
    expect(r.counters['gw1/encrypt/rate-limit']).toBe(f.dropped);
    // Basic is 100 Mbps: a 50 ms burst is 625,000 bytes, about 427 ESP packets of 1464 bytes,
    // plus what 3 ms of refill adds. Far from all 3000.
    expect(f.delivered).toBeGreaterThan(300);
    expect(f.delivered).toBeLessThan(700);
  });

  it('a packet dropped rate-limit costs nothing at the sender: no sequence number, no ESP bytes', () => {
    const { r } = simulate(flood('Basic', 3000), 0);
    const f = flow(r, 'flood');
    const out = r.tunnels.find((t) => t.packetsOut > 0)!;
    // Only the packets that passed the SKU bucket were encrypted and numbered.
    expect(out.packetsOut).toBe(f.delivered);
    expect(out.seqOut).toBe(f.delivered);
    expect(r.sas.reduce((n, sa) => n + sa.packets, 0)).toBe(f.delivered);
  });

  it('a faster SKU delivers more of the same flood', () => {
    const basic = flow(simulate(flood('Basic', 3000), 0).r, 'flood').delivered;
    const hp = flow(simulate(flood('HighPerformance', 3000), 0).r, 'flood').delivered;
    expect(hp).toBeGreaterThan(basic);
  });

  it("VNet-to-VNet into a slower SKU: the receiver's bucket drops what the sender's let through, after the seal", () => {
    const text = readFileSync(new URL('../../scenarios/vnet-to-vnet.yaml', import.meta.url), 'utf8')
      .replace('sku: Standard, publicIp: 203.0.113.1', 'sku: HighPerformance, publicIp: 203.0.113.1')
      .replace('sku: Standard, publicIp: 203.0.113.2', 'sku: Basic, publicIp: 203.0.113.2')
      .replace(/\ntraffic:[\s\S]*$/, '\ntraffic:\n  - { id: flood, from: west-vm, to: east-db, proto: udp, dport: 9, size: 1400, count: 3000, interval: 0.000001 }\n');
    const { r } = simulate(text, 0);
    const f = flow(r, 'flood');
    const atSender = r.counters['west-gw/encrypt/rate-limit'] ?? 0;
    const atReceiver = r.counters['east-gw/decrypt/rate-limit'] ?? 0;
    expect(f.dropReasons).toEqual({ 'rate-limit': f.dropped });
    expect(atSender + atReceiver).toBe(f.dropped);
    // HighPerformance (200 Mbps) lets about twice Basic's 50 ms burst through; east-gw (Basic) refuses the rest.
    expect(atReceiver).toBeGreaterThan(300);
    expect(f.delivered).toBeGreaterThan(300);
    expect(f.delivered).toBeLessThan(700);
    // The receiver's refusals were sealed: they took sequence numbers, the sender's did not.
    expect(r.tunnels.find((t) => t.packetsOut > 0)!.seqOut).toBe(f.delivered + atReceiver);
  });

  it('the same packets spaced 1 s apart are all delivered', () => {
    const { r } = simulate(routeBasedSite({ sku: 'Basic', traffic: '  - { id: slow, from: vm1, to: pc1, proto: udp, dport: 9, size: 1400, count: 20 }' }));
    expectFlow(r, 'slow', { delivered: 20, dropped: 0 });
  });
});

// ---- counters, via, determinism ----

describe('drop counters by name', () => {
  it('name every node/stage/reason that dropped, and only those', () => {
    const { r } = simulate(policyBased({
      routes: ['{ prefix: 8.8.8.0/24, nextHop: VirtualNetworkGateway }', '{ prefix: 9.9.9.0/24, nextHop: None }'],
      traffic: [
        '  - { id: nosel, from: vm1, to: 8.8.8.8, proto: icmp, count: 2 }',
        '  - { id: none, from: vm1, to: 9.9.9.9, proto: icmp, count: 3 }',
        '  - { id: nohost, from: pc1, to: 10.1.0.99, proto: icmp, count: 1 }',
        '  - { id: ttl, from: vm1, to: pc1, proto: icmp, ttl: 1, count: 4 }',
      ].join('\n'),
    }));
    expect(r.counters).toEqual({
      'vnet1/a/route/no-route': 3,
      'vnet1/deliver/no-host': 1,
      'gw1/classify/no-selector': 2,
      'gw1/forward/ttl-expired': 4,
    });
  });
});

describe('via', () => {
  it('per packet: the connections crossed, in order; none for traffic that stays in the VNet', () => {
    const { r, events } = simulate(policyBased({
      traffic: '  - { id: local, from: vm1, to: vm2, proto: icmp }\n  - { id: out, from: vm1, to: pc2, proto: icmp }',
    }));
    expect(end(events, 'local')).toMatchObject({ type: 'delivered', node: 'vm2', via: [] });
    expectFlow(r, 'local', { delivered: 1, via: {} });
    expect(end(events, 'out').via).toEqual(['gw1-hq']);
  });
});

describe('determinism', () => {
  const text = policyBased({
    faults: '  - { at: 2500ms, connection: gw1-hq, down: true }',
    routes: ['{ prefix: 0.0.0.0/0, nextHop: VirtualNetworkGateway }'],
    traffic: [
      '  - { id: a, from: vm1, to: pc1, proto: icmp, count: 5 }',
      '  - { id: b, from: pc2, to: vm2, proto: tcp, dport: 22, count: 5, start: 100ms }',
      '  - { id: c, from: vm1, to: 8.8.8.8, proto: udp, dport: 53, count: 2 }',
    ].join('\n'),
  });

  it('the same scenario run twice gives identical events and results', () => {
    const x = simulate(text);
    const y = simulate(text);
    expect(y.events).toEqual(x.events);
    expect(JSON.stringify(y.events)).toBe(JSON.stringify(x.events));
    expect(JSON.stringify(y.r)).toBe(JSON.stringify(x.r));
    expect(x.events.length).toBeGreaterThan(20);
  });

  it('the batch size does not change the events', () => {
    const s = load(text);
    const a = new CollectSink();
    const b = new CollectSink();
    const ra = runScenario(s, { sink: a, batchSize: 1 });
    const rb = runScenario(s, { sink: b, batchSize: 256 });
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
    expect(rb.flows).toEqual(ra.flows);
    expect(rb.counters).toEqual(ra.counters);
  });

  it('another seed changes the SPIs and what IKE draws only', () => {
    const x = simulate(text);
    const y = simulate(text.replace('seed: 4', 'seed: 5'));
    expect(y.r.sas.map((s) => s.spi)).not.toEqual(x.r.sas.map((s) => s.spi));
    expect(y.r.flows).toEqual(x.r.flows);
    // IKE's random draws: ESP SPIs (0x12345678, 12345678_i), IKE SPIs and cookies, IKEv1 message IDs.
    const strip = (es: SimEvent[]) => JSON.stringify(es)
      .replace(/0x[0-9a-f]{8}/g, 'SPI').replace(/\b[0-9a-f]{8}(_[io])\b/g, 'SPI$1').replace(/\b[0-9a-f]{16}(_[ir])\b/g, 'SPI$1')
      .replace(/(QUICK_MODE|INFORMATIONAL_V1) (request|response) \d+/g, '$1 $2 ID');
    expect(strip(y.events)).toBe(strip(x.events));
    expect(x.events.some((e) => e.type === 'ike')).toBe(true);
  });

  it('no sink, no trace: the same counts', () => {
    const s = load(text);
    const quiet = runScenario(s);
    expect(quiet.flows).toEqual(simulate(text).r.flows);
  });
});
