/**
 * The pure parts of sim/ike/ikev2/ on their own: proposal selection with strongSwan's rules
 * (configured order wins; every type must agree; AEAD drops integrity; PFS on one side only
 * is a mismatch, and IKE_AUTH skips the groups; the responder's answer must be a choice from
 * what was offered), the words logs and details use, traffic selector narrowing and the
 * strongSwan spelling of selectors, prefix splitting of ranges, and message protection (a
 * sealed message opens, with either side's keys by the I flag; a flipped bit anywhere after
 * the header fails the ICV, for CBC+HMAC and for GCM), over seeded random inputs.
 */
import { describe, expect, it } from 'vitest';
import { deriveIkeSaKeys } from '../../sim/ike/keys-v2.js';
import { openMessage, sealMessage } from '../../sim/ike/ikev2/message-protection.js';
import {
  acceptedEspProposal,
  acceptedIkeProposal,
  espProposalsOnWire,
  ikeProposalsOnWire,
  ikeSelectionOnWire,
  proposalKeywords,
  proposalLogText,
  selectEspProposal,
  selectIkeProposal,
} from '../../sim/ike/ikev2/proposal-selection.js';
import { intersect, narrow, rangePrefixes, selectorOfPrefix, selectorsText } from '../../sim/ike/ikev2/traffic-selectors.js';
import { CRYPTO_BACKENDS } from '../../sim/ipsec/backends.js';
import { Prng } from '../../sim/util/prng.js';
import type { Ikev2Header } from '../../sim/wire/ikev2-header.js';
import type { Ikev2Payload } from '../../sim/wire/ikev2-payloads.js';
import { espProposal, ikeProposal, prefix } from '../support/ikev2-pair.js';

const NONE = new Uint8Array(0);
const SPI4 = Uint8Array.of(0xc0, 0, 0, 1);

