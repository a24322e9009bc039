import { describe, expect, it } from 'vitest';
import { progressLine, progressReporter } from '../../cli/progress.js';
import { runScenario, validateScenarioFile } from '../../sim/index.js';
import type { RunProgress } from '../../sim/index.js';

const p = (packets: number, done = false): RunProgress => ({ packets, totalPackets: 600, t: packets, endT: 599, done });

describe('progress', () => {
  it('runScenario reports packets and virtual time, and ends with done', () => {
    const v = validateScenarioFile('scenarios/expressroute-with-vpn.yaml');
    const seen: RunProgress[] = [];
    runScenario(v.scenario!, { progress: (x) => seen.push(x), batchSize: 8 });
    expect(seen.length).toBeGreaterThan(2);
    const last = seen.at(-1)!;
    expect(last.done).toBe(true);
    expect(last.packets).toBe(last.totalPackets);
    expect(last.t).toBe(last.endT);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.packets).toBeGreaterThanOrEqual(seen[i - 1]!.packets);
  });

  it('draws a bar with packets and time that fits the width', () => {
    const line = progressLine(p(300), 60);
    expect(line).toMatch(/^\[#+\.+\]  50% 300\/600 packets, t=300s\/599s$/);
    expect(line.length).toBeLessThanOrEqual(60);
  });

  it('draws on a TTY and erases at the end', () => {
    let out = '';
    let clock = 0;
    const rep = progressReporter({ isTTY: true, columns: 80, write: (s: string) => (out += s) }, false, () => (clock += 200))!;
    rep(p(100));
    rep(p(600, true));
    expect(out).toContain('100/600 packets');
    expect(out.endsWith('\r\x1b[K')).toBe(true);
  });

  it('is quiet when not a TTY or with --quiet', () => {
    expect(progressReporter({ isTTY: false, write: () => 0 }, false)).toBeUndefined();
    expect(progressReporter({ isTTY: true, write: () => 0 }, true)).toBeUndefined();
  });
});
