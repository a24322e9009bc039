/**
 * tshark 4.0 as the independent decoder of whole IKEv2 negotiations between two endpoints
 * in memory: every datagram of a run (IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA child rekeys
 * with PFS, an IKE rekey, DPD, the child and IKE deletes) goes into a pcap as IPv4/UDP, and
 * tshark gets the `ikev2_decryption_table` sim/ike/wireshark-tables.ts makes of both
 * endpoints' `ike-sa-keys` outputs (one line per IKE SA), one `-o uat:` record per line. Every
 * encrypted message must show its integrity checksum `[correct]`; the AUTH data tshark
 * decrypts equals the endpoint's (read back from the endpoint's own send, opened with the
 * same keys); the exchange types, message IDs, flags, KE groups and Delete SPIs are the ones
 * the run produced. A NAT-T run is dissected on 4500 after the non-ESP marker; AES-GCM-16,
 * HMAC-SHA2-256-128 and 3DES IKE SAs decrypt with their own ICV lengths. Failure runs
 * show the notify types (14, 17, 24, 38). Negative control: a wrong SK_ai makes tshark
 * report `IKEv2 Integrity Checksum Data is incorrect` on exactly the initiator's messages.
 *
 * tshark must be installed (.ci/run installs it): without it this test FAILS, it does not skip.
 */
import { execFileSync } from 'node:child_process';
import { tsharkOk } from '../support/tshark.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IkeOutput, IkeSaKeyRecord } from '../../sim/ike/endpoint.js';
import { openMessage } from '../../sim/ike/ikev2/message-protection.js';
import { CRYPTO_BACKENDS } from '../../sim/ipsec/backends.js';
import { ikev2DecryptionTable } from '../../sim/ike/wireshark-tables.js';
import { spiKey } from '../../sim/wire/ikev2-header.js';
import { decodeMessage } from '../../sim/wire/ikev2-message.js';
import type { Ikev2Payload } from '../../sim/wire/ikev2-payloads.js';
import { datagramPcap, type IkeNet } from '../support/ike-net.js';
import { espProposal, ikeProposal, ikev2Pair, pair } from '../support/ikev2-pair.js';

const FIELDS = [
  'frame.number',
  'udp.srcport',
  'isakmp.ispi',
  'isakmp.rspi',
  'isakmp.exchangetype',
  'isakmp.flags',
  'isakmp.messageid',
  'isakmp.auth.data',
  'isakmp.notify.msgtype',
  'isakmp.key_exchange.dh_group',
  'isakmp.delete.spi',
  'isakmp.enc.icd',
  '_ws.expert.message',
] as const;
type Field = (typeof FIELDS)[number];
type Row = Record<Field, string>;


function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** The run's `ikev2_decryption_table` file (both endpoints' records; one line per IKE SA) as tshark `uat:` records. */
function tableRows(net: IkeNet): string[] {
  const all = net.events.flatMap((e) => (e.kind === 'output' && e.output.kind === 'ike-sa-keys' ? [e.output.keys] : []));
  return ikev2DecryptionTable(all).split('\n').filter((l) => l !== '');
}

/** `k` with one SK_ai bit flipped. */
function withWrongAi(k: IkeSaKeyRecord): IkeSaKeyRecord {
  if (k.version !== 2) throw new Error('IKEv2 keys expected');
  const skAi = k.skAi.slice();
  skAi[0]! ^= 1;
  return { ...k, skAi };
}

/** The IKE SA key records of a run, one per IKE SA. */
function keyRecords(net: IkeNet): IkeSaKeyRecord[] {
  const seen = new Map<string, IkeSaKeyRecord>();
  for (const e of net.events) {
    if (e.kind !== 'output' || e.output.kind !== 'ike-sa-keys' || e.output.keys.version !== 2) continue;
    seen.set(`${spiKey(e.output.keys.spiI)}/${spiKey(e.output.keys.spiR)}`, e.output.keys);
  }
  return [...seen.values()];
}

interface Dissection {
  readonly rows: Row[];
  readonly text: string;
}

