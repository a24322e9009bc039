/** `vgw lab`: teaching labs: list them, start one, check your work. Flags and output only; the work is in sim/. */
import { dirname, join, relative } from 'node:path';
import { validateScenarioFile, gradeLab, MAX_LAB_VARIANT } from '../../sim/index.js';
import { listLabs, findLab, startLab, readLabMarker } from '../labs.js';
import { labReport } from '../lab-report.js';
import { existsSync, statSync } from 'node:fs';
import { COMMON, UsageError, intFlag, printDiagnostics, str } from '../command.js';
import { printable } from '../printable.js';
import type { Command } from '../command.js';

export const labCommand: Command = {
  summary: 'teaching labs: list them, start one, check your work',
  usage: 'vgw lab list | vgw lab start NN [DIR] [--variant N] | vgw lab check [DIR|FILE] [--no-color] | vgw lab report DIR... [--csv FILE]',
  help: [
    'Labs are small broken or unfinished scenarios with goals; each builds on the one before.',
    '',
    '  vgw lab list             the labs, in order',
    '  vgw lab start NN [DIR]   copy lab NN (README.md and lab.yaml) to DIR (default ./lab-NN);',
    '                           refuses to overwrite files that are already there',
    `      --variant N          the same lesson with other private addresses and prefixes (N from`,
    `                           1 to ${MAX_LAB_VARIANT.toLocaleString('en-US')}; 0, the default: as written), so each student of a class`,
    '                           gets numbers of their own; DIR/.vgw-lab.json records lab and variant',
    '  vgw lab check [DIR]      grade DIR/lab.yaml (default ./lab.yaml): each goal passed or',
    '                           failed, with its hint, and a score',
    '  vgw lab report DIR...    grade a class: every lab folder in DIR (DIR itself or its',
    '                           subfolders, one per student), a line each (lab, variant, score,',
    '                           failed goals), then per lab how many finished and which goals failed',
    '      --csv FILE           also write the lines as CSV to FILE',
    '',
    'Exit codes: 0 every goal passed (report: it ran), 1 a goal failed, 2 the scenario is invalid or bad input.',
  ].join('\n'),
  options: { ...COMMON, variant: { type: 'string' }, csv: { type: 'string' } },
  run({ values, positionals }, io) {
    const [sub, ...args] = positionals;
    // Each flag belongs to one subcommand: elsewhere it is refused, never ignored.
    if (values['variant'] !== undefined && sub !== 'start') throw new UsageError('vgw lab: --variant goes with vgw lab start');
    if (values['csv'] !== undefined && sub !== 'report') throw new UsageError('vgw lab: --csv goes with vgw lab report');
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
      const variant = intFlag('lab start', 'variant', values['variant'], 0, MAX_LAB_VARIANT) ?? 0;
      const dest = dir ?? `lab-${lab.id}`;
      const res = startLab(lab, dest, variant);
      if ('error' in res) throw new UsageError(`vgw lab start: ${res.error}`);
      io.out(`${io.style.bold(`Lab ${lab.id}`)}: ${lab.title}${variant === 0 ? '' : ` (variant ${variant})`}`);
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
      const marker = readLabMarker(dirname(file));
      const variant = marker && marker.variant !== 0 ? `, variant ${marker.variant}` : '';
      io.out(io.style.bold(printable(v.scenario!.name)) + io.style.dim(printable(`  (${relative('.', file) || file}${variant})`)));
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
    if (sub === 'report') {
      if (args.length === 0) throw new UsageError('vgw lab report: missing DIR (a class folder, or students\' lab folders)');
      return labReport(args, str(values['csv']), io);
    }
    throw new UsageError(sub === undefined ? 'vgw lab: missing a subcommand: list, start, check or report (see vgw lab --help)' : `vgw lab: unknown subcommand "${sub}" (list, start, check, report)`);
  },
};
