/**
 * End to end: the `vgw` command line contract (help, usage errors, exit codes, colours,
 * failing expectations, `vgw trace`, `--trace-limit`), through the built binary.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, ensureBuilt, lines, runCli, noStack } from '../support/run-cli.js';

const PB = 'scenarios/s2s-policy-based.yaml';
let tmp = '';

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'vgw-cli-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('help', () => {
  it.each([
    [['--help']],
    [['-h']],
    [['help']],
    [['help', 'run']],
    [['help', 'validate']],
    [['help', 'trace']],
    [['help', '--help']],
    [['help', 'help']],
    [['run', '--help']],
    [['validate', '--help']],
    [['trace', '--help']],
    [['sas', '--help']],
    [['run', '-h']],
  ])('vgw %j exits 0 with a Usage line', (args) => {
    const r = runCli(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: vgw /m);
    expect(r.stderr).toBe('');
  });

  it('command help names the command and its options', () => {
    expect(runCli(['run', '--help']).stdout).toMatch(/^Usage: vgw run FILE .*--json.*--trace-limit N/m);
    expect(runCli(['validate', '--help']).stdout).toMatch(/^Usage: vgw validate FILE/m);
    expect(runCli(['trace', '--help']).stdout).toMatch(/^Usage: vgw trace FILE --from X --to Y/m);
    expect(runCli(['help', 'run']).stdout).toBe(runCli(['run', '--help']).stdout);
  });

  it('vgw --help lists every command', () => {
    const out = runCli(['--help']).stdout;
    for (const c of ['run', 'validate', 'trace', 'sas', 'explain', 'lab', 'tui', 'diagram', 'bench', 'help']) expect(out).toMatch(new RegExp(`^\\s+${c}\\s+\\S`, 'm'));
  });

  it('every command vgw --help lists has its own --help, and they line up', () => {
    const listed = runCli(['--help']).stdout.split('\n').filter((l) => /^ {2}[a-z]+ {2,}\S/.test(l));
    expect(listed.length).toBeGreaterThanOrEqual(10);
    // One column for the summaries.
    expect(new Set(listed.map((l) => l.search(/(?<=[a-z]) {2,}\S/) + l.slice(l.search(/(?<=[a-z]) {2,}\S/)).search(/\S/))).size).toBe(1);
    for (const c of listed.map((l) => l.trim().split(/\s+/)[0]!)) {
      const r = runCli([c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toMatch(new RegExp(`^Usage: vgw ${c}\\b`, 'm'));
    }
  });

  it('every command\'s help gives its exit codes and the shared 70 and 74, the same for every command as the README says', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/Exit codes, the same for every command:[\s\S]*\| 70 \| an internal error[\s\S]*\| 74 \| output could not be written/);
    expect(runCli(['--help']).stdout).toMatch(/^Exit codes: 0 ok, .*\n.*\b70 an internal error.*\n74 output could not be written/m);
    for (const c of ['run', 'sas', 'validate', 'trace', 'explain', 'lab', 'tui', 'diagram', 'bench', 'peer']) {
      const help = runCli([c, '--help']).stdout;
      expect(help, c).toMatch(/^Exit codes: 0 /m);
      expect(help, c).toMatch(/^Every command also exits 70 on an internal error of vgwsim \(please report it\) and 74 when output could not be written\.$/m);
    }
  });

  it('vgw with no arguments exits 2 and shows the usage', () => {
    const r = runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/^Usage: vgw COMMAND/m);
  });
});

describe('usage errors: exit 2, one line on stderr', () => {
  it.each([
    [['run', PB, '--bogus'], '--bogus'],
    [['validate', PB, '--frobnicate'], '--frobnicate'],
    [['trace', PB, '--from', 'vm1', '--to', 'pc1', '--frm', 'x'], '--frm'],
    [['run', PB, '-x'], '-x'],
  ])('unknown flag: vgw %j names %s', (args, flag) => {
    const r = runCli(args);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(flag);
    expect(r.stdout).toBe('');
  });

  it('unknown command', () => {
    const r = runCli(['frob', PB]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('frob');
    expect(r.stdout).toBe('');
  });

  it('unknown command after help', () => {
    const r = runCli(['help', 'frob']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('frob');
  });

  it('missing file: vgw run prints one line naming it', () => {
    const r = runCli(['run', 'no/such/scenario.yaml']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('no/such/scenario.yaml');
    expect(r.stdout).toBe('');
    noStack(r.stderr);
  });

  it('missing file: vgw validate exits 2 with one line, a diagnostic naming it', () => {
    const r = runCli(['validate', 'no/such/scenario.yaml']);
    expect(r.code).toBe(2);
    expect(lines(r.stdout + r.stderr)).toHaveLength(1);
    expect(lines(r.stdout + r.stderr).filter((l) => /^no\/such\/scenario\.yaml:1:1 SCHEMA .*no\/such\/scenario\.yaml/.test(l))).toHaveLength(1);
    noStack(r.stdout + r.stderr);
  });

  it('missing file: vgw trace exits 2 with one line naming it', () => {
    const r = runCli(['trace', 'no/such/scenario.yaml', '--from', 'vm1', '--to', 'pc1']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('no/such/scenario.yaml');
  });

  it('--pcap - is refused (captures are several files, not standard output) and makes no directory "-"', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'vgw-pcap-dash-'));
    try {
      for (const args of [['--pcap', '-'], ['--pcap=-']]) {
        const r = runCli(['run', join(ROOT, PB), ...args], { cwd });
        expect(r.code).toBe(2);
        expect(lines(r.stderr)).toEqual(['vgw run: --pcap takes a directory (one .pcap per link and esp_sa), not "-": standard output cannot hold them; give a directory such as ./captures']);
        expect(r.stdout).toBe('');
        expect(readdirSync(cwd)).toEqual([]);
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('a directory instead of a file', () => {
    const r = runCli(['run', 'scenarios']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('scenarios');
  });

  it.each([
    [['run'], 'FILE'],
    [['run', PB, PB], 'unexpected argument'],
    [['run', PB, '--trace-limit', 'x'], '--trace-limit'],
    [['run', PB, '--trace-limit', '-1'], '--trace-limit'],
    [['trace', PB, '--from', 'vm1'], '--to'],
    [['trace', PB, '--from', 'vm1', '--to', 'pc1', '--proto', 'sctp'], '--proto'],
    [['trace', PB, '--from', 'vm1', '--to', 'pc1', '--ttl', '0'], '--ttl'],
    [['trace', PB, '--from', 'vm1', '--to', 'pc1', '--at', 'soon'], '--at'],
    [['trace', PB, '--from', 'vm1', '--to', 'pc1', '--proto', 'tcp', '--size', '30'], '--size 30 is too small for tcp (IPv4 20 + TCP 20 header bytes); give at least 40'],
  ])('bad arguments vgw %j: one line mentioning %s', (args, what) => {
    const r = runCli(args);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(what);
    noStack(r.stderr);
  });
});

describe('colours', () => {
  it('NO_COLOR: no escape sequences anywhere', () => {
    for (const args of [['run', PB], ['validate', PB], ['trace', PB, '--from', 'vm1', '--to', 'pc1'], ['run', 'scenarios/warnings-shared-key.yaml']]) {
      const r = runCli(args, { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
      expect(r.stdout + r.stderr).not.toContain('\x1b');
    }
  });

  it('not a terminal and no FORCE_COLOR: no colours either', () => {
    const r = runCli(['run', PB], { env: { NO_COLOR: undefined, FORCE_COLOR: undefined } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\x1b');
  });

  it('FORCE_COLOR=1 gives colours', () => {
    const r = runCli(['run', PB], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\x1b[');
    expect(r.stdout).toContain('\x1b[32m✓'); // the green check of a passing expectation
  });

  it('FORCE_COLOR=1 with --no-color: no colours', () => {
    const r = runCli(['run', PB, '--no-color'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\x1b');
  });

  it('--json never has colours, even forced', () => {
    const r = runCli(['run', PB, '--json'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(r.stdout).not.toContain('\x1b');
    for (const l of lines(r.stdout)) JSON.parse(l);
  });
});

describe('a failing expectation', () => {
  it('exits 1 and prints the failing expectation with ✗', () => {
    const text = readFileSync(join(ROOT, PB), 'utf8');
    const wrong = text.replace('{ flow: ping, delivered: all, via: gw1-hq }', '{ flow: ping, dropped: all, reason: no-route }');
    expect(wrong).not.toBe(text);
    const file = join(tmp, 'wrong-expectation.yaml');
    writeFileSync(file, wrong);
    const r = runCli(['run', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('expectations: 3 passed, 1 failed');
    const bad = lines(r.stdout).filter((l) => /^\s*✗ flow ping\b/.test(l));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/dropped 0 of 3/);
    expect(lines(r.stdout).filter((l) => /^\s*✓ flow /.test(l))).toHaveLength(3);

    const j = runCli(['run', file, '--json']);
    expect(j.code).toBe(1);
    const ls = lines(j.stdout);
    const summary = JSON.parse(ls[ls.length - 1]!) as { expectations: { passed: number; failed: number; results: { flow: string; passed: boolean }[] } };
    expect(summary.expectations.passed).toBe(3);
    expect(summary.expectations.failed).toBe(1);
    expect(summary.expectations.results.filter((x) => !x.passed).map((x) => x.flow)).toEqual(['ping']);
  });
});

describe('vgw trace', () => {
  it('vm1 → pc1 on the policy-based example: route with beat, classify, encrypt with SPI, delivered', () => {
    const r = runCli(['trace', PB, '--from', 'vm1', '--to', 'pc1']);
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^vm1 → pc1, icmp/m);
    expect(out).toMatch(/vnet1\/frontend\s+route\s+192\.168\.0\.0\/16 → VirtualNetworkGateway gw1/);
    expect(out).toMatch(/^\s+beat: 0\.0\.0\.0\/0 → Internet \[Default\]/m);
    expect(out).toMatch(/gw1\s+classify\s+traffic selectors entry 1: 10\.1\.0\.0\/16 → 192\.168\.0\.0\/16/);
    expect(out).toMatch(/gw1\s+encrypt\s+encrypt into SA gw1-hq#1\/out/);
    expect(out).toMatch(/ESP spi 0x[0-9a-f]{8} seq 1 /);
    expect(out).toMatch(/hq\/device\s+decrypt/);
    expect(out).toMatch(/✓ delivered to pc1 via gw1-hq/);
    // hops numbered 1.. in order
    const hops = lines(out).map((l) => /^\s+(\d+)\s{2}\S/.exec(l)?.[1]).filter(Boolean).map(Number);
    expect(hops).toEqual(hops.map((_, i) => i + 1));
    expect(hops.length).toBeGreaterThanOrEqual(5);
  });

  it('--json: hop events and a summary with one delivered packet', () => {
    const r = runCli(['trace', PB, '--from', 'vm1', '--to', 'pc1', '--json']);
    expect(r.code).toBe(0);
    const objs = lines(r.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objs.filter((o) => o['type'] === 'hop').map((o) => o['stage'])).toEqual(['send', 'route', 'classify', 'encrypt', 'decrypt', 'deliver']);
    const last = objs[objs.length - 1] as { type: string; flows: { sent: number; delivered: number }[] };
    expect(last.type).toBe('summary');
    expect(last.flows[0]).toMatchObject({ sent: 1, delivered: 1 });
  });

  it('to an address with nobody there: exit 1 and "dropped: no-host"', () => {
    const r = runCli(['trace', PB, '--from', 'vm1', '--to', '10.1.0.99']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ dropped: no-host at vnet1/);
  });

  it('after the fault at 30s: exit 1 and "dropped: tunnel-down"', () => {
    const r = runCli(['trace', PB, '--from', 'vm1', '--to', 'pc1', '--at', '31']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ dropped: tunnel-down at gw1/);
  });

  it('to the internet: exit 0', () => {
    const r = runCli(['trace', PB, '--from', 'vm1', '--to', '8.8.8.8']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/→ internet/);
  });

  it.each([
    [['--from', 'nosuch', '--to', 'pc1'], 'nosuch'],
    [['--from', 'vm1', '--to', 'pc9'], 'pc9'],
  ])('unknown host %j: exit 2, one line naming it', (args, name) => {
    const r = runCli(['trace', PB, ...args]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(`"${name}"`);
    expect(r.stdout).toBe('');
  });

  it('on an invalid scenario: exit 2 with diagnostics', () => {
    const file = join(tmp, 'bad-prefix.yaml');
    writeFileSync(file, readFileSync(join(ROOT, PB), 'utf8').replace('addressSpace: [10.1.0.0/16]', 'addressSpace: [10.1.0.5/16]'));
    const r = runCli(['trace', file, '--from', 'vm1', '--to', 'pc1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/:\d+:\d+ INVALID_PREFIX /);
  });

  it('tcp of 40 bytes (its headers) and udp of 28: sent at that size', () => {
    const tcp = runCli(['trace', PB, '--from', 'vm1', '--to', 'pc1', '--proto', 'tcp', '--size', '40']);
    expect(tcp.code).toBe(0);
    expect(tcp.stdout).toMatch(/vm1\s+send\s+tcp 40 bytes/);
    const udp = runCli(['trace', PB, '--from', 'vm1', '--to', 'pc1', '--proto', 'udp', '--size', '28']);
    expect(udp.code).toBe(0);
    expect(udp.stdout).toMatch(/vm1\s+send\s+udp 28 bytes/);
  });
});

describe('vgw validate: flow sizes', () => {
  it('a tcp flow of 30 bytes: exit 2, SCHEMA at the size, no stack', () => {
    const file = join(tmp, 'tcp-30.yaml');
    const text = readFileSync(join(ROOT, PB), 'utf8').replace('size: 1400', 'size: 30');
    writeFileSync(file, text);
    const line = text.split('\n').findIndex((l) => l.includes('size: 30'));
    const column = text.split('\n')[line]!.indexOf('30') + 1;
    const r = runCli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${file}:${line + 1}:${column} SCHEMA "size" in flow "web" is 30 bytes, too small for a tcp packet (IPv4 20 + TCP 20 header bytes); make it at least 40`);
    noStack(r.stdout + r.stderr);
  });
});

describe('--trace-limit', () => {
  it('--trace-limit 1 shows only packet 1 of each flow, and still counts all', () => {
    const r = runCli(['run', PB, '--trace-limit', '1']);
    expect(r.code).toBe(0);
    const pk = lines(r.stdout).filter((l) => /^\s+packet \d+ at /.test(l));
    expect(pk.length).toBe(4); // one per flow
    for (const l of pk) {
      expect(l).toMatch(/^\s+packet 1 at /);
      expect(l).not.toMatch(/same path/);
    }
    expect(r.stdout).toContain('(paths shown for the first 1 packets; all 3 are counted)');
    expect(r.stdout).toContain('(paths shown for the first 1 packets; all 5 are counted)');
    expect(r.stdout).toMatch(/⇒ 3 sent, 3 delivered/);
  });

  it('without it, packets 2-3 of ping are traced (folded as the same path)', () => {
    const r = runCli(['run', PB]);
    expect(r.stdout).toMatch(/packet 1 at t=0s\s+\(same path: packets 2-3\)/);
  });

  it('--json --trace-limit 1: every traced event is of packet 1', () => {
    const r = runCli(['run', PB, '--json', '--trace-limit', '1']);
    expect(r.code).toBe(0);
    const objs = lines(r.stdout).map((l) => JSON.parse(l) as { type: string; packet?: number });
    const traced = objs.filter((o) => o.type === 'hop' || o.type === 'delivered' || o.type === 'dropped' || o.type === 'internet');
    expect(traced.length).toBeGreaterThan(0);
    expect(new Set(traced.map((o) => o.packet))).toEqual(new Set([1]));
    expect(traced.filter((o) => o.type !== 'hop')).toHaveLength(4); // one end per flow
  });

  it('--trace-limit 0 traces nothing but still counts', () => {
    const r = runCli(['run', PB, '--json', '--trace-limit', '0']);
    expect(r.code).toBe(0);
    const objs = lines(r.stdout).map((l) => JSON.parse(l) as { type: string });
    expect(objs.filter((o) => o.type === 'hop')).toHaveLength(0);
    expect(objs[objs.length - 1]!.type).toBe('summary');
  });
});

describe('process robustness', () => {
  it('a reader that closes the pipe early (vgw run ... | head -n 1) gets no stack trace', () => {
    // The --json output of this example (~80 KB) is larger than a pipe buffer, so the
    // writer is still writing when `head` exits.
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" run scenarios/expressroute-with-vpn.yaml --json | head -n 1 >/dev/null`], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.stderr).not.toMatch(/EPIPE/);
    noStack(r.stderr);
  });

  it('--version prints the package version', () => {
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});
