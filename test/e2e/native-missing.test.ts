/**
 * The built CLI where the native addon is not built: a copy of dist/ with no build/ beside
 * it. `vgw run` names node:crypto in its header and says once on stderr why native is not
 * loaded, unless --crypto chose the backend; `--crypto native` is refused with the reason.
 * `vgw bench` lists what it could not run (the native variants, the C DIR-24-8 of lpm;
 * openssl when it is not on the PATH) as unavailable, with the reason.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PB = join(ROOT, 'scenarios', 's2s-policy-based.yaml');
let copy = '';

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'vgw-no-native-'));
  cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
  cpSync(join(ROOT, 'scenarios'), join(copy, 'scenarios'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
});

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

function vgw(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(copy, 'dist', 'cli', 'main.js'), ...args], {
    cwd: copy, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const NOTICE = /^vgw run: ESP crypto on node:crypto \(same bytes, slower\), as the native backend is unavailable: the native addon is not built .*--crypto node chooses node:crypto without this line$/;

describe('vgw run without the native addon', () => {
  it('names node:crypto in the header and says why once on stderr', () => {
    const r = vgw(['run', PB]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Site-to-Site, policy-based  (seed 1, 4 flows, ESP crypto node)');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(NOTICE);
  });

  it('says it once with worker threads, and on stderr only with --json', () => {
    const sharded = vgw(['run', PB, '--workers', '2']);
    expect(sharded.status).toBe(0);
    expect(sharded.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
    const json = vgw(['run', PB, '--json']);
    expect(json.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(JSON.parse(json.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'summary', crypto: 'node' });
  });

  it('says nothing when --crypto chose the backend', () => {
    for (const b of ['node', 'forge']) {
      const r = vgw(['run', PB, '--crypto', b]);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout.split('\n')[0]).toContain(`ESP crypto ${b})`);
    }
  });

  it('refuses --crypto native with the reason', () => {
    const r = vgw(['run', PB, '--crypto', 'native']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('vgw run: --crypto native: the native addon is not built');
  });
});

describe('vgw bench without the native addon or openssl', () => {
  // An empty PATH: no openssl program (node itself is started by its full path).
  const noOpenssl = { PATH: join(tmpdir(), 'vgw-no-such-bin') };

  it('lists the variants it could not run as unavailable, with the reason', () => {
    const r = vgw(['bench', 'esp-encrypt', 'end-to-end', '--quick', '--json', '--workers', '1'], noOpenssl);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { crypto: unknown; cases: { name: string; results: { variant: string; role: string }[] }[]; unavailable: { suite: string; case: string; variant: string; reason: string }[] };
    expect(doc.crypto).toMatchObject({ default: 'node', native: { built: false } });
    const esp = 'esp-encrypt aes256-sha1 1400 bytes';
    const e2e = 'end-to-end bench/highperf-200mbps.yaml, one thread';
    expect(doc.unavailable.map((u) => [u.suite, u.case, u.variant])).toEqual([
      ['esp-encrypt', esp, 'esp path, native addon'],
      ['esp-encrypt', esp, 'bare native addon calls (its floor)'],
      ['esp-encrypt', esp, 'openssl speed (the share of it)'],
      ['end-to-end', e2e, 'runScenario, real ESP (aes256-sha1, native), one thread'],
    ]);
    for (const u of doc.unavailable) expect(u.reason).toMatch(u.variant.startsWith('openssl') ? /^openssl is not installed/ : /^the native addon is not built/);
    // What did run: node:crypto is the subject.
    expect(doc.cases.find((c) => c.name === esp)!.results.find((x) => x.role === 'subject')!.variant).toBe('esp path, node:crypto');
  }, 120_000);

  it('lpm says the C DIR-24-8 is unavailable and still checks the TypeScript structures against each other', () => {
    const r = vgw(['bench', 'lpm', '--quick', '--json', '--sizes', '100']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { cases: { name: string; reference?: string; info: { checksumsEqual: string }; results: { variant: string }[] }[]; unavailable: { case: string; variant: string; reason: string }[] };
    expect(doc.unavailable.map((u) => [u.case, u.variant])).toEqual(['90% inside', 'zipf', 'uniform'].map((w) => [`lpm 100 routes, ${w}`, 'C dir-24-8 (native addon, 32-bit entries)']));
    for (const u of doc.unavailable) expect(u.reason).toMatch(/^the native addon is not built/);
    for (const c of doc.cases) {
      expect(c.reference).toBeUndefined();
      expect(c.info.checksumsEqual).toBe('all structures (C unavailable)');
      expect(c.results.map((x) => x.variant)).not.toContain('C dir-24-8 (native addon, 32-bit entries)');
    }
  }, 120_000);

  it('prints them under their case in text', () => {
    const r = vgw(['bench', 'esp-encrypt', '--quick'], noOpenssl);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('\n  not run here: esp path, native addon: the native addon is not built');
    expect(r.stdout).toContain('\n  not run here: openssl speed (the share of it): openssl is not installed');
  }, 120_000);
});
