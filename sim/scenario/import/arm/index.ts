/**
 * `vgw import arm`: an ARM template (and its parameters) to a vgwsim scenario in YAML.
 * Reads no files: the host hands over the texts. Steps: read the JSON with positions
 * (jsonc.ts), deploy it on paper (template.ts: parameters, variables, expressions, copy
 * loops, nested deployments), map the resources (map.ts), write the YAML (../emit-yaml.ts)
 * and validate it, each diagnostic moved to the template element it came from. Never throws
 * on bad input: every problem is a diagnostic.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { escapeControls } from '../../source-text.js';
import { checkEmitted, emitYaml } from '../emit-yaml.js';
import { Origins } from '../origins.js';
import type { Origin } from '../origins.js';
import { JsoncError, parseJsonc } from './jsonc.js';
import type { JsoncDocument } from './jsonc.js';
import { dependencyCycle } from './depends-on.js';
import { mapDeployment } from './map.js';
import { Placeholders } from './placeholders.js';
import { expandTemplate, givenParameters, TemplateError } from './template.js';

export interface SourceText {
  readonly file: string;
  readonly text: string;
}

export interface ArmImportInput {
  readonly template: SourceText;
  readonly parameters?: SourceText;
  /** `--set NAME=VALUE`, in the order given (a later one wins). */
  readonly set?: readonly (readonly [string, string])[];
  /** The file the YAML will be written to (named in diagnostics about the YAML itself). */
  readonly output?: string;
}

export interface ArmImport {
  /** The scenario as YAML; absent when the template could not be evaluated at all. */
  readonly yaml?: string;
  /** Import notes and the validation of the YAML, errors and warnings, in file order. */
  readonly diagnostics: readonly Diagnostic[];
  readonly origins: Origins;
  /** What was mapped to what: each scenario path and the source element it came from, in emit order. */
  readonly explain: readonly { readonly path: string; readonly origin: Origin }[];
  /** Elements the import added to make the scenario runnable (probe hosts and flows, placeholder sites), with why. */
  readonly added: ReadonlyMap<string, string>;
  readonly errors: number;
}

function fail(d: Diagnostic): ArmImport {
  return { diagnostics: [{ ...d, message: escapeControls(d.message) }], origins: new Origins(), explain: [], added: new Map(), errors: 1 };
}

function templateDiagnostic(e: JsoncError | TemplateError): Diagnostic {
  const file = e instanceof JsoncError ? e.file : e.doc.file;
  const pos = e instanceof JsoncError ? e.pos : e.doc.lines.posAt(e.offset);
  return { code: 'TEMPLATE_INVALID', severity: 'error', file, line: pos.line, column: pos.column, message: e.message };
}

/** The scenario name: the template's metadata description or the file's base name. */
function scenarioName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return `Imported from ${base}`;
}

export function importArm(input: ArmImportInput): ArmImport {
  let template: JsoncDocument;
  let params: JsoncDocument | undefined;
  try {
    template = parseJsonc(input.template.text, input.template.file);
    params = input.parameters ? parseJsonc(input.parameters.text, input.parameters.file) : undefined;
  } catch (e) {
    if (e instanceof JsoncError) return fail(templateDiagnostic(e));
    throw e;
  }
  const placeholders = new Placeholders();
  let mapped: ReturnType<typeof mapDeployment>;
  try {
    const state = expandTemplate(template, givenParameters(params, new Map((input.set ?? []).map(([k, v]) => [k, v]))), placeholders);
    const cycle = dependencyCycle(state.resources);
    if (cycle) throw cycle;
    mapped = mapDeployment(state, scenarioName(input.template.file));
  } catch (e) {
    if (e instanceof TemplateError) return fail(templateDiagnostic(e));
    // A chain of variables, references or nested deployments deeper than the stack: the template's shape, not a bug.
    if (e instanceof RangeError) return fail({ code: 'TEMPLATE_INVALID', severity: 'error', file: template.file, line: 1, column: 1, message: `${template.file}: its variables, references or nested deployments chain deeper than vgwsim evaluates (${e.message})` });
    throw e;
  }
  const header = [
    `Imported by vgw import arm from ${input.template.file}${input.parameters ? `,` : '.'}`,
    ...(input.parameters ? [`parameters from ${input.parameters.file}.`] : []),
    'The comment above each object names the template element it came from (file:line:column).',
    'Placeholders for values Azure assigns at deployment: public IPs 203.0.113.0/24, BGP peers 192.0.2.0/24.',
  ];
  const yaml = emitYaml({ doc: mapped.doc, origins: mapped.origins, header, added: mapped.added });
  const importErrors = mapped.diagnostics.filter((d) => d.severity === 'error').length;
  const checked = checkEmitted(yaml, input.output ?? '<stdout>', mapped.origins);
  // Names and values from the template appear in messages: their control characters are escaped, as validation's are.
  const diagnostics = [...mapped.diagnostics, ...checked.remapped].map((d) => ({ ...d, message: escapeControls(d.message) })).sort((a, b) => (a.file === b.file ? 0 : a.file < b.file ? -1 : 1) || a.line - b.line || a.column - b.column);
  return {
    yaml,
    diagnostics,
    origins: mapped.origins,
    explain: [...mapped.origins.entries()].map(([path, origin]) => ({ path, origin })),
    added: mapped.added,
    errors: importErrors + checked.errors,
  };
}
