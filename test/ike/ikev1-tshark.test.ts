/**
 * tshark 4.0 as the independent reader of what two IKEv1 endpoints say to each other. A pcap of
 * whole negotiations on the in-memory IkeNet (Main Mode, two Quick Modes, the Informational
 * deletes of close(); and one behind a NAT, on UDP 4500), decrypted by tshark with the
 * `ikev1_decryption_table` sim/ike/wireshark-tables.ts makes of both endpoints' `ike-sa-keys`
 * outputs (one line: initiator cookie, Ka). Compared frame by frame:
 *
 * - the HASH payloads tshark shows are the ones in the endpoint's messages, which this file
 *   finds by decrypting them itself with node:crypto and RFC 2409 Appendix B's IVs (not the
 *   simulator's crypter);
 * - phase-1 IDs are the addresses, proxy IDs are ID_IPV4_ADDR_SUBNET with the configured
 *   prefixes, the Quick Mode SA carries 3,600 s and 102,400,000 KB (the TLV), and the SPIs
 *   tshark shows are the endpoints' `child-up` SPIs; behind a NAT, encapsulation mode 3;
 * - the notify types of the failure runs: 14 (Main Mode, in the clear; Quick Mode, encrypted)
 *   and 18 (proxy IDs);
 * - negative control: with a wrong key tshark shows none of these HASH values or proxy IDs.
 *
 * tshark must be installed (.ci/run installs it): without it these tests FAIL, they do not skip.
 */
import { execFileSync } from 'node:child_process';
import { tsharkFields } from '../support/tshark.js';
import { createDecipheriv, createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ikev1DecryptionRow, ikev1DecryptionTable } from '../../sim/ike/wireshark-tables.js';
import { datagramPcap, type IkeNet } from '../support/ike-net.js';
import { ikeHeader, payloadChain } from '../support/ike-by-hand.js';
import { azureAndDevice, esp, ike, pair } from './ikev1-setup.js';
import { ip, toHex } from '../wire/hex.js';

