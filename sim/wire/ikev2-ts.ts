/**
 * The body of the IKEv2 TSi/TSr payloads: traffic selectors (RFC 7296 §3.13, §3.13.1).
 *
 * Owns the selector count and the selectors. IPv4 address ranges (type 7) are decoded into
 * protocol, ports and addresses, and must be exactly 16 bytes (`bad-length` otherwise); a port
 * range that runs backwards is refused (`bad-field`) unless it is the OPAQUE range 65535..0,
 * as strongSwan's `traffic_selector_substructure.c` does. Every other selector type (IPv6
 * ranges, security labels, types not yet assigned) is kept as raw bytes, the way strongSwan
 * keeps a type it does not know and ignores it later: the gateways simulated here carry IPv4
 * only. Refused for every type: a selector shorter than its 4-byte header or longer than the
 * bytes left, and a selector count that differs from the selectors present (`bad-field`).
 */
import { concatBytes, copyBytes, read16, read32, write16, write32 } from './bytes.js';
import { TsType } from './ikev2-numbers.js';
import { fieldError, truncated, type WireResult } from './errors.js';

const TS_PAYLOAD_HEADER_LEN = 4;
const SELECTOR_HEADER_LEN = 4;
const IPV4_RANGE_LEN = 16;

/** An IPv4 address range with an IP protocol (0: any) and a port range. */
export interface Ipv4RangeSelector {
  readonly kind: 'ipv4-range';
  readonly ipProtocol: number;
  readonly startPort: number;
  readonly endPort: number;
  /** uint32, as the rest of the simulator holds IPv4 addresses. */
  readonly startAddress: number;
  readonly endAddress: number;
}

/** A selector of another type, kept as it came. */
export interface RawSelector {
  readonly kind: 'raw';
  readonly tsType: number;
  /** The byte after the type: the IP protocol for address ranges, RESERVED for other types. */
  readonly ipProtocol: number;
  /** The bytes after the 4-byte selector header. */
  readonly data: Uint8Array;
}

export type TrafficSelector = Ipv4RangeSelector | RawSelector;

/** Every IPv4 address, every protocol, every port: the any-to-any selector route-based tunnels offer. */
export const ANY_IPV4_SELECTOR: Ipv4RangeSelector = {
  kind: 'ipv4-range',
  ipProtocol: 0,
  startPort: 0,
  endPort: 65535,
  startAddress: 0,
  endAddress: 0xffffffff,
};

/** Decode the body of a TSi or TSr payload (what follows its generic header). */
export function decodeTs(body: Uint8Array): WireResult<TrafficSelector[]> {
  if (body.length < TS_PAYLOAD_HEADER_LEN) return truncated('TS payload', TS_PAYLOAD_HEADER_LEN, body.length);
  const count = body[0]!;
  const out: TrafficSelector[] = [];
  let o = TS_PAYLOAD_HEADER_LEN;
  while (o < body.length) {
    const where = `traffic selector ${out.length + 1}`;
    if (body.length - o < SELECTOR_HEADER_LEN) return truncated(`${where} header`, SELECTOR_HEADER_LEN, body.length - o);
    const tsType = body[o]!;
    const ipProtocol = body[o + 1]!;
    const length = read16(body, o + 2);
    if (length < SELECTOR_HEADER_LEN) return fieldError('bad-length', `${where}: length ${length} is below 4`);
    if (length > body.length - o) return truncated(where, length, body.length - o);
    if (tsType === TsType.IPV4_ADDR_RANGE) {
      if (length !== IPV4_RANGE_LEN) return fieldError('bad-length', `${where}: IPv4 range of ${length} bytes, not 16`);
      const startPort = read16(body, o + 4);
      const endPort = read16(body, o + 6);
      if (startPort > endPort && !(startPort === 0xffff && endPort === 0)) {
        return fieldError('bad-field', `${where}: port range ${startPort}..${endPort} runs backwards`);
      }
      out.push({ kind: 'ipv4-range', ipProtocol, startPort, endPort, startAddress: read32(body, o + 8), endAddress: read32(body, o + 12) });
    } else {
      out.push({ kind: 'raw', tsType, ipProtocol, data: copyBytes(body, o + SELECTOR_HEADER_LEN, o + length) });
    }
    o += length;
  }
  if (out.length !== count) return fieldError('bad-field', `TS payload says ${count} selectors, holds ${out.length}`);
  return { ok: true, value: out };
}

/** Encode the body of a TSi or TSr payload. The selectors are trusted; more than 255 throws. */
export function encodeTs(selectors: readonly TrafficSelector[]): Uint8Array {
  if (selectors.length > 0xff) throw new RangeError(`${selectors.length} traffic selectors do not fit the count byte`);
  const head = new Uint8Array(TS_PAYLOAD_HEADER_LEN);
  head[0] = selectors.length;
  return concatBytes([head, ...selectors.map(encodeSelector)]);
}

function encodeSelector(s: TrafficSelector): Uint8Array {
  if (s.kind === 'ipv4-range') {
    const out = new Uint8Array(IPV4_RANGE_LEN);
    out[0] = TsType.IPV4_ADDR_RANGE;
    out[1] = s.ipProtocol;
    write16(out, 2, IPV4_RANGE_LEN);
    write16(out, 4, s.startPort);
    write16(out, 6, s.endPort);
    write32(out, 8, s.startAddress >>> 0);
    write32(out, 12, s.endAddress >>> 0);
    return out;
  }
  if (s.tsType === TsType.IPV4_ADDR_RANGE) throw new RangeError('an IPv4 range selector is kind ipv4-range, not raw');
  const length = SELECTOR_HEADER_LEN + s.data.length;
  if (length > 0xffff) throw new RangeError(`traffic selector of ${length} bytes`);
  const out = new Uint8Array(length);
  out[0] = s.tsType;
  out[1] = s.ipProtocol;
  write16(out, 2, length);
  out.set(s.data, SELECTOR_HEADER_LEN);
  return out;
}
