/**
 * Deleting the IKE SA with an INFORMATIONAL exchange (RFC 7296 §1.4.1), both roles, as
 * strongSwan's `ike_delete` task does it: a Delete payload for protocol IKE (no SPIs); the
 * answer is empty. The initiator's SA goes when the answer comes (or when the request is
 * given up); the responder's once it has answered. Children still on the SA go with it (a
 * rekeyed SA has handed its children on already). Also the notice of a failed AUTH that ends
 * an SA (N(AUTHENTICATION_FAILED) in an INFORMATIONAL request), which strongSwan treats the
 * same way. Logs in strongSwan's words.
 */
import { ExchangeType, ProtocolId } from '../../wire/ikev2-numbers.js';
import type { Ikev2Payload } from '../../wire/ikev2-payloads.js';
import type { IkeSa, InitiatorTask, ResponseInfo } from './ike-sa.js';
import { ikeEnds, ikeName, type Ikev2Services } from './services.js';

/** The initiator's delete of `sa`. */
export class IkeDeleteTask implements InitiatorTask {
  readonly kind = 'ike-delete';
  readonly exchange = ExchangeType.INFORMATIONAL;
  readonly oneWay = false;

  constructor(
    private readonly s: Ikev2Services,
    private readonly sa: IkeSa,
    private readonly reason = 'IKE_SA deleted',
  ) {}

  build(): Ikev2Payload[] {
    const s = this.s;
    if (this.sa.state !== 'rekeyed') s.log(`deleting IKE_SA ${ikeName(s, this.sa)} between ${ikeEnds(s, this.sa)}`);
    s.log(`sending DELETE for IKE_SA ${ikeName(s, this.sa)}`);
    this.sa.state = 'deleting';
    return [{ kind: 'Delete', protocol: ProtocolId.IKE, spiSize: 0, spis: [] }];
  }

  process(_r: ResponseInfo, now: number): 'done' {
    this.s.log('IKE_SA deleted');
    this.s.destroySa(this.sa, now, this.reason);
    return 'done';
  }
}

/** Answer a Delete of the IKE SA: log, and say the SA ends once the (empty) answer is sent. */
export function answerIkeDelete(s: Ikev2Services, sa: IkeSa): Ikev2Payload[] {
  s.log(`received DELETE for IKE_SA ${ikeName(s, sa)}`);
  if (sa.state !== 'rekeyed') s.log(`deleting IKE_SA ${ikeName(s, sa)} between ${ikeEnds(s, sa)}`);
  s.log('IKE_SA deleted');
  return [];
}
