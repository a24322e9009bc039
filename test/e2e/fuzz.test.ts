/**
 * Scenario fuzzing: the simulator never crashes on a scenario. Every example (valid and
 * invalid) is mutated 300+ times with a fixed-seed PRNG (so failures reproduce), in the
 * ways people and tools break YAML: a key deleted, a value of the wrong type, a reference
 * renamed to an unknown name, a prefix or address replaced by a random (often invalid)
 * one, the text truncated at a random byte, a key duplicated, random bytes inserted.
 *
 * Each mutated file goes through the CLI's own `main(argv, out, err)` in process (fast):
 * the exit code is 0, 1 or 2, never 70 (internal error); a 2 prints at least one line;
 * no line holds a stack trace ("    at "), a TypeError or a RangeError. About 50 of the
 * mutated files then go through the real built binary to prove the same at process level.
 * Fixed cases: an alias bomb, custom tags, an oversized file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { main } from '../../cli/main.js';
import { Prng } from '../../sim/util/prng.js';
import { CLI, ROOT, ensureBuilt, exampleScenarios, invalidScenarios, runCli } from '../support/run-cli.js';

const MUTATIONS_PER_FILE = 320;
const FILES = [...exampleScenarios(), ...invalidScenarios()];
const REFERENCE_KEYS = new Set(['vnet', 'gateway', 'site', 'peerGateway', 'circuit', 'from', 'to', 'flow', 'connection', 'defaultSite', 'via', 'name', 'id']);
const ADDRESSY = /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/;

let tmp = '';
/** Mutated files kept for the process-level check: path, what was done, argv. */
const kept: { file: string; what: string; argv: string[] }[] = [];

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'vgw-fuzz-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Slot = { parent: Json[] | { [k: string]: Json }; key: string | number; value: Json };

/** Every (parent, key) slot of a parsed document, depth first. */
function slots(root: Json): Slot[] {
  const out: Slot[] = [];
  const walk = (v: Json): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        out.push({ parent: v, key: i, value: x });
        walk(x);
      });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        out.push({ parent: v, key: k, value: x });
        walk(x);
      }
    }
  };
  walk(root);
  return out;
}

function set(s: Slot, v: Json): void {
  (s.parent as Record<string | number, Json>)[s.key] = v;
}

function randomWord(r: Prng): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz-_0123456789';
  let w = '';
  const n = r.range(1, 12);
  for (let i = 0; i < n; i++) w += alphabet[r.int(alphabet.length)];
  return w;
}

function wrongTypeFor(r: Prng, v: Json): Json {
  const choices: (() => Json)[] = [
    () => r.range(-5, 70000) * (r.int(4) === 0 ? 0.5 : 1),
    () => randomWord(r),
    () => [r.int(100), randomWord(r)],
    () => ({ [randomWord(r)]: r.int(9) }),
    () => null,
    () => r.int(2) === 0,
    () => [],
    () => ({}),
    () => '',
    () => 1e300,
    () => -1,
  ];
  // Prefer a value of another type than the current one.
  for (let k = 0; k < 5; k++) {
    const x = r.pick(choices)();
    if (typeof x !== typeof v || Array.isArray(x) !== Array.isArray(v)) return x;
  }
  return null;
}

function randomAddress(r: Prng, withLen: boolean): string {
  const octet = (): string => String(r.int(10) === 0 ? r.range(256, 999) : r.int(256));
  const n = r.int(12) === 0 ? r.range(1, 6) : 4;
  let a = Array.from({ length: n }, octet).join('.');
  if (withLen || r.int(5) === 0) {
    const len = r.int(8) === 0 ? r.range(33, 99) : r.int(33);
    a += `/${len}`;
  }
  const junk = ['', '', '', ' ', '/', '//', '.', 'x', '-1', '0x10', '::1'];
  return r.int(6) === 0 ? a + r.pick(junk) : a;
}

interface Mutation {
  readonly what: string;
  readonly bytes: Buffer;
}

