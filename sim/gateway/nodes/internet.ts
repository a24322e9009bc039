/**
 * `internet`: the Internet link between tunnel ends (argument: the world SA index). A link,
 * not a hop. ESP packets cross it to the SA's receiver; the link's tampering
 * (internet-link.ts, `inject:` in a scenario) may corrupt one, copy it, or hold it back
 * until the SA's next packet has arrived (then, or when nothing else moves in the batch,
 * it goes on to the receiver).
 */
import type { GraphNode } from '../../engine/graph.js';
import { NodeId as NodeId_IMPORT } from './ids.js';
import type { NodeContext } from './context.js';

// Local copies: V8 folds a module's own consts, not imported bindings (see sim/engine/batch.ts).
const NodeId = NodeId_IMPORT;

export const internetNode: GraphNode<NodeContext> = {
  id: NodeId.INTERNET,
  name: 'internet',
  summary: 'the Internet between tunnel ends; `inject:` tampers here (corrupt, duplicate, replay, reorder)',
  next: ['esp-decrypt'],
  ends: [],
  // The injected copies' drops, counted at their receiver when the run ends (see finish).
  drops: ['replay', 'icv-mismatch', 'unknown-spi'],
  link: true,
  // The `inject:` counts (the Nth ESP packet of a connection) go in packet order.
  ordered: true,
  run(ctx, b, list, n, q) {
    const link = ctx.link;
    const tampering = link !== undefined && !link.idle;
    const args = b.arg;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const s = args[i]!;
      if (tampering) {
        const packets = ctx.esp.wire(i);
        if (packets && link.tamper(b, i, s, ctx.world, ctx.esp, packets)) {
          link.hold(s, i);
          q.hold();
          continue;
        }
      }
      q.pass(b, i, NodeId.ESP_DECRYPT, s);
    }
  },
  idle(ctx, b, q) {
    // Nothing else arrives in this batch: the held packets go now.
    ctx.link?.releaseAll(b, q, NodeId.ESP_DECRYPT);
  },
};
