/**
 * Text from a scenario or a lab never carries control characters or escape sequences to
 * the terminal: the one helper (cli/printable.ts) and every printing path that uses it,
 * the run and trace text (cli/format.ts), `vgw sas`, the TUI panes, lab titles, goals and
 * hints, and the one-line error messages. The CLI's own colours are kept.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonLine, printable } from '../../cli/printable.js';
import { formatRun, formatSas } from '../../cli/format.js';
import { listLabs } from '../../cli/labs.js';
import { main } from '../../cli/main.js';
import { makeStyle } from '../../cli/style.js';
import { detailLines, eventLines, statusLine, topologyLines } from '../../cli/tui/view.js';
import { initialState, reduce } from '../../cli/tui/state.js';
import { CollectSink, escapeControls, runScenario, validateScenarioFile } from '../../sim/index.js';
import type { RunResult, Scenario, SimEvent } from '../../sim/index.js';
import { lines, runCli } from '../support/run-cli.js';

/** Control characters, the C1 range and bidi controls: nothing of these may be printed raw. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** The CLI's own colours (SGR), removed before looking for raw control characters. */
const SGR = /\x1b\[[0-9;]*m/g;

const tmp = mkdtempSync(join(tmpdir(), 'vgw-printable-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('printable', () => {
  it('escapes C0 controls JSON style, DEL, C1 controls and bidi overrides', () => {
    expect(printable('a\nb\tc\rd\be\ff')).toBe('a\\nb\\tc\\rd\\be\\ff');
    expect(printable('\x1b[2J\x07\x00')).toBe('\\u001b[2J\\u0007\\u0000');
    expect(printable('x\x7fy\u009bz')).toBe('x\\u007fy\\u009bz');
    expect(printable('evil\u202egnp.exe\u2066')).toBe('evil\\u202egnp.exe\\u2066');
  });

  it('escapes the line and paragraph separators and the direction marks too: the characters sim escapes in messages', () => {
    expect(printable('a\u2028b\u2029c\u200ed\u200fe')).toBe('a\\u2028b\\u2029c\\u200ed\\u200fe');
    // One definition: what the command line prints is escaped as diagnostic messages are.
    for (let c = 0; c <= 0x206f; c++) {
      const s = `x${String.fromCharCode(c)}y`;
      expect(printable(s), c.toString(16)).toBe(escapeControls(s));
    }
  });

  it('leaves other text as it is (backslashes, accents, arrows, emoji), so it is idempotent', () => {
    for (const s of ['vm1 → pc1', 'C:\\temp', 'café ✓ ✗ 🚀', 'a\\nb', '']) expect(printable(s)).toBe(s);
    const once = printable('a\n\x1b[31mb\u009b');
    expect(printable(once)).toBe(once);
  });

  it('jsonLine: JSON with every character printable escapes written \\uXXXX, parsing to the same value', () => {
    const all = Array.from({ length: 0x2070 }, (_v, c) => String.fromCharCode(c)).join('');
    const v = { [`k${all}`]: [all, { s: 'a\\\u009b', n: 1, t: true, z: null }], plain: 'vm1 → pc1' };
    const line = jsonLine(v);
    expect(line).not.toMatch(RAW);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(v);
    expect(jsonLine({ a: 'x\u009by\u2028' })).toBe('{"a":"x\\u009by\\u2028"}');
    expect(jsonLine({ plain: 'vm1 → pc1', n: [1, 2] })).toBe(JSON.stringify({ plain: 'vm1 → pc1', n: [1, 2] }));
  });
});

/** Every string in `v` with `from` replaced by `to` (test data with hostile names, past the loader). */
function replaceDeep<T>(v: T, from: string, to: string): T {
  if (typeof v === 'string') return v.split(from).join(to) as T;
  if (Array.isArray(v)) return v.map((x: unknown) => replaceDeep(x, from, to)) as T;
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [replaceDeep(k, from, to), replaceDeep(x, from, to)])) as T;
  }
  return v;
}

/** A real run of the policy-based example, then every name made hostile. */
function hostile(): { s: Scenario; r: RunResult; events: readonly SimEvent[] } {
  const v = validateScenarioFile('scenarios/s2s-policy-based.yaml');
  const sink = new CollectSink();
  const r = runScenario(v.scenario!, { sink });
  const evil = (x: string, y: string) => <T>(o: T) => replaceDeep(o, x, y);
  const all = <T>(o: T): T => [evil('vm1', 'vm\x1b[2J1\n'), evil('gw1-hq', 'gw1\u009b31m-hq\r'), evil('hq', 'h\u202eq\x07'), evil('Site-to-Site', 'S2S\x1b]0;pwned\x07\u2029')]
    .reduce((acc, f) => f(acc), o);
  return { s: all(v.scenario!), r: all(r), events: all(sink.events) };
}

