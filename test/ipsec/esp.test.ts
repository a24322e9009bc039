import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CRYPTO_BACKENDS } from '../../sim/ipsec/backends.js';
import type { CryptoBackend } from '../../sim/ipsec/crypto.js';
import { espDecapsulate, espEncapsulate } from '../../sim/ipsec/esp.js';
import { FixedIvSource, PrngIvSource } from '../../sim/ipsec/iv.js';
import { deriveSaKeys } from '../../sim/ipsec/keys.js';
import { SecurityAssociation } from '../../sim/ipsec/sa.js';
import { Sad } from '../../sim/ipsec/sad.js';
import { TRANSFORMS, transformByProposal, type Transform } from '../../sim/ipsec/transforms.js';
import { espSaLine } from '../../sim/ipsec/wireshark.js';
import * as ipv4 from '../../sim/wire/ipv4.js';
import * as udp from '../../sim/wire/udp.js';
import { Prng } from '../../sim/util/prng.js';
import { hex, ip, toHex } from '../wire/hex.js';

const BACKENDS: CryptoBackend[] = Object.values(CRYPTO_BACKENDS);
const GW_A = ip('203.0.113.1');
const GW_B = ip('198.51.100.7');

function innerPacket(len: number, seed = 1, df = false): Uint8Array {
  const payload = new Prng(seed, 'inner').fill(new Uint8Array(Math.max(0, len - 28)));
  const u = { srcPort: 1000, dstPort: 2000, checksummed: true, payload };
  const body = new Uint8Array(udp.bufferLen(u));
  udp.emit(u, body, 0, ip('10.1.0.4'), ip('10.2.0.5'));
  return ipv4.build(ipv4.ipv4Repr({ src: ip('10.1.0.4'), dst: ip('10.2.0.5'), protocol: 17, payloadLength: body.length, dontFragment: df, tos: 0xb8 }), body);
}

function pair(t: Transform, ivSeed = 9): { out: SecurityAssociation; sad: Sad; idx: number } {
  const k = deriveSaKeys(2016, 'vnet1-to-site1', 'out', t);
  const common = { spi: k.spi, src: GW_A, dst: GW_B, transform: t, encKey: k.encKey, authKey: k.authKey, reqid: 1, name: 'vnet1-to-site1' };
  const out = new SecurityAssociation({ ...common, direction: 'out', ivSource: t.encryption.mode === 'cbc' ? new PrngIvSource(ivSeed, 'iv') : undefined });
  const sad = new Sad();
  const r = sad.add({ ...common, direction: 'in' });
  if (!r.ok) throw new Error(r.error.message);
  return { out, sad, idx: r.value };
}

function encap(sa: SecurityAssociation, inner: Uint8Array, be: CryptoBackend): Uint8Array {
  const r = espEncapsulate(sa, inner, be);
  if (!r.ok) throw new Error(r.message);
  return r.packet;
}

