import { describe, expect, it } from 'vitest';
import { Origins, parentPath } from '../../sim/scenario/import/origins.js';
import type { Diagnostic } from '../../sim/scenario/diagnostics.js';

const diag = (path: string | undefined): Diagnostic => ({ code: 'SCHEMA', severity: 'error', file: 'out.yaml', line: 9, column: 3, message: 'bad', ...(path === undefined ? {} : { path }) });

describe('import origins', () => {
  it('walks a path up to its parents', () => {
    expect(parentPath('sites[0].device.accessList[2]')).toBe('sites[0].device.accessList');
    expect(parentPath('sites[0].device')).toBe('sites[0]');
    expect(parentPath('sites[0]')).toBe('sites');
    expect(parentPath('sites')).toBe('');
  });

  it('moves a diagnostic to the nearest imported ancestor and names the source element', () => {
    const o = new Origins();
    o.set('sites[0]', { file: 'azure.json', line: 40, column: 7, element: 'resources[3]' });
    o.set('sites[0].gatewayIp', { file: 'azure.json', line: 44, column: 9, element: 'resources[3].properties.gatewayIpAddress' });
    o.set('sites[0]', { file: 'other.json', line: 1, column: 1, element: 'later' });
    const moved = o.remap(diag('sites[0].gatewayIp'));
    expect([moved.file, moved.line, moved.column]).toEqual(['azure.json', 44, 9]);
    expect(moved.message).toBe('bad (imported from resources[3].properties.gatewayIpAddress)');
    expect(o.remap(diag('sites[0].addressSpace[1]')).line).toBe(40);
    expect(o.remap(diag('gateways[0].sku'))).toEqual(diag('gateways[0].sku'));
    expect(o.remap(diag(undefined))).toEqual(diag(undefined));
    expect([...o.entries()].map(([p]) => p)).toEqual(['sites[0]', 'sites[0].gatewayIp']);
  });
});
