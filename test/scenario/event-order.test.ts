/**
 * A run's events leave it in the order users read them, with no sort: by time, a fault
 * before the packets of its instant, then flow order, then packet, each packet's hops in
 * order and a copy's `inject` event after its packet's own events. Checked on a scenario
 * with faults, fragmentation and tampering, at several batch sizes.
 *
 * One exception, by design: a copy (duplicate, replay) is settled when it arrives, after a
 * later packet of its SA; when that packet is in a later batch, the copy's event (at its
 * packet's time) comes at the start of that later batch, since the batches before it have
 * been handed on already (holding them would hold every event until the run's last copy).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CollectSink, runScenario, validateScenarioText } from '../../sim/index.js';
import type { SimEvent } from '../../sim/index.js';
import { compareEventKey, eventKey } from '../../sim/scenario/run.js';

const base = readFileSync(join(import.meta.dirname, '..', '..', 'scenarios', 's2s-esp-tamper-mtu.yaml'), 'utf8');
const text = `${base}
faults:
  - { at: 3s, connection: gw1-hq, down: true }
  - { at: 3s, connection: gw1-hq, down: false }
  - { at: 10.5s, connection: gw1-hq, down: true }
  - { at: 11.5s, connection: gw1-hq, down: false }
`;

function run(batchSize: number): SimEvent[] {
  const v = validateScenarioText(text, 'order.yaml');
  expect(v.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const sink = new CollectSink();
  runScenario(v.scenario!, { sink, batchSize });
  return sink.events;
}

describe('events leave a run in (time, flow, packet, hop) order', () => {
  it.each([256, 1, 2, 3, 5])('batch size %i', (batchSize) => {
    const events = run(batchSize);
    const v = validateScenarioText(text, 'order.yaml');
    const key = eventKey(v.scenario!);
    expect(events.some((e) => e.type === 'fault')).toBe(true);
    expect(events.some((e) => e.type === 'inject' && e.action === 'replay')).toBe(true);
    expect(events.some((e) => e.type === 'hop' && (e.sa?.espPackets ?? 1) > 1)).toBe(true);
    const isCopy = (e: SimEvent): boolean => e.type === 'inject' && (e.action === 'duplicate' || e.action === 'replay');
    const ordered = batchSize === 256 ? events : events.filter((e) => !isCopy(e));
    for (let k = 1; k < ordered.length; k++) {
      const a = ordered[k - 1]!;
      const b = ordered[k]!;
      expect(compareEventKey(key(a), key(b)), `event ${k}: ${JSON.stringify(a)} then ${JSON.stringify(b)}`).toBeLessThanOrEqual(0);
      // Within one packet: hops in order, its end after its hops.
      if (a.type === 'hop' && b.type === 'hop' && a.flow === b.flow && a.packet === b.packet) expect(b.hop).toBe(a.hop + 1);
      if (a.type !== 'hop' && a.type !== 'fault' && a.type !== 'inject' && b.type === 'hop') expect(a.flow !== b.flow || a.packet !== b.packet).toBe(true);
    }
  });
});
