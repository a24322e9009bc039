/**
 * The policy-based selector rule of the reference: a policy-based gateway builds one
 * traffic selector (and one SA pair) for every VNet prefix x every site prefix, in that
 * order (VNet prefixes outer). The compiler builds the gateway's selectors and the
 * device's mirror from it, and the checker compares a device's access list with it.
 */
import type { Prefix } from '../scenario/types.js';

/** One selector: Azure side (VNet prefix) and on-premises side (site prefix). */
export interface PrefixPair {
  readonly vnet: Prefix;
  readonly site: Prefix;
}

/** Every VNet prefix x every site prefix, VNet prefixes outer. */
export function policySelectorPairs(vnetSpace: readonly Prefix[], sitePrefixes: readonly Prefix[]): PrefixPair[] {
  const out: PrefixPair[] = [];
  for (const vnet of vnetSpace) for (const site of sitePrefixes) out.push({ vnet, site });
  return out;
}
