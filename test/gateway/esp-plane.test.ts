/**
 * The ESP data plane in the pipeline (issue 3 items 2, 5, 6, 8): real bytes through both
 * gateway types, injections as counted drops, path MTU, determinism and backend equality.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CollectSink, runScenario, validateScenarioText } from '../../sim/index.js';
import type { EndEvent, HopEvent, InjectEvent, RunOptions, Scenario } from '../../sim/index.js';

const TAMPER = 'scenarios/s2s-esp-tamper-mtu.yaml';
const POLICY = 'scenarios/s2s-policy-based.yaml';

function load(file: string, edit: (text: string) => string = (t) => t): Scenario {
  const v = validateScenarioText(edit(readFileSync(file, 'utf8')), file);
  if (!v.scenario) throw new Error(`${file}: ${JSON.stringify(v.diagnostics)}`);
  return v.scenario;
}

function run(s: Scenario, opts: RunOptions = {}) {
  const sink = new CollectSink();
  const r = runScenario(s, { sink, ...opts });
  return { r, events: sink.events };
}

describe('ESP data plane', () => {
  it('policy-based: packets cross the tunnel as ESP and every expectation holds', () => {
    const { r, events } = run(load(POLICY));
    expect(r.failed).toBe(0);
    const enc = events.find((e): e is HopEvent => e.type === 'hop' && e.stage === 'encrypt')!;
    expect(enc.sa?.outerHeader).toMatch(/esp ttl 64, ESP spi 0x[0-9a-f]{8} seq 1, aes256-sha1/);
    expect(enc.sa?.innerHeader).toBe('IPv4 10.1.0.4 → 192.168.1.10 icmp ttl 63 len 84');
    expect(enc.sa?.overhead).toBe(68);
    const t = r.tunnels[0]!;
    expect(t.packetsOut).toBe(3);
    expect(t.bytesOut).toBe(3 * 84);
    expect(t.packetsIn).toBe(6); // web 5 + nobody 1 (decrypted, then no-host)
  });

  it('injections are counted drops with the reasons of RFC 4303, never exceptions', () => {
    const { r, events } = run(load(TAMPER));
    expect(r.failed).toBe(0);
    const byAction = Object.fromEntries(r.injections.map((x) => [x.action, x]));
    expect(byAction['duplicate']).toMatchObject({ result: 'dropped', reason: 'replay', packet: 2 });
    expect(byAction['reorder']).toMatchObject({ result: 'delivered', packet: 3 });
    expect(byAction['corrupt']).toMatchObject({ result: 'dropped', reason: 'icv-mismatch', packet: 5 });
    expect(byAction['replay']).toMatchObject({ result: 'dropped', reason: 'replay', packet: 1 });
    expect(r.counters).toMatchObject({
      'hq/device/decrypt/replay': 1, 'hq/device/decrypt/icv-mismatch': 1, 'gw1/decrypt/replay': 1, 'gw1/encrypt/mtu': 1,
    });
    const injects = events.filter((e): e is InjectEvent => e.type === 'inject');
    expect(injects.map((e) => e.action).sort()).toEqual(['corrupt', 'duplicate', 'reorder', 'replay']);
    const ping = r.flows.find((f) => f.id === 'ping')!;
    expect(ping).toMatchObject({ sent: 6, delivered: 5, dropped: 1, dropReasons: { 'icv-mismatch': 1 } });
  });

  it('a flipped SPI is unknown-spi; a broken outer header is a malformed packet counted as icv-mismatch', () => {
    for (const [byte, reason, detail] of [[21, 'unknown-spi', /no inbound SA/], [5, 'icv-mismatch', /^malformed ESP packet/]] as const) {
      const s = load(TAMPER, (t) => t.replace('action: corrupt, direction: out }', `action: corrupt, direction: out, byte: ${byte} }`));
      const { r, events } = run(s);
      expect(r.injections.find((x) => x.action === 'corrupt')).toMatchObject({ result: 'dropped', reason });
      const drop = events.find((e): e is EndEvent => e.type === 'dropped' && e.flow === 'ping' && e.packet === 5)!;
      expect(drop.reason).toBe(reason);
      expect(drop.detail).toMatch(detail);
    }
  });

  it('path MTU: DF too big is dropped mtu with the ICMP fragmentation-needed; without DF the packet is fragmented and reassembled', () => {
    const { r, events } = run(load(TAMPER));
    const df = events.find((e): e is EndEvent => e.type === 'dropped' && e.flow === 'big-df')!;
    expect(df.reason).toBe('mtu');
    expect(df.detail).toContain('ICMP type 3 code 4 (fragmentation needed, next-hop MTU 1342) from 10.1.255.30 (gw1\'s address in its GatewaySubnet)');
    const enc = events.find((e): e is HopEvent => e.type === 'hop' && e.flow === 'big' && e.stage === 'encrypt')!;
    expect(enc.sa).toMatchObject({ espPackets: 3, sizeBefore: 3000, mtu: 1400 });
    expect(r.flows.find((f) => f.id === 'big')).toMatchObject({ delivered: 2, dropped: 0 });
    // Every ESP packet on the Internet link fits the path MTU.
    const pcap = runScenario(load(TAMPER), { capture: true }).captures!.pcaps['internet']!;
    const dv = new DataView(pcap.buffer, pcap.byteOffset);
    for (let o = 24; o < pcap.length; o += 16 + dv.getUint32(o + 8, true)) expect(dv.getUint32(o + 12, true)).toBeLessThanOrEqual(1400);
  });

  it('the native backend, which seals a batch\'s packets of several SAs together, writes the bytes node:crypto writes', () => {
    for (const file of [TAMPER, 'scenarios/s2s-route-based-multisite.yaml', 'scenarios/bench/highperf-200mbps.yaml']) {
      const a = runScenario(load(file), { capture: true, crypto: 'node' }).captures!;
      const b = runScenario(load(file), { capture: true, crypto: 'native' }).captures!;
      expect(Object.keys(b.pcaps).sort()).toEqual(Object.keys(a.pcaps).sort());
      for (const k of Object.keys(a.pcaps)) expect(Buffer.from(b.pcaps[k]!).equals(Buffer.from(a.pcaps[k]!)), `${file} ${k}`).toBe(true);
    }
  });

  it('same scenario and seed give the same bytes; node and forge backends give the same bytes', () => {
    const a = runScenario(load(TAMPER), { capture: true, crypto: 'node' }).captures!;
    const b = runScenario(load(TAMPER), { capture: true, crypto: 'node' }).captures!;
    const c = runScenario(load(TAMPER), { capture: true, crypto: 'forge' }).captures!;
    expect(Object.keys(a.pcaps).sort()).toEqual(['internet', 'site-hq', 'vnet-vnet1']);
    for (const k of Object.keys(a.pcaps)) {
      expect(Buffer.from(b.pcaps[k]!).equals(Buffer.from(a.pcaps[k]!))).toBe(true);
      expect(Buffer.from(c.pcaps[k]!).equals(Buffer.from(a.pcaps[k]!))).toBe(true);
    }
    expect(a.espSa.trim().split('\n')).toHaveLength(2);
    expect(a.espSa).toMatch(/^"IPv4","203\.0\.113\.10","198\.51\.100\.1","0x[0-9a-f]{8}","AES-CBC \[RFC3602\]","0x[0-9a-f]{64}","HMAC-SHA-1-96 \[RFC2404\]","0x[0-9a-f]{40}"$/m);
  });

  it('an injection that matches no packet is reported, not silently ignored', () => {
    const s = load(TAMPER, (t) => t.replace('at: 4s, action: corrupt', 'at: 400s, action: corrupt'));
    const { r } = run(s);
    expect(r.injections.find((x) => x.action === 'corrupt')).toMatchObject({ result: 'not-applied' });
  });
});
