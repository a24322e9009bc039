/**
 * The address space of each VNet and site on its own: a VNet's address-space prefixes
 * are disjoint (ADDRESS_OVERLAP, at the later prefix), each subnet lies inside the space
 * (INVALID_PREFIX) and overlaps no earlier subnet (ADDRESS_OVERLAP), each VNet host lies
 * in a subnet and each site host inside the site's prefixes (INVALID_PREFIX).
 */
import { covers } from '../../net/ipv4.js';
import type { PrefixIndex } from '../../net/prefix-index.js';
import type { Report } from '../diagnostics.js';
import { LIST_MAX, listText, q } from '../message-text.js';
import type { Prefix } from '../types.js';
import type { RuleGroup, ScenarioIndex } from './context.js';
import { prefixesText } from './words.js';

function checkAddressSpaces(r: Report, ix: ScenarioIndex): void {
  for (const v of r.s.vnets) {
    // Address-space prefixes must be disjoint: each is compared with the first earlier one it overlaps.
    const space = ix.spaceIndex.get(v) as PrefixIndex;
    v.addressSpace.forEach((p, k) => {
      const j = space.first(p);
      if (j >= 0 && j < k) {
        const o = v.addressSpace[j] as Prefix;
        r.add(
          'ADDRESS_OVERLAP',
          `${v.path}.addressSpace[${k}]`,
          `VNet ${q(v.name)}: address space prefix ${p.text} overlaps ${o.text} of the same VNet; remove ${covers(o, p) ? p.text : 'one of them'} or make them disjoint`,
        );
      }
    });
    const subnets = ix.subnetIndex.get(v) as PrefixIndex;
    v.subnets.forEach((sn, k) => {
      if (!space.covered(sn.prefix)) {
        r.add(
          'INVALID_PREFIX',
          `${sn.path}.prefix`,
          `subnet ${q(sn.name)} of VNet ${q(v.name)} (${sn.prefix.text}) is not inside the VNet's address space (${prefixesText(v.addressSpace)}); pick a prefix inside it or extend addressSpace`,
        );
      }
      const j = subnets.first(sn.prefix);
      const o = j >= 0 && j < k ? v.subnets[j] : undefined;
      if (o) {
        r.add(
          'ADDRESS_OVERLAP',
          `${sn.path}.prefix`,
          `subnet ${q(sn.name)} (${sn.prefix.text}) overlaps subnet ${q(o.name)} (${o.prefix.text}) in VNet ${q(v.name)}; subnets of a VNet must be disjoint: choose another prefix`,
        );
      }
    });
    for (const h of v.hosts) {
      if (!subnets.covered({ addr: h.ip, len: 32 })) {
        r.add(
          'INVALID_PREFIX',
          `${h.path}.ip`,
          `host ${q(h.name)} of VNet ${q(v.name)} has address ${h.ipText}, which is in none of its subnets (${listText(v.subnets.slice(0, LIST_MAX).map((sn) => `${sn.name} ${sn.prefix.text}`), v.subnets.length) || 'none defined'}); give it an address inside a subnet`,
        );
      }
    }
  }
  for (const st of r.s.sites) {
    const prefixes = ix.siteIndex.get(st) as PrefixIndex;
    for (const h of st.hosts) {
      if (!prefixes.covered({ addr: h.ip, len: 32 })) {
        r.add(
          'INVALID_PREFIX',
          `${h.path}.ip`,
          `host ${q(h.name)} of site ${q(st.name)} has address ${h.ipText}, outside the site's addressPrefixes (${prefixesText(st.addressPrefixes)}); give it an address inside them or add a prefix`,
        );
      }
    }
  }
}

/** VNet and site address spaces, subnets and hosts. */
export const addressSpaces: RuleGroup = { name: 'address spaces', check: checkAddressSpaces };
