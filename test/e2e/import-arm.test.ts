/**
 * End to end: `vgw import arm` through the built binary: YAML on standard output or in a
 * file that `vgw run` runs, --explain, the Bicep message, bad input with FILE:LINE:COLUMN
 * and exit 2, never a stack trace.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, noStack } from '../support/run-cli.js';

const T = 'test/fixtures/import/arm/site-to-site.json';
const P = 'test/fixtures/import/arm/site-to-site.parameters.json';
let tmp = '';

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'vgw-import-arm-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('vgw import arm', () => {
  it('prints the scenario YAML on standard output and the warnings on standard error', () => {
    const r = runCli(['import', 'arm', T, '--parameters', P]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Imported by vgw import arm from /);
    expect(r.stdout).toContain('gateways:');
    expect(r.stderr).toMatch(new RegExp(`^${T}:\\d+:\\d+ IMPORT_PLACEHOLDER `, 'm'));
  });

  it('writes -o FILE, which vgw run runs with the same output twice', () => {
    const out = join(tmp, 's2s.yaml');
    const r = runCli(['import', 'arm', T, '--parameters', P, '-o', out, '--explain']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('what was mapped to what');
    expect(r.stdout).toMatch(/gateways\[0\]\.sku\s+<-\s+resources\[4\]\.properties\.sku\.name/);
    expect(r.stdout).toMatch(/traffic\s+<-\s+added by vgw import arm: one ping per connection/);
    const a = runCli(['run', out, '--crypto', 'node']);
    const b = runCli(['run', out, '--crypto', 'node']);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('✓ delivered to host-localGateway via Azure2Other');
    expect(b.stdout).toBe(a.stdout);
    expect(readFileSync(out, 'utf8')).toContain('sharedKey: Azure2OnPremKey1');
  });

  it('--set wins over the parameters file', () => {
    const r = runCli(['import', 'arm', T, '--parameters', P, '--set', 'localGatewayIpAddress=198.51.100.99']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('gatewayIp: 198.51.100.99');
  });

  it('a .bicep file: how to compile it, exit 2', () => {
    const r = runCli(['import', 'arm', 'main.bicep']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bicep build main.bicep');
    noStack(r.stderr);
  });

  it.each<[string, string, RegExp]>([
    ['malformed JSON', '{\n  "resources": [ { "type": "x" "name": "y" } ]\n}\n', /bad\.json:2:\d+ TEMPLATE_INVALID .*not valid JSON/],
    ['an unknown function', '{\n  "resources": [\n    { "type": "Microsoft.Network/publicIPAddresses", "name": "[nope()]" }\n  ]\n}\n', /bad\.json:3:\d+ TEMPLATE_INVALID unknown template function 'nope'/],
  ])('%s: FILE:LINE:COLUMN, exit 2, no stack trace', (_what, text, want) => {
    const f = join(tmp, 'bad.json');
    writeFileSync(f, text);
    const r = runCli(['import', 'arm', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(want);
    noStack(r.stderr);
  });

  it('usage errors: a missing file, an unknown source, a bad --set, no source', () => {
    for (const args of [['import', 'arm', join(tmp, 'missing.json')], ['import', 'cloudformation', T], ['import', 'arm', T, '--set', 'novalue'], ['import']]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      noStack(r.stderr);
    }
  });

  it('vgw import --help lists the sources', () => {
    const r = runCli(['import', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+arm\s+an Azure Resource Manager template/m);
  });
});
