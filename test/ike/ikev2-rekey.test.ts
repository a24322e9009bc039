/**
 * Rekeying between two IKEv2 endpoints in memory (RFC 7296 §1.3.2, §1.3.3, §2.8, §2.18):
 * a child rekey without PFS and with PFS (a KE in CREATE_CHILD_SA, in the group asked for
 * after INVALID_KE_PAYLOAD), the old child kept until its Delete exchange is done (a lost
 * Delete keeps it the retransmission longer), an IKE rekey (new SPIs and keys, message IDs
 * from 0, the children carried over, the old SA deleted), and simultaneous rekeys of the
 * same child and of the IKE SA, where the exchange with the lowest nonce loses, as strongSwan
 * decides it: one child and one IKE SA survive, the same on both sides, and traffic flows.
 */
import { describe, expect, it } from 'vitest';
import type { ChildSaInstall, IkeOutput } from '../../sim/ike/endpoint.js';
import { openMessage } from '../../sim/ike/ikev2/message-protection.js';
import { decodeMessage } from '../../sim/wire/ikev2-message.js';
import { spiKey } from '../../sim/wire/ikev2-header.js';
import { CRYPTO_BACKENDS } from '../../sim/ipsec/backends.js';
import type { Ikev2Payload } from '../../sim/wire/ikev2-payloads.js';
import type { Transit } from '../support/ike-net.js';
import { AZURE_ADDR, DEVICE_ADDR, espProposal, espRoundTrip, ikev2Pair, type Ikev2Pair } from '../support/ikev2-pair.js';

type KeysOutput = Extract<IkeOutput, { kind: 'ike-sa-keys' }>;

/** The decrypted payloads of a sent message, opened with the IKE SA keys the sender emitted. */
function inner(t: Transit, keys: readonly KeysOutput[]): Ikev2Payload[] {
  const m = decodeMessage(t.datagram.payload);
  if (!m.ok) throw new Error(m.error.message);
  const k = keys.map((o) => o.keys).find((x) => x.version === 2 && spiKey(x.spiI) === spiKey(m.value.header.initiatorSpi) && spiKey(x.spiR) === spiKey(m.value.header.responderSpi));
  if (!k || k.version !== 2) throw new Error('no keys for this SA');
  // openMessage needs the full key set's e/a keys only; SK_d and SK_p are not used to open.
  const zero = new Uint8Array(0);
  const opened = openMessage(CRYPTO_BACKENDS.node, { suite: k.suite, keys: { skD: zero, skPi: zero, skPr: zero, skEi: k.skEi, skEr: k.skEr, skAi: k.skAi, skAr: k.skAr } }, t.datagram.payload);
  if (!opened.ok) throw new Error(opened.problem);
  return opened.inner;
}

function children(p: Ikev2Pair): { azure: ChildSaInstall[]; device: ChildSaInstall[] } {
  return { azure: p.net.outputs('azure', 'child-up').map((o) => o.child), device: p.net.outputs('device', 'child-up').map((o) => o.child) };
}

/** The child both sides hold now, checked to be each other's mirror and to carry traffic both ways. */
function liveChildPair(p: Ikev2Pair): { a: ChildSaInstall; d: ChildSaInstall } {
  const sa = p.azure.ikeSas().flatMap((s) => s.children);
  const sd = p.device.ikeSas().flatMap((s) => s.children);
  expect(sa).toHaveLength(1);
  expect(sd).toHaveLength(1);
  expect([sa[0]!.inboundSpi, sa[0]!.outboundSpi]).toEqual([sd[0]!.outboundSpi, sd[0]!.inboundSpi]);
  const a = children(p).azure.find((c) => c.inboundSpi === sa[0]!.inboundSpi)!;
  const d = children(p).device.find((c) => c.inboundSpi === sd[0]!.inboundSpi)!;
  expect(espRoundTrip(a, AZURE_ADDR, d, DEVICE_ADDR)).toEqual({ ok: true, same: true });
  expect(espRoundTrip(d, DEVICE_ADDR, a, AZURE_ADDR)).toEqual({ ok: true, same: true });
  return { a, d };
}

