/**
 * Flag values through the CLI's `main` in process: a negative number, or any other bad
 * value, of every numeric flag of every command gets vgwsim's own one-line message and
 * exit code 2 (node:util parseArgs would take "-1" for an option and answer first); a
 * missing value or an option in its place is refused in vgwsim's words too.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { MAX_SECONDS } from '../../sim/index.js';

const PB = 'scenarios/s2s-policy-based.yaml';
const TRACE = ['trace', PB, '--from', 'vm1', '--to', 'pc1'];

async function cli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

const whole = (cmd: string, flag: string, lo: number, hi: number, got: string): string =>
  `vgw ${cmd}: --${flag} must be a whole number from ${lo} to ${hi}, got "${got}"`;

/** [command line before the flag, flag, its message for a value `got`]. */
const NUMERIC: readonly [string[], string, (got: string) => string][] = [
  [['run', PB], 'workers', (g) => whole('run', 'workers', 1, 256, g)],
  [['run', PB], 'trace-limit', (g) => whole('run', 'trace-limit', 0, 1_000_000, g)],
  [['tui', PB], 'trace-limit', (g) => whole('tui', 'trace-limit', 1, 1_000_000, g)],
  [TRACE, 'dport', (g) => whole('trace', 'dport', 1, 65535, g)],
  [TRACE, 'sport', (g) => whole('trace', 'sport', 1, 65535, g)],
  [TRACE, 'size', (g) => whole('trace', 'size', 28, 65535, g)],
  [TRACE, 'ttl', (g) => whole('trace', 'ttl', 1, 255, g)],
  [TRACE, 'at', (g) => `vgw trace: --at must be a number of seconds from 0 to 10^9 s (about 31.7 years), got "${g}"`],
  [['bench'], 'seed', (g) => whole('bench', 'seed', 0, 2 ** 31 - 1, g)],
  [['bench'], 'reps', (g) => whole('bench', 'reps', 5, 1000, g)],
  [['bench'], 'workers', (g) => whole('bench', 'workers', 1, 256, g)],
  [['web'], 'port', (g) => whole('web', 'port', 0, 65535, g)],
  [['bench'], 'sizes', (g) => `vgw bench: --sizes must be whole numbers from 1 to 5000000 separated by commas, got "${g}"`],
];

describe('numeric flags: vgwsim\'s own message, exit 2', () => {
  for (const [before, flag, message] of NUMERIC) {
    it.each(['-1', '-0.5', '-.5', '-1e3'])(`vgw ${before[0]} --${flag} %s`, async (value) => {
      for (const argv of [[...before, `--${flag}`, value], [...before, `--${flag}=${value}`]]) {
        const r = await cli(argv);
        expect(r.err).toEqual([message(value)]);
        expect(r.code).toBe(2);
        expect(r.out).toEqual([]);
      }
    });
  }

  it('other bad values reach the same check', async () => {
    for (const v of ['1.5', '0x10', '1e2', ' 4', '', '300', '99999999999999999999']) {
      const r = await cli(['run', PB, '--workers', v]);
      expect(r.err).toEqual([whole('run', 'workers', 1, 256, v)]);
      expect(r.code).toBe(2);
    }
  });

  it('--at: no time beyond the bound, however many digits (no Infinity)', async () => {
    for (const v of ['1000000001', '9'.repeat(400), '1e9']) {
      const r = await cli([...TRACE, '--at', v]);
      expect(r.err).toEqual([`vgw trace: --at must be a number of seconds from 0 to 10^9 s (about 31.7 years), got "${v}"`]);
      expect(r.code).toBe(2);
    }
    // The bound is sim's, stated as scenario times state it, and in the help.
    expect(MAX_SECONDS).toBe(1e9);
    expect((await cli(['trace', '--help'])).out.join('\n')).toMatch(/--at SECONDS .*\n\s+to 10\^9 s \(about 31\.7 years\)/);
    const ok = await cli([...TRACE, '--at', '1000000000']);
    expect(ok.code).toBe(1); // the fault at 30s took the tunnel down: dropped, not refused
    expect(ok.out[0]).toContain('t=1000000000s');
  });

  it('a dash value for a host reaches the host check', async () => {
    const r = await cli(['trace', PB, '--from', 'vm1', '--to', '-1']);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^vgw trace: --to "-1" is neither a host of the scenario nor an IPv4 address/);
    expect(r.code).toBe(2);
  });
});

describe('a missing value, or an option in its place', () => {
  it('--pcap at the end: needs a value', async () => {
    const r = await cli(['run', PB, '--pcap']);
    expect(r.err).toEqual(['vgw run: --pcap needs a value (see vgw run --help)']);
    expect(r.code).toBe(2);
  });

  it('--pcap --json: the option is not taken as the directory', async () => {
    const r = await cli(['run', PB, '--pcap', '--json']);
    expect(r.err).toEqual(['vgw run: --pcap needs a value, got the option "--json" (a value that starts with a dash is written --pcap=VALUE)']);
    expect(r.code).toBe(2);
  });

  it('after --, everything is a positional', async () => {
    const r = await cli(['run', '--', PB, '--workers']);
    expect(r.err).toEqual(['vgw run: unexpected argument "--workers" (see vgw run --help)']);
    expect(r.code).toBe(2);
  });
});
