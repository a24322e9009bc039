/**
 * The YAML walker: walks a parsed YAML document against a schema, node by node.
 *
 * Owns what is true of any YAML value whatever the schema says: positions (every value
 * path gets the line and column of its value, from the loader's line index), aliases
 * (each resolved to the node it names; expansion past a small budget, counted up front by
 * findAliasBomb and again while walking, is refused as an alias bomb), tags (only the
 * YAML core schema, and a core tag whose value does not resolve is refused at the tag),
 * and mappings: keys must be plain names, appear once, not be merge keys (`<<`), and be
 * among the schema's keys (an unknown key gets a "did you mean", paid from the budget of
 * suggest.ts; keys are looked up as own keys, so `constructor:` or `__proto__:` is just
 * unknown); an empty value counts as absent; a missing required key is reported at its
 * mapping. Problems are collected, never thrown; a number is shown as written, never as
 * NaN or Infinity. What a value must be is the schema's business (dsl.ts); this module
 * only asks a schema to `convert` a node. Its recursion follows the document, whose
 * nesting the loader bounds before the walk.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Alias, Document, Node as YamlNode, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { SourcePos } from '../diagnostics.js';
import type { LineIndex } from '../source-text.js';
import { suggest } from '../suggest.js';
import { aliasBombMessage, aliasTargets, DEFAULT_MAX_ALIASES, findAliasBomb } from './aliases.js';

/** A problem found while walking the document; the loader adds file and severity. */
export interface SchemaProblem {
  readonly code: 'SCHEMA' | 'INVALID_PREFIX';
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
}

/** The YAML core-schema tags a scenario may spell out explicitly (`!!str 12`). */
const CORE_TAGS: ReadonlySet<string> = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

/**
 * A whole number written without a point or exponent: the YAML 1.2 core schema's float
 * pattern matches it (`!!float 1` is 1.0), the yaml library's float tags do not.
 */
const WHOLE_NUMBER = /^[-+]?[0-9]+$/;
const FLOAT_TAG = 'tag:yaml.org,2002:float';

/** What the value of a node with an explicit core tag must be (`!!int abc` is refused at the tag, not read as text). */
const CORE_TAG_VALUES: ReadonlyMap<string, { readonly what: string; readonly test: (node: YamlNode) => boolean }> = new Map(
  (
    [
      ['str', 'a string', (n: YamlNode) => isScalar(n) && typeof n.value === 'string'],
      ['int', 'an integer', (n: YamlNode) => isScalar(n) && typeof n.value === 'number' && Number.isInteger(n.value)],
      ['float', 'a number', (n: YamlNode) => isScalar(n) && (typeof n.value === 'number' || (typeof n.value === 'string' && WHOLE_NUMBER.test(n.value)))],
      ['bool', 'true or false', (n: YamlNode) => isScalar(n) && typeof n.value === 'boolean'],
      ['null', 'null', (n: YamlNode) => isScalar(n) && n.value === null],
      ['map', 'a mapping', (n: YamlNode) => isMap(n)],
      ['seq', 'a list', (n: YamlNode) => isSeq(n)],
    ] as const
  ).map(([t, what, test]) => [`tag:yaml.org,2002:${t}`, { what, test }] as const),
);

/**
 * State of one walk: collected problems, positions by value path, and the alias budget
 * that stops "billion laughs" documents (an alias expanded inside an alias counts again).
 */
export class WalkContext {
  /** Every problem found, in document order of discovery. */
  readonly problems: SchemaProblem[] = [];
  /** Position of every value seen, by document path. */
  readonly positions = new Map<string, SourcePos>();
  /** Shared-key values seen, so the loader can scrub them from any message. */
  readonly secrets: string[] = [];
  private aliasCount = 0;
  private aliasRefused = false;
  /** The node each alias stands for (see aliasTargets). */
  readonly aliasTargets: ReadonlyMap<Alias, YamlNode | undefined>;

