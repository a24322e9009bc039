/**
 * The stages a trace names a hop by (`vnet1/frontend  route`, `gw1  encrypt`), as small
 * codes. A drop is counted under the same (node, stage) pair its trace event shows, so
 * the counter `gw1/encrypt/mtu` and the event "dropped at gw1 (encrypt): mtu" name one
 * place one way.
 */
export const STAGE_NAMES = ['send', 'route', 'classify', 'device', 'forward', 'encrypt', 'decrypt', 'circuit', 'deliver'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

const STAGE_CODES = {
  SEND: 0, ROUTE: 1, CLASSIFY: 2, DEVICE: 3, FORWARD: 4, ENCRYPT: 5, DECRYPT: 6, CIRCUIT: 7, DELIVER: 8,
} as const;
export type StageCode = (typeof STAGE_CODES)[keyof typeof STAGE_CODES];
export { STAGE_CODES as Stage };
