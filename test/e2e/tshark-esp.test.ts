/**
 * Captures that Wireshark decrypts: run example scenarios with
 * `vgw run --pcap DIR` (the built binary: files written while the run goes on), decrypt
 * internet.pcap with tshark using the esp_sa table, integrity checking on, and check that
 * every ESP frame verifies and every decrypted inner packet is the packet the simulator
 * sent on the sender's link. internet.pcap also holds the IKE messages (UDP 500/4500,
 * checked by tshark-ike.test.ts): this test sorts its records itself, by IP protocol and
 * UDP port, and requires tshark to show exactly the ESP ones as ESP and the rest as ISAKMP.
 *
 * tshark must be installed (.ci/run installs it): without it this test FAILS, it does not skip.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../support/run-cli.js';
import { datagramKey, expectSent } from '../support/sent-packets.js';

beforeAll(() => {
  ensureBuilt();
});

function tsharkVersion(): string | null {
  try {
    return execFileSync('tshark', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0] ?? '';
  } catch {
    return null;
  }
}

/** Records of a LINKTYPE_RAW pcap (little-endian, as sim/wire/pcap.ts writes). */
function readPcap(bytes: Uint8Array): Uint8Array[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [];
  let o = 24;
  while (o + 16 <= bytes.length) {
    const incl = dv.getUint32(o + 8, true);
    out.push(bytes.subarray(o + 16, o + 16 + incl));
    o += 16 + incl;
  }
  return out;
}


function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** What an internet.pcap record carries, read from its IPv4 and UDP headers: ESP (protocol 50), IKE (UDP 500, or 4500 with the non-ESP marker) or something else. */
function internetKind(p: Uint8Array): 'esp' | 'ike' | 'other' {
  if (p[9] === 50) return 'esp';
  if (p[9] !== 17) return 'other';
  const udp = (p[0]! & 0x0f) * 4;
  const sport = (p[udp]! << 8) | p[udp + 1]!;
  const dport = (p[udp + 2]! << 8) | p[udp + 3]!;
  if (sport === 500 && dport === 500) return 'ike';
  const marker = p.length >= udp + 12 && p[udp + 8] === 0 && p[udp + 9] === 0 && p[udp + 10] === 0 && p[udp + 11] === 0;
  if (sport === 4500 && dport === 4500) return marker ? 'ike' : 'esp';
  return 'other';
}

function capture(file: string, crypto: 'native' | 'node' | 'forge'): { dir: string; internet: ('esp' | 'ike' | 'other')[]; lan: Map<string, Uint8Array> } {
  const dir = mkdtempSync(join(tmpdir(), 'vgw-pcap-'));
  const r = runCli(['run', file, '--quiet', '--crypto', crypto, '--pcap', dir]);
  expect(r.code, r.stderr).toBe(0);
  const pcaps = new Map(readdirSync(dir).filter((f) => f.endsWith('.pcap')).map((f) => [f.slice(0, -'.pcap'.length), Uint8Array.from(readFileSync(join(dir, f)))]));
  // Packets hosts sent, by datagram: a LAN/VNet link shows a packet when its host sends it and
  // when it is delivered (after routers decremented the TTL); the sent one has the highest TTL.
  const lan = new Map<string, Uint8Array>();
  for (const [link, bytes] of pcaps) {
    if (link === 'internet') continue;
    for (const p of readPcap(bytes)) {
      const old = lan.get(datagramKey(p));
      if (!old || p[8]! > old[8]!) lan.set(datagramKey(p), p);
    }
  }
  return { dir, internet: readPcap(pcaps.get('internet') ?? new Uint8Array(24)).map(internetKind), lan };
}

function tshark(dir: string): string[][] {
  const sas = readFileSync(join(dir, 'esp_sa'), 'utf8').split('\n').filter((l) => l.length > 0);
  const args = [
    '-r', join(dir, 'internet.pcap'),
    '-o', 'esp.enable_encryption_decode:TRUE',
    '-o', 'esp.enable_authentication_check:TRUE',
    ...sas.flatMap((l) => ['-o', `uat:esp_sa:${l}`]),
    '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a',
    '-e', 'frame.number', '-e', 'esp.spi', '-e', 'esp.sequence', '-e', 'esp.icv_good', '-e', 'esp.icv_bad', '-e', 'esp.decrypted_data',
    '-e', '_ws.expert.message', '-e', 'isakmp.ispi',
  ];
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  return out.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}

