/**
 * The IKEv1 (pre-shared key) key schedule on every crypto backend.
 *
 * Published vector: libreswan/libreswan programs/cavp/test.acvp.ikev1_psk.run at commit
 * 2551232d7cd3716eb80defc605a43aa14e6459ff (NIST ACVP IKEv1 PSK KDF, SHA-1, tcId 100; the
 * pre-shared key is the one byte 0x75): SKEYID, SKEYID_d, SKEYID_a, SKEYID_e.
 *
 * Consistency: Ka (with and without RFC 2409 Appendix B's expansion), both IVs, HASH_I,
 * HASH_R, HASH(1..3) and Quick Mode KEYMAT with and without PFS, computed a second time in
 * this file with node:crypto directly from RFC 2409, not through sim/.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IKE_ENCRYPTIONS, IKE_PRFS, type IkeEncryption, type IkePrf } from '../../sim/ike/algorithms.js';
import { DH_GROUPS } from '../../sim/ike/dh-groups.js';
import { cipherKeyV1, deriveSkeyids, hash1, hash2, hash3, hashI, hashR, phase1Iv, phase2Iv, quickModeKeys, skeyidPsk, type MainModeHashInput } from '../../sim/ike/keys-v1.js';
import { CRYPTO_BACKENDS } from '../../sim/ipsec/backends.js';
import { transformByProposal } from '../../sim/ipsec/transforms.js';
import { Prng } from '../../sim/util/prng.js';
import { hex, toHex } from '../wire/hex.js';

describe.each(Object.values(CRYPTO_BACKENDS).map((b) => [b.name, b] as const))('IKEv1 keys on backend %s: libreswan ACVP vector', (_n, be) => {
  const ni = hex('b9a2d0e922dc66dd');
  const nr = hex('2130166863b5ddef');
  const gxy = hex('739003ba2c11c982946c65e26acf661fbf8ebb78011a9fead79efa12fe3e71cc');
  const ckyI = hex('83d374c30b3b5082');
  const ckyR = hex('5afc0da06c728029');

  it('SKEYID = prf(PSK, Ni_b | Nr_b) and SKEYID_d, _a, _e', () => {
    const skeyid = skeyidPsk(be, IKE_PRFS.prfsha1, hex('75'), ni, nr);
    expect(toHex(skeyid)).toBe('62b04d112877e442fc3282fc37c076997718a0b9');
    const k = deriveSkeyids(be, IKE_PRFS.prfsha1, skeyid, gxy, ckyI, ckyR);
    expect(toHex(k.skeyidD)).toBe('369e5aad1bdb5faf6a3d929d500cdc236710a9ab');
    expect(toHex(k.skeyidA)).toBe('588e957d8d790d093b3a39f121473473af78e9bb');
    expect(toHex(k.skeyidE)).toBe('cd74b0c048219db81384d3fda8f6cda51e398a2b');
    // AES-128 needs 16 of SKEYID_e's 20 bytes: no expansion.
    expect(toHex(cipherKeyV1(be, IKE_PRFS.prfsha1, k.skeyidE, IKE_ENCRYPTIONS.aes128))).toBe('cd74b0c048219db81384d3fda8f6cda5');
  });

  it('refuses cookies that are not 8 bytes and a phase-1 cipher IKEv1 lacks (RangeError)', () => {
    const skeyid = skeyidPsk(be, IKE_PRFS.prfsha1, hex('75'), ni, nr);
    expect(() => deriveSkeyids(be, IKE_PRFS.prfsha1, skeyid, gxy, ckyI.subarray(1), ckyR)).toThrow(RangeError);
    expect(() => cipherKeyV1(be, IKE_PRFS.prfsha1, skeyid, IKE_ENCRYPTIONS.aes256gcm16)).toThrow(RangeError);
    expect(() => phase1Iv(be, IKE_PRFS.prfsha1, gxy, gxy, IKE_ENCRYPTIONS.aes128gcm16)).toThrow(RangeError);
  });
});

// ---- An independent IKEv1 key schedule with node:crypto, straight from RFC 2409 ----

function prf(p: IkePrf, key: Uint8Array, ...data: readonly Uint8Array[]): Buffer {
  const h = createHmac(p.hash, key);
  for (const d of data) h.update(d);
  return h.digest();
}

function be32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** Appendix B: Ka = K1 | K2 | ..., K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1), unless SKEYID_e is long enough. */
function referenceKa(p: IkePrf, skeyidE: Buffer, e: IkeEncryption): Buffer {
  if (skeyidE.length >= e.keyLength) return skeyidE.subarray(0, e.keyLength);
  const ks: Buffer[] = [prf(p, skeyidE, Buffer.from([0]))];
  while (Buffer.concat(ks).length < e.keyLength) ks.push(prf(p, skeyidE, ks[ks.length - 1]!));
  return Buffer.concat(ks).subarray(0, e.keyLength);
}

