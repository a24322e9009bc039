/**
 * The YAML walker and the schema DSL apart from the scenario declarations: a toy schema
 * walked over small documents shows what the walker owns (positions, unknown, duplicate and
 * merge keys, empty values, missing required keys, aliases, tags) and what the DSL adds
 * (defaults, refine, JSON Schema).
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { array, integer, name, object, optional, required, withDefault } from '../../../sim/scenario/schema/dsl.js';
import { walkDocument } from '../../../sim/scenario/schema/walker.js';
import { LineIndex } from '../../../sim/scenario/source-text.js';

const item = object({
  noun: 'item',
  nameKey: 'name',
  description: 'An item.',
  fields: {
    name: required(name(), 'Item name.', 'the item name'),
    size: withDefault(integer(1, 9), 1, 1, 'Size 1-9. Default: 1.'),
  },
});
const toy = object({
  noun: 'toy',
  description: 'A toy document.',
  fields: {
    title: required(name(), 'The title. Shown in reports.'),
    items: optional(array(item), 'Items.'),
  },
  refine: (t) => ((t.items?.length ?? 0) > 2 ? [{ message: '{owner} has too many items', key: 'items' }] : []),
});

function walk(text: string, maxAliases?: number): ReturnType<typeof walkDocument<unknown>> {
  const doc = parseDocument(text, { uniqueKeys: false, merge: false });
  return walkDocument(toy, doc, new LineIndex(text), text, maxAliases);
}
const messages = (text: string): string[] => walk(text).problems.map((p) => `${p.line}:${p.column} ${p.message}`);

describe('walkDocument over a toy schema', () => {
  it('converts a valid document, with defaults and a position for every value', () => {
    const r = walk('title: t\nitems:\n  - name: a\n  - { name: b, size: 3 }\n');
    expect(r.problems).toEqual([]);
    expect(r.value).toEqual({ path: '', title: 't', items: [{ path: 'items[0]', name: 'a', size: 1 }, { path: 'items[1]', name: 'b', size: 3 }] });
    expect(r.positions.get('items[1].size')).toEqual({ line: 4, column: 22 });
  });

  it('reports unknown keys with a suggestion, duplicates, merge keys and missing keys where they are', () => {
    expect(messages('titel: t\n')).toEqual([
      '1:1 unknown key "titel" in the scenario; did you mean "title"?',
      '1:1 missing required key "title" in the scenario; add "title: ..." (The title)',
    ]);
    expect(messages('title: t\ntitle: u\n')).toEqual(['2:1 duplicate key "title" in the scenario (first at line 1); each key may appear once: remove one']);
    expect(messages('title: t\nitems: [{ name: a, <<: {} }]\n')[0]).toMatch(/^2:20 YAML merge keys \("<<"\) are not supported in scenario files \(item "a"\)/);
    expect(messages('title:\n')).toEqual(['1:1 required key "title" in the scenario has no value; give "title" a value (The title)']);
  });

  it('names an object by its name key and the value by its key in messages; refine runs after the keys', () => {
    expect(messages('title: t\nitems: [{ name: a, size: 10 }]\n')).toEqual(['2:26 "size" in item "a" must be an integer 1-9; got 10']);
    expect(messages('title: t\nitems: [{name: a}, {name: b}, {name: c}]\n')).toEqual(['2:8 the scenario has too many items']);
  });

  it('follows aliases within the budget and refuses an alias bomb before walking', () => {
    expect(walk('title: &t x\nitems: [{ name: *t }]\n').problems).toEqual([]);
    const bomb = walk('title: &t x\nitems: [{ name: *t }, { name: *t }, { name: *t }]\n', 2);
    expect(bomb.value).toBeUndefined();
    expect(bomb.problems.map((p) => p.message)).toEqual([expect.stringContaining('too many YAML alias expansions (more than 2)')]);
  });

  it('refuses a tag outside the core schema at the tag', () => {
    expect(messages('title: !custom t\n')).toEqual(['1:8 "title" in the scenario has the tag !custom, which scenario files do not accept (only plain YAML core values); remove the tag']);
  });

  it('emits the JSON Schema of the toy from the same declarations', () => {
    expect(toy.toJson()).toMatchObject({
      type: 'object',
      required: ['title'],
      additionalProperties: false,
      properties: { items: { anyOf: [{ type: 'array', items: { properties: { size: { default: 1 } } } }, { type: 'null' }] } },
    });
  });
});