  /**
   * @param doc the parsed document (aliases resolve against it)
   * @param lines the line index of the source text (every position comes from it)
   * @param text the source text (to find the position of tags and the spelling of numbers)
   * @param maxAliases alias dereferences allowed in the whole walk
   */
  constructor(
    doc: Document,
    private readonly lines: LineIndex,
    private readonly text: string,
    private readonly maxAliases: number = DEFAULT_MAX_ALIASES,
  ) {
    this.aliasTargets = aliasTargets(doc);
  }

  /** 1-based line:column of a character offset. */
  posAt(offset: number): SourcePos {
    return this.lines.posAt(offset);
  }

  /** The source text of a node, as written (at most `max` characters), or undefined without a range. */
  sourceOf(node: unknown, max = 40): string | undefined {
    const range = (node as { range?: unknown } | null | undefined)?.range;
    if (!Array.isArray(range) || typeof range[0] !== 'number' || typeof range[1] !== 'number') return undefined;
    const s = this.text.slice(range[0], Math.min(range[1], range[0] + max + 1)).trim();
    return s.length > max ? `${s.slice(0, max - 1)}…` : s;
  }

  /** Position of a node's first character (1:1 when the node has no range). */
  posOf(node: unknown): SourcePos {
    const range = (node as { range?: unknown } | null | undefined)?.range;
    if (Array.isArray(range) && typeof range[0] === 'number') return this.posAt(range[0]);
    return { line: 1, column: 1 };
  }

  /** Record a problem. */
  report(code: SchemaProblem['code'], message: string, pos: SourcePos, path: string): void {
    this.problems.push({ code, message, line: pos.line, column: pos.column, path });
  }

