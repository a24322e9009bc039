/** `vgw import arm`: an ARM template (JSON) to a scenario. Flags, files and output only; the work is in sim/. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { importArm } from '../../sim/index.js';
import { diagnosticLine, OutputError, UsageError } from '../command.js';
import type { Io } from '../command.js';
import { printable } from '../printable.js';
import type { ImportSubcommand } from './import.js';

/** Largest template or parameters file read (ARM's own limit on a template is 4 MB). */
const MAX_TEMPLATE_BYTES = 4 * 1024 * 1024;

function readText(file: string, what: string): string {
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UsageError(`vgw import arm: cannot read ${what} ${file}: not a regular file`);
    if (st.size > MAX_TEMPLATE_BYTES) throw new UsageError(`${file}:1:1 TEMPLATE_INVALID ${file} is ${st.size} bytes; ARM templates are limited to 4 MiB`);
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as { code?: unknown } | null)?.code;
    throw new UsageError(`vgw import arm: cannot read ${what} ${file}: ${code === 'ENOENT' ? 'no such file; check the path' : code === 'EACCES' ? 'permission denied' : String(e)}`);
  }
}

/** `NAME=VALUE` pairs of --set, checked. */
function setPairs(v: unknown): [string, string][] {
  const list = v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v];
  return list.map((x) => {
    const s = String(x);
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UsageError(`vgw import arm: --set takes NAME=VALUE (a template parameter and its value), got "${s}"`);
    return [s.slice(0, eq), s.slice(eq + 1)];
  });
}

export const importArmCommand: ImportSubcommand = {
  summary: 'an Azure Resource Manager template (JSON; compile Bicep with bicep build first)',
  usage: 'vgw import arm TEMPLATE.json [--parameters FILE] [--set NAME=VALUE]... [-o FILE] [--explain]',
  help: [
    '  --parameters FILE  an ARM parameters file ({"parameters": {NAME: {"value": ...}}})',
    '  --set NAME=VALUE   a template parameter (repeatable; wins over the parameters file)',
    '  -o, --output FILE  write the YAML to FILE (default: standard output)',
    '  --explain          list what was mapped to what: each scenario path and its template element',
  ].join('\n'),
  options: ['parameters', 'set', 'output', 'explain'],
  run(positionals, values, io: Io): number {
    if (positionals.length === 0) throw new UsageError('vgw import arm: missing TEMPLATE.json (see vgw import --help)');
    if (positionals.length > 1) throw new UsageError(`vgw import arm: unexpected argument "${positionals[1]}" (see vgw import --help)`);
    const file = positionals[0] as string;
    if (/\.bicep$/i.test(file)) {
      throw new UsageError(`${file}:1:1 TEMPLATE_INVALID ${file} is a Bicep file; vgwsim reads the ARM JSON that Bicep compiles to (no Bicep compiler runs offline in Node): run \`bicep build ${file}\` (or \`az bicep build --file ${file}\`) and import the .json it writes`);
    }
    const paramsFile = typeof values['parameters'] === 'string' ? values['parameters'] : undefined;
    const output = typeof values['output'] === 'string' ? values['output'] : undefined;
    const result = importArm({
      template: { file, text: readText(file, 'the template') },
      ...(paramsFile === undefined ? {} : { parameters: { file: paramsFile, text: readText(paramsFile, 'the parameters file') } }),
      set: setPairs(values['set']),
      ...(output === undefined ? {} : { output }),
    });
    for (const d of result.diagnostics) io.err(diagnosticLine(d, io.style));
    if (values['explain'] === true) {
      const say = output === undefined ? io.err : io.out;
      const w = Math.max(0, ...result.explain.map((x) => x.path.length));
      say('what was mapped to what (scenario path <- template element):');
      for (const x of result.explain) say(printable(`  ${x.path.padEnd(w)}  <-  ${x.origin.element}  (${x.origin.file}:${x.origin.line}:${x.origin.column})`));
      for (const [path, why] of result.added) say(printable(`  ${path.padEnd(w)}  <-  added by vgw import: ${why}`));
    }
    if (result.yaml !== undefined) {
      if (output === undefined) io.out(result.yaml.replace(/\n$/, ''));
      else {
        try {
          writeFileSync(output, result.yaml);
        } catch (e) {
          throw new OutputError(`vgw import arm: cannot write ${output}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
    return result.errors > 0 ? 2 : 0;
  },
};
