/**
 * The ICMP "fragmentation needed" a sender gets when DF is set and ESP makes its packet
 * too big comes from the address of the interface it leaves by (RFC 1812 §4.3.2.4), the
 * one facing the sender: a gateway's address in its GatewaySubnet (the last usable one),
 * an on-premises device's LAN address (the first host address of the site prefix holding
 * the sender). Never the tunnel's public address. A point-to-site client is the sender
 * itself: no ICMP on the wire.
 */
import { keyedEspPlane } from '../support/keyed-plane.js';
import { describe, expect, it } from 'vitest';
import { compileWorld, parseIPv4 } from '../../sim/index.js';
import { PacketBatch } from '../../sim/engine/batch.js';
import { dropReasonCode } from '../../sim/engine/drop-reasons.js';
import { pathMtu } from '../../sim/gateway/nodes/esp-encrypt.js';
import { nodeCrypto } from '../../sim/ipsec/crypto-node.js';
import { end, load, simulate } from '../support/simulate.js';

const text = `
name: icmp source
seed: 9
vnets:
  - name: vnet1
    addressSpace: [10.1.0.0/16]
    subnets:
      - { name: a, prefix: 10.1.0.0/24 }
      - { name: GatewaySubnet, prefix: 10.1.255.64/28 }
    hosts:
      - { name: vm1, ip: 10.1.0.4 }
gateways:
  - name: gw1
    vnet: vnet1
    type: Vpn
    vpnType: RouteBased
    sku: Basic
    publicIp: 203.0.113.10
    p2s:
      addressPool: 172.16.201.0/24
      clients: [ { name: laptop1 } ]
sites:
  - name: hq
    gatewayIp: 198.51.100.1
    addressPrefixes: [192.168.0.0/16, 172.20.8.0/22]
    device: { vpnType: RouteBased }
    hosts:
      - { name: pc1, ip: 192.168.1.10 }
      - { name: pc2, ip: 172.20.9.9 }
connections:
  - { name: gw1-hq, type: IPsec, gateway: gw1, site: hq, sharedKey: "icmpsrckey", mtu: 1200 }
traffic:
  - { id: from-vm, from: vm1, to: pc1, proto: udp, dport: 9, size: 1200, df: true }
  - { id: from-pc1, from: pc1, to: vm1, proto: udp, dport: 9, size: 1200, df: true }
  - { id: from-pc2, from: pc2, to: vm1, proto: udp, dport: 9, size: 1200, df: true }
  - { id: from-laptop, from: laptop1, to: vm1, proto: udp, dport: 9, size: 1490, df: true }
`;

describe('ICMP fragmentation needed: its source address', () => {
  const { events } = simulate(text);
  const detail = (id: string): string => {
    const e = end(events, id);
    expect(e).toMatchObject({ type: 'dropped', reason: 'mtu', stage: 'encrypt' });
    return e.detail ?? '';
  };

  it('an Azure gateway answers from its address in the GatewaySubnet (the last usable one), not its public IP', () => {
    const d = detail('from-vm');
    expect(d).toContain('the sender gets ICMP type 3 code 4 (fragmentation needed, next-hop MTU ');
    expect(d).toMatch(/ from 10\.1\.255\.78 \(gw1's address in its GatewaySubnet\)$/);
    expect(d).not.toContain('203.0.113.10');
  });

  it('an on-premises device answers from its LAN address in the prefix holding the sender', () => {
    expect(detail('from-pc1')).toMatch(/ from 192\.168\.0\.1 \(hq\/device on its LAN, the first address of 192\.168\.0\.0\/16\)$/);
    expect(detail('from-pc2')).toMatch(/ from 172\.20\.8\.1 \(hq\/device on its LAN, the first address of 172\.20\.8\.0\/22\)$/);
    expect(detail('from-pc1')).not.toContain('198.51.100.1');
  });

  it('a point-to-site client is the sender itself: no ICMP on the wire', () => {
    const d = detail('from-laptop');
    expect(end(events, 'from-laptop').node).toBe('laptop1');
    expect(d).toMatch(/the sender is the client itself, whose own IP stack refuses the packet: no ICMP type 3 code 4 .* on the wire$/);
  });
});

describe('the drop text is built for traced packets only', () => {
  it('a DF packet too big for the path MTU is the same mtu drop traced or not; only the traced one gets the ICMP text', () => {
    const { world } = compileWorld(load(text));
    const plane = keyedEspPlane(world, nodeCrypto, 2);
    const sa = world.sas.findIndex((x) => x.name === 'gw1-hq/in'); // hq's device → gw1
    const ip = (t: string): number => {
      const a = parseIPv4(t);
      if (!a.ok) throw new Error(t);
      return a.value;
    };
    const b = new PacketBatch(2);
    const untraced = b.push(ip('192.168.1.10'), ip('10.1.0.4'), 17, 1, 9, 1200, 64, true, 0, 0, 1, false);
    const traced = b.push(ip('192.168.1.10'), ip('10.1.0.4'), 17, 1, 9, 1200, 64, true, 0, 0, 2, true);
    const out = { detail: '' };
    expect(pathMtu(world, plane, b, untraced, sa, out)).toBe(dropReasonCode('mtu'));
    expect(out.detail).toBe('');
    expect(pathMtu(world, plane, b, traced, sa, out)).toBe(dropReasonCode('mtu'));
    expect(out.detail).toMatch(/ from 192\.168\.0\.1 \(hq\/device on its LAN, the first address of 192\.168\.0\.0\/16\)$/);
  });
});
