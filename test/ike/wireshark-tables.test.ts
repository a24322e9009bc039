/**
 * sim/ike/wireshark-tables.ts: the text of Wireshark's `ikev2_decryption_table` and
 * `ikev1_decryption_table` files.
 *
 * - The format, read back by a parser written here after epan/uat.c (fields split at commas
 *   outside quotes, quoted fields unescaped from `\xNN`, hex fields as bytes): eight fields
 *   (two for IKEv1) equal to the record's bytes and algorithms.ts's enums, hex unquoted and
 *   lowercase, enums quoted, `"` `\` and non-printable bytes escaped; one line per IKE SA
 *   (both endpoints' records of an SA make one), in order; '' when there is none.
 * - As files in a Wireshark profile directory (WIRESHARK_CONFIG_DIR), which is how a user of
 *   `vgw run --pcap` gives them to Wireshark: tshark 4.0 decrypts a whole IKEv2 run (two IKE
 *   SAs, the second from an IKE rekey) and an IKEv1 run written as pcaps with the packet
 *   builder: every IKEv2 encrypted message shows `isakmp.enc.decrypted` and its integrity
 *   checksum `[correct]`; every IKEv1 encrypted message shows its HASH payload and Main Mode's
 *   IDs are the endpoints' addresses. Controls: an empty profile decrypts nothing; one wrong
 *   SK_ai byte in the file makes tshark report the bad checksum on exactly that SA's
 *   initiator messages; a wrong Ka shows none of the IDs.
 *
 * tshark must be installed (.ci/run installs it): without it these tests FAIL, they do not skip.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IKE_ENCRYPTIONS, IKE_INTEGRITIES, IKE_PRFS } from '../../sim/ike/algorithms.js';
import { DH_GROUPS } from '../../sim/ike/dh-groups.js';
import type { IkeDatagram, IkeSaKeyRecord } from '../../sim/ike/endpoint.js';
import type { IkeSuite } from '../../sim/ike/proposals.js';
import {
  IKEV1_DECRYPTION_TABLE, IKEV2_DECRYPTION_TABLE, ikev1DecryptionTable, ikev2DecryptionTable, uatQuoted,
  type Ikev1SaKeyRecord, type Ikev2SaKeyRecord,
} from '../../sim/ike/wireshark-tables.js';
import { Prng } from '../../sim/util/prng.js';
import { datagramPcap, type IkeNet } from '../support/ike-net.js';
import { espProposal, ikeProposal, ikev2Pair } from '../support/ikev2-pair.js';
import { azureAndDevice, AZURE_ADDR, DEVICE_ADDR, pair } from './ikev1-setup.js';
import { toHex } from '../wire/hex.js';

const dir = mkdtempSync(join(tmpdir(), 'vgw-ike-tables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------
// A reader of UAT lines, after epan/uat.c's loading rules (not the code under test).

type Field = { quoted: true; text: string } | { quoted: false; hex: string };

/** The fields of one UAT record line. */
function readUatLine(line: string): Field[] {
  const fields: Field[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let j = i + 1;
      const bytes: number[] = [];
      while (line[j] !== '"') {
        if (j >= line.length) throw new Error(`unterminated quote in ${line}`);
        if (line[j] === '\\' && line[j + 1] === 'x') {
          bytes.push(parseInt(line.slice(j + 2, j + 4), 16));
          j += 4;
        } else {
          bytes.push(line.charCodeAt(j));
          j += 1;
        }
      }
      fields.push({ quoted: true, text: Buffer.from(bytes).toString('utf8') });
      i = j + 1;
    } else {
      const end = line.indexOf(',', i) === -1 ? line.length : line.indexOf(',', i);
      fields.push({ quoted: false, hex: line.slice(i, end) });
      i = end;
    }
    if (i >= line.length) return fields;
    if (line[i] !== ',') throw new Error(`no comma after field ${fields.length} of ${line}`);
    i += 1;
  }
}

