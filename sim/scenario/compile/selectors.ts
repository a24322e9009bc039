/**
 * Policy-based selectors: the prefix pairs a policy-based gateway negotiates with each
 * site (every VNet prefix x every site prefix), the site device's access list (as written,
 * or the mirror of those pairs) and what its first-match rules make of the pairs
 * (devicePairPlan: which pairs get an SA under which entry, which are refused), turned
 * into classifier rows. checks/selector-mirror.ts explains the same plan in words.
 */
import { SelectorClassifier } from '../../net/classifier.js';
import { parseAclLine } from '../../net/acl.js';
import { devicePairPlan, policySelectorPairs } from '../../gateway/selectors.js';
import type { DevicePairPlan, PrefixPair } from '../../gateway/selectors.js';
import type { PolicySelectors } from '../../gateway/world.js';
import { andList, LIST_MAX, listText } from '../message-text.js';
import type { Prefix, Scenario, Site } from '../types.js';

/** Per site: its policy-based prefix pairs, its device's access list and the device's plan for the pairs. */
export interface SitePolicyPlans {
  readonly sitePairs: readonly (readonly SitePair[])[];
  readonly siteAcl: readonly (readonly DeviceAclEntry[])[];
  readonly sitePlan: readonly DevicePairPlan[];
}

/**
 * The prefix pairs of each site's policy-based connections (connection order, VNet prefixes
 * outer), the device's access list and its SA plan for them, made once per compile.
 */
export function sitePolicyPlans(s: Scenario, gwIdx: ReadonlyMap<string, number>, vnetIdx: ReadonlyMap<string, number>, siteIdx: ReadonlyMap<string, number>): SitePolicyPlans {
  const sitePairs: SitePair[][] = s.sites.map(() => []);
  s.connections.forEach((c, ci) => {
    const g = s.gateways[gwIdx.get(c.gateway) ?? -1];
    const vnet = g ? s.vnets[vnetIdx.get(g.vnet) ?? -1] : undefined;
    const si = siteIdx.get(c.site ?? '') ?? -1;
    if (c.type !== 'IPsec' || g?.vpnType !== 'PolicyBased' || !vnet || si < 0) return;
    for (const pair of policySelectorPairs(vnet.addressSpace, s.sites[si]!.addressPrefixes)) sitePairs[si]!.push({ pair, connection: ci, gateway: g.name });
  });
  const siteAcl = s.sites.map((site, si) => deviceAcl(site, sitePairs[si]!.map((x) => x.pair)));
  const sitePlan = s.sites.map((_, si) => devicePairPlan(sitePairs[si]!.map((x) => x.pair), siteAcl[si]!));
  return { sitePairs, siteAcl, sitePlan };
}

/** An access-list entry of a device, parsed. */
export interface DeviceAclEntry {
  readonly src: Prefix;
  readonly dst: Prefix;
  readonly permit: boolean;
  readonly text: string;
}

/** The device's access list: as written, or the mirror of the gateway's prefix pairs `pairs`. */
export function deviceAcl(site: Site, pairs: readonly PrefixPair[]): DeviceAclEntry[] {
  const lines = site.device?.accessList;
  if (lines) {
    const out: DeviceAclEntry[] = [];
    for (const l of lines) {
      const r = parseAclLine(l.text);
      if (r.ok) out.push({ src: r.entry.src, dst: r.entry.dst, permit: r.entry.action === 'permit', text: r.entry.text });
    }
    return out;
  }
  return pairs.map(({ vnet: vp, site: sp }) => ({ src: sp, dst: vp, permit: true, text: `permit ip ${sp.text} ${vp.text} (mirror)` }));
}

/** A prefix pair of a site's policy-based connection, and the gateway that negotiates it. */
export interface SitePair {
  readonly pair: PrefixPair;
  /** Index of the connection in the scenario. */
  readonly connection: number;
  readonly gateway: string;
}

