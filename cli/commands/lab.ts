/** `vgw lab`: teaching labs: list them, start one, check your work. Flags and output only; the work is in sim/. */
import { join, relative } from 'node:path';
import { validateScenarioFile, gradeLab } from '../../sim/index.js';
import { listLabs, findLab, startLab } from '../labs.js';
import { existsSync, statSync } from 'node:fs';
import { COMMON, UsageError, printDiagnostics } from '../command.js';
import { printable } from '../printable.js';
import type { Command } from '../command.js';

export const labCommand: Command = {
  summary: 'teaching labs: list them, start one, check your work',
  usage: 'vgw lab list | vgw lab start NN [DIR] | vgw lab check [DIR|FILE] [--no-color]',
  help: [
    'Labs are small broken or unfinished scenarios with goals; each builds on the one before.',
    '',
    '  vgw lab list             the labs, in order',
    '  vgw lab start NN [DIR]   copy lab NN (README.md and lab.yaml) to DIR (default ./lab-NN);',
    '                           refuses to overwrite files that are already there',
    '  vgw lab check [DIR]      grade DIR/lab.yaml (default ./lab.yaml): each goal passed or',
    '                           failed, with its hint, and a score',
    '',
    'Exit codes: 0 every goal passed, 1 a goal failed, 2 the scenario is invalid or bad input.',
  ].join('\n'),
  options: { ...COMMON },
  run({ positionals }, io) {
    const [sub, ...args] = positionals;
    if (sub === 'list') {
      if (args.length) throw new UsageError(`vgw lab list: unexpected argument "${args[0]}"`);
      const labs = listLabs();
      if (labs.length === 0) throw new UsageError('vgw lab list: no labs found (the scenarios/labs folder is missing)');
      for (const l of labs) io.out(`  ${io.style.bold(l.id)}  ${l.title}`);
      io.out('');
      io.out('Start one with `vgw lab start NN`, then edit lab.yaml and run `vgw lab check`.');
      return 0;
    }
    if (sub === 'start') {
      const [which, dir, extra] = args;
      if (which === undefined) throw new UsageError('vgw lab start: missing the lab number (see vgw lab list)');
      if (extra !== undefined) throw new UsageError(`vgw lab start: unexpected argument "${extra}"`);
      const lab = findLab(which);
      if (!lab) throw new UsageError(`vgw lab start: no lab "${which}" (labs: ${listLabs().map((l) => l.id).join(', ')})`);
      const dest = dir ?? `lab-${lab.id}`;
      const res = startLab(lab, dest);
      if ('error' in res) throw new UsageError(`vgw lab start: ${res.error}`);
      io.out(`${io.style.bold(`Lab ${lab.id}`)}: ${lab.title}`);
      for (const f of res.copied) io.out(printable(`  created ${f}`));
      io.out('');
      io.out(printable(`Read ${join(dest, 'README.md')}, edit ${join(dest, 'lab.yaml')}, then: vgw lab check ${dest}`));
      return 0;
    }
    if (sub === 'check') {
      const [target = '.', extra] = args;
      if (extra !== undefined) throw new UsageError(`vgw lab check: unexpected argument "${extra}"`);
      const file = existsSync(target) && statSync(target).isDirectory() ? join(target, 'lab.yaml') : target;
      if (!existsSync(file)) throw new UsageError(`vgw lab check: ${file} not found (start a lab with vgw lab start NN)`);
      const v = validateScenarioFile(file);
      const g = gradeLab(v);
      printDiagnostics(v.diagnostics, io, false);
      if (!g.valid) {
        io.out(io.style.red(printable(`${file}: the scenario is invalid (${v.errors} error${v.errors === 1 ? '' : 's'}); fix the diagnostics above, then check again`)));
        return 2;
      }
      io.out(io.style.bold(printable(v.scenario!.name)) + io.style.dim(printable(`  (${relative('.', file) || file})`)));
      // Goal messages and hints come from the learner's file: escaped where they are printed.
      for (const goal of g.goals) {
        io.out(`  ${goal.passed ? io.style.green('✓') : io.style.red('✗')} ${printable(`goal ${goal.n}: ${goal.message}`)}`);
        if (!goal.passed && goal.hint) io.out(io.style.yellow(printable(`      hint: ${goal.hint}`)));
      }
      io.out('');
      const score = `score: ${g.passed}/${g.total} goal${g.total === 1 ? '' : 's'}`;
      io.out(g.complete ? io.style.green(`${score}: lab complete`) : io.style.red(`${score}: not yet`));
      return g.complete ? 0 : 1;
    }
    throw new UsageError(sub === undefined ? 'vgw lab: missing a subcommand: list, start or check (see vgw lab --help)' : `vgw lab: unknown subcommand "${sub}" (list, start, check)`);
  },
};
