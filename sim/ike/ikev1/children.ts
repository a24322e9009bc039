/**
 * The life of a CHILD_SA (one ESP SA pair made by a Quick Mode): installed with its keys,
 * rekeyed before it expires, closed when it expires, when this side closes the connection or
 * when the peer deletes it; each step an output for the host and a log line in strongSwan's
 * words (`quick_mode.c` install, `quick_delete.c`).
 *
 * Rekeying is strongSwan's for IKEv1: a new Quick Mode for the same pair; the old SA is marked
 * rekeyed, stays installed (its inbound SPI goes in the new SA's `replacesInboundSpi`, so the
 * host keeps accepting it until the new one carries traffic) and is closed, with a Delete,
 * when it expires. Both sides would rekey at the same moment with equal lifetimes; to keep
 * runs free of that collision (strongSwan spreads rekeys with random jitter, which would cost
 * determinism here) the side that initiated the Quick Mode rekeys `rekeyMargin` before the end
 * and the other side only at half that, by when the initiator's rekey has replaced the SA.
 * The closing line has strongSwan's shape without its byte counts, which only the ESP data
 * path knows; for the same reason IKEv1's kilobyte lifetime is negotiated and handed to the
 * host (`lifeKilobytes`) but not counted here.
 */
import type { ChildSaKeys } from '../child-keys.js';
import type { Ikev1Context } from './context.js';
import { sendEspDelete } from './notify.js';
import type { ChildSaRecord, IsakmpSa, QuickModeExchange } from './state.js';
import { childSaName, pairText, spiHex } from './words.js';

/** When a side rekeys an SA of `lifetime` seconds established at `at`: `margin` before its end (half of it for the Quick Mode's responder), never before half the lifetime. */
export function rekeyTime(at: number, lifetime: number, margin: number, weInitiated: boolean): number {
  const before = weInitiated ? margin : margin / 2;
  return at + Math.max(lifetime - before, lifetime / 2);
}

/** Install the CHILD_SA a finished Quick Mode made, and tell the host. */
export function installChild(ctx: Ikev1Context, sa: IsakmpSa, qm: QuickModeExchange, keys: ChildSaKeys): ChildSaRecord {
  if (qm.peerSpi === null || qm.agreed === null) throw new RangeError('a Quick Mode installs only once both SPIs and the proposal are known');
  const lifetime = Math.min(qm.lifetime, ctx.config.childLifetime);
  const child: ChildSaRecord = {
    uniqueId: ctx.nextChildSaId(),
    reqid: qm.reqid,
    configured: qm.configured,
    pair: qm.pair,
    transform: qm.agreed.choice.transform,
    pfsGroup: qm.agreed.choice.pfsGroup,
    inboundSpi: qm.ourSpi,
    outboundSpi: qm.peerSpi,
    weInitiated: qm.weInitiated,
    keys,
    lifetime: qm.lifetime,
    lifeKilobytes: qm.lifeKilobytes,
    udpEncapsulated: qm.udpEncapsulated,
    establishedAt: ctx.now,
    rekeyAt: rekeyTime(ctx.now, lifetime, ctx.config.rekeyMargin, qm.weInitiated),
    expireAt: ctx.now + qm.lifetime,
    rekeyed: false,
  };
  sa.children.push(child);
  ctx.emit({
    kind: 'child-up',
    child: {
      reqid: child.reqid,
      transform: child.transform,
      inboundSpi: child.inboundSpi,
      outboundSpi: child.outboundSpi,
      keys,
      weInitiated: child.weInitiated,
      selectors: [child.pair],
      lifetime: child.lifetime,
      lifeKilobytes: child.lifeKilobytes,
      replacesInboundSpi: qm.rekeyOf?.inboundSpi ?? null,
      udpEncapsulation: child.udpEncapsulated ? { localPort: sa.localPort, remotePort: sa.remotePort } : null,
    },
  });
  ctx.log(`CHILD_SA ${childSaName(ctx.config.connection, child.uniqueId)} established with SPIs ${spiHex(child.inboundSpi)}_i ${spiHex(child.outboundSpi)}_o and TS ${pairText(child.pair)}`);
  if (qm.rekeyOf) {
    qm.rekeyOf.rekeyed = true;
    qm.rekeyOf.rekeyAt = null;
  }
  return child;
}

/** Why a CHILD_SA ends. */
export type ChildEnd = 'expired' | 'closed' | 'deleted-by-peer' | 'ike-sa-gone';

const REASONS: { readonly [K in ChildEnd]: string } = {
  expired: 'lifetime expired',
  closed: 'closed by this side',
  'deleted-by-peer': 'deleted by the peer',
  'ike-sa-gone': 'its IKE_SA was deleted',
};

/** Close `child` of `sa`: log, send a Delete when this side decides, tell the host. */
export function closeChild(ctx: Ikev1Context, sa: IsakmpSa, child: ChildSaRecord, end: ChildEnd): void {
  const i = sa.children.indexOf(child);
  if (i >= 0) sa.children.splice(i, 1);
  const name = childSaName(ctx.config.connection, child.uniqueId);
  const spis = `${spiHex(child.inboundSpi)}_i ${spiHex(child.outboundSpi)}_o`;
  if (end === 'expired') ctx.log(`closing expired CHILD_SA ${name} with SPIs ${spis} and TS ${pairText(child.pair)}`);
  else if (end !== 'ike-sa-gone') ctx.log(`closing CHILD_SA ${name} with SPIs ${spis} and TS ${pairText(child.pair)}`);
  if ((end === 'expired' || end === 'closed') && sa.state === 'established') sendEspDelete(ctx, sa, child.inboundSpi);
  ctx.emit({ kind: 'child-down', inboundSpi: child.inboundSpi, outboundSpi: child.outboundSpi, reason: REASONS[end] });
}

/** The CHILD_SA of any of `sas` that has `spi` as inbound or outbound SPI (strongSwan looks up inbound, then outbound). */
export function findChild(sas: readonly IsakmpSa[], spi: number): { sa: IsakmpSa; child: ChildSaRecord } | null {
  for (const inbound of [true, false]) {
    for (const sa of sas) {
      const child = sa.children.find((c) => (inbound ? c.inboundSpi : c.outboundSpi) === spi);
      if (child) return { sa, child };
    }
  }
  return null;
}

/** Every inbound SPI in use, so a new one is unique. */
export function inboundSpis(sas: readonly IsakmpSa[]): Set<number> {
  const out = new Set<number>();
  for (const sa of sas) {
    for (const c of sa.children) out.add(c.inboundSpi);
    for (const q of sa.quickModes) out.add(q.ourSpi);
  }
  return out;
}
