/**
 * The body of the IKEv1 SA payload (RFC 2408 §3.4-3.6, RFC 2407 §4.2): DOI, situation, and the
 * proposals with their transforms and data attributes.
 *
 * Owns the byte layout of that body and of its substructures. Proposal (2) and Transform (3)
 * substructures carry a generic header like a payload; their Next Payload field may only say
 * "another proposal" (2) / "another transform" (3) or "last" (0), and strongSwan
 * (`proposal_substructure.c`, `transform_substructure.c`) refuses any other value, as this does.
 * The lists are read by length, as strongSwan's parser does: proposals until the SA body ends,
 * transforms until the proposal ends, attributes until the transform ends; a substructure that
 * does not end where its container does is malformed. Refused as strongSwan refuses them: a
 * proposal whose transform count differs from the transforms it holds, an ESP or AH proposal
 * whose SPI is not 4 bytes, an ISAKMP proposal whose SPI is longer than 16 bytes (RFC 2409 §3.5
 * allows 0 to 16; strongSwan accepts all of them), and proposal numbers that go down.
 *
 * Data attributes (RFC 2408 §3.3) are TV when the AF bit is set (a 15-bit type and a 16-bit
 * value) and TLV otherwise (type, length, value bytes). The representation keeps the form, so
 * bytes decode and re-encode the same way; `attribute()` picks the form strongSwan picks when it
 * builds one (`transform_attribute_create_value`): TV up to 65535, else a 4-byte TLV, or 8 bytes
 * past 32 bits. Which types are allowed, and whether a value is sensible, is the IKE layer's
 * question; DOI and situation are kept as numbers for the same reason (strongSwan reads both
 * without judging them). The encoder refuses (RangeError) what the decoder refuses: SPI sizes,
 * proposal numbers that go down, numbers too large for their fields.
 */
import { fieldError, truncated, type WireResult } from './errors.js';
import { put16, put32, put8, read16, read32 } from './bytes.js';
import { PayloadType, ProtocolId } from './isakmp-names.js';

/** A data attribute in TV form (AF bit set): a 16-bit value in the attribute itself. */
export interface TvAttribute {
  readonly format: 'tv';
  readonly type: number;
  readonly value: number;
}

/** A data attribute in TLV form (AF bit clear): the value as bytes after a 16-bit length. */
export interface TlvAttribute {
  readonly format: 'tlv';
  readonly type: number;
  readonly data: Uint8Array;
}

export type IsakmpAttribute = TvAttribute | TlvAttribute;

/** A transform: its number within the proposal, its ID, its attributes in order. */
export interface IsakmpTransform {
  readonly number: number;
  readonly id: number;
  readonly attributes: readonly IsakmpAttribute[];
}

/** A proposal: number, protocol (ISAKMP, ESP, ...), SPI bytes (0-16 for ISAKMP, 4 for ESP/AH), transforms. */
export interface IsakmpProposal {
  readonly number: number;
  readonly protocol: number;
  readonly spi: Uint8Array;
  readonly transforms: readonly IsakmpTransform[];
}

/** The SA payload's body. */
export interface SaBody {
  readonly doi: number;
  readonly situation: number;
  readonly proposals: readonly IsakmpProposal[];
}

const ATTRIBUTE_FORMAT_TV = 0x8000;
/** Generic header of a proposal or transform substructure. */
const SUBSTRUCTURE_HEADER_LEN = 4;
const PROPOSAL_FIXED_LEN = 8;
const TRANSFORM_FIXED_LEN = 8;
const SA_FIXED_LEN = 8;
/** RFC 2409 §3.5: "the SPI size ... MUST be 0 to 16" for ISAKMP proposals. */
const MAX_ISAKMP_SPI = 16;

/** A TV attribute. */
export function tv(type: number, value: number): TvAttribute {
  return { format: 'tv', type, value };
}

/** A TLV attribute holding `data`. */
export function tlv(type: number, data: Uint8Array): TlvAttribute {
  return { format: 'tlv', type, data };
}

/**
 * An attribute holding the number `value` in the form strongSwan builds: TV up to 65535, a
 * 4-byte TLV up to 2^32 - 1 (e.g. 102,400,000 KB → `00 02 00 04 06 1a 80 00` for type 2), else 8 bytes.
 */
