/**
 * Reads a Cisco IOS or ASA configuration into commands: one `Command` per line, its words
 * with their columns, and the indented lines under it as its children (IOS and ASA mark a
 * sub-mode by indentation: `crypto isakmp policy 10` and the ` encryption aes 256` below it).
 *
 * Skips what is not a command: blank lines, `!` comments, ASA's `:` lines (`: Saved`,
 * `: end`), the `exit` that configuration templates use to leave a sub-mode (indentation
 * already says where a block ends), and a CLI prompt line (`router# show running-config`).
 * Reads a `banner NAME ^C ... ^C` as one command (its text may span lines). A word in
 * angle brackets (`<NameOfYourOutsideInterface>`) is a template placeholder nobody filled
 * in: it is reported where it stands.
 */
import { tokenize } from '../../../net/acl.js';
import type { Token } from '../../../net/acl.js';
import type { At } from './findings.js';
import type { Findings } from './findings.js';

/** One word of a command and its 1-based column. */
export type Word = Token;

/** One configuration line and the lines indented under it. */
export interface Command {
  readonly line: number;
  readonly indent: number;
  readonly words: readonly Word[];
  /** The line as written, trimmed. */
  readonly text: string;
  readonly children: Command[];
}

/** Where a command starts. */
export function atOf(c: Command, word = 0): At {
  return { line: c.line, column: c.words[word]?.column ?? c.indent + 1 };
}

/** The command's words in lower case from `from` on, joined by one space. */
export function phrase(c: Command, from = 0, to = c.words.length): string {
  return c.words.slice(from, to).map((w) => w.text.toLowerCase()).join(' ');
}

/** Does the command start with these words (case-insensitive, each may be abbreviated to its given prefix)? */
export function startsWith(c: Command, ...words: string[]): boolean {
  return words.every((w, i) => c.words[i]?.text.toLowerCase() === w);
}

const PROMPT = /^[A-Za-z0-9._-]+(\([A-Za-z0-9-]+\))?#/;

/** The commands of a configuration's text, top-level ones with their children. */
export function readCiscoConfig(text: string, findings: Findings): Command[] {
  const lines = text.split('\n');
  const top: Command[] = [];
  const stack: Command[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    const body = raw.trimStart();
    if (body === '' || body.startsWith('!') || body.startsWith(':') || PROMPT.test(body)) continue;
    const words = tokenize(raw);
    const first = words[0]!.text.toLowerCase();
    if (first === 'exit' && words.length === 1) continue;
    const indent = raw.length - body.length;
    const cmd: Command = { line: i + 1, indent, words, text: body.trimEnd(), children: [] };
    for (const w of words) {
      if (/^<[^>]*>$/.test(w.text) || w.text.includes('<xsl:')) {
        findings.add('CONFIG_SYNTAX', { line: i + 1, column: w.column }, `"${w.text}" is a placeholder of a configuration template: fill in the real value (an interface name, an address, a key) and import again`);
      }
    }
    if (first === 'banner' && words.length >= 3) i = skipBanner(lines, i, words[2]!.text);
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(cmd);
    else top.push(cmd);
    stack.push(cmd);
  }
  return top;
}

/** The index of the line that ends a banner whose text starts on line `i` after `delim`. */
function skipBanner(lines: readonly string[], i: number, delimWord: string): number {
  const delim = delimWord.startsWith('^C') ? '^C' : delimWord.charAt(0);
  const rest = lines[i]!.slice(lines[i]!.indexOf(delimWord) + delim.length);
  if (rest.includes(delim)) return i;
  for (let j = i + 1; j < lines.length; j++) if (lines[j]!.includes(delim)) return j;
  return lines.length - 1;
}
