/**
 * Share links (web/share.ts): the YAML survives the fragment whatever its characters, the
 * fragment is URL-safe and shorter than the text for a real scenario, and a damaged
 * fragment is an error in words, never a throw.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shareFragment, sharedScenario } from '../../web/share.js';
import { ROOT } from '../support/run-cli.js';

describe('share links', () => {
  it('round-trips random text and a real scenario through the fragment', async () => {
    const yaml = readFileSync(join(ROOT, 'scenarios', 's2s-route-based-multisite.yaml'), 'utf8');
    const f = await shareFragment(yaml);
    expect(f).toMatch(/^s=[A-Za-z0-9_-]+$/);
    expect(f.length).toBeLessThan(yaml.length);
    expect(await sharedScenario(`#${f}`)).toBe(yaml);
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    for (let k = 0; k < 50; k++) {
      const text = Array.from({ length: rnd(300) }, () => String.fromCodePoint(rnd(4) === 0 ? 0x1f600 + rnd(50) : 32 + rnd(0x2000))).join('');
      expect(await sharedScenario(await shareFragment(text))).toBe(text);
    }
  });

  it('says a damaged link is damaged, and ignores fragments that are not shares', async () => {
    const f = await shareFragment('name: x\n'.repeat(40));
    const cut = await sharedScenario(f.slice(0, f.length - 8));
    expect(cut).toBeInstanceOf(Error);
    expect((cut as Error).message).toMatch(/damaged/);
    expect(await sharedScenario('#example=vnet-to-vnet.yaml')).toBeUndefined();
    expect(await sharedScenario('')).toBeUndefined();
  });
});
