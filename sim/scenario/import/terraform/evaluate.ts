/**
 * Terraform configurations planned on paper: a module's files (blocks with positions, from
 * positions.ts), its variables (defaults, .tfvars, --var), locals, resources expanded by
 * `count` and `for_each`, local child modules (recursively) and their outputs, and the
 * expressions of expr-parse.ts evaluated over them. References between resources give the
 * referenced resource's attributes, its `id` (an Azure resource ID built from its name) and,
 * for values Azure assigns at deployment (a public IP's `ip_address`), a placeholder.
 * Every error is a TemplateError at the file position it is about.
 *
 * Over 500 lines because a module's declarations and the evaluation of its expressions
 * share one state (variables, locals and resource instances evaluated once, cycles
 * detected across all of them): one class, its expression cases side by side.
 */
import { severityOf } from '../../diagnostics.js';
import type { Diagnostic } from '../../diagnostics.js';
import { LineIndex } from '../../source-text.js';
import { TemplateError } from '../arm/errors.js';
import type { JsoncDocument } from '../arm/jsonc.js';
import type { Placeholders } from '../arm/placeholders.js';
import { PUBLIC_IP_RANGE } from '../arm/placeholders.js';
import { isArray, isObject, makeObject } from '../arm/values.js';
import type { ArmObject, ArmValue } from '../arm/values.js';
import { ExprSyntaxError, parseExpression } from './expr-parse.js';
import type { Expr } from './expr-parse.js';
import { callFunction, FunctionError, hasFunction } from './functions.js';
import { scanHcl } from './positions.js';
import type { HclAttribute, HclBlock, HclBody } from './positions.js';

export interface SourceText {
  readonly file: string;
  readonly text: string;
}

/** A file as the ARM importer's diagnostics want it: a name and the positions of its offsets. */
export function sourceDoc(s: SourceText): JsoncDocument {
  return { file: s.file, root: { kind: 'null', offset: 0 }, lines: new LineIndex(s.text) };
}

/** A block and the file it is in. */
export interface Located<T> {
  readonly doc: JsoncDocument;
  readonly text: string;
  readonly node: T;
}

/** The Azure resource types of the azurerm resources vgwsim maps. */
export const ARM_TYPES: Readonly<Record<string, string>> = {
  azurerm_virtual_network: 'virtualNetworks',
  azurerm_subnet: 'virtualNetworks/subnets',
  azurerm_public_ip: 'publicIPAddresses',
  azurerm_virtual_network_gateway: 'virtualNetworkGateways',
  azurerm_local_network_gateway: 'localNetworkGateways',
  azurerm_virtual_network_gateway_connection: 'connections',
  azurerm_express_route_circuit: 'expressRouteCircuits',
  azurerm_route_table: 'routeTables',
  azurerm_route: 'routeTables/routes',
};

const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

/** One instance of a resource block (one per count index or for_each key). */
export interface Instance {
  readonly type: string;
  readonly block: Located<HclBlock>;
  /** `azurerm_subnet.gw`, `azurerm_subnet.gw[0]`, `module.hub.azurerm_subnet.gw["a"]`. */
  readonly address: string;
  readonly key: number | string | undefined;
  readonly each: ArmValue | undefined;
  readonly module: Module;
  /** Its evaluated attributes and nested blocks (blocks as lists of objects). */
  attributes(): ArmObject;
  /** The Azure resource ID, from its name (and its parent's). */
  id(): string;
}

type Locals = { count?: number; eachKey?: string; eachValue?: ArmValue; vars?: ReadonlyMap<string, ArmValue> };

/** A variable value given from outside: a variables file (`warnOnly`: an undeclared name is a warning, as in Terraform), --var or a module block. */
export interface GivenValue {
  readonly value: () => ArmValue;
  readonly doc?: JsoncDocument;
  readonly offset?: number;
  readonly warnOnly?: boolean;
}

