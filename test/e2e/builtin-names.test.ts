/**
 * Names that are also the names of JavaScript built-ins (`__proto__`, `constructor`,
 * `toString`, ...) are ordinary names, end to end: every example renamed so that each
 * VNet, subnet, host, gateway, site, connection, circuit and flow takes each such name in
 * turn validates with the same diagnostic codes, runs with the same counts per flow (and
 * the same `via` under the new names) and passes the same expectations, in process and
 * through the CLI with two workers.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { main } from '../../cli/main.js';
import { runScenario } from '../../sim/scenario/run.js';
import { validateScenarioText } from '../../sim/scenario/validate.js';
import { ROOT, ensureBuilt, exampleScenarios, runCli } from '../support/run-cli.js';

const BUILTIN = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__', 'isPrototypeOf'];

type Obj = Record<string, unknown>;
const list = (o: unknown, key: string): Obj[] => (Array.isArray((o as Obj | undefined)?.[key]) ? ((o as Obj)[key] as Obj[]) : []);

/** The scenario text with every name of each kind replaced by BUILTIN[(j + shift) % n] (member j of the kind), references too. */
function renamed(text: string, shift: number): { text: string; names: Map<string, Map<string, string>> } {
  const doc = parse(text) as Obj;
  const kinds = new Map<string, Map<string, string>>();
  const name = (kind: string, old: unknown): string => {
    if (typeof old !== 'string') return old as string;
    let m = kinds.get(kind);
    if (!m) kinds.set(kind, (m = new Map()));
    let n = m.get(old);
    if (n === undefined) {
      const j = m.size;
      n = `${BUILTIN[(j + shift) % BUILTIN.length]}${j >= BUILTIN.length ? j : ''}`;
      m.set(old, n);
    }
    return n;
  };
  const ref = (kind: string, old: unknown): unknown => (typeof old === 'string' && kinds.get(kind)?.has(old) ? kinds.get(kind)!.get(old) : old);
  for (const v of list(doc, 'vnets')) {
    v['name'] = name('vnet', v['name']);
    for (const sn of list(v, 'subnets')) if (sn['name'] !== 'GatewaySubnet') sn['name'] = name('subnet', sn['name']);
    for (const h of list(v, 'hosts')) h['name'] = name('host', h['name']);
  }
  for (const s of list(doc, 'sites')) {
    s['name'] = name('site', s['name']);
    for (const h of list(s, 'hosts')) h['name'] = name('host', h['name']);
  }
  for (const g of list(doc, 'gateways')) {
    g['name'] = name('gateway', g['name']);
    for (const c of list(g['p2s'], 'clients')) c['name'] = name('host', c['name']);
  }
  for (const c of list(doc, 'connections')) c['name'] = name('connection', c['name']);
  for (const c of list(doc, 'circuits')) c['name'] = name('circuit', c['name']);
  for (const f of list(doc, 'traffic')) f['id'] = name('flow', f['id']);
  for (const g of list(doc, 'gateways')) {
    g['vnet'] = ref('vnet', g['vnet']);
    if (g['defaultSite'] !== undefined) g['defaultSite'] = ref('site', g['defaultSite']);
  }
  for (const c of list(doc, 'connections')) {
    for (const [k, kind] of [['gateway', 'gateway'], ['peerGateway', 'gateway'], ['site', 'site'], ['circuit', 'circuit']] as const) if (c[k] !== undefined) c[k] = ref(kind, c[k]);
  }
  for (const c of list(doc, 'circuits')) c['site'] = ref('site', c['site']);
  for (const f of [...list(doc, 'faults'), ...list(doc, 'inject')]) {
    if (f['connection'] !== undefined) f['connection'] = ref('connection', f['connection']);
    if (f['circuit'] !== undefined) f['circuit'] = ref('circuit', f['circuit']);
  }
  for (const f of list(doc, 'traffic')) {
    f['from'] = ref('host', f['from']);
    f['to'] = ref('host', f['to']);
  }
  for (const e of list(doc, 'expect')) {
    e['flow'] = ref('flow', e['flow']);
    const via = e['via'];
    if (typeof via === 'string') {
      const gw = via.endsWith('-p2s') ? kinds.get('gateway')?.get(via.slice(0, -4)) : undefined;
      e['via'] = gw !== undefined ? `${gw}-p2s` : ref('connection', via);
    }
  }
  return { text: stringify(doc), names: kinds };
}

const EXAMPLES = exampleScenarios();

beforeAll(() => {
  ensureBuilt();
});

describe('names like __proto__ and constructor, end to end', () => {
  it.each(EXAMPLES)('%s, each object under each built-in name', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const plain = validateScenarioText(text, file);
    expect(plain.scenario).toBeDefined();
    const base = runScenario(plain.scenario!);
    for (let shift = 0; shift < BUILTIN.length; shift++) {
      const { text: t, names } = renamed(text, shift);
      const v = validateScenarioText(t, `${file}@${shift}`);
      expect(v.diagnostics.map((d) => d.code), `shift ${shift}`).toEqual(plain.diagnostics.map((d) => d.code));
      expect(v.scenario, `shift ${shift}`).toBeDefined();
      const r = runScenario(v.scenario!);
      const conn = names.get('connection') ?? new Map<string, string>();
      const gw = names.get('gateway') ?? new Map<string, string>();
      const via = (x: Readonly<Record<string, number>>): [string, number][] =>
        Object.entries(x).map(([k, n]): [string, number] => [conn.get(k) ?? (k.endsWith('-p2s') ? `${gw.get(k.slice(0, -4))}-p2s` : k), n]).sort();
      expect(
        r.flows.map((f) => [f.sent, f.delivered, f.dropped, f.internet, f.dropReasons, Object.entries(f.via).sort()]),
        `shift ${shift}`,
      ).toEqual(base.flows.map((f) => [f.sent, f.delivered, f.dropped, f.internet, f.dropReasons, via(f.via)]));
      expect(r.expectations.map((e) => e.passed), `shift ${shift}`).toEqual(base.expectations.map((e) => e.passed));
    }
  });

  it('through the command line, on two workers too', () => {
    const { text } = renamed(readFileSync(join(ROOT, 'scenarios/s2s-policy-based.yaml'), 'utf8'), 0);
    const path = join(mkdtempSync(join(tmpdir(), 'vgw-names-')), 'builtin.yaml');
    writeFileSync(path, text);
    for (const argv of [['run', path, '--json'], ['run', path, '--json', '--workers', '2']]) {
      const r = runCli(argv);
      expect(r.code, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { flows: { id: string; via: Record<string, number> }[] };
      expect(summary.flows.map((f) => f.id)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
      expect(summary.flows[0]!.via).toEqual(JSON.parse('{"__proto__": 3}'));
    }
    const out: string[] = [];
    expect(main(['run', path], (l) => out.push(l), () => undefined)).toBe(0);
    expect(out.join('\n')).toMatch(/✓ flow __proto__: delivered all, via __proto__/);
  });
});
