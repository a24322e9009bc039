#!/usr/bin/env node
/**
 * vgw: the command line. Thin: parse arguments, call sim/, format, set the exit code.
 * Exit codes: 0 ok, 1 an expectation failed, 2 bad input (scenario, flag, file).
 */
import { parseArgs } from 'node:util';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  validateScenarioFile, shardRefusal, runScenario, CollectSink, formatDiagnostic, whatIf, WHAT_IF_FLOW, CRYPTO_BACKEND_NAMES,
  explain, allExplanations, gradeLab, renderDiagram,
} from '../sim/index.js';
import type { CryptoBackendName, Diagnostic, SimEvent } from '../sim/index.js';
import { formatRun, formatSas, pathsByFlow, hopLines, wrapText } from './format.js';
import { makeStyle, colorWanted } from './style.js';
import { progressReporter } from './progress.js';
import { listLabs, findLab, startLab } from './labs.js';
import { existsSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { BENCH_HELP, BenchInputError, runBench } from './bench/command.js';
import type { Style } from './style.js';
import { runSharded } from './run-pool.js';

type Out = (line: string) => void;

interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly help: string;
  readonly options: NonNullable<Parameters<typeof parseArgs>[0]>['options'];
  run(args: { values: Record<string, string | boolean | undefined>; positionals: string[] }, io: Io): number | Promise<number>;
}

interface Io {
  readonly out: Out;
  readonly err: Out;
  readonly style: Style;
}

const COMMON = {
  help: { type: 'boolean', short: 'h' },
  'no-color': { type: 'boolean' },
} as const;

class UsageError extends Error {}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function fileArg(cmd: string, positionals: string[]): string {
  if (positionals.length === 0) throw new UsageError(`vgw ${cmd}: missing FILE (see vgw ${cmd} --help)`);
  if (positionals.length > 1) throw new UsageError(`vgw ${cmd}: unexpected argument "${positionals[1]}" (see vgw ${cmd} --help)`);
  return positionals[0]!;
}

function intFlag(cmd: string, name: string, v: string | boolean | undefined, lo: number, hi: number): number | undefined {
  if (v === undefined || typeof v === 'boolean') return undefined;
  if (!/^\d+$/.test(v) || Number(v) < lo || Number(v) > hi) throw new UsageError(`vgw ${cmd}: --${name} must be a whole number from ${lo} to ${hi}, got "${v}"`);
  return Number(v);
}

function cryptoFlag(cmd: string, v: string | boolean | undefined): CryptoBackendName {
  if (v === undefined || typeof v === 'boolean') return 'node';
  if (!(CRYPTO_BACKEND_NAMES as readonly string[]).includes(v)) throw new UsageError(`vgw ${cmd}: --crypto must be ${CRYPTO_BACKEND_NAMES.join(' or ')}, got "${v}"`);
  return v as CryptoBackendName;
}

