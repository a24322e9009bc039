/** `vgw tui`: watch a scenario packet by packet in a terminal UI. Flags and output only; the work is in sim/. */
import { runScenario, CollectSink } from '../../sim/index.js';
import { COMMON, fileArg, intFlag, validScenario } from '../command.js';
import type { Command } from '../command.js';

export const tuiCommand: Command = {
  summary: 'watch a scenario packet by packet in a terminal UI',
  usage: 'vgw tui FILE [--trace-limit N]',
  help: [
    'Runs the scenario and opens a terminal UI with three panes: the topology (VNets,',
    'gateways with type and SKU, sites, connections and their state), the event list',
    '(virtual time, packet, hop, decision; drops in red) and the selected event\'s detail',
    '(headers, the route or selector that matched and what it beat, the SA, the drop',
    'reason explained). Needs a terminal of at least 80x24; follows resizes.',
    '',
    'Keys: → ← step (rewind to any earlier event), space play/pause, + - speed,',
    '      f filter by flow, n next drop, / search, ? help, q quit.',
    '',
    'Options:',
    '  --trace-limit N   trace the first N packets of each flow (default 100)',
    '',
    'Exit codes: 0 quit, 2 invalid scenario or not a terminal.',
  ].join('\n'),
  options: { ...COMMON, 'trace-limit': { type: 'string' } },
  async run({ values, positionals }, io) {
    const file = fileArg('tui', positionals);
    const traceLimit = intFlag('tui', 'trace-limit', values['trace-limit'], 1, 1_000_000) ?? 100;
    if (!process.stdout.isTTY || !process.stdin.isTTY) {
      io.err('vgw tui: needs an interactive terminal (stdin and stdout must be a TTY); use vgw run for text output');
      return 2;
    }
    const scenario = validScenario(file, io, false);
    if (!scenario) return 2;
    const sink = new CollectSink();
    const result = runScenario(scenario, { sink, traceLimit });
    // Loaded only here: the other commands never pay for React.
    // Ink draws only the last frame when it believes it runs in CI (is-in-ci reads CI when
    // ink loads). Here both ends are a terminal, so a person is watching: draw every frame.
    delete process.env['CI'];
    delete process.env['CONTINUOUS_INTEGRATION'];
    const [{ render }, { createElement }, { TuiApp }] = await Promise.all([import('ink'), import('react'), import('../tui/app.js')]);
    process.stdout.write('\x1b[?1049h\x1b[H'); // the alternate screen: the shell's scrollback stays as it was
    try {
      const app = render(createElement(TuiApp, { scenario: scenario, result, events: sink.events }), { exitOnCtrlC: false });
      await app.waitUntilExit();
    } finally {
      process.stdout.write('\x1b[?1049l');
    }
    return 0;
  },
};
