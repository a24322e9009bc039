/** `vgw sas`: run a scenario and list its IPsec SAs, like swanctl --list-sas. Flags and output only; the work is in sim/. */
import { runScenario } from '../../sim/index.js';
import { formatSas } from '../format.js';
import { jsonLine } from '../printable.js';
import { COMMON, fileArg, cryptoFlag, validScenario } from '../command.js';
import type { Command } from '../command.js';

export const sasCommand: Command = {
  summary: 'run a scenario and list its IPsec SAs, like swanctl --list-sas',
  usage: 'vgw sas FILE [--json] [--crypto native|node|forge] [--no-color]',
  help: [
    'Runs the scenario, then lists every child SA pair per connection as strongSwan\'s',
    '`swanctl --list-sas` does: state (established, or why not), SPIs in and out, transform,',
    'local and remote traffic selectors, packets and bytes each way, replay-window top.',
    'Seen from the Azure gateway: out is what it encrypted, in what it decrypted and verified.',
    '',
    'Options:',
    '  --json          one JSON object per SA pair',
    '  --crypto B      ESP crypto backend: native (default when built), node or forge',
    '  --no-color      no colours',
    '',
    'Exit codes: 0 ok, 2 the scenario is invalid.',
  ].join('\n'),
  options: { ...COMMON, json: { type: 'boolean' }, crypto: { type: 'string' } },
  run({ values, positionals }, io) {
    const file = fileArg('sas', positionals);
    const json = values['json'] === true;
    const crypto = cryptoFlag('sas', values['crypto']);
    const scenario = validScenario(file, io, json);
    if (!scenario) return 2;
    const r = runScenario(scenario, { crypto });
    if (json) for (const t of r.tunnels) io.out(jsonLine({ type: 'sa', ...t }));
    else for (const line of formatSas(r, io.style)) io.out(line);
    return 0;
  },
};
