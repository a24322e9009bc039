/**
 * Schema tests: the committed JSON Schema is generated from the DSL and up to date; its
 * shape (descriptions, enums, closed objects); the did-you-mean rule; units.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCENARIO_KEYS, scenarioJsonSchema } from '../../sim/scenario/schema/index.js';
import { boundedDistance, CALL_BUDGET, damerauLevenshtein, editDistanceCells, editLimit, FILE_SUGGEST_BUDGET, MAX_EDIT_LIMIT, suggest, withSuggestBudget } from '../../sim/scenario/suggest.js';
import { validateScenarioText } from '../../sim/scenario/validate.js';
import { Prng } from '../../sim/util/prng.js';
import { MAX_SECONDS, parseDuration, parseRate } from '../../sim/scenario/units.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCHEMA_FILE = join(ROOT, 'scenarios', 'scenario.schema.json');

type Json = { [k: string]: unknown };

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every sub-schema of a JSON Schema, with its JSON pointer-ish path. */
function walk(s: unknown, path: string, out: Array<[string, Json]>): Array<[string, Json]> {
  if (!isObj(s)) return out;
  out.push([path, s]);
  const props = s['properties'];
  if (isObj(props)) for (const [k, v] of Object.entries(props)) walk(v, `${path}/${k}`, out);
  if (s['items'] !== undefined) walk(s['items'], `${path}[]`, out);
  const anyOf = s['anyOf'];
  if (Array.isArray(anyOf)) anyOf.forEach((v, i) => walk(v, `${path}|${i}`, out));
  return out;
}

describe('scenarios/scenario.schema.json', () => {
  it('is up to date with the declarations in sim/scenario/schema/declarations.ts', () => {
    const expected = JSON.stringify(scenarioJsonSchema(), null, 2) + '\n';
    let committed = '';
    try {
      committed = readFileSync(SCHEMA_FILE, 'utf8');
    } catch {
      committed = '(missing)';
    }
    expect(
      committed === expected,
      'scenarios/scenario.schema.json is out of date: run `npm run build && node scripts/emit-schema.mjs` and commit the result',
    ).toBe(true);
  });

  it('describes every key, closes every object, lists enums', () => {
    const schema = scenarioJsonSchema() as Json;
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    const nodes = walk(schema, '', []);
    let objects = 0;
    for (const [path, node] of nodes) {
      if (node['type'] === 'object') {
        objects++;
        expect(node['additionalProperties'], path).toBe(false);
        expect(typeof node['description'], path).toBe('string');
        for (const [k, v] of Object.entries(node['properties'] as Json)) {
          expect(typeof (v as Json)['description'], `${path}/${k}`).toBe('string');
        }
      }
    }
    expect(objects).toBeGreaterThanOrEqual(15);
    const byPath = new Map(nodes);
    expect(byPath.get('/gateways|0[]/sku')?.['enum']).toEqual(['Basic', 'Standard', 'HighPerformance']);
    expect(byPath.get('/gateways|0[]/vpnType|0')?.['enum']).toEqual(['PolicyBased', 'RouteBased', 'Static', 'Dynamic']);
    expect(byPath.get('/expect|0[]/reason|0')?.['enum']).toContain('tunnel-down');
    expect(byPath.get('/connections|0[]')?.['required']).toEqual(['name', 'type', 'gateway']);
    expect(byPath.get('')?.['required']).toEqual(['name']);
    expect(byPath.get('/seed')?.['default']).toBe(1);
    expect(byPath.get('/traffic|0[]/ttl')?.['default']).toBe(64);
    const edition = byPath.get('/edition');
    expect(edition?.['default']).toBe('azure-2016-02');
    expect(String(edition?.['description'])).toContain('vgwsim extension');
  });

  it('covers every top-level key of the contract', () => {
    for (const k of ['name', 'description', 'seed', 'vnets', 'gateways', 'sites', 'connections', 'traffic', 'circuits', 'faults', 'expect', 'expectDiagnostics']) {
      expect(SCENARIO_KEYS).toContain(k);
    }
  });
});

