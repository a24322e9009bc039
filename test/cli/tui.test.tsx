/**
 * The terminal UI: the pure reducer, the Ink app rendered with ink-testing-library on real
 * scenarios (keys in, frames out, always inside 80x24), and the built binary driven once
 * in a real pseudo-terminal (python3's pty module).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { CollectSink, runScenario, validateScenarioFile } from '../../sim/index.js';
import type { SimEvent } from '../../sim/index.js';
import { TuiApp } from '../../cli/tui/app.js';
import { initialState, reduce, reduceKey, selected } from '../../cli/tui/state.js';
import type { TuiAction, TuiState } from '../../cli/tui/state.js';
import { CLI, ROOT, ensureBuilt } from '../support/built-cli.js';

function load(file: string) {
  const v = validateScenarioFile(join(ROOT, file));
  if (!v.scenario) throw new Error(`${file} is invalid`);
  const sink = new CollectSink();
  const result = runScenario(v.scenario, { sink });
  return { scenario: v.scenario, result, events: sink.events as readonly SimEvent[] };
}

const run = (s: TuiState, ...as: TuiAction[]) => as.reduce(reduce, s);
const tick = () => new Promise((r) => setTimeout(r, 30));
// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

describe('tui state (pure reducer)', () => {
  const trap = load('scenarios/s2s-policy-based-selector-trap.yaml');
  const s0 = initialState(trap.events, trap.scenario.traffic.map((f) => f.id));

  it('steps forward and rewinds to any earlier event', () => {
    const s = run(s0, { type: 'next' }, { type: 'next' }, { type: 'next' });
    expect(s.cursor).toBe(3);
    expect(run(s, { type: 'prev' }, { type: 'prev' }).cursor).toBe(1);
    expect(run(s, { type: 'first' }).cursor).toBe(0);
    expect(run(s0, { type: 'prev' }).cursor).toBe(0);
    expect(run(s0, { type: 'last' }).cursor).toBe(trap.events.length - 1);
  });

  it('reads each key in the mode the previous one left, also when keys arrive as one chunk', () => {
    const oneByOne = reduceKey(reduceKey(reduceKey(s0, '?', {}), '?', {}), 'f', {});
    const chunk = reduceKey(s0, '??f', {});
    for (const s of [oneByOne, chunk]) {
      expect(s.mode).toBe('normal');
      expect(s.filter).toBe(trap.scenario.traffic[0]!.id);
    }
    // In the search prompt a chunk is text.
    expect(reduceKey(reduceKey(s0, '/', {}), 'gw1', {}).query).toBe('gw1');
  });

  it('plays on timer ticks, pauses, changes speed, and stops at the end', () => {
    const playing = run(s0, { type: 'toggle-play' }, { type: 'tick' }, { type: 'tick' });
    expect(playing.playing).toBe(true);
    expect(playing.cursor).toBe(2);
    expect(run(playing, { type: 'toggle-play' }, { type: 'tick' }).cursor).toBe(2);
    expect(run(s0, { type: 'faster' }, { type: 'faster' }).speed).toBe(s0.speed + 2);
    expect(run(s0, { type: 'slower' }, { type: 'slower' }, { type: 'slower' }).speed).toBe(0);
    const end = run(s0, { type: 'last' }, { type: 'toggle-play' });
    expect(end.cursor).toBe(0); // play at the end starts over
    const stopped = run({ ...s0, cursor: s0.visible.length - 1, playing: true }, { type: 'tick' });
    expect(stopped.playing).toBe(false);
  });

  it('filters by flow, cycling through the flows and back to all', () => {
    const f1 = run(s0, { type: 'cycle-filter' });
    expect(f1.filter).toBe('old-out');
    expect(f1.visible.every((i) => { const e = trap.events[i]!; return e.type === 'fault' || e.flow === 'old-out'; })).toBe(true);
    let s = f1;
    for (let k = 1; k < trap.scenario.traffic.length; k++) s = reduce(s, { type: 'cycle-filter' });
    expect(s.filter).toBe(trap.scenario.traffic.at(-1)!.id);
    s = reduce(s, { type: 'cycle-filter' });
    expect(s.filter).toBeUndefined();
    expect(s.visible).toHaveLength(trap.events.length);
  });

  it('jumps to the next drop', () => {
    const s = run(s0, { type: 'next-drop' });
    const e = selected(s)!;
    expect(e.type).toBe('dropped');
    const firstDrop = trap.events.findIndex((x) => x.type === 'dropped');
    expect(s.cursor).toBe(firstDrop);
    const atLast = run(s0, { type: 'last' }, { type: 'next-drop' });
    expect(atLast.note).toBe('no more drops');
  });

  it('searches from the cursor, and says when nothing matches', () => {
    const s = run(s0, { type: 'search-start' }, { type: 'search-input', text: '8.8.8' }, { type: 'search-input', text: '.8' }, { type: 'search-submit' });
    expect(s.mode).toBe('normal');
    const e = selected(s)!;
    expect(e.type !== 'fault' && e.flow).toBe('udr-web');
    const none = run(s0, { type: 'search-start' }, { type: 'search-input', text: 'zzz' }, { type: 'search-submit' });
    expect(none.cursor).toBe(0);
    expect(none.note).toContain('not found');
    expect(run(s0, { type: 'search-start' }, { type: 'search-input', text: 'x' }, { type: 'search-cancel' }).mode).toBe('normal');
  });

  it('toggles help and quits', () => {
    expect(run(s0, { type: 'help' }).mode).toBe('help');
    expect(run(s0, { type: 'help' }, { type: 'help' }).mode).toBe('normal');
    expect(run(s0, { type: 'quit' }).quit).toBe(true);
  });
});

function fits(frame: string, cols: number, rows: number): void {
  const lines = plain(frame).split('\n');
  expect(lines.length).toBeLessThanOrEqual(rows);
  for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(cols);
}

describe('tui app (ink-testing-library)', () => {
  it('shows topology, events and detail in 80x24; n jumps to a drop and explains it', async () => {
    const d = load('scenarios/s2s-policy-based-selector-trap.yaml');
    const ui = render(<TuiApp {...d} size={{ columns: 80, rows: 24 }} />);
    let f = ui.lastFrame()!;
    fits(f, 80, 24);
    expect(f).toContain('topology');
    expect(f).toContain('gw1 policy-based Basic');
    expect(f).toContain('hq 192.168.0.0/16');
    expect(f).toContain('gw1-hq S2S no SA yet');
    expect(f).toContain('old-out#1');
    expect(f).toContain('detail');
    ui.stdin.write('n');
    await tick();
    f = ui.lastFrame()!;
    fits(f, 80, 24);
    expect(f).toContain('✗ DROP tunnel-down');
    expect(f).toContain('✗ dropped: tunnel-down');
    expect(f).toContain('Why: The packet was headed for a tunnel');
    expect(f).toContain('Fix: ');
    ui.unmount();
  });

  it('shows the matched route and the routes it beat, and follows a bigger terminal', async () => {
    const d = load('scenarios/s2s-route-based-multisite.yaml');
    const ui = render(<TuiApp {...d} size={{ columns: 120, rows: 40 }} />);
    ui.stdin.write('/');
    await tick();
    for (const ch of 'lpm#1 hub-gw route') {
      ui.stdin.write(ch);
      await tick();
    }
    ui.stdin.write('\r');
    await tick();
    const f = ui.lastFrame()!;
    fits(f, 120, 40);
    expect(f).toContain('route: 192.168.10.0/24 → ');
    expect(f).toContain('beat: 192.168.0.0/16');
    ui.unmount();
  });

  it('filters by flow, shows help, and shows a fault changing a connection state', async () => {
    const d = load('scenarios/expressroute-with-vpn.yaml');
    const ui = render(<TuiApp {...d} size={{ columns: 80, rows: 24 }} />);
    ui.stdin.write('f');
    await tick();
    expect(ui.lastFrame()).toContain('events: flow before');
    ui.stdin.write('f');
    await tick();
    ui.stdin.write('f');
    await tick();
    expect(ui.lastFrame()).toContain('events: flow during');
    // The circuit is down during the "during" flow.
    ui.stdin.write('l');
    await tick();
    expect(ui.lastFrame()).toMatch(/vnet-er ER DOWN/);
    ui.stdin.write('?');
    await tick();
    const help = ui.lastFrame()!;
    fits(help, 80, 24);
    expect(help).toContain('jump to the next drop');
    ui.unmount();
  });
});

describe('vgw tui, the built binary', () => {
  it('runs in a pseudo-terminal: keys in, screen text out, q quits with 0', () => {
    ensureBuilt();
    // Each key waits for the screen the previous one should have produced.
    const keys = [['topology', 'n'], ['dropped: tunnel-down', '?'], ['jump to the next drop', '?'], ['topology', 'f'], ['events: flow old-out', 'q']];
    const r = spawnSync('python3', [join(ROOT, 'test', 'support', 'pty-drive.py'), '80', '24', JSON.stringify(keys), '--', process.execPath, CLI, 'tui', 'scenarios/s2s-policy-based-selector-trap.yaml'], {
      cwd: ROOT, encoding: 'utf8', timeout: 30_000,
    });
    // python3 must be there (it is on every CI image): a missing tool fails, never skips.
    expect(r.error, 'python3 is required for the pseudo-terminal test').toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    const screen = plain(r.stdout);
    expect(screen).toContain('topology');
    expect(screen).toContain('gw1 policy-based Basic');
    expect(screen).toContain('✗ dropped: tunnel-down');    // after n
    expect(screen).toContain('jump to the next drop');      // after ?
    expect(screen).toContain('events: flow old-out');       // after f
    expect(r.stdout).toContain('\x1b[?1049l');                // left the alternate screen
    expect(screen.trimEnd().endsWith('EXIT 0')).toBe(true);
  });

  it('keys typed back to back are read in the mode each one leaves behind (no stale state)', () => {
    ensureBuilt();
    // '?' opens help, '?' closes it and 'f' filters, sent without waiting for a redraw.
    const keys = [['topology', '?'], ['', '?'], ['', 'f'], ['events: flow old-out', 'q']];
    const r = spawnSync('python3', [join(ROOT, 'test', 'support', 'pty-drive.py'), '80', '24', JSON.stringify(keys), '--', process.execPath, CLI, 'tui', 'scenarios/s2s-policy-based-selector-trap.yaml'], {
      cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, CI: 'true' },
    });
    expect(r.error, 'python3 is required for the pseudo-terminal test').toBeUndefined();
    const screen = plain(r.stdout);
    expect(screen).toContain('events: flow old-out');
    expect(screen.trimEnd().endsWith('EXIT 0')).toBe(true);
  });

  it('refuses to start without a terminal: one line on stderr, exit 2', () => {
    ensureBuilt();
    const r = spawnSync(process.execPath, [CLI, 'tui', 'scenarios/s2s-policy-based.yaml'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('vgw tui: needs an interactive terminal');
  });
});
