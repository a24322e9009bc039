/**
 * `vgw import device`: a VPN device's configuration to a site's `device:` section, printed
 * or merged into a scenario. Reads the files and writes the output; the work is in sim/
 * (importDevice). Findings go to stderr as FILE:LINE:COLUMN CODE message; any error
 * (a malformed line, no tunnel, an ambiguous peer, an invalid merged scenario) writes
 * nothing and exits 2.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { bytesProblem, DEVICE_VENDORS, formatFinding, importDevice } from '../../sim/index.js';
import type { DeviceVendor, ImportFinding, SourceFile } from '../../sim/index.js';
import { diagnosticLine, OutputError, str, UsageError } from '../command.js';
import type { Io } from '../command.js';
import { printable } from '../printable.js';

/** The largest file read (the scenario loader's limit). */
const MAX_BYTES = 1024 * 1024;

export const IMPORT_DEVICE_OPTIONS = {
  vendor: { type: 'string' },
  site: { type: 'string' },
  scenario: { type: 'string' },
  output: { type: 'string', short: 'o' },
  peer: { type: 'string' },
  secrets: { type: 'string' },
  explain: { type: 'boolean' },
} as const;

export const IMPORT_DEVICE_USAGE = 'vgw import device FILE --vendor cisco-ios|cisco-asa|strongswan [--site NAME] [--scenario FILE] [-o FILE] [--peer ADDRESS] [--secrets FILE] [--explain]';

export const IMPORT_DEVICE_HELP = [
  'vgw import device: reads the configuration of an on-premises VPN device and writes the',
  "site's device: section (VPN type, pre-shared key, access list or routes, IKE settings),",
  'each value with a comment naming the configuration line it came from.',
  '',
  '  --vendor V       cisco-ios (IOS, IOS XE: crypto maps, VTIs), cisco-asa, or strongswan',
  '                   (swanctl.conf or ipsec.conf)',
  '  --scenario FILE  merge into this scenario: the site\'s device section is replaced or',
  '                   added, the rest of the file is kept as it is; the result is validated',
  '  --site NAME      the site to merge into (default: the scenario\'s only site)',
  '  -o, --output F   write there (default: standard output); may be the scenario itself',
  '  --peer ADDRESS   the Azure gateway address to import, when the device has several peers',
  '                   (with --scenario, the gateway connected to the site is found by itself)',
  '  --secrets FILE   ipsec.secrets for an ipsec.conf (default: ipsec.secrets beside FILE)',
  '  --explain        list on stderr which configuration line became which scenario value',
  '',
  'What the configuration says that vgwsim does not model is named on stderr (NOT_MODELLED,',
  'NOT_VPN), never dropped silently. A diagnostic of the merged scenario about the device',
  'points at the configuration line.',
  '',
  'Exit codes: 0 written (warnings allowed), 2 bad input: a malformed line, no tunnel, several',
  'peers and no --peer, an unknown site, or a merged scenario that is invalid.',
].join('\n');

/** A file's text, or a usage error that says why not. */
function readText(flag: string, file: string): SourceFile {
  let bytes: Buffer;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UsageError(`vgw import device: ${flag}${file}: not a regular file`);
    if (st.size > MAX_BYTES) throw new UsageError(`vgw import device: ${flag}${file}: ${st.size} bytes; at most 1 MiB is read`);
    bytes = readFileSync(file);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as { code?: unknown } | null)?.code;
    throw new UsageError(`vgw import device: cannot read ${flag}${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code ?? e)}`);
  }
  const bad = bytesProblem(bytes);
  if (bad) throw new UsageError(`${file}:${bad.pos.line}:${bad.pos.column} CONFIG_SYNTAX ${file} ${bad.message}`);
  return { file, text: bytes.toString('utf8').replace(/^\ufeff/, '') };
}

function findingLine(f: ImportFinding, io: Io): string {
  const line = printable(formatFinding(f));
  return f.severity === 'error' ? io.style.red(line) : io.style.yellow(line);
}

/** Runs `vgw import device` with the flags parsed by `vgw import`. */
export function runImportDevice(values: Record<string, string | boolean | undefined>, args: readonly string[], io: Io): number {
  if (args.length === 0) throw new UsageError('vgw import device: missing FILE, the device configuration (see vgw import --help)');
  if (args.length > 1) throw new UsageError(`vgw import device: unexpected argument "${args[1]}" (see vgw import --help)`);
  const vendor = str(values['vendor']);
  if (vendor === undefined) throw new UsageError(`vgw import device: --vendor is required: ${DEVICE_VENDORS.join(', ')}`);
  if (!(DEVICE_VENDORS as readonly string[]).includes(vendor)) throw new UsageError(`vgw import device: --vendor must be ${DEVICE_VENDORS.join(', ')}, got "${vendor}"`);
  const config = readText('', args[0]!);
  const secretsFlag = str(values['secrets']);
  const beside = join(dirname(args[0]!), 'ipsec.secrets');
  const secretsPath = secretsFlag ?? (vendor === 'strongswan' && basename(args[0]!) !== 'ipsec.secrets' && existsSync(beside) ? beside : undefined);
  const scenarioPath = str(values['scenario']);
  const site = str(values['site']);
  const peer = str(values['peer']);
  const out = str(values['output']);
  if (site !== undefined && scenarioPath === undefined) throw new UsageError('vgw import device: --site needs --scenario (the scenario that has the site)');
  const r = importDevice({
    config,
    vendor: vendor as DeviceVendor,
    ...(secretsPath !== undefined ? { secrets: readText('--secrets ', secretsPath) } : {}),
    ...(scenarioPath !== undefined ? { scenario: readText('--scenario ', scenarioPath) } : {}),
    ...(site !== undefined ? { site } : {}),
    ...(peer !== undefined ? { peer } : {}),
    ...(out !== undefined ? { outputFile: out } : {}),
  });
  for (const f of r.findings) io.err(findingLine(f, io));
  for (const d of r.diagnostics) io.err(diagnosticLine(d, io.style));
  if (values['explain'] === true && r.origins) {
    const paths = [...r.origins.entries()].map(([p]) => p);
    for (const [path, o] of r.origins.entries()) {
      if (paths.some((p) => p.startsWith(`${path}.`) || p.startsWith(`${path}[`))) continue; // a container: its values are listed
      io.err(printable(`${o.file}:${o.line}:${o.column}  ${o.element}  →  ${path}`));
    }
  }
  const errors = r.findings.some((f) => f.severity === 'error') || r.diagnostics.some((d) => d.severity === 'error');
  if (errors || r.output === undefined) {
    io.err(io.style.red(printable(`vgw import device: ${args[0]}: nothing written (fix the errors above)`)));
    return 2;
  }
  if (out === undefined) {
    io.out(r.output.replace(/\n$/, ''));
    return 0;
  }
  try {
    writeFileSync(out, r.output);
  } catch (e) {
    throw new OutputError(`vgw import device: cannot write ${out}: ${(e as { code?: string }).code ?? String(e)}`);
  }
  io.err(printable(`${out}: written (${r.tunnel ? `peer ${r.tunnel.peer}, ${r.tunnel.vpnType.value}` : ''})`));
  return 0;
}
