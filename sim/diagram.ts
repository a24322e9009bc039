/**
 * A topology picture of a scenario as Mermaid or Graphviz DOT text: VNets, gateways (type
 * and SKU), sites, circuits and point-to-site pools as nodes, gateway attachments and
 * connections as edges. With a flow, the nodes and connections its first traced packet
 * crossed (from a run's events) are highlighted. A connection whose IKE negotiation failed
 * (the gateway's last status event in the run) is drawn crossed out, with the status. Pure:
 * text out, nothing printed.
 */
import { p2sConnectionName } from './scenario/types.js';
import type { Scenario } from './scenario/types.js';
import type { SimEvent } from './engine/events.js';

export type DiagramFormat = 'mermaid' | 'dot';

interface DNode { readonly id: string; readonly label: string[]; readonly shape: 'box' | 'gateway' | 'site' | 'circuit' }
interface DEdge { readonly from: string; readonly to: string; readonly label?: string; readonly connection?: string }

export interface DiagramGraph {
  readonly nodes: readonly DNode[];
  readonly edges: readonly DEdge[];
  /** Node ids and connection names on the flow's path. */
  readonly pathNodes: ReadonlySet<string>;
  readonly pathConnections: ReadonlySet<string>;
  /** Connection name → the IKE status it ended with, for those whose negotiation failed. */
  readonly failedConnections: ReadonlyMap<string, string>;
  /** The node id that stands for each VNet, gateway, site, circuit, host and P2S connection, by name. */
  readonly owners: ReadonlyMap<string, string>;
}