const hexOf = (f: Field | undefined): string => (f && !f.quoted ? f.hex : `not a hex field: ${JSON.stringify(f)}`);
const textOf = (f: Field | undefined): string => (f && f.quoted ? f.text : `not a quoted field: ${JSON.stringify(f)}`);

// ---------------------------------------------------------------------------------------
// Records.

const prng = new Prng(2016, 'wireshark-tables');
const bytes = (n: number): Uint8Array => prng.fill(new Uint8Array(n));

function suite(encryption: keyof typeof IKE_ENCRYPTIONS, integrity: keyof typeof IKE_INTEGRITIES | null): IkeSuite {
  return { encryption: IKE_ENCRYPTIONS[encryption], integrity: integrity ? IKE_INTEGRITIES[integrity] : null, prf: IKE_PRFS.prfsha1, dhGroup: DH_GROUPS[2] };
}

function v2Record(s: IkeSuite): Ikev2SaKeyRecord {
  const a = s.integrity ? s.integrity.keyLength : 0;
  return { version: 2, spiI: bytes(8), spiR: bytes(8), skEi: bytes(s.encryption.keyLength), skEr: bytes(s.encryption.keyLength), skAi: bytes(a), skAr: bytes(a), suite: s };
}

function v1Record(): Ikev1SaKeyRecord {
  return { version: 1, cookieI: bytes(8), encryptionKey: bytes(32), suite: suite('aes256', 'sha1') };
}

