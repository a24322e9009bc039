/**
 * Text the user chose (scenario names and descriptions, expectation hints, lab files, flag
 * values) made safe to print on a terminal: control characters are written as escapes, so
 * a newline cannot break a line-oriented format and an escape sequence never reaches the
 * terminal. The one helper every printing path of the CLI uses.
 *
 * Escaped: the C0 controls (U+0000-U+001F, ESC among them) and DEL, JSON style (`\n`, `\t`,
 * `\r`, `\b`, `\f`, else `\u001b`); the C1 controls (U+0080-U+009F, which some terminals
 * read as escape sequences: U+009B is CSI); and the bidirectional overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069), which reorder what a terminal shows. Everything else,
 * backslashes included, is printed as it is, so the escaping is idempotent.
 */

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');
const NAMED: Readonly<Record<string, string>> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

function escape(c: string): string {
  return Object.hasOwn(NAMED, c) ? NAMED[c]! : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `s` with every control character escaped (see the module comment); `s` itself when it has none. */
export function printable(s: string): string {
  return UNSAFE.test(s) ? s.replace(UNSAFE_ALL, escape) : s;
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