const id = (kind: string, name: string) => `${kind}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;

/** The graph, and the path of `flow`'s first traced packet when given. */
export function diagramGraph(s: Scenario, events: readonly SimEvent[] = [], flow?: string): DiagramGraph {
  const nodes: DNode[] = [];
  const edges: DEdge[] = [];
  const owner = new Map<string, string>(); // vnet/site/gateway/host name → node id
  for (const v of s.vnets) {
    const n = id('vnet', v.name);
    nodes.push({ id: n, label: [`VNet ${v.name}`, v.addressSpace.map((p) => p.text).join(' ')], shape: 'box' });
    owner.set(v.name, n);
    for (const h of v.hosts) owner.set(h.name, n);
  }
  for (const g of s.gateways) {
    const n = id('gw', g.name);
    const kind = g.type === 'ExpressRoute' ? 'ExpressRoute' : g.vpnType === 'PolicyBased' ? 'policy-based' : 'route-based';
    nodes.push({ id: n, label: [g.name, `${kind} ${g.sku}`], shape: 'gateway' });
    owner.set(g.name, n);
    edges.push({ from: owner.get(g.vnet) ?? id('vnet', g.vnet), to: n });
    if (g.p2s) {
      const p = id('p2s', g.name);
      nodes.push({ id: p, label: [`P2S clients`, g.p2s.addressPool.text], shape: 'site' });
      for (const c of g.p2s.clients) owner.set(c.name, p);
      const conn = p2sConnectionName(g.name);
      owner.set(conn, p);
      edges.push({ from: n, to: p, label: `${conn} (P2S)`, connection: conn });
    }
  }
  for (const x of s.sites) {
    const n = id('site', x.name);
    nodes.push({ id: n, label: [`site ${x.name}`, x.addressPrefixes.map((p) => p.text).join(' ')], shape: 'site' });
    owner.set(x.name, n);
    for (const h of x.hosts) owner.set(h.name, n);
  }
  for (const c of s.circuits) {
    const n = id('er', c.name);
    nodes.push({ id: n, label: [`circuit ${c.name}`, c.onPremisesPrefixes.map((p) => p.text).join(' ')], shape: 'circuit' });
    owner.set(c.name, n);
    edges.push({ from: n, to: id('site', c.site) });
  }
  for (const c of s.connections) {
    const from = id('gw', c.gateway);
    const to = c.site ? id('site', c.site) : c.peerGateway ? id('gw', c.peerGateway) : c.circuit ? id('er', c.circuit) : from;
    // A VNet-to-VNet pair is usually defined in both directions: draw one edge.
    if (c.type === 'Vnet2Vnet' && edges.some((e) => e.from === to && e.to === from)) continue;
    edges.push({ from, to, label: `${c.name} (${c.type})`, connection: c.name });
  }
  const pathNodes = new Set<string>();
  const pathConnections = new Set<string>();
  if (flow !== undefined) {
    const first = events.find((e) => e.type !== 'fault' && e.type !== 'ike' && e.flow === flow);
    const packet = first && first.type !== 'fault' && first.type !== 'ike' ? first.packet : -1;
    for (const e of events) {
      if (e.type === 'fault' || e.type === 'inject' || e.type === 'ike' || e.flow !== flow || e.packet !== packet) continue;
      const n = owner.get(e.node.split('/')[0]!);
      if (n) pathNodes.add(n);
      if (e.type === 'hop' && e.connection) pathConnections.add(e.connection);
      if (e.type !== 'hop') for (const v of e.via) pathConnections.add(v);
    }
    for (const c of pathConnections) {
      const conn = s.connections.find((x) => x.name === c);
      if (conn?.circuit) pathNodes.add(id('er', conn.circuit));
    }
  }
  const failedConnections = new Map<string, string>();
  for (const e of events) {
    if (e.type !== 'ike' || e.action !== 'status' || e.status === undefined) continue;
    // The gateway's own view (a VNet-to-VNet connection: the gateway that defines it).
    if (!s.connections.some((c) => c.name === e.connection && c.gateway === e.node)) continue;
    if (e.status === 'IPSEC_SESSION_ESTABLISHED') failedConnections.delete(e.connection);
    else failedConnections.set(e.connection, e.status);
  }
  return { nodes, edges, pathNodes, pathConnections, failedConnections, owners: owner };
}

/** An edge's label with its IKE failure, if any. */
function edgeLabel(g: DiagramGraph, e: DEdge): string | undefined {
  const failed = e.connection !== undefined ? g.failedConnections.get(e.connection) : undefined;
  return failed && e.label ? `${e.label} ✗ ${failed}` : e.label;
}

function onPath(g: DiagramGraph, e: DEdge): boolean {
  if (e.connection !== undefined) return g.pathConnections.has(e.connection);
  return g.pathNodes.has(e.from) && g.pathNodes.has(e.to);
}

const HIGHLIGHT = '#d62728';

export function renderMermaid(g: DiagramGraph, title?: string): string {
  const q = (s: string) => s.replace(/"/g, "'");
  const out: string[] = [];
  if (title) out.push('---', `title: ${q(title)}`, '---');
  out.push('flowchart LR');
  for (const n of g.nodes) {
    const label = `"${n.label.map(q).join('<br/>')}"`;
    const shaped = n.shape === 'gateway' ? `{{${label}}}` : n.shape === 'site' ? `[/${label}/]` : n.shape === 'circuit' ? `([${label}])` : `[${label}]`;
    out.push(`  ${n.id}${shaped}`);
  }
  const styled: number[] = [];
  g.edges.forEach((e, k) => {
    const failed = e.connection !== undefined && g.failedConnections.has(e.connection);
    const arrow = e.connection ? (failed ? '-.-x' : onPath(g, e) ? '==>' : '-.->') : '---';
    const label = edgeLabel(g, e);
    out.push(`  ${e.from} ${arrow}${label ? `|"${q(label)}"|` : ''} ${e.to}`);
    if (onPath(g, e)) styled.push(k);
  });
  if (g.pathNodes.size) {
    out.push(`  classDef path stroke:${HIGHLIGHT},stroke-width:3px`);
    out.push(`  class ${[...g.pathNodes].join(',')} path`);
  }
  if (styled.length) out.push(`  linkStyle ${styled.join(',')} stroke:${HIGHLIGHT},stroke-width:3px`);
  return out.join('\n') + '\n';
}

export function renderDot(g: DiagramGraph, title?: string): string {
  const q = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const shape = { box: 'box', gateway: 'hexagon', site: 'parallelogram', circuit: 'ellipse' } as const;
  const out = ['digraph topology {', '  rankdir=LR;', '  node [fontname="Helvetica"];'];
  if (title) out.push(`  label="${q(title)}"; labelloc=t;`);
  for (const n of g.nodes) {
    const hl = g.pathNodes.has(n.id) ? `, color="${HIGHLIGHT}", penwidth=3` : '';
    out.push(`  ${n.id} [shape=${shape[n.shape]}, label="${n.label.map(q).join('\\n')}"${hl}];`);
  }
  for (const e of g.edges) {
    const attrs: string[] = [];
    const label = edgeLabel(g, e);
    if (label) attrs.push(`label="${q(label)}"`);
    if (!e.connection) attrs.push('dir=none');
    else if (g.failedConnections.has(e.connection)) attrs.push('style=dotted', 'color="gray"', 'arrowhead=tee');
    else if (!onPath(g, e)) attrs.push('style=dashed');
    if (onPath(g, e)) attrs.push(`color="${HIGHLIGHT}"`, 'penwidth=3');
    out.push(`  ${e.from} -> ${e.to}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

/** The whole picture as text. */
export function renderDiagram(s: Scenario, format: DiagramFormat, events: readonly SimEvent[] = [], flow?: string): string {
  const g = diagramGraph(s, events, flow);
  const title = flow ? `${s.name}: flow ${flow}` : s.name;
  return format === 'dot' ? renderDot(g, title) : renderMermaid(g, title);
}
