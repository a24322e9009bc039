/**
 * Compile a checked Scenario into a World: every route table becomes an LPM table, every
 * selector list a classifier, every host table a sorted array, every connection its
 * tunnels and SAs. Runs once per configuration (and again after a fault changes which
 * connections are up): "compile once, look up many".
 *
 * This folder owns the routing rules of SCENARIO-FORMAT.md ("effective routes"): system
 * routes, gateway-propagated routes, user-defined routes and their precedence, the
 * gateway routing tables, policy-based selectors (every VNet prefix x every site prefix),
 * device access lists and routes, ExpressRoute preference over VPN. One function per kind
 * of object, run in a fixed order over one CompileState (state.ts): hosts first, then the
 * connections (tunnels and SAs, circuits, point-to-site), whose routes the VNets,
 * gateways and sites then put in their tables; flows last. The order fixes the numbering
 * of hosts, SAs and counters.
 * It assumes checkScenario found no error: unknown references are skipped, not reported.
 */
import type { World } from '../../gateway/world.js';
import type { Scenario } from '../types.js';
import { compileCircuits } from './circuits.js';
import { compileTunnels } from './connections.js';
import { compileFlows } from './flows.js';
import type { FlowEndpoints, FlowError } from './flows.js';
import { compileGateways } from './gateways.js';
import { compileHosts } from './hosts.js';
import { compileP2s } from './p2s.js';
import { compileSites } from './sites.js';
import { newCompileState } from './state.js';
import { compileVnets } from './vnets.js';

export type { FlowEndpoints, FlowError } from './flows.js';

export interface Compiled {
  readonly world: World;
  /** Per flow (scenario order): its endpoints, or a message when it cannot start anywhere. */
  readonly flows: readonly (FlowEndpoints | FlowError)[];
}

/** Compile `s` with the named connections and circuits down. */
export function compileWorld(s: Scenario, down: ReadonlySet<string> = new Set()): Compiled {
  const st = newCompileState(s, down);
  compileHosts(st);
  compileTunnels(st);
  compileCircuits(st);
  compileP2s(st);
  const { vnets, subnets } = compileVnets(st);
  const gateways = compileGateways(st);
  const sites = compileSites(st);
  const flows = compileFlows(st);
  const { hosts, p2sClients, connections, tunnels, sas, erPaths, counterNodes } = st;
  return {
    world: {
      edition: s.edition,
      hosts, vnets, subnets, gateways, sites, p2sClients, connections, tunnels, sas, erPaths, counterNodes,
    },
    flows,
  };
}
