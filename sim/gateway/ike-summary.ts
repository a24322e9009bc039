/**
 * What a run reports of each connection's IKE negotiation (RunResult.ike): the status in
 * Batfish's terms from both sides, who started, the messages and the IKE SAs, and a status
 * detail in words with its notify. Types and one text helper; the control plane
 * (ike-plane.ts) fills them.
 */
import type { IkeSessionStatus } from '../ike/endpoint.js';

/** What a run reports of a connection's negotiation. */
export interface IkeConnectionSummary {
  readonly connection: string;
  readonly version: 1 | 2;
  /** The gateway's view: Batfish's status name, or null while nothing has been decided. */
  readonly status: IkeSessionStatus | null;
  readonly detail: string;
  readonly notify: string | null;
  /** The device's (or peer gateway's) view of the same negotiation. */
  readonly peerStatus: IkeSessionStatus | null;
  readonly peerDetail: string;
  /** Who started it: the gateway's or the other side's node name ('' when nobody has yet). */
  readonly initiator: string;
  /** IKE messages sent by both sides, and those lost on a cut path. */
  readonly messages: number;
  readonly lost: number;
  /** Child SAs installed (both directions count once per negotiation) and deleted. */
  readonly childrenUp: number;
  readonly childrenDown: number;
  /** Every IKE SA negotiated, oldest first (a rekey or a new attempt adds one). */
  readonly ikeSas: readonly IkeSaSummary[];
}

/** One IKE SA as `swanctl --list-sas` heads it: its SPIs (IKEv1: the initiator cookie) and proposal. */
export interface IkeSaSummary {
  readonly spiI: string;
  readonly spiR: string;
  readonly proposal: string;
}

/** A status detail with the notify it carries, named once. */
export function withNotify(detail: string, notify: string | null): string {
  return notify && !detail.includes(notify) ? `${detail} (notify ${notify})` : detail;
}
