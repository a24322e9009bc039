/**
 * An ARM template deployed on paper: its parameters resolved (`--set`, then the parameters
 * file, then `defaultValue`), its variables evaluated when first used (a cycle is an
 * error), its resources expanded (conditions, `copy` loops, child resources written inside
 * a parent, nested inline deployments with `outer` or `inner` expression scope) into a flat
 * list with full types, names and resource IDs. A resource's body is evaluated when the
 * mapper or a `reference()` first asks for it, remembering the template offset each
 * evaluated property came from, so every mapped value can point at its template line.
 *
 * Values Azure knows only after deploying (a public IP's address, a gateway's BGP peering
 * address) come from `Placeholders`. Every problem is a TemplateError at a file position.
 */
import { ExpressionError } from './expr-tokenize.js';
import { TemplateError } from './errors.js';
import { parseExpression, templateString } from './expr-parse.js';
import { evaluate, resourceIdOf } from './expr-eval.js';
import type { Deployment } from './expr-eval.js';
import { member } from './jsonc.js';
import type { JNode, JsoncDocument } from './jsonc.js';
import { isArray, isObject, makeObject, prop, typeName } from './values.js';
import type { ArmObject, ArmValue } from './values.js';
import type { Placeholders } from './placeholders.js';
import { fromText } from './parameters.js';
import type { GivenParameter } from './parameters.js';
export { givenParameters } from './parameters.js';
export type { GivenParameter } from './parameters.js';

export { TemplateError } from './errors.js';

/** Largest `copy` count ARM accepts. */
export const MAX_COPY_COUNT = 800;
const SUBSCRIPTION_ID = '00000000-0000-0000-0000-000000000000';
/** The resource group a template is imported into: its name and location are vgwsim's stand-ins. */
export const RESOURCE_GROUP = { name: 'vgwsim-rg', location: 'westus' } as const;

/** One resource after expansion. */
export interface ArmResource {
  /** Full type, e.g. `Microsoft.Network/virtualNetworks/subnets`. */
  readonly type: string;
  /** Full name, e.g. `vnet1/GatewaySubnet`. */
  readonly name: string;
  readonly id: string;
  /** Where it is in the template, e.g. `resources[2]` or `resources[1].resources[0]`, with the copy index. */
  readonly element: string;
  readonly doc: JsoncDocument;
  readonly node: JNode;
  /** Its evaluated body (properties, sku, ...). Throws TemplateError. */
  body(): ArmObject;
  /** The template offset of the evaluated value at `path` (e.g. `properties.sku.name`), or of its nearest ancestor. */
  offsetOf(path: string): number;
  /** Other names `dependsOn` may use for it: its symbolic name, its copy loop's name. */
  readonly aliases: readonly string[];
  /** Its evaluated `dependsOn` entries (resource IDs or names). Throws TemplateError. */
  dependsOn(): readonly string[];
}

type Copies = ReadonlyMap<string, number>;

function parentPathOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}

/** The parameters and variables of one template, and the resources it declared. */
class Scope {
  private readonly paramDefs = new Map<string, { name: string; node: JNode }>();
  private readonly paramValues = new Map<string, ArmValue>();
  private readonly varDefs = new Map<string, { name: string; node: JNode; copy?: JNode }>();
  private readonly varValues = new Map<string, ArmValue>();
  private readonly evaluating = new Set<string>();

  constructor(
    readonly doc: JsoncDocument,
    readonly template: JNode,
    readonly element: string,
    readonly deployment: DeploymentState,
    private readonly given: ReadonlyMap<string, GivenParameter>,
  ) {
    const params = member(template, 'parameters');
    if (params?.kind === 'object') for (const e of params.entries) this.paramDefs.set(e.key.toLowerCase(), { name: e.key, node: e.value });
    for (const [k, g] of given) {
      if (!this.paramDefs.has(k)) {
        const known = [...this.paramDefs.values()].map((p) => p.name).join(', ') || 'none';
        throw new TemplateError(g.doc ?? doc, g.offset ?? template.offset, `the parameter '${k}' is not defined in the template (its parameters: ${known}); Azure rejects a deployment that gives it`);
      }
    }
    const vars = member(template, 'variables');
    if (vars?.kind === 'object') {
      for (const e of vars.entries) {
        if (e.key.toLowerCase() === 'copy' && e.value.kind === 'array') {
          for (const c of e.value.items) {
            const n = member(c, 'name');
            if (n?.kind === 'string') this.varDefs.set(n.value.toLowerCase(), { name: n.value, node: c, copy: c });
          }
        } else {
          this.varDefs.set(e.key.toLowerCase(), { name: e.key, node: e.value });
        }
      }
    }
  }

