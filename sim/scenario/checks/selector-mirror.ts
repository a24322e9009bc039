/**
 * SELECTOR_MISMATCH, part of the device rules (devices.ts): a policy-based device's
 * access list must be the mirror of its policy-based gateways' traffic selectors.
 */
import { devicePairPlan, policySelectorPairs } from '../../gateway/selectors.js';
import type { PrefixPair } from '../../gateway/selectors.js';
import type { AclEntry } from '../../net/acl.js';
import { overlaps } from '../../net/ipv4.js';
import type { Report } from '../diagnostics.js';
import { andList, LIST_MAX, listText, q } from '../message-text.js';
import type { Site } from '../types.js';
import { vnetOf } from './context.js';
import type { ScenarioIndex } from './context.js';

/**
 * SELECTOR_MISMATCH: a policy-based device's access list that is not the mirror of its
 * policy-based gateways' pairs (every site prefix to every VNet prefix). The message names
 * the missing and extra entries, then says what the run will do with them, from the same
 * plan the compiler uses (devicePairPlan): a pair no entry covers, or whose first covering
 * entry is a deny, gets no SA (quick mode fails, tunnel-down); a pair whose first covering
 * entry is a wider permit gets its SA under that entry and carries its own traffic, except
 * what earlier entries match first (a deny sends it in clear); what a permit entry matches
 * outside its pairs has no SA and is dropped at the device (tunnel-down).
 */
