/**
 * Wireshark's ESP SA table (`esp_sa` UAT file, or `-o uat:esp_sa:...` for tshark): one
 * line per SA so a vgwsim capture opens decrypted.
 *
 * Owns the line format: eight quoted, comma-separated fields: protocol "IPv4", source,
 * destination, SPI as 0x%08x, encryption algorithm, encryption key as 0x hex (GCM: key ‖
 * salt), authentication algorithm, authentication key as 0x hex (empty for NULL). The
 * algorithm names come from the transform table. Writing the file is the CLI's job.
 */
import type { SecurityAssociation } from './sa.js';
import { spiText } from '../wire/esp.js';

function hex(b: Uint8Array): string {
  let s = '0x';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function ip(a: number): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** The eight fields of one `esp_sa` record, unquoted. */
export function espSaFields(sa: SecurityAssociation): readonly string[] {
  const t = sa.transform;
  return [
    'IPv4',
    ip(sa.src),
    ip(sa.dst),
    spiText(sa.spi),
    t.encryption.wireshark,
    t.encryption.keyLength > 0 ? hex(sa.encKey) : '',
    t.integrity.wireshark,
    t.integrity.keyLength > 0 ? hex(sa.authKey) : '',
  ];
}

/** One `esp_sa` line: `"IPv4","10.0.0.1","10.0.0.2","0x...","AES-CBC [RFC3602]","0x..","HMAC-SHA-1-96 [RFC2404]","0x.."`. */
export function espSaLine(sa: SecurityAssociation): string {
  return espSaFields(sa)
    .map((f) => `"${f}"`)
    .join(',');
}
