/**
 * Hostile scenarios, generated with a fixed-seed PRNG (failures reproduce) and validated in
 * process through the CLI's own `main(argv, out, err)`: long names with near-miss
 * references, thousands of unknown references, deep nesting in every style, huge numbers
 * and digit strings in every time, rate and count key, files full of syntax errors, keys
 * named like JavaScript built-ins at every depth, multi-line tokens before an error, and
 * control characters in names, keys and values.
 *
 * The contract for every file: exit code 0, 1 or 2 (never 70); no stack trace, TypeError,
 * RangeError or internal error; at most 50 diagnostics plus one TOO_MANY_DIAGNOSTICS; every
 * diagnostic line in the FILE:LINE:COLUMN CODE form, its line inside the file and its
 * column at most one past the end of that line; no control character, "NaN" or "Infinity"
 * in any line; and a bounded amount of work: the "did you mean" distance cells of one file
 * stay within the file budget (a meter, not a clock).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { main } from '../../cli/main.js';
import { MAX_DIAGNOSTICS } from '../../sim/scenario/diagnostics.js';
import { editDistanceCells, FILE_SUGGEST_BUDGET } from '../../sim/scenario/suggest.js';
import { Prng } from '../../sim/util/prng.js';

const tmp = mkdtempSync(join(tmpdir(), 'vgw-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const DIAG = /^(.+):(\d+):(\d+) ([A-Z][A-Z0-9_]+) (.*)$/;
const BUILTINS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'toLocaleString', '__defineGetter__', 'prototype'];

/** A small valid scenario the generators start from. */
const BASE = `name: hostile
vnets:
  - name: vnet1
    addressSpace: [10.1.0.0/16]
    subnets:
      - { name: frontend, prefix: 10.1.0.0/24 }
      - { name: GatewaySubnet, prefix: 10.1.255.0/27 }
    hosts:
      - { name: vm1, ip: 10.1.0.4 }
gateways:
  - { name: gw1, vnet: vnet1, vpnType: RouteBased, sku: Standard, publicIp: 203.0.113.10 }
sites:
  - name: hq
    gatewayIp: 198.51.100.1
    addressPrefixes: [192.168.0.0/16]
    device: { vpnType: RouteBased }
    hosts:
      - { name: pc1, ip: 192.168.1.10 }
circuits:
  - { name: er1, bandwidth: 1Gbps, onPremisesPrefixes: [172.20.0.0/16], site: hq }
connections:
  - { name: gw1-hq, type: IPsec, gateway: gw1, site: hq, sharedKey: "s3cret-key", mtu: 1400, replayWindow: 64 }
traffic:
  - { id: ping, from: vm1, to: pc1, proto: icmp, count: 3, start: 1s, interval: 250ms }
  - { id: web, from: pc1, to: 10.1.0.4, proto: tcp, dport: 443, size: 1400, count: 5, rate: 100pps }
faults:
  - { at: 30s, connection: gw1-hq }
inject:
  - { connection: gw1-hq, at: 0, action: corrupt, packet: 1, byte: 40 }
expect:
  - { flow: ping, delivered: all, via: gw1-hq }
`;

type Gen = (r: Prng) => string | Buffer;

const word = (r: Prng, n: number): string => Array.from({ length: n }, () => 'abcdefghij'[r.int(10)]).join('');

/** A near miss: one character changed, dropped or doubled. */
function nearMiss(r: Prng, s: string): string {
  const i = r.int(s.length);
  switch (r.int(3)) {
    case 0:
      return `${s.slice(0, i)}z${s.slice(i + 1)}`;
    case 1:
      return s.slice(0, i) + s.slice(i + 1);
    default:
      return s.slice(0, i) + s[i] + s.slice(i);
  }
}

