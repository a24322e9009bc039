/**
 * The size limits of vgwsim itself (not Azure's rules): the parts of a scenario whose cost
 * grows faster than the file. A policy-based connection gets one SA pair per pair of a
 * VNet prefix and a site prefix, so two lists of a few thousand prefixes each would ask
 * for millions of SAs; a device access list is compared entry against earlier entry. Far
 * above any scenario written by hand (a policy-based connection of 30 × 30 prefixes is
 * 900 pairs), these limits keep the rules checks and the compiler close to linear in the
 * size of the file.
 *
 * Owns SCENARIO_TOO_LARGE. Counts without enumerating anything; reads no files.
 */
import { Report } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import type { Scenario } from './types.js';

/** Traffic-selector prefix pairs (VNet prefix × site prefix) over every policy-based connection. */
export const MAX_POLICY_SELECTOR_PAIRS = 1000;
/** Entries in one on-premises device's access list. */
export const MAX_ACCESS_LIST_ENTRIES = 1000;

/**
 * SCENARIO_TOO_LARGE errors: at the first connection past the policy selector budget, and
 * at every access list longer than MAX_ACCESS_LIST_ENTRIES. Empty when within the limits.
 */
export function checkScale(s: Scenario): Diagnostic[] {
  const r = new Report(s);
  const add = (path: string, message: string): void => r.add('SCENARIO_TOO_LARGE', path, message);
  const vnets = new Map(s.vnets.map((v) => [v.name, v]));
  const gateways = new Map(s.gateways.map((g) => [g.name, g]));
  const sites = new Map(s.sites.map((x) => [x.name, x]));
  let pairs = 0;
  for (const c of s.connections) {
    const g = gateways.get(c.gateway);
    if (c.type !== 'IPsec' || g?.vpnType !== 'PolicyBased' || c.site === undefined) continue;
    const v = vnets.get(g.vnet);
    const site = sites.get(c.site);
    if (!v || !site) continue;
    const mine = v.addressSpace.length * site.addressPrefixes.length;
    pairs += mine;
    if (pairs > MAX_POLICY_SELECTOR_PAIRS) {
      add(
        c.path,
        `connection "${c.name}" brings the policy-based traffic selectors of the scenario to ${pairs} prefix pairs (this one: ${v.addressSpace.length} VNet prefixes × ${site.addressPrefixes.length} site prefixes, one SA pair each); vgwsim simulates at most ${MAX_POLICY_SELECTOR_PAIRS}: summarise the prefixes (fewer, wider ones) or use a route-based gateway`,
      );
      break;
    }
  }
  for (const site of s.sites) {
    const list = site.device?.accessList;
    if (!list || list.length <= MAX_ACCESS_LIST_ENTRIES) continue;
    add(
      `${site.device?.path ?? site.path}.accessList`,
      `the access list of site "${site.name}"'s device has ${list.length} entries; vgwsim simulates at most ${MAX_ACCESS_LIST_ENTRIES} per device: summarise it (fewer, wider prefixes)`,
    );
  }
  return r.out;
}
