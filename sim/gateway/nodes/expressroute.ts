/**
 * `expressroute`: over an ExpressRoute circuit (argument: path index * 2, + 1 toward the
 * gateway, + 0 toward the site).
 */
import type { GraphNode } from '../../engine/graph.js';
import { NodeId as NodeId_IMPORT } from './ids.js';
import { hop } from './context.js';
import type { NodeContext } from './context.js';

// Local copies: V8 folds a module's own consts, not imported bindings (see sim/engine/batch.ts).
const NodeId = NodeId_IMPORT;

export const expressRouteNode: GraphNode<NodeContext> = {
  id: NodeId.EXPRESSROUTE,
  name: 'expressroute',
  summary: 'over an ExpressRoute circuit, to the site or to the gateway',
  next: ['site-deliver', 'gateway-forward'],
  ends: [],
  drops: [],
  run(ctx, b, list, n, q) {
    const w = ctx.world;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = b.arg[i]!;
      const path = w.erPaths[at >> 1]!;
      const toSite = (at & 1) === 0;
      b.addVia(i, path.connection);
      if (b.trace[i]) hop(ctx, b, i, { kind: 'circuit', path: at >> 1, toSite });
      if (toSite) q.pass(b, i, NodeId.SITE_DELIVER, path.site);
      else q.pass(b, i, NodeId.GATEWAY_FORWARD, path.gateway);
    }
  },
};
