/**
 * One what-if packet, like a next-hop query: "what happens to a packet from X to Y?"
 * It runs the ordinary pipeline on a one-packet flow added to the scenario (with the
 * scenario's own traffic and expectations removed), at a chosen virtual time so faults
 * before it apply. An address where no unicast host can be (multicast, broadcast, loopback,
 * ...) is refused as it is in a flow, and so is a source no VM can have (an address Azure
 * keeps in its subnet, or one in the GatewaySubnet).
 */
import { parseIPv4 } from '../net/ipv4.js';
import { flowEndpointProblem, reservedSourceProblem, subnetIndexes } from './check-addresses.js';
import { runScenario } from './run.js';
import { compileWorld } from './compile.js';
import type { RunResult } from './run.js';
import type { EventSink } from '../engine/events.js';
import type { CryptoBackend } from '../ipsec/crypto.js';
import { hostRefs } from './types.js';
import type { Flow, Proto, Scenario } from './types.js';

export interface WhatIf {
  readonly from: string;
  readonly to: string;
  readonly proto?: Proto;
  readonly sport?: number;
  readonly dport?: number;
  readonly size?: number;
  readonly ttl?: number;
  readonly df?: boolean;
  /** Virtual time in seconds (faults up to then apply). */
  readonly at?: number;
}

export const WHAT_IF_FLOW = 'what-if';

/**
 * Run one packet. Returns an error message (for a bad --from/--to) or the run result;
 * the packet's hops go to `sink`; `crypto` as in RunOptions.
 */
export function whatIf(s: Scenario, q: WhatIf, sink: EventSink, crypto?: CryptoBackend): { error: string } | { result: RunResult } {
  const hosts = hostRefs(s);
  const names = new Set(hosts.map((h) => h.name));
  for (const [flag, v] of [['--from', q.from], ['--to', q.to]] as const) {
    const a = parseIPv4(v);
    if (!names.has(v) && !a.ok) {
      const known = [...names].slice(0, 12).join(', ');
      return { error: `${flag} "${v}" is neither a host of the scenario nor an IPv4 address (hosts: ${known || 'none'})` };
    }
    if (names.has(v) || !a.ok) continue;
    const problem = flowEndpointProblem(v, flag === '--from' ? 'from' : 'to');
    if (problem !== undefined) return { error: `${flag} ${problem}` };
    // A source no host has starts as a VM of the subnet holding it, as a flow's from does.
    const reserved = flag === '--from' && !hosts.some((h) => h.ip === a.value) ? reservedSourceProblem(s, subnetIndexes(s), a.value) : undefined;
    if (reserved !== undefined) return { error: `--from ${v} ${reserved}` };
  }
  const proto = q.proto ?? 'icmp';
  const flow: Flow = {
    path: 'traffic[0]', id: WHAT_IF_FLOW, from: q.from, to: q.to, proto,
    ...(q.sport !== undefined ? { sport: q.sport } : {}),
    ...(q.dport !== undefined ? { dport: q.dport } : {}),
    size: q.size ?? (proto === 'icmp' ? 84 : 64), count: 1, start: q.at ?? 0, interval: 1, ttl: q.ttl ?? 64, df: q.df ?? false,
  };
  const one: Scenario = { ...s, traffic: [flow], expect: [], faults: s.faults.filter((f) => f.at <= (q.at ?? 0)) };
  const ep = compileWorld(one).flows[0];
  if (ep && 'error' in ep) return { error: ep.error.replace(`flow "${WHAT_IF_FLOW}": `, '') };
  return { result: runScenario(one, { sink, traceLimit: 1, ...(crypto ? { crypto } : {}) }) };
}
