/**
 * The body of the IKEv2 SA payload: proposals, their transforms, the transforms' attributes
 * (RFC 7296 §3.3.1, §3.3.2, §3.3.5).
 *
 * Owns the three nested substructures and their lengths. Decoding checks every length before
 * it reads and refuses: a substructure longer than what holds it (`truncated`), shorter than
 * its own fixed part (`bad-length`), a Last Substruc field that is not 0/2 (proposals) or 0/3
 * (transforms) or that disagrees with whether another substructure follows, a transform count
 * that differs from the transforms present, a proposal number of 0 or lower than the one
 * before it (strongSwan's `sa_payload.c` check; the RFC's "one more than the previous" is the
 * sender's rule and a response carries a single proposal with the number it accepted) (all
 * `bad-field`), and an SPI size that does not fit the protocol: IKE 0 or 8 bytes, AH and ESP
 * 4 (`bad-spi`; strongSwan's `proposal_substructure.c` refuses the same). Other protocol IDs
 * keep whatever SPI they carry. Transform types, IDs and attribute types are any number: what
 * is acceptable is the proposal selection's question. Attributes keep their format: TV (AF
 * bit set, 2-byte value; Key Length, type 14, is one) or TLV (AF clear, variable value).
 */
import { concatBytes, copyBytes, read16, write16 } from './bytes.js';
import { ProtocolId, TransformAttributeType } from './ikev2-numbers.js';
import { fieldError, truncated, type WireResult } from './errors.js';

const PROPOSAL_HEADER_LEN = 8;
const TRANSFORM_HEADER_LEN = 8;
const ATTRIBUTE_HEADER_LEN = 4;
const MORE_PROPOSALS = 2;
const MORE_TRANSFORMS = 3;
const AF_TV = 0x8000;

/** A transform attribute: TV (a 2-byte value in the header) or TLV (a value of its own length). */
export type TransformAttribute =
  | { readonly format: 'TV'; readonly type: number; readonly value: number }
  | { readonly format: 'TLV'; readonly type: number; readonly data: Uint8Array };

/** One transform: its type (ENCR, PRF, INTEG, DH, ESN), its ID and attributes. */
export interface Transform {
  readonly type: number;
  readonly id: number;
  readonly attributes: readonly TransformAttribute[];
}

/** One proposal: an AND of transforms for one protocol. */
export interface Proposal {
  /** From 1; equal numbers in a row are ANDed (RFC 7296 §3.3.1). */
  readonly number: number;
  /** Protocol ID: 1 IKE, 2 AH, 3 ESP. */
  readonly protocol: number;
  /** 0 bytes (IKE_SA_INIT), 8 (IKE rekey) or 4 (AH, ESP). */
  readonly spi: Uint8Array;
  readonly transforms: readonly Transform[];
}

/** The Key Length attribute (TV, type 14) for a key of `bits` bits. */
export function keyLengthAttribute(bits: number): TransformAttribute {
  return { format: 'TV', type: TransformAttributeType.KEY_LENGTH, value: bits };
}

/** The key length in bits a transform's Key Length attribute gives, or undefined without one. */
export function transformKeyLength(t: Transform): number | undefined {
  for (const a of t.attributes) if (a.type === TransformAttributeType.KEY_LENGTH && a.format === 'TV') return a.value;
  return undefined;
}

/** SPI sizes a protocol allows, or null when this codec has no rule for it. */
function allowedSpiSizes(protocol: number): readonly number[] | null {
  switch (protocol) {
    case ProtocolId.IKE:
      return [0, 8];
    case ProtocolId.AH:
    case ProtocolId.ESP:
      return [4];
    default:
      return null;
  }
}

/** Decode the body of an SA payload (what follows its generic header). */
export function decodeSa(body: Uint8Array): WireResult<Proposal[]> {
  const proposals: Proposal[] = [];
  let o = 0;
  let previousNumber = 1;
  while (o < body.length) {
    const where = `SA proposal ${proposals.length + 1}`;
    if (body.length - o < PROPOSAL_HEADER_LEN) return truncated(`${where} header`, PROPOSAL_HEADER_LEN, body.length - o);
    const last = body[o]!;
    const length = read16(body, o + 2);
    const number = body[o + 4]!;
    const protocol = body[o + 5]!;
    const spiSize = body[o + 6]!;
    const count = body[o + 7]!;
    if (length < PROPOSAL_HEADER_LEN + spiSize) {
      return fieldError('bad-length', `${where}: length ${length} is below its ${PROPOSAL_HEADER_LEN + spiSize}-byte header and SPI`);
    }
    if (length > body.length - o) return truncated(where, length, body.length - o);
    const more = o + length < body.length;
    if (last !== 0 && last !== MORE_PROPOSALS) return fieldError('bad-field', `${where}: Last Substruc ${last} is neither 0 nor 2`);
    if ((last === MORE_PROPOSALS) !== more) {
      return fieldError('bad-field', `${where}: Last Substruc ${last} but ${more ? 'another proposal follows' : 'none follows'}`);
    }
    if (number === 0 || number < previousNumber) {
      return fieldError('bad-field', `${where}: proposal number ${number} after ${previousNumber}`);
    }
    const sizes = allowedSpiSizes(protocol);
    if (sizes !== null && !sizes.includes(spiSize)) {
      return fieldError('bad-spi', `${where}: SPI size ${spiSize} for protocol ${protocol} (allowed: ${sizes.join(' or ')})`);
    }
    const spiEnd = o + PROPOSAL_HEADER_LEN + spiSize;
    const transforms = decodeTransforms(body.subarray(spiEnd, o + length), where);
    if (!transforms.ok) return transforms;
    if (transforms.value.length !== count) {
      return fieldError('bad-field', `${where}: says ${count} transforms, holds ${transforms.value.length}`);
    }
    proposals.push({ number, protocol, spi: copyBytes(body, o + PROPOSAL_HEADER_LEN, spiEnd), transforms: transforms.value });
    previousNumber = number;
    o += length;
  }
  return { ok: true, value: proposals };
}

