import { describe, expect, it } from 'vitest';
import { CollectSink, diagramGraph, renderDiagram, runScenario, validateScenarioFile } from '../sim/index.js';
import { vgw } from './support/built-cli.js';

function load(file: string) {
  const s = validateScenarioFile(file).scenario!;
  const sink = new CollectSink();
  runScenario(s, { sink, traceLimit: 1 });
  return { s, events: sink.events };
}

describe('diagram', () => {
  it('crosses out a connection whose IKE failed, with its status, and only that one', () => {
    const { s, events } = load('scenarios/warnings-shared-key.yaml');
    const g = diagramGraph(s, events);
    expect([...g.failedConnections]).toEqual([['to-hq', 'IKE_PHASE1_KEY_MISMATCH']]);
    const m = renderDiagram(s, 'mermaid', events);
    expect(m).toContain('gw_gw1 -.-x|"to-hq (IPsec) ✗ IKE_PHASE1_KEY_MISMATCH"| site_hq');
    expect(m).toContain('gw_gw1 -.->|"to-lab (IPsec)"| site_lab');
    const d = renderDiagram(s, 'dot', events);
    expect(d).toContain('gw_gw1 -> site_hq [label="to-hq (IPsec) ✗ IKE_PHASE1_KEY_MISMATCH", style=dotted, color="gray", arrowhead=tee];');
    // Without a run's events nothing is crossed out.
    expect(diagramGraph(s).failedConnections.size).toBe(0);
  });

  it('has a node per VNet, gateway, site and circuit, an edge per connection', () => {
    const { s } = load('scenarios/expressroute-with-vpn.yaml');
    const g = diagramGraph(s);
    expect(g.nodes.map((n) => n.id).sort()).toEqual(['er_er_hq', 'gw_er_gw', 'gw_vpn_gw', 'site_hq', 'vnet_prod']);
    expect(g.edges.filter((e) => e.connection).map((e) => e.connection).sort()).toEqual(['vnet-er', 'vnet-vpn']);
    expect(g.nodes.find((n) => n.id === 'gw_vpn_gw')!.label).toEqual(['vpn-gw', 'route-based Standard']);
  });

  it("highlights the flow's path: the longest-prefix site, not the others", () => {
    const { s, events } = load('scenarios/s2s-route-based-multisite.yaml');
    const g = diagramGraph(s, events, 'lpm');
    expect([...g.pathConnections]).toEqual(['to-branch-a']);
    expect([...g.pathNodes].sort()).toEqual(['gw_hub_gw', 'site_branch_a', 'vnet_hub']);
    const m = renderDiagram(s, 'mermaid', events, 'lpm');
    expect(m).toMatch(/^---\ntitle: .*flow lpm\n---\nflowchart LR\n/);
    expect(m).toContain('gw_hub_gw ==>|"to-branch-a (IPsec)"| site_branch_a');
    expect(m).toContain('gw_hub_gw -.->|"to-hq (IPsec)"| site_hq');
    expect(m).toContain('class vnet_hub,gw_hub_gw,site_branch_a path');
    const d = renderDiagram(s, 'dot', events, 'lpm');
    expect(d).toMatch(/^digraph topology \{/);
    expect(d).toContain('gw_hub_gw -> site_branch_a [label="to-branch-a (IPsec)", color="#d62728", penwidth=3];');
    expect(d).toContain('gw_hub_gw -> site_hq [label="to-hq (IPsec)", style=dashed];');
  });

  it('follows the backup path while the circuit is down', () => {
    const { s, events } = load('scenarios/expressroute-with-vpn.yaml');
    expect([...diagramGraph(s, events, 'during').pathConnections]).toEqual(['vnet-vpn']);
    expect([...diagramGraph(s, events, 'before').pathConnections]).toEqual(['vnet-er']);
  });

  it('vgw diagram prints mermaid by default, dot on request, exit 2 on an unknown flow', () => {
    const m = vgw(['diagram', 'scenarios/p2s-with-s2s.yaml', '--flow', 'c-to-vm']);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toContain('flowchart LR');
    expect(m.stdout).toContain('corp-gw-p2s (P2S)');
    expect(vgw(['diagram', 'scenarios/p2s-with-s2s.yaml', '--format', 'dot']).stdout).toContain('digraph topology');
    const bad = vgw(['diagram', 'scenarios/p2s-with-s2s.yaml', '--flow', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no flow "nope"');
    expect(vgw(['diagram', 'scenarios/p2s-with-s2s.yaml', '--format', 'png']).code).toBe(2);
  });
});
