/**
 * The batch path against an independent reference (test/reference/forward-reference.ts: a
 * plain per-packet interpreter of the scenario's rules, with no compiled structure and no
 * stage code), packet by packet: outcome, drop reason, the node and stage where it ended,
 * the connections it crossed, and every hop with what it chose (route, selector entry, SA,
 * ESP packets, bytes and inner TTL); plus each flow's summary from an untraced run and
 * the outcome of every tampering. On every example scenario, on random traffic over each
 * of them, and on a few hundred random scenarios.
 *
 * Shared state (SKU buckets, ESP sequence numbers, anti-replay windows, `inject:` counts)
 * changes in packet order on both sides: the graph's ordered nodes see their packets in
 * packet order (sim/engine/graph.ts). The random runs are compared with the default batch
 * and with batches of one packet, and must agree exactly with both.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateScenarioFile, validateScenarioText } from '../../sim/index.js';
import type { Scenario } from '../../sim/index.js';
import { compareWithReference } from '../reference/compare.js';
import type { Comparison } from '../reference/compare.js';
import { randomScenarioText, withRandomTraffic } from '../reference/random.js';
import { routeBasedSite } from '../support/route-based-site.js';

const ROOT = join(import.meta.dirname, '..', '..', 'scenarios');

/** Every example: scenarios/*.yaml, each lab's files, the bench workload (not scenarios/invalid). */
const EXAMPLES: string[] = [
  ...readdirSync(ROOT).filter((f) => f.endsWith('.yaml')),
  ...readdirSync(join(ROOT, 'labs')).flatMap((d) => readdirSync(join(ROOT, 'labs', d)).filter((f) => f.endsWith('.yaml')).map((f) => `labs/${d}/${f}`)),
  ...(existsSync(join(ROOT, 'bench')) ? readdirSync(join(ROOT, 'bench')).filter((f) => f.endsWith('.yaml')).map((f) => `bench/${f}`) : []),
].sort();

/** Examples the reference cannot model, by name, with the reason. None. */
/**
 * Scenarios the reference does not model, and why. Their devices' `ike:` settings make IKE
 * fail in ways only a negotiation decides (the reference models forwarding, not IKE); the
 * lab tests and the tshark tests check what these runs show.
 */
const EXCLUDED: Readonly<Record<string, string>> = {
  'labs/10-proposal-mismatch-in-the-capture/lab.yaml': 'the devices propose IKE and ESP algorithms Azure refuses (NO_PROPOSAL_CHOSEN)',
  'labs/11-pfs-mismatch-at-the-first-rekey/lab.yaml': 'the device\'s PFS group differs: the tunnel stops at its first child rekey',
  'labs/12-policy-based-proxy-id-mismatch/lab.yaml': 'the device\'s proxy IDs refuse one prefix pair (INVALID_ID_INFORMATION)',
};

function load(file: string): Scenario {
  const v = validateScenarioFile(join(ROOT, file));
  if (!v.scenario) throw new Error(`${file} is invalid`);
  return v.scenario;
}

/** What the whole file compared, printed at the end. */
const totals = { scenarios: 0, packets: 0 };
const exercised: Record<string, number> = {};

function count(c: Comparison): void {
  totals.scenarios++;
  totals.packets += c.packets;
  for (const [k, n] of Object.entries(c.outcomes)) exercised[k] = (exercised[k] ?? 0) + n;
}

/** `s` (labelled `label`, compared as `c` with the default batch) agrees with the reference, with the default batch and with batches of one packet. */
function expectAgreement(s: Scenario, label: string, c: Comparison): void {
  expect(c.disagreements.map((d) => d.text)).toEqual([]);
  const one = compareWithReference(s, `${label}, batches of one packet`, { batchSize: 1 });
  expect(one.disagreements.map((d) => d.text)).toEqual([]);
  totals.packets += one.packets;
}

afterAll(() => {
  console.log(
    `reference comparison: ${totals.scenarios} runs, ${totals.packets} packets, no disagreement\n`
    + `outcomes: ${Object.entries(exercised).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ')}`,
  );
});

