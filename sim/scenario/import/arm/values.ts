/**
 * The values of ARM template expressions (JSON values) and what the functions share about
 * them: type names in Azure's words, deep equality, case-insensitive property lookup (ARM
 * looks up parameters, variables and properties ignoring case) and the text `string()`
 * gives.
 */

export type ArmValue = null | boolean | number | string | readonly ArmValue[] | ArmObject;
export interface ArmObject {
  readonly [key: string]: ArmValue;
}

export function isObject(v: ArmValue | undefined): v is ArmObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isArray(v: ArmValue | undefined): v is readonly ArmValue[] {
  return Array.isArray(v);
}

/** The type of `v` as ARM names it in its error messages. */
export function typeName(v: ArmValue): string {
  if (v === null) return 'Null';
  if (typeof v === 'boolean') return 'Boolean';
  if (typeof v === 'number') return 'Integer';
  if (typeof v === 'string') return 'String';
  return Array.isArray(v) ? 'Array' : 'Object';
}

/** The key of `o` that names `key` ignoring case (the exact spelling first), or undefined. */
export function keyOf(o: ArmObject, key: string): string | undefined {
  if (Object.hasOwn(o, key)) return key;
  const k = key.toLowerCase();
  return Object.keys(o).find((x) => x.toLowerCase() === k);
}

/** The value of property `key` of `o` (ignoring case), or undefined. */
export function prop(o: ArmObject, key: string): ArmValue | undefined {
  const k = keyOf(o, key);
  return k === undefined ? undefined : o[k];
}

export function deepEqual(a: ArmValue, b: ArmValue): boolean {
  if (a === b) return true;
  if (isArray(a) && isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i] as ArmValue));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k] as ArmValue, b[k] as ArmValue));
  }
  return false;
}

/** The text ARM's `string()` gives: strings as they are, booleans True/False, arrays and objects as compact JSON. */
export function stringOf(v: ArmValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (v === null) return '';
  return JSON.stringify(v);
}

/** A fresh object with a null prototype (keys like `__proto__` from a template stay plain keys). */
export function makeObject(entries: Iterable<readonly [string, ArmValue]>): ArmObject {
  const o = Object.create(null) as Record<string, ArmValue>;
  for (const [k, v] of entries) o[k] = v;
  return o;
}

/** A plain JavaScript value (from JSON.parse) as an ArmValue, or undefined when it is not JSON. */
export function fromJson(v: unknown): ArmValue | undefined {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (Array.isArray(v)) {
    const out: ArmValue[] = [];
    for (const x of v) {
      const y = fromJson(x);
      if (y === undefined) return undefined;
      out.push(y);
    }
    return out;
  }
  if (typeof v === 'object') {
    const out: [string, ArmValue][] = [];
    for (const [k, x] of Object.entries(v)) {
      const y = fromJson(x);
      if (y === undefined) return undefined;
      out.push([k, y]);
    }
    return makeObject(out);
  }
  return undefined;
}
