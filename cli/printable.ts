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
 * Text of a trace line (a hop's decision, a drop's detail): access-list lines quoted there
 * may separate their words by tabs, shown as spaces; everything else as printable shows it.
 */
export function traceText(s: string): string {
  return printable(s.includes('\t') ? s.replace(/\t/g, ' ') : s);
}
