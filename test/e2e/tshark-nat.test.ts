/**
 * A site device behind a NAT in a run, checked by the run's events and by tshark reading its
 * internet.pcap: scenarios/s2s-device-behind-nat.yaml (route-based, IKEv2) and a policy-based
 * copy (IKEv1, RFC 3947). The device starts; the gateway sees the NAT's public address and a
 * mapped port, and both sides see the NAT in the NAT detection payloads; IKE floats to 4500
 * (tshark: the non-ESP marker on every IKE frame there, none on 500); every ESP frame is UDP
 * between the gateway's 4500 and the NAT's mapped 4500 port with checksum 0, and tshark's
 * esp_sa table (integrity checking on) verifies and decrypts it to the packet the host sent;
 * only public addresses are on the wire; the device's NAT-T keepalives are there every 20 s
 * while the run lasts; inner packets are delivered both ways; a second run gives the same bytes.
 *
 * tshark must be installed (.ci/run installs it): without it this test FAILS, it does not skip.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CollectSink } from '../../sim/engine/events.js';
import type { IkeEvent } from '../../sim/engine/events.js';
import { runScenario, validateScenarioText } from '../../sim/index.js';
import type { RunResult, Scenario } from '../../sim/index.js';
import { datagramKey, expectSent } from '../support/sent-packets.js';

const GATEWAY = '203.0.113.10';

function tsharkVersion(): string | null {
  try {
    return execFileSync('tshark', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0] ?? '';
  } catch {
    return null;
  }
}

function load(text: string, file: string): Scenario {
  const v = validateScenarioText(text, file);
  if (!v.scenario) throw new Error(`${file}: ${v.diagnostics.map((d) => d.message).join('; ')}`);
  return v.scenario;
}

const EXAMPLE = 'scenarios/s2s-device-behind-nat.yaml';

/** The example as a policy-based (IKEv1) gateway and device. */
function policyBasedCopy(): Scenario {
  const text = readFileSync(EXAMPLE, 'utf8')
    .replace('vpnType: RouteBased, sku: Standard', 'vpnType: PolicyBased, sku: Basic')
    .replace('      vpnType: RouteBased', '      vpnType: PolicyBased');
  if (!text.includes('PolicyBased, sku: Basic') || !text.includes('      vpnType: PolicyBased')) throw new Error('fixture: the example changed');
  return load(text, 'policy-based-behind-nat.yaml');
}

/** Records of a LINKTYPE_RAW pcap (little-endian, as sim/wire/pcap.ts writes). */
function readPcap(bytes: Uint8Array): Uint8Array[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [];
  for (let o = 24; o + 16 <= bytes.length;) {
    const incl = dv.getUint32(o + 8, true);
    out.push(bytes.subarray(o + 16, o + 16 + incl));
    o += 16 + incl;
  }
  return out;
}

interface Ran {
  readonly result: RunResult;
  readonly ike: IkeEvent[];
  readonly dir: string;
  /** Packets the hosts sent and received on their LANs, by IPv4 src‖dst‖proto‖identification. */
  readonly lan: Map<string, Uint8Array>;
}


function run(s: Scenario): Ran {
  const sink = new CollectSink();
  const result = runScenario(s, { capture: true, sink, crypto: 'node' });
  const c = result.captures!;
  const dir = mkdtempSync(join(tmpdir(), 'vgw-nat-'));
  writeFileSync(join(dir, 'internet.pcap'), c.pcaps.internet!);
  writeFileSync(join(dir, 'esp_sa'), c.espSa);
  const lan = new Map<string, Uint8Array>();
  for (const [link, bytes] of Object.entries(c.pcaps)) {
    if (link === 'internet') continue;
    for (const p of readPcap(bytes)) {
      // The sent copy has the highest TTL.
      const old = lan.get(datagramKey(p));
      if (!old || p[8]! > old[8]!) lan.set(datagramKey(p), p);
    }
  }
  return { result, ike: sink.events.filter((e): e is IkeEvent => e.type === 'ike'), dir, lan };
}

const FIELDS = [
  'frame.number', 'ip.src', 'ip.dst', 'ip.proto', 'udp.srcport', 'udp.dstport', 'udp.checksum',
  'esp.spi', 'esp.icv_good', 'esp.decrypted_data', 'udpencap.non_esp_marker', 'udpencap.nat_keepalive', 'isakmp.ispi',
] as const;
type Row = Record<(typeof FIELDS)[number], string>;