  private ctx(copies: Copies, here: JNode): Ctx {
    return new Ctx(this, copies, here);
  }

  /** `compute()` for `key` once (then from `cache`); `cycle` is the error when computing it needs itself. */
  private once(cache: Map<string, ArmValue>, key: string, cycle: () => TemplateError, compute: () => ArmValue): ArmValue {
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const mark = cache === this.paramValues ? `p:${key}` : `v:${key}`;
    if (this.evaluating.has(mark)) throw cycle();
    this.evaluating.add(mark);
    try {
      const v = compute();
      cache.set(key, v);
      return v;
    } finally {
      this.evaluating.delete(mark);
    }
  }

  parameter(name: string, at: JNode): ArmValue {
    const k = name.toLowerCase();
    const def = this.paramDefs.get(k);
    if (!def) throw new TemplateError(this.doc, at.offset, `parameters('${name}'): the template defines no parameter '${name}'${this.paramDefs.size ? ` (it has ${[...this.paramDefs.values()].map((p) => p.name).join(', ')})` : ''}`);
    return this.once(
      this.paramValues,
      k,
      () => new TemplateError(this.doc, def.node.offset, `the default value of parameter '${def.name}' refers to itself through other parameters (a cycle)`),
      () => this.resolveParameter(def.name, def.node, this.given.get(k)),
    );
  }

  private resolveParameter(name: string, node: JNode, given: GivenParameter | undefined): ArmValue {
    const typeNode = member(node, 'type');
    const type = typeNode?.kind === 'string' ? typeNode.value.toLowerCase() : 'string';
    let value: ArmValue;
    let where: { doc: JsoncDocument; offset: number } = { doc: this.doc, offset: node.offset };
    if (given) {
      value = given.fromText ? fromText(name, given.value as string, type, this.doc, node.offset) : given.value;
      if (given.doc) where = { doc: given.doc, offset: given.offset ?? 0 };
    } else {
      const dflt = member(node, 'defaultValue');
      if (!dflt) throw new TemplateError(this.doc, node.offset, `the parameter '${name}' has no value and no defaultValue: give it in a parameters file (--parameters FILE) or with --set ${name}=VALUE`);
      value = this.evalNode(dflt, new Map(), `${this.element}parameters.${name}.defaultValue`, new Map());
      where = { doc: this.doc, offset: dflt.offset };
    }
    const ok: Record<string, (v: ArmValue) => boolean> = {
      string: (v) => typeof v === 'string',
      securestring: (v) => typeof v === 'string',
      int: (v) => typeof v === 'number',
      bool: (v) => typeof v === 'boolean',
      array: (v) => isArray(v),
      object: (v) => isObject(v),
      secureobject: (v) => isObject(v),
    };
    const check = ok[type];
    if (!check) throw new TemplateError(this.doc, typeNode?.offset ?? node.offset, `the parameter '${name}' has the type '${typeNode?.kind === 'string' ? typeNode.value : '?'}'; ARM parameter types are string, securestring, int, bool, array, object and secureObject`);
    if (!check(value)) throw new TemplateError(where.doc, where.offset, `the value of parameter '${name}' is of type ${typeName(value)}, but the parameter is declared '${typeNode?.kind === 'string' ? typeNode.value : 'string'}'`);
    const allowed = member(node, 'allowedValues');
    if (allowed?.kind === 'array') {
      const list = allowed.items.map((n) => this.evalNode(n, new Map(), '', new Map()));
      const vs = isArray(value) ? value : [value];
      const bad = vs.find((x) => !list.some((a) => JSON.stringify(a) === JSON.stringify(x)));
      if (bad !== undefined) throw new TemplateError(where.doc, where.offset, `the value ${JSON.stringify(bad)} of parameter '${name}' is not among its allowedValues (${list.map((a) => JSON.stringify(a)).join(', ')}); Azure rejects the deployment`);
    }
    return value;
  }

