/**
 * Reads a Cisco IOS or ASA configuration into commands: one `Command` per line, its words
 * with their columns, and the indented lines under it as its children (IOS and ASA mark a
 * sub-mode by indentation: `crypto isakmp policy 10` and the ` encryption aes 256` below it).
 *
 * A configuration pasted as it is typed has its sub-mode lines at the opener's indentation
 * (Microsoft's ASA guide does this); such a line is the opener's child when its first word
 * is one of that sub-mode's commands, until `exit` or a line that is not.
 *
 * Skips what is not a command: blank lines, `!` comments, ASA's `:` lines (`: Saved`,
 * `: end`), `exit` (it only closes a sub-mode), and a CLI prompt line (`router# show running-config`).
 * Reads a `banner NAME ^C ... ^C` as one command (its text may span lines). A word in
 * angle brackets (`<NameOfYourOutsideInterface>`) is a template placeholder nobody filled
 * in: it is reported where it stands.
 */
import { tokenize } from '../../../net/acl.js';
import type { Token } from '../../../net/acl.js';
import type { At } from './findings.js';
import type { Findings } from './findings.js';

/** One word of a command and its 1-based column. */
export type Word = Token;

/** One configuration line and the lines indented under it. */
export interface Command {
  readonly line: number;
  readonly indent: number;
  readonly words: readonly Word[];
  /** The line as written, trimmed. */
  readonly text: string;
  readonly children: Command[];
}

/** Where a command starts. */
export function atOf(c: Command, word = 0): At {
  return { line: c.line, column: c.words[word]?.column ?? c.indent + 1 };
}

/** The command's words in lower case from `from` on, joined by one space. */
export function phrase(c: Command, from = 0, to = c.words.length): string {
  return c.words.slice(from, to).map((w) => w.text.toLowerCase()).join(' ');
}

const PROMPT = /^[A-Za-z0-9._-]+(\([A-Za-z0-9-]+\))?#/;

/**
 * The sub-modes a command opens, and the words that start a command of that sub-mode. A
 * configuration pasted the way it is typed (Microsoft's ASA guide writes `object-group
 * network azure-networks`, then `network-object ...` and `exit`, all at one indentation)
 * has its sub-mode commands at the opener's indentation: such a line is the opener's child
 * when its first word belongs to the sub-mode, and `exit` leaves the sub-mode.
 */
const SUB_MODES: readonly { readonly opener: RegExp; readonly words: ReadonlySet<string> }[] = [
  { opener: /^crypto (isakmp|ikev1) policy /, words: new Set(['authentication', 'encryption', 'encr', 'hash', 'group', 'lifetime']) },
  { opener: /^crypto ikev2 (policy|proposal) /, words: new Set(['encryption', 'integrity', 'group', 'prf', 'lifetime', 'proposal', 'match']) },
  { opener: /^crypto ikev2 keyring /, words: new Set(['peer']) },
  { opener: /^peer /, words: new Set(['address', 'pre-shared-key', 'description', 'identity', 'hostname']) },
  { opener: /^crypto ikev2 profile /, words: new Set(['match', 'authentication', 'keyring', 'lifetime', 'dpd', 'identity', 'description']) },
  { opener: /^crypto isakmp profile /, words: new Set(['match', 'keyring', 'self-identity', 'lifetime', 'keepalive', 'description']) },
  { opener: /^crypto keyring /, words: new Set(['pre-shared-key', 'description']) },
  { opener: /^crypto ipsec (profile|transform-set) /, words: new Set(['set', 'mode', 'description']) },
  { opener: /^crypto ipsec ikev2 ipsec-proposal /, words: new Set(['protocol']) },
  { opener: /^crypto map \S+ \d+ ipsec-isakmp/, words: new Set(['set', 'match', 'description', 'reverse-route']) },
  { opener: /^(interface|int) /, words: new Set(['ip', 'nameif', 'security-level', 'tunnel', 'crypto', 'no', 'shutdown', 'description', 'switchport', 'mtu', 'vlan', 'speed', 'duplex']) },
  { opener: /^object(-group)? network /, words: new Set(['network-object', 'group-object', 'description', 'host', 'subnet', 'range', 'fqdn', 'nat']) },
  { opener: /^object(-group)? (service|protocol|icmp-type) /, words: new Set(['service-object', 'port-object', 'protocol-object', 'icmp-object', 'group-object', 'description', 'service']) },
  { opener: /^tunnel-group \S+ (ipsec|general)-attributes/, words: new Set(['ikev1', 'ikev2', 'pre-shared-key', 'isakmp', 'peer-id-validate', 'default-group-policy']) },
  { opener: /^ip access-list (extended|standard) /, words: new Set(['permit', 'deny', 'remark']) },
];

