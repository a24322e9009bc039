/**
 * `vgw run --pcap DIR` through the built binary: the files written while the run goes on,
 * a target that cannot be written refused before the run (exit 2, one line, nothing
 * simulated), a write that fails during the run (a full disk) stopping it (exit 74), and
 * capture file names that stay inside DIR whatever the scenario's names.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, ensureBuilt, lines, runCli } from '../support/run-cli.js';
import type { CliResult } from '../support/run-cli.js';

const PB = 'scenarios/s2s-policy-based.yaml';
let tmp = '';
let n = 0;

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'vgw-pcap-e2e-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A fresh path under the test's temporary directory. */
function fresh(name: string): string {
  return join(tmp, `${n++}-${name}`);
}

/** The policy-based example with its names and traffic changed. */
function scenario(edit: (text: string) => string): string {
  const file = fresh('scenario.yaml');
  writeFileSync(file, edit(readFileSync(PB, 'utf8')));
  return file;
}

/**
 * Run the CLI as an unprivileged user: as root, through setpriv as nobody (permissions do
 * not stop root; the test fails when setpriv is missing), else as the current user.
 */
function runUnprivileged(args: readonly string[]): CliResult {
  if (process.getuid?.() !== 0) return runCli(args);
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args], {
    cwd: ROOT, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined }, encoding: 'utf8', timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function noStack(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/TypeError|RangeError|internal error/);
}

