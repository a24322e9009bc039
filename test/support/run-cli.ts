/**
 * Test support: run the BUILT command line (`node dist/cli/main.js ...args`) as a real
 * process, the way users run it, and make sure dist/ is up to date first.
 *
 * `runCli` strips colour variables inherited from the test runner and sets NO_COLOR=1,
 * so output is plain unless a test passes its own `env` (use `undefined` to unset one).
 * `ensureBuilt` runs `npx tsc -p .` when any source under sim/ or cli/ is newer than its
 * built file (or the build is missing); a lock directory keeps parallel test files from
 * building at the same time.
 */
import { expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (test/support/ is two levels down). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built CLI entry point. */
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Extra environment; a value of `undefined` removes the variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  readonly input?: string;
}

/** Run `node dist/cli/main.js ...args` and collect its exit code and output. */
export function runCli(args: readonly string[], opts: CliOptions = {}): CliResult {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env['FORCE_COLOR'];
  delete env['NO_COLOR'];
  env['NO_COLOR'] = '1';
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    input: opts.input ?? '',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? (r.signal ? 128 : -1), stdout: r.stdout, stderr: r.stderr };
}

/** Non-empty lines of a text. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0);
}

function newestSource(dir: string, ext: RegExp): { file: string; mtime: number }[] {
  const out: { file: string; mtime: number }[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (ext.test(e.name) && !e.name.endsWith('.d.ts')) out.push({ file: p, mtime: statSync(p).mtimeMs });
    }
  };
  walk(dir);
  return out;
}

function stale(): boolean {
  for (const dir of ['sim', 'cli']) {
    for (const src of newestSource(join(ROOT, dir), /\.tsx?$/)) {
      const built = join(ROOT, 'dist', relative(ROOT, src.file).replace(/\.tsx?$/, '.js'));
      if (!existsSync(built) || statSync(built).mtimeMs < src.mtime) return true;
    }
  }
  return false;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Build dist/ with `npx tsc -p .` (always). Throws with the compiler output on failure. */
export function build(): void {
  const r = spawnSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`npx tsc -p . failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}

/** Build dist/ when a source is newer than its output; safe to call from parallel test files. */
export function ensureBuilt(): void {
  if (stale()) buildUnderLock(join(ROOT, 'dist', '.e2e-build-lock'), stale, build);
}

/**
 * Run `build` when `isStale()`, holding the lock directory `lock` so that test files that
 * start at once build one at a time; a file that waited sees whether the build is still
 * needed when it gets the lock.
 */
export function buildUnderLock(lock: string, isStale: () => boolean, build: () => void): void {
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building: wait, then see whether it is still needed.
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}; remove it if no build is running`);
      sleep(200);
      if (!existsSync(lock) && !isStale()) return;
    }
  }
  try {
    if (isStale()) build();
  } finally {
    rmdirSync(lock);
  }
}

/** Example scenarios that must run clean: scenarios/*.yaml, as paths relative to ROOT. */
export function exampleScenarios(): string[] {
  return readdirSync(join(ROOT, 'scenarios'))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => `scenarios/${f}`);
}

/** Scenarios meant to be rejected: scenarios/invalid/*.yaml, relative to ROOT. */
export function invalidScenarios(): string[] {
  const dir = join(ROOT, 'scenarios', 'invalid');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => `scenarios/invalid/${f}`);
}

/** Every string value under a `sharedKey` key, anywhere in a parsed YAML value. */
export function sharedKeysIn(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (k === 'sharedKey' && typeof x === 'string' && x !== '') out.push(x);
        walk(x);
      }
    }
  };
  walk(value);
  return out;
}

/** An error message, not a crash: no stack frame and no JavaScript error name in `text`. */
export function noStack(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/TypeError|RangeError|internal error/);
}
