/**
 * `importTerraform` on configurations in the shapes of the azurerm provider's VPN examples:
 * each imports without errors, validates and runs with the same output every time; count,
 * for_each, locals, functions, tfvars and a local module give the values the fixture's
 * comments say; diagnostics point at the .tf line they are about (found in the fixture
 * text, not written down); bad configurations give TEMPLATE_INVALID at the offending line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTerraform, runScenario, validateScenarioText } from '../../../sim/index.js';
import type { TerraformImportInput } from '../../../sim/index.js';

const DIR = 'test/fixtures/import/terraform';

function tfFiles(dir: string): { file: string; text: string }[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.tf'))
    .sort()
    .map((n) => ({ file: join(dir, n), text: readFileSync(join(dir, n), 'utf8') }));
}

function readDir(dir: string): { file: string; text: string }[] | string {
  try {
    return statSync(dir).isDirectory() ? tfFiles(dir) : `${dir} is not a directory`;
  } catch {
    return `no such directory ${dir}`;
  }
}

function input(name: string, extra: Partial<TerraformImportInput> = {}): TerraformImportInput {
  const dir = `${DIR}/${name}`;
  const varFiles = readdirSync(dir)
    .filter((n) => n === 'terraform.tfvars' || n.endsWith('.auto.tfvars'))
    .sort((a, b) => (a === 'terraform.tfvars' ? -1 : b === 'terraform.tfvars' ? 1 : a < b ? -1 : 1))
    .map((n) => ({ file: join(dir, n), text: readFileSync(join(dir, n), 'utf8') }));
  return { dir, files: tfFiles(dir), varFiles, readDir, ...extra };
}

/** An in-memory configuration of one main.tf. */
function inline(text: string, extra: Partial<TerraformImportInput> = {}): TerraformImportInput {
  return { dir: 'cfg', files: [{ file: 'cfg/main.tf', text }], readDir: () => 'no modules here', ...extra };
}

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`fixture has no line with ${needle}`);
  return i + 1;
}

function summary(yaml: string): unknown {
  const v = validateScenarioText(yaml, 'imported.yaml');
  expect(v.errors, JSON.stringify(v.diagnostics)).toBe(0);
  const r = runScenario(v.scenario!, { crypto: 'node' });
  return r.flows.map((f) => ({ id: f.id, sent: f.sent, delivered: f.delivered, dropped: f.dropped, via: Object.keys(f.via) }));
}

const FIXTURES = ['site-to-site', 'vnet-to-vnet-count', 'local-module', 'tfvars'];

