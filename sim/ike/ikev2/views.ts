/**
 * What `Ikev2Endpoint.ikeSas()` shows of its IKE SAs and their children, like the lines of
 * `swanctl --list-sas`: plain data copied out of the live records, for traces, views and
 * tests.
 */
import { spiKey } from '../../wire/ikev2-header.js';
import type { ChildSa, IkeSa } from './ike-sa.js';

/** A child SA as `ikeSas()` shows it. */
export interface ChildSaView {
  readonly uid: number;
  readonly reqid: number;
  readonly inboundSpi: number;
  readonly outboundSpi: number;
  readonly state: ChildSa['state'];
  readonly weInitiated: boolean;
  readonly rekeyAt: number;
  readonly expireAt: number;
}

/** An IKE SA as `ikeSas()` shows it (like a line of `swanctl --list-sas`). */
export interface IkeSaView {
  readonly uid: number;
  readonly spiI: string;
  readonly spiR: string;
  readonly state: IkeSa['state'];
  readonly weAreOriginalInitiator: boolean;
  readonly localPort: number;
  readonly peerAddress: number;
  readonly peerPort: number;
  readonly natHere: boolean;
  readonly natThere: boolean;
  /** Our next request's message ID and the peer's we expect next. */
  readonly nextMessageId: number;
  readonly expectedMessageId: number;
  readonly rekeyAt: number;
  readonly expireAt: number;
  readonly children: readonly ChildSaView[];
}

/** The view of `sa` and its children. */
export function ikeSaView(sa: IkeSa): IkeSaView {
  return {
    uid: sa.uid,
    spiI: spiKey(sa.spiI),
    spiR: spiKey(sa.spiR),
    state: sa.state,
    weAreOriginalInitiator: sa.weAreOriginalInitiator,
    localPort: sa.localPort,
    peerAddress: sa.peerAddress,
    peerPort: sa.peerPort,
    natHere: sa.natHere,
    natThere: sa.natThere,
    nextMessageId: sa.nextMessageId,
    expectedMessageId: sa.expectedMessageId,
    rekeyAt: sa.rekeyAt,
    expireAt: sa.expireAt,
    children: sa.children.map((c) => ({ uid: c.uid, reqid: c.reqid, inboundSpi: c.inSpi, outboundSpi: c.outSpi, state: c.state, weInitiated: c.weInitiated, rekeyAt: c.rekeyAt, expireAt: c.expireAt })),
  };
}
