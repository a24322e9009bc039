/**
 * The IKEv2 key schedule on every crypto backend.
 *
 * Published vector: libreswan/libreswan programs/cavp/test.acvp.ikev2.run at commit
 * a22ccdd9271b792b281c289390a5bf2313b3f2c9 (NIST ACVP IKEv2 KDF, SHA-1, tcId 100):
 * SKEYSEED, DKM = prf+(SKEYSEED, Ni ‖ Nr ‖ SPIi ‖ SPIr) of 1056 bits, DKM(Child SA) =
 * prf+(SK_d, Ni ‖ Nr), DKM(Child SA D-H) = prf+(SK_d, g^ir (new) ‖ Ni ‖ Nr) and
 * SKEYSEED(Rekey), SK_d being the first 20 bytes of DKM. 1056 bits are exactly SK_d ‖
 * SK_ai ‖ SK_ar ‖ SK_ei ‖ SK_er ‖ SK_pi ‖ SK_pr for AES-128/HMAC-SHA1-96/PRF-SHA1, and for
 * AES-GCM-256 with PRF-SHA1, so the vector checks the split too.
 *
 * Consistency: a whole IKE_SA_INIT + IKE_AUTH key schedule (real DH of node:crypto's own
 * groups, random nonces and SPIs, both AUTHs, child keys with and without PFS) computed a
 * second time in this file with node:crypto directly, not through sim/.
 */
import { createDiffieHellmanGroup, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IKE_ENCRYPTIONS, IKE_INTEGRITIES, IKE_PRFS, type IkePrf } from '../../sim/ike/algorithms.js';
import { DH_GROUPS } from '../../sim/ike/dh-groups.js';
import {
  IKEV2_KEY_PAD,
  deriveChildKeys,
  deriveIkeSaKeys,
  ikeSaKeyLength,
  pskAuthInitiator,
  pskAuthResponder,
  rekeySkeyseed,
  skeyseed,
  type IkeKeyAlgorithms,
  type IkeSaKeys,
} from '../../sim/ike/keys-v2.js';
import { CRYPTO_BACKENDS } from '../../sim/ipsec/backends.js';
import { transformByProposal, type Transform } from '../../sim/ipsec/transforms.js';
import { Prng } from '../../sim/util/prng.js';
import { hex, toHex } from '../wire/hex.js';

// libreswan test.acvp.ikev2.run, tcId 100.
const GIR = hex('4b2c1f971981a8ad8d0abeafabf38cf75fc8349c148142465ed9c8b516b8be52');
const GIR_NEW = hex('863f3c9d06efd39d2b907b97f8699e5dd5251ef64a2a176f36ee40c87d4f9330');
const NI = hex('32b50d5f4a3763f3');
const NR = hex('9206a04b26564cb1');
const SPII = hex('34c9e7c188868785');
const SPIR = hex('3ff77d760d2b2199');
const SKEYSEED = 'a9a7b222b59f8f48645f28a1db5b5f5d7479cba7';
const DKM =
  'a14293677cc80ff8f9cc0eee30d895da9d8f405666e30ef0dfcb63c634a46002a2a63080e514a062768b76606f9fa5e992204fc5a670bde3f10d6b027113936a5c55b648a194ae587b0088d52204b702c979fa280870d2ed41efa9c549fd11198af1670b143d384bd275c5f594cf266b05ebadca855e4249520a441a81157435a7a56cc4';
const DKM_CHILD =
  '8059e3ee8810e6c3a91bc8bcd2a7a41151b8d0e6ae239c7b38093ad85ef4c5811a8e7b5d1cdabd9560b2d5e092d1f24e2d4b85eccdf0ad0dc9abd94b51ee71814ca6dbc8bb51b6309f5b9545c7eb35cf5580b1e521a8fe20754a2d883ba0c2cf285f524aea6545b33106bc03e614296d319d41d4b50b3f510b1c0a22f3e664994d234cb4';
const DKM_CHILD_DH =
  'bb43244c1860ad65ee1e211ffe8bb3661750c8f89cb9f547df7f4fa61d37301628190e38c66232eab4b3ab14c400a5197dd3730ed4820a8a10394d51e1c0400052f63ebd36b0e7ef53aaed31eba4a5080d7d4b5666023a8bbb5ffb7857240f9a05884d1b7d2f933708450b7b3288f1fc863ab49fa901227cffc06e27899c7054d56fd74c';
