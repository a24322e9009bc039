/**
 * Test support: two IKEv2 endpoints (Azure's side and a device) on the virtual network of
 * ike-net.ts, with Azure-2016-shaped defaults (aes256-sha1-modp1024, ESP aes256-sha1,
 * any-to-any selectors, strongSwan's retransmission policy, 28 800 s / 3 600 s lifetimes)
 * that a test overrides field by field, and an ESP round trip through the SAs two child-up
 * outputs describe. Owns only the wiring and the defaults; every check is the tests'.
 */
import type { ChildSaInstall, IkeTunnelConfig, SelectorPair } from '../../sim/ike/endpoint.js';
import { espDecapsulate, espEncapsulate } from '../../sim/ipsec/esp.js';
import { SecurityAssociation } from '../../sim/ipsec/sa.js';
import { Sad } from '../../sim/ipsec/sad.js';
import * as ipv4 from '../../sim/wire/ipv4.js';
import { IpProtocol } from '../../sim/wire/ipv4.js';
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

/** The ESP SA a child-up hands the SAD, one direction: SPI, tunnel ends and keys as the install says. */
export function espSa(child: ChildSaInstall, direction: 'in' | 'out', local: number, remote: number): SecurityAssociation {
  const ours = direction === 'out' ? child.weInitiated : !child.weInitiated;
  const keys = ours ? child.keys.initiatorToResponder : child.keys.responderToInitiator;
  return new SecurityAssociation({
    spi: direction === 'in' ? child.inboundSpi : child.outboundSpi,
    src: direction === 'out' ? local : remote,
    dst: direction === 'out' ? remote : local,
    direction,
    transform: child.transform,
    encKey: keys.encKey,
    authKey: keys.authKey,
    reqid: child.reqid,
  });
}

/**
 * One inner packet from `fromAddr` (sending with `from`'s outbound SA) to `toAddr` (receiving
 * with `to`'s inbound SA) through sim/ipsec/esp.ts: the inner bytes that come out, or the
 * drop reason.
 */
export function espRoundTrip(from: ChildSaInstall, fromAddr: number, to: ChildSaInstall, toAddr: number, marker = 7): { ok: true; same: boolean } | { ok: false; why: string } {
  const inner = ipv4.build(ipv4.ipv4Repr({ src: 0x0a010004, dst: 0xc0a8010a, protocol: IpProtocol.UDP, payloadLength: 8, identification: marker }), new Uint8Array(8).fill(marker));
  const out = espEncapsulate(espSa(from, 'out', fromAddr, toAddr), inner, CRYPTO_BACKENDS.node);
  if (!out.ok) return { ok: false, why: out.message };
  const sad = new Sad();
  const added = sad.add(espSa(to, 'in', toAddr, fromAddr));
  if (!added.ok) return { ok: false, why: added.error.message };
  const back = espDecapsulate(sad, out.packet, CRYPTO_BACKENDS.node);
  if (!back.ok) return { ok: false, why: `${back.drop}: ${back.message}` };
  return { ok: true, same: back.inner.length === inner.length && back.inner.every((b, i) => b === inner[i]) };
}
