/**
 * The IKE algorithm table: its lengths agree with the hashes, with ESP's table where the
 * cipher is the same, and with what the crypto backends run; Wireshark (tshark 4.0) takes
 * its enum spellings with keys of its lengths in `ikev2_decryption_table`, and refuses a
 * key one byte short (the negative control); the transform-ID lookups find each entry.
 *
 * tshark must be installed (.ci/run installs it): without it this test FAILS, it does not skip.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  IKE_ENCRYPTION_NAMES,
  IKE_ENCRYPTIONS,
  IKE_INTEGRITIES,
  IKE_INTEGRITY_NAMES,
  IKE_PRF_NAMES,
  IKE_PRFS,
  WIRESHARK_NO_INTEGRITY,
  ikeEncryptionByTransform,
  ikeIntegrityByTransform,
  ikePrfByIkev1Hash,
  ikePrfByTransform,
  type IkeEncryption,
  type IkeIntegrity,
} from '../../sim/ike/algorithms.js';
import { CRYPTO_BACKENDS } from '../../sim/ipsec/backends.js';
import { HASH_LENGTHS } from '../../sim/ipsec/crypto.js';
import { ENCRYPTIONS, INTEGRITIES } from '../../sim/ipsec/transforms.js';

const encryptions = IKE_ENCRYPTION_NAMES.map((n) => IKE_ENCRYPTIONS[n]);
const integrities = IKE_INTEGRITY_NAMES.map((n) => IKE_INTEGRITIES[n]);
const prfs = IKE_PRF_NAMES.map((n) => IKE_PRFS[n]);

describe('IKE algorithm table', () => {
  it('HMAC keys and PRF outputs are their hash\'s length; truncated ICVs are shorter', () => {
    for (const i of integrities) {
      expect(i.keyLength, i.name).toBe(HASH_LENGTHS[i.hash]);
      expect(i.icvLength).toBeLessThan(i.keyLength);
      expect(IKE_PRFS[i.prf].hash).toBe(i.hash);
    }
    for (const p of prfs) expect(p.length, p.name).toBe(HASH_LENGTHS[p.hash]);
  });

  it('key lengths agree with the Key Length attribute, GCM adds its 4-byte salt and has no IKEv1 phase 1', () => {
    for (const e of encryptions) {
      if (e.keyLengthBits !== null) expect(e.keyLength - e.saltLength, e.name).toBe(e.keyLengthBits / 8);
      expect(e.saltLength).toBe(e.mode === 'gcm' ? 4 : 0);
      expect(e.ivLength).toBe(e.mode === 'gcm' ? 8 : e.blockSize);
      expect(e.icvLength).toBe(e.mode === 'gcm' ? 16 : 0);
      expect(e.ikev1 === null).toBe(e.mode === 'gcm');
    }
  });

  it('where ESP has the same cipher or MAC, sim/ipsec/transforms.ts gives the same facts', () => {
    for (const e of encryptions.filter((x) => x.esp !== null)) {
      const esp = ENCRYPTIONS[e.esp!];
      expect([esp.cipher, esp.keyLength, esp.saltLength, esp.ivLength, esp.icvLength], e.name).toEqual([e.cipher, e.keyLength, e.saltLength, e.ivLength, e.icvLength]);
      expect(esp.strongswan).toBe(e.name);
    }
    for (const i of integrities.filter((x) => x.esp !== null)) {
      const esp = INTEGRITIES[i.esp!];
      expect([esp.hash, esp.keyLength, esp.icvLength, esp.strongswan], i.name).toEqual([i.hash, i.keyLength, i.icvLength, i.name]);
    }
    expect(encryptions.filter((e) => e.esp === null).map((e) => e.name)).toEqual(['aes192']);
    expect(integrities.filter((i) => i.esp === null).map((i) => i.name)).toEqual(['sha256']);
  });

  it.each(Object.values(CRYPTO_BACKENDS).map((b) => [b.name, b] as const))('backend %s runs every cipher with the table\'s key, block and IV lengths', (_n, be) => {
    for (const e of encryptions) {
      const key = new Uint8Array(e.keyLength - e.saltLength).fill(7);
      if (e.mode === 'cbc') {
        const out = be.cbcEncrypt(e.cipher, key, new Uint8Array(e.ivLength), new Uint8Array(2 * e.blockSize));
        expect(out.length, e.name).toBe(2 * e.blockSize);
      } else {
        const nonce = new Uint8Array(e.saltLength + e.ivLength);
        expect(be.gcmSeal(e.cipher, key, nonce, new Uint8Array(0), new Uint8Array(5)).length, e.name).toBe(5 + e.icvLength);
      }
    }
  });

  it('finds each algorithm by its IKEv2 transform (ID and key length) and IKEv1 hash value, and nothing for others', () => {
    for (const e of encryptions) expect(ikeEncryptionByTransform(e.ikev2Id, e.keyLengthBits)).toBe(e);
    for (const i of integrities) expect(ikeIntegrityByTransform(i.ikev2Id)).toBe(i);
    for (const p of prfs) {
      expect(ikePrfByTransform(p.ikev2Id)).toBe(p);
      expect(ikePrfByIkev1Hash(p.ikev1Hash)).toBe(p);
    }
    expect(ikeEncryptionByTransform(12, null)).toBeNull(); // AES-CBC needs its Key Length attribute
    expect(ikeEncryptionByTransform(12, 512)).toBeNull();
    expect(ikeEncryptionByTransform(2, null)).toBeNull(); // DES
    expect(ikeIntegrityByTransform(5)).toBeNull(); // AES-XCBC-96
    expect(ikePrfByTransform(4)).toBeNull(); // AES128-XCBC
  });
});

function tsharkAccepts(dir: string, rows: readonly string[]): { ok: boolean; stderr: string } {
  const r = spawnSync('tshark', ['-r', join(dir, 'empty.pcap'), ...rows.flatMap((row) => ['-o', `uat:ikev2_decryption_table:${row}`])], { encoding: 'utf8' });
  if (r.error) throw new Error(`tshark not found: install it as .ci/run does (${r.error.message})`);
  return { ok: r.status === 0, stderr: r.stderr };
}

describe('tshark takes the table\'s Wireshark spellings and key lengths in ikev2_decryption_table', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vgw-ike-uat-'));
  // A pcap with no packets: tshark loads the preferences (and refuses a bad row), then reads nothing.
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  writeFileSync(join(dir, 'empty.pcap'), header);

  const zeros = (n: number): string => '00'.repeat(n);
  /** One row; `spi` keeps rows apart (the table is keyed by the SPI pair). */
  const row = (spi: number, e: IkeEncryption, i: IkeIntegrity | null, encShort = 0, integShort = 0): string => {
    const sa = i ? zeros(i.keyLength - integShort) : '';
    const spiHex = spi.toString(16).padStart(16, '0');
    return [spiHex, spiHex, zeros(e.keyLength - encShort), zeros(e.keyLength - encShort), `"${e.wireshark}"`, sa, sa, `"${i ? i.wireshark : WIRESHARK_NO_INTEGRITY}"`].join(',');
  };
  type Suite = [IkeEncryption, IkeIntegrity | null];
  const suites: Suite[] = encryptions.flatMap((e): Suite[] => (e.mode === 'gcm' ? [[e, null]] : integrities.map((i): Suite => [e, i])));

  it(`rows of every suite (${suites.length}) with the table's key lengths load together`, () => {
    const r = tsharkAccepts(dir, suites.map(([e, i], n) => row(n + 1, e, i)));
    expect(r.ok, r.stderr).toBe(true);
  });

  it.each(encryptions.map((e) => [e.name, e] as const))('%s: SK_e one byte short is refused', (_n, e) => {
    const r = tsharkAccepts(dir, [row(1, e, e.mode === 'gcm' ? null : IKE_INTEGRITIES.sha1, 1)]);
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/SK_ei .* does not match the key length/);
  });

  it.each(integrities.map((i) => [i.name, i] as const))('%s: SK_a one byte short is refused', (_n, i) => {
    const r = tsharkAccepts(dir, [row(1, IKE_ENCRYPTIONS.aes128, i, 0, 1)]);
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/SK_ai .* does not match the key length/);
  });

  it('a misspelt algorithm is refused (the enum is checked)', () => {
    const r = tsharkAccepts(dir, [row(1, { ...IKE_ENCRYPTIONS.aes256, wireshark: 'AES-CBC-256 [RFC 3602]' }, IKE_INTEGRITIES.sha1)]);
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/invalid value/);
  });
});