describe('vgw import terraform: fixtures', () => {
  it.each(FIXTURES)('%s imports, validates and runs with deterministic output', (name) => {
    const a = importTerraform(input(name));
    expect(a.errors, JSON.stringify(a.diagnostics.filter((d) => d.severity === 'error'))).toBe(0);
    const b = importTerraform(input(name));
    expect(b.yaml).toBe(a.yaml);
    const first = summary(a.yaml!) as { id: string; sent: number; delivered: number; via: string[] }[];
    expect(summary(b.yaml!)).toEqual(first);
    expect(first.length).toBeGreaterThan(0);
    for (const f of first) {
      expect(f.delivered, f.id).toBe(f.sent);
      expect(f.via, f.id).toEqual([f.id]);
    }
  });

  it('count and for_each: one VNet, gateway and public IP per index, one connection per map key', () => {
    const r = importTerraform(input('vnet-to-vnet-count'));
    const v = validateScenarioText(r.yaml!, 'x.yaml');
    const s = v.scenario!;
    expect(s.vnets.map((x) => [x.name, x.addressSpace.map((p) => p.text)])).toEqual([
      ['vnet-east', ['10.10.0.0/16']],
      ['vnet-west', ['10.20.0.0/16']],
    ]);
    expect(r.yaml).toContain('{ name: GatewaySubnet, prefix: 10.20.255.224/27 }');
    expect(r.yaml).toContain('{ name: app, prefix: 10.20.1.0/24 }');
    expect(r.yaml).toMatch(/name: gw-east, vnet: vnet-east, type: Vpn, vpnType: RouteBased, sku: HighPerformance/);
    expect(r.yaml).toMatch(/name: gw-west, vnet: vnet-west, type: Vpn, vpnType: RouteBased, sku: Standard/);
    expect(r.yaml).toMatch(/name: east-to-west, type: Vnet2Vnet, gateway: gw-east, peerGateway: gw-west, sharedKey: V2VKEY2016/);
    // The association gives the first app subnet the table's inline route and the azurerm_route.
    expect(r.yaml).toContain('- { prefix: 0.0.0.0/0, nextHop: Internet }');
    expect(r.yaml).toContain('- { prefix: 10.99.0.0/16, nextHop: None }');
    const text = readFileSync(`${DIR}/vnet-to-vnet-count/main.tf`, 'utf8');
    expect(r.yaml).toContain(`azurerm_route.blackhole  (${DIR}/vnet-to-vnet-count/main.tf:${lineOf(text, 'resource "azurerm_route" "blackhole"')}:1)`);
  });

  it('a local module: its resources under module.NAME, variables from the module block, a for expression in locals', () => {
    const r = importTerraform(input('local-module'));
    expect(r.yaml).toMatch(/name: site-paris\n\s+gatewayIp: 198.51.100.30\n\s+addressPrefixes: \[ 192.168.10.0\/24 \]/);
    expect(r.yaml).toMatch(/name: site-tokyo\n\s+gatewayIp: 198.51.100.40\n\s+addressPrefixes: \[ 192.168.20.0\/24 \]/);
    expect(r.yaml).toContain(`module.tokyo.azurerm_virtual_network_gateway_connection.to_hub (azurerm_virtual_network_gateway_connection 'tokyo-to-hub')  (${DIR}/local-module/modules/spoke/main.tf:`);
  });

  it('tfvars: terraform.tfvars, then *.auto.tfvars (wins), then --var (wins over both)', () => {
    const a = importTerraform(input('tfvars'));
    expect(a.yaml).toContain('sku: HighPerformance');
    expect(a.yaml).toContain('addressPrefixes: [ 172.20.0.0/16, 172.21.0.0/16 ]');
    expect(a.yaml).toMatch(/GatewaySubnet, prefix: 10.50.0.0\/24/);
    const b = importTerraform(input('tfvars', { vars: [['gateway_sku', 'Standard'], ['vnet_space', '10.60.0.0/16'], ['onprem_prefixes', '["10.200.0.0/16"]'], ['enable_p2s', 'true']] }));
    expect(b.yaml).toContain('sku: Standard');
    expect(b.yaml).toMatch(/GatewaySubnet, prefix: 10.60.0.0\/24/);
    expect(b.yaml).toContain('addressPrefixes: [ 10.200.0.0/16 ]');
    expect(b.yaml).toContain('addressPool: 172.16.201.0/24');
  });

  it('a validation problem of the emitted scenario points at the .tf attribute it came from', () => {
    const text = readFileSync(`${DIR}/site-to-site/main.tf`, 'utf8').replace('shared_key = "4v3ry53cr371p53c5h4r3dk3y"', 'shared_key = "not-a-valid-key"');
    const r = importTerraform({ ...input('site-to-site'), files: [{ file: 'cfg/main.tf', text }] });
    const d = r.diagnostics.find((x) => x.code === 'SHARED_KEY_INVALID');
    expect(d).toMatchObject({ file: 'cfg/main.tf', line: lineOf(text, 'shared_key'), column: 3 });
    expect(d?.message).toContain('(imported from azurerm_virtual_network_gateway_connection.onpremise.shared_key)');
    expect(r.errors).toBeGreaterThan(0);
  });

  it('ExpressRoute: a circuit, an ExpressRoute gateway and their connection', () => {
    const text = [
      'resource "azurerm_virtual_network" "v" {',
      '  name          = "er-vnet"',
      '  address_space = ["10.5.0.0/16"]',
      '  subnet {',
      '    name           = "GatewaySubnet"',
      '    address_prefix = "10.5.255.0/27"',
      '  }',
      '  subnet {',
      '    name           = "apps"',
      '    address_prefix = "10.5.1.0/24"',
      '  }',
      '}',
      'resource "azurerm_express_route_circuit" "c" {',
      '  name                  = "er-circuit"',
      '  service_provider_name = "Equinix"',
      '  peering_location      = "Silicon Valley"',
      '  bandwidth_in_mbps     = 200',
      '}',
      'resource "azurerm_virtual_network_gateway" "er" {',
      '  name = "er-gw"',
      '  type = "ExpressRoute"',
      '  sku  = "Standard"',
      '  ip_configuration {',
      '    subnet_id = "/subscriptions/x/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/er-vnet/subnets/GatewaySubnet"',
      '  }',
      '}',
      'resource "azurerm_virtual_network_gateway_connection" "er" {',
      '  name                       = "er-conn"',
      '  type                       = "ExpressRoute"',
      '  virtual_network_gateway_id = azurerm_virtual_network_gateway.er.id',
      '  express_route_circuit_id   = azurerm_express_route_circuit.c.id',
      '}',
      '',
    ].join('\n');
    const r = importTerraform(inline(text));
    expect(r.errors, JSON.stringify(r.diagnostics)).toBe(0);
    expect(r.yaml).toMatch(/name: er-conn, type: ExpressRoute, gateway: er-gw, circuit: er-circuit/);
    expect(r.yaml).toMatch(/name: er-circuit, bandwidth: 200Mbps/);
    const placeholder = r.diagnostics.find((d) => d.code === 'IMPORT_PLACEHOLDER' && d.message.includes('er-circuit'));
    expect(placeholder).toMatchObject({ file: 'cfg/main.tf', line: lineOf(text, 'azurerm_express_route_circuit" "c"') });
    expect(summary(r.yaml!)).toEqual([{ id: 'er-conn', sent: 3, delivered: 3, dropped: 0, via: ['er-conn'] }]);
  });

  it('expressions: heredocs, templates with escapes, conditionals, for expressions and splats', () => {
    const text = [
      'locals {',
      '  names  = { for n in ["b", "a"] : n => upper(n) }',
      '  joined = join(",", [for k, v in local.names : "${k}=${v}" if k != "b"])',
      '  doc    = <<-EOT',
      '    one $${literal}',
      '    two',
      '    EOT',
      '}',
      'resource "azurerm_public_ip" "p" {',
      '  count             = 2',
      '  name              = "${local.joined}-${count.index * 10 + 1 > 5 ? "big" : "small"}-${length(local.doc)}"',
      '  allocation_method = "Static"',
      '}',
      'resource "azurerm_local_network_gateway" "s" {',
      '  name            = join("+", azurerm_public_ip.p[*].name)',
      '  gateway_address = cidrhost("198.51.100.0/24", -2)',
      '  address_space   = ["10.9.0.0/16"]',
      '}',
      '',
    ].join('\n');
    const r = importTerraform(inline(text));
    expect(r.yaml).toContain('name: a=A-small-19+a=A-big-19');
    expect(r.yaml).toContain('gatewayIp: 198.51.100.254');
  });

  it('resource types vgwsim does not model: one warning with counts', () => {
    const r = importTerraform(inline('resource "azurerm_resource_group" "a" {\n  name = "a"\n}\nresource "azurerm_network_security_group" "n" {\n  count = 3\n  name = "n${count.index}"\n}\n'));
    const w = r.diagnostics.filter((d) => d.message.startsWith('resource types vgwsim does not model'));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ line: 1, column: 1 });
    expect(w[0]?.message).toContain('azurerm_resource_group ×1, azurerm_network_security_group ×3');
  });
});

