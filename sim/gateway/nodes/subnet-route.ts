/**
 * `subnet-route`: a VNet subnet's effective routes (argument: the subnet's index). Longest
 * prefix match; the next hop is the VNet itself, a gateway, a tunnel, the Internet, or a
 * discard.
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
      routeStep(ctx, q, b, i, sn.table, sn.counter, Where.SUBNET, at, NodeId.VNET_DELIVER, sn.vnet);
    }
  },
};
