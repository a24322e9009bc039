/**
 * Drop reasons: the fixed, stable list of SCENARIO-FORMAT.md, declared as data.
 *
 * A packet that a node discards carries exactly one of these. Counters are kept per
 * topology node and per reason and are addressable by name (`gw1/crypto/replay`, see
 * counters.ts); each graph node declares the reasons it may count (sim/engine/graph.ts).
 * The numeric code is the index in DROP_REASONS and is what the batch stores in its
 * typed arrays.
 */

export interface DropReasonInfo {
  /** Stable name shown to users and used in `expect: { reason: ... }`. */
  readonly name: DropReason;
  /** One-line description: when this drop happens. */
  readonly summary: string;
}

export const DROP_REASON_NAMES = [
  'no-route',
  'no-selector',
  'tunnel-down',
  'unknown-spi',
  'icv-mismatch',
  'replay',
  'inbound-policy',
  'ttl-expired',
  'rate-limit',
  'mtu',
  'no-host',
  'p2s-auth',
] as const;

export type DropReason = (typeof DROP_REASON_NAMES)[number];

export const DROP_REASONS: readonly DropReasonInfo[] = [
  { name: 'no-route', summary: 'no route matches the destination (longest prefix match found nothing, or the route\'s next hop is None)' },
  { name: 'no-selector', summary: 'policy-based: no traffic selector matches the packet' },
  { name: 'tunnel-down', summary: 'the connection has no established SA (IKE failed, peer down, not yet up)' },
  { name: 'unknown-spi', summary: 'an ESP packet arrived for an SPI with no inbound SA' },
  { name: 'icv-mismatch', summary: 'ESP integrity check failed (tampered or wrong key)' },
  { name: 'replay', summary: 'ESP sequence number outside or already seen in the anti-replay window' },
  { name: 'inbound-policy', summary: "the decrypted inner packet does not match the SA's traffic selectors" },
  { name: 'ttl-expired', summary: 'TTL reached zero' },
  { name: 'rate-limit', summary: "the gateway's SKU throughput was exceeded: its token bucket (50 ms of burst) held too few bytes, and there is no queue" },
  { name: 'mtu', summary: 'DF set and the packet, with ESP overhead, exceeds the path MTU' },
  { name: 'no-host', summary: 'destination is inside a known prefix but no host has that address' },
  { name: 'p2s-auth', summary: "a point-to-site client's certificate was not accepted" },
];

/** Numeric code of a reason (its index), as stored in the batch arrays. */
export function dropReasonCode(reason: DropReason): number {
  return DROP_REASON_NAMES.indexOf(reason);
}

export function isDropReason(s: string): s is DropReason {
  return (DROP_REASON_NAMES as readonly string[]).includes(s);
}
