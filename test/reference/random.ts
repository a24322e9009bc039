/**
 * Seeded random inputs for the reference comparison: traffic over a given scenario, and
 * whole scenarios as YAML text (which the loader and the checks then accept or refuse;
 * the caller keeps the valid ones).
 */
import type { Scenario } from '../../sim/index.js';
import { ipText } from './forward-reference.js';

type Flow = Scenario['traffic'][number];
type Prefix = Scenario['vnets'][number]['addressSpace'][number];

/** mulberry32: small, seeded, good enough to pick test inputs. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
}

/** An address inside `p`: its first, last, or a random one. */
function inside(rng: Rng, p: Prefix): number {
  const size = p.len === 0 ? 2 ** 32 : 2 ** (32 - p.len);
  const r = rng.int(0, 3);
  const off = r === 0 ? 0 : r === 1 ? size - 1 : Math.floor(rng.next() * size);
  return (p.addr + off) >>> 0;
}

/** Every prefix of the scenario (VNet spaces, subnets, sites, P2S pools, circuits, user routes). */
function prefixesOf(s: Scenario): Prefix[] {
  return [
    ...s.vnets.flatMap((v) => [...v.addressSpace, ...v.subnets.flatMap((sn) => [sn.prefix, ...sn.routes.map((r) => r.prefix)])]),
    ...s.sites.flatMap((x) => [...x.addressPrefixes, ...(x.device?.routes ?? [])]),
    ...s.gateways.flatMap((g) => (g.p2s ? [g.p2s.addressPool] : [])),
    ...s.circuits.flatMap((c) => c.onPremisesPrefixes),
  ];
}

/**
 * `s` with its traffic replaced by `n` random flows (and no expectations): sources among
 * its hosts and addresses in its subnets and site prefixes; destinations among its hosts
 * and addresses inside and outside every prefix; every protocol; sizes from the smallest
 * to beyond the path MTU, with and without DF; TTLs down to 1; starts over the span of
 * its faults and injections.
 */
export function withRandomTraffic(s: Scenario, seed: number, n: number): Scenario {
  const rng = new Rng(seed);
  const hosts = [
    ...s.vnets.flatMap((v) => v.hosts.map((h) => h.name)),
    ...s.sites.flatMap((x) => x.hosts.map((h) => h.name)),
    ...s.gateways.flatMap((g) => g.p2s?.clients.map((c) => c.name) ?? []),
  ];
  const sources = [...s.vnets.flatMap((v) => v.subnets.map((sn) => sn.prefix)), ...s.sites.flatMap((x) => x.addressPrefixes)];
  const prefixes = prefixesOf(s);
  const horizon = Math.max(5, ...s.faults.map((f) => f.at + 2), ...(s.inject ?? []).map((x) => x.at + 2));
  const traffic: Flow[] = [];
  for (let k = 0; k < n; k++) {
    const from = hosts.length > 0 && (rng.chance(0.7) || sources.length === 0) ? rng.pick(hosts) : ipText(inside(rng, rng.pick(sources)));
    const r = rng.int(0, 9);
    const to = r < 4 && hosts.length > 0 ? rng.pick(hosts) : r < 8 && prefixes.length > 0 ? ipText(inside(rng, rng.pick(prefixes))) : ipText(rng.int(0, 0xffffffff));
    const proto = rng.pick(['icmp', 'tcp', 'udp'] as const);
    const min = proto === 'tcp' ? 40 : 28;
    const sr = rng.int(0, 9);
    const size = sr < 4 ? rng.int(min, 200) : sr < 7 ? rng.int(1300, 1500) : sr < 9 ? rng.int(1500, 9000) : rng.int(9000, 65535);
    const ttl = rng.chance(0.3) ? rng.int(1, 4) : 64;
    const count = rng.int(1, 4);
    traffic.push({
      id: `r${k}`, path: `traffic[${k}]`, from, to, proto, size, count, ttl, df: rng.chance(0.4),
      start: Math.round(rng.next() * horizon * 100) / 100, interval: rng.pick([0.001, 0.5, 1, 3]),
      ...(proto !== 'icmp' ? { dport: rng.int(1, 65535) } : {}),
    });
  }
  return { ...s, traffic, expect: [] };
}