  variable(name: string, at: JNode): ArmValue {
    const k = name.toLowerCase();
    const def = this.varDefs.get(k);
    if (!def) throw new TemplateError(this.doc, at.offset, `variables('${name}'): the template defines no variable '${name}'${this.varDefs.size ? ` (it has ${[...this.varDefs.values()].map((p) => p.name).join(', ')})` : ''}`);
    return this.once(
      this.varValues,
      k,
      () => new TemplateError(this.doc, def.node.offset, `the variable '${def.name}' depends on itself (a cycle through variables('${def.name}'))`),
      () => (def.copy ? this.copyArray(def.copy, new Map(), `${this.element}variables.copy`, new Map()) : this.evalNode(def.node, new Map(), `${this.element}variables.${def.name}`, new Map())),
    );
  }

  /** The count of a copy loop, checked as ARM checks it. */
  copyCount(copy: JNode, copies: Copies, what: string): number {
    const n = member(copy, 'count');
    if (!n) throw new TemplateError(this.doc, copy.offset, `${what}: a copy loop needs a count`);
    const v = this.evalNode(n, copies, '', new Map());
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new TemplateError(this.doc, n.offset, `${what}: the copy count must be an integer, got ${typeName(v)} ${JSON.stringify(v)}`);
    if (v < 0 || v > MAX_COPY_COUNT) throw new TemplateError(this.doc, n.offset, `${what}: the copy count ${v} is outside 0 to ${MAX_COPY_COUNT}, the range Azure accepts`);
    return v;
  }

  /** A property or variable copy loop `{name, count, input}`: its array of inputs. */
  private copyArray(copy: JNode, copies: Copies, path: string, positions: Map<string, number>): ArmValue[] {
    const nameNode = member(copy, 'name');
    const input = member(copy, 'input');
    if (nameNode?.kind !== 'string' || !input) throw new TemplateError(this.doc, copy.offset, 'a copy loop inside properties or variables needs a name (a string), a count and an input');
    const count = this.copyCount(copy, copies, `the copy loop '${nameNode.value}'`);
    const out: ArmValue[] = [];
    for (let k = 0; k < count; k++) out.push(this.evalNode(input, new Map([...copies, [nameNode.value.toLowerCase(), k]]), `${path}[${k}]`, positions));
    return out;
  }

  /** The value of template node `n`, expressions evaluated, recording the offset of each path under `path`. */
  evalNode(n: JNode, copies: Copies, path: string, positions: Map<string, number>): ArmValue {
    positions.set(path, n.offset);
    switch (n.kind) {
      case 'string': {
        const t = templateString(n.value);
        if ('literal' in t) return t.literal;
        try {
          return evaluate(parseExpression(t.expression), this.ctx(copies, n));
        } catch (e) {
          if (e instanceof ExpressionError) throw new TemplateError(this.doc, n.offset + 2 + e.at, `${e.message} in "${n.value.length > 80 ? n.value.slice(0, 80) + '...' : n.value}"`);
          throw e;
        }
      }
      case 'number':
      case 'boolean':
        return n.value;
      case 'null':
        return null;
      case 'array':
        return n.items.map((x, i) => this.evalNode(x, copies, `${path}[${i}]`, positions));
      case 'object': {
        const out: [string, ArmValue][] = [];
        for (const e of n.entries) {
          if (e.key.toLowerCase() === 'copy' && e.value.kind === 'array' && path !== '') {
            for (const c of e.value.items) {
              const name = member(c, 'name');
              const key = name?.kind === 'string' ? name.value : 'copy';
              out.push([key, this.copyArray(c, copies, `${path}.${key}`, positions)]);
            }
            continue;
          }
          out.push([e.key, this.evalNode(e.value, copies, path === '' ? e.key : `${path}.${e.key}`, positions)]);
        }
        return makeObject(out);
      }
    }
  }
}

