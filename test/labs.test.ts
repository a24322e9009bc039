/**
 * Every lab is gradable: its lab.yaml is valid and fails at least one goal, its
 * solution.yaml passes them all, every goal has a hint, and the folder has a README.
 * Plus `vgw lab list|start|check` on the built CLI.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { gradeLab, validateScenarioFile } from '../sim/index.js';
import { ROOT, vgw } from './support/built-cli.js';

const LABS = join(ROOT, 'scenarios', 'labs');
const labs = readdirSync(LABS).filter((d) => /^\d\d-/.test(d)).sort();

describe('labs', () => {
  it('there are at least eight, numbered in order', () => {
    expect(labs.length).toBeGreaterThanOrEqual(8);
    labs.forEach((d, i) => expect(d.slice(0, 2)).toBe(String(i + 1).padStart(2, '0')));
  });

  describe.each(labs)('%s', (dir) => {
    it('has README.md, lab.yaml and solution.yaml', () => {
      for (const f of ['README.md', 'lab.yaml', 'solution.yaml']) expect(existsSync(join(LABS, dir, f)), f).toBe(true);
      expect(readFileSync(join(LABS, dir, 'README.md'), 'utf8')).toMatch(/^# \d\d: /);
    });
    it('README.md\'s prose is wrapped: lines outside code blocks and tables of at most 100 characters', () => {
      let code = false;
      const long: string[] = [];
      readFileSync(join(LABS, dir, 'README.md'), 'utf8').split('\n').forEach((l, i) => {
        if (l.startsWith('```')) code = !code;
        else if (!code && !l.startsWith('|') && l.length > 100) long.push(`line ${i + 1}: ${l.length} characters`);
      });
      expect(long).toEqual([]);
    });
    it('lab.yaml is valid and fails at least one goal; every goal has a hint', () => {
      const g = gradeLab(validateScenarioFile(join(LABS, dir, 'lab.yaml')));
      expect(g.valid, JSON.stringify(g.diagnostics)).toBe(true);
      if (!g.valid) return;
      expect(g.total).toBeGreaterThan(0);
      expect(g.passed).toBeLessThan(g.total);
      for (const goal of g.goals) expect(goal.hint, `goal ${goal.n} (${goal.flow}) has no hint`).toBeTruthy();
    });
    it('solution.yaml passes every goal', () => {
      const g = gradeLab(validateScenarioFile(join(LABS, dir, 'solution.yaml')));
      expect(g.valid, JSON.stringify(g.diagnostics)).toBe(true);
      if (!g.valid) return;
      expect(g.goals.filter((x) => !x.passed).map((x) => x.message)).toEqual([]);
      expect(g.complete).toBe(true);
    });
  });
});

describe('vgw lab', () => {
  it('list shows every lab', () => {
    const r = vgw(['lab', 'list']);
    expect(r.code).toBe(0);
    for (const d of labs) expect(r.stdout).toContain(d.slice(0, 2));
    expect(r.stdout).toContain('your first policy-based tunnel');
  });

  it('start copies the lab (not the solution), refuses to overwrite; check grades it', () => {
    const work = mkdtempSync(join(tmpdir(), 'vgw-lab-'));
    const dest = join(work, 'mine');
    const s = vgw(['lab', 'start', '1', dest]);
    expect(s.code, s.stderr).toBe(0);
    expect(existsSync(join(dest, 'lab.yaml'))).toBe(true);
    expect(existsSync(join(dest, 'README.md'))).toBe(true);
    expect(existsSync(join(dest, 'solution.yaml'))).toBe(false);
    const again = vgw(['lab', 'start', '01', dest]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('refusing to overwrite');

    const failing = vgw(['lab', 'check', dest]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/✗ goal 1: .*\n\s+hint: /);
    expect(failing.stdout).toContain('score: 1/3 goals');

    // The learner's fix: the solution's scenario.
    writeFileSync(join(dest, 'lab.yaml'), readFileSync(join(LABS, labs[0]!, 'solution.yaml'), 'utf8'));
    const passing = vgw(['lab', 'check', dest]);
    expect(passing.code, passing.stdout).toBe(0);
    expect(passing.stdout).toContain('score: 3/3 goals: lab complete');

    writeFileSync(join(dest, 'lab.yaml'), 'name: broken\nvnets: 3\n');
    const invalid = vgw(['lab', 'check', dest]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/lab\.yaml:2:\d+ SCHEMA/);
  });

  it('rejects unknown labs and subcommands with exit 2', () => {
    expect(vgw(['lab', 'start', '99']).code).toBe(2);
    expect(vgw(['lab', 'frobnicate']).code).toBe(2);
  });
});
