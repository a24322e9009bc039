/**
 * End to end: `vgw diff A B` through the built binary: exit codes (0 no difference, 1
 * differences, 2 bad input with the invalid file's diagnostics at file:line:column), the
 * text report and the `--json` document's shape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt, runCli } from '../support/run-cli.js';

const DIR = 'test/fixtures/diff';
const BASE = `${DIR}/policy-base.yaml`;

beforeAll(() => ensureBuilt());

function noStack(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/TypeError|RangeError|internal error/);
}

describe('vgw diff', () => {
  it('exits 0 with "no differences" for the same scenario, and for an edit of comments only', () => {
    for (const b of [BASE, `${DIR}/policy-comments-only.yaml`]) {
      const r = runCli(['diff', BASE, b]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^no differences$/m);
      expect(r.stderr).toBe('');
    }
  });

  it('exits 1 and names the flow, its old and new outcome, the hop and the change', () => {
    const r = runCli(['diff', BASE, `${DIR}/policy-acl-entry-removed.yaml`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('flow web: delivered via gw1-hq → to the internet: site hq\'s device access list no longer covers 192.168.2.10 → 10.1.0.4');
    expect(r.stdout).toMatch(/^ {6}- {2}3 {2}hq\/device {2}classify {2}access list entry 2: /m);
    expect(r.stdout).toMatch(/^ {6}\+ {2}3 {2}hq\/device {2}classify {2}no entry of the access list matches 192\.168\.2\.10 → 10\.1\.0\.4$/m);
    expect(r.stdout).toMatch(/^ {2}~ site hq: device\.accessList removed "permit ip 192\.168\.2\.0\/24 10\.1\.0\.0\/16" {2}\(test\/fixtures\/diff\/policy-acl-entry-removed\.yaml:\d+:\d+\)$/m);
    expect(r.stdout).toMatch(/^ {2}\+ test\/fixtures\/diff\/policy-acl-entry-removed\.yaml:\d+:\d+ SELECTOR_MISMATCH /m);
    expect(r.stdout).toMatch(/^1 flow changed, 0 added, 0 removed, 2 unchanged; 0 IKE statuses changed; 1 configuration change; 1 warning new, 0 gone$/m);
  });

  it('shows IKE statuses that changed', () => {
    const r = runCli(['diff', BASE, `${DIR}/policy-shared-key.yaml`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^IKE$/m);
    expect(r.stdout).toMatch(/^ {2}connection gw1-hq: IPSEC_SESSION_ESTABLISHED → IKE_PHASE1_KEY_MISMATCH /m);
    expect(r.stdout).not.toMatch(/s3cret|0ther/);
  });

  it('--json prints one document with its schema, flows, hops, responsible changes, IKE and config', () => {
    const r = runCli(['diff', BASE, `${DIR}/policy-shared-key.yaml`, '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      schema: 'vgwsim-diff/1', differs: true,
      a: { file: BASE, name: expect.any(String), seed: 1 }, b: { file: `${DIR}/policy-shared-key.yaml`, seed: 1 },
      unchanged: ['lost'],
    });
    const flows = doc['flows'] as Record<string, unknown>[];
    expect(flows.map((f) => f['id'])).toEqual(['ping', 'web']);
    expect(flows[0]).toMatchObject({
      change: 'changed', before: 'delivered via gw1-hq', after: 'dropped tunnel-down',
      counts: expect.arrayContaining([{ outcome: 'dropped tunnel-down', before: 0, after: 3 }]),
      first: { packet: 1, hop: 4, before: { hops: expect.any(Array), end: { type: 'delivered' } }, after: { hops: [], end: { type: 'dropped', reason: 'tunnel-down', node: 'gw1' } } },
      responsible: { change: { kind: 'connection', name: 'gw1-hq', field: 'sharedKey', file: `${DIR}/policy-shared-key.yaml`, line: expect.any(Number), column: expect.any(Number) }, text: expect.any(String) },
      text: expect.stringMatching(/^flow ping: /),
    });
    expect(doc['ike']).toEqual([expect.objectContaining({ connection: 'gw1-hq', before: 'IPSEC_SESSION_ESTABLISHED', after: 'IKE_PHASE1_KEY_MISMATCH' })]);
    expect(doc['config']).toEqual([expect.objectContaining({ change: 'changed', kind: 'connection', name: 'gw1-hq', field: 'sharedKey', before: '***', after: '***' })]);
    expect(doc['expectations']).toEqual({ before: { passed: 0, failed: 0 }, after: { passed: 0, failed: 0 }, changed: [] });
    expect(doc['warnings']).toEqual({ appeared: [expect.objectContaining({ code: 'SHARED_KEY_MISMATCH', file: `${DIR}/policy-shared-key.yaml`, severity: 'warning' })], gone: [] });
  });

  it('--json of identical scenarios exits 0 with differs false', () => {
    const r = runCli(['diff', BASE, BASE, '--json', '--seed', '3']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ schema: 'vgwsim-diff/1', differs: false, flows: [], ike: [], config: [], a: { seed: 3 }, b: { seed: 3 } });
  });

  it('exits 2 with the invalid file\'s diagnostics at file:line:column, for either side', () => {
    for (const args of [['scenarios/invalid/invalid-prefix.yaml', BASE], [BASE, 'scenarios/invalid/invalid-prefix.yaml']]) {
      const r = runCli(['diff', ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^scenarios\/invalid\/invalid-prefix\.yaml:\d+:\d+ [A-Z_]+ /m);
      noStack(r.stderr);
    }
  });

  it.each([
    [['diff', BASE], /needs two scenario files, A and B, got 1/],
    [['diff', BASE, BASE, BASE], /unexpected argument/],
    [['diff', BASE, 'no/such/file.yaml'], /no\/such\/file\.yaml:1:1 SCHEMA cannot read no\/such\/file\.yaml: no such file/],
    [['diff', BASE, BASE, '--seed', 'x'], /--seed must be a whole number/],
    [['diff', BASE, BASE, '--bogus'], /Unknown option '--bogus'/],
  ])('bad input %j exits 2 with one clear line', (args, msg) => {
    const r = runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
    noStack(r.stderr);
  });

  it('has help in the style of the other commands and is listed by vgw --help', () => {
    const r = runCli(['diff', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: vgw diff A B \[--json\] \[--seed N\]/m);
    expect(r.stdout).toMatch(/^Exit codes: 0 no difference, 1 differences, 2 bad input/m);
    expect(r.stdout).toMatch(/^Every command also exits 70 on an internal error of vgwsim \(please report it\) and 74 when output could not be written\.$/m);
    expect(runCli(['help', 'diff']).stdout).toBe(r.stdout);
    expect(runCli(['--help']).stdout).toMatch(/^\s+diff\s+run two scenarios/m);
  });

  it('the README\'s example is its real output', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const marker = `$ vgw diff ${BASE} ${DIR}/policy-acl-entry-removed.yaml\n`;
    const start = readme.indexOf(marker);
    expect(start, 'README lost its vgw diff example').toBeGreaterThan(0);
    const shown = readme.slice(start + marker.length, readme.indexOf('```', start));
    expect(shown).toBe(runCli(['diff', BASE, `${DIR}/policy-acl-entry-removed.yaml`]).stdout);
  });
});
