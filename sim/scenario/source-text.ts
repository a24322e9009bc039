/**
 * Scenario source text: what a line is, where an offset sits, which encodings and line
 * ends a scenario may use, and how control characters are shown in messages.
 *
 * Owns the one definition of a line that every diagnostic shares: a line ends after a
 * line feed (LF, so CRLF files count the CR as the last character of its line); lines
 * and columns are 1-based and count UTF-16 code units, as editors do. Positions come
 * from the text itself, never from a parser's own line count. Rejects (as plain
 * sentences for the loader to report) UTF-16 and UTF-32 text, NUL characters and
 * carriage returns without a line feed (CR-only line ends), because the YAML parser
 * and this line index would disagree about lines in such a file. Reads no files.
 */

/** A position in a source file, 1-based line and column. */
export interface SourcePos {
  readonly line: number;
  readonly column: number;
}

/** 1-based line and column of every offset of one text, from an index of its line starts. */
export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** Number of lines (a final line feed starts an empty last line). */
  get lines(): number {
    return this.starts.length;
  }

  /** Position of a character offset, clamped into the text (an offset at the end is just past the last character). */
  posAt(offset: number): SourcePos {
    const o = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - (this.starts[lo] as number) + 1 };
  }
}

/**
 * Characters never shown raw in a message and never accepted in a name: C0 controls
 * (U+0000-U+001F, tab and line feed included), DEL and the C1 controls (U+007F-U+009F),
 * the line and paragraph separators (U+2028, U+2029) and the bidirectional formatting
 * characters (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), which make the text shown
 * differ from the text stored.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const CONTROL_ALL = new RegExp(CONTROL.source, 'g');
const CONTROL_BUT_TAB = new RegExp(CONTROL.source.replace('\\u0000-\\u001f', '\\u0000-\\u0008\\u000a-\\u001f'));

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/**
 * The first control character of `s` (see CONTROL), as its escape (`\n`, `\u001b`), or
 * undefined. With `tabs`, a tab is not counted (access-list lines may separate words by tabs).
 */
export function firstControl(s: string, tabs = false): string | undefined {
  const m = (tabs ? CONTROL_BUT_TAB : CONTROL).exec(s);
  return m ? escapeOne(m[0]) : undefined;
}

