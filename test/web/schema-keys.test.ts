/**
 * The editor's key completion (web/schema-keys.ts) against the real scenario schema: the
 * key path at a cursor by indentation (block and compact lists, nested mappings), and the
 * keys offered there, without those the mapping already has.
 */
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../sim/index.js';
import { completeKeys, keyPathAt } from '../../web/schema-keys.js';
import type { SchemaNode } from '../../web/schema-keys.js';

const schema = scenarioJsonSchema() as SchemaNode;

/** The keys offered with the cursor at `|` in `doc`. */
function offered(doc: string): string[] | undefined {
  const at = doc.indexOf('|');
  const lines = doc.slice(0, at).split('\n');
  const row = lines.length - 1;
  const all = doc.replace('|', '').split('\n');
  return completeKeys(schema, all, row, lines[row]!.length)?.options.map((o) => o.key);
}

/** The properties the schema gives at a path, read straight from the JSON (the reference). */
function schemaKeys(...path: string[]): string[] {
  let n = schema as unknown as Record<string, unknown>;
  for (const step of path) {
    const alt = (n['anyOf'] as Record<string, unknown>[] | undefined)?.find((a) => a['type'] === 'array' || a['type'] === 'object') ?? n;
    n = step === '[]' ? (alt['items'] as Record<string, unknown>) : ((alt['properties'] as Record<string, Record<string, unknown>>)[step]!);
  }
  const alt = (n['anyOf'] as Record<string, unknown>[] | undefined)?.find((a) => a['type'] === 'object') ?? n;
  return Object.keys(alt['properties'] as object).filter((k) => k !== '$schema').sort();
}

describe('key completion from scenario.schema.json', () => {
  it('offers the top-level keys at column 0, without those already written', () => {
    expect(offered('name: x\nseed: 1\n|')).toEqual(schemaKeys().filter((k) => k !== 'name' && k !== 'seed'));
    expect(offered('|')).toEqual(schemaKeys());
  });

  it('offers a list item\'s keys in block and compact lists, and after the item\'s first key', () => {
    const vnet = schemaKeys('vnets', '[]');
    expect(vnet).toContain('addressSpace');
    expect(offered('vnets:\n  - |')).toEqual(vnet);
    expect(offered('vnets:\n- |')).toEqual(vnet);
    expect(offered('vnets:\n  - name: a\n    |')).toEqual(vnet.filter((k) => k !== 'name'));
    expect(offered('vnets:\n  - name: a\n    addressSpace: [10.0.0.0/16]\n  - name: b\n    |')).toEqual(vnet.filter((k) => k !== 'name'));
  });

  it('follows nested lists and mappings', () => {
    expect(offered('vnets:\n  - name: a\n    subnets:\n      - name: s\n        |')).toEqual(schemaKeys('vnets', '[]', 'subnets', '[]').filter((k) => k !== 'name'));
    expect(offered('sites:\n  - name: hq\n    device:\n      |')).toEqual(schemaKeys('sites', '[]', 'device'));
    expect(offered('sites:\n  - name: hq\n    device:\n      vpnType: PolicyBased\n\n      # a comment\n      |')).toEqual(schemaKeys('sites', '[]', 'device').filter((k) => k !== 'vpnType'));
    expect(keyPathAt(['gateways:', '  - name: g', '    p2s:', '      x'], 3, 6, false)).toEqual(['gateways', '[]', 'p2s']);
  });

  it('offers nothing after a colon or inside a flow collection', () => {
    expect(offered('name: |')).toBeUndefined();
    expect(offered('vnets:\n  - { name: a, |')).toBeUndefined();
  });

  it('carries each key\'s description from the schema', () => {
    const lines = ['vnets:', '  - '];
    const o = completeKeys(schema, lines, 1, 4)!.options.find((k) => k.key === 'name');
    expect(o?.description).toBe('VNet name, unique among VNets.');
  });
});
