/**
 * `vgw import terraform`: a Terraform configuration of azurerm resources to a vgwsim
 * scenario in YAML. Reads no files: the host hands over the texts of the root module's
 * `*.tf` files and variable files, and a function that reads a local module's directory.
 * Steps: plan on paper (evaluate.ts: variables, locals, count, for_each, modules,
 * references), turn each azurerm resource into the Azure resource it creates
 * (translate.ts), map those with the ARM importer's mapper (../arm/map.ts), write the YAML
 * and validate it (../finish.ts), each diagnostic at the .tf attribute it came from.
 * Never throws on bad input: every problem is a diagnostic.
 */
import { severityOf } from '../../diagnostics.js';
import type { Diagnostic } from '../../diagnostics.js';
import { TemplateError } from '../arm/errors.js';
import { mapDeployment } from '../arm/map.js';
import { Placeholders } from '../arm/placeholders.js';
import { DeploymentState, RESOURCE_GROUP } from '../arm/template.js';
import { failedImport, finishImport } from '../finish.js';
import type { ImportResult } from '../finish.js';
import { Origins } from '../origins.js';
import { ExprSyntaxError, parseExpression } from './expr-parse.js';
import { ARM_TYPES, Module, sourceDoc } from './evaluate.js';
import type { GivenValue, Instance, SourceText } from './evaluate.js';
import type { ArmValue } from '../arm/values.js';
import { scanHcl } from './positions.js';
import { translate, unmappedAttributes } from './translate.js';
import type { Associations } from './translate.js';

export type { SourceText } from './evaluate.js';

export interface TerraformImportInput {
  /** The configuration directory, as the user named it. */
  readonly dir: string;
  /** The root module's `*.tf` files, in name order. */
  readonly files: readonly SourceText[];
  /** Variable files in the order Terraform reads them: terraform.tfvars, *.auto.tfvars, then each --var-file (a later one wins). */
  readonly varFiles?: readonly SourceText[];
  /** `--var NAME=VALUE`, in the order given (they win over the files). */
  readonly vars?: readonly (readonly [string, string])[];
  /** The `*.tf` files of local module directory `dir` (a path joined from `dir` and the module's source), or why not. */
  readonly readDir: (dir: string) => readonly SourceText[] | string;
  /** The file the YAML will be written to (named in diagnostics about the YAML itself). */
  readonly output?: string;
}

function errorDiagnostic(e: TemplateError): Diagnostic {
  const pos = e.doc.lines.posAt(e.offset);
  return { code: 'TEMPLATE_INVALID', severity: 'error', file: e.doc.file, line: pos.line, column: pos.column, message: e.message };
}

