/**
 * Flows: where each flow's packets start (a host, or for a source written as an address
 * with no host, a host made for it in the VNet subnet or site that holds it) and where
 * they go. A flow that cannot start anywhere gets a message instead (validate.ts reports
 * it as UNKNOWN_REFERENCE).
 */
import { NetKind } from '../../gateway/world.js';
import type { NetKindCode, WHost } from '../../gateway/world.js';
import { contains, formatIPv4, parseIPv4 } from '../../net/ipv4.js';
import type { Scenario } from '../types.js';
import { subnetGlobal } from './state.js';
import type { CompileState } from './state.js';

/** Where a flow's packets start and go. */
export interface FlowEndpoints {
  readonly srcIp: number;
  readonly dstIp: number;
  /** Host index in world.hosts where packets start. */
  readonly origin: number;
}

/** A flow that cannot start: why, and the path of the value to blame. */
export interface FlowError {
  readonly error: string;
  readonly path: string;
}

/** Per flow (scenario order): its endpoints, or why it cannot start anywhere. Adds the hosts of address sources. */
export function compileFlows(st: CompileState): (FlowEndpoints | FlowError)[] {
  const { s, hosts } = st;
  const hostByName = new Map(hosts.map((h, i) => [h.name, i]));
  return s.traffic.map((f): FlowEndpoints | FlowError => {
    const resolveIp = (x: string): number | undefined => {
      const hi = hostByName.get(x);
      if (hi !== undefined) return hosts[hi]!.ip;
      const a = parseIPv4(x);
      return a.ok ? a.value : undefined;
    };
    const dstIp = resolveIp(f.to);
    let origin = hostByName.get(f.from);
    if (origin === undefined) {
      const a = parseIPv4(f.from);
      if (a.ok) {
        const existing = hosts.findIndex((h) => h.ip === a.value);
        origin = existing >= 0 ? existing : syntheticHost(s, hosts, a.value);
      }
    }
    if (dstIp === undefined) return { error: `flow "${f.id}": "${f.to}" is neither a host name nor an IPv4 address`, path: `${f.path}.to` };
    if (origin === undefined || origin < 0) {
      return { error: `flow "${f.id}": ${f.from} is in no VNet subnet, site prefix or P2S pool, so its packets cannot start anywhere; use a host name or an address inside one`, path: `${f.path}.from` };
    }
    return { srcIp: hosts[origin]!.ip, dstIp, origin };
  });
}

/** A source address with no host: start it in the network that contains it, or -1. */
function syntheticHost(s: Scenario, hosts: WHost[], ip: number): number {
  const push = (netKind: NetKindCode, net: number, subnet: number): number => {
    hosts.push({ name: formatIPv4(ip), ip, netKind, net, subnet });
    return hosts.length - 1;
  };
  for (let vi = 0; vi < s.vnets.length; vi++) {
    const v = s.vnets[vi]!;
    const k = v.subnets.findIndex((sn) => contains(sn.prefix.addr, sn.prefix.len, ip));
    if (k >= 0) return push(NetKind.VNET, vi, subnetGlobal(s, vi, k));
  }
  for (let si = 0; si < s.sites.length; si++) {
    if (s.sites[si]!.addressPrefixes.some((p) => contains(p.addr, p.len, ip))) return push(NetKind.SITE, si, -1);
  }
  return -1;
}
