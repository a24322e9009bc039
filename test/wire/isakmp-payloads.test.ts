/**
 * Payload bodies and the payload chain: every payload kind round-trips; ID, Notification and
 * Delete against bytes written by hand from RFC 2407 §4.6.2 and RFC 2408 §3.14-3.15; each
 * refusal strongSwan's verify methods make; unknown payload types kept, as strongSwan keeps them;
 * vendor IDs named, checked against the MD5 digests they are defined as (RFC 3947 §3.1 and the
 * strings strongSwan's isakmp_vendor.c names).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodePayloadBody,
  decodePayloads,
  encodePayloadBody,
  encodePayloads,
  KNOWN_VENDOR_IDS,
  vendorIdBytes,
  vendorIdName,
  walkPayloads,
  type IsakmpPayload,
} from '../../sim/wire/isakmp.js';
import { hex, ip, toHex } from './hex.js';
import { azurePhase1Sa } from './isakmp-shapes.js';

const EVERY_KIND: IsakmpPayload[] = [
  azurePhase1Sa(3),
  { kind: 'ke', data: new Uint8Array(128).fill(0x11) },
  { kind: 'id', protocol: 17, port: 500, identity: { kind: 'ipv4', address: ip('203.0.113.10') } },
  { kind: 'id', protocol: 0, port: 0, identity: { kind: 'ipv4-subnet', address: ip('10.1.0.0'), mask: 0xffff0000 } },
  { kind: 'id', protocol: 6, port: 443, identity: { kind: 'ipv4-range', start: ip('10.1.0.10'), end: ip('10.1.0.20') } },
  { kind: 'id', protocol: 17, port: 500, identity: { kind: 'fqdn', name: 'vpn.contoso.example' } },
  { kind: 'id', protocol: 17, port: 500, identity: { kind: 'user-fqdn', name: 'admin@contoso.example' } },
  { kind: 'id', protocol: 0, port: 0, identity: { kind: 'other', idType: 5, data: new Uint8Array(16).fill(0x20) } },
  { kind: 'id', protocol: 0, port: 0, identity: { kind: 'other', idType: 11, data: hex('6b6579') } },
  { kind: 'hash', data: new Uint8Array(20).fill(0x33) },
  { kind: 'nonce', data: new Uint8Array(8).fill(0x44) },
  { kind: 'nonce', data: new Uint8Array(256).fill(0x45) },
  { kind: 'notify', doi: 1, protocol: 3, spi: hex('c0ffee01'), notifyType: 18, data: new Uint8Array(0) },
  { kind: 'notify', doi: 1, protocol: 1, spi: new Uint8Array(16).fill(9), notifyType: 36136, data: hex('00000001') },
  { kind: 'notify', doi: 0, protocol: 0, spi: new Uint8Array(0), notifyType: 14, data: new Uint8Array(0) },
  { kind: 'delete', doi: 1, protocol: 3, spiSize: 4, spis: [hex('c0ffee01'), hex('c0ffee02')] },
  { kind: 'delete', doi: 1, protocol: 1, spiSize: 16, spis: [new Uint8Array(16).fill(7)] },
  { kind: 'delete', doi: 1, protocol: 3, spiSize: 4, spis: [] },
  { kind: 'vendor-id', data: hex('4a131c81070358455c5728f20e95452f') },
  { kind: 'nat-d', hash: new Uint8Array(20).fill(0x55) },
  { kind: 'unknown', payloadType: 6, body: hex('04 3082') },
  { kind: 'unknown', payloadType: 99, body: new Uint8Array(0) },
];

function code(type: number, body: Uint8Array): string {
  const r = decodePayloadBody(type, body);
  return r.ok ? 'ok' : r.error.code;
}

describe('payload bodies', () => {
  it('every kind round-trips, alone and chained in one message', () => {
    for (const p of EVERY_KIND) {
      const type = p.kind === 'unknown' ? p.payloadType : { sa: 1, ke: 4, id: 5, hash: 8, nonce: 10, notify: 11, delete: 12, 'vendor-id': 13, 'nat-d': 20 }[p.kind];
      expect(decodePayloadBody(type, encodePayloadBody(p)), JSON.stringify(p.kind)).toEqual({ ok: true, value: p });
    }
    const chain = encodePayloads(EVERY_KIND);
    expect(decodePayloads(chain, 1)).toEqual({ ok: true, value: { payloads: EVERY_KIND, trailing: 0 } });
  });

  it('ID payloads match RFC 2407 §4.6.2 byte for byte', () => {
    const [, , phase1, proxy] = EVERY_KIND;
    // ID type 1, protocol 17, port 500, 203.0.113.10
    expect(toHex(encodePayloadBody(phase1!))).toBe('011101f4cb00710a');
    // ID type 4, protocol 0, port 0, 10.1.0.0, 255.255.0.0
    expect(toHex(encodePayloadBody(proxy!))).toBe('040000000a010000ffff0000');
  });

  it('Notification and Delete match RFC 2408 §3.14 and §3.15 byte for byte', () => {
    // DOI 1, protocol ESP, SPI size 4, type 18 (INVALID-ID-INFORMATION), SPI
    expect(toHex(encodePayloadBody(EVERY_KIND[12]!))).toBe('0000000103040012c0ffee01');
    // DOI 1, protocol ESP, SPI size 4, 2 SPIs, the SPIs
    expect(toHex(encodePayloadBody(EVERY_KIND[15]!))).toBe('00000001030400 02c0ffee01c0ffee02'.replace(/ /g, ''));
  });

  it('FQDN names are their bytes: any byte value survives the round trip', () => {
    const body = hex('02 11 01f4 76706e e9 ff 00');
    const r = decodePayloadBody(5, body);
    expect(r.ok && r.value.kind === 'id' && r.value.identity).toEqual({ kind: 'fqdn', name: 'vpn\u00e9\u00ff\u0000' });
    if (r.ok) expect(toHex(encodePayloadBody(r.value))).toBe(toHex(body));
    expect(() => encodePayloadBody({ kind: 'id', protocol: 0, port: 0, identity: { kind: 'fqdn', name: 'vpn\u0100' } })).toThrow(RangeError);
  });
});

describe('refusals (strongSwan payload verify methods)', () => {
  it('nonces outside 8..256 bytes', () => {
    expect(code(10, new Uint8Array(7))).toBe('bad-length');
    expect(code(10, new Uint8Array(257))).toBe('bad-length');
    expect(() => encodePayloadBody({ kind: 'nonce', data: new Uint8Array(7) })).toThrow(RangeError);
  });

  it('ID data of the wrong size for its type, and an ID body shorter than its fixed part', () => {
    expect(code(5, hex('01 11 01f4 cb0071'))).toBe('bad-length');
    expect(code(5, hex('04 00 0000 0a010000 ffff00'))).toBe('bad-length');
    expect(code(5, hex('07 00 0000 0a010000'))).toBe('bad-length');
    expect(code(5, hex('01 11 01'))).toBe('truncated');
  });

  it('notifications for protocols other than none, ISAKMP, AH, ESP; SPIs longer than the body', () => {
    expect(code(11, hex('00000001 04 00 000e'))).toBe('bad-field');
    expect(code(11, hex('00000001 03 04 0012 c0ffee'))).toBe('truncated');
    expect(code(11, hex('00000001 03 04 00'))).toBe('truncated');
  });

  it('deletes whose SPI size does not suit the protocol, or whose SPIs do not fill the body', () => {
    expect(code(12, hex('00000001 03 10 0001'))).toBe('bad-spi'); // ESP with 16-byte SPIs
    expect(code(12, hex('00000001 01 04 0001 c0ffee01'))).toBe('bad-spi'); // ISAKMP with 4
    expect(code(12, hex('00000001 04 02 0001 0102'))).toBe('bad-field'); // IPCOMP
    expect(code(12, hex('00000001 03 04 0002 c0ffee01'))).toBe('truncated');
    expect(code(12, hex('00000001 03 04 0001 c0ffee01 00'))).toBe('bad-length');
    expect(() => encodePayloadBody({ kind: 'delete', doi: 1, protocol: 3, spiSize: 16, spis: [] })).toThrow(RangeError);
    expect(() => encodePayloadBody({ kind: 'delete', doi: 1, protocol: 3, spiSize: 4, spis: [new Uint8Array(3)] })).toThrow(RangeError);
  });

  it('a proposal or transform in the chain, outside an SA', () => {
    expect(code(2, new Uint8Array(8))).toBe('bad-type');
    expect(code(3, new Uint8Array(8))).toBe('bad-type');
  });

  it('encoders refuse unknown payloads and "other" identities that a decoder would call something else', () => {
    expect(() => encodePayloadBody({ kind: 'unknown', payloadType: 8, body: new Uint8Array(0) })).toThrow(RangeError);
    expect(() => encodePayloadBody({ kind: 'unknown', payloadType: 2, body: new Uint8Array(0) })).toThrow(RangeError);
    expect(() => encodePayloadBody({ kind: 'id', protocol: 0, port: 0, identity: { kind: 'other', idType: 4, data: new Uint8Array(8) } })).toThrow(RangeError);
  });
});

describe('the payload chain', () => {
  it('keeps payload types it does not decode, as strongSwan does in IKEv1 (no critical bit)', () => {
    // CERT (6) with 3 bytes, then type 200 with none, then HASH.
    const chain = hex('c8 00 0007 040102 08 00 0004 00 00 0008 01020304');
    const r = decodePayloads(chain, 6);
    expect(r).toEqual({
      ok: true,
      value: {
        payloads: [
          { kind: 'unknown', payloadType: 6, body: hex('040102') },
          { kind: 'unknown', payloadType: 200, body: new Uint8Array(0) },
          { kind: 'hash', data: hex('01020304') },
        ],
        trailing: 0,
      },
    });
  });

  it('refuses a payload length below 4 or beyond the bytes; counts bytes after the last payload', () => {
    const r = walkPayloads(hex('08 00 0003'), 8);
    expect(r.ok ? 'ok' : r.error.code).toBe('bad-length');
    const beyond = walkPayloads(hex('00 00 0009 01020304'), 8);
    expect(beyond.ok ? 'ok' : beyond.error).toMatchObject({ code: 'truncated', need: 9, have: 8 });
    const padded = decodePayloads(hex('00 00 0008 01020304 000000000000000000000003'), 8);
    expect(padded.ok && padded.value.trailing).toBe(12);
    expect(walkPayloads(new Uint8Array(0), 0)).toEqual({ ok: true, value: { payloads: [], end: 0 } });
  });
});

describe('vendor IDs', () => {
  const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

  it('are the MD5 digests they are defined as', () => {
    const hexOf = (name: string): string => toHex(vendorIdBytes(name)!);
    expect(hexOf('NAT-T (RFC 3947)')).toBe(md5('RFC 3947'));
    expect(hexOf('draft-ietf-ipsec-nat-t-ike-03')).toBe(md5('draft-ietf-ipsec-nat-t-ike-03'));
    expect(hexOf('draft-ietf-ipsec-nat-t-ike-02')).toBe(md5('draft-ietf-ipsec-nat-t-ike-02'));
    expect(hexOf('draft-ietf-ipsec-nat-t-ike-02\\n')).toBe(md5('draft-ietf-ipsec-nat-t-ike-02\n'));
    expect(hexOf('XAuth')).toBe(md5('draft-ietf-ipsra-isakmp-xauth-06.txt').slice(0, 16));
    expect(hexOf('strongSwan')).toBe(md5('strongSwan'));
    expect(hexOf('Cisco Unity')).toBe(md5('CISCO-UNITY').slice(0, 28));
    expect(hexOf('FRAGMENTATION')).toBe(md5('FRAGMENTATION'));
    expect(hexOf('MS NT5 ISAKMPOAKLEY')).toBe(md5('MS NT5 ISAKMPOAKLEY'));
    expect(hexOf('KAME/racoon')).toBe(md5('KAME/racoon'));
    expect(hexOf('DPD')).toBe('afcad71368a1f1c96b8696fc77570100'); // RFC 3706 §5.1 gives the bytes
  });

  it('are named exactly, or by prefix when peers append a version', () => {
    for (const v of KNOWN_VENDOR_IDS) expect(vendorIdName(hex(v.hex)), v.name).toBe(v.name);
    expect(vendorIdName(hex('1e2b516905991c7d7c96fcbfb587e461 00000009'))).toBe('MS NT5 ISAKMPOAKLEY');
    expect(vendorIdName(hex('12f5f28c457168a9702d9fe274cc 0100'))).toBe('Cisco Unity');
    // An exact ID with something appended is not that ID; a cut one is nothing.
    expect(vendorIdName(hex('4a131c81070358455c5728f20e95452f 00'))).toBeNull();
    expect(vendorIdName(hex('4a131c81070358455c5728f20e9545'))).toBeNull();
    expect(vendorIdName(new Uint8Array(0))).toBeNull();
  });

  it('hands out new arrays', () => {
    const a = vendorIdBytes('DPD')!;
    a[0] = 0;
    expect(toHex(vendorIdBytes('DPD')!)).toBe('afcad71368a1f1c96b8696fc77570100');
    expect(vendorIdBytes('no such vendor')).toBeNull();
  });
});
