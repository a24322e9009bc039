/**
 * Text the user chose (scenario names and descriptions, expectation hints, lab files, file
 * names, flag values) made safe to print on a terminal, so a newline cannot break a
 * line-oriented format and an escape sequence never reaches the terminal. Which characters
 * are escaped, and how, is sim's one definition (escapeControls, source-text.ts), the one
 * diagnostic messages use: C0 controls and DEL JSON style (`\n`, `\t`, else `\u001b`), the
 * C1 controls (U+009B is CSI on some terminals), the line and paragraph separators and the
 * bidirectional formatting characters. Backslashes are kept, so the escaping is idempotent.
 */
import { escapeControls } from '../sim/index.js';

/** `s` with every control character escaped (sim's escapeControls); `s` itself when it has none. */
export const printable: (s: string) => string = escapeControls;

/**
 * `v` as one line of JSON (JSON Lines) that is as safe on a terminal as printed text, with
 * the same value when parsed. JSON.stringify escapes only U+0000-U+001F; the other
 * characters printable escapes (DEL, the C1 controls, the separators, the direction
 * characters) can stand only inside its strings, where escapeControls writes each as
 * `\uXXXX`, a JSON escape of the same character.
 */
export function jsonLine(v: unknown): string {
  return escapeControls(JSON.stringify(v));
}

/**
 * A value for printing with every string in it escaped by `printable`: strings, arrays and
 * plain objects (their keys too), copied only where something changed, so data without
 * control characters is returned as it is. Other objects are returned unchanged.
 */
export function printableDeep<T>(v: T): T {
  if (typeof v === 'string') return printable(v) as T;
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const y = printableDeep(x);
      if (y !== x) (out ??= v.slice())[i] = y;
    }
    return (out ?? v) as T;
  }
  if (v !== null && typeof v === 'object') {
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v;
    let changed = false;
    const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => {
      const k2 = printable(k);
      const y = printableDeep(x);
      if (k2 !== k || y !== x) changed = true;
      return [k2, y] as const;
    });
    // fromEntries defines own properties, so a key such as "__proto__" stays a key.
    return changed ? (Object.fromEntries(entries) as T) : v;
  }
  return v;
}
