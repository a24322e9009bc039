/**
 * `subnet-route`: a VNet subnet's effective routes (argument: the subnet's index). Longest
 * prefix match; the next hop is the VNet itself, a gateway, a tunnel, the Internet, or a
 * discard.
 */
import type { GraphNode } from '../../engine/graph.js';
import { Where } from '../trace-text.js';
import { NodeId } from './ids.js';
import { routeList } from './context.js';
import type { NodeContext } from './context.js';

export const subnetRouteNode: GraphNode<NodeContext> = {
  id: NodeId.SUBNET_ROUTE,
  name: 'subnet-route',
  summary: "a VNet subnet's effective routes (system, user-defined, propagated)",
  next: ['vnet-deliver', 'gateway-forward', 'esp-encrypt', 'device', 'expressroute'],
  ends: ['internet'],
  drops: ['no-route', 'no-host'],
  run(ctx, b, list, n, q) {
    routeList(ctx, b, list, n, q, Where.SUBNET);
  },
};
