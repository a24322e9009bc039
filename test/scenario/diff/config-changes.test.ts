/**
 * configChanges on random edits of the examples: a scenario against itself has no change;
 * the changes from A to B are those from B to A turned round (added and removed swapped,
 * before and after swapped); every edited object is named; a shared key never shows.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { configChanges } from '../../../sim/scenario/diff/config-changes.js';
import type { ConfigChange } from '../../../sim/scenario/diff/config-changes.js';
import { validateScenarioText } from '../../../sim/scenario/validate.js';
import type { Scenario } from '../../../sim/scenario/types.js';
import { Prng } from '../../../sim/util/prng.js';
import { exampleScenarios } from '../../support/run-cli.js';

type Obj = Record<string, unknown>;
const list = (o: Obj, key: string): Obj[] => (Array.isArray(o[key]) ? (o[key] as Obj[]) : []);

function valid(text: string, file: string): Scenario | undefined {
  const v = validateScenarioText(text, file);
  return v.diagnostics.some((d) => d.severity === 'error') ? undefined : v.scenario;
}

/** One random edit of `doc` in place; returns the kind and name of the object it edited. */
function edit(doc: Obj, rnd: Prng, k: number): [string, string] | undefined {
  const pick = <T>(xs: readonly T[]): T | undefined => (xs.length === 0 ? undefined : xs[Math.floor(rnd.next() * xs.length)]);
  switch (Math.floor(rnd.next() * 6)) {
    case 0: {
      const v = pick(list(doc, 'vnets'));
      if (!v) return undefined;
      const n = Number(k) % 200 + 20;
      const space = String((v['addressSpace'] as string[])[0]).split('.');
      list(v, 'hosts').push({ name: `added-${k}`, ip: `${space[0]}.${space[1]}.${space[2] === '0' ? 0 : space[2]}.${n}` });
      return ['vnet', String(v['name'])];
    }
    case 1: {
      const c = pick(list(doc, 'connections').filter((x) => x['sharedKey'] !== undefined));
      if (!c) return undefined;
      c['sharedKey'] = `k${k}`;
      return ['connection', String(c['name'])];
    }
    case 2: {
      const f = pick(list(doc, 'traffic'));
      if (!f) return undefined;
      f['count'] = Number(f['count'] ?? 1) + 1 + k;
      return ['flow', String(f['id'])];
    }
    case 3: {
      const flows = list(doc, 'traffic');
      if (flows.length < 2) return undefined;
      const [gone] = flows.splice(Math.floor(rnd.next() * flows.length), 1);
      doc['expect'] = list(doc, 'expect').filter((e) => e['flow'] !== gone!['id']);
      return ['flow', String(gone!['id'])];
    }
    case 4: {
      const s = pick(list(doc, 'sites'));
      if (!s) return undefined;
      s['gatewayIp'] = `198.51.100.${200 + (k % 50)}`;
      return ['site', String(s['name'])];
    }
    default: {
      const g = pick(list(doc, 'gateways').filter((x) => x['type'] === 'Vpn' && x['vpnType'] === 'RouteBased'));
      if (!g) return undefined;
      g['sku'] = g['sku'] === 'HighPerformance' ? 'Standard' : 'HighPerformance';
      return ['gateway', String(g['name'])];
    }
  }
}

const key = (c: ConfigChange): string => `${c.kind} ${c.name} ${c.field ?? ''}`;
const flip = { added: 'removed', removed: 'added', changed: 'changed' } as const;

describe('configChanges on random edits of the examples', () => {
  it.each(exampleScenarios())('%s', (file) => {
    const text = readFileSync(file, 'utf8');
    const a = valid(text, 'a.yaml')!;
    expect(a).toBeDefined();
    expect(configChanges(a, a)).toEqual([]);
    const rnd = new Prng(7, file);
    let checked = 0;
    for (let k = 0; k < 25; k++) {
      const doc = parse(text) as Obj;
      const edited = [edit(doc, rnd, k), edit(doc, rnd, k + 100)].filter((e): e is [string, string] => e !== undefined);
      const b = valid(stringify(doc), 'b.yaml');
      if (!b || edited.length === 0) continue;
      checked++;
      const ab = configChanges(a, b).map((c) => c.change);
      const ba = configChanges(b, a).map((c) => c.change);
      expect(configChanges(b, b)).toEqual([]);
      // Every edited object is named (an edit that undid the other leaves nothing, so only when something changed).
      if (ab.length > 0) for (const [kind, name] of edited) expect(ab.some((c) => c.kind === kind && c.name === name), `${kind} ${name}`).toBe(true);
      // B to A is A to B turned round.
      expect(new Set(ba.map(key))).toEqual(new Set(ab.map(key)));
      for (const c of ab) {
        const r = ba.find((x) => key(x) === key(c))!;
        expect(r.change).toBe(flip[c.change]);
        expect([r.before, r.after, r.removed, r.added]).toEqual([c.after, c.before, c.added, c.removed]);
      }
      for (const c of ab) expect(JSON.stringify(c)).not.toMatch(/"k\d+"/);
    }
    expect(checked).toBeGreaterThan(5);
  });
});
