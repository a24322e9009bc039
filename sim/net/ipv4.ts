/**
 * IPv4 addresses and prefixes at the boundary.
 *
 * Text from outside (scenario files, access lists, command-line flags) is validated with
 * ip-num here, once; everything inside the simulator works on plain uint32 numbers
 * (`addr >>> 0`) and `(addr, len)` pairs. Nothing in this file is on a hot path except the
 * tiny mask helpers, which allocate nothing.
 */
import { Validator } from 'ip-num';

/** An IPv4 prefix, validated (no host bits set). `addr` is uint32 (>>> 0). */
export interface Prefix {
  readonly addr: number;
  readonly len: number;
  /** Canonical text, e.g. "10.1.0.0/16". */
  readonly text: string;
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const DOTTED = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Network mask of a prefix length as uint32 (len 0 → 0, len 32 → 0xffffffff). */
export function maskOf(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** Does `prefix (addr/len)` contain `a`? */
export function contains(addr: number, len: number, a: number): boolean {
  return len === 0 || ((a ^ addr) & maskOf(len)) === 0;
}

/** Last address of a prefix. */
export function lastAddress(addr: number, len: number): number {
  return (addr | ~maskOf(len)) >>> 0;
}

/** Do two prefixes share any address? (For prefixes: one contains the other.) */
export function overlaps(a: Prefix, b: Prefix): boolean {
  const len = Math.min(a.len, b.len);
  return contains(a.addr, len, b.addr);
}

/** Does `outer` contain every address of `inner`? */
export function covers(outer: Prefix, inner: Prefix): boolean {
  return outer.len <= inner.len && contains(outer.addr, outer.len, inner.addr);
}

export function formatIPv4(a: number): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

export function formatPrefix(addr: number, len: number): string {
  return `${formatIPv4(addr)}/${len}`;
}

export function makePrefix(addr: number, len: number): Prefix {
  const a = (addr & maskOf(len)) >>> 0;
  return { addr: a, len, text: formatPrefix(a, len) };
}

function toUint32(dotted: string): number {
  const p = dotted.split('.');
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}

/** Parse a dotted-quad IPv4 address. Leading zeros and out-of-range octets are refused. */
export function parseIPv4(text: string): ParseResult<number> {
  if (typeof text !== 'string' || !DOTTED.test(text)) {
    return { ok: false, error: `"${text}" is not an IPv4 address (expected four numbers 0-255, e.g. 10.1.0.4)` };
  }
  const [valid] = Validator.isValidIPv4String(text);
  if (!valid) {
    return { ok: false, error: `"${text}" is not an IPv4 address: each of the four numbers must be 0-255, without leading zeros` };
  }
  return { ok: true, value: toUint32(text) };
}

/**
 * Parse a CIDR prefix. Host bits set is an error whose message names the network the
 * author probably meant ("10.1.0.5/16" → "did you mean 10.1.0.0/16?").
 */
export function parsePrefix(text: string): ParseResult<Prefix> {
  if (typeof text !== 'string') return { ok: false, error: 'expected a CIDR prefix such as "10.1.0.0/16"' };
  const slash = text.indexOf('/');
  if (slash < 0) {
    const a = parseIPv4(text);
    return {
      ok: false,
      error: a.ok
        ? `"${text}" has no prefix length; write "${text}/32" for one address or the network's length, e.g. "${text}/24"`
        : `"${text}" is not a CIDR prefix (expected ADDRESS/LENGTH, e.g. 10.1.0.0/16)`,
    };
  }
  const addrText = text.slice(0, slash);
  const lenText = text.slice(slash + 1);
  const a = parseIPv4(addrText);
  if (!a.ok) return { ok: false, error: `"${text}" is not a CIDR prefix: ${a.error}` };
  if (!/^\d{1,2}$/.test(lenText) || Number(lenText) > 32) {
    return { ok: false, error: `"${text}" is not a CIDR prefix: the length after "/" must be 0-32` };
  }
  const len = Number(lenText);
  const [valid] = Validator.isValidIPv4CidrRange(`${addrText}/${len}`);
  const net = (a.value & maskOf(len)) >>> 0;
  if (!valid || net !== a.value) {
    return {
      ok: false,
      error: `"${text}" has host bits set; did you mean ${formatPrefix(net, len)}?`,
    };
  }
  return { ok: true, value: { addr: net, len, text: formatPrefix(net, len) } };
}
