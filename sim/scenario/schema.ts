/**
 * The scenario schema: the ONE source of truth for the scenario file format.
 *
 * A small schema DSL (strings, names, integers, enums, prefixes, addresses, durations,
 * rates, counts, lists, objects) describes every key of SCENARIO-FORMAT.md plus the keys
 * vgwsim adds. The same description
 *   (a) validates a parsed YAML document node by node, collecting every problem with the
 *       line and column of the offending value (or key, or parent object),
 *   (b) converts it into the typed `Scenario` model of types.ts, recording the position of
 *       every value path, and
 *   (c) emits the JSON Schema that editors use (`scenarioJsonSchema`).
 *
 * It rejects unknown keys (with "did you mean"; keys are looked up as own keys, so
 * `constructor:` or `__proto__:` is just unknown), YAML merge keys (`<<`), duplicate keys,
 * wrong types, values out of range (times and rates past the bounds of units.ts, a flow
 * whose last packet would fall past them), enum values not in the list, malformed
 * prefixes and addresses (INVALID_PREFIX), control characters in names, tags outside the
 * YAML core schema, core tags whose value does not resolve (`!!int abc`) and alias
 * expansion past a small budget. Positions come from the loader's line index; a number
 * is shown as written, never as NaN or Infinity. It never echoes a shared key. Semantic
 * checks (references, overlaps, SKU rules) are not here: they belong to check.ts. This
 * module reads no files and never throws on input; its recursion follows the document,
 * whose nesting the loader bounds before the walk.
 */
import { TRANSFORMS } from '../ipsec/transforms.js';
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Alias, Document, Node as YamlNode, Pair } from 'yaml';
import { DROP_REASON_NAMES } from '../engine/drop-reasons.js';
import type { DropReason } from '../engine/drop-reasons.js';
import { parseIPv4, parsePrefix } from '../net/ipv4.js';
import { DIAGNOSTIC_CODES } from './diagnostics.js';
import type { SourcePos } from './diagnostics.js';
import { firstControl, LineIndex } from './source-text.js';
import { suggest } from './suggest.js';
import { DEFAULT_EDITION, INJECT_ACTIONS } from './types.js';
import type {
  AclLine,
  Bgp,
  CertificateState,
  Circuit,
  Connection,
  ConnectionType,
  Count,
  Device,
  CopiesExpectation,
  Expectation,
  Fault,
  Injection,
  InjectAction,
  Flow,
  Gateway,
  GatewayKind,
  GatewaySku,
  Host,
  NextHopType,
  P2sClient,
  P2sConfig,
  Prefix,
  Proto,
  RulesEdition,
  Scenario,
  Site,
  Subnet,
  UserRoute,
  Vnet,
  VpnType,
} from './types.js';
import {
  BIT_RATE_PATTERN,
  DURATION_PATTERN,
  MAX_BIT_RATE,
  MAX_PACKET_RATE,
  MAX_SECONDS,
  PACKET_RATE_PATTERN,
  parseDuration,
  parseRate,
} from './units.js';
import type { RateKind } from './units.js';

// ---------------------------------------------------------------------------------------
// Walking context
// ---------------------------------------------------------------------------------------

/** A problem found while walking the document; the loader adds file and severity. */
export interface SchemaProblem {
  readonly code: 'SCHEMA' | 'INVALID_PREFIX';
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
}

/** A JSON value, as emitted into the JSON Schema. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };
/** A JSON object, as emitted into the JSON Schema. */
export type JsonObject = { readonly [k: string]: JsonValue };

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

function aliasBombMessage(max: number): string {
  return `too many YAML alias expansions (more than ${max}); this looks like an alias bomb: write the values out instead of nesting aliases`;
}

/** Default limit on alias dereferences (counting nested ones) before the document is refused. */
export const DEFAULT_MAX_ALIASES = 100;

/**
 * The node each alias of `doc` stands for (undefined: no anchor of that name before it),
 * found in one walk in document order: an alias refers to the closest anchor of its name
 * before it, and an alias inside the node it names refers to that node (a cycle).
 */
