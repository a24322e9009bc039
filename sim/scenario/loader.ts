/**
 * The scenario loader: text → typed `Scenario` plus diagnostics.
 *
 * It owns the safety limits of untrusted input and turns every failure into a diagnostic
 * with file, line and column; it never throws. Reading a file is the host's business
 * (sim/node-host.ts reads one, checking its size and encoding first, and hands the text
 * here), so this module runs wherever JavaScript runs.
 * It rejects text over 1 MiB, text that is not UTF-8 (UTF-16, UTF-32, NUL characters; the
 * host refuses the other bytes that are not UTF-8) or has CR-only line ends, YAML syntax
 * errors, nesting deeper than MAX_NESTING_DEPTH (checked on the parser's tokens, before
 * any recursive step sees the document), several documents in one file, an empty document, alias bombs (expansion
 * budget), tags outside the YAML core schema and duplicate keys; everything about the
 * shape of the content is decided by schema.ts. It lists at most MAX_DIAGNOSTICS
 * diagnostics, then one TOO_MANY_DIAGNOSTICS saying how many more there are. Positions
 * come from source-text.ts's line index; messages quote the file as it is (validate.ts
 * escapes their control characters). Shared keys never appear in a message: values seen under `sharedKey` are
 * scrubbed from every message as a last line of defence.
 */
import { Composer, CST, Lexer, Parser } from 'yaml';
import type { Document } from 'yaml';
import { capDiagnostics, MAX_DIAGNOSTICS, moreDiagnostics, severityOf } from './diagnostics.js';
import type { Diagnostic, DiagnosticCode, SourcePos } from './diagnostics.js';
import { DEFAULT_MAX_ALIASES, validateScenarioDocument } from './schema.js';
import { LineIndex, textProblem } from './source-text.js';
import { FILE_SUGGEST_BUDGET, withSuggestBudget } from './suggest.js';
import type { Scenario } from './types.js';

/** Largest scenario file accepted, in bytes (1 MiB). */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/** Alias dereferences allowed in one document (counting nested ones). */
export const MAX_ALIAS_EXPANSIONS = DEFAULT_MAX_ALIASES;

/**
 * Deepest nesting of lists and mappings accepted. A scenario nests 7 levels (the root,
 * `vnets`, a VNet, `subnets`, a subnet, `routes`, a route); the YAML composer recurses
 * once per level and ran out of stack at about 800.
 */
export const MAX_NESTING_DEPTH = 64;

/** What loading gives: the scenario only when no diagnostic is an error. */
export interface LoadResult {
  readonly scenario?: Scenario;
  readonly diagnostics: readonly Diagnostic[];
  /** True when the file could not be read at all (missing, not a file, no permission); set by the host that reads it. */
  readonly unreadable?: boolean;
  /** Errors left off `diagnostics` (past MAX_DIAGNOSTICS): its last entry, a TOO_MANY_DIAGNOSTICS, counts them. */
  readonly unlisted?: number;
}

/** A diagnostic at `pos` (the host's file reader names problems with it too). */
export function diag(code: DiagnosticCode, file: string, pos: SourcePos, message: string, path?: string): Diagnostic {
  const d: Diagnostic = { code, severity: severityOf(code), file, line: pos.line, column: pos.column, message };
  return path === undefined ? d : { ...d, path };
}

/** The message of a thrown value. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Values written after a `sharedKey` key anywhere in the text (even where parsing failed). */
function secretsInText(text: string): string[] {
  const out: string[] = [];
  const re = /sharedKey["']?\s*:\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s,}#][^,}#\n]*))/gi;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const v = (m[1] ?? m[2] ?? m[3] ?? '').trim();
    if (v !== '') out.push(v);
  }
  return out;
}