/** In an interface, `ip address` and the like belong to it; `ip route` and `ip access-list` are global. */
const GLOBAL_IP = new Set(['route', 'access-list', 'domain-name', 'domain', 'name-server', 'host', 'cef', 'http', 'ssh', 'dhcp', 'nat', 'routing']);

function subModeOf(c: Command): ReadonlySet<string> | undefined {
  const p = phrase(c);
  return SUB_MODES.find((m) => m.opener.test(p))?.words;
}

function belongs(c: Command, words: ReadonlySet<string>): boolean {
  const w0 = c.words[0]!.text.toLowerCase();
  if (w0 === 'ip') return words.has('ip') && !GLOBAL_IP.has(c.words[1]?.text.toLowerCase() ?? '');
  // An interface's `crypto map NAME`; the global crypto map commands have more words.
  if (w0 === 'crypto') return words.has('crypto') && c.words.length === 3 && phrase(c, 1, 2) === 'map';
  return words.has(w0) || (words.has('permit') && /^\d+$/.test(w0));
}

/** The commands of a configuration's text, top-level ones with their children. */
export function readCiscoConfig(text: string, findings: Findings): Command[] {
  const lines = text.split('\n');
  const top: Command[] = [];
  /** Open commands by indentation. */
  const stack: Command[] = [];
  /** Open sub-modes, innermost last, for lines written at their opener's indentation. */
  const modes: { readonly cmd: Command; readonly words: ReadonlySet<string> }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    const body = raw.trimStart();
    if (body === '' || body.startsWith('!') || body.startsWith(':') || PROMPT.test(body)) continue;
    const words = tokenize(raw);
    const first = words[0]!.text.toLowerCase();
    if (first === 'exit' && words.length === 1) {
      modes.pop();
      continue;
    }
    const indent = raw.length - body.length;
    const cmd: Command = { line: i + 1, indent, words, text: body.trimEnd(), children: [] };
    for (const w of words) {
      if (/^<[^>]*>$/.test(w.text) || w.text.includes('<xsl:')) {
        findings.add('CONFIG_SYNTAX', { line: i + 1, column: w.column }, `"${w.text}" is a placeholder of a configuration template: fill in the real value (an interface name, an address, a key) and import again`);
      }
    }
    if (first === 'banner' && words.length >= 3) i = skipBanner(lines, i, words[2]!.text);
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    let parent = stack[stack.length - 1];
    // A sub-mode opened deeper than this line is over; one at this line's indentation whose
    // opener has no indented children yet takes the line when it belongs there.
    while (modes.length > 0 && modes[modes.length - 1]!.cmd.indent > indent) modes.pop();
    while (modes.length > 0 && modes[modes.length - 1]!.cmd.indent === indent && !(flat(modes[modes.length - 1]!.cmd) && belongs(cmd, modes[modes.length - 1]!.words))) modes.pop();
    const mode = modes[modes.length - 1];
    if (mode && mode.cmd.indent === indent) parent = mode.cmd;
    if (parent) parent.children.push(cmd);
    else top.push(cmd);
    stack.push(cmd);
    const sub = subModeOf(cmd);
    if (sub) modes.push({ cmd, words: sub });
  }
  return top;
}

/** Has the command no child indented under it (its sub-mode, if any, is written flat)? */
function flat(c: Command): boolean {
  return c.children.every((ch) => ch.indent <= c.indent);
}

/** The index of the line that ends a banner whose text starts on line `i` after `delim`. */
function skipBanner(lines: readonly string[], i: number, delimWord: string): number {
  const delim = delimWord.startsWith('^C') ? '^C' : delimWord.charAt(0);
  const rest = lines[i]!.slice(lines[i]!.indexOf(delimWord) + delim.length);
  if (rest.includes(delim)) return i;
  for (let j = i + 1; j < lines.length; j++) if (lines[j]!.includes(delim)) return j;
  return lines.length - 1;
}