describe('the batch path agrees with the reference on every example', () => {
  it('finds the examples and the labs', () => {
    expect(EXAMPLES.filter((f) => !f.includes('/')).length).toBeGreaterThan(8);
    expect(EXAMPLES.filter((f) => f.startsWith('labs/')).length).toBeGreaterThan(8);
    expect(Object.keys(EXCLUDED).filter((f) => !EXAMPLES.includes(f))).toEqual([]);
  });

  it.each(EXAMPLES.filter((f) => !(f in EXCLUDED)))('%s', (file) => {
    const s = load(file);
    const stats = { batchRuns: 0, batchPackets: 0, maxBatch: 0, scalarPackets: 0 };
    // The bench workload's 17,856 packets are compared by flow summary; its first 300 per flow hop by hop too.
    const c = compareWithReference(s, file, { stats, scalar: true, ...(file.startsWith('bench/') ? { traceLimit: 300 } : {}) });
    count(c);
    expect(c.disagreements.map((d) => d.text)).toEqual([]);
    expect(c.packets).toBeGreaterThan(0);
    // The batch path really ran, with batches of more than one packet, except while traffic
    // may start an IKE negotiation (a policy-based pair without SA yet): then packets move one
    // at a time, so negotiations start in packet order.
    expect(stats.batchPackets + stats.scalarPackets).toBe(c.packets);
    const onDemand = s.connections.some((x) => x.type === 'IPsec' && (
      s.gateways.find((g) => g.name === x.gateway)?.vpnType === 'PolicyBased' || s.sites.find((site) => site.name === x.site)?.device?.vpnType === 'PolicyBased'));
    if (!onDemand) {
      expect(stats.scalarPackets).toBe(0);
      if (c.packets > 1) expect(stats.maxBatch).toBeGreaterThan(1);
    }
  });
});

describe('the batch path agrees with the reference on random traffic', () => {
  it.each(EXAMPLES.filter((f) => !(f in EXCLUDED)))('%s, 2 seeds x 40 flows', (file) => {
    const s = load(file);
    for (const seed of [1, 2]) {
      const label = `${file} with withRandomTraffic(s, ${seed}, 40)`;
      const t = withRandomTraffic(s, seed, 40);
      const c = compareWithReference(t, label);
      count(c);
      expectAgreement(t, label, c);
      expect(Object.keys(c.outcomes).length).toBeGreaterThan(1);
    }
  });
});

describe('the batch path agrees with the reference on random scenarios', () => {
  // VGW_REF_SCENARIOS=N runs N seeds instead (README.md in test/reference).
  const SEEDS = Number(process.env['VGW_REF_SCENARIOS'] ?? 300);
  it(`${SEEDS} seeds`, () => {
    let valid = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const v = validateScenarioText(randomScenarioText(seed), `random-${seed}.yaml`);
      if (!v.scenario || v.diagnostics.some((d) => d.severity === 'error')) continue;
      valid++;
      const label = `random scenario randomScenarioText(${seed})`;
      const c = compareWithReference(v.scenario, label, { scalar: true });
      count(c);
      expectAgreement(v.scenario, label, c);
    }
    // The generator makes scenarios the checks accept.
    expect(valid).toBeGreaterThan(SEEDS * 0.9);
    // Each seed runs the simulator four times (traced, untraced, scalar, batches of one): about a minute on a busy machine.
  }, 600_000);

  it('between them, every outcome the reference models was reached', () => {
    const want = ['delivered', 'internet', ...['no-route', 'no-selector', 'tunnel-down', 'unknown-spi', 'icv-mismatch', 'ttl-expired', 'rate-limit', 'mtu', 'no-host', 'p2s-auth'].map((r) => `dropped ${r}`)];
    expect(want.filter((k) => !exercised[k])).toEqual([]);
  });
});

/** gw1 carries hq → br from one tunnel into the other, near its Basic SKU's limit, while the VNet sends to br too. */
const TRANSIT = routeBasedSite({
  sku: 'Basic', branch: true,
  deviceRoutes: '[10.1.0.0/16, 172.20.0.0/16]',
  traffic: `  - { id: transit, from: pc1, to: pc2, proto: udp, dport: 9, size: 9000, count: 60, rate: 1000000pps }
  - { id: out, from: vm1, to: pc2, proto: udp, dport: 9, size: 9000, count: 60, rate: 1000000pps, start: 0.0005ms }`,
});

