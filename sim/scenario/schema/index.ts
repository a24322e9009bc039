/**
 * The scenario schema: validate a parsed YAML document into a `ScenarioBody` and emit the
 * JSON Schema of the format. The pieces: the YAML walker (walker.ts: positions, tags, a
 * mapping's keys; aliases.ts: aliases and the alias bomb), the schema DSL (dsl.ts: value
 * kinds, their messages and JSON Schema) and the scenario declarations (declarations.ts:
 * what a scenario file may hold). Reads no files and never throws on input.
 */
import type { Document } from 'yaml';
import type { LineIndex } from '../source-text.js';
import { scenarioSchema } from './declarations.js';
import type { ScenarioBody } from './declarations.js';
import { DEFAULT_MAX_ALIASES } from './aliases.js';
import { walkDocument } from './walker.js';
import type { WalkResult } from './walker.js';

export { SCENARIO_KEYS, scenarioJsonSchema } from './declarations.js';
export type { ScenarioBody } from './declarations.js';
export { DEFAULT_MAX_ALIASES } from './aliases.js';
export type { SchemaProblem } from './walker.js';

/** The result of validating a document. */
export type ValidateResult = WalkResult<ScenarioBody>;

/**
 * Validate and convert a parsed YAML document (its `contents`) against the scenario schema,
 * collecting every problem.
 */
export function validateScenarioDocument(doc: Document, lines: LineIndex, text: string, maxAliases: number = DEFAULT_MAX_ALIASES): ValidateResult {
  return walkDocument(scenarioSchema, doc, lines, text, maxAliases);
}