const GENERATORS: Record<string, Gen> = {
  'long names with near-miss references': (r) => {
    const long = word(r, r.range(20_000, 40_000));
    const host = `h${word(r, r.range(5_000, 15_000))}`;
    return BASE.replace('id: ping,', `id: ${long},`)
      .replace('flow: ping,', `flow: ${nearMiss(r, long)},`)
      .replace('{ name: vm1, ip: 10.1.0.4 }', `{ name: vm1, ip: 10.1.0.4 }\n      - { name: ${host}, ip: 10.1.0.5 }`)
      .replace('to: 10.1.0.4,', `to: ${nearMiss(r, host)},`);
  },
  'thousands of unknown references': (r) => {
    const n = r.range(600, 1200);
    const hosts = Array.from({ length: n }, (_, i) => `      - { name: host${String(i).padStart(5, '0')}, ip: 10.1.${(i + 4) >> 8}.${(i + 4) & 255} }`).join('\n');
    const flows = Array.from({ length: n }, (_, i) => `  - { id: f${i}, from: ${nearMiss(r, `host${String(i).padStart(5, '0')}`)}, to: ${word(r, 8)}, proto: icmp }`).join('\n');
    const expects = Array.from({ length: r.int(500) }, (_, i) => `  - { flow: f${i}x, via: ${word(r, 6)} }`).join('\n');
    return `name: refs\nvnets:\n  - name: v\n    addressSpace: [10.0.0.0/8]\n    subnets: [{ name: s, prefix: 10.1.0.0/16 }]\n    hosts:\n${hosts}\ntraffic:\n${flows}\nexpect:\n${expects}\n`;
  },
  'deep nesting': (r) => {
    const n = r.pick([65, 100, 800, 10_000, 60_000]);
    switch (r.int(5)) {
      case 0:
        return `name: x\ndescription: ${'['.repeat(n)}${']'.repeat(n)}\n`;
      case 1:
        return `name: x\ndescription: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`;
      case 2:
        return `name: x\ndescription:\n  ${'- '.repeat(n)}x\n`;
      case 3:
        return `{"name": "x", "vnets": ${'[{"a": '.repeat(n >> 1)}1${'}]'.repeat(n >> 1)}}`;
      default: {
        let t = 'name: x\ndescription:\n';
        for (let i = 1; i <= Math.min(n, 400); i++) t += `${' '.repeat(i)}k${i}:${i % 7 === 0 ? ' [' : ''}\n`;
        return t;
      }
    }
  },
  'huge numbers and digit strings in every time, rate and count key': (r) => {
    const values = ['1e308', '-1e308', '.inf', '-.inf', '.nan', '9'.repeat(r.range(300, 400)), `"${'9'.repeat(r.range(300, 400))}s"`, `"${'9'.repeat(310)}pps"`,
      '0x10', '1_000', '"1_000s"', '"1e3s"', '"0x10s"', '1e-324', '5e-324', '-0', '4294967296', '9007199254740993', '"5constructor"', '"3toString"', '1e9', '1000000000.5'];
    const doc = parse(BASE) as Record<string, Record<string, unknown>[]>;
    const keys: [string, string][] = [['traffic', 'start'], ['traffic', 'interval'], ['traffic', 'rate'], ['traffic', 'count'], ['traffic', 'size'], ['traffic', 'ttl'], ['traffic', 'sport'],
      ['faults', 'at'], ['inject', 'at'], ['inject', 'packet'], ['inject', 'byte'], ['circuits', 'bandwidth'], ['connections', 'mtu'], ['connections', 'replayWindow']];
    let text = stringify(doc);
    for (let k = 0; k < r.range(1, 6); k++) {
      const [list, key] = r.pick(keys);
      const v = r.pick(values);
      // Rewrite the first "key: ..." line under the list (flow style was lost by stringify: one key per line).
      const lines = text.split('\n');
      const start = lines.findIndex((l) => l === `${list}:`);
      const at = lines.findIndex((l, i) => i > start && new RegExp(`^\\s*-?\\s*${key}:`).test(l));
      if (at > start) lines[at] = lines[at]!.replace(/:.*$/, `: ${v}`);
      else if (start >= 0) lines.splice(start + 2, 0, `    ${key}: ${v}`);
      text = lines.join('\n');
    }
    return r.int(4) === 0 ? text.replace('name: hostile', `name: hostile\nseed: ${r.pick(values)}`) : text;
  },
  'many syntax errors': (r) => {
    const bad = r.pick(['"x": ]', '{a: [}', '- ]\n', ': : :', '[a, {b: ]}', '"\n', "'\n", '&a *a', '!!', '? ? ?\n', '\t- x\n']);
    return `name: x\n${bad.repeat(Math.floor(r.range(20_000, 120_000) / bad.length))}\n`;
  },
  'keys named like built-ins at every depth': (r) => {
    const doc = parse(BASE) as unknown;
    const maps: Record<string, unknown>[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v !== null && typeof v === 'object') {
        maps.push(v as Record<string, unknown>);
        Object.values(v).forEach(walk);
      }
    };
    walk(doc);
    for (let k = 0; k < r.range(1, 8); k++) {
      const m = r.pick(maps);
      Object.defineProperty(m, r.pick(BUILTINS), { value: r.int(3) === 0 ? { [r.pick(BUILTINS)]: 1 } : r.int(100), enumerable: true, configurable: true, writable: true });
    }
    let text = stringify(doc);
    // Names (and the references to them) spelled like built-ins too.
    for (const n of ['vm1', 'hq', 'gw1-hq', 'ping']) if (r.int(2) === 0) text = text.split(n).join(r.pick(BUILTINS));
    return text;
  },
  'multi-line tokens before an error': (r) => {
    const lines = BASE.split('\n');
    const at = r.int(lines.length);
    const open = r.pick(['"', "'", '{{}"', '[ "', 'description: |\n  a\n  b\n', 'description: "a\n  b\n  c"\n', '{a: "x\n']);
    const body = Array.from({ length: r.range(1, 6) }, () => word(r, r.range(0, 12))).join('\n');
    lines.splice(at, 0, `${open}${body}${r.pick(['', '\n', '\n  more: 1', ' ]', ' }'])}`);
    return lines.join('\n');
  },
  'control characters in names, keys and values': (r) => {
    const controls = ['\\n', '\\r', '\\t', '\\u001b[31m', '\\u0007', '\\u0000', '\\u007f', '\\u0085', '\\u2028', '\\u202e', '\\b'];
    let text = BASE;
    for (let k = 0; k < r.range(1, 5); k++) {
      const c = r.pick(controls);
      switch (r.int(4)) {
        case 0:
          text = text.replace('name: vm1', `name: "vm${c}1"`);
          break;
        case 1:
          text = text.replace('name: hostile', `name: hostile\n"k${c}ey": 1`);
          break;
        case 2:
          text = text.replace('id: ping', `id: "pi${c}ng"`);
          break;
        default:
          text = text.replace('sku: Standard', `sku: "Stan${c}dard"`);
      }
    }
    if (r.int(3) === 0) {
      // Raw bytes too: a NUL, an escape, a lone CR.
      const b = Buffer.from(text, 'utf8');
      const i = r.int(b.length);
      return Buffer.concat([b.subarray(0, i), Buffer.from([r.pick([0x00, 0x1b, 0x0d, 0x07, 0x7f])]), b.subarray(i)]);
    }
    return text;
  },
};