describe('IKEv2 proposal selection', () => {
  it('the responder\'s order wins, within and across proposals', () => {
    const ours = [ikeProposal('aes128-sha1-modp2048'), ikeProposal('aes256-sha1-modp1024')];
    const theirs = ikeProposalsOnWire([ikeProposal('aes256-sha1-modp1024'), ikeProposal('aes128-sha1-modp2048')], NONE);
    const sel = selectIkeProposal(ours, theirs)!;
    expect([sel.number, proposalLogText(ikeSelectionOnWire(sel, NONE))]).toEqual([2, 'IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048']);
    const many = selectIkeProposal([ikeProposal('aes256-aes128-sha256-sha1-modp2048-modp1024')], ikeProposalsOnWire([ikeProposal('aes128-aes256-sha1-sha256-modp1024-modp2048')], NONE))!;
    expect(proposalLogText(ikeSelectionOnWire(many, NONE))).toBe('IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048');
  });

  it('every transform type must agree: a different key length, PRF or group is no match', () => {
    const ours = [ikeProposal('aes256-sha1-modp1024')];
    for (const t of ['aes128-sha1-modp1024', 'aes256-sha256-modp1024', 'aes256-sha1-prfsha256-modp1024', 'aes256-sha1-modp2048']) {
      expect(selectIkeProposal(ours, ikeProposalsOnWire([ikeProposal(t)], NONE)), t).toBeNull();
    }
  });

  it('AEAD: no integrity transform on the wire, none selected', () => {
    const gcm = ikeProposal('aes256gcm16-prfsha256-modp2048');
    const wire = ikeProposalsOnWire([gcm], NONE);
    expect(wire[0]!.transforms.map((t) => t.type)).toEqual([1, 2, 4]);
    const sel = selectIkeProposal([gcm], wire)!;
    expect(sel.suite.integrity).toBeNull();
    expect(proposalKeywords(wire[0]!)).toBe('aes256gcm16-prfsha256-modp2048');
  });

  it('ESP: PFS on one side only does not match; IKE_AUTH skips groups; NONE counts as no PFS', () => {
    const pfs = [espProposal('aes256-sha1-modp1024')];
    const plain = [espProposal('aes256-sha1')];
    expect(selectEspProposal(plain, espProposalsOnWire(pfs, SPI4, true), false)).toBeNull();
    expect(selectEspProposal(pfs, espProposalsOnWire(plain, SPI4, true), false)).toBeNull();
    expect(selectEspProposal(plain, espProposalsOnWire(pfs, SPI4, true), true)?.dhGroup).toBeNull();
    // In IKE_AUTH the groups are not even sent.
    expect(espProposalsOnWire(pfs, SPI4, false)[0]!.transforms.map((t) => t.type)).toEqual([1, 3, 5]);
    const withNone = espProposalsOnWire(pfs, SPI4, true);
    const noneToo = [{ ...withNone[0]!, transforms: [...withNone[0]!.transforms, { type: 4, id: 0, attributes: [] }] }];
    expect(selectEspProposal(plain, noneToo, false)?.transform.name).toBe('aes256-sha1');
    const both = selectEspProposal(pfs, espProposalsOnWire(pfs, SPI4, true), false)!;
    expect([both.dhGroup?.id, both.transform.name, [...both.peerSpi]]).toEqual([2, 'aes256-sha1', [0xc0, 0, 0, 1]]);
  });

  it('the initiator accepts only a choice from what it offered, one algorithm per type', () => {
    const offered = ikeProposalsOnWire([ikeProposal('aes256-aes128-sha1-modp1024')], NONE);
    const good = selectIkeProposal([ikeProposal('aes128-sha1-modp1024')], offered)!;
    expect(acceptedIkeProposal(offered, [ikeSelectionOnWire(good, NONE)])?.suite.encryption.name).toBe('aes128');
    expect(acceptedIkeProposal(offered, offered), 'both encryptions returned').toBeNull();
    const other = ikeSelectionOnWire(selectIkeProposal([ikeProposal('aes128-sha1-modp2048')], ikeProposalsOnWire([ikeProposal('aes128-sha1-modp2048')], NONE))!, NONE);
    expect(acceptedIkeProposal(offered, [other]), 'a group we did not offer').toBeNull();
    const espOffered = espProposalsOnWire([espProposal('aes256-sha1')], SPI4, true);
    expect(acceptedEspProposal([espProposal('aes256-sha1')], espOffered, espOffered, false)?.transform.name).toBe('aes256-sha1');
    expect(acceptedEspProposal([espProposal('aes256-sha1')], espOffered, [{ ...espOffered[0]!, number: 2 }], false)).toBeNull();
  });

  it('keywords leave out the PRF the integrity implies and keep one that differs', () => {
    expect(proposalKeywords(ikeProposalsOnWire([ikeProposal('aes256-sha1-modp1024')], NONE)[0]!)).toBe('aes256-sha1-modp1024');
    expect(proposalKeywords(ikeProposalsOnWire([ikeProposal('aes256-sha1-prfsha256-modp1024')], NONE)[0]!)).toBe('aes256-sha1-prfsha256-modp1024');
    expect(proposalKeywords(espProposalsOnWire([espProposal('3des-md5-modp1024')], SPI4, true)[0]!)).toBe('3des-md5-modp1024');
    expect(proposalLogText(espProposalsOnWire([espProposal('aes128gcm16')], SPI4, true)[0]!)).toBe('ESP:AES_GCM_16_128/NO_EXT_SEQ');
  });
});

