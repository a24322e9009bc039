/**
 * The dispatcher's ordered nodes, run on its drain loop made from text (drain-loop.ts):
 * see ordered-nodes-cases.ts.
 */
import { describe, expect, it } from 'vitest';
import { upstreamOf } from '../../sim/engine/graph.js';
import type { GraphNode } from '../../sim/engine/graph.js';
import { checkOrderedOnRandomGraphs, checkUnorderedDiffer } from './ordered-nodes-cases.js';

describe('ordered nodes', () => {
  it('upstreamOf: the nodes each node can be reached from', () => {
    const node = (id: number, name: string, next: string[]): GraphNode<never> => ({ id, name, summary: '', next, ends: [], drops: [], run: () => {} });
    // a → b → c → b, d alone.
    const up = upstreamOf([node(0, 'a', ['b']), node(1, 'b', ['c']), node(2, 'c', ['b']), node(3, 'd', [])]);
    expect([...up]).toEqual([0, 0b111, 0b111, 0]);
  });

  it('see the packets of a batch in the order one packet at a time gives, on 300 random graphs', () => {
    checkOrderedOnRandomGraphs();
  });

  it('the same batches without ordered nodes give another order (the test can fail)', () => {
    checkUnorderedDiffer();
  });
});
