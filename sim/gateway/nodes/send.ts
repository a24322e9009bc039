/**
 * `send`: a host puts its packet on its network (argument: the host's index). The packet
 * goes to its first router: its subnet's routes (a VNet host), its site LAN's routes, or
 * its point-to-site client's own routes.
 */
import type { GraphNode } from '../../engine/graph.js';
import { NetKind as NetKind_IMPORT } from '../world.js';
import type { World } from '../world.js';
import { NodeId as NodeId_IMPORT } from './ids.js';
import { header, hop } from './context.js';
import type { NodeContext } from './context.js';

// Local copies: V8 folds a module's own consts, not imported bindings (see sim/engine/batch.ts).
const NetKind = NetKind_IMPORT;
const NodeId = NodeId_IMPORT;

/** Each host's first router (node and argument) of the last world seen; worlds are immutable. */
let firstOf: World | null = null;
let firstNode = new Int8Array(0);
let firstArg = new Int32Array(0);

function firstHops(w: World): void {
  const m = w.hosts.length;
  firstNode = new Int8Array(m);
  firstArg = new Int32Array(m);
  for (let h = 0; h < m; h++) {
    const host = w.hosts[h]!;
    if (host.netKind === NetKind.VNET) {
      firstNode[h] = NodeId.SUBNET_ROUTE;
      firstArg[h] = host.subnet;
    } else {
      firstNode[h] = host.netKind === NetKind.SITE ? NodeId.SITE_LAN_ROUTE : NodeId.P2S_CLIENT_ROUTE;
      firstArg[h] = host.net;
    }
  }
  firstOf = w;
}

export const sendNode: GraphNode<NodeContext> = {
  id: NodeId.SEND,
  name: 'send',
  summary: 'a host sends the packet on its network, to its first router',
  next: ['subnet-route', 'site-lan-route', 'p2s-client-route'],
  ends: [],
  drops: [],
  run(ctx, b, list, n, q) {
    const w = ctx.world;
    if (w !== firstOf) firstHops(w);
    const hosts = w.hosts;
    const tap = ctx.tap;
    const node = firstNode;
    const arg = firstArg;
    const args = b.arg;
    const trace = b.trace;
    // The trace and the capture first, in a loop of their own: the loop that passes the
    // packets on then makes no call.
    if (b.traced !== 0 || tap) {
      for (let k = 0; k < n; k++) {
        const i = list[k]!;
        const h = args[i]!;
        if (trace[i]) hop(ctx, b, i, { kind: 'send', host: h, header: header(b, i) });
        if (tap) tap.lan(b, i, w, hosts[h]!.netKind, hosts[h]!.net);
      }
    }
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const h = args[i]!;
      // A table, not a branch on the host's network kind: random traffic mispredicts it.
      q.pass(b, i, node[h]!, arg[h]!);
    }
  },
};
