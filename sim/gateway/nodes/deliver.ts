/**
 * `vnet-deliver`, `site-deliver`, `p2s-deliver`: the packet's last hop, to the host that
 * owns its destination address on a VNet, a site LAN or a point-to-site client (argument:
 * the VNet, site or client index); no-host when nobody has it.
 */
import { Outcome as Outcome_IMPORT } from '../../engine/batch.js';
import type { PacketBatch } from '../../engine/batch.js';
import { dropReasonCode } from '../../engine/drop-reasons.js';
import type { GraphNode, Queues } from '../../engine/graph.js';
import { NetKind as NetKind_IMPORT } from '../world.js';
import { Where as Where_IMPORT, noHostDetail, whereName } from '../trace-text.js';
import type { WhereKind } from '../trace-text.js';
import { NodeId as NodeId_IMPORT } from './ids.js';
import { end, hop } from './context.js';
import type { NodeContext } from './context.js';

// Local copies: V8 folds a module's own consts, not imported bindings (see sim/engine/batch.ts).
const Outcome = Outcome_IMPORT;
const NetKind = NetKind_IMPORT;
const Where = Where_IMPORT;
const NodeId = NodeId_IMPORT;

const R_NO_HOST = dropReasonCode('no-host');

/** Deliver packet i to host `h` (-1: nobody has the address) of network (kind, at). */
function deliver(ctx: NodeContext, q: Queues, b: PacketBatch, i: number, h: number, counter: number, where: WhereKind, netKind: number, at: number): void {
  const w = ctx.world;
  if (h < 0) {
    q.drop(b, i, counter, R_NO_HOST);
    if (b.trace[i]) {
      const node = whereName(w, where, at);
      end(ctx, b, i, { kind: 'dropped', node, stage: 'deliver', reason: R_NO_HOST, detail: noHostDetail(node, b.dst[i]!) });
    }
    return;
  }
  ctx.tap?.lan(b, i, w, netKind, at);
  q.end(b, i, Outcome.DELIVERED);
  if (b.trace[i]) {
    hop(ctx, b, i, { kind: 'deliver', where, at, host: h, dst: b.dst[i]! });
    end(ctx, b, i, { kind: 'delivered', node: w.hosts[h]!.name, stage: 'deliver' });
  }
}

export const vnetDeliverNode: GraphNode<NodeContext> = {
  id: NodeId.VNET_DELIVER,
  name: 'vnet-deliver',
  summary: 'to the VNet host that has the address',
  next: [],
  ends: ['delivered'],
  drops: ['no-host'],
  run(ctx, b, list, n, q) {
    const vnets = ctx.world.vnets;
    const trace = b.trace;
    const tap = ctx.tap;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = b.arg[i]!;
      const v = vnets[at]!;
      const h = v.hosts.find(b.dst[i]!);
      // The usual packet: a host has the address, no trace, no capture.
      if (h >= 0 && trace[i] === 0 && tap === undefined) q.end(b, i, Outcome.DELIVERED);
      else deliver(ctx, q, b, i, h, v.counter, Where.VNET, NetKind.VNET, at);
    }
  },
};

export const siteDeliverNode: GraphNode<NodeContext> = {
  id: NodeId.SITE_DELIVER,
  name: 'site-deliver',
  summary: 'to the site LAN host that has the address',
  next: [],
  ends: ['delivered'],
  drops: ['no-host'],
  run(ctx, b, list, n, q) {
    const sites = ctx.world.sites;
    const trace = b.trace;
    const tap = ctx.tap;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = b.arg[i]!;
      const site = sites[at]!;
      const h = site.hosts.find(b.dst[i]!);
      // The usual packet: a host has the address, no trace, no capture.
      if (h >= 0 && trace[i] === 0 && tap === undefined) q.end(b, i, Outcome.DELIVERED);
      else deliver(ctx, q, b, i, h, site.counter, Where.SITE_LAN, NetKind.SITE, at);
    }
  },
};

export const p2sDeliverNode: GraphNode<NodeContext> = {
  id: NodeId.P2S_DELIVER,
  name: 'p2s-deliver',
  summary: 'to the point-to-site client, when the address is its own',
  next: [],
  ends: ['delivered'],
  drops: ['no-host'],
  run(ctx, b, list, n, q) {
    const clients = ctx.world.p2sClients;
    const trace = b.trace;
    const tap = ctx.tap;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const at = b.arg[i]!;
      const c = clients[at]!;
      const h = c.ip === b.dst[i] ? c.host : -1;
      // The usual packet: a host has the address, no trace, no capture.
      if (h >= 0 && trace[i] === 0 && tap === undefined) q.end(b, i, Outcome.DELIVERED);
      else deliver(ctx, q, b, i, h, c.counter, Where.P2S, NetKind.P2S, at);
    }
  },
};
