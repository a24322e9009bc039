/** `vgw bench`: time the hot paths (LPM, classifier, forwarding, ESP) against baselines. Flags and output only; the work is in sim/. */
import { BENCH_HELP, runBench } from '../bench/command.js';
import { COMMON, version, str } from '../command.js';
import type { Command } from '../command.js';

export const benchCommand: Command = {
  summary: 'time the hot paths (LPM, classifier, forwarding, ESP) against baselines',
  usage: 'vgw bench [SUITE...] [--json] [--quick] [--sizes N,N] [--seed N] [--reps N] [--workers N] [--inside SHARE] [--table FILE [--table-format F] | --selectors FILE] [--addresses FILE]',
  help: BENCH_HELP,
  options: {
    ...COMMON, json: { type: 'boolean' }, quick: { type: 'boolean' }, sizes: { type: 'string' }, seed: { type: 'string' },
    reps: { type: 'string' }, workers: { type: 'string' }, table: { type: 'string' }, 'table-format': { type: 'string' }, inside: { type: 'string' }, selectors: { type: 'string' }, addresses: { type: 'string' },
  },
  run({ values, positionals }, io) {
    return runBench({
      positionals, json: values['json'] === true, quick: values['quick'] === true,
      sizes: str(values['sizes']),
      seed: str(values['seed']),
      reps: str(values['reps']),
      workers: str(values['workers']),
      table: str(values['table']),
      tableFormat: str(values['table-format']),
      inside: str(values['inside']),
      selectors: str(values['selectors']),
      addresses: str(values['addresses']),
    }, {
      out: io.out,
      progress: process.stderr.isTTY ? (t) => process.stderr.write(t) : null,
      version: version(),
    });
  },
};
