/**
 * Seeded lab variants (sim/lab-variant.ts): on random prefixes the moves keep prefixes
 * prefixes and every relation between two of them; on every lab the variant of the
 * solution passes every goal and the variant of lab.yaml passes and fails the goals the lab
 * does; `vgw lab start --variant`, `check` and `report` through the built CLI.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { applyLabVariant, gradeLab, planLabVariant, validateScenarioText } from '../sim/index.js';
import { Prng } from '../sim/util/prng.js';
import { ROOT, vgw } from './support/built-cli.js';

const LABS = join(ROOT, 'scenarios', 'labs');
const labs = readdirSync(LABS).filter((d) => /^\d\d-/.test(d)).sort();

const ip = (a: number): string => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
const parse = (t: string): [number, number] => {
  const [a, l] = t.split('/');
  const o = a!.split('.').map(Number);
  return [((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0, l === undefined ? 32 : Number(l)];
};
const mask = (len: number): number => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);
const contains = (p: [number, number], q: [number, number]): boolean => p[1] <= q[1] && ((p[0] ^ q[0]) & mask(p[1])) >>> 0 === 0;

describe('lab variants on random prefixes', () => {
  it('keep every prefix a prefix, the last octet, and containment both ways between any two', () => {
    const rng = new Prng(7, 'test/lab-variant');
    const blocks: [number, number][] = [[0x0a000000, 8], [0xac100000, 12], [0xc0a80000, 16]];
    for (let round = 0; round < 200; round++) {
      const items: string[] = [];
      for (let k = 0; k < 12; k++) {
        const [net, len] = blocks[rng.int(3)]!;
        const plen = len + rng.int(33 - len);
        const a = ((net | (rng.nextU32() & ~mask(len))) & mask(plen)) >>> 0;
        items.push(plen === 32 && rng.int(2) === 0 ? ip(a) : `${ip(a)}/${plen}`);
      }
      items.push('10.0.0.0/8', '0.0.0.0/0', '203.0.113.7');
      const text = items.join(', ');
      const v = planLabVariant([text], 1 + round);
      const moved = applyLabVariant(text, v).split(', ');
      expect(moved).toHaveLength(items.length);
      const before = items.map(parse);
      const after = moved.map(parse);
      after.forEach(([a, l], k) => {
        expect(l).toBe(before[k]![1]);
        expect(((a & ~mask(l)) >>> 0), `${moved[k]} has host bits`).toBe(0);
        expect(a & 255).toBe(before[k]![0] & 255);
      });
      for (let x = 0; x < items.length; x++) {
        for (let y = 0; y < items.length; y++) expect(contains(after[x]!, after[y]!), `${items[x]} vs ${items[y]}`).toBe(contains(before[x]!, before[y]!));
      }
      expect(moved.slice(-3)).toEqual(['10.0.0.0/8', '0.0.0.0/0', '203.0.113.7']);
    }
  });

  it('variant 0 is the text as written; a variant is the same every time', () => {
    const text = 'vnet 10.1.0.0/16, host 10.1.0.4, site 172.20.0.0/16';
    expect(applyLabVariant(text, planLabVariant([text], 0))).toBe(text);
    expect(applyLabVariant(text, planLabVariant([text], 5))).toBe(applyLabVariant(text, planLabVariant([text], 5)));
    expect(applyLabVariant(text, planLabVariant([text], 5))).not.toBe(text);
  });
});

describe.each(labs)('lab %s in variants', (dir) => {
  const read = (f: string): string => readFileSync(join(LABS, dir, f), 'utf8');
  const files = ['lab.yaml', 'solution.yaml', 'README.md'];
  const grade = (text: string, name: string) => {
    const g = gradeLab(validateScenarioText(text, name));
    if (!g.valid) throw new Error(`${name} is invalid: ${JSON.stringify(g.diagnostics)}`);
    return g;
  };
  const original = grade(read('lab.yaml'), 'lab.yaml').goals.map((x) => x.passed);
  it.each([1, 2])('variant %i: other addresses, the solution passes, lab.yaml fails the same goals', (variant) => {
    const plan = planLabVariant(files.map(read), variant);
    const lab = applyLabVariant(read('lab.yaml'), plan);
    expect(lab, 'the variant moves some address').not.toBe(read('lab.yaml'));
    expect(grade(lab, `variant ${variant} lab.yaml`).goals.map((x) => x.passed)).toEqual(original);
    const solution = grade(applyLabVariant(read('solution.yaml'), plan), `variant ${variant} solution.yaml`);
    expect(solution.goals.filter((x) => !x.passed).map((x) => x.message)).toEqual([]);
  });
});

describe('vgw lab start --variant, check, report', () => {
  it('gives each student other numbers, grades their folders and sums up the class', () => {
    const root = mkdtempSync(join(tmpdir(), 'vgw-class-'));
    for (const [who, variant] of [['ana', 11], ['ben', 12]] as const) {
      const r = vgw(['lab', 'start', '03', join(root, who), '--variant', String(variant)]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`(variant ${variant})`);
      expect(JSON.parse(readFileSync(join(root, who, '.vgw-lab.json'), 'utf8'))).toEqual({ lab: '03', variant });
    }
    const ana = readFileSync(join(root, 'ana', 'lab.yaml'), 'utf8');
    expect(ana).not.toBe(readFileSync(join(root, 'ben', 'lab.yaml'), 'utf8'));
    // Ana solves her variant; Ben does not.
    const plan = planLabVariant(['lab.yaml', 'solution.yaml', 'README.md'].map((f) => readFileSync(join(LABS, labs[2]!, f), 'utf8')), 11);
    writeFileSync(join(root, 'ana', 'lab.yaml'), applyLabVariant(readFileSync(join(LABS, labs[2]!, 'solution.yaml'), 'utf8'), plan));
    const check = vgw(['lab', 'check', join(root, 'ana'), '--no-color']);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('variant 11');
    const csv = join(root, 'class.csv');
    const rep = vgw(['lab', 'report', root, '--csv', csv, '--no-color']);
    expect(rep.code).toBe(0);
    expect(rep.stdout).toMatch(/ana\s+03\s+11\s+3\/3/);
    expect(rep.stdout).toMatch(/ben\s+03\s+12\s+1\/3\s+2, 3/);
    expect(rep.stdout).toContain('lab 03: 1 of 2 finished');
    expect(rep.stdout).toContain('goal 2 (flow to-branch) failed in 1 of 2');
    expect(readFileSync(csv, 'utf8').split('\n').slice(0, 3)).toEqual([
      'folder,lab,variant,valid,passed,total,complete,failed_goals',
      `${join(root, 'ana')},03,11,true,3,3,true,`,
      `${join(root, 'ben')},03,12,true,1,3,false,2 3`,
    ]);
  });

  it('refuses a bad variant, a flag of another subcommand and a folder without labs (exit 2)', () => {
    const root = mkdtempSync(join(tmpdir(), 'vgw-class-'));
    for (const args of [['lab', 'start', '03', join(root, 'x'), '--variant', '-1'], ['lab', 'start', '03', join(root, 'y'), '--variant', 'abc'],
      ['lab', 'check', root, '--variant', '3'], ['lab', 'check', root, '--csv', 'a.csv'], ['lab', 'report', root], ['lab', 'report']]) {
      const r = vgw(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^vgw lab/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
