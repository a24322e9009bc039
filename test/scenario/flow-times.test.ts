/**
 * A flow sends exactly `count` packets or the scenario is refused: flows at the edges of
 * the time and rate bounds run and send every packet, an expectation of `all` is measured
 * against that count, and a fault at the last second keeps the run's duration a number.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/index.js';
import { validateScenarioText } from '../../sim/scenario/validate.js';

const BASE = `name: edges
vnets:
  - name: v
    addressSpace: [10.1.0.0/16]
    subnets: [{ name: s, prefix: 10.1.0.0/24 }, { name: GatewaySubnet, prefix: 10.1.255.0/27 }]
    hosts: [{ name: a, ip: 10.1.0.4 }, { name: b, ip: 10.1.0.5 }]
gateways:
  - { name: g, vnet: v, vpnType: RouteBased, sku: Standard, publicIp: 203.0.113.1 }
sites:
  - { name: s, gatewayIp: 198.51.100.1, addressPrefixes: [192.168.0.0/16], hosts: [{ name: c, ip: 192.168.0.4 }] }
connections:
  - { name: gs, type: IPsec, gateway: g, site: s, sharedKey: abcd }
`;

describe('every accepted flow sends exactly count packets', () => {
  it('at the edges of the bounds', () => {
    const flows = [
      '{ id: last-second, from: a, to: b, proto: udp, dport: 9, count: 3, start: 999999998, interval: 1s }',
      '{ id: huge-interval, from: a, to: c, proto: icmp, count: 3, interval: 499999999.5 }',
      '{ id: max-rate, from: a, to: c, proto: udp, dport: 9, count: 2000, rate: 1000Mpps }',
      '{ id: min-rate, from: c, to: a, proto: icmp, count: 2, rate: 0.000000001 }',
      '{ id: late-start, from: c, to: b, proto: icmp, count: 1, start: 1000000000 }',
      '{ id: zero-interval, from: b, to: a, proto: udp, dport: 9, count: 5, interval: 0 }',
      '{ id: tiny-interval, from: b, to: c, proto: udp, dport: 9, count: 4, start: 999999999, interval: 1e-9 }',
    ];
    const text = `${BASE}traffic:\n${flows.map((f) => `  - ${f}`).join('\n')}\nfaults:\n  - { at: 1000000000, connection: gs }\nexpect:\n  - { flow: last-second, delivered: all }\n  - { flow: huge-interval, delivered: all }\n`;
    const v = validateScenarioText(text, 'edges.yaml');
    expect(v.diagnostics).toEqual([]);
    const s = v.scenario!;
    const r = runScenario(s);
    expect(r.flows.map((f) => [f.id, f.sent])).toEqual(s.traffic.map((f) => [f.id, f.count]));
    for (const f of r.flows) expect(f.delivered + f.dropped + f.internet, f.id).toBe(f.sent);
    expect(r.passed).toBe(2);
    expect(r.duration).toBe(1e9);
    expect(JSON.parse(JSON.stringify({ duration: r.duration })).duration).toBe(1e9);
  });

  it('or the scenario is refused', () => {
    for (const f of ['count: 3, interval: 1e308', `count: 2, start: "${'9'.repeat(320)}s"`, 'count: 3, start: 999999999, interval: 1s', 'count: 1000000, rate: 0.0001pps']) {
      const v = validateScenarioText(`${BASE}traffic:\n  - { id: f, from: a, to: b, proto: icmp, ${f} }\n`, 'refused.yaml');
      expect(v.scenario, f).toBeUndefined();
      expect(v.errors, f).toBe(1);
    }
  });
});
