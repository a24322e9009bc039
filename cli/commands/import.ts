/**
 * `vgw import`: configurations people already have, turned into scenarios. One subcommand
 * per kind of source (a table: `vgw import SOURCE ...`); each names the flags it takes, and
 * a flag of another subcommand is refused.
 */
import { COMMON, UsageError } from '../command.js';
import type { Command, Io } from '../command.js';
import { importArmCommand } from './import-arm.js';
import { IMPORT_DEVICE_HELP, IMPORT_DEVICE_OPTIONS, IMPORT_DEVICE_USAGE, runImportDevice } from './import-device.js';
import { importTerraformCommand } from './import-terraform.js';

export interface ImportSubcommand {
  readonly summary: string;
  readonly usage: string;
  /** Its options, one line each, for `vgw import --help`. */
  readonly help: string;
  /** The names of the import command's options this subcommand takes. */
  readonly options: readonly string[];
  run(positionals: readonly string[], values: Record<string, unknown>, io: Io): number | Promise<number>;
}

/** The subcommands, in the order `vgw import --help` lists them. */
const SUBCOMMANDS: Readonly<Record<string, ImportSubcommand>> = {
  arm: importArmCommand,
  device: {
    summary: "an on-premises VPN device's configuration (Cisco IOS, Cisco ASA, strongSwan) as a site's device: section",
    usage: IMPORT_DEVICE_USAGE,
    help: IMPORT_DEVICE_HELP,
    options: Object.keys(IMPORT_DEVICE_OPTIONS),
    run: (positionals, values, io) => runImportDevice(values as Record<string, string | boolean | undefined>, positionals, io),
  },
  terraform: importTerraformCommand,
};

export const importCommand: Command = {
  summary: 'turn an ARM template, a Terraform directory or a VPN device configuration into a scenario',
  usage: 'vgw import SOURCE FILE|DIR [options]',
  help: [
    'Reads a configuration you already have and writes a scenario (YAML, to standard output',
    'or -o FILE) whose comments name the source element of each object; diagnostics point at',
    'the source file\'s line and column.',
    '',
    'Sources:',
    ...Object.entries(SUBCOMMANDS).flatMap(([k, s]) => [`  ${k.padEnd(10)}  ${s.summary}`, `    ${s.usage}`, s.help.replace(/^/gm, '  '), '']),
    'Exit codes: 0 imported (warnings allowed), 2 bad input (the message names FILE:LINE:COLUMN).',
  ].join('\n'),
  options: {
    ...COMMON, ...IMPORT_DEVICE_OPTIONS,
    parameters: { type: 'string' }, set: { type: 'string', multiple: true }, var: { type: 'string', multiple: true }, 'var-file': { type: 'string', multiple: true },
    output: { type: 'string', short: 'o' }, explain: { type: 'boolean' },
  },
  run({ values, positionals }, io) {
    const [source, ...rest] = positionals;
    if (source === undefined) throw new UsageError(`vgw import: missing SOURCE (${Object.keys(SUBCOMMANDS).join(', ')}); see vgw import --help`);
    const sub = Object.hasOwn(SUBCOMMANDS, source) ? SUBCOMMANDS[source] : undefined;
    if (!sub) throw new UsageError(`vgw import: unknown source "${source}" (sources: ${Object.keys(SUBCOMMANDS).join(', ')}); see vgw import --help`);
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined || k === 'help' || k === 'no-color') continue;
      if (!sub.options.includes(k)) throw new UsageError(`vgw import ${source}: --${k} is not an option of this source (see vgw import --help)`);
    }
    return sub.run(rest, values, io);
  },
};
