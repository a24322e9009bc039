/**
 * The Azure side's IKE settings come from the editions' IPsec tables: the version by VPN
 * type, phase 1 as one IKE proposal, the ESP offers in Azure's order (PFS where the edition
 * has it), lifetimes and DPD, and the offers vgwsim's ESP cannot carry named, not dropped.
 */
import { describe, expect, it } from 'vitest';
import { AZURE_DPD_DELAY, DEFAULT_CHILD_LIFETIME, azureIkeSide } from '../../sim/gateway/azure-ike.js';
import { EDITIONS } from '../../sim/gateway/capabilities.js';
import { formatIkeProposal } from '../../sim/ike/proposals.js';
import type { EspProposal } from '../../sim/ike/proposals.js';

/** An ESP proposal in strongSwan's words: `aes256-sha1`, `aes128-sha1-modp1024`. */
function words(p: EspProposal): string {
  return [...p.encryptions.map((e) => e.strongswan), ...p.integrities.map((i) => i.strongswan), ...p.dhGroups.map((g) => g.strongswan)].join('-');
}

describe('the Azure side of IKE, by edition', () => {
  it('2016-02 policy-based: IKEv1, AES256/AES128/3DES with SHA1 and group 2, 28,800 s / 3,600 s / 102,400,000 KB, no PFS, no DPD', () => {
    const a = azureIkeSide('azure-2016-02', 'PolicyBased');
    expect(a.version).toBe(1);
    expect(a.ikeProposals.map(formatIkeProposal)).toEqual(['IKE:AES_CBC_256/AES_CBC_128/3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024']);
    expect(a.espInitiatorProposals.map(words)).toEqual(['aes256-sha1', 'aes128-sha1', '3des-sha1']);
    expect(a.espResponderProposals.map(words)).toEqual(['aes256-sha1', 'aes128-sha1', '3des-sha1']);
    expect([a.ikeLifetime, a.childLifetime, a.childLifeKilobytes, a.dpdDelay]).toEqual([28_800, 3_600, 102_400_000, null]);
    expect(a.notModelled).toEqual([]);
  });

  it('2016-02 route-based: IKEv2, PFS group 1 on every offer, DPD, the AH and DES offers named as not modelled', () => {
    const a = azureIkeSide('azure-2016-02', 'RouteBased');
    expect(a.version).toBe(2);
    expect(a.ikeProposals.map(formatIkeProposal)).toEqual(['IKE:AES_CBC_256/3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024']);
    expect(a.espInitiatorProposals.map(words)).toEqual(['aes256-sha1-modp768', 'aes128-sha1-modp768', '3des-md5-modp768', '3des-sha1-modp768']);
    expect(a.espResponderProposals.map(words).slice(0, 3)).toEqual(['aes128-sha1-modp768', '3des-md5-modp768', '3des-sha1-modp768']);
    expect([a.ikeLifetime, a.childLifetime, a.childLifeKilobytes, a.dpdDelay]).toEqual([28_800, DEFAULT_CHILD_LIFETIME, null, AZURE_DPD_DELAY]);
    expect(a.notModelled).toEqual(expect.arrayContaining(['AH+ESP AES128-SHA1', 'ESP DES-MD5', 'AH SHA1']));
  });

  it('late 2016 route-based: SHA1 or SHA256, 10,800 s and 3,600 s, no PFS of its own but groups 1, 2, 5, 14, 24 accepted as responder', () => {
    const a = azureIkeSide('azure-2016-late', 'RouteBased');
    expect(a.ikeProposals.map(formatIkeProposal)).toEqual(['IKE:AES_CBC_256/3DES_CBC/HMAC_SHA1_96/HMAC_SHA2_256_128/PRF_HMAC_SHA1/PRF_HMAC_SHA2_256/MODP_1024']);
    expect([a.ikeLifetime, a.childLifetime]).toEqual([10_800, 3_600]);
    expect(a.espInitiatorProposals.map(words)).toEqual(['aes256-sha1', 'aes128-sha1', '3des-md5', '3des-sha1']);
    const responder = a.espResponderProposals.map(words);
    expect(responder).toContain('aes128-sha1');
    expect(responder).toContain('aes128-sha1-modp768-modp1024-modp1536-modp2048-modp2048s256');
    // Without PFS first: a peer that proposes none is taken at once.
    expect(responder.indexOf('aes128-sha1')).toBeLessThan(responder.indexOf('aes128-sha1-modp768-modp1024-modp1536-modp2048-modp2048s256'));
  });

  it('2018-10 route-based: GCM first, 27,000 s, the PFS groups of the responder offers that name one', () => {
    const a = azureIkeSide('azure-2018-10', 'RouteBased');
    expect(a.espInitiatorProposals.map(words)[0]).toBe('aes256gcm16');
    expect(a.childLifetime).toBe(27_000);
    expect(a.espResponderProposals.map(words)).toContain('aes256-sha1-modp2048');
  });

  it('every edition and VPN type gives a usable side (one IKE proposal, at least one ESP proposal each way)', () => {
    for (const { edition } of EDITIONS) {
      for (const vpnType of ['PolicyBased', 'RouteBased'] as const) {
        const a = azureIkeSide(edition, vpnType);
        expect(a.ikeProposals).toHaveLength(1);
        expect(a.espInitiatorProposals.length).toBeGreaterThan(0);
        expect(a.espResponderProposals.length).toBeGreaterThan(0);
        expect(a.version).toBe(vpnType === 'PolicyBased' ? 1 : 2);
      }
    }
  });
});