describe.each(TRANSFORMS.map((t) => [t.name, t] as const))('ESP %s', (_name, t) => {
  it.each(BACKENDS.map((b) => [b.name, b] as const))('round-trips with %s at many sizes', (_b, be) => {
    const { out, sad, idx } = pair(t);
    for (let len = 20; len < 200; len += 7) {
      const inner = innerPacket(Math.max(28, len), len);
      const pkt = encap(out, inner, be);
      // Outer header: valid IPv4, proto 50, gateway → peer, DSCP copied.
      const o = ipv4.parse(pkt);
      expect(o.ok && o.value.protocol === 50 && o.value.src === GW_A && o.value.dst === GW_B && o.value.tos === 0xb8).toBe(true);
      // Encrypted part aligned to the block size (4 for NULL/GCM).
      const ctLen = pkt.length - 20 - 8 - t.encryption.ivLength - t.icvLength;
      expect(ctLen % t.encryption.padAlign).toBe(0);
      const d = espDecapsulate(sad, pkt, be);
      if (!d.ok) throw new Error(`${d.drop}: ${d.message}`);
      expect(d.saIndex).toBe(idx);
      expect(toHex(d.inner)).toBe(toHex(inner));
    }
    expect(out.packetsOut).toBe(sad.get(idx).packetsIn);
    expect(out.bytesOut).toBe(sad.get(idx).bytesIn);
  });

  it.each(BACKENDS.filter((b) => b.name !== 'node').map((b) => [b.name, b] as const))('%s gives node:crypto\'s bytes and they decrypt each other', (_b, be) => {
    const a = pair(t, 5);
    const b = pair(t, 5);
    for (let i = 0; i < 20; i++) {
      const inner = innerPacket(28 + i * 13, i);
      const pa = encap(a.out, inner, CRYPTO_BACKENDS.node);
      const pb = encap(b.out, inner, be);
      expect(toHex(pb)).toBe(toHex(pa));
      const da = espDecapsulate(b.sad, pa, be);
      const db = espDecapsulate(a.sad, pb, CRYPTO_BACKENDS.node);
      expect(da.ok && toHex(da.inner)).toBe(toHex(inner));
      expect(db.ok && toHex(db.inner)).toBe(toHex(inner));
    }
  });

  it.each(BACKENDS.map((b) => [b.name, b] as const))('tampering any ESP byte → icv-mismatch (SPI bytes → unknown-spi), and the window does not move (%s)', (_b, be) => {
    const { out, sad } = pair(t);
    const inner = innerPacket(60);
    const pkt = encap(out, inner, be);
    for (let i = 20; i < pkt.length; i++) {
      const bad = pkt.slice();
      bad[i] ^= 0x80; // (0x01 would turn sequence 1 into 0, which the replay check refuses first)
      const d = espDecapsulate(sad, bad, be);
      expect(d.ok ? 'ok' : d.drop, `byte ${i}`).toBe(i < 24 ? 'unknown-spi' : 'icv-mismatch');
    }
    // Outer header bytes: the header checksum catches them.
    for (let i = 0; i < 20; i++) {
      const bad = pkt.slice();
      bad[i] ^= 0x01;
      const d = espDecapsulate(sad, bad, be);
      expect(d.ok ? 'ok' : d.drop).toBe('malformed');
    }
    // Forged packets did not advance the window: the genuine one still goes through.
    expect(espDecapsulate(sad, pkt, be).ok).toBe(true);
  });

  it('replay → replay; wrong SPI or destination → unknown-spi; truncation → malformed', () => {
    const { out, sad } = pair(t);
    const pkt = encap(out, innerPacket(100), CRYPTO_BACKENDS.node);
    expect(espDecapsulate(sad, pkt, CRYPTO_BACKENDS.node).ok).toBe(true);
    const again = espDecapsulate(sad, pkt, CRYPTO_BACKENDS.node);
    expect(!again.ok && again.drop).toBe('replay');
    // Wrong destination: rebuild the outer header to another address.
    const o = ipv4.parse(pkt);
    if (!o.ok) throw new Error('outer');
    const moved = ipv4.build({ ...o.value, dst: GW_A }, pkt.subarray(20));
    expect(((d) => !d.ok && d.drop)(espDecapsulate(sad, moved, CRYPTO_BACKENDS.node))).toBe('unknown-spi');
    // Every truncation of the raw bytes.
    for (let n = 0; n < pkt.length; n++) {
      const d = espDecapsulate(sad, pkt.subarray(0, n), CRYPTO_BACKENDS.node);
      expect(d.ok ? 'ok' : d.drop).toBe('malformed');
    }
    // Truncations with a consistent outer header: length checks or the ICV refuse them.
    const fresh = encap(out, innerPacket(100), CRYPTO_BACKENDS.node);
    for (let n = 0; n < fresh.length - 20; n++) {
      const cut = ipv4.build({ ...o.value, payloadLength: n }, fresh.subarray(20, 20 + n));
      const d = espDecapsulate(sad, cut, CRYPTO_BACKENDS.node);
      expect(d.ok ? 'ok' : d.drop, `cut ${n}`).toMatch(n < 8 ? /malformed/ : /malformed|icv-mismatch/);
    }
  });

  it('refuses to wrap the sequence number', () => {
    const { out } = pair(t);
    out.seqOut = 0xfffffffe;
    const last = espEncapsulate(out, innerPacket(40), CRYPTO_BACKENDS.node);
    expect(last.ok && last.seq).toBe(0xffffffff);
    const over = espEncapsulate(out, innerPacket(40), CRYPTO_BACKENDS.node);
    expect(!over.ok && over.error).toBe('seq-overflow');
    expect(out.packetsOut).toBe(1);
  });
});