/** A `--var` value: an HCL expression when it reads as a list, map, number or boolean, else the string itself (as Terraform takes it for a string variable). */
function cliValue(evaluator: Module, name: string, raw: string): ArmValue {
  if (!/^\s*([[{]|-?\d+(\.\d+)?\s*$|true\s*$|false\s*$)/.test(raw)) return raw;
  const doc = sourceDoc({ file: `--var ${name}`, text: raw });
  try {
    return evaluator.eval(parseExpression(raw, 0, raw.length), doc, {});
  } catch (e) {
    if (e instanceof ExprSyntaxError) throw new TemplateError(doc, e.offset, `--var ${name}=${raw}: ${e.message}`);
    throw e;
  }
}

/** Variable values from the variable files and --var, with where each was given. */
function givenValues(input: TerraformImportInput, evaluator: Module): Map<string, GivenValue> {
  const given = new Map<string, GivenValue>();
  for (const f of input.varFiles ?? []) {
    const doc = sourceDoc(f);
    const body = scanHcl(f.text);
    if (body.blocks[0]) throw new TemplateError(doc, body.blocks[0].offset, `${f.file} is a variables file: it holds NAME = VALUE lines, not blocks`);
    for (const a of body.attributes.values()) {
      given.set(a.name, { value: () => evaluator.evalAttr({ doc, text: f.text, node: a }, {}), doc, offset: a.offset, warnOnly: true });
    }
  }
  for (const [name, raw] of input.vars ?? []) {
    const doc = sourceDoc({ file: `--var ${name}`, text: raw });
    given.set(name, { value: () => cliValue(evaluator, name, raw), doc, offset: 0 });
  }
  return given;
}

/** Every module of the configuration (the root first, then its local children, depth first); warnings for what is not read. */
function allModules(root: Module, notes: Diagnostic[]): Module[] {
  const out: Module[] = [];
  const visit = (m: Module): void => {
    out.push(m);
    for (const d of m.dataSources) {
      const pos = d.doc.lines.posAt(d.node.offset);
      notes.push({ code: 'IMPORT_NOT_MODELLED', severity: severityOf('IMPORT_NOT_MODELLED'), file: d.doc.file, line: pos.line, column: pos.column, message: `data "${d.node.labels.join('" "')}" is a provider data source: vgw import terraform reads no provider (it runs offline) and does not import it; an expression that uses it is an error` });
    }
    for (const [name, call] of m.moduleCalls) {
      const src = call.node.body.attributes.get('source');
      if (src && !/^"\.\.?\//.test(src.source)) {
        const pos = call.doc.lines.posAt(src.offset);
        notes.push({ code: 'IMPORT_NOT_MODELLED', severity: severityOf('IMPORT_NOT_MODELLED'), file: call.doc.file, line: pos.line, column: pos.column, message: `module "${name}" comes from ${src.source}, which is not a local directory (./ or ../): vgw import reads no registry or remote modules, so its resources are not imported; vendor it into a local directory to import them` });
        continue;
      }
      visit(m.child(name, call.doc, call.node.offset));
    }
  };
  visit(root);
  return out;
}

function associationsOf(instances: readonly Instance[]): Associations {
  const out = new Map<string, { routeTableId: string; element: string }>();
  for (const i of instances.filter((x) => x.type === 'azurerm_subnet_route_table_association')) {
    const a = i.attributes();
    if (typeof a['subnet_id'] === 'string' && typeof a['route_table_id'] === 'string') out.set(a['subnet_id'].toLowerCase(), { routeTableId: a['route_table_id'], element: `${i.address}.route_table_id` });
  }
  return out;
}

/** One warning for all resource types vgwsim does not model, with counts, at the first such block. */
function unmodelledTypes(instances: readonly Instance[]): Diagnostic | undefined {
  const counts = new Map<string, { n: number; first: Instance }>();
  for (const i of instances) {
    if (ARM_TYPES[i.type] || i.type === 'azurerm_subnet_route_table_association') continue;
    const c = counts.get(i.type) ?? { n: 0, first: i };
    c.n++;
    counts.set(i.type, c);
  }
  const first = [...counts.values()][0]?.first;
  if (!first) return undefined;
  const pos = first.block.doc.lines.posAt(first.block.node.offset);
  const list = [...counts.entries()].map(([t, c]) => `${t} ×${c.n}`).join(', ');
  return { code: 'IMPORT_NOT_MODELLED', severity: severityOf('IMPORT_NOT_MODELLED'), file: first.block.doc.file, line: pos.line, column: pos.column, message: `resource types vgwsim does not model, not imported: ${list}${counts.has('azurerm_virtual_network_peering') ? ' (VNet peering is not in the 2016 model: connect the VNets with a Vnet2Vnet connection instead)' : ''}` };
}

export function importTerraform(input: TerraformImportInput): ImportResult {
  if (input.files.length === 0) {
    return failedImport({ code: 'TEMPLATE_INVALID', severity: 'error', file: input.dir, line: 1, column: 1, message: `${input.dir} has no *.tf files: vgw import terraform reads a Terraform configuration directory` }, new Origins());
  }
  const placeholders = new Placeholders();
  const notes: Diagnostic[] = [];
  const host = { placeholders, readDir: input.readDir, resourceGroup: RESOURCE_GROUP.name, notes };
  let mapped: ReturnType<typeof mapDeployment>;
  try {
    const evaluator = new Module(host, '', input.dir, [], new Map());
    const root = new Module(host, '', input.dir, input.files, givenValues(input, evaluator));
    const modules = allModules(root, notes);
    const instances = modules.flatMap((m) => m.resources.flatMap((r) => m.instancesOf(r)));
    const associations = associationsOf(instances);
    const state = new DeploymentState(placeholders);
    const warnedBlocks = new Set<unknown>();
    for (const i of instances) {
      const r = translate(i, associations);
      if (!r) continue;
      state.resources.push(r);
      if (warnedBlocks.has(i.block.node)) continue;
      warnedBlocks.add(i.block.node);
      const d = unmappedAttributes(i);
      if (d) notes.push(d);
    }
    const types = unmodelledTypes(instances);
    if (types) notes.push(types);
    mapped = mapDeployment(state, `Imported from Terraform configuration ${input.dir.split(/[\\/]/).filter((x) => x !== '').pop() ?? input.dir}`);
  } catch (e) {
    if (e instanceof TemplateError) return failedImport(errorDiagnostic(e), new Origins());
    if (e instanceof RangeError) return failedImport({ code: 'TEMPLATE_INVALID', severity: 'error', file: input.files[0]?.file ?? input.dir, line: 1, column: 1, message: `its variables, locals, references or modules chain deeper than vgwsim evaluates (${e.message})` }, new Origins());
    throw e;
  }
  const header = [
    `Imported by vgw import terraform from ${input.dir}${(input.varFiles ?? []).length > 0 ? ` (variables from ${(input.varFiles ?? []).map((f) => f.file).join(', ')})` : ''}.`,
    'The comment above each object names the Terraform resource attribute it came from (file:line:column).',
    'Placeholders for values Azure assigns at deployment: public IPs 203.0.113.0/24, BGP peers 192.0.2.0/24.',
  ];
  return finishImport({ ...mapped, diagnostics: [...notes, ...mapped.diagnostics] }, header, input.output);
}
