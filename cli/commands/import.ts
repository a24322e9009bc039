/**
 * `vgw import`: bring a configuration people already have into vgwsim, one subcommand per
 * kind of source. The subcommand table holds each one's usage, help and flags; `vgw import`
 * declares the union of the flags and refuses one that its subcommand does not take.
 */
import { COMMON, UsageError } from '../command.js';
import type { Command, Io } from '../command.js';
import { IMPORT_DEVICE_HELP, IMPORT_DEVICE_OPTIONS, IMPORT_DEVICE_USAGE, runImportDevice } from './import-device.js';

interface Subcommand {
  readonly usage: string;
  readonly help: string;
  readonly options: Readonly<Record<string, unknown>>;
  run(values: Record<string, string | boolean | undefined>, args: readonly string[], io: Io): number;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  device: { usage: IMPORT_DEVICE_USAGE, help: IMPORT_DEVICE_HELP, options: IMPORT_DEVICE_OPTIONS, run: runImportDevice },
};

export const importCommand: Command = {
  summary: 'import a device configuration (Cisco IOS/ASA, strongSwan) into a scenario',
  usage: Object.values(SUBCOMMANDS).map((s) => s.usage).join('\n       '),
  help: Object.values(SUBCOMMANDS).map((s) => s.help).join('\n\n'),
  options: { ...COMMON, ...IMPORT_DEVICE_OPTIONS },
  run({ values, positionals }, io) {
    const [sub, ...args] = positionals;
    const s = sub !== undefined && Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub]! : undefined;
    if (!s) throw new UsageError(sub === undefined ? `vgw import: missing what to import: ${Object.keys(SUBCOMMANDS).join(', ')} (see vgw import --help)` : `vgw import: unknown source "${sub}" (${Object.keys(SUBCOMMANDS).join(', ')})`);
    for (const k of Object.keys(values)) {
      if (!Object.hasOwn(s.options, k) && !Object.hasOwn(COMMON, k)) throw new UsageError(`vgw import ${sub}: --${k} is not an option of this source (see vgw import --help)`);
    }
    return s.run(values, args, io);
  },
};
