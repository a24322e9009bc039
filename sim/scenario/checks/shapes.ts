/**
 * SCHEMA rules the schema cannot express, because they look across objects: a Vpn gateway
 * without vpnType or an ExpressRoute gateway with one, two Vpn or two ExpressRoute
 * gateways in one VNet, the peer a connection's type needs (and none other), a
 * VNet-to-VNet connection to itself or to an ExpressRoute gateway, an ExpressRoute
 * connection on a Vpn gateway and the reverse, a flow size below its protocol's headers,
 * and expectation counts above what the flow sends.
 */
import type { Report } from '../diagnostics.js';
import { q } from '../message-text.js';
import { MIN_FLOW_SIZE } from '../types.js';
import type { Gateway } from '../types.js';
import type { RuleGroup, ScenarioIndex } from './context.js';
import { describeGateway } from './words.js';

function checkShapes(r: Report, ix: ScenarioIndex): void {
  const s = r.s;

  s.gateways.forEach((g) => {
    if (g.type === 'Vpn' && g.vpnType === undefined) {
      r.add('SCHEMA', `${g.path}.type`, `gateway ${q(g.name)} is of type Vpn but has no vpnType; add vpnType: RouteBased (or PolicyBased)`);
    }
    if (g.type === 'ExpressRoute' && g.vpnType !== undefined) {
      r.add('SCHEMA', `${g.path}.vpnType`, `ExpressRoute gateway ${q(g.name)} has a vpnType; only Vpn gateways have one: remove vpnType, or set type: Vpn`);
    }
  });

  // At most one gateway of each type per VNet.
  const seen = new Map<string, Gateway>();
  for (const g of s.gateways) {
    const key = `${g.vnet}\u0000${g.type}`;
    const prev = seen.get(key);
    if (!prev) {
      seen.set(key, g);
      continue;
    }
    r.add(
      'SCHEMA',
      `${g.path}.vnet`,
      `VNet ${q(g.vnet)} already has ${g.type === 'Vpn' ? 'a' : 'an'} ${g.type} gateway (${q(prev.name)}); a VNet has at most one Vpn and one ExpressRoute gateway: put ${q(g.name)} in another VNet or remove it`,
    );
  }

  s.connections.forEach((c) => {
    const who = `connection ${q(c.name)} (type ${c.type})`;
    const need = (key: 'site' | 'peerGateway' | 'circuit', what: string): void => {
      if (c[key] === undefined) r.add('SCHEMA', `${c.path}.type`, `${who} needs ${key}: add ${key}: <${what}>`);
    };
    const forbid = (key: 'site' | 'peerGateway' | 'circuit', hint: string): void => {
      if (c[key] !== undefined) r.add('SCHEMA', `${c.path}.${key}`, `${who} does not take ${key}; ${hint}`);
    };
    const gw = ix.gateways.get(c.gateway)?.item;
    if (c.type === 'IPsec') {
      need('site', 'a site name');
      forbid('peerGateway', 'remove it, or use type: Vnet2Vnet to connect two VNet gateways');
      forbid('circuit', 'remove it, or use type: ExpressRoute to connect a circuit');
    } else if (c.type === 'Vnet2Vnet') {
      need('peerGateway', "the other VNet's gateway");
      forbid('site', 'remove it, or use type: IPsec to connect an on-premises site');
      forbid('circuit', 'remove it, or use type: ExpressRoute to connect a circuit');
      if (c.peerGateway !== undefined && c.peerGateway === c.gateway) {
        r.add('SCHEMA', `${c.path}.peerGateway`, `${who} connects gateway ${q(c.gateway)} to itself; peerGateway must be the gateway of another VNet`);
      }
      const peer = c.peerGateway !== undefined ? ix.gateways.get(c.peerGateway)?.item : undefined;
      if (peer && peer.type !== 'Vpn') {
        r.add('SCHEMA', `${c.path}.peerGateway`, `${who}: peerGateway ${q(peer.name)} is an ExpressRoute gateway; VNet-to-VNet needs a Vpn gateway at both ends`);
      }
    } else {
      need('circuit', 'a circuit name');
      forbid('site', 'remove it; the circuit names its site');
      forbid('peerGateway', 'remove it, or use type: Vnet2Vnet to connect two VNet gateways');
      if (gw && gw.type !== 'ExpressRoute') {
        r.add(
          'SCHEMA',
          `${c.path}.gateway`,
          `${who} is on ${describeGateway(gw)}, a Vpn gateway; a circuit connects to an ExpressRoute-type gateway: add one (type: ExpressRoute) in VNet ${q(gw.vnet)} and name it here`,
        );
      }
    }
    if (c.type !== 'ExpressRoute' && gw && gw.type === 'ExpressRoute') {
      r.add(
        'SCHEMA',
        `${c.path}.gateway`,
        `${who} is a VPN connection on ExpressRoute gateway ${q(gw.name)}; IPsec and Vnet2Vnet connections need a Vpn gateway: name the VNet's Vpn gateway, or add one`,
      );
    }
  });

  // The schema allows 28 bytes for every protocol; TCP's header needs 40.
  s.traffic.forEach((f) => {
    const min = MIN_FLOW_SIZE[f.proto];
    if (f.size < min) {
      r.add('SCHEMA', `${f.path}.size`, `"size" in flow ${q(f.id)} is ${f.size} bytes, too small for a ${f.proto} packet (IPv4 20 + ${f.proto.toUpperCase()} ${min - 20} header bytes); make it at least ${min}`);
    }
  });

  s.expect.forEach((e, i) => {
    const flow = ix.flows.get(e.flow)?.item;
    if (!flow) return;
    for (const key of ['delivered', 'dropped', 'internet'] as const) {
      const n = e[key];
      if (typeof n === 'number' && n > flow.count) {
        r.add(
          'SCHEMA',
          `${e.path}.${key}`,
          `expectation ${i + 1}: ${key}: ${n} is more than flow ${q(flow.id)} sends (count: ${flow.count}); lower it to at most ${flow.count}, write all, or raise the flow's count`,
        );
      }
    }
  });
}

/** Cross-object shapes (SCHEMA). */
export const shapes: RuleGroup = { name: 'shapes', check: checkShapes };
