/**
 * ESP in UDP (RFC 3948 §2.1) in the ESP transform: an SA that IKE set up with UDP
 * encapsulation sends outer IPv4 protocol 17, a UDP header with its ports, length and a zero
 * checksum, then the very ESP packet a plain SA with the same keys and IVs would send;
 * inbound, the encapsulation must be the SA's, and IKE's or keepalive payloads on the port
 * are not ESP. Every backend (native framer, node:crypto, node-forge) gives the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { CRYPTO_BACKENDS } from '../../sim/ipsec/backends.js';
import type { CryptoBackend } from '../../sim/ipsec/crypto.js';
import { espDecapsulate, espEncapsulate } from '../../sim/ipsec/esp.js';
import { PrngIvSource } from '../../sim/ipsec/iv.js';
import { SecurityAssociation, type SaConfig } from '../../sim/ipsec/sa.js';
import { Sad } from '../../sim/ipsec/sad.js';
import { TRANSFORMS, type Transform } from '../../sim/ipsec/transforms.js';
import { internetChecksum } from '../../sim/wire/checksum.js';
import * as ipv4 from '../../sim/wire/ipv4.js';
import * as udp from '../../sim/wire/udp.js';
import { Prng } from '../../sim/util/prng.js';
import { ip, toHex } from '../wire/hex.js';

const BACKENDS: CryptoBackend[] = Object.values(CRYPTO_BACKENDS);
const NAT_PUBLIC = ip('198.51.100.7');
const GATEWAY = ip('203.0.113.1');
const PORTS = { srcPort: 4500, dstPort: 61731 };

function innerPacket(len: number, seed: number): Uint8Array {
  const payload = new Prng(seed, 'inner').fill(new Uint8Array(Math.max(0, len - 28)));
  const u = { srcPort: 1000, dstPort: 2000, checksummed: true, payload };
  const body = new Uint8Array(udp.bufferLen(u));
  udp.emit(u, body, 0, ip('10.1.0.4'), ip('192.168.1.5'));
  return ipv4.build(ipv4.ipv4Repr({ src: ip('10.1.0.4'), dst: ip('192.168.1.5'), protocol: 17, payloadLength: body.length, dontFragment: true, tos: 0x28 }), body);
}

function config(t: Transform, udpEncap: SaConfig['udpEncap']): SaConfig {
  const rng = new Prng(7, `keys/${t.name}`);
  return {
    spi: 0xc0ffee01, src: GATEWAY, dst: NAT_PUBLIC, udpEncap, direction: 'out', transform: t,
    encKey: rng.fill(new Uint8Array(t.encryption.keyLength)), authKey: rng.fill(new Uint8Array(t.integrity.keyLength)), reqid: 1, name: 'gw1-hq#1/out',
  };
}

/** A sending SA with a seeded IV stream, and a SAD holding its receiving twin. */
function ends(t: Transform, udpEncap: SaConfig['udpEncap']): { out: SecurityAssociation; sad: Sad } {
  const c = config(t, udpEncap);
  const out = new SecurityAssociation({ ...c, ivSource: t.encryption.mode === 'cbc' ? new PrngIvSource(3, 'iv') : undefined });
  const sad = new Sad();
  const r = sad.add({ ...c, direction: 'in' });
  if (!r.ok) throw new Error(r.error.message);
  return { out, sad };
}

function seal(sa: SecurityAssociation, inner: Uint8Array, be: CryptoBackend): Uint8Array {
  const r = espEncapsulate(sa, inner, be);
  if (!r.ok) throw new Error(r.message);
  return r.packet;
}

