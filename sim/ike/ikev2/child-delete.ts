/**
 * Deleting child SAs with an INFORMATIONAL exchange (RFC 7296 §1.4.1), both roles, as
 * strongSwan's `child_delete` task does it.
 *
 * Owns: the Delete payload, which names the sender's inbound SPIs (the receiver finds each
 * child by its outbound SPI); the answer, a Delete with the responder's inbound SPIs of the
 * same children; and when a child goes: the initiator's when the answer arrives (its inbound
 * SA stays until then), the responder's when it answers. A Delete for an SPI this side does
 * not know is logged and skipped, as strongSwan does; a child both sides delete at once goes
 * with whichever message comes first.
 */
import { ExchangeType, ProtocolId } from '../../wire/ikev2-numbers.js';
import { spi32, spi32Bytes, type DeletePayload, type Ikev2Payload } from '../../wire/ikev2-payloads.js';
import { childByPeerSpi } from './child-sa.js';
import type { ChildSa, IkeSa, InitiatorTask, ResponseInfo } from './ike-sa.js';
import { spiText, type Ikev2Services } from './services.js';

function espDelete(spis: readonly number[]): DeletePayload {
  return { kind: 'Delete', protocol: ProtocolId.ESP, spiSize: 4, spis: spis.map(spi32Bytes) };
}

/** The initiator's delete of `children`. */
export class ChildDeleteTask implements InitiatorTask {
  readonly kind = 'child-delete';
  readonly exchange = ExchangeType.INFORMATIONAL;
  readonly oneWay = false;
  private sent: ChildSa[] = [];

  constructor(
    private readonly s: Ikev2Services,
    private readonly sa: IkeSa,
    private readonly children: readonly ChildSa[],
    private readonly reason = 'deleted',
    /** The children are already down here (a hard expiry): only tell the peer. */
    private readonly alreadyClosed = false,
  ) {}

  build(): Ikev2Payload[] | null {
    this.sent = this.alreadyClosed ? [...this.children] : this.children.filter((c) => this.sa.children.includes(c));
    if (this.sent.length === 0) return null;
    for (const c of this.sent) {
      c.state = 'deleting';
      c.rekeyAt = Infinity;
      this.s.log(`sending DELETE for ESP CHILD_SA with SPI ${spiText(c.inSpi)}`);
    }
    return [espDelete(this.sent.map((c) => c.inSpi))];
  }

  process(_r: ResponseInfo): 'done' {
    for (const c of this.sent) if (this.sa.children.includes(c)) this.s.closeChild(this.sa, c, this.reason);
    return 'done';
  }
}

/** Answer the ESP Delete payloads of a request: close those children, name our inbound SPIs of them back. */
export function answerChildDelete(s: Ikev2Services, sa: IkeSa, deletes: readonly DeletePayload[]): Ikev2Payload[] {
  const ours: number[] = [];
  for (const d of deletes) {
    if (d.protocol !== ProtocolId.ESP) continue;
    for (const bytes of d.spis) {
      const spi = spi32(bytes);
      const child = spi === null ? null : childByPeerSpi(sa, spi);
      if (!child) {
        s.log(`received DELETE for unknown ESP CHILD_SA with SPI ${spi === null ? '(none)' : spiText(spi)}`);
        continue;
      }
      s.log(`received DELETE for ESP CHILD_SA with SPI ${spiText(child.outSpi)}`);
      ours.push(child.inSpi);
      s.closeChild(sa, child, 'deleted by the peer');
    }
  }
  return ours.length > 0 ? [espDelete(ours)] : [];
}