  /** The position of an explicit tag written before `node` (tags sit before the value). */
  private tagPos(node: unknown): SourcePos {
    const range = (node as { range?: unknown }).range;
    let i = Array.isArray(range) && typeof range[0] === 'number' ? range[0] : 0;
    const t = this.text;
    for (let guard = 0; guard < 4 && i > 0; guard++) {
      let j = i - 1;
      while (j >= 0 && /\s/.test(t[j] ?? '')) j--;
      let k = j;
      // A verbatim tag (!<tag:yaml.org,2002:int>) holds ':' and ',': it runs back to its "!<".
      if (t[j] === '>') k = Math.max(0, t.lastIndexOf('!<', j));
      else while (k > 0 && !/[\s,[{:]/.test(t[k - 1] ?? '')) k--;
      if (t[k] === '!') return this.posAt(k);
      if (t[k] !== '&') break;
      i = k;
    }
    return this.posOf(node);
  }

  /**
   * Follow an alias (charging the budget) and refuse non-core tags. Returns the node to
   * convert, or undefined when the value was refused (the problem is already reported).
   */
  resolve(raw: unknown, at: At): YamlNode | undefined {
    let node: unknown = raw;
    if (isAlias(node)) {
      this.aliasCount++;
      if (this.aliasCount > this.maxAliases) {
        if (!this.aliasRefused) {
          this.aliasRefused = true;
          this.report(
            'SCHEMA',
            aliasBombMessage(this.maxAliases),
            this.posOf(node),
            at.path,
          );
        }
        return undefined;
      }
      const target = this.aliasTargets.get(node);
      if (!target) {
        this.report('SCHEMA', `YAML alias *${node.source} refers to no anchor; define &${node.source} before using it`, this.posOf(node), at.path);
        return undefined;
      }
      node = target;
    }
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) {
      this.report('SCHEMA', `${label(at)} has no value; give it one`, this.posOf(raw), at.path);
      return undefined;
    }
    const tag = node.tag;
    if (tag !== undefined && !CORE_TAGS.has(tag)) {
      const shown = tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
      this.report(
        'SCHEMA',
        `${label(at)} has the tag ${shown}, which scenario files do not accept (only plain YAML core values); remove the tag`,
        this.tagPos(node),
        at.path,
      );
      return undefined;
    }
    const want = tag === undefined ? undefined : CORE_TAG_VALUES.get(tag);
    if (tag === FLOAT_TAG && isScalar(node) && typeof node.value === 'string' && WHOLE_NUMBER.test(node.value)) node.value = Number(node.value);
    if (want !== undefined && !want.test(node)) {
      const shown = `!!${(tag as string).slice('tag:yaml.org,2002:'.length)}`;
      const value = this.sourceOf(node) ?? '';
      this.report(
        'SCHEMA',
        `${label(at)} has the tag ${shown}, but ${value === '' ? 'its value' : value} is not ${want.what} (YAML core schema); remove the tag or write ${want.what}`,
        this.tagPos(node),
        at.path,
      );
      return undefined;
    }
    return node;
  }
}

/** Where a value sits: its document path, the key words used in messages, its owner. */
export interface At {
  /** Document path, e.g. `vnets[0].addressSpace[1]`; '' for the root. */
  readonly path: string;
  /** Key as shown in messages, e.g. `addressSpace[1]`; '' for the root. */
  readonly key: string;
  /** The owning object in words, e.g. `vnet "vnet1"`. */
  readonly owner: string;
}

/** Marker returned by a conversion that failed (its problems are already reported). */
export const INVALID: unique symbol = Symbol('invalid');
/** Type of INVALID. */
export type Invalid = typeof INVALID;

/** What the walker needs of a schema: a conversion of a node (neither an alias nor an unknown tag) at `at`. */
export interface Walkable<T> {
  convert(node: YamlNode, at: At, ctx: WalkContext): T | Invalid;
}

/** Message words for a value's key: `"sku" in gateway "gw1"`. */
export function label(at: At): string {
  if (at.key === '') return 'the document';
  return at.owner === '' ? `"${at.key}"` : `"${at.key}" in ${at.owner}`;
}

/** `s` cut to `n` characters, the last one an ellipsis when it was longer. */
export function truncate(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** A value in words, for "got ..."; secret values show as ***. */
export function describeGot(node: YamlNode, secret: boolean, ctx: WalkContext): string {
  let what: string;
  let shown: string;
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  const v: unknown = isScalar(node) ? node.value : undefined;
  if (v === null || v === undefined) return 'nothing (an empty value)';
  if (typeof v === 'string') {
    what = 'a string';
    shown = JSON.stringify(truncate(v));
  } else if (typeof v === 'number') {
    what = 'a number';
    // As written: 1e400 and .inf are not "Infinity", .nan is not "NaN".
    shown = Number.isFinite(v) ? String(v) : `${ctx.sourceOf(node) ?? (Number.isNaN(v) ? '.nan' : '.inf')} (not a finite number)`;
  } else if (typeof v === 'boolean') {
    what = 'a boolean';
    shown = String(v);
  } else {
    what = 'a value';
    shown = 'a non-text value';
  }
  return secret ? `*** (${what})` : shown;
}

/** The value of a scalar node; undefined for a mapping or a list. */
export function scalarOf(node: YamlNode): unknown {
  return isScalar(node) ? node.value : undefined;
}

/** Convert a raw node (maybe an alias) at `at`: records its position, then converts. */
export function convertValue<T>(schema: Walkable<T>, raw: unknown, at: At, ctx: WalkContext): T | Invalid {
  ctx.positions.set(at.path, ctx.posOf(raw));
  const node = ctx.resolve(raw, at);
  if (node === undefined) return INVALID;
  return schema.convert(node, at, ctx);
}

/** The items of a list converted by `item`, at `key[i]` under the same owner; `bad` when one was refused. */
export function walkItems<T>(item: Walkable<T>, node: YAMLSeq, at: At, ctx: WalkContext): { readonly out: T[]; readonly bad: boolean } {
  const out: T[] = [];
  let bad = false;
  node.items.forEach((raw, i) => {
    const itemAt: At = { path: `${at.path}[${i}]`, key: `${at.key}[${i}]`, owner: at.owner };
    const v = convertValue(item, raw, itemAt, ctx);
    if (v === INVALID) bad = true;
    else out.push(v);
  });
  return { out, bad };
}

/** What the walker needs of one key of a mapping. */
export interface WalkField {
  readonly schema: Walkable<unknown>;
  readonly required: boolean;
  /** What to write when the key is missing; absent: the first sentence of the description. */
  readonly hint: string | undefined;
  readonly description: string;
}

/** What the walker needs of a kind of mapping. */
export interface MappingShape {
  /** Noun used in messages ("vnet", "gateway"). */
  readonly noun: string;
  /** The key that names an instance in messages (`vnet "vnet1"`). */
  readonly nameKey?: string;
  readonly fields: { readonly [key: string]: WalkField };
}

/** The keys of a mapping converted, and the owner words its messages used. */
export interface WalkedMapping {
  /** The converted value of every key that was present, non-empty and valid. */
  readonly values: Map<string, unknown>;
  /** The mapping in words (`vnet "vnet1"`, `device of site "hq"`). */
  readonly owner: string;
  /** True when some key was refused or a required key is missing (already reported). */
  readonly bad: boolean;
}

/** The document path of `key` inside the value at `path`. */
export function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function isEmptyValue(node: unknown): boolean {
  return isScalar(node) && (node.value === null || node.value === undefined);
}

function isEmptyAt(node: { items: readonly Pair<unknown, unknown>[] }, key: string): boolean {
  const p = node.items.find((it) => isScalar(it.key) && it.key.value === key);
  return p !== undefined && (p.value === null || p.value === undefined || isEmptyValue(p.value));
}

/**
 * Walk the keys of a mapping against `shape`: every key checked (plain, once, no merge
 * key, known), every present non-empty value converted, every missing required key
 * reported. Cross-key rules and defaults are the schema's (see `object` in dsl.ts).
 */
export function walkMapping(node: YAMLMap, at: At, ctx: WalkContext, shape: MappingShape): WalkedMapping {
  const keys = Object.keys(shape.fields);
  const allowed = keys.join(', ');
  // Name the object in messages by its name key when that is a plain string.
  // Otherwise by where it sits: `device of site "hq"`, `fault faults[0]`.
  const top = at.owner === '' || at.owner === 'the scenario';
  let owner = at.path === '' ? 'the scenario' : at.key.endsWith(']')
    ? `${shape.noun} ${at.key}${top ? '' : ` of ${at.owner}`}`
    : `${shape.noun} of ${at.owner}`;
  if (shape.nameKey) {
    const np = node.items.find((p) => isScalar(p.key) && p.key.value === shape.nameKey);
    if (np && isScalar(np.value) && typeof np.value.value === 'string' && np.value.value !== '') {
      owner = `${shape.noun} "${truncate(np.value.value, 40)}"`;
    }
  }
  const seen = new Map<string, SourcePos>();
  const values = new Map<string, unknown>();
  let bad = false;
  for (const pair of node.items as Pair<unknown, unknown>[]) {
    const k: unknown = pair.key;
    const kpos = ctx.posOf(k ?? node);
    if (!isScalar(k) || typeof k.value !== 'string') {
      const shown = isScalar(k) ? String(k.value) : isAlias(k) ? `*${k.source}` : 'a collection';
      ctx.report('SCHEMA', `keys must be plain names; ${owner} has the key ${truncate(shown, 40)}: write a key from ${allowed}`, kpos, at.path);
      bad = true;
      continue;
    }
    const key = k.value;
    if (k.tag !== undefined && !CORE_TAGS.has(k.tag)) {
      ctx.report('SCHEMA', `the key "${truncate(key, 40)}" in ${owner} has the tag ${k.tag}, which scenario files do not accept; remove the tag`, kpos, joinPath(at.path, key));
      bad = true;
      continue;
    }
    const first = seen.get(key);
    if (first) {
      ctx.report('SCHEMA', `duplicate key "${key}" in ${owner} (first at line ${first.line}); each key may appear once: remove one`, kpos, joinPath(at.path, key));
      bad = true;
      continue;
    }
    seen.set(key, kpos);
    // Own keys only: a key named like a built-in ("constructor", "__proto__") is just unknown.
    const field = Object.hasOwn(shape.fields, key) ? shape.fields[key] : undefined;
    if (key === '<<' && !field) {
      ctx.report(
        'SCHEMA',
        `YAML merge keys ("<<") are not supported in scenario files (${owner}); write the keys out here instead of merging them from an anchor (an alias may still stand for a whole value: key: *anchor)`,
        kpos,
        joinPath(at.path, key),
      );
      bad = true;
      continue;
    }
    if (!field) {
      const near = suggest(key, keys);
      const hint = near ? `did you mean "${near}"?` : `allowed keys: ${allowed}`;
      ctx.report('SCHEMA', `unknown key "${truncate(key, 40)}" in ${owner}; ${hint}`, kpos, joinPath(at.path, key));
      bad = true;
      continue;
    }
    const vpath = joinPath(at.path, key);
    if (isEmptyValue(pair.value) || pair.value === null || pair.value === undefined) {
      ctx.positions.set(vpath, pair.value ? ctx.posOf(pair.value) : kpos);
      continue; // empty value: treated as absent
    }
    const v = convertValue(field.schema, pair.value, { path: vpath, key, owner }, ctx);
    if (v === INVALID) bad = true;
    else values.set(key, v);
  }
  for (const key of keys) {
    const field = shape.fields[key] as WalkField;
    if (!field.required || values.has(key)) continue;
    if (seen.has(key) && !isEmptyAt(node, key)) continue; // present but invalid: already reported
    const why = field.hint ?? field.description.split(/(?<=\.)\s/)[0]?.replace(/\.$/, '') ?? '';
    const empty = seen.has(key) ? ` has no value; give "${key}" a value` : '';
    const msg = empty
      ? `required key "${key}" in ${owner}${empty} (${why})`
      : `missing required key "${key}" in ${owner}; add "${key}: ..." (${why})`;
    ctx.report('SCHEMA', msg, seen.get(key) ?? ctx.posOf(node), joinPath(at.path, key));
    bad = true;
  }
  return { values, owner, bad };
}

/** What walking a document gives: the value only when nothing was refused. */
export interface WalkResult<T> {
  /** Present only when no problem was found. */
  readonly value?: T;
  readonly problems: readonly SchemaProblem[];
  readonly positions: ReadonlyMap<string, SourcePos>;
  /** Shared-key values seen (for the loader to scrub messages). */
  readonly secrets: readonly string[];
}

/**
 * Walk a parsed YAML document (its `contents`) against `schema`, collecting every problem.
 * An alias bomb is refused before the walk, which would expand it.
 */
export function walkDocument<T>(schema: Walkable<T>, doc: Document, lines: LineIndex, text: string, maxAliases: number = DEFAULT_MAX_ALIASES): WalkResult<T> {
  const ctx = new WalkContext(doc, lines, text, maxAliases);
  const bomb = findAliasBomb(doc, maxAliases, ctx.aliasTargets);
  if (bomb !== undefined) {
    ctx.report('SCHEMA', aliasBombMessage(maxAliases), ctx.posOf(bomb), '');
    return { problems: ctx.problems, positions: ctx.positions, secrets: ctx.secrets };
  }
  const v = convertValue(schema, doc.contents, { path: '', key: '', owner: '' }, ctx);
  const base = { problems: ctx.problems, positions: ctx.positions, secrets: ctx.secrets };
  return v === INVALID || ctx.problems.length > 0 ? base : { ...base, value: v };
}
