/**
 * Test support: two IKEv2 endpoints (Azure's side and a device) on the virtual network of
 * ike-net.ts, with Azure-2016-shaped defaults (aes256-sha1-modp1024, ESP aes256-sha1,
 * any-to-any selectors, strongSwan's retransmission policy, 28 800 s / 3 600 s lifetimes)
 * that a test overrides field by field. Owns only the wiring and the defaults; every check
 * is the tests'.
 */
import type { IkeTunnelConfig, SelectorPair } from '../../sim/ike/endpoint.js';
import { Ikev2Endpoint } from '../../sim/ike/ikev2/endpoint.js';
import { parseEspProposal, parseIkeProposal, type EspProposal, type IkeProposal } from '../../sim/ike/proposals.js';
import { CRYPTO_BACKENDS } from '../../sim/ipsec/backends.js';
import { parsePrefix, type Prefix } from '../../sim/net/ipv4.js';
import { Prng } from '../../sim/util/prng.js';
import { IkeNet } from './ike-net.js';

export const AZURE_ADDR = 0xcb00710a; // 203.0.113.10
export const DEVICE_ADDR = 0xc6336401; // 198.51.100.1

export function ikeProposal(text: string): IkeProposal {
  const r = parseIkeProposal(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

export function espProposal(text: string): EspProposal {
  const r = parseEspProposal(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

export function prefix(text: string): Prefix {
  const r = parsePrefix(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

export function pair(local: string, remote: string): SelectorPair {
  return { local: prefix(local), remote: prefix(remote) };
}

/** One side's configuration with the 2016 defaults. */
export function ikev2Config(side: 'azure' | 'device', over: Partial<IkeTunnelConfig> = {}): IkeTunnelConfig {
  const local = side === 'azure' ? AZURE_ADDR : DEVICE_ADDR;
  const remote = side === 'azure' ? DEVICE_ADDR : AZURE_ADDR;
  return {
    connection: side === 'azure' ? 'gw1-hq' : 'hq-gw1',
    version: 2,
    local,
    remote,
    psk: new TextEncoder().encode('shared-secret-2016'),
    localId: { type: 'ipv4', addr: local },
    remoteId: { type: 'ipv4', addr: remote },
    ikeProposals: [ikeProposal('aes256-sha1-modp1024')],
    espProposals: [espProposal('aes256-sha1')],
    ikeLifetime: 28800,
    childLifetime: 3600,
    childLifeKilobytes: null,
    rekeyMargin: 540,
    dpdDelay: null,
    initiator: side === 'device',
    selectors: [pair('0.0.0.0/0', '0.0.0.0/0')],
    retransmit: { timeout: 4, base: 1.8, tries: 5 },
    natTraversal: false,
    ...over,
  };
}

export interface Ikev2Pair {
  readonly net: IkeNet;
  readonly azure: Ikev2Endpoint;
  readonly device: Ikev2Endpoint;
}

/** Both endpoints on a fresh net (node:crypto backend, seeded Prngs), started at t=0 unless `start` is false. */
export function ikev2Pair(opts: { azure?: Partial<IkeTunnelConfig>; device?: Partial<IkeTunnelConfig>; seed?: number; latency?: number; start?: boolean } = {}): Ikev2Pair {
  const seed = opts.seed ?? 2016;
  const net = new IkeNet({ latency: opts.latency ?? 0.01 });
  const azure = new Ikev2Endpoint(ikev2Config('azure', opts.azure), { crypto: CRYPTO_BACKENDS.node, prng: new Prng(seed, 'azure') });
  const device = new Ikev2Endpoint(ikev2Config('device', opts.device), { crypto: CRYPTO_BACKENDS.node, prng: new Prng(seed, 'device') });
  net.attach('azure', azure);
  net.attach('device', device);
  if (opts.start !== false) net.start(0);
  return { net, azure, device };
}
