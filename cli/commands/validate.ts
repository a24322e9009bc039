/** `vgw validate`: check a scenario and print its diagnostics. Flags and output only; the work is in sim/. */
import { compileWorld, validateScenarioFile } from '../../sim/index.js';
import type { Scenario } from '../../sim/index.js';
import { COMMON, diagnosticLine, fileArg } from '../command.js';
import { jsonLine, printable } from '../printable.js';
import type { Command } from '../command.js';

export const validateCommand: Command = {
  summary: 'check a scenario and print its diagnostics',
  usage: 'vgw validate FILE [--json] [--no-color]',
  help: [
    'Loads and checks the scenario against the schema and the gateway rules (SKUs, VPN types,',
    'connection limits, overlaps, references). Prints FILE:LINE:COLUMN CODE message for each',
    'problem; warnings do not make the scenario invalid.',
    '',
    'Options:',
    '  --json       one JSON object per diagnostic, then {"type":"summary","errors":N,"warnings":N};',
    '               a valid scenario\'s summary also lists each selector list as compiled',
    '               ("lookups": node, selectors, strategy and why)',
    '  --no-color   no colours',
    '',
    'Exit codes: 0 valid (warnings allowed), 2 invalid.',
  ].join('\n'),
  options: { ...COMMON, json: { type: 'boolean' } },
  run({ values, positionals }, io) {
    const file = fileArg('validate', positionals);
    const json = values['json'] === true;
    const v = validateScenarioFile(file);
    if (json) {
      for (const d of v.diagnostics) io.out(jsonLine({ type: 'diagnostic', ...d }));
      const lookups = v.errors === 0 && v.scenario ? selectorLookups(v.scenario) : undefined;
      io.out(jsonLine({ type: 'summary', file, valid: v.errors === 0, errors: v.errors, warnings: v.warnings, ...(lookups ? { lookups } : {}) }));
    } else {
      for (const d of v.diagnostics) io.out(diagnosticLine(d, io.style));
      // A file that cannot be read is one line: the diagnostic says it all.
      const shown = printable(file);
      if (!v.unreadable) io.out(v.errors === 0
        ? io.style.green(`${shown}: valid`) + (v.warnings ? ` (${v.warnings} warning${v.warnings === 1 ? '' : 's'})` : '')
        : io.style.red(`${shown}: ${v.errors} error${v.errors === 1 ? '' : 's'}`) + (v.warnings ? `, ${v.warnings} warning${v.warnings === 1 ? '' : 's'}` : ''));
    }
    return v.errors === 0 ? 0 : 2;
  },
};

/** Each policy-based gateway's and device's selector list as compiled: its length, the classifier's strategy and the cost model's reason. */
function selectorLookups(s: Scenario): { node: string; selectors: number; strategy: string; choice: string }[] {
  const { world } = compileWorld(s);
  const nodes = [...world.gateways.map((g) => ({ node: g.name, policy: g.policy })), ...world.sites.map((x) => ({ node: x.device.name, policy: x.device.policy }))];
  return nodes.flatMap(({ node, policy }) => (policy ? [{ node, selectors: policy.classifier.size, strategy: policy.classifier.strategy, choice: policy.classifier.choice }] : []));
}
