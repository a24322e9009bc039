import { describe, expect, it } from 'vitest';
import { Prng } from '../../sim/util/prng.js';
import {
  decodeChain,
  decodeInner,
  decodeMessage,
  encodeChain,
  encodeEncrypted,
  encodeInner,
  encodeMessage,
  exchangeName,
  isErrorNotify,
  keyLengthAttribute,
  layoutEncrypted,
  notifyName,
  notifyPayload,
  NotifyType,
  parseHeader,
  payloadShortName,
  spi32,
  spi32Bytes,
  spiKey,
  splitEncrypted,
  summarizeMessage,
  transformIdName,
  transformKeyLength,
  TransformType,
  type Ikev2Header,
  type Ikev2Message,
  type Ikev2Payload,
} from '../../sim/wire/ikev2.js';
import { bytes, espProposal, exchangeMessages, ikeProposal, ikeSpi } from './ikev2-fixtures.js';
import { hex, toHex } from './hex.js';

const prng = new Prng(20160613, 'ikev2-codec');
const HEADER: Ikev2Header = {
  initiatorSpi: ikeSpi(prng),
  responderSpi: ikeSpi(prng),
  exchangeType: 37,
  initiator: true,
  response: false,
  higherVersion: false,
  messageId: 7,
};

const code = (r: { ok: boolean; error?: { code: string } }): string => (r.ok ? 'ok' : r.error!.code);

/** A message of `payloads` whose decoding must give it back. */
function roundTrip(payloads: Ikev2Payload[]): Ikev2Message {
  const m: Ikev2Message = { header: HEADER, payloads };
  const r = decodeMessage(encodeMessage(m));
  expect(r.ok ? r.value : r.error).toEqual(m);
  return m;
}

/** Bytes of a message whose payload chain is `chain` (hex), starting with payload type `first`. */
function withChain(first: number, chain: string): Uint8Array {
  const body = hex(chain);
  const out = encodeMessage({ header: HEADER, payloads: [] });
  const full = new Uint8Array(28 + body.length);
  full.set(out.subarray(0, 28));
  full[16] = first;
  full.set(body, 28);
  new DataView(full.buffer).setUint32(24, full.length);
  return full;
}

describe('IKEv2 header', () => {
  // The header of RFC 7634 Appendix B's message, as strongSwan's test_message_chapoly.c writes it.
  const RFC7634 = hex('c0c1c2c3c4c5c6c7 d0d1d2d3d4d5d6d7 2e 20 25 00 00000009 00000045');
  const datagram = (h: Uint8Array): Uint8Array => {
    const d = new Uint8Array(0x45);
    d.set(h);
    return d;
  };

  it('decodes each field from bytes written by hand', () => {
    const r = parseHeader(datagram(RFC7634));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(toHex(r.value.header.initiatorSpi)).toBe('c0c1c2c3c4c5c6c7');
    expect(spiKey(r.value.header.responderSpi)).toBe('d0d1d2d3d4d5d6d7');
    expect(r.value).toMatchObject({ nextPayload: 46, length: 69 });
    expect(r.value.header).toMatchObject({ exchangeType: 37, initiator: false, response: false, higherVersion: false, messageId: 9 });
  });

  it('reads the I, V and R flags and ignores the reserved bits and the minor version', () => {
    for (const [flags, initiator, higherVersion, response] of [
      [0x08, true, false, false],
      [0x10, false, true, false],
      [0x20, false, false, true],
      [0x28, true, false, true],
      [0xc7, false, false, false],
    ] as const) {
      const b = datagram(RFC7634);
      b[19] = flags;
      b[17] = 0x25;
      const r = parseHeader(b);
      expect(r.ok && r.value.header).toMatchObject({ initiator, higherVersion, response });
    }
  });

  it('refuses a major version other than 2 with the version, for INVALID_MAJOR_VERSION', () => {
    for (const [v, major, minor] of [
      [0x10, 1, 0],
      [0x30, 3, 0],
      [0x02, 0, 2],
    ] as const) {
      const b = datagram(RFC7634);
      b[17] = v;
      const r = parseHeader(b);
      expect(!r.ok && r.error).toMatchObject({ code: 'unsupported-version', major, minor });
    }
  });

  it('checks the length against the datagram: larger is truncated, smaller or below 28 is bad-length', () => {
    expect(code(parseHeader(datagram(RFC7634).subarray(0, 68)))).toBe('truncated');
    expect(code(parseHeader(RFC7634))).toBe('truncated');
    const longer = new Uint8Array(70);
    longer.set(RFC7634);
    expect(code(parseHeader(longer))).toBe('bad-length');
    const b = RFC7634.slice();
    b[27] = 27;
    expect(code(parseHeader(b))).toBe('bad-length');
  });

  it('refuses a zero initiator SPI; a zero responder SPI is the IKE_SA_INIT request', () => {
    const b = datagram(RFC7634);
    b.fill(0, 0, 8);
    expect(code(parseHeader(b))).toBe('bad-spi');
    const c = datagram(RFC7634);
    c.fill(0, 8, 16);
    expect(code(parseHeader(c))).toBe('ok');
  });

  it('encodes version 2.0, the flags and the total length', () => {
    const b = encodeMessage({ header: { ...HEADER, initiator: true, response: true, higherVersion: false, messageId: 0xfffffffe }, payloads: [] });
    expect(toHex(b.subarray(16, 28))).toBe('00202528fffffffe0000001c');
  });
});

