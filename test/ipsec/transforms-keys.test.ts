import { describe, expect, it } from 'vitest';
import { deriveSaKeys } from '../../sim/ipsec/keys.js';
import { ENCRYPTIONS, INTEGRITIES, TRANSFORMS, espOverhead, makeTransform, transformByProposal } from '../../sim/ipsec/transforms.js';

describe('transform table', () => {
  it('carries the Wireshark uat:esp_sa names of packet-esp.c', () => {
    expect(ENCRYPTIONS['aes256-cbc'].wireshark).toBe('AES-CBC [RFC3602]');
    expect(ENCRYPTIONS['aes128-cbc'].wireshark).toBe('AES-CBC [RFC3602]');
    expect(ENCRYPTIONS['3des-cbc'].wireshark).toBe('TripleDES-CBC [RFC2451]');
    expect(ENCRYPTIONS.null.wireshark).toBe('NULL');
    expect(ENCRYPTIONS['aes128-gcm16'].wireshark).toBe('AES-GCM with 16 octet ICV [RFC4106]');
    expect(ENCRYPTIONS['aes256-gcm16'].wireshark).toBe('AES-GCM with 16 octet ICV [RFC4106]');
    expect(INTEGRITIES['hmac-sha1-96'].wireshark).toBe('HMAC-SHA-1-96 [RFC2404]');
    expect(INTEGRITIES['hmac-md5-96'].wireshark).toBe('HMAC-MD5-96 [RFC2403]');
    expect(INTEGRITIES.none.wireshark).toBe('NULL');
  });

  it('lists every valid pair with strongSwan names', () => {
    expect(TRANSFORMS.map((t) => t.name)).toEqual([
      'aes256-sha1', 'aes256-md5', 'aes128-sha1', 'aes128-md5', '3des-sha1', '3des-md5', 'null-sha1', 'null-md5', 'aes128gcm16', 'aes256gcm16',
    ]);
    const t = transformByProposal('AES256-SHA1');
    expect(t.ok && t.value.label).toBe('AES-256-CBC/HMAC-SHA1-96');
    expect(((r) => !r.ok && r.error.code)(transformByProposal('aes256-sha512'))).toBe('unknown-proposal');
  });

  it('refuses invalid pairs', () => {
    const code = (e: string, i?: string): string | false => ((r) => !r.ok && r.error.code)(makeTransform(e, i));
    expect(code('null', 'none')).toBe('no-integrity');
    expect(code('aes256-cbc')).toBe('no-integrity');
    expect(code('aes128-gcm16', 'hmac-sha1-96')).toBe('aead-with-integrity');
    expect(code('des-cbc', 'hmac-sha1-96')).toBe('unknown-encryption');
    expect(code('aes256-cbc', 'sha256')).toBe('unknown-integrity');
    expect(makeTransform('aes256-gcm16').ok).toBe(true);
  });

  it('has RFC lengths', () => {
    const g = ENCRYPTIONS['aes256-gcm16'];
    expect([g.keyLength, g.saltLength, g.ivLength, g.icvLength, g.padAlign]).toEqual([36, 4, 8, 16, 4]);
    const d = ENCRYPTIONS['3des-cbc'];
    expect([d.keyLength, d.blockSize, d.ivLength]).toEqual([24, 8, 8]);
    expect(INTEGRITIES['hmac-sha1-96'].keyLength).toBe(20);
    expect(INTEGRITIES['hmac-md5-96'].keyLength).toBe(16);
    const t = transformByProposal('aes256-sha1');
    // 100-byte inner: 8 header + 16 IV + pad to 112 (12 bytes incl. trailer) + 12 ICV.
    if (t.ok) expect(espOverhead(t.value, 100)).toBe(8 + 16 + 12 + 12);
  });
});

describe('deriveSaKeys', () => {
  it('is deterministic, separates SAs, sizes keys and avoids reserved SPIs', () => {
    const spis = new Set<number>();
    for (const t of TRANSFORMS) {
      const a = deriveSaKeys(42, 'onprem-to-azure', 'out', t);
      const b = deriveSaKeys(42, 'onprem-to-azure', 'out', t);
      expect(a).toEqual(b);
      expect(a.encKey.length).toBe(t.encryption.keyLength);
      expect(a.authKey.length).toBe(t.integrity.keyLength);
      const c = deriveSaKeys(42, 'onprem-to-azure', 'in', t);
      const d = deriveSaKeys(43, 'onprem-to-azure', 'out', t);
      expect(c.spi).not.toBe(a.spi);
      expect(d.spi).not.toBe(a.spi);
      for (const k of [a, c, d]) {
        expect(k.spi).toBeGreaterThanOrEqual(256);
        expect(k.spi).toBeLessThanOrEqual(0xffffffff);
        spis.add(k.spi);
      }
    }
    expect(spis.size).toBe(TRANSFORMS.length * 3);
  });
});
