import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { progressLine, progressReporter } from '../../cli/progress.js';
import { ShardProgress } from '../../cli/run-pool.js';
import { runScenario, validateScenarioFile } from '../../sim/index.js';
import type { RunProgress } from '../../sim/index.js';
import { CLI, ROOT, ensureBuilt } from '../support/run-cli.js';

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

describe('progress of a sharded run (vgw run --workers N)', () => {
  it('shared memory gives the slowest thread\'s packets and time', () => {
    const sp = ShardProgress.create(3);
    expect(sp.slowest()).toEqual({ packets: 0, totalPackets: 0, t: 0, endT: 0, done: false });
    sp.publish(0, { packets: 512, totalPackets: 600, t: 1.25, endT: 599, done: false });
    sp.publish(1, { packets: 256, totalPackets: 600, t: 0.5, endT: 599, done: false });
    sp.publish(2, { packets: 600, totalPackets: 600, t: 599, endT: 599, done: true });
    expect(sp.slowest()).toEqual({ packets: 256, totalPackets: 600, t: 0.5, endT: 599, done: false });
    // Another view on the same memory (what a worker thread gets) reads the same.
    expect(new ShardProgress(sp.buffer).slowest()).toEqual(sp.slowest());
  });

  it('runSharded reports what the worker threads published, and ends with done', async () => {
    ensureBuilt();
    // The pool's threads run the built files: the test uses the built runSharded too.
    const { runSharded } = (await import(pathToFileURL(join(ROOT, 'dist', 'cli', 'run-pool.js')).href)) as typeof import('../../cli/run-pool.js');
    const file = 'scenarios/expressroute-with-vpn.yaml';
    const v = validateScenarioFile(file);
    const seen: RunProgress[] = [];
    runSharded(file, v.scenario!, 2, { crypto: 'node', traceLimit: 0, progress: (x) => seen.push(x) });
    const one: RunProgress[] = [];
    runScenario(v.scenario!, { progress: (x) => one.push(x) });
    const last = seen.at(-1)!;
    // The totals come from the threads: both moved every packet to the same end as one thread.
    expect(last).toEqual({ ...one.at(-1)!, done: true });
    expect(last.packets).toBeGreaterThan(0);
    expect(seen.filter((x) => x.done)).toHaveLength(1);
  });

  /** `vgw run FILE ...args` in a pseudo-terminal: everything it wrote. */
  function inPty(args: string[]): string {
    ensureBuilt();
    const r = spawnSync('python3', [join(ROOT, 'test', 'support', 'pty-drive.py'), '100', '24', '[]', '--', process.execPath, CLI, 'run', 'scenarios/bench/highperf-200mbps.yaml', ...args], {
      cwd: ROOT, encoding: 'utf8', timeout: 60_000,
    });
    // python3 must be there (it is on every CI image): a missing tool fails, never skips.
    expect(r.error, 'python3 is required for the pseudo-terminal test').toBeUndefined();
    expect(r.stdout.trimEnd().endsWith('EXIT 0'), r.stdout.slice(-500)).toBe(true);
    return r.stdout;
  }

  it.each([['1'], ['2']])('on a terminal, --workers %s draws the bar on stderr and erases it', (workers) => {
    const out = inPty(['--workers', workers]);
    expect(out).toMatch(/\r\[[#.]+\] +\d+% \d+\/17856 packets, t=[\d.]+s\/1s\x1b\[K/);
    // Erased before the report: the run's first line starts a clean line.
    expect(out).toContain('\r\x1b[K');
    expect(out.indexOf('\r\x1b[K')).toBeLessThan(out.indexOf('HighPerformance'));
  });

  it('--quiet: no bar with --workers 2 either', () => {
    expect(inPty(['--workers', '2', '--quiet'])).not.toContain('packets, t=');
  });
});
