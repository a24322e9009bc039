/**
 * Test support for the device importer: a fixture or inline configuration imported
 * through the public API, with the device section read back as data.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { importDevice } from '../../../sim/index.js';
import type { DeviceImport, DeviceImportRequest, DeviceVendor } from '../../../sim/index.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/import/device/', import.meta.url));
export const SCENARIOS = fileURLToPath(new URL('../../../scenarios/', import.meta.url));

export function fixture(name: string): { file: string; text: string } {
  return { file: name, text: readFileSync(FIXTURES + name, 'utf8') };
}

export function scenario(name: string): { file: string; text: string } {
  return { file: name, text: readFileSync(SCENARIOS + name, 'utf8') };
}

/** Imports inline text or a fixture (by file name) for `vendor`. */
export function imported(config: string | { file: string; text: string }, vendor: DeviceVendor, more: Partial<DeviceImportRequest> = {}): DeviceImport {
  const c = typeof config === 'string' ? { file: 'inline.cfg', text: config } : config;
  return importDevice({ config: c, vendor, ...more });
}

/** The device section of an import without a scenario, as data. */
export function section(r: DeviceImport): Record<string, unknown> {
  if (r.output === undefined) throw new Error(`no output: ${r.findings.map((f) => `${f.line}:${f.column} ${f.code} ${f.message}`).join('; ')}`);
  return (parse(r.output) as { device: Record<string, unknown> }).device;
}

/** `LINE:COLUMN CODE` of each finding. */
export function codes(r: DeviceImport): string[] {
  return r.findings.map((f) => `${f.line}:${f.column} ${f.code}`);
}
