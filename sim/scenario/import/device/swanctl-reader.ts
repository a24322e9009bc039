/**
 * Reads strongSwan's swanctl.conf syntax (strongswan.conf's): sections `name { ... }`,
 * settings `key = value`, `#` comments to the end of a line, values quoted or bare, and
 * `include` lines (reported: the importer reads one file). Each section and setting keeps
 * its line and column. A brace that never closes, a `}` with nothing open, or a line that
 * is neither a section nor a setting is CONFIG_SYNTAX.
 */
import type { At, Findings } from './findings.js';

export interface Setting {
  readonly key: string;
  readonly value: string;
  readonly at: At;
  /** Where the value starts. */
  readonly valueAt: At;
  /** The line as written (a secret in it hidden by the caller when it prints it). */
  readonly text: string;
}

export interface Section {
  readonly name: string;
  readonly at: At;
  readonly text: string;
  readonly settings: Setting[];
  readonly sections: Section[];
}

/** The setting `key` of a section (the last one written wins, as in strongSwan). */
export function setting(s: Section, key: string): Setting | undefined {
  for (let i = s.settings.length - 1; i >= 0; i--) if (s.settings[i]!.key === key) return s.settings[i];
  return undefined;
}

export function section(s: Section, name: string): Section | undefined {
  return s.sections.find((x) => x.name === name);
}

/** A comma-separated value's items, trimmed, empty ones dropped. */
export function items(v: string): string[] {
  return v.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/\\(.)/g, '$1');
  return t;
}

/** The top-level section of a swanctl.conf text (its name is ''). */
export function readSwanctl(text: string, findings: Findings): Section {
  const root: Section = { name: '', at: { line: 1, column: 1 }, text: '', settings: [], sections: [] };
  const stack: Section[] = [root];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    let body = raw;
    const hash = findComment(raw);
    if (hash >= 0) body = raw.slice(0, hash);
    const parts = splitBraces(body);
    for (const part of parts) {
      const t = part.text.trim();
      if (t === '') continue;
      const column = part.offset + part.text.indexOf(t) + 1;
      const at = { line: i + 1, column };
      if (t === '}') {
        if (stack.length === 1) findings.add('CONFIG_SYNTAX', at, 'a "}" with no section open');
        else stack.pop();
        continue;
      }
      const open = /^([^\s={}]+)\s*\{$/.exec(t);
      if (open) {
        const s: Section = { name: open[1]!, at, text: t, settings: [], sections: [] };
        stack[stack.length - 1]!.sections.push(s);
        stack.push(s);
        continue;
      }
      const set = /^([^\s={}]+)\s*=\s*(.*)$/.exec(t);
      if (set) {
        const valueColumn = column + t.indexOf('=') + 1 + (t.slice(t.indexOf('=') + 1).length - t.slice(t.indexOf('=') + 1).trimStart().length);
        stack[stack.length - 1]!.settings.push({ key: set[1]!, value: unquote(set[2]!), at, valueAt: { line: i + 1, column: valueColumn }, text: t });
        continue;
      }
      if (/^include\s/.test(t)) {
        findings.add('NOT_MODELLED', at, `"${t}": included files are not read; import the file that holds the connection`);
        continue;
      }
      // A malformed secret line must not print the secret.
      const shown = /secret|psk/i.test(t) ? t.replace(/(secret|psk)\b.*$/i, '$1 *****') : t;
      findings.add('CONFIG_SYNTAX', at, `"${shown}" is neither a section ("name {") nor a setting ("key = value")`);
    }
  }
  if (stack.length > 1) findings.add('CONFIG_SYNTAX', stack[stack.length - 1]!.at, `section "${stack[stack.length - 1]!.name}" is never closed with "}"`);
  return root;
}

/** The offset of a `#` that starts a comment (not inside quotes), or -1. */
function findComment(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"' && line[i - 1] !== '\\') quoted = !quoted;
    else if (c === '#' && !quoted) return i;
  }
  return -1;
}

/** A line cut after each `{` and around each `}` outside quotes, so `a { b = 1 }` reads as three parts. */
function splitBraces(line: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"' && line[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (c === '{') {
      out.push({ text: line.slice(start, i + 1), offset: start });
      start = i + 1;
    } else if (c === '}') {
      out.push({ text: line.slice(start, i), offset: start });
      out.push({ text: '}', offset: i });
      start = i + 1;
    }
  }
  out.push({ text: line.slice(start), offset: start });
  return out;
}
