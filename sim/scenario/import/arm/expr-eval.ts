/**
 * Evaluating an ARM expression tree. The pure functions come from functions.ts; the ones
 * that read the deployment (parameters, variables, copyIndex, resourceId, reference,
 * resourceGroup, subscription, deployment) ask the `Deployment` the caller gives. `if`
 * evaluates only the branch it takes, as ARM does. Property access and indexes follow ARM:
 * names ignore case, an index past the end or a missing property is an error.
 */
import { ExpressionError } from './expr-tokenize.js';
import type { Expr } from './expr-parse.js';
import { FUNCTIONS } from './functions.js';
import { isArray, isObject, keyOf, typeName } from './values.js';
import type { ArmValue } from './values.js';

/** What an expression can ask about the deployment it is evaluated in. */
export interface Deployment {
  parameter(name: string, at: number): ArmValue;
  variable(name: string, at: number): ArmValue;
  /** The current iteration of loop `loop` (the innermost when absent), plus `offset`. */
  copyIndex(loop: string | undefined, offset: number, at: number): number;
  /** The runtime state of a resource of the template, by resource ID or name (`full`: the whole resource, else its properties). */
  reference(idOrName: string, full: boolean, at: number): ArmValue;
  readonly subscriptionId: string;
  readonly resourceGroup: ArmValue;
  readonly subscription: ArmValue;
  readonly deployment: ArmValue;
}

/** The resource ID `resourceId(...)` gives for its evaluated arguments. */
export function resourceIdOf(args: readonly ArmValue[], d: Pick<Deployment, 'subscriptionId' | 'resourceGroup'>, at: number): string {
  if (args.some((a) => typeof a !== 'string')) throw new ExpressionError("the template function 'resourceId' takes strings: [subscriptionId], [resourceGroupName], resourceType, resourceName...", at);
  const strs = args as readonly string[];
  const t = strs.findIndex((a) => a.includes('/'));
  if (t < 0 || t > 2) throw new ExpressionError("resourceId: no resource type (a name like 'Microsoft.Network/virtualNetworks') among the arguments", at);
  const rgName = isObject(d.resourceGroup) && typeof d.resourceGroup['name'] === 'string' ? d.resourceGroup['name'] : 'rg';
  const sub = t === 2 ? strs[0] as string : d.subscriptionId;
  const rg = t >= 1 ? strs[t - 1] as string : rgName;
  const type = (strs[t] as string).split('/');
  const names = strs.slice(t + 1);
  if (names.length !== type.length - 1) {
    throw new ExpressionError(`resourceId: the type ${strs[t]} needs ${type.length - 1} name segment${type.length === 2 ? '' : 's'}, got ${names.length}`, at);
  }
  let id = `/subscriptions/${sub}/resourceGroups/${rg}/providers/${type[0]}/${type[1]}/${names[0]}`;
  for (let k = 2; k < type.length; k++) id += `/${type[k]}/${names[k - 1]}`;
  return id;
}

function call(e: Extract<Expr, { kind: 'call' }>, d: Deployment): ArmValue {
  const name = e.name.toLowerCase();
  const args = (): ArmValue[] => e.args.map((a) => evaluate(a, d));
  const oneString = (fn: string): string => {
    const a = args();
    if (a.length !== 1 || typeof a[0] !== 'string') throw new ExpressionError(`the template function '${fn}' takes one string: the name`, e.at);
    return a[0];
  };
  switch (name) {
    case 'if': {
      if (e.args.length !== 3) throw new ExpressionError(`the template function 'if' takes 3 arguments (condition, value if true, value if false), got ${e.args.length}`, e.at);
      const c = evaluate(e.args[0] as Expr, d);
      if (typeof c !== 'boolean') throw new ExpressionError(`the condition of 'if' must be a Boolean; the value given is of type ${typeName(c)}`, e.at);
      return evaluate(e.args[c ? 1 : 2] as Expr, d);
    }
    case 'parameters':
      return d.parameter(oneString('parameters'), e.at);
    case 'variables':
      return d.variable(oneString('variables'), e.at);
    case 'copyindex': {
      const a = args();
      if (a.length > 2) throw new ExpressionError(`the template function 'copyIndex' takes at most 2 arguments (loop name, offset), got ${a.length}`, e.at);
      const loop = a.find((x) => typeof x === 'string') as string | undefined;
      const offset = a.find((x) => typeof x === 'number') as number | undefined;
      if (a.some((x) => typeof x !== 'string' && typeof x !== 'number')) throw new ExpressionError("copyIndex: the arguments are a loop name (a string) and an offset (an integer)", e.at);
      return d.copyIndex(loop, offset ?? 0, e.at);
    }
    case 'resourceid':
      return resourceIdOf(args(), d, e.at);
    case 'reference': {
      const a = args();
      if (a.length < 1 || a.length > 3 || typeof a[0] !== 'string') throw new ExpressionError("the template function 'reference' takes a resource ID or name, then optionally an API version and 'Full'", e.at);
      const full = typeof a[2] === 'string' && a[2].toLowerCase() === 'full';
      return d.reference(a[0], full, e.at);
    }
    case 'resourcegroup':
      return d.resourceGroup;
    case 'subscription':
      return d.subscription;
    case 'deployment':
      return d.deployment;
  }
  const fn = FUNCTIONS.get(name);
  if (!fn) throw new ExpressionError(`unknown template function '${e.name}' (vgwsim evaluates the functions listed in the README's Import section)`, e.at);
  return fn(args(), e.at);
}

export function evaluate(e: Expr, d: Deployment): ArmValue {
  switch (e.kind) {
    case 'string':
    case 'number':
      return e.value;
    case 'call':
      return call(e, d);
    case 'property': {
      const t = evaluate(e.target, d);
      if (!isObject(t)) throw new ExpressionError(`cannot read the property '${e.name}' of a value of type ${typeName(t)}`, e.at);
      const k = keyOf(t, e.name);
      if (k === undefined) throw new ExpressionError(`the object has no property '${e.name}'${Object.keys(t).length ? ` (it has ${Object.keys(t).slice(0, 8).join(', ')})` : ''}`, e.at);
      return t[k] as ArmValue;
    }
    case 'index': {
      const t = evaluate(e.target, d);
      const i = evaluate(e.index, d);
      if (isArray(t)) {
        if (typeof i !== 'number') throw new ExpressionError(`an array is indexed by an integer, not a ${typeName(i)}`, e.at);
        if (i < 0 || i >= t.length) throw new ExpressionError(`the index ${i} is outside the array (length ${t.length})`, e.at);
        return t[i] as ArmValue;
      }
      if (isObject(t)) {
        if (typeof i !== 'string') throw new ExpressionError(`an object is indexed by a property name (a string), not a ${typeName(i)}`, e.at);
        const k = keyOf(t, i);
        if (k === undefined) throw new ExpressionError(`the object has no property '${i}'`, e.at);
        return t[k] as ArmValue;
      }
      throw new ExpressionError(`a value of type ${typeName(t)} cannot be indexed`, e.at);
    }
  }
}
