/** `vgw diff`: run two scenarios and list what changed between them. Flags and output only; the work is in sim/. */
import { DEFAULT_CRYPTO, diffDocument, diffLines, diffScenarios, escapeControls, validateScenarioFile } from '../../sim/index.js';
import type { DiffLine } from '../../sim/index.js';
import { printable } from '../printable.js';
import { COMMON, UsageError, intFlag, printDiagnostics } from '../command.js';
import type { Command, Io } from '../command.js';

function styled(l: DiffLine, io: Io): string {
  const t = printable(l.text);
  switch (l.tone) {
    case 'title': return io.style.bold(t);
    case 'before': return io.style.red(t);
    case 'after': return io.style.green(t);
    case 'note': return io.style.dim(t);
    default: return t;
  }
}

export const diffCommand: Command = {
  summary: 'run two scenarios and list the flows, IKE statuses and settings that changed',
  usage: 'vgw diff A B [--json] [--seed N] [--trace-limit N] [--no-color]',
  help: [
    'Runs scenario A and scenario B, each on its own traffic, matches their flows by id and',
    'lists the flows whose outcome or path changed: the outcome before and after, the first',
    'hop that differs (A\'s path from there marked -, B\'s +), the packet counts that changed',
    'and the configuration change responsible. Then the connections whose IKE status changed,',
    'and every configuration change (objects added, removed, or changed by field, with their',
    'file:line:column), including those that changed no flow, the expectations whose result',
    'changed and the warnings that appeared or went. A flow only in A or only in B is listed as',
    'removed or added with its outcome.',
    '',
    'Options:',
    '  --json            one JSON document (schema vgwsim-diff/1): flows, first differing hops,',
    '                    responsible changes, IKE statuses, configuration changes, expectations',
    '                    and warnings',
    '  --seed N          run both scenarios with seed N instead of their own',
    '  --trace-limit N   compare the first N packets of each flow hop by hop (default 1000);',
    '                    every packet is counted',
    '  --no-color        no colours',
    '',
    'Exit codes: 0 no difference, 1 differences, 2 bad input (either scenario invalid: its',
    'diagnostics at file:line:column).',
  ].join('\n'),
  options: { ...COMMON, json: { type: 'boolean' }, seed: { type: 'string' }, 'trace-limit': { type: 'string' } },
  run({ values, positionals }, io) {
    if (positionals.length < 2) throw new UsageError(`vgw diff: needs two scenario files, A and B, got ${positionals.length} (see vgw diff --help)`);
    if (positionals.length > 2) throw new UsageError(`vgw diff: unexpected argument "${positionals[2]}" (see vgw diff --help)`);
    const seed = intFlag('diff', 'seed', values['seed'], 0, 4294967295);
    const traceLimit = intFlag('diff', 'trace-limit', values['trace-limit'], 0, 1_000_000) ?? 1000;
    const json = values['json'] === true;
    // Both files are checked before either runs, so every error of both is shown at once;
    // their warnings are compared, not printed.
    const [va, vb] = [validateScenarioFile(positionals[0]!), validateScenarioFile(positionals[1]!)];
    printDiagnostics([...va.diagnostics, ...vb.diagnostics].filter((x) => x.severity === 'error'), io, json);
    if (!va.scenario || !vb.scenario) return 2;
    const warnings = { a: va.diagnostics.filter((x) => x.severity === 'warning'), b: vb.diagnostics.filter((x) => x.severity === 'warning') };
    const d = diffScenarios(va.scenario, vb.scenario, { crypto: DEFAULT_CRYPTO, traceLimit, warnings, ...(seed !== undefined ? { seed } : {}) });
    // Indented; each line escaped as jsonLine escapes (the line breaks are the document's own).
    if (json) for (const line of JSON.stringify(diffDocument(d), null, 2).split('\n')) io.out(escapeControls(line));
    else for (const l of diffLines(d)) io.out(styled(l, io));
    return d.differs ? 1 : 0;
  },
};