export function checkSelectorMirror(r: Report, ix: ScenarioIndex, site: Site, entries: readonly AclEntry[], lineOf: readonly number[]): void {
  const s = r.s;
  if (!site.device) return;
  // The mirror of every policy-based gateway this site is connected to, in pair order.
  const expected = new Map<string, { pair: PrefixPair; gw: string }>();
  for (const c of s.connections) {
    if (c.type !== 'IPsec' || c.site !== site.name) continue;
    const gw = ix.gateways.get(c.gateway)?.item;
    if (!gw || gw.type !== 'Vpn' || gw.vpnType !== 'PolicyBased') continue;
    const vnet = vnetOf(ix, gw);
    if (!vnet) continue;
    for (const pair of policySelectorPairs(vnet.addressSpace, site.addressPrefixes)) {
      const k = `${pair.site.text} ${pair.vnet.text}`;
      if (!expected.has(k)) expected.set(k, { pair, gw: gw.name });
    }
  }
  if (expected.size === 0) return;
  const actual = new Map<string, AclEntry>();
  for (const e of entries) if (e.action === 'permit') actual.set(`${e.src.text} ${e.dst.text}`, e);
  const missing = [...expected.keys()].filter((k) => !actual.has(k));
  const extra = [...actual.keys()].filter((k) => !expected.has(k));
  if (missing.length === 0 && extra.length === 0) return;
  const cap = <T>(xs: readonly T[], f: (x: T) => string): string => listText(xs.slice(0, LIST_MAX).map(f), xs.length);
  const show = (keys: string[]): string => cap(keys, (k) => `"permit ip ${k}"`);
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing ${show(missing)}`);
  if (extra.length > 0) {
    const reversed = extra.filter((k) => expected.has(k.split(' ').reverse().join(' ')));
    parts.push(`extra ${show(extra)}${reversed.length > 0 ? ' (some are written from the Azure side: on the device the source is the site prefix)' : ''}`);
  }

  // What the run does, entry by entry (the compiler builds the device's selectors from this plan).
  const listed = [...expected.values()];
  const pairs = listed.map((x) => x.pair);
  const plan = devicePairPlan(pairs, entries.map((e) => ({ src: e.src, dst: e.dst, permit: e.action === 'permit' })));
  /** "gw1" or "gw1" and "gw2", for the gateways of the pairs `ks` (indexes into `pairs`). */
  const gatewaysOfPairs = (ks: readonly number[]): string[] => [...new Set(ks.map((k) => (listed[k] as { gw: string }).gw))];
  const all = gatewaysOfPairs(pairs.map((_, k) => k));
  /** '"gw1" drops its packets', '"gw1" and "gw2" drop their packets' (its, their: the pairs'). */
  const drop = (gws: readonly string[], manyPairs: boolean): string => `${andList(gws.map(q))} ${gws.length > 1 ? 'drop' : 'drops'} ${manyPairs ? 'their' : 'its'} packets`;
  const negotiate = `${andList(all.map(q))} ${all.length > 1 ? 'negotiate only their' : 'negotiates only its'} pairs`;
  const pairText = (p: PrefixPair): string => `${p.site.text} ⇄ ${p.vnet.text}`;
  const line = (k: number): string => `line ${(lineOf[k] as number) + 1} ("${(entries[k] as AclEntry).text}")`;
  /** Entries before `k` that match part of one of `ps` (first match wins: they take that part). */
  const earlier = (k: number, ps: readonly PrefixPair[]): number[] => {
    const out: number[] = [];
    for (let j = 0; j < k; j++) {
      const e = entries[j] as AclEntry;
      if (ps.some((p) => overlaps(e.src, p.site) && overlaps(e.dst, p.vnet))) out.push(j);
    }
    return out;
  };
  const run: string[] = [];
  const noCover = pairs.map((_, k) => k).filter((k) => (plan.coverOf[k] as number) < 0);
  if (noCover.length > 0) {
    const ps = noCover.map((k) => pairs[k] as PrefixPair);
    const many = ps.length > 1;
    // On the device such a packet meets no entry (sent in clear), a deny (in clear) or a permit without SA (dropped).
    const untouched = ps.every((p) => !entries.some((e) => overlaps(e.src, p.site) && overlaps(e.dst, p.vnet)));
    const its = many ? 'their' : 'its';
    const device = untouched
      ? `the device sends ${its} packets to the Internet in clear (no entry matches them)`
      : `the device drops what a permit entry matches of ${its} packets tunnel-down and sends the rest in clear`;
    run.push(`no SA for ${cap(ps, pairText)} (no permit entry covers ${many ? 'them' : 'it'}, so quick mode fails: ${drop(gatewaysOfPairs(noCover), many)} tunnel-down, ${device})`);
  }
  // Pairs whose first covering entry is a deny: the device refuses their quick mode, and that deny (or an earlier entry) takes their packets.
  entries.forEach((e, k) => {
    if (e.action === 'permit') return;
    const refused = pairs.map((_, pi) => pi).filter((pi) => plan.coverOf[pi] === k);
    if (refused.length === 0) return;
    const ps = refused.map((pi) => pairs[pi] as PrefixPair);
    const many = ps.length > 1;
    const permitsFirst = earlier(k, ps).some((j) => (entries[j] as AclEntry).action === 'permit');
    const its = many ? 'their' : 'its';
    const device = permitsFirst
      ? `the device drops what an earlier permit entry matches of ${its} packets tunnel-down and sends the rest in clear`
      : `the device sends ${its} packets to the Internet in clear`;
    run.push(`no SA for ${cap(ps, pairText)} (${line(k)} is the first entry that covers ${many ? 'them' : 'it'}, a deny, so the device refuses quick mode: ${drop(gatewaysOfPairs(refused), many)} tunnel-down, ${device})`);
  });
  entries.forEach((e, k) => {
    if (e.action !== 'permit' || plan.whole[k]) return;
    const mine = (plan.pairsOf[k] as readonly number[]).map((pi) => pairs[pi] as PrefixPair);
    if (mine.length > 0) {
      const many = mine.length > 1;
      const before = earlier(k, mine).map((j) => `what ${line(j)} ${(entries[j] as AclEntry).action === 'deny' ? 'sends in clear' : 'matches first'}`);
      const except = before.length > 0 ? `, except ${cap(before, (x) => x)}` : '';
      run.push(`${cap(mine, pairText)} ${many ? 'get their SAs' : 'gets its SA'} under ${line(k)} and ${many ? 'carry their' : 'carries its'} own traffic${except}; the device drops the rest of what that line matches tunnel-down (no SA: ${negotiate})`);
    } else {
      run.push(`the device drops what ${line(k)} matches tunnel-down (it covers no pair, and ${negotiate})`);
    }
  });
  const whose = all.length > 1 ? `policy-based gateways ${andList(all.map(q))}'s` : `policy-based gateway ${q(all[0] as string)}'s`;
  r.add(
    'SELECTOR_MISMATCH',
    `${site.device.path}.accessList`,
    `the access list of site ${q(site.name)}'s device is not the mirror of ${whose} traffic selectors (every site prefix to every VNet prefix): ${parts.join('; ')}. In a run: ${run.join('; ')}. Make the permit entries exactly the mirror`,
  );
}


