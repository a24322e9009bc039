/**
 * The IKE control plane in a run (sim/gateway/ike-plane.ts): the negotiated child SAs are
 * the ESP SAs packets use, the same seed gives the same bytes, rekeys lose no packet, a cut
 * path ends in dead peer detection and the tunnel returns after the fault, and a long idle
 * time starts IKE afresh instead of running every timer in between.
 */
import { describe, expect, it } from 'vitest';
import { CollectSink, runScenario } from '../../sim/index.js';
import type { SimEvent } from '../../sim/index.js';
import { load } from '../support/simulate.js';

type IkeEvent = Extract<SimEvent, { type: 'ike' }>;

/** Two route-based VNets joined by a VNet-to-VNet connection, with `traffic` and `faults` appended. */
function v2v(traffic: string, faults = ''): string {
  return `name: v2v
seed: 3
vnets:
  - { name: west, addressSpace: [10.1.0.0/16], subnets: [{ name: a, prefix: 10.1.1.0/24 }, { name: GatewaySubnet, prefix: 10.1.255.0/27 }], hosts: [{ name: w, ip: 10.1.1.4 }] }
  - { name: east, addressSpace: [10.2.0.0/16], subnets: [{ name: a, prefix: 10.2.1.0/24 }, { name: GatewaySubnet, prefix: 10.2.255.0/27 }], hosts: [{ name: e, ip: 10.2.1.4 }] }
gateways:
  - { name: west-gw, vnet: west, type: Vpn, vpnType: RouteBased, sku: Standard, publicIp: 203.0.113.1 }
  - { name: east-gw, vnet: east, type: Vpn, vpnType: RouteBased, sku: Standard, publicIp: 203.0.113.2 }
connections:
  - { name: we, type: Vnet2Vnet, gateway: west-gw, peerGateway: east-gw, sharedKey: k }
  - { name: ew, type: Vnet2Vnet, gateway: east-gw, peerGateway: west-gw, sharedKey: k }
traffic:
${traffic}
${faults}`;
}

function run(text: string) {
  const sink = new CollectSink();
  const r = runScenario(load(text), { sink, crypto: 'node', capture: true, traceLimit: 1_000_000 });
  const ike = sink.events.filter((e): e is IkeEvent => e.type === 'ike');
  return { r, events: sink.events, ike };
}

/** The SPIs (8 hex digits) of every child SA the `child-up` events installed. */
function childSpis(ike: readonly IkeEvent[]): Set<string> {
  const out = new Set<string>();
  for (const e of ike) {
    const m = /SPIs ([0-9a-f]{8})_i ([0-9a-f]{8})_o/.exec(e.text);
    if (e.action === 'child-up' && m) out.add(m[1]!).add(m[2]!);
  }
  return out;
}

describe('the IKE control plane in a run', () => {
  it('every ESP packet uses an SPI that a child-up installed, and the same seed gives the same capture', () => {
    const text = v2v('  - { id: q, from: w, to: e, proto: udp, dport: 9, count: 5 }\n  - { id: a, from: e, to: w, proto: udp, dport: 9, count: 5 }');
    const x = run(text);
    expect(x.r.flows.every((f) => f.delivered === 5)).toBe(true);
    const spis = childSpis(x.ike);
    expect(spis.size).toBe(2);
    const used = x.events.flatMap((e) => (e.type === 'hop' && e.stage === 'encrypt' && e.sa ? [e.sa.spi.replace(/^0x/, '')] : []));
    expect(used.length).toBe(10);
    for (const spi of used) expect(spis.has(spi), `SPI ${spi}`).toBe(true);
    const y = run(text);
    expect(y.r.captures!.pcaps['internet']).toEqual(x.r.captures!.pcaps['internet']);
    const z = run(text.replace('seed: 3', 'seed: 4'));
    expect(childSpis(z.ike)).not.toEqual(spis);
  });

  it('child rekeys (every 3,060 s) lose no packet: the old inbound SA receives until its side deletes it', () => {
    const { r, ike } = run(v2v('  - { id: q, from: w, to: e, proto: udp, dport: 9, count: 7200, interval: 1s }'));
    expect(r.flows[0]).toMatchObject({ sent: 7200, delivered: 7200 });
    const rekeys = ike.filter((e) => e.action === 'send' && /CREATE_CHILD_SA request \d+ \[ N\(REKEY_SA\)/.test(e.text));
    expect(rekeys.length).toBeGreaterThanOrEqual(2);
    expect(ike.filter((e) => e.action === 'child-down').length).toBeGreaterThanOrEqual(2);
    // Dead peer detection: the side ESP reaches (east-gw) stays quiet; the other one, which receives nothing, checks.
    const dpd = ike.filter((e) => e.action === 'send' && /INFORMATIONAL request \d+ \[ \]/.test(e.text));
    expect(dpd.filter((e) => e.node === 'east-gw')).toEqual([]);
    expect(dpd.filter((e) => e.node === 'west-gw').length).toBeGreaterThan(100);
  });

  it('a cut path: DPD retransmits, gives up (MISSING_END_POINT), the SAs go, and the tunnel returns after the fault', () => {
    const { r, ike } = run(v2v(
      '  - { id: q, from: w, to: e, proto: udp, dport: 9, count: 600, interval: 1s }',
      'faults:\n  - { at: 100s, connection: we, down: true }\n  - { at: 400s, connection: we, down: false }',
    ));
    const status = ike.filter((e) => e.action === 'status' && e.node === 'west-gw').map((e) => [e.t, e.status]);
    expect(status[0]).toEqual([0, 'IPSEC_SESSION_ESTABLISHED']);
    const dead = status.find(([, s]) => s === 'MISSING_END_POINT');
    expect(dead && dead[0]).toBeGreaterThan(100);
    const back = status.filter(([t, s]) => s === 'IPSEC_SESSION_ESTABLISHED' && (t as number) >= 400);
    expect(back.length).toBeGreaterThan(0);
    expect(ike.some((e) => e.action === 'lost' && /cut \(fault\)/.test(e.text))).toBe(true);
    expect(ike.some((e) => e.action === 'child-down' && /peer not responding/.test(e.text))).toBe(true);
    // Packets before the fault and after the tunnel came back are delivered; the rest are dropped tunnel-down.
    const f = r.flows[0]!;
    expect(f.delivered).toBeGreaterThanOrEqual(100 + (600 - Math.ceil(back[0]![0] as number)));
    expect(f.dropReasons).toEqual({ 'tunnel-down': f.dropped });
  });

  it('a long idle time starts IKE afresh at the next packet instead of running every timer in between', () => {
    const { r, ike } = run(v2v('  - { id: q, from: w, to: e, proto: udp, dport: 9, count: 2, interval: 1000000s }'));
    expect(r.flows[0]).toMatchObject({ sent: 2, delivered: 2 });
    expect(ike.filter((e) => e.action === 'log' && /start afresh/.test(e.text)).map((e) => e.t)).toEqual([1_000_000]);
    expect(r.ike[0]!.ikeSas.length).toBe(2);
    // No timer ran in the idle time.
    expect(ike.filter((e) => e.t > 100_000 && e.t < 1_000_000)).toEqual([]);
  });
});