describe('IKEv2 traffic selectors', () => {
  it('narrowing keeps every intersection in configured order, and nothing when disjoint', () => {
    const conf = [selectorOfPrefix(prefix('10.1.0.0/16')), selectorOfPrefix(prefix('10.3.0.0/16'))];
    const proposed = [selectorOfPrefix(prefix('10.1.2.0/24')), selectorOfPrefix(prefix('0.0.0.0/0'))];
    expect(selectorsText(narrow(conf, proposed))).toBe('10.1.2.0/24 10.1.0.0/16 10.3.0.0/16');
    expect(narrow(conf, [selectorOfPrefix(prefix('192.168.0.0/16'))])).toEqual([]);
    const tcp443 = { ...selectorOfPrefix(prefix('10.1.0.0/16')), ipProtocol: 6, startPort: 443, endPort: 443 };
    expect(selectorsText([intersect(tcp443, selectorOfPrefix(prefix('10.1.0.0/24')))!])).toBe('10.1.0.0/24[tcp/443]');
    expect(intersect(tcp443, { ...tcp443, ipProtocol: 17 })).toBeNull();
  });

  it('an address range splits into the fewest prefixes that cover it exactly (seeded ranges)', () => {
    const prng = new Prng(12, 'ts-ranges');
    for (let i = 0; i < 300; i++) {
      const a = prng.nextU32();
      const b = prng.int(5) === 0 ? 0xffffffff : prng.nextU32();
      const [start, end] = a <= b ? [a, b] : [b, a];
      const ps = rangePrefixes(start, end);
      let at = start;
      for (const p of ps) {
        expect(p.addr).toBe(at);
        at += 2 ** (32 - p.len);
      }
      expect(at - 1).toBe(end);
      expect(ps.length).toBeLessThanOrEqual(62);
    }
    expect(selectorsText([{ kind: 'ipv4-range', ipProtocol: 0, startPort: 0, endPort: 65535, startAddress: 0x0a010005, endAddress: 0x0a010009 }])).toBe('10.1.0.5..10.1.0.9');
  });
});

describe('IKEv2 message protection', () => {
  for (const suiteText of ['aes256-sha1-modp1024', 'aes128gcm16-prfsha256-modp2048', '3des-md5-modp1024']) {
    it(`${suiteText}: sealed messages open with the sender's direction keys; a flipped bit fails (seeded)`, () => {
      const p = ikeProposal(suiteText);
      const suite = { encryption: p.encryptions[0]!, integrity: p.integrities[0] ?? null, prf: p.prfs[0]!, dhGroup: p.dhGroups[0]! };
      const prng = new Prng(7, suiteText);
      const be = CRYPTO_BACKENDS.node;
      const keys = deriveIkeSaKeys(be, suite, prng.fill(new Uint8Array(20)), prng.fill(new Uint8Array(32)), prng.fill(new Uint8Array(32)), prng.fill(new Uint8Array(8)), prng.fill(new Uint8Array(8)));
      for (let i = 0; i < 40; i++) {
        const header: Ikev2Header = { initiatorSpi: prng.fill(new Uint8Array(8)), responderSpi: prng.fill(new Uint8Array(8)), exchangeType: 37, initiator: prng.int(2) === 0, response: prng.int(2) === 0, higherVersion: false, messageId: prng.nextU32() };
        const inner: Ikev2Payload[] = prng.int(3) === 0 ? [] : [{ kind: 'Nonce', data: prng.fill(new Uint8Array(16 + prng.int(40))) }, { kind: 'Delete', protocol: 3, spiSize: 4, spis: [prng.fill(new Uint8Array(4))] }];
        const bytes = sealMessage(be, { suite, keys }, header, inner, prng);
        const opened = openMessage(be, { suite, keys }, bytes);
        expect(opened.ok && opened.inner).toEqual(inner);
        // The other direction's keys do not open it.
        const swapped = { ...keys, skEi: keys.skEr, skEr: keys.skEi, skAi: keys.skAr, skAr: keys.skAi };
        expect(openMessage(be, { suite, keys: swapped }, bytes)).toEqual({ ok: false, problem: 'integrity check failed' });
        const flipped = bytes.slice();
        const at = 28 + prng.int(bytes.length - 28);
        flipped[at]! ^= 1 << prng.int(8);
        const bad = openMessage(be, { suite, keys }, flipped);
        expect(bad.ok, `bit flipped at ${at}`).toBe(false);
      }
    });
  }
});