const SKEYSEED_REKEY = '63e81194946ebd05df7df5ebf5d8750056bf1f1d';

function transform(name: string): Transform {
  const t = transformByProposal(name);
  if (!t.ok) throw new Error(t.error.message);
  return t.value;
}

function joined(k: IkeSaKeys): string {
  return [k.skD, k.skAi, k.skAr, k.skEi, k.skEr, k.skPi, k.skPr].map(toHex).join('');
}

const SHA1_AES128: IkeKeyAlgorithms = { encryption: IKE_ENCRYPTIONS.aes128, integrity: IKE_INTEGRITIES.sha1, prf: IKE_PRFS.prfsha1 };

describe.each(Object.values(CRYPTO_BACKENDS).map((b) => [b.name, b] as const))('IKEv2 keys on backend %s: libreswan ACVP vector', (_n, be) => {
  const seed = skeyseed(be, IKE_PRFS.prfsha1, NI, NR, GIR);
  const skD = hex(DKM.slice(0, 40));

  it('SKEYSEED = prf(Ni | Nr, g^ir)', () => {
    expect(toHex(seed)).toBe(SKEYSEED);
  });

  it('the seven keys of AES-128/HMAC-SHA1-96/PRF-SHA1 are DKM, in order and split at 20/20/20/16/16/20/20', () => {
    expect(ikeSaKeyLength(SHA1_AES128)).toBe(132);
    const k = deriveIkeSaKeys(be, SHA1_AES128, seed, NI, NR, SPII, SPIR);
    expect(joined(k)).toBe(DKM);
    expect([k.skD, k.skAi, k.skAr, k.skEi, k.skEr, k.skPi, k.skPr].map((x) => x.length)).toEqual([20, 20, 20, 16, 16, 20, 20]);
    expect(toHex(k.skEi)).toBe(DKM.slice(120, 152));
  });

  it('AES-GCM-256 with PRF-SHA1: no integrity keys, SK_e is key and salt (36 bytes), still DKM', () => {
    const k = deriveIkeSaKeys(be, { encryption: IKE_ENCRYPTIONS.aes256gcm16, integrity: null, prf: IKE_PRFS.prfsha1 }, seed, NI, NR, SPII, SPIR);
    expect([k.skAi.length, k.skAr.length, k.skEi.length, k.skEr.length]).toEqual([0, 0, 36, 36]);
    expect(joined(k)).toBe(DKM);
  });

  it('AES-256 (Azure\'s IKE cipher) takes 164 bytes whose first 132 are DKM', () => {
    const alg = { ...SHA1_AES128, encryption: IKE_ENCRYPTIONS.aes256 };
    expect(ikeSaKeyLength(alg)).toBe(164);
    expect(joined(deriveIkeSaKeys(be, alg, seed, NI, NR, SPII, SPIR)).slice(0, 264)).toBe(DKM);
  });

  it('child keys without PFS are DKM(Child SA), encr_i | integ_i | encr_r | integ_r for aes256-sha1 and aes128gcm16', () => {
    const c = deriveChildKeys(be, IKE_PRFS.prfsha1, skD, transform('aes256-sha1'), NI, NR);
    expect([c.initiatorToResponder.encKey, c.initiatorToResponder.authKey, c.responderToInitiator.encKey, c.responderToInitiator.authKey].map(toHex)).toEqual([
      DKM_CHILD.slice(0, 64),
      DKM_CHILD.slice(64, 104),
      DKM_CHILD.slice(104, 168),
      DKM_CHILD.slice(168, 208),
    ]);
    const g = deriveChildKeys(be, IKE_PRFS.prfsha1, skD, transform('aes128gcm16'), NI, NR);
    expect([g.initiatorToResponder.encKey, g.initiatorToResponder.authKey, g.responderToInitiator.encKey, g.responderToInitiator.authKey].map(toHex)).toEqual([
      DKM_CHILD.slice(0, 40),
      '',
      DKM_CHILD.slice(40, 80),
      '',
    ]);
  });

  it('child keys with PFS are DKM(Child SA D-H)', () => {
    const c = deriveChildKeys(be, IKE_PRFS.prfsha1, skD, transform('3des-md5'), NI, NR, GIR_NEW);
    expect(toHex(c.initiatorToResponder.encKey) + toHex(c.initiatorToResponder.authKey) + toHex(c.responderToInitiator.encKey) + toHex(c.responderToInitiator.authKey)).toBe(
      DKM_CHILD_DH.slice(0, 2 * 2 * (24 + 16)),
    );
  });

  it('the IKE rekey SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)', () => {
    expect(toHex(rekeySkeyseed(be, IKE_PRFS.prfsha1, skD, GIR_NEW, NI, NR))).toBe(SKEYSEED_REKEY);
  });

  it('refuses SPIs that are not 8 bytes and CBC without integrity (RangeError)', () => {
    expect(() => deriveIkeSaKeys(be, SHA1_AES128, seed, NI, NR, SPII.subarray(1), SPIR)).toThrow(RangeError);
    expect(() => deriveIkeSaKeys(be, { ...SHA1_AES128, integrity: null }, seed, NI, NR, SPII, SPIR)).toThrow(RangeError);
  });
});

