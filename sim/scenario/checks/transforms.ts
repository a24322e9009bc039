/**
 * TRANSFORM_NOT_OFFERED: a connection's ESP transform must be one its gateway offers (see
 * checkTransforms); "transform" on an ExpressRoute connection is a SCHEMA error.
 */
import { EDITIONS, espTransformOffers } from '../../gateway/capabilities.js';
import type { Report } from '../diagnostics.js';
import { q } from '../message-text.js';
import type { VpnType } from '../types.js';
import type { RuleGroup, ScenarioIndex } from './context.js';
import { describeGateway, vpnTypeText } from './words.js';

/**
 * TRANSFORM_NOT_OFFERED: a connection's `transform` must be an ESP transform its gateway
 * offers under the scenario's rules edition (and that vgwsim implements: DES and AH are
 * not), or one a custom IPsec/IKE policy allows where the edition and SKU have them; NULL
 * encryption from the default offers only between Azure gateways (VNet-to-VNet); none on
 * ExpressRoute. The offers are data (espTransformOffers); the message lists them.
 */
function checkTransforms(r: Report, ix: ScenarioIndex): void {
  const s = r.s;
  s.connections.forEach((c) => {
    if (c.transform === undefined) return;
    const path = `${c.path}.transform`;
    if (c.type === 'ExpressRoute') {
      r.add('SCHEMA', path, `connection ${q(c.name)} is ExpressRoute, which carries no IPsec; remove "transform"`);
      return;
    }
    const g = ix.gateways.get(c.gateway)?.item;
    if (!g || g.vpnType === undefined) return;
    const usable = (edition: typeof s.edition, sku: typeof g.sku): { offered: string[]; custom: readonly string[] } => {
      const o = espTransformOffers(edition, g.vpnType as VpnType, sku);
      return { offered: [...o.offered, ...(c.type === 'Vnet2Vnet' ? o.nullForVnet2Vnet : [])], custom: o.customPolicy };
    };
    const here = usable(s.edition, g.sku);
    const t = c.transform;
    if (here.offered.includes(t) || here.custom.includes(t)) return;
    const offers = espTransformOffers(s.edition, g.vpnType, g.sku);
    const why = offers.nullForVnet2Vnet.includes(t)
      ? `rules edition ${s.edition} offers NULL encryption only between Azure gateways (VNet-to-VNet)`
      : `it is not among the ESP offers of a ${vpnTypeText(g.vpnType)} gateway under rules edition ${s.edition}`;
    let msg = `connection ${q(c.name)} asks for ESP ${t}, but ${why} (IKE would end with NO_PROPOSAL_CHOSEN); ${describeGateway(g)} offers ${here.offered.join(', ')}`;
    if (here.custom.length > 0) msg += `, or with a custom IPsec/IKE policy on the connection ${here.custom.join(', ')}`;
    // Where else it would be accepted: a custom policy on another SKU of this edition, or another edition.
    const otherSkus = offers.customPolicySkus.filter((k) => k !== g.sku && usable(s.edition, k).custom.includes(t));
    if (otherSkus.length > 0) msg += `; a custom IPsec/IKE policy allows ${t} on a ${otherSkus.join(' or ')} gateway`;
    // Other editions: where this gateway offers it, else where a custom policy on the connection allows it.
    const others = EDITIONS.filter((e) => e.edition !== s.edition).map((e) => ({ edition: e.edition, u: usable(e.edition, g.sku) }));
    const offering = others.filter((x) => x.u.offered.includes(t)).map((x) => x.edition);
    const allowing = others.filter((x) => !x.u.offered.includes(t) && x.u.custom.includes(t)).map((x) => x.edition);
    if (offering.length > 0) msg += `; rules edition ${offering.join(' or ')} offers it (edition: ${offering[0]})`;
    if (allowing.length > 0) msg += `; rules edition ${allowing.join(' or ')} allows it on a ${g.sku} gateway by a custom IPsec/IKE policy on the connection (edition: ${allowing[0]})`;
    if (offering.length === 0 && allowing.length === 0) {
      for (const e of EDITIONS) {
        if (e.edition === s.edition) continue;
        const skus = espTransformOffers(e.edition, g.vpnType, g.sku).customPolicySkus.filter((k) => usable(e.edition, k).custom.includes(t));
        if (skus.length > 0) msg += `; rules edition ${e.edition} allows it by a custom IPsec/IKE policy on a ${skus.join(' or ')} gateway`;
      }
    }
    r.add('TRANSFORM_NOT_OFFERED', path, msg);
  });
}

/** ESP transforms against the gateway's offers. */
export const transforms: RuleGroup = { name: 'transforms', check: checkTransforms };
