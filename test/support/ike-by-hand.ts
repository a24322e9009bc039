/**
 * Test support: just enough IKE decoding, written from RFC 7296 §3 and RFC 2408 §3 / RFC
 * 2409 Appendix A, to check the bytes a real charon sends without using the simulator's own
 * codecs (tests that check those codecs need a decoder that is not them).
 *
 * Owns: the common ISAKMP/IKEv2 header (28 bytes), the generic payload chain, IKEv2 SA
 * proposals and transforms (with the key length attribute), IKEv1 SA payloads (DOI,
 * situation, proposals, transforms with their TV and TLV attributes).
 * Refuses malformed bytes by throwing with the offset: it reads only what a test hands it
 * from charon, and a malformed message is a failed test, not a value to handle.
 */

export interface IkeHeader {
  readonly spiI: Uint8Array;
  readonly spiR: Uint8Array;
  readonly nextPayload: number;
  /** Major version in the high nibble: 0x20 for IKEv2, 0x10 for IKEv1. */
  readonly version: number;
  readonly exchangeType: number;
  readonly flags: number;
  readonly messageId: number;
  readonly length: number;
}

export interface RawPayload {
  readonly type: number;
  readonly critical: boolean;
  /** The payload after its 4-byte generic header. */
  readonly body: Uint8Array;
}

export interface Ikev2Transform {
  readonly type: number;
  readonly id: number;
  /** Attribute 14 (Key Length) in bits, when present. */
  readonly keyLength: number | null;
}

export interface Ikev2Proposal {
  readonly number: number;
  readonly protocol: number;
  readonly spi: Uint8Array;
  readonly transforms: readonly Ikev2Transform[];
}

/** An IKEv1 data attribute: TV (af = true, 16-bit value) or TLV (value bytes). */
export interface Ikev1Attribute {
  readonly type: number;
  readonly value: number | Uint8Array;
}

export interface Ikev1Transform {
  readonly number: number;
  readonly id: number;
  readonly attributes: readonly Ikev1Attribute[];
}

export interface Ikev1Proposal {
  readonly number: number;
  readonly protocol: number;
  readonly spi: Uint8Array;
  readonly transforms: readonly Ikev1Transform[];
}

export interface Ikev1Sa {
  readonly doi: number;
  readonly situation: number;
  readonly proposals: readonly Ikev1Proposal[];
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function need(b: Uint8Array, end: number, what: string): void {
  if (end > b.length) throw new Error(`${what}: needs ${end} bytes, has ${b.length}`);
}

export function ikeHeader(msg: Uint8Array): IkeHeader {
  need(msg, 28, 'IKE header');
  const v = view(msg);
  const length = v.getUint32(24);
  if (length !== msg.length) throw new Error(`IKE header: length field ${length}, datagram ${msg.length}`);
  return {
    spiI: msg.slice(0, 8),
    spiR: msg.slice(8, 16),
    nextPayload: msg[16]!,
    version: msg[17]!,
    exchangeType: msg[18]!,
    flags: msg[19]!,
    messageId: v.getUint32(20),
    length,
  };
}

/** The payload chain after the header; IKEv1 and IKEv2 share the generic header. */
export function payloadChain(msg: Uint8Array): RawPayload[] {
  const out: RawPayload[] = [];
  let type = ikeHeader(msg).nextPayload;
  let at = 28;
  while (type !== 0) {
    need(msg, at + 4, `payload ${type} header at ${at}`);
    const len = view(msg).getUint16(at + 2);
    if (len < 4) throw new Error(`payload ${type} at ${at}: length ${len}`);
    need(msg, at + len, `payload ${type} at ${at}`);
    out.push({ type, critical: (msg[at + 1]! & 0x80) !== 0, body: msg.slice(at + 4, at + len) });
    type = msg[at]!;
    at += len;
  }
  if (at !== msg.length) throw new Error(`payload chain ends at ${at}, message has ${msg.length} bytes`);
  return out;
}

/** The substructures of a proposal or transform list: [last-or-more byte, body] each. */
function substructures(b: Uint8Array, more: number, what: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (;;) {
    need(b, at + 4, `${what} at ${at}`);
    const len = view(b).getUint16(at + 2);
    if (len < 8) throw new Error(`${what} at ${at}: length ${len}`);
    need(b, at + len, `${what} at ${at}`);
    out.push(b.slice(at, at + len));
    const flag = b[at]!;
    at += len;
    if (flag === 0) break;
    if (flag !== more) throw new Error(`${what} at ${at - len}: "more" byte ${flag}, expected 0 or ${more}`);
  }
  if (at !== b.length) throw new Error(`${what}: ${b.length - at} bytes after the last one`);
  return out;
}

/** IKEv2 SA payload body (RFC 7296 §3.3). */
export function ikev2Proposals(saBody: Uint8Array): Ikev2Proposal[] {
  return substructures(saBody, 2, 'IKEv2 proposal').map((p) => {
    const spiSize = p[6]!;
    const count = p[7]!;
    need(p, 8 + spiSize, 'IKEv2 proposal SPI');
    const transforms = substructures(p.slice(8 + spiSize), 3, 'IKEv2 transform').map((t): Ikev2Transform => {
      let keyLength: number | null = null;
      for (const a of ikev1Attributes(t.slice(8))) {
        if (a.type === 14 && typeof a.value === 'number') keyLength = a.value;
      }
      return { type: t[4]!, id: view(t).getUint16(6), keyLength };
    });
    if (transforms.length !== count) throw new Error(`IKEv2 proposal ${p[4]}: says ${count} transforms, has ${transforms.length}`);
    return { number: p[4]!, protocol: p[5]!, spi: p.slice(8, 8 + spiSize), transforms };
  });
}

/** Data attributes (RFC 2408 §3.3, the same layout in IKEv2 transforms). */
export function ikev1Attributes(b: Uint8Array): Ikev1Attribute[] {
  const out: Ikev1Attribute[] = [];
  let at = 0;
  while (at < b.length) {
    need(b, at + 4, `attribute at ${at}`);
    const word = view(b).getUint16(at);
    const second = view(b).getUint16(at + 2);
    if (word & 0x8000) {
      out.push({ type: word & 0x7fff, value: second });
      at += 4;
    } else {
      need(b, at + 4 + second, `TLV attribute ${word} at ${at}`);
      out.push({ type: word, value: b.slice(at + 4, at + 4 + second) });
      at += 4 + second;
    }
  }
  return out;
}

/** IKEv1 SA payload body with the IPsec DOI (RFC 2407 §4.6.1, RFC 2408 §3.4–3.6). */
export function ikev1Sa(saBody: Uint8Array): Ikev1Sa {
  need(saBody, 8, 'IKEv1 SA');
  const doi = view(saBody).getUint32(0);
  const situation = view(saBody).getUint32(4);
  const proposals = substructures(saBody.slice(8), 2, 'IKEv1 proposal').map((p): Ikev1Proposal => {
    const spiSize = p[6]!;
    const count = p[7]!;
    need(p, 8 + spiSize, 'IKEv1 proposal SPI');
    const transforms = substructures(p.slice(8 + spiSize), 3, 'IKEv1 transform').map((t) => ({
      number: t[4]!,
      id: t[5]!,
      attributes: ikev1Attributes(t.slice(8)),
    }));
    if (transforms.length !== count) throw new Error(`IKEv1 proposal ${p[4]}: says ${count} transforms, has ${transforms.length}`);
    return { number: p[4]!, protocol: p[5]!, spi: p.slice(8, 8 + spiSize), transforms };
  });
  return { doi, situation, proposals };
}