/** What one expression sees: its scope, its copy indices and the string it stands in. */
class Ctx implements Deployment {
  constructor(
    private readonly scope: Scope,
    private readonly copies: Copies,
    private readonly here: JNode,
  ) {}
  get subscriptionId(): string {
    return SUBSCRIPTION_ID;
  }
  get resourceGroup(): ArmValue {
    return makeObject([['id', `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RESOURCE_GROUP.name}`], ['name', RESOURCE_GROUP.name], ['location', RESOURCE_GROUP.location], ['properties', makeObject([['provisioningState', 'Succeeded']])]]);
  }
  get subscription(): ArmValue {
    return makeObject([['id', `/subscriptions/${SUBSCRIPTION_ID}`], ['subscriptionId', SUBSCRIPTION_ID], ['tenantId', SUBSCRIPTION_ID], ['displayName', 'vgwsim']]);
  }
  get deployment(): ArmValue {
    return makeObject([['name', 'vgwsim-import'], ['properties', makeObject([['templateLink', null]])]]);
  }
  parameter(name: string): ArmValue {
    return this.scope.parameter(name, this.here);
  }
  variable(name: string): ArmValue {
    return this.scope.variable(name, this.here);
  }
  copyIndex(loop: string | undefined, offset: number, at: number): number {
    if (loop === undefined) {
      const last = [...this.copies.values()].pop();
      if (last === undefined) throw new ExpressionError("copyIndex() is used outside a copy loop", at);
      return last + offset;
    }
    const k = this.copies.get(loop.toLowerCase());
    if (k === undefined) throw new ExpressionError(`copyIndex('${loop}'): no copy loop named '${loop}' encloses this expression`, at);
    return k + offset;
  }
  reference(idOrName: string, full: boolean, at: number): ArmValue {
    return this.scope.deployment.reference(idOrName, full, this.scope.doc, this.here.offset + 2 + at);
  }
}

/** Every resource of the deployment, and what `reference()` finds. */
export class DeploymentState {
  readonly resources: ArmResource[] = [];
  /** Resources declared but not read (linked templates, `existing` resources), with where and why: the mapper warns about them. */
  readonly skipped: { doc: JsoncDocument; offset: number; element: string; why: string }[] = [];
  /** Nested deployments: what `reference()` of one gives (its outputs). */
  private readonly deployments: { id: string; name: string; outputs: () => ArmObject }[] = [];
  private readonly evaluating = new Set<object>();

  constructor(readonly placeholders: Placeholders) {}

  find(idOrName: string): ArmResource | undefined {
    const k = idOrName.toLowerCase();
    return this.resources.find((r) => r.id.toLowerCase() === k) ?? (k.startsWith('/') ? undefined : this.resources.find((r) => r.name.toLowerCase() === k));
  }

  reference(idOrName: string, full: boolean, doc: JsoncDocument, offset: number): ArmValue {
    const r = this.find(idOrName);
    if (!r) return this.referenceDeployment(idOrName, full, doc, offset);
    if (this.evaluating.has(r)) throw new TemplateError(doc, offset, `reference('${idOrName}') is part of a cycle: the resource's own properties depend on it`);
    this.evaluating.add(r);
    let body: ArmObject;
    try {
      body = r.body();
    } finally {
      this.evaluating.delete(r);
    }
    const props = prop(body, 'properties');
    const properties = this.placeholders.runtimeProperties(r, isObject(props) ? props : makeObject([]), doc, offset);
    return full ? makeObject([...Object.entries(body), ['properties', properties], ['id', r.id], ['name', r.name], ['type', r.type]]) : properties;
  }

  /** `reference()` of a nested deployment: its outputs, as Azure shows them once it has run. */
  private referenceDeployment(idOrName: string, full: boolean, doc: JsoncDocument, offset: number): ArmValue {
    const k = idOrName.toLowerCase();
    const d = this.deployments.find((x) => x.id.toLowerCase() === k || x.name.toLowerCase() === k);
    if (!d) throw new TemplateError(doc, offset, `reference('${idOrName}'): no resource or nested deployment of this template has that ID or name; vgwsim knows only what a template deploys`);
    if (this.evaluating.has(d)) throw new TemplateError(doc, offset, `reference('${idOrName}') is part of a cycle: the deployment's outputs depend on it`);
    this.evaluating.add(d);
    try {
      const properties = makeObject([['outputs', d.outputs()], ['provisioningState', 'Succeeded']]);
      return full ? makeObject([['properties', properties], ['id', d.id], ['name', d.name], ['type', 'Microsoft.Resources/deployments']]) : properties;
    } finally {
      this.evaluating.delete(d);
    }
  }

