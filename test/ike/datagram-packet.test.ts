/**
 * sim/ike/datagram-packet.ts against tshark 4.0 as the independent decoder: the IPv4/UDP
 * packets of a real IKEv2 run behind a NAT (IKE_SA_INIT on 500, IKE_AUTH on 4500 after the
 * non-ESP marker) and of seeded random datagrams (odd and even lengths, any ports, IP IDs
 * past 65,535, the largest payload one packet holds), written as a pcap with sim/wire/pcap.ts.
 * tshark, with IPv4 and UDP checksum checking on, must show every header field as the
 * datagram and the builder's choices say (TTL 64, DF and MF clear, the ID modulo 65,536),
 * both checksums good, the UDP payload byte for byte, and the IKE messages as `isakmp`
 * (on 4500 as `udpencap:isakmp`). Negative controls: one payload byte changed after the
 * build makes tshark call the UDP checksum bad, one header byte the IPv4 checksum.
 *
 * tshark must be installed (.ci/run installs it): without it these tests FAIL, they do not skip.
 */
import { execFileSync } from 'node:child_process';
import { tsharkFields } from '../support/tshark.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IkeDatagram } from '../../sim/ike/endpoint.js';
import { IKE_DATAGRAM_MAX_PAYLOAD, ikeDatagramPacket } from '../../sim/ike/datagram-packet.js';
import { Prng } from '../../sim/util/prng.js';
import { pcapFile } from '../../sim/wire/pcap.js';
import { ikev2Pair } from '../support/ikev2-pair.js';
import { toHex } from '../wire/hex.js';

