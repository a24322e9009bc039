/** `vgw graph`: print the data-plane graph from its node declarations. Flags and output only; the work is in sim/. */
import { graphText } from '../../sim/index.js';
import { COMMON, UsageError } from '../command.js';
import type { Command } from '../command.js';

export const graphCommand: Command = {
  summary: 'print the data-plane graph: every node, where it may pass a packet, what it may drop',
  usage: 'vgw graph [--format text|dot|mermaid]',
  help: [
    'Prints the graph of nodes a packet moves through (send, the routing nodes, the gateway,',
    'ESP encrypt, the Internet link, ESP decrypt, delivery), made from the nodes\' own',
    'declarations: for each node the nodes it may pass a packet to, the ends it may give',
    '(delivered, internet) and the drop reasons it may count. The same names appear in',
    'README.md under "How to add a node".',
    '',
    'Options:',
    '  --format text|dot|mermaid   default text; dot: vgw graph --format dot | dot -Tsvg',
    '',
    'Exit codes: 0 ok, 2 bad flag.',
  ].join('\n'),
  options: { ...COMMON, format: { type: 'string' } },
  run({ values, positionals }, io) {
    if (positionals.length > 0) throw new UsageError(`vgw graph: takes no file, got "${positionals[0]}"`);
    const format = values['format'] ?? 'text';
    if (format !== 'text' && format !== 'mermaid' && format !== 'dot') throw new UsageError(`vgw graph: --format must be text, dot or mermaid, got "${String(format)}"`);
    io.out(graphText(format).trimEnd());
    return 0;
  },
};
