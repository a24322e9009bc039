/**
 * The bench suite registry: every suite in run order, and the cases each plans (labels
 * only, nothing is built or timed), for the default options and for a user's table: lpm
 * plans one case per table and workload.
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
      'lpm: lpm 100 routes, 90% inside', 'lpm: lpm 100 routes, zipf', 'lpm: lpm 100 routes, uniform',
      'lpm: lpm 10,000 routes, 90% inside', 'lpm: lpm 10,000 routes, zipf', 'lpm: lpm 10,000 routes, uniform',
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
    expect(full.filter((l) => l.startsWith('lpm:'))).toEqual(['100 routes', '10,000 routes', '500,000 routes'].flatMap((t) => ['90% inside', 'zipf', 'uniform'].map((w) => `lpm: lpm ${t}, ${w}`)));
    expect(full.filter((l) => l.startsWith('esp-encrypt:'))).toHaveLength(6);
    expect(full.filter((l) => l.startsWith('classify:'))).toHaveLength(8);
    expect(full).toContain('classify: classify 10,000 selectors, private-pools');
    expect(full.filter((l) => l.startsWith('end-to-end:'))).toEqual(['end-to-end: end-to-end bench/highperf-200mbps.yaml, one thread']);
  });

  it('plan one case on a user table, and --sizes replaces the default sizes', () => {
    const table = { file: 't.txt', routes: [], lineOf: new Int32Array(0), format: 'cidr', ipv6Skipped: 0 };
    expect(planSuites(['lpm', 'classify'], { seed: 1, quick: true, workers: 1, table, sizes: [7, 9], inside: 0.5 }).map((c) => c.label))
      .toEqual(['lpm t.txt, 50% inside', 'lpm t.txt, zipf', 'lpm t.txt, uniform', ...[7, 9].flatMap((n) => ['random', 'private-pools', 'acl-wide-ends', 'cross-product'].map((w) => `classify ${n} selectors, ${w}`))]);
    const addresses = { file: 'a.txt', src: new Uint32Array(1), dst: new Uint32Array(1) };
    expect(planSuites(['lpm'], { seed: 1, quick: true, workers: 1, table, addresses }).map((c) => c.label)).toEqual(['lpm t.txt, a.txt']);
    const selectors = { file: 's.txt', sels: [], lineOf: new Int32Array(0) };
    expect(planSuites(['classify'], { seed: 1, quick: false, workers: 1, selectors }).map((c) => c.label)).toEqual(['classify s.txt']);
  });

  it('each put their help lines in --help', () => {
    for (const s of SUITES) expect(BENCH_HELP).toMatch(new RegExp(`^  ${s} +\\S`, 'm'));
  });
});