describe('IKEv2 payloads round trip', () => {
  it('SA: IKE proposals with Key Length, an ESP proposal with a 4-byte SPI, an IKE rekey SPI', () => {
    roundTrip([{ kind: 'SA', proposals: [ikeProposal(1), ikeProposal(2, undefined, 3)] }]);
    roundTrip([{ kind: 'SA', proposals: [espProposal(1, 0xc0ffee01, 2), espProposal(2, 0xc0ffee01)] }]);
    roundTrip([{ kind: 'SA', proposals: [ikeProposal(1, ikeSpi(prng))] }]);
    roundTrip([{ kind: 'SA', proposals: [] }]);
  });

  it('SA: bytes match the RFC 7296 §3.3 layout written by hand', () => {
    const b = encodeMessage({ header: HEADER, payloads: [{ kind: 'SA', proposals: [ikeProposal(1)] }] });
    expect(toHex(b.subarray(28))).toBe(
      [
        '0000 0030', // generic header: last payload, length 48
        '00 00 002c 01 01 00 04', // last proposal, 44 bytes, #1, IKE, SPI size 0, 4 transforms
        '03 00 000c 01 00 000c 800e0100', // ENCR AES_CBC, Key Length 256 (TV)
        '03 00 0008 02 00 0002', // PRF HMAC_SHA1
        '03 00 0008 03 00 0002', // INTEG HMAC_SHA1_96
        '00 00 0008 04 00 0002', // DH MODP_1024, last transform
      ].join('').replace(/ /g, ''),
    );
  });

  it('SA: TLV attributes and unknown attribute types keep their format', () => {
    roundTrip([
      {
        kind: 'SA',
        proposals: [
          { number: 1, protocol: 3, spi: spi32Bytes(0x1000), transforms: [{ type: 1, id: 12, attributes: [{ format: 'TLV', type: 99, data: hex('0102030405') }, keyLengthAttribute(128), { format: 'TLV', type: 7, data: new Uint8Array(0) }] }] },
        ],
      },
    ]);
    expect(transformKeyLength({ type: 1, id: 12, attributes: [keyLengthAttribute(192)] })).toBe(192);
    expect(transformKeyLength({ type: 2, id: 2, attributes: [] })).toBeUndefined();
  });

  it('KE, IDi/IDr, AUTH, Nonce (16 and 256 bytes), Vendor ID, CERT, CERTREQ, CP, EAP', () => {
    roundTrip([
      { kind: 'KE', group: 2, data: bytes(prng, 128) },
      { kind: 'IDi', idType: 1, data: hex('cb007107') },
      { kind: 'IDr', idType: 2, data: new TextEncoder().encode('azure.example') },
      { kind: 'AUTH', method: 2, data: bytes(prng, 20) },
      { kind: 'Nonce', data: bytes(prng, 16) },
      { kind: 'Nonce', data: bytes(prng, 256) },
      { kind: 'VendorID', data: hex('882fe56d6fd20dbc2251613b2ebe5beb') },
      { kind: 'CERT', data: bytes(prng, 9) },
      { kind: 'CERTREQ', data: new Uint8Array(0) },
      { kind: 'CP', data: hex('01000000 0001 0000') },
      { kind: 'EAP', data: hex('01010005 01') },
    ]);
  });

  it('KE body: group, two reserved bytes, data', () => {
    const b = encodeMessage({ header: HEADER, payloads: [{ kind: 'KE', group: 14, data: hex('aabb') }] });
    expect(toHex(b.subarray(28))).toBe('0000000a000e0000aabb');
  });

  it('Notify with and without SPI, INVALID_KE_PAYLOAD with its group; Delete of ESP SPIs and of the IKE SA', () => {
    roundTrip([
      notifyPayload(NotifyType.INVALID_KE_PAYLOAD, hex('000e')),
      notifyPayload(NotifyType.REKEY_SA, undefined, 3, spi32Bytes(0xdeadbeef)),
      notifyPayload(40000, bytes(prng, 7), 1, ikeSpi(prng)),
      { kind: 'Delete', protocol: 3, spiSize: 4, spis: [spi32Bytes(0x100), spi32Bytes(0xffffffff)] },
      { kind: 'Delete', protocol: 1, spiSize: 0, spis: [] },
    ]);
    expect(spi32(spi32Bytes(0xc0ffee00))).toBe(0xc0ffee00);
    expect(spi32(new Uint8Array(8))).toBeNull();
  });

  it('TSi/TSr: IPv4 ranges (any, a subnet with a port, OPAQUE ports) and an IPv6 range kept raw', () => {
    roundTrip([
      { kind: 'TSi', selectors: [{ kind: 'ipv4-range', ipProtocol: 0, startPort: 0, endPort: 65535, startAddress: 0, endAddress: 0xffffffff }] },
      {
        kind: 'TSr',
        selectors: [
          { kind: 'ipv4-range', ipProtocol: 6, startPort: 443, endPort: 443, startAddress: 0x0a010000, endAddress: 0x0a01ffff },
          { kind: 'ipv4-range', ipProtocol: 17, startPort: 65535, endPort: 0, startAddress: 1, endAddress: 1 },
          { kind: 'raw', tsType: 8, ipProtocol: 0, data: bytes(prng, 36) },
        ],
      },
    ]);
  });

  it('unknown non-critical payloads are kept raw, in their place in the chain', () => {
    roundTrip([{ kind: 'Nonce', data: bytes(prng, 32) }, { kind: 'Unknown', type: 49, critical: false, data: hex('0102') }, { kind: 'Unknown', type: 200, critical: false, data: new Uint8Array(0) }]);
  });

  it('decoded bytes are plain copies: overwriting the Node Buffer they came from (a socket\'s) changes nothing', () => {
    const m: Ikev2Message = { header: HEADER, payloads: [{ kind: 'Nonce', data: bytes(prng, 16) }, notifyPayload(16388, bytes(prng, 20))] };
    const buf = Buffer.from(encodeMessage(m));
    const r = decodeMessage(buf);
    buf.fill(0);
    expect(r.ok ? r.value : r.error).toEqual(m);
  });

  it('an encoder refuses a payload that would not decode back to itself', () => {
    expect(() => encodeMessage({ header: HEADER, payloads: [{ kind: 'Unknown', type: 40, critical: false, data: new Uint8Array(16) }] })).toThrow(RangeError);
    expect(() => encodeMessage({ header: HEADER, payloads: [{ kind: 'Delete', protocol: 3, spiSize: 4, spis: [new Uint8Array(8)] }] })).toThrow(RangeError);
    expect(() => encodeMessage({ header: HEADER, payloads: [{ kind: 'TSi', selectors: [{ kind: 'raw', tsType: 7, ipProtocol: 0, data: new Uint8Array(12) }] }] })).toThrow(RangeError);
  });
});