/** Why the device refuses the quick mode of `pair` (first covering entry `cover`), or '' when it accepts. */
export function refusedDetail(site: Site, acl: readonly { text: string }[], cover: number, pair: PrefixPair, accepted: boolean): string {
  if (accepted) return '';
  const { vnet: vp, site: sp } = pair;
  if (cover < 0) return `no SA for ${vp.text} ⇄ ${sp.text}: ${site.name}'s device access list has no permit entry covering ${sp.text} → ${vp.text} (quick mode fails)`;
  return `no SA for ${vp.text} ⇄ ${sp.text}: the first entry of ${site.name}'s device access list covering ${sp.text} → ${vp.text} is entry ${cover + 1} (${acl[cover]!.text}), a deny, so the device refuses quick mode`;
}

/** One compiled selector before it becomes a classifier row. */
export interface SelectorRow {
  readonly src: Prefix;
  readonly dst: Prefix;
  readonly sa: number;
  readonly permit: boolean;
  /** 1-based number of the entry it comes from (several rows may share one). */
  readonly entry: number;
  readonly text: string;
  /** Why a permit row has no SA ('' otherwise). */
  readonly noSa: string;
}

/**
 * A policy-based device's selectors against its policy-based gateways (devicePairPlan):
 * entry by entry, in order, the pairs accepted under the entry (each with its SA `saIn[k]`),
 * then the entry itself with no SA for the rest of what it matches. An entry that is exactly
 * one pair stays one row with that pair's SA; deny entries stay as they are (bypass).
 * First match over these rows is first match over the access list. A row's trace text
 * names at most LIST_MAX pairs, however many the site has.
 */
export function policyDeviceRows(pairs: readonly SitePair[], saIn: readonly number[], acl: readonly DeviceAclEntry[], plan: DevicePairPlan): SelectorRow[] {
  if (pairs.length === 0) return [];
  const gws = [...new Set(pairs.map((x) => x.gateway))];
  const negotiate = `${andList(gws)} ${gws.length > 1 ? 'negotiate only their' : 'negotiates only its'} prefix pairs`;
  const pairText = (k: number): string => `${pairs[k]!.pair.site.text} → ${pairs[k]!.pair.vnet.text}`;
  const allPairs = listText(pairs.slice(0, LIST_MAX).map((_, k) => pairText(k)), pairs.length);
  const rows: SelectorRow[] = [];
  acl.forEach((e, k) => {
    const entry = k + 1;
    const mine = plan.pairsOf[k]!;
    if (!e.permit || plan.whole[k]) {
      rows.push({ src: e.src, dst: e.dst, permit: e.permit, sa: e.permit ? saIn[mine[0]!]! : -1, entry, text: e.text, noSa: '' });
      return;
    }
    for (const pi of mine) {
      const { pair: p } = pairs[pi]!;
      rows.push({ src: p.site, dst: p.vnet, permit: true, sa: saIn[pi]!, entry, text: `${e.text}, pair ${pairText(pi)}`, noSa: '' });
    }
    const noSa = mine.length > 0
      ? `${negotiate}; the ones inside this entry (${listText(mine.slice(0, LIST_MAX).map(pairText), mine.length)}) have their own SAs, and quick mode for any other traffic of it would fail (INVALID_ID_INFORMATION)`
      : `${negotiate} (${allPairs}); this entry covers none of them, so quick mode for ${e.src.text} → ${e.dst.text} would fail (INVALID_ID_INFORMATION)`;
    rows.push({ src: e.src, dst: e.dst, permit: true, sa: -1, entry, text: e.text, noSa });
  });
  return rows;
}

/** Policy-based selectors, first match wins: the classifier over the rows and their SA, action, entry and texts. */
export function policySelectors(sel: readonly SelectorRow[]): PolicySelectors {
  return {
    classifier: SelectorClassifier.compile(sel.map((x) => ({ srcAddr: x.src.addr, srcLen: x.src.len, dstAddr: x.dst.addr, dstLen: x.dst.len }))),
    sa: Int32Array.from(sel.map((x) => x.sa)),
    permit: Uint8Array.from(sel.map((x) => (x.permit ? 1 : 0))),
    entry: Int32Array.from(sel.map((x) => x.entry)),
    text: sel.map((x) => x.text),
    src: sel.map((x) => x.src),
    dst: sel.map((x) => x.dst),
    noSa: sel.map((x) => x.noSa),
  };
}
