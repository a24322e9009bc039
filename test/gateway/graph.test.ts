/**
 * The gateway graph's declarations are data and hold: every next node a node names exists,
 * and a run on every example (its own flows, traced, with its injections and captures, and
 * random traffic) passes packets only to declared next nodes, ends them only as declared
 * and counts only declared drop reasons (CheckedQueues throws otherwise).
 */
import { keyedEspPlane } from '../support/keyed-plane.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PacketBatch } from '../../sim/engine/batch.js';
import { DropCounters } from '../../sim/engine/counters.js';
import { CollectSink } from '../../sim/engine/events.js';
import { CheckedQueues, checkGraph } from '../../sim/engine/graph.js';
import type { GraphNode } from '../../sim/engine/graph.js';
import { PcapMemorySink } from '../../sim/engine/capture.js';
import { Forwarder } from '../../sim/gateway/pipeline.js';
import { GATEWAY_GRAPH } from '../../sim/gateway/nodes/index.js';
import { NODE_NAMES } from '../../sim/gateway/nodes/ids.js';
import { RunState } from '../../sim/gateway/world.js';
import { InternetLink } from '../../sim/gateway/internet-link.js';
import { LinkTap } from '../../sim/gateway/link-tap.js';
import { nodeCrypto } from '../../sim/ipsec/crypto-node.js';
import { compileWorld } from '../../sim/scenario/compile/index.js';
import { validateScenarioFile } from '../../sim/node-host.js';
import { loadBatch, randomTraffic } from '../../sim/bench/forward.js';
import { graphText } from '../../sim/gateway/graph-text.js';

const DIR = join(import.meta.dirname, '..', '..', 'scenarios');
const EXAMPLES = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).map((f) => join(DIR, f));

describe('gateway graph declarations', () => {
  it('have no problem: ids in order, unique names, every next node exists, known drop reasons', () => {
    expect(checkGraph(GATEWAY_GRAPH as readonly GraphNode<never>[])).toEqual([]);
    expect(GATEWAY_GRAPH.map((n) => n.name)).toEqual([...NODE_NAMES]);
  });

  it('checkGraph names a missing next node and a duplicate name', () => {
    const bad = [
      { ...GATEWAY_GRAPH[0]!, next: ['nowhere'] },
      { ...GATEWAY_GRAPH[1]!, name: GATEWAY_GRAPH[0]!.name },
    ] as unknown as readonly GraphNode<never>[];
    const problems = checkGraph(bad);
    expect(problems).toContain('two nodes are named send');
    expect(problems).toContain('node send names a next node nowhere that does not exist');
  });

  it('CheckedQueues refuses a pass to an undeclared next node and an undeclared drop reason', () => {
    const b = new PacketBatch(1);
    b.push(1, 2, 17, 1, 2, 100, 64, false, 0, 0, 1, false);
    const q = new CheckedQueues(GATEWAY_GRAPH as readonly GraphNode<never>[], 1, new DropCounters(['x']));
    q.enter(0); // send
    expect(() => q.pass(b, 0, 10, 0)).toThrow(/node send: next:vnet-deliver is not declared/);
    expect(() => q.drop(b, 0, 0, 0, 0)).toThrow(/node send: drop:no-route is not declared/);
    expect(() => q.end(b, 0, 1)).toThrow(/node send: end:delivered is not declared/);
  });
});

describe.each(EXAMPLES)('%s: every node keeps to its declaration', (file) => {
  it('on random traffic (traced), with the injections and captures of the scenario', () => {
    const v = validateScenarioFile(file);
    const s = v.scenario!;
    const { world } = compileWorld(s);
    const counters = new DropCounters(world.counterNodes);
    const q = new CheckedQueues(GATEWAY_GRAPH as readonly GraphNode<never>[], 256, counters);
    const f = new Forwarder(256, q);
    const link = new InternetLink((s.inject ?? []).map((x, index) => ({ index, connection: x.connection, at: 0, action: x.action, packet: x.packet })));
    const sink = new CollectSink();
    const ctx = {
      world, state: new RunState(world), esp: keyedEspPlane(world, nodeCrypto, 256), counters, flowNames: ['random'], sink, link,
      tap: new LinkTap(new PcapMemorySink()),
    };
    const traffic = randomTraffic(world, 7, 1500);
    const b = new PacketBatch(256);
    for (let from = 0; from < traffic.src.length; from += 256) {
      loadBatch(b, traffic, from, 256, from * 0.001);
      for (let i = 0; i < b.n; i++) b.trace[i] = i % 3 === 0 ? 1 : 0;
      f.run(ctx, b);
    }
    f.finish(ctx, 10);
    // What ran: the send node always, and each node's use within its declaration.
    expect(q.seen[0]!.size).toBeGreaterThan(0);
    q.seen.forEach((seen, k) => {
      const n = GATEWAY_GRAPH[k]!;
      for (const x of seen) {
        const [kind, name] = x.split(':') as [string, string];
        const declared: readonly string[] = kind === 'next' ? n.next : kind === 'end' ? n.ends : n.drops;
        expect(declared, `${n.name} ${x}`).toContain(name);
      }
    });
  });
});

describe('vgw graph text', () => {
  it('lists every node with the next nodes, ends and drop reasons it declares', () => {
    const text = graphText('text');
    for (const n of GATEWAY_GRAPH) {
      const line = text.split('\n').find((l) => l.startsWith(`${n.name}:`) || l.startsWith(`${n.name} (`));
      expect(line, n.name).toBeDefined();
      const block = text.slice(text.indexOf(line!)).split('\n\n')[0]!;
      for (const x of n.next) expect(block).toContain(`→ ${x}`);
      for (const e of n.ends) expect(block).toContain(`→ (${e})`);
      for (const r of n.drops) expect(block).toContain(r);
    }
  });

  it('dot and mermaid have one edge per declared next node and end', () => {
    const edges = GATEWAY_GRAPH.reduce((a, n) => a + n.next.length + n.ends.length + (n.drops.length > 0 ? 1 : 0), 0);
    expect(graphText('dot').split('\n').filter((l) => l.includes(' -> ')).length).toBe(edges);
    expect(graphText('mermaid').split('\n').filter((l) => l.includes(' --> ')).length).toBe(edges);
  });

  it('the README section "How to add a node" shows the graph as `vgw graph` prints it', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(graphText('text'));
  });
});