/** Replace every secret (4 characters or more, so short ones cannot garble messages) by ***. */
function scrub(diags: readonly Diagnostic[], secrets: readonly string[]): Diagnostic[] {
  const list = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  if (list.length === 0) return [...diags];
  return diags.map((d) => {
    let m = d.message;
    for (const s of list) m = m.split(s).join('***');
    return m === d.message ? d : { ...d, message: m };
  });
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

/** The diagnostic of a scenario of `bytes` bytes, over MAX_SCENARIO_BYTES. */
export function tooBig(file: string, bytes: number): Diagnostic {
  return diag(
    'SCHEMA',
    file,
    { line: 1, column: 1 },
    `${file} is ${sizeText(bytes)} (${bytes} bytes); scenario files are limited to 1 MiB (${MAX_SCENARIO_BYTES} bytes): split it into smaller scenarios`,
  );
}

function sortDiags(ds: Diagnostic[]): Diagnostic[] {
  // Stable: document order, then discovery order; exact duplicates (an alias used twice) once.
  // Duplicates share a position, so they are looked for among the diagnostics of one position.
  const order = ds.map((_d, i) => i);
  order.sort((a, b) => {
    const x = ds[a] as Diagnostic;
    const y = ds[b] as Diagnostic;
    return x.line - y.line || x.column - y.column || a - b;
  });
  const out: Diagnostic[] = [];
  let here = new Set<string>();
  let line = -1;
  let column = -1;
  for (const i of order) {
    const d = ds[i] as Diagnostic;
    if (d.line !== line || d.column !== column) {
      here = new Set();
      line = d.line;
      column = d.column;
    }
    const k = `${d.code}\u0000${d.message}`;
    if (here.has(k)) continue;
    here.add(k);
    out.push(d);
  }
  return out;
}

/** A list or mapping token of the parser's concrete syntax tree. */
function isCollectionToken(t: CST.Token): boolean {
  return t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection';
}

/**
 * The parser's tokens for `src`. Brackets alone nest flow collections one character a
 * level, and the parser slows down with each level it holds open (a 1 MiB line of "["
 * took 2.8 s), so the lexemes are fed to the parser here and it stops at the first "["
 * or "{" that opens more than `maxFlowDepth` of them: the tokens then end with what the
 * parser had open, and `stoppedAt` is that bracket's offset.
 */
function parseTokens(src: string, maxFlowDepth: number): { tokens: CST.Token[]; stoppedAt?: number } {
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  let flowDepth = 0;
  let scalarText = false;
  for (const lexeme of new Lexer().lex(src)) {
    // After the lexer's scalar marker comes the scalar's own text, which may be "[".
    if (!scalarText && (lexeme === '[' || lexeme === '{') && ++flowDepth > maxFlowDepth) {
      const stoppedAt = parser.offset;
      for (const t of parser.end()) tokens.push(t);
      return { tokens, stoppedAt };
    }
    if (!scalarText && (lexeme === ']' || lexeme === '}') && flowDepth > 0) flowDepth--;
    scalarText = lexeme === CST.SCALAR;
    for (const t of parser.next(lexeme)) tokens.push(t);
  }
  for (const t of parser.end()) tokens.push(t);
  return { tokens };
}

/**
 * The offset of the first collection nested deeper than `max` in `tokens` (in document
 * order), or undefined. Walks the parser's tokens with an explicit stack, so any depth
 * is measured without recursion. Collections nest only through a document's or an
 * item's key and value (the other fields hold indicators, spaces and comments), so only
 * those are followed.
 */
export function tooDeep(tokens: readonly CST.Token[], max: number): number | undefined {
  const nodes: CST.Token[] = [];
  const depths: number[] = [];
  const push = (t: unknown, depth: number): void => {
    if (t !== null && typeof t === 'object' && typeof (t as { type?: unknown }).type === 'string') {
      nodes.push(t as CST.Token);
      depths.push(depth);
    }
  };
  // Reversed, so the stack pops them in document order.
  for (let i = tokens.length - 1; i >= 0; i--) push(tokens[i], 0);
  let found: number | undefined;
  while (nodes.length > 0) {
    const t = nodes.pop() as CST.Token;
    const outer = depths.pop() as number;
    const depth = isCollectionToken(t) ? outer + 1 : outer;
    if (depth > max) {
      if (found === undefined || t.offset < found) found = t.offset;
      continue;
    }
    const items = (t as { items?: unknown }).items;
    if (Array.isArray(items)) {
      for (let i = items.length - 1; i >= 0; i--) {
        const it = items[i] as { key?: unknown; value?: unknown };
        push(it.value, depth);
        push(it.key, depth);
      }
    } else {
      push((t as { value?: unknown }).value, depth);
    }
  }
  return found;
}

/**
 * The quoted scalar that a "missing closing quote" error at `offset` belongs to: the one
 * that runs to the offset (the parser reports the error where the text ran out, which can
 * be many lines after the opening quote). Undefined when there is none.
 */
function unclosedQuoteAt(tokens: readonly CST.Token[], offset: number): { offset: number; quote: string } | undefined {
  const stack: unknown[] = [...tokens];
  while (stack.length > 0) {
    const t = stack.pop() as { type?: unknown; offset?: unknown; source?: unknown; items?: unknown; value?: unknown } | null;
    if (t === null || typeof t !== 'object') continue;
    if ((t.type === 'double-quoted-scalar' || t.type === 'single-quoted-scalar') && typeof t.offset === 'number' && typeof t.source === 'string') {
      if (t.offset + t.source.length === offset) return { offset: t.offset, quote: t.type === 'double-quoted-scalar' ? '"' : "'" };
      continue;
    }
    if (Array.isArray(t.items)) for (const it of t.items as { key?: unknown; value?: unknown }[]) stack.push(it.key, it.value);
    else stack.push(t.value);
  }
  return undefined;
}

function posText(p: SourcePos): string {
  return `line ${p.line}, column ${p.column}`;
}

/** The YAML options of a scenario: the core schema, no merge keys, duplicates left to the schema walk. */
const YAML_OPTIONS = {
  prettyErrors: false,
  uniqueKeys: false, // duplicates are reported by the schema walk, with both lines
  schema: 'core',
  merge: false,
  intAsBigInt: false,
} as const;

/** A YAML error or warning as the composer reports it: its offsets, code and message. */
interface YamlProblem {
  readonly pos: readonly [number, number];
  readonly code: string;
  readonly message: string;
  readonly warning: boolean;
}

/**
 * Compose the parser's tokens into documents, keeping the first `keep` errors and
 * warnings and only counting the others: a file of half a million syntax errors costs
 * no half a million error objects.
 */
function compose(tokens: readonly CST.Token[], keep: number): { docs: Document[]; problems: YamlProblem[]; more: number } {
  const composer = new Composer(YAML_OPTIONS);
  const problems: YamlProblem[] = [];
  let more = 0;
  const note = (p: YamlProblem): void => {
    if (p.warning && p.code === 'TAG_RESOLVE_FAILED') return; // reported by the schema walk, at the tag
    if (problems.length >= keep) more++;
    else problems.push(p);
  };
  // The composer reports through its onError; taking it over keeps the count without the objects.
  const hook = composer as unknown as { onError?: unknown };
  if (typeof hook.onError === 'function') {
    hook.onError = (source: unknown, code: string, message: string, warning?: boolean): void => {
      note({ pos: errorPos(source), code, message, warning: warning === true });
    };
  }
  // Stray tokens between documents become errors here, not in the composer (one error object each).
  const rest = tokens.filter((t) => {
    if (t.type !== 'error') return true;
    note({ pos: [t.offset, t.offset + Math.max(1, t.source.length)], code: 'UNEXPECTED_TOKEN', message: t.source ? `${t.message}: ${JSON.stringify(t.source)}` : t.message, warning: false });
    return false;
  });
  const docs = Array.from(composer.compose(rest));
  for (const d of docs) {
    // Errors the composer adds without onError.
    for (const e of d.errors) note({ pos: e.pos, code: e.code, message: e.message, warning: false });
    for (const w of d.warnings) note({ pos: w.pos, code: w.code, message: w.message, warning: true });
  }
  if (docs.length === 0) {
    for (const e of composer.streamInfo().errors) note({ pos: e.pos, code: e.code, message: e.message, warning: false });
  }
  return { docs, problems, more };
}

/** The offsets of what the composer blames: an offset, a pair of offsets or a token (as yaml's getErrorPos). */
function errorPos(source: unknown): [number, number] {
  if (typeof source === 'number') return [source, source + 1];
  if (Array.isArray(source)) return [Number(source[0]) || 0, Number(source[1]) || 0];
  const s = source as { offset?: unknown; source?: unknown } | null;
  const offset = s && typeof s.offset === 'number' ? s.offset : 0;
  return [offset, offset + (s && typeof s.source === 'string' ? s.source.length : 1)];
}

/**
 * Bytes of `text` in UTF-8, without encoding it: 1-4 per code point, and 3 for a lone
 * surrogate (written as U+FFFD), as Node's Buffer.byteLength counts.
 */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function loadUnchecked(text: string, file: string): LoadResult {
  const bytes = utf8Length(text);
  if (bytes > MAX_SCENARIO_BYTES) return { diagnostics: [tooBig(file, bytes)] };
  // A UTF-8 byte-order mark is fine; without it, columns count from the first real character.
  const src = text.startsWith('\ufeff') ? text.slice(1) : text;
  const lines = new LineIndex(src);
  const bad = textProblem(src);
  if (bad) return { diagnostics: [diag('SCHEMA', file, lines.posAt(bad.offset), `${file} ${bad.message}`)] };

  const { tokens, stoppedAt } = parseTokens(src, MAX_NESTING_DEPTH);
  const deep = tooDeep(tokens, MAX_NESTING_DEPTH) ?? stoppedAt;
  if (deep !== undefined) {
    return {
      diagnostics: [
        diag(
          'SCHEMA',
          file,
          lines.posAt(deep),
          `lists and mappings nest more than ${MAX_NESTING_DEPTH} levels deep here; a scenario needs about 7 (the deepest is a subnet's routes): flatten this value`,
        ),
      ],
    };
  }
  // Only the first MAX_DIAGNOSTICS problems are listed; one more shows where the rest start.
  const { docs, problems, more } = compose(tokens, MAX_DIAGNOSTICS + 1);
  if (docs.length > 1) {
    const second = docs[1] as Document;
    const at = lines.posAt(second.range?.[0] ?? 0);
    return {
      diagnostics: [
        diag(
          'SCHEMA',
          file,
          at,
          `${file} holds ${docs.length} YAML documents (a "---" line starts another); a scenario is one document: remove the extra "---" or split the file`,
        ),
      ],
    };
  }
  const syntax: Diagnostic[] = [];
  for (const e of problems) {
    const open = e.code === 'MISSING_CHAR' && e.message.startsWith('Missing closing') ? unclosedQuoteAt(tokens, e.pos[0]) : undefined;
    syntax.push(
      e.warning
        ? diag('SCHEMA', file, lines.posAt(e.pos[0]), `YAML problem: ${e.message}; rewrite this as plain YAML`)
        : open !== undefined
          ? diag('SCHEMA', file, lines.posAt(open.offset), `YAML syntax error: the string that opens with ${open.quote} here is never closed (the text runs on to ${posText(lines.posAt(e.pos[0]))}); add the closing ${open.quote} where the string should end`)
          : diag('SCHEMA', file, lines.posAt(e.pos[0]), `YAML syntax error: ${e.message}; fix the YAML at this position`),
    );
  }
  if (syntax.length > 0) {
    const sorted = sortDiags(syntax);
    if (sorted.length + more <= MAX_DIAGNOSTICS) return { diagnostics: sorted };
    const shown = sorted.slice(0, MAX_DIAGNOSTICS);
    const firstLeft = sorted[MAX_DIAGNOSTICS] ?? (sorted[sorted.length - 1] as Diagnostic);
    const unlisted = sorted.length - shown.length + more;
    return { diagnostics: [...shown, moreDiagnostics(file, firstLeft, unlisted, unlisted)], unlisted };
  }
  const doc = docs[0];
  if (doc === undefined) {
    return {
      diagnostics: [diag('SCHEMA', file, { line: 1, column: 1 }, `${file} holds no YAML document; a scenario is a mapping with at least "name:"`)],
    };
  }
  if (doc.contents === null || doc.contents === undefined) {
    return {
      diagnostics: [diag('SCHEMA', file, { line: 1, column: 1 }, `${file} is empty; a scenario is a mapping with at least "name:"`)],
    };
  }
  const r = validateScenarioDocument(doc, lines, src, MAX_ALIAS_EXPANSIONS);
  const all = sortDiags(r.problems.map((p) => diag(p.code, file, { line: p.line, column: p.column }, p.message, p.path)));
  const diagnostics = capDiagnostics(all);
  const unlisted = all.length - Math.min(all.length, MAX_DIAGNOSTICS);
  if (unlisted > 0) return { diagnostics, unlisted };
  const hasError = diagnostics.some((d) => d.severity === 'error');
  if (hasError || r.value === undefined) return { diagnostics };
  const scenario: Scenario = { file, ...r.value, positions: r.positions };
  return { scenario, diagnostics };
}

/**
 * Load a scenario from text (YAML or JSON). `file` names it in diagnostics. Never throws:
 * an unexpected failure becomes a SCHEMA diagnostic at 1:1.
 */
export function loadScenarioText(text: string, file: string): LoadResult {
  let result: LoadResult;
  try {
    result = withSuggestBudget(FILE_SUGGEST_BUDGET, () => loadUnchecked(text, file));
  } catch (e) {
    result = {
      diagnostics: [
        diag('SCHEMA', file, { line: 1, column: 1 }, `cannot load ${file}: internal error (${errorText(e)}); please report it with the file`),
      ],
    };
  }
  const secrets = result.scenario ? [] : secretsInText(typeof text === 'string' ? text : '');
  if (result.scenario) {
    for (const c of result.scenario.connections) if (c.sharedKey !== undefined) secrets.push(c.sharedKey);
    for (const s of result.scenario.sites) if (s.device?.sharedKey !== undefined) secrets.push(s.device.sharedKey);
    secrets.push(...secretsInText(text));
  }
  const diagnostics = scrub(result.diagnostics, secrets);
  if (result.scenario) return { scenario: result.scenario, diagnostics };
  return result.unlisted ? { diagnostics, unlisted: result.unlisted } : { diagnostics };
}