describe('ESP layout, checked independently of sim/ipsec', () => {
  it('AES-256-CBC/HMAC-SHA1-96: header, IV, padding 1..n, pad length, next header 4, ICV', () => {
    const t = transformByProposal('aes256-sha1');
    if (!t.ok) throw new Error('t');
    const key = hex('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
    const auth = hex('0102030405060708090a0b0c0d0e0f1011121314');
    const iv = hex('0f0e0d0c0b0a09080706050403020100');
    const sa = new SecurityAssociation({
      spi: 0x12345678, src: GW_A, dst: GW_B, direction: 'out', transform: t.value, encKey: key, authKey: auth, reqid: 1, ivSource: new FixedIvSource([iv]),
    });
    const inner = innerPacket(45, 3, true);
    const r = espEncapsulate(sa, inner, CRYPTO_BACKENDS.node, { ttl: 50, identification: 0x4242 });
    if (!r.ok) throw new Error(r.message);
    const p = r.packet;
    // 45 + 2 = 47 → aligned to 48: one pad byte.
    expect(p.length).toBe(20 + 8 + 16 + 48 + 12);
    expect(r.overhead).toBe(p.length - 45);
    expect(toHex(p.subarray(0, 20))).toMatch(/^45b800684242400032/); // TOS and DF copied from inner, length 104, TTL 50, proto 50
    expect(toHex(p.subarray(20, 28))).toBe('1234567800000001');
    // The IV on the wire is the source's block R encrypted under the SA key, chained from
    // the SA's (all-zero) starting block: IV = E_K(R ⊕ 0) (NIST SP 800-38A App. C).
    const e = createCipheriv('aes-256-ecb', key, null);
    e.setAutoPadding(false);
    const wireIv = e.update(iv);
    expect(toHex(p.subarray(28, 44))).toBe(toHex(wireIv));
    const icv = createHmac('sha1', auth).update(p.subarray(20, 92)).digest().subarray(0, 12);
    expect(toHex(p.subarray(92))).toBe(toHex(icv));
    const d = createDecipheriv('aes-256-cbc', key, wireIv);
    d.setAutoPadding(false);
    const plain = Buffer.concat([d.update(p.subarray(44, 92)), d.final()]);
    expect(toHex(plain.subarray(0, 45))).toBe(toHex(inner));
    expect(toHex(plain.subarray(45))).toBe('010104');
  });

  it('CBC IVs chain: IV_n = E_K(R_n ⊕ last ciphertext block of packet n-1), same bytes on a long-lived context and per packet', () => {
    const t = transformByProposal('aes256-sha1');
    if (!t.ok) throw new Error('t');
    const key = hex('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
    const auth = hex('0102030405060708090a0b0c0d0e0f1011121314');
    const rs = [hex('0f0e0d0c0b0a09080706050403020100'), hex('101112131415161718191a1b1c1d1e1f'), hex('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf')];
    const mk = (): SecurityAssociation => new SecurityAssociation({
      spi: 0x12345678, src: GW_A, dst: GW_B, direction: 'out', transform: t.value, encKey: key, authKey: auth, reqid: 1, ivSource: new FixedIvSource(rs),
    });
    const a = mk();
    const b = mk();
    const e = createCipheriv('aes-256-ecb', key, null);
    e.setAutoPadding(false);
    let prev = new Uint8Array(16);
    for (let n = 0; n < 3; n++) {
      const inner = innerPacket(45 + 30 * n, n);
      const pa = espEncapsulate(a, inner, CRYPTO_BACKENDS.node);
      const pb = espEncapsulate(b, inner, CRYPTO_BACKENDS.forge);
      if (!pa.ok || !pb.ok) throw new Error('encap');
      expect(toHex(pa.packet)).toBe(toHex(pb.packet));
      const x = rs[n]!.map((v, k) => v ^ prev[k]!);
      expect(toHex(pa.packet.subarray(28, 44))).toBe(toHex(e.update(x)));
      prev = pa.packet.slice(pa.packet.length - 12 - 16, pa.packet.length - 12);
    }
  });

  it('AES-128-GCM-16: nonce = salt ‖ IV (a counter), AAD = SPI ‖ seq, 16-byte tag', () => {
    const t = transformByProposal('aes128gcm16');
    if (!t.ok) throw new Error('t');
    const keymat = hex('feffe9928665731c6d6a8f9467308308cafebabe');
    const sa = new SecurityAssociation({ spi: 0xa5f8, src: GW_A, dst: GW_B, direction: 'out', transform: t.value, encKey: keymat, authKey: new Uint8Array(0), reqid: 1 });
    const inner = innerPacket(40);
    const r1 = espEncapsulate(sa, inner, CRYPTO_BACKENDS.forge);
    const r2 = espEncapsulate(sa, inner, CRYPTO_BACKENDS.forge);
    if (!r1.ok || !r2.ok) throw new Error('encap');
    const p = r2.packet;
    expect(toHex(p.subarray(20, 28))).toBe('0000a5f800000002');
    expect(toHex(r1.packet.subarray(28, 36))).toBe('0000000000000001');
    expect(toHex(p.subarray(28, 36))).toBe('0000000000000002');
    const d = createDecipheriv('aes-128-gcm', keymat.subarray(0, 16), Buffer.concat([keymat.subarray(16), p.subarray(28, 36)]), { authTagLength: 16 });
    d.setAAD(p.subarray(20, 28));
    d.setAuthTag(p.subarray(p.length - 16));
    const plain = Buffer.concat([d.update(p.subarray(36, p.length - 16)), d.final()]);
    expect(toHex(plain)).toBe(toHex(inner) + '0102' + '02' + '04');
  });

  it('refuses a bad padding or next header after a valid ICV (and still moves the window)', () => {
    const t = transformByProposal('null-sha1');
    if (!t.ok) throw new Error('t');
    const { out, sad, idx } = pair(t.value);
    const pkt = encap(out, innerPacket(41), CRYPTO_BACKENDS.node);
    const reseal = (mut: (b: Uint8Array) => void): Uint8Array => {
      const b = pkt.slice();
      mut(b);
      b.set(CRYPTO_BACKENDS.node.hmac96('sha1', out.authKey, b.subarray(20, b.length - 12)), b.length - 12);
      return b;
    };
    const nh = reseal((b) => (b[b.length - 13] = 6));
    const d1 = espDecapsulate(sad, nh, CRYPTO_BACKENDS.node);
    expect(!d1.ok && d1.drop).toBe('malformed');
    expect(sad.get(idx).replay.top).toBe(1);
    const pad = reseal((b) => (b[b.length - 15] = 9));
    expect(((d) => !d.ok && d.drop)(espDecapsulate(sad, pad, CRYPTO_BACKENDS.node))).toBe('replay');
  });
});

describe('Wireshark esp_sa line', () => {
  it('has the eight quoted fields', () => {
    const t = transformByProposal('aes128gcm16');
    if (!t.ok) throw new Error('t');
    const sa = new SecurityAssociation({
      spi: 0xc0ffee, src: GW_A, dst: GW_B, direction: 'out', transform: t.value, encKey: hex('000102030405060708090a0b0c0d0e0f10111213'), authKey: new Uint8Array(0), reqid: 1,
    });
    expect(espSaLine(sa)).toBe(
      '"IPv4","203.0.113.1","198.51.100.7","0x00c0ffee","AES-GCM with 16 octet ICV [RFC4106]","0x000102030405060708090a0b0c0d0e0f10111213","NULL",""',
    );
  });
});
