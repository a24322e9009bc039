/**
 * `vgw import arm`: an ARM template (and its parameters) to a vgwsim scenario in YAML.
 * Reads no files: the host hands over the texts. Steps: read the JSON with positions
 * (jsonc.ts), deploy it on paper (template.ts: parameters, variables, expressions, copy
 * loops, nested deployments), map the resources (map.ts), write the YAML (../emit-yaml.ts)
 * and validate it, each diagnostic moved to the template element it came from. Never throws
 * on bad input: every problem is a diagnostic.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { failedImport, finishImport } from '../finish.js';
import type { ImportResult } from '../finish.js';
import { Origins } from '../origins.js';
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

export type ArmImport = ImportResult;

function fail(d: Diagnostic): ArmImport {
  return failedImport(d, new Origins());
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
  return finishImport(mapped, header, input.output);
}
