/**
 * The bench suite registry: every suite in run order, and the cases each plans (labels
 * only, nothing is built or timed), for the default options and for a user's table.
 */
import { describe, expect, it } from 'vitest';
import { BENCH_HELP } from '../../cli/bench/command.js';
import { planSuites, SUITES } from '../../cli/bench/suites/index.js';

describe('bench suites', () => {
  it('are registered in run order', () => {
    expect(SUITES).toEqual(['lpm', 'classify', 'forward-route', 'forward-policy', 'esp-encrypt', 'esp-decrypt', 'ike', 'end-to-end']);
  });

  it('plan their cases in run order', () => {
    const labels = (o: { quick: boolean; workers: number }) => planSuites(SUITES, { seed: 1, ...o }).map((c) => `${c.suite}: ${c.label}`);
    expect(labels({ quick: true, workers: 2 })).toEqual([
      'lpm: lpm 100 routes', 'lpm: lpm 10,000 routes',
      ...[100, 1000].flatMap((n) => ['random', 'private-pools', 'acl-wide-ends', 'cross-product'].map((w) => `classify: classify ${n.toLocaleString('en-US')} selectors, ${w}`)),
      'forward-route: forward-route s2s-route-based-multisite.yaml, scenario flows', 'forward-route: forward-route s2s-route-based-multisite.yaml, random host pairs',
      'forward-policy: forward-policy s2s-policy-based.yaml, scenario flows', 'forward-policy: forward-policy s2s-policy-based.yaml, random host pairs',
      'esp-encrypt: esp-encrypt aes256-sha1 1400 bytes', 'esp-decrypt: esp-decrypt aes256-sha1 1400 bytes',
      'ike: ike s2s-route-based-multisite.yaml',
      'end-to-end: end-to-end bench/highperf-200mbps.yaml, one thread',
      'end-to-end: end-to-end bench/highperf-200mbps.yaml, 2 workers',
      'end-to-end: end-to-end crypto ceiling, 2 workers',
    ]);
    const full = labels({ quick: false, workers: 1 });
    expect(full.filter((l) => l.startsWith('lpm:'))).toEqual(['lpm: lpm 100 routes', 'lpm: lpm 10,000 routes', 'lpm: lpm 500,000 routes']);
    expect(full.filter((l) => l.startsWith('esp-encrypt:'))).toHaveLength(6);
    expect(full.filter((l) => l.startsWith('classify:'))).toHaveLength(8);
    expect(full).toContain('classify: classify 10,000 selectors, private-pools');
    expect(full.filter((l) => l.startsWith('end-to-end:'))).toEqual(['end-to-end: end-to-end bench/highperf-200mbps.yaml, one thread']);
  });

  it('plan one case on a user table, and --sizes replaces the default sizes', () => {
    const table = { file: 't.txt', routes: [], lineOf: new Int32Array(0) };
    expect(planSuites(['lpm', 'classify'], { seed: 1, quick: true, workers: 1, table, sizes: [7, 9] }).map((c) => c.label))
      .toEqual(['lpm t.txt', ...[7, 9].flatMap((n) => ['random', 'private-pools', 'acl-wide-ends', 'cross-product'].map((w) => `classify ${n} selectors, ${w}`))]);
    const selectors = { file: 's.txt', sels: [], lineOf: new Int32Array(0) };
    expect(planSuites(['classify'], { seed: 1, quick: false, workers: 1, selectors }).map((c) => c.label)).toEqual(['classify s.txt']);
  });

  it('each put their help lines in --help', () => {
    for (const s of SUITES) expect(BENCH_HELP).toMatch(new RegExp(`^  ${s} +\\S`, 'm'));
  });
});
