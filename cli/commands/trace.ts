/** `vgw trace`: follow one what-if packet through a scenario. Flags and output only; the work is in sim/. */
import { CollectSink, MAX_SECONDS_TEXT, MIN_FLOW_SIZE, whatIf, WHAT_IF_FLOW } from '../../sim/index.js';
import type { SimEvent } from '../../sim/index.js';
import { pathsByFlow, hopLines } from '../format.js';
import { jsonLine, printable } from '../printable.js';
import { COMMON, UsageError, fileArg, intFlag, secondsFlag, validScenario } from '../command.js';
import type { Command } from '../command.js';

export const traceCommand: Command = {
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
    '  --at SECONDS       virtual time of the packet: faults up to then apply; from 0 (the default)',
    `                     to ${MAX_SECONDS_TEXT}`,
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
    const at = secondsFlag('trace', 'at', values['at']) ?? 0;
    const dport = intFlag('trace', 'dport', values['dport'], 1, 65535);
    const sport = intFlag('trace', 'sport', values['sport'], 1, 65535);
    const size = intFlag('trace', 'size', values['size'], 28, 65535);
    const minSize = MIN_FLOW_SIZE[proto];
    if (size !== undefined && size < minSize) {
      throw new UsageError(`vgw trace: --size ${size} is too small for ${proto} (IPv4 20 + ${proto.toUpperCase()} ${minSize - 20} header bytes); give at least ${minSize}`);
    }
    const ttl = intFlag('trace', 'ttl', values['ttl'], 1, 255);
    const json = values['json'] === true;
    const scenario = validScenario(file, io, json);
    if (!scenario) return 2;
    const sink = new CollectSink();
    const res = whatIf(scenario, {
      from, to, proto,
      ...(dport !== undefined ? { dport } : {}), ...(sport !== undefined ? { sport } : {}),
      ...(size !== undefined ? { size } : {}), ...(ttl !== undefined ? { ttl } : {}),
      df: values['df'] === true, at,
    }, sink);
    if ('error' in res) throw new UsageError(`vgw trace: ${res.error}`);
    const f = res.result.flows[0]!;
    const events: SimEvent[] = sink.events.filter((e) => e.type !== 'fault');
    if (json) {
      for (const e of events) io.out(jsonLine(e));
      io.out(jsonLine({ type: 'summary', flows: res.result.flows }));
    } else {
      io.out(io.style.bold(printable(`${from} → ${to}, ${proto}${dport !== undefined ? ` port ${dport}` : ''}`)) + io.style.dim(printable(`  (${scenario.name}, t=${at}s)`)));
      const p = pathsByFlow(events).get(WHAT_IF_FLOW)?.[0];
      if (p) for (const line of hopLines(p, io.style)) io.out(line);
    }
    return f.dropped > 0 ? 1 : 0;
  },
};
