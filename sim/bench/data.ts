/**
 * A user's own benchmark data: route tables, selector lists and address lists as text, and
 * the results checksum any other implementation can compare against.
 *
 * Formats (one entry per line; blank lines and lines starting with `#` are skipped but
 * still count in line numbers):
 * - table:     `PREFIX/LEN [NAME]`                      e.g. `10.1.0.0/16 hub`, or another text
 *              form of a route table (table-formats.ts: CIDR lists, `show ip bgp`, `show ip
 *              route`, ranges, `bgpdump -m`)
 * - selectors: `SRC/LEN DST/LEN ACTION [NAME]`          ACTION protect|bypass|discard; first line wins
 * - addresses: `A.B.C.D` (for a table) or `SRC DST` (for selectors)
 *
 * Rejects, with the 1-based line and a message saying what to write instead: malformed
 * addresses and prefixes (host bits set, length out of range), unknown actions, missing or
 * extra fields, and address lines of the wrong shape. Parsing collects every problem.
 *
 * Checksum: the sum over the inputs of (1 + the 0-based line number of the matching table
 * or selector line, or 0 when nothing matches), modulo 2^32.
 */
import { parseIPv4, parsePrefix } from '../net/ipv4.js';
import type { Selector } from '../net/classifier.js';
import { parseTable } from './table-formats.js';
import type { ParsedTable, TableFormat } from './table-formats.js';
import type { DataError, Parsed } from './parsed.js';

export type { DataError, Parsed } from './parsed.js';

/** Selector actions of the selectors file. */
export const SELECTOR_ACTIONS = ['protect', 'bypass', 'discard'] as const;

function lines(text: string): string[] {
  return text.split(/\r?\n/);
}

function skip(l: string): boolean {
  const t = l.trim();
  return t === '' || t.startsWith('#');
}

function finish<T>(entries: T[], lineNos: number[], errors: DataError[]): Parsed<T> {
  return { entries, lineOf: Int32Array.from(lineNos), errors };
}

/** Parse a table file in any of the forms of table-formats.ts (detected, or `format`). */
export function parseTableText(text: string, format?: TableFormat): ParsedTable {
  return parseTable(text, format);
}

/** A selector of the selectors file with its action. */
export interface FileSelector extends Selector {
  readonly action: (typeof SELECTOR_ACTIONS)[number];
}

/** Parse a selectors file: `SRC/LEN DST/LEN ACTION [NAME]` per line. */
export function parseSelectorsText(text: string): Parsed<FileSelector> {
  const entries: FileSelector[] = [];
  const lineNos: number[] = [];
  const errors: DataError[] = [];
  lines(text).forEach((l, n) => {
    if (skip(l)) return;
    const f = l.trim().split(/\s+/);
    if (f.length < 3 || f.length > 4) {
      errors.push({ line: n + 1, message: `expected "SRC/LEN DST/LEN ACTION [NAME]" (ACTION protect|bypass|discard), got ${f.length} field${f.length === 1 ? '' : 's'}` });
      return;
    }
    const s = parsePrefix(f[0]!);
    const d = parsePrefix(f[1]!);
    const action = f[2]!.toLowerCase();
    if (!s.ok) errors.push({ line: n + 1, message: `source: ${s.error}` });
    if (!d.ok) errors.push({ line: n + 1, message: `destination: ${d.error}` });
    if (!(SELECTOR_ACTIONS as readonly string[]).includes(action)) {
      errors.push({ line: n + 1, message: `unknown action "${f[2]}": write protect, bypass or discard` });
    }
    if (!s.ok || !d.ok || !(SELECTOR_ACTIONS as readonly string[]).includes(action)) return;
    entries.push({
      srcAddr: s.value.addr, srcLen: s.value.len, dstAddr: d.value.addr, dstLen: d.value.len,
      action: action as FileSelector['action'],
    });
    lineNos.push(n);
  });
  return finish(entries, lineNos, errors);
}

/** Addresses to look up: `A.B.C.D` per line (pairs: false) or `SRC DST` per line (pairs: true). */
export function parseAddressesText(text: string, pairs: boolean): { src: Uint32Array; dst: Uint32Array; errors: DataError[] } {
  const src: number[] = [];
  const dst: number[] = [];
  const errors: DataError[] = [];
  lines(text).forEach((l, n) => {
    if (skip(l)) return;
    const f = l.trim().split(/\s+/);
    const want = pairs ? 2 : 1;
    if (f.length !== want) {
      errors.push({ line: n + 1, message: pairs ? `expected "SRC DST" (two IPv4 addresses), got ${f.length} field${f.length === 1 ? '' : 's'}` : `expected one IPv4 address, got ${f.length} fields` });
      return;
    }
    const a = parseIPv4(f[0]!);
    const b = pairs ? parseIPv4(f[1]!) : a;
    if (!a.ok) errors.push({ line: n + 1, message: a.error });
    if (pairs && !b.ok) errors.push({ line: n + 1, message: b.ok ? '' : b.error });
    if (!a.ok || !b.ok) return;
    src.push(a.value);
    dst.push(b.value);
  });
  return { src: Uint32Array.from(src), dst: Uint32Array.from(dst), errors };
}

/**
 * Results checksum: sum of (1 + lineOf[r]) over results r >= 0 (0 for r = -1), mod 2^32.
 * `results[i]` is an entry index as returned by a lookup.
 */
export function resultsChecksum(results: Int32Array, lineOf: Int32Array): number {
  let sum = 0;
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    if (r >= 0) sum = (sum + 1 + lineOf[r]!) >>> 0;
  }
  return sum;
}