/** §5.5: KEYMAT = K1 | K2 | ..., K1 = prf(SKEYID_d, [g^xy |] protocol | SPI | Ni_b | Nr_b), Kn = prf(SKEYID_d, Kn-1 | same). */
function referenceKeymat(p: IkePrf, skeyidD: Buffer, seed: Buffer, length: number): Buffer {
  const ks: Buffer[] = [prf(p, skeyidD, seed)];
  while (Buffer.concat(ks).length < length) ks.push(prf(p, skeyidD, ks[ks.length - 1]!, seed));
  return Buffer.concat(ks).subarray(0, length);
}

describe.each(Object.values(CRYPTO_BACKENDS).map((b) => [b.name, b] as const))('IKEv1 keys on backend %s agree with node:crypto computed in the test', (_n, be) => {
  it.each([
    ['aes256 with SHA-1 (Azure policy-based 2016: Ka needs the expansion)', IKE_ENCRYPTIONS.aes256, IKE_PRFS.prfsha1, 'aes256-sha1'],
    ['3des with SHA-1 (expansion to 24 bytes)', IKE_ENCRYPTIONS['3des'], IKE_PRFS.prfsha1, '3des-sha1'],
    ['aes128 with MD5 (16 bytes, no expansion)', IKE_ENCRYPTIONS.aes128, IKE_PRFS.prfmd5, 'aes128-md5'],
    ['aes256 with SHA2-256 (32 bytes, no expansion)', IKE_ENCRYPTIONS.aes256, IKE_PRFS.prfsha256, 'aes128gcm16'],
    ['aes192 with SHA-1 (expansion to 24 bytes)', IKE_ENCRYPTIONS.aes192, IKE_PRFS.prfsha1, '3des-md5'],
  ] as const)('%s: SKEYIDs, Ka, IVs, HASH_I/HASH_R, HASH(1..3), Quick Mode KEYMAT', (label, enc, p, esp) => {
    const prng = new Prng(2409, label);
    const bytes = (n: number): Buffer => Buffer.from(prng.fill(new Uint8Array(n)));
    const group = DH_GROUPS[2];
    const xi = bytes(32);
    const xr = bytes(32);
    const gxi = be.dhPublic(group, xi);
    const gxr = be.dhPublic(group, xr);
    const gxy = be.dhShared(group, xi, gxr)!;
    const psk = Buffer.from('policy-based-key');
    const niB = bytes(16);
    const nrB = bytes(20);
    const mm: MainModeHashInput = { gxi, gxr, ckyI: bytes(8), ckyR: bytes(8), saiBody: bytes(56) };

    const refSkeyid = prf(p, psk, niB, nrB);
    const skeyid = skeyidPsk(be, p, psk, niB, nrB);
    expect(toHex(skeyid)).toBe(refSkeyid.toString('hex'));
    const refD = prf(p, refSkeyid, gxy, mm.ckyI, mm.ckyR, Buffer.from([0]));
    const refA = prf(p, refSkeyid, refD, gxy, mm.ckyI, mm.ckyR, Buffer.from([1]));
    const refE = prf(p, refSkeyid, refA, gxy, mm.ckyI, mm.ckyR, Buffer.from([2]));
    const k = deriveSkeyids(be, p, skeyid, gxy, mm.ckyI, mm.ckyR);
    expect([k.skeyidD, k.skeyidA, k.skeyidE].map(toHex)).toEqual([refD, refA, refE].map((b) => b.toString('hex')));

    const ka = cipherKeyV1(be, p, k.skeyidE, enc);
    expect(ka.length).toBe(enc.keyLength);
    expect(toHex(ka)).toBe(referenceKa(p, refE, enc).toString('hex'));

    // IVs: the plain hash, cut to the cipher's block.
    const refIv1 = createHash(p.hash).update(gxi).update(gxr).digest().subarray(0, enc.blockSize);
    expect(toHex(phase1Iv(be, p, gxi, gxr, enc))).toBe(refIv1.toString('hex'));
    const lastBlock = bytes(enc.blockSize);
    const mid = 0x9abcdef0; // above 2^31: the M-ID is unsigned
    const refIv2 = createHash(p.hash).update(lastBlock).update(be32(mid)).digest().subarray(0, enc.blockSize);
    expect(toHex(phase2Iv(be, p, lastBlock, mid, enc))).toBe(refIv2.toString('hex'));

    // Main Mode hashes (§5): the responder's swaps the KE values and the cookies.
    const idii = Buffer.from([1, 17, 1, 244, 203, 0, 113, 1]); // ID_IPV4_ADDR, UDP 500, 203.0.113.1
    const idir = Buffer.from([1, 17, 1, 244, 198, 51, 100, 7]);
    expect(toHex(hashI(be, p, skeyid, mm, idii))).toBe(prf(p, refSkeyid, gxi, gxr, mm.ckyI, mm.ckyR, mm.saiBody, idii).toString('hex'));
    expect(toHex(hashR(be, p, skeyid, mm, idir))).toBe(prf(p, refSkeyid, gxr, gxi, mm.ckyR, mm.ckyI, mm.saiBody, idir).toString('hex'));

    // Quick Mode hashes (§5.5) and the Informational HASH(1) (§5.7).
    const after1 = bytes(120);
    const after2 = bytes(110);
    const qmNi = bytes(16);
    const qmNr = bytes(16);
    expect(toHex(hash1(be, p, k.skeyidA, mid, after1))).toBe(prf(p, refA, be32(mid), after1).toString('hex'));
    expect(toHex(hash2(be, p, k.skeyidA, mid, qmNi, after2))).toBe(prf(p, refA, be32(mid), qmNi, after2).toString('hex'));
    expect(toHex(hash3(be, p, k.skeyidA, mid, qmNi, qmNr))).toBe(prf(p, refA, Buffer.from([0]), be32(mid), qmNi, qmNr).toString('hex'));

    // Quick Mode KEYMAT: initiator -> responder uses the responder's SPI; each direction encryption key, then integrity key.
    const t = transformByProposal(esp);
    if (!t.ok) throw new Error(t.error.message);
    const ek = t.value.encryption.keyLength;
    const ak = t.value.integrity.keyLength;
    const initiatorSpi = 0xc0ffee01;
    const responderSpi = 0x0badf00d;
    for (const pfs of [null, be.dhShared(group, xr, be.dhPublic(group, bytes(32)))]) {
      const seedFor = (spi: number): Buffer => Buffer.concat([pfs ?? Buffer.alloc(0), Buffer.from([3]), be32(spi), qmNi, qmNr]);
      const i2r = referenceKeymat(p, refD, seedFor(responderSpi), ek + ak);
      const r2i = referenceKeymat(p, refD, seedFor(initiatorSpi), ek + ak);
      const q = quickModeKeys(be, p, k.skeyidD, t.value, { initiatorSpi, responderSpi, niBody: qmNi, nrBody: qmNr, sharedSecret: pfs });
      expect([q.initiatorToResponder.encKey, q.initiatorToResponder.authKey, q.responderToInitiator.encKey, q.responderToInitiator.authKey].map(toHex), `PFS ${pfs ? 'on' : 'off'}`).toEqual(
        [i2r.subarray(0, ek), i2r.subarray(ek), r2i.subarray(0, ek), r2i.subarray(ek)].map((b) => b.toString('hex')),
      );
    }
  });
});
