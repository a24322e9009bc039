/**
 * The gateway graph as text, made from the nodes' declarations only (nodes/index.ts): what
 * `vgw graph` prints. `text` lists each node (marked when it is a link or ordered), the
 * nodes it may pass a packet to, the ends it may give (in parentheses) and the drop
 * reasons it may count; `dot` (Graphviz) and `mermaid` draw the same edges, drops as one
 * edge to `drop` labelled with the reasons.
 */
import type { GraphNode } from '../engine/graph.js';
import { GATEWAY_GRAPH } from './nodes/index.js';

export type GraphFormat = 'text' | 'dot' | 'mermaid';

type AnyNode = GraphNode<never>;

function textOf(graph: readonly AnyNode[]): string {
  const blocks = graph.map((n) => {
    const marks = [n.link ? 'a link: not a hop' : '', n.ordered ? 'ordered: takes packets in packet order' : ''].filter((x) => x !== '');
    const lines = [`${n.name}${marks.length > 0 ? ` (${marks.join('; ')})` : ''}: ${n.summary}`];
    for (const x of n.next) lines.push(`  → ${x}`);
    for (const e of n.ends) lines.push(`  → (${e})`);
    if (n.drops.length > 0) lines.push(`  drops: ${n.drops.join(', ')}`);
    return lines.join('\n');
  });
  return blocks.join('\n\n') + '\n';
}

function dotOf(graph: readonly AnyNode[]): string {
  const lines = ['digraph gateway {', '  rankdir=LR;', '  node [shape=box];'];
  for (const n of graph) lines.push(`  "${n.name}"${n.link ? ' [style=dashed]' : ''};`);
  lines.push('  "(delivered)" [shape=ellipse];', '  "(internet)" [shape=ellipse];', '  "(drop)" [shape=ellipse];');
  for (const n of graph) {
    for (const x of n.next) lines.push(`  "${n.name}" -> "${x}";`);
    for (const e of n.ends) lines.push(`  "${n.name}" -> "(${e})";`);
    if (n.drops.length > 0) lines.push(`  "${n.name}" -> "(drop)" [label="${n.drops.join(', ')}"];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

function mermaidOf(graph: readonly AnyNode[]): string {
  const id = (name: string): string => name.replace(/[^a-z0-9]/g, '_');
  const lines = ['flowchart LR'];
  for (const n of graph) lines.push(`  ${id(n.name)}${n.link ? `(["${n.name}"])` : `["${n.name}"]`}`);
  lines.push('  end_delivered(("delivered"))', '  end_internet(("internet"))', '  end_drop(("drop"))');
  for (const n of graph) {
    for (const x of n.next) lines.push(`  ${id(n.name)} --> ${id(x)}`);
    for (const e of n.ends) lines.push(`  ${id(n.name)} --> end_${e}`);
    if (n.drops.length > 0) lines.push(`  ${id(n.name)} -- "${n.drops.join(', ')}" --> end_drop`);
  }
  return lines.join('\n') + '\n';
}

/** The gateway graph in `format`. */
export function graphText(format: GraphFormat, graph: readonly AnyNode[] = GATEWAY_GRAPH as readonly AnyNode[]): string {
  return format === 'dot' ? dotOf(graph) : format === 'mermaid' ? mermaidOf(graph) : textOf(graph);
}
