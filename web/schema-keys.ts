/**
 * Key completion for the YAML editor from scenario.schema.json: where the cursor is in the
 * document (the keys above it, by indentation, `[]` for a list item) and which keys the
 * schema allows there, each with its description. Pure text in, data out; the editor
 * (editor.ts) turns it into CodeMirror completions.
 */

/** A JSON Schema node, as much of it as completion reads. */
export interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
}

/** A key the schema allows at a place, with what it means. */
export interface KeyOption {
  readonly key: string;
  readonly description: string;
}

/** Indentation and key of one line (`  - name: x` is the key `name` at column 4, in a new list item at column 2). */
interface LineKey {
  readonly indent: number;
  readonly key?: string;
  /** Column of the `- ` that starts a list item on this line, if any. */
  readonly item?: number;
}

function lineKey(line: string): LineKey | undefined {
  const m = /^(\s*)(-\s+)?(?:([A-Za-z_$][\w$-]*)\s*:(?:\s|$))?/.exec(line);
  if (!m || line.trim() === '' || line.trim().startsWith('#')) return undefined;
  const lead = m[1]!.length;
  const dash = m[2];
  return {
    indent: lead + (dash ? dash.length : 0),
    ...(m[3] !== undefined ? { key: m[3] } : {}),
    ...(dash ? { item: lead } : {}),
  };
}

/**
 * The path of keys that holds a key typed on line `row` (0-based) of `lines`, at column
 * `col`, or, when `isItem`, in a new list item whose `-` is at column `col`:
 * `['vnets', '[]', 'subnets', '[]']` for a subnet's key. Walks up the lines above by
 * indentation: a less indented key is the parent mapping's; a `- ` at the indentation of
 * the mapping's first key makes it a list item, whose list's key is at most as indented
 * as the dash (YAML allows `key:` and its `- ` items at one indentation).
 */
export function keyPathAt(lines: readonly string[], row: number, col: number, isItem: boolean): string[] {
  const path: string[] = [];
  for (let r = row - 1; r >= 0 && (col > 0 || isItem); r--) {
    const k = lineKey(lines[r]!);
    if (!k) continue;
    if (isItem) {
      // Deeper lines and sibling items of the same list are not the list's key.
      if (k.indent > col || k.item === col || k.key === undefined) continue;
      path.unshift(k.key, '[]');
      isItem = k.item !== undefined;
      col = k.item ?? k.indent;
      continue;
    }
    if (k.indent > col) continue;
    if (k.indent === col) {
      // The first key of the mapping this key is in, after its item's `- `.
      if (k.item !== undefined) {
        isItem = true;
        col = k.item;
      }
      continue;
    }
    if (k.key === undefined) continue;
    path.unshift(k.key);
    isItem = k.item !== undefined;
    col = k.item ?? k.indent;
  }
  return path;
}

/** The object schemas a node can be (through anyOf/oneOf). */
function objectsOf(n: SchemaNode | undefined): SchemaNode[] {
  if (!n) return [];
  const alts = [...(n.anyOf ?? []), ...(n.oneOf ?? [])];
  return alts.length > 0 ? alts.flatMap(objectsOf) : [n];
}

/** The schema node at `path` (keys and `[]`), or the alternatives there. */
function nodesAt(schema: SchemaNode, path: readonly string[]): SchemaNode[] {
  let at = [schema];
  for (const step of path) {
    at = at.flatMap(objectsOf).flatMap((n) => {
      if (step === '[]') return n.items ? [n.items] : [];
      const p = n.properties?.[step];
      return p ? [p] : [];
    });
  }
  return at.flatMap(objectsOf);
}

/** The keys the schema allows at `path`, without those already `present`, sorted. */
export function keysAt(schema: SchemaNode, path: readonly string[], present: ReadonlySet<string> = new Set()): KeyOption[] {
  const seen = new Map<string, string>();
  for (const n of nodesAt(schema, path)) {
    for (const [key, p] of Object.entries(n.properties ?? {})) {
      if (key === '$schema' || present.has(key) || seen.has(key)) continue;
      seen.set(key, p.description ?? objectsOf(p).find((o) => o.description)?.description ?? '');
    }
  }
  return [...seen].sort((a, b) => a[0].localeCompare(b[0])).map(([key, description]) => ({ key, description }));
}

/**
 * The keys to offer at the cursor: `text` up to `row`'s line, `col` the cursor's column
 * (0-based) on it. Undefined when the cursor is not where a key goes (after a `:`, inside
 * a flow collection, in a comment).
 */
export function completeKeys(schema: SchemaNode, lines: readonly string[], row: number, col: number): { from: number; options: KeyOption[] } | undefined {
  const before = lines[row]!.slice(0, col);
  const m = /^(\s*)(-\s+)?([A-Za-z_$][\w$-]*)?$/.exec(before);
  if (!m) return undefined;
  const lead = m[1]!.length;
  const isItem = m[2] !== undefined;
  const path = keyPathAt(lines, row, lead, isItem);
  // Keys already written in this mapping (same indentation, back to its first key) are not offered again.
  const present = new Set<string>();
  const indent = lead + (m[2]?.length ?? 0);
  for (let r = row - 1; r >= 0 && !isItem; r--) {
    const k = lineKey(lines[r]!);
    if (!k || k.indent > indent) continue;
    if (k.indent < indent) break;
    if (k.key !== undefined) present.add(k.key);
    if (k.item !== undefined) break;
  }
  return { from: col - (m[3]?.length ?? 0), options: keysAt(schema, path, present) };
}