// ---------------------------------------------------------------- random scenarios

/**
 * An access-list address spec for a prefix: `A/LEN`, the same as a Cisco wildcard
 * (`A 0.0.255.255`), or sometimes `host A` for one address inside it (narrower than any pair).
 */
function aclSpec(rng: Rng, prefix: string): string {
  const [a, l] = prefix.split('/');
  const len = Number(l);
  const r = rng.int(0, 5);
  if (r <= 1) return `${a} ${ipText(len === 0 ? 0xffffffff : (2 ** (32 - len) - 1) >>> 0)}`;
  if (r === 2 && len < 32) return `host ${a!.replace(/\.0$/, '.10')}`;
  return prefix;
}

/**
 * A random scenario as YAML: 1-3 VNets (one or two address prefixes, subnets with user
 * routes, the GatewaySubnet sometimes with routes of its own), VPN gateways of both types
 * and every SKU (point-to-site clients, a default site), ExpressRoute gateways and
 * circuits, 1-3 sites (overlapping prefixes, devices with access lists, routes, keys),
 * IPsec, VNet-to-VNet and ExpressRoute connections, faults, injections and random flows.
 */
export function randomScenarioText(seed: number): string {
  const rng = new Rng(seed);
  const edition2018 = rng.chance(0.15);
  const L: string[] = [`name: random ${seed}`, `seed: ${seed}`, ...(edition2018 ? ['edition: azure-2018-10'] : []), 'vnets:'];
  const nv = rng.int(1, 3);
  const ns = rng.int(1, 3);
  const vnetSpace: string[][] = [];
  const hosts: string[] = [];
  const addrs: string[] = [];
  const sitePrefixes: string[][] = [];
  for (let s = 0; s < ns; s++) {
    const r = rng.int(0, 9);
    const ps = r < 6 ? [`192.168.${s}.0/24`] : r < 8 ? [`192.168.${s}.0/24`, `172.20.${s}.0/24`] : [s === 0 ? '192.168.0.0/16' : `192.168.${s}.128/25`];
    sitePrefixes.push(ps);
  }
  const routeTargets = (): string => {
    const pool = ['0.0.0.0/0', '8.0.0.0/8', ...sitePrefixes.flat(), ...vnetSpace.flat(), '10.0.0.0/8'];
    return rng.pick(pool);
  };
  const hopKinds = ['VirtualNetworkGateway', 'VirtualNetworkGateway', 'Internet', 'None'];
  for (let v = 0; v < nv; v++) {
    const space = rng.chance(0.3) ? [`10.${10 + v}.0.0/16`, `10.${110 + v}.0.0/16`] : [`10.${10 + v}.0.0/16`];
    vnetSpace.push(space);
    L.push(`  - name: v${v}`, `    addressSpace: [${space.join(', ')}]`, '    subnets:');
    const subnets: [string, string][] = [['a', `10.${10 + v}.1.0/24`]];
    if (space.length > 1) subnets.push(['b', `10.${110 + v}.1.0/24`]);
    else if (rng.chance(0.5)) subnets.push(['b', `10.${10 + v}.2.0/24`]);
    subnets.push(['GatewaySubnet', `10.${10 + v}.255.0/27`]);
    for (const [name, prefix] of subnets) {
      L.push(`      - name: ${name}`, `        prefix: ${prefix}`);
      const p = name === 'GatewaySubnet' ? 0.15 : 0.35;
      if (rng.chance(p)) {
        const nr = rng.int(1, 2);
        const seen = new Set<string>();
        L.push('        routes:');
        for (let k = 0; k < nr; k++) {
          const t = routeTargets();
          if (seen.has(t)) continue;
          seen.add(t);
          L.push(`          - { prefix: ${t}, nextHop: ${rng.pick(hopKinds)} }`);
        }
      }
    }
    L.push('    hosts:');
    L.push(`      - { name: vm${v}a, ip: 10.${10 + v}.1.4 }`);
    hosts.push(`vm${v}a`);
    if (subnets[1]![0] === 'b') {
      L.push(`      - { name: vm${v}b, ip: ${subnets[1]![1].replace(/\.0\/24$/, '.5')} }`);
      hosts.push(`vm${v}b`);
    }
    addrs.push(`10.${10 + v}.1.99`, `10.${10 + v}.255.30`);
  }

  // Gateways: a VPN gateway in most VNets, sometimes an ExpressRoute gateway beside it.
  L.push('gateways:');
  interface Gw { name: string; vnet: number; policy: boolean; sku: string; p2s: boolean }
  const gws: Gw[] = [];
  const erGws: { name: string; vnet: number }[] = [];
  for (let v = 0; v < nv; v++) {
    if (rng.chance(0.85)) {
      const policy = rng.chance(0.3);
      const sku = policy ? 'Basic' : rng.pick(['Basic', 'Standard', 'HighPerformance']);
      const p2s = !policy && rng.chance(0.3);
      const g = { name: `g${v}`, vnet: v, policy, sku, p2s };
      gws.push(g);
      L.push(`  - name: g${v}`, `    vnet: v${v}`, '    type: Vpn', `    vpnType: ${policy ? 'PolicyBased' : 'RouteBased'}`, `    sku: ${sku}`, `    publicIp: 203.0.113.${10 + v}`);
      if (!policy && rng.chance(0.25)) L.push(`    defaultSite: @default-g${v}@`); // a connected site, chosen below
      if (p2s) {
        L.push('    p2s:', `      addressPool: 172.${16 + v}.201.0/24`, '      clients:');
        const nc = rng.int(1, 3);
        for (let k = 0; k < nc; k++) {
          L.push(`        - { name: c${v}${k}, certificate: ${rng.chance(0.25) ? 'revoked' : 'valid'} }`);
          hosts.push(`c${v}${k}`);
        }
        addrs.push(`172.${16 + v}.201.77`);
      }
      if (!policy && sku !== 'Basic' && rng.chance(0.35)) {
        erGws.push({ name: `er${v}`, vnet: v });
        L.push(`  - { name: er${v}, vnet: v${v}, type: ExpressRoute, sku: ${rng.pick(['Standard', 'HighPerformance'])} }`);
      }
    }
  }

  L.push('sites:');
  const devicePolicy: boolean[] = [];
  const siteGws: Gw[][] = [];
  const usedPolicy = new Set<string>();
  for (let s = 0; s < ns; s++) {
    // A policy-based (Basic) gateway takes one Site-to-Site connection.
    const free = gws.filter((g) => !g.policy || !usedPolicy.has(g.name));
    const mine = free.filter(() => rng.chance(0.6));
    if (mine.length === 0 && free.length > 0) mine.push(rng.pick(free));
    const policyGw = mine.find((g) => g.policy);
    const conns = policyGw ? [policyGw] : mine;
    if (policyGw) usedPolicy.add(policyGw.name);
    siteGws.push(conns);
    const pol = conns.length > 0 ? (rng.chance(0.9) ? conns[0]!.policy : !conns[0]!.policy) : rng.chance(0.5);
    devicePolicy.push(pol);
    L.push(`  - name: s${s}`, `    gatewayIp: 198.51.100.${10 + s}`, `    addressPrefixes: [${sitePrefixes[s]!.join(', ')}]`);
    // No device section: the device takes its first connection's gateway type and mirrors the Azure side.
    if (!(conns.length > 0 && pol === conns[0]!.policy && rng.chance(0.15))) {
      L.push('    device:', `      vpnType: ${pol ? 'PolicyBased' : 'RouteBased'}`);
      if (rng.chance(0.15)) L.push('      sharedKey: devkey');
      if (pol && rng.chance(0.5)) {
        L.push('      accessList:');
        const own = sitePrefixes[s]!;
        const remote = conns.flatMap((g) => vnetSpace[g.vnet]!);
        const n = rng.int(1, 3);
        for (let k = 0; k < n; k++) {
          const src = rng.chance(0.15) ? 'any' : aclSpec(rng, rng.pick(own));
          const dst = aclSpec(rng, rng.chance(0.8) && remote.length ? rng.pick(remote) : rng.pick([...vnetSpace.flat(), '10.0.0.0/8']));
          L.push(`        - ${rng.chance(0.8) ? 'permit' : 'deny'} ip ${src} ${dst}`);
        }
      } else if (!pol && rng.chance(0.25)) {
        L.push(`      routes: [${rng.pick(vnetSpace.flat())}]`);
      }
    }
    L.push('    hosts:', `      - { name: h${s}, ip: ${sitePrefixes[s]![0]!.replace(/\.0\/(16|24)$/, '.10').replace(/\.128\/25$/, '.140')} }`);
    hosts.push(`h${s}`);
    addrs.push(sitePrefixes[s]![0]!.replace(/\.0\/(16|24)$/, '.77').replace(/\.128\/25$/, '.200'));
  }

  const circuits: string[] = [];
  const connections: string[] = [];
  const connNames: string[] = [];
  for (let s = 0; s < ns; s++) {
    for (const g of siteGws[s]!) {
      const name = `${g.name}-s${s}`;
      connNames.push(name);
      const extra = [
        rng.chance(0.1) ? 'sharedKey: other' : rng.chance(0.1) ? '' : 'sharedKey: key',
        rng.chance(0.2) ? `mtu: ${rng.pick([576, 1200, 1400, 1500, 9000])}` : '',
        !g.policy && rng.chance(0.15) ? `transform: ${rng.pick(transforms(g))}` : '',
        rng.chance(0.1) ? `replayWindow: ${rng.pick([32, 64, 100])}` : '',
      ].filter(Boolean);
      connections.push(`  - { name: ${name}, type: IPsec, gateway: ${g.name}, site: s${s}${extra.map((x) => `, ${x}`).join('')} }`);
    }
  }
  const rb = gws.filter((g) => !g.policy);
  /** ESP transforms a route-based gateway takes: its edition's offers, and any by a custom policy on Standard and HighPerformance (2018-10). */
  function transforms(g: Gw): string[] {
    if (!edition2018) return ['aes128-sha1', '3des-sha1', '3des-md5'];
    return g.sku === 'Basic' ? ['aes256gcm16', 'aes128-sha1'] : ['aes128gcm16', 'aes256gcm16', 'null-sha1', '3des-md5'];
  }
  for (let a = 0; a < rb.length; a++) {
    for (let b = a + 1; b < rb.length; b++) {
      if (!rng.chance(0.6)) continue;
      const x = rb[a]!;
      const y = rb[b]!;
      const key = rng.chance(0.1) ? 'k2' : 'k1';
      const tx = rng.chance(0.2) ? `, transform: ${rng.pick(transforms(x).filter((t) => transforms(y).includes(t)))}` : '';
      const ty = tx && rng.chance(0.7) ? tx : '';
      connections.push(`  - { name: ${x.name}-${y.name}, type: Vnet2Vnet, gateway: ${x.name}, peerGateway: ${y.name}, sharedKey: k1${tx} }`);
      connNames.push(`${x.name}-${y.name}`);
      if (rng.chance(0.85)) {
        connections.push(`  - { name: ${y.name}-${x.name}, type: Vnet2Vnet, gateway: ${y.name}, peerGateway: ${x.name}, sharedKey: ${key}${ty} }`);
        connNames.push(`${y.name}-${x.name}`);
      }
    }
  }
  for (const er of erGws) {
    const s = rng.int(0, ns - 1);
    circuits.push(`  - { name: ckt${er.vnet}, bandwidth: 1Gbps, onPremisesPrefixes: [${sitePrefixes[s]!.join(', ')}], site: s${s} }`);
    connections.push(`  - { name: ${er.name}-ckt, type: ExpressRoute, gateway: ${er.name}, circuit: ckt${er.vnet} }`);
    connNames.push(`${er.name}-ckt`);
  }
  for (const g of gws) {
    const connected = siteGws.flatMap((list, k) => (list.includes(g) ? [`s${k}`] : []));
    const at = L.findIndex((l) => l.includes(`@default-${g.name}@`));
    if (at < 0) continue;
    if (connected.length) L[at] = L[at]!.replace(`@default-${g.name}@`, rng.pick(connected));
    else L.splice(at, 1);
  }
  if (circuits.length) L.push('circuits:', ...circuits);
  if (connections.length) L.push('connections:', ...connections);

  const faults: string[] = [];
  if (connNames.length && rng.chance(0.3)) {
    const c = rng.pick(connNames);
    const at = rng.int(1, 4);
    faults.push(`  - { at: ${at}s, ${c.endsWith('-ckt') && rng.chance(0.5) ? `circuit: ckt${c.slice(2, -4)}` : `connection: ${c}`}, down: true }`);
    if (rng.chance(0.6)) faults.push(faults[0]!.replace(`at: ${at}s`, `at: ${at + 2}s`).replace('down: true', 'down: false'));
  }
  if (faults.length) L.push('faults:', ...faults);

  const ipsec = connNames.filter((c) => !c.endsWith('-ckt'));
  if (ipsec.length && rng.chance(0.4)) {
    L.push('inject:');
    const n = rng.int(1, 3);
    for (let k = 0; k < n; k++) {
      const action = rng.pick(['duplicate', 'reorder', 'corrupt', 'replay']);
      const dir = rng.pick(['', ', direction: out', ', direction: in']);
      const byte = action === 'corrupt' && rng.chance(0.5) ? `, byte: ${rng.pick([0, 9, 21, 27, 40])}` : '';
      L.push(`  - { connection: ${rng.pick(ipsec)}, at: ${rng.int(0, 4)}s, action: ${action}, packet: ${rng.int(1, 3)}${dir}${byte} }`);
    }
  }

  L.push('traffic:');
  const nf = rng.int(3, 8);
  const targets = [...hosts, ...addrs, '8.8.8.8'];
  for (let k = 0; k < nf; k++) {
    const proto = rng.pick(['icmp', 'tcp', 'udp']);
    const size = rng.chance(0.7) ? '' : `, size: ${rng.pick([1400, 1450, 1500, 3000, 9000])}`;
    const df = rng.chance(0.3) ? ', df: true' : '';
    const ttl = rng.chance(0.2) ? `, ttl: ${rng.int(1, 3)}` : '';
    const port = proto === 'icmp' ? '' : `, dport: ${rng.int(1, 9999)}`;
    const to = rng.chance(0.6) ? rng.pick(hosts) : rng.pick(targets);
    L.push(`  - { id: f${k}, from: ${rng.pick(hosts)}, to: ${to}, proto: ${proto}${port}, count: ${rng.int(1, 4)}, start: ${rng.int(0, 6)}s${size}${df}${ttl} }`);
  }
  // Sometimes a burst over a gateway's SKU throughput (rate-limit drops).
  if (rng.chance(0.08)) {
    L.push(`  - { id: burst, from: ${rng.pick(hosts)}, to: ${rng.pick(hosts)}, proto: udp, dport: 9, size: ${rng.int(8000, 9000)}, count: ${rng.int(60, 120)}, rate: 1000000pps, start: ${rng.int(0, 6)}s }`);
  }
  return L.join('\n') + '\n';
}
