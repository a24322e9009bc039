/** `vgw graph` prints the data-plane graph from the node declarations, in three formats. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../support/run-cli.js';
import { graphText } from '../../sim/index.js';

beforeAll(() => {
  ensureBuilt();
});

describe('vgw graph', () => {
  it.each(['text', 'dot', 'mermaid'] as const)('--format %s prints graphText', (format) => {
    const r = runCli(['graph', '--format', format]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(graphText(format));
  });

  it('defaults to text and refuses an unknown format or a file', () => {
    expect(runCli(['graph']).stdout).toBe(graphText('text'));
    const bad = runCli(['graph', '--format', 'svg']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be text, dot or mermaid/);
    expect(runCli(['graph', 'x.yaml']).code).toBe(2);
  });
});