const FILES_PER_GENERATOR = 5;

interface Outcome {
  readonly code: number;
  readonly lines: string[];
  readonly cells: number;
}

async function validate(path: string, json: boolean): Promise<Outcome> {
  const lines: string[] = [];
  const before = editDistanceCells();
  let code: number;
  try {
    code = await main(['validate', path, ...(json ? ['--json'] : [])], (l) => lines.push(l), (l) => lines.push(l));
  } catch (e) {
    lines.push(`THREW: ${e instanceof Error ? e.message : String(e)}`);
    code = -1;
  }
  return { code, lines, cells: editDistanceCells() - before };
}

/** What is wrong with the outcome of validating `text` (stored at `path`), or []. */
function problems(path: string, text: string, o: Outcome, json: boolean): string[] {
  const p: string[] = [];
  if (![0, 1, 2].includes(o.code)) p.push(`exit code ${o.code}`);
  if (o.cells > FILE_SUGGEST_BUDGET) p.push(`${o.cells} distance cells, more than the file budget ${FILE_SUGGEST_BUDGET}`);
  const fileLines = text.split('\n');
  const diags: { line: number; column: number; code: string; message: string }[] = [];
  for (const l of o.lines) {
    if (/^\s+at |TypeError|RangeError|internal error|THREW/.test(l)) p.push(`stack trace or crash: ${l.slice(0, 200)}`);
    if (/[\u0000-\u001f\u007f\u0085\u2028\u2029\u202e]/.test(json ? l.replace(/\\u[0-9a-f]{4}|\\[nrtbf"\\]/g, '') : l)) p.push(`control character in ${JSON.stringify(l.slice(0, 200))}`);
    if (/\bNaN\b|\bInfinity\b/.test(l)) p.push(`NaN or Infinity in ${l.slice(0, 200)}`);
    if (json) {
      const j = JSON.parse(l) as { type: string; line?: number; column?: number; code?: string; message?: string };
      if (j.type === 'diagnostic') diags.push({ line: j.line!, column: j.column!, code: j.code!, message: j.message! });
      continue;
    }
    if (!l.startsWith(`${path}:`)) continue;
    const m = DIAG.exec(l);
    if (!m || m[1] !== path) {
      if (!/^\S+: (valid|\d+ error)/.test(l)) p.push(`not FILE:LINE:COLUMN CODE: ${l.slice(0, 200)}`);
      continue;
    }
    diags.push({ line: Number(m[2]), column: Number(m[3]), code: m[4]!, message: m[5]! });
    if (/[\u0000-\u001f]/.test(m[5]!)) p.push('raw control character in a message');
  }
  if (o.code === 2 && diags.length === 0) p.push('exit 2 without a diagnostic');
  if (diags.length > MAX_DIAGNOSTICS + 1) p.push(`${diags.length} diagnostics, more than ${MAX_DIAGNOSTICS} + 1`);
  diags.forEach((d, i) => {
    if (d.code === 'TOO_MANY_DIAGNOSTICS' && (i !== diags.length - 1 || !d.message.startsWith('... and '))) p.push('TOO_MANY_DIAGNOSTICS is not the last line, or not "... and N more"');
    if (d.line < 1 || d.line > fileLines.length) p.push(`line ${d.line} outside the file (${fileLines.length} lines): ${d.message.slice(0, 120)}`);
    else if (d.column < 1 || d.column > (fileLines[d.line - 1] ?? '').length + 1) p.push(`column ${d.column} past line ${d.line} (${(fileLines[d.line - 1] ?? '').length} characters): ${d.message.slice(0, 120)}`);
  });
  return p;
}

describe('hostile scenarios through main()', () => {
  it('the oracle catches what it must', () => {
    const ok: Outcome = { code: 2, lines: ['f.yaml:1:1 SCHEMA bad', 'f.yaml: 1 error'], cells: 0 };
    expect(problems('f.yaml', 'x\n', ok, false)).toEqual([]);
    expect(problems('f.yaml', 'x\n', { ...ok, code: 70 }, false)).not.toEqual([]);
    expect(problems('f.yaml', 'x\n', { ...ok, lines: ['f.yaml:3:1 SCHEMA bad'] }, false)).not.toEqual([]);
    expect(problems('f.yaml', 'x\n', { ...ok, lines: ['f.yaml:1:3 SCHEMA bad'] }, false)).not.toEqual([]);
    expect(problems('f.yaml', 'x\n', { ...ok, lines: ['f.yaml:1:1 SCHEMA got NaN'] }, false)).not.toEqual([]);
    expect(problems('f.yaml', 'x\n', { ...ok, lines: ['f.yaml:1:1 SCHEMA a\u001b[31m'] }, false)).not.toEqual([]);
    expect(problems('f.yaml', 'x\n', { ...ok, cells: FILE_SUGGEST_BUDGET + 1 }, false)).not.toEqual([]);
    expect(problems('f.yaml', 'x\n', { ...ok, lines: Array.from({ length: 52 }, () => 'f.yaml:1:1 SCHEMA x') }, false)).not.toEqual([]);
  });

  it.each(Object.keys(GENERATORS))('%s', async (name) => {
    const r = new Prng(20161010, `hostile:${name}`);
    const failures: string[] = [];
    const codes = new Set<number>();
    for (let k = 0; k < FILES_PER_GENERATOR; k++) {
      const content = (GENERATORS[name] as Gen)(r);
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      const path = join(tmp, `${name.replace(/\W+/g, '-')}-${k}.yaml`);
      writeFileSync(path, bytes);
      const json = k % 2 === 1;
      const o = await validate(path, json);
      codes.add(o.code);
      const p = problems(path, bytes.toString('utf8'), o, json);
      if (p.length > 0) failures.push(`#${k} (${bytes.length} bytes, ${json ? '--json' : 'text'}): ${p.slice(0, 3).join('; ')}`);
    }
    expect(failures).toEqual([]);
    expect(codes.size).toBeGreaterThan(0);
  });
});
