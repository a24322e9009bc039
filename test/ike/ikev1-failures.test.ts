/**
 * How IKEv1 negotiations fail, as outputs: each failure gives a status with Batfish's name
 * (or vgwsim's own), a detail that names both sides' settings where they differ, the notify
 * on the wire, and strongSwan's log lines (ike-2016.md §5.1). Proposal mismatch in Main Mode
 * and in Quick Mode (PFS called out), PSK mismatch (over several seeds: whichever way the
 * wrong key garbles MM5, both sides say IKE_PHASE1_KEY_MISMATCH), proxy-ID mismatch, a peer
 * that does not answer, and a wrong identity.
 */
import { describe, expect, it } from 'vitest';
import { azureAndDevice, esp, ike, pair, statuses } from './ikev1-setup.js';
import { ip } from '../wire/hex.js';

const DEVICE_PAIR = pair('10.2.0.0/16', '10.1.0.0/16');

function hexOf(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

function bringUp(net: ReturnType<typeof azureAndDevice>['net'], until = 60): void {
  net.call('device', (e, now) => e.acquire(DEVICE_PAIR, now));
  net.run(until);
}

describe('IKEv1 failures', () => {
  it('Main Mode proposal mismatch: NO_PROPOSAL_CHOSEN in the clear, IKE_PHASE1_FAILED on both sides', () => {
    const { net, azure, device } = azureAndDevice({}, { ikeProposals: ike('aes128-sha256-modp2048') });
    bringUp(net);
    const [a] = statuses(net, 'azure');
    expect(a!.status).toBe('IKE_PHASE1_FAILED');
    expect(a!.notify).toBe('NO_PROPOSAL_CHOSEN');
    expect(a!.detail).toContain('the peer offered IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048');
    expect(a!.detail).toContain('we accept IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024, IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024, IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024');
    expect(net.logs('azure')).toEqual(expect.arrayContaining(['no proposal found', 'configured proposals: IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024, IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024, IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024']));
    expect(net.outputs('azure', 'send').map((s) => s.summary.replace(/ \d+ \[/, ' ['))).toEqual(['INFORMATIONAL_V1 request [ N(NO_PROP) ]']);
    const [d] = statuses(net, 'device');
    expect([d!.status, d!.notify]).toEqual(['IKE_PHASE1_FAILED', 'NO_PROPOSAL_CHOSEN']);
    expect(net.logs('device')).toContain('received NO_PROPOSAL_CHOSEN error notify');
    // The device stops at once: no retransmission of MM1 after the refusal.
    expect(net.sent().filter((t) => t.from === 'device')).toHaveLength(1);
    expect(azure.sas()).toEqual([]);
    expect(device.sas()).toEqual([]);
  });

  it('Quick Mode proposal mismatch: NO_PROPOSAL_CHOSEN, IPSEC_PHASE2_FAILED, the ISAKMP SA stays', () => {
    const { net, azure, device } = azureAndDevice({}, { espProposals: esp('aes128gcm16') });
    bringUp(net);
    const [a] = statuses(net, 'azure');
    expect([a!.status, a!.notify]).toEqual(['IPSEC_PHASE2_FAILED', 'NO_PROPOSAL_CHOSEN']);
    expect(a!.detail).toBe(
      'no ESP proposal in common: the peer offered ESP:AES_GCM_16_128/NO_EXT_SEQ; we accept ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ, ESP:AES_CBC_128/HMAC_SHA1_96/NO_EXT_SEQ, ESP:3DES_CBC/HMAC_SHA1_96/NO_EXT_SEQ',
    );
    expect(net.logs('azure')).toContain('no matching proposal found, sending NO_PROPOSAL_CHOSEN');
    const [d] = statuses(net, 'device');
    expect([d!.status, d!.notify]).toEqual(['IPSEC_PHASE2_FAILED', 'NO_PROPOSAL_CHOSEN']);
    expect(d!.detail).toContain('the peer accepts none of our ESP proposals (ESP:AES_GCM_16_128/NO_EXT_SEQ; no PFS)');
    expect(net.outputs('azure', 'send').at(-1)!.summary).toMatch(/^INFORMATIONAL_V1 request \d+ \[ HASH N\(NO_PROP\) \]$/);
    expect(azure.sas().map((s) => [s.state, s.children.length])).toEqual([['established', 0]]);
    expect(device.sas().map((s) => [s.state, s.children.length])).toEqual([['established', 0]]);
    expect(device.nextDeadline()).toBeGreaterThan(20_000); // nothing retransmits: the Quick Mode is over
  });

  it('PFS on the device only: NO_PROPOSAL_CHOSEN, and the detail says only PFS differs', () => {
    const { net } = azureAndDevice({}, { espProposals: esp('aes256-sha1-modp1024') });
    bringUp(net);
    const [a] = statuses(net, 'azure');
    expect(a!.status).toBe('IPSEC_PHASE2_FAILED');
    expect(a!.detail).toContain('the peer offered ESP:AES_CBC_256/HMAC_SHA1_96/MODP_1024/NO_EXT_SEQ');
    expect(a!.detail).toContain('(only PFS differs: the peer uses PFS with MODP_1024, we use no PFS)');
    expect(statuses(net, 'device')[0]!.detail).toContain('PFS with MODP_1024');
  });

  it('PFS on both sides: a KE in QM1 and QM2, and the tunnel comes up', () => {
    const { net } = azureAndDevice({ espProposals: esp('aes256-sha1-modp1024') }, { espProposals: esp('aes256-sha1-modp1024') });
    bringUp(net);
    expect(net.sent().filter((t) => t.summary.startsWith('QUICK_MODE')).map((t) => t.summary.replace(/ \d+ \[/, ' ['))).toEqual([
      'QUICK_MODE request [ HASH SA No KE ID ID ]',
      'QUICK_MODE response [ HASH SA No KE ID ID ]',
      'QUICK_MODE request [ HASH ]',
    ]);
    expect(statuses(net, 'azure').map((s) => s.status)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
    const [a] = net.outputs('azure', 'child-up');
    const [d] = net.outputs('device', 'child-up');
    expect(a!.child.keys).toEqual(d!.child.keys);
  });

  it('proxy-ID mismatch: INVALID_ID_INFORMATION, TRAFFIC_SELECTOR_MISMATCH with both sides\' prefixes', () => {
    const { net, azure } = azureAndDevice({ selectors: [pair('10.1.0.0/16', '10.9.0.0/16')] });
    bringUp(net);
    const [a] = statuses(net, 'azure');
    expect([a!.status, a!.notify]).toEqual(['TRAFFIC_SELECTOR_MISMATCH', 'INVALID_ID_INFORMATION']);
    expect(a!.detail).toBe('proxy IDs differ: the peer asked for 10.1.0.0/16 === 10.2.0.0/16 (our side === its side); we have 10.1.0.0/16 === 10.9.0.0/16');
    expect(net.logs('azure')).toContain('no matching CHILD_SA config found for 10.2.0.0/16 === 10.1.0.0/16');
    const [d] = statuses(net, 'device');
    expect([d!.status, d!.notify]).toEqual(['TRAFFIC_SELECTOR_MISMATCH', 'INVALID_ID_INFORMATION']);
    expect(d!.detail).toContain('we offered 10.2.0.0/16 === 10.1.0.0/16 and the peer refused them');
    expect(net.logs('device')).toContain('received INVALID_ID_INFORMATION error notify');
    expect(azure.sas()[0]!.state).toBe('established');
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('PSK mismatch (seed %i): IKE_PHASE1_KEY_MISMATCH on both sides, charon\'s words on the responder', (seed) => {
    const { net, azure, device } = azureAndDevice({}, { psk: new TextEncoder().encode('not-the-azure-key') }, seed);
    bringUp(net);
    const [a] = statuses(net, 'azure');
    const [d] = statuses(net, 'device');
    expect(a!.status).toBe('IKE_PHASE1_KEY_MISMATCH');
    expect(d!.status).toBe('IKE_PHASE1_KEY_MISMATCH');
    expect(['PAYLOAD_MALFORMED', 'AUTHENTICATION_FAILED']).toContain(a!.notify);
    const logs = net.logs('azure');
    if (a!.notify === 'PAYLOAD_MALFORMED') {
      expect(logs.some((l) => /^invalid [A-Z_0-9]+ payload length, decryption failed\?$|payload verification failed, decryption failed\?/.test(l))).toBe(true);
      expect(logs).toContain('message parsing failed');
    } else {
      expect(logs).toContain('calculated HASH does not match HASH payload');
    }
    expect(net.outputs('azure', 'send').at(-1)!.summary).toMatch(/^INFORMATIONAL_V1 request \d+ \[ HASH N\((PLD_MAL|AUTH_FAILED)\) \]$/);
    expect(net.logs('device')).toContain('ignore malformed INFORMATIONAL request');
    expect(azure.sas()).toEqual([]);
    expect(device.sas()).toEqual([]);
    expect(net.outputs('device', 'child-up')).toEqual([]);
  });

  it('peer not responding: retransmits at 4, 7.2, 5.832 s ... then MISSING_END_POINT', () => {
    const { net, device } = azureAndDevice({}, { remote: ip('192.0.2.99'), remoteId: null });
    bringUp(net, 200);
    const sends = net.timedOutputs('device').filter((o) => o.output.kind === 'send');
    const times = sends.map((s) => s.time);
    const expected = [0];
    for (let k = 0; k < 5; k++) expected.push(expected[k]! + 4 * Math.pow(1.8, k));
    expect(times.map((t) => t.toFixed(3))).toEqual(expected.map((t) => t.toFixed(3)));
    const bytes = sends.map((s) => (s.output.kind === 'send' ? Buffer.from(s.output.datagram.payload).toString('hex') : ''));
    expect(new Set(bytes).size).toBe(1); // identical bytes every time
    expect(sends.map((s) => (s.output.kind === 'send' ? s.output.retransmit : -1))).toEqual([0, 1, 2, 3, 4, 5]);
    const [d] = statuses(net, 'device');
    expect(d!.status).toBe('MISSING_END_POINT');
    expect(d!.detail).toContain('no answer from 192.0.2.99[500] to ID_PROT request 0 [ SA V ] after 5 retransmits');
    const gaveUpAt = net.timedOutputs('device').find((o) => o.output.kind === 'status')!.time;
    expect(gaveUpAt).toBeCloseTo(expected[5]! + 4 * Math.pow(1.8, 5), 6);
    expect(net.logs('device')).toEqual(expect.arrayContaining(['sending retransmit 5 of request message ID 0, seq 1', 'giving up after 5 retransmits', 'establishing IKE_SA failed, peer not responding']));
    expect(device.sas()).toEqual([]);
    expect(device.nextDeadline()).toBe(Infinity);
  });

  it('a path cut after MM2: the peer was heard, so IKE_PHASE1_FAILED; Azure drops its half-open SA after 30 s', () => {
    const { net, azure } = azureAndDevice();
    net.drop((t) => t.summary.includes('[ KE No'), 'cut after MM2');
    bringUp(net, 200);
    expect(statuses(net, 'device').map((s) => s.status)).toEqual(['IKE_PHASE1_FAILED']);
    expect(net.logs('azure')).toContain('deleting half open IKE_SA with 203.0.113.10 after timeout');
    expect(azure.sas()).toEqual([]);
  });

  it('a peer that stops answering in Quick Mode: retransmits, then IPSEC_PHASE2_FAILED and the ISAKMP SA goes (strongSwan destroys it)', () => {
    const { net, device } = azureAndDevice();
    net.drop((t) => t.summary.startsWith('QUICK_MODE response'), 'QM2 lost');
    bringUp(net, 200);
    const qm1 = net.sent().filter((t) => t.from === 'device' && t.summary.startsWith('QUICK_MODE request'));
    expect(qm1.map((t) => t.retransmit)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set(qm1.map((t) => hexOf(t.datagram.payload))).size).toBe(1);
    const [d] = statuses(net, 'device');
    expect(d!.status).toBe('IPSEC_PHASE2_FAILED');
    expect(d!.detail).toContain('stopped answering Quick Mode for 10.2.0.0/16 === 10.1.0.0/16');
    expect(device.sas()).toEqual([]);
    // Azure sent QM2 again each time it saw QM1 again, then gave up on QM3 and dropped its SA too.
    expect(net.logs('azure').filter((l) => l.startsWith('received retransmit of request'))).toHaveLength(5);
    expect(statuses(net, 'azure').map((s) => s.status)).toEqual(['IPSEC_PHASE2_FAILED']);
  });

  it('a wrong identity: the responder refuses with AUTHENTICATION_FAILED, IKE_PHASE1_FAILED naming both', () => {
    const { net } = azureAndDevice({ remoteId: { type: 'fqdn', name: 'vpn.contoso.example' } });
    bringUp(net);
    const [a] = statuses(net, 'azure');
    expect([a!.status, a!.notify]).toEqual(['IKE_PHASE1_FAILED', 'AUTHENTICATION_FAILED']);
    expect(a!.detail).toBe('the peer identifies as 203.0.113.10; we expect vpn.contoso.example');
    const [d] = statuses(net, 'device');
    expect([d!.status, d!.notify]).toEqual(['IKE_PHASE1_FAILED', 'AUTHENTICATION_FAILED']);
    expect(d!.detail).toContain('the pre-shared keys agree');
  });
});