describe('the table files\' text', () => {
  it('an IKEv2 row: SPIs and keys as unquoted lowercase hex, the algorithms as Wireshark\'s quoted enums, a newline', () => {
    const r = v2Record(suite('aes256', 'sha1'));
    const text = ikev2DecryptionTable([r]);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
    const line = text.slice(0, -1);
    expect(line).toMatch(/^[0-9a-f]{16},[0-9a-f]{16},[0-9a-f]{64},[0-9a-f]{64},"[^"]+",[0-9a-f]{40},[0-9a-f]{40},"[^"]+"$/);
    const f = readUatLine(line);
    expect(f).toHaveLength(8);
    expect([hexOf(f[0]), hexOf(f[1]), hexOf(f[2]), hexOf(f[3]), textOf(f[4]), hexOf(f[5]), hexOf(f[6]), textOf(f[7])]).toEqual([
      toHex(r.spiI), toHex(r.spiR), toHex(r.skEi), toHex(r.skEr), 'AES-CBC-256 [RFC3602]', toHex(r.skAi), toHex(r.skAr), 'HMAC_SHA1_96 [RFC2404]',
    ]);
  });

  it('an AEAD IKE SA: SK_e with its salt, empty SK_a fields and integrity NONE', () => {
    const r = v2Record(suite('aes256gcm16', null));
    const f = readUatLine(ikev2DecryptionTable([r]).trimEnd());
    expect(hexOf(f[2])).toHaveLength(72);
    expect([textOf(f[4]), hexOf(f[5]), hexOf(f[6]), textOf(f[7])]).toEqual(['AES-GCM-256 with 16 octet ICV [RFC5282]', '', '', 'NONE [RFC4306]']);
    const des = readUatLine(ikev2DecryptionTable([v2Record(suite('3des', 'md5'))]).trimEnd());
    expect([hexOf(des[2]).length, textOf(des[4]), hexOf(des[5]).length, textOf(des[7])]).toEqual([48, '3DES [RFC2451]', 32, 'HMAC_MD5_96 [RFC2403]']);
  });

  it('an IKEv1 row: initiator cookie and Ka, both unquoted hex', () => {
    const r = v1Record();
    const text = ikev1DecryptionTable([r]);
    expect(text).toMatch(/^[0-9a-f]{16},[0-9a-f]{64}\n$/);
    expect(readUatLine(text.trimEnd()).map(hexOf)).toEqual([toHex(r.cookieI), toHex(r.encryptionKey)]);
  });

  it('one line per IKE SA, in order: both endpoints\' records of one SA make one line, each table takes its own version', () => {
    const a = v2Record(suite('aes256', 'sha1'));
    const b = v2Record(suite('aes128', 'sha256'));
    const c = v1Record();
    // The other endpoint's record of SA a: equal bytes in other arrays.
    const aAgain: Ikev2SaKeyRecord = { ...a, spiI: a.spiI.slice(), spiR: a.spiR.slice(), skEi: a.skEi.slice() };
    const records: IkeSaKeyRecord[] = [a, c, aAgain, b, { ...c, cookieI: c.cookieI.slice() }];
    const v2 = ikev2DecryptionTable(records).split('\n');
    expect(v2).toHaveLength(3);
    expect(v2[2]).toBe('');
    expect(v2.slice(0, 2).map((l) => hexOf(readUatLine(l)[0]))).toEqual([toHex(a.spiI), toHex(b.spiI)]);
    expect(ikev1DecryptionTable(records).split('\n').map((l) => (l === '' ? '' : hexOf(readUatLine(l)[0])))).toEqual([toHex(c.cookieI), '']);
    // Same SPIs with other keys: still one line, the first record's.
    const other: Ikev2SaKeyRecord = { ...a, skEi: bytes(32) };
    expect(ikev2DecryptionTable([a, other])).toBe(ikev2DecryptionTable([a]));
    expect(ikev2DecryptionTable([other, a])).not.toBe(ikev2DecryptionTable([a]));
    // A responder SPI tells two IKE SAs apart.
    expect(ikev2DecryptionTable([a, { ...a, spiR: bytes(8) }]).split('\n')).toHaveLength(3);
  });

  it('no IKE SA of a version: the empty string', () => {
    expect(ikev2DecryptionTable([])).toBe('');
    expect(ikev1DecryptionTable([])).toBe('');
    expect(ikev2DecryptionTable([v1Record()])).toBe('');
    expect(ikev1DecryptionTable([v2Record(suite('aes256', 'sha1'))])).toBe('');
  });

  it('quoting as Wireshark writes it: ", \\ and bytes outside printable ASCII as \\xNN (of the UTF-8 form)', () => {
    expect(uatQuoted('AES-CBC-256 [RFC3602]')).toBe('"AES-CBC-256 [RFC3602]"');
    expect(uatQuoted('a"b\\c')).toBe('"a\\x22b\\x5cc"');
    expect(uatQuoted('\t\n\u007f é')).toBe('"\\x09\\x0a\\x7f \\xc3\\xa9"');
    const r = new Prng(7, 'uat-quoting');
    for (let n = 0; n < 200; n++) {
      const s = String.fromCodePoint(...Array.from({ length: r.range(0, 12) }, () => (r.int(4) === 0 ? r.range(0, 0x3ff) : r.range(0x20, 0x7e))));
      const q = uatQuoted(s);
      // Between the quotes: printable ASCII only, and no " or \ but the escapes' own.
      expect(q.slice(1, -1).replace(/\\x[0-9a-f]{2}/g, ''), JSON.stringify(s)).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/);
      expect(textOf(readUatLine(q)[0]), JSON.stringify(s)).toBe(s);
    }
  });
});

// ---------------------------------------------------------------------------------------
// The files in a Wireshark profile directory, read by tshark.

function tsharkVersion(): string | null {
  try {
    return execFileSync('tshark', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0] ?? '';
  } catch {
    return null;
  }
}

const FIELDS = ['isakmp.ispi', 'isakmp.enc.decrypted', 'isakmp.hash', 'isakmp.id.data.ipv4_addr', '_ws.expert.message'] as const;
type Row = Record<(typeof FIELDS)[number], string>;

