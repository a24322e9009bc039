/**
 * YAML aliases: the node each alias stands for, and the alias bomb ("billion laughs"): a
 * document whose alias expansion would pass a budget is found in one linear walk, without
 * expanding anything, and refused before the schema walk (which would expand it).
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Alias, Document, Node as YamlNode, Pair } from 'yaml';

/** The message that refuses a document past `max` alias expansions. */
export function aliasBombMessage(max: number): string {
  return `too many YAML alias expansions (more than ${max}); this looks like an alias bomb: write the values out instead of nesting aliases`;
}

/** Default limit on alias dereferences (counting nested ones) before the document is refused. */
export const DEFAULT_MAX_ALIASES = 100;

/**
 * The node each alias of `doc` stands for (undefined: no anchor of that name before it),
 * found in one walk in document order: an alias refers to the closest anchor of its name
 * before it, and an alias inside the node it names refers to that node (a cycle).
 */
export function aliasTargets(doc: Document): Map<Alias, YamlNode | undefined> {
  const targets = new Map<Alias, YamlNode | undefined>();
  const anchors = new Map<string, YamlNode>();
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
      continue;
    }
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) continue;
    if (typeof node.anchor === 'string' && node.anchor !== '') anchors.set(node.anchor, node);
    if (isMap(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const p = node.items[i] as Pair<unknown, unknown>;
        stack.push(p.value, p.key);
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  return targets;
}

/**
 * Find where alias expansion passes `max`: walks the document once, counting for every
 * alias the aliases its full expansion would follow (memoised per anchored node, so a
 * "billion laughs" document is measured in linear time without expanding it). Returns
 * the alias at which the running total first exceeds `max`, or undefined.
 */
export function findAliasBomb(doc: Document, max: number, targets: ReadonlyMap<Alias, YamlNode | undefined> = aliasTargets(doc)): unknown {
  const memo = new Map<unknown, number>();
  const active = new Set<unknown>();
  // Aliases the full expansion of `node` follows (capped just above max).
  const weight = (node: unknown): number => {
    const known = memo.get(node);
    if (known !== undefined) return known;
    if (active.has(node)) return max + 1; // a cycle expands forever
    active.add(node);
    let w = 0;
    if (isAlias(node)) {
      const target = targets.get(node);
      w = 1 + (target ? weight(target) : 0);
    } else if (isMap(node)) {
      for (const p of node.items) {
        w += weight(p.key) + weight(p.value);
        if (w > max) break;
      }
    } else if (isSeq(node)) {
      for (const it of node.items) {
        w += weight(it);
        if (w > max) break;
      }
    }
    active.delete(node);
    w = Math.min(w, max + 1);
    memo.set(node, w);
    return w;
  };
  let total = 0;
  let found: unknown;
  // In document order: the first alias that tips the total over is the one reported.
  const visit = (node: unknown): void => {
    if (found !== undefined) return;
    if (isAlias(node)) {
      total += weight(node);
      if (total > max) found = node;
    } else if (isMap(node)) {
      for (const p of node.items) {
        visit(p.key);
        visit(p.value);
      }
    } else if (isSeq(node)) {
      for (const it of node.items) visit(it);
    }
  };
  visit(doc.contents);
  return found;
}
