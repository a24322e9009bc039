/**
 * Wireshark's IKE decryption tables: the text of the UAT files `ikev2_decryption_table` and
 * `ikev1_decryption_table` (a Wireshark profile's files of those names, or one record per
 * `-o uat:NAME:RECORD` for tshark), built from the endpoints' `ike-sa-keys` outputs, so a
 * capture's encrypted IKE messages open decrypted (reference/ike-2016.md §3.1–§3.3).
 *
 * Owns the record layout and the quoting Wireshark's own UAT writer uses (epan/uat.c
 * `putfld`): fields joined by commas, one record per line ending in a newline; byte fields
 * unquoted lowercase hex (quoting one makes it a string Wireshark rejects as the wrong
 * length); string and enum fields in double quotes, with `"`, `\` and every byte outside
 * printable ASCII written `\xNN`.
 * - ikev2_decryption_table: initiator's SPI, responder's SPI, SK_ei, SK_er, encryption
 *   algorithm, SK_ai, SK_ar, integrity algorithm; the enums are the spellings in
 *   algorithms.ts (`AES-CBC-256 [RFC3602]`, `HMAC_SHA1_96 [RFC2404]`; an AEAD cipher has
 *   `NONE [RFC4306]` and empty SK_a fields).
 * - ikev1_decryption_table: initiator's cookie, encryption key (Ka, the cipher key itself).
 * One record per IKE SA: Wireshark finds an IKEv2 SA's keys by its SPI pair and an IKEv1
 * SA's by its initiator cookie, so both endpoints' outputs for one SA make one line, the
 * first one given (a second, different record for the same SA could not be used beside it).
 * The table of no SA is '' (no file to write). Refuses nothing: every record the endpoints
 * emit has a row. Writes no file header comment, so each line is one `-o uat:` record as it
 * is; writing the files is the front end's job.
 */
import type { IkeSaKeyRecord } from './endpoint.js';
import { WIRESHARK_NO_INTEGRITY } from './algorithms.js';

/** The UAT file (and tshark `uat:` table) name of IKEv2's decryption table. */
export const IKEV2_DECRYPTION_TABLE = 'ikev2_decryption_table';
/** The UAT file (and tshark `uat:` table) name of IKEv1's decryption table. */
export const IKEV1_DECRYPTION_TABLE = 'ikev1_decryption_table';

/** An IKEv2 SA's key record. */
export type Ikev2SaKeyRecord = Extract<IkeSaKeyRecord, { readonly version: 2 }>;
/** An IKEv1 SA's key record. */
export type Ikev1SaKeyRecord = Extract<IkeSaKeyRecord, { readonly version: 1 }>;

/** A byte field: lowercase hex, unquoted. */
function hexField(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** A string or enum field: in double quotes; `"`, `\` and bytes outside 0x20–0x7e (of its UTF-8 form) as `\xNN`. */
export function uatQuoted(text: string): string {
  let s = '"';
  for (const b of new TextEncoder().encode(text)) {
    s += b === 0x22 || b === 0x5c || b < 0x20 || b > 0x7e ? `\\x${b.toString(16).padStart(2, '0')}` : String.fromCharCode(b);
  }
  return `${s}"`;
}

/** The eight fields of one `ikev2_decryption_table` record. */
export function ikev2DecryptionRow(k: Ikev2SaKeyRecord): string {
  const integrity = k.suite.integrity ? k.suite.integrity.wireshark : WIRESHARK_NO_INTEGRITY;
  return [
    hexField(k.spiI), hexField(k.spiR), hexField(k.skEi), hexField(k.skEr), uatQuoted(k.suite.encryption.wireshark),
    hexField(k.skAi), hexField(k.skAr), uatQuoted(integrity),
  ].join(',');
}

/** The two fields of one `ikev1_decryption_table` record. */
export function ikev1DecryptionRow(k: Ikev1SaKeyRecord): string {
  return [hexField(k.cookieI), hexField(k.encryptionKey)].join(',');
}

/** Lines of `rows`, one per distinct key (the first row of each), each ending in a newline; '' for none. */
function table<R>(rows: readonly R[], key: (r: R) => string, line: (r: R) => string): string {
  const seen = new Set<string>();
  let text = '';
  for (const r of rows) {
    const k = key(r);
    if (seen.has(k)) continue;
    seen.add(k);
    text += `${line(r)}\n`;
  }
  return text;
}

/** The `ikev2_decryption_table` file of the IKEv2 records among `records`: one line per SPI pair, in order. */
export function ikev2DecryptionTable(records: readonly IkeSaKeyRecord[]): string {
  const v2 = records.filter((r): r is Ikev2SaKeyRecord => r.version === 2);
  return table(v2, (r) => `${hexField(r.spiI)}/${hexField(r.spiR)}`, ikev2DecryptionRow);
}

/** The `ikev1_decryption_table` file of the IKEv1 records among `records`: one line per initiator cookie, in order. */
export function ikev1DecryptionTable(records: readonly IkeSaKeyRecord[]): string {
  const v1 = records.filter((r): r is Ikev1SaKeyRecord => r.version === 1);
  return table(v1, (r) => hexField(r.cookieI), ikev1DecryptionRow);
}
