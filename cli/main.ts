#!/usr/bin/env node
/**
 * vgw: the command line. Thin: parse arguments, call sim/, format, set the exit code.
 * Exit codes: 0 ok, 1 an expectation failed, 2 bad input (scenario, flag, file), 70 an
 * internal error (a bug of ours: EX_SOFTWARE), 74 output that could not be written (a full
 * disk, a closed pipe other than a reader that stopped early: EX_IOERR).
 */
import { parseArgs } from 'node:util';
import { makeStyle, colorWanted } from './style.js';
import { OutputError, UsageError, version } from './command.js';
import { printable } from './printable.js';
import type { Command, Io, Out } from './command.js';
import { runCommand } from './commands/run.js';
import { sasCommand } from './commands/sas.js';
import { validateCommand } from './commands/validate.js';
import { traceCommand } from './commands/trace.js';
import { explainCommand } from './commands/explain.js';
import { labCommand } from './commands/lab.js';
import { tuiCommand } from './commands/tui.js';
import { diagramCommand } from './commands/diagram.js';
import { benchCommand } from './commands/bench.js';
import { graphCommand } from './commands/graph.js';
import { peerCommand } from './commands/peer.js';
import { importCommand } from './commands/import.js';
import { diffCommand } from './commands/diff.js';
import { webCommand } from './commands/web.js';

/** The commands, in the order `vgw --help` lists them. */
const commands: Record<string, Command> = {
  run: runCommand,
  sas: sasCommand,
  validate: validateCommand,
  trace: traceCommand,
  diff: diffCommand,
  explain: explainCommand,
  lab: labCommand,
  tui: tuiCommand,
  diagram: diagramCommand,
  graph: graphCommand,
  peer: peerCommand,
  import: importCommand,
  web: webCommand,
  bench: benchCommand,
};

/** The command called `name` (own keys only: `vgw constructor` is an unknown command). */
function commandNamed(name: string): Command | undefined {
  return Object.hasOwn(commands, name) ? commands[name] : undefined;
}

/** What `vgw help --help` prints. */
const HELP_USAGE = [
  'Usage: vgw help [COMMAND]',
  '',
  'Shows the options of COMMAND (the same text as vgw COMMAND --help), or without COMMAND',
  'the list of commands (vgw --help).',
].join('\n');

/** The exit codes every command shares, printed after each command's own (README: Exit codes). */
const SHARED_EXIT_CODES = 'Every command also exits 70 on an internal error of vgwsim (please report it) and 74 when output could not be written.';

/** What `vgw COMMAND --help` and `vgw help COMMAND` print. */
function commandHelp(c: Command): string {
  return `Usage: ${c.usage}\n\n${c.help}\n${SHARED_EXIT_CODES}`;
}

function mainHelp(): string {
  const w = Math.max('help'.length, ...Object.keys(commands).map((k) => k.length));
  return [
    `vgw ${version()}: a simulator of cloud VPN gateways (Azure's model)`,
    '',
    'Usage: vgw COMMAND [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([k, c]) => `  ${k.padEnd(w)}  ${c.summary}`),
    `  ${'help'.padEnd(w)}  show help for a command`,
    '',
    'Run `vgw COMMAND --help` for a command\'s options. Example: vgw run scenarios/s2s-policy-based.yaml',
    '',
    'Exit codes: 0 ok, 1 an expectation or lab goal failed (vgw trace: the packet was dropped;',
    'vgw peer: no session), 2 bad input (a scenario, a flag, a file), 70 an internal error (report it),',
    '74 output could not be written.',
  ].join('\n');
}

