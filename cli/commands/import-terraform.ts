/**
 * `vgw import terraform DIR`: a Terraform configuration (azurerm) to a scenario. Reads the
 * files (the root module's *.tf, terraform.tfvars, *.auto.tfvars, --var-file; local modules'
 * directories on demand), checks their HCL syntax with @cdktf/hcl2json, writes the output;
 * the import itself is in sim/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { importTerraform } from '../../sim/index.js';
import { UsageError } from '../command.js';
import type { Io } from '../command.js';
import { reportImport } from './import-output.js';
import type { ImportSubcommand } from './import.js';

/** Largest .tf or .tfvars file read. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

interface SourceText {
  readonly file: string;
  readonly text: string;
}

function readText(file: string, what: string): SourceText {
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UsageError(`vgw import terraform: cannot read ${what} ${file}: not a regular file`);
    if (st.size > MAX_FILE_BYTES) throw new UsageError(`${file}:1:1 TEMPLATE_INVALID ${file} is ${st.size} bytes; vgw import reads files of at most 4 MiB`);
    return { file, text: readFileSync(file, 'utf8') };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as { code?: unknown } | null)?.code;
    throw new UsageError(`vgw import terraform: cannot read ${what} ${file}: ${code === 'ENOENT' ? 'no such file; check the path' : code === 'EACCES' ? 'permission denied' : String(e)}`);
  }
}

/** The names in `dir` that end with `suffix`, sorted as Terraform reads them. */
function namesIn(dir: string, suffix: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith(suffix)).sort();
}

/** The *.tf files of module directory `dir`, or why they cannot be read. */
function moduleFiles(dir: string): SourceText[] | string {
  try {
    if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
    const names = namesIn(dir, '.tf');
    if (names.length === 0) return `${dir} has no *.tf files`;
    return names.map((n) => readText(join(dir, n), 'the module file'));
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    return `cannot read the module directory ${dir}: ${(e as { code?: unknown } | null)?.code === 'ENOENT' ? 'no such directory' : String(e)}`;
  }
}

/** `file:line,col-...: message` of the HCL library as FILE:LINE:COL TEMPLATE_INVALID message. */
function syntaxError(file: string, e: unknown): UsageError {
  const text = e instanceof Error ? e.message : String(e);
  const m = /([^\s[]+):(\d+),(\d+)(?:-\d+(?:,\d+)?)?: ([^\]]*)/.exec(text);
  if (m) return new UsageError(`${m[1] as string}:${m[2] as string}:${m[3] as string} TEMPLATE_INVALID ${(m[4] as string).trim()} (HCL syntax)`);
  return new UsageError(`${file}:1:1 TEMPLATE_INVALID ${text}`);
}

async function checkSyntax(files: readonly SourceText[]): Promise<void> {
  for (const f of files) {
    try {
      await parseHcl(f.file, f.text);
    } catch (e) {
      throw syntaxError(f.file, e);
    }
  }
}

function list(v: unknown): string[] {
  return v === undefined ? [] : Array.isArray(v) ? (v as unknown[]).map(String) : [String(v)];
}

export const importTerraformCommand: ImportSubcommand = {
  summary: 'a Terraform configuration directory of azurerm resources (*.tf, *.tfvars, local modules)',
  usage: 'vgw import terraform DIR [--var NAME=VALUE]... [--var-file FILE]... [-o FILE] [--explain]',
  help: [
    '  --var NAME=VALUE   a variable value (repeatable; wins over every variables file)',
    '  --var-file FILE    a variables file read after terraform.tfvars and *.auto.tfvars (repeatable)',
    '  -o, --output FILE  write the YAML to FILE (default: standard output)',
    '  --explain          list what was mapped to what: each scenario path and its Terraform attribute',
  ].join('\n'),
  options: ['var', 'var-file', 'output', 'explain'],
  async run(positionals, values, io: Io): Promise<number> {
    if (positionals.length === 0) throw new UsageError('vgw import terraform: missing DIR, the Terraform configuration directory (see vgw import --help)');
    if (positionals.length > 1) throw new UsageError(`vgw import terraform: unexpected argument "${positionals[1]}" (see vgw import --help)`);
    const dir = positionals[0] as string;
    let tfNames: string[];
    let varNames: string[];
    try {
      if (!statSync(dir).isDirectory()) throw new UsageError(`vgw import terraform: ${dir} is not a directory; give the directory that holds the *.tf files`);
      tfNames = namesIn(dir, '.tf');
      varNames = [...namesIn(dir, 'terraform.tfvars').filter((n) => n === 'terraform.tfvars'), ...namesIn(dir, '.auto.tfvars')];
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`vgw import terraform: cannot read the directory ${dir}: ${(e as { code?: unknown } | null)?.code === 'ENOENT' ? 'no such directory; check the path' : String(e)}`);
    }
    const vars = list(values['var']).map((s): [string, string] => {
      const eq = s.indexOf('=');
      if (eq <= 0) throw new UsageError(`vgw import terraform: --var takes NAME=VALUE (a Terraform variable and its value), got "${s}"`);
      return [s.slice(0, eq), s.slice(eq + 1)];
    });
    const files = tfNames.map((n) => readText(join(dir, n), 'the Terraform file'));
    const varFiles = [...varNames.map((n) => readText(join(dir, n), 'the variables file')), ...list(values['var-file']).map((f) => readText(f, 'the variables file'))];
    await checkSyntax([...files, ...varFiles]);
    const output = typeof values['output'] === 'string' ? values['output'] : undefined;
    const modules = new Map<string, SourceText[] | string>();
    const readDir = (d: string): SourceText[] | string => {
      if (!modules.has(d)) modules.set(d, moduleFiles(d));
      return modules.get(d) as SourceText[] | string;
    };
    // Local modules are read on demand by the import; their syntax is checked first, once each.
    const preload = async (d: string): Promise<void> => {
      const got = readDir(d);
      if (typeof got !== 'string') await checkSyntax(got);
    };
    const result = importTerraform({ dir, files, varFiles, vars, readDir, ...(output === undefined ? {} : { output }) });
    for (const d of modules.keys()) await preload(d);
    return reportImport('vgw import terraform', 'Terraform attribute', result, values, io);
  },
};
