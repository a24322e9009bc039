/**
 * The schema DSL: value kinds (strings, names, integers, enums, prefixes, addresses,
 * durations, rates, counts, lists, objects) that convert a YAML node into a typed value
 * and describe themselves as JSON Schema (draft 2020-12).
 *
 * Each kind owns what a valid value of it is and the message when one is not: the wrong
 * type (with a hint to remove quotes or add them), values out of range (times and rates
 * past the bounds of units.ts), enum values not in the list (with "did you mean"),
 * malformed prefixes and addresses (INVALID_PREFIX), control characters in names. A
 * secret value (a shared key) is never echoed. `object` adds defaults and the cross-key
 * rules of a kind (`refine`); the walk over a mapping's keys is the walker's (walker.ts).
 * Semantic checks (references, overlaps, SKU rules) are not here: they belong to
 * sim/scenario/checks/.
 */
import { isMap, isSeq } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { parseIPv4, parsePrefix } from '../../net/ipv4.js';
import { firstControl } from '../source-text.js';
import { suggest } from '../suggest.js';
import type { Count, Prefix } from '../types.js';
import {
  BIT_RATE_PATTERN,
  DURATION_PATTERN,
  MAX_BIT_RATE,
  MAX_PACKET_RATE,
  MAX_SECONDS,
  PACKET_RATE_PATTERN,
  parseDuration,
  parseRate,
} from '../units.js';
import type { RateKind } from '../units.js';
import { describeGot, INVALID, joinPath, label, scalarOf, walkItems, walkMapping } from './walker.js';
import type { At, Invalid, Walkable, WalkContext } from './walker.js';

/** A JSON value, as emitted into the JSON Schema. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };
/** A JSON object, as emitted into the JSON Schema. */
export type JsonObject = { readonly [k: string]: JsonValue };

/** A value kind: validates a node, converts it to `T`, and describes itself as JSON Schema. */
export interface Schema<T> extends Walkable<T> {
  /** Kind name, for debugging and tests. */
  readonly kind: string;
  /** What a valid value looks like, in words ("an integer 1-65535"). */
  readonly expected: string;
  /** A secret value is never echoed in a message. */
  readonly secret: boolean;
  /** JSON Schema of this value (without the description of the key holding it). */
  toJson(): JsonObject;
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
      const walked = walkItems(item, node, at, ctx);
      let bad = walked.bad;
      if (opts.minItems !== undefined && node.items.length < opts.minItems) {
        ctx.report('SCHEMA', `${label(at)} needs at least ${opts.minItems} item${opts.minItems === 1 ? '' : 's'}; add one`, ctx.posOf(node), at.path);
        bad = true;
      }
      return bad ? INVALID : walked.out;
    },
    toJson(): JsonObject {
      const j: Record<string, JsonValue> = { type: 'array', items: item.toJson() };
      if (opts.minItems !== undefined) j['minItems'] = opts.minItems;
      return j;
    },
  };
  return self;
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

/** A mapping with a fixed set of keys (walked by walkMapping: unknown keys are errors), its defaults and cross-key rules. */
export function object<F extends Fields>(def: ObjectDef<F>): ObjectSchema<F> {
  const keys = Object.keys(def.fields);
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
      const { values, owner, bad } = walkMapping(node, at, ctx, def);
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
