/**
 * The scenario loader: text or file → typed `Scenario` plus diagnostics.
 *
 * The ONLY module of sim/ that reads files. It owns the safety limits of untrusted input
 * and turns every failure into a diagnostic with file, line and column; it never throws.
 * It rejects files over 1 MiB, unreadable files, YAML syntax errors, several documents in
 * one file, an empty document, alias bombs (expansion budget), tags outside the YAML core
 * schema and duplicate keys; everything about the shape of the content is decided by
 * schema.ts. Shared keys never appear in a message: values seen under `sharedKey` are
 * scrubbed from every message as a last line of defence.
 */
import { readFileSync, statSync } from 'node:fs';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { severityOf } from './diagnostics.js';
import type { Diagnostic, DiagnosticCode, SourcePos } from './diagnostics.js';
import { DEFAULT_MAX_ALIASES, validateScenarioDocument } from './schema.js';
import type { Scenario } from './types.js';

/** Largest scenario file accepted, in bytes (1 MiB). */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/** Alias dereferences allowed in one document (counting nested ones). */
export const MAX_ALIAS_EXPANSIONS = DEFAULT_MAX_ALIASES;

/** What loading gives: the scenario only when no diagnostic is an error. */
export interface LoadResult {
  readonly scenario?: Scenario;
  readonly diagnostics: readonly Diagnostic[];
  /** True when the file could not be read at all (missing, not a file, no permission). */
  readonly unreadable?: boolean;
}

function diag(code: DiagnosticCode, file: string, pos: SourcePos, message: string, path?: string): Diagnostic {
  const d: Diagnostic = { code, severity: severityOf(code), file, line: pos.line, column: pos.column, message };
  return path === undefined ? d : { ...d, path };
}

function errorText(e: unknown): string {
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

function tooBig(file: string, bytes: number): Diagnostic {
  return diag(
    'SCHEMA',
    file,
    { line: 1, column: 1 },
    `${file} is ${sizeText(bytes)} (${bytes} bytes); scenario files are limited to 1 MiB (${MAX_SCENARIO_BYTES} bytes): split it into smaller scenarios`,
  );
}

function sortDiags(ds: Diagnostic[]): Diagnostic[] {
  // Stable: document order, then discovery order; exact duplicates (an alias used twice) once.
  const seen = new Set<string>();
  const unique = ds.filter((d) => {
    const k = `${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return unique
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.line - b.d.line || a.d.column - b.d.column || a.i - b.i)
    .map((x) => x.d);
}

function loadUnchecked(text: string, file: string): LoadResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SCENARIO_BYTES) return { diagnostics: [tooBig(file, bytes)] };

  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false, // duplicates are reported by the schema walk, with both lines
    schema: 'core',
    merge: false,
    intAsBigInt: false,
  });
  const posAt = (offset: number): SourcePos => {
    const p = lineCounter.linePos(Math.max(0, offset));
    return { line: Math.max(1, p.line), column: Math.max(1, p.col) };
  };
  const docs: Document[] = Array.isArray(parsed) ? parsed : [];
  if (docs.length === 0) {
    return {
      diagnostics: [diag('SCHEMA', file, { line: 1, column: 1 }, `${file} holds no YAML document; a scenario is a mapping with at least "name:"`)],
    };
  }
  if (docs.length > 1) {
    const second = docs[1] as Document;
    const at = posAt(second.range?.[0] ?? 0);
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
  const doc = docs[0] as Document;
  const syntax: Diagnostic[] = [];
  for (const e of doc.errors) {
    syntax.push(diag('SCHEMA', file, posAt(e.pos[0]), `YAML syntax error: ${e.message}; fix the YAML at this position`));
  }
  for (const w of doc.warnings) {
    if (w.code === 'TAG_RESOLVE_FAILED') continue; // reported by the schema walk, at the tag
    syntax.push(diag('SCHEMA', file, posAt(w.pos[0]), `YAML problem: ${w.message}; rewrite this as plain YAML`));
  }
  if (syntax.length > 0) return { diagnostics: sortDiags(syntax) };

  if (doc.contents === null || doc.contents === undefined) {
    return {
      diagnostics: [diag('SCHEMA', file, { line: 1, column: 1 }, `${file} is empty; a scenario is a mapping with at least "name:"`)],
    };
  }
  const r = validateScenarioDocument(doc, lineCounter, text, MAX_ALIAS_EXPANSIONS);
  const diagnostics = sortDiags(
    r.problems.map((p) => diag(p.code, file, { line: p.line, column: p.column }, p.message, p.path)),
  );
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
    result = loadUnchecked(text, file);
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
  return result.scenario ? { scenario: result.scenario, diagnostics } : { diagnostics };
}

/**
 * Load a scenario file. A missing or unreadable file, or one over 1 MiB, gives one SCHEMA
 * diagnostic at 1:1 (the size is checked before reading). Never throws.
 */
export function loadScenarioFile(path: string): LoadResult {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) {
      return { unreadable: true, diagnostics: [diag('SCHEMA', path, { line: 1, column: 1 }, `cannot read ${path}: not a regular file; give the path of a .yaml or .json scenario`)] };
    }
    if (st.size > MAX_SCENARIO_BYTES) return { diagnostics: [tooBig(path, st.size)] };
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    const why = code === 'ENOENT' ? 'no such file; check the path' : code === 'EACCES' ? 'permission denied' : errorText(e);
    return { unreadable: true, diagnostics: [diag('SCHEMA', path, { line: 1, column: 1 }, `cannot read ${path}: ${why}`)] };
  }
  return loadScenarioText(text, path);
}