/** internet.pcap through tshark with the esp_sa table and integrity checking, one row per frame. */
function tshark(dir: string): Row[] {
  const sas = readFileSync(join(dir, 'esp_sa'), 'utf8').split('\n').filter((l) => l.length > 0);
  const out = execFileSync('tshark', [
    '-r', join(dir, 'internet.pcap'),
    '-o', 'esp.enable_encryption_decode:TRUE', '-o', 'esp.enable_authentication_check:TRUE',
    ...sas.flatMap((l) => ['-o', `uat:esp_sa:${l}`]),
    '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=f', ...FIELDS.flatMap((f) => ['-e', f]),
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  return out.split('\n').filter((l) => l.length > 0).map((l) => {
    const cols = l.split('\t');
    return Object.fromEntries(FIELDS.map((f, k) => [f, cols[k] ?? ''])) as Row;
  });
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}


/** The NAT's public ports of the device's 500 and 4500, read from what the gateway received. */
function mappedPorts(ike: readonly IkeEvent[], natPublic: string): { p500: number; p4500: number } {
  const got = ike.filter((e) => e.node === 'gw1' && e.action === 'received' && e.src === natPublic);
  const p500 = got.find((e) => e.dport === 500)?.sport;
  const p4500 = got.find((e) => e.dport === 4500)?.sport;
  if (p500 === undefined || p4500 === undefined) throw new Error('the gateway received nothing on 500 or 4500');
  return { p500, p4500 };
}

/** What both IKE versions show behind the NAT; returns the ESP frames' count. */
function checkCapture(r: Ran, natPublic: string, ports: { p500: number; p4500: number }): number {
  const rows = tshark(r.dir);
  expect(rows.length).toBe(readPcap(r.result.captures!.pcaps.internet!).length);
  let esp = 0;
  let keepalives = 0;
  const fragments = new Map<string, Uint8Array[]>();
  for (const row of rows) {
    const where = `frame ${row['frame.number']}`;
    // Only public addresses on the Internet: the device's own address never leaves the NAT.
    expect([row['ip.src'], row['ip.dst']].sort(), where).toEqual([GATEWAY, natPublic].sort());
    expect(row['ip.proto'], `${where}: every frame is UDP`).toBe('17');
    const natSide = row['ip.src'] === natPublic ? row['udp.srcport'] : row['udp.dstport'];
    const gwSide = row['ip.src'] === natPublic ? row['udp.dstport'] : row['udp.srcport'];
    if (row['isakmp.ispi'] !== '') {
      // IKE: 500 ↔ the NAT's port for 500 before the float, then 4500 ↔ its port for 4500 after the non-ESP marker.
      const floated = gwSide === '4500';
      expect(natSide, where).toBe(String(floated ? ports.p4500 : ports.p500));
      if (!floated) expect(gwSide, where).toBe('500');
      expect(row['udpencap.non_esp_marker'] !== '', `${where}: non-ESP marker on 4500 only`).toBe(floated);
      continue;
    }
    expect([gwSide, natSide], where).toEqual(['4500', String(ports.p4500)]);
    if (row['udpencap.nat_keepalive'] !== '') {
      expect(row['ip.src'], `${where}: the device sends the keepalives`).toBe(natPublic);
      keepalives++;
      continue;
    }
    // ESP in UDP: checksum zero (RFC 3948 §2.1), verified and decrypted by Wireshark.
    expect(row['esp.spi'], `${where}: ESP`).not.toBe('');
    expect(row['udp.checksum'], where).toBe('0x0000');
    expect(row['esp.icv_good'] === '1' || row['esp.icv_good'] === 'True', `${where}: ICV good`).toBe(true);
    const plain = Uint8Array.from(Buffer.from(row['esp.decrypted_data'], 'hex'));
    expect(plain.length, `${where}: decrypted`).toBeGreaterThan(20);
    const inner = plain.subarray(0, (plain[2]! << 8) | plain[3]!);
    esp++;
    if ((inner[6]! & 0x3f) !== 0 || inner[7] !== 0) {
      const k = datagramKey(inner);
      fragments.set(k, [...(fragments.get(k) ?? []), inner.slice()]);
    } else {
      expectSent(inner, r.lan, where);
    }
  }
  for (const [k, parts] of fragments) {
    const sent = r.lan.get(k);
    expect(sent, `fragments ${k}: never sent`).toBeDefined();
    parts.sort((a, b) => (((a[6]! & 0x1f) << 8) | a[7]!) - (((b[6]! & 0x1f) << 8) | b[7]!));
    expect(hex(Buffer.concat(parts.map((p) => p.subarray(20)))), `fragments ${k}`).toBe(hex(sent!.subarray(20)));
  }
  expect(keepalives, 'keepalives on the wire').toBe(r.ike.filter((e) => e.action === 'send' && e.text.includes('NAT-T keepalive')).length);
  return esp;
}

describe('a site device behind a NAT', () => {
  it('tshark is installed (CI installs it; this test fails without it)', () => {
    expect(tsharkVersion(), 'tshark not found: install it as .ci/run does').not.toBeNull();
  });

  it('IKEv2 (route-based): the device starts, IKE floats to 4500, ESP in UDP decrypts in tshark, keepalives every 20 s', () => {
    expect(tsharkVersion(), 'tshark not found').not.toBeNull();
    const r = run(load(readFileSync(EXAMPLE, 'utf8'), EXAMPLE));
    const natPublic = '198.51.100.50';
    // The device starts from its own address; nothing is sent by the gateway before it answers.
    const sends = r.ike.filter((e) => e.action === 'send');
    expect(sends[0]).toMatchObject({ node: 'home/device', src: '192.168.1.2', sport: 500, dst: GATEWAY, dport: 500 });
    expect(sends[0]!.text).toContain('IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]');
    const ports = mappedPorts(r.ike, natPublic);
    expect(ports.p500).toBeGreaterThanOrEqual(49152);
    expect(ports.p4500).toBeGreaterThanOrEqual(49152);
    expect(ports.p4500).not.toBe(ports.p500);
    const logs = r.ike.filter((e) => e.action === 'log').map((e) => `${e.node}: ${e.text}`);
    expect(logs).toContain('gw1: log       remote host is behind NAT');
    expect(logs).toContain('home/device: log       local host is behind NAT, sending keep alives');
    // IKE_AUTH on 4500 both ways: sent from the device's own 4500, received from the NAT's port.
    const auth = r.ike.filter((e) => e.text.includes('IKE_AUTH'));
    expect(auth.map((e) => [e.node, e.action, e.src, e.sport, e.dst, e.dport])).toEqual([
      ['home/device', 'send', '192.168.1.2', 4500, GATEWAY, 4500],
      ['gw1', 'received', natPublic, ports.p4500, GATEWAY, 4500],
      ['gw1', 'send', GATEWAY, 4500, natPublic, ports.p4500],
      ['home/device', 'received', GATEWAY, 4500, '192.168.1.2', 4500],
    ]);
    expect(r.result.ike[0]).toMatchObject({ status: 'IPSEC_SESSION_ESTABLISHED', peerStatus: 'IPSEC_SESSION_ESTABLISHED', initiator: 'home/device', lost: 0 });
    // Keepalives every 20 s from the device while the run lasts (its last packet is at 47 s).
    const keepalives = r.ike.filter((e) => e.text.includes('NAT-T keepalive'));
    expect(keepalives.map((e) => [e.t, e.node, e.action, e.sport, e.dport, e.bytes])).toEqual([
      [20, 'home/device', 'send', 4500, 4500, 1], [20, 'gw1', 'received', ports.p4500, 4500, 1],
      [40, 'home/device', 'send', 4500, 4500, 1], [40, 'gw1', 'received', ports.p4500, 4500, 1],
    ]);
    // 4 + 4 packets both ways and one packet in two fragments: 10 ESP-in-UDP frames.
    expect(checkCapture(r, natPublic, ports)).toBe(10);
    const flows = Object.fromEntries(r.result.flows.map((f) => [f.id, [f.sent, f.delivered, f.dropReasons]]));
    expect(flows).toEqual({ backup: [4, 4, {}], replies: [4, 4, {}], 'big-df': [1, 0, { mtu: 1 }], big: [1, 1, {}] });
    expect(r.result.expectations.every((x) => x.passed)).toBe(true);
    // Deterministic: the same scenario and seed give the same bytes, NAT ports included.
    const again = run(load(readFileSync(EXAMPLE, 'utf8'), EXAMPLE));
    expect(hex(again.result.captures!.pcaps.internet!)).toBe(hex(r.result.captures!.pcaps.internet!));
  });

  it('IKEv1 (policy-based): RFC 3947 NAT-T, Quick Mode on 4500, ESP in UDP decrypts in tshark, the endpoint\'s own keepalives', () => {
    expect(tsharkVersion(), 'tshark not found').not.toBeNull();
    const r = run(policyBasedCopy());
    const natPublic = '198.51.100.50';
    const ports = mappedPorts(r.ike, natPublic);
    expect(r.ike.find((e) => e.action === 'send')).toMatchObject({ node: 'home/device', src: '192.168.1.2', sport: 500 });
    expect(r.ike.some((e) => e.node === 'gw1' && e.text.includes('received NAT-T (RFC 3947) vendor ID'))).toBe(true);
    const qm = r.ike.filter((e) => e.text.includes('QUICK_MODE request') && e.action === 'received' && e.node === 'gw1');
    expect(qm.length).toBeGreaterThan(0);
    for (const e of qm) expect([e.src, e.sport, e.dport]).toEqual([natPublic, ports.p4500, 4500]);
    expect(r.result.ike[0]).toMatchObject({ version: 1, status: 'IPSEC_SESSION_ESTABLISHED', initiator: 'home/device' });
    expect(r.ike.some((e) => e.node === 'gw1' && e.action === 'status' && e.text.includes('UDP-encapsulated (NAT)'))).toBe(true);
    const keepalives = r.ike.filter((e) => e.action === 'send' && e.text.includes('NAT-T keepalive'));
    expect(keepalives.length).toBeGreaterThanOrEqual(2);
    for (const e of keepalives) expect([e.node, e.sport, e.dport]).toEqual(['home/device', 4500, 4500]);
    expect(checkCapture(r, natPublic, ports)).toBe(10);
    const flows = Object.fromEntries(r.result.flows.map((f) => [f.id, [f.sent, f.delivered]]));
    expect(flows).toEqual({ backup: [4, 4], replies: [4, 4], 'big-df': [1, 0], big: [1, 1] });
  });
});
