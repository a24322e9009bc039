/**
 * `p2s-client-route`: a point-to-site client's own routes (argument: the client's index):
 * the VNet's address space into the tunnel, the rest to the Internet.
 */
import type { GraphNode } from '../../engine/graph.js';
import { Where } from '../trace-text.js';
import { NodeId } from './ids.js';
import { routeList } from './context.js';
import type { NodeContext } from './context.js';

export const p2sClientRouteNode: GraphNode<NodeContext> = {
  id: NodeId.P2S_CLIENT_ROUTE,
  name: 'p2s-client-route',
  summary: "a point-to-site client's routes: the VNet into the tunnel, the rest to the Internet",
  next: ['p2s-deliver', 'esp-encrypt', 'gateway-forward', 'device', 'expressroute'],
  ends: ['internet'],
  drops: ['no-route', 'no-host'],
  run(ctx, b, list, n, q) {
    routeList(ctx, b, list, n, q, Where.P2S);
  },
};
