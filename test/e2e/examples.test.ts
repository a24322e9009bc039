/**
 * End to end: every example scenario through the built `vgw` binary.
 *
 * - scenarios/*.yaml are valid and their expectations pass: `vgw run` exits 0 and says
 *   "expectations: N passed, 0 failed" (N ≥ 1); `--json` is JSON Lines ending with a
 *   summary; `vgw validate` exits 0 and shows the warnings the file lists under
 *   `expectDiagnostics`.
 * - scenarios/invalid/*.yaml are rejected: `vgw validate` and `vgw run` exit 2 and print
 *   `FILE:LINE:COLUMN CODE message` lines including every code of `expectDiagnostics`.
 * - No output of any command ever contains a scenario's shared key.
 *
 * Files are discovered with readdirSync, so new examples are covered automatically.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ROOT, ensureBuilt, exampleScenarios, invalidScenarios, lines, runCli, sharedKeysIn,
} from '../support/run-cli.js';
import type { CliResult } from '../support/run-cli.js';

const EXAMPLES = exampleScenarios();
const INVALID = invalidScenarios();
const DIAG_LINE = /^(\S+):(\d+):(\d+) ([A-Z][A-Z0-9_]+) (.+)$/;
const DROP_REASONS = [
  'no-route', 'no-selector', 'tunnel-down', 'unknown-spi', 'icv-mismatch', 'replay', 'inbound-policy',
  'ttl-expired', 'rate-limit', 'mtu', 'no-host', 'p2s-auth',
];

const cache = new Map<string, CliResult>();
/** Run the CLI once per distinct argument list (several tests read the same output). */
function cli(...args: string[]): CliResult {
  const k = JSON.stringify(args);
  let r = cache.get(k);
  if (!r) cache.set(k, (r = runCli(args)));
  return r;
}

interface ScenarioDoc {
  expect?: unknown[];
  expectDiagnostics?: string[];
  traffic?: { id: string; from: string; to: string }[];
}

function doc(file: string): ScenarioDoc {
  return (parse(readFileSync(join(ROOT, file), 'utf8')) ?? {}) as ScenarioDoc;
}

/**
 * The shared keys of a file worth searching for: 4 characters or more. Shorter ones (the
 * invalid examples use "k", "v") occur in any text by chance; the loader documents the
 * same cut-off for its scrubbing.
 */
function keysOf(file: string): string[] {
  return sharedKeysIn(parse(readFileSync(join(ROOT, file), 'utf8'))).filter((k) => k.length >= 4);
}

beforeAll(() => {
  ensureBuilt();
});

describe('example discovery', () => {
  it('finds the valid examples and skips the JSON Schema', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(5);
    expect(EXAMPLES).toContain('scenarios/s2s-policy-based.yaml');
    expect(EXAMPLES.some((f) => f.endsWith('.json'))).toBe(false);
  });
  it('finds scenarios meant to be rejected under scenarios/invalid/', () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(1);
  });
});

