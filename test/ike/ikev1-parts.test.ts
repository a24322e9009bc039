/**
 * The parts of the IKEv1 endpoint on their own, each against an independent computation:
 * NAT-D hashes (RFC 3947 §3.2, recomputed with node:crypto) and what they say about NATs,
 * the UDP 4500 demultiplexing of RFC 3948, the SA payloads as bytes read back by the
 * hand-written decoder (attribute order as strongSwan writes it, Azure's kilobyte TLV),
 * strongSwan's reading rules for received transforms, proposal choice in configured order,
 * proxy IDs, and the IV chain of RFC 2409 Appendix B recomputed with node:crypto.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IKE_ENCRYPTIONS, IKE_PRFS, type IkeCbcEncryption, type IkeEncryption } from '../../sim/ike/algorithms.js';
import { Ikev1Crypter } from '../../sim/ike/ikev1/crypt.js';
import { detectNat, natdHash, splitNattPayload, withNonEspMarker } from '../../sim/ike/ikev1/natt.js';
import {
  espChoices,
  espChoicesAnyGroup,
  espSaPayload,
  phase1Offer,
  phase1Suites,
  readEspTransform,
  readPhase1Transform,
  selectEsp,
  selectPhase1,
  phase1Transforms,
  espOffers,
} from '../../sim/ike/ikev1/proposals.js';
import { intersect, prefixOfProxyId, proxyId } from '../../sim/ike/ikev1/quick-mode.js';
import { nodeCrypto } from '../../sim/ipsec/crypto-node.js';
import { encodePayloadBody, ExchangeType, type IsakmpHeaderFields } from '../../sim/wire/isakmp.js';
import { ikev1Sa } from '../support/ike-by-hand.js';
import { esp, ike, prefix } from './ikev1-setup.js';
import { hex, ip, toHex } from '../wire/hex.js';

function cbc(e: IkeEncryption): IkeCbcEncryption {
  if (e.mode !== 'cbc') throw new Error(`${e.label} is not a CBC cipher`);
  return e;
}

const CKY_I = hex('0102030405060708');
const CKY_R = hex('a1a2a3a4a5a6a7a8');

describe('NAT traversal parts', () => {
  it('NAT-D is SHA-1(CKY-I | CKY-R | IP | port), as RFC 3947 §3.2 says', () => {
    const want = createHash('sha1').update(CKY_I).update(CKY_R).update(Buffer.from([198, 51, 100, 20, 0x11, 0x94])).digest('hex');
    expect(toHex(natdHash(nodeCrypto, 'sha1', CKY_I, CKY_R, ip('198.51.100.20'), 4500))).toBe(want);
  });

  it('reads NAT-D: the first hash is the receiver, any later one the sender', () => {
    const me = { addr: ip('198.51.100.20'), port: 500 };
    const peer = { addr: ip('203.0.113.10'), port: 500 };
    const h = (e: { addr: number; port: number }): Uint8Array => natdHash(nodeCrypto, 'sha1', CKY_I, CKY_R, e.addr, e.port);
    const detect = (hashes: Uint8Array[]) => detectNat(nodeCrypto, 'sha1', CKY_I, CKY_R, hashes, me, peer);
    expect(detect([h(me), h(peer)])).toEqual({ natHere: false, natThere: false });
    expect(detect([h({ addr: me.addr, port: 4500 }), h(peer)])).toEqual({ natHere: true, natThere: false });
    expect(detect([h(me), h({ addr: ip('10.0.0.5'), port: 500 })])).toEqual({ natHere: false, natThere: true });
    expect(detect([h(me), h({ addr: ip('10.0.0.5'), port: 500 }), h(peer)])).toEqual({ natHere: false, natThere: false });
    expect(detect([h(me)])).toBeNull();
  });

  it('splits UDP 4500 payloads: keepalive, IKE behind the marker, ESP, too short', () => {
    expect(splitNattPayload(Uint8Array.of(0xff))).toEqual({ kind: 'keepalive' });
    const ikeBytes = Uint8Array.of(1, 2, 3, 4, 5);
    const marked = withNonEspMarker(ikeBytes);
    expect(toHex(marked)).toBe('000000000102030405');
    const split = splitNattPayload(marked);
    expect(split.kind === 'ike' ? toHex(split.message) : split.kind).toBe('0102030405');
    expect(splitNattPayload(Uint8Array.of(0xc0, 0, 0, 1, 0, 0, 0, 1)).kind).toBe('esp');
    expect(splitNattPayload(Uint8Array.of(0, 0)).kind).toBe('other');
  });
});

describe('IKEv1 proposals', () => {
  it('Main Mode SA: one ISAKMP proposal, a KEY_IKE transform per suite, attributes in strongSwan\'s order', () => {
    const suites = phase1Suites(ike('aes256-sha1-modp1024', '3des-sha1-modp1024', 'aes256gcm16-prfsha256-modp2048'));
    expect(suites).toHaveLength(2); // IKEv1 has no AES-GCM phase 1
    const sa = ikev1Sa(encodePayloadBody(phase1Offer(suites, 28_800)));
    expect([sa.doi, sa.situation, sa.proposals.length, sa.proposals[0]!.protocol]).toEqual([1, 1, 1, 1]);
    const attrs = sa.proposals[0]!.transforms.map((t) => [t.number, t.id, t.attributes.map((a) => [a.type, a.value])]);
    expect(attrs).toEqual([
      [1, 1, [[1, 7], [14, 256], [2, 2], [4, 2], [3, 1], [11, 1], [12, 28_800]]],
      [2, 1, [[1, 5], [2, 2], [4, 2], [3, 1], [11, 1], [12, 28_800]]],
    ]);
  });

  it('Quick Mode SA: Azure\'s lifetimes, 102,400,000 KB as the 4-byte TLV 06 1a 80 00, SPI and mode', () => {
    const sa = ikev1Sa(encodePayloadBody(espSaPayload(espChoices(esp('aes256-sha1'), null), 0xc0ffee01, { seconds: 3600, kilobytes: 102_400_000 }, 1)));
    const p = sa.proposals[0]!;
    expect([p.protocol, toHex(p.spi), p.transforms.length, p.transforms[0]!.id]).toEqual([3, 'c0ffee01', 1, 12]);
    expect(p.transforms[0]!.attributes.map((a) => [a.type, typeof a.value === 'number' ? a.value : toHex(a.value)])).toEqual([
      [6, 256],
      [5, 2],
      [4, 1],
      [1, 1],
      [2, 3600],
      [1, 2],
      [2, '061a8000'],
    ]);
  });

  it('reads received transforms as strongSwan does: AES without a key length is AES-128; no lifetime is 28,800 s', () => {
    const aes = readPhase1Transform({ number: 3, id: 1, attributes: [{ format: 'tv', type: 1, value: 7 }, { format: 'tv', type: 2, value: 2 }, { format: 'tv', type: 4, value: 2 }, { format: 'tv', type: 3, value: 1 }] });
    expect(aes.words).toBe('IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024');
    expect([aes.psk, aes.lifetime, aes.number]).toEqual([true, null, 3]);
    const unknown = readPhase1Transform({ number: 1, id: 1, attributes: [{ format: 'tv', type: 1, value: 2 }, { format: 'tv', type: 2, value: 9 }, { format: 'tv', type: 4, value: 99 }] });
    expect(unknown.suite).toBeNull();
    expect(unknown.words).toBe('IKE:ENCR_2/HASH_9/PRF_9/GROUP_99');
    const espAes = readEspTransform({ number: 1, id: 12, attributes: [{ format: 'tv', type: 5, value: 2 }] });
    expect([espAes.words, espAes.lifetime, espAes.lifeKilobytes, espAes.encapsulation]).toEqual(['ESP:AES_CBC_128/HMAC_SHA1_96/NO_EXT_SEQ', 28_800, null, 1]);
  });

  it('the responder takes the first of its own proposals the peer offered (strongSwan prefers configured)', () => {
    const offered = phase1Transforms(phase1Offer(phase1Suites(ike('3des-sha1-modp1024', 'aes128-sha1-modp1024', 'aes256-sha1-modp1024')), 100));
    const azure = phase1Suites(ike('aes256-sha1-modp1024', 'aes128-sha1-modp1024', '3des-sha1-modp1024'));
    expect(selectPhase1(azure, offered)!.number).toBe(3);
    const peerEsp = espOffers(espSaPayload(espChoices(esp('3des-sha1', 'aes128-sha1'), null), 0x1000, { seconds: 1, kilobytes: null }, 1))!;
    const chosen = selectEsp(espChoicesAnyGroup(esp('aes256-sha1', 'aes128-sha1', '3des-sha1')), peerEsp.offers);
    expect([chosen!.number, chosen!.choice.transform.name]).toEqual([2, 'aes128-sha1']);
    // PFS must agree: a group on one side only matches nothing.
    const pfs = espOffers(espSaPayload(espChoices(esp('aes128-sha1-modp1024'), espChoicesAnyGroup(esp('aes128-sha1-modp1024'))[0]!.pfsGroup), 0x1000, { seconds: 1, kilobytes: null }, 1))!;
    expect(selectEsp(espChoicesAnyGroup(esp('aes128-sha1')), pfs.offers)).toBeNull();
    expect(selectEsp(espChoicesAnyGroup(esp('aes128-sha1-modp1024')), pfs.offers)).not.toBeNull();
  });
});

describe('proxy IDs', () => {
  it('a prefix goes out as ID_IPV4_ADDR_SUBNET and comes back; hosts, ranges and odd masks read as strongSwan would', () => {
    const p = prefix('10.1.0.0/16');
    expect(prefixOfProxyId(proxyId(p))).toEqual(p);
    expect(prefixOfProxyId({ kind: 'id', protocol: 0, port: 0, identity: { kind: 'ipv4', address: ip('10.1.2.3') } })!.text).toBe('10.1.2.3/32');
    expect(prefixOfProxyId({ kind: 'id', protocol: 0, port: 0, identity: { kind: 'ipv4-range', start: ip('10.1.0.0'), end: ip('10.1.255.255') } })!.text).toBe('10.1.0.0/16');
    expect(prefixOfProxyId({ kind: 'id', protocol: 0, port: 0, identity: { kind: 'ipv4-range', start: ip('10.1.0.0'), end: ip('10.1.0.5') } })).toBeNull();
    expect(prefixOfProxyId({ kind: 'id', protocol: 0, port: 0, identity: { kind: 'ipv4-subnet', address: ip('10.1.0.0'), mask: ip('255.0.255.0') } })).toBeNull();
    expect(prefixOfProxyId({ kind: 'id', protocol: 17, port: 53, identity: { kind: 'ipv4-subnet', address: ip('10.1.0.0'), mask: ip('255.255.0.0') } })).toBeNull();
    expect(intersect(prefix('10.0.0.0/8'), prefix('10.1.0.0/16'))!.text).toBe('10.1.0.0/16');
    expect(intersect(prefix('10.1.0.0/16'), prefix('10.2.0.0/16'))).toBeNull();
  });
});

describe('the IV chain (RFC 2409 Appendix B), recomputed with node:crypto', () => {
  it('phase 1 chains; a Quick Mode starts from hash(last phase-1 block | M-ID) and chains; an Informational never moves a chain', () => {
    const ka = createHash('sha256').update('ka').digest();
    const iv0 = createHash('sha1').update('gxi|gxr').digest().subarray(0, 16);
    const c = new Ikev1Crypter(nodeCrypto, cbc(IKE_ENCRYPTIONS.aes256), IKE_PRFS.prfsha1, ka, iv0);
    const header = (exchangeType: number, messageId: number): IsakmpHeaderFields => ({ initiatorCookie: CKY_I, responderCookie: CKY_R, exchangeType, messageId, commit: false, authOnly: false });
    const body = (m: Uint8Array): Buffer => Buffer.from(m.subarray(28));
    const enc = (iv: Uint8Array, plain: Uint8Array): Buffer => {
      const e = createCipheriv('aes-256-cbc', ka, iv);
      e.setAutoPadding(false);
      return Buffer.concat([e.update(plain), e.final()]);
    };
    const payloads = [{ kind: 'hash' as const, data: new Uint8Array(20).fill(7) }];
    const plain = new Uint8Array(32);
    plain.set([0, 0, 0, 24], 0);
    plain.fill(7, 4, 24);
    const mm5 = c.encrypt(header(ExchangeType.MAIN_MODE, 0), payloads);
    expect(body(mm5).toString('hex')).toBe(enc(iv0, plain).toString('hex'));
    const last1 = body(mm5).subarray(16);
    const mid = Buffer.from([0x11, 0x22, 0x33, 0x44]);
    const info = c.encrypt(header(ExchangeType.INFORMATIONAL, 0x55667788), payloads);
    const infoIv = createHash('sha1').update(last1).update(Buffer.from([0x55, 0x66, 0x77, 0x88])).digest().subarray(0, 16);
    expect(body(info).toString('hex')).toBe(enc(infoIv, plain).toString('hex'));
    const qm1 = c.encrypt(header(ExchangeType.QUICK_MODE, 0x11223344), payloads);
    const qmIv = createHash('sha1').update(last1).update(mid).digest().subarray(0, 16);
    expect(body(qm1).toString('hex')).toBe(enc(qmIv, plain).toString('hex'));
    const qm2 = c.encrypt(header(ExchangeType.QUICK_MODE, 0x11223344), payloads);
    expect(body(qm2).toString('hex')).toBe(enc(body(qm1).subarray(16), plain).toString('hex'));
    // A decrypt does not move the chain until confirmed.
    const d = c.decrypt({ header: header(ExchangeType.QUICK_MODE, 0x11223344), firstPayload: 8, body: new Uint8Array(32) });
    expect(d.ok).toBe(true);
    const qm3 = c.encrypt(header(ExchangeType.QUICK_MODE, 0x11223344), payloads);
    expect(body(qm3).toString('hex')).toBe(enc(body(qm2).subarray(16), plain).toString('hex'));
    expect(c.decrypt({ header: header(ExchangeType.QUICK_MODE, 1), firstPayload: 8, body: new Uint8Array(17) })).toEqual({ ok: false, why: 'an encrypted body of 17 bytes is not a whole number of 16-byte blocks' });
  });
});