function noRaw(texts: readonly string[]): void {
  for (const t of texts) {
    expect(t.replace(SGR, ''), JSON.stringify(t)).not.toMatch(RAW);
    expect(t).not.toContain('\n');
  }
}

describe('every printing path escapes what the scenario chose', () => {
  const h = hostile();

  it('vgw run text (with colours on): one line each, no raw control character, our colours kept', () => {
    const out = formatRun(h.s, h.events, h.r, makeStyle(true), 100);
    noRaw(out);
    const text = out.join('\n');
    expect(text).toContain('vm\\u001b[2J1\\n');
    expect(text).toContain('gw1\\u009b31m-h\\u202eq\\u0007\\r');
    expect(text).toContain('S2S\\u001b]0;pwned\\u0007');
    expect(text).toMatch(SGR);
  });

  it('vgw sas', () => {
    noRaw(formatSas(h.r, makeStyle(true)));
  });

  it('the TUI panes and status bar', () => {
    let st = initialState(h.events, h.s.traffic.map((f) => f.id));
    const seen: string[] = [];
    for (let k = 0; k < h.events.length; k++) {
      seen.push(...topologyLines(h.s, h.r, st, 60).map((l) => l.text));
      seen.push(...eventLines(st, 80, 10).lines.map((l) => l.text));
      seen.push(...detailLines(st, 78).map((l) => l.text));
      seen.push(statusLine(st, [1, 2, 5]));
      st = reduce(st, { type: 'next' });
    }
    noRaw(seen);
    expect(seen.join('\n')).toContain('vm\\u001b[2J1\\n');
  });

  it('lab titles from a README', () => {
    const root = join(tmp, 'labs');
    mkdirSync(join(root, '01-evil'), { recursive: true });
    writeFileSync(join(root, '01-evil', 'README.md'), '# Lab \x1b[2Jone\u009b\n\ntext\n');
    expect(listLabs(root).map((l) => l.title)).toEqual(['Lab \\u001b[2Jone\\u009b']);
  });

  it('vgw validate and vgw run: a file name with an escape sequence and a line break stays in its lines', async () => {
    const file = join(tmp, 'evil\x1b[2J\n\u009b.yaml');
    writeFileSync(file, 'name: x\nvnets:\n  - { name: v, addressSpace: [10.1.0.0/16], subnets: [ { name: s, prefix: 10.1.0.0/24 } ], hosts: [ { name: "a\\u009bb", ip: 10.1.0.4 } ] }\n"k\\u202e": 1\n');
    const shown = printable(file);
    for (const args of [['validate', file], ['run', file]]) {
      const out: string[] = [];
      expect(await main([...args, '--no-color'], (l) => out.push(l), (l) => out.push(l))).toBe(2);
      noRaw(out);
      expect(out).toHaveLength(3);
      expect(out[0]).toMatch(new RegExp(`^${shown.replace(/[\\[\]$.]/g, '\\$&')}:3:\\d+ SCHEMA .*"a\\\\u009bb"`));
      expect(out[2]).toBe(`${shown}: 2 errors${args[0] === 'run' ? '; nothing was simulated' : ''}`);
    }
  });

  it('--json of vgw run and vgw validate: no raw control character, the same values when parsed', async () => {
    const name = 'json \u009b2J\u2028\u202e';
    const file = join(tmp, 'json\u009b\u2029.yaml');
    writeFileSync(file, [
      `name: "${name}"`,
      'vnets:',
      '  - { name: v, addressSpace: [10.1.0.0/16], subnets: [ { name: s, prefix: 10.1.0.0/24 } ], hosts: [ { name: a, ip: 10.1.0.4 }, { name: b, ip: 10.1.0.5 } ] }',
      'traffic: [ { id: f, from: a, to: b, proto: icmp, count: 1 } ]',
      'expect: [ { flow: f, dropped: all, hint: "h\\x9bi\\u200e" } ]',
      'seed: 1',
      '"k\\u2028": 1',
      '',
    ].join('\n'));
    const bad: string[] = [];
    expect(await main(['validate', file, '--json'], (l) => bad.push(l))).toBe(2);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"k\\u2028": 1\n', ''));
    const good: string[] = [];
    expect(await main(['run', file, '--json'], (l) => good.push(l))).toBe(1);
    for (const l of [...bad, ...good]) expect(l, l).not.toMatch(RAW);
    const d = JSON.parse(bad[0]!) as { file: string; path: string };
    expect(d.file).toBe(file);
    expect(d.path).toBe('k\\u2028');
    const summary = JSON.parse(good.at(-1)!) as { scenario: string; expectations: { results: { hint: string }[] } };
    expect(summary.scenario).toBe(name);
    expect(summary.expectations.results[0]!.hint).toBe('h\u009bi\u200e');
  });

  it('vgw diagram: the title is escaped', async () => {
    const file = join(tmp, 'diagram.yaml');
    writeFileSync(file, readFileSync('scenarios/s2s-policy-based.yaml', 'utf8').replace(/^name: .*$/m, 'name: "d\\e[2J\\x9b\\L"'));
    for (const format of ['mermaid', 'dot']) {
      const out: string[] = [];
      expect(await main(['diagram', file, '--format', format, '--flow', 'ping'], (l) => out.push(l))).toBe(0);
      expect(out.join('\n')).not.toMatch(RAW);
      expect(out.join('\n')).toMatch(/d\\+u001b\[2J\\+u009b\\+u2028/);
    }
  });

  it('an access-list line\'s tabs show as spaces in vgw run, vgw trace and the TUI, not as \\t', async () => {
    const file = join(tmp, 'tab.yaml');
    const text = readFileSync('scenarios/s2s-policy-based.yaml', 'utf8');
    expect(text).toContain('- permit ip 192.168.0.0/16 10.1.0.0/16');
    writeFileSync(file, text.replace('- permit ip 192.168.0.0/16 10.1.0.0/16', '- "permit\\tip 192.168.0.0/16\\t10.1.0.0/16"'));
    const entry = 'access list entry 1: permit ip 192.168.0.0/16 10.1.0.0/16';
    const run: string[] = [];
    expect(await main(['run', file, '--no-color'], (l) => run.push(l))).toBe(0);
    const trace: string[] = [];
    expect(await main(['trace', file, '--from', 'pc1', '--to', 'vm1', '--no-color'], (l) => trace.push(l))).toBe(0);
    const v = validateScenarioFile(file);
    const sink = new CollectSink();
    const r = runScenario(v.scenario!, { sink });
    let st = initialState(sink.events, v.scenario!.traffic.map((f) => f.id));
    const tui: string[] = [];
    for (let k = 0; k < sink.events.length; k++) {
      tui.push(...eventLines(st, 200, 10).lines.map((l) => l.text), ...detailLines(st, 200).map((l) => l.text));
      st = reduce(st, { type: 'next' });
    }
    expect(r.failed).toBe(0);
    for (const out of [run, trace, tui]) {
      expect(out.join('\n')).toContain(entry);
      expect(out.join('\n')).not.toContain('\\t');
      noRaw(out);
    }
  });

  it('error messages that echo a value', async () => {
    const err: string[] = [];
    const code = await main(['explain', 'NO_SUCH\x1b[2J\ncode'], () => undefined, (l) => err.push(l));
    expect(code).toBe(2);
    noRaw(err);
    expect(err.join('')).toContain('NO_SUCH\\u001b[2J\\ncode');
  });
});

describe('the built binary, colours forced', () => {
  // Hints are free text: escapes in a YAML double-quoted string become real control characters.
  const file = join(tmp, 'hint.yaml');
  writeFileSync(file, [
    'name: "hints \\e[2J\\a\\L"',
    'description: "Clears the screen \\e[2J if printed raw"',
    'vnets:',
    '  - name: v',
    '    addressSpace: [10.1.0.0/16]',
    '    subnets: [ { name: s, prefix: 10.1.0.0/24 } ]',
    '    hosts: [ { name: a, ip: 10.1.0.4 }, { name: b, ip: 10.1.0.5 } ]',
    'traffic:',
    '  - { id: f, from: a, to: b, proto: icmp, count: 1 }',
    'expect:',
    '  - { flow: f, dropped: all, hint: "look\\nhere \\e]0;title\\a \\x9b31m" }',
    '',
  ].join('\n'));

  it.each([['run', file], ['lab', 'check', file]])('vgw %s: the hint is escaped, the colours stay', (...args) => {
    const r = runCli(args, { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(r.code).toBe(1);
    for (const l of lines(r.stdout + r.stderr)) expect(l.replace(SGR, ''), JSON.stringify(l)).not.toMatch(RAW);
    expect(r.stdout).toContain('hint: look\\nhere \\u001b]0;title\\u0007 \\u009b31m');
    expect(r.stdout).toContain('hints \\u001b[2J\\u0007\\u2028');
    expect(r.stdout).toMatch(SGR);
  });
});