export function attribute(type: number, value: number): IsakmpAttribute {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`attribute value ${value} is not a non-negative integer`);
  if (value <= 0xffff) return tv(type, value);
  const size = value <= 0xffffffff ? 4 : 8;
  const data = new Uint8Array(size);
  let v = value;
  for (let i = size - 1; i >= 0; i--) {
    data[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return tlv(type, data);
}

/**
 * The number an attribute holds: the TV value, or the TLV bytes read big-endian when they fit
 * a safe integer (leading zero bytes allowed), else null.
 */
export function attributeNumber(a: IsakmpAttribute): number | null {
  if (a.format === 'tv') return a.value;
  let v = 0;
  for (const byte of a.data) {
    v = v * 256 + byte;
    if (v > Number.MAX_SAFE_INTEGER) return null;
  }
  return a.data.length === 0 ? null : v;
}

/** The first attribute of `type` in `attributes`, or undefined. */
export function findAttribute(attributes: readonly IsakmpAttribute[], type: number): IsakmpAttribute | undefined {
  return attributes.find((a) => a.type === type);
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** Decode an SA payload body (the bytes after the generic payload header). */
export function decodeSaBody(body: Uint8Array): WireResult<SaBody> {
  if (body.length < SA_FIXED_LEN) return truncated('SA payload (DOI, situation)', SA_FIXED_LEN, body.length);
  const proposals: IsakmpProposal[] = [];
  let offset = SA_FIXED_LEN;
  let previousNumber = 0;
  while (offset < body.length) {
    const where = `SA proposal ${proposals.length + 1}`;
    const sub = substructure(body, offset, PayloadType.PROPOSAL, PROPOSAL_FIXED_LEN, where);
    if (!sub.ok) return sub;
    const p = decodeProposal(sub.value, where);
    if (!p.ok) return p;
    if (p.value.number < previousNumber) {
      return fieldError('bad-field', `${where}: number ${p.value.number} is below the previous proposal's ${previousNumber}`);
    }
    previousNumber = p.value.number;
    proposals.push(p.value);
    offset += sub.value.length;
  }
  return { ok: true, value: { doi: read32(body, 0), situation: read32(body, 4), proposals } };
}

/**
 * The substructure (proposal or transform) at `bytes[offset]`, generic header included,
 * after checking its Next Payload field and that its length fits.
 */
function substructure(bytes: Uint8Array, offset: number, ownType: number, fixedLen: number, where: string): WireResult<Uint8Array> {
  const left = bytes.length - offset;
  if (left < SUBSTRUCTURE_HEADER_LEN) return truncated(`${where} header`, SUBSTRUCTURE_HEADER_LEN, left);
  const next = bytes[offset]!;
  if (next !== PayloadType.NONE && next !== ownType) {
    return fieldError('bad-type', `${where}: next payload ${next} inside an SA (only ${ownType} or 0)`);
  }
  const length = read16(bytes, offset + 2);
  if (length < fixedLen) return fieldError('bad-length', `${where}: length ${length} is below its fixed part (${fixedLen})`);
  if (length > left) return truncated(where, length, left);
  return { ok: true, value: bytes.subarray(offset, offset + length) };
}

function decodeProposal(p: Uint8Array, where: string): WireResult<IsakmpProposal> {
  const number = p[4]!;
  const protocol = p[5]!;
  const spiSize = p[6]!;
  const count = p[7]!;
  const spiCheck = checkProposalSpiSize(protocol, spiSize, where);
  if (!spiCheck.ok) return spiCheck;
  if (p.length < PROPOSAL_FIXED_LEN + spiSize) return truncated(`${where} SPI`, PROPOSAL_FIXED_LEN + spiSize, p.length);
  const transforms: IsakmpTransform[] = [];
  let offset = PROPOSAL_FIXED_LEN + spiSize;
  while (offset < p.length) {
    const tWhere = `${where} transform ${transforms.length + 1}`;
    const sub = substructure(p, offset, PayloadType.TRANSFORM, TRANSFORM_FIXED_LEN, tWhere);
    if (!sub.ok) return sub;
    const t = decodeTransform(sub.value, tWhere);
    if (!t.ok) return t;
    transforms.push(t.value);
    offset += sub.value.length;
  }
  if (transforms.length !== count) {
    return fieldError('bad-field', `${where}: says ${count} transforms, holds ${transforms.length}`);
  }
  return { ok: true, value: { number, protocol, spi: p.slice(PROPOSAL_FIXED_LEN, PROPOSAL_FIXED_LEN + spiSize), transforms } };
}

function checkProposalSpiSize(protocol: number, size: number, where: string): WireResult<number> {
  if ((protocol === ProtocolId.ESP || protocol === ProtocolId.AH) && size !== 4) {
    return fieldError('bad-spi', `${where}: SPI size ${size} for protocol ${protocol} (ESP and AH SPIs are 4 bytes)`);
  }
  if (protocol === ProtocolId.ISAKMP && size > MAX_ISAKMP_SPI) {
    return fieldError('bad-spi', `${where}: ISAKMP SPI size ${size} is over ${MAX_ISAKMP_SPI}`);
  }
  return { ok: true, value: size };
}

function decodeTransform(t: Uint8Array, where: string): WireResult<IsakmpTransform> {
  const attributes: IsakmpAttribute[] = [];
  let offset = TRANSFORM_FIXED_LEN;
  while (offset < t.length) {
    const a = decodeAttribute(t, offset, `${where} attribute ${attributes.length + 1}`);
    if (!a.ok) return a;
    attributes.push(a.value.attribute);
    offset += a.value.length;
  }
  return { ok: true, value: { number: t[4]!, id: t[5]!, attributes } };
}

function decodeAttribute(b: Uint8Array, offset: number, where: string): WireResult<{ attribute: IsakmpAttribute; length: number }> {
  const left = b.length - offset;
  if (left < 4) return truncated(where, 4, left);
  const word = read16(b, offset);
  const type = word & (ATTRIBUTE_FORMAT_TV - 1);
  const lengthOrValue = read16(b, offset + 2);
  if (word & ATTRIBUTE_FORMAT_TV) return { ok: true, value: { attribute: tv(type, lengthOrValue), length: 4 } };
  if (left < 4 + lengthOrValue) return truncated(`${where} value`, 4 + lengthOrValue, left);
  return { ok: true, value: { attribute: tlv(type, b.slice(offset + 4, offset + 4 + lengthOrValue)), length: 4 + lengthOrValue } };
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** The bytes of an SA payload body. */
export function encodeSaBody(sa: SaBody): Uint8Array {
  sa.proposals.forEach((p, i) => {
    if (i > 0 && p.number < sa.proposals[i - 1]!.number) throw new RangeError(`proposal numbers go down (${sa.proposals[i - 1]!.number}, then ${p.number})`);
  });
  const proposals = sa.proposals.map((p, i) => encodeProposal(p, i === sa.proposals.length - 1));
  const out = new Uint8Array(SA_FIXED_LEN + proposals.reduce((n, p) => n + p.length, 0));
  put32(out, 0, sa.doi, 'SA DOI');
  put32(out, 4, sa.situation, 'SA situation');
  let o = SA_FIXED_LEN;
  for (const p of proposals) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function encodeProposal(p: IsakmpProposal, last: boolean): Uint8Array {
  const check = checkProposalSpiSize(p.protocol, p.spi.length, `proposal ${p.number}`);
  if (!check.ok) throw new RangeError(check.error.message);
  const transforms = p.transforms.map((t, i) => encodeTransform(t, i === p.transforms.length - 1));
  const length = PROPOSAL_FIXED_LEN + p.spi.length + transforms.reduce((n, t) => n + t.length, 0);
  const out = new Uint8Array(length);
  out[0] = last ? PayloadType.NONE : PayloadType.PROPOSAL;
  put16(out, 2, length, 'proposal length');
  put8(out, 4, p.number, 'proposal number');
  put8(out, 5, p.protocol, 'proposal protocol');
  put8(out, 6, p.spi.length, 'proposal SPI size');
  put8(out, 7, p.transforms.length, 'proposal transform count');
  out.set(p.spi, PROPOSAL_FIXED_LEN);
  let o = PROPOSAL_FIXED_LEN + p.spi.length;
  for (const t of transforms) {
    out.set(t, o);
    o += t.length;
  }
  return out;
}

function encodeTransform(t: IsakmpTransform, last: boolean): Uint8Array {
  const attributes = t.attributes.map(encodeAttribute);
  const length = TRANSFORM_FIXED_LEN + attributes.reduce((n, a) => n + a.length, 0);
  const out = new Uint8Array(length);
  out[0] = last ? PayloadType.NONE : PayloadType.TRANSFORM;
  put16(out, 2, length, 'transform length');
  put8(out, 4, t.number, 'transform number');
  put8(out, 5, t.id, 'transform ID');
  let o = TRANSFORM_FIXED_LEN;
  for (const a of attributes) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

function encodeAttribute(a: IsakmpAttribute): Uint8Array {
  if (!Number.isInteger(a.type) || a.type < 0 || a.type >= ATTRIBUTE_FORMAT_TV) {
    throw new RangeError(`attribute type ${a.type} does not fit in 15 bits`);
  }
  if (a.format === 'tv') {
    const out = new Uint8Array(4);
    put16(out, 0, ATTRIBUTE_FORMAT_TV | a.type, 'attribute type');
    put16(out, 2, a.value, `attribute ${a.type} TV value`);
    return out;
  }
  const out = new Uint8Array(4 + a.data.length);
  put16(out, 0, a.type, 'attribute type');
  put16(out, 2, a.data.length, `attribute ${a.type} TLV length`);
  out.set(a.data, 4);
  return out;
}
