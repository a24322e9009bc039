/**
 * The IKEv2 message window between two endpoints in memory (RFC 7296 §2.1-§2.3): a lost
 * response makes the requester resend identical bytes, and the responder answers the
 * duplicate from its cache (identical response, the exchange not processed twice); a
 * duplicated datagram is answered again the same way; responses match requests by message
 * ID; each side counts its own requests. Anything unexpected — garbage, a response nobody
 * asked for, a request out of order, a message whose ICV does not verify, a keepalive,
 * ESP-in-UDP — is a `received` output with a `problem` (or a harmless summary), never an
 * exception, and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import type { IkeDatagram, IkeOutput } from '../../sim/ike/endpoint.js';
import { decodeMessage } from '../../sim/wire/ikev2-message.js';
import { AZURE_ADDR, DEVICE_ADDR, ikev2Pair } from '../support/ikev2-pair.js';

type Received = Extract<IkeOutput, { kind: 'received' }>;

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

function messageId(d: IkeDatagram): number {
  const m = decodeMessage(d.payload);
  if (!m.ok) throw new Error(m.error.message);
  return m.value.header.messageId;
}

describe('IKEv2 window', () => {
  it('a lost IKE_AUTH response: the initiator resends the same bytes, the responder answers from its cache once more', () => {
    const { net } = ikev2Pair();
    let dropped = 0;
    const drop = net.drop((t) => t.summary.startsWith('IKE_AUTH response') && dropped++ < 1);
    net.run(10);
    drop.remove();
    const requests = net.sent().filter((t) => t.summary.startsWith('IKE_AUTH request'));
    expect(requests.map((t) => [t.time, t.retransmit])).toEqual([
      [0.02, 0],
      [4.02, 1],
    ]);
    expect(hex(requests[1]!.datagram.payload)).toBe(hex(requests[0]!.datagram.payload));
    const responses = net.sent().filter((t) => t.summary.startsWith('IKE_AUTH response'));
    expect(responses.map((t) => t.retransmit)).toEqual([0, 1]);
    expect(hex(responses[1]!.datagram.payload)).toBe(hex(responses[0]!.datagram.payload));
    expect(net.logs('azure')).toContain('received retransmit of request with ID 1, retransmitting response');
    // Processed once: one child, one status on the responder.
    expect(net.outputs('azure', 'child-up')).toHaveLength(1);
    expect(net.outputs('azure', 'status')).toHaveLength(1);
    expect(net.outputs('device', 'child-up')).toHaveLength(1);
    expect(net.logs('device')).toContain('retransmit 1 of request with message ID 1');
  });

  it('a lost IKE_SA_INIT response: the retransmitted request gets the cached response, not a second SA', () => {
    const { net, azure } = ikev2Pair();
    let dropped = 0;
    net.drop((t) => t.summary.startsWith('IKE_SA_INIT response') && dropped++ < 1);
    net.run(10);
    const responses = net.sent().filter((t) => t.summary.startsWith('IKE_SA_INIT response'));
    expect(responses).toHaveLength(2);
    expect(hex(responses[1]!.datagram.payload)).toBe(hex(responses[0]!.datagram.payload));
    expect(azure.ikeSas()).toHaveLength(1);
    expect(net.outputs('azure', 'ike-sa-keys')).toHaveLength(1);
    expect(net.outputs('device', 'status').map((s) => s.status)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
  });

  it('duplicated datagrams: a duplicate request is answered from the cache, a duplicate response is dropped as unexpected', () => {
    const { net } = ikev2Pair({ start: false });
    net.duplicate(() => true);
    net.start(0);
    net.run(5);
    const received = (name: string): Received[] => net.outputs(name, 'received');
    // Two requests each way arrive; the responder answers both; each answer arrives twice.
    const problems = received('device').filter((r) => r.problem !== null).map((r) => r.problem);
    expect(problems).toEqual([
      ...Array<string>(3).fill('unexpected IKE_SA_INIT response'),
      ...Array<string>(3).fill('received response with message ID 1, but no request is outstanding'),
    ]);
    expect(net.logs('azure').filter((l) => l.startsWith('received retransmit of request'))).toEqual([
      'received retransmit of request with ID 0, retransmitting response',
      'received retransmit of request with ID 1, retransmitting response',
    ]);
    expect(net.outputs('azure', 'child-up')).toHaveLength(1);
    expect(net.outputs('device', 'child-up')).toHaveLength(1);
  });

  it('each side counts its own requests; responses carry the request\'s message ID', () => {
    const { net } = ikev2Pair({ azure: { dpdDelay: 10 }, device: { dpdDelay: 25 } });
    net.run(40);
    const ids = net.sent().map((t) => [t.from, t.summary.split(' ').slice(0, 3).join(' '), messageId(t.datagram)]);
    expect(ids).toEqual([
      ['device', 'IKE_SA_INIT request 0', 0],
      ['azure', 'IKE_SA_INIT response 0', 0],
      ['device', 'IKE_AUTH request 1', 1],
      ['azure', 'IKE_AUTH response 1', 1],
      ['azure', 'INFORMATIONAL request 0', 0],
      ['device', 'INFORMATIONAL response 0', 0],
      ['azure', 'INFORMATIONAL request 1', 1],
      ['device', 'INFORMATIONAL response 1', 1],
      ['azure', 'INFORMATIONAL request 2', 2],
      ['device', 'INFORMATIONAL response 2', 2],
    ]);
    // The device's DPD never came due: azure's requests kept its idle time short.
    expect(net.logs('device')).not.toContain('sending DPD request');
    expect(net.logs('azure').filter((l) => l === 'sending DPD request')).toHaveLength(3);
  });

  it('unexpected input is a received output with a problem and changes nothing', () => {
    const { net, azure, device } = ikev2Pair();
    net.run(5);
    const before = JSON.stringify([azure.ikeSas(), device.ikeSas()]);
    const established = net.sent();
    const authRequest = established[2]!.datagram;
    const at = (payload: Uint8Array, dport = 500): IkeDatagram => ({ src: DEVICE_ADDR, dst: AZURE_ADDR, sport: 500, dport, payload });
    const flipped = authRequest.payload.slice();
    flipped[flipped.length - 1]! ^= 1;
    const futureId = authRequest.payload.slice();
    futureId[23] = 9; // message ID 9: out of the window
    const responseFlag = authRequest.payload.slice();
    responseFlag[19] = 0x28; // I and R: a response to nothing
    const unknownSpi = authRequest.payload.slice();
    unknownSpi[0]! ^= 0xff;
    const cases: [IkeDatagram, string | null, string][] = [
      [at(Uint8Array.of(1, 2, 3)), 'message parsing failed: IKE header: need 28 bytes, have 3', ''],
      [at(flipped), null, 'received retransmit'],
      [at(futureId), 'received message ID 9, expected 2, ignored', ''],
      [at(responseFlag), 'received response with message ID 1, but no request is outstanding', ''],
      [at(unknownSpi), null, 'no IKE_SA found'],
      [at(Uint8Array.of(0xff), 4500), null, 'NAT-T keepalive'],
      [at(Uint8Array.of(0xc0, 1, 2, 3, 0, 0, 0, 1), 4500), 'ESP in UDP (no non-ESP marker): not IKE, for the host', ''],
    ];
    for (const [d] of cases) net.inject('device', d);
    net.run(6);
    const got = net.outputs('azure', 'received').slice(-cases.length);
    expect(got).toHaveLength(cases.length);
    cases.forEach(([, problem, hint], i) => {
      const r = got[i]!;
      if (problem !== null) expect(r.problem, `case ${i}`).toBe(problem);
      else if (hint === 'received retransmit') expect(r.problem, 'a tampered copy of the last request is not a retransmit').toBe('received message ID 1, expected 2, ignored');
      else if (hint === 'no IKE_SA found') expect(r.problem).toMatch(/^no IKE_SA found for SPIs [0-9a-f]{16}_i [0-9a-f]{16}_r$/);
      else expect([r.summary, r.problem]).toEqual([hint, null]);
    });
    // The ICV check: a message in the window whose last byte (ICV) changed is refused as such.
    const dpdLike = authRequest.payload.slice();
    dpdLike[23] = 2;
    dpdLike[dpdLike.length - 1]! ^= 1;
    net.inject('device', at(dpdLike));
    net.run(7);
    expect(net.outputs('azure', 'received').at(-1)!.problem).toBe('integrity check failed');
    expect(JSON.stringify([azure.ikeSas(), device.ikeSas()])).toBe(before);
    expect(net.sent().filter((t) => t.summary !== '').length).toBe(established.length);
  });
});