/** One mutation of `text` (parsed as `doc`), chosen by `r`. */
function mutate(r: Prng, text: string, kind: number): Mutation {
  const structural = (what: string, f: (root: Json, all: Slot[]) => string | undefined): Mutation => {
    const root = parse(text) as Json;
    const all = slots(root);
    const done = all.length > 0 ? f(root, all) : undefined;
    if (done === undefined) return truncate();
    return { what: `${what}: ${done}`, bytes: Buffer.from(stringify(root, { aliasDuplicateObjects: false }), 'utf8') };
  };
  const truncate = (): Mutation => {
    const b = Buffer.from(text, 'utf8');
    const at = r.int(b.length + 1);
    return { what: `truncate at byte ${at}`, bytes: b.subarray(0, at) };
  };
  switch (kind) {
    case 0:
      return structural('delete key', (_root, all) => {
        const s = r.pick(all);
        if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
        else delete s.parent[s.key as string];
        return String(s.key);
      });
    case 1:
      return structural('wrong type', (_root, all) => {
        const s = r.pick(all);
        const v = wrongTypeFor(r, s.value);
        set(s, v);
        return `${String(s.key)} = ${JSON.stringify(v)}`;
      });
    case 2:
      return structural('unknown reference', (_root, all) => {
        const refs = all.filter((s) => typeof s.value === 'string' && (REFERENCE_KEYS.has(String(s.key)) || typeof s.key === 'number'));
        if (refs.length === 0) return undefined;
        const s = r.pick(refs);
        const v = `zz-${randomWord(r)}`;
        set(s, v);
        return `${String(s.key)} = ${v}`;
      });
    case 3:
      return structural('random address', (_root, all) => {
        const addrs = all.filter((s) => typeof s.value === 'string' && ADDRESSY.test(s.value));
        if (addrs.length === 0) return undefined;
        const s = r.pick(addrs);
        const v = randomAddress(r, (s.value as string).includes('/'));
        set(s, v);
        return `${String(s.key)}: ${String(s.value)} → ${v}`;
      });
    case 4:
      return truncate();
    case 5: {
      // Duplicate a key: repeat a `key: value` line (or the key of a `- key: value` item) right after it.
      const ls = text.split('\n');
      const candidates = ls.map((l, i) => ({ l, i })).filter((x) => /^\s*(- )?[A-Za-z][\w-]*:/.test(x.l));
      if (candidates.length === 0) return truncate();
      const c = r.pick(candidates);
      const m = /^(\s*)(- )?([A-Za-z][\w-]*:.*)$/.exec(c.l)!;
      const indent = m[1]! + (m[2] ? '  ' : '');
      const dup = r.int(2) === 0 ? `${indent}${m[3]}` : `${indent}${m[3]!.split(':')[0]}: ${randomWord(r)}`;
      ls.splice(c.i + 1, 0, dup);
      return { what: `duplicate key at line ${c.i + 2}: ${dup.trim()}`, bytes: Buffer.from(ls.join('\n'), 'utf8') };
    }
    default: {
      const b = Buffer.from(text, 'utf8');
      const at = r.int(b.length + 1);
      const junk = r.fill(new Uint8Array(r.range(1, 8)));
      if (r.int(3) === 0) junk[0] = r.pick([0x00, 0x09, 0x0a, 0x22, 0x27, 0x26, 0x2a, 0x21, 0x7b, 0x5b, 0x3a, 0x23, 0x7c, 0x3e, 0xef, 0xff]);
      return { what: `insert ${junk.length} bytes at ${at}: ${Buffer.from(junk).toString('hex')}`, bytes: Buffer.concat([b.subarray(0, at), Buffer.from(junk), b.subarray(at)]) };
    }
  }
}

interface Outcome { code: number; out: string[]; err: string[] }

