/**
 * Words the rule groups share in their messages: a gateway as its kind, VPN type and SKU,
 * "not defined; did you mean", and lists of prefixes cut to LIST_MAX.
 */
import type { PrefixIndex } from '../../net/prefix-index.js';
import { LIST_MAX, listText, q } from '../message-text.js';
import { suggest } from '../suggest.js';
import type { Gateway, Prefix, VpnType } from '../types.js';

/** A VPN type in words: policy-based, route-based or VPN-type-less. */
export function vpnTypeText(vt: VpnType | undefined): string {
  return vt === 'PolicyBased' ? 'policy-based' : vt === 'RouteBased' ? 'route-based' : 'VPN-type-less';
}

/** A gateway in words: `gateway "gw1" (route-based Standard)`. */
export function describeGateway(g: Gateway): string {
  if (g.type === 'ExpressRoute') return `ExpressRoute gateway ${q(g.name)} (${g.sku})`;
  const alias = g.vpnTypeAlias ? ` ("${g.vpnTypeAlias}")` : '';
  return `gateway ${q(g.name)} (${vpnTypeText(g.vpnType)}${alias} ${g.sku})`;
}

/** "x is not defined; did you mean y?" with the defined names as a fallback hint. */
export function unknownMessage(what: string, name: string, plural: string, candidates: readonly string[], fix: string): string {
  const hint = suggest(name, candidates);
  if (hint !== undefined) return `${what} ${q(name)} is not defined; did you mean ${q(hint)}? Otherwise ${fix}`;
  if (candidates.length === 0) return `${what} ${q(name)} is not defined and no ${plural} are; ${fix}`;
  const shown = candidates.slice(0, 8).map(q).join(', ') + (candidates.length > 8 ? ', ...' : '');
  return `${what} ${q(name)} is not defined (defined ${plural}: ${shown}); ${fix}`;
}

/** The first LIST_MAX prefixes of `ps` as text, then how many more of `total`. */
export function prefixesText(ps: readonly Prefix[], total = ps.length): string {
  return listText(ps.slice(0, LIST_MAX).map((p) => p.text), total);
}

/** The prefixes of `list` (indexed by `index`) that overlap `p` (the first LIST_MAX, in list order), as message text. */
export function overlapText(list: readonly Prefix[], index: PrefixIndex, p: Prefix): string {
  return prefixesText(index.list(p, LIST_MAX).map((i) => list[i] as Prefix), index.count(p));
}
