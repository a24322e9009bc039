/**
 * `vgw run --workers N` shards flows over worker threads and must print exactly what one
 * thread prints: the same JSON Lines (events and summary) on every example scenario, and a
 * note on stderr (then one thread) where sharding cannot be exact (inject:, --pcap).
 */
import { readdirSync, writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { runCli } from '../support/run-cli.js';

const EXAMPLES = [
  ...readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).map((f) => `scenarios/${f}`),
  ...readdirSync('scenarios/bench').filter((f) => f.endsWith('.yaml')).map((f) => `scenarios/bench/${f}`),
];

describe('vgw run --workers', () => {
  it.each(EXAMPLES)('%s: --workers 2 prints the same JSON Lines as --workers 1', (file) => {
    const one = runCli(['run', file, '--json', '--workers', '1']);
    const two = runCli(['run', file, '--json', '--workers', '2']);
    expect(two.code).toBe(one.code);
    expect(two.stdout).toBe(one.stdout);
    if (/^inject:/m.test(readFileSync(file, 'utf8'))) expect(two.stderr).toContain('not used: the scenario has inject:');
  }, 60_000);

  it('shards a scenario with fragmentation and a DF drop exactly (the tamper example without its injections)', () => {
    const doc = YAML.parse(readFileSync('scenarios/s2s-esp-tamper-mtu.yaml', 'utf8')) as Record<string, unknown>;
    delete doc['inject'];
    doc['expect'] = [];
    const file = join(mkdtempSync(join(tmpdir(), 'vgw-workers-')), 'mtu.yaml');
    writeFileSync(file, YAML.stringify(doc));
    const one = runCli(['run', file, '--json']);
    for (const n of ['2', '3']) {
      const many = runCli(['run', file, '--json', '--workers', n]);
      expect(many.stderr).toBe('');
      expect(many.stdout).toBe(one.stdout);
    }
    expect(one.stdout).toContain('"reason":"mtu"');
  }, 60_000);

  it('refuses --pcap with workers on stderr and runs on one thread', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vgw-workers-pcap-'));
    const r = runCli(['run', 'scenarios/s2s-policy-based.yaml', '--workers', '2', '--pcap', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('--pcap');
  }, 60_000);
});
