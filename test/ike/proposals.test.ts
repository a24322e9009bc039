/**
 * strongSwan proposal strings read as strongSwan reads them (proposal.c
 * `proposal_create_from_string`, `check_proposal`): implicit PRFs, AEAD without integrity,
 * lists in order, and a typed error naming the keyword or the rule for each refusal; and
 * the log words strongSwan prints for them (the spelling reference/strongswan-interop.md
 * quotes from a real charon: `IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024`).
 */
import { describe, expect, it } from 'vitest';
import { espTransforms, formatIkeProposal, parseEspProposal, parseIkeProposal, type EspProposal, type IkeProposal, type ProposalResult } from '../../sim/ike/proposals.js';
import { transformByProposal } from '../../sim/ipsec/transforms.js';

function ok<T>(r: ProposalResult<T>): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function names(p: IkeProposal): string[][] {
  return [p.encryptions.map((e) => e.name), p.integrities.map((i) => i.name), p.prfs.map((f) => f.name), p.dhGroups.map((g) => g.strongswan)];
}

describe('parseIkeProposal', () => {
  it('Azure 2016 route-based default: aes256-sha1-modp1024 takes prfsha1 from sha1 and logs as charon does', () => {
    const p = ok(parseIkeProposal('aes256-sha1-modp1024'));
    expect(names(p)).toEqual([['aes256'], ['sha1'], ['prfsha1'], ['modp1024']]);
    expect(p.dhGroups[0]?.id).toBe(2);
    expect(formatIkeProposal(p)).toBe('IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024');
  });

  it('aes128-sha256-modp2048: HMAC-SHA2-256-128 and PRF-HMAC-SHA2-256, group 14', () => {
    const p = ok(parseIkeProposal('aes128-sha256-modp2048'));
    expect(names(p)).toEqual([['aes128'], ['sha256'], ['prfsha256'], ['modp2048']]);
    expect(formatIkeProposal(p)).toBe('IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048');
  });

  it('aes256gcm16-prfsha256-modp2048: AEAD with an explicit PRF and no integrity', () => {
    const p = ok(parseIkeProposal('aes256gcm16-prfsha256-modp2048'));
    expect(names(p)).toEqual([['aes256gcm16'], [], ['prfsha256'], ['modp2048']]);
    expect(formatIkeProposal(p)).toBe('IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/MODP_2048');
  });

  it('an integrity algorithm beside AEAD ciphers is dropped; an explicit PRF wins over the implicit one', () => {
    expect(names(ok(parseIkeProposal('aes128gcm16-sha1-prfsha256-modp2048s256')))).toEqual([['aes128gcm16'], [], ['prfsha256'], ['modp2048s256']]);
    expect(names(ok(parseIkeProposal('3des-md5-prfsha1-modp768')))).toEqual([['3des'], ['md5'], ['prfsha1'], ['modp768']]);
  });

  it('keeps lists in the order written, once each, in any letter case', () => {
    const p = ok(parseIkeProposal('AES256-aes128-sha1-sha256-sha1-modp1024-modp2048'));
    expect(names(p)).toEqual([['aes256', 'aes128'], ['sha1', 'sha256'], ['prfsha1', 'prfsha256'], ['modp1024', 'modp2048']]);
    expect(formatIkeProposal({ encryption: p.encryptions[1]!, integrity: p.integrities[1]!, prf: p.prfs[1]!, dhGroup: p.dhGroups[1]! })).toBe(
      'IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048',
    );
  });

  it.each([
    ['aes256-sha1-modp1023', 'unknown-keyword', 'modp1023'],
    ['aes256-sha1-ecp256', 'unknown-keyword', 'ecp256'],
    ['aes-sha1-modp1024', 'unknown-keyword', 'aes'],
    ['des-sha1-modp1024', 'unknown-keyword', 'des'],
    ['constructor-sha1-modp1024', 'unknown-keyword', 'constructor'],
    ['', 'empty', null],
    ['aes256--sha1-modp1024', 'empty', null],
    ['sha1-modp1024', 'no-encryption', null],
    ['aes256-aes128gcm16-sha1-modp1024', 'mixed-aead', null],
    ['aes256-modp1024', 'no-integrity', null],
    ['aes256gcm16-modp2048', 'no-prf', null],
    ['aes256-sha1', 'no-dh-group', null],
  ] as const)('%j is refused: %s', (text, code, keyword) => {
    const r = parseIkeProposal(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.keyword).toBe(keyword);
    if (keyword) expect(r.error.message).toContain(`'${keyword}'`);
  });
});

describe('parseEspProposal', () => {
  function transforms(p: EspProposal): string[] {
    return espTransforms(p).map((t) => t.name);
  }

  it('aes256-sha1 is the ESP transform transforms.ts knows by that name, without PFS', () => {
    const p = ok(parseEspProposal('aes256-sha1'));
    const t = transformByProposal('aes256-sha1');
    if (!t.ok) throw new Error(t.error.message);
    expect(espTransforms(p)).toEqual([t.value]);
    expect(p.dhGroups).toEqual([]);
  });

  it('a DH group means PFS; AEAD drops integrity; lists give every combination in order; a PRF keyword is dropped', () => {
    const gcm = ok(parseEspProposal('aes128gcm16-sha1-modp2048'));
    expect(transforms(gcm)).toEqual(['aes128gcm16']);
    expect(gcm.dhGroups.map((g) => g.id)).toEqual([14]);
    expect(transforms(ok(parseEspProposal('aes256-aes128-sha1-md5')))).toEqual(['aes256-sha1', 'aes256-md5', 'aes128-sha1', 'aes128-md5']);
    expect(transforms(ok(parseEspProposal('3des-prfsha1-sha1-modp1024')))).toEqual(['3des-sha1']);
  });

  it.each([
    ['aes256-sha256', 'unknown-keyword', 'sha256'],
    ['aes192-sha1', 'unknown-keyword', 'aes192'],
    ['aes256-sha1-modp4096', 'unknown-keyword', 'modp4096'],
    ['aes256', 'no-integrity', null],
    ['sha1-modp1024', 'no-encryption', null],
    ['aes256-aes256gcm16-sha1', 'mixed-aead', null],
    ['aes256-sha1-', 'empty', null],
  ] as const)('%j is refused: %s', (text, code, keyword) => {
    const r = parseEspProposal(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.keyword).toBe(keyword);
  });
});
