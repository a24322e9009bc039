/**
 * The IKEv1 endpoint, two of them on the in-memory IkeNet: Azure's policy-based side and an
 * on-premises device. Establishment in both roles (Main Mode then one Quick Mode per
 * selector pair), the keys each side hands its host (the same phase-1 key and cookie on both
 * sides; ESP keys that really carry a packet from one side's outbound SA into the other's
 * inbound SA, SPIs in the right direction), on-demand start, and close with Informational
 * deletes.
 */
import { describe, expect, it } from 'vitest';
import type { ChildSaInstall, IkeOutput } from '../../sim/ike/endpoint.js';
import { nodeCrypto } from '../../sim/ipsec/crypto-node.js';
import { espDecapsulate, espEncapsulate } from '../../sim/ipsec/esp.js';
import { SecurityAssociation } from '../../sim/ipsec/sa.js';
import { Sad } from '../../sim/ipsec/sad.js';
import * as ipv4 from '../../sim/wire/ipv4.js';
import { AZURE_ADDR, DEVICE_ADDR, azureAndDevice, pair, statuses } from './ikev1-setup.js';

function childUps(outputs: readonly IkeOutput[]): ChildSaInstall[] {
  return outputs.flatMap((o) => (o.kind === 'child-up' ? [o.child] : []));
}

/** This side's outbound and inbound keys of an installed SA pair. */
function directional(c: ChildSaInstall): { out: { encKey: Uint8Array; authKey: Uint8Array }; in: { encKey: Uint8Array; authKey: Uint8Array } } {
  return c.weInitiated
    ? { out: c.keys.initiatorToResponder, in: c.keys.responderToInitiator }
    : { out: c.keys.responderToInitiator, in: c.keys.initiatorToResponder };
}

/** Send one inner packet from `from`'s outbound SA to `to`'s inbound SA; the decrypted inner packet, or the drop. */
function espRoundTrip(from: ChildSaInstall, fromAddr: number, to: ChildSaInstall, toAddr: number): string {
  const out = new SecurityAssociation({ spi: from.outboundSpi, src: fromAddr, dst: toAddr, direction: 'out', transform: from.transform, ...directional(from).out, reqid: from.reqid });
  const sad = new Sad();
  const added = sad.add({ spi: to.inboundSpi, src: fromAddr, dst: toAddr, direction: 'in', transform: to.transform, ...directional(to).in, reqid: to.reqid });
  expect(added.ok).toBe(true);
  const payload = new TextEncoder().encode('hello through the tunnel');
  const ip = ipv4.ipv4Repr({ src: from.selectors[0]!.local.addr + 5, dst: from.selectors[0]!.remote.addr + 7, protocol: 17, payloadLength: payload.length });
  const inner = new Uint8Array(ipv4.bufferLen(ip));
  inner.set(payload, ipv4.emit(ip, inner, 0));
  const enc = espEncapsulate(out, inner, nodeCrypto);
  if (!enc.ok) return enc.message;
  const dec = espDecapsulate(sad, enc.packet, nodeCrypto);
  if (!dec.ok) return dec.drop;
  return Buffer.from(dec.inner).equals(Buffer.from(inner)) ? 'same packet' : 'different packet';
}

