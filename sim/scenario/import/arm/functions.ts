/**
 * ARM's template functions that depend only on their arguments: strings, arrays, objects,
 * comparison, logic, numbers and conversion, with the results Microsoft's template function
 * reference documents. The functions that read the deployment (parameters, variables,
 * copyIndex, resourceId, reference, resourceGroup...) and the lazy `if` live in
 * expr-eval.ts. A wrong argument count or type throws ExpressionError in Azure's words.
 */
import { ExpressionError } from './expr-tokenize.js';
import { deepEqual, fromJson, isArray, isObject, keyOf, makeObject, stringOf, typeName } from './values.js';
import type { ArmObject, ArmValue } from './values.js';
import { uniqueString } from './unique-string.js';

/** One function: its arguments already evaluated; `at` is where the call stands. */
export type ArmFunction = (args: readonly ArmValue[], at: number) => ArmValue;

function arity(name: string, args: readonly ArmValue[], at: number, min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new ExpressionError(`the template function '${name}' takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length}`, at);
  }
}

function typed<T extends ArmValue>(name: string, v: ArmValue, at: number, want: string, ok: (v: ArmValue) => v is T): T {
  if (!ok(v)) throw new ExpressionError(`the template function '${name}' expects its argument to be of type ${want}; the value given is of type ${typeName(v)}`, at);
  return v;
}

const isString = (v: ArmValue): v is string => typeof v === 'string';
const isInt = (v: ArmValue): v is number => typeof v === 'number';
const isBool = (v: ArmValue): v is boolean => typeof v === 'boolean';
const isArr = (v: ArmValue): v is readonly ArmValue[] => isArray(v);
const isObj = (v: ArmValue): v is ArmObject => isObject(v);
const isStrOrArr = (v: ArmValue): v is string | readonly ArmValue[] => typeof v === 'string' || isArray(v);

const str = (name: string, args: readonly ArmValue[], i: number, at: number): string => typed(name, args[i] as ArmValue, at, 'String', isString);
const int = (name: string, args: readonly ArmValue[], i: number, at: number): number => typed(name, args[i] as ArmValue, at, 'Integer', isInt);

/** .NET composite formatting as `format()` does it: `{0}`, `{1}`, `{{` and `}}`; `{0:D3}` pads an integer. */
function formatText(fmt: string, values: readonly ArmValue[], at: number): string {
  return fmt.replace(/\{\{|\}\}|\{(\d+)(?::([A-Za-z])(\d*))?\}|[{}]/g, (m, index: string | undefined, spec: string | undefined, width: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    if (index === undefined) throw new ExpressionError(`format: a lone "${m}" in the format string (write {{ or }} for a brace)`, at);
    const k = Number(index);
    if (k >= values.length) throw new ExpressionError(`format: {${k}} refers to argument ${k} but only ${values.length} were given after the format string`, at);
    const v = values[k] as ArmValue;
    if (spec === undefined) return stringOf(v);
    if ((spec === 'D' || spec === 'd') && typeof v === 'number') return String(Math.abs(v)).padStart(Number(width || '0'), '0').replace(/^/, v < 0 ? '-' : '');
    if ((spec === 'N' || spec === 'n') && typeof v === 'number') return v.toLocaleString('en-US', { minimumFractionDigits: Number(width || '2'), maximumFractionDigits: Number(width || '2') });
    if ((spec === 'X' || spec === 'x') && typeof v === 'number') {
      const hex = v.toString(16).padStart(Number(width || '0'), '0');
      return spec === 'X' ? hex.toUpperCase() : hex;
    }
    throw new ExpressionError(`format: the format {${k}:${spec}${width ?? ''}} is not supported by vgwsim for a value of type ${typeName(v)} (supported: D, N, X on integers)`, at);
  });
}

function unionOf(name: string, args: readonly ArmValue[], at: number): ArmValue {
  arity(name, args, at, 1, Infinity);
  if (args.every(isArr)) {
    const out: ArmValue[] = [];
    for (const a of args) for (const x of a) if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return out;
  }
  if (args.every(isObj)) {
    const out = makeObject([]) as Record<string, ArmValue>;
    for (const o of args) for (const [k, v] of Object.entries(o)) out[keyOf(out, k) ?? k] = v;
    return out;
  }
  throw new ExpressionError(`the template function '${name}' expects all its arguments to be arrays or all to be objects`, at);
}