/** Run the CLI; returns the exit code (a promise for the interactive commands). Exported for tests. */
export function main(argv: readonly string[], out: Out = (l) => process.stdout.write(l + '\n'), err: Out = (l) => process.stderr.write(l + '\n')): number | Promise<number> {
  const [cmd, ...rest] = argv;
  const noColor = rest.includes('--no-color');
  const io: Io = { out, err, style: makeStyle(colorWanted(process.stdout, noColor)) };
  try {
    if (cmd === undefined || cmd === '--help' || cmd === '-h') {
      out(mainHelp());
      return cmd === undefined ? 2 : 0;
    }
    if (cmd === '--version' || cmd === '-V') {
      out(version());
      return 0;
    }
    if (cmd === 'help') {
      // Help on help itself: `vgw help --help`, `vgw help help`.
      if (rest[0] === '--help' || rest[0] === '-h' || rest[0] === 'help') {
        out(HELP_USAGE);
        return 0;
      }
      const c = rest[0] ? commandNamed(rest[0]) : undefined;
      if (rest[0] && !c) throw new UsageError(`vgw help: unknown command "${rest[0]}" (commands: ${Object.keys(commands).join(', ')})`);
      out(c ? commandHelp(c) : mainHelp());
      return 0;
    }
    const c = commandNamed(cmd);
    if (!c) {
      const hint = cmd.startsWith('-') ? '' : ` (commands: ${Object.keys(commands).join(', ')})`;
      throw new UsageError(`vgw: unknown command "${cmd}"${hint}; see vgw --help`);
    }
    let parsed: ReturnType<typeof parseArgs>;
    const args = valueArgs(cmd, rest, c.options ?? {});
    try {
      parsed = parseArgs({ args, options: c.options, allowPositionals: true, strict: true });
    } catch (e) {
      const msg = e instanceof Error ? e.message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '') : String(e);
      throw new UsageError(`vgw ${cmd}: ${msg} (see vgw ${cmd} --help)`);
    }
    if (parsed.values['help'] === true) {
      out(commandHelp(c));
      return 0;
    }
    const code = c.run(parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] }, io);
    return typeof code === 'number' ? code : code.catch((e: unknown) => failure(e, err));
  } catch (e) {
    return failure(e, err);
  }
}

/**
 * The arguments with each value of a string option made explicit (`--workers -1` becomes
 * `--workers=-1`), so a negative number reaches the command's own check of its value
 * instead of parseArgs, which takes it for an option. A value that looks like an option
 * (`--pcap --json`) or a missing one is refused here, in vgwsim's words.
 */
function valueArgs(cmd: string, args: readonly string[], options: NonNullable<Command['options']>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    out.push(a);
    if (a === '--') {
      out.push(...args.slice(i + 1));
      break;
    }
    const name = a.startsWith('--') && !a.includes('=') ? a.slice(2) : undefined;
    if (name === undefined || !Object.hasOwn(options, name) || options[name]!.type !== 'string') continue;
    const next = args[i + 1];
    if (next === undefined) throw new UsageError(`vgw ${cmd}: --${name} needs a value (see vgw ${cmd} --help)`);
    if (/^-[\d.]/.test(next)) {
      out[out.length - 1] = `${a}=${next}`;
      i++;
    } else if (next.startsWith('-') && next !== '-') {
      throw new UsageError(`vgw ${cmd}: --${name} needs a value, got the option "${next}" (a value that starts with a dash is written --${name}=VALUE)`);
    } else {
      out.push(next);
      i++;
    }
  }
  return out;
}

function failure(e: unknown, err: Out): number {
  // Messages echo flag values and names from files: printed escaped, one line each.
  if (e instanceof UsageError) {
    err(printable(e.message));
    return 2;
  }
  if (e instanceof OutputError) {
    err(printable(e.message));
    return 74;
  }
  // A bug of ours, not the user's input: one line, no stack trace, and a way to report it.
  err(printable(`vgw: internal error: ${e instanceof Error ? e.message : String(e)} (please report this with the scenario file)`));
  return 70;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (invokedDirectly) {
  // A reader that stops early (`vgw run ... | head`) closes the pipe: stop quietly, like other Unix tools.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      process.stderr.write(`vgw: cannot write output: ${e.message}\n`);
      process.exit(74);
    });
  }
  const code = main(process.argv.slice(2));
  if (typeof code === 'number') process.exitCode = code;
  else void code.then((c) => (process.exitCode = c));
}
