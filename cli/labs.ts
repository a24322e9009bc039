/**
 * The lab catalogue on disk: scenarios/labs/NN-topic/ folders (README.md, lab.yaml,
 * solution.yaml) shipped with the package, and copying one into a working folder.
 * File handling only; grading is sim/lab.ts. A lab's title comes from its README and is
 * escaped for the terminal (printable.ts) like any text from a file.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/**
 * Copy a lab's README and starting scenario to `dest`. Refuses (returns the reason) when
 * a file there would be overwritten: a learner's work is never lost.
 */
export function startLab(lab: LabInfo, dest: string): { copied: string[] } | { error: string } {
  const clash = LAB_FILES.filter((f) => existsSync(join(dest, f)));
  if (clash.length) return { error: `${join(dest, clash[0]!)} exists; refusing to overwrite it (choose another folder, or remove it)` };
  mkdirSync(dest, { recursive: true });
  const copied: string[] = [];
  for (const f of LAB_FILES) {
    copyFileSync(join(lab.path, f), join(dest, f));
    copied.push(join(dest, f));
  }
  return { copied };
}
