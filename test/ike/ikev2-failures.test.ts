/**
 * Every negotiation failure the IKEv2 endpoint models, between two endpoints in memory, as
 * outputs: the notify on the wire, the status on each side (Batfish's names, vgwsim's own for
 * selectors and PFS) with a detail that names the settings that differ, strongSwan's log
 * lines, and what survives (the IKE SA after a child-only failure, nothing after an IKE
 * failure). NO_PROPOSAL_CHOSEN for IKE and for ESP, INVALID_KE_PAYLOAD with the retry in the
 * asked group (and the case where the asked group is not offered), AUTHENTICATION_FAILED
 * for a wrong PSK and for an identity mismatch, TS_UNACCEPTABLE, a peer that never answers
 * (MISSING_END_POINT after strongSwan's retransmission schedule), and a PFS mismatch that
 * lets traffic flow until the first child rekey, then retries every 15 s until the child
 * expires.
 */
import { describe, expect, it } from 'vitest';
import type { IkeOutput } from '../../sim/ike/endpoint.js';
import { encodeMessage, decodeMessage } from '../../sim/wire/ikev2-message.js';
import { NotifyType } from '../../sim/wire/ikev2-numbers.js';
import { notifyPayload } from '../../sim/wire/ikev2-payloads.js';
import { AZURE_ADDR, DEVICE_ADDR, espProposal, espRoundTrip, ikeProposal, ikev2Pair, pair } from '../support/ikev2-pair.js';

type Status = Extract<IkeOutput, { kind: 'status' }>;

function statuses(list: IkeOutput[]): Status[] {
  return list.filter((o): o is Status => o.kind === 'status');
}

