/**
 * Cases for the dispatcher's ordered nodes (sim/engine/graph.ts), run on its made drain
 * loop (ordered-nodes.test.ts) and on its plain loop (ordered-nodes-no-eval.test.ts), on
 * random graphs and random packet paths: every ordered node sees the packets of a batch in the order it would see
 * them if each packet went to its end before the next started (the dispatcher run on one
 * packet at a time, the plain reference here). Each random graph has cycles, some through
 * an ordered node; a packet's path is drawn up front along the declared edges, and an
 * ordered node that hands on a packet which will come back to it puts the rest of its
 * list back (`Queues.defer`), as esp-encrypt does for a transit SA.
 */
import { expect } from 'vitest';
import { PacketBatch } from '../../sim/engine/batch.js';
import { Outcome } from '../../sim/engine/batch.js';
import { DropCounters } from '../../sim/engine/counters.js';
import { CheckedQueues, Dispatcher, Queues } from '../../sim/engine/graph.js';
import type { GraphNode } from '../../sim/engine/graph.js';
import { Prng } from '../../sim/util/prng.js';

/** What the nodes read: each packet's path (node ids after node 0) and where it is on it; what ordered nodes saw. */
interface Walk {
  readonly paths: number[][];
  readonly at: Int32Array;
  /** Per node: the batch indices it was handed, in order (ordered nodes only). */
  readonly seen: number[][];
}

/**
 * A random graph of `size` nodes: node 0 sends; edges forward and back (cycles); two nodes
 * record what they see, declared ordered (and deferring) unless `ordering` is false.
 */
function randomGraph(rng: Prng, size: number, ordering = true): GraphNode<Walk>[] {
  const names = Array.from({ length: size }, (_, k) => `n${k}`);
  const ordered = new Set<number>();
  while (ordered.size < 2) ordered.add(1 + rng.int(size - 1));
  return names.map((name, id) => {
    const next = new Set<number>();
    const edges = 1 + rng.int(3);
    for (let e = 0; e < edges; e++) next.add(rng.int(size));
    next.delete(0);
    return {
      id, name, summary: name, next: [...next].map((x) => names[x]!), ends: ['delivered'], drops: [],
      ...(ordering && ordered.has(id) ? { ordered: true } : {}),
      run(w: Walk, b: PacketBatch, list: Int32Array, n: number, q: Queues): void {
        for (let k = 0; k < n; k++) {
          const i = list[k]!;
          if (ordered.has(id)) w.seen[id]!.push(i);
          const path = w.paths[i]!;
          const step = w.at[i]!;
          if (step >= path.length) {
            q.end(b, i, Outcome.DELIVERED);
            continue;
          }
          w.at[i] = step + 1;
          q.pass(b, i, path[step]!, 0);
          if (ordering && ordered.has(id) && path.indexOf(id, step) >= 0) {
            q.defer(id, list, k + 1, n);
            return;
          }
        }
      },
    };
  });
}

/** Per packet, a random walk along the declared edges from node 0 (at most `max` steps). */
function randomPaths(rng: Prng, graph: readonly GraphNode<Walk>[], packets: number, max: number): number[][] {
  const id = new Map(graph.map((n) => [n.name, n.id]));
  return Array.from({ length: packets }, () => {
    const path: number[] = [];
    let at = 0;
    const steps = rng.int(max + 1);
    for (let s = 0; s < steps; s++) {
      const next = graph[at]!.next;
      if (next.length === 0) break;
      at = id.get(next[rng.int(next.length)]!)!;
      path.push(at);
    }
    return path;
  });
}

/** Run `paths` through `graph` in one batch (or one packet at a time) and return what each ordered node saw. */
function run(graph: readonly GraphNode<Walk>[], paths: number[][], oneAtATime: boolean): number[][] {
  const cap = paths.length;
  const b = new PacketBatch(cap);
  for (let i = 0; i < cap; i++) b.push(i, 0, 17, 0, 0, 64, 64, false, i, 0, i + 1, false);
  const w: Walk = { paths, at: new Int32Array(cap), seen: graph.map(() => []) };
  const q = new CheckedQueues(graph as readonly GraphNode<never>[], cap, new DropCounters(['x']));
  const d = new Dispatcher(graph, cap, q);
  if (oneAtATime) for (let i = 0; i < cap; i++) d.run(w, b, i, i + 1);
  else d.run(w, b, 0, cap);
  for (let i = 0; i < cap; i++) expect(b.outcome[i]).toBe(Outcome.DELIVERED);
  return w.seen;
}

/** Every ordered node sees the packets of a batch in the order one packet at a time gives, on 300 random graphs. */
export function checkOrderedOnRandomGraphs(): void {
  let compared = 0;
  let deferredGraphs = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const rng = new Prng(seed, 'ordered-nodes');
    const graph = randomGraph(rng, 4 + rng.int(8));
    const paths = randomPaths(rng, graph, 1 + rng.int(64), 12);
    const want = run(graph, paths, true);
    const got = run(graph, paths, false);
    expect(got, `seed ${seed}`).toEqual(want);
    compared += want.reduce((a, x) => a + x.length, 0);
    if (graph.some((n) => n.ordered && paths.some((p) => p.filter((x) => x === n.id).length > 1))) deferredGraphs++;
  }
  // The random graphs did exercise ordered nodes, and cycles through them.
  expect(compared).toBeGreaterThan(3000);
  expect(deferredGraphs).toBeGreaterThan(30);
}

/** The same batches without ordered nodes give another order (so the check above can fail). */
export function checkUnorderedDiffer(): void {
  let differ = 0;
  for (let seed = 1; seed <= 50; seed++) {
    const rng = new Prng(seed, 'ordered-nodes');
    const graph = randomGraph(rng, 4 + rng.int(8), false);
    const paths = randomPaths(rng, graph, 1 + rng.int(64), 12);
    if (JSON.stringify(run(graph, paths, false)) !== JSON.stringify(run(graph, paths, true))) differ++;
  }
  expect(differ).toBeGreaterThan(10);
}