function intersectionOf(name: string, args: readonly ArmValue[], at: number): ArmValue {
  arity(name, args, at, 2, Infinity);
  if (args.every(isArr)) {
    const [head, ...rest] = args as (readonly ArmValue[])[];
    return (head as readonly ArmValue[]).filter((x, i, all) => all.findIndex((y) => deepEqual(x, y)) === i && rest.every((r) => r.some((y) => deepEqual(x, y))));
  }
  if (args.every(isObj)) {
    const [head, ...rest] = args as ArmObject[];
    return makeObject(Object.entries(head as ArmObject).filter(([k, v]) => rest.every((r) => Object.hasOwn(r, k) && deepEqual(r[k] as ArmValue, v))));
  }
  throw new ExpressionError(`the template function '${name}' expects all its arguments to be arrays or all to be objects`, at);
}

function compare(name: string, args: readonly ArmValue[], at: number): number {
  arity(name, args, at, 2);
  const [a, b] = args as [ArmValue, ArmValue];
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new ExpressionError(`the template function '${name}' compares two integers or two strings, got ${typeName(a)} and ${typeName(b)}`, at);
}

function arithmetic(name: string, op: (a: number, b: number) => number): ArmFunction {
  return (args, at) => {
    arity(name, args, at, 2);
    const r = op(int(name, args, 0, at), int(name, args, 1, at));
    if (!Number.isFinite(r)) throw new ExpressionError(`the template function '${name}' cannot divide by zero`, at);
    return Math.trunc(r);
  };
}