describe('IKEv2 failures', () => {
  it('IKE proposals that share nothing: NO_PROPOSAL_CHOSEN in IKE_SA_INIT, IKE_PHASE1_FAILED on both sides, no SA left', () => {
    const { net, azure, device } = ikev2Pair({ azure: { ikeProposals: [ikeProposal('aes128-sha256-modp2048')] } });
    net.run(60);
    expect(net.sent().map((t) => t.summary)).toEqual(['IKE_SA_INIT request 0 [ SA KE No ]', 'IKE_SA_INIT response 0 [ N(NO_PROP) ]']);
    expect(net.sent()[1]!.datagram.payload.subarray(8, 16).every((b) => b === 0)).toBe(true); // no responder SPI
    expect(statuses(net.outputs('azure'))).toEqual([
      { kind: 'status', status: 'IKE_PHASE1_FAILED', detail: 'we accept aes128-sha256-modp2048, the peer offered aes256-sha1-modp1024', notify: 'NO_PROPOSAL_CHOSEN' },
    ]);
    expect(statuses(net.outputs('device'))).toEqual([
      { kind: 'status', status: 'IKE_PHASE1_FAILED', detail: 'we offered aes256-sha1-modp1024; the peer accepted none of them', notify: 'NO_PROPOSAL_CHOSEN' },
    ]);
    expect(net.logs('azure')).toEqual(expect.arrayContaining([
      'received proposals: IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024',
      'configured proposals: IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
      'received proposals unacceptable',
    ]));
    expect(net.logs('device')).toContain('received NO_PROPOSAL_CHOSEN notify error');
    expect(azure.ikeSas()).toEqual([]);
    expect(device.ikeSas()).toEqual([]);
    expect(device.nextDeadline()).toBe(Infinity); // a negotiation error is not retried
  });

  it('INVALID_KE_PAYLOAD: the initiator retries IKE_SA_INIT in the group asked for (same SPI, message ID 0) and gets through', () => {
    const { net } = ikev2Pair({
      azure: { ikeProposals: [ikeProposal('aes256-sha1-modp2048-modp1024')] },
      device: { ikeProposals: [ikeProposal('aes256-sha1-modp1024-modp2048')] },
    });
    net.run(5);
    const sent = net.sent();
    expect(sent.map((t) => t.summary).slice(0, 3)).toEqual(['IKE_SA_INIT request 0 [ SA KE No ]', 'IKE_SA_INIT response 0 [ N(INVAL_KE) ]', 'IKE_SA_INIT request 0 [ SA KE No ]']);
    const first = sent[0]!.datagram.payload;
    const retry = sent[2]!.datagram.payload;
    expect(Buffer.from(retry.subarray(0, 8)).equals(Buffer.from(first.subarray(0, 8)))).toBe(true);
    // The INVALID_KE_PAYLOAD notify carries group 14 (RFC 7296 §3.10.1): its last two bytes.
    const notify = sent[1]!.datagram.payload;
    expect([notify.at(-2), notify.at(-1)]).toEqual([0, 14]);
    expect(net.logs('azure')).toContain('key exchange method MODP_1024 unacceptable, requesting MODP_2048');
    expect(net.logs('device')).toContain("peer didn't accept key exchange method MODP_1024, it requested MODP_2048");
    expect(statuses(net.outputs('device')).map((s) => s.status)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
    expect(statuses(net.outputs('azure')).map((s) => s.status)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
    const keys = net.outputs('device', 'ike-sa-keys')[0]!.keys;
    expect(keys.suite.dhGroup.id).toBe(14);
  });

  it('INVALID_KE_PAYLOAD naming the group of a later proposal: the retry puts that proposal first', () => {
    const { net } = ikev2Pair({
      azure: { ikeProposals: [ikeProposal('aes128-sha1-modp2048')] },
      device: { ikeProposals: [ikeProposal('aes256-sha1-modp1024'), ikeProposal('aes128-sha1-modp2048')] },
    });
    net.run(5);
    const requests = net.sent().filter((t) => t.summary.startsWith('IKE_SA_INIT request')).map((t) => decodeMessage(t.datagram.payload));
    const firstGroups = requests.map((m) => {
      if (!m.ok) throw new Error(m.error.message);
      const sa = m.value.payloads.find((p) => p.kind === 'SA');
      const ke = m.value.payloads.find((p) => p.kind === 'KE');
      if (sa?.kind !== 'SA' || ke?.kind !== 'KE') throw new Error('SA and KE expected');
      return [sa.proposals[0]!.transforms.find((t) => t.type === 4)!.id, ke.group];
    });
    expect(firstGroups).toEqual([
      [2, 2],
      [14, 14],
    ]);
    expect(statuses(net.outputs('device')).map((s) => s.status)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
    expect(net.outputs('device', 'ike-sa-keys')[0]!.keys.suite.encryption.name).toBe('aes128');
  });

  it('INVALID_KE_PAYLOAD for a group the initiator does not offer ends it with IKE_PHASE1_FAILED', () => {
    const { net, device } = ikev2Pair({ device: { remote: 0xcb00710b } });
    net.run(1);
    const request = net.sent()[0]!.datagram;
    const header = { initiatorSpi: request.payload.slice(0, 8), responderSpi: new Uint8Array(8), exchangeType: 34, initiator: false, response: true, higherVersion: false, messageId: 0 };
    const forged = encodeMessage({ header, payloads: [notifyPayload(NotifyType.INVALID_KE_PAYLOAD, Uint8Array.of(0, 5))] });
    net.inject('azure', { src: 0xcb00710b, dst: DEVICE_ADDR, sport: 500, dport: 500, payload: forged });
    net.run(2);
    expect(net.logs('device')).toContain("peer didn't accept key exchange method MODP_1024, it requested MODP_1536");
    expect(statuses(net.outputs('device'))).toEqual([
      { kind: 'status', status: 'IKE_PHASE1_FAILED', detail: 'the peer asks for DH group MODP_1536, which we do not offer (we offered aes256-sha1-modp1024)', notify: 'INVALID_KE_PAYLOAD' },
    ]);
    expect(device.ikeSas()).toEqual([]);
  });

  it('a wrong pre-shared key: AUTHENTICATION_FAILED in the IKE_AUTH response, IKE_PHASE1_KEY_MISMATCH, both SAs gone', () => {
    const { net, azure, device } = ikev2Pair({ azure: { psk: new TextEncoder().encode('a different key') } });
    net.run(60);
    expect(net.sent().map((t) => t.summary).at(-1)).toBe('IKE_AUTH response 1 [ N(AUTH_FAILED) ]');
    expect(net.logs('azure')).toContain("tried 1 shared key for '203.0.113.10' - '198.51.100.1', but MAC mismatched");
    expect(net.logs('device')).toContain('received AUTHENTICATION_FAILED notify error');
    const [sa] = statuses(net.outputs('azure'));
    const [sd] = statuses(net.outputs('device'));
    expect([sa!.status, sa!.notify]).toEqual(['IKE_PHASE1_KEY_MISMATCH', 'AUTHENTICATION_FAILED']);
    expect([sd!.status, sd!.notify]).toEqual(['IKE_PHASE1_KEY_MISMATCH', 'AUTHENTICATION_FAILED']);
    expect(sa!.detail).toMatch(/keys differ/);
    expect(net.outputs('azure', 'child-up')).toEqual([]);
    expect(azure.ikeSas()).toEqual([]);
    expect(device.ikeSas()).toEqual([]);
  });

  it('an identity that is not the configured one: no matching peer config, AUTHENTICATION_FAILED, IKE_PHASE1_FAILED naming both', () => {
    const { net } = ikev2Pair({ azure: { remoteId: { type: 'fqdn', name: 'hq.example' } } });
    net.run(5);
    expect(net.logs('azure')).toContain('no matching peer config found');
    const [s] = statuses(net.outputs('azure'));
    expect(s).toEqual({ kind: 'status', status: 'IKE_PHASE1_FAILED', detail: "the peer identifies as '198.51.100.1', we expect 'hq.example'", notify: 'AUTHENTICATION_FAILED' });
    expect(statuses(net.outputs('device')).map((x) => x.status)).toEqual(['IKE_PHASE1_KEY_MISMATCH']);
  });

  it('selectors with no overlap: TS_UNACCEPTABLE, TRAFFIC_SELECTOR_MISMATCH, the IKE SA kept without a child', () => {
    const { net, azure, device } = ikev2Pair({
      azure: { selectors: [pair('10.1.0.0/16', '192.168.0.0/16')] },
      device: { selectors: [pair('10.9.0.0/16', '10.1.0.0/16')] },
    });
    net.run(5);
    expect(net.sent().map((t) => t.summary).at(-1)).toBe('IKE_AUTH response 1 [ IDr AUTH N(TS_UNACCEPT) ]');
    expect(net.logs('azure')).toEqual(expect.arrayContaining(['traffic selectors 10.1.0.0/16 === 10.9.0.0/16 unacceptable', 'failed to establish CHILD_SA, keeping IKE_SA']));
    expect(net.logs('device')).toEqual(expect.arrayContaining(['received TS_UNACCEPTABLE notify, no CHILD_SA built', 'failed to establish CHILD_SA, keeping IKE_SA']));
    expect(statuses(net.outputs('azure'))).toEqual([
      { kind: 'status', status: 'TRAFFIC_SELECTOR_MISMATCH', detail: 'the peer proposed 10.9.0.0/16 === 10.1.0.0/16; we accept 192.168.0.0/16 === 10.1.0.0/16', notify: 'TS_UNACCEPTABLE' },
    ]);
    expect(statuses(net.outputs('device'))).toEqual([
      { kind: 'status', status: 'TRAFFIC_SELECTOR_MISMATCH', detail: 'we proposed 10.9.0.0/16 === 10.1.0.0/16; the peer accepts none of them (TS_UNACCEPTABLE)', notify: 'TS_UNACCEPTABLE' },
    ]);
    expect(azure.ikeSas().map((s) => [s.state, s.children.length])).toEqual([['established', 0]]);
    expect(device.ikeSas().map((s) => [s.state, s.children.length])).toEqual([['established', 0]]);
  });

  it('ESP proposals that share nothing: NO_PROPOSAL_CHOSEN for the child only, IPSEC_PHASE2_FAILED with both sides\' proposals', () => {
    const { net, device } = ikev2Pair({ device: { espProposals: [espProposal('aes128-md5')] } });
    net.run(5);
    expect(statuses(net.outputs('azure'))).toEqual([
      { kind: 'status', status: 'IPSEC_PHASE2_FAILED', detail: 'we accept ESP aes256-sha1, the peer offered ESP aes128-md5', notify: 'NO_PROPOSAL_CHOSEN' },
    ]);
    expect(statuses(net.outputs('device'))).toEqual([
      { kind: 'status', status: 'IPSEC_PHASE2_FAILED', detail: 'we offered ESP aes128-md5; the peer accepted none of them (NO_PROPOSAL_CHOSEN)', notify: 'NO_PROPOSAL_CHOSEN' },
    ]);
    expect(device.ikeSas().map((s) => s.state)).toEqual(['established']);
  });

  it('a peer that never answers: strongSwan\'s retransmissions (4 s × 1.8^k, 5 tries), then MISSING_END_POINT, and the initiator starts over', () => {
    const { net, device } = ikev2Pair({ device: { remote: 0xcb00710b } });
    net.run(166);
    const times = net.sent().map((t) => Math.round(t.time * 1000) / 1000);
    expect(times).toEqual([0, 4, 11.2, 24.16, 47.488, 89.478, 165.061]);
    expect(net.sent().map((t) => t.retransmit)).toEqual([0, 1, 2, 3, 4, 5, 0]);
    const payloads = new Set(net.sent().slice(0, 6).map((t) => Buffer.from(t.datagram.payload).toString('hex')));
    expect(payloads.size).toBe(1); // identical bytes every time
    expect(net.logs('device')).toEqual(expect.arrayContaining(['retransmit 5 of request with message ID 0', 'giving up after 5 retransmits', 'establishing IKE_SA failed, peer not responding']));
    const [s] = statuses(net.outputs('device'));
    expect(s!.status).toBe('MISSING_END_POINT');
    expect(s!.detail).toBe('no answer from 203.0.113.11:500 to IKE_SA_INIT request 0 [ SA KE No ] after 5 retransmits over 165.1 s');
    // A new IKE SA (new SPI) goes out at once.
    expect(device.ikeSas().map((x) => x.state)).toEqual(['connecting']);
    expect(net.sent().at(-1)!.datagram.payload.subarray(0, 8)).not.toEqual(net.sent()[0]!.datagram.payload.subarray(0, 8));
  });

  it('PFS on one side only: traffic flows, the first child rekey fails (PFS_MISMATCH on both sides), retries every 15 s, and the child expires', () => {
    const { net, azure } = ikev2Pair({ device: { espProposals: [espProposal('aes256-sha1-modp1024')] } });
    net.run(5);
    const ca = net.outputs('azure', 'child-up')[0]!.child;
    const cd = net.outputs('device', 'child-up')[0]!.child;
    expect(statuses(net.outputs('azure')).map((s) => s.status)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
    expect(espRoundTrip(cd, DEVICE_ADDR, ca, AZURE_ADDR)).toEqual({ ok: true, same: true });
    // IKE_AUTH carried no DH transform (RFC 7296 §1.2), which is why it worked.
    net.run(3061);
    const pfs = statuses(net.outputs('azure')).filter((s) => s.status === 'PFS_MISMATCH');
    expect(pfs).toHaveLength(1);
    expect(pfs[0]!.detail).toBe("the peer refused our rekey of CHILD_SA gw1-hq{1} (NO_PROPOSAL_CHOSEN): we offered ESP aes256-sha1 without PFS, the same algorithms it accepted without a key exchange in IKE_AUTH, so its PFS setting differs from ours");
    const pfsDevice = statuses(net.outputs('device')).filter((s) => s.status === 'PFS_MISMATCH');
    expect(pfsDevice.map((s) => s.detail)).toEqual([
      "the peer's rekey of CHILD_SA hq-gw1{1} offers ESP aes256-sha1; we accept ESP aes256-sha1-modp1024 (with PFS): the algorithms match, the PFS groups do not",
    ]);
    expect(net.logs('device')).toEqual(expect.arrayContaining(['received proposals: ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ', 'configured proposals: ESP:AES_CBC_256/HMAC_SHA1_96/MODP_1024/NO_EXT_SEQ', 'no acceptable proposal found']));
    // The device's own rekey carries a KE, the one in IKE_AUTH did not.
    expect(net.sent().filter((t) => t.from === 'device' && t.summary.startsWith('CREATE_CHILD_SA request'))[0]!.summary).toBe('CREATE_CHILD_SA request 2 [ N(REKEY_SA) SA No KE TSi TSr ]');
    expect(net.logs('azure')).toContain('CHILD_SA rekeying failed, trying again in 15 seconds');
    net.run(3599);
    const retries = net.sent().filter((t) => t.from === 'azure' && t.summary.startsWith('CREATE_CHILD_SA request')).map((t) => Math.round(t.time));
    expect(retries.length).toBeGreaterThan(30);
    expect(retries.slice(0, 3)).toEqual([3060, 3075, 3090]);
    expect(net.outputs('azure', 'child-down')).toEqual([]);
    net.run(3700);
    expect(net.outputs('azure', 'child-down').map((o) => [o.inboundSpi, o.reason])).toEqual([[ca.inboundSpi, 'expired']]);
    expect(net.logs('azure')).toContain(`closing expired CHILD_SA gw1-hq{1} with SPIs ${ca.inboundSpi.toString(16)}_i ${ca.outboundSpi.toString(16)}_o and TS 0.0.0.0/0 === 0.0.0.0/0`);
    expect(azure.ikeSas().map((s) => [s.state, s.children.length])).toEqual([['established', 0]]);
    expect(net.outputs('device', 'child-down')).toHaveLength(1);
  });
});
