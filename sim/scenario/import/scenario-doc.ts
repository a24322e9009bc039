/**
 * The scenario document importers build (the YAML shape of SCENARIO-FORMAT.md as plain
 * values, keys in the order the examples use), and what every importer adds to make it
 * runnable. Shared by the ARM importer and the ones to come (Terraform): they map their
 * sources to this, ../emit-yaml.ts writes it.
 */

import { formatIPv4, parsePrefix } from '../../net/ipv4.js';

/** A scenario document under construction: plain values in emit order. */
export type Doc = { [key: string]: DocValue };
export type DocValue = string | number | boolean | Doc | DocValue[];

/**
 * Hosts and flows that make an imported scenario runnable (templates and configurations
 * describe networks, not traffic): a VM per VNet at the fifth address of its first subnet
 * other than GatewaySubnet (the first Azure gives a VM), a host per site at the eleventh
 * address of its first prefix, and a 3-packet ping per connection from the VM of its
 * gateway's VNet to the other end. Each is recorded in `added` with why, for the emitter's
 * comments. Returns the flows.
 */
export function addProbeTraffic(parts: { readonly vnets: Doc[]; readonly sites: Doc[]; readonly connections: readonly Doc[]; readonly gateways: readonly Doc[]; readonly circuits: readonly Doc[] }, added: Map<string, string>): Doc[] {
  const { vnets, sites, connections, gateways, circuits } = parts;
  const hostOf = new Map<string, string>();
  /** The `k`-th address of `prefix` (not its last, the broadcast), or undefined. */
  const nth = (prefix: string, k: number): string | undefined => {
    const p = parsePrefix(prefix);
    if (!p.ok || k >= 2 ** (32 - p.value.len) - 1) return undefined;
    return formatIPv4((p.value.addr + k) >>> 0);
  };
  vnets.forEach((v, i) => {
    const subnet = (v['subnets'] as Doc[]).find((s) => s['name'] !== 'GatewaySubnet');
    const ip = subnet ? nth(subnet['prefix'] as string, 4) : undefined;
    if (!ip) return;
    const name = `vm-${v['name'] as string}`;
    v['hosts'] = [{ name, ip }];
    hostOf.set(`vnet:${v['name'] as string}`, name);
    added.set(`vnets[${i}].hosts`, `a VM in subnet ${subnet?.['name'] as string} (Azure gives a subnet's first VM its fifth address) to send traffic from`);
  });
  sites.forEach((s, i) => {
    const ip = nth((s['addressPrefixes'] as string[])[0] ?? '', 10);
    if (!ip) return;
    const name = `host-${s['name'] as string}`;
    s['hosts'] = [{ name, ip }];
    hostOf.set(`site:${s['name'] as string}`, name);
    added.set(`sites[${i}].hosts`, 'an on-premises host to send traffic to');
  });
  const vnetOfGw = (g: unknown): string | undefined => gateways.find((x) => x['name'] === g)?.['vnet'] as string | undefined;
  const traffic: Doc[] = [];
  for (const c of connections) {
    const from = hostOf.get(`vnet:${vnetOfGw(c['gateway']) ?? ''}`);
    const siteOfCircuit = circuits.find((x) => x['name'] === c['circuit'])?.['site'];
    const to = c['type'] === 'IPsec' ? hostOf.get(`site:${String(c['site'])}`) : c['type'] === 'Vnet2Vnet' ? hostOf.get(`vnet:${vnetOfGw(c['peerGateway']) ?? ''}`) : hostOf.get(`site:${String(siteOfCircuit)}`);
    if (!from || !to) continue;
    traffic.push({ id: c['name'] as string, from, to, proto: 'icmp', count: 3 });
  }
  if (traffic.length > 0) added.set('traffic', 'one ping per connection, from the VM of its gateway\'s VNet to the host at the other end');
  return traffic;
}