/** Call the CLI's main() in process; it returns the exit code, or a promise of it for commands that wait. */
async function callMain(argv: string[]): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  let code: number;
  try {
    code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  } catch (e) {
    // main must never throw; report it as a failure with the message.
    err.push(`THREW: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    code = -1;
  }
  return { code, out, err };
}

/** Problems with one outcome, or [] when it obeys the contract. */
function problems(o: Outcome): string[] {
  const p: string[] = [];
  if (o.code !== 0 && o.code !== 1 && o.code !== 2) p.push(`exit code ${o.code}`);
  const all = [...o.out, ...o.err];
  if (o.code === 2 && all.length === 0) p.push('exit 2 with no output');
  const bad = all.find((l) => l.includes('    at ') || /TypeError|RangeError|THREW/.test(l));
  if (bad !== undefined) p.push(`output line: ${bad.slice(0, 300)}`);
  return p;
}

function argvFor(r: Prng, file: string, text: string): string[] {
  switch (r.int(5)) {
    case 0:
    case 1:
      return ['run', file];
    case 2:
      return ['run', file, '--json'];
    case 3:
      return ['validate', file];
    default: {
      // trace with the endpoints of one of the original flows
      const m = [...text.matchAll(/from:\s*([\w.-]+),\s*to:\s*([\w.-]+)/g)];
      if (m.length === 0) return ['validate', file, '--json'];
      const f = r.pick(m);
      return ['trace', file, '--from', f[1]!, '--to', f[2]!];
    }
  }
}

describe('scenario fuzzing through main()', () => {
  it('the oracle itself catches what it must', () => {
    expect(problems({ code: 70, out: [], err: ['vgw: internal error: boom'] })).not.toEqual([]);
    expect(problems({ code: 2, out: [], err: [] })).toEqual(['exit 2 with no output']);
    expect(problems({ code: 0, out: ['x'], err: ['    at main (file:///cli/main.js:1:1)'] })).not.toEqual([]);
    expect(problems({ code: 1, out: ["TypeError: cannot read properties of undefined"], err: [] })).not.toEqual([]);
    expect(problems({ code: 2, out: [], err: ['f.yaml:1:1 SCHEMA bad'] })).toEqual([]);
  });

  it('has enough files to reach 3,000 cases', () => {
    expect(FILES.length * MUTATIONS_PER_FILE).toBeGreaterThanOrEqual(3000);
  });

  it.each(FILES)('%s: 320 mutations never crash the CLI', async (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const r = new Prng(20160201, `fuzz:${file}`);
    const failures: string[] = [];
    const codes = new Map<number, number>();
    const kinds = new Map<number, number>();
    const stem = basename(file).replace(/\.ya?ml$/, '');
    for (let k = 0; k < MUTATIONS_PER_FILE; k++) {
      const kind = k % 7;
      const m = mutate(r, text, kind);
      const path = join(tmp, `${stem}-${k}.yaml`);
      writeFileSync(path, m.bytes);
      const argv = argvFor(r, path, text);
      const o = await callMain(argv);
      codes.set(o.code, (codes.get(o.code) ?? 0) + 1);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      const p = problems(o);
      if (p.length) failures.push(`#${k} ${m.what} [vgw ${argv.join(' ')}]: ${p.join('; ')}`);
      if (k % 45 === 7) kept.push({ file: path, what: m.what, argv });
    }
    expect(failures.slice(0, 10), `${failures.length} of ${MUTATIONS_PER_FILE} mutations of ${file} broke the contract`).toEqual([]);
    // The mutations really bite: most are rejected, each kind ran.
    expect(codes.get(2) ?? 0).toBeGreaterThan(MUTATIONS_PER_FILE / 3);
    expect(kinds.size).toBe(7);
  });

  it('~50 of the mutated files through the real binary: same contract at process level', async () => {
    expect(kept.length).toBeGreaterThanOrEqual(Math.min(50, FILES.length * 7));
    const failures: string[] = [];
    for (const k of kept.slice(0, 64)) {
      const res = runCli(k.argv);
      const text = res.stdout + res.stderr;
      const inProcess = await callMain(k.argv);
      if (![0, 1, 2].includes(res.code)) failures.push(`${k.what}: exit ${res.code}`);
      if (res.code === 2 && text.trim() === '') failures.push(`${k.what}: exit 2, silent`);
      if (/^\s+at /m.test(res.stderr) || /TypeError|RangeError|internal error/.test(text)) failures.push(`${k.what}: ${res.stderr.slice(0, 300)}`);
      if (res.code !== inProcess.code) failures.push(`${k.what}: binary exit ${res.code}, main() ${inProcess.code}`);
    }
    expect(failures).toEqual([]);
    // Up to 64 processes one after another: ~25 s on a quiet machine, a few times that on a loaded one.
  }, 240_000);
});

