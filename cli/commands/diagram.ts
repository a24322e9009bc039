/** `vgw diagram`: draw the topology as Mermaid or Graphviz, with a flow's path highlighted. Flags and output only; the work is in sim/. */
import { runScenario, CollectSink, renderDiagram } from '../../sim/index.js';
import type { SimEvent } from '../../sim/index.js';
import { COMMON, UsageError, fileArg, str, validScenario } from '../command.js';
import { printable } from '../printable.js';
import type { Command } from '../command.js';

export const diagramCommand: Command = {
  summary: 'draw the topology as Mermaid or Graphviz, with a flow\'s path highlighted',
  usage: 'vgw diagram FILE [--format mermaid|dot] [--flow ID]',
  help: [
    'Prints the topology: VNets, gateways (type and SKU), sites, circuits and point-to-site',
    'pools as nodes; gateway attachments and connections as edges. The scenario is run: a',
    'connection whose IKE negotiation failed is drawn crossed out with its status',
    '(IKE_PHASE1_KEY_MISMATCH, ...), and with --flow the nodes and connections that the',
    'flow\'s first packet crossed are drawn in red. Mermaid renders on GitHub inside a',
    '```mermaid block; DOT: vgw diagram F --format dot | dot -Tsvg',
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
    const flow = str(values['flow']);
    const scenario = validScenario(file, io, false);
    if (!scenario) return 2;
    if (flow !== undefined) {
      const ids = scenario.traffic.map((f) => f.id);
      if (!ids.includes(flow)) throw new UsageError(`vgw diagram: no flow "${flow}" in ${file} (flows: ${ids.join(', ') || 'none'})`);
    }
    // A run gives the flow's path and which connections' IKE failed.
    const sink = new CollectSink();
    runScenario(scenario, { sink, traceLimit: flow !== undefined ? 1 : 0 });
    const events: SimEvent[] = sink.events;
    // Names and flow ids cannot hold control characters (the loader refuses them); the title is free text.
    io.out(renderDiagram({ ...scenario, name: printable(scenario.name) }, format, events, flow).trimEnd());
    return 0;
  },
};
