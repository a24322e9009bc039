/**
 * The SA payload body: Azure's phase-1 and Quick Mode SAs against bytes assembled by hand from
 * RFC 2408 §3.4-3.6 and RFC 2407 §4.5 (the lifetimes' TV `80 02 0e 10` and TLV
 * `00 02 00 04 06 1a 80 00` are ike-2016.md §2.2's, which tshark decoded), how attributes pick
 * TV or TLV, and each refusal strongSwan's verify methods make.
 */
import { describe, expect, it } from 'vitest';
import {
  attribute,
  attributeNumber,
  decodeSaBody,
  encodeSaBody,
  findAttribute,
  IpsecAttribute,
  tlv,
  tv,
  type SaBody,
} from '../../sim/wire/isakmp.js';
import { hex, toHex } from './hex.js';
import { azurePhase1Sa, azureQuickModeSa } from './isakmp-shapes.js';

// DOI 1, situation 1 | proposal: last, len 44, #1, ISAKMP, SPI size 0, 1 transform |
// transform: last, len 36, #1, KEY_IKE | AES-CBC, key length 256, SHA, PSK, group 2, seconds, 28800.
const AZURE_PHASE1_SA_BODY = `
  00000001 00000001
  00 00 002c 01 01 00 01
  00 00 0024 01 01 0000
  80010007 800e0100 80020002 80030001 80040002 800b0001 800c7080`;

// DOI 1, situation 1 | proposal: last, len 52, #1, ESP, SPI size 4, 1 transform, SPI |
// transform: last, len 40, #1, ESP_AES (12) | seconds, 3600, kilobytes, 102400000 (TLV),
// tunnel, HMAC-SHA, key length 256.
const AZURE_QM_SA_BODY = `
  00000001 00000001
  00 00 0034 01 03 04 01 c0ffee01
  00 00 0028 01 0c 0000
  80010001 80020e10 80010002 00020004061a8000 80040001 80050002 80060100`;

function refused(body: Uint8Array): string {
  const r = decodeSaBody(body);
  return r.ok ? 'ok' : r.error.code;
}

describe('SA payload body', () => {
  it("Azure's phase-1 SA encodes to the hand-assembled bytes and decodes back", () => {
    const { kind: _kind, ...body } = azurePhase1Sa();
    expect(toHex(encodeSaBody(body))).toBe(toHex(hex(AZURE_PHASE1_SA_BODY)));
    expect(decodeSaBody(hex(AZURE_PHASE1_SA_BODY))).toEqual({ ok: true, value: body });
  });

  it("Azure's Quick Mode SA carries 102,400,000 KB as a 4-byte TLV", () => {
    const { kind: _kind, ...body } = azureQuickModeSa(hex('c0ffee01'));
    expect(toHex(encodeSaBody(body))).toBe(toHex(hex(AZURE_QM_SA_BODY)));
    const r = decodeSaBody(hex(AZURE_QM_SA_BODY));
    expect(r).toEqual({ ok: true, value: body });
    if (!r.ok) return;
    const attrs = r.value.proposals[0]!.transforms[0]!.attributes;
    expect(attrs[3]).toEqual(tlv(IpsecAttribute.SA_LIFE_DURATION, hex('061a8000')));
    expect(attrs.map(attributeNumber)).toEqual([1, 3600, 2, 102_400_000, 1, 2, 256]);
    expect(findAttribute(attrs, IpsecAttribute.ENCAPSULATION_MODE)).toEqual(tv(4, 1));
  });

  it('several proposals and transforms (offers in order) round-trip', () => {
    const sa: SaBody = {
      doi: 1,
      situation: 1,
      proposals: [
        { number: 1, protocol: 3, spi: hex('00000101'), transforms: [
          { number: 1, id: 12, attributes: [attribute(6, 256), attribute(5, 2)] },
          { number: 2, id: 12, attributes: [attribute(6, 128), attribute(5, 2)] },
          { number: 3, id: 3, attributes: [attribute(5, 1)] },
        ] },
        { number: 2, protocol: 3, spi: hex('00000102'), transforms: [{ number: 1, id: 11, attributes: [] }] },
        { number: 2, protocol: 2, spi: hex('00000103'), transforms: [{ number: 1, id: 3, attributes: [] }] },
      ],
    };
    expect(decodeSaBody(encodeSaBody(sa))).toEqual({ ok: true, value: sa });
  });

  it('keeps non-canonical attribute forms as they came (a 4-byte TLV for a small value, a TV for a large type)', () => {
    const body = hex('00000001 00000001 0000001c 01010001 00000014 01010000 000c0004 00007080 8fff0001');
    const r = decodeSaBody(body);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [life, big] = r.value.proposals[0]!.transforms[0]!.attributes;
    expect(life).toEqual(tlv(12, hex('00007080')));
    expect(attributeNumber(life!)).toBe(28_800);
    expect(big).toEqual(tv(0x0fff, 1));
    expect(toHex(encodeSaBody(r.value))).toBe(toHex(body));
  });
});

