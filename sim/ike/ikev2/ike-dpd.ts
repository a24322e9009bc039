/**
 * Dead peer detection (RFC 7296 §2.4), as strongSwan's `ike_dpd` task does it: an empty
 * INFORMATIONAL request when nothing authenticated arrived for the DPD delay, an empty
 * answer to the peer's. The endpoint decides when one is due and what an unanswered one
 * means (the SA is gone once the retransmits give up); this file owns only the exchange.
 */
import { ExchangeType } from '../../wire/ikev2-numbers.js';
import type { Ikev2Payload } from '../../wire/ikev2-payloads.js';
import type { InitiatorTask } from './ike-sa.js';

/** The initiator's liveness check. */
export class IkeDpdTask implements InitiatorTask {
  readonly kind = 'ike-dpd';
  readonly exchange = ExchangeType.INFORMATIONAL;
  readonly oneWay = false;

  build(): Ikev2Payload[] {
    return [];
  }

  process(): 'done' {
    return 'done';
  }
}
