/**
 * Units in scenario files: durations ("250ms", "2s", "8h", or a number of seconds) and
 * rates ("1000pps", "50Mbps", "1Gbps", "500kbps").
 *
 * Owns the accepted spellings (exported as regular expressions so the JSON Schema states
 * the same rule) and the conversion to seconds, bits per second or packets per second.
 * Rejects negative values, missing or unknown units, a bit rate where packets are meant
 * and the reverse; each error says what to write instead.
 */

/** The outcome of parsing a value with a unit. */
export type UnitResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly error: string };

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

function show(v: number | string): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function findUnit(unit: string, table: Readonly<Record<string, number>>): string | undefined {
  const lu = unit.toLowerCase();
  return Object.keys(table).find((u) => u.toLowerCase() === lu);
}

/** Parse a duration into seconds: a number ≥ 0 is seconds; a string needs a unit. */
export function parseDuration(v: number | string): UnitResult {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) return { ok: false, error: `expected a duration ≥ 0; got ${show(v)}` };
    return { ok: true, value: v };
  }
  const s = v.trim();
  const m = SPLIT.exec(s);
  if (!m) {
    return { ok: false, error: `${show(v)} is not a duration; write a number of seconds or a number with a unit ms, s, m or h, e.g. "250ms", "2s", "8h"` };
  }
  const num = Number(m[1]);
  const unit = m[2] ?? '';
  if (unit === '') return { ok: false, error: `${show(v)} has no unit; write "${m[1]}s" for seconds (or ms, m, h), or the bare number ${m[1]}` };
  const factor = DURATION_UNITS[unit];
  if (factor === undefined) {
    const near = findUnit(unit, DURATION_UNITS);
    const hint = near ? `did you mean "${m[1]}${near}"?` : 'use ms, s, m or h, e.g. "250ms", "2s", "8h"';
    return { ok: false, error: `${show(v)} has an unknown time unit "${unit}"; ${hint}` };
  }
  return { ok: true, value: num * factor };
}

/**
 * Parse a rate into bits per second (`kind` 'bits') or packets per second ('packets'). A
 * bare number is taken in the base unit (bps or pps). Zero is refused: nothing would move.
 */
export function parseRate(v: number | string, kind: RateKind): UnitResult {
  const table = kind === 'bits' ? BIT_RATE_UNITS : PACKET_RATE_UNITS;
  const other = kind === 'bits' ? PACKET_RATE_UNITS : BIT_RATE_UNITS;
  const example = kind === 'bits' ? '"50Mbps", "1Gbps", "500kbps"' : '"1000pps", "10kpps"';
  const what = kind === 'bits' ? 'a bit rate' : 'a packet rate';
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v <= 0) return { ok: false, error: `expected ${what} > 0, e.g. ${example}; got ${show(v)}` };
    return { ok: true, value: v };
  }
  const m = SPLIT.exec(v.trim());
  if (!m) return { ok: false, error: `${show(v)} is not ${what}; write a number with a unit, e.g. ${example}` };
  const num = Number(m[1]);
  const unit = m[2] ?? '';
  if (unit === '') return { ok: false, error: `${show(v)} has no unit; write ${what} with a unit, e.g. ${example}` };
  const factor = table[unit];
  if (factor === undefined) {
    const near = findUnit(unit, table);
    if (near) return { ok: false, error: `${show(v)} has an unknown unit "${unit}"; did you mean "${m[1]}${near}"?` };
    if (findUnit(unit, other)) {
      return { ok: false, error: `${show(v)} is ${kind === 'bits' ? 'a packet rate' : 'a bit rate'}, but ${what} is needed here, e.g. ${example}` };
    }
    return { ok: false, error: `${show(v)} has an unknown unit "${unit}"; use ${Object.keys(table).join(', ')}, e.g. ${example}` };
  }
  if (num <= 0) return { ok: false, error: `${show(v)} must be more than zero` };
  return { ok: true, value: num * factor };
}
