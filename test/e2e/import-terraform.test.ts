/**
 * End to end: `vgw import terraform` through the built binary: YAML that `vgw run` runs
 * with the same output twice, --var and --var-file, --explain, bad HCL and bad values with
 * FILE:LINE:COLUMN and exit 2, never a stack trace.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, noStack } from '../support/run-cli.js';

const D = 'test/fixtures/import/terraform';
let tmp = '';

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'vgw-import-tf-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A configuration directory in tmp holding main.tf = `text`. */
function config(name: string, text: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.tf'), text);
  return dir;
}

describe('vgw import terraform', () => {
  it('writes -o FILE, which vgw run runs with the same output twice; --explain names the Terraform attributes', () => {
    const out = join(tmp, 's2s.yaml');
    const r = runCli(['import', 'terraform', `${D}/site-to-site`, '-o', out, '--explain']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/gateways\[0\]\.sku\s+<-\s+azurerm_virtual_network_gateway\.example\.sku\s+\(test\/fixtures\/import\/terraform\/site-to-site\/main\.tf:\d+:3\)/);
    expect(r.stderr).toMatch(new RegExp(`^${D}/site-to-site/main.tf:\\d+:\\d+ IMPORT_PLACEHOLDER `, 'm'));
    const a = runCli(['run', out, '--crypto', 'node']);
    const b = runCli(['run', out, '--crypto', 'node']);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('delivered to host-s2s-onpremise via s2s-onpremise');
    expect(b.stdout).toBe(a.stdout);
    expect(readFileSync(out, 'utf8')).toMatch(/^# Imported by vgw import terraform from /);
  });

  it('a local module and for_each: YAML on standard output', () => {
    const r = runCli(['import', 'terraform', `${D}/local-module`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('name: site-tokyo');
    expect(r.stdout).toContain(`(${D}/local-module/modules/spoke/main.tf:`);
  });

  it('--var-file after the auto files, --var last', () => {
    const vf = join(tmp, 'extra.tfvars');
    writeFileSync(vf, 'device_address = "198.51.100.77"\nonprem_prefixes = ["10.1.0.0/16"]\n');
    const r = runCli(['import', 'terraform', `${D}/tfvars`, '--var-file', vf, '--var', 'onprem_prefixes=["10.9.0.0/16"]']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('gatewayIp: 198.51.100.77');
    expect(r.stdout).toContain('addressPrefixes: [ 10.9.0.0/16 ]');
  });

  it.each<[string, string, RegExp]>([
    ['bad HCL', 'resource "azurerm_public_ip" "p" {\n  name = \n}\n', /main\.tf:2:\d+ TEMPLATE_INVALID .*\(HCL syntax\)/],
    ['an unknown function', 'resource "azurerm_public_ip" "p" {\n  name = "a"\n  allocation_method = nope(1)\n}\n', /main\.tf:3:\d+ TEMPLATE_INVALID the function nope\(\) is not one/],
    ['a data source', 'resource "azurerm_virtual_network" "v" {\n  name = data.azurerm_resource_group.rg.name\n}\n', /main\.tf:2:\d+ TEMPLATE_INVALID data\.azurerm_resource_group\.rg is a provider data source/],
  ])('%s: FILE:LINE:COLUMN, exit 2, no stack trace', (what, text, want) => {
    const r = runCli(['import', 'terraform', config(what.replace(/\W+/g, '-'), text)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(want);
    noStack(r.stderr);
  });

  it('usage errors: a missing directory, a file instead of a directory, a bad --var, an option of another source', () => {
    for (const args of [
      ['import', 'terraform', join(tmp, 'missing')],
      ['import', 'terraform', `${D}/site-to-site/main.tf`],
      ['import', 'terraform', `${D}/site-to-site`, '--var', 'novalue'],
      ['import', 'terraform', `${D}/site-to-site`, '--set', 'a=b'],
      ['import', 'terraform', join(tmp)],
    ]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.length).toBeGreaterThan(0);
      noStack(r.stderr);
    }
  });

  it('vgw import --help lists terraform', () => {
    const r = runCli(['import', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+terraform\s+a Terraform configuration directory/m);
  });
});
