/**
 * What every command of the command line shares: the Command shape, the output channels,
 * usage errors, and the small argument and output helpers. Thin by design.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { formatDiagnostic, CRYPTO_BACKEND_NAMES, cryptoBackendProblem, DEFAULT_CRYPTO, MAX_SECONDS, MAX_SECONDS_TEXT, validateScenarioFile } from '../sim/index.js';
import type { CryptoBackendName, Diagnostic, Scenario } from '../sim/index.js';
import { jsonLine, printable } from './printable.js';
import type { Style } from './style.js';

export type Out = (line: string) => void;

export interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly help: string;
  readonly options: NonNullable<Parameters<typeof parseArgs>[0]>['options'];
  run(args: { values: Record<string, string | boolean | undefined>; positionals: string[] }, io: Io): number | Promise<number>;
}

export interface Io {
  readonly out: Out;
  readonly err: Out;
  readonly style: Style;
}

export const COMMON = {
  help: { type: 'boolean', short: 'h' },
  'no-color': { type: 'boolean' },
} as const;

/** Bad input from the user (a flag, a file, a scenario): one line, exit code 2. */
export class UsageError extends Error {}

/** Output that could not be written (a full disk, a closed file): one line, exit code 74 (EX_IOERR). */
export class OutputError extends Error {}

export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function fileArg(cmd: string, positionals: string[]): string {
  if (positionals.length === 0) throw new UsageError(`vgw ${cmd}: missing FILE (see vgw ${cmd} --help)`);
  if (positionals.length > 1) throw new UsageError(`vgw ${cmd}: unexpected argument "${positionals[1]}" (see vgw ${cmd} --help)`);
  return positionals[0]!;
}

export function intFlag(cmd: string, name: string, v: string | boolean | undefined, lo: number, hi: number): number | undefined {
  if (v === undefined || typeof v === 'boolean') return undefined;
  if (!/^\d+$/.test(v) || Number(v) < lo || Number(v) > hi) throw new UsageError(`vgw ${cmd}: --${name} must be a whole number from ${lo} to ${hi}, got "${v}"`);
  return Number(v);
}

/** A flag of seconds: a decimal number (no sign, no exponent) from 0 to sim's MAX_SECONDS, the longest time a scenario may give. */
export function secondsFlag(cmd: string, name: string, v: string | boolean | undefined): number | undefined {
  if (v === undefined || typeof v === 'boolean') return undefined;
  if (!/^\d+(\.\d+)?$/.test(v) || Number(v) > MAX_SECONDS) {
    throw new UsageError(`vgw ${cmd}: --${name} must be a number of seconds from 0 to ${MAX_SECONDS_TEXT}, got "${v}"`);
  }
  return Number(v);
}

export function cryptoFlag(cmd: string, v: string | boolean | undefined): CryptoBackendName {
  if (v === undefined || typeof v === 'boolean') return DEFAULT_CRYPTO.name;
  if (!(CRYPTO_BACKEND_NAMES as readonly string[]).includes(v)) throw new UsageError(`vgw ${cmd}: --crypto must be ${CRYPTO_BACKEND_NAMES.join(', ')}, got "${v}"`);
  const problem = cryptoBackendProblem(v);
  if (problem) throw new UsageError(`vgw ${cmd}: --crypto ${v}: ${problem}`);
  return v as CryptoBackendName;
}

export function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * A diagnostic as its FILE:LINE:COLUMN CODE message line, red for an error, yellow for a
 * warning. sim escaped the message; the file name, as the user gave it, is escaped here.
 */
export function diagnosticLine(d: Diagnostic, st: Style): string {
  const line = formatDiagnostic({ ...d, file: printable(d.file) });
  return d.severity === 'error' ? st.red(line) : st.yellow(line);
}

export function printDiagnostics(ds: readonly Diagnostic[], io: Io, json: boolean): void {
  for (const d of ds) {
    if (json) io.out(jsonLine({ type: 'diagnostic', ...d }));
    else io.err(diagnosticLine(d, io.style));
  }
}

/**
 * The scenario in `file` when it is valid, else undefined with its errors printed: the
 * start of every command that needs a scenario but not its warnings.
 */
export function validScenario(file: string, io: Io, json: boolean): Scenario | undefined {
  const v = validateScenarioFile(file);
  printDiagnostics(v.diagnostics.filter((d) => d.severity === 'error'), io, json);
  return v.scenario;
}
