/**
 * Test support for the IKEv1 endpoint tests: Azure's 2016 policy-based connection as an
 * `IkeTunnelConfig` (ike-2016.md §4.1: IKEv1 Main Mode, PSK, group 2, AES256/AES128/3DES with
 * SHA1, P1 28,800 s, P2 3,600 s and 102,400,000 KB, no PFS, no DPD) and its on-premises peer,
 * two endpoints on an IkeNet, and small readers of what they output.
 */
import type { IkeOutput, IkeTunnelConfig, SelectorPair } from '../../sim/ike/endpoint.js';
import { Ikev1Endpoint, type Ikev1EndpointOptions } from '../../sim/ike/ikev1/endpoint.js';
import { parseEspProposal, parseIkeProposal, type EspProposal, type IkeProposal } from '../../sim/ike/proposals.js';
import { nodeCrypto } from '../../sim/ipsec/crypto-node.js';
import { parsePrefix, type Prefix } from '../../sim/net/ipv4.js';
import { Prng } from '../../sim/util/prng.js';
import { IkeNet } from '../support/ike-net.js';
import { ip } from '../wire/hex.js';

export const AZURE_ADDR = ip('198.51.100.20');
export const DEVICE_ADDR = ip('203.0.113.10');

export function prefix(text: string): Prefix {
  const p = parsePrefix(text);
  if (!p.ok) throw new Error(p.error);
  return p.value;
}

export function pair(local: string, remote: string): SelectorPair {
  return { local: prefix(local), remote: prefix(remote) };
}

export function ike(...texts: string[]): IkeProposal[] {
  return texts.map((t) => {
    const p = parseIkeProposal(t);
    if (!p.ok) throw new Error(p.error.message);
    return p.value;
  });
}

export function esp(...texts: string[]): EspProposal[] {
  return texts.map((t) => {
    const p = parseEspProposal(t);
    if (!p.ok) throw new Error(p.error.message);
    return p.value;
  });
}

export const PSK = new TextEncoder().encode('azure-shared-key-2016');

/** One side of the Azure policy-based tunnel; `over` changes what a test needs. */
export function pbConfig(local: number, remote: number, over: Partial<IkeTunnelConfig> = {}): IkeTunnelConfig {
  return {
    connection: 'pb',
    version: 1,
    local,
    remote,
    psk: PSK,
    localId: { type: 'ipv4', addr: local },
    remoteId: { type: 'ipv4', addr: remote },
    ikeProposals: ike('aes256-sha1-modp1024', 'aes128-sha1-modp1024', '3des-sha1-modp1024'),
    espProposals: esp('aes256-sha1', 'aes128-sha1', '3des-sha1'),
    ikeLifetime: 28_800,
    childLifetime: 3_600,
    childLifeKilobytes: 102_400_000,
    rekeyMargin: 300,
    dpdDelay: null,
    initiator: true,
    selectors: [pair('10.1.0.0/16', '10.2.0.0/16')],
    retransmit: { timeout: 4, base: 1.8, tries: 5 },
    natTraversal: true,
    ...over,
  };
}

/** The Azure side (answers only, as a gateway waiting for its device) and the device, which brings the tunnel up. */
export function azureAndDevice(
  azure: Partial<IkeTunnelConfig> = {},
  device: Partial<IkeTunnelConfig> = {},
  seed = 1,
  options: Partial<Ikev1EndpointOptions> = {},
): { net: IkeNet; azure: Ikev1Endpoint; device: Ikev1Endpoint } {
  const a = new Ikev1Endpoint(pbConfig(AZURE_ADDR, DEVICE_ADDR, { initiator: false, ...azure }), { crypto: nodeCrypto, prng: new Prng(seed, 'azure'), ...options });
  const d = new Ikev1Endpoint(
    pbConfig(DEVICE_ADDR, AZURE_ADDR, { selectors: [pair('10.2.0.0/16', '10.1.0.0/16')], ...device }),
    { crypto: nodeCrypto, prng: new Prng(seed, 'device'), ...options },
  );
  const net = new IkeNet();
  net.attach('azure', a);
  net.attach('device', d);
  net.start(0);
  return { net, azure: a, device: d };
}

/** The statuses an endpoint reported, in order. */
export function statuses(net: IkeNet, name: string): Extract<IkeOutput, { kind: 'status' }>[] {
  return net.outputs(name, 'status');
}

/** The summaries of the datagrams an endpoint sent, in order. */
export function sentSummaries(net: IkeNet, name: string): string[] {
  return net.outputs(name, 'send').map((s) => s.summary.replace(/ \d+ \[/, ' [').replace(/request|response/, (r) => r));
}
