/**
 * `vgw peer` through the CLI's `main` in process, without the network: its help, refused
 * flags, an unknown connection or one that is not Site-to-Site, and an invalid scenario
 * each end with exit code 2 and a message that says what to change. Nothing here binds a
 * socket: every case fails before the command listens.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';

const PB = 'scenarios/s2s-policy-based.yaml';
const MULTI = 'scenarios/s2s-route-based-multisite.yaml';

async function cli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

describe('vgw peer --help', () => {
  it('shows the usage, every option, the port rule, the one-address promise and the exit codes', async () => {
    const r = await cli(['peer', '--help']);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/^Usage: vgw peer FILE --connection NAME --listen ADDR\[:PORT\]/);
    for (const flag of ['--connection', '--listen', '--peer', '--initiate', '--timeout', '--seed', '--json', '--no-color']) expect(text).toContain(flag);
    expect(text).toContain('NAT-T port 4500,\n                     or P+1 when P is not 500');
    expect(text).toContain('It sends only to the device');
    expect(text).toContain('Exit codes: 0 the session was established, 1 it failed');
    expect((await cli(['help', 'peer'])).out.join('\n')).toBe(text);
  });

  it('is listed by vgw --help', async () => {
    expect((await cli(['--help'])).out.join('\n')).toMatch(/^ {2}peer +play the Azure side of a connection on real UDP against a real device$/m);
  });
});

describe('vgw peer refuses bad flags with exit 2', () => {
  const cases: readonly [string, string[], string][] = [
    ['no file', ['peer', '--connection', 'gw1-hq', '--listen', '127.0.0.1'], 'vgw peer: missing FILE (see vgw peer --help)'],
    ['no --connection', ['peer', PB, '--listen', '127.0.0.1'], 'vgw peer: missing --connection NAME (see vgw peer --help)'],
    ['no --listen', ['peer', PB, '--connection', 'gw1-hq'], 'vgw peer: missing --listen ADDR[:PORT] (see vgw peer --help)'],
    ['a listen address that is not IPv4', ['peer', PB, '--connection', 'gw1-hq', '--listen', 'localhost'], 'vgw peer: --listen must be ADDR or ADDR:PORT with an IPv4 address, got "localhost"'],
    ['a listen port out of range', ['peer', PB, '--connection', 'gw1-hq', '--listen', '127.0.0.1:65535'], 'vgw peer: --listen port must be a whole number from 1 to 65534, got "65535"'],
    ['a peer port of 0', ['peer', PB, '--connection', 'gw1-hq', '--listen', '127.0.0.1', '--peer', '127.0.0.3:0'], 'vgw peer: --peer port must be a whole number from 1 to 65534, got "0"'],
    ['a peer that is an address and a half', ['peer', PB, '--connection', 'gw1-hq', '--listen', '127.0.0.1', '--peer', '10.0.0.300'], 'vgw peer: --peer must be ADDR or ADDR:PORT with an IPv4 address, got "10.0.0.300"'],
    ['a negative timeout', ['peer', PB, '--connection', 'gw1-hq', '--listen', '127.0.0.1', '--timeout', '-5'], 'vgw peer: --timeout must be a number of seconds from 0 to 10^9 s (about 31.7 years), got "-5"'],
    ['a seed that is a word', ['peer', PB, '--connection', 'gw1-hq', '--listen', '127.0.0.1', '--seed', 'x'], 'vgw peer: --seed must be a whole number from 0 to 4294967295, got "x"'],
    ['an unknown flag', ['peer', PB, '--connection', 'gw1-hq', '--listen', '127.0.0.1', '--port', '5'], 'vgw peer: Unknown option \'--port\' (see vgw peer --help)'],
    ['a value-less --connection', ['peer', PB, '--listen', '127.0.0.1', '--connection'], 'vgw peer: --connection needs a value (see vgw peer --help)'],
  ];
  for (const [what, argv, message] of cases) {
    it(what, async () => {
      const r = await cli(argv);
      expect([r.code, r.err, r.out]).toEqual([2, [message], []]);
    });
  }
});

describe('vgw peer refuses connections it cannot play', () => {
  it('an unknown connection: exit 2, with the names of the scenario\'s IPsec connections', async () => {
    const r = await cli(['peer', MULTI, '--connection', 'to-nowhere', '--listen', '127.0.0.1']);
    expect([r.code, r.err]).toEqual([2, [`vgw peer: no connection named "to-nowhere" in ${MULTI} (its IPsec connections: "to-hq", "to-branch-a", "to-branch-b")`]]);
  });

  it('a VNet-to-VNet connection: exit 2, it is not Site-to-Site', async () => {
    const r = await cli(['peer', 'scenarios/vnet-to-vnet.yaml', '--connection', 'east-to-west', '--listen', '127.0.0.1']);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/^vgw peer: east-to-west is a Vnet2Vnet connection, not IPsec \(Site-to-Site\) in scenarios\/vnet-to-vnet\.yaml \(its IPsec connections: none\)$/);
  });

  it('an invalid scenario: exit 2 with its diagnostics, nothing else', async () => {
    const r = await cli(['peer', 'scenarios/invalid/address-overlap.yaml', '--connection', 'x', '--listen', '127.0.0.1']);
    expect(r.code).toBe(2);
    expect(r.err.length).toBeGreaterThan(0);
    expect(r.err.every((l) => /^scenarios\/invalid\/address-overlap\.yaml:\d+:\d+ [A-Z_]+ /.test(l))).toBe(true);
    expect(r.out).toEqual([]);
  });

  it('an invalid scenario with --json: its diagnostics as JSON lines on stdout', async () => {
    const r = await cli(['peer', 'scenarios/invalid/address-overlap.yaml', '--connection', 'x', '--listen', '127.0.0.1', '--json']);
    expect(r.code).toBe(2);
    expect(r.out.map((l) => (JSON.parse(l) as { type: string }).type).every((t) => t === 'diagnostic')).toBe(true);
    expect(r.out.length).toBeGreaterThan(0);
  });
});