// ---- An independent IKEv2 key schedule with node:crypto, straight from RFC 7296 §2.13-2.17 ----

function hmac(prf: IkePrf, key: Uint8Array, ...data: readonly Uint8Array[]): Buffer {
  const h = createHmac(prf.hash, key);
  for (const d of data) h.update(d);
  return h.digest();
}

function referencePrfPlus(prf: IkePrf, key: Uint8Array, seed: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = [];
  let t: Buffer = Buffer.alloc(0);
  for (let n = 1; Buffer.concat(blocks).length < length; n++) {
    t = hmac(prf, key, t, seed, Buffer.from([n]));
    blocks.push(t);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

function padded(b: Buffer, length: number): Buffer {
  return Buffer.concat([Buffer.alloc(length - b.length), b]);
}

describe.each(Object.values(CRYPTO_BACKENDS).map((b) => [b.name, b] as const))('IKEv2 keys on backend %s agree with node:crypto computed in the test', (_n, be) => {
  it.each([
    ['aes256-sha1-prfsha1, modp1024 (Azure 2016)', { ...SHA1_AES128, encryption: IKE_ENCRYPTIONS.aes256 }, 'modp2', 2, 'aes256-sha1'],
    ['aes128-sha256-prfsha256, modp2048', { encryption: IKE_ENCRYPTIONS.aes128, integrity: IKE_INTEGRITIES.sha256, prf: IKE_PRFS.prfsha256 }, 'modp14', 14, 'aes128gcm16'],
    ['aes256gcm16-prfmd5, modp1536', { encryption: IKE_ENCRYPTIONS.aes256gcm16, integrity: null, prf: IKE_PRFS.prfmd5 }, 'modp5', 5, '3des-md5'],
  ] as const)('%s: SKEYSEED, SK_*, both AUTHs, child keys with and without PFS', (label, alg, nodeGroup, groupId, child) => {
    const prf = alg.prf;
    const prng = new Prng(7296, label);
    const bytes = (n: number): Uint8Array => prng.fill(new Uint8Array(n));
    const group = DH_GROUPS[groupId];
    // The initiator is node:crypto's own group object; the responder is the backend.
    const initiator = createDiffieHellmanGroup(nodeGroup);
    const gxi = padded(initiator.generateKeys(), group.length);
    const xr = bytes(32);
    const gxr = be.dhPublic(group, xr);
    const gir = be.dhShared(group, xr, gxi);
    expect(toHex(gir ?? new Uint8Array())).toBe(padded(initiator.computeSecret(gxr), group.length).toString('hex'));
    const ni = bytes(32);
    const nr = bytes(32);
    const spiI = bytes(8);
    const spiR = bytes(8);

    const refSeed = hmac(prf, Buffer.concat([ni, nr]), gir!);
    const e = alg.encryption.keyLength;
    const a = alg.integrity?.keyLength ?? 0;
    const p = prf.length;
    const refKeys = referencePrfPlus(prf, refSeed, Buffer.concat([ni, nr, spiI, spiR]), 3 * p + 2 * a + 2 * e);
    const seed = skeyseed(be, prf, ni, nr, gir!);
    expect(toHex(seed)).toBe(refSeed.toString('hex'));
    const k = deriveIkeSaKeys(be, alg, seed, ni, nr, spiI, spiR);
    expect(joined(k)).toBe(refKeys.toString('hex'));

    // AUTH with a pre-shared key, both directions (RFC 7296 §2.15).
    const psk = new TextEncoder().encode('azure-shared-key');
    const saInitRequest = bytes(prng.range(200, 400));
    const saInitResponse = bytes(prng.range(200, 400));
    const idiBody = Uint8Array.of(1, 0, 0, 0, 203, 0, 113, 1); // ID_IPV4_ADDR 203.0.113.1
    const idrBody = Uint8Array.of(1, 0, 0, 0, 198, 51, 100, 7);
    const pad = Buffer.from('Key Pad for IKEv2', 'ascii');
    expect(Buffer.from(IKEV2_KEY_PAD).equals(pad)).toBe(true);
    expect(pad.length).toBe(17);
    const skPi = refKeys.subarray(p + 2 * a + 2 * e, 2 * p + 2 * a + 2 * e);
    const skPr = refKeys.subarray(2 * p + 2 * a + 2 * e);
    const refAuthI = hmac(prf, hmac(prf, psk, pad), saInitRequest, nr, hmac(prf, skPi, idiBody));
    const refAuthR = hmac(prf, hmac(prf, psk, pad), saInitResponse, ni, hmac(prf, skPr, idrBody));
    expect(toHex(pskAuthInitiator(be, prf, psk, saInitRequest, nr, k.skPi, idiBody))).toBe(refAuthI.toString('hex'));
    expect(toHex(pskAuthResponder(be, prf, psk, saInitResponse, ni, k.skPr, idrBody))).toBe(refAuthR.toString('hex'));
    expect(refAuthI.length).toBe(p);
    // A different key gives a different AUTH (what AUTHENTICATION_FAILED rests on).
    expect(toHex(pskAuthInitiator(be, prf, new TextEncoder().encode('azure-shared-kez'), saInitRequest, nr, k.skPi, idiBody))).not.toBe(refAuthI.toString('hex'));

    // Child keys: the IKE_AUTH child (IKE_SA_INIT nonces, no PFS) and a CREATE_CHILD_SA with PFS.
    const t = transform(child);
    const ce = t.encryption.keyLength;
    const ca = t.integrity.keyLength;
    const skD = refKeys.subarray(0, p);
    const refChild = referencePrfPlus(prf, skD, Buffer.concat([ni, nr]), 2 * (ce + ca));
    const c = deriveChildKeys(be, prf, k.skD, t, ni, nr);
    expect(toHex(c.initiatorToResponder.encKey)).toBe(refChild.subarray(0, ce).toString('hex'));
    expect(toHex(c.initiatorToResponder.authKey)).toBe(refChild.subarray(ce, ce + ca).toString('hex'));
    expect(toHex(c.responderToInitiator.encKey)).toBe(refChild.subarray(ce + ca, 2 * ce + ca).toString('hex'));
    expect(toHex(c.responderToInitiator.authKey)).toBe(refChild.subarray(2 * ce + ca).toString('hex'));
    const ni2 = bytes(32);
    const nr2 = bytes(32);
    const gir2 = bytes(group.length);
    const refPfs = referencePrfPlus(prf, skD, Buffer.concat([gir2, ni2, nr2]), 2 * (ce + ca));
    const pfs = deriveChildKeys(be, prf, k.skD, t, ni2, nr2, gir2);
    expect(toHex(pfs.initiatorToResponder.encKey) + toHex(pfs.initiatorToResponder.authKey) + toHex(pfs.responderToInitiator.encKey) + toHex(pfs.responderToInitiator.authKey)).toBe(
      refPfs.toString('hex'),
    );

    // IKE rekey: SKEYSEED' with the old SK_d, then the new SA's keys with its new SPIs.
    const refRekeySeed = hmac(prf, skD, gir2, ni2, nr2);
    const rekeyed = rekeySkeyseed(be, prf, k.skD, gir2, ni2, nr2);
    expect(toHex(rekeyed)).toBe(refRekeySeed.toString('hex'));
    const spiI2 = bytes(8);
    const spiR2 = bytes(8);
    expect(joined(deriveIkeSaKeys(be, alg, rekeyed, ni2, nr2, spiI2, spiR2))).toBe(referencePrfPlus(prf, refRekeySeed, Buffer.concat([ni2, nr2, spiI2, spiR2]), 3 * p + 2 * a + 2 * e).toString('hex'));
  });
});