describe('IKEv2 messages of ike-2016.md §1.1', () => {
  const messages = exchangeMessages(new Prng(2016, 'ikev2-exchanges'));

  it.each(messages.map((f) => [f.name, f] as const))('%s: decode(encode(m)) equals m, and the inner payloads too', (_name, f) => {
    const bytes = encodeMessage(f.message);
    const r = decodeMessage(bytes);
    expect(r.ok ? r.value : r.error).toEqual(f.message);
    expect(new DataView(bytes.buffer).getUint32(24)).toBe(bytes.length);
    if (f.inner) {
      const { firstInner, plaintext } = encodeInner(f.inner, 16);
      expect(plaintext.length % 16).toBe(0);
      const back = decodeInner(firstInner, plaintext);
      expect(back.ok ? back.value : back.error).toEqual(f.inner);
    }
  });

  it('summaries read as strongSwan logs them', () => {
    const lines = messages.map((f) => summarizeMessage(f.message, f.inner));
    expect(lines).toEqual([
      'IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]',
      'IKE_SA_INIT response 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]',
      'IKE_SA_INIT response 0 [ N(NO_PROP) ]',
      'IKE_SA_INIT response 0 [ N(INVAL_KE) ]',
      'IKE_AUTH request 1 [ IDi N(INIT_CONTACT) IDr AUTH SA TSi TSr ]',
      'IKE_AUTH response 1 [ IDr AUTH SA TSi TSr ]',
      'IKE_AUTH response 1 [ N(AUTH_FAILED) ]',
      'IKE_AUTH response 1 [ IDr AUTH N(TS_UNACCEPT) ]',
      'CREATE_CHILD_SA request 2 [ N(REKEY_SA) SA No KE TSi TSr ]',
      'CREATE_CHILD_SA request 3 [ SA No KE ]',
      'INFORMATIONAL request 4 [ D ]',
      'INFORMATIONAL request 5 [ D ]',
      'INFORMATIONAL response 0 [ ]',
    ]);
    expect(summarizeMessage(messages[4]!.message)).toBe('IKE_AUTH request 1 [ E ]');
    expect(summarizeMessage({ header: { ...HEADER, exchangeType: 99 }, payloads: [notifyPayload(12345), { kind: 'Unknown', type: 99, critical: false, data: new Uint8Array(0) }] })).toBe(
      '(99) request 7 [ N((12345)) UNKN(99) ]',
    );
  });

  it('names follow strongSwan and unnamed numbers print as (n)', () => {
    expect([exchangeName(36), notifyName(17), notifyName(38), payloadShortName(40), transformIdName(TransformType.DH, 2), transformIdName(TransformType.ENCR, 3)]).toEqual([
      'CREATE_CHILD_SA',
      'INVALID_KE_PAYLOAD',
      'TS_UNACCEPTABLE',
      'No',
      'MODP_1024',
      '3DES_CBC',
    ]);
    expect([notifyName(9999), transformIdName(9, 1)]).toEqual(['(9999)', '(1)']);
    expect([isErrorNotify(NotifyType.TS_UNACCEPTABLE), isErrorNotify(NotifyType.INITIAL_CONTACT)]).toEqual([true, false]);
  });
});

