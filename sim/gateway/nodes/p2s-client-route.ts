/**
 * `p2s-client-route`: a point-to-site client's own routes (argument: the client's index):
 * the VNet's address space into the tunnel, the rest to the Internet.
 */
import type { GraphNode } from '../../engine/graph.js';
import { Where as Where_IMPORT } from '../trace-text.js';
import { NodeId as NodeId_IMPORT } from './ids.js';
import { routeStep as routeStep_IMPORT } from './context.js';
import type { NodeContext } from './context.js';

// Local copies: V8 folds a module's own consts, not imported bindings (see sim/engine/batch.ts).
const Where = Where_IMPORT;
const NodeId = NodeId_IMPORT;
const routeStep = routeStep_IMPORT;

export const p2sClientRouteNode: GraphNode<NodeContext> = {
  id: NodeId.P2S_CLIENT_ROUTE,
  name: 'p2s-client-route',
  summary: "a point-to-site client's routes: the VNet into the tunnel, the rest to the Internet",
  next: ['p2s-deliver', 'esp-encrypt', 'gateway-forward', 'device', 'expressroute'],
  ends: ['internet'],
  drops: ['no-route', 'no-host'],
  run(ctx, b, list, n, q) {
    const w = ctx.world;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = b.arg[i]!;
      const c = w.p2sClients[at]!;
      routeStep(ctx, q, b, i, c.table, c.counter, Where.P2S, at, NodeId.P2S_DELIVER, at);
    }
  },
};
