/**
 * scripts/build-native.mjs on a copy of the package in a temp directory: a rebuild that
 * fails (a compiler that always fails, missing prerequisites) leaves the addon that was
 * there in place and says so; a rebuild that works swaps in a new file; the install never
 * fails without a compiler unless VGW_NATIVE=required. Each build is bounded in time.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADDON = join('build', 'Release', 'vgw_esp.node');
const made: string[] = [];

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A copy of what the install script needs, with the repository's built addon when `withAddon`. */
function pkg(withAddon: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'vgw-native-'));
  made.push(dir);
  mkdirSync(join(dir, 'scripts'));
  cpSync(join(ROOT, 'scripts', 'build-native.mjs'), join(dir, 'scripts', 'build-native.mjs'));
  cpSync(join(ROOT, 'binding.gyp'), join(dir, 'binding.gyp'));
  cpSync(join(ROOT, 'native'), join(dir, 'native'), { recursive: true });
  if (withAddon) {
    mkdirSync(join(dir, 'build', 'Release'), { recursive: true });
    cpSync(join(ROOT, ADDON), join(dir, ADDON));
  }
  return dir;
}

function build(dir: string, env: Record<string, string>): { status: number | null; stderr: string; stdout: string } {
  const base = { ...process.env };
  delete base['VGW_NATIVE'];
  const r = spawnSync(process.execPath, [join(dir, 'scripts', 'build-native.mjs')], { cwd: dir, encoding: 'utf8', env: { ...base, ...env }, timeout: 90_000 });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

/** Whether the addon at `dir` loads in a fresh node and answers. */
function loads(dir: string): boolean {
  return spawnSync(process.execPath, ['-e', `require(${JSON.stringify(join(dir, ADDON))}).openssl()`]).status === 0;
}

function noStaging(dir: string): void {
  expect(readdirSync(join(dir, 'build')).filter((n) => n.startsWith('.staging-'))).toEqual([]);
}

describe('npm run build:native', () => {
  it('a failed rebuild (CC=/bin/false) keeps the working addon and says so', () => {
    const dir = pkg(true);
    const before = readFileSync(join(dir, ADDON));
    const r = build(dir, { CC: '/bin/false' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('native ESP backend not rebuilt: node-gyp rebuild failed');
    expect(r.stderr).toContain('The addon built before stays in place (build/Release/vgw_esp.node)');
    expect(readFileSync(join(dir, ADDON)).equals(before)).toBe(true);
    expect(loads(dir)).toBe(true);
    noStaging(dir);
  }, 120_000);

  it('VGW_NATIVE=required makes the failure an error, and still keeps the addon', () => {
    const dir = pkg(true);
    const before = readFileSync(join(dir, ADDON));
    const r = build(dir, { CC: '/bin/false', VGW_NATIVE: 'required' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('(VGW_NATIVE=required: this is an error)');
    expect(readFileSync(join(dir, ADDON)).equals(before)).toBe(true);
    noStaging(dir);
  }, 120_000);

  it('without an addon and a compiler, the install succeeds on the node:crypto fallback', () => {
    const dir = pkg(false);
    const r = build(dir, { CC: '/bin/false' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('native ESP backend not built: node-gyp rebuild failed');
    expect(r.stderr).toContain('vgw uses node:crypto instead');
    expect(existsSync(join(dir, ADDON))).toBe(false);
    noStaging(dir);
  }, 120_000);

  it('names every missing prerequisite before trying', () => {
    const dir = pkg(true);
    const r = build(dir, { CC: '/nonexistent/cc', MAKE: '/nonexistent/make', PYTHON: '/nonexistent/python3', npm_config_python: '', PATH: join(dir, 'no-such-bin') });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('a C compiler (/nonexistent/cc');
    expect(r.stderr).toContain('make (/nonexistent/make)');
    expect(r.stderr).toContain('Python 3.6 or newer for node-gyp');
    expect(r.stderr).toContain('stays in place');
    expect(loads(dir)).toBe(true);
  }, 60_000);

  it('a rebuild that works replaces the addon with a new file that loads', () => {
    const dir = pkg(true);
    const inode = statSync(join(dir, ADDON)).ino;
    const r = build(dir, {});
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('vgwsim: native ESP backend built (build/Release/vgw_esp.node;');
    expect(statSync(join(dir, ADDON)).ino).not.toBe(inode);
    expect(loads(dir)).toBe(true);
    noStaging(dir);
  }, 120_000);
});
