/**
 * The SA table (sim/ipsec/sad.ts) is the one home of SA counters: the per-SA listing (the
 * TUI's `sas`) and the tunnel summary (`vgw sas`) read the same SAs. Without fragments an
 * inner packet is one ESP packet, so both show the same packets and bytes; with fragments
 * the tunnel counts each ESP packet, the listing each inner packet once.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, validateScenarioFile } from '../../sim/index.js';
import type { RunResult } from '../../sim/index.js';

const DIR = join(import.meta.dirname, '..', '..', 'scenarios');

function run(file: string): RunResult {
  return runScenario(validateScenarioFile(join(DIR, file)).scenario!);
}

describe('SA counters', () => {
  it.each(['s2s-policy-based.yaml', 'vnet-to-vnet.yaml', 's2s-route-based-multisite.yaml', 'p2s-with-s2s.yaml'])('%s: the SA listing and the tunnel summary agree', (file) => {
    const r = run(file);
    const byName = new Map(r.sas.map((s) => [s.name, s]));
    let carried = 0;
    for (const t of r.tunnels) {
      const out = r.sas.find((s) => s.spi === t.spiOut)!;
      expect(byName.get(out.name)).toBe(out);
      expect([out.packets, out.bytes], `${t.name} out`).toEqual([t.packetsOut, t.bytesOut]);
      carried += t.packetsOut;
    }
    expect(carried).toBeGreaterThan(0);
  });

  it('with fragments: the tunnel counts ESP packets, the listing inner packets', () => {
    const r = run('s2s-esp-tamper-mtu.yaml');
    const t = r.tunnels.find((x) => x.connection === 'gw1-hq')!;
    const out = r.sas.find((s) => s.spi === t.spiOut)!;
    expect(t.packetsOut).toBeGreaterThan(out.packets);
  });
});
