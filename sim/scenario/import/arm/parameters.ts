/**
 * Parameter values from outside an ARM template: a parameters file (`{"parameters": {NAME:
 * {"value": ...}}}`, plain JSON values, no expressions) and `--set NAME=VALUE` text, which
 * is converted to the type the template declares for the parameter.
 */
import { TemplateError } from './errors.js';
import { member } from './jsonc.js';
import type { JNode, JsoncDocument } from './jsonc.js';
import { fromJson, makeObject } from './values.js';
import type { ArmValue } from './values.js';

/** A parameter value given from outside the template: the parameters file or `--set`. */
export interface GivenParameter {
  readonly value: ArmValue;
  /** Where it was given (the parameters file), or undefined for --set. */
  readonly doc?: JsoncDocument;
  readonly offset?: number;
  /** True when the value is text from --set, to be converted to the parameter's type. */
  readonly fromText?: boolean;
}

/** Text from --set as a value of the parameter's type. */
export function fromText(name: string, text: string, type: string, doc: JsoncDocument, offset: number): ArmValue {
  const bad = (want: string): never => {
    throw new TemplateError(doc, offset, `--set ${name}=${text}: the parameter '${name}' is ${want}`);
  };
  if (type === 'int') return /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : bad('an int: give a whole number');
  if (type === 'bool') return /^(true|false)$/i.test(text) ? text.toLowerCase() === 'true' : bad('a bool: give true or false');
  if (type === 'array' || type === 'object' || type === 'secureobject') {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      bad(`an ${type}: give it as JSON`);
    }
    return fromJson(v) ?? bad(`an ${type}: give it as JSON`);
  }
  return text;
}

/** Parameters given from outside, by lower-case name: --set wins over the parameters file. */
export function givenParameters(paramsDoc: JsoncDocument | undefined, set: ReadonlyMap<string, string>): Map<string, GivenParameter> {
  const out = new Map<string, GivenParameter>();
  if (paramsDoc) {
    const root = paramsDoc.root;
    const params = member(root, 'parameters') ?? root;
    if (params.kind !== 'object') throw new TemplateError(paramsDoc, params.offset, `${paramsDoc.file}: a parameters file is an object with "parameters": { NAME: { "value": ... } }`);
    for (const e of params.entries) {
      if (e.key.startsWith('$')) continue;
      const valueNode = member(e.value, 'value');
      if (!valueNode) {
        const why = member(e.value, 'reference') ? 'a Key Vault reference cannot be read offline: give the value with --set' : 'each parameter is written { "value": ... }';
        throw new TemplateError(paramsDoc, e.value.offset, `the parameter '${e.key}' has no "value": ${why}`);
      }
      out.set(e.key.toLowerCase(), { value: plain(valueNode), doc: paramsDoc, offset: valueNode.offset });
    }
  }
  for (const [k, v] of set) out.set(k.toLowerCase(), { value: v, fromText: true });
  return out;
}

/** A JSON node's value, no expressions evaluated (a parameters file holds plain values). */
function plain(n: JNode): ArmValue {
  switch (n.kind) {
    case 'object':
      return makeObject(n.entries.map((e) => [e.key, plain(e.value)]));
    case 'array':
      return n.items.map(plain);
    case 'null':
      return null;
    default:
      return n.value;
  }
}

