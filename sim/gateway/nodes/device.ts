/**
 * `device`: an on-premises VPN device routes a packet from its LAN (argument: the site's
 * index). A router hop (TTL). Policy-based: its access list picks the SA (or bypass, sent
 * in clear to the Internet); route-based: its routes.
 */
import { Outcome as Outcome_IMPORT } from '../../engine/batch.js';
import { dropReasonCode } from '../../engine/drop-reasons.js';
import type { GraphNode } from '../../engine/graph.js';
import { Where as Where_IMPORT, noSaDetail } from '../trace-text.js';
import { NodeId as NodeId_IMPORT } from './ids.js';
import { dropAt, endAt, followRoute as followRoute_IMPORT, hop, routerTtl as routerTtl_IMPORT, traceRoute } from './context.js';
import type { NodeContext } from './context.js';
import { Stage } from '../../engine/stages.js';

// Local copies: V8 folds a module's own consts, not imported bindings (see sim/engine/batch.ts).
const Outcome = Outcome_IMPORT;
const Where = Where_IMPORT;
const NodeId = NodeId_IMPORT;
const followRoute = followRoute_IMPORT;
const routerTtl = routerTtl_IMPORT;

const R_TUNNEL_DOWN = dropReasonCode('tunnel-down');

export const deviceNode: GraphNode<NodeContext> = {
  id: NodeId.DEVICE,
  name: 'device',
  summary: "an on-premises VPN device: TTL, then its access list (policy-based) or its routes picks the SA",
  next: ['esp-encrypt', 'site-deliver', 'gateway-forward', 'device', 'expressroute'],
  ends: ['internet'],
  drops: ['ttl-expired', 'tunnel-down', 'no-route', 'no-host'],
  run(ctx, b, list, n, q) {
    const w = ctx.world;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = b.arg[i]!;
      const d = w.sites[at]!.device;
      if (!routerTtl(ctx, q, b, i, d.counter, Where.DEVICE, at, Stage.DEVICE)) continue;
      if (d.policy) {
        const p = d.policy;
        const m = p.classifier.classify(b.src[i]!, b.dst[i]!);
        if (b.trace[i]) hop(ctx, b, i, { kind: 'selector', where: Where.DEVICE, at, list: 'access list', policy: p, selector: m, src: b.src[i]!, dst: b.dst[i]! });
        if (m < 0 || p.permit[m] === 0) {
          endAt(ctx, q, b, i, Outcome.INTERNET, Where.DEVICE, at, Stage.CLASSIFY);
          continue;
        }
        const sa = p.sa[m]!;
        if (sa < 0) {
          dropAt(ctx, q, b, i, d.counter, R_TUNNEL_DOWN, Where.DEVICE, at, Stage.CLASSIFY, b.trace[i] ? noSaDetail(p, m, b.src[i]!, b.dst[i]!) : '');
          continue;
        }
        q.pass(b, i, NodeId.ESP_ENCRYPT, sa);
      } else {
        const t = d.table!;
        const r = t.lpm.lookup(b.dst[i]!);
        if (b.trace[i]) traceRoute(ctx, b, i, t, r, Where.DEVICE, at);
        if (r < 0) {
          endAt(ctx, q, b, i, Outcome.INTERNET, Where.DEVICE, at, Stage.ROUTE);
          continue;
        }
        followRoute(ctx, q, b, i, t, r, d.counter, Where.DEVICE, at, Stage.ROUTE, NodeId.SITE_DELIVER, at);
      }
    }
  },
};
