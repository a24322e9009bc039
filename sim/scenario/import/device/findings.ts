/**
 * What reading a device configuration found wrong or left out: each finding at the
 * configuration's own file, line and column, with a stable code and a message that says
 * what to do. Errors (a malformed line, no tunnel, an ambiguous peer) stop the import;
 * warnings name what the configuration says that vgwsim does not model, so nothing is
 * dropped without a word. Messages never contain a pre-shared key.
 */
import { escapeControls } from '../../source-text.js';

/** The codes of the device importer's findings. */
export const DEVICE_IMPORT_CODES = {
  /** A line the importer cannot read (a malformed command, a template placeholder, a bad address). */
  CONFIG_SYNTAX: 'error',
  /** Something the configuration needs that it does not say, or a reference to nothing (a crypto map's ACL, a profile). */
  CONFIG_INCOMPLETE: 'error',
  /** Several peers and no way to choose, or --peer names none of them. */
  CONFIG_PEER: 'error',
  /** A command or value vgwsim does not model; the message says what the import does instead. */
  NOT_MODELLED: 'warning',
  /** Lines outside the VPN (hostname, DHCP, timeouts, ...) that the importer does not read, counted once. */
  NOT_VPN: 'warning',
  /** The scenario to merge into has no such site, several sites and no --site, or no place for a device. */
  SCENARIO_SITE: 'error',
  /** The configuration disagrees with the scenario it is merged into (its peer, its own address). */
  SCENARIO_MISMATCH: 'warning',
} as const;

export type DeviceImportCode = keyof typeof DEVICE_IMPORT_CODES;

/** One finding, in the FILE:LINE:COLUMN CODE message form every diagnostic takes. */
export interface ImportFinding {
  readonly code: DeviceImportCode;
  readonly severity: 'error' | 'warning';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** A place in the configuration: 1-based line and column. */
export interface At {
  readonly line: number;
  readonly column: number;
}

/** Collects the findings of one import, in the order found. */
export class Findings {
  readonly list: ImportFinding[] = [];
  constructor(readonly file: string) {}

  add(code: DeviceImportCode, at: At, message: string, file = this.file): void {
    this.list.push({ code, severity: DEVICE_IMPORT_CODES[code], file, line: at.line, column: at.column, message: escapeControls(message) });
  }

  get errors(): number {
    return this.list.filter((f) => f.severity === 'error').length;
  }

  /** The findings in file order (line, then column), stable for equal positions. */
  sorted(): ImportFinding[] {
    return this.list.map((f, i) => ({ f, i })).sort((a, b) => a.f.line - b.f.line || a.f.column - b.f.column || a.i - b.i).map((x) => x.f);
  }
}

/** `FILE:LINE:COLUMN CODE message`. */
export function formatFinding(f: ImportFinding): string {
  return `${f.file}:${f.line}:${f.column} ${f.code} ${f.message}`;
}