export interface ModuleHost {
  readonly placeholders: Placeholders;
  /** Warnings found while planning (values for undeclared variables in variables files). */
  readonly notes: Diagnostic[];
  /** The files of local module directory `dir` (relative to `from`), or why they cannot be read. */
  readDir(dir: string): readonly SourceText[] | string;
  /** Resource group name used in IDs. */
  readonly resourceGroup: string;
}

export class Module {
  readonly files: Located<HclBody>[];
  private readonly variables = new Map<string, Located<HclBlock>>();
  private readonly localDefs = new Map<string, Located<HclAttribute>>();
  private readonly localValues = new Map<string, ArmValue>();
  private readonly outputs = new Map<string, Located<HclBlock>>();
  readonly resources: Located<HclBlock>[] = [];
  readonly dataSources: Located<HclBlock>[] = [];
  readonly moduleCalls = new Map<string, Located<HclBlock>>();
  private readonly children = new Map<string, Module>();
  private readonly instances = new Map<Located<HclBlock>, Instance[]>();
  private readonly evaluating = new Set<string>();
  readonly varValues = new Map<string, ArmValue>();

  constructor(
    readonly host: ModuleHost,
    /** `module.hub.` for a child, '' for the root. */
    readonly prefix: string,
    readonly dir: string,
    sources: readonly SourceText[],
    /** Variable values given from outside (tfvars, --var, a module block), with where they were given. */
    given: ReadonlyMap<string, GivenValue>,
  ) {
    this.files = sources.map((s) => ({ doc: sourceDoc(s), text: s.text, node: scanHcl(s.text) }));
    for (const f of this.files) {
      for (const b of f.node.blocks) {
        const at = { doc: f.doc, text: f.text, node: b };
        const [l0, l1] = b.labels;
        if (b.type === 'variable' && l0 !== undefined) this.variables.set(l0, at);
        else if (b.type === 'locals') for (const a of b.body.attributes.values()) this.localDefs.set(a.name, { doc: f.doc, text: f.text, node: a });
        else if (b.type === 'output' && l0 !== undefined) this.outputs.set(l0, at);
        else if (b.type === 'resource' && l0 !== undefined && l1 !== undefined) this.resources.push(at);
        else if (b.type === 'data') this.dataSources.push(at);
        else if (b.type === 'module' && l0 !== undefined) this.moduleCalls.set(l0, at);
      }
    }
    for (const [name, g] of given) {
      if (!this.variables.has(name)) {
        if (g.warnOnly && g.doc && g.offset !== undefined) {
          const pos = g.doc.lines.posAt(g.offset);
          host.notes.push({ code: 'IMPORT_NOT_MODELLED', severity: severityOf('IMPORT_NOT_MODELLED'), file: g.doc.file, line: pos.line, column: pos.column, message: `a value is given for variable "${name}", which the configuration does not declare; Terraform ignores it with a warning, and so does vgw import` });
        } else if (g.doc && g.offset !== undefined) throw new TemplateError(g.doc, g.offset, `a value is given for variable "${name}", which the configuration does not declare (Terraform refuses undeclared variables): declare it with a variable block or remove the value`);
        continue;
      }
      this.varValues.set(name, g.value());
    }
    for (const [name, v] of this.variables) {
      if (this.varValues.has(name)) continue;
      const d = v.node.body.attributes.get('default');
      if (!d) throw new TemplateError(v.doc, v.node.offset, `variable "${name}" has no default and no value is given: set it in terraform.tfvars, a *.auto.tfvars file, --var-file or --var ${name}=VALUE`);
      this.varValues.set(name, this.evalAttr({ doc: v.doc, text: v.text, node: d }, {}));
    }
  }

  /** Evaluate attribute `a` with the given count/each bindings. */
  evalAttr(a: Located<HclAttribute>, locals: Locals): ArmValue {
    let e: Expr;
    try {
      e = parseExpression(a.text, a.node.valueOffset, a.node.valueOffset + a.node.source.length);
    } catch (err) {
      if (err instanceof ExprSyntaxError) throw new TemplateError(a.doc, err.offset, `${a.node.name}: ${err.message}`);
      throw err;
    }
    return this.eval(e, a.doc, locals);
  }

