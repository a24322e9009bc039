/**
 * The gateway graph: every node of the data plane, by id. Policy-based and route-based
 * gateways differ only in how `gateway-forward` (and a device) picks the SA; both feed the
 * same `esp-encrypt`, `internet` and `esp-decrypt` nodes.
 *
 * Every cycle of the graph passes a router (`gateway-forward`, `device`, or the device's
 * forward after `esp-decrypt`), whose TTL check ends it as a counted, traced ttl-expired
 * drop: the nodes that route without one (subnet, site LAN, client) are entered only from
 * `send` or from a gateway, so at most three hops (encrypt, decrypt, forward) separate two
 * routers. With a TTL of at most 255 a packet passes at most 254 routers: at most 4 hops
 * to the first (a P2S client's: route, encrypt, decrypt, forward) and 3 after each, 766 in
 * all, under MAX_HOPS (sim/engine/graph.ts). The longest loop a scenario can build (a
 * GatewaySubnet route back to its gateway, two hops a pass) ends at hop 511
 * (test/gateway/gateway-subnet-routes.test.ts).
 */
import type { GraphNode } from '../../engine/graph.js';
import type { NodeContext } from './context.js';
import { NODE_NAMES } from './ids.js';
import { sendNode } from './send.js';
import { subnetRouteNode } from './subnet-route.js';
import { siteLanRouteNode } from './site-lan-route.js';
import { p2sClientRouteNode } from './p2s-client-route.js';
import { deviceNode } from './device.js';
import { gatewayForwardNode } from './gateway-forward.js';
import { espEncryptNode } from './esp-encrypt.js';
import { internetNode } from './internet.js';
import { espDecryptNode } from './esp-decrypt.js';
import { expressRouteNode } from './expressroute.js';
import { p2sDeliverNode, siteDeliverNode, vnetDeliverNode } from './deliver.js';

/** The nodes in id order (the dispatcher's visiting order). */
export const GATEWAY_GRAPH: readonly GraphNode<NodeContext>[] = [
  sendNode, subnetRouteNode, siteLanRouteNode, p2sClientRouteNode, deviceNode, gatewayForwardNode,
  espEncryptNode, internetNode, espDecryptNode, expressRouteNode, vnetDeliverNode, siteDeliverNode, p2sDeliverNode,
];

// The ids the nodes pass by and the names they declare are one list: a mismatch is a bug.
GATEWAY_GRAPH.forEach((n, k) => {
  if (n.id !== k || n.name !== NODE_NAMES[k]) throw new Error(`gateway graph: node ${n.name} at ${k} (id ${n.id}, expected ${NODE_NAMES[k]})`);
});
