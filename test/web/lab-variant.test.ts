/**
 * The page's lab variants (`?variant=N`, web/labs.ts) give the text `vgw lab start NN
 * --variant N` writes, from what labs.json carries (the lesson, lab.yaml and only the
 * solution's addresses).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { labVariant, variantOf } from '../../web/labs.js';
import type { Lab } from '../../web/labs.js';
import { ROOT, vgw } from '../support/built-cli.js';

const LABS = join(ROOT, 'scenarios', 'labs');
const ADDRESS = /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?(?![\d.])/g;

function pageLab(dir: string): Lab {
  const read = (f: string): string => readFileSync(join(LABS, dir, f), 'utf8');
  return { id: dir.slice(0, 2), dir, title: dir, readme: read('README.md'), lab: read('lab.yaml'), solutionAddresses: read('solution.yaml').match(ADDRESS) ?? [] };
}

describe('lab variants in the page', () => {
  it('reads ?variant=N, and nothing else, from the address', () => {
    expect([variantOf('?variant=7'), variantOf('?x=1&variant=123456'), variantOf(''), variantOf('?variant=-3'), variantOf('?variant=abc'), variantOf('?variant=99999999')]).toEqual([7, 123456, 0, 0, 0, 0]);
  });

  it.each(readdirSync(LABS).filter((d) => /^\d\d-/.test(d)).sort())('%s: variant 5 is what vgw lab start --variant 5 writes, kept apart', (dir) => {
    const dest = join(mkdtempSync(join(tmpdir(), 'vgw-web-variant-')), 'lab');
    expect(vgw(['lab', 'start', dir.slice(0, 2), dest, '--variant', '5']).code).toBe(0);
    const lab = labVariant(pageLab(dir), 5);
    expect(lab.lab).toBe(readFileSync(join(dest, 'lab.yaml'), 'utf8'));
    expect(lab.readme).toBe(readFileSync(join(dest, 'README.md'), 'utf8'));
    expect(lab.dir).not.toBe(dir);
    expect(labVariant(pageLab(dir), 0)).toEqual(pageLab(dir));
  });
});
