/**
 * `site-lan-route`: an on-premises site LAN's routing (argument: the site's index): its own
 * prefixes are local, ExpressRoute-learned prefixes go over the circuit, the rest to the
 * site's VPN device.
 */
import { dropReasonCode } from '../../engine/drop-reasons.js';
import type { GraphNode } from '../../engine/graph.js';
import { Next as Next_IMPORT } from '../world.js';
import { Where as Where_IMPORT, noRouteDetail } from '../trace-text.js';
import { NodeId as NodeId_IMPORT } from './ids.js';
import { dropAt, followRoute as followRoute_IMPORT, hop } from './context.js';
import type { NodeContext } from './context.js';

// Local copies: V8 folds a module's own consts, not imported bindings (see sim/engine/batch.ts).
const Next = Next_IMPORT;
const Where = Where_IMPORT;
const NodeId = NodeId_IMPORT;
const followRoute = followRoute_IMPORT;

const R_NO_ROUTE = dropReasonCode('no-route');

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
      const r = site.edge.lpm.lookup(b.dst[i]!);
      if (b.trace[i]) hop(ctx, b, i, { kind: 'route', where: Where.SITE_LAN, at, table: site.edge, route: r, dst: b.dst[i]! });
      if (r < 0) {
        dropAt(ctx, q, b, i, site.counter, R_NO_ROUTE, Where.SITE_LAN, at, 'route', b.trace[i] ? noRouteDetail(w, Where.SITE_LAN, at, b.dst[i]!) : '');
        continue;
      }
      if (site.edge.next[r] === Next.DEVICE) q.pass(b, i, NodeId.DEVICE, at);
      else followRoute(ctx, q, b, i, site.edge, r, site.counter, Where.SITE_LAN, at, 'route', NodeId.SITE_DELIVER, at);
    }
  },
};
