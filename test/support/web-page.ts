/**
 * Test support for the web app's browser tests: build dist/web/, start the real `vgw web`
 * on a free loopback port, and drive Debian's chromium with playwright-core (never a
 * browser playwright would download). A missing chromium is an error, not a skip.
 * `buildWeb` rebuilds dist/web/ only when a source of the page is newer than its bundle,
 * under a lock directory, so test files that run at once never serve a folder being rebuilt.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { CLI, ROOT, buildUnderLock, ensureBuilt } from './run-cli.js';

/** Where Debian's chromium package puts the browser (.ci/run installs it). */
export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots of failed browser tests. */
export const SHOTS = join(ROOT, 'test-results', 'web');

/** Newest modification time of the files under `dir` (0 when there are none). */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** dist/web/ is missing or older than something it is built from. */
function webStale(): boolean {
  const bundle = join(ROOT, 'dist', 'web', 'labs.json');
  if (!existsSync(bundle)) return true;
  const sources = Math.max(...['web', 'sim', 'scenarios'].map((d) => newest(join(ROOT, d))), statSync(join(ROOT, 'scripts', 'build-web.mjs')).mtimeMs);
  return statSync(bundle).mtimeMs < sources;
}

/** Build dist/ and dist/web/ when they are stale; see the module comment. */
export function buildWeb(): void {
  ensureBuilt();
  buildUnderLock(join(ROOT, 'dist', '.web-build-lock'), webStale, () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`scripts/build-web.mjs failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  });
}

export interface WebServer {
  readonly url: string;
  readonly child: ChildProcess;
  /** Send SIGINT and wait for the exit code. */
  stop(): Promise<number | null>;
}

/** Start `vgw web --port 0` and wait for the URL it prints. */
export function startWeb(): Promise<WebServer> {
  const child = spawn(process.execPath, [CLI, 'web', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vgw web printed no URL in 30 s: ${out} ${err}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1]!, child,
        stop: () => {
          if (child.exitCode === null) child.kill('SIGINT');
          return exited;
        },
      });
    });
    void exited.then((code) => reject(new Error(`vgw web exited (${code}) before serving: ${out} ${err}`)));
  });
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the browser tests need Debian's chromium (apt-get install -y chromium; .ci/run installs it)`);
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}