describe.each(EXAMPLES)('valid example %s', (file) => {
  it('vgw run exits 0 and every expectation passes', () => {
    const r = cli('run', file);
    expect(r.stderr.split('\n').filter((l) => l && !DIAG_LINE.test(l))).toEqual([]);
    expect(r.code).toBe(0);
    const m = /expectations: (\d+) passed, (\d+) failed/.exec(r.stdout);
    expect(m, 'the text output has an "expectations:" line').not.toBeNull();
    const passed = Number(m![1]);
    expect(passed).toBeGreaterThanOrEqual(1);
    expect(m![2]).toBe('0');
    expect(passed).toBe(doc(file).expect?.length ?? 0);
    expect(lines(r.stdout).filter((l) => /^\s*✗ flow /.test(l))).toEqual([]);
  });

  it('vgw run --json gives JSON Lines ending with a complete summary', () => {
    const r = cli('run', file, '--json');
    expect(r.code).toBe(0);
    const ls = lines(r.stdout);
    expect(ls.length).toBeGreaterThan(1);
    const objs = ls.map((l, i) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        throw new Error(`line ${i + 1} of ${file} --json is not JSON: ${l}`);
      }
    });
    for (const o of objs.slice(0, -1)) {
      // One event per line: every line has a type; only the last one is the summary.
      expect(typeof o['type']).toBe('string');
      expect(o['type']).not.toBe('summary');
      if (o['type'] === 'hop' || o['type'] === 'delivered' || o['type'] === 'dropped' || o['type'] === 'internet') {
        expect(typeof o['flow']).toBe('string');
        expect(Number.isInteger(o['packet'])).toBe(true);
        expect(typeof o['node']).toBe('string');
      }
      if (o['type'] === 'dropped') expect(DROP_REASONS).toContain(o['reason']);
      if (o['type'] === 'diagnostic') expect(o['severity']).toBe('warning');
    }
    const summary = objs[objs.length - 1]!;
    expect(summary['type']).toBe('summary');
    const flows = summary['flows'] as Record<string, unknown>[];
    const d = doc(file);
    expect(flows.map((f) => f['id'])).toEqual((d.traffic ?? []).map((t) => t.id));
    for (const f of flows) {
      for (const k of ['sent', 'delivered', 'dropped', 'internet']) expect(typeof f[k], `${String(f['id'])}.${k}`).toBe('number');
      const sent = f['sent'] as number;
      expect(sent).toBeGreaterThan(0);
      expect((f['delivered'] as number) + (f['dropped'] as number) + (f['internet'] as number)).toBe(sent);
      const reasons = f['dropReasons'] as Record<string, number>;
      expect(typeof reasons).toBe('object');
      for (const k of Object.keys(reasons)) expect(DROP_REASONS).toContain(k);
      expect(Object.values(reasons).reduce((a, b) => a + b, 0)).toBe(f['dropped']);
      const via = f['via'] as Record<string, number>;
      expect(typeof via).toBe('object');
      for (const n of Object.values(via)) {
        expect(n).toBeGreaterThan(0);
        expect(n).toBeLessThanOrEqual(sent);
      }
    }
    const ex = summary['expectations'] as { passed: number; failed: number };
    expect(ex.failed).toBe(0);
    expect(ex.passed).toBe(d.expect?.length ?? 0);
    expect(ex.passed).toBeGreaterThanOrEqual(1);
    // Every end event belongs to a flow of the summary.
    const ids = new Set(flows.map((f) => f['id']));
    for (const o of objs) if (o['type'] === 'delivered' || o['type'] === 'dropped') expect(ids.has(o['flow'])).toBe(true);
  });

  it('vgw validate exits 0 and shows the warnings listed in expectDiagnostics', () => {
    const r = cli('validate', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${file}: valid`);
    const codes = lines(r.stdout + r.stderr).map((l) => DIAG_LINE.exec(l)?.[4]).filter((c): c is string => !!c);
    for (const c of doc(file).expectDiagnostics ?? []) expect(codes, `${c} in ${file}`).toContain(c);
  });

  it('vgw validate --json exits 0 and reports valid', () => {
    const r = cli('validate', file, '--json');
    expect(r.code).toBe(0);
    const objs = lines(r.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
    const last = objs[objs.length - 1]!;
    expect(last).toMatchObject({ type: 'summary', valid: true, errors: 0 });
  });
});

describe.each(INVALID)('invalid example %s', (file) => {
  it('vgw validate exits 2 with FILE:LINE:COLUMN CODE message lines for every expected code', () => {
    const r = cli('validate', file);
    expect(r.code).toBe(2);
    const diags = lines(r.stdout + '\n' + r.stderr).map((l) => DIAG_LINE.exec(l)).filter((m): m is RegExpExecArray => m !== null);
    expect(diags.length).toBeGreaterThanOrEqual(1);
    for (const m of diags) {
      expect(m[1]).toBe(file);
      expect(Number(m[2])).toBeGreaterThanOrEqual(1);
      expect(Number(m[3])).toBeGreaterThanOrEqual(1);
    }
    const codes = diags.map((m) => m[4]);
    const wanted = doc(file).expectDiagnostics ?? [];
    expect(wanted.length, `${file} lists expectDiagnostics`).toBeGreaterThanOrEqual(1);
    for (const c of wanted) expect(codes, `${c} reported for ${file}`).toContain(c);
  });

  it('vgw run exits 2 and prints the diagnostics, simulating nothing', () => {
    const r = cli('run', file);
    expect(r.code).toBe(2);
    const diags = lines(r.stderr).filter((l) => DIAG_LINE.test(l));
    expect(diags.length).toBeGreaterThanOrEqual(1);
    expect(r.stdout).not.toMatch(/expectations:/);
    expect(r.stdout).not.toMatch(/delivered/);
  });

  it('vgw run --json exits 2 with diagnostic objects only', () => {
    const r = cli('run', file, '--json');
    expect(r.code).toBe(2);
    const objs = lines(r.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objs.length).toBeGreaterThanOrEqual(1);
    for (const o of objs) expect(o['type']).toBe('diagnostic');
    expect(objs.some((o) => o['severity'] === 'error')).toBe(true);
  });
});

describe.each([...EXAMPLES, ...INVALID])('shared keys never printed: %s', (file) => {
  const keys = keysOf(file);
  const check = (what: string, r: CliResult): void => {
    const all = r.stdout + r.stderr;
    for (const k of keys) expect(all.includes(k), `${what} prints sharedKey "${k}"`).toBe(false);
  };

  it('is checked against at least one key', () => {
    // A valid example with a VPN connection has a key; an empty list would make the rest vacuous.
    const d = parse(readFileSync(join(ROOT, file), 'utf8')) as { connections?: { type?: string }[] } | null;
    const needsKey = (d?.connections ?? []).some((c) => c.type === 'IPsec' || c.type === 'Vnet2Vnet');
    if (needsKey && EXAMPLES.includes(file)) expect(keys.length).toBeGreaterThanOrEqual(1);
    expect(keys.every((k) => k.length >= 4)).toBe(true);
  });

  it('not in run, run --json, validate, validate --json', () => {
    check('run', cli('run', file));
    check('run --json', cli('run', file, '--json'));
    check('validate', cli('validate', file));
    check('validate --json', cli('validate', file, '--json'));
  });

  it('not in trace (text and --json) of any flow', () => {
    const flows = (doc(file).traffic ?? []).filter((t) => typeof t.from === 'string' && typeof t.to === 'string');
    const seen = new Set<string>();
    for (const f of flows) {
      const k = `${f.from}→${f.to}`;
      if (seen.has(k)) continue;
      seen.add(k);
      check(`trace ${k}`, runCli(['trace', file, '--from', f.from, '--to', f.to]));
      check(`trace ${k} --json`, runCli(['trace', file, '--from', f.from, '--to', f.to, '--json']));
    }
    if (EXAMPLES.includes(file)) expect(seen.size).toBeGreaterThanOrEqual(1);
  });
});
