/**
 * Two Ikev2Endpoints in memory (test/support/ikev2-pair.ts on ike-net.ts) establish an IKE
 * SA and its first child, with either side initiating: the four messages are IKE_SA_INIT
 * and IKE_AUTH with the header fields RFC 7296 asks (message IDs 0 and 1, I and R flags,
 * the responder's SPI), both sides report IPSEC_SESSION_ESTABLISHED, hand out the same IKE
 * SA keys, and child SAs that mirror each other: an inner packet sealed with one side's
 * outbound SA opens with the other side's inbound SA (sim/ipsec/esp.ts), both ways, while
 * the same packet fails against a wrongly paired SA. Same seed, same bytes.
 */
import { describe, expect, it } from 'vitest';
import type { ChildSaInstall, IkeOutput } from '../../sim/ike/endpoint.js';
import { decodeMessage } from '../../sim/wire/ikev2-message.js';
import { spiKey } from '../../sim/wire/ikev2-header.js';
import { AZURE_ADDR, DEVICE_ADDR, espRoundTrip, ikev2Pair, pair } from '../support/ikev2-pair.js';

function only<K extends IkeOutput['kind']>(list: IkeOutput[], kind: K): Extract<IkeOutput, { kind: K }> {
  const got = list.filter((o): o is Extract<IkeOutput, { kind: K }> => o.kind === kind);
  expect(got, kind).toHaveLength(1);
  return got[0]!;
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

describe('IKEv2 establishment in memory', () => {
  for (const initiator of ['device', 'azure'] as const) {
    it(`${initiator} initiates: IKE_SA_INIT and IKE_AUTH, both sides established with mirrored keys and SPIs`, () => {
      const { net } = ikev2Pair({ azure: { initiator: initiator === 'azure' }, device: { initiator: initiator === 'device' } });
      net.run(5);
      const responder = initiator === 'azure' ? 'device' : 'azure';
      const sent = net.sent();
      expect(sent.map((t) => [t.from, t.summary])).toEqual([
        [initiator, 'IKE_SA_INIT request 0 [ SA KE No ]'],
        [responder, 'IKE_SA_INIT response 0 [ SA KE No ]'],
        [initiator, 'IKE_AUTH request 1 [ IDi IDr AUTH SA TSi TSr ]'],
        [responder, 'IKE_AUTH response 1 [ IDr AUTH SA TSi TSr ]'],
      ]);
      const headers = sent.map((t) => {
        const m = decodeMessage(t.datagram.payload);
        if (!m.ok) throw new Error(m.error.message);
        return m.value.header;
      });
      // RFC 7296 §3.1: I set on everything the original initiator sends, R on responses; the
      // responder's SPI is zero only in the first request.
      expect(headers.map((h) => [h.exchangeType, h.messageId, h.initiator, h.response])).toEqual([
        [34, 0, true, false],
        [34, 0, false, true],
        [35, 1, true, false],
        [35, 1, false, true],
      ]);
      expect(spiKey(headers[0]!.responderSpi)).toBe('0000000000000000');
      expect(new Set(headers.slice(1).map((h) => spiKey(h.responderSpi))).size).toBe(1);
      expect(new Set(headers.map((h) => spiKey(h.initiatorSpi))).size).toBe(1);
      expect(headers[2]!.responderSpi.some((b) => b !== 0)).toBe(true);
      // Messages 3 and 4 travel encrypted (the first payload is SK).
      expect(sent.slice(2).every((t) => t.datagram.payload[16] === 46)).toBe(true);

      const a = net.outputs('azure');
      const d = net.outputs('device');
      expect(only(a, 'status').status).toBe('IPSEC_SESSION_ESTABLISHED');
      expect(only(d, 'status').status).toBe('IPSEC_SESSION_ESTABLISHED');
      const ka = only(a, 'ike-sa-keys').keys;
      const kd = only(d, 'ike-sa-keys').keys;
      if (ka.version !== 2 || kd.version !== 2) throw new Error('IKEv2 keys expected');
      for (const k of ['spiI', 'spiR', 'skEi', 'skEr', 'skAi', 'skAr'] as const) expect(hex(ka[k]), k).toBe(hex(kd[k]));
      expect(hex(ka.spiI)).toBe(spiKey(headers[0]!.initiatorSpi));
      expect(ka.skEi.length).toBe(32);
      expect(ka.skAi.length).toBe(20);
      expect(hex(ka.skEi)).not.toBe(hex(ka.skEr));

      const ca = only(a, 'child-up').child;
      const cd = only(d, 'child-up').child;
      expect(ca.inboundSpi).toBe(cd.outboundSpi);
      expect(ca.outboundSpi).toBe(cd.inboundSpi);
      expect(ca.weInitiated).toBe(initiator === 'azure');
      expect(cd.weInitiated).toBe(initiator === 'device');
      expect(ca.transform.name).toBe('aes256-sha1');
      expect(hex(ca.keys.initiatorToResponder.encKey)).toBe(hex(cd.keys.initiatorToResponder.encKey));
      expect(hex(ca.keys.responderToInitiator.authKey)).toBe(hex(cd.keys.responderToInitiator.authKey));
      expect(hex(ca.keys.initiatorToResponder.encKey)).not.toBe(hex(ca.keys.responderToInitiator.encKey));
      expect(ca.selectors.map((p) => [p.local.text, p.remote.text])).toEqual([['0.0.0.0/0', '0.0.0.0/0']]);
      expect(ca.replacesInboundSpi).toBeNull();
      expect(ca.lifetime).toBe(3600);

      expect(espRoundTrip(ca, AZURE_ADDR, cd, DEVICE_ADDR)).toEqual({ ok: true, same: true });
      expect(espRoundTrip(cd, DEVICE_ADDR, ca, AZURE_ADDR)).toEqual({ ok: true, same: true });
      // Negative control: the receiver's own direction of keys under the sender's SPI does not open it.
      const crossed: ChildSaInstall = { ...cd, keys: { initiatorToResponder: cd.keys.responderToInitiator, responderToInitiator: cd.keys.initiatorToResponder } };
      expect(espRoundTrip(ca, AZURE_ADDR, crossed, DEVICE_ADDR)).toMatchObject({ ok: false, why: expect.stringMatching(/^icv-mismatch/) });

      expect(net.logs(responder)).toContain(`authentication of '${responder === 'azure' ? '198.51.100.1' : '203.0.113.10'}' with pre-shared key successful`);
      expect(net.logs(initiator).at(-1)).toMatch(/^CHILD_SA .*\{1\} established with SPIs [0-9a-f]{8}_i [0-9a-f]{8}_o and TS 0\.0\.0\.0\/0 === 0\.0\.0\.0\/0$/);
      expect(net.events.filter((e) => e.kind === 'output' && e.output.kind === 'received' && e.output.problem !== null)).toEqual([]);
    });
  }

  it('narrows the initiator\'s selectors to the responder\'s and installs the narrowed pairs', () => {
    const { net } = ikev2Pair({
      azure: { selectors: [pair('10.1.0.0/16', '192.168.0.0/16')] },
      device: { selectors: [pair('0.0.0.0/0', '10.1.0.0/16')] },
    });
    net.run(5);
    const cd = net.outputs('device', 'child-up')[0]!.child;
    const ca = net.outputs('azure', 'child-up')[0]!.child;
    expect(cd.selectors.map((p) => [p.local.text, p.remote.text])).toEqual([['192.168.0.0/16', '10.1.0.0/16']]);
    expect(ca.selectors.map((p) => [p.local.text, p.remote.text])).toEqual([['10.1.0.0/16', '192.168.0.0/16']]);
    expect(net.logs('device').at(-1)).toMatch(/and TS 192\.168\.0\.0\/16 === 10\.1\.0\.0\/16$/);
  });

  it('the same seed gives the same bytes; another seed other SPIs and nonces', () => {
    const bytesOf = (seed: number): string[] => {
      const { net } = ikev2Pair({ seed });
      net.run(5);
      return net.sent().map((t) => hex(t.datagram.payload));
    };
    const one = bytesOf(7);
    expect(bytesOf(7)).toEqual(one);
    const other = bytesOf(8);
    expect(other).toHaveLength(one.length);
    other.forEach((b, i) => expect(b, `message ${i}`).not.toBe(one[i]));
  });

  it('a responder-only pair never starts; the initiator alone sends exactly one request', () => {
    const quiet = ikev2Pair({ device: { initiator: false } });
    quiet.net.run(1000);
    expect(quiet.net.sent()).toEqual([]);
    expect(quiet.azure.nextDeadline()).toBe(Infinity);
    const { net } = ikev2Pair();
    net.run(0.005);
    expect(net.sent()).toHaveLength(1);
  });
});