describe('attributes', () => {
  it('attribute() picks TV up to 65535, a 4-byte TLV up to 2^32 - 1, then 8 bytes (as strongSwan builds them)', () => {
    expect(attribute(2, 3600)).toEqual(tv(2, 3600));
    expect(attribute(2, 65535)).toEqual(tv(2, 65535));
    expect(attribute(2, 65536)).toEqual(tlv(2, hex('00010000')));
    expect(attribute(2, 102_400_000)).toEqual(tlv(2, hex('061a8000')));
    expect(attribute(2, 0xffffffff)).toEqual(tlv(2, hex('ffffffff')));
    expect(attribute(2, 2 ** 32)).toEqual(tlv(2, hex('0000000100000000')));
    expect(() => attribute(2, -1)).toThrow(RangeError);
    expect(() => attribute(2, 1.5)).toThrow(RangeError);
  });

  it('attributeNumber reads TLVs big-endian, and gives null for nothing or too much', () => {
    expect(attributeNumber(tlv(2, hex('00000e10')))).toBe(3600);
    expect(attributeNumber(tlv(2, hex('0000000100000000')))).toBe(2 ** 32);
    expect(attributeNumber(tlv(2, new Uint8Array(0)))).toBeNull();
    expect(attributeNumber(tlv(2, hex('ffffffffffffffff')))).toBeNull();
  });

  it('refuses to encode a type that needs the AF bit, or a TV value over 16 bits', () => {
    const sa = (a: ReturnType<typeof tv>): SaBody => ({ doi: 1, situation: 1, proposals: [{ number: 1, protocol: 1, spi: new Uint8Array(0), transforms: [{ number: 1, id: 1, attributes: [a] }] }] });
    expect(() => encodeSaBody(sa(tv(0x8000, 1)))).toThrow(RangeError);
    expect(() => encodeSaBody(sa(tv(1, 0x10000)))).toThrow(RangeError);
  });
});

describe('refusals (strongSwan proposal_substructure.c, transform_substructure.c, sa_payload.c)', () => {
  const phase1 = (): Uint8Array => hex(AZURE_PHASE1_SA_BODY);

  it('a proposal or transform whose Next Payload is neither "more of the same" nor 0', () => {
    const p = phase1();
    p[8] = 5;
    expect(refused(p)).toBe('bad-type');
    const t = phase1();
    t[16] = 2;
    expect(refused(t)).toBe('bad-type');
  });

  it('a transform count that differs from the transforms held', () => {
    const b = phase1();
    b[15] = 2;
    expect(refused(b)).toBe('bad-field');
  });

  it('an ESP SPI that is not 4 bytes, an ISAKMP SPI over 16', () => {
    const esp = hex(AZURE_QM_SA_BODY);
    esp[14] = 3;
    expect(refused(esp)).toBe('bad-spi');
    const isakmp = phase1();
    isakmp[14] = 17;
    expect(refused(isakmp)).toBe('bad-spi');
    // 16 is allowed (RFC 2409 §3.5: 0 to 16), 17 cannot be encoded.
    const { kind: _kind, ...body } = azurePhase1Sa();
    const cookies = { ...body, proposals: [{ ...body.proposals[0]!, spi: hex('0102030405060708 1112131415161718') }] };
    expect(decodeSaBody(encodeSaBody(cookies))).toEqual({ ok: true, value: cookies });
    expect(() => encodeSaBody({ ...cookies, proposals: [{ ...cookies.proposals[0]!, spi: new Uint8Array(17) }] })).toThrow(RangeError);
  });

  it('lengths below the fixed parts, beyond the container, or that leave bytes over', () => {
    const p = phase1();
    p[11] = 7; // proposal length 7
    expect(refused(p)).toBe('bad-length');
    const t = phase1();
    t[19] = 7; // transform length 7
    expect(refused(t)).toBe('bad-length');
    const long = phase1();
    long[11] = 0x2d; // proposal claims one byte more than the SA holds
    expect(refused(long)).toBe('truncated');
    const tlvOut = hex('00000001 00000001 00000014 01010001 0000000c 01010000 000c0008');
    expect(refused(tlvOut)).toBe('truncated');
    const partial = hex('00000001 00000001 00000014 01010001 0000000c 01010000 8001');
    expect(refused(partial)).toBe('truncated');
  });

  it('proposal numbers that go down', () => {
    const sa: SaBody = {
      doi: 1,
      situation: 1,
      proposals: [
        { number: 2, protocol: 3, spi: hex('00000101'), transforms: [{ number: 1, id: 12, attributes: [] }] },
        { number: 1, protocol: 3, spi: hex('00000102'), transforms: [{ number: 1, id: 12, attributes: [] }] },
      ],
    };
    expect(() => encodeSaBody(sa)).toThrow(RangeError);
    const bytes = encodeSaBody({ ...sa, proposals: [sa.proposals[1]!, sa.proposals[0]!] });
    bytes[12] = 2; // first proposal number 2
    bytes[12 + 20] = 1; // second proposal number 1
    expect(refused(bytes)).toBe('bad-field');
  });

  it('a body too short for DOI and situation', () => {
    expect(refused(hex('00000001 000000'))).toBe('truncated');
  });
});
