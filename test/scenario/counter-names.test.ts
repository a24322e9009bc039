/**
 * A drop counter is named by the node, stage and reason its drop events show: for every
 * example scenario and lab, traced whole, the counters are exactly the dropped events
 * tallied by `node/stage/reason`, plus the copies (duplicate, replay) a receiving end
 * refused, which count at its decrypt stage.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CollectSink, runScenario, validateScenarioFile } from '../../sim/index.js';

const ROOT = join(import.meta.dirname, '..', '..', 'scenarios');
const LABS = join(ROOT, 'labs');
const FILES = [
  ...readdirSync(ROOT).filter((f) => f.endsWith('.yaml')).map((f) => join(ROOT, f)),
  ...readdirSync(LABS).flatMap((d) => ['lab.yaml', 'solution.yaml'].map((f) => join(LABS, d, f))),
];

function add(into: Map<string, number>, key: string): void {
  into.set(key, (into.get(key) ?? 0) + 1);
}

describe.each(FILES)('%s', (file) => {
  it('counts each drop under the node and stage of its dropped event', () => {
    const s = validateScenarioFile(file).scenario!;
    expect(s).toBeDefined();
    const sink = new CollectSink();
    const r = runScenario(s, { sink, traceLimit: 1_000_000 });
    const fromEvents = new Map<string, number>();
    const copies = new Map<string, number>();
    for (const e of sink.events) {
      if (e.type === 'dropped') add(fromEvents, `${e.node}/${e.stage}/${e.reason}`);
      // A duplicate or replay is a copy with no dropped event of its own; corrupt and reorder act on the packet itself.
      if (e.type === 'inject' && e.result === 'dropped' && (e.action === 'duplicate' || e.action === 'replay')) add(copies, e.reason!);
    }
    const rest = new Map<string, number>();
    for (const [key, n] of Object.entries(r.counters)) {
      const left = n - (fromEvents.get(key) ?? 0);
      expect(left, key).toBeGreaterThanOrEqual(0);
      if (left === 0) continue;
      const m = /^.+\/decrypt\/([a-z-]+)$/.exec(key);
      expect(m, `${key}: counted ${left} more than its dropped events, not at a decrypt stage`).not.toBeNull();
      rest.set(m![1]!, (rest.get(m![1]!) ?? 0) + left);
    }
    for (const key of fromEvents.keys()) expect(r.counters[key], key).toBeDefined();
    expect(Object.fromEntries(rest)).toEqual(Object.fromEntries(copies));
  });
});
