/**
 * The lab catalogue on disk: scenarios/labs/NN-topic/ folders (README.md, lab.yaml,
 * solution.yaml) shipped with the package, and copying one into a working folder.
 * File handling only; grading is sim/lab.ts. A lab's title comes from its README and is
 * escaped for the terminal (printable.ts) like any text from a file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyLabVariant, planLabVariant } from '../sim/index.js';
import { printable } from './printable.js';

/** Where the labs are: next to dist/ in a checkout or an installed package. */
export const LABS_DIR = fileURLToPath(new URL('../../scenarios/labs/', import.meta.url));

export interface LabInfo {
  /** Two-digit number, e.g. "03". */
  readonly id: string;
  /** Folder name, e.g. "03-multi-site-needs-route-based". */
  readonly dir: string;
  readonly path: string;
  /** The README's first heading, escaped for printing. */
  readonly title: string;
}

export function listLabs(root: string = LABS_DIR): LabInfo[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((d) => /^\d\d-/.test(d) && statSync(join(root, d)).isDirectory())
    .sort()
    .map((d) => {
      const path = join(root, d);
      const readme = existsSync(join(path, 'README.md')) ? readFileSync(join(path, 'README.md'), 'utf8') : '';
      const title = printable(/^#\s+(.+)$/m.exec(readme)?.[1]?.trim() ?? d);
      return { id: d.slice(0, 2), dir: d, path, title };
    });
}

/** Find a lab by number ("3", "03") or folder name. */
export function findLab(which: string, root: string = LABS_DIR): LabInfo | undefined {
  const labs = listLabs(root);
  const n = /^\d{1,2}$/.test(which) ? which.padStart(2, '0') : undefined;
  return labs.find((l) => l.id === n || l.dir === which);
}

/** The files a learner gets: never the solution. */
export const LAB_FILES = ['README.md', 'lab.yaml'] as const;

/** The file `vgw lab start` leaves beside a learner's copy: which lab and variant it is. */
export const LAB_MARKER = '.vgw-lab.json';

export interface LabMarker {
  readonly lab: string;
  readonly variant: number;
}

/** The marker of a learner's folder, or undefined when it has none (or an unreadable one). */
export function readLabMarker(dir: string): LabMarker | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, LAB_MARKER), 'utf8')) as Partial<LabMarker>;
    return typeof m.lab === 'string' && Number.isSafeInteger(m.variant) ? { lab: m.lab, variant: m.variant! } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Copy a lab's README and starting scenario to `dest`, as variant `variant` (0: as
 * written; see sim/lab-variant.ts), and mark the folder with the lab and variant. Refuses
 * (returns the reason) when a file there would be overwritten: a learner's work is never lost.
 */
export function startLab(lab: LabInfo, dest: string, variant = 0): { copied: string[] } | { error: string } {
  const clash = LAB_FILES.filter((f) => existsSync(join(dest, f)));
  if (clash.length) return { error: `${join(dest, clash[0]!)} exists; refusing to overwrite it (choose another folder, or remove it)` };
  const read = (f: string): string => (existsSync(join(lab.path, f)) ? readFileSync(join(lab.path, f), 'utf8') : '');
  // The solution's addresses shape the variant too, so the solution of a variant is the variant of the solution.
  const plan = planLabVariant([...LAB_FILES, 'solution.yaml'].map(read), variant);
  mkdirSync(dest, { recursive: true });
  const copied: string[] = [];
  for (const f of LAB_FILES) {
    writeFileSync(join(dest, f), applyLabVariant(read(f), plan));
    copied.push(join(dest, f));
  }
  writeFileSync(join(dest, LAB_MARKER), `${JSON.stringify({ lab: lab.id, variant } satisfies LabMarker)}\n`);
  return { copied };
}
