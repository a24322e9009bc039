/**
 * The Terraform functions `vgw import terraform` evaluates: the ones azurerm configurations
 * for VPN gateways use (cidrsubnet, cidrhost, format, join, split, lookup, element, length,
 * concat, merge, tolist, toset, tomap, lower, upper, replace, and a few more). A wrong call
 * throws a FunctionError with Terraform's kind of message; the caller adds the position.
 */
import { formatIPv4, parsePrefix } from '../../../net/ipv4.js';
import { isArray, isObject, makeObject } from '../arm/values.js';
import type { ArmValue } from '../arm/values.js';

export class FunctionError extends Error {}

type Fn = (args: readonly ArmValue[], name: string) => ArmValue;

function str(v: ArmValue | undefined, name: string, i: number): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new FunctionError(`${name}(): argument ${i + 1} must be a string`);
}

function num(v: ArmValue | undefined, name: string, i: number): number {
  const n = typeof v === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number') throw new FunctionError(`${name}(): argument ${i + 1} must be a number`);
  return n;
}

function list(v: ArmValue | undefined, name: string, i: number): readonly ArmValue[] {
  if (isArray(v)) return v;
  throw new FunctionError(`${name}(): argument ${i + 1} must be a list`);
}

function arity(args: readonly ArmValue[], name: string, min: number, max = min): void {
  if (args.length < min || args.length > max) throw new FunctionError(`${name}() takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, got ${args.length}`);
}

function prefixOf(v: ArmValue | undefined, name: string): { addr: number; len: number } {
  const p = parsePrefix(str(v, name, 0));
  if (!p.ok) throw new FunctionError(`${name}(): ${p.error}`);
  return p.value;
}

/** `format`'s verbs: %s %d %v %q %%, as Terraform prints them. */
function format(args: readonly ArmValue[], name: string): string {
  const spec = str(args[0], name, 0);
  let k = 1;
  return spec.replace(/%(-?\d*)([sdvq%])/g, (_m, _w: string, verb: string) => {
    if (verb === '%') return '%';
    if (k >= args.length) throw new FunctionError(`format(): not enough arguments for "${spec}"`);
    const v = args[k++] as ArmValue;
    if (verb === 'd') return String(Math.trunc(num(v, name, k - 1)));
    if (verb === 'q') return JSON.stringify(str(v, name, k - 1));
    return typeof v === 'string' ? v : JSON.stringify(v);
  });
}

