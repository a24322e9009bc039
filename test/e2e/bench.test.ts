/**
 * `vgw bench` end to end: CI runs the quick benchmark once and checks the JSON shape. No
 * assertion is about speed (benchmarks, not timed tests).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

function vgw(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(CLI)) execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', ROOT]);
});

describe('vgw bench', () => {
  it('--quick --json runs every suite and prints the documented shape', () => {
    const r = vgw(['bench', '--quick', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schema).toBe('vgwsim-bench/1');
    expect(typeof doc.node).toBe('string');
    expect(typeof doc.openssl).toBe('string');
    expect(doc.crypto).toEqual({ default: 'native', native: { built: true, openssl: expect.stringContaining(doc.openssl.replace(/\+.*$/, '')) } });
    expect(doc.machine).toMatchObject({ cpus: expect.any(Number), cpuModel: expect.any(String), arch: expect.any(String) });
    expect(doc.options).toMatchObject({ quick: true, seed: 1, reps: 5 });
    const suites = new Set(doc.cases.map((c: { suite: string }) => c.suite));
    expect([...suites].sort()).toEqual(['classify', 'end-to-end', 'esp-decrypt', 'esp-encrypt', 'forward-policy', 'forward-route', 'ike', 'lpm']);
    for (const c of doc.cases) {
      expect(c).toMatchObject({ name: expect.any(String), unit: expect.any(String), params: expect.any(Object), info: expect.any(Object) });
      expect(c.results.filter((x: { role: string }) => x.role === 'subject')).toHaveLength(1);
      expect(c.results.length).toBeGreaterThan(1);
      for (const x of c.results) {
        expect(x.samples.length).toBeGreaterThanOrEqual(5);
        expect(x.min).toBeLessThanOrEqual(x.median);
        expect(x.median).toBeLessThanOrEqual(x.max);
        expect(x.speedup).toBeGreaterThan(0);
      }
    }
    const lpm = doc.cases.filter((c: { suite: string }) => c.suite === 'lpm');
    // One case per (table, workload); every structure matched C's checksum and is a share of C.
    expect(lpm.map((c: { params: { routes: number; workload: string } }) => `${c.params.routes} ${c.params.workload}`))
      .toEqual(['100 inside', '100 zipf', '100 uniform', '10000 inside', '10000 zipf', '10000 uniform']);
    for (const c of lpm) {
      expect(c.info).toMatchObject({ verified: true, checksumsEqual: 'all structures and C', choice: expect.stringContaining('cost model') });
      expect(c.reference).toBe('C dir-24-8 (native addon, 32-bit entries)');
      for (const x of c.results) expect(x.shareOfReference).toBeCloseTo(x.median / c.results.find((y: { variant: string }) => y.variant === c.reference).median, 9);
    }
    expect(lpm[3].info.strategy).toBe('dir-16-8');
    // The forwarding cases prove from the forwarders' counters which path each variant ran.
    for (const f of doc.cases.filter((c: { suite: string }) => c.suite.startsWith('forward-'))) {
      expect(f.derived.subjectBatchRuns).toBeGreaterThan(0);
      expect(f.derived.subjectMaxBatch).toBe(256);
      expect(f.derived.subjectScalarPackets).toBe(0);
      expect(f.derived.baselineScalarPackets).toBeGreaterThan(0);
      expect(f.derived.baselineBatchRuns).toBe(0);
      // Time per node: every packet enters at send; each node that saw packets has its line.
      expect(f.nodeRuntime[0].node).toBe('send');
      expect(f.nodeRuntime[0].packets).toBe(f.params.packets);
      for (const n of f.nodeRuntime) {
        expect(n.calls).toBeGreaterThan(0);
        expect(n.packetsPerCall).toBeCloseTo(n.packets / n.calls, 9);
        expect(n.nsPerPacket).toBeGreaterThan(0);
      }
    }
    expect(doc.cases.filter((c: { suite: string }) => c.suite.startsWith('forward-')).map((c: { params: { workload: string } }) => c.params.workload))
      .toEqual(['scenario flows', 'random host pairs', 'scenario flows', 'random host pairs']);
    // ESP: the native path is the subject; each backend's floor names the path it belongs to.
    for (const e of doc.cases.filter((c: { suite: string }) => c.suite.startsWith('esp-'))) {
      const byName = new Map<string, { role: string; floorOf?: string; costOverFloor?: number; median: number }>(e.results.map((x: { variant: string }) => [x.variant, x]));
      expect(byName.get('esp path, native addon')?.role).toBe('subject');
      for (const [floor, path] of [['bare native addon calls (its floor)', 'esp path, native addon'], ['bare node:crypto calls (its floor)', 'esp path, node:crypto']]) {
        const f = byName.get(floor)!;
        expect(f.floorOf).toBe(path);
        expect(f.costOverFloor).toBeCloseTo(f.median / byName.get(path)!.median, 9);
      }
    }
    // IKE: whole negotiations against the crypto calls they make, which name the path they floor.
    const ike = doc.cases.find((c: { suite: string }) => c.suite === 'ike');
    expect(ike.params.datagrams).toBe(4);
    const ikeFloor = ike.results.find((x: { variant: string }) => x.variant === 'their bare crypto calls (the floor)');
    expect(ikeFloor.floorOf).toBe('negotiations, default backend');
    expect(ikeFloor.costOverFloor).toBeGreaterThan(1);
    const e2e = doc.cases.filter((c: { suite: string }) => c.suite === 'end-to-end');
    expect(e2e[0].info.crypto).toBe('native addon (OpenSSL)');
    expect(e2e[0].derived.timesFasterThanRealTime).toBeGreaterThan(0);
    // Here everything runs: the native addon is built and openssl is installed.
    expect(doc.unavailable).toEqual([]);
    // Classify: one case per workload and size, every variant against the C scan on the same data.
    const cls = doc.cases.filter((c: { suite: string }) => c.suite === 'classify');
    expect(cls.map((c: { params: { source: string } }) => c.params.source)).toEqual(['random', 'private-pools', 'acl-wide-ends', 'cross-product', 'random', 'private-pools', 'acl-wide-ends', 'cross-product']);
    for (const c of cls) {
      // The cost model's pick leads, then the C scan, the strategies it did not pick (forced) and the bitsets.
      const strategy = c.info.strategy as string;
      expect(['split', 'classes', 'regions']).toContain(strategy);
      expect(c.info).toMatchObject({ verified: true, choice: expect.stringMatching(new RegExp(`^${strategy}, `)), checksumsEqual: 'every variant equals the C scan', buildMs: expect.any(Number), memoryBytes: expect.any(Number), classesMemoryBytes: expect.any(Number) });
      expect(c.reference).toBe('C first-match scan (batch)');
      const ref = c.results.find((x: { variant: string }) => x.variant === c.reference);
      expect(ref.shareOfReference).toBe(1);
      for (const x of c.results) expect(x.shareOfReference).toBeCloseTo(x.median / ref.median, 9);
      expect(c.results.map((x: { variant: string }) => x.variant.replace(/ \(.*/, ''))).toEqual([strategy, 'C first-match scan', ...['split', 'scan', 'classes', 'regions'].filter((x) => x !== strategy), 'bitset']);
    }
    // At 100 selectors the classes strategy on every workload; at 1,000 split on random pairs, regions on private pools and access lists, classes on policy-based cross products.
    expect(cls.map((c: { info: { strategy: string } }) => c.info.strategy)).toEqual(['classes', 'classes', 'classes', 'classes', 'split', 'regions', 'regions', 'classes']);
  }, 240_000);

  it('user data: --table with --addresses prints the line checksum', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vgw-bench-'));
    const table = join(dir, 'table.txt');
    const addrs = join(dir, 'addrs.txt');
    writeFileSync(table, '# my table\n0.0.0.0/0 default\n10.0.0.0/8 corp\n');
    writeFileSync(addrs, '10.1.1.1\n8.8.8.8\n');
    const r = vgw(['bench', 'lpm', '--quick', '--json', '--table', table, '--addresses', addrs]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.cases).toHaveLength(1);
    expect(doc.cases[0].info.checksum).toBe((1 + 2) + (1 + 1));
  }, 120_000);

  it('user data: --table reads show ip bgp output (detected) and runs each workload on it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vgw-bench-'));
    const table = join(dir, 'bgp.txt');
    writeFileSync(table, [
      'BGP table version is 7, local router ID is 192.0.2.1',
      '     Network          Next Hop            Metric LocPrf Weight Path',
      ' *>  1.0.0.0/24       198.51.100.7             0             0 3356 13335 i',
      ' *                    203.0.113.9                            0 6939 13335 i',
      ' *>  3.0.0.0          203.0.113.9                            0 7018 16509 i',
      ' *>i 100.64.0.0/10    10.0.0.2                 0    100      0 i',
      '',
    ].join('\n'));
    const r = vgw(['bench', 'lpm', '--quick', '--json', '--reps', '5', '--table', table, '--inside', '0.5']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.cases.map((c: { name: string }) => c.name)).toEqual([`lpm ${table}, 50% inside`, `lpm ${table}, zipf`, `lpm ${table}, uniform`]);
    expect(doc.cases[0].params).toMatchObject({ routes: 3, format: 'bgp', ipv6Skipped: 0 });
    for (const c of doc.cases) expect(c.info.verified).toBe(true);
  }, 120_000);

  it('bad tables and lpm flags name FILE:LINE:COLUMN or the flag, and exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vgw-bench-'));
    const table = join(dir, 'routes.txt');
    writeFileSync(table, 'B     45.0.0.0/8 [20/0] via 192.0.2.1, 3w2d\nB     46.0.0.0/33 [20/0] via 192.0.2.1, 3w2d\n');
    const r = vgw(['bench', '--table', table]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${table}:2:7: "46.0.0.0/33" is not a CIDR prefix`);
    expect(vgw(['bench', '--table', table, '--table-format', 'juniper']).stderr).toContain('--table-format must be one of cidr, bgp, route, range, bgpdump');
    for (const bad of ['1.5', '-0.1', 'most']) expect(vgw(['bench', 'lpm', '--inside', bad]).stderr).toContain('--inside must be a share from 0 to 1');
    expect(vgw(['bench', 'forward-route', '--inside', '0.5']).stderr).toContain('--inside is for the lpm and classify suites');
    const good = join(dir, 'good.txt');
    const addrs = join(dir, 'addrs.txt');
    writeFileSync(good, '10.0.0.0/8\n');
    writeFileSync(addrs, '10.1.1.1\n');
    expect(vgw(['bench', '--table', good, '--addresses', addrs, '--inside', '0.5']).stderr).toContain('--inside shapes the generated destinations');
  });

  it('bad data files name FILE:LINE and exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vgw-bench-'));
    const sels = join(dir, 'sels.txt');
    writeFileSync(sels, '10.0.0.0/8 0.0.0.0/0 protect\n10.0.0.0/8 0.0.0.0/0 allow\n');
    const r = vgw(['bench', '--selectors', sels]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${sels}:2: unknown action "allow"`);
    expect(r.stdout).toBe('');
    expect(vgw(['bench', 'nope']).status).toBe(2);
    const inside = vgw(['bench', 'classify', '--inside', '1.5']);
    expect([inside.status, inside.stderr.trim()]).toEqual([2, 'vgw bench: --inside must be a share from 0 to 1 (e.g. 0.9), got "1.5"']);
    expect(vgw(['bench', '--addresses', sels]).stderr).toContain('--addresses needs --table FILE or --selectors FILE');
  });
});