describe('captures decrypt in tshark with integrity checking', () => {
  it('tshark is installed (CI installs it; this test fails without it)', () => {
    expect(tsharkVersion(), 'tshark not found: install it as .ci/run does').not.toBeNull();
  });

  for (const [file, crypto] of [
    ['scenarios/s2s-policy-based.yaml', 'native'],
    ['scenarios/s2s-policy-based.yaml', 'node'],
    ['scenarios/s2s-policy-based.yaml', 'forge'],
    ['scenarios/s2s-esp-tamper-mtu.yaml', 'native'],
    ['scenarios/s2s-esp-tamper-mtu.yaml', 'node'],
    // Every transform: AES-256/128-CBC and 3DES with HMAC-SHA1/MD5-96 and NULL (2016 offers),
    // AES-GCM-128/256 (rules edition azure-2018-10).
    ['scenarios/esp-transforms.yaml', 'native'],
    ['scenarios/esp-transforms.yaml', 'node'],
    ['scenarios/esp-transforms.yaml', 'forge'],
    ['scenarios/esp-transforms-gcm.yaml', 'native'],
    ['scenarios/esp-transforms-gcm.yaml', 'node'],
    ['scenarios/esp-transforms-gcm.yaml', 'forge'],
  ] as const) {
    it(`${file} (${crypto}): every ESP frame verifies and decrypts to the packet that was sent`, () => {
      expect(tsharkVersion(), 'tshark not found').not.toBeNull();
      const { dir, internet, lan } = capture(file, crypto);
      const rows = tshark(dir);
      if (file.includes('transforms')) {
        // The esp_sa table names every algorithm Wireshark must apply, so none is skipped.
        const sa = readFileSync(join(dir, 'esp_sa'), 'utf8');
        const algs = file.includes('gcm')
          ? ['AES-GCM with 16 octet ICV [RFC4106]']
          : ['AES-CBC [RFC3602]', 'TripleDES-CBC [RFC2451]', 'HMAC-SHA-1-96 [RFC2404]', 'HMAC-MD5-96 [RFC2403]', '"NULL"'];
        for (const alg of algs) expect(sa, alg).toContain(alg);
      }
      // One row per record; the records that are not ESP are IKE messages (tshark-ike.test.ts checks them).
      expect(rows.length).toBe(internet.length);
      expect(internet.filter((k) => k === 'other'), 'records on the Internet link that are neither ESP nor IKE').toEqual([]);
      const espRows = rows.filter((_, i) => internet[i] === 'esp');
      expect(espRows.length).toBeGreaterThan(0);
      rows.forEach(([frame, spi, , , , , , ispi], i) => {
        if (internet[i] === 'ike') expect([frame, spi, (ispi ?? '').length], `frame ${frame}: an IKE message`).toEqual([String(i + 1), '', 16]);
      });
      const tampered = file.includes('tamper');
      let verified = 0;
      let compared = 0;
      const fragments = new Map<string, Uint8Array[]>();
      for (const [frame, spi, seq, good, bad, data, expert] of espRows) {
        const where = `frame ${frame} (spi ${spi}, seq ${seq})`;
        expect(spi, where).toBeTruthy();
        if (bad === '1' || bad === 'True' || (expert ?? '').includes('incorrect')) {
          // Only the scenario that corrupts a byte on purpose may carry a bad ICV, and only once.
          expect(tampered, `${where}: ICV incorrect`).toBe(true);
          continue;
        }
        expect(good === '1' || good === 'True', `${where}: ICV not verified (good=${good})`).toBe(true);
        verified++;
        expect(data, `${where}: not decrypted`).toBeTruthy();
        const plain = Uint8Array.from(Buffer.from(data!, 'hex'));
        const innerLen = (plain[2]! << 8) | plain[3]!;
        const inner = plain.subarray(0, innerLen);
        const frag = (inner[6]! & 0x3f) !== 0 || inner[7] !== 0;
        if (frag) {
          const k = datagramKey(inner);
          fragments.set(k, [...(fragments.get(k) ?? []), inner.slice()]);
          continue;
        }
        expectSent(inner, lan, where);
        compared++;
      }
      for (const [k, parts] of fragments) {
        // Fragments of one datagram: payloads in offset order rebuild the sent packet's payload.
        const sent = lan.get(k);
        expect(sent, `fragments ${k}: no such packet sent`).toBeDefined();
        parts.sort((a, b) => (((a[6]! & 0x1f) << 8) | a[7]!) - (((b[6]! & 0x1f) << 8) | b[7]!));
        const payload = Buffer.concat(parts.map((p) => p.subarray(20)));
        expect(hex(payload)).toBe(hex(sent!.subarray(20)));
        compared++;
      }
      expect(verified).toBeGreaterThan(0);
      expect(compared).toBeGreaterThan(0);
      if (tampered) expect(verified).toBe(espRows.length - 1);
      else expect(verified).toBe(espRows.length);
    });
  }
});