const FUNCTIONS: Readonly<Record<string, Fn>> = {
  cidrsubnet(a, n) {
    arity(a, n, 3);
    const p = prefixOf(a[0], n);
    const bits = num(a[1], n, 1);
    const net = num(a[2], n, 2);
    if (p.len + bits > 32) throw new FunctionError(`cidrsubnet(): a /${p.len} extended by ${bits} bits is longer than 32`);
    if (net < 0 || net >= 2 ** bits) throw new FunctionError(`cidrsubnet(): network number ${net} does not fit in ${bits} bits`);
    const len = p.len + bits;
    return `${formatIPv4((p.addr + net * 2 ** (32 - len)) >>> 0)}/${len}`;
  },
  cidrhost(a, n) {
    arity(a, n, 2);
    const p = prefixOf(a[0], n);
    const size = 2 ** (32 - p.len);
    let h = num(a[1], n, 1);
    if (h < 0) h += size;
    if (h < 0 || h >= size) throw new FunctionError(`cidrhost(): prefix ${str(a[0], n, 0)} has no host number ${num(a[1], n, 1)}`);
    return formatIPv4((p.addr + h) >>> 0);
  },
  cidrnetmask(a, n) {
    arity(a, n, 1);
    const p = prefixOf(a[0], n);
    return formatIPv4(p.len === 0 ? 0 : (0xffffffff << (32 - p.len)) >>> 0);
  },
  format: (a, n) => format(a, n),
  join(a, n) {
    arity(a, n, 2);
    return list(a[1], n, 1).map((x, i) => str(x, n, i + 1)).join(str(a[0], n, 0));
  },
  split(a, n) {
    arity(a, n, 2);
    return str(a[1], n, 1).split(str(a[0], n, 0));
  },
  lookup(a, n) {
    arity(a, n, 2, 3);
    const m = a[0];
    if (!isObject(m)) throw new FunctionError('lookup(): argument 1 must be a map');
    const k = str(a[1], n, 1);
    if (Object.hasOwn(m, k)) return m[k] as ArmValue;
    if (a.length === 3) return a[2] as ArmValue;
    throw new FunctionError(`lookup(): the map has no key "${k}" and no default is given`);
  },
  element(a, n) {
    arity(a, n, 2);
    const l = list(a[0], n, 0);
    if (l.length === 0) throw new FunctionError('element(): the list is empty');
    return l[((Math.trunc(num(a[1], n, 1)) % l.length) + l.length) % l.length] as ArmValue;
  },
  length(a, n) {
    arity(a, n, 1);
    const v = a[0];
    if (typeof v === 'string') return [...v].length;
    if (isArray(v)) return v.length;
    if (isObject(v)) return Object.keys(v).length;
    throw new FunctionError('length(): argument 1 must be a string, list or map');
  },
  concat: (a, n) => a.flatMap((x, i) => list(x, n, i)),
  merge: (a) => makeObject(a.flatMap((x) => (isObject(x) ? Object.entries(x) : []))),
  tolist: (a, n) => (arity(a, n, 1), [...list(a[0], n, 0)]),
  toset(a, n) {
    arity(a, n, 1);
    const seen = new Set<string>();
    // A set's elements in Terraform's order: strings sorted.
    return list(a[0], n, 0).filter((x) => !seen.has(JSON.stringify(x)) && (seen.add(JSON.stringify(x)), true)).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : JSON.stringify(x) > JSON.stringify(y) ? 1 : 0));
  },
  tomap(a, n) {
    arity(a, n, 1);
    if (!isObject(a[0])) throw new FunctionError('tomap(): argument 1 must be an object or map');
    return a[0];
  },
  tostring: (a, n) => (arity(a, n, 1), str(a[0], n, 0)),
  tonumber: (a, n) => (arity(a, n, 1), num(a[0], n, 0)),
  lower: (a, n) => (arity(a, n, 1), str(a[0], n, 0).toLowerCase()),
  upper: (a, n) => (arity(a, n, 1), str(a[0], n, 0).toUpperCase()),
  replace(a, n) {
    arity(a, n, 3);
    const s = str(a[0], n, 0);
    const find = str(a[1], n, 1);
    const by = str(a[2], n, 2);
    const re = /^\/(.*)\/$/.exec(find);
    return re ? s.replace(new RegExp(re[1] as string, 'g'), by.replace(/\$\{(\w+)\}/g, '$$$1')) : s.split(find).join(by);
  },
  keys: (a, n) => (arity(a, n, 1), isObject(a[0]) ? Object.keys(a[0]).sort() : (() => { throw new FunctionError('keys(): argument 1 must be a map'); })()),
  values: (a, n) => (arity(a, n, 1), isObject(a[0]) ? Object.keys(a[0]).sort().map((k) => (a[0] as Record<string, ArmValue>)[k] as ArmValue) : (() => { throw new FunctionError('values(): argument 1 must be a map'); })()),
  flatten: (a, n) => {
    arity(a, n, 1);
    const flat = (v: readonly ArmValue[]): ArmValue[] => v.flatMap((x) => (isArray(x) ? flat(x) : [x]));
    return flat(list(a[0], n, 0));
  },
  coalesce: (a) => a.find((x) => x !== null && x !== '') ?? null,
  contains: (a, n) => (arity(a, n, 2), list(a[0], n, 0).some((x) => JSON.stringify(x) === JSON.stringify(a[1]))),
  trimspace: (a, n) => (arity(a, n, 1), str(a[0], n, 0).trim()),
  substr: (a, n) => (arity(a, n, 3), str(a[0], n, 0).substr(num(a[1], n, 1), num(a[2], n, 2) < 0 ? undefined : num(a[2], n, 2))),
  min: (a, n) => Math.min(...a.map((x, i) => num(x, n, i))),
  max: (a, n) => Math.max(...a.map((x, i) => num(x, n, i))),
};

export function hasFunction(name: string): boolean {
  return Object.hasOwn(FUNCTIONS, name);
}

/** Call Terraform function `name`. Throws FunctionError. */
export function callFunction(name: string, args: readonly ArmValue[]): ArmValue {
  const fn = FUNCTIONS[name] as Fn;
  return fn(args, name);
}