const dir = mkdtempSync(join(tmpdir(), 'vgw-ikev1-tshark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tsharkVersion(): string | null {
  try {
    return execFileSync('tshark', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0] ?? '';
  } catch {
    return null;
  }
}

const FIELDS = [
  'frame.number', 'isakmp.exchangetype', 'isakmp.flag_e', 'isakmp.hash', 'isakmp.id.type', 'isakmp.id.data.ipv4_addr', 'isakmp.id.data.ipv4_subnet',
  'isakmp.notify.msgtype', 'isakmp.delete.spi', 'isakmp.spi', 'isakmp.ipsec.attr.life_duration', 'isakmp.ipsec.attr.encap_mode',
] as const;
type Row = Record<(typeof FIELDS)[number], string>;

/** tshark's fields of every frame of `pcap`, with `key` as the ikev1_decryption_table row. */
function tshark(pcap: string, uatRow: string): Row[] {
  return tsharkFields(['-r', pcap, '-o', `uat:ikev1_decryption_table:${uatRow}`], FIELDS);
}

/** The ISAKMP message of a UDP payload (the non-ESP marker removed on 4500). */
function isakmpOf(payload: Uint8Array, dport: number, sport: number): Uint8Array {
  return dport === 4500 || sport === 4500 ? payload.subarray(4) : payload;
}

/**
 * Every HASH payload value (hex) per frame, found by decrypting with node:crypto: AES-256-CBC
 * with `ka`, IVs per RFC 2409 Appendix B (SHA-1 of g^xi ‖ g^xr, then chained; per message ID
 * SHA-1 of the last phase-1 block ‖ M-ID, chained; Informational always fresh).
 */
function hashesByHand(frames: readonly Uint8Array[], ka: Uint8Array): string[] {
  const kes = frames.filter((m) => ikeHeader(m).flags === 0).flatMap((m) => payloadChain(m).filter((p) => p.type === 4).map((p) => p.body));
  let phase1 = createHash('sha1').update(kes[0]!).update(kes[1]!).digest().subarray(0, 16);
  const chains = new Map<number, Buffer>();
  return frames.map((m) => {
    const h = ikeHeader(m);
    if ((h.flags & 1) === 0) return '';
    const body = m.subarray(28);
    const mid = Buffer.alloc(4);
    mid.writeUInt32BE(h.messageId);
    const iv = h.messageId === 0 ? phase1 : h.exchangeType !== 5 && chains.has(h.messageId) ? chains.get(h.messageId)! : createHash('sha1').update(phase1).update(mid).digest().subarray(0, 16);
    const d = createDecipheriv('aes-256-cbc', ka, iv);
    d.setAutoPadding(false);
    const plain = Buffer.concat([d.update(body), d.final()]);
    const last = Buffer.from(body.subarray(body.length - 16));
    if (h.messageId === 0) phase1 = last;
    else if (h.exchangeType !== 5) chains.set(h.messageId, last);
    const hashes: string[] = [];
    let type = h.nextPayload;
    let at = 0;
    while (type !== 0 && at + 4 <= plain.length) {
      const len = plain.readUInt16BE(at + 2);
      if (type === 8) hashes.push(toHex(plain.subarray(at + 4, at + len)));
      type = plain[at]!;
      at += len;
    }
    return hashes.join('|');
  });
}

interface Capture {
  readonly file: string;
  readonly uat: string;
  readonly wrongUat: string;
  readonly messages: Uint8Array[];
  readonly ka: Uint8Array;
  readonly net: IkeNet;
}

function capture(name: string, net: IkeNet): Capture {
  const sent = net.sent();
  const file = join(dir, `${name}.pcap`);
  writeFileSync(file, datagramPcap(sent.map((t) => ({ time: t.time, datagram: t.datagram }))));
  const keys = net.outputs('device', 'ike-sa-keys')[0]!.keys;
  if (keys.version !== 1) throw new Error('IKEv1 keys expected');
  // Both endpoints' records of the one ISAKMP SA make one line of the table.
  const lines = ikev1DecryptionTable([...net.outputs('device', 'ike-sa-keys'), ...net.outputs('azure', 'ike-sa-keys')].map((o) => o.keys)).split('\n');
  if (lines.length !== 2 || lines[1] !== '') throw new Error(`one ikev1_decryption_table line expected, got ${JSON.stringify(lines)}`);
  const wrong = keys.encryptionKey.slice();
  wrong[0]! ^= 0x01;
  return {
    file,
    uat: lines[0]!,
    wrongUat: ikev1DecryptionRow({ ...keys, encryptionKey: wrong }),
    messages: sent.map((t) => isakmpOf(t.datagram.payload, t.datagram.dport, t.datagram.sport)),
    ka: keys.encryptionKey,
    net,
  };
}

function spiHex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

describe('tshark reads the IKEv1 endpoints\' negotiation', () => {
  it('tshark is installed (CI installs it; this test fails without it)', () => {
    expect(tsharkVersion(), 'tshark not found: install it as .ci/run does').not.toBeNull();
  });

  const pairs = [pair('10.1.0.0/16', '10.2.0.0/16'), pair('10.1.0.0/16', '10.3.0.0/24')];
  const { net } = azureAndDevice({ selectors: pairs }, { selectors: pairs.map((p) => ({ local: p.remote, remote: p.local })) });
  for (const p of pairs) net.call('device', (e, now) => e.acquire({ local: p.remote, remote: p.local }, now));
  net.run(10);
  net.call('device', (e, now) => e.close(now));
  net.run(20);
  const normal = capture('normal', net);

  it('decrypts every encrypted message; HASH values, IDs, lifetimes and SPIs are the endpoints\'', () => {
    const rows = tshark(normal.file, normal.uat);
    expect(rows).toHaveLength(normal.messages.length);
    const hashes = hashesByHand(normal.messages, normal.ka);
    const summaries = net.sent().map((t) => t.summary.replace(/ \d+ \[/, ' ['));
    expect(summaries).toEqual([
      'ID_PROT request [ SA V ]',
      'ID_PROT response [ SA V ]',
      'ID_PROT request [ KE No NAT-D NAT-D ]',
      'ID_PROT response [ KE No NAT-D NAT-D ]',
      'ID_PROT request [ ID HASH N(INITIAL_CONTACT) ]',
      'ID_PROT response [ ID HASH ]',
      'QUICK_MODE request [ HASH SA No ID ID ]',
      'QUICK_MODE response [ HASH SA No ID ID ]',
      'QUICK_MODE request [ HASH ]',
      'QUICK_MODE request [ HASH SA No ID ID ]',
      'QUICK_MODE response [ HASH SA No ID ID ]',
      'QUICK_MODE request [ HASH ]',
      'INFORMATIONAL_V1 request [ HASH D ]',
      'INFORMATIONAL_V1 request [ HASH D ]',
      'INFORMATIONAL_V1 request [ HASH D ]',
    ]);
    rows.forEach((row, i) => {
      expect(row['isakmp.hash'], `frame ${i + 1} HASH`).toBe(hashes[i]);
      if (i >= 4) expect(hashes[i], `frame ${i + 1} has a HASH`).toMatch(/^[0-9a-f]{40}$/);
    });
    expect([rows[4]!['isakmp.id.type'], rows[4]!['isakmp.id.data.ipv4_addr']]).toEqual(['1', '203.0.113.10']);
    expect([rows[5]!['isakmp.id.type'], rows[5]!['isakmp.id.data.ipv4_addr']]).toEqual(['1', '198.51.100.20']);
    // Proxy IDs as subnets, the initiator's (device's) side first.
    expect([rows[6]!['isakmp.id.type'], rows[6]!['isakmp.id.data.ipv4_addr'], rows[6]!['isakmp.id.data.ipv4_subnet']]).toEqual(['4|4', '10.2.0.0|10.1.0.0', '255.255.0.0|255.255.0.0']);
    expect([rows[10]!['isakmp.id.data.ipv4_addr'], rows[10]!['isakmp.id.data.ipv4_subnet']]).toEqual(['10.3.0.0|10.1.0.0', '255.255.255.0|255.255.0.0']);
    // QM1 offers Azure's three transforms, each with both lifetimes (the kilobytes as a TLV); QM2 takes one.
    expect(rows[6]!['isakmp.ipsec.attr.life_duration']).toBe('3600|102400000|3600|102400000|3600|102400000');
    expect(rows[6]!['isakmp.ipsec.attr.encap_mode']).toBe('1|1|1');
    expect(rows[7]!['isakmp.ipsec.attr.life_duration']).toBe('3600|102400000');
    // The SPIs in the Quick Mode SAs are the ones the endpoints installed.
    const ups = net.outputs('device', 'child-up').map((o) => o.child);
    expect(rows[6]!['isakmp.spi']).toBe(spiHex(ups[0]!.inboundSpi));
    expect(rows[7]!['isakmp.spi']).toBe(spiHex(ups[0]!.outboundSpi));
    expect(rows[9]!['isakmp.spi']).toBe(spiHex(ups[1]!.inboundSpi));
    // The deletes: each ESP SA by the device's inbound SPI, then the ISAKMP SA by the cookies.
    expect(rows[12]!['isakmp.delete.spi']).toBe(spiHex(ups[0]!.inboundSpi));
    expect(rows[13]!['isakmp.delete.spi']).toBe(spiHex(ups[1]!.inboundSpi));
    expect(rows[14]!['isakmp.delete.spi']).toBe(toHex(normal.messages[1]!.subarray(0, 16)));
  });

  it('negative control: with a wrong key tshark shows none of the HASH values or proxy IDs', () => {
    const rows = tshark(normal.file, normal.wrongUat);
    const hashes = hashesByHand(normal.messages, normal.ka);
    rows.forEach((row, i) => {
      if (i < 4) return;
      expect(row['isakmp.hash'] === hashes[i], `frame ${i + 1}`).toBe(false);
      expect(row['isakmp.id.data.ipv4_subnet'], `frame ${i + 1}`).not.toContain('255.255.0.0');
    });
  });

  it('behind a NAT: the messages on 4500 decrypt too, and the Quick Mode asks for UDP-encapsulated tunnel mode (3)', () => {
    const s = azureAndDevice({ remote: ip('192.0.2.77'), remoteId: null });
    s.net.natBehind('device', ip('192.0.2.77'));
    s.net.call('device', (e, now) => e.acquire(pair('10.2.0.0/16', '10.1.0.0/16'), now));
    s.net.run(10);
    const c = capture('nat', s.net);
    const rows = tshark(c.file, c.uat);
    const hashes = hashesByHand(c.messages, c.ka);
    expect(s.net.sent()[4]!.datagram.dport).toBe(4500);
    rows.forEach((row, i) => expect(row['isakmp.hash'], `frame ${i + 1}`).toBe(hashes[i]));
    expect(rows[6]!['isakmp.ipsec.attr.encap_mode']).toBe('3|3|3');
    expect(rows[7]!['isakmp.ipsec.attr.encap_mode']).toBe('3');
  });

  it.each([
    ['Main Mode proposal mismatch', {}, { ikeProposals: ike('aes128-sha256-modp2048') }, '14', false],
    ['Quick Mode proposal mismatch', {}, { espProposals: esp('aes128gcm16') }, '14', true],
    ['proxy-ID mismatch', { selectors: [pair('10.1.0.0/16', '10.9.0.0/16')] }, {}, '18', true],
  ] as const)('%s: the expected notify type shows', (_name, azure, device, notify, encrypted) => {
    const s = azureAndDevice(azure, device);
    s.net.call('device', (e, now) => e.acquire(pair('10.2.0.0/16', '10.1.0.0/16'), now));
    s.net.run(10);
    const sent = s.net.sent();
    const file = join(dir, `fail-${notify}-${String(encrypted)}.pcap`);
    writeFileSync(file, datagramPcap(sent.map((t) => ({ time: t.time, datagram: t.datagram }))));
    const keys = s.net.outputs('azure', 'ike-sa-keys')[0]?.keys;
    const uat = keys && keys.version === 1 ? ikev1DecryptionRow(keys) : `${toHex(sent[0]!.datagram.payload.subarray(0, 8))},${'00'.repeat(32)}`;
    const rows = tshark(file, uat);
    const informational = rows.filter((r) => r['isakmp.exchangetype'] === '5');
    expect(informational).toHaveLength(1);
    expect(informational[0]!['isakmp.flag_e']).toBe(encrypted ? '1' : '0');
    expect(informational[0]!['isakmp.notify.msgtype']).toBe(notify);
  });
});
