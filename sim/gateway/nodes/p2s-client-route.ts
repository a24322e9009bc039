/**
 * `p2s-client-route`: a point-to-site client's own routes (argument: the client's index):
 * the VNet's address space into the tunnel, the rest to the Internet.
 */
import { dropReasonCode } from '../../engine/drop-reasons.js';
import type { GraphNode } from '../../engine/graph.js';
import { Where as Where_IMPORT, noRouteDetail } from '../trace-text.js';
import { NodeId as NodeId_IMPORT } from './ids.js';
import { dropAt, followRoute as followRoute_IMPORT, hop } from './context.js';
import type { NodeContext } from './context.js';

// Local copies: V8 folds a module's own consts, not imported bindings (see sim/engine/batch.ts).
const Where = Where_IMPORT;
const NodeId = NodeId_IMPORT;
const followRoute = followRoute_IMPORT;

const R_NO_ROUTE = dropReasonCode('no-route');

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
      const r = c.table.lpm.lookup(b.dst[i]!);
      if (b.trace[i]) hop(ctx, b, i, { kind: 'route', where: Where.P2S, at, table: c.table, route: r, dst: b.dst[i]! });
      if (r < 0) {
        dropAt(ctx, q, b, i, c.counter, R_NO_ROUTE, Where.P2S, at, 'route', b.trace[i] ? noRouteDetail(w, Where.P2S, at, b.dst[i]!) : '');
        continue;
      }
      followRoute(ctx, q, b, i, c.table, r, c.counter, Where.P2S, at, 'route', NodeId.P2S_DELIVER, at);
    }
  },
};