function decodeTransforms(bytes: Uint8Array, where: string): WireResult<Transform[]> {
  const out: Transform[] = [];
  let o = 0;
  while (o < bytes.length) {
    const at = `${where} transform ${out.length + 1}`;
    if (bytes.length - o < TRANSFORM_HEADER_LEN) return truncated(`${at} header`, TRANSFORM_HEADER_LEN, bytes.length - o);
    const last = bytes[o]!;
    const length = read16(bytes, o + 2);
    if (length < TRANSFORM_HEADER_LEN) return fieldError('bad-length', `${at}: length ${length} is below 8`);
    if (length > bytes.length - o) return truncated(at, length, bytes.length - o);
    const more = o + length < bytes.length;
    if (last !== 0 && last !== MORE_TRANSFORMS) return fieldError('bad-field', `${at}: Last Substruc ${last} is neither 0 nor 3`);
    if ((last === MORE_TRANSFORMS) !== more) {
      return fieldError('bad-field', `${at}: Last Substruc ${last} but ${more ? 'another transform follows' : 'none follows'}`);
    }
    const attributes = decodeAttributes(bytes.subarray(o + TRANSFORM_HEADER_LEN, o + length), at);
    if (!attributes.ok) return attributes;
    out.push({ type: bytes[o + 4]!, id: read16(bytes, o + 6), attributes: attributes.value });
    o += length;
  }
  return { ok: true, value: out };
}

function decodeAttributes(bytes: Uint8Array, where: string): WireResult<TransformAttribute[]> {
  const out: TransformAttribute[] = [];
  let o = 0;
  while (o < bytes.length) {
    const at = `${where} attribute ${out.length + 1}`;
    if (bytes.length - o < ATTRIBUTE_HEADER_LEN) return truncated(at, ATTRIBUTE_HEADER_LEN, bytes.length - o);
    const afType = read16(bytes, o);
    const lengthOrValue = read16(bytes, o + 2);
    const type = afType & ~AF_TV;
    if ((afType & AF_TV) !== 0) {
      out.push({ format: 'TV', type, value: lengthOrValue });
      o += ATTRIBUTE_HEADER_LEN;
      continue;
    }
    const end = o + ATTRIBUTE_HEADER_LEN + lengthOrValue;
    if (end > bytes.length) return truncated(at, ATTRIBUTE_HEADER_LEN + lengthOrValue, bytes.length - o);
    out.push({ format: 'TLV', type, data: copyBytes(bytes, o + ATTRIBUTE_HEADER_LEN, end) });
    o = end;
  }
  return { ok: true, value: out };
}

/** Encode the body of an SA payload. The proposals are trusted; a field out of its range throws. */
export function encodeSa(proposals: readonly Proposal[]): Uint8Array {
  return concatBytes(proposals.map((p, i) => encodeProposal(p, i === proposals.length - 1)));
}

function encodeProposal(p: Proposal, isLast: boolean): Uint8Array {
  if (p.spi.length > 0xff || p.transforms.length > 0xff) throw new RangeError(`proposal ${p.number}: SPI or transform list too long`);
  const transforms = concatBytes(p.transforms.map((t, i) => encodeTransform(t, i === p.transforms.length - 1)));
  const length = PROPOSAL_HEADER_LEN + p.spi.length + transforms.length;
  if (length > 0xffff) throw new RangeError(`proposal ${p.number} is ${length} bytes`);
  const out = new Uint8Array(length);
  out[0] = isLast ? 0 : MORE_PROPOSALS;
  write16(out, 2, length);
  out[4] = p.number;
  out[5] = p.protocol;
  out[6] = p.spi.length;
  out[7] = p.transforms.length;
  out.set(p.spi, PROPOSAL_HEADER_LEN);
  out.set(transforms, PROPOSAL_HEADER_LEN + p.spi.length);
  return out;
}

function encodeTransform(t: Transform, isLast: boolean): Uint8Array {
  const attributes = concatBytes(t.attributes.map(encodeAttribute));
  const length = TRANSFORM_HEADER_LEN + attributes.length;
  if (length > 0xffff) throw new RangeError(`transform ${t.type}/${t.id} is ${length} bytes`);
  const out = new Uint8Array(length);
  out[0] = isLast ? 0 : MORE_TRANSFORMS;
  write16(out, 2, length);
  out[4] = t.type;
  write16(out, 6, t.id);
  out.set(attributes, TRANSFORM_HEADER_LEN);
  return out;
}

function encodeAttribute(a: TransformAttribute): Uint8Array {
  if (a.type > 0x7fff) throw new RangeError(`attribute type ${a.type} does not fit 15 bits`);
  if (a.format === 'TV') {
    if (a.value > 0xffff) throw new RangeError(`attribute ${a.type} value ${a.value} does not fit a TV attribute`);
    const out = new Uint8Array(ATTRIBUTE_HEADER_LEN);
    write16(out, 0, AF_TV | a.type);
    write16(out, 2, a.value);
    return out;
  }
  if (a.data.length > 0xffff) throw new RangeError(`attribute ${a.type} value is ${a.data.length} bytes`);
  const out = new Uint8Array(ATTRIBUTE_HEADER_LEN + a.data.length);
  write16(out, 0, a.type);
  write16(out, 2, a.data.length);
  out.set(a.data, ATTRIBUTE_HEADER_LEN);
  return out;
}