/** Write a run's captures: DIR/<link>.pcap and DIR/esp_sa. */
function writeCaptures(dir: string, c: { pcaps: Record<string, Uint8Array>; espSa: string }): string[] {
  try {
    mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    for (const [link, bytes] of Object.entries(c.pcaps)) {
      writeFileSync(join(dir, `${link}.pcap`), bytes);
      files.push(`${link}.pcap`);
    }
    writeFileSync(join(dir, 'esp_sa'), c.espSa);
    files.push('esp_sa');
    return files;
  } catch (e) {
    throw new UsageError(`vgw run: cannot write captures to ${dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function printDiagnostics(ds: readonly Diagnostic[], io: Io, json: boolean): void {
  for (const d of ds) {
    if (json) io.out(JSON.stringify({ type: 'diagnostic', ...d }));
    else {
      const line = formatDiagnostic(d);
      io.err(d.severity === 'error' ? io.style.red(line) : io.style.yellow(line));
    }
  }
}

const commands: Record<string, Command> = {
  run: {
    summary: 'simulate a scenario and print every flow\'s packet path',
    usage: 'vgw run FILE [--json] [--trace-limit N] [--crypto node|forge] [--pcap DIR] [--workers N] [--quiet] [--no-color]',
    help: [
      'Simulates the scenario: every flow\'s packets move hop by hop through subnets, gateways,',
      'tunnels and devices. Prints each distinct path once, one line per hop with the decision',
      'taken there (the route matched and the routes it beat, the selector, the SA, the drop',
      'reason), then a summary and the expectations.',
      '',
      'Options:',
      '  --json            JSON Lines: one event per line, the last line {"type":"summary",...}',
      '  --trace-limit N   trace the first N packets of each flow (default 100); all are counted',
      '  --crypto B        ESP crypto backend: node (node:crypto, default) or forge (pure JavaScript)',
      '  --pcap DIR        write one pcap per link (internet.pcap: the ESP packets between tunnel ends;',
      '                    vnet-NAME.pcap, site-NAME.pcap, p2s-NAME.pcap: inner packets) and DIR/esp_sa,',
      '                    Wireshark\'s ESP SA table, so the capture opens decrypted',
      '  --workers N       shard the flows over N worker threads (default 1). Every worker routes every',
      '                    packet; each builds and protects the ESP bytes of its own flows only, so',
      '                    the output is identical to one thread. Not with inject: entries or --pcap',
      '                    (then it says so on stderr and runs on one thread)',
      '  --quiet, -q       no progress bar (it is drawn on stderr only when stderr is a terminal)',
      '  --no-color        no colours (NO_COLOR is respected too)',
      '',
      'Exit codes: 0 ok, 1 an expectation failed, 2 the scenario is invalid.',
    ].join('\n'),
    options: {
      ...COMMON, json: { type: 'boolean' }, 'trace-limit': { type: 'string' }, crypto: { type: 'string' }, pcap: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' }, workers: { type: 'string' },
    },
    run({ values, positionals }, io) {
      const file = fileArg('run', positionals);
      const workers = intFlag('run', 'workers', values['workers'], 1, 256) ?? 1;
      const json = values['json'] === true;
      const traceLimit = intFlag('run', 'trace-limit', values['trace-limit'], 0, 1_000_000) ?? 100;
      const crypto = cryptoFlag('run', values['crypto']);
      const pcapDir = typeof values['pcap'] === 'string' ? values['pcap'] : undefined;
      const v = validateScenarioFile(file);
      printDiagnostics(v.diagnostics, io, json);
      if (!v.scenario) {
        if (!json && v.errors > 1) io.err(`${file}: ${v.errors} errors; nothing was simulated`);
        return 2;
      }
      const sink = new CollectSink();
      const progress = progressReporter(process.stderr, values['quiet'] === true);
      const refusal = workers > 1 ? shardRefusal(v.scenario, { capture: pcapDir !== undefined }) : null;
      if (refusal) io.err(`vgw run: --workers ${workers} not used: ${refusal}; running on one thread`);
      const r = workers > 1 && !refusal
        ? runSharded(file, v.scenario, workers, { crypto, traceLimit, sink })
        : runScenario(v.scenario, { sink, traceLimit, crypto, capture: pcapDir !== undefined, ...(progress ? { progress } : {}) });
      const written = pcapDir !== undefined && r.captures ? writeCaptures(pcapDir, r.captures) : [];
      if (json) {
        for (const e of sink.events) io.out(JSON.stringify(e));
        io.out(JSON.stringify({
          type: 'summary', scenario: v.scenario.name, seed: v.scenario.seed, duration: r.duration, crypto: r.crypto,
          flows: r.flows, expectations: { passed: r.passed, failed: r.failed, results: r.expectations }, counters: r.counters,
          injections: r.injections, ...(pcapDir !== undefined ? { captures: { dir: pcapDir, files: written } } : {}),
        }));
      } else {
        for (const line of formatRun(v.scenario, sink.events, r, io.style, traceLimit)) io.out(line);
        if (pcapDir !== undefined) io.out(io.style.dim(`captures: ${written.map((f) => join(pcapDir, f)).join(', ')}`));
      }
      return r.failed > 0 ? 1 : 0;
    },
  },
  sas: {
    summary: 'run a scenario and list its IPsec SAs, like swanctl --list-sas',
    usage: 'vgw sas FILE [--json] [--crypto node|forge] [--no-color]',
    help: [
      'Runs the scenario, then lists every child SA pair per connection as strongSwan\'s',
      '`swanctl --list-sas` does: state (established, or why not), SPIs in and out, transform,',
      'local and remote traffic selectors, packets and bytes each way, replay-window top.',
      'Seen from the Azure gateway: out is what it encrypted, in what it decrypted and verified.',
      '',
      'Options:',
      '  --json          one JSON object per SA pair',
      '  --crypto B      ESP crypto backend: node (default) or forge',
      '  --no-color      no colours',
      '',
      'Exit codes: 0 ok, 2 the scenario is invalid.',
    ].join('\n'),
    options: { ...COMMON, json: { type: 'boolean' }, crypto: { type: 'string' } },
    run({ values, positionals }, io) {
      const file = fileArg('sas', positionals);
      const json = values['json'] === true;
      const crypto = cryptoFlag('sas', values['crypto']);
      const v = validateScenarioFile(file);
      printDiagnostics(v.diagnostics.filter((d) => d.severity === 'error'), io, json);
      if (!v.scenario) return 2;
      const r = runScenario(v.scenario, { crypto });
      if (json) for (const t of r.tunnels) io.out(JSON.stringify({ type: 'sa', ...t }));
      else for (const line of formatSas(r, io.style)) io.out(line);
      return 0;
    },
  },
  validate: {
    summary: 'check a scenario and print its diagnostics',
    usage: 'vgw validate FILE [--json] [--no-color]',
    help: [
      'Loads and checks the scenario against the schema and the gateway rules (SKUs, VPN types,',
      'connection limits, overlaps, references). Prints FILE:LINE:COLUMN CODE message for each',
      'problem; warnings do not make the scenario invalid.',
      '',
      'Options:',
      '  --json       one JSON object per diagnostic, then {"type":"summary","errors":N,"warnings":N}',
      '  --no-color   no colours',
      '',
      'Exit codes: 0 valid (warnings allowed), 2 invalid.',
    ].join('\n'),
    options: { ...COMMON, json: { type: 'boolean' } },
    run({ values, positionals }, io) {
      const file = fileArg('validate', positionals);
      const json = values['json'] === true;
      const v = validateScenarioFile(file);
      if (json) {
        for (const d of v.diagnostics) io.out(JSON.stringify({ type: 'diagnostic', ...d }));
        io.out(JSON.stringify({ type: 'summary', file, valid: v.errors === 0, errors: v.errors, warnings: v.warnings }));
      } else {
        for (const d of v.diagnostics) io.out(d.severity === 'error' ? io.style.red(formatDiagnostic(d)) : io.style.yellow(formatDiagnostic(d)));
        // A file that cannot be read is one line: the diagnostic says it all.
        if (!v.unreadable) io.out(v.errors === 0
          ? io.style.green(`${file}: valid`) + (v.warnings ? ` (${v.warnings} warning${v.warnings === 1 ? '' : 's'})` : '')
          : io.style.red(`${file}: ${v.errors} error${v.errors === 1 ? '' : 's'}`) + (v.warnings ? `, ${v.warnings} warning${v.warnings === 1 ? '' : 's'}` : ''));
      }
      return v.errors === 0 ? 0 : 2;
    },
  },
  trace: {
    summary: 'follow one what-if packet through a scenario',
    usage: 'vgw trace FILE --from X --to Y [--proto icmp|tcp|udp] [--dport N] [--sport N] [--size N] [--ttl N] [--df] [--at SECONDS] [--json]',
    help: [
      'Sends one packet from X to Y (host names or IPv4 addresses) through the scenario\'s',
      'topology and prints its path hop by hop, like a next-hop query. The scenario\'s own',
      'traffic and expectations are not run.',
      '',
      'Options:',
      '  --from X, --to Y   host name or IPv4 address (required)',
      '  --proto P          icmp (default), tcp or udp',
      '  --dport N, --sport N, --size N, --ttl N, --df',
      '  --at SECONDS       virtual time of the packet: faults up to then apply (default 0)',
      '  --json             JSON Lines events and a summary line',
      '',
      'Exit codes: 0 the packet was delivered or left to the internet, 1 it was dropped, 2 bad input.',
    ].join('\n'),
    options: {
      ...COMMON, json: { type: 'boolean' }, from: { type: 'string' }, to: { type: 'string' }, proto: { type: 'string' },
      dport: { type: 'string' }, sport: { type: 'string' }, size: { type: 'string' }, ttl: { type: 'string' }, df: { type: 'boolean' }, at: { type: 'string' },
    },
    run({ values, positionals }, io) {
      const file = fileArg('trace', positionals);
      const from = values['from'];
      const to = values['to'];
      if (typeof from !== 'string' || typeof to !== 'string') throw new UsageError('vgw trace: --from and --to are required (see vgw trace --help)');
      const proto = values['proto'] ?? 'icmp';
      if (proto !== 'icmp' && proto !== 'tcp' && proto !== 'udp') throw new UsageError(`vgw trace: --proto must be icmp, tcp or udp, got "${String(proto)}"`);
      const at = values['at'];
      if (at !== undefined && (typeof at !== 'string' || !/^\d+(\.\d+)?$/.test(at))) throw new UsageError(`vgw trace: --at must be a number of seconds, got "${String(at)}"`);
      const dport = intFlag('trace', 'dport', values['dport'], 1, 65535);
      const sport = intFlag('trace', 'sport', values['sport'], 1, 65535);
      const size = intFlag('trace', 'size', values['size'], 28, 65535);
      const ttl = intFlag('trace', 'ttl', values['ttl'], 1, 255);
      const json = values['json'] === true;
      const v = validateScenarioFile(file);
      printDiagnostics(v.diagnostics.filter((d) => d.severity === 'error'), io, json);
      if (!v.scenario) return 2;
      const sink = new CollectSink();
      const res = whatIf(v.scenario, {
        from, to, proto,
        ...(dport !== undefined ? { dport } : {}), ...(sport !== undefined ? { sport } : {}),
        ...(size !== undefined ? { size } : {}), ...(ttl !== undefined ? { ttl } : {}),
        df: values['df'] === true, at: at === undefined ? 0 : Number(at),
      }, sink);
      if ('error' in res) throw new UsageError(`vgw trace: ${res.error}`);
      const f = res.result.flows[0]!;
      const events: SimEvent[] = sink.events.filter((e) => e.type !== 'fault');
      if (json) {
        for (const e of events) io.out(JSON.stringify(e));
        io.out(JSON.stringify({ type: 'summary', flows: res.result.flows }));
      } else {
        io.out(io.style.bold(`${from} → ${to}, ${proto}${dport !== undefined ? ` port ${dport}` : ''}`) + io.style.dim(`  (${v.scenario.name}, t=${at ?? 0}s)`));
        const p = pathsByFlow(events).get(WHAT_IF_FLOW)?.[0];
        if (p) for (const line of hopLines(p, io.style)) io.out(line);
      }
      return f.dropped > 0 ? 1 : 0;
    },
  },
  explain: {
    summary: 'explain a drop reason or a diagnostic code to a learner',
    usage: 'vgw explain [CODE] [--no-color]',
    help: [
      'Explains a drop reason (no-route, tunnel-down, ...) or a diagnostic code (SCHEMA,',
      'SELECTOR_MISMATCH, ...): what it means, which part of the scenario is responsible,',
      'and how to fix it. Case does not matter. Without CODE, lists every code.',
      '',
      'Exit codes: 0 explained, 2 unknown code.',
    ].join('\n'),
    options: { ...COMMON },
    run({ positionals }, io) {
      if (positionals.length > 1) throw new UsageError(`vgw explain: one CODE at a time, got ${positionals.length} (see vgw explain --help)`);
      const code = positionals[0];
      if (code === undefined) {
        const all = allExplanations();
        const drops = all.filter((x) => x.kind === 'drop-reason');
        const dw = Math.max(...drops.map((e) => e.code.length));
        const w = Math.max(...all.map((e) => e.code.length));
        io.out(io.style.bold('drop reasons') + io.style.dim('  (why a packet was discarded)'));
        for (const e of drops) io.out(`  ${e.code.padEnd(dw)}  ${e.summary}`);
        io.out('');
        io.out(io.style.bold('diagnostic codes') + io.style.dim('  (what vgw validate reports)'));
        for (const e of all.filter((x) => x.kind === 'diagnostic')) io.out(`  ${e.code.padEnd(w)}  ${e.severity === 'warning' ? io.style.yellow('warning') : io.style.red('error  ')}  ${e.summary}`);
        io.out('');
        io.out('Run `vgw explain CODE` for the full explanation.');
        return 0;
      }
      const r = explain(code);
      if (!('entry' in r)) {
        throw new UsageError(`vgw explain: unknown code "${code}"${r.suggestion ? `; did you mean ${r.suggestion}?` : ''} (vgw explain lists them all)`);
      }
      const e = r.entry;
      const kind = e.kind === 'drop-reason' ? 'drop reason' : `diagnostic code, ${e.severity ?? 'error'}`;
      io.out(io.style.bold(e.code) + io.style.dim(`  (${kind})`) + `: ${e.summary}`);
      io.out('');
      for (const l of wrapText(e.meaning, 78)) io.out(l);
      io.out('');
      io.out(io.style.bold('Responsible:'));
      for (const l of wrapText(e.responsible, 76)) io.out(`  ${l}`);
      io.out(io.style.bold('Fix:'));
      for (const l of wrapText(e.fix, 76)) io.out(`  ${l}`);
      return 0;
    },
  },
  lab: {
    summary: 'teaching labs: list them, start one, check your work',
    usage: 'vgw lab list | vgw lab start NN [DIR] | vgw lab check [DIR|FILE] [--no-color]',
    help: [
      'Labs are small broken or unfinished scenarios with goals; each builds on the one before.',
      '',
      '  vgw lab list             the labs, in order',
      '  vgw lab start NN [DIR]   copy lab NN (README.md and lab.yaml) to DIR (default ./lab-NN);',
      '                           refuses to overwrite files that are already there',
      '  vgw lab check [DIR]      grade DIR/lab.yaml (default ./lab.yaml): each goal passed or',
      '                           failed, with its hint, and a score',
      '',
      'Exit codes: 0 every goal passed, 1 a goal failed, 2 the scenario is invalid or bad input.',
    ].join('\n'),
    options: { ...COMMON },
    run({ positionals }, io) {
      const [sub, ...args] = positionals;
      if (sub === 'list') {
        if (args.length) throw new UsageError(`vgw lab list: unexpected argument "${args[0]}"`);
        const labs = listLabs();
        if (labs.length === 0) throw new UsageError('vgw lab list: no labs found (the scenarios/labs folder is missing)');
        for (const l of labs) io.out(`  ${io.style.bold(l.id)}  ${l.title}`);
        io.out('');
        io.out('Start one with `vgw lab start NN`, then edit lab.yaml and run `vgw lab check`.');
        return 0;
      }
      if (sub === 'start') {
        const [which, dir, extra] = args;
        if (which === undefined) throw new UsageError('vgw lab start: missing the lab number (see vgw lab list)');
        if (extra !== undefined) throw new UsageError(`vgw lab start: unexpected argument "${extra}"`);
        const lab = findLab(which);
        if (!lab) throw new UsageError(`vgw lab start: no lab "${which}" (labs: ${listLabs().map((l) => l.id).join(', ')})`);
        const dest = dir ?? `lab-${lab.id}`;
        const res = startLab(lab, dest);
        if ('error' in res) throw new UsageError(`vgw lab start: ${res.error}`);
        io.out(`${io.style.bold(`Lab ${lab.id}`)}: ${lab.title}`);
        for (const f of res.copied) io.out(`  created ${f}`);
        io.out('');
        io.out(`Read ${join(dest, 'README.md')}, edit ${join(dest, 'lab.yaml')}, then: vgw lab check ${dest}`);
        return 0;
      }
      if (sub === 'check') {
        const [target = '.', extra] = args;
        if (extra !== undefined) throw new UsageError(`vgw lab check: unexpected argument "${extra}"`);
        const file = existsSync(target) && statSync(target).isDirectory() ? join(target, 'lab.yaml') : target;
        if (!existsSync(file)) throw new UsageError(`vgw lab check: ${file} not found (start a lab with vgw lab start NN)`);
        const v = validateScenarioFile(file);
        const g = gradeLab(v);
        printDiagnostics(v.diagnostics, io, false);
        if (!g.valid) {
          io.out(io.style.red(`${file}: the scenario is invalid (${v.errors} error${v.errors === 1 ? '' : 's'}); fix the diagnostics above, then check again`));
          return 2;
        }
        io.out(io.style.bold(v.scenario!.name) + io.style.dim(`  (${relative('.', file) || file})`));
        for (const goal of g.goals) {
          io.out(`  ${goal.passed ? io.style.green('✓') : io.style.red('✗')} goal ${goal.n}: ${goal.message}`);
          if (!goal.passed && goal.hint) io.out(io.style.yellow(`      hint: ${goal.hint}`));
        }
        io.out('');
        const score = `score: ${g.passed}/${g.total} goal${g.total === 1 ? '' : 's'}`;
        io.out(g.complete ? io.style.green(`${score}: lab complete`) : io.style.red(`${score}: not yet`));
        return g.complete ? 0 : 1;
      }
      throw new UsageError(sub === undefined ? 'vgw lab: missing a subcommand: list, start or check (see vgw lab --help)' : `vgw lab: unknown subcommand "${sub}" (list, start, check)`);
    },
  },
  tui: {
    summary: 'watch a scenario packet by packet in a terminal UI',
    usage: 'vgw tui FILE [--trace-limit N]',
    help: [
      'Runs the scenario and opens a terminal UI with three panes: the topology (VNets,',
      'gateways with type and SKU, sites, connections and their state), the event list',
      '(virtual time, packet, hop, decision; drops in red) and the selected event\'s detail',
      '(headers, the route or selector that matched and what it beat, the SA, the drop',
      'reason explained). Needs a terminal of at least 80x24; follows resizes.',
      '',
      'Keys: → ← step (rewind to any earlier event), space play/pause, + - speed,',
      '      f filter by flow, n next drop, / search, ? help, q quit.',
      '',
      'Options:',
      '  --trace-limit N   trace the first N packets of each flow (default 100)',
      '',
      'Exit codes: 0 quit, 2 invalid scenario or not a terminal.',
    ].join('\n'),
    options: { ...COMMON, 'trace-limit': { type: 'string' } },
    async run({ values, positionals }, io) {
      const file = fileArg('tui', positionals);
      const traceLimit = intFlag('tui', 'trace-limit', values['trace-limit'], 1, 1_000_000) ?? 100;
      if (!process.stdout.isTTY || !process.stdin.isTTY) {
        io.err('vgw tui: needs an interactive terminal (stdin and stdout must be a TTY); use vgw run for text output');
        return 2;
      }
      const v = validateScenarioFile(file);
      printDiagnostics(v.diagnostics.filter((d) => d.severity === 'error'), io, false);
      if (!v.scenario) return 2;
      const sink = new CollectSink();
      const result = runScenario(v.scenario, { sink, traceLimit });
      // Loaded only here: the other commands never pay for React.
      // Ink draws only the last frame when it believes it runs in CI (is-in-ci reads CI when
      // ink loads). Here both ends are a terminal, so a person is watching: draw every frame.
      delete process.env['CI'];
      delete process.env['CONTINUOUS_INTEGRATION'];
      const [{ render }, { createElement }, { TuiApp }] = await Promise.all([import('ink'), import('react'), import('./tui/app.js')]);
      process.stdout.write('\x1b[?1049h\x1b[H'); // the alternate screen: the shell's scrollback stays as it was
      try {
        const app = render(createElement(TuiApp, { scenario: v.scenario, result, events: sink.events }), { exitOnCtrlC: false });
        await app.waitUntilExit();
      } finally {
        process.stdout.write('\x1b[?1049l');
      }
      return 0;
    },
  },
  diagram: {
    summary: 'draw the topology as Mermaid or Graphviz, with a flow\'s path highlighted',
    usage: 'vgw diagram FILE [--format mermaid|dot] [--flow ID]',
    help: [
      'Prints the topology: VNets, gateways (type and SKU), sites, circuits and point-to-site',
      'pools as nodes; gateway attachments and connections as edges. With --flow, the scenario',
      'is run and the nodes and connections that the flow\'s first packet crossed are drawn',
      'in red. Mermaid renders on GitHub inside a ```mermaid block; DOT: vgw diagram F --format dot | dot -Tsvg',
      '',
      'Options:',
      '  --format mermaid|dot   default mermaid',
      '  --flow ID              highlight this flow\'s path',
      '',
      'Exit codes: 0 ok, 2 invalid scenario or unknown flow.',
    ].join('\n'),
    options: { ...COMMON, format: { type: 'string' }, flow: { type: 'string' } },
    run({ values, positionals }, io) {
      const file = fileArg('diagram', positionals);
      const format = values['format'] ?? 'mermaid';
      if (format !== 'mermaid' && format !== 'dot') throw new UsageError(`vgw diagram: --format must be mermaid or dot, got "${String(format)}"`);
      const flow = typeof values['flow'] === 'string' ? values['flow'] : undefined;
      const v = validateScenarioFile(file);
      printDiagnostics(v.diagnostics.filter((d) => d.severity === 'error'), io, false);
      if (!v.scenario) return 2;
      let events: SimEvent[] = [];
      if (flow !== undefined) {
        const ids = v.scenario.traffic.map((f) => f.id);
        if (!ids.includes(flow)) throw new UsageError(`vgw diagram: no flow "${flow}" in ${file} (flows: ${ids.join(', ') || 'none'})`);
        const sink = new CollectSink();
        runScenario(v.scenario, { sink, traceLimit: 1 });
        events = sink.events;
      }
      io.out(renderDiagram(v.scenario, format, events, flow).trimEnd());
      return 0;
    },
  },
  bench: {
    summary: 'time the hot paths (LPM, classifier, forwarding, ESP) against baselines',
    usage: 'vgw bench [SUITE...] [--json] [--quick] [--sizes N,N] [--seed N] [--reps N] [--workers N] [--table FILE | --selectors FILE] [--addresses FILE]',
    help: BENCH_HELP,
    options: {
      ...COMMON, json: { type: 'boolean' }, quick: { type: 'boolean' }, sizes: { type: 'string' }, seed: { type: 'string' },
      reps: { type: 'string' }, workers: { type: 'string' }, table: { type: 'string' }, selectors: { type: 'string' }, addresses: { type: 'string' },
    },
    run({ values, positionals }, io) {
      try {
        return runBench({
          positionals, json: values['json'] === true, quick: values['quick'] === true,
          ...(str(values['sizes']) !== undefined ? { sizes: str(values['sizes'])! } : {}),
          ...(str(values['seed']) !== undefined ? { seed: str(values['seed'])! } : {}),
          ...(str(values['reps']) !== undefined ? { reps: str(values['reps'])! } : {}),
          ...(str(values['workers']) !== undefined ? { workers: str(values['workers'])! } : {}),
          ...(str(values['table']) !== undefined ? { table: str(values['table'])! } : {}),
          ...(str(values['selectors']) !== undefined ? { selectors: str(values['selectors'])! } : {}),
          ...(str(values['addresses']) !== undefined ? { addresses: str(values['addresses'])! } : {}),
        }, {
          out: io.out,
          progress: process.stderr.isTTY ? (t) => process.stderr.write(t) : null,
          version: version(),
        });
      } catch (e) {
        if (e instanceof BenchInputError) throw new UsageError(e.message);
        throw e;
      }
    },
  },
};

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
      const c = rest[0] ? commands[rest[0]] : undefined;
      if (rest[0] && !c) throw new UsageError(`vgw help: unknown command "${rest[0]}" (commands: ${Object.keys(commands).join(', ')})`);
      out(c ? `Usage: ${c.usage}\n\n${c.help}` : mainHelp());
      return 0;
    }
    const c = commands[cmd];
    if (!c) {
      const hint = cmd.startsWith('-') ? '' : ` (commands: ${Object.keys(commands).join(', ')})`;
      throw new UsageError(`vgw: unknown command "${cmd}"${hint}; see vgw --help`);
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: [...rest], options: c.options, allowPositionals: true, strict: true });
    } catch (e) {
      const msg = e instanceof Error ? e.message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '') : String(e);
      throw new UsageError(`vgw ${cmd}: ${msg} (see vgw ${cmd} --help)`);
    }
    if (parsed.values['help'] === true) {
      out(`Usage: ${c.usage}\n\n${c.help}`);
      return 0;
    }
    const code = c.run(parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] }, io);
    return typeof code === 'number' ? code : code.catch((e: unknown) => failure(e, err));
  } catch (e) {
    return failure(e, err);
  }
}

function failure(e: unknown, err: Out): number {
  if (e instanceof UsageError) {
    err(e.message);
    return 2;
  }
  // A bug of ours, not the user's input: one line, no stack trace, and a way to report it.
  err(`vgw: internal error: ${e instanceof Error ? e.message : String(e)} (please report this with the scenario file)`);
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
