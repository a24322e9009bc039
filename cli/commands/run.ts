/**
 * `vgw run`: simulate a scenario and print every flow's packet path. Flags and output only;
 * the work is in sim/. The text report's header names the ESP crypto backend; when the
 * backend was not chosen with --crypto and the native addon is not loaded, one line on
 * stderr says so before the run (a chosen backend is the user's decision: no line).
 */
import { join } from 'node:path';
import { validateScenarioFile, shardRefusal, runScenario, captureLinks, CollectSink, cryptoBackendProblem } from '../../sim/index.js';
import type { RunResult } from '../../sim/index.js';
import { CaptureFiles } from '../captures.js';
import { formatRun } from '../format.js';
import { jsonLine, printable } from '../printable.js';
import { progressReporter } from '../progress.js';
import { runSharded } from '../run-pool.js';
import { COMMON, UsageError, fileArg, intFlag, cryptoFlag, str, printDiagnostics } from '../command.js';
import type { Command } from '../command.js';

export const runCommand: Command = {
  summary: 'simulate a scenario and print every flow\'s packet path',
  usage: 'vgw run FILE [--json] [--trace-limit N] [--crypto native|node|forge] [--pcap DIR] [--workers N] [--quiet] [--no-color]',
  help: [
    'Simulates the scenario: every flow\'s packets move hop by hop through subnets, gateways,',
    'tunnels and devices. Prints each distinct path once, one line per hop with the decision',
    'taken there (the route matched and the routes it beat, the selector, the SA, the drop',
    'reason), then a summary and the expectations.',
    '',
    'Options:',
    '  --json            JSON Lines: one event per line, the last line {"type":"summary",...}',
    '  --trace-limit N   trace the first N packets of each flow (default 100); all are counted',
    '  --crypto B        ESP crypto backend, all giving the same bytes: native (OpenSSL through',
    '                    vgwsim\'s addon, built by npm ci; the default when built), node',
    '                    (node:crypto; the default otherwise, and then one line on stderr says',
    '                    why native is not loaded) or forge (pure JavaScript). The header',
    '                    line names the backend the run used',
    '  --pcap DIR        write one pcap per link (internet.pcap: the ESP packets between tunnel ends;',
    '                    vnet-NAME.pcap, site-NAME.pcap, p2s-NAME.pcap: inner packets) and DIR/esp_sa,',
    '                    Wireshark\'s ESP SA table, so the capture opens decrypted; with IKE SAs also',
    '                    DIR/ikev2_decryption_table and DIR/ikev1_decryption_table, Wireshark\'s IKE',
    '                    tables. Written while the run goes on, in constant memory; a DIR that cannot',
    '                    be written is refused first',
    '  --workers N       shard the flows over N worker threads (default 1). Every worker routes every',
    '                    packet; each builds and protects the ESP bytes of its own flows only, so',
    '                    the output is identical to one thread. Not with inject: entries or --pcap',
    '                    (then it says so on stderr and runs on one thread)',
    '  --quiet, -q       no progress bar (it is drawn on stderr only when stderr is a terminal)',
    '  --no-color        no colours (NO_COLOR is respected too)',
    '',
    'Exit codes: 0 ok, 1 an expectation failed, 2 the scenario is invalid or bad input (a flag, a',
    '--pcap DIR that cannot be written), 74 a capture could not be written (disk full).',
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
    const nativeMissing = values['crypto'] === undefined ? cryptoBackendProblem('native') : '';
    const pcapDir = str(values['pcap']);
    // "-" means standard output to most tools; captures are several files, so it is refused, not made a directory.
    if (pcapDir === '-') throw new UsageError('vgw run: --pcap takes a directory (one .pcap per link and esp_sa), not "-": standard output cannot hold them; give a directory such as ./captures');
    const v = validateScenarioFile(file);
    printDiagnostics(v.diagnostics, io, json);
    if (!v.scenario) {
      if (!json && v.errors > 1) io.err(printable(`${file}: ${v.errors} errors; nothing was simulated`));
      return 2;
    }
    if (nativeMissing) io.err(printable(`vgw run: ESP crypto on node:crypto (same bytes, slower), as the native backend is unavailable: ${nativeMissing}. --crypto node chooses node:crypto without this line`));
    // Before the run: a capture directory that cannot be written is refused now, not after it.
    const captures = pcapDir !== undefined ? CaptureFiles.prepare(pcapDir, captureLinks(v.scenario)) : undefined;
    const sink = new CollectSink();
    const progress = progressReporter(process.stderr, values['quiet'] === true);
    const refusal = workers > 1 ? shardRefusal(v.scenario, { capture: captures !== undefined }) : null;
    if (refusal) io.err(`vgw run: --workers ${workers} not used: ${refusal}; running on one thread`);
    let r: RunResult;
    try {
      r = workers > 1 && !refusal
        ? runSharded(file, v.scenario, workers, { crypto, traceLimit, sink, ...(progress ? { progress } : {}) })
        : runScenario(v.scenario, { sink, traceLimit, crypto, ...(captures ? { capture: captures } : {}), ...(progress ? { progress } : {}) });
    } catch (e) {
      // A failed write stops the run: the bar is erased so the message starts its own line.
      progress?.({ packets: 0, totalPackets: 0, t: 0, endT: 0, done: true });
      captures?.close();
      throw e;
    }
    // The run is over: a capture file that cannot be completed now is reported after the report, which still shows.
    const finished = captures && r.captures ? captures.finish(r.captures) : { files: [] };
    const written = finished.files;
    if (json) {
      for (const e of sink.events) io.out(jsonLine(e));
      io.out(jsonLine({
        type: 'summary', scenario: v.scenario.name, seed: v.scenario.seed, duration: r.duration, crypto: r.crypto,
        flows: r.flows, expectations: { passed: r.passed, failed: r.failed, results: r.expectations }, counters: r.counters,
        injections: r.injections, ike: r.ike, ...(pcapDir !== undefined ? { captures: { dir: pcapDir, files: written } } : {}),
      }));
    } else {
      for (const line of formatRun(v.scenario, sink.events, r, io.style, traceLimit)) io.out(line);
      if (pcapDir !== undefined) io.out(io.style.dim(printable(`captures: ${written.map((f) => join(pcapDir, f)).join(', ')}`)));
    }
    if (finished.error) throw finished.error;
    return r.failed > 0 ? 1 : 0;
  },
};
