/**
 * `vgw lab report`: grades a class's lab folders (one per student, as `vgw lab start` made
 * them) and sums them up: a line per folder, then per lab how many finished and which goals
 * failed most, optionally as CSV. Reading folders and printing only; grading is sim/lab.ts.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gradeLab, validateScenarioFile } from '../sim/index.js';
import { OutputError, UsageError } from './command.js';
import type { Io } from './command.js';
import { readLabMarker } from './labs.js';
import { printable } from './printable.js';

/** One student's folder, graded. */
export interface ReportRow {
  readonly folder: string;
  /** The lab's number from the folder's marker ('?' when it has none). */
  readonly lab: string;
  readonly variant: number | null;
  readonly valid: boolean;
  readonly passed: number;
  readonly total: number;
  readonly complete: boolean;
  /** The numbers of the goals that failed. */
  readonly failed: readonly number[];
  /** Per goal number, the flow it is about, for the summary. */
  readonly goals: ReadonlyMap<number, string>;
}

/** The lab folders `dirs` name: each DIR that holds a lab.yaml, else its subfolders that do, in name order. */
export function labFolders(dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    if (!existsSync(d) || !statSync(d).isDirectory()) throw new UsageError(`vgw lab report: ${d} is not a folder`);
    if (existsSync(join(d, 'lab.yaml'))) {
      out.push(d);
      continue;
    }
    const subs = readdirSync(d).sort().map((s) => join(d, s)).filter((s) => statSync(s).isDirectory() && existsSync(join(s, 'lab.yaml')));
    if (subs.length === 0) throw new UsageError(`vgw lab report: ${d} holds no lab.yaml and no folder with one (start labs with vgw lab start NN DIR)`);
    out.push(...subs);
  }
  return out;
}

export function gradeFolder(folder: string): ReportRow {
  const marker = readLabMarker(folder);
  const g = gradeLab(validateScenarioFile(join(folder, 'lab.yaml')));
  const base = { folder, lab: marker?.lab ?? '?', variant: marker?.variant ?? null };
  if (!g.valid) return { ...base, valid: false, passed: 0, total: 0, complete: false, failed: [], goals: new Map() };
  return {
    ...base, valid: true, passed: g.passed, total: g.total, complete: g.complete,
    failed: g.goals.filter((x) => !x.passed).map((x) => x.n),
    goals: new Map(g.goals.map((x) => [x.n, x.flow])),
  };
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The rows as CSV: a header, then a line per folder. */
export function reportCsv(rows: readonly ReportRow[]): string {
  const lines = ['folder,lab,variant,valid,passed,total,complete,failed_goals'];
  for (const r of rows) {
    lines.push([r.folder, r.lab, r.variant === null ? '' : String(r.variant), String(r.valid), String(r.passed), String(r.total), String(r.complete), r.failed.join(' ')].map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function labReport(dirs: readonly string[], csv: string | undefined, io: Io): number {
  const rows = labFolders(dirs).map(gradeFolder);
  const name = (r: ReportRow): string => relative('.', r.folder) || r.folder;
  const width = Math.max(6, ...rows.map((r) => printable(name(r)).length));
  io.out(io.style.bold(`${'folder'.padEnd(width)}  lab  variant  score   failed goals`));
  for (const r of rows) {
    const score = r.valid ? `${r.passed}/${r.total}` : 'invalid';
    const failed = !r.valid ? 'the scenario does not validate' : r.failed.length === 0 ? '' : r.failed.join(', ');
    const line = `${printable(name(r)).padEnd(width)}  ${r.lab.padEnd(3)}  ${String(r.variant ?? '-').padEnd(7)}  ${score.padEnd(7)} ${failed}`;
    io.out(r.complete ? io.style.green(line) : io.style.red(line));
  }
  io.out('');
  for (const lab of [...new Set(rows.map((r) => r.lab))].sort()) {
    const of = rows.filter((r) => r.lab === lab);
    const done = of.filter((r) => r.complete).length;
    const invalid = of.filter((r) => !r.valid).length;
    io.out(`lab ${lab}: ${done} of ${of.length} finished${invalid ? `, ${invalid} invalid` : ''}`);
    const fails = new Map<number, number>();
    for (const r of of) for (const n of r.failed) fails.set(n, (fails.get(n) ?? 0) + 1);
    for (const [n, k] of [...fails].sort((a, b) => b[1] - a[1] || a[0] - b[0])) {
      const flow = of.find((r) => r.goals.has(n))?.goals.get(n);
      io.out(printable(`  goal ${n}${flow === undefined ? '' : ` (flow ${flow})`} failed in ${k} of ${of.length}`));
    }
  }
  if (csv !== undefined) {
    try {
      writeFileSync(csv, reportCsv(rows));
    } catch (e) {
      throw new OutputError(`vgw lab report: cannot write ${csv}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    io.out(printable(`wrote ${csv}`));
  }
  return 0;
}
