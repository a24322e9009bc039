/**
 * cli/captures.ts's IKE tables: `finish` writes DIR/ikev2_decryption_table and
 * DIR/ikev1_decryption_table beside esp_sa when the run's table text is not empty, lists
 * them after esp_sa, and writes no file for an empty table; `prepare` refuses a directory
 * where a table would go (one line, before the run) as it does for esp_sa; a table that
 * cannot be written at the end is named in the OutputError while every other file is still
 * written. The whole `vgw run --pcap` path is test/e2e/pcap.test.ts's.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureFiles } from '../../cli/captures.js';
import { OutputError, UsageError } from '../../cli/command.js';

const tmp = mkdtempSync(join(tmpdir(), 'vgw-captures-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string): string => join(tmp, `${n++}-${name}`);

const ESP = '"IPv4","10.0.0.1","10.0.0.2","0x00000101","AES-CBC [RFC3602]","0x00","HMAC-SHA-1-96 [RFC2404]","0x00"\n';
const V2 = '0102030405060708,1112131415161718,aa,bb,"AES-CBC-256 [RFC3602]",cc,dd,"HMAC_SHA1_96 [RFC2404]"\n';
const V1 = '0102030405060708,eeee\n';

describe('vgw run --pcap: the IKE decryption tables', () => {
  it('writes each non-empty table next to esp_sa and lists it after esp_sa', () => {
    const dir = fresh('both');
    const r = CaptureFiles.prepare(dir, []).finish({ espSa: ESP, ikev2Table: V2, ikev1Table: V1 });
    expect(r.error).toBeUndefined();
    expect(r.files).toEqual(['esp_sa', 'ikev2_decryption_table', 'ikev1_decryption_table']);
    expect(readFileSync(join(dir, 'esp_sa'), 'utf8')).toBe(ESP);
    expect(readFileSync(join(dir, 'ikev2_decryption_table'), 'utf8')).toBe(V2);
    expect(readFileSync(join(dir, 'ikev1_decryption_table'), 'utf8')).toBe(V1);
  });

  it('an empty table makes no file and is not listed', () => {
    const dir = fresh('v1-only');
    const r = CaptureFiles.prepare(dir, []).finish({ espSa: ESP, ikev2Table: '', ikev1Table: V1 });
    expect(r.files).toEqual(['esp_sa', 'ikev1_decryption_table']);
    expect(existsSync(join(dir, 'ikev2_decryption_table'))).toBe(false);
    const none = fresh('none');
    expect(CaptureFiles.prepare(none, []).finish({ espSa: '', ikev2Table: '', ikev1Table: '' }).files).toEqual(['esp_sa']);
    expect(existsSync(join(none, 'ikev1_decryption_table'))).toBe(false);
  });

  it('a directory where a table would go is refused before the run, with one line', () => {
    for (const table of ['ikev2_decryption_table', 'ikev1_decryption_table']) {
      const dir = fresh(`dir-${table}`);
      mkdirSync(join(dir, table), { recursive: true });
      expect(() => CaptureFiles.prepare(dir, [])).toThrow(UsageError);
      expect(() => CaptureFiles.prepare(dir, [])).toThrow(`vgw run: cannot write captures to ${dir}: ${join(dir, table)} is a directory`);
    }
  });

  it('a table that cannot be written at the end is named; esp_sa and the other table are written', () => {
    const dir = fresh('full');
    mkdirSync(dir);
    symlinkSync('/dev/full', join(dir, 'ikev2_decryption_table'));
    const r = CaptureFiles.prepare(dir, []).finish({ espSa: ESP, ikev2Table: V2, ikev1Table: V1 });
    expect(r.files).toEqual(['esp_sa', 'ikev1_decryption_table']);
    expect(r.error).toBeInstanceOf(OutputError);
    const path = join(dir, 'ikev2_decryption_table');
    expect(r.error?.message).toBe(`vgw run: cannot write captures: ${path}: no space left on the device; the run finished, but ${path} is incomplete`);
    expect(readFileSync(join(dir, 'ikev1_decryption_table'), 'utf8')).toBe(V1);
  });
});
