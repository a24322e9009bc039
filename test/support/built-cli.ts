/**
 * Test support: run the BUILT command line (`node dist/cli/main.js`) as a real process.
 * `ensureBuilt` compiles once per test process with `npx tsc -p .` (incremental); a lock
 * directory keeps parallel test files from writing dist/ at the same time.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

let built = false;

export function ensureBuilt(): void {
  if (built) return;
  const lock = join(ROOT, 'dist', '.build-lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building; a lock older than two minutes is stale.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmdirSync(lock);
      } catch { /* gone already */ }
      if (Date.now() > deadline) throw new Error('timed out waiting for the build lock');
      spawnSync(process.execPath, ['-e', 'setTimeout(()=>{},100)']);
    }
  }
  try {
    const r = spawnSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
    built = true;
  } finally {
    rmdirSync(lock);
  }
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node dist/cli/main.js ...args`, colours off. */
export function vgw(args: readonly string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  ensureBuilt();
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...opts.env };
  delete env['FORCE_COLOR'];
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, encoding: 'utf8', env });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