const dir = mkdtempSync(join(tmpdir(), 'vgw-ike-packet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIELDS = [
  'frame.protocols', 'ip.version', 'ip.hdr_len', 'ip.len', 'ip.id', 'ip.flags.df', 'ip.flags.mf', 'ip.frag_offset', 'ip.ttl', 'ip.proto',
  'ip.src', 'ip.dst', 'ip.checksum.status', 'udp.srcport', 'udp.dstport', 'udp.length', 'udp.checksum.status', 'udp.payload',
] as const;
type Row = Record<(typeof FIELDS)[number], string>;

function tsharkVersion(): string | null {
  try {
    return execFileSync('tshark', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0] ?? '';
  } catch {
    return null;
  }
}

/** tshark's fields of every packet, checksums checked. */
function tshark(name: string, packets: readonly Uint8Array[]): Row[] {
  const file = join(dir, `${name}.pcap`);
  writeFileSync(file, pcapFile(packets.map((bytes, i) => ({ time: i, bytes }))));
  return tsharkFields(['-r', file, '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE'], FIELDS);
}

function dotted(a: number): string {
  return [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.');
}

/** What tshark must show for `d` sent with IP ID `id` (protocols aside). */
function expected(d: IkeDatagram, id: number): Omit<Row, 'frame.protocols'> {
  return {
    'ip.version': '4', 'ip.hdr_len': '20', 'ip.len': String(28 + d.payload.length), 'ip.id': `0x${(id % 65536).toString(16).padStart(4, '0')}`,
    'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '17', 'ip.src': dotted(d.src), 'ip.dst': dotted(d.dst),
    'ip.checksum.status': '1', 'udp.srcport': String(d.sport), 'udp.dstport': String(d.dport), 'udp.length': String(8 + d.payload.length),
    'udp.checksum.status': '1', 'udp.payload': toHex(d.payload),
  };
}

/** The datagrams of an IKEv2 negotiation behind a NAT: IKE_SA_INIT on 500, then IKE_AUTH on 4500. */
function natRun(): IkeDatagram[] {
  const { net } = ikev2Pair({ azure: { natTraversal: true }, device: { natTraversal: true, local: 0xc0a8010a }, start: false });
  net.natBehind('device', 0xc0000201);
  net.start(0);
  net.run(5);
  return net.sent().map((t) => t.datagram);
}

/** Seeded random datagrams: lengths 1..1500 (odd and even) and the largest, any addresses and ports. */
function randomDatagrams(): { datagram: IkeDatagram; id: number }[] {
  const prng = new Prng(2016, 'ike-datagram-packet');
  const out: { datagram: IkeDatagram; id: number }[] = [];
  for (let i = 0; i < 40; i++) {
    const length = i === 0 ? IKE_DATAGRAM_MAX_PAYLOAD : prng.range(1, 1500);
    out.push({
      datagram: { src: prng.nextU32(), dst: prng.nextU32(), sport: prng.range(1024, 65535), dport: prng.range(1024, 65535), payload: prng.fill(new Uint8Array(length)) },
      id: prng.range(0, 300_000),
    });
  }
  return out;
}

describe('an IKE datagram as an IPv4/UDP packet, read by tshark', () => {
  it('tshark is installed (CI installs it; this test fails without it)', () => {
    expect(tsharkVersion(), 'tshark not found: install it as .ci/run does').not.toBeNull();
  });

  it('an IKEv2 run behind a NAT: isakmp on 500, udpencap then isakmp on 4500; every field and both checksums as built', () => {
    const datagrams = natRun();
    expect(datagrams.map((d) => d.sport === 4500 || d.dport === 4500)).toEqual([false, false, true, true]);
    const ids = [0, 1, 65535, 65536];
    const rows = tshark('nat-run', datagrams.map((d, i) => ikeDatagramPacket(d, ids[i]!)));
    expect(rows.map((r) => r['frame.protocols'])).toEqual(['raw:ip:udp:isakmp', 'raw:ip:udp:isakmp', 'raw:ip:udp:udpencap:isakmp', 'raw:ip:udp:udpencap:isakmp']);
    rows.forEach((row, i) => {
      const { 'frame.protocols': _, ...fields } = row;
      expect(fields, `frame ${i + 1}`).toEqual(expected(datagrams[i]!, ids[i]!));
    });
    // The non-ESP marker is in the UDP payload, before the IKE header.
    expect(rows[2]!['udp.payload'].slice(0, 8)).toBe('00000000');
  });

  it('seeded random datagrams (odd lengths, IDs past 65,535, the largest payload): every field and both checksums as built', () => {
    const cases = randomDatagrams();
    const rows = tshark('random', cases.map((c) => ikeDatagramPacket(c.datagram, c.id)));
    expect(rows).toHaveLength(cases.length);
    expect(cases.some((c) => c.datagram.payload.length % 2 === 1)).toBe(true);
    expect(cases.some((c) => c.id > 65535)).toBe(true);
    rows.forEach((row, i) => {
      const { 'frame.protocols': _, ...fields } = row;
      expect(fields, `packet ${i + 1}`).toEqual(expected(cases[i]!.datagram, cases[i]!.id));
    });
    expect(rows[0]!['ip.len']).toBe('65535');
  });

  it('negative controls: a payload byte changed after the build fails the UDP checksum, a header byte the IPv4 checksum', () => {
    const d = natRun()[2]!;
    const good = ikeDatagramPacket(d, 7);
    const badPayload = good.slice();
    badPayload[28 + 10]! ^= 0x01;
    const badHeader = good.slice();
    badHeader[8]! -= 1; // TTL 63
    const rows = tshark('bad', [good, badPayload, badHeader]);
    expect(rows.map((r) => [r['ip.checksum.status'], r['udp.checksum.status']])).toEqual([
      ['1', '1'],
      ['1', '0'],
      ['0', '1'],
    ]);
  });

  it('refuses a payload no IPv4 packet holds', () => {
    const d: IkeDatagram = { src: 1, dst: 2, sport: 500, dport: 500, payload: new Uint8Array(IKE_DATAGRAM_MAX_PAYLOAD + 1) };
    expect(() => ikeDatagramPacket(d, 0)).toThrow(RangeError);
    expect(ikeDatagramPacket({ ...d, payload: new Uint8Array(IKE_DATAGRAM_MAX_PAYLOAD) }, 0)).toHaveLength(65535);
  });
});
