/**
 * Units in scenario files: durations ("250ms", "2s", "8h", or a number of seconds) and
 * rates ("1000pps", "50Mbps", "1Gbps", "500kbps").
 *
 * Owns the accepted spellings (exported as regular expressions so the JSON Schema states
 * the same rule), the conversion to seconds, bits per second or packets per second, and
 * the bounds every simulated time and rate stays within: a time or duration is finite
 * and at most MAX_SECONDS (10^9 s, about 31.7 years), a packet rate at most
 * MAX_PACKET_RATE (10^9 pps) and at least its inverse, a bit rate at most MAX_BIT_RATE
 * (10^12 bps). Rejects negative values, missing or unknown units (looked up as own keys
 * only: "5constructor" is an unknown unit), a bit rate where packets are meant and the
 * reverse, numbers written with digit separators, exponents or in hexadecimal inside a
 * string, and values past the bounds; each error says what to write instead.
 */

/** The outcome of parsing a value with a unit. */
export type UnitResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly error: string };

/** The longest time or duration, in seconds: 10^9 s, about 31.7 years. */
export const MAX_SECONDS = 1e9;
/** The highest packet rate, packets per second (the lowest is its inverse: one packet per MAX_SECONDS). */
export const MAX_PACKET_RATE = 1e9;
/** The highest bit rate, bits per second (1 Tbps). */
export const MAX_BIT_RATE = 1e12;

/** Duration units and their length in seconds. */
export const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Bit-rate units and their value in bits per second. */
export const BIT_RATE_UNITS: Readonly<Record<string, number>> = { bps: 1, kbps: 1e3, Mbps: 1e6, Gbps: 1e9 };

/** Packet-rate units and their value in packets per second. */
export const PACKET_RATE_UNITS: Readonly<Record<string, number>> = { pps: 1, kpps: 1e3, Mpps: 1e6 };

/** What a rate counts. */
export type RateKind = 'bits' | 'packets';

const NUMBER = '(?:\\d+(?:\\.\\d+)?|\\.\\d+)';

/** JSON Schema pattern of a duration string. */
export const DURATION_PATTERN = `^${NUMBER}\\s*(?:ms|s|m|h)$`;
/** JSON Schema pattern of a bit rate. */
export const BIT_RATE_PATTERN = `^${NUMBER}\\s*(?:bps|kbps|Mbps|Gbps)$`;
/** JSON Schema pattern of a packet rate. */
export const PACKET_RATE_PATTERN = `^${NUMBER}\\s*(?:pps|kpps|Mpps)$`;

const SPLIT = new RegExp(`^(${NUMBER})\\s*([A-Za-z]*)$`);

/** A value as shown in a message: `written` (its source text) when given, strings quoted and cut at 40 characters. */
function show(v: number | string, written?: string): string {
  if (written !== undefined) return written;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'a number that is not a number (.nan)' : 'an infinite number';
  return JSON.stringify(v.length > 40 ? `${v.slice(0, 39)}…` : v);
}

/** The factor of `unit` in `table`, own keys only. */
function factorOf(unit: string, table: Readonly<Record<string, number>>): number | undefined {
  return Object.hasOwn(table, unit) ? table[unit] : undefined;
}

function findUnit(unit: string, table: Readonly<Record<string, number>>): string | undefined {
  const lu = unit.toLowerCase();
  return Object.keys(table).find((u) => u.toLowerCase() === lu);
}

/** How to write a number that a unit string does not accept (digit separators, exponent, hexadecimal), or ''. */
function numberHint(s: string): string {
  const n = /^([0-9._a-fA-FxXeE+-]+?)\s*([A-Za-z]*)$/.exec(s.trim());
  const body = n?.[1] ?? '';
  if (/^\d[\d_]*_\d/.test(body)) return `; write the number without "_" separators, e.g. "${body.replace(/_/g, '')}${n?.[2] ?? ''}"`;
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) return '; write the number in decimal';
  if (/^(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+/.test(s.trim())) return '; write the number without an exponent (or give a bare number of seconds)';
  return '';
}

/** Every time and duration: finite, at most MAX_SECONDS. */
function boundTime(value: number, v: number | string, written?: string): UnitResult {
  if (!Number.isFinite(value) || value > MAX_SECONDS) {
    return { ok: false, error: `${show(v, written)} is more than ${MAX_SECONDS_TEXT}, the longest time vgwsim simulates; use a shorter time` };
  }
  return { ok: true, value };
}

/** MAX_SECONDS in words, for messages. */
export const MAX_SECONDS_TEXT = '10^9 s (about 31.7 years)';