/**
 * Disagreements the reference found and the simulator no longer has: each agrees with the
 * reference with the default batch and with batches of one packet.
 */
const FIXED: readonly { name: string; yaml: string }[] = [
  {
    // A packet from hq to br crosses gw1 twice (transit): decrypted, then encrypted again
    // one round later, after the VNet's later packets had already charged gw1's bucket.
    name: 'a transit packet is encrypted again before the later packets of its batch (the bucket of the gateway it crosses)',
    yaml: TRANSIT,
  },
  {
    // The batch path counted ESP packets in its node order: the device (its node runs
    // before the gateway's) sent its first packet before the VNet's earlier one.
    name: 'inject: packet N counts ESP packets in time order (not the device\'s first because DEVICE runs before the gateway)',
    yaml: `${routeBasedSite({ sku: 'Basic', traffic: `  - { id: out, from: vm1, to: pc1, proto: icmp }
  - { id: in, from: pc1, to: vm1, proto: icmp, start: 1s }` })}inject:
  - { connection: gw1-hq, at: 0s, action: corrupt }
`,
  },
  {
    // The batch path charged all of a batch's encryptions before its decryptions.
    name: 'a gateway\'s SKU bucket is charged in time order (not its encrypts of a batch before its decrypts)',
    yaml: `${routeBasedSite({ sku: 'Basic', traffic: `  - { id: in, from: pc1, to: vm1, proto: udp, dport: 9, size: 9000, count: 80, rate: 1000000pps }
  - { id: out, from: vm1, to: pc1, proto: udp, dport: 9, size: 9000, start: 0.5ms }` })}`,
  },
  {
    // The ESP packet kept one injection note, the last, so the reorder's outcome was never
    // settled (no inject event; RunResult.injections said "held").
    name: 'two injections on one ESP packet (reorder, then corrupt) each report their outcome',
    yaml: `${routeBasedSite({ sku: 'Basic', traffic: `  - { id: ping, from: vm1, to: pc1, proto: icmp, count: 3 }` })}inject:
  - { connection: gw1-hq, at: 0s, action: reorder }
  - { connection: gw1-hq, at: 0s, action: corrupt }
`,
  },
  {
    // The duplicate's copy arrived with the SA's next packet, before the packet it copies
    // (held back by the reorder), which the window then refused as a replay.
    name: 'a duplicate of a packet a reorder holds back follows that packet',
    yaml: `${routeBasedSite({ sku: 'Basic', traffic: `  - { id: ping, from: vm1, to: pc1, proto: icmp, count: 3 }` })}inject:
  - { connection: gw1-hq, at: 0s, action: duplicate }
  - { connection: gw1-hq, at: 0s, action: reorder }
`,
  },
  {
    // 100 packets of one SA in one batch: released after all of them, the held packet fell
    // left of the 64-packet window and was dropped replay.
    name: 'a reordered packet is released right after its SA\'s next packet, inside the window',
    yaml: `${routeBasedSite({ sku: 'Basic', traffic: `  - { id: ping, from: vm1, to: pc1, proto: icmp, count: 100, interval: 1ms }` })}inject:
  - { connection: gw1-hq, at: 0s, action: reorder, direction: out }
`,
  },
];

describe('fixed disagreements', () => {
  const scenario = (yaml: string): Scenario => {
    const v = validateScenarioText(yaml, 'fixed.yaml');
    expect(v.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return v.scenario!;
  };
  it.each(FIXED)('with the default batch: $name', ({ yaml }) => {
    expect(compareWithReference(scenario(yaml), 'fixed').disagreements.map((d) => d.text)).toEqual([]);
  });
  it.each(FIXED)('with batches of one packet: $name', ({ yaml }) => {
    expect(compareWithReference(scenario(yaml), 'fixed, batches of one', { batchSize: 1 }).disagreements.map((d) => d.text)).toEqual([]);
  });
});
