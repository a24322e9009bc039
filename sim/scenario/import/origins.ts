/**
 * Where each element of an imported scenario came from: a map from scenario document paths
 * (the `Diagnostic.path` spelling, e.g. `sites[0].device.accessList[2]`) to a position in
 * the imported file (an ARM template, a Terraform file, a device configuration).
 *
 * Every importer records an origin for each element it writes; `remap` moves a diagnostic
 * found in the emitted scenario to the source element it came from (the nearest recorded
 * ancestor of its path), so a user reads the problem at the line of their own file.
 */
import type { Diagnostic } from '../diagnostics.js';

/** A position in an imported source file (1-based line and column) and what stood there. */
export interface Origin {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The source element in the source's own words, e.g. `resources[2].properties.sku.name` or `crypto map azure 10`. */
  readonly element: string;
}

/** The parent of a document path: `a.b[2]` → `a.b`, `a.b` → `a`, `a` → ''. */
export function parentPath(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}

export class Origins {
  private readonly byPath = new Map<string, Origin>();

  /** Records where the element at `path` came from (the first record of a path wins). */
  set(path: string, origin: Origin): void {
    if (!this.byPath.has(path)) this.byPath.set(path, origin);
  }

  get(path: string): Origin | undefined {
    return this.byPath.get(path);
  }

  /** The origin of `path`, or of its nearest ancestor that has one. */
  nearest(path: string): Origin | undefined {
    for (let p = path; ; p = parentPath(p)) {
      const o = this.byPath.get(p);
      if (o || p === '') return o;
    }
  }

  /** Every recorded path and its origin, in the order recorded. */
  entries(): IterableIterator<[string, Origin]> {
    return this.byPath.entries();
  }

  /**
   * `d` moved to the source element its path came from, its message naming that element;
   * `d` itself when nothing on its path was imported (a diagnostic about the whole file).
   */
  remap(d: Diagnostic): Diagnostic {
    const o = d.path === undefined ? undefined : this.nearest(d.path);
    if (!o) return d;
    return { ...d, file: o.file, line: o.line, column: o.column, message: `${d.message} (imported from ${o.element})` };
  }
}