  /** Expand the resources of `template` (evaluated in `scope`; `prefix` starts their element paths) into `this.resources`. */
  expand(scope: Scope, template: JNode, prefix: string, copies: Copies): void {
    const list = member(template, 'resources');
    if (!list) return;
    if (list.kind === 'object') {
      // Symbolic names ("languageVersion": "2.0", as newer Bicep emits): resources keyed by name; `existing` ones are not deployed.
      for (const e of list.entries) {
        const existing = member(e.value, 'existing');
        if (existing?.kind === 'boolean' && existing.value) {
          this.skipped.push({ doc: scope.doc, offset: e.keyOffset, element: `${prefix}resources.${e.key}`, why: 'refers to an existing resource, which vgwsim cannot see: only what the template deploys is imported' });
          continue;
        }
        this.expandResource(scope, e.value, `${prefix}resources.${e.key}`, copies, undefined, e.key);
      }
      return;
    }
    if (list.kind !== 'array') throw new TemplateError(scope.doc, list.offset, 'resources must be an array (or, with "languageVersion": "2.0", an object keyed by symbolic name)');
    list.items.forEach((n, i) => this.expandResource(scope, n, `${prefix}resources[${i}]`, copies, undefined));
  }

  private expandResource(scope: Scope, n: JNode, element: string, outer: Copies, parent: { type: string; name: string } | undefined, symbol?: string): void {
    if (n.kind !== 'object') throw new TemplateError(scope.doc, n.offset, `${element} must be an object`);
    const copy = member(n, 'copy');
    if (copy && copy.kind !== 'object') throw new TemplateError(scope.doc, copy.offset, `${element}.copy must be an object {name, count}`);
    const loop = copy ? member(copy, 'name') : undefined;
    if (copy && loop?.kind !== 'string') throw new TemplateError(scope.doc, copy.offset, `${element}.copy needs a name`);
    const count = copy ? scope.copyCount(copy, outer, `${element}.copy`) : 1;
    for (let k = 0; k < count; k++) {
      const copies: Copies = copy && loop?.kind === 'string' ? new Map([...outer, [loop.value.toLowerCase(), k]]) : outer;
      const el = copy ? `${element} (copy ${k})` : element;
      const cond = member(n, 'condition');
      if (cond && scope.evalNode(cond, copies, '', new Map()) !== true) continue;
      const field = (key: string): string => {
        const f = member(n, key);
        if (!f) throw new TemplateError(scope.doc, n.offset, `${element} has no ${key}`);
        const v = scope.evalNode(f, copies, '', new Map());
        if (typeof v !== 'string') throw new TemplateError(scope.doc, f.offset, `${element}.${key} must be a string, got ${typeName(v)}`);
        return v;
      };
      const ownType = field('type');
      const ownName = field('name');
      const type = parent && !ownType.includes('/') ? `${parent.type}/${ownType}` : ownType;
      const name = parent && !ownName.includes('/') ? `${parent.name}/${ownName}` : ownName;
      const typeParts = type.split('/');
      const nameParts = name.split('/');
      if (nameParts.length !== typeParts.length - 1) throw new TemplateError(scope.doc, (member(n, 'name') ?? n).offset, `${element}: the name '${name}' has ${nameParts.length} segment${nameParts.length === 1 ? '' : 's'} but the type ${type} needs ${typeParts.length - 1} (a child resource is named parent/child)`);
      const id = resourceIdOf([type, ...nameParts], { subscriptionId: SUBSCRIPTION_ID, resourceGroup: makeObject([['name', RESOURCE_GROUP.name]]) }, 0);
      if (type.toLowerCase() === 'microsoft.resources/deployments') {
        this.expandDeployment(scope, n, el, copies, id, name);
        continue;
      }
      const aliases = [symbol, loop?.kind === 'string' ? loop.value : undefined].filter((a): a is string => a !== undefined);
      this.resources.push(this.lazyResource(scope, n, el, copies, { type, name, id, aliases }));
      const children = member(n, 'resources');
      if (children?.kind === 'array') children.items.forEach((c, j) => this.expandResource(scope, c, `${element}.resources[${j}]`, copies, { type, name }));
    }
  }