describe('vgw import terraform: what is refused, at its line', () => {
  const cases: readonly (readonly [string, string, string, RegExp])[] = [
    ['an undeclared variable', 'resource "azurerm_virtual_network" "v" {\n  name = "v"\n  address_space = [var.nope]\n}\n', 'var.nope', /var\.nope is not declared/],
    ['a data source', 'resource "azurerm_virtual_network" "v" {\n  name = data.azurerm_resource_group.rg.name\n}\n', 'data.', /provider data source/],
    ['an unknown function', 'locals {\n  x = 1\n}\nresource "azurerm_virtual_network" "v" {\n  name = bogus("a")\n}\n', 'bogus', /the function bogus\(\) is not one/],
    ['a variable without a value', 'variable "x" {}\n', 'variable "x"', /variable "x" has no default and no value is given/],
    ['a list for for_each', 'resource "azurerm_public_ip" "p" {\n  for_each = ["a", "b"]\n  name = each.key\n}\n', 'for_each', /for_each must be a map or a set of strings/],
    ['an index out of range', 'locals {\n  l = ["a"]\n}\nresource "azurerm_public_ip" "p" {\n  name = local.l[3]\n}\n', 'local.l[3]', /index 3 is out of range/],
    ['a remote module output', 'module "net" {\n  source = "Azure/network/azurerm"\n}\nresource "azurerm_public_ip" "p" {\n  name = module.net.name\n}\n', 'source = "Azure', /not a local directory/],
  ];
  it.each(cases)('%s', (_what, text, needle, message) => {
    const r = importTerraform(inline(text));
    const d = r.diagnostics.find((x) => message.test(x.message));
    expect(d, JSON.stringify(r.diagnostics)).toBeDefined();
    expect(d).toMatchObject({ file: 'cfg/main.tf', line: lineOf(text, needle) });
    expect(r.errors).toBeGreaterThan(0);
  });

  it('an undeclared variable: a warning in a variables file, an error with --var (as Terraform does)', () => {
    const text = 'variable "x" {\n  default = "a"\n}\n';
    const file = importTerraform(inline(text, { varFiles: [{ file: 'cfg/terraform.tfvars', text: 'x = "b"\nstray = 1\n' }] }));
    expect(file.errors).toBe(0);
    expect(file.diagnostics.find((d) => d.message.includes('"stray"'))).toMatchObject({ severity: 'warning', file: 'cfg/terraform.tfvars', line: 2, column: 1 });
    const flag = importTerraform(inline(text, { vars: [['stray', '1']] }));
    expect(flag.errors).toBe(1);
    expect(flag.diagnostics[0]).toMatchObject({ severity: 'error', file: '--var stray', line: 1 });
  });

  it('a remote module is named in a warning at its source line even when nothing uses it', () => {
    const text = 'module "net" {\n  source = "Azure/network/azurerm"\n}\n';
    const r = importTerraform(inline(text));
    expect(r.diagnostics.find((d) => d.code === 'IMPORT_NOT_MODELLED' && /module "net"/.test(d.message))).toMatchObject({ line: 2, column: 3 });
  });

  it('an unmapped attribute of a modelled resource is named', () => {
    const text = 'resource "azurerm_virtual_network" "v" {\n  name = "v"\n  address_space = ["10.0.0.0/16"]\n  flow_timeout_in_minutes = 10\n}\n';
    const r = importTerraform(inline(text));
    expect(r.diagnostics.find((d) => d.message.includes('flow_timeout_in_minutes'))).toMatchObject({ code: 'IMPORT_NOT_MODELLED', line: 1 });
  });
});

describe('vgw import terraform: damaged input', () => {
  it('a fixture with random characters inserted or deleted gives diagnostics, never an exception', () => {
    const base = readFileSync(`${DIR}/vnet-to-vnet-count/main.tf`, 'utf8');
    let seed = 7;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const pieces = ['{', '}', '[', ']', '"', '$', '(', ')', '=', '\n', '#', '<<', '.', '*', '?', ':', '${', 'x'];
    let failed = 0;
    for (let i = 0; i < 300; i++) {
      let t = base;
      for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) {
        const p = Math.floor(rnd() * t.length);
        t = rnd() < 0.5 ? t.slice(0, p) + (pieces[Math.floor(rnd() * pieces.length)] as string) + t.slice(p) : t.slice(0, p) + t.slice(p + 1 + Math.floor(rnd() * 5));
      }
      const r = importTerraform(inline(t));
      if (r.errors > 0) failed++;
      for (const d of r.diagnostics) expect(d.line).toBeGreaterThan(0);
    }
    // The damage is real: most variants are refused.
    expect(failed).toBeGreaterThan(50);
  });
});
