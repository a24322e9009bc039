/**
 * `gateway-forward`: a VNet gateway's forwarding decision (argument: the gateway's index).
 * A router hop (TTL). Policy-based: traffic for the VNet itself goes into the VNet, the
 * rest is classified by the traffic selectors, whose match names the SA. Route-based (and
 * ExpressRoute): the gateway's routing table. Into the VNet means the gateway's delivery
 * (`deliverNode`): the GatewaySubnet's routes when it has user-defined ones, else the VNet.
 */
import { dropReasonCode } from '../../engine/drop-reasons.js';
import type { GraphNode } from '../../engine/graph.js';
import { Where as Where_IMPORT, noRouteDetail, noSelectorDetail } from '../trace-text.js';
import { NodeId as NodeId_IMPORT } from './ids.js';
import { dropAt, followRoute as followRoute_IMPORT, hop, routerTtl as routerTtl_IMPORT, traceRoute } from './context.js';
import type { NodeContext } from './context.js';
import { Stage } from '../../engine/stages.js';

// Local copies: V8 folds a module's own consts, not imported bindings (see sim/engine/batch.ts).
const Where = Where_IMPORT;
const NodeId = NodeId_IMPORT;
const followRoute = followRoute_IMPORT;
const routerTtl = routerTtl_IMPORT;

const R_NO_ROUTE = dropReasonCode('no-route');
const R_NO_SELECTOR = dropReasonCode('no-selector');

export const gatewayForwardNode: GraphNode<NodeContext> = {
  id: NodeId.GATEWAY_FORWARD,
  name: 'gateway-forward',
  summary: 'a VNet gateway: TTL, then traffic selectors (policy-based) or its routing table picks the SA or the VNet',
  next: ['subnet-route', 'vnet-deliver', 'esp-encrypt', 'gateway-forward', 'device', 'expressroute'],
  ends: ['internet'],
  drops: ['ttl-expired', 'no-selector', 'no-route', 'no-host'],
  run(ctx, b, list, n, q) {
    const w = ctx.world;
    const gateways = w.gateways;
    const args = b.arg;
    const dstA = b.dst;
    const trace = b.trace;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = args[i]!;
      const g = gateways[at]!;
      if (!routerTtl(ctx, q, b, i, g.counter, Where.GATEWAY, at, Stage.FORWARD)) continue;
      const dst = dstA[i]!;
      const p = g.policy;
      if (p) {
        // Policy-based: traffic for the VNet itself is delivered; the rest is classified.
        const local = w.vnets[g.vnet]!.spaceLpm.lookup(dst);
        if (local >= 0) {
          if (trace[i]) hop(ctx, b, i, { kind: 'into-vnet', gateway: at, dst, space: local });
          q.pass(b, i, g.deliverNode, g.deliverArg);
          continue;
        }
        const m = p.classifier.classify(b.src[i]!, dst);
        if (trace[i]) hop(ctx, b, i, { kind: 'selector', where: Where.GATEWAY, at, list: 'traffic selectors', policy: p, selector: m, src: b.src[i]!, dst });
        if (m < 0) {
          dropAt(ctx, q, b, i, g.counter, R_NO_SELECTOR, Where.GATEWAY, at, Stage.CLASSIFY, trace[i] ? noSelectorDetail(g.name, b.src[i]!, dst) : '');
          continue;
        }
        q.pass(b, i, NodeId.ESP_ENCRYPT, p.sa[m]!);
      } else {
        const t = g.table!;
        const r = t.lpm.lookup(dst);
        if (trace[i]) traceRoute(ctx, b, i, t, r, Where.GATEWAY, at);
        if (r < 0) {
          dropAt(ctx, q, b, i, g.counter, R_NO_ROUTE, Where.GATEWAY, at, Stage.ROUTE, trace[i] ? noRouteDetail(w, Where.GATEWAY, at, dst) : '');
          continue;
        }
        followRoute(ctx, q, b, i, t, r, g.counter, Where.GATEWAY, at, Stage.ROUTE, g.deliverNode, g.deliverArg);
      }
    }
  },
};
