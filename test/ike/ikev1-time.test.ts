/**
 * The IKEv1 endpoint over time and over a lossy path: retransmission of identical bytes, the
 * peer's retransmissions answered from the stored response (strongSwan's task_manager_v1:
 * IKEv1 has no message-ID window, a retransmission is known by its bytes), duplicates,
 * CHILD_SA rekeying before expiry with the old SA kept until it expires, ISAKMP SA
 * re-authentication that keeps the tunnels, NAT traversal (float to 4500, the non-ESP marker,
 * UDP-encapsulated tunnel mode, keepalives), and garbage on the wire as values, never throws.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../sim/util/prng.js';
import { azureAndDevice, pair, statuses } from './ikev1-setup.js';
import { ip } from '../wire/hex.js';

const DEVICE_PAIR = pair('10.2.0.0/16', '10.1.0.0/16');

function hexOf(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

describe('IKEv1 retransmission and duplicates', () => {
  it('a lost MM4: the device sends MM3 again with the same bytes, Azure answers with the same MM4', () => {
    const { net } = azureAndDevice();
    let lost = false;
    net.drop((t) => {
      if (lost || !t.summary.startsWith('ID_PROT response') || !t.summary.includes('KE')) return false;
      lost = true;
      return true;
    }, 'lost once');
    net.call('device', (e, now) => e.acquire(DEVICE_PAIR, now));
    net.run(20);
    const mm3 = net.sent().filter((t) => t.from === 'device' && t.summary.includes('[ KE No'));
    expect(mm3.map((t) => t.retransmit)).toEqual([0, 1]);
    expect(hexOf(mm3[1]!.datagram.payload)).toBe(hexOf(mm3[0]!.datagram.payload));
    expect(mm3[1]!.time - mm3[0]!.time).toBeCloseTo(4, 9);
    const mm4 = net.sent().filter((t) => t.from === 'azure' && t.summary.includes('[ KE No'));
    expect(mm4).toHaveLength(2);
    expect(hexOf(mm4[1]!.datagram.payload)).toBe(hexOf(mm4[0]!.datagram.payload));
    expect(net.logs('azure')).toContain('received retransmit of request with ID 0, retransmitting response');
    expect(net.outputs('azure', 'ike-sa-keys')).toHaveLength(1); // the keys were derived once
    expect(statuses(net, 'device').map((s) => s.status)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
  });

  it('a lost QM3: Azure retransmits QM2, the device sends the kept QM3 again, both install once', () => {
    const { net } = azureAndDevice();
    let lost = false;
    net.drop((t) => {
      if (lost || t.summary !== `QUICK_MODE request ${t.summary.split(' ')[2]} [ HASH ]`) return false;
      lost = true;
      return true;
    }, 'lost once');
    net.call('device', (e, now) => e.acquire(DEVICE_PAIR, now));
    net.run(20);
    const qm2 = net.sent().filter((t) => t.from === 'azure' && t.summary.startsWith('QUICK_MODE response'));
    expect(qm2.map((t) => t.retransmit)).toEqual([0, 1]);
    expect(hexOf(qm2[1]!.datagram.payload)).toBe(hexOf(qm2[0]!.datagram.payload));
    const qm3 = net.sent().filter((t) => t.from === 'device' && t.summary.endsWith('[ HASH ]'));
    expect(qm3).toHaveLength(2);
    expect(hexOf(qm3[1]!.datagram.payload)).toBe(hexOf(qm3[0]!.datagram.payload));
    expect(net.logs('device')).toContain(`received retransmit of response with ID ${qm2[0]!.summary.split(' ')[2]}, resending last request`);
    expect(net.outputs('azure', 'child-up')).toHaveLength(1);
    expect(net.outputs('device', 'child-up')).toHaveLength(1);
    expect(net.outputs('azure', 'received').every((r) => r.problem === null)).toBe(true);
  });

  it('every datagram delivered twice: each side answers each duplicate as strongSwan does and installs once', () => {
    const { net } = azureAndDevice();
    net.duplicate(() => true, 0.002);
    net.call('device', (e, now) => e.acquire(DEVICE_PAIR, now));
    net.run(30);
    expect(net.outputs('azure', 'child-up')).toHaveLength(1);
    expect(net.outputs('device', 'child-up')).toHaveLength(1);
    expect(net.outputs('azure', 'ike-sa-keys')).toHaveLength(1);
    const azureLogs = net.logs('azure');
    expect(azureLogs).toContain('received retransmit of request with ID 0, retransmitting response');
    expect(azureLogs.some((l) => /^received retransmit of request with ID \d+, but no response to retransmit$/.test(l))).toBe(true);
    expect(net.logs('device').some((l) => /^received retransmit of response with ID 0, but next request already sent$/.test(l))).toBe(true);
    for (const side of ['azure', 'device']) {
      expect(net.outputs(side, 'received').every((r) => r.problem === null)).toBe(true);
      expect(statuses(net, side).map((s) => s.status)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
    }
  });

  it('garbage and mutated datagrams are received with a problem, never thrown (seeded, bounded)', () => {
    const { net, azure, device } = azureAndDevice();
    net.call('device', (e, now) => e.acquire(DEVICE_PAIR, now));
    net.run(5);
    const real = net.sent().map((t) => t.datagram);
    const prng = new Prng(2016, 'ikev1-garbage');
    let problems = 0;
    for (let i = 0; i < 400; i++) {
      const base = real[prng.int(real.length)]!;
      const payload = base.payload.slice();
      const flips = 1 + prng.int(4);
      for (let k = 0; k < flips; k++) payload[prng.int(payload.length)] = prng.int(256);
      const cut = prng.int(5) === 0 ? payload.subarray(0, prng.int(payload.length)) : payload;
      const to = prng.int(2) === 0 ? azure : device;
      const d = { ...base, src: to === azure ? base.src : base.dst, dst: to.config.local, payload: cut };
      const out = to.receive(d, 5 + i * 0.001);
      const received = out.filter((o) => o.kind === 'received');
      expect(received.length).toBeLessThanOrEqual(1);
      if (received[0]?.kind === 'received' && received[0].problem !== null) problems++;
    }
    expect(problems).toBeGreaterThan(300);
    // The tunnel is still there afterwards.
    expect(azure.sas().some((s) => s.state === 'established')).toBe(true);
  });
});

describe('IKEv1 lifetimes', () => {
  it('the device rekeys its CHILD_SA 300 s before 3600 s; the old SA stays until it expires, then is deleted', () => {
    const { net, azure, device } = azureAndDevice();
    net.call('device', (e, now) => e.acquire(DEVICE_PAIR, now));
    net.run(3000);
    const [first] = net.outputs('device', 'child-up');
    net.run(3700);
    const ups = net.timedOutputs('device').filter((o) => o.output.kind === 'child-up');
    expect(ups).toHaveLength(2);
    expect(ups[1]!.time).toBeCloseTo(3300.07, 1);
    const second = ups[1]!.output.kind === 'child-up' ? ups[1]!.output.child : null;
    expect(second!.replacesInboundSpi).toBe(first!.child.inboundSpi);
    expect(second!.reqid).toBe(first!.child.reqid);
    expect(second!.inboundSpi).not.toBe(first!.child.inboundSpi);
    expect(net.logs('azure')).toContain('detected rekeying of CHILD_SA pb{1}');
    const [azureNew] = net.outputs('azure', 'child-up').slice(1);
    expect(azureNew!.child.replacesInboundSpi).toBe(first!.child.outboundSpi);
    // The old one expires at 3600 s on the side that installed it first and is deleted on both.
    const downs = net.timedOutputs('device').filter((o) => o.output.kind === 'child-down');
    expect(downs.map((o) => (o.output.kind === 'child-down' ? [o.output.inboundSpi, o.output.reason] : []))).toEqual([[first!.child.inboundSpi, 'lifetime expired']]);
    expect(downs[0]!.time).toBeCloseTo(3600.08, 1);
    expect(net.logs('device').some((l) => l.startsWith('closing expired CHILD_SA pb{1} with SPIs'))).toBe(true);
    expect(net.outputs('azure', 'child-down').map((o) => o.reason)).toEqual(['deleted by the peer']);
    // Azure never started a rekey of its own: the device's came first.
    expect(net.sent().filter((t) => t.from === 'azure' && t.summary.startsWith('QUICK_MODE request'))).toEqual([]);
    expect(azure.sas()[0]!.children.map((c) => c.inboundSpi)).toEqual([second!.outboundSpi]);
    expect(device.sas()[0]!.children.map((c) => c.inboundSpi)).toEqual([second!.inboundSpi]);
    // The rekey is no news to the connection's state: one status each, from the first SA.
    expect(statuses(net, 'device').map((s) => s.status)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
    expect(statuses(net, 'azure').map((s) => s.status)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
  });

  it('the ISAKMP SA re-authenticates before 28,800 s; the new one keeps the CHILD_SAs and the old one is deleted', () => {
    const { net, azure, device } = azureAndDevice({}, {}, 3);
    net.call('device', (e, now) => e.acquire(DEVICE_PAIR, now));
    net.run(29_000);
    expect(net.logs('device')).toContain('reauthenticating IKE_SA pb[1]');
    expect(net.logs('device')).toContain('sending DELETE for IKE_SA pb[1]');
    expect(net.logs('azure')).toContain('received DELETE for IKE_SA pb[1]');
    expect(device.sas().map((s) => [s.name, s.state])).toEqual([['pb[2]', 'established']]);
    expect(azure.sas().map((s) => [s.name, s.state])).toEqual([['pb[2]', 'established']]);
    // The tunnel never went down for lack of an ISAKMP SA: every CHILD_SA ended by expiry after its rekey.
    expect(net.outputs('azure', 'child-down').every((o) => o.reason === 'deleted by the peer')).toBe(true);
    expect(net.outputs('device', 'child-down').every((o) => o.reason === 'lifetime expired')).toBe(true);
    expect(device.sas()[0]!.children).toHaveLength(1);
    expect(azure.sas()[0]!.children).toHaveLength(1);
    expect(device.sas()[0]!.children[0]!.inboundSpi).toBe(azure.sas()[0]!.children[0]!.outboundSpi);
  });
});

describe('IKEv1 NAT traversal', () => {
  const PUBLIC = ip('192.0.2.77');

  it('a device behind a NAT: MM5 on to 4500 behind the marker, UDP-encapsulated tunnel mode, keepalives', () => {
    const { net, azure, device } = azureAndDevice({ remote: PUBLIC, remoteId: null }, {});
    net.natBehind('device', PUBLIC);
    net.call('device', (e, now) => e.acquire(DEVICE_PAIR, now));
    net.run(70);
    const sent = net.sent();
    const mm = sent.filter((t) => t.summary.startsWith('ID_PROT'));
    // As sent: Azure answers the NAT's public ports (500 → 40000, then 4500 → 40001).
    expect(mm.map((t) => [t.datagram.sport, t.datagram.dport])).toEqual([
      [500, 500],
      [500, 40000],
      [500, 500],
      [500, 40000],
      [4500, 4500],
      [4500, 40001],
    ]);
    for (const t of sent.filter((x) => x.datagram.sport === 4500 && x.summary !== 'NAT-T keepalive')) expect(hexOf(t.datagram.payload.subarray(0, 4))).toBe('00000000');
    expect(net.logs('device')).toContain('local host is behind NAT, sending keep alives');
    expect(net.logs('azure')).toContain('remote host is behind NAT');
    expect(azure.sas()[0]!.children[0]!.udpEncapsulated).toBe(true);
    expect(device.sas()[0]!.children[0]!.udpEncapsulated).toBe(true);
    expect(net.outputs('azure', 'child-up').map((o) => o.child.udpEncapsulation)).toEqual([{ localPort: 4500, remotePort: 40001 }]);
    expect(net.outputs('device', 'child-up').map((o) => o.child.udpEncapsulation)).toEqual([{ localPort: 4500, remotePort: 4500 }]);
    expect(statuses(net, 'azure')[0]!.detail).toContain('UDP-encapsulated (NAT)');
    const keepalives = net.timedOutputs('device').filter((o) => o.output.kind === 'send' && o.output.summary === 'NAT-T keepalive');
    expect(keepalives.map((k) => Math.round(k.time - keepalives[0]!.time))).toEqual([0, 20, 40]);
    expect(net.outputs('azure', 'received').filter((r) => r.summary === 'NAT-T keepalive').map((r) => [r.datagram.dport, r.problem])).toEqual([
      [4500, null],
      [4500, null],
      [4500, null],
    ]);
    expect(azure.sas()[0]!.remotePort).toBe(40001);
  });

  it('without the NAT-T vendor ID on one side there is no NAT-D and no float', () => {
    const { net, azure } = azureAndDevice({}, { natTraversal: false });
    net.call('device', (e, now) => e.acquire(DEVICE_PAIR, now));
    net.run(10);
    expect(net.sent().map((t) => t.summary.replace(/ \d+ \[/, ' [')).slice(0, 4)).toEqual([
      'ID_PROT request [ SA ]',
      'ID_PROT response [ SA ]',
      'ID_PROT request [ KE No ]',
      'ID_PROT response [ KE No ]',
    ]);
    expect(net.sent().every((t) => t.datagram.sport === 500 && t.datagram.dport === 500)).toBe(true);
    expect(azure.sas()[0]!.children[0]!.udpEncapsulated).toBe(false);
    expect(net.outputs('azure', 'child-up').map((o) => o.child.udpEncapsulation)).toEqual([null]);
  });
});
