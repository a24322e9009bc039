/**
 * Golden files: for each example scenario, `vgw run FILE --json` must equal
 * test/golden/<basename>.jsonl byte for byte (same scenario + seed → byte-identical trace).
 *
 * When a change to the output is intended, regenerate the files and review the diff:
 *
 *     UPDATE_GOLDEN=1 npx vitest run test/e2e/golden.test.ts
 *
 * With UPDATE_GOLDEN=1 the test writes the files instead of comparing (and still checks
 * the run exits 0). A missing golden file fails the test with that hint.
 *
 * Also: the same run twice gives identical output, and a different `seed:` changes the
 * SPIs (every random choice derives from the seed) but not where packets go.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt, exampleScenarios, lines, runCli } from '../support/run-cli.js';

const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const GOLDEN_DIR = join(ROOT, 'test', 'golden');
const EXAMPLES = exampleScenarios();
let tmp = '';

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'vgw-golden-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function goldenPath(file: string): string {
  return join(GOLDEN_DIR, basename(file).replace(/\.ya?ml$/, '.jsonl'));
}

/** Every SPI in the hop events of a --json run, in order of appearance. */
function spis(jsonl: string): string[] {
  const out: string[] = [];
  for (const l of lines(jsonl)) {
    const e = JSON.parse(l) as { type: string; sa?: { spi?: string } };
    if (e.type === 'hop' && e.sa?.spi) out.push(e.sa.spi);
  }
  return out;
}

function summaryFlows(jsonl: string): unknown {
  const ls = lines(jsonl);
  return (JSON.parse(ls[ls.length - 1]!) as { flows: unknown }).flows;
}

describe.each(EXAMPLES)('golden %s', (file) => {
  it(`vgw run --json equals test/golden/${basename(file).replace(/\.ya?ml$/, '.jsonl')}`, () => {
    const r = runCli(['run', file, '--json']);
    expect(r.code).toBe(0);
    const g = goldenPath(file);
    if (UPDATE) {
      writeFileSync(g, r.stdout);
      return;
    }
    expect(existsSync(g), `${g} is missing: run UPDATE_GOLDEN=1 npx vitest run test/e2e/golden.test.ts`).toBe(true);
    const want = readFileSync(g, 'utf8');
    // Compare lines first for a readable diff, then the exact bytes (trailing newline included).
    expect(r.stdout.split('\n')).toEqual(want.split('\n'));
    expect(Buffer.from(r.stdout).equals(Buffer.from(want))).toBe(true);
  });

  it('is deterministic: two runs give identical output (text and --json)', () => {
    const a = runCli(['run', file, '--json']);
    const b = runCli(['run', file, '--json']);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(b.stderr).toBe(a.stderr);
    const ta = runCli(['run', file]);
    const tb = runCli(['run', file]);
    expect(tb.stdout).toBe(ta.stdout);
  });

  it('another seed changes the SPIs, not the outcomes', () => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const m = /^seed:\s*(\d+)/m.exec(text);
    expect(m, `${file} has a top-level seed:`).not.toBeNull();
    const other = Number(m![1]) + 1000;
    const copy = join(tmp, basename(file));
    writeFileSync(copy, text.replace(/^seed:\s*\d+/m, `seed: ${other}`));
    const a = runCli(['run', file, '--json']);
    const b = runCli(['run', copy, '--json']);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const sa = spis(a.stdout);
    const sb = spis(b.stdout);
    expect(sb.length).toBe(sa.length);
    expect(sa.length, `${file} encrypts at least one packet`).toBeGreaterThan(0);
    // Each distinct SPI of the first run is absent from the second (32-bit random values).
    const setB = new Set(sb);
    for (const spi of new Set(sa)) expect(setB.has(spi), `SPI ${spi} survives a seed change`).toBe(false);
    expect(summaryFlows(b.stdout)).toEqual(summaryFlows(a.stdout));
    const seedLine = lines(b.stdout).map((l) => JSON.parse(l) as { type: string; seed?: number }).find((e) => e.type === 'summary');
    expect(seedLine?.seed).toBe(other);
  });
});
