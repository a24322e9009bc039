/**
 * The last steps every importer shares: write the mapped scenario as YAML, validate it with
 * the normal validator, move each diagnostic to the source element it came from, escape
 * control characters from the source in messages, and sort the diagnostics in file order.
 */
import type { Diagnostic } from '../diagnostics.js';
import { escapeControls } from '../source-text.js';
import { checkEmitted, emitYaml } from './emit-yaml.js';
import type { Origin, Origins } from './origins.js';

/** What an import gives its host. */
export interface ImportResult {
  /** The scenario as YAML; absent when the source could not be evaluated at all. */
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

export interface Mapped {
  readonly doc: Readonly<Record<string, unknown>>;
  readonly origins: Origins;
  readonly added: ReadonlyMap<string, string>;
  readonly diagnostics: readonly Diagnostic[];
}

/** The YAML of `mapped` with `header`, checked; `output` names the YAML file in diagnostics about it. */
export function finishImport(mapped: Mapped, header: readonly string[], output: string | undefined): ImportResult {
  const yaml = emitYaml({ doc: mapped.doc, origins: mapped.origins, header, added: mapped.added });
  const importErrors = mapped.diagnostics.filter((d) => d.severity === 'error').length;
  const checked = checkEmitted(yaml, output ?? '<stdout>', mapped.origins);
  // Names and values from the source appear in messages: their control characters are escaped, as validation's are.
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

/** A failed import: one error diagnostic. */
export function failedImport(d: Diagnostic, origins: Origins): ImportResult {
  return { diagnostics: [{ ...d, message: escapeControls(d.message) }], origins, explain: [], added: new Map(), errors: 1 };
}
