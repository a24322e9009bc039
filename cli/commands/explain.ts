/** `vgw explain`: explain a drop reason or a diagnostic code to a learner. Flags and output only; the work is in sim/. */
import { explain, allExplanations } from '../../sim/index.js';
import { wrapText } from '../format.js';
import { COMMON, UsageError } from '../command.js';
import type { Command } from '../command.js';

export const explainCommand: Command = {
  summary: 'explain a drop reason or a diagnostic code to a learner',
  usage: 'vgw explain [CODE] [--no-color]',
  help: [
    'Explains a drop reason (no-route, tunnel-down, ...) or a diagnostic code (SCHEMA,',
    'SELECTOR_MISMATCH, ...): what it means, which part of the scenario is responsible,',
    'and how to fix it. Case does not matter. Without CODE, lists every code.',
    '',
    'Exit codes: 0 explained, 2 unknown code.',
  ].join('\n'),
  options: { ...COMMON },
  run({ positionals }, io) {
    if (positionals.length > 1) throw new UsageError(`vgw explain: one CODE at a time, got ${positionals.length} (see vgw explain --help)`);
    const code = positionals[0];
    if (code === undefined) {
      const all = allExplanations();
      const drops = all.filter((x) => x.kind === 'drop-reason');
      const dw = Math.max(...drops.map((e) => e.code.length));
      const w = Math.max(...all.map((e) => e.code.length));
      io.out(io.style.bold('drop reasons') + io.style.dim('  (why a packet was discarded)'));
      for (const e of drops) io.out(`  ${e.code.padEnd(dw)}  ${e.summary}`);
      io.out('');
      io.out(io.style.bold('diagnostic codes') + io.style.dim('  (what vgw validate reports)'));
      for (const e of all.filter((x) => x.kind === 'diagnostic')) io.out(`  ${e.code.padEnd(w)}  ${e.severity === 'warning' ? io.style.yellow('warning') : io.style.red('error  ')}  ${e.summary}`);
      io.out('');
      io.out(io.style.bold('IKE statuses') + io.style.dim('  (what vgw run reports per connection)'));
      for (const e of all.filter((x) => x.kind === 'ike-status')) io.out(`  ${e.code.padEnd(w)}  ${e.summary}`);
      io.out('');
      io.out(io.style.bold('IKE notifies') + io.style.dim('  (what a failed negotiation carries)'));
      for (const e of all.filter((x) => x.kind === 'ike-notify')) io.out(`  ${e.code.padEnd(w)}  ${e.summary}`);
      io.out('');
      io.out('Run `vgw explain CODE` for the full explanation.');
      return 0;
    }
    const r = explain(code);
    if (!('entry' in r)) {
      throw new UsageError(`vgw explain: unknown code "${code}"${r.suggestion ? `; did you mean ${r.suggestion}?` : ''} (vgw explain lists them all)`);
    }
    const e = r.entry;
    const kind = e.kind === 'drop-reason' ? 'drop reason' : e.kind === 'ike-status' ? 'IKE status of a connection'
      : e.kind === 'ike-notify' ? 'IKE notify' : `diagnostic code, ${e.severity ?? 'error'}`;
    io.out(io.style.bold(e.code) + io.style.dim(`  (${kind})`) + `: ${e.summary}`);
    io.out('');
    for (const l of wrapText(e.meaning, 78)) io.out(l);
    io.out('');
    io.out(io.style.bold('Responsible:'));
    for (const l of wrapText(e.responsible, 76)) io.out(`  ${l}`);
    io.out(io.style.bold('Fix:'));
    for (const l of wrapText(e.fix, 76)) io.out(`  ${l}`);
    return 0;
  },
};