  /** The evaluated body of a block: attributes, and nested blocks as lists of objects. */
  evalBody(b: Located<HclBody>, locals: Locals, skip: readonly string[] = []): ArmObject {
    const out: [string, ArmValue][] = [];
    for (const a of b.node.attributes.values()) {
      if (skip.includes(a.name)) continue;
      out.push([a.name, this.evalAttr({ doc: b.doc, text: b.text, node: a }, locals)]);
    }
    const nested = new Map<string, ArmValue[]>();
    for (const n of b.node.blocks) {
      if (skip.includes(n.type)) continue;
      if (n.type === 'dynamic') throw new TemplateError(b.doc, n.offset, `dynamic "${n.labels[0] ?? ''}" blocks are not supported by vgw import terraform; write the blocks out or use count/for_each on the resource`);
      const list = nested.get(n.type) ?? [];
      list.push(this.evalBody({ doc: b.doc, text: b.text, node: n.body }, locals));
      nested.set(n.type, list);
    }
    return makeObject([...out, ...nested.entries()]);
  }

  local(name: string, doc: JsoncDocument, at: number): ArmValue {
    const cached = this.localValues.get(name);
    if (cached !== undefined) return cached;
    const def = this.localDefs.get(name);
    if (!def) throw new TemplateError(doc, at, `local.${name} is not declared in any locals block of this module`);
    if (this.evaluating.has(`local.${name}`)) throw new TemplateError(def.doc, def.node.offset, `local.${name} refers to itself (a cycle)`);
    this.evaluating.add(`local.${name}`);
    try {
      const v = this.evalAttr(def, {});
      this.localValues.set(name, v);
      return v;
    } finally {
      this.evaluating.delete(`local.${name}`);
    }
  }

