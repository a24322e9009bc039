/**
 * An imported scenario as readable YAML, and its check: any importer builds a scenario
 * document (plain objects, keys in the order the scenarios/ examples use) and the Origins
 * of its elements; `emitYaml` writes it with a header comment, a comment above each object
 * naming the source element and its file:line:column (or why the import added it), lists
 * of scalars and small objects of scalars on one line, as the examples write them.
 * `checkEmitted` validates the text with the normal validator and moves each diagnostic
 * to the source element it came from.
 */
import { Document, isMap, isScalar, isSeq, YAMLMap, YAMLSeq } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { validateScenarioText } from '../validate.js';
import type { Validation } from '../validate.js';
import type { Origins } from './origins.js';

export interface EmitInput {
  /** The scenario document: plain JSON-like values. */
  readonly doc: Readonly<Record<string, unknown>>;
  readonly origins: Origins;
  /** Lines of the comment at the top of the file (without `#`). */
  readonly header: readonly string[];
  /** Paths of elements the importer added itself, with the reason shown above them. */
  readonly added?: ReadonlyMap<string, string>;
}

/** Objects of at most this many scalar values go on one line. */
const FLOW_MAP_KEYS = 6;

function comment(text: string): string {
  // A comment is one line per source line; control characters would break the YAML.
  return text.split('\n').map((l) => ` ${l.replace(/[\u0000-\u001f\u007f]/g, ' ')}`).join('\n');
}

function decorate(node: YamlNode | null | undefined, path: string, input: EmitInput): void {
  if (isSeq(node)) {
    const allScalars = node.items.every((x) => isScalar(x));
    if (allScalars && node.items.length > 0) node.flow = true;
    node.items.forEach((item, i) => {
      const p = `${path}[${i}]`;
      if (isMap(item)) {
        const why = input.added?.get(p);
        const o = input.origins.get(p);
        if (why !== undefined) (item as YamlNode).commentBefore = comment(`added by vgw import: ${why}`);
        else if (o) (item as YamlNode).commentBefore = comment(`${o.element}  (${o.file}:${o.line}:${o.column})`);
      }
      decorate(item as YamlNode, p, input);
    });
  } else if (isMap(node)) {
    const scalarsOnly = node.items.every((pair) => isScalar(pair.value) || (isSeq(pair.value) && pair.value.items.every((x) => isScalar(x))));
    if (scalarsOnly && node.items.length <= FLOW_MAP_KEYS && path !== '') node.flow = true;
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const p = path === '' ? key : `${path}.${key}`;
      const why = input.added?.get(p);
      if (why !== undefined && isScalar(pair.key)) pair.key.commentBefore = comment(`added by vgw import: ${why}`);
      decorate(pair.value as YamlNode, p, input);
    }
  }
}

/** The scenario document as YAML text. */
export function emitYaml(input: EmitInput): string {
  const d = new Document(input.doc);
  d.commentBefore = comment(input.header.join('\n'));
  decorate(d.contents as YamlNode, '', input);
  // Top-level lists read better with a blank line between them.
  if (d.contents instanceof YAMLMap) {
    d.contents.items.forEach((pair, i) => {
      if (i > 0 && pair.value instanceof YAMLSeq && isScalar(pair.key)) pair.key.spaceBefore = true;
    });
  }
  return d.toString({ lineWidth: 0, flowCollectionPadding: true });
}

/** Validate emitted text (named `file`) and point each diagnostic at the source element it came from. */
export function checkEmitted(text: string, file: string, origins: Origins): Validation & { readonly remapped: readonly Diagnostic[] } {
  const v = validateScenarioText(text, file);
  return { ...v, remapped: v.diagnostics.map((d) => origins.remap(d)) };
}
