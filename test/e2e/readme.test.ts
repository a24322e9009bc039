/**
 * The README's worked example is real output: the block after
 * "$ vgw run scenarios/s2s-policy-based.yaml" must equal what the built CLI prints now.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('README', () => {
  it('shows the real output of the worked example', () => {
    const readme = readFileSync(`${root}/README.md`, 'utf8');
    const marker = '$ vgw run scenarios/s2s-policy-based.yaml\n';
    const start = readme.indexOf(marker);
    expect(start, 'README lost its worked example').toBeGreaterThan(0);
    const end = readme.indexOf('```', start);
    const shown = readme.slice(start + marker.length, end);
    const r = spawnSync(process.execPath, ['dist/cli/main.js', 'run', 'scenarios/s2s-policy-based.yaml'], {
      cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
    });
    expect(r.status).toBe(0);
    expect(shown).toBe(r.stdout);
  });

  it('has the two Quick start commands', () => {
    const readme = readFileSync(`${root}/README.md`, 'utf8');
    expect(readme).toContain('npm ci && npm start\nnpm test\n');
  });
});
