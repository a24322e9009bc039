/**
 * An IKE endpoint's outputs in words and as JSON objects: both ends of each datagram, a
 * retransmission and a dropped datagram said so, a status with its notify, and no line
 * for key material.
 */
import { describe, expect, it } from 'vitest';
import { ikeOutputJson, ikeOutputText } from '../../sim/gateway/ike-text.js';
import type { IkeDatagram, IkeOutput } from '../../sim/ike/endpoint.js';
import { parseIPv4 } from '../../sim/net/ipv4.js';
import { parseIkeProposal } from '../../sim/ike/proposals.js';

function ip(text: string): number {
  const r = parseIPv4(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

const OUT: IkeDatagram = { src: ip('203.0.113.20'), dst: ip('198.51.100.1'), sport: 500, dport: 500, payload: new Uint8Array(312) };
const IN: IkeDatagram = { src: ip('198.51.100.1'), dst: ip('203.0.113.20'), sport: 4500, dport: 4500, payload: new Uint8Array(76) };

describe('IKE outputs in words', () => {
  it('a send with both ends, its retransmission numbered, a received datagram that was dropped with the reason', () => {
    expect(ikeOutputText({ kind: 'send', datagram: OUT, summary: 'IKE_SA_INIT request 0 [ SA KE No ]', retransmit: 0 }))
      .toBe('send      IKE_SA_INIT request 0 [ SA KE No ] 203.0.113.20[500] -> 198.51.100.1[500]');
    expect(ikeOutputText({ kind: 'send', datagram: OUT, summary: 'IKE_SA_INIT request 0 [ SA KE No ]', retransmit: 2 }))
      .toBe('send      IKE_SA_INIT request 0 [ SA KE No ] 203.0.113.20[500] -> 198.51.100.1[500] (retransmit 2)');
    expect(ikeOutputText({ kind: 'received', datagram: IN, summary: 'IKE_AUTH response 1', problem: 'integrity check failed' }))
      .toBe('received  IKE_AUTH response 1 198.51.100.1[4500] -> 203.0.113.20[4500]: dropped, integrity check failed');
  });

  it('a status with the peer\'s notify, a log line, and no line for keys', () => {
    expect(ikeOutputText({ kind: 'status', status: 'IKE_PHASE1_KEY_MISMATCH', detail: 'the keys differ', notify: 'AUTHENTICATION_FAILED' }))
      .toBe('status    IKE_PHASE1_KEY_MISMATCH: the keys differ (notify AUTHENTICATION_FAILED)');
    expect(ikeOutputText({ kind: 'status', status: 'IPSEC_SESSION_ESTABLISHED', detail: 'up', notify: null })).toBe('status    IPSEC_SESSION_ESTABLISHED: up');
    expect(ikeOutputText({ kind: 'log', text: 'remote host is behind NAT' })).toBe('log       remote host is behind NAT');
    const p = parseIkeProposal('aes256-sha1-modp1024');
    if (!p.ok) throw new Error(p.error.message);
    const suite = { encryption: p.value.encryptions[0]!, integrity: p.value.integrities[0]!, prf: p.value.prfs[0]!, dhGroup: p.value.dhGroups[0]! };
    const keys: IkeOutput = { kind: 'ike-sa-keys', keys: { version: 1, cookieI: new Uint8Array(8), encryptionKey: new Uint8Array(32).fill(7), suite } };
    expect([ikeOutputText(keys), ikeOutputJson(keys)]).toEqual([null, null]);
  });
});

describe('IKE outputs as JSON', () => {
  it('addresses in words, the size, the retransmission or the problem, never the bytes', () => {
    expect(ikeOutputJson({ kind: 'send', datagram: OUT, summary: 'IKE_SA_INIT request 0 [ SA KE No ]', retransmit: 1 })).toEqual({
      type: 'send', summary: 'IKE_SA_INIT request 0 [ SA KE No ]', from: '203.0.113.20', sport: 500, to: '198.51.100.1', dport: 500, bytes: 312, retransmit: 1,
    });
    expect(ikeOutputJson({ kind: 'received', datagram: IN, summary: 'IKE_AUTH response 1', problem: null })).toEqual({
      type: 'received', summary: 'IKE_AUTH response 1', from: '198.51.100.1', sport: 4500, to: '203.0.113.20', dport: 4500, bytes: 76, problem: null,
    });
    expect(ikeOutputJson({ kind: 'status', status: 'PFS_MISMATCH', detail: 'd', notify: 'NO_PROPOSAL_CHOSEN' })).toEqual({ type: 'status', status: 'PFS_MISMATCH', detail: 'd', notify: 'NO_PROPOSAL_CHOSEN' });
  });
});
