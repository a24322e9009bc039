/**
 * The on-premises device of each site against the gateways it is connected to:
 * DEVICE_VPN_TYPE_MISMATCH (the device cannot do the gateway's VPN type, so IKE versions
 * differ), SHARED_KEY_MISMATCH (a device key that differs from its connection's, or the
 * two directions of one VNet-to-VNet link with different keys; keys are compared only when
 * both ends give one and never shown), access-list syntax (SCHEMA, at the column of the
 * mistake), ACL_SHADOWED (an entry earlier entries cover) and SELECTOR_MISMATCH
 * (selector-mirror.ts). All but the syntax are warnings.
 */
import { ipsecParameters } from '../../gateway/capabilities.js';
import { findShadowed, parseAclLine } from '../../net/acl.js';
import type { AclEntry } from '../../net/acl.js';
import type { Report } from '../diagnostics.js';
import { LIST_MAX, q } from '../message-text.js';
import type { Connection } from '../types.js';
import { groupBy } from './context.js';
import type { RuleGroup, ScenarioIndex } from './context.js';
import { checkSelectorMirror } from './selector-mirror.js';
import { describeGateway, vpnTypeText } from './words.js';

function checkDevices(r: Report, ix: ScenarioIndex): void {
  const s = r.s;
  const typeDone = new Set<string>();
  s.connections.forEach((c) => {
    if (c.type !== 'IPsec' || c.site === undefined) return;
    const site = ix.sites.get(c.site)?.item;
    const gw = ix.gateways.get(c.gateway)?.item;
    const dev = site?.device;
    if (!site || !dev || !gw || gw.type !== 'Vpn' || gw.vpnType === undefined) return;
    if (dev.vpnType !== gw.vpnType && !typeDone.has(`${gw.name}|${site.name}`)) {
      typeDone.add(`${gw.name}|${site.name}`);
      const gIke = ipsecParameters(gw.vpnType, s.edition).phase1.ikeVersion;
      const dIke = ipsecParameters(dev.vpnType, s.edition).phase1.ikeVersion;
      r.add(
        'DEVICE_VPN_TYPE_MISMATCH',
        `${dev.path}.vpnType`,
        `the device of site ${q(site.name)} is ${vpnTypeText(dev.vpnType)} (${dIke}) but ${describeGateway(gw)} is ${vpnTypeText(gw.vpnType)} (${gIke}), so IKE on connection ${q(c.name)} cannot agree: the ${gIke} side's requests go unanswered by the ${dIke} side until it gives up (MISSING_END_POINT) and the tunnel stays down; set the device's vpnType to ${gw.vpnType} or change the gateway`,
      );
    }
    if (dev.sharedKey !== undefined && c.sharedKey !== undefined && dev.sharedKey !== c.sharedKey) {
      r.add(
        'SHARED_KEY_MISMATCH',
        `${dev.path}.sharedKey`,
        `the device of site ${q(site.name)} has sharedKey *** which differs from connection ${q(c.name)}'s sharedKey ***; IKE authentication will fail (AUTHENTICATION_FAILED, status IKE_PHASE1_KEY_MISMATCH) and the tunnel stays down: use the same key on both ends (or remove the device's key to use the connection's)`,
      );
    }
  });

  // A VNet-to-VNet pair written in both directions must use one key: each connection is
  // compared with the first earlier connection of the other direction whose key differs.
  const keyed = s.connections.filter((c) => c.type === 'Vnet2Vnet' && c.peerGateway !== undefined && c.sharedKey !== undefined);
  const byDirection = groupBy(keyed, (c) => `${c.gateway}\u0000${c.peerGateway}`);
  const position = new Map(s.connections.map((c, i) => [c, i]));
  const otherKey = new Map<readonly Connection[], Connection | undefined>();
  const firstOtherKey = (list: readonly Connection[]): Connection | undefined => {
    if (!otherKey.has(list)) otherKey.set(list, list.find((x) => x.sharedKey !== list[0]?.sharedKey));
    return otherKey.get(list);
  };
  for (const o of keyed) {
    const reverse = byDirection.get(`${o.peerGateway}\u0000${o.gateway}`) ?? [];
    const first = reverse[0];
    const c = first && first.sharedKey !== o.sharedKey ? first : firstOtherKey(reverse);
    if (!c || (position.get(c) as number) >= (position.get(o) as number)) continue;
    r.add(
      'SHARED_KEY_MISMATCH',
      `${o.path}.sharedKey`,
      `connections ${q(c.name)} and ${q(o.name)} are the two directions of one VNet-to-VNet link (${q(c.gateway)} ↔ ${q(c.peerGateway as string)}) but their sharedKeys differ (*** vs ***); IKE authentication will fail (AUTHENTICATION_FAILED) and the tunnel stays down: use the same key in both`,
    );
  }

  for (const site of s.sites) {
    const list = site.device?.accessList;
    if (!site.device || !list) continue;
    const entries: AclEntry[] = [];
    /** entries[i] came from accessList[lineOf[i]]. */
    const lineOf: number[] = [];
    list.forEach((line, k) => {
      const res = parseAclLine(line.text);
      if (res.ok) {
        entries.push(res.entry);
        lineOf.push(k);
      } else {
        r.add('SCHEMA', line.path, `site ${q(site.name)} device accessList line ${k + 1} ("${line.text}"): ${res.message}`, Math.max(0, res.column - 1));
      }
    });

    for (const sh of findShadowed(entries)) {
      const k = lineOf[sh.index] as number;
      const e = entries[sh.index] as AclEntry;
      const by = sh.by.slice(0, LIST_MAX).map((b) => `line ${(lineOf[b] as number) + 1} ("${(entries[b] as AclEntry).text}")`);
      const byText = sh.by.length > LIST_MAX ? `${by.join(', ')} and ${sh.by.length - LIST_MAX} more lines` : by.join(' and ');
      r.add(
        'ACL_SHADOWED',
        (list[k] as { path: string }).path,
        `site ${q(site.name)} device accessList line ${k + 1} ("${e.text}") can never match: ${byText} ${sh.by.length > 1 ? 'cover' : 'covers'} it (first match wins); remove it or move it above`,
      );
    }

    checkSelectorMirror(r, ix, site, entries, lineOf);
  }
}

/** On-premises devices: VPN type, keys, access lists. */
export const devices: RuleGroup = { name: 'devices', check: checkDevices };
