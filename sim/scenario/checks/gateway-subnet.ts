/**
 * GATEWAY_SUBNET_MISSING: a VNet with a gateway needs a subnet named GatewaySubnet (the
 * fix names a free /27 inside the VNet, or the subnet whose name differs only in case).
 * GATEWAY_SUBNET_TOO_SMALL: any subnet named GatewaySubnet, with or without a gateway, is
 * /29 or larger.
 */
import { formatPrefix, lastAddress } from '../../net/ipv4.js';
import type { PrefixIndex } from '../../net/prefix-index.js';
import type { Report } from '../diagnostics.js';
import { q } from '../message-text.js';
import { GATEWAY_SUBNET } from '../types.js';
import type { Prefix, Vnet } from '../types.js';
import { SUBNET_MAX_LEN } from './address-rules.js';
import type { RuleGroup, ScenarioIndex } from './context.js';
import { prefixesText } from './words.js';

/** The smallest GatewaySubnet Azure accepts (a longer prefix length is too small): the smallest subnet. */
const GATEWAY_SUBNET_MAX_LEN = SUBNET_MAX_LEN;
/** The size we suggest for a missing GatewaySubnet. */
const GATEWAY_SUBNET_SUGGESTED_LEN = 27;

/** A free /27 inside the VNet's address space (highest first), for the fix hint. */
function suggestGatewaySubnet(v: Vnet, subnets: PrefixIndex): string | undefined {
  const len = GATEWAY_SUBNET_SUGGESTED_LEN;
  const size = 2 ** (32 - len);
  let tries = 0;
  for (const a of v.addressSpace) {
    if (a.len > len) continue;
    let addr = lastAddress(a.addr, a.len) - size + 1;
    for (; tries < 4096 && addr >= a.addr; tries++, addr -= size) {
      const cand: Prefix = { addr: addr >>> 0, len, text: formatPrefix(addr >>> 0, len) };
      if (subnets.first(cand) < 0) return cand.text;
    }
  }
  return undefined;
}

function checkGatewaySubnets(r: Report, ix: ScenarioIndex): void {
  for (const v of r.s.vnets) {
    const gws = ix.gatewaysOf.get(v.name) ?? [];
    const gs = v.subnets.filter((sn) => sn.name === GATEWAY_SUBNET);
    if (gws.length > 0 && gs.length === 0) {
      const near = v.subnets.find((sn) => sn.name.toLowerCase() === GATEWAY_SUBNET.toLowerCase());
      const free = suggestGatewaySubnet(v, ix.subnetIndex.get(v) as PrefixIndex);
      const add = `add a subnet { name: ${GATEWAY_SUBNET}, prefix: ${free ?? `<a /${GATEWAY_SUBNET_SUGGESTED_LEN} inside ${prefixesText(v.addressSpace)}>`} }`;
      r.add(
        'GATEWAY_SUBNET_MISSING',
        `${v.path}.subnets`,
        `VNet ${q(v.name)} has no subnet named ${GATEWAY_SUBNET}, which ${gws.map((g) => `gateway ${q(g.name)}`).join(' and ')} ${gws.length > 1 ? 'need' : 'needs'}; ` +
          (near ? `rename subnet ${q(near.name)} to ${GATEWAY_SUBNET} (the name is case-sensitive)` : add),
      );
    }
    for (const sn of gs) {
      if (sn.prefix.len > GATEWAY_SUBNET_MAX_LEN) {
        r.add(
          'GATEWAY_SUBNET_TOO_SMALL',
          `${sn.path}.prefix`,
          `${GATEWAY_SUBNET} of VNet ${q(v.name)} is ${sn.prefix.text}, smaller than /${GATEWAY_SUBNET_MAX_LEN}; make it /${GATEWAY_SUBNET_MAX_LEN} or larger (/${GATEWAY_SUBNET_SUGGESTED_LEN} is usual)`,
        );
      }
    }
  }
}

/** The GatewaySubnet of each VNet. */
export const gatewaySubnets: RuleGroup = { name: 'gateway subnets', check: checkGatewaySubnets };
