/**
 * The policy-based selector rule of the reference: a policy-based gateway builds one
 * traffic selector (and one SA pair) for every VNet prefix x every site prefix, in that
 * order (VNet prefixes outer). The compiler builds the gateway's selectors and the
 * device's mirror from it, and the checker compares a device's access list with it; both
 * take the device's SAs from one plan (devicePairPlan).
 */
import { covers } from '../net/ipv4.js';
import type { Prefix } from '../net/ipv4.js';

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

/** An access-list entry as the pair plan reads it (first match wins, in list order). */
export interface PlanEntry {
  readonly src: Prefix;
  readonly dst: Prefix;
  readonly permit: boolean;
}

/**
 * Which SAs a policy-based device gets from its access list, entry by entry.
 *
 * The gateway negotiates (IKEv1 quick mode) exactly its prefix pairs, never anything else.
 * The access list is ordered, first match wins ("The SPD is an ordered database, consistent
 * with the use of Access Control Lists", RFC 4301 §4.4.1), and so is the device's answer to
 * a proposal: it takes the first entry that covers the pair (on the device the source is
 * the site prefix, the destination the VNet prefix), whatever its action. A permit entry
 * accepts the SA under it; a deny entry (bypass) refuses it, and so does an access list
 * where no entry covers the pair: quick mode fails and the pair has no SA. On the way out
 * (RFC 4301 §5.1) a packet matching a PROTECT entry needs an SA whose selectors match it:
 * inside a pair accepted under that entry it is the pair's SA; anything else the entry
 * matches has none, and a new SA for it would need a quick mode the gateway refuses (its
 * proxy IDs are not one of its pairs: INVALID_ID_INFORMATION), so the device discards it.
 * An entry narrower than a pair covers no pair: none of its traffic has an SA, and an
 * earlier entry that matches part of a pair takes that part first. The compiler builds the
 * device's selectors from this plan and the checker (SELECTOR_MISMATCH) describes it, so
 * the two cannot disagree.
 */
export interface DevicePairPlan {
  /** Per pair (in the order given): the first entry that covers it, whatever its action, or -1 when none does. */
  readonly coverOf: readonly number[];
  /** Per pair: the entry it is accepted under (its first covering entry, when that is a permit), or -1. */
  readonly entryOf: readonly number[];
  /** Per entry: the pairs accepted under it, in pair order. */
  readonly pairsOf: readonly (readonly number[])[];
  /** Per entry: it is exactly one pair accepted under it, so that pair's SA carries all of it. */
  readonly whole: readonly boolean[];
}

/** The SA plan of an access list `acl` against the gateway pairs `pairs` (see DevicePairPlan). */
export function devicePairPlan(pairs: readonly PrefixPair[], acl: readonly PlanEntry[]): DevicePairPlan {
  const pairsOf: number[][] = acl.map(() => []);
  const coverOf = pairs.map((p) => acl.findIndex((x) => covers(x.src, p.site) && covers(x.dst, p.vnet)));
  const entryOf = coverOf.map((e, k) => {
    if (e < 0 || !acl[e]!.permit) return -1;
    pairsOf[e]!.push(k);
    return e;
  });
  const whole = acl.map((x, e) => {
    const mine = pairsOf[e]!;
    if (mine.length !== 1) return false;
    const p = pairs[mine[0]!]!;
    return samePrefix(x.src, p.site) && samePrefix(x.dst, p.vnet);
  });
  return { coverOf, entryOf, pairsOf, whole };
}

function samePrefix(a: Prefix, b: Prefix): boolean {
  return a.addr === b.addr && a.len === b.len;
}