/** A profile directory holding `files` (name → text). */
function profile(name: string, files: Record<string, string>): string {
  const p = join(dir, `profile-${name}`);
  mkdirSync(p);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(p, file), text);
  return p;
}

/** tshark's fields of every frame of `pcap` and its `-V` text, with `config` as the profile directory. */
function tshark(pcap: string, config: string): { rows: Row[]; text: string } {
  const run = (args: string[]): string =>
    execFileSync('tshark', ['-r', pcap, ...args], { encoding: 'utf8', env: { ...process.env, WIRESHARK_CONFIG_DIR: config }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 32 << 20 });
  const rows = run(['-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=|', ...FIELDS.flatMap((f) => ['-e', f])])
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const cells = l.split('\t');
      return Object.fromEntries(FIELDS.map((f, i) => [f, cells[i] ?? ''])) as Row;
    });
  return { rows, text: run(['-V']) };
}

/** Every `ike-sa-keys` record of a run, both endpoints', in order. */
function keyRecords(net: IkeNet): IkeSaKeyRecord[] {
  return net.events.flatMap((e) => (e.kind === 'output' && e.output.kind === 'ike-sa-keys' ? [e.output.keys] : []));
}

/** The IKE message of a datagram (after the non-ESP marker on 4500). */
function ikeMessage(d: IkeDatagram): Uint8Array {
  return d.sport === 4500 || d.dport === 4500 ? d.payload.subarray(4) : d.payload;
}

function capture(name: string, net: IkeNet): { file: string; messages: Uint8Array[] } {
  const file = join(dir, `${name}.pcap`);
  const sent = net.sent();
  writeFileSync(file, datagramPcap(sent.map((t) => ({ time: t.time, datagram: t.datagram }))));
  return { file, messages: sent.map((t) => ikeMessage(t.datagram)) };
}

/** IKEv2: establish, rekey the children (with PFS) and the IKE SA, DPD, close. */
function ikev2Run(): IkeNet {
  const conf = { espProposals: [espProposal('aes256-sha1-modp1024')], ikeProposals: [ikeProposal('aes256-sha1-modp1024')], childLifetime: 200, ikeLifetime: 450, rekeyMargin: 50, dpdDelay: 100 };
  const { net } = ikev2Pair({ azure: conf, device: { ...conf, dpdDelay: null } });
  net.run(500);
  net.call('device', (e, now) => e.close(now));
  net.run(510);
  return net;
}

/** IKEv1: Main Mode, one Quick Mode, close. */
function ikev1Run(): IkeNet {
  const { net } = azureAndDevice({}, {});
  net.call('device', (e, now) => e.acquire(pair('10.2.0.0/16', '10.1.0.0/16'), now));
  net.run(10);
  net.call('device', (e, now) => e.close(now));
  net.run(20);
  return net;
}