/**
 * Parse a duration into seconds: a number ≥ 0 is seconds; a string needs a unit. At most
 * MAX_SECONDS. `written` is the value as it stands in the file, for messages.
 */
export function parseDuration(v: number | string, written?: string): UnitResult {
  if (typeof v === 'number') {
    if (Number.isNaN(v) || v < 0) return { ok: false, error: `expected a duration ≥ 0; got ${show(v, written)}` };
    return boundTime(v, v, written);
  }
  const s = v.trim();
  const m = SPLIT.exec(s);
  if (!m) {
    return { ok: false, error: `${show(v)} is not a duration; write a number of seconds or a number with a unit ms, s, m or h, e.g. "250ms", "2s", "8h"${numberHint(s)}` };
  }
  const num = Number(m[1]);
  const unit = m[2] ?? '';
  if (unit === '') return { ok: false, error: `${show(v)} has no unit; write "${m[1]}s" for seconds (or ms, m, h), or the bare number ${m[1]}` };
  const factor = factorOf(unit, DURATION_UNITS);
  if (factor === undefined) {
    const near = findUnit(unit, DURATION_UNITS);
    const hint = near ? `did you mean "${m[1]}${near}"?` : 'use ms, s, m or h, e.g. "250ms", "2s", "8h"';
    return { ok: false, error: `${show(v)} has an unknown time unit "${unit.length > 20 ? `${unit.slice(0, 19)}…` : unit}"; ${hint}` };
  }
  return boundTime(num * factor, v);
}

/**
 * Parse a rate into bits per second (`kind` 'bits') or packets per second ('packets'). A
 * bare number is taken in the base unit (bps or pps). Zero is refused: nothing would move.
 * A packet rate lies in [1/MAX_SECONDS, MAX_PACKET_RATE], a bit rate in (0, MAX_BIT_RATE].
 * `written` is the value as it stands in the file, for messages.
 */
export function parseRate(v: number | string, kind: RateKind, written?: string): UnitResult {
  const table = kind === 'bits' ? BIT_RATE_UNITS : PACKET_RATE_UNITS;
  const other = kind === 'bits' ? PACKET_RATE_UNITS : BIT_RATE_UNITS;
  const example = kind === 'bits' ? '"50Mbps", "1Gbps", "500kbps"' : '"1000pps", "10kpps"';
  const what = kind === 'bits' ? 'a bit rate' : 'a packet rate';
  const bounded = (value: number): UnitResult => {
    const max = kind === 'bits' ? MAX_BIT_RATE : MAX_PACKET_RATE;
    if (!Number.isFinite(value) || value > max) {
      return { ok: false, error: `${show(v, written)} is more than ${kind === 'bits' ? '10^12 bps (1 Tbps)' : '10^9 pps'}, the highest ${kind === 'bits' ? 'bit' : 'packet'} rate vgwsim simulates; use a lower rate` };
    }
    if (kind === 'packets' && value < 1 / MAX_SECONDS) {
      return { ok: false, error: `${show(v, written)} is less than one packet per ${MAX_SECONDS_TEXT}, the longest time vgwsim simulates; use a higher rate` };
    }
    return { ok: true, value };
  };
  if (typeof v === 'number') {
    if (Number.isNaN(v) || v <= 0) return { ok: false, error: `expected ${what} > 0, e.g. ${example}; got ${show(v, written)}` };
    return bounded(v);
  }
  const m = SPLIT.exec(v.trim());
  if (!m) return { ok: false, error: `${show(v)} is not ${what}; write a number with a unit, e.g. ${example}${numberHint(v)}` };
  const num = Number(m[1]);
  const unit = m[2] ?? '';
  if (unit === '') return { ok: false, error: `${show(v)} has no unit; write ${what} with a unit, e.g. ${example}` };
  const factor = factorOf(unit, table);
  if (factor === undefined) {
    const near = findUnit(unit, table);
    const shownUnit = unit.length > 20 ? `${unit.slice(0, 19)}…` : unit;
    if (near) return { ok: false, error: `${show(v)} has an unknown unit "${shownUnit}"; did you mean "${m[1]}${near}"?` };
    if (findUnit(unit, other)) {
      return { ok: false, error: `${show(v)} is ${kind === 'bits' ? 'a packet rate' : 'a bit rate'}, but ${what} is needed here, e.g. ${example}` };
    }
    return { ok: false, error: `${show(v)} has an unknown unit "${shownUnit}"; use ${Object.keys(table).join(', ')}, e.g. ${example}` };
  }
  if (num <= 0) return { ok: false, error: `${show(v)} must be more than zero` };
  return bounded(num * factor);
}
