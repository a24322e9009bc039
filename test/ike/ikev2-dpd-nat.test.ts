/**
 * Liveness and NAT traversal between two IKEv2 endpoints in memory. DPD: an empty
 * INFORMATIONAL after the configured idle time; on a cut path its retransmits give up, the
 * IKE SA and its child go (MISSING_END_POINT, child-down), the initiating side keeps trying
 * and the tunnel comes back once the path is restored. NAT: a device behind a
 * port-translating NAT sends NAT detection in IKE_SA_INIT; both sides find the NAT on the
 * device's side (RFC 7296 §2.23), IKE moves to 4500 with the non-ESP marker from IKE_AUTH on,
 * the gateway follows the NAT's public port; without NAT traversal configured nothing moves.
 */
import { describe, expect, it } from 'vitest';
import { natDetectionHash } from '../../sim/ike/ikev2/nat-detection.js';
import { CRYPTO_BACKENDS } from '../../sim/ipsec/backends.js';
import { createHash } from 'node:crypto';
import { decodeMessage } from '../../sim/wire/ikev2-message.js';
import { AZURE_ADDR, DEVICE_ADDR, espRoundTrip, ikev2Pair } from '../support/ikev2-pair.js';

const NAT_PUBLIC = 0xc0000201; // 192.0.2.1
const DEVICE_INSIDE = 0xc0a8010a; // 192.168.1.10

describe('IKEv2 DPD', () => {
  it('an idle SA sends an empty INFORMATIONAL every dpdDelay seconds, answered empty', () => {
    const { net } = ikev2Pair({ azure: { dpdDelay: 30 } });
    net.run(100);
    const dpd = net.sent().filter((t) => t.summary.startsWith('INFORMATIONAL'));
    expect(dpd.map((t) => [t.from, Math.round(t.time * 100) / 100, t.summary])).toEqual([
      ['azure', 30.03, 'INFORMATIONAL request 0 [ ]'],
      ['device', 30.04, 'INFORMATIONAL response 0 [ ]'],
      ['azure', 60.05, 'INFORMATIONAL request 1 [ ]'],
      ['device', 60.06, 'INFORMATIONAL response 1 [ ]'],
      ['azure', 90.07, 'INFORMATIONAL request 2 [ ]'],
      ['device', 90.08, 'INFORMATIONAL response 2 [ ]'],
    ]);
    expect(net.logs('azure').filter((l) => l === 'sending DPD request')).toHaveLength(3);
  });

  it('on a cut path DPD gives up: MISSING_END_POINT, the child goes; after the fault the initiator brings the tunnel back', () => {
    const { net, azure, device } = ikev2Pair({ azure: { dpdDelay: 30 }, device: { dpdDelay: 30 } });
    net.run(100);
    const firstChild = net.outputs('azure', 'child-up')[0]!.child;
    net.cut();
    net.run(400);
    for (const side of ['azure', 'device'] as const) {
      const logs = net.logs(side);
      expect(logs).toContain('giving up after 5 retransmits');
      const statuses = net.outputs(side, 'status').map((s) => s.status);
      expect(statuses).toContain('MISSING_END_POINT');
      const down = net.outputs(side, 'child-down');
      expect(down.map((o) => o.reason)).toEqual(['peer not responding']);
    }
    expect(net.outputs('azure', 'child-down')[0]!.inboundSpi).toBe(firstChild.inboundSpi);
    const dpdStatus = net.outputs('azure', 'status').find((s) => s.status === 'MISSING_END_POINT')!;
    expect(dpdStatus.detail).toMatch(/^the peer 198\.51\.100\.1:500 stopped answering: INFORMATIONAL request \d+ \[ \] unanswered after 5 retransmits over 165\.1 s; the IKE_SA and its CHILD_SAs are gone$/);
    expect(azure.ikeSas()).toEqual([]);
    // The device (the initiating side) keeps trying on the cut path.
    expect(device.ikeSas().map((s) => s.state)).toEqual(['connecting']);
    const restoredAt = net.now;
    net.restore();
    net.run(1000);
    const back = net.outputs('azure', 'status').at(-1)!;
    expect(back.status).toBe('IPSEC_SESSION_ESTABLISHED');
    const up = net.timedOutputs('azure').filter((o) => o.output.kind === 'child-up' && o.time > restoredAt);
    expect(up).toHaveLength(1);
    const a = up[0]!.output.kind === 'child-up' ? up[0]!.output.child : null;
    const d = net.outputs('device', 'child-up').at(-1)!.child;
    expect(espRoundTrip(a!, AZURE_ADDR, d, DEVICE_ADDR)).toEqual({ ok: true, same: true });
  });

  it('a closed connection deletes its IKE SA and does not come back', () => {
    const { net, azure, device } = ikev2Pair();
    net.run(5);
    net.call('device', (e, now) => e.close(now));
    net.run(10);
    expect(net.sent().slice(-2).map((t) => t.summary)).toEqual(['INFORMATIONAL request 2 [ D ]', 'INFORMATIONAL response 2 [ ]']);
    expect(net.logs('device')).toEqual(expect.arrayContaining(['sending DELETE for IKE_SA hq-gw1[1]', 'IKE_SA deleted']));
    expect(net.logs('azure')).toEqual(expect.arrayContaining(['received DELETE for IKE_SA gw1-hq[1]', 'IKE_SA deleted']));
    expect(net.outputs('azure', 'child-down').map((o) => o.reason)).toEqual(['deleted by the peer']);
    expect(net.outputs('device', 'child-down').map((o) => o.reason)).toEqual(['connection closed']);
    expect([azure.ikeSas(), device.ikeSas()]).toEqual([[], []]);
    expect(device.nextDeadline()).toBe(Infinity);
    net.run(10000);
    expect(net.sent().at(-1)!.summary).toBe('INFORMATIONAL response 2 [ ]');
  });
});

