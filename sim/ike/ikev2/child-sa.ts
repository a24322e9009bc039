/**
 * A child SA (ESP) as an IKEv2 SA carries it: what was negotiated, its lifetimes, its part
 * in a rekey, and the `child-up` output that hands it to the host's SAD.
 *
 * Owns a child's installation (the record itself is in ike-sa.ts, beside the IKE SA's): the SPIs in the right direction (inbound is the SPI
 * this side chose and put in its own SA payload, the one ESP packets to us carry; outbound is
 * the peer's), the keys of the exchange that made it with who initiated that exchange, the
 * selectors from this side's view, the rekey and hard-expiry times from the configured
 * lifetime and margin, the strongSwan log line `CHILD_SA name{n} established with SPIs
 * %.8x_i %.8x_o and TS %#R === %#R`, and the stable reqid. Taking a child down is the
 * endpoint's `closeChild`, since the SA table is its.
 */
import type { ChildSaInstall } from '../endpoint.js';
import { rekeyTime, type ChildSa, type IkeSa } from './ike-sa.js';
import { childName, spiText, type Ikev2Services } from './services.js';
import { selectorPairs, selectorsText } from './traffic-selectors.js';

/** Everything a new child needs: the negotiated facts of its record, and the child it replaces (a rekey). */
export type NewChild = Pick<ChildSa, 'uid' | 'inSpi' | 'outSpi' | 'selection' | 'keys' | 'weInitiated' | 'localTs' | 'remoteTs' | 'lowerNonce'> & {
  readonly replaces: ChildSa | null;
};

/** Make a child, add it to `sa`, log it, and hand it to the host (`child-up`). */
export function installChild(s: Ikev2Services, sa: IkeSa, n: NewChild, now: number): ChildSa {
  const c = s.config;
  const child: ChildSa = {
    uid: n.uid,
    reqid: n.replaces ? n.replaces.reqid : s.reqidFor(n.localTs, n.remoteTs),
    inSpi: n.inSpi,
    outSpi: n.outSpi,
    selection: n.selection,
    keys: n.keys,
    weInitiated: n.weInitiated,
    localTs: n.localTs,
    remoteTs: n.remoteTs,
    createdAt: now,
    rekeyAt: rekeyTime(now, c.childLifetime, c.rekeyMargin),
    expireAt: now + c.childLifetime,
    state: 'installed',
    lowerNonce: n.lowerNonce,
    passiveReplacement: null,
    rekeyFailureReported: false,
  };
  sa.children.push(child);
  s.log(`CHILD_SA ${childName(s, child)} established with SPIs ${spiText(child.inSpi)}_i ${spiText(child.outSpi)}_o and TS ${selectorsText(child.localTs)} === ${selectorsText(child.remoteTs)}`);
  const install: ChildSaInstall = {
    reqid: child.reqid,
    transform: child.selection.transform,
    inboundSpi: child.inSpi,
    outboundSpi: child.outSpi,
    keys: child.keys,
    weInitiated: child.weInitiated,
    selectors: selectorPairs(child.localTs, child.remoteTs),
    lifetime: c.childLifetime,
    lifeKilobytes: c.childLifeKilobytes,
    replacesInboundSpi: n.replaces ? n.replaces.inSpi : null,
    udpEncapsulation: sa.natHere || sa.natThere ? { localPort: sa.localPort, remotePort: sa.peerPort } : null,
  };
  s.emit({ kind: 'child-up', child: install });
  return child;
}

/** The child of `sa` whose outbound SPI is `spi` (what the peer names in REKEY_SA and Delete: its inbound SPI). */
export function childByPeerSpi(sa: IkeSa, spi: number): ChildSa | null {
  return sa.children.find((c) => c.outSpi === spi) ?? null;
}