describe('IKEv2 rekeying', () => {
  it('child rekey without PFS at lifetime − margin: REKEY_SA names the old inbound SPI, the new child replaces it, the old goes with the Delete', () => {
    const p = ikev2Pair();
    p.net.run(3000);
    const first = liveChildPair(p);
    p.net.run(3100);
    const keys = p.net.outputs('azure', 'ike-sa-keys');
    const rekey = p.net.sent().find((t) => t.summary.startsWith('CREATE_CHILD_SA request'))!;
    // Azure installed first (it answered IKE_AUTH), so its timer fires first: 3600 − 540 after 0.03 s.
    expect([rekey.from, rekey.time, rekey.summary]).toEqual(['azure', 3060.03, 'CREATE_CHILD_SA request 0 [ N(REKEY_SA) SA No TSi TSr ]']);
    const notify = inner(rekey, keys).find((x) => x.kind === 'Notify')!;
    if (notify.kind !== 'Notify') throw new Error('notify');
    expect([notify.notifyType, notify.protocol, Buffer.from(notify.spi).readUInt32BE(0)]).toEqual([16393, 3, first.a.inboundSpi]);
    const { a, d } = liveChildPair(p);
    expect(a.replacesInboundSpi).toBe(first.a.inboundSpi);
    expect(d.replacesInboundSpi).toBe(first.d.inboundSpi);
    expect(a.reqid).toBe(first.a.reqid);
    expect(a.weInitiated).toBe(true);
    expect(Buffer.from(a.keys.initiatorToResponder.encKey).equals(Buffer.from(first.a.keys.initiatorToResponder.encKey))).toBe(false);
    // Timeline on azure (the rekey's initiator): new child up, Delete sent, old child down only on the answer.
    const timeline = p.net.timedOutputs('azure').filter((o) => o.time > 3000 && (o.output.kind === 'child-up' || o.output.kind === 'child-down' || (o.output.kind === 'send' && o.output.summary.includes('[ D ]'))));
    expect(timeline.map((o) => [o.time, o.output.kind])).toEqual([
      [3060.05, 'child-up'],
      [3060.05, 'send'],
      [3060.07, 'child-down'],
    ]);
    expect(p.net.outputs('device', 'child-down').map((o) => [o.inboundSpi, o.reason])).toEqual([[first.d.inboundSpi, 'deleted by the peer']]);
    expect(p.net.logs('azure')).toContain(`sending DELETE for ESP CHILD_SA with SPI ${first.a.inboundSpi.toString(16)}`);
  });

  it('a lost Delete keeps the old inbound child until the retransmitted Delete is answered', () => {
    const p = ikev2Pair();
    let lost = 0;
    p.net.drop((t) => t.summary === 'INFORMATIONAL request 1 [ D ]' && lost++ === 0);
    p.net.run(3100);
    const down = p.net.timedOutputs('azure').filter((o) => o.output.kind === 'child-down');
    expect(down.map((o) => o.time)).toEqual([3064.07]);
    expect(p.net.timedOutputs('device').filter((o) => o.output.kind === 'child-down').map((o) => o.time)).toEqual([3064.06]);
    liveChildPair(p);
  });

  it('child rekey with PFS: a KE in CREATE_CHILD_SA; INVALID_KE_PAYLOAD makes the initiator retry in the asked group', () => {
    const p = ikev2Pair({
      azure: { espProposals: [espProposal('aes256-sha1-modp2048')] },
      device: { espProposals: [espProposal('aes256-sha1-modp1024-modp2048')], childLifetime: 3000 },
    });
    p.net.run(2800);
    const requests = p.net.sent().filter((t) => t.summary.startsWith('CREATE_CHILD_SA request'));
    const keys = p.net.outputs('device', 'ike-sa-keys');
    // IKE_AUTH's proposals carry no group; the rekey's do, and the first KE is the device's first group.
    const auth = p.net.sent().find((t) => t.summary.startsWith('IKE_AUTH request'))!;
    const authSa = inner(auth, keys).find((x) => x.kind === 'SA');
    if (authSa?.kind !== 'SA') throw new Error('SA');
    expect(authSa.proposals.flatMap((pr) => pr.transforms.filter((t) => t.type === 4))).toEqual([]);
    expect(requests.map((t) => [t.from, t.summary])).toEqual([
      ['device', 'CREATE_CHILD_SA request 2 [ N(REKEY_SA) SA No KE TSi TSr ]'],
      ['device', 'CREATE_CHILD_SA request 3 [ N(REKEY_SA) SA No KE TSi TSr ]'],
    ]);
    const groups = requests.map((t) => inner(t, keys).find((x) => x.kind === 'KE')).map((ke) => (ke?.kind === 'KE' ? [ke.group, ke.data.length] : null));
    expect(groups).toEqual([
      [2, 128],
      [14, 256],
    ]);
    expect(p.net.logs('azure')).toContain('key exchange method MODP_1024 unacceptable, requesting MODP_2048');
    expect(p.net.logs('device')).toContain("peer didn't accept key exchange method MODP_1024, it requested MODP_2048");
    const answer = p.net.sent().filter((t) => t.summary.startsWith('CREATE_CHILD_SA response')).at(-1)!;
    expect(answer.summary).toBe('CREATE_CHILD_SA response 3 [ SA No KE TSi TSr ]');
    const { a } = liveChildPair(p);
    expect(a.weInitiated).toBe(false);
    expect(p.net.outputs('device', 'status').map((s) => s.status)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
  });

  it('IKE rekey: new SPIs and keys, message IDs from 0, children carried over, the old IKE SA deleted', () => {
    const p = ikev2Pair({ azure: { ikeLifetime: 1000, rekeyMargin: 100 }, device: { ikeLifetime: 1000, rekeyMargin: 100 } });
    p.net.run(800);
    const before = liveChildPair(p);
    const oldSpis = p.azure.ikeSas().map((s) => [s.spiI, s.spiR])[0]!;
    p.net.run(960);
    const keysA = p.net.outputs('azure', 'ike-sa-keys');
    const keysD = p.net.outputs('device', 'ike-sa-keys');
    expect(keysA).toHaveLength(2);
    const [oldK, newK] = keysA.map((o) => o.keys);
    if (oldK?.version !== 2 || newK?.version !== 2) throw new Error('v2');
    expect(spiKey(newK.spiI)).not.toBe(oldSpis[0]);
    expect(spiKey(newK.spiR)).not.toBe(oldSpis[1]);
    expect(Buffer.from(newK.skEi).equals(Buffer.from(oldK.skEi))).toBe(false);
    const dNew = keysD[1]!.keys;
    if (dNew.version !== 2) throw new Error('v2');
    expect([spiKey(dNew.spiI), spiKey(dNew.skEi), spiKey(dNew.skAr)]).toEqual([spiKey(newK.spiI), spiKey(newK.skEi), spiKey(newK.skAr)]);
    const rekey = p.net.sent().filter((t) => t.time > 800);
    expect(rekey.map((t) => [t.from, t.summary])).toEqual([
      ['azure', 'CREATE_CHILD_SA request 0 [ SA No KE ]'],
      ['device', 'CREATE_CHILD_SA response 0 [ SA No KE ]'],
      ['azure', 'INFORMATIONAL request 1 [ D ]'],
      ['device', 'INFORMATIONAL response 1 [ ]'],
    ]);
    // The new SPI travels in the proposal (8 bytes); the rekey's initiator is the new SA's original initiator.
    const saProposal = inner(rekey[0]!, keysA).find((x) => x.kind === 'SA');
    if (saProposal?.kind !== 'SA') throw new Error('SA');
    expect(spiKey(saProposal.proposals[0]!.spi)).toBe(spiKey(newK.spiI));
    const [sa] = p.azure.ikeSas();
    expect([p.azure.ikeSas().length, sa!.spiI, sa!.weAreOriginalInitiator, sa!.nextMessageId, sa!.expectedMessageId]).toEqual([1, spiKey(newK.spiI), true, 0, 0]);
    expect(p.device.ikeSas().map((s) => [s.spiI, s.weAreOriginalInitiator])).toEqual([[spiKey(newK.spiI), false]]);
    expect(p.net.logs('azure')).toContain(`IKE_SA gw1-hq[2] rekeyed between 203.0.113.10[203.0.113.10]...198.51.100.1[198.51.100.1]`);
    const after = liveChildPair(p);
    expect(after.a.inboundSpi).toBe(before.a.inboundSpi);
    expect(p.net.outputs('azure', 'child-down')).toEqual([]);
    // The next exchange on the new SA is message 0 from the device.
    p.net.run(2000);
    const onNew = p.net.sent().filter((t) => t.time > 960 && t.from === 'device')[0]!;
    const h = decodeMessage(onNew.datagram.payload);
    expect(h.ok && [spiKey(h.value.header.initiatorSpi), h.value.header.messageId, h.value.header.initiator]).toEqual([spiKey(newK.spiI), 0, false]);
  });

  it('both sides rekey the child at once: the lower nonce loses, its initiator deletes its child, one child survives on both sides', () => {
    const p = ikev2Pair({ start: false });
    // Azure's request is slowed so that the device's timer fires before it arrives: the requests cross.
    p.net.delay((t) => t.from === 'azure' && t.summary.startsWith('CREATE_CHILD_SA request'), 0.005);
    p.net.start(0);
    p.net.run(3100);
    const requests = p.net.sent().filter((t) => t.summary.startsWith('CREATE_CHILD_SA request'));
    expect(requests.map((t) => t.from)).toEqual(['azure', 'device']);
    const logs = [...p.net.logs('azure'), ...p.net.logs('device')];
    const lost = logs.filter((l) => l.startsWith('CHILD_SA rekey collision lost'));
    const won = logs.filter((l) => l.startsWith('CHILD_SA rekey collision won'));
    expect([lost.length, won.length]).toEqual([1, 1]);
    // Four children were made (each side answered one and completed one); three went.
    expect(children(p).azure).toHaveLength(3);
    expect(children(p).device).toHaveLength(3);
    expect(p.net.outputs('azure', 'child-down')).toHaveLength(2);
    expect(p.net.outputs('device', 'child-down')).toHaveLength(2);
    liveChildPair(p);
    // Nonce check, independently: the surviving child is the one made by the exchange whose lower nonce is higher.
    const keys = p.net.outputs('azure', 'ike-sa-keys');
    const nonceOf = (t: Transit): Buffer => {
      const n = inner(t, keys).find((x) => x.kind === 'Nonce');
      if (n?.kind !== 'Nonce') throw new Error('nonce');
      return Buffer.from(n.data);
    };
    const responses = p.net.sent().filter((t) => t.summary.startsWith('CREATE_CHILD_SA response'));
    const lower = (a: Buffer, b: Buffer): Buffer => (Buffer.compare(a, b) <= 0 ? a : b);
    const byAzure = lower(nonceOf(requests[0]!), nonceOf(responses.find((r) => r.from === 'device')!));
    const byDevice = lower(nonceOf(requests[1]!), nonceOf(responses.find((r) => r.from === 'azure')!));
    const azureLost = Buffer.compare(byAzure, byDevice) < 0;
    expect(lost[0]).toMatch(azureLost ? /gw1-hq/ : /hq-gw1/);
    const survivor = p.azure.ikeSas()[0]!.children[0]!;
    expect(survivor.weInitiated).toBe(!azureLost);
  });

  it('both sides rekey the IKE SA at once: one new IKE SA survives on both sides, with the child', () => {
    const conf = { ikeLifetime: 1000, rekeyMargin: 100 };
    const p = ikev2Pair({ azure: conf, device: conf, start: false });
    p.net.delay((t) => t.from === 'azure' && t.summary === 'CREATE_CHILD_SA request 0 [ SA No KE ]', 0.005);
    p.net.start(0);
    p.net.run(960);
    const logs = [...p.net.logs('azure'), ...p.net.logs('device')];
    expect(logs.filter((l) => l.startsWith('IKE_SA rekey collision lost'))).toHaveLength(1);
    expect(logs.filter((l) => l.startsWith('IKE_SA rekey collision won'))).toHaveLength(1);
    const a = p.azure.ikeSas();
    const d = p.device.ikeSas();
    expect(a.map((s) => [s.spiI, s.spiR, s.state])).toEqual(d.map((s) => [s.spiI, s.spiR, s.state]));
    expect(a.map((s) => s.state)).toEqual(['established']);
    expect(a[0]!.uid).toBeGreaterThan(1);
    liveChildPair(p);
    expect(p.net.outputs('azure', 'child-down')).toEqual([]);
    // Both new SAs' keys went out (three IKE SAs existed on each side).
    expect(p.net.outputs('azure', 'ike-sa-keys')).toHaveLength(3);
  });
});
