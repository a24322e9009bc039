/**
 * The readers of charon's output (test/support/strongswan.ts) on captured and hand-built
 * text, without running charon (strongswan-harness.test.ts runs it).
 *
 * test/fixtures/strongswan/charon-ikev2-responder.log is charon 5.9.8's whole log of one
 * harness run (the harness's own strongswan.conf, `ike = 4`): the fixture ikev2-sa-init.mjs
 * sent an IKE_SA_INIT request with the SPI, nonce and DH private key stored in
 * charon-ikev2-responder.json (from Prng(2016, 'strongswan-log-fixture')), charon answered,
 * and derived and logged its keys when the filler IKE_AUTH request arrived. The .json also
 * holds both IKE_SA_INIT messages and that run's `swanctl --list-sas` output. The keys
 * the parser reads are checked against RFC 7296 §2.14 recomputed from those bytes, and the
 * NAT detection dumps against RFC 7296 §2.23 (SHA-1 of SPIs, address and port).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ikeHeader, payloadChain } from '../support/ike-by-hand.js';
import { ikev2SaKeysSha1, modp1024Shared } from '../support/ikev2-keys-by-hand.js';
import { ROOT } from '../support/run-cli.js';
import { CHARON_KEY_LABELS, parseCharonKeys, parseListSas } from '../support/strongswan.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'strongswan');
const LOG = readFileSync(join(FIXTURES, 'charon-ikev2-responder.log'), 'utf8');
const RUN = JSON.parse(readFileSync(join(FIXTURES, 'charon-ikev2-responder.json'), 'utf8')) as Record<string, string>;

function fromHex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

function hexList(m: Map<string, Uint8Array[]>, label: string): string[] {
  return (m.get(label) ?? []).map(hex);
}

describe('parseCharonKeys', () => {
  it('reads the IKE SA keys of a captured responder log: they are the RFC 7296 keys of the captured exchange', () => {
    const response = fromHex(RUN['response']!);
    const chain = payloadChain(response);
    const nr = chain.find((p) => p.type === 40)!.body;
    const ke = chain.find((p) => p.type === 34)!.body.slice(4);
    const shared = modp1024Shared(ke, fromHex(RUN['dhPrivate']!));
    const want = ikev2SaKeysSha1({ ni: fromHex(RUN['ni']!), nr, spiI: fromHex(RUN['spiI']!), spiR: ikeHeader(response).spiR, shared, encrKeyBytes: 32 });

    const keys = parseCharonKeys(LOG);
    expect(hexList(keys, CHARON_KEY_LABELS.dhSecret)).toEqual([hex(shared)]);
    expect(hexList(keys, CHARON_KEY_LABELS.skeyseed)).toEqual([hex(want.skeyseed)]);
    expect(hexList(keys, CHARON_KEY_LABELS.skD)).toEqual([hex(want.skD)]);
    expect(hexList(keys, CHARON_KEY_LABELS.skAi)).toEqual([hex(want.skAi)]);
    expect(hexList(keys, CHARON_KEY_LABELS.skAr)).toEqual([hex(want.skAr)]);
    expect(hexList(keys, CHARON_KEY_LABELS.skEi)).toEqual([hex(want.skEi)]);
    expect(hexList(keys, CHARON_KEY_LABELS.skEr)).toEqual([hex(want.skEr)]);
    expect(hexList(keys, CHARON_KEY_LABELS.skPi)).toEqual([hex(want.skPi)]);
    expect(hexList(keys, CHARON_KEY_LABELS.skPr)).toEqual([hex(want.skPr)]);
  });

  it('keeps repeated labels in log order: the NAT detection chunks (charon, then the peer) and their SHA-1 hashes', () => {
    const keys = parseCharonKeys(LOG);
    const chunks = keys.get('natd_chunk') ?? [];
    const spis = RUN['spiI']! + '0000000000000000'; // SPIr is still zero in the request
    // 127.0.0.1 port 5500 (charon), then 127.0.0.2 port 500 (the fixture).
    expect(chunks.map(hex)).toEqual([spis + '7f000001157c', spis + '7f00000201f4']);
    expect(hexList(keys, 'natd_hash')).toEqual(chunks.map((c) => createHash('sha1').update(c).digest('hex')));
  });

  it('follows each thread: lines of other threads inside a dump change nothing', () => {
    const lines = LOG.split('\n');
    const at = lines.findIndex((l) => l.includes('SKEYSEED =>'));
    expect(at).toBeGreaterThan(0);
    const foreign = [
      '14:10:07 09[NET] received packet: from 127.0.0.2[500] to 127.0.0.1[5500] (76 bytes)',
      '14:10:07 09[IKE] natd_chunk => 2 bytes @ 0x7fed54003ac0',
      '14:10:07 09[IKE]    0: AB CD                                            ..',
      '14:10:07 11[KNL]    0: not a dump of an open thread',
    ];
    const mixed = [...lines.slice(0, at + 1), ...foreign, ...lines.slice(at + 1)].join('\n');
    const plain = parseCharonKeys(LOG);
    const got = parseCharonKeys(mixed);
    expect(hexList(got, CHARON_KEY_LABELS.skeyseed)).toEqual(hexList(plain, CHARON_KEY_LABELS.skeyseed));
    expect(hexList(got, 'natd_chunk')).toEqual([...hexList(plain, 'natd_chunk'), 'abcd']);
  });

  it('reads only the announced bytes: an ASCII column that looks like hex is not data', () => {
    const log = [
      '12:00:00 05[IKE] octets = message + nonce + prf(Sk_px, IDx\') => 8 bytes @ 0x1',
      '12:00:00 05[IKE]    0: 41 42 20 43 44 20 45 46                          AB CD EF',
      '12:00:00 05[CHD] encryption initiator key => 0 bytes @ (nil)',
    ].join('\n');
    const got = parseCharonKeys(log);
    expect(hexList(got, "octets = message + nonce + prf(Sk_px, IDx')")).toEqual(['4142204344204546']);
    expect(hexList(got, CHARON_KEY_LABELS.encrI)).toEqual(['']);
  });

  it('refuses a dump cut short, one with a wrong offset, and one with too few bytes on a line', () => {
    const head = '12:00:00 05[IKE] SKEYSEED => 20 bytes @ 0x1';
    const first = '12:00:00 05[IKE]    0: 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F  ................';
    expect(() => parseCharonKeys([head, first].join('\n'))).toThrow(/"SKEYSEED" \(line 1\) ends after 16 of 20 bytes/);
    expect(() => parseCharonKeys([head, first, '12:00:00 05[IKE]   32: 10 11 12 13  ....'].join('\n'))).toThrow(/expected offset 16, got 32/);
    expect(() => parseCharonKeys([head, first, '12:00:00 05[IKE]   16: 10 11 12  ...'].join('\n'))).toThrow(/expected 4 hex bytes at offset 16/);
    expect(() => parseCharonKeys([head, '12:00:00 05[IKE] Sk_d secret => 20 bytes @ 0x2'].join('\n'))).toThrow(/has 0 of 20 bytes when "Sk_d secret" starts/);
  });
});

describe('parseListSas', () => {
  it('reads a captured half-open responder SA', () => {
    const response = fromHex(RUN['response']!);
    expect(parseListSas(RUN['listSas']!)).toEqual([
      {
        name: '(unnamed)',
        uniqueId: 1,
        state: 'CONNECTING',
        version: 2,
        spiI: RUN['spiI'],
        spiR: hex(ikeHeader(response).spiR),
        charonIsInitiator: false,
        local: { id: '%any', host: '127.0.0.1', port: 5500 },
        remote: { id: '%any', host: '127.0.0.2', port: 500 },
        algorithms: 'AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024',
        children: [],
        other: ['passive: IKE_CERT_PRE IKE_AUTH IKE_CERT_POST IKE_CONFIG IKE_MOBIKE IKE_ESTABLISH IKE_AUTH_LIFETIME CHILD_CREATE'],
      },
    ]);
  });

  // Built from the printf formats of strongSwan 5.9.8 src/swanctl/commands/list_sas.c
  // (tag 5.9.8): an established IKEv2 SA with a UDP-encapsulated CHILD_SA, and an IKEv1 one.
  const established = [
    'rb: #3, ESTABLISHED, IKEv2, 77822c6f24cdb92e_i* 3ac53a56d1b5c7e1_r',
    "  local  '127.0.0.1' @ 127.0.0.1[5501]",
    "  remote '127.0.0.2' @ 127.0.0.2[4500]",
    '  AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024',
    '  established 2s ago, rekeying in 13995s',
    '  rb: #4, reqid 1, INSTALLED, TUNNEL-in-UDP, ESP:AES_CBC-256/HMAC_SHA1_96',
    '    installed 2s ago, rekeying in 3291s, expires in 3958s',
    '    in  c1f2a3b4,    252 bytes,     3 packets,     1s ago',
    '    out 04e60798,    168 bytes,     2 packets,     1s ago',
    '    local  10.1.0.0/24',
    '    remote 10.2.0.0/24 10.3.0.0/24',
    'pb: #5, ESTABLISHED, IKEv1, 0011223344556677_i 8899aabbccddeeff_r*',
    "  local  '127.0.0.1' @ 127.0.0.1[5500]",
    "  remote '127.0.0.2' @ 127.0.0.2[500]",
    '  AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024',
    '  established 1s ago, reauth in 28000s',
    '  pb: #6, reqid 2, INSTALLED, TUNNEL, ESP:AES_CBC-128/HMAC_SHA1_96/MODP_1024',
    '    installed 1s ago',
    '    in  cafe0001,      0 bytes,     0 packets',
    '    out beef0002,      0 bytes,     0 packets',
    '    local  10.1.0.0/16',
    '    remote 10.2.0.0/16',
    '',
  ].join('\n');

  it('reads established SAs with their CHILD_SAs', () => {
    const sas = parseListSas(established);
    expect(sas.map((s) => [s.name, s.uniqueId, s.state, s.version, s.charonIsInitiator, s.local.port, s.remote.port])).toEqual([
      ['rb', 3, 'ESTABLISHED', 2, true, 5501, 4500],
      ['pb', 5, 'ESTABLISHED', 1, false, 5500, 500],
    ]);
    expect(sas[0]!.local.id).toBe('127.0.0.1');
    expect(sas[0]!.other).toEqual(['established 2s ago, rekeying in 13995s']);
    expect(sas[0]!.children).toEqual([
      {
        name: 'rb',
        uniqueId: 4,
        reqid: '1',
        state: 'INSTALLED',
        mode: 'TUNNEL',
        udpEncapsulated: true,
        protocol: 'ESP',
        algorithms: 'AES_CBC-256/HMAC_SHA1_96',
        spiIn: 'c1f2a3b4',
        spiOut: '04e60798',
        bytesIn: 252,
        packetsIn: 3,
        bytesOut: 168,
        packetsOut: 2,
        localTs: ['10.1.0.0/24'],
        remoteTs: ['10.2.0.0/24', '10.3.0.0/24'],
        other: ['installed 2s ago, rekeying in 3291s, expires in 3958s'],
      },
    ]);
    const pb = sas[1]!.children[0]!;
    expect([pb.mode, pb.udpEncapsulated, pb.algorithms, pb.spiIn, pb.spiOut, pb.localTs, pb.remoteTs]).toEqual([
      'TUNNEL',
      false,
      'AES_CBC-128/HMAC_SHA1_96/MODP_1024',
      'cafe0001',
      'beef0002',
      ['10.1.0.0/16'],
      ['10.2.0.0/16'],
    ]);
  });

  it('reads nothing from empty output, and refuses lines it does not know', () => {
    expect(parseListSas('')).toEqual([]);
    expect(() => parseListSas('  local  10.1.0.0/16\n')).toThrow(/line 1: expected an IKE SA line/);
    expect(() => parseListSas(established.replace('    installed 1s ago\n', '    installed 1s ago\nsomething else\n'))).toThrow(/not an SA line this parser knows/);
    expect(() => parseListSas("rb: #1, CONNECTING, IKEv2, 00_i* 00_r\n  remote '%any' @ 127.0.0.2[500]\n")).toThrow(/lacks its local or remote line/);
  });
});