describe('IKEv2 NAT traversal', () => {
  it('the NAT detection hash is SHA-1 over SPIi, SPIr, address and port in network order (RFC 7296 §2.23)', () => {
    const spiI = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const spiR = new Uint8Array(8);
    const want = createHash('sha1').update(Buffer.concat([spiI, spiR, Buffer.from([198, 51, 100, 1, 0x01, 0xf4])])).digest('hex');
    expect(Buffer.from(natDetectionHash(CRYPTO_BACKENDS.node, spiI, spiR, DEVICE_ADDR, 500)).toString('hex')).toBe(want);
  });

  it('a device behind a NAT: both find the NAT on the device\'s side, IKE moves to 4500 with the non-ESP marker, the gateway follows the public port', () => {
    const { net, azure, device } = ikev2Pair({
      azure: { natTraversal: true, remoteId: { type: 'ipv4', addr: DEVICE_ADDR } },
      device: { natTraversal: true, local: DEVICE_INSIDE, localId: { type: 'ipv4', addr: DEVICE_ADDR } },
      start: false,
    });
    net.natBehind('device', NAT_PUBLIC, 40000);
    net.start(0);
    net.run(5);
    const sent = net.sent();
    expect(sent.map((t) => [t.from, t.summary, t.datagram.sport, t.datagram.dport])).toEqual([
      ['device', 'IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]', 500, 500],
      ['azure', 'IKE_SA_INIT response 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]', 500, 40000],
      ['device', 'IKE_AUTH request 1 [ IDi IDr AUTH SA TSi TSr ]', 4500, 4500],
      ['azure', 'IKE_AUTH response 1 [ IDr AUTH SA TSi TSr ]', 4500, 40001],
    ]);
    // From IKE_AUTH on: four zero bytes, then the IKE header (RFC 3948 §2.2).
    for (const t of sent.slice(2)) {
      expect([...t.datagram.payload.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
      const m = decodeMessage(t.datagram.payload.subarray(4));
      expect(m.ok).toBe(true);
    }
    expect(net.logs('device')).toContain('local host is behind NAT, sending keep alives');
    expect(net.logs('azure')).toContain('remote host is behind NAT');
    const [a] = azure.ikeSas();
    const [d] = device.ikeSas();
    expect([a!.natHere, a!.natThere, a!.localPort, a!.peerAddress, a!.peerPort]).toEqual([false, true, 4500, NAT_PUBLIC, 40001]);
    expect([d!.natHere, d!.natThere, d!.localPort, d!.peerAddress, d!.peerPort]).toEqual([true, false, 4500, AZURE_ADDR, 4500]);
    // The child SAs tell their host to carry ESP in UDP, between the ports IKE now uses.
    expect(net.outputs('azure', 'child-up').map((o) => o.child.udpEncapsulation)).toEqual([{ localPort: 4500, remotePort: 40001 }]);
    expect(net.outputs('device', 'child-up').map((o) => o.child.udpEncapsulation)).toEqual([{ localPort: 4500, remotePort: 4500 }]);
    // Later requests of either side go on 4500: a DPD from the gateway reaches the device through the NAT.
    expect(net.outputs('azure', 'status').map((s) => s.status)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
  });

  it('the gateway\'s later requests reach the device through the NAT mapping', () => {
    const { net } = ikev2Pair({
      azure: { natTraversal: true, dpdDelay: 20, remoteId: null },
      device: { natTraversal: true, local: DEVICE_INSIDE, localId: { type: 'ipv4', addr: DEVICE_ADDR } },
      start: false,
    });
    net.natBehind('device', NAT_PUBLIC, 40000);
    net.start(0);
    net.run(30);
    const dpd = net.delivered().filter((x) => x.transit.summary.startsWith('INFORMATIONAL'));
    expect(dpd.map((x) => [x.to, x.datagram.sport, x.datagram.dport])).toEqual([
      ['device', 4500, 4500],
      ['azure', 40001, 4500],
    ]);
  });

  it('NAT detection only when configured: without it a NAT is not looked for and IKE stays on 500', () => {
    const { net, azure } = ikev2Pair({ azure: { natTraversal: true }, device: { natTraversal: false } });
    net.run(5);
    expect(net.sent().map((t) => [t.summary, t.datagram.dport])).toEqual([
      ['IKE_SA_INIT request 0 [ SA KE No ]', 500],
      ['IKE_SA_INIT response 0 [ SA KE No ]', 500],
      ['IKE_AUTH request 1 [ IDi IDr AUTH SA TSi TSr ]', 500],
      ['IKE_AUTH response 1 [ IDr AUTH SA TSi TSr ]', 500],
    ]);
    expect(azure.ikeSas()[0]!.natThere).toBe(false);
    expect(net.outputs('azure', 'child-up').map((o) => o.child.udpEncapsulation)).toEqual([null]);
    // Both configured and no NAT: the hashes match, nothing moves.
    const plain = ikev2Pair({ azure: { natTraversal: true }, device: { natTraversal: true } });
    plain.net.run(5);
    expect(plain.net.sent().map((t) => t.datagram.dport)).toEqual([500, 500, 500, 500]);
    expect(plain.net.logs('device').some((l) => l.includes('behind NAT'))).toBe(false);
  });
});