describe('did you mean', () => {
  it('measures Damerau-Levenshtein distance', () => {
    const rows: Array<[string, string, number]> = [
      ['', '', 0],
      ['abc', '', 3],
      ['adressSpace', 'addressSpace', 1],
      ['ca', 'ac', 1], // one transposition
      ['kitten', 'sitting', 3],
      ['RuoteBased', 'RouteBased', 1],
    ];
    for (const [a, b, d] of rows) expect(damerauLevenshtein(a, b), `${a} → ${b}`).toBe(d);
  });

  it('suggests close names, case-insensitive matches first, nothing when far', () => {
    const keys = ['name', 'addressSpace', 'subnets', 'hosts'];
    expect(suggest('adressSpace', keys)).toBe('addressSpace');
    expect(suggest('SUBNETS', keys)).toBe('subnets');
    expect(suggest('host', keys)).toBe('hosts');
    expect(suggest('frobnicate', keys)).toBeUndefined();
    expect(suggest('x', ['y'])).toBeUndefined();
    expect(suggest('Premium', ['Basic', 'Standard', 'HighPerformance'])).toBeUndefined();
    expect(suggest('standrad', ['Basic', 'Standard', 'HighPerformance'])).toBe('Standard');
  });
});

describe('did you mean, within a bounded amount of work', () => {
  it('the banded distance equals the full table wherever it is within the band', () => {
    const r = new Prng(7, 'banded');
    const word = (): string => Array.from({ length: r.int(14) }, () => 'abcab'[r.int(5)]).join('');
    for (let n = 0; n < 3000; n++) {
      const a = word();
      const b = r.int(3) === 0 ? word() : a.slice(0, r.int(a.length + 1)) + word().slice(0, 2) + a.slice(r.int(a.length + 1));
      const k = r.int(7);
      const full = damerauLevenshtein(a, b);
      expect(boundedDistance(a, b, k), `${a} ${b} k=${k}`).toBe(full <= k ? full : k + 1);
    }
  });

  it('caps the edit limit, so a long name costs a band, not a square', () => {
    expect(editLimit(4, 5)).toBe(2);
    expect(editLimit(21, 20)).toBe(7);
    expect(editLimit(40_000, 40_000)).toBe(MAX_EDIT_LIMIT);
    const long = 'f'.repeat(40_000);
    const before = editDistanceCells();
    expect(suggest(`${long.slice(1)}g`, ['ping', long, 'web', 'lost'])).toBe(long);
    const cells = editDistanceCells() - before;
    // The band: at most (2k + 1) cells a row; the full table would be 1.6 x 10^9 cells.
    expect(cells).toBeGreaterThan(0);
    expect(cells).toBeLessThanOrEqual((2 * MAX_EDIT_LIMIT + 1) * 40_000);
  });

  it('spends at most its budget per call and per file, and still answers', () => {
    const names = Array.from({ length: 400 }, (_, i) => `host-${String(i).padStart(4, '0')}-${'x'.repeat(200)}`);
    let before = editDistanceCells();
    suggest(`host-9999-${'y'.repeat(200)}`, names);
    expect(editDistanceCells() - before).toBeLessThanOrEqual(CALL_BUDGET);
    before = editDistanceCells();
    const answers = withSuggestBudget(1_000_000, () => names.map((n) => suggest(`${n}z`, names)));
    expect(editDistanceCells() - before).toBeLessThanOrEqual(1_000_000);
    expect(answers[0]).toBe(names[0]); // the first calls had budget left
    expect(answers.at(-1)).toBeUndefined(); // the last ones did not
  });

  it('a file with thousands of unknown references and candidates validates within the file budget', () => {
    const hosts = Array.from({ length: 2000 }, (_, i) => `      - { name: host${String(i).padStart(5, '0')}, ip: 10.1.${(i + 4) >> 8}.${(i + 4) & 255} }`);
    const flows = Array.from({ length: 2000 }, (_, i) => `  - { id: f${i}, from: hoxt${String(i).padStart(5, '0')}, to: hosz${String(i).padStart(5, '0')}, proto: icmp }`);
    const text = `name: refs
vnets:
  - name: v
    addressSpace: [10.0.0.0/8]
    subnets: [{ name: s, prefix: 10.1.0.0/16 }]
    hosts:
${hosts.join('\n')}
traffic:
${flows.join('\n')}
`;
    const before = editDistanceCells();
    const v = validateScenarioText(text, 'refs.yaml');
    expect(editDistanceCells() - before).toBeLessThanOrEqual(FILE_SUGGEST_BUDGET);
    expect(v.errors).toBeGreaterThanOrEqual(4000);
    expect(v.diagnostics[0]?.message).toContain('did you mean "host00000"?');
  });
});

