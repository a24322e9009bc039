/**
 * The topology diagram as SVG, from sim's diagram graph (the same nodes and edges as
 * `vgw diagram`): nodes in columns by their distance from the first node of their part of
 * the graph (VNets, then gateways, then sites and circuits), edges as lines labelled with
 * the connection. The selected flow's path is drawn thick and its nodes marked "▶"; the
 * node of the selected event is marked "● here";
 * a connection whose IKE failed is dotted and labelled "✗ STATUS" (never colour alone).
 */
import type { DiagramGraph } from '../sim/web/index.js';

const SVG = 'http://www.w3.org/2000/svg';
const COL_W = 320;
const ROW_H = 96;
const NODE_W = 180;
const NODE_H = 52;

type Attrs = Record<string, string | number>;

function el(name: string, attrs: Attrs, text?: string): SVGElement {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Column of every node: breadth-first distance over the (undirected) edges, each part from its first node. */
export function columns(g: DiagramGraph): Map<string, number> {
  const next = new Map<string, string[]>(g.nodes.map((n) => [n.id, []]));
  for (const e of g.edges) {
    next.get(e.from)?.push(e.to);
    next.get(e.to)?.push(e.from);
  }
  const col = new Map<string, number>();
  for (const start of g.nodes) {
    if (col.has(start.id)) continue;
    col.set(start.id, 0);
    const queue = [start.id];
    while (queue.length) {
      const at = queue.shift()!;
      for (const n of next.get(at) ?? []) {
        if (col.has(n)) continue;
        col.set(n, col.get(at)! + 1);
        queue.push(n);
      }
    }
  }
  return col;
}

/**
 * Draw `g` into a new <svg>. `title` is read by screen readers. `here`: the node id where
 * the selected event happens (the packet's current hop), marked "● here".
 */
export function diagramSvg(g: DiagramGraph, title: string, here?: string): SVGSVGElement {
  const col = columns(g);
  const rowsUsed: number[] = [];
  const at = new Map<string, { x: number; y: number }>();
  for (const n of g.nodes) {
    const c = col.get(n.id) ?? 0;
    const r = rowsUsed[c] ?? 0;
    rowsUsed[c] = r + 1;
    at.set(n.id, { x: 20 + c * COL_W, y: 20 + r * ROW_H });
  }
  const width = 40 + Math.max(1, rowsUsed.length) * COL_W - (COL_W - NODE_W);
  const height = 40 + Math.max(1, ...rowsUsed) * ROW_H - (ROW_H - NODE_H);
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': title }) as SVGSVGElement;
  svg.append(el('title', {}, title));
  for (const e of g.edges) {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (!a || !b) continue;
    const onPath = e.connection !== undefined ? g.pathConnections.has(e.connection) : g.pathNodes.has(e.from) && g.pathNodes.has(e.to);
    const failed = e.connection !== undefined ? g.failedConnections.get(e.connection) : undefined;
    const cls = ['edge', e.connection ? 'connection' : 'attach', onPath ? 'on-path' : '', failed ? 'failed' : ''].filter(Boolean).join(' ');
    const x1 = a.x + NODE_W / 2;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x + NODE_W / 2;
    const y2 = b.y + NODE_H / 2;
    svg.append(el('line', { x1, y1, x2, y2, class: cls }));
    const label = [e.label, failed ? `✗ ${failed}` : ''].filter(Boolean).join(' ');
    if (label) svg.append(el('text', { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 6, class: `edge-label${onPath ? ' on-path' : ''}`, 'text-anchor': 'middle' }, label));
  }
  for (const n of g.nodes) {
    const p = at.get(n.id)!;
    const onPath = g.pathNodes.has(n.id);
    const group = el('g', { class: `node ${n.shape}${onPath ? ' on-path' : ''}${n.id === here ? ' here' : ''}`, 'data-node': n.id });
    const rx = n.shape === 'circuit' ? NODE_H / 2 : n.shape === 'gateway' ? 14 : 4;
    group.append(el('rect', { x: p.x, y: p.y, width: NODE_W, height: NODE_H, rx }));
    const lines = onPath ? [`▶ ${n.label[0] ?? ''}`, ...n.label.slice(1)] : n.label;
    lines.slice(0, 2).forEach((line, k) => {
      const short = line.length > 30 ? `${line.slice(0, 29)}…` : line;
      group.append(el('text', { x: p.x + NODE_W / 2, y: p.y + 21 + k * 18, 'text-anchor': 'middle', class: k === 0 ? 'node-name' : 'node-sub' }, short));
    });
    if (n.id === here) group.append(el('text', { x: p.x + NODE_W / 2, y: p.y + NODE_H + 15, 'text-anchor': 'middle', class: 'here-label' }, '● here'));
    svg.append(group);
  }
  return svg;
}
