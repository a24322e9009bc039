/**
 * JSON with comments, as Azure Resource Manager reads it, into a tree that keeps where each
 * value stood: comments (`//`, `/* *\/`), trailing commas and strings that run over several
 * lines are accepted, as ARM accepts them. jsonc-parser does the parsing; a line break
 * inside a string (which it refuses) is swapped for a private-use character of the same
 * length before parsing and swapped back in the values, so offsets stay those of the text.
 *
 * A syntax error or a duplicate key is a `JsoncError` at its line and column. Reads no files.
 */
import { parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import { LineIndex } from '../../source-text.js';
import type { SourcePos } from '../../source-text.js';

/** A JSON value with its offset in the text; an object keeps its keys in file order. */
export type JNode =
  | { readonly kind: 'object'; readonly offset: number; readonly entries: readonly JEntry[] }
  | { readonly kind: 'array'; readonly offset: number; readonly items: readonly JNode[] }
  | { readonly kind: 'string'; readonly offset: number; readonly value: string }
  | { readonly kind: 'number'; readonly offset: number; readonly value: number }
  | { readonly kind: 'boolean'; readonly offset: number; readonly value: boolean }
  | { readonly kind: 'null'; readonly offset: number };

export interface JEntry {
  readonly key: string;
  readonly keyOffset: number;
  readonly value: JNode;
}

/** A parsed file: its tree and the positions of its offsets. */
export interface JsoncDocument {
  readonly file: string;
  readonly root: JNode;
  readonly lines: LineIndex;
}

export class JsoncError extends Error {
  constructor(
    readonly file: string,
    readonly pos: SourcePos,
    message: string,
  ) {
    super(message);
  }
}

const LF_STAND_IN = '\ue000';
const CR_STAND_IN = '\ue001';

/** Deepest nesting of objects and arrays read (the parser recurses once per level; real templates nest about 12). */
export const MAX_JSON_DEPTH = 200;

/**
 * `text` with every CR and LF inside a string literal replaced by a stand-in of one code
 * unit; the offset of the first bracket past MAX_JSON_DEPTH, when there is one.
 */
function standInLineBreaks(text: string): { readonly text: string; readonly tooDeep?: number } {
  let out = '';
  let from = 0;
  let inString = false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (!inString && (c === '{' || c === '[') && ++depth > MAX_JSON_DEPTH) return { text, tooDeep: i };
    if (!inString && (c === '}' || c === ']')) depth--;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      else if (c === '\n' || c === '\r') {
        out += text.slice(from, i) + (c === '\n' ? LF_STAND_IN : CR_STAND_IN);
        from = i + 1;
      }
    } else if (c === '"') inString = true;
    else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    }
  }
  return { text: from === 0 ? text : out + text.slice(from) };
}

function restoreLineBreaks(s: string): string {
  return s.includes(LF_STAND_IN) || s.includes(CR_STAND_IN) ? s.replaceAll(LF_STAND_IN, '\n').replaceAll(CR_STAND_IN, '\r') : s;
}

const ERROR_WORDS: Readonly<Record<string, string>> = {
  InvalidSymbol: 'a character that JSON does not allow here',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing brace } was expected',
  CloseBracketExpected: 'a closing bracket ] was expected',
  EndOfFileExpected: 'the end of the file was expected (only one value may stand at the top)',
  InvalidCommentToken: 'a malformed comment',
  UnexpectedEndOfComment: 'a comment that is never closed',
  UnexpectedEndOfString: 'a string that is never closed',
  UnexpectedEndOfNumber: 'a number that ends too early',
  InvalidUnicode: 'a malformed \\u escape',
  InvalidEscapeCharacter: 'an escape JSON does not know',
  InvalidCharacter: 'a control character inside a string',
};

function convert(n: Node, file: string, lines: LineIndex): JNode {
  switch (n.type) {
    case 'object': {
      const entries: JEntry[] = [];
      const seen = new Set<string>();
      for (const p of n.children ?? []) {
        const [k, v] = p.children ?? [];
        if (!k || !v) continue;
        const key = restoreLineBreaks(String(k.value));
        // ARM compares property names without regard to case: `Name` and `name` are one key.
        if (seen.has(key.toLowerCase())) throw new JsoncError(file, lines.posAt(k.offset), `duplicate property "${key}": each property may appear once in an object (ARM compares names ignoring case)`);
        seen.add(key.toLowerCase());
        entries.push({ key, keyOffset: k.offset, value: convert(v, file, lines) });
      }
      return { kind: 'object', offset: n.offset, entries };
    }
    case 'array':
      return { kind: 'array', offset: n.offset, items: (n.children ?? []).map((c) => convert(c, file, lines)) };
    case 'string':
      return { kind: 'string', offset: n.offset, value: restoreLineBreaks(String(n.value)) };
    case 'number':
      return { kind: 'number', offset: n.offset, value: Number(n.value) };
    case 'boolean':
      return { kind: 'boolean', offset: n.offset, value: n.value === true };
    default:
      return { kind: 'null', offset: n.offset };
  }
}

/** Parse `text` (named `file` in errors). Throws a JsoncError at the first syntax error. */
export function parseJsonc(text: string, file: string): JsoncDocument {
  const lines = new LineIndex(text);
  const errors: ParseError[] = [];
  const prepared = standInLineBreaks(text);
  if (prepared.tooDeep !== undefined) throw new JsoncError(file, lines.posAt(prepared.tooDeep), `${file} nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels; vgwsim reads templates up to that depth`);
  const tree = parseTree(prepared.text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const name = printParseErrorCode(first.error);
    throw new JsoncError(file, lines.posAt(first.offset), `${file} is not valid JSON: ${ERROR_WORDS[name] ?? name}`);
  }
  if (!tree) throw new JsoncError(file, { line: 1, column: 1 }, `${file} is empty: a JSON document was expected`);
  return { file, root: convert(tree, file, lines), lines };
}

/** The value of `key` in an object node (ARM's names ignore case), or undefined. */
export function member(n: JNode | undefined, key: string): JNode | undefined {
  if (n?.kind !== 'object') return undefined;
  const k = key.toLowerCase();
  return n.entries.find((e) => e.key.toLowerCase() === k)?.value;
}