describe.each(TRANSFORMS.map((t) => [t.name, t] as const))('ESP in UDP, %s', (_name, t) => {
  it.each(BACKENDS.map((b) => [b.name, b] as const))('%s: UDP around the plain ESP packet, and back', (_b, be) => {
    const udpEnds = ends(t, PORTS);
    const plainEnds = ends(t, null);
    for (const len of [28, 61, 200, 1400]) {
      const inner = innerPacket(len, len);
      const wrapped = seal(udpEnds.out, inner, be);
      const plain = seal(plainEnds.out, inner, be);
      expect(wrapped.length).toBe(plain.length + 8);
      const o = ipv4.parse(wrapped);
      if (!o.ok) throw new Error(o.error.message);
      // Outer header: UDP, the SA's addresses, the whole length, TOS and DF as plain ESP has them, a valid checksum.
      expect(o.value.protocol).toBe(17);
      expect([o.value.src, o.value.dst]).toEqual([GATEWAY, NAT_PUBLIC]);
      expect(o.value.payloadLength).toBe(wrapped.length - 20);
      expect([o.value.tos, o.value.dontFragment, o.value.ttl, o.value.identification]).toEqual([plain[1], (plain[6]! & 0x40) !== 0, plain[8], (plain[4]! << 8) | plain[5]!]);
      expect(internetChecksum(wrapped, 0, 20)).toBe(0);
      // UDP header: the SA's ports, the datagram's length, checksum zero (RFC 3948 §2.1).
      const u = udp.parse(wrapped.subarray(20), GATEWAY, NAT_PUBLIC);
      if (!u.ok) throw new Error(u.error.message);
      expect([u.value.srcPort, u.value.dstPort, u.value.checksummed]).toEqual([4500, 61731, false]);
      expect(u.value.payload.length).toBe(wrapped.length - 28);
      // The ESP packet itself is byte for byte the plain SA's (same keys, sequence numbers and IVs).
      expect(toHex(u.value.payload)).toBe(toHex(plain.subarray(20)));
      const d = espDecapsulate(udpEnds.sad, wrapped, be);
      if (!d.ok) throw new Error(`${d.drop}: ${d.message}`);
      expect(toHex(d.inner)).toBe(toHex(inner));
    }
  });
});

describe('ESP in UDP: what the receiver refuses', () => {
  const t = TRANSFORMS.find((x) => x.name === 'aes256-sha1')!;
  const be = CRYPTO_BACKENDS.node;

  it('plain ESP for an SA set up as ESP in UDP, and ESP in UDP for a plain SA', () => {
    const udpEnds = ends(t, PORTS);
    const plainEnds = ends(t, null);
    const inner = innerPacket(100, 1);
    const plainPacket = seal(plainEnds.out, inner, be);
    const udpPacket = seal(udpEnds.out, inner, be);
    const a = espDecapsulate(udpEnds.sad, plainPacket, be);
    expect(a.ok).toBe(false);
    if (!a.ok) {
      expect(a.drop).toBe('malformed');
      expect(a.message).toContain('plain ESP for SA gw1-hq#1/out, which IKE set up as ESP in UDP');
    }
    const b = espDecapsulate(plainEnds.sad, udpPacket, be);
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.message).toContain('ESP in UDP for SA gw1-hq#1/out, which IKE set up as plain ESP');
    // Neither refusal moved a window: the right packets still open.
    expect(espDecapsulate(udpEnds.sad, udpPacket, be).ok).toBe(true);
    expect(espDecapsulate(plainEnds.sad, plainPacket, be).ok).toBe(true);
  });

  /** An IPv4/UDP datagram 4500 → 4500 carrying `payload`. */
  function datagram(payload: Uint8Array): Uint8Array {
    const u = { srcPort: 4500, dstPort: 4500, checksummed: false, payload };
    const body = new Uint8Array(udp.bufferLen(u));
    udp.emit(u, body, 0, GATEWAY, NAT_PUBLIC);
    return ipv4.build(ipv4.ipv4Repr({ src: GATEWAY, dst: NAT_PUBLIC, protocol: 17, payloadLength: body.length }), body);
  }

  it('IKE after the non-ESP marker, a NAT-T keepalive, a short or mislabelled UDP header, another protocol', () => {
    const { sad } = ends(t, PORTS);
    const cases: [Uint8Array, string][] = [
      [datagram(new Uint8Array(40)), 'the zero non-ESP marker: IKE, not ESP'],
      [datagram(Uint8Array.of(0xff)), 'a NAT-T keepalive (one 0xff byte), not ESP'],
      [ipv4.build(ipv4.ipv4Repr({ src: GATEWAY, dst: NAT_PUBLIC, protocol: 17, payloadLength: 6 }), new Uint8Array(6)), 'UDP header: 6 bytes, needs 8'],
      [ipv4.build(ipv4.ipv4Repr({ src: GATEWAY, dst: NAT_PUBLIC, protocol: 6, payloadLength: 40 }), new Uint8Array(40)), 'outer protocol 6 is neither ESP (50) nor UDP (17: ESP in UDP)'],
    ];
    const wrongLength = datagram(new Uint8Array(40).fill(1));
    wrongLength[25] = 20;
    cases.push([wrongLength, 'UDP length 20 is not the datagram\'s 48 bytes']);
    for (const [bytes, message] of cases) {
      const d = espDecapsulate(sad, bytes, be);
      expect(d.ok, message).toBe(false);
      if (!d.ok) expect([d.drop, d.message]).toEqual(['malformed', message]);
    }
  });
});