function dissect(net: IkeNet, rows: readonly string[]): Dissection {
  const dir = mkdtempSync(join(tmpdir(), 'vgw-ikev2-run-'));
  try {
    const file = join(dir, 'run.pcap');
    writeFileSync(file, datagramPcap(net.sent().map((t) => ({ time: t.time, datagram: t.datagram }))));
    const keys = rows.flatMap((r) => ['-o', `uat:ikev2_decryption_table:${r}`]);
    const run = (args: string[]): string => execFileSync('tshark', ['-r', file, ...keys, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 32 << 20 });
    const out = run(['-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=|', ...FIELDS.flatMap((f) => ['-e', f])]);
    const parsed = out
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => {
        const cols = l.split('\t');
        return Object.fromEntries(FIELDS.map((f, i) => [f, cols[i] ?? ''])) as Row;
      });
    return { rows: parsed, text: run(['-V']) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the endpoint put in each message it sent: the payloads, opened with its own keys. */
function sentPayloads(net: IkeNet): { encrypted: boolean; payloads: Ikev2Payload[]; initiatorFlag: boolean }[] {
  const records = keyRecords(net);
  return net.sent().map((t) => {
    const ike = t.datagram.dport === 4500 || t.datagram.sport === 4500 ? t.datagram.payload.subarray(4) : t.datagram.payload;
    const m = decodeMessage(ike);
    if (!m.ok) throw new Error(m.error.message);
    if (!m.value.encrypted) return { encrypted: false, payloads: [...m.value.payloads], initiatorFlag: m.value.header.initiator };
    const k = records.find((r) => r.version === 2 && spiKey(r.spiI) === spiKey(m.value.header.initiatorSpi) && spiKey(r.spiR) === spiKey(m.value.header.responderSpi));
    if (!k || k.version !== 2) throw new Error('no keys');
    const zero = new Uint8Array(0);
    const opened = openMessage(CRYPTO_BACKENDS.node, { suite: k.suite, keys: { skD: zero, skPi: zero, skPr: zero, skEi: k.skEi, skEr: k.skEr, skAi: k.skAi, skAr: k.skAr } }, ike);
    if (!opened.ok) throw new Error(opened.problem);
    return { encrypted: true, payloads: opened.inner, initiatorFlag: m.value.header.initiator };
  });
}

/** A whole life: establish, child rekeys with PFS, an IKE rekey, DPD, then close. */
function wholeRun(): IkeNet {
  const conf = { espProposals: [espProposal('aes256-sha1-modp1024')], childLifetime: 200, ikeLifetime: 450, rekeyMargin: 50, dpdDelay: 100 };
  const { net } = ikev2Pair({ azure: conf, device: { ...conf, dpdDelay: null } });
  net.run(500);
  net.call('device', (e, now) => e.close(now));
  net.run(510);
  return net;
}

describe('IKEv2 negotiations against tshark', () => {
  it('tshark is installed (CI installs it; this test fails without it)', () => {
    expect(tsharkOk(), 'tshark not found: install it as .ci/run does').toBe(true);
  });

  it('a whole run decrypts: every ICV correct, AUTH, KE groups, Delete SPIs and header fields as the endpoints sent them', () => {
    expect(tsharkOk(), 'tshark not found').toBe(true);
    const net = wholeRun();
    const sent = net.sent();
    const summaries = sent.map((t) => t.summary);
    // The run holds what it should.
    for (const kind of ['IKE_SA_INIT request 0', 'IKE_AUTH request 1', 'N(REKEY_SA) SA No KE TSi TSr', '[ SA No KE ]', 'INFORMATIONAL request', '[ D ]']) {
      expect(summaries.some((s) => s.includes(kind)), kind).toBe(true);
    }
    const records = keyRecords(net);
    expect(records.length).toBe(2);
    const table = tableRows(net);
    expect(table).toHaveLength(2);
    const { rows, text } = dissect(net, table);
    expect(rows).toHaveLength(sent.length);
    const mine = sentPayloads(net);
    const encrypted = mine.filter((m) => m.encrypted).length;
    expect(encrypted).toBe(sent.length - 2);
    expect(text.match(/Integrity Checksum Data: [0-9a-f]+ \(12 bytes\) <HMAC_SHA1_96 \[RFC2404\]>\[correct\]$/gm)?.length).toBe(encrypted);
    expect(text).not.toContain('incorrect');
    rows.forEach((row, i) => {
      const t = sent[i]!;
      const m = decodeMessage(t.datagram.payload);
      if (!m.ok) throw new Error(m.error.message);
      const h = m.value.header;
      const flags = (h.initiator ? 0x08 : 0) | (h.response ? 0x20 : 0);
      expect([row['isakmp.ispi'], row['isakmp.rspi'], row['isakmp.exchangetype'], row['isakmp.flags'], row['isakmp.messageid']], t.summary).toEqual([
        spiKey(h.initiatorSpi),
        spiKey(h.responderSpi),
        String(h.exchangeType),
        `0x${flags.toString(16).padStart(2, '0')}`,
        `0x${h.messageId.toString(16).padStart(8, '0')}`,
      ]);
      const payloads = mine[i]!.payloads;
      const auth = payloads.flatMap((p) => (p.kind === 'AUTH' ? [hex(p.data)] : []));
      expect(row['isakmp.auth.data'], `${t.summary} AUTH`).toBe(auth.join('|'));
      const groups = payloads.flatMap((p) => (p.kind === 'KE' ? [String(p.group)] : []));
      expect(row['isakmp.key_exchange.dh_group'], `${t.summary} KE`).toBe(groups.join('|'));
      const deletes = payloads.flatMap((p) => (p.kind === 'Delete' ? p.spis.map(hex) : []));
      expect(row['isakmp.delete.spi'], `${t.summary} D`).toBe(deletes.join('|'));
    });
    // Both AUTHs were there: tshark showed two AUTH payloads (IKE_AUTH request and response).
    expect(rows.filter((r) => r['isakmp.auth.data'] !== '')).toHaveLength(2);
  });

  it('negative control: a wrong SK_ai makes tshark flag exactly the original initiator\'s encrypted messages of that SA', () => {
    expect(tsharkOk(), 'tshark not found').toBe(true);
    const net = wholeRun();
    const [first, second] = keyRecords(net);
    const { rows } = dissect(net, ikev2DecryptionTable([withWrongAi(first!), second!]).split('\n').filter((l) => l !== ''));
    const mine = sentPayloads(net);
    const firstSpi = first!.version === 2 ? spiKey(first!.spiI) : '';
    const flagged = rows.filter((r) => r['_ws.expert.message'].includes('IKEv2 Integrity Checksum Data is incorrect')).map((r) => Number(r['frame.number']));
    const want = rows.flatMap((r, i) => (mine[i]!.encrypted && mine[i]!.initiatorFlag && r['isakmp.ispi'] === firstSpi ? [i + 1] : []));
    expect(want.length).toBeGreaterThan(3);
    expect(flagged).toEqual(want);
  });

  it('NAT-T: the messages on 4500 dissect after the non-ESP marker and decrypt', () => {
    expect(tsharkOk(), 'tshark not found').toBe(true);
    const { net } = ikev2Pair({ azure: { natTraversal: true }, device: { natTraversal: true, local: 0xc0a8010a }, start: false });
    net.natBehind('device', 0xc0000201);
    net.start(0);
    net.run(5);
    const { rows, text } = dissect(net, tableRows(net));
    expect(rows.map((r) => [r['udp.srcport'], r['isakmp.exchangetype']])).toEqual([
      ['500', '34'],
      ['500', '34'],
      ['4500', '35'],
      ['4500', '35'],
    ]);
    expect(rows.map((r) => r['isakmp.notify.msgtype'])).toEqual(['16388|16389', '16388|16389', '', '']);
    expect(text.match(/\[correct\]$/gm)?.length).toBe(2);
    expect(rows.filter((r) => r['isakmp.auth.data'] !== '')).toHaveLength(2);
  });

  it('other IKE suites decrypt too: AES-GCM-16 (the tag is the ICV, no SK_a), AES-128 with HMAC-SHA2-256-128, 3DES', () => {
    expect(tsharkOk(), 'tshark not found').toBe(true);
    for (const [ike, esp, icv] of [
      ['aes256gcm16-prfsha256-modp2048', 'aes256gcm16', 16],
      ['aes128-sha256-modp2048', 'aes128-sha1', 16],
      ['3des-sha1-modp1024', '3des-sha1', 12],
    ] as const) {
      const conf = { ikeProposals: [ikeProposal(ike)], espProposals: [espProposal(esp)], childLifetime: 100, rekeyMargin: 20 };
      const { net } = ikev2Pair({ azure: conf, device: conf });
      net.run(100);
      const encrypted = net.sent().length - 2;
      expect(encrypted, ike).toBeGreaterThanOrEqual(4);
      const { rows, text } = dissect(net, tableRows(net));
      const correct = text.match(new RegExp(`Integrity Checksum Data: [0-9a-f]+ \\(${icv} bytes\\).*\\[correct\\]$`, 'gm'));
      expect(correct?.length, ike).toBe(encrypted);
      expect(text, ike).not.toContain('incorrect');
      expect(rows.filter((r) => r['isakmp.auth.data'] !== '').length, ike).toBe(2);
    }
  });

  it('failure runs show their notify types: NO_PROPOSAL_CHOSEN, INVALID_KE_PAYLOAD, AUTHENTICATION_FAILED, TS_UNACCEPTABLE', () => {
    expect(tsharkOk(), 'tshark not found').toBe(true);
    const runs: [string, Parameters<typeof ikev2Pair>[0], string][] = [
      ['NO_PROPOSAL_CHOSEN', { azure: { ikeProposals: [ikeProposal('aes128-sha256-modp2048')] } }, '14'],
      ['INVALID_KE_PAYLOAD', { azure: { ikeProposals: [ikeProposal('aes256-sha1-modp2048')] }, device: { ikeProposals: [ikeProposal('aes256-sha1-modp1024-modp2048')] } }, '17'],
      ['AUTHENTICATION_FAILED', { azure: { psk: new TextEncoder().encode('not the same') } }, '24'],
      ['TS_UNACCEPTABLE', { azure: { selectors: [pair('10.1.0.0/16', '192.168.0.0/16')] }, device: { selectors: [pair('10.9.0.0/16', '10.1.0.0/16')] } }, '38'],
    ];
    for (const [name, opts, type] of runs) {
      const { net } = ikev2Pair(opts);
      net.run(5);
      const { rows, text } = dissect(net, tableRows(net));
      const notifies = rows.flatMap((r) => r['isakmp.notify.msgtype'].split('|').filter((x) => x !== ''));
      expect(notifies, name).toContain(type);
      const outputs: IkeOutput[] = [...net.outputs('azure'), ...net.outputs('device')];
      const notified = outputs.flatMap((o) => (o.kind === 'status' && o.notify ? [o.notify] : []));
      if (name !== 'INVALID_KE_PAYLOAD') expect(notified, name).toContain(name);
      expect(text, name).not.toContain('incorrect');
    }
  });
});