export function aliasTargets(doc: Document): Map<Alias, YamlNode | undefined> {
  const targets = new Map<Alias, YamlNode | undefined>();
  const anchors = new Map<string, YamlNode>();
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
      continue;
    }
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) continue;
    if (typeof node.anchor === 'string' && node.anchor !== '') anchors.set(node.anchor, node);
    if (isMap(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const p = node.items[i] as Pair<unknown, unknown>;
        stack.push(p.value, p.key);
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  return targets;
}

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
  enter(raw: unknown, at: At): YamlNode | undefined {
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

// ---------------------------------------------------------------------------------------
// The DSL
// ---------------------------------------------------------------------------------------

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

/** A value kind: validates a node, converts it to `T`, and describes itself as JSON Schema. */
export interface Schema<T> {
  /** Kind name, for debugging and tests. */
  readonly kind: string;
  /** What a valid value looks like, in words ("an integer 1-65535"). */
  readonly expected: string;
  /** A secret value is never echoed in a message. */
  readonly secret: boolean;
  /** Validate and convert a node that is neither an alias nor an unknown tag. */
  convert(node: YamlNode, at: At, ctx: WalkContext): T | Invalid;
  /** JSON Schema of this value (without the description of the key holding it). */
  toJson(): JsonObject;
}

/** Message words for a value's key: `"sku" in gateway "gw1"`. */
export function label(at: At): string {
  if (at.key === '') return 'the document';
  return at.owner === '' ? `"${at.key}"` : `"${at.key}" in ${at.owner}`;
}

function truncate(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** A value in words, for "got ..."; secret values show as ***. */
function describeGot(node: YamlNode, secret: boolean, ctx: WalkContext): string {
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

function wrongType<T>(schema: Schema<T>, node: YamlNode, at: At, ctx: WalkContext): Invalid {
  let hint = '';
  const v = scalarOf(node);
  if (!schema.secret) {
    if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) && ['integer', 'count', 'boolean'].includes(schema.kind)) {
      hint = ' (remove the quotes)';
    } else if (((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') && ['string', 'name', 'prefix', 'ipv4'].includes(schema.kind)) {
      hint = ` (quote it if you mean text: "${String(v)}")`;
    }
  }
  ctx.report('SCHEMA', `${label(at)} must be ${schema.expected}; got ${describeGot(node, schema.secret, ctx)}${hint}`, ctx.posOf(node), at.path);
  return INVALID;
}

function scalarOf(node: YamlNode): unknown {
  return isScalar(node) ? node.value : undefined;
}

/** Options of `str`. */
export interface StringOptions {
  /** Require at least one character (a name). */
  readonly nonEmpty?: boolean;
  /** Never echo the value (shared keys). */
  readonly secret?: boolean;
  /** What the value is, in words, when more precise than "a string". */
  readonly expected?: string;
  /** Refuse control characters (see source-text.ts): names and access-list lines are shown in messages and traces. */
  readonly plain?: boolean;
  /** With `plain`: tabs are allowed (they separate the words of an access-list line). */
  readonly tabs?: boolean;
}

/** A string value. */
export function str(opts: StringOptions = {}): Schema<string> {
  const self: Schema<string> = {
    kind: opts.secret ? 'secret' : opts.nonEmpty ? 'name' : 'string',
    expected: opts.expected ?? (opts.nonEmpty ? 'a non-empty string' : 'a string'),
    secret: opts.secret === true,
    convert(node, at, ctx) {
      const v = scalarOf(node);
      if (typeof v !== 'string') return wrongType(self, node, at, ctx);
      if (opts.nonEmpty && v.trim() === '') {
        ctx.report('SCHEMA', `${label(at)} must not be empty; write a name`, ctx.posOf(node), at.path);
        return INVALID;
      }
      const control = opts.plain ? firstControl(v, opts.tabs) : undefined;
      if (control !== undefined) {
        const what = opts.tabs ? 'access-list lines are plain text (no line breaks, escape or direction characters)' : 'names are plain text (no line breaks, tabs, escape or direction characters)';
        ctx.report('SCHEMA', `${label(at)} contains the control character ${control}; ${what}: remove it`, ctx.posOf(node), at.path);
        return INVALID;
      }
      if (opts.secret) ctx.secrets.push(v);
      return v;
    },
    toJson(): JsonObject {
      return opts.nonEmpty ? { type: 'string', minLength: 1 } : { type: 'string' };
    },
  };
  return self;
}

/** A name: a non-empty string without control characters. */
export function name(expected = 'a non-empty string (a name)'): Schema<string> {
  return str({ nonEmpty: true, expected, plain: true });
}

/** An integer in [min, max]. */
export function integer(min: number, max: number): Schema<number> {
  const self: Schema<number> = {
    kind: 'integer',
    expected: `an integer ${min}-${max}`,
    secret: false,
    convert(node, at, ctx) {
      const v = scalarOf(node);
      if (typeof v !== 'number' || !Number.isInteger(v)) return wrongType(self, node, at, ctx);
      if (v < min || v > max) {
        ctx.report('SCHEMA', `${label(at)} must be ${self.expected}; got ${v}`, ctx.posOf(node), at.path);
        return INVALID;
      }
      return v;
    },
    toJson(): JsonObject {
      return { type: 'integer', minimum: min, maximum: max };
    },
  };
  return self;
}

/** true or false. */
export function bool(): Schema<boolean> {
  const self: Schema<boolean> = {
    kind: 'boolean',
    expected: 'true or false',
    secret: false,
    convert(node, at, ctx) {
      const v = scalarOf(node);
      return typeof v === 'boolean' ? v : wrongType(self, node, at, ctx);
    },
    toJson(): JsonObject {
      return { type: 'boolean' };
    },
  };
  return self;
}

/** One of a fixed list of strings (case-sensitive; a near miss gets a suggestion). */
export function oneOf<const V extends string>(values: readonly V[]): Schema<V> {
  const list = values.join(', ');
  const self: Schema<V> = {
    kind: 'enum',
    expected: `one of ${list}`,
    secret: false,
    convert(node, at, ctx) {
      const v = scalarOf(node);
      if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as V;
      const near = typeof v === 'string' ? suggest(v, values) : undefined;
      const hint = near ? `; did you mean "${near}"?` : '';
      ctx.report('SCHEMA', `${label(at)} must be one of ${list}; got ${describeGot(node, false, ctx)}${hint}`, ctx.posOf(node), at.path);
      return INVALID;
    },
    toJson(): JsonObject {
      return { type: 'string', enum: [...values] };
    },
  };
  return self;
}

const CIDR_PATTERN = '^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}/\\d{1,2}$';
const IPV4_PATTERN = '^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$';

/** An IPv4 CIDR prefix without host bits (INVALID_PREFIX otherwise). */
export function prefix(): Schema<Prefix> {
  const self: Schema<Prefix> = {
    kind: 'prefix',
    expected: 'a CIDR prefix such as "10.1.0.0/16"',
    secret: false,
    convert(node, at, ctx) {
      const v = scalarOf(node);
      if (typeof v !== 'string') return wrongType(self, node, at, ctx);
      const r = parsePrefix(v.trim());
      if (!r.ok) {
        ctx.report('INVALID_PREFIX', `${label(at)}: ${r.error}`, ctx.posOf(node), at.path);
        return INVALID;
      }
      return r.value;
    },
    toJson(): JsonObject {
      return { type: 'string', pattern: CIDR_PATTERN };
    },
  };
  return self;
}

/** An IPv4 address, converted to uint32 with its text kept. */
export interface AddressValue {
  readonly value: number;
  readonly text: string;
}

/** An IPv4 address (INVALID_PREFIX when it is not one). */
export function ipv4(): Schema<AddressValue> {
  const self: Schema<AddressValue> = {
    kind: 'ipv4',
    expected: 'an IPv4 address such as "10.1.0.4"',
    secret: false,
    convert(node, at, ctx) {
      const v = scalarOf(node);
      if (typeof v !== 'string') return wrongType(self, node, at, ctx);
      const text = v.trim();
      const r = parseIPv4(text);
      if (!r.ok) {
        ctx.report('INVALID_PREFIX', `${label(at)}: ${r.error}`, ctx.posOf(node), at.path);
        return INVALID;
      }
      return { value: r.value, text };
    },
    toJson(): JsonObject {
      return { type: 'string', pattern: IPV4_PATTERN };
    },
  };
  return self;
}

/** A duration → seconds: a number of seconds, or a string with a unit ms, s, m, h; finite and at most MAX_SECONDS. */
export function duration(): Schema<number> {
  const self: Schema<number> = {
    kind: 'duration',
    expected: 'a duration: a number of seconds or a string such as "250ms", "2s", "8h"',
    secret: false,
    convert(node, at, ctx) {
      const v = scalarOf(node);
      if (typeof v !== 'number' && typeof v !== 'string') return wrongType(self, node, at, ctx);
      const r = parseDuration(v, typeof v === 'number' ? ctx.sourceOf(node) : undefined);
      if (!r.ok) {
        ctx.report('SCHEMA', `${label(at)}: ${r.error}`, ctx.posOf(node), at.path);
        return INVALID;
      }
      return r.value;
    },
    toJson(): JsonObject {
      return { anyOf: [{ type: 'number', minimum: 0, maximum: MAX_SECONDS }, { type: 'string', pattern: DURATION_PATTERN }] };
    },
  };
  return self;
}

/** A rate → bits/s ('bits': "50Mbps", "1Gbps", "500kbps") or packets/s ('packets': "1000pps"), within the bounds of units.ts. */
export function rate(kind: RateKind): Schema<number> {
  const self: Schema<number> = {
    kind: `rate(${kind})`,
    expected: kind === 'bits' ? 'a bit rate such as "50Mbps", "1Gbps" or "500kbps"' : 'a packet rate such as "1000pps"',
    secret: false,
    convert(node, at, ctx) {
      const v = scalarOf(node);
      if (typeof v !== 'number' && typeof v !== 'string') return wrongType(self, node, at, ctx);
      const r = parseRate(v, kind, typeof v === 'number' ? ctx.sourceOf(node) : undefined);
      if (!r.ok) {
        ctx.report('SCHEMA', `${label(at)}: ${r.error}`, ctx.posOf(node), at.path);
        return INVALID;
      }
      return r.value;
    },
    toJson(): JsonObject {
      return {
        anyOf: [
          kind === 'bits' ? { type: 'number', exclusiveMinimum: 0, maximum: MAX_BIT_RATE } : { type: 'number', minimum: 1 / MAX_SECONDS, maximum: MAX_PACKET_RATE },
          { type: 'string', pattern: kind === 'bits' ? BIT_RATE_PATTERN : PACKET_RATE_PATTERN },
        ],
      };
    },
  };
  return self;
}

/** A count of packets: an integer ≥ 0 or "all". */
export function count(): Schema<Count> {
  const self: Schema<Count> = {
    kind: 'count',
    expected: 'an integer ≥ 0 or "all"',
    secret: false,
    convert(node, at, ctx) {
      const v = scalarOf(node);
      if (v === 'all') return 'all';
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
      if (typeof v === 'string' && v.trim().toLowerCase() === 'all') {
        ctx.report('SCHEMA', `${label(at)} must be an integer ≥ 0 or "all"; got ${describeGot(node, false, ctx)}; did you mean "all"?`, ctx.posOf(node), at.path);
        return INVALID;
      }
      return wrongType(self, node, at, ctx);
    },
    toJson(): JsonObject {
      return { anyOf: [{ type: 'integer', minimum: 0 }, { const: 'all' }] };
    },
  };
  return self;
}

/** Options of `array`. */
export interface ArrayOptions {
  readonly minItems?: number;
}

/** A list of items of one kind. */
export function array<T>(item: Schema<T>, opts: ArrayOptions = {}): Schema<readonly T[]> {
  const self: Schema<readonly T[]> = {
    kind: 'array',
    expected: opts.minItems ? `a list of ${item.expected} (at least ${opts.minItems})` : `a list of ${item.expected}`,
    secret: false,
    convert(node, at, ctx) {
      if (!isSeq(node)) {
        const v = scalarOf(node);
        const hint = (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) && !item.secret ? `; write it as a list: [${String(v)}]` : '';
        ctx.report('SCHEMA', `${label(at)} must be a list; got ${describeGot(node, item.secret, ctx)}${hint}`, ctx.posOf(node), at.path);
        return INVALID;
      }
      const out: T[] = [];
      let bad = false;
      node.items.forEach((raw, i) => {
        const itemAt: At = { path: `${at.path}[${i}]`, key: `${at.key}[${i}]`, owner: at.owner };
        const v = convertValue(item, raw, itemAt, ctx);
        if (v === INVALID) bad = true;
        else out.push(v);
      });
      if (opts.minItems !== undefined && node.items.length < opts.minItems) {
        ctx.report('SCHEMA', `${label(at)} needs at least ${opts.minItems} item${opts.minItems === 1 ? '' : 's'}; add one`, ctx.posOf(node), at.path);
        bad = true;
      }
      return bad ? INVALID : out;
    },
    toJson(): JsonObject {
      const j: Record<string, JsonValue> = { type: 'array', items: item.toJson() };
      if (opts.minItems !== undefined) j['minItems'] = opts.minItems;
      return j;
    },
  };
  return self;
}

/** Convert a raw node (maybe an alias) at `at`: records its position, then converts. */
export function convertValue<T>(schema: Schema<T>, raw: unknown, at: At, ctx: WalkContext): T | Invalid {
  ctx.positions.set(at.path, ctx.posOf(raw));
  const node = ctx.enter(raw, at);
  if (node === undefined) return INVALID;
  return schema.convert(node, at, ctx);
}

/** A key of an object: its value kind, whether it is required, its default, its description. */
export interface Field<T> {
  readonly schema: Schema<unknown>;
  readonly required: boolean;
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
  /** The default as shown in JSON Schema (when it differs from defaultValue or is computed). */
  readonly jsonDefault: JsonValue | undefined;
  readonly description: string;
  /** What to write when the key is missing ("the name of the VNet ..."); defaults to the description. */
  readonly hint: string | undefined;
  /** Phantom: the converted type. */
  readonly out?: () => T;
}

/** A required key. */
export function required<T>(schema: Schema<T>, description: string, hint?: string): Field<T> {
  return { schema, required: true, hasDefault: false, defaultValue: undefined, jsonDefault: undefined, description, hint };
}

/** An optional key without a default (absent → undefined). An empty value counts as absent. */
export function optional<T>(schema: Schema<T>, description: string, jsonDefault?: JsonValue): Field<T | undefined> {
  return { schema, required: false, hasDefault: false, defaultValue: undefined, jsonDefault, description, hint: undefined };
}

/** An optional key with a default. An empty value counts as absent. */
export function withDefault<T>(schema: Schema<T>, value: T, jsonDefault: JsonValue, description: string): Field<T> {
  return { schema, required: false, hasDefault: true, defaultValue: value, jsonDefault, description, hint: undefined };
}

/** The keys of an object. */
export type Fields = { readonly [key: string]: Field<unknown> };

/** The converted output of an object: its path and one property per key. */
export type ObjectOut<F extends Fields> = { readonly path: string } & {
  readonly [K in keyof F]: F[K] extends Field<infer T> ? T : never;
};

/** A cross-key problem found by an object's `refine`. */
export interface Issue {
  readonly message: string;
  /** The key the problem is about (its value's position is used); absent: the object itself. */
  readonly key?: string;
}

/** Definition of an object kind. */
export interface ObjectDef<F extends Fields> {
  /** Noun used in messages ("vnet", "gateway"). */
  readonly noun: string;
  /** Description for the JSON Schema. */
  readonly description: string;
  /** The key that names an instance in messages (`vnet "vnet1"`). */
  readonly nameKey?: string;
  readonly fields: F;
  /** Checks across keys, run when every key converted. */
  readonly refine?: (v: ObjectOut<F>) => readonly Issue[];
}

/** Schema of an object kind, keeping its definition (for JSON Schema and tests). */
export interface ObjectSchema<F extends Fields> extends Schema<ObjectOut<F>> {
  readonly def: ObjectDef<F>;
}

function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function isEmptyValue(node: unknown): boolean {
  return isScalar(node) && (node.value === null || node.value === undefined);
}

/** A mapping with a fixed set of keys; unknown keys are errors. */
export function object<F extends Fields>(def: ObjectDef<F>): ObjectSchema<F> {
  const keys = Object.keys(def.fields);
  const allowed = keys.join(', ');
  const self: ObjectSchema<F> = {
    def,
    kind: 'object',
    expected: `a mapping (${def.noun})`,
    secret: false,
    convert(node, at, ctx) {
      if (!isMap(node)) {
        const extra = at.key === '' ? ' (lines of "key: value")' : '';
        ctx.report('SCHEMA', `${label(at)} must be a mapping${extra}; got ${describeGot(node, false, ctx)}`, ctx.posOf(node), at.path);
        return INVALID;
      }
      // Name the object in messages by its name key when that is a plain string.
      // Otherwise by where it sits: `device of site "hq"`, `fault faults[0]`.
      const top = at.owner === '' || at.owner === 'the scenario';
      let owner = at.path === '' ? 'the scenario' : at.key.endsWith(']')
        ? `${def.noun} ${at.key}${top ? '' : ` of ${at.owner}`}`
        : `${def.noun} of ${at.owner}`;
      if (def.nameKey) {
        const np = node.items.find((p) => isScalar(p.key) && p.key.value === def.nameKey);
        if (np && isScalar(np.value) && typeof np.value.value === 'string' && np.value.value !== '') {
          owner = `${def.noun} "${truncate(np.value.value, 40)}"`;
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
        const field = Object.hasOwn(def.fields, key) ? def.fields[key] : undefined;
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
        const field = def.fields[key] as Field<unknown>;
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
      if (bad) return INVALID;
      const out: Record<string, unknown> = { path: at.path };
      for (const key of keys) {
        const field = def.fields[key] as Field<unknown>;
        const v = values.has(key) ? values.get(key) : field.hasDefault ? field.defaultValue : undefined;
        if (v !== undefined) out[key] = v;
      }
      const result = out as ObjectOut<F>;
      if (def.refine) {
        const issues = def.refine(result);
        for (const issue of issues) {
          const ipath = issue.key ? joinPath(at.path, issue.key) : at.path;
          const pos = ctx.positions.get(ipath) ?? ctx.posOf(node);
          ctx.report('SCHEMA', issue.message.replace('{owner}', owner), pos, ipath);
        }
        if (issues.length > 0) return INVALID;
      }
      return result;
    },
    toJson(): JsonObject {
      const properties: Record<string, JsonValue> = {};
      const req: string[] = [];
      for (const key of keys) {
        const field = def.fields[key] as Field<unknown>;
        const inner = field.schema.toJson();
        let prop: Record<string, JsonValue>;
        if (field.required) {
          prop = { description: field.description, ...inner };
          req.push(key);
        } else {
          // An empty value (`key:` with nothing after it) counts as absent, so null is allowed.
          prop = { description: field.description, anyOf: [inner, { type: 'null' }] };
          if (field.jsonDefault !== undefined) prop['default'] = field.jsonDefault;
        }
        properties[key] = prop;
      }
      const j: Record<string, JsonValue> = { type: 'object', description: def.description, properties };
      if (req.length > 0) j['required'] = req;
      j['additionalProperties'] = false;
      return j;
    },
  };
  return self;
}

function isEmptyAt(node: { items: readonly Pair<unknown, unknown>[] }, key: string): boolean {
  const p = node.items.find((it) => isScalar(it.key) && it.key.value === key);
  return p !== undefined && (p.value === null || p.value === undefined || isEmptyValue(p.value));
}

/** A schema whose converted value is passed through `fn` (same validation, same JSON Schema). */
export function transform<A, B>(schema: Schema<A>, fn: (a: A) => B): Schema<B> {
  return {
    kind: schema.kind,
    expected: schema.expected,
    secret: schema.secret,
    convert(node, at, ctx) {
      const v = schema.convert(node, at, ctx);
      return v === INVALID ? INVALID : fn(v);
    },
    toJson(): JsonObject {
      return schema.toJson();
    },
  };
}

/** Drop keys whose value is undefined, so optional fields are absent rather than undefined. */
function compact<T extends object>(o: T): T {
  const r: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) r[k] = v;
  return r as T;
}

// ---------------------------------------------------------------------------------------
// The scenario format
// ---------------------------------------------------------------------------------------

const VPN_TYPE_SPELLINGS = ['PolicyBased', 'RouteBased', 'Static', 'Dynamic'] as const;
type VpnTypeSpelling = (typeof VPN_TYPE_SPELLINGS)[number];

/** Normalise a VPN type spelling: the classic aliases Static/Dynamic become PolicyBased/RouteBased. */
export function normaliseVpnType(s: VpnTypeSpelling): { vpnType: VpnType; vpnTypeAlias?: string } {
  if (s === 'Static') return { vpnType: 'PolicyBased', vpnTypeAlias: s };
  if (s === 'Dynamic') return { vpnType: 'RouteBased', vpnTypeAlias: s };
  return { vpnType: s };
}

const vpnTypeSchema = oneOf<VpnTypeSpelling>(VPN_TYPE_SPELLINGS);
const NAME = 'a non-empty string (a name)';

const hostSchema: Schema<Host> = transform(
  object({
    noun: 'host',
    nameKey: 'name',
    description: 'A host (a VM or an on-premises machine) that can send and receive traffic.',
    fields: {
      name: required(name(), 'Host name, unique among all hosts; flows use it in from/to.', 'the host name'),
      ip: required(ipv4(), "The host's IPv4 address; must lie inside its network.", 'the host address, e.g. 10.1.0.4'),
    },
  }),
  (h): Host => ({ path: h.path, name: h.name, ip: h.ip.value, ipText: h.ip.text }),
);

const userRouteSchema: Schema<UserRoute> = object({
  noun: 'route',
  description: 'A user-defined route of a subnet.',
  fields: {
    prefix: required(prefix(), 'Destination prefix, e.g. 0.0.0.0/0.', 'the destination prefix'),
    nextHop: required(oneOf<NextHopType>(['VirtualNetworkGateway', 'Internet', 'None']), 'Next hop: VirtualNetworkGateway, Internet, or None (drop).', 'VirtualNetworkGateway, Internet or None'),
  },
});

const subnetSchema: Schema<Subnet> = object({
  noun: 'subnet',
  nameKey: 'name',
  description: 'A subnet of a VNet. A gateway needs one named GatewaySubnet (/29 or larger).',
  fields: {
    name: required(name(), 'Subnet name, unique in its VNet; the gateway subnet is named GatewaySubnet.', 'the subnet name'),
    prefix: required(prefix(), "The subnet's prefix, inside the VNet's address space.", 'the subnet prefix, e.g. 10.1.0.0/24'),
    routes: withDefault(array(userRouteSchema), [], [], 'User-defined routes (next hop VirtualNetworkGateway, Internet or None). Default: none.'),
  },
});

const vnetSchema: Schema<Vnet> = object({
  noun: 'vnet',
  nameKey: 'name',
  description: 'An Azure virtual network.',
  fields: {
    name: required(name(), 'VNet name, unique among VNets.', 'the VNet name'),
    addressSpace: required(array(prefix(), { minItems: 1 }), 'The VNet address space: a list of CIDR prefixes.', 'a list of prefixes, e.g. [10.1.0.0/16]'),
    subnets: required(array(subnetSchema), 'Subnets of the VNet; a gateway needs one named GatewaySubnet.', 'a list of subnets'),
    hosts: withDefault(array(hostSchema), [], [], 'Hosts (VMs) in the VNet. Default: none.'),
  },
});

const bgpSchema: Schema<Bgp> = object({
  noun: 'bgp',
  description: 'BGP on a route-based gateway, where the SKU allows it.',
  fields: {
    asn: required(integer(1, 4294967295), 'Autonomous system number of the gateway (Azure uses 65515).', 'the AS number, e.g. 65515'),
  },
});

const p2sClientSchema: Schema<P2sClient> = object({
  noun: 'p2s client',
  nameKey: 'name',
  description: 'A point-to-site client; it gets the next free address of the pool.',
  fields: {
    name: required(name(), 'Client name; flows use it in from/to like a host.', 'the client name'),
    certificate: withDefault(
      oneOf<CertificateState>(['valid', 'revoked', 'untrusted']),
      'valid',
      'valid',
      "vgwsim extension: the client certificate's state; revoked or untrusted clients are dropped with p2s-auth. Default: valid.",
    ),
  },
});

const p2sSchema: Schema<P2sConfig> = object({
  noun: 'p2s',
  description: 'Point-to-site configuration (route-based gateways only).',
  fields: {
    addressPool: required(prefix(), 'The client address pool, e.g. 172.16.201.0/24.', 'the client address pool prefix'),
    clients: withDefault(array(p2sClientSchema), [], [], 'Point-to-site clients. Default: none.'),
  },
});

const gatewaySchema: Schema<Gateway> = transform(
  object({
    noun: 'gateway',
    nameKey: 'name',
    description: 'A virtual network gateway (VPN or ExpressRoute) in a VNet.',
    fields: {
      name: required(name(), 'Gateway name, unique among gateways.', 'the gateway name'),
      vnet: required(name(NAME), 'The VNet the gateway is deployed in (its GatewaySubnet hosts it).', "the name of the gateway's VNet"),
      type: withDefault(oneOf<GatewayKind>(['Vpn', 'ExpressRoute']), 'Vpn', 'Vpn', 'Gateway type: Vpn or ExpressRoute. Default: Vpn.'),
      vpnType: optional(vpnTypeSchema, 'VPN type: PolicyBased or RouteBased (classic aliases Static = PolicyBased, Dynamic = RouteBased). Required for Vpn gateways.'),
      sku: required(oneOf<GatewaySku>(['Basic', 'Standard', 'HighPerformance']), 'Gateway SKU: Basic, Standard or HighPerformance.', 'Basic, Standard or HighPerformance'),
      publicIp: optional(ipv4(), "The gateway's public IPv4 address (tunnel endpoint)."),
      bgp: optional(bgpSchema, 'BGP settings (route-based only, where the SKU allows).'),
      p2s: optional(p2sSchema, 'Point-to-site settings (route-based only).'),
      defaultSite: optional(name(NAME), 'vgwsim extension: forced tunnelling: the site that receives 0.0.0.0/0 from this gateway (route-based only).'),
    },
    refine: (g) =>
      g.type === 'Vpn' && g.vpnType === undefined
        ? [{ message: 'missing required key "vpnType" in {owner}; a Vpn gateway needs vpnType: PolicyBased or RouteBased' }]
        : [],
  }),
  (g): Gateway =>
    compact({
      path: g.path,
      name: g.name,
      vnet: g.vnet,
      type: g.type,
      ...(g.vpnType !== undefined ? normaliseVpnType(g.vpnType) : {}),
      sku: g.sku,
      publicIp: g.publicIp?.value,
      publicIpText: g.publicIp?.text,
      bgp: g.bgp,
      p2s: g.p2s,
      defaultSite: g.defaultSite,
    }),
);

const aclTextSchema = str({ nonEmpty: true, plain: true, tabs: true, expected: 'an access-list line such as "permit ip 192.168.0.0/16 10.1.0.0/16"' });
const aclLineSchema: Schema<AclLine> = {
  kind: 'acl-line',
  expected: aclTextSchema.expected,
  secret: false,
  convert(node, at, ctx) {
    const v = aclTextSchema.convert(node, at, ctx);
    return v === INVALID ? INVALID : { path: at.path, text: v };
  },
  toJson() {
    return aclTextSchema.toJson();
  },
};

const deviceSchema: Schema<Device> = transform(
  object({
    noun: 'device',
    description: 'The on-premises VPN device of a site.',
    fields: {
      vpnType: required(vpnTypeSchema, 'What the device can do: PolicyBased or RouteBased (aliases Static, Dynamic).', 'PolicyBased or RouteBased'),
      sharedKey: optional(str({ secret: true, expected: 'a string (the pre-shared key)' }), "The device's pre-shared key; when absent, the connection's sharedKey. Never printed."),
      accessList: optional(array(aclLineSchema), 'Access list, ordered, first match wins ("permit ip SRC DST"); when absent it mirrors the Azure side.'),
      routes: optional(array(prefix()), "vgwsim extension: route-based devices: prefixes sent into the tunnel; when absent, the Azure side's address space."),
    },
  }),
  (d): Device =>
    compact({
      path: d.path,
      ...normaliseVpnType(d.vpnType),
      sharedKey: d.sharedKey,
      accessList: d.accessList,
      routes: d.routes,
    }),
);

const siteSchema: Schema<Site> = transform(
  object({
    noun: 'site',
    nameKey: 'name',
    description: 'A local network gateway: an on-premises site.',
    fields: {
      name: required(name(), 'Site name, unique among sites.', 'the site name'),
      gatewayIp: required(ipv4(), "The public IPv4 address of the site's VPN device.", 'the public address of the on-premises device'),
      addressPrefixes: required(array(prefix(), { minItems: 1 }), 'The on-premises address prefixes.', 'a list of prefixes, e.g. [192.168.0.0/16]'),
      device: optional(deviceSchema, 'The on-premises VPN device.'),
      hosts: withDefault(array(hostSchema), [], [], 'On-premises hosts. Default: none.'),
    },
  }),
  (s): Site =>
    compact({
      path: s.path,
      name: s.name,
      gatewayIp: s.gatewayIp.value,
      gatewayIpText: s.gatewayIp.text,
      addressPrefixes: s.addressPrefixes,
      device: s.device,
      hosts: s.hosts,
    }),
);

const CONNECTION_PEER: Readonly<Record<ConnectionType, 'site' | 'peerGateway' | 'circuit'>> = {
  IPsec: 'site',
  Vnet2Vnet: 'peerGateway',
  ExpressRoute: 'circuit',
};

const connectionSchema: Schema<Connection> = object({
  noun: 'connection',
  nameKey: 'name',
  description: 'A connection of a gateway: IPsec (Site-to-Site, to a site), Vnet2Vnet (to another gateway) or ExpressRoute (to a circuit).',
  fields: {
    name: required(name(), 'Connection name, unique among connections.', 'the connection name'),
    type: required(oneOf<ConnectionType>(['IPsec', 'Vnet2Vnet', 'ExpressRoute']), 'Connection type: IPsec (Site-to-Site), Vnet2Vnet or ExpressRoute.', 'IPsec, Vnet2Vnet or ExpressRoute'),
    gateway: required(name(NAME), 'The Azure gateway of this connection.', 'the gateway name'),
    site: optional(name(NAME), 'IPsec: the site (local network gateway) at the other end.'),
    peerGateway: optional(name(NAME), 'Vnet2Vnet: the gateway at the other end.'),
    circuit: optional(name(NAME), 'ExpressRoute: the circuit.'),
    sharedKey: optional(str({ secret: true, expected: 'a string (the pre-shared key)' }), 'Pre-shared key used by both ends; a mismatch keeps the tunnel down. Never printed.'),
    mtu: optional(integer(576, 9000), 'vgwsim extension: path MTU of the Internet path between the tunnel ends, bytes (576-9000). Default: 1500.'),
    transform: optional(oneOf(TRANSFORMS.map((t) => t.name)), 'vgwsim extension: the ESP transform of the connection\'s SAs, a strongSwan proposal (aes256-sha1, aes128-sha1, 3des-sha1, 3des-md5, null-sha1, null-md5, aes128gcm16, aes256gcm16). It must be one the gateway offers. Default: aes256-sha1, Azure\'s first offer.'),
    replayWindow: optional(integer(32, 65536), 'vgwsim extension: inbound anti-replay window size in packets (RFC 4303 3.4.3), rounded up to a multiple of 32. Default: 64.'),
  },
  refine: (c) => {
    const issues: Issue[] = [];
    const need = CONNECTION_PEER[c.type];
    if (c[need] === undefined) {
      issues.push({ message: `missing required key "${need}" in {owner}; a ${c.type} connection needs "${need}: NAME"` });
    }
    for (const k of ['site', 'peerGateway', 'circuit'] as const) {
      if (k !== need && c[k] !== undefined) {
        issues.push({ message: `"${k}" does not apply to a ${c.type} connection ({owner}); remove it (a ${c.type} connection uses ${need})`, key: k });
      }
    }
    return issues;
  },
});

const PROTOS = ['icmp', 'tcp', 'udp'] as const;

const flowSchema: Schema<Flow> = transform(
  object({
    noun: 'flow',
    nameKey: 'id',
    description: 'A flow of packets from one host (or address) to another.',
    fields: {
      id: required(name(), 'Flow id, unique; expectations name it.', 'the flow id'),
      from: required(name('a host name or an IPv4 address'), 'Source: a host name or an IPv4 address literal.', 'a host name or address'),
      to: required(name('a host name or an IPv4 address'), 'Destination: a host name or an IPv4 address literal.', 'a host name or address'),
      proto: required(oneOf<Proto>(PROTOS), 'Protocol: icmp, tcp or udp.', 'icmp, tcp or udp'),
      sport: optional(integer(1, 65535), 'vgwsim extension: source port (tcp/udp). Default: derived from the seed.'),
      dport: optional(integer(1, 65535), 'vgwsim extension: destination port (tcp/udp).'),
      size: optional(integer(28, 65535), 'vgwsim extension: total IPv4 length of each packet in bytes (28-65535; at least 40 for tcp). Default: 84 for icmp, 64 for udp and tcp.'),
      count: withDefault(integer(1, 1_000_000), 1, 1, 'Number of packets (1-1000000). Default: 1.'),
      start: withDefault(duration(), 0, 0, 'vgwsim extension: virtual time of the first packet (duration). Default: 0.'),
      interval: optional(duration(), 'vgwsim extension: time between packets (duration). Default: 1s. Alternative: rate.', '1s'),
      rate: optional(rate('packets'), 'vgwsim extension: packets per second, e.g. "1000pps"; the alternative to interval (interval = 1/rate).'),
      ttl: withDefault(integer(1, 255), 64, 64, 'vgwsim extension: IPv4 TTL of each packet (1-255). Default: 64.'),
      df: withDefault(bool(), false, false, "vgwsim extension: the IPv4 Don't Fragment bit. Default: false."),
    },
    refine: (f) => {
      const issues: Issue[] = [];
      if (f.interval !== undefined && f.rate !== undefined) {
        issues.push({ message: '{owner} gives both "interval" and "rate"; keep one of them (interval = 1/rate)', key: 'rate' });
      }
      if (f.proto === 'icmp') {
        for (const k of ['sport', 'dport'] as const) {
          if (f[k] !== undefined) issues.push({ message: `"${k}" does not apply to an icmp flow ({owner}); remove it or use proto: tcp or udp`, key: k });
        }
      }
      // Every packet of the flow is sent, so the last one must fall inside the simulated time.
      const interval = f.rate !== undefined ? 1 / f.rate : (f.interval ?? 1);
      const last = f.start + (f.count - 1) * interval;
      if (!(last <= MAX_SECONDS)) {
        const n = (x: number): string => String(Number(x.toPrecision(12)));
        issues.push({
          message: `{owner} would send its last packet at t=${n(last)}s (start ${n(f.start)}s + ${f.count - 1} × ${f.rate !== undefined ? `1/rate = ${n(interval)}s` : `interval ${n(interval)}s`}), later than 10^9 s (about 31.7 years), the longest time vgwsim simulates; lower count, shorten the interval or start earlier`,
        });
      }
      return issues;
    },
  }),
  (f): Flow =>
    compact({
      path: f.path,
      id: f.id,
      from: f.from,
      to: f.to,
      proto: f.proto,
      sport: f.sport,
      dport: f.dport,
      size: f.size ?? (f.proto === 'icmp' ? 84 : 64),
      count: f.count,
      start: f.start,
      interval: f.rate !== undefined ? 1 / f.rate : (f.interval ?? 1),
      ttl: f.ttl,
      df: f.df,
    }),
);

const circuitSchema: Schema<Circuit> = object({
  noun: 'circuit',
  nameKey: 'name',
  description: 'An ExpressRoute circuit to an on-premises site.',
  fields: {
    name: required(name(), 'Circuit name, unique among circuits.', 'the circuit name'),
    bandwidth: required(rate('bits'), 'Circuit bandwidth, e.g. "1Gbps", "50Mbps".', 'a bit rate, e.g. 1Gbps'),
    onPremisesPrefixes: required(array(prefix(), { minItems: 1 }), 'On-premises prefixes advertised over the circuit.', 'a list of prefixes'),
    site: required(name(NAME), 'The on-premises site at the other end of the circuit.', 'the site name'),
  },
});

const faultSchema: Schema<Fault> = object({
  noun: 'fault',
  description: 'A fault on the timeline: a connection or circuit goes down (or comes back up).',
  fields: {
    at: required(duration(), 'Virtual time of the fault (duration).', 'a time, e.g. 30s'),
    connection: optional(name(NAME), 'The connection that fails (or recovers). Give connection or circuit.'),
    circuit: optional(name(NAME), 'vgwsim extension: the ExpressRoute circuit that fails (or recovers). Give connection or circuit.'),
    down: withDefault(bool(), true, true, 'true: goes down at `at`; false: comes back up. Default: true.'),
  },
  refine: (f) => {
    if (f.connection === undefined && f.circuit === undefined) {
      return [{ message: 'missing required key "connection" in {owner}; a fault names the connection (or circuit) it affects' }];
    }
    if (f.connection !== undefined && f.circuit !== undefined) {
      return [{ message: '{owner} names both a connection and a circuit; give one of them (write two faults for both)', key: 'circuit' }];
    }
    return [];
  },
});

const injectSchema: Schema<Injection> = object({
  noun: 'injection',
  nameKey: 'connection',
  description: 'vgwsim extension: tamper with one ESP packet of a connection on the Internet path: duplicate it, reorder it with the next, corrupt a byte, or replay it later.',
  fields: {
    connection: required(name(NAME), 'The connection whose ESP packets are tampered with.', 'the connection name'),
    at: withDefault(duration(), 0, 0, 'Virtual time from which packets are counted (duration). Default: 0.'),
    action: required(oneOf<InjectAction>(INJECT_ACTIONS), 'duplicate (the copy is dropped replay), reorder (swapped with the next packet of the SA; both delivered), corrupt (a flipped byte: icv-mismatch), replay (sent again after the next packet: replay).', 'duplicate, reorder, corrupt or replay'),
    direction: optional(oneOf<'out' | 'in'>(['out', 'in']), "out: packets from the connection's gateway; in: packets towards it. Default: either."),
    packet: withDefault(integer(1, 1_000_000), 1, 1, 'Which ESP packet at or after `at` (1-based). Default: 1.'),
    byte: optional(integer(0, 65534), 'corrupt: offset in the outer IPv4 packet of the byte to flip. Default: the first ciphertext byte.'),
  },
  refine: (x) => (x.byte !== undefined && x.action !== 'corrupt' ? [{ message: '"byte" applies only to action corrupt ({owner}); remove it', key: 'byte' }] : []),
});

const copiesSchema: Schema<CopiesExpectation> = object({
  noun: 'copies expectation',
  description: 'What happened to the injected copies (duplicate, replay) of a flow\'s ESP packets.',
  fields: {
    delivered: optional(count(), 'Copies the receiver accepted (a count or "all").'),
    dropped: optional(count(), 'Copies the receiver dropped (a count or "all").'),
    reason: optional(oneOf<DropReason>(DROP_REASON_NAMES), 'The drop reason of every dropped copy (implies dropped: all when dropped is absent).'),
  },
  refine: (c) =>
    c.delivered === undefined && c.dropped === undefined && c.reason === undefined
      ? [{ message: '{owner} checks nothing; add delivered, dropped or reason' }]
      : [],
});

const expectationSchema: Schema<Expectation> = object({
  noun: 'expectation',
  nameKey: 'flow',
  description: 'An expectation about a flow; `vgw run` exits 1 when one fails.',
  fields: {
    flow: required(name(NAME), 'The flow id this expectation is about.', 'the flow id'),
    delivered: optional(count(), 'Packets delivered to the destination host: a count or "all".'),
    dropped: optional(count(), 'Packets dropped: a count or "all".'),
    internet: optional(count(), 'Packets that left through an Internet next hop, in clear text: a count or "all".'),
    via: optional(name(NAME), 'A connection the packets crossed.'),
    reason: optional(oneOf<DropReason>(DROP_REASON_NAMES), 'The drop reason of the dropped packets.'),
    hint: optional(str({ nonEmpty: true }), 'vgwsim extension: a hint shown when this expectation fails (labs use it to guide learners toward the goal).'),
    copies: optional(copiesSchema, 'vgwsim extension: the fate of the copies that `inject:` duplicate/replay entries made of this flow\'s ESP packets (the copies are extra packets, not counted in sent/delivered/dropped).'),
  },
  refine: (e) =>
    e.delivered === undefined && e.dropped === undefined && e.internet === undefined && e.via === undefined && e.reason === undefined && e.copies === undefined
      ? [{ message: '{owner} checks nothing; add delivered, dropped, internet, via, reason or copies' }]
      : [],
});

const EDITIONS = ['azure-2016-02', 'azure-2016-late', 'azure-2018-10'] as const;

/** Scenario without the fields the loader adds (file, positions). */
export type ScenarioBody = Omit<Scenario, 'file' | 'positions'>;

const rootObject = object({
  noun: 'scenario',
  description:
    'A vgwsim scenario: a topology (VNets, gateways, on-premises sites, connections, ExpressRoute circuits), the traffic to send, optional faults and expectations. See SCENARIO-FORMAT.md.',
  fields: {
    $schema: optional(str(), 'vgwsim extension: the JSON Schema for editors, e.g. "./scenario.schema.json" (ignored by the simulator).'),
    // The scenario's title is text like its description, not a name other keys refer to: the CLI escapes it when it prints it.
    name: required(str({ nonEmpty: true, expected: 'a non-empty string (a name)' }), 'Scenario name, shown in reports.', 'a scenario name'),
    description: optional(str(), 'What the scenario shows.'),
    seed: withDefault(integer(0, 4294967295), 1, 1, 'Seed of every random choice (SPIs, keys, IVs, loss). Default: 1.'),
    edition: withDefault(
      oneOf<RulesEdition>(EDITIONS),
      DEFAULT_EDITION,
      DEFAULT_EDITION,
      'vgwsim extension: which edition of the Azure rules applies: azure-2016-02, azure-2016-late (BGP on Standard) or azure-2018-10 (BGP on Standard, AES-GCM offers, custom IPsec/IKE policies). Default: azure-2016-02.',
    ),
    vnets: withDefault(array(vnetSchema), [], [], 'Azure virtual networks. Default: none.'),
    gateways: withDefault(array(gatewaySchema), [], [], 'Virtual network gateways. Default: none.'),
    sites: withDefault(array(siteSchema), [], [], 'Local network gateways (on-premises sites). Default: none.'),
    connections: withDefault(array(connectionSchema), [], [], 'Connections (IPsec, Vnet2Vnet, ExpressRoute). Default: none.'),
    traffic: withDefault(array(flowSchema), [], [], 'Flows of packets to send. Default: none.'),
    circuits: withDefault(array(circuitSchema), [], [], 'ExpressRoute circuits. Default: none.'),
    faults: withDefault(array(faultSchema), [], [], 'Faults on the timeline. Default: none.'),
    inject: withDefault(array(injectSchema), [], [], 'vgwsim extension: ESP packets to duplicate, reorder, corrupt or replay. Default: none.'),
    expect: withDefault(array(expectationSchema), [], [], 'Expectations; `vgw run` exits 1 when one fails. Default: none.'),
    expectDiagnostics: withDefault(
      array(oneOf([...DIAGNOSTIC_CODES])),
      [],
      [],
      'vgwsim extension: a scenario meant to be rejected lists the diagnostic codes it expects. Default: none.',
    ),
  },
});

/** The schema of a whole scenario document. */
export const scenarioSchema: Schema<ScenarioBody> = transform(rootObject, (r): ScenarioBody =>
  compact({
    name: r.name,
    description: r.description,
    seed: r.seed,
    edition: r.edition,
    vnets: r.vnets,
    gateways: r.gateways,
    sites: r.sites,
    connections: r.connections,
    traffic: r.traffic,
    circuits: r.circuits,
    faults: r.faults,
    inject: r.inject,
    expect: r.expect,
    expectDiagnostics: r.expectDiagnostics,
  }),
);

/** The keys of the top-level mapping, in schema order (for tools and tests). */
export const SCENARIO_KEYS: readonly string[] = Object.keys(rootObject.def.fields);

/**
 * Find where alias expansion passes `max`: walks the document once, counting for every
 * alias the aliases its full expansion would follow (memoised per anchored node, so a
 * "billion laughs" document is measured in linear time without expanding it). Returns
 * the alias at which the running total first exceeds `max`, or undefined.
 */
export function findAliasBomb(doc: Document, max: number, targets: ReadonlyMap<Alias, YamlNode | undefined> = aliasTargets(doc)): unknown {
  const memo = new Map<unknown, number>();
  const active = new Set<unknown>();
  // Aliases the full expansion of `node` follows (capped just above max).
  const weight = (node: unknown): number => {
    const known = memo.get(node);
    if (known !== undefined) return known;
    if (active.has(node)) return max + 1; // a cycle expands forever
    active.add(node);
    let w = 0;
    if (isAlias(node)) {
      const target = targets.get(node);
      w = 1 + (target ? weight(target) : 0);
    } else if (isMap(node)) {
      for (const p of node.items) {
        w += weight(p.key) + weight(p.value);
        if (w > max) break;
      }
    } else if (isSeq(node)) {
      for (const it of node.items) {
        w += weight(it);
        if (w > max) break;
      }
    }
    active.delete(node);
    w = Math.min(w, max + 1);
    memo.set(node, w);
    return w;
  };
  let total = 0;
  let found: unknown;
  // In document order: the first alias that tips the total over is the one reported.
  const visit = (node: unknown): void => {
    if (found !== undefined) return;
    if (isAlias(node)) {
      total += weight(node);
      if (total > max) found = node;
    } else if (isMap(node)) {
      for (const p of node.items) {
        visit(p.key);
        visit(p.value);
      }
    } else if (isSeq(node)) {
      for (const it of node.items) visit(it);
    }
  };
  visit(doc.contents);
  return found;
}

/** The result of validating a document. */
export interface ValidateResult {
  /** Present only when no problem was found. */
  readonly value?: ScenarioBody;
  readonly problems: readonly SchemaProblem[];
  readonly positions: ReadonlyMap<string, SourcePos>;
  /** Shared-key values seen (for the loader to scrub messages). */
  readonly secrets: readonly string[];
}

/**
 * Validate and convert a parsed YAML document (its `contents`) against the scenario schema,
 * collecting every problem.
 */
export function validateScenarioDocument(
  doc: Document,
  lines: LineIndex,
  text: string,
  maxAliases: number = DEFAULT_MAX_ALIASES,
): ValidateResult {
  const ctx = new WalkContext(doc, lines, text, maxAliases);
  const bomb = findAliasBomb(doc, maxAliases, ctx.aliasTargets);
  if (bomb !== undefined) {
    // Refuse before walking: the walk would expand the aliases.
    ctx.report('SCHEMA', aliasBombMessage(maxAliases), ctx.posOf(bomb), '');
    return { problems: ctx.problems, positions: ctx.positions, secrets: ctx.secrets };
  }
  const v = convertValue(scenarioSchema, doc.contents, { path: '', key: '', owner: '' }, ctx);
  const base = { problems: ctx.problems, positions: ctx.positions, secrets: ctx.secrets };
  return v === INVALID || ctx.problems.length > 0 ? base : { ...base, value: v };
}

/** JSON Schema (draft 2020-12) of a scenario file, generated from the DSL above. */
export function scenarioJsonSchema(): object {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'vgwsim scenario',
    ...rootObject.toJson(),
  };
}
