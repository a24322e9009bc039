/**
 * `vgw validate --json` shows each policy-based selector list as compiled: which strategy
 * the classifier's cost model chose, and why.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';

async function summary(file: string): Promise<Record<string, unknown>> {
  const out: string[] = [];
  expect(await main(['validate', file, '--json'], (l) => out.push(l))).toBe(0);
  return JSON.parse(out.at(-1)!) as Record<string, unknown>;
}

describe('vgw validate --json lookups', () => {
  it('lists the policy-based gateway and the device with their classifier strategy and the reason', async () => {
    const s = await summary('scenarios/s2s-policy-based.yaml');
    expect(s['lookups']).toEqual([
      { node: 'gw1', selectors: 1, strategy: 'scan', choice: expect.stringMatching(/^scan, cost model: split [\d.]+, scan [\d.]+ steps per lookup$/) },
      { node: 'hq/device', selectors: 1, strategy: 'scan', choice: expect.stringMatching(/^scan, cost model/) },
    ]);
  });

  it('is empty for a route-based scenario (no selector lists)', async () => {
    expect((await summary('scenarios/s2s-route-based-multisite.yaml'))['lookups']).toEqual([]);
  });
});
