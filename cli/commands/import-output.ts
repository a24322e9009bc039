/** What every `vgw import` subcommand does with its result: diagnostics, --explain, the YAML to stdout or -o FILE, the exit code. */
import { writeFileSync } from 'node:fs';
import type { ArmImport } from '../../sim/index.js';
import { diagnosticLine, OutputError } from '../command.js';
import type { Io } from '../command.js';
import { printable } from '../printable.js';

/** Print `result` as `command` (e.g. `vgw import arm`); `element` names a source element in the --explain title. */
export function reportImport(command: string, element: string, result: ArmImport, values: Record<string, unknown>, io: Io): number {
  const output = typeof values['output'] === 'string' ? values['output'] : undefined;
  for (const d of result.diagnostics) io.err(diagnosticLine(d, io.style));
  if (values['explain'] === true) {
    const say = output === undefined ? io.err : io.out;
    const w = Math.max(0, ...result.explain.map((x) => x.path.length));
    say(`what was mapped to what (scenario path <- ${element}):`);
    for (const x of result.explain) say(printable(`  ${x.path.padEnd(w)}  <-  ${x.origin.element}  (${x.origin.file}:${x.origin.line}:${x.origin.column})`));
    for (const [path, why] of result.added) say(printable(`  ${path.padEnd(w)}  <-  added by ${command}: ${why}`));
  }
  if (result.yaml !== undefined) {
    if (output === undefined) io.out(result.yaml.replace(/\n$/, ''));
    else {
      try {
        writeFileSync(output, result.yaml);
      } catch (e) {
        throw new OutputError(`${command}: cannot write ${output}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  return result.errors > 0 ? 2 : 0;
}
