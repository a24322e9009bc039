/**
 * `site-lan-route`: an on-premises site LAN's routing (argument: the site's index): its own
 * prefixes are local, ExpressRoute-learned prefixes go over the circuit, the rest to the
 * site's VPN device.
 */
import type { GraphNode } from '../../engine/graph.js';
import { Where } from '../trace-text.js';
import { NodeId } from './ids.js';
import { routeList } from './context.js';
import type { NodeContext } from './context.js';

export const siteLanRouteNode: GraphNode<NodeContext> = {
  id: NodeId.SITE_LAN_ROUTE,
  name: 'site-lan-route',
  summary: "a site LAN's routes: its own prefixes, ExpressRoute, else the VPN device",
  next: ['site-deliver', 'device', 'gateway-forward', 'esp-encrypt', 'expressroute'],
  ends: ['internet'],
  drops: ['no-route', 'no-host'],
  run(ctx, b, list, n, q) {
    routeList(ctx, b, list, n, q, Where.SITE_LAN);
  },
};