function escapeOne(c: string): string {
  return Object.hasOwn(SHORT_ESCAPES, c) ? (SHORT_ESCAPES[c] as string) : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `s` with every control character written as its JSON-style escape (`\n`, `\t`,
 * `\u001b`), so a message stays one line and nothing in it reaches the terminal as a
 * command. Other characters, backslashes included, are kept as they are. The one escaping
 * of shown text: diagnostic messages here, everything the command line prints there.
 */
export function escapeControls(s: string): string {
  return CONTROL.test(s) ? s.replace(CONTROL_ALL, escapeOne) : s;
}

/** A problem with the encoding or line ends of a whole text, and where it starts. */
export interface TextProblem {
  readonly offset: number;
  readonly message: string;
}

/**
 * What keeps `bytes` from being read as a UTF-8 scenario: a UTF-16 or UTF-32 byte-order
 * mark, or UTF-16 without one (every other byte NUL among the first ones). A UTF-8
 * byte-order mark is fine. Undefined when nothing is wrong.
 */
export function encodingProblem(bytes: Uint8Array): string | undefined {
  const b = (i: number): number => bytes[i] ?? -1;
  const save = 'save it as UTF-8 (without a byte-order mark or with one) and try again';
  if (b(0) === 0xff && b(1) === 0xfe && b(2) === 0 && b(3) === 0) return `is UTF-32 little-endian text (it starts with the byte-order mark FF FE 00 00); ${save}`;
  if (b(0) === 0 && b(1) === 0 && b(2) === 0xfe && b(3) === 0xff) return `is UTF-32 big-endian text (it starts with the byte-order mark 00 00 FE FF); ${save}`;
  if (b(0) === 0xff && b(1) === 0xfe) return `is UTF-16 little-endian text (it starts with the byte-order mark FF FE); ${save}`;
  if (b(0) === 0xfe && b(1) === 0xff) return `is UTF-16 big-endian text (it starts with the byte-order mark FE FF); ${save}`;
  // Without a mark: ASCII text in UTF-16 has a NUL in every other byte.
  const n = Math.min(bytes.length, 64) & ~1;
  if (n >= 4) {
    let even = 0;
    let odd = 0;
    for (let i = 0; i < n; i += 2) {
      if (b(i) === 0) even++;
      if (b(i + 1) === 0) odd++;
    }
    const half = n / 2;
    if (odd === half && even === 0) return `looks like UTF-16 little-endian text without a byte-order mark (every other byte is 0); ${save}`;
    if (even === half && odd === 0) return `looks like UTF-16 big-endian text without a byte-order mark (every other byte is 0); ${save}`;
  }
  return undefined;
}

/**
 * The byte offset of the first byte of `bytes` that is not part of a well-formed UTF-8
 * character (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF, no
 * truncated sequence), or undefined when all of it is UTF-8. A decoder would turn such a
 * byte into U+FFFD without a word, so the loader refuses the file at this byte instead.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      i++;
      continue;
    }
    let len: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) len = 2;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      len = 3;
      if (b0 === 0xe0) lo = 0xa0; // overlong below U+0800
      if (b0 === 0xed) hi = 0x9f; // surrogates U+D800-U+DFFF
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      len = 4;
      if (b0 === 0xf0) lo = 0x90; // overlong below U+10000
      if (b0 === 0xf4) hi = 0x8f; // above U+10FFFF
    } else return i;
    if (i + len > n) return i;
    const b1 = bytes[i + 1]!;
    if (b1 < lo || b1 > hi) return i;
    for (let k = 2; k < len; k++) {
      const bk = bytes[i + k]!;
      if (bk < 0x80 || bk > 0xbf) return i;
    }
    i += len;
  }
  return undefined;
}

/**
 * What keeps the bytes of a file from being read as a UTF-8 scenario, with where: a
 * UTF-16 or UTF-32 encoding (at 1:1), or the first byte that is not UTF-8 (at its line and
 * column). The message follows the file's name. Undefined when the bytes are UTF-8.
 */
export function bytesProblem(bytes: Uint8Array): { readonly pos: SourcePos; readonly message: string } | undefined {
  const encoding = encodingProblem(bytes);
  if (encoding !== undefined) return { pos: { line: 1, column: 1 }, message: encoding };
  const at = firstInvalidUtf8(bytes);
  if (at === undefined) return undefined;
  const hex = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  // Up to `at` the bytes are UTF-8; the decoder drops a leading byte-order mark, as the loader does.
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, at));
  return {
    pos: new LineIndex(before).posAt(before.length),
    message: `is not UTF-8 text: the byte ${hex} here (byte offset ${at}) is not part of a UTF-8 character (a file saved as Latin-1 or Windows-1252 looks like this); save it as UTF-8 and try again`,
  };
}

/**
 * What keeps decoded `text` from being a scenario: the decoded form of a UTF-16 or
 * UTF-32 byte-order mark, a NUL character, or a carriage return not followed by a line
 * feed (old Mac OS line ends; YAML would see one long line or break lines where this
 * index does not). Undefined when the text is fine.
 */
export function textProblem(text: string): TextProblem | undefined {
  // FF FE or FE FF read as UTF-8 decode to two replacement characters; read as UTF-16 by a caller, to U+FFFE.
  if (text.startsWith('\ufffd\ufffd') || text.startsWith('\ufffe')) {
    return { offset: 0, message: 'starts with a UTF-16 or UTF-32 byte-order mark: the file is not UTF-8 text; save it as UTF-8 and try again' };
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const utf16 = text.length >= 4 && (text[1] === '\u0000' || text[0] === '\u0000') && text.slice(0, 64).split('\u0000').length > 8;
    return {
      offset: nul,
      message: utf16
        ? 'holds NUL characters in every other byte: it looks like UTF-16 text; save it as UTF-8 and try again'
        : 'holds a NUL character (byte 0) here; a scenario is UTF-8 text: remove it (is this a binary file?)',
    };
  }
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) {
    if (text[i + 1] === '\n') continue;
    const lf = text.includes('\n');
    return {
      offset: i,
      message: lf
        ? 'has a carriage return (CR) without a line feed here, in a file whose other lines end with LF; end every line with LF or CRLF (save the file with Unix or Windows line ends)'
        : 'has CR-only line ends (the classic Mac OS convention), which YAML reads differently from this line count; save it with LF or CRLF line ends (Unix or Windows) and try again',
    };
  }
  return undefined;
}