/** The function library, by lower-case name (ARM function names ignore case). */
export const FUNCTIONS: ReadonlyMap<string, ArmFunction> = new Map<string, ArmFunction>([
  // Strings
  ['concat', (args, at) => {
    if (args.length > 0 && args.every(isArr)) return (args as (readonly ArmValue[])[]).flat(1);
    return args.map((a) => {
      if (typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean') return stringOf(a);
      throw new ExpressionError(`the template function 'concat' joins strings and integers, or arrays; an argument is of type ${typeName(a)}`, at);
    }).join('');
  }],
  ['format', (args, at) => {
    arity('format', args, at, 1, Infinity);
    return formatText(str('format', args, 0, at), args.slice(1), at);
  }],
  ['tolower', (args, at) => (arity('toLower', args, at, 1), str('toLower', args, 0, at).toLowerCase())],
  ['toupper', (args, at) => (arity('toUpper', args, at, 1), str('toUpper', args, 0, at).toUpperCase())],
  ['trim', (args, at) => (arity('trim', args, at, 1), str('trim', args, 0, at).trim())],
  ['split', (args, at) => {
    arity('split', args, at, 2);
    const s = str('split', args, 0, at);
    const d = args[1] as ArmValue;
    const delims = typeof d === 'string' ? [d] : isArray(d) && d.every(isString) ? d : undefined;
    if (!delims) throw new ExpressionError(`the template function 'split' expects a String or an Array of strings as its delimiter; the value given is of type ${typeName(d)}`, at);
    const live = delims.filter((x) => x !== '');
    if (live.length === 0) return [s];
    const re = new RegExp(live.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
    return s.split(re);
  }],
  ['replace', (args, at) => (arity('replace', args, at, 3), str('replace', args, 0, at).split(str('replace', args, 1, at)).join(str('replace', args, 2, at)))],
  ['substring', (args, at) => {
    arity('substring', args, at, 1, 3);
    const s = str('substring', args, 0, at);
    const start = args.length > 1 ? int('substring', args, 1, at) : 0;
    const len = args.length > 2 ? int('substring', args, 2, at) : s.length - start;
    if (start < 0 || start > s.length) throw new ExpressionError(`substring: the start index ${start} is outside the string (length ${s.length})`, at);
    if (len < 0 || start + len > s.length) throw new ExpressionError(`substring: the length ${len} from index ${start} goes past the end of the string (length ${s.length})`, at);
    return s.slice(start, start + len);
  }],
  ['startswith', (args, at) => (arity('startsWith', args, at, 2), str('startsWith', args, 0, at).toLowerCase().startsWith(str('startsWith', args, 1, at).toLowerCase()))],
  ['endswith', (args, at) => (arity('endsWith', args, at, 2), str('endsWith', args, 0, at).toLowerCase().endsWith(str('endsWith', args, 1, at).toLowerCase()))],
  ['indexof', (args, at) => (arity('indexOf', args, at, 2), str('indexOf', args, 0, at).toLowerCase().indexOf(str('indexOf', args, 1, at).toLowerCase()))],
  ['lastindexof', (args, at) => (arity('lastIndexOf', args, at, 2), str('lastIndexOf', args, 0, at).toLowerCase().lastIndexOf(str('lastIndexOf', args, 1, at).toLowerCase()))],
  ['padleft', (args, at) => {
    arity('padLeft', args, at, 2, 3);
    const v = args[0] as ArmValue;
    const s = typeof v === 'number' ? String(v) : str('padLeft', args, 0, at);
    const pad = args.length > 2 ? str('padLeft', args, 2, at) : ' ';
    if (pad.length !== 1) throw new ExpressionError(`padLeft: the padding must be one character, got '${pad}'`, at);
    return s.padStart(int('padLeft', args, 1, at), pad);
  }],
  ['uniquestring', (args, at) => {
    arity('uniqueString', args, at, 1, Infinity);
    return uniqueString(args.map((_a, i) => str('uniqueString', args, i, at)));
  }],
  // Arrays and objects
  ['length', (args, at) => {
    arity('length', args, at, 1);
    const v = args[0] as ArmValue;
    if (typeof v === 'string' || isArray(v)) return v.length;
    if (isObject(v)) return Object.keys(v).length;
    throw new ExpressionError(`the template function 'length' expects a String, an Array or an Object; the value given is of type ${typeName(v)}`, at);
  }],
  ['first', (args, at) => {
    arity('first', args, at, 1);
    const v = typed('first', args[0] as ArmValue, at, 'String or Array', isStrOrArr);
    return typeof v === 'string' ? v.slice(0, 1) : (v[0] ?? null);
  }],
  ['last', (args, at) => {
    arity('last', args, at, 1);
    const v = typed('last', args[0] as ArmValue, at, 'String or Array', isStrOrArr);
    return typeof v === 'string' ? v.slice(-1) : (v[v.length - 1] ?? null);
  }],
  ['contains', (args, at) => {
    arity('contains', args, at, 2);
    const [c, x] = args as [ArmValue, ArmValue];
    if (typeof c === 'string') return c.includes(stringOf(typed('contains', x, at, 'String or Integer', (v): v is string | number => typeof v === 'string' || typeof v === 'number')));
    if (isArray(c)) return c.some((y) => deepEqual(x, y));
    if (isObject(c)) return keyOf(c, str('contains', args, 1, at)) !== undefined;
    throw new ExpressionError(`the template function 'contains' expects a String, an Array or an Object to look in; the value given is of type ${typeName(c)}`, at);
  }],
  ['empty', (args, at) => {
    arity('empty', args, at, 1);
    const v = args[0] as ArmValue;
    if (v === null) return true;
    if (typeof v === 'string' || isArray(v)) return v.length === 0;
    if (isObject(v)) return Object.keys(v).length === 0;
    throw new ExpressionError(`the template function 'empty' expects a String, an Array or an Object; the value given is of type ${typeName(v)}`, at);
  }],
  ['union', (args, at) => unionOf('union', args, at)],
  ['intersection', (args, at) => intersectionOf('intersection', args, at)],
  ['createarray', (args) => [...args]],
  ['array', (args, at) => (arity('array', args, at, 1), isArray(args[0]) ? (args[0] as readonly ArmValue[]) : [args[0] as ArmValue])],
  ['createobject', (args, at) => {
    if (args.length % 2 !== 0) throw new ExpressionError(`the template function 'createObject' takes key and value pairs; got ${args.length} arguments (an odd number)`, at);
    const out: [string, ArmValue][] = [];
    for (let i = 0; i < args.length; i += 2) out.push([str('createObject', args, i, at), args[i + 1] as ArmValue]);
    return makeObject(out);
  }],
  ['skip', (args, at) => {
    arity('skip', args, at, 2);
    const v = typed('skip', args[0] as ArmValue, at, 'String or Array', isStrOrArr);
    const n = Math.max(0, int('skip', args, 1, at));
    return v.slice(n);
  }],
  ['take', (args, at) => {
    arity('take', args, at, 2);
    const v = typed('take', args[0] as ArmValue, at, 'String or Array', isStrOrArr);
    const n = Math.max(0, int('take', args, 1, at));
    return v.slice(0, n);
  }],
  ['range', (args, at) => {
    arity('range', args, at, 2);
    const start = int('range', args, 0, at);
    const count = int('range', args, 1, at);
    if (count < 0 || count > 10000) throw new ExpressionError(`range: the count must be from 0 to 10000, got ${count}`, at);
    return Array.from({ length: count }, (_x, i) => start + i);
  }],
  ['coalesce', (args, at) => (arity('coalesce', args, at, 1, Infinity), args.find((a) => a !== null) ?? null)],
  ['min', (args, at) => {
    const xs = args.length === 1 && isArray(args[0]) ? (args[0] as readonly ArmValue[]) : args;
    if (xs.length === 0) throw new ExpressionError("the template function 'min' needs at least one integer", at);
    return Math.min(...xs.map((x) => typed('min', x, at, 'Integer', isInt)));
  }],
  ['max', (args, at) => {
    const xs = args.length === 1 && isArray(args[0]) ? (args[0] as readonly ArmValue[]) : args;
    if (xs.length === 0) throw new ExpressionError("the template function 'max' needs at least one integer", at);
    return Math.max(...xs.map((x) => typed('max', x, at, 'Integer', isInt)));
  }],
  // Comparison and logic
  ['equals', (args, at) => (arity('equals', args, at, 2), deepEqual(args[0] as ArmValue, args[1] as ArmValue))],
  ['less', (args, at) => compare('less', args, at) < 0],
  ['lessorequals', (args, at) => compare('lessOrEquals', args, at) <= 0],
  ['greater', (args, at) => compare('greater', args, at) > 0],
  ['greaterorequals', (args, at) => compare('greaterOrEquals', args, at) >= 0],
  ['not', (args, at) => (arity('not', args, at, 1), !typed('not', args[0] as ArmValue, at, 'Boolean', isBool))],
  ['and', (args, at) => (arity('and', args, at, 2, Infinity), args.map((a) => typed('and', a, at, 'Boolean', isBool)).every((b) => b))],
  ['or', (args, at) => (arity('or', args, at, 2, Infinity), args.map((a) => typed('or', a, at, 'Boolean', isBool)).some((b) => b))],
  ['true', (args, at) => (arity('true', args, at, 0), true)],
  ['false', (args, at) => (arity('false', args, at, 0), false)],
  ['null', (args, at) => (arity('null', args, at, 0), null)],
  // Numbers
  ['add', arithmetic('add', (a, b) => a + b)],
  ['sub', arithmetic('sub', (a, b) => a - b)],
  ['mul', arithmetic('mul', (a, b) => a * b)],
  ['div', arithmetic('div', (a, b) => a / b)],
  ['mod', arithmetic('mod', (a, b) => a % b)],
  // Conversion
  ['string', (args, at) => (arity('string', args, at, 1), stringOf(args[0] as ArmValue))],
  ['int', (args, at) => {
    arity('int', args, at, 1);
    const v = args[0] as ArmValue;
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v) && Number.isSafeInteger(Number(v))) return Number(v);
    throw new ExpressionError(`the template function 'int' cannot convert ${typeof v === 'string' ? `'${v}'` : `a value of type ${typeName(v)}`} to an integer`, at);
  }],
  ['bool', (args, at) => {
    arity('bool', args, at, 1);
    const v = args[0] as ArmValue;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
    throw new ExpressionError(`the template function 'bool' cannot convert ${typeof v === 'string' ? `'${v}'` : `a value of type ${typeName(v)}`} to a boolean (it takes 'true', 'false', 0, 1 or a boolean)`, at);
  }],
  ['json', (args, at) => {
    arity('json', args, at, 1);
    const s = str('json', args, 0, at);
    let parsed: unknown;
    try {
      parsed = JSON.parse(s);
    } catch {
      throw new ExpressionError(`the template function 'json' was given text that is not valid JSON: '${s.length > 60 ? s.slice(0, 60) + '...' : s}'`, at);
    }
    const v = fromJson(parsed);
    if (v === undefined) throw new ExpressionError("the template function 'json' was given a number that is not finite", at);
    return v;
  }],
]);