describe('units', () => {
  it('durations in seconds', () => {
    const rows: Array<[number | string, number]> = [
      [0, 0],
      [1.5, 1.5],
      ['250ms', 0.25],
      ['2s', 2],
      ['1.5m', 90],
      ['8h', 28800],
      ['.5s', 0.5],
    ];
    for (const [v, s] of rows) expect(parseDuration(v), String(v)).toEqual({ ok: true, value: s });
    for (const bad of [-1, '5', '2x', 'soon', '', '1 day']) expect(parseDuration(bad).ok, String(bad)).toBe(false);
  });

  it('rates in bits or packets per second', () => {
    expect(parseRate('1Gbps', 'bits')).toEqual({ ok: true, value: 1e9 });
    expect(parseRate('50Mbps', 'bits')).toEqual({ ok: true, value: 50e6 });
    expect(parseRate('500kbps', 'bits')).toEqual({ ok: true, value: 500e3 });
    expect(parseRate('1000pps', 'packets')).toEqual({ ok: true, value: 1000 });
    expect(parseRate(2000, 'packets')).toEqual({ ok: true, value: 2000 });
    const wrongKind = parseRate('1000pps', 'bits');
    expect(wrongKind.ok === false && wrongKind.error).toContain('is a packet rate');
    const typo = parseRate('1gbps', 'bits');
    expect(typo.ok === false && typo.error).toContain('did you mean "1Gbps"?');
    for (const bad of [0, -5, '0pps', '10', 'fast']) expect(parseRate(bad, 'packets').ok, String(bad)).toBe(false);
  });

  it('times, durations and rates stay finite and within their bounds', () => {
    expect(parseDuration(MAX_SECONDS)).toEqual({ ok: true, value: 1e9 });
    for (const bad of [1e9 + 1, 1e308, Infinity, NaN, '1000000001s', `${'9'.repeat(400)}s`, '277778h']) expect(parseDuration(bad).ok, String(bad)).toBe(false);
    expect(parseDuration(NaN)).toEqual({ ok: false, error: 'expected a duration ≥ 0; got a number that is not a number (.nan)' });
    expect(parseRate('1Mpps', 'packets')).toEqual({ ok: true, value: 1e6 });
    for (const bad of ['1001Mpps', 1e-10, Infinity]) expect(parseRate(bad, 'packets').ok, String(bad)).toBe(false);
    expect(parseRate('1000Gbps', 'bits')).toEqual({ ok: true, value: 1e12 });
    expect(parseRate('1001Gbps', 'bits').ok).toBe(false);
    // Units are own keys of their tables.
    for (const u of ['constructor', 'toString', 'valueOf', 'hasOwnProperty']) {
      const d = parseDuration(`5${u}`);
      expect(d.ok === false && d.error, u).toContain('has an unknown time unit');
      expect(parseRate(`5${u}`, 'bits').ok, u).toBe(false);
    }
  });
});
