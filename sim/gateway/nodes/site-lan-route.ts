/**
 * `site-lan-route`: an on-premises site LAN's routing (argument: the site's index): its own
 * prefixes are local, ExpressRoute-learned prefixes go over the circuit, the rest to the
 * site's VPN device.
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

export const siteLanRouteNode: GraphNode<NodeContext> = {
  id: NodeId.SITE_LAN_ROUTE,
  name: 'site-lan-route',
  summary: "a site LAN's routes: its own prefixes, ExpressRoute, else the VPN device",
  next: ['site-deliver', 'device', 'gateway-forward', 'esp-encrypt', 'expressroute'],
  ends: ['internet'],
  drops: ['no-route', 'no-host'],
  run(ctx, b, list, n, q) {
    const w = ctx.world;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = b.arg[i]!;
      const site = w.sites[at]!;
      routeStep(ctx, q, b, i, site.edge, site.counter, Where.SITE_LAN, at, NodeId.SITE_DELIVER, at);
    }
  },
};
