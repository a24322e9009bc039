/**
 * A PeerTunnel as a site's `device:` section: YAML text whose every value carries a comment
 * naming the configuration line it came from (`# branch.cfg:13 access-list 101 permit ...`),
 * and the Origins of each document path, so a diagnostic about the merged scenario points
 * at the configuration line.
 *
 * The section's keys are those of the scenario format (SCENARIO-FORMAT.md and the README's
 * "Scenario keys beyond the core contract"): vpnType, sharedKey, accessList (policy-based),
 * routes (route-based) and ike (version, proposals, PFS group, lifetimes, DPD, initiate).
 * A key the configuration does not set is left out, so it keeps vgwsim's default (the
 * mirror of the Azure side). Strings are written plain when YAML reads them back as the
 * same string, else double-quoted (JSON escapes are YAML's); the shared key always quoted.
 */
import { escapeControls } from '../../source-text.js';
import { Origins } from '../origins.js';
import type { PeerTunnel, Sourced } from './tunnel.js';

/** The section's text and where each of its values came from. */
export interface DeviceSection {
  /** `device:` and its value, ending with a line feed; every line but the first indented by `indent` spaces. */
  readonly text: string;
  /** Document path (under the `base` given) → configuration line. */
  readonly origins: Origins;
}

type Scalar = string | number | boolean;

interface Line {
  readonly depth: number;
  readonly text: string;
  readonly from?: Sourced<unknown>;
}

const RESERVED = /^(true|false|yes|no|on|off|null|y|n)$/i;

/** A scalar as YAML text that reads back as the same value. */
export function yamlScalar(v: Scalar, quote = false): string {
  if (typeof v !== 'string') return String(v);
  const plain = /^[A-Za-z0-9][A-Za-z0-9 ./_-]*$/.test(v) && !/ $/.test(v) && !RESERVED.test(v) && !/^[-+]?[\d._]+([eE][-+]?\d+)?$/.test(v) && !/^0x/i.test(v);
  return plain && !quote ? v : JSON.stringify(v);
}

/** The last part of a path (`a/b/branch.cfg` → `branch.cfg`), which the comments name to stay short. */
function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

function comment(file: string, s: Sourced<unknown>): string {
  const element = s.element.length > 90 ? `${s.element.slice(0, 87)}...` : s.element;
  return escapeControls(`# ${baseName(s.file ?? file)}:${s.at.line} ${element}`);
}

/**
 * The `device:` section of tunnel `t`, read from `file` (named in the comments), at
 * `indent` spaces, its paths under `base` (e.g. `sites[0].device`).
 */
export function deviceSection(t: PeerTunnel, file: string, vendor: string, indent: number, base: string): DeviceSection {
  const origins = new Origins();
  const lines: Line[] = [];
  const at = (path: string, s: Sourced<unknown>): void => origins.set(`${base}${path}`, { file: s.file ?? file, line: s.at.line, column: s.at.column, element: s.element });
  const key = (depth: number, name: string, s: Sourced<Scalar>, path: string, quote = false): void => {
    lines.push({ depth, text: `${name}: ${yamlScalar(s.value, quote)}`, from: s });
    at(path, s);
  };
  const list = (depth: number, name: string, items: readonly Sourced<Scalar>[], path: string): void => {
    if (items.length === 0) return;
    lines.push({ depth, text: `${name}:` });
    at(path, items[0]!);
    items.forEach((s, i) => {
      lines.push({ depth: depth + 1, text: `- ${yamlScalar(s.value)}`, from: s });
      at(`${path}[${i}]`, s);
    });
  };
  at('', t.source);
  key(1, 'vpnType', t.vpnType, '.vpnType');
  if (t.sharedKey) key(1, 'sharedKey', t.sharedKey, '.sharedKey', true);
  if (t.vpnType.value === 'PolicyBased') list(1, 'accessList', t.accessList, '.accessList');
  else list(1, 'routes', t.routes, '.routes');
  const ike: [string, Sourced<Scalar> | undefined][] = [
    ['version', t.version],
    ['pfsGroup', t.pfsGroup ? t.pfsGroup : undefined],
    ['ikeLifetime', t.ikeLifetime],
    ['childLifetime', t.childLifetime],
    ['childLifeKilobytes', t.childLifeKilobytes],
    ['dpd', t.dpd],
    ['initiate', t.initiate],
  ];
  const any = ike.some(([, v]) => v) || t.ikeProposals.length > 0 || t.espProposals.length > 0;
  if (any) {
    lines.push({ depth: 1, text: 'ike:' });
    at('.ike', t.version ?? t.source);
    const [version, ...rest] = ike;
    if (version[1]) key(2, version[0], version[1], '.ike.version');
    list(2, 'ikeProposals', t.ikeProposals, '.ike.ikeProposals');
    list(2, 'espProposals', t.espProposals, '.ike.espProposals');
    for (const [name, v] of rest) if (v) key(2, name, v, `.ike.${name}`);
  }
  const pad = ' '.repeat(indent);
  const out = [`device:  ${escapeControls(`# vgw import device ${file} --vendor ${vendor}: peer ${t.peer}`)}`];
  for (const l of lines) {
    const body = `${pad}${'  '.repeat(l.depth)}${l.text}`;
    out.push(l.from ? `${body}  ${comment(file, l.from)}` : body);
  }
  return { text: `${out.join('\n')}\n`, origins };
}