describe('the files in a Wireshark profile directory decrypt the captures (tshark 4.0)', () => {
  it('tshark is installed (CI installs it; this test fails without it)', () => {
    expect(tsharkVersion(), 'tshark not found: install it as .ci/run does').not.toBeNull();
  });

  const v2 = ikev2Run();
  const v1 = ikev1Run();
  const v2Records = keyRecords(v2);
  const v1Records = keyRecords(v1);
  const files = { [IKEV2_DECRYPTION_TABLE]: ikev2DecryptionTable([...v2Records, ...v1Records]), [IKEV1_DECRYPTION_TABLE]: ikev1DecryptionTable([...v2Records, ...v1Records]) };
  const v2Capture = capture('ikev2', v2);
  const v1Capture = capture('ikev1', v1);

  it('IKEv2: every encrypted message of both IKE SAs decrypts with its integrity checksum correct', () => {
    expect(tsharkVersion(), 'tshark not found').not.toBeNull();
    expect(files[IKEV2_DECRYPTION_TABLE].split('\n')).toHaveLength(3); // two IKE SAs
    const { rows, text } = tshark(v2Capture.file, profile('v2', files));
    expect(rows).toHaveLength(v2Capture.messages.length);
    const encrypted = v2Capture.messages.map((m) => m[16] === 46); // next payload SK
    expect(encrypted.filter(Boolean).length).toBeGreaterThan(8);
    expect(rows.map((r) => r['isakmp.enc.decrypted'] !== '')).toEqual(encrypted);
    expect(new Set(rows.map((r) => r['isakmp.ispi'])).size).toBe(2);
    expect(text.match(/Integrity Checksum Data: [0-9a-f]+ \(12 bytes\) <HMAC_SHA1_96 \[RFC2404\]>\[correct\]$/gm)?.length).toBe(encrypted.filter(Boolean).length);
    expect(text).not.toContain('incorrect');
  });

  it('IKEv1: every encrypted message shows its HASH, Main Mode\'s IDs are the endpoints\' addresses', () => {
    expect(tsharkVersion(), 'tshark not found').not.toBeNull();
    expect(files[IKEV1_DECRYPTION_TABLE].split('\n')).toHaveLength(2);
    const { rows } = tshark(v1Capture.file, profile('v1', files));
    const encrypted = v1Capture.messages.map((m) => (m[19]! & 1) === 1);
    expect(encrypted.filter(Boolean).length).toBeGreaterThanOrEqual(6);
    expect(rows.map((r) => /^[0-9a-f]{40}$/.test(r['isakmp.hash']))).toEqual(encrypted);
    const ids = rows.map((r) => r['isakmp.id.data.ipv4_addr']);
    expect(ids.slice(4, 6)).toEqual([DEVICE_ADDR, AZURE_ADDR].map((a) => [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.')));
  });

  it('control: an empty profile decrypts nothing', () => {
    expect(tsharkVersion(), 'tshark not found').not.toBeNull();
    const empty = profile('empty', {});
    expect(tshark(v2Capture.file, empty).rows.every((r) => r['isakmp.enc.decrypted'] === '')).toBe(true);
    expect(tshark(v1Capture.file, empty).rows.every((r) => r['isakmp.hash'] === '' && r['isakmp.id.data.ipv4_addr'] === '')).toBe(true);
  });

  it('negative controls: one wrong SK_ai byte flags exactly that SA\'s initiator messages; a wrong Ka shows no IDs', () => {
    expect(tsharkVersion(), 'tshark not found').not.toBeNull();
    const first = v2Records[0]!;
    if (first.version !== 2) throw new Error('IKEv2 keys expected');
    const skAi = first.skAi.slice();
    skAi[5]! ^= 0x40;
    const bad = profile('bad-ai', { [IKEV2_DECRYPTION_TABLE]: ikev2DecryptionTable([{ ...first, skAi }, ...v2Records]) });
    const { rows } = tshark(v2Capture.file, bad);
    const flagged = rows.flatMap((r, i) => (r['_ws.expert.message'].includes('IKEv2 Integrity Checksum Data is incorrect') ? [i] : []));
    const want = v2Capture.messages.flatMap((m, i) => (m[16] === 46 && (m[19]! & 0x08) !== 0 && toHex(m.subarray(0, 8)) === toHex(first.spiI) ? [i] : []));
    expect(want.length).toBeGreaterThan(2);
    expect(flagged).toEqual(want);

    const v1First = v1Records[0]!;
    if (v1First.version !== 1) throw new Error('IKEv1 keys expected');
    const ka = v1First.encryptionKey.slice();
    ka[31]! ^= 0x01;
    const wrongKa = profile('bad-ka', { [IKEV1_DECRYPTION_TABLE]: ikev1DecryptionTable([{ ...v1First, encryptionKey: ka }]) });
    expect(tshark(v1Capture.file, wrongKa).rows.every((r) => r['isakmp.id.data.ipv4_addr'] === '')).toBe(true);
  });
});