  child(name: string, doc: JsoncDocument, at: number): Module {
    const have = this.children.get(name);
    if (have) return have;
    const call = this.moduleCalls.get(name);
    if (!call) throw new TemplateError(doc, at, `module.${name} is not declared in this module`);
    const srcAttr = call.node.body.attributes.get('source');
    const source = srcAttr ? this.evalAttr({ doc: call.doc, text: call.text, node: srcAttr }, {}) : undefined;
    const where = srcAttr?.offset ?? call.node.offset;
    if (typeof source !== 'string') throw new TemplateError(call.doc, where, `module "${name}" has no source string`);
    if (!/^\.\.?\//.test(source)) throw new TemplateError(call.doc, where, `module "${name}" comes from "${source}", which is not a local directory (./ or ../); vgw import reads no registry or remote modules: vendor it into a local directory`);
    for (const k of ['count', 'for_each']) {
      if (call.node.body.attributes.has(k)) throw new TemplateError(call.doc, call.node.body.attributes.get(k)?.offset ?? where, `module "${name}": ${k} on a module block is not supported by vgw import terraform`);
    }
    const dir = joinDir(this.dir, source);
    if (this.evaluating.has(`module:${dir}`)) throw new TemplateError(call.doc, where, `module "${name}" includes itself (${dir})`);
    const files = this.host.readDir(dir);
    if (typeof files === 'string') throw new TemplateError(call.doc, where, `module "${name}": ${files}`);
    const given = new Map<string, { value: () => ArmValue; doc: JsoncDocument; offset: number }>();
    for (const a of call.node.body.attributes.values()) {
      if (['source', 'version', 'providers', 'depends_on'].includes(a.name)) continue;
      given.set(a.name, { value: () => this.evalAttr({ doc: call.doc, text: call.text, node: a }, {}), doc: call.doc, offset: a.offset });
    }
    this.evaluating.add(`module:${dir}`);
    try {
      const m = new Module(this.host, `${this.prefix}module.${name}.`, dir, files, given);
      this.children.set(name, m);
      return m;
    } finally {
      this.evaluating.delete(`module:${dir}`);
    }
  }

  output(name: string, doc: JsoncDocument, at: number): ArmValue {
    const o = this.outputs.get(name);
    const v = o?.node.body.attributes.get('value');
    if (!o || !v) throw new TemplateError(doc, at, `the module ${this.prefix.replace(/\.$/, '')} has no output "${name}"`);
    return this.evalAttr({ doc: o.doc, text: o.text, node: v }, {});
  }

  /** The instances of resource block `r` (expanded by count or for_each). */
  instancesOf(r: Located<HclBlock>): Instance[] {
    const have = this.instances.get(r);
    if (have) return have;
    const [type, name] = r.node.labels as [string, string];
    const key = `${type}.${name}`;
    if (this.evaluating.has(`count:${key}`)) throw new TemplateError(r.doc, r.node.offset, `the count or for_each of ${key} depends on the resource itself`);
    this.evaluating.add(`count:${key}`);
    const out: Instance[] = [];
    try {
      const count = r.node.body.attributes.get('count');
      const forEach = r.node.body.attributes.get('for_each');
      const base = `${this.prefix}${key}`;
      if (count) {
        const n = this.evalAttr({ doc: r.doc, text: r.text, node: count }, {});
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new TemplateError(r.doc, count.valueOffset, `${key}: count must be a whole number of 0 or more, got ${JSON.stringify(n)}`);
        for (let i = 0; i < n; i++) out.push(this.instance(r, type, `${base}[${i}]`, i, undefined, { count: i }));
      } else if (forEach) {
        const v = this.evalAttr({ doc: r.doc, text: r.text, node: forEach }, {});
        if (isObject(v)) for (const k of Object.keys(v).sort()) out.push(this.instance(r, type, `${base}["${k}"]`, k, v[k], { eachKey: k, eachValue: v[k] as ArmValue }));
        // A list literal is refused as Terraform refuses it; a list from a variable or toset() is taken as the set it stands for.
        else if (isArray(v) && v.every((x) => typeof x === 'string') && !forEach.source.startsWith('[')) for (const k of [...new Set(v as string[])].sort()) out.push(this.instance(r, type, `${base}["${k}"]`, k, k, { eachKey: k, eachValue: k }));
        else throw new TemplateError(r.doc, forEach.valueOffset, `${key}: for_each must be a map or a set of strings (Terraform refuses a list: wrap it in toset())`);
      } else out.push(this.instance(r, type, base, undefined, undefined, {}));
    } finally {
      this.evaluating.delete(`count:${key}`);
    }
    this.instances.set(r, out);
    return out;
  }

  private instance(r: Located<HclBlock>, type: string, address: string, key: number | string | undefined, each: ArmValue | undefined, locals: Locals): Instance {
    let attrs: ArmObject | undefined;
    const self = this;
    const inst: Instance = {
      type,
      block: r,
      address,
      key,
      each,
      module: this,
      attributes(): ArmObject {
        if (attrs) return attrs;
        if (self.evaluating.has(address)) throw new TemplateError(r.doc, r.node.offset, `${address} refers to itself (a cycle)`);
        self.evaluating.add(address);
        try {
          attrs = self.evalBody({ doc: r.doc, text: r.text, node: r.node.body }, locals, ['count', 'for_each', 'lifecycle', 'depends_on', 'provider', 'timeouts']);
        } finally {
          self.evaluating.delete(address);
        }
        return attrs;
      },
      id(): string {
        const a = inst.attributes();
        const name = typeof a['name'] === 'string' ? a['name'] : address;
        const arm = ARM_TYPES[type];
        const rg = typeof a['resource_group_name'] === 'string' ? a['resource_group_name'] : self.host.resourceGroup;
        const base = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.Network`;
        if (type === 'azurerm_subnet') return `${base}/virtualNetworks/${String(a['virtual_network_name'])}/subnets/${name}`;
        if (type === 'azurerm_route') return `${base}/routeTables/${String(a['route_table_name'])}/routes/${name}`;
        if (arm) return `${base}/${arm}/${name}`;
        return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/${type}/${name}`;
      },
    };
    return inst;
  }

  /** The value of a reference to resource `type.name` (a list under count, a map under for_each). */
  resourceValue(type: string, name: string, doc: JsoncDocument, at: number): ArmValue {
    const r = this.resources.find((x) => x.node.labels[0] === type && x.node.labels[1] === name);
    if (!r) throw new TemplateError(doc, at, `${type}.${name} is not declared in this module${this.prefix ? ` (${this.prefix.replace(/\.$/, '')})` : ''}`);
    const insts = this.instancesOf(r);
    const value = (i: Instance): ArmValue => new ResourceRef(i, this.host.placeholders, doc, at) as unknown as ArmValue;
    if (r.node.body.attributes.has('count')) return insts.map(value);
    if (r.node.body.attributes.has('for_each')) return makeObject(insts.map((i) => [String(i.key), value(i)]));
    return value(insts[0] as Instance);
  }

  eval(e: Expr, doc: JsoncDocument, locals: Locals): ArmValue {
    const fail = (msg: string, at = e.at): never => {
      throw new TemplateError(doc, at, msg);
    };
    switch (e.kind) {
      case 'literal':
        return e.value;
      case 'template': {
        if (e.parts.length === 1 && typeof e.parts[0] !== 'string') return this.eval(e.parts[0] as Expr, doc, locals);
        return e.parts.map((p) => (typeof p === 'string' ? p : toText(this.eval(p, doc, locals), () => fail('only strings, numbers and booleans can be put in a string template', p.at)))).join('');
      }
      case 'tuple':
        return e.items.map((x) => this.eval(x, doc, locals));
      case 'object':
        return makeObject(e.entries.map(([k, v]) => [toText(this.eval(k, doc, locals), () => fail('an object key must be a string', k.at)), this.eval(v, doc, locals)]));
      case 'unary': {
        const v = this.eval(e.operand, doc, locals);
        if (e.op === '!') return typeof v === 'boolean' ? !v : fail('! needs a boolean');
        return typeof v === 'number' ? -v : fail('- needs a number');
      }
      case 'binary':
        return this.binary(e, doc, locals, fail);
      case 'cond': {
        const t = this.eval(e.test, doc, locals);
        if (typeof t !== 'boolean') fail(`the condition of ? : must be a boolean, got ${JSON.stringify(t)}`);
        return this.eval(t ? e.then : e.else, doc, locals);
      }
      case 'call': {
        if (e.name === 'try' || e.name === 'can') {
          for (const a of e.args) {
            try {
              const v = this.eval(a, doc, locals);
              return e.name === 'can' ? true : v;
            } catch (err) {
              if (!(err instanceof TemplateError)) throw err;
            }
          }
          return e.name === 'can' ? false : fail('try(): no argument could be evaluated');
        }
        if (!hasFunction(e.name)) fail(`the function ${e.name}() is not one vgw import terraform evaluates (it knows cidrsubnet, cidrhost, format, join, split, lookup, element, length, concat, merge, tolist, toset, tomap, lower, upper, replace, keys, values, flatten, coalesce, contains, min, max, try, can and a few more)`);
        let args = e.args.map((a) => this.eval(a, doc, locals));
        if (e.expand) {
          const last = args[args.length - 1];
          args = [...args.slice(0, -1), ...(isArray(last) ? last : [])];
        }
        try {
          return callFunction(e.name, args);
        } catch (err) {
          if (err instanceof FunctionError) return fail(err.message);
          throw err;
        }
      }
      case 'for': {
        const coll = this.eval(e.coll, doc, locals);
        const pairs: [ArmValue, ArmValue][] = isArray(coll) ? coll.map((v, i) => [i, v]) : isObject(coll) ? Object.keys(coll).sort().map((k) => [k, coll[k] as ArmValue]) : fail('a for expression needs a list or a map');
        const outList: ArmValue[] = [];
        const outMap: [string, ArmValue][] = [];
        for (const [k, v] of pairs) {
          const vars = new Map(locals.vars ?? []);
          vars.set(e.value, v);
          if (e.key !== undefined) vars.set(e.key, k);
          const inner = { ...locals, vars };
          if (e.cond && this.eval(e.cond, doc, inner) !== true) continue;
          const val = this.eval(e.valueExpr, doc, inner);
          if (e.object && e.keyExpr) outMap.push([toText(this.eval(e.keyExpr, doc, inner), () => fail('a for expression key must be a string')), val]);
          else outList.push(val);
        }
        return e.object ? makeObject(outMap) : outList;
      }
      case 'splat': {
        const of = this.eval(e.of, doc, locals);
        const items = isArray(of) ? of : of === null ? [] : [of];
        return items.map((x) =>
          e.then.reduce<ArmValue>((v, step) => {
            if (typeof step === 'string') return getAttr(v, step, () => fail(`no attribute ${step}`));
            const i = this.eval(step, doc, locals);
            if (isArray(v) && typeof i === 'number' && i >= 0 && i < v.length) return v[i] as ArmValue;
            if (isObject(v) && !(v instanceof ResourceRef) && Object.hasOwn(v, String(i))) return v[String(i)] as ArmValue;
            return fail(`cannot index ${describe(v)} with [${JSON.stringify(i)}]`, step.at);
          }, x),
        );
      }
      case 'index': {
        const of = this.eval(e.of, doc, locals);
        const i = this.eval(e.index, doc, locals);
        if (isArray(of)) {
          const n = typeof i === 'string' && /^\d+$/.test(i) ? Number(i) : i;
          if (typeof n !== 'number' || n < 0 || n >= of.length) fail(`index ${JSON.stringify(i)} is out of range: the list has ${of.length} element${of.length === 1 ? '' : 's'}`);
          return of[n as number] as ArmValue;
        }
        if (isObject(of) && !(of instanceof ResourceRef)) {
          const k = String(i);
          return Object.hasOwn(of, k) ? (of[k] as ArmValue) : fail(`the map has no key ${JSON.stringify(k)}`);
        }
        return fail(`cannot index ${describe(of)} with [${JSON.stringify(i)}]`);
      }
      case 'name':
      case 'attr':
        return this.reference(e, doc, locals, fail);
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>, doc: JsoncDocument, locals: Locals, fail: (m: string) => never): ArmValue {
    const l = this.eval(e.left, doc, locals);
    if (e.op === '&&' && l === false) return false;
    if (e.op === '||' && l === true) return true;
    const r = this.eval(e.right, doc, locals);
    const n = (v: ArmValue): number => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : fail(`${e.op} needs numbers, got ${JSON.stringify(v)}`));
    switch (e.op) {
      case '==':
        return JSON.stringify(l) === JSON.stringify(r);
      case '!=':
        return JSON.stringify(l) !== JSON.stringify(r);
      case '&&':
      case '||':
        return typeof l === 'boolean' && typeof r === 'boolean' ? (e.op === '&&' ? l && r : l || r) : fail(`${e.op} needs booleans`);
      case '<':
        return n(l) < n(r);
      case '>':
        return n(l) > n(r);
      case '<=':
        return n(l) <= n(r);
      case '>=':
        return n(l) >= n(r);
      case '+':
        return n(l) + n(r);
      case '-':
        return n(l) - n(r);
      case '*':
        return n(l) * n(r);
      case '/':
        return n(l) / n(r);
      default:
        return n(l) % n(r);
    }
  }

  /** A traversal: `var.x`, `local.y`, `count.index`, `each.key`, `module.m.out`, `azurerm_subnet.gw.id`, a for variable. */
  private reference(e: Extract<Expr, { kind: 'name' | 'attr' }>, doc: JsoncDocument, locals: Locals, fail: (m: string) => never): ArmValue {
    const chain: string[] = [];
    let root: Expr = e;
    while (root.kind === 'attr') {
      chain.unshift(root.name);
      root = root.of;
    }
    if (root.kind !== 'name') return getAttr(this.eval(root, doc, locals), chain.join('.'), () => fail(`no attribute ${chain.join('.')}`));
    const head = root.name;
    const [first, ...rest] = chain;
    const then = (v: ArmValue, path: readonly string[]): ArmValue => path.reduce<ArmValue>((x, n) => getAttr(x, n, () => fail(`${describe(x)} has no attribute "${n}"`)), v);
    if (locals.vars?.has(head)) return then(locals.vars.get(head) as ArmValue, chain);
    if (first === undefined) fail(`"${head}" alone is not a value: Terraform references look like var.NAME, local.NAME or TYPE.NAME.ATTRIBUTE`);
    switch (head) {
      case 'var':
        if (!this.varValues.has(first as string)) fail(`var.${first as string} is not declared: add a variable "${first as string}" block`);
        return then(this.varValues.get(first as string) as ArmValue, rest);
      case 'local':
        return then(this.local(first as string, doc, e.at), rest);
      case 'count':
        if (locals.count === undefined) fail('count.index is only available in a resource with count');
        return first === 'index' ? (locals.count as number) : fail(`count has only index, not ${first as string}`);
      case 'each':
        if (locals.eachKey === undefined) fail('each.key and each.value are only available in a resource with for_each');
        return first === 'key' ? (locals.eachKey as string) : first === 'value' ? then(locals.eachValue as ArmValue, rest) : fail(`each has key and value, not ${first as string}`);
      case 'path':
        return '.';
      case 'terraform':
        return 'default';
      case 'module': {
        const m = this.child(first as string, doc, e.at);
        const [out, ...more] = rest;
        if (out === undefined) fail(`module.${first as string} needs an output name (module.${first as string}.OUTPUT)`);
        return then(m.output(out as string, doc, e.at), more);
      }
      case 'data':
        return fail(`data.${first as string}${rest[0] ? `.${rest[0]}` : ''} is a provider data source: vgw import terraform reads no provider (it runs offline), so a data source has no value; replace it with a variable or the literal value`);
      default:
        return then(this.resourceValue(head, first as string, doc, e.at), rest);
    }
  }
}

/** What a reference to a resource instance gives: its attributes, its ID, and placeholders for values Azure assigns. */
export class ResourceRef {
  [key: string]: ArmValue;
  constructor(inst: Instance, placeholders: Placeholders, doc: JsoncDocument, at: number) {
    Object.defineProperty(this, 'get', {
      enumerable: false,
      value: (name: string): ArmValue | undefined => {
        if (name === 'id') return inst.id();
        const a = inst.attributes();
        if (Object.hasOwn(a, name)) return a[name] as ArmValue;
        if (inst.type === 'azurerm_public_ip' && name === 'ip_address') {
          const id = inst.id();
          const ip = placeholders.publicIp({ type: 'Microsoft.Network/publicIPAddresses', name: String(a['name']), id });
          placeholders.warn(doc, at, inst.address, `the address of public IP '${String(a['name'])}' (${inst.address}.ip_address)`, ip, PUBLIC_IP_RANGE.name);
          return ip;
        }
        return undefined;
      },
    });
  }
}

function getAttr(v: ArmValue, name: string, missing: () => never): ArmValue {
  if (v instanceof ResourceRef) {
    const got = (v as unknown as { get(n: string): ArmValue | undefined }).get(name);
    if (got === undefined) return missing();
    return got;
  }
  if (isObject(v) && Object.hasOwn(v, name)) return v[name] as ArmValue;
  return missing();
}

function describe(v: ArmValue): string {
  if (v instanceof ResourceRef) return 'the resource';
  if (isArray(v)) return 'a list (index it first, e.g. [0])';
  if (isObject(v)) return 'the object';
  return JSON.stringify(v);
}

function toText(v: ArmValue, bad: () => never): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return bad();
}

/** `dir` joined with the relative `source` (forward slashes). */
export function joinDir(dir: string, source: string): string {
  const parts = dir === '' || dir === '.' ? [] : dir.split('/');
  for (const p of source.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(p);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}