describe('IKEv1 endpoint: establishing a policy-based tunnel', () => {
  it('start() alone does nothing (on demand, like a trap policy); acquire brings up Main Mode then Quick Mode', () => {
    const { net } = azureAndDevice();
    net.run(60);
    expect(net.sent()).toEqual([]);
    net.call('device', (e, now) => e.acquire(pair('10.2.5.0/24', '10.1.7.7/32'), now));
    net.run(70);
    expect(net.sent().map((t) => `${t.from}: ${t.summary.replace(/ \d+ \[/, ' [')}`)).toEqual([
      'device: ID_PROT request [ SA V ]',
      'azure: ID_PROT response [ SA V ]',
      'device: ID_PROT request [ KE No NAT-D NAT-D ]',
      'azure: ID_PROT response [ KE No NAT-D NAT-D ]',
      'device: ID_PROT request [ ID HASH N(INITIAL_CONTACT) ]',
      'azure: ID_PROT response [ ID HASH ]',
      'device: QUICK_MODE request [ HASH SA No ID ID ]',
      'azure: QUICK_MODE response [ HASH SA No ID ID ]',
      'device: QUICK_MODE request [ HASH ]',
    ]);
    // The acquired traffic lies inside the configured pair: the Quick Mode negotiates the configured pair.
    expect(net.logs('device')).toContain('creating acquire job for policy 10.2.0.0/16 === 10.1.0.0/16 with reqid {1}');
    for (const side of ['azure', 'device']) {
      expect(statuses(net, side).map((s) => s.status)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
      expect(net.outputs(side, 'received').every((r) => r.problem === null)).toBe(true);
    }
  });

  it('both sides derive the same phase-1 key for the same cookie, and ESP keys that carry a packet each way', () => {
    const { net, azure, device } = azureAndDevice();
    net.call('device', (e, now) => e.acquire(pair('10.2.0.0/16', '10.1.0.0/16'), now));
    net.run(10);
    const [ka] = net.outputs('azure', 'ike-sa-keys');
    const [kd] = net.outputs('device', 'ike-sa-keys');
    expect(ka!.keys.version).toBe(1);
    expect(kd!.keys).toEqual(ka!.keys);
    if (ka!.keys.version !== 1) throw new Error('IKEv1 keys expected');
    expect(ka!.keys.encryptionKey).toHaveLength(32); // AES-256: Ka expanded from SHA-1's 20-byte SKEYID_e
    expect(Buffer.from(ka!.keys.cookieI).equals(Buffer.from(device.sas()[0]!.cookieI))).toBe(true);

    const [a] = childUps(net.outputs('azure'));
    const [d] = childUps(net.outputs('device'));
    expect(d!.weInitiated).toBe(true);
    expect(a!.weInitiated).toBe(false);
    expect(a!.inboundSpi).toBe(d!.outboundSpi);
    expect(a!.outboundSpi).toBe(d!.inboundSpi);
    expect(a!.keys).toEqual(d!.keys);
    expect(a!.transform.name).toBe('aes256-sha1');
    expect([a!.lifetime, a!.lifeKilobytes, d!.lifetime, d!.lifeKilobytes]).toEqual([3600, 102_400_000, 3600, 102_400_000]);
    expect(a!.selectors).toEqual([pair('10.1.0.0/16', '10.2.0.0/16')]);
    expect(d!.selectors).toEqual([pair('10.2.0.0/16', '10.1.0.0/16')]);
    expect(a!.replacesInboundSpi).toBeNull();
    expect(espRoundTrip(d!, DEVICE_ADDR, a!, AZURE_ADDR)).toBe('same packet');
    expect(espRoundTrip(a!, AZURE_ADDR, d!, DEVICE_ADDR)).toBe('same packet');
    // The other direction's keys do not open the packet: the directions really differ.
    const crossed = { ...a!, keys: { initiatorToResponder: a!.keys.responderToInitiator, responderToInitiator: a!.keys.initiatorToResponder } };
    expect(espRoundTrip(d!, DEVICE_ADDR, crossed, AZURE_ADDR)).toBe('icv-mismatch');

    expect(azure.sas().map((s) => [s.state, s.initiator, s.children.length])).toEqual([['established', false, 1]]);
    expect(device.sas().map((s) => [s.state, s.initiator, s.children.length])).toEqual([['established', true, 1]]);
    expect(net.logs('azure')).toContain(`IKE_SA pb[1] established between 198.51.100.20[198.51.100.20]...203.0.113.10[203.0.113.10]`);
  });

  it('Azure as initiator works the same way (roles swapped)', () => {
    const { net } = azureAndDevice({ initiator: true }, { initiator: false });
    net.call('device', (e, now) => e.acquire(pair('10.2.0.0/16', '10.1.0.0/16'), now));
    net.run(5);
    expect(net.sent()).toEqual([]); // the device only answers
    net.call('azure', (e, now) => e.acquire(pair('10.1.0.0/16', '10.2.0.0/16'), now));
    net.run(10);
    const [a] = childUps(net.outputs('azure'));
    const [d] = childUps(net.outputs('device'));
    expect([a!.weInitiated, d!.weInitiated]).toEqual([true, false]);
    expect(espRoundTrip(a!, AZURE_ADDR, d!, DEVICE_ADDR)).toBe('same packet');
    expect(espRoundTrip(d!, DEVICE_ADDR, a!, AZURE_ADDR)).toBe('same packet');
    expect(net.logs('device')).toContain('ignoring acquire for 10.2.0.0/16 === 10.1.0.0/16: pb only answers, it does not initiate');
  });

  it('several selector pairs: one Quick Mode each, one at a time on one ISAKMP SA, each its own reqid', () => {
    const azurePairs = [pair('10.1.0.0/16', '10.2.0.0/16'), pair('10.1.0.0/16', '10.3.0.0/16'), pair('172.16.0.0/12', '10.2.0.0/16')];
    const devicePairs = azurePairs.map((p) => ({ local: p.remote, remote: p.local }));
    const { net, azure } = azureAndDevice({ selectors: azurePairs }, { selectors: devicePairs });
    for (const p of devicePairs) net.call('device', (e, now) => e.acquire(p, now));
    // A second acquire for a pair already pending is ignored.
    net.call('device', (e, now) => e.acquire(devicePairs[0]!, now));
    net.run(10);
    expect(net.logs('device')).toContain('ignoring acquire for reqid {1}, connection attempt pending');
    const mainModes = net.sent().filter((t) => t.summary.startsWith('ID_PROT request'));
    expect(mainModes).toHaveLength(3); // MM1, MM3, MM5: one ISAKMP SA
    const qm1s = net.sent().filter((t) => t.summary.startsWith('QUICK_MODE request') && t.summary.includes('SA'));
    expect(qm1s).toHaveLength(3);
    expect(new Set(qm1s.map((t) => t.summary.split(' ')[2])).size).toBe(3); // three message IDs
    const ups = childUps(net.outputs('azure'));
    expect(ups.map((c) => [c.reqid, c.selectors[0]!.local.text, c.selectors[0]!.remote.text])).toEqual([
      [1, '10.1.0.0/16', '10.2.0.0/16'],
      [2, '10.1.0.0/16', '10.3.0.0/16'],
      [3, '172.16.0.0/12', '10.2.0.0/16'],
    ]);
    expect(new Set(ups.map((c) => c.inboundSpi)).size).toBe(3);
    expect(azure.sas()).toHaveLength(1);
    // An acquire for a pair that is up is ignored too.
    net.call('device', (e, now) => e.acquire(devicePairs[1]!, now));
    expect(net.logs('device')).toContain('ignoring acquire for reqid {2}, CHILD_SA already established');
    // Traffic no configured pair covers starts nothing.
    net.call('device', (e, now) => e.acquire(pair('10.9.0.0/16', '10.1.0.0/16'), now));
    expect(net.logs('device')).toContain('no CHILD_SA config of pb covers 10.9.0.0/16 === 10.1.0.0/16, acquire ignored');
  });

  it('the responder narrows to the overlap of the proposed and configured proxy IDs, as strongSwan does', () => {
    const { net } = azureAndDevice({ selectors: [pair('10.1.4.0/24', '10.2.0.0/16')] });
    net.call('device', (e, now) => e.acquire(pair('10.2.0.0/16', '10.1.4.0/24'), now));
    net.run(10);
    const [a] = childUps(net.outputs('azure'));
    const [d] = childUps(net.outputs('device'));
    expect(a!.selectors).toEqual([pair('10.1.4.0/24', '10.2.0.0/16')]);
    expect(d!.selectors).toEqual([pair('10.2.0.0/16', '10.1.4.0/24')]);
    expect(statuses(net, 'device')[0]!.detail).toContain('(narrowed from 10.2.0.0/16 === 10.1.0.0/16)');
  });

  it('close() deletes each CHILD_SA and then the ISAKMP SA with Informational deletes the peer acts on', () => {
    const { net, azure, device } = azureAndDevice();
    net.call('device', (e, now) => e.acquire(pair('10.2.0.0/16', '10.1.0.0/16'), now));
    net.run(10);
    const [d] = childUps(net.outputs('device'));
    net.call('device', (e, now) => e.close(now));
    net.run(20);
    expect(net.outputs('device', 'send').slice(-2).map((s) => s.summary.replace(/ \d+ \[/, ' ['))).toEqual([
      'INFORMATIONAL_V1 request [ HASH D ]',
      'INFORMATIONAL_V1 request [ HASH D ]',
    ]);
    const spi = d!.inboundSpi.toString(16).padStart(8, '0');
    expect(net.logs('device')).toEqual(expect.arrayContaining([`sending DELETE for ESP CHILD_SA with SPI ${spi}`, 'sending DELETE for IKE_SA pb[1]']));
    expect(net.logs('azure')).toEqual(expect.arrayContaining([`received DELETE for ESP CHILD_SA with SPI ${spi}`, 'received DELETE for IKE_SA pb[1]']));
    const downs = net.outputs('azure', 'child-down');
    expect(downs.map((x) => [x.outboundSpi, x.reason])).toEqual([[d!.inboundSpi, 'deleted by the peer']]);
    expect(azure.sas()).toEqual([]);
    expect(device.sas()).toEqual([]);
    expect(azure.nextDeadline()).toBe(Infinity);
  });

  it('the same seeds give the same bytes', () => {
    const run = (): string[] => {
      const { net } = azureAndDevice({}, {}, 7);
      net.call('device', (e, now) => e.acquire(pair('10.2.0.0/16', '10.1.0.0/16'), now));
      net.run(10);
      return net.sent().map((t) => Buffer.from(t.datagram.payload).toString('hex'));
    };
    expect(run()).toEqual(run());
  });
});