describe('hostile YAML, refused with exit 2 and a diagnostic', () => {
  const base = (): string => readFileSync(join(ROOT, 'scenarios/s2s-policy-based.yaml'), 'utf8');
  const diag = /^\S+:\d+:\d+ SCHEMA .+/;

  async function refuse(name: string, content: string | Buffer, pattern: RegExp): Promise<void> {
    const path = join(tmp, name);
    writeFileSync(path, content);
    for (const argv of [['validate', path], ['run', path], ['run', path, '--json']]) {
      const t0 = Date.now();
      const o = await callMain(argv);
      expect(Date.now() - t0, `${argv.join(' ')} is quick`).toBeLessThan(5000);
      expect(o.code, argv.join(' ')).toBe(2);
      expect(problems(o)).toEqual([]);
      const all = [...o.out, ...o.err];
      if (argv.includes('--json')) {
        const ds = all.map((l) => JSON.parse(l) as { type: string; code?: string; message?: string });
        expect(ds.some((d) => d.type === 'diagnostic' && d.code === 'SCHEMA' && pattern.test(d.message ?? ''))).toBe(true);
      } else {
        expect(all.some((l) => diag.test(l) && pattern.test(l)), all.join('\n')).toBe(true);
      }
    }
    const bin = runCli(['run', path]);
    expect(bin.code).toBe(2);
    expect(bin.stderr).toMatch(pattern);
    expect(bin.stderr).not.toMatch(/^\s+at /m);
  }

  it('a billion-laughs alias bomb', async () => {
    const names = 'abcdefghi';
    let bomb = `x-${names[0]}: &${names[0]} ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n`;
    for (let i = 1; i < names.length; i++) bomb += `x-${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]\n`;
    await refuse('bomb.yaml', bomb + base(), /alias/i);
  });

  it('an alias bomb nested inside a valid key', async () => {
    const names = 'abcdefghi';
    let v = `[${Array(9).fill('"lol"').join(',')}]`;
    let lines = '';
    lines += `  - &${names[0]} ${v}\n`;
    for (let i = 1; i < names.length; i++) {
      v = `[${Array(9).fill(`*${names[i - 1]}`).join(',')}]`;
      lines += `  - &${names[i]} ${v}\n`;
    }
    await refuse('bomb-nested.yaml', base().replace('faults:\n', `faults:\n${lines}`), /alias/i);
  });

  it('the !!binary tag', async () => {
    await refuse('binary.yaml', base().replace('sharedKey: "s3cret"', 'sharedKey: !!binary czNjcmV0'), /!!binary/);
  });

  it('a custom !foo tag', async () => {
    await refuse('foo-tag.yaml', base().replace('name: Site-to-Site, policy-based', 'name: !foo Site-to-Site'), /!foo/);
  });

  it('a custom tag on a mapping', async () => {
    await refuse('map-tag.yaml', base().replace('gateways:\n  - name: gw1', 'gateways:\n  - !gateway\n    name: gw1'), /!gateway/);
  });

  it('a file over 1 MiB', async () => {
    await refuse('big.yaml', base() + '#' + 'x'.repeat(1024 * 1024) + '\n', /1 MiB/);
  });

  it('several documents in one file', async () => {
    await refuse('two-docs.yaml', base() + '\n---\n' + base(), /document/);
  });

  it('an empty file and a file of NUL bytes', async () => {
    await refuse('empty.yaml', '', /.+/);
    await refuse('nul.yaml', Buffer.alloc(64), /.+/);
  });

  it('the real binary on a mutated file does not print a stack trace even for a trace', () => {
    const path = join(tmp, 'trace-mutated.yaml');
    writeFileSync(path, base().replace('{ name: vm1, ip: 10.1.0.4 }', '{ name: vm1, ip: 10.1.0.400 }'));
    const r = spawnSync(process.execPath, [CLI, 'trace', path, '--from', 'vm1', '--to', 'pc1'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/:\d+:\d+ [A-Z_]+ /);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