  private lazyResource(scope: Scope, n: JNode, element: string, copies: Copies, names: { type: string; name: string; id: string; aliases: readonly string[] }): ArmResource {
    const positions = new Map<string, number>();
    let body: ArmObject | undefined;
    const skip = new Set(['resources', 'copy', 'condition', 'dependson']);
    return {
      ...names,
      element,
      dependsOn(): readonly string[] {
        const d = member(n, 'dependsOn');
        if (!d) return [];
        const v = scope.evalNode(d, copies, 'dependsOn', positions);
        if (!isArray(v) || v.some((x) => typeof x !== 'string')) throw new TemplateError(scope.doc, d.offset, `${element}.dependsOn must be an array of resource IDs or names`);
        return v as string[];
      },
      doc: scope.doc,
      node: n,
      body(): ArmObject {
        if (body) return body;
        const out: [string, ArmValue][] = [];
        if (n.kind === 'object') {
          for (const e of n.entries) if (!skip.has(e.key.toLowerCase())) out.push([e.key, scope.evalNode(e.value, copies, e.key, positions)]);
        }
        body = makeObject(out);
        return body;
      },
      offsetOf(path: string): number {
        for (let p = path; ; p = parentPathOf(p)) {
          const o = positions.get(p);
          if (o !== undefined) return o;
          if (p === '') return n.offset;
        }
      },
    };
  }

  private expandDeployment(scope: Scope, n: JNode, element: string, copies: Copies, id: string, name: string): void {
    const props = member(n, 'properties');
    const template = member(props, 'template');
    if (!template) {
      this.skipped.push({ doc: scope.doc, offset: (member(props, 'templateLink') ?? n).offset, element, why: 'deploys a linked template (templateLink), which vgwsim does not fetch: import the linked template on its own' });
      return;
    }
    const scopeNode = member(member(props, 'expressionEvaluationOptions'), 'scope');
    const inner = scopeNode?.kind === 'string' && scopeNode.value.toLowerCase() === 'inner';
    const prefix = `${element}.properties.template.`;
    if (!inner) {
      // Outer scope (ARM's default): the nested template's expressions read the parent's parameters and variables.
      this.addOutputs(scope, template, copies, id, name);
      this.expand(scope, template, prefix, copies);
      return;
    }
    const given = new Map<string, GivenParameter>();
    const params = member(props, 'parameters');
    if (params?.kind === 'object') {
      for (const e of params.entries) {
        const valueNode = member(e.value, 'value');
        if (!valueNode) throw new TemplateError(scope.doc, e.value.offset, `${element}: the nested deployment's parameter '${e.key}' needs a value (references to Key Vault are not read by vgwsim)`);
        given.set(e.key.toLowerCase(), { value: scope.evalNode(valueNode, copies, '', new Map()), doc: scope.doc, offset: valueNode.offset });
      }
    }
    const innerScope = new Scope(scope.doc, template, prefix, this, given);
    this.addOutputs(innerScope, template, new Map(), id, name);
    this.expand(innerScope, template, prefix, new Map());
  }

  /** Register nested deployment `name`, whose outputs `reference()` evaluates in `scope` when asked. */
  private addOutputs(scope: Scope, template: JNode, copies: Copies, id: string, name: string): void {
    let cached: ArmObject | undefined;
    this.deployments.push({
      id,
      name,
      outputs: (): ArmObject => {
        if (cached) return cached;
        const outputs = member(template, 'outputs');
        const entries: [string, ArmValue][] = [];
        if (outputs?.kind === 'object') {
          for (const e of outputs.entries) {
            const v = member(e.value, 'value');
            const t = member(e.value, 'type');
            entries.push([e.key, makeObject([['type', t?.kind === 'string' ? t.value : 'string'], ['value', v ? scope.evalNode(v, copies, '', new Map()) : null]])]);
          }
        }
        cached = makeObject(entries);
        return cached;
      },
    });
  }
}

/** Deploy `doc` on paper: the flat list of its resources. Throws TemplateError. */
export function expandTemplate(doc: JsoncDocument, given: ReadonlyMap<string, GivenParameter>, placeholders: Placeholders): DeploymentState {
  if (doc.root.kind !== 'object') throw new TemplateError(doc, doc.root.offset, `${doc.file}: an ARM template is a JSON object with "$schema", "parameters", "variables" and "resources"`);
  if (!member(doc.root, 'resources')) {
    const schema = member(doc.root, '$schema');
    const isParams = schema?.kind === 'string' && /deploymentParameters/i.test(schema.value);
    throw new TemplateError(doc, doc.root.offset, `${doc.file} has no "resources": it is not an ARM template${isParams ? ' (a parameters file goes after --parameters)' : ''}`);
  }
  const state = new DeploymentState(placeholders);
  const scope = new Scope(doc, doc.root, '', state, given);
  state.expand(scope, doc.root, '', new Map());
  return state;
}
