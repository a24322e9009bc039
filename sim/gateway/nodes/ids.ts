/**
 * The ids of the gateway graph's nodes: the index of each node's queue, and the order the
 * dispatcher visits them in a round. A node passes a packet on by id (a number in the hot
 * loop); its declaration names the same nodes by name (index.ts checks they agree).
 */
const NodeId = {
  SEND: 0,
  SUBNET_ROUTE: 1,
  SITE_LAN_ROUTE: 2,
  P2S_CLIENT_ROUTE: 3,
  DEVICE: 4,
  GATEWAY_FORWARD: 5,
  ESP_ENCRYPT: 6,
  INTERNET: 7,
  ESP_DECRYPT: 8,
  EXPRESSROUTE: 9,
  VNET_DELIVER: 10,
  SITE_DELIVER: 11,
  P2S_DELIVER: 12,
} as const;

/** Node names by id. */
export const NODE_NAMES = [
  'send', 'subnet-route', 'site-lan-route', 'p2s-client-route', 'device', 'gateway-forward',
  'esp-encrypt', 'internet', 'esp-decrypt', 'expressroute', 'vnet-deliver', 'site-deliver', 'p2s-deliver',
] as const;

// Exported through a second binding: V8 folds a module's own consts but reads exported
// bindings through a cell with a hole check at every use (see sim/engine/batch.ts).
const NODE_IDS: typeof NodeId = NodeId;
export { NODE_IDS as NodeId };