describe('IKEv2 chain rules', () => {
  it('an unknown payload with the critical bit set refuses the message, carrying its type', () => {
    const m: Ikev2Message = { header: HEADER, payloads: [{ kind: 'Nonce', data: bytes(prng, 16) }, { kind: 'Unknown', type: 99, critical: true, data: hex('00') }] };
    const r = decodeMessage(encodeMessage(m));
    expect(!r.ok && r.error).toMatchObject({ code: 'unsupported-critical-payload', payloadType: 99 });
    // The same inside an SK payload.
    const inner = encodeInner([{ kind: 'Unknown', type: 150, critical: true, data: new Uint8Array(0) }], 16);
    const ri = decodeInner(inner.firstInner, inner.plaintext);
    expect(!ri.ok && ri.error).toMatchObject({ code: 'unsupported-critical-payload', payloadType: 150 });
  });

  it('the critical bit of a known payload and the reserved bits are ignored', () => {
    // Nonce (40) with flags byte 0xff, 16 bytes of nonce.
    const r = decodeMessage(withChain(40, `00ff0014 ${'11'.repeat(16)}`));
    expect(r.ok && r.value.payloads).toEqual([{ kind: 'Nonce', data: new Uint8Array(16).fill(0x11) }]);
  });

  it('payload lengths: below 4 is bad-length, past the message is truncated, bytes after the last payload are bad-length', () => {
    expect(code(decodeMessage(withChain(43, '00000003')))).toBe('bad-length');
    expect(code(decodeMessage(withChain(43, '00000009 0102')))).toBe('truncated');
    expect(code(decodeMessage(withChain(43, '00000006 0102 ff')))).toBe('bad-length');
    // A chain that names a next payload where the message ends.
    expect(code(decodeMessage(withChain(43, '2b000006 0102')))).toBe('truncated');
    expect(code(decodeMessage(withChain(43, '00000006 0102')))).toBe('ok');
  });

  it('the SK payload must be last and not inside another', () => {
    expect(code(decodeMessage(withChain(46, '00000008 01020304 2b')))).toBe('bad-field');
    expect(code(decodeMessage(withChain(46, '00000008 01020304')))).toBe('ok');
    expect(code(decodeChain(46, hex('00000008 01020304'), false))).toBe('bad-field');
    expect(encodeChain([], { firstInner: 0, data: new Uint8Array(0) }).first).toBe(46);
  });

  it('a proposal with an SPI size its protocol does not allow is bad-spi', () => {
    const sa = (protocol: number, spi: Uint8Array): Uint8Array =>
      encodeMessage({ header: HEADER, payloads: [{ kind: 'SA', proposals: [{ number: 1, protocol, spi, transforms: [{ type: 1, id: 12, attributes: [] }] }] }] });
    expect(code(decodeMessage(sa(3, new Uint8Array(8))))).toBe('bad-spi');
    expect(code(decodeMessage(sa(2, new Uint8Array(0))))).toBe('bad-spi');
    expect(code(decodeMessage(sa(1, new Uint8Array(4))))).toBe('bad-spi');
    expect(code(decodeMessage(sa(1, new Uint8Array(8))))).toBe('ok');
    expect(code(decodeMessage(sa(3, new Uint8Array(4))))).toBe('ok');
    expect(code(decodeMessage(sa(9, new Uint8Array(2))))).toBe('ok');
  });

  it('proposal and transform structure: counts, Last Substruc, numbering, lengths', () => {
    const sa = (proposals: string): Uint8Array => {
      const body = hex(proposals);
      const generic = new Uint8Array(4);
      new DataView(generic.buffer).setUint16(2, 4 + body.length);
      return withChain(33, toHex(generic) + toHex(body));
    };
    const T = '00000008 01000003'; // last transform: ENCR 3DES
    expect(code(decodeMessage(sa(`0000 0010 01 01 00 01 ${T}`)))).toBe('ok');
    expect(code(decodeMessage(sa(`0000 0010 01 01 00 02 ${T}`)))).toBe('bad-field'); // says 2 transforms
    expect(code(decodeMessage(sa(`0200 0010 01 01 00 01 ${T}`)))).toBe('bad-field'); // says more proposals follow
    expect(code(decodeMessage(sa(`0000 0010 00 01 00 01 ${T}`)))).toBe('bad-field'); // proposal number 0
    expect(code(decodeMessage(sa(`0200 0010 02 01 00 01 ${T} 0000 0010 01 01 00 01 ${T}`)))).toBe('bad-field'); // 2 then 1
    expect(code(decodeMessage(sa(`0200 0010 01 01 00 01 ${T} 0000 0010 01 01 00 01 ${T}`)))).toBe('ok'); // 1 and 1: an AND
    expect(code(decodeMessage(sa(`0000 0010 01 01 00 01 03000008 01000003`)))).toBe('bad-field'); // transform says more follow
    expect(code(decodeMessage(sa(`0000 0010 01 01 00 01 00000007 01000003`)))).toBe('bad-length');
    expect(code(decodeMessage(sa(`0000 0011 01 01 00 01 ${T}`)))).toBe('truncated');
    expect(code(decodeMessage(sa(`0000 0007 01 01 00 00`)))).toBe('bad-length');
    expect(code(decodeMessage(sa(`0000 0012 01 01 00 01 0000000a 01000003 0001`)))).toBe('truncated'); // TLV attribute header cut
    expect(code(decodeMessage(sa(`0000 0014 01 01 00 01 0000000c 01000003 00010009`)))).toBe('truncated'); // TLV value missing
  });

  it('nonce bounds, notify protocol, delete SPI sizes and counts', () => {
    expect(code(decodeMessage(withChain(40, `00000013 ${'00'.repeat(15)}`)))).toBe('bad-length');
    expect(code(decodeMessage(withChain(40, `00000105 ${'00'.repeat(257)}`)))).toBe('bad-length');
    expect(code(decodeMessage(withChain(41, '00000008 04000004')))).toBe('bad-field');
    expect(code(decodeMessage(withChain(41, '00000008 03040004')))).toBe('truncated');
    expect(code(decodeMessage(withChain(42, '0000000c 03080001 00000100')))).toBe('bad-spi');
    expect(code(decodeMessage(withChain(42, '0000000c 03040002 00000100')))).toBe('bad-length');
    expect(code(decodeMessage(withChain(42, '00000008 01040000')))).toBe('bad-spi');
    expect(code(decodeMessage(withChain(42, '00000008 05000000')))).toBe('bad-field');
    expect(code(decodeMessage(withChain(34, '00000007 000200')))).toBe('truncated');
  });

  it('traffic selectors: IPv4 range length, backwards ports, count', () => {
    const ts = (body: string): string => {
      const b = hex(body);
      return `0000${(4 + b.length).toString(16).padStart(4, '0')}${toHex(b)}`;
    };
    expect(code(decodeMessage(withChain(44, ts('01000000 07000010 0000ffff 00000000 ffffffff'))))).toBe('ok');
    expect(code(decodeMessage(withChain(44, ts('01000000 07000014 0000ffff 00000000 ffffffff 00000000'))))).toBe('bad-length');
    expect(code(decodeMessage(withChain(44, ts('01000000 07000010 00500040 00000000 ffffffff'))))).toBe('bad-field');
    expect(code(decodeMessage(withChain(44, ts('02000000 07000010 0000ffff 00000000 ffffffff'))))).toBe('bad-field');
    expect(code(decodeMessage(withChain(44, ts('01000000 07000003'))))).toBe('bad-length');
    expect(code(decodeMessage(withChain(44, ts('010000'))))).toBe('truncated');
  });
});

