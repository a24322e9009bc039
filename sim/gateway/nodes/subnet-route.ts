/**
 * `subnet-route`: a VNet subnet's effective routes (argument: the subnet's index). Longest
 * prefix match; the next hop is the VNet itself, a gateway, a tunnel, the Internet, or a
 * discard.
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

export const subnetRouteNode: GraphNode<NodeContext> = {
  id: NodeId.SUBNET_ROUTE,
  name: 'subnet-route',
  summary: "a VNet subnet's effective routes (system, user-defined, propagated)",
  next: ['vnet-deliver', 'gateway-forward', 'esp-encrypt', 'device', 'expressroute'],
  ends: ['internet'],
  drops: ['no-route', 'no-host'],
  run(ctx, b, list, n, q) {
    const w = ctx.world;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = b.arg[i]!;
      const sn = w.subnets[at]!;
      const r = sn.table.lpm.lookup(b.dst[i]!);
      if (b.trace[i]) hop(ctx, b, i, { kind: 'route', where: Where.SUBNET, at, table: sn.table, route: r, dst: b.dst[i]! });
      if (r < 0) {
        dropAt(ctx, q, b, i, sn.counter, R_NO_ROUTE, Where.SUBNET, at, 'route', b.trace[i] ? noRouteDetail(w, Where.SUBNET, at, b.dst[i]!) : '');
        continue;
      }
      followRoute(ctx, q, b, i, sn.table, r, sn.counter, Where.SUBNET, at, 'route', NodeId.VNET_DELIVER, sn.vnet);
    }
  },
};