describe('vgw run --pcap DIR', () => {
  it('writes one pcap per link and esp_sa, and lists them', () => {
    const dir = join(fresh('new'), 'captures'); // a missing parent is made
    const r = runCli(['run', PB, '--pcap', dir]);
    expect(r.code).toBe(0);
    // The policy-based gateway's IKEv1 keys go beside esp_sa; there is no IKEv2 SA, so no IKEv2 table.
    expect(readdirSync(dir).sort()).toEqual(['esp_sa', 'ikev1_decryption_table', 'internet.pcap', 'site-hq.pcap', 'vnet-vnet1.pcap']);
    expect(lines(r.stdout).at(-1)).toBe(`captures: ${['internet.pcap', 'site-hq.pcap', 'vnet-vnet1.pcap', 'esp_sa', 'ikev1_decryption_table'].map((f) => join(dir, f)).join(', ')}`);
    const json = runCli(['run', PB, '--json', '--pcap', dir]);
    const summary = JSON.parse(lines(json.stdout).at(-1)!) as { captures: unknown };
    expect(summary.captures).toEqual({ dir, files: ['internet.pcap', 'site-hq.pcap', 'vnet-vnet1.pcap', 'esp_sa', 'ikev1_decryption_table'] });
  });

  it('names from the scenario stay one file inside DIR (a / is written %2F)', () => {
    const file = scenario((t) => t.replace(/\bhq\b/g, 'hq/../../east'));
    const dir = fresh('names');
    const r = runCli(['run', file, '--pcap', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['esp_sa', 'ikev1_decryption_table', 'internet.pcap', 'site-hq%2F..%2F..%2Feast.pcap', 'vnet-vnet1.pcap']);
    expect(statSync(join(dir, 'site-hq%2F..%2F..%2Feast.pcap')).size).toBeGreaterThan(24);
  });

  describe('a target that cannot be written is refused before the run: exit 2, one line, nothing simulated', () => {
    const refused = (args: string[], what: RegExp, run: (args: string[]) => CliResult = runCli): void => {
      const r = run(args);
      expect(r.stdout).toBe('');
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(/^vgw run: cannot write captures to /);
      expect(r.stderr).toMatch(what);
      expect(r.code).toBe(2);
      noStack(r.stderr);
    };

    it('a file where the directory should be', () => {
      const f = fresh('a-file');
      writeFileSync(f, 'x');
      refused(['run', PB, '--pcap', f], /is a file, not a directory/);
      refused(['run', PB, '--pcap', join(f, 'sub')], /a part of the path is a file, not a directory/);
    });

    it('a missing parent that cannot be created (a file system that takes no directories)', () => {
      refused(['run', PB, '--pcap', '/proc/vgw-no-such-dir/captures'], /cannot create \/proc\/vgw-no-such-dir: the file system there does not allow new directories/);
    });

    it('no permission to create it (sysfs refuses everyone, root too)', () => {
      refused(['run', PB, '--pcap', '/sys/vgw-pcap-test'], /cannot create \/sys\/vgw-pcap-test: (operation not permitted|permission denied|read-only file system)/);
    });

    it('a directory where a capture file or esp_sa would go', () => {
      const dir = fresh('taken');
      mkdirSync(join(dir, 'internet.pcap'), { recursive: true });
      refused(['run', PB, '--pcap', dir], /internet\.pcap is a directory/);
      const dir2 = fresh('taken2');
      mkdirSync(join(dir2, 'esp_sa'), { recursive: true });
      refused(['run', PB, '--pcap', dir2], /esp_sa: it is a directory/);
    });

    it('a symbolic link to a directory where a capture file would go', () => {
      const dir = fresh('link-to-dir');
      mkdirSync(dir);
      mkdirSync(join(dir, 'elsewhere'));
      symlinkSync(join(dir, 'elsewhere'), join(dir, 'internet.pcap'));
      refused(['run', PB, '--pcap', dir], /internet\.pcap is a directory/);
    });

    it('a directory that holds a writable esp_sa but takes no new files', () => {
      chmodSync(tmp, 0o755); // the unprivileged user reaches DIR
      const dir = fresh('read-only');
      mkdirSync(dir);
      writeFileSync(join(dir, 'esp_sa'), '');
      chmodSync(join(dir, 'esp_sa'), 0o666);
      chmodSync(dir, 0o555);
      try {
        refused(['run', PB, '--pcap', dir], new RegExp(`to ${dir}: permission denied$`, 'm'), runUnprivileged);
      } finally {
        chmodSync(dir, 0o755);
      }
    });

    it('a path too long for a capture file, though esp_sa fits', () => {
      // DIR/esp_sa is 4,095 bytes (the most a path may have); DIR/internet.pcap would be 4,102.
      let dir = fresh('deep');
      while (dir.length < 4095 - 7 - 1 - 255) dir = join(dir, 'd'.repeat(200));
      dir = join(dir, 'e'.repeat(4095 - 7 - dir.length - 1));
      expect(Buffer.byteLength(join(dir, 'esp_sa'))).toBe(4095);
      refused(['run', PB, '--pcap', dir], /the capture of internet would be a path of 4102 bytes \(at most 4095\); use a shorter directory$/m);
    });

    it('a name too long for a capture file', () => {
      const long = 'v'.repeat(300);
      refused(['run', scenario((t) => t.replace(/\bvnet1\b/g, long)), '--pcap', fresh('long')], /file name of 310 bytes \(at most 255\)/);
    });

    it('an empty --pcap', () => {
      refused(['run', PB, '--pcap='], /--pcap needs a directory/);
    });

    it('an invalid scenario creates nothing', () => {
      const dir = fresh('invalid');
      const r = runCli(['run', 'scenarios/invalid/schema-errors.yaml', '--pcap', dir]);
      expect(r.code).toBe(2);
      expect(existsSync(dir)).toBe(false);
    });
  });

  describe('a write that fails after the run (the last chunks, esp_sa): the report is printed, then one line, exit 74', () => {
    it('esp_sa on a full disk: every capture is complete and listed, esp_sa is named', () => {
      const dir = fresh('full-esp-sa');
      mkdirSync(dir);
      symlinkSync('/dev/full', join(dir, 'esp_sa'));
      const done = ['internet.pcap', 'site-hq.pcap', 'vnet-vnet1.pcap', 'ikev1_decryption_table'];
      const r = runCli(['run', PB, '--pcap', dir]);
      expect(r.code).toBe(74);
      expect(r.stdout).toMatch(/^summary$/m);
      expect(lines(r.stdout).at(-1)).toBe(`captures: ${done.map((f) => join(dir, f)).join(', ')}`);
      expect(lines(r.stderr)).toEqual([`vgw run: cannot write captures: ${join(dir, 'esp_sa')}: no space left on the device; the run finished, but ${join(dir, 'esp_sa')} is incomplete`]);
      noStack(r.stderr);
      // The captures hold every packet: the same bytes as a run that could write everything.
      const ok = fresh('ok');
      expect(runCli(['run', PB, '--pcap', ok]).code).toBe(0);
      for (const f of done) expect(readFileSync(join(dir, f)).equals(readFileSync(join(ok, f))), f).toBe(true);
      const json = runCli(['run', PB, '--json', '--pcap', dir]);
      expect(json.code).toBe(74);
      const summary = JSON.parse(lines(json.stdout).at(-1)!) as { type: string; captures: unknown };
      expect(summary).toMatchObject({ type: 'summary', captures: { dir, files: done } });
    });

    it('a capture whose last chunk cannot be written: the other files are complete, esp_sa too', () => {
      // The policy-based example's Internet capture is smaller than a chunk: it is written only at the end.
      const dir = fresh('full-last-chunk');
      mkdirSync(dir);
      symlinkSync('/dev/full', join(dir, 'internet.pcap'));
      const r = runCli(['run', PB, '--pcap', dir]);
      expect(r.code).toBe(74);
      expect(lines(r.stdout).at(-1)).toBe(`captures: ${['site-hq.pcap', 'vnet-vnet1.pcap', 'esp_sa', 'ikev1_decryption_table'].map((f) => join(dir, f)).join(', ')}`);
      expect(lines(r.stderr)).toEqual([`vgw run: cannot write captures: ${join(dir, 'internet.pcap')}: no space left on the device; the run finished, but ${join(dir, 'internet.pcap')} is incomplete`]);
      expect(readFileSync(join(dir, 'esp_sa'), 'utf8').trim().split('\n')).toHaveLength(2);
    });
  });

  it('a write that fails during the run (a full disk) stops it: exit 74, one line, no run output', () => {
    // 3,000 packets of 1,400 bytes: the Internet capture fills its first chunk long before the end.
    const file = scenario((t) => t.replace(/^traffic:[\s\S]*$/m, 'traffic:\n  - { id: bulk, from: vm1, to: pc1, proto: udp, dport: 9, size: 1400, count: 3000, interval: 1ms }\n'));
    const dir = fresh('full');
    mkdirSync(dir);
    symlinkSync('/dev/full', join(dir, 'internet.pcap'));
    for (const extra of [[], ['--json']]) {
      const r = runCli(['run', file, '--pcap', dir, ...extra]);
      expect(r.code).toBe(74);
      expect(r.stdout).toBe('');
      expect(lines(r.stderr)).toEqual([`vgw run: cannot write captures: ${join(dir, 'internet.pcap')}: no space left on the device; the run was stopped and the files in ${dir} are incomplete`]);
      noStack(r.stderr);
    }
  });
});