describe('IKEv2 SK payload layout', () => {
  const inner: Ikev2Payload[] = [{ kind: 'IDi', idType: 1, data: hex('0a000001') }, { kind: 'AUTH', method: 2, data: bytes(prng, 20) }];

  it('lays out header, SK header, IV, ciphertext and ICV room with the length counting the ICV, and splits it back', () => {
    const { firstInner, plaintext } = encodeInner(inner, 16);
    const iv = bytes(prng, 16);
    const ciphertext = bytes(prng, plaintext.length);
    const laid = encodeEncrypted(HEADER, [], firstInner, iv, ciphertext, 12);
    const total = 28 + 4 + 16 + ciphertext.length + 12;
    expect(laid.bytes.length).toBe(total);
    expect(new DataView(laid.bytes.buffer).getUint32(24)).toBe(total);
    expect(laid.bytes[16]).toBe(46);
    expect(laid.bytes[28]).toBe(35); // SK's Next Payload: IDi
    expect(new DataView(laid.bytes.buffer).getUint16(30)).toBe(total - 28);
    expect(laid.layout).toEqual({
      iv: [32, 48],
      ciphertext: [48, 48 + ciphertext.length],
      icv: [48 + ciphertext.length, total],
      integrity: [0, 48 + ciphertext.length],
      associatedData: [0, 32],
    });
    expect(toHex(laid.bytes.subarray(...laid.layout.icv))).toBe('00'.repeat(12));
    const icv = bytes(prng, 12);
    laid.bytes.set(icv, laid.layout.icv[0]);
    const s = splitEncrypted(laid.bytes, { ivLength: 16, icvLength: 12, blockSize: 16 });
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(s.value.layout).toEqual(laid.layout);
    expect([toHex(s.value.iv), toHex(s.value.ciphertext), toHex(s.value.icv)]).toEqual([toHex(iv), toHex(ciphertext), toHex(icv)]);
    expect(s.value.firstInner).toBe(35);
    expect(s.value.message.header).toEqual(HEADER);
  });

  it('layoutEncrypted gives the associated data before the ciphertext exists, after clear payloads', () => {
    const clear: Ikev2Payload[] = [{ kind: 'VendorID', data: hex('01020304') }];
    const laid = layoutEncrypted(HEADER, clear, 41, { ivLength: 8, ciphertextLength: 13, icvLength: 16 });
    expect(laid.layout.associatedData).toEqual([0, 28 + 8 + 4]);
    expect(laid.bytes[16]).toBe(43);
    expect(laid.bytes[28]).toBe(46); // the vendor ID's next payload is SK
    const r = decodeMessage(laid.bytes);
    expect(r.ok && r.value.payloads).toEqual(clear);
  });

  it('refuses SK contents too short for IV + ciphertext + ICV, a ciphertext off the block, a message without SK', () => {
    const sizes = { ivLength: 16, icvLength: 12, blockSize: 16 };
    const short = encodeEncrypted(HEADER, [], 0, new Uint8Array(16), new Uint8Array(0), 12).bytes;
    expect(code(splitEncrypted(short, sizes))).toBe('bad-length');
    const offBlock = encodeEncrypted(HEADER, [], 0, new Uint8Array(16), new Uint8Array(17), 12).bytes;
    expect(code(splitEncrypted(offBlock, sizes))).toBe('bad-length');
    expect(code(splitEncrypted(offBlock, { ...sizes, blockSize: 1 }))).toBe('ok');
    expect(code(splitEncrypted(encodeMessage({ header: HEADER, payloads: [] }), sizes))).toBe('bad-type');
  });

  it('inner plaintext: the shortest zero padding to the block, Pad Length last; a Pad Length past the start is refused', () => {
    for (const bs of [1, 4, 8, 16]) {
      const { firstInner, plaintext } = encodeInner(inner, bs);
      const chainLength = encodeChain(inner).bytes.length;
      expect(plaintext.length % bs).toBe(0);
      expect(plaintext.length - chainLength - 1).toBe(plaintext[plaintext.length - 1]);
      expect(plaintext[plaintext.length - 1]).toBeLessThan(bs);
      expect(code(decodeInner(firstInner, plaintext))).toBe('ok');
    }
    const empty = encodeInner([], 16);
    expect(empty.firstInner).toBe(0);
    expect(toHex(empty.plaintext)).toBe(`${'00'.repeat(15)}0f`);
    expect(code(decodeInner(0, empty.plaintext))).toBe('ok');
    expect(code(decodeInner(0, hex('0010')))).toBe('bad-length');
    expect(code(decodeInner(0, new Uint8Array(0)))).toBe('truncated');
    // Bytes between the last inner payload and the padding.
    expect(code(decodeInner(0, hex('ee00')))).toBe('bad-length');
  });
});
