import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CRYPTO_BACKENDS } from '../../sim/ipsec/backends.js';
import type { CryptoBackend } from '../../sim/ipsec/crypto.js';
import { nativeAddon, nativeProblem, type Addon, type Handle } from '../../sim/ipsec/crypto-native.js';
import { espDecapsulate, espEncapsulate, type DecapResult, type EncapOptions } from '../../sim/ipsec/esp.js';
import { deriveSaKeys } from '../../sim/ipsec/keys.js';
import { SecurityAssociation } from '../../sim/ipsec/sa.js';
import { Sad } from '../../sim/ipsec/sad.js';
import { TRANSFORMS, type CbcCipherName, type GcmCipherName, type Transform } from '../../sim/ipsec/transforms.js';
import { Prng } from '../../sim/util/prng.js';
import { toHex } from '../wire/hex.js';

/** The addon, or a failing test (never a skip) when it was not built. */
function addon(): Addon {
  if (!nativeAddon) throw new Error(`native addon not loaded: ${nativeProblem}`);
  return nativeAddon;
}
function native(): CryptoBackend {
  const b = CRYPTO_BACKENDS.native;
  if (!b) throw new Error(`native backend not available: ${nativeProblem}`);
  return b;
}

function sas(t: Transform, seed: number): { out: SecurityAssociation; sad: Sad } {
  const k = deriveSaKeys(seed, `conn-${seed}`, 'out', t);
  const common = { spi: k.spi, src: 0xcb007101, dst: 0xc6336407, transform: t, encKey: k.encKey, authKey: k.authKey, reqid: 1, name: `conn-${seed}`, seed };
  const out = new SecurityAssociation({ ...common, direction: 'out' });
  const sad = new Sad();
  const r = sad.add({ ...common, direction: 'in', replayWindow: 1024 });
  if (!r.ok) throw new Error(r.error.message);
  return { out, sad };
}

function innerOf(prng: Prng, len: number): Uint8Array {
  const p = prng.fill(new Uint8Array(len));
  p[0] = 0x45; // version 4, IHL 5 (ESP does not parse the inner packet; decrypt returns it as is)
  return p;
}

describe('native ESP backend against node:crypto, randomised', () => {
  it.each(TRANSFORMS.map((t) => [t.name, t] as const))('%s: 300 packets of random sizes give identical bytes over one SA, and decrypt across backends', (_n, t) => {
    const prng = new Prng(4303, t.name);
    const a = sas(t, 17);
    const b = sas(t, 17);
    for (let i = 0; i < 300; i++) {
      const inner = innerOf(prng, prng.range(20, 1500));
      const ra = espEncapsulate(a.out, inner, CRYPTO_BACKENDS.node);
      const rb = espEncapsulate(b.out, inner, native());
      if (!ra.ok || !rb.ok) throw new Error('encapsulation failed');
      expect(toHex(rb.packet), `packet ${i}`).toBe(toHex(ra.packet));
      // Every 7th packet is tampered with after the sequence number: both backends refuse it.
      const bad = i % 7 === 3 ? rb.packet.slice() : null;
      if (bad) bad[prng.range(28, bad.length - 1)] ^= 1 << prng.int(8);
      const da = espDecapsulate(b.sad, bad ?? ra.packet, native());
      const db = espDecapsulate(a.sad, bad ?? rb.packet, CRYPTO_BACKENDS.node);
      if (bad) {
        expect(da.ok ? 'ok' : da.drop).toBe('icv-mismatch');
        expect(db.ok ? 'ok' : db.drop).toBe('icv-mismatch');
      } else {
        expect(da.ok && toHex(da.inner)).toBe(toHex(inner));
        expect(db.ok && toHex(db.inner)).toBe(toHex(inner));
      }
    }
  });

  it('an SA that changes backend mid-stream keeps its CBC chain and its bytes', () => {
    const t = TRANSFORMS.find((x) => x.name === 'aes256-sha1')!;
    const prng = new Prng(1, 'switch');
    const ref = sas(t, 3);
    const mixed = sas(t, 3);
    const order = [native(), CRYPTO_BACKENDS.node, CRYPTO_BACKENDS.forge, native(), native(), CRYPTO_BACKENDS.node];
    for (let i = 0; i < 30; i++) {
      const inner = innerOf(prng, prng.range(20, 400));
      const r1 = espEncapsulate(ref.out, inner, CRYPTO_BACKENDS.node);
      const r2 = espEncapsulate(mixed.out, inner, order[i % order.length]!);
      expect(r1.ok && r2.ok && toHex(r2.packet)).toBe(r1.ok && toHex(r1.packet));
      const d = r2.ok ? espDecapsulate(ref.sad, r2.packet, order[(i + 1) % order.length]!) : null;
      expect(d?.ok && toHex(d.inner)).toBe(toHex(inner));
    }
  });
});

describe('native ESP backend: queued seals', () => {
  // Packets of several SAs queued in random order, flushed at random points (and by the
  // queue filling up), with a one-at-a-time seal and a backend switch now and then: every
  // packet's bytes equal node:crypto's one packet at a time on twin SAs.
  it.each(TRANSFORMS.map((t) => [t.name, t] as const))('%s: queued packets of 1-6 SAs equal one seal at a time', (_n, t) => {
    const prng = new Prng(3948, t.name);
    for (let round = 0; round < 12; round++) {
      const k = 1 + (round % 6);
      const refs = Array.from({ length: k }, (_, j) => sas(t, 40 + j));
      const queued = Array.from({ length: k }, (_, j) => sas(t, 40 + j));
      const n = round === 11 ? 700 : prng.range(1, 300);
      const pending: { got: Uint8Array; want: Uint8Array; i: number }[] = [];
      const check = (): void => {
        for (const p of pending.splice(0)) expect(toHex(p.got), `round ${round}, packet ${p.i}`).toBe(toHex(p.want));
      };
      for (let i = 0; i < n; i++) {
        const j = prng.int(k);
        const inner = innerOf(prng, prng.range(20, 1500));
        const want = espEncapsulate(refs[j]!.out, inner, CRYPTO_BACKENDS.node);
        const roll = prng.int(40);
        // Mostly queued; sometimes one at a time on the native backend, or on node:crypto
        // (the SA's chain moves to the other backend and back).
        const backend = roll === 0 ? CRYPTO_BACKENDS.node : native();
        const got = espEncapsulate(queued[j]!.out, inner, backend, roll <= 1 ? {} : { queue: true });
        if (!want.ok || !got.ok) throw new Error('encapsulation failed');
        pending.push({ got: got.packet, want: want.packet, i });
        if (roll === 2) {
          native().flushSeals!();
          check();
        }
      }
      native().flushSeals!();
      check();
    }
  });

  it('reading a queued SA\'s chain finishes its seals first', () => {
    const a = addon();
    const out = new Uint8Array(2048);
    const inner = new Uint8Array(100).fill(0x45);
    const sealOne = (queued: boolean): Uint8Array => {
      const ctx = a.espContext('aes-256-cbc', 'sha1', new Uint8Array(32).fill(7), new Uint8Array(20).fill(9), new Uint8Array(16), 1, 2, 3);
      out.fill(0);
      if (queued) a.espSealQueued(ctx, inner, out, 0, 1, 0);
      else a.espSeal(ctx, inner, out, 0, 1, 0);
      // espChain needs the chain: it finishes the queue first (so does freeing the context).
      a.espChain(ctx, new Uint8Array(16));
      return out.slice(0, 168);
    };
    expect(toHex(sealOne(true))).toBe(toHex(sealOne(false)));
  });

  it('HMAC-SHA1 and HMAC-MD5 (SHA-NI or OpenSSL inside) equal node:crypto on keys and messages of every length class', () => {
    const a = addon();
    const prng = new Prng(2104, 'hmac');
    // Keys shorter than, equal to and longer than the 64-byte block (hashed first); messages
    // across the one- and two-block tail boundaries (55, 56, 64 bytes) and long ones.
    for (const hash of ['sha1', 'md5'] as const) {
      for (const klen of [0, 1, 20, 63, 64, 65, 100]) {
        const key = prng.fill(new Uint8Array(klen));
        const ctx = a.hmacContext(hash, key);
        for (let len = 0; len < 200 + 40; len++) {
          const n = len < 200 ? len : prng.range(200, 3000);
          const data = prng.fill(new Uint8Array(n + 3));
          const out = new Uint8Array(12);
          a.hmac96(ctx, data, 3, 3 + n, out, 0);
          const want = createHmac(hash, key).update(data.subarray(3, 3 + n)).digest().subarray(0, 12);
          expect(toHex(out), `${hash} key ${klen} message ${n}`).toBe(toHex(want));
        }
      }
    }
  });

  it('espFlush with nothing queued does nothing', () => {
    expect(() => addon().espFlush()).not.toThrow();
  });
});

/**
 * Re-encrypt packet `p` of SA `sa` with its plaintext changed by `mut` (same IV, fresh ICV),
 * with node:crypto's per-call primitives: a packet only a broken sender would send.
 */
function reseal(sa: SecurityAssociation, p: Uint8Array, mut: (plain: Uint8Array) => void): Uint8Array {
  const node = CRYPTO_BACKENDS.node;
  const t = sa.transform;
  const enc = t.encryption;
  const iv = p.subarray(28, 28 + enc.ivLength);
  const ctEnd = p.length - t.icvLength;
  const ct = p.subarray(28 + enc.ivLength, ctEnd);
  const out = p.slice();
  if (enc.mode === 'gcm') {
    const cipher = enc.cipher as GcmCipherName;
    const nonce = new Uint8Array([...sa.gcmSalt, ...iv]);
    const plain = node.gcmOpen(cipher, sa.gcmKey, nonce, p.subarray(20, 28), ct, p.subarray(ctEnd));
    if (!plain) throw new Error('reseal: tag');
    mut(plain);
    out.set(node.gcmSeal(cipher, sa.gcmKey, nonce, p.subarray(20, 28), plain), 28 + enc.ivLength);
    return out;
  }
  const cipher = enc.cipher as CbcCipherName;
  const plain = enc.mode === 'cbc' ? node.cbcDecrypt(cipher, sa.encKey, iv, ct) : ct.slice();
  mut(plain);
  out.set(enc.mode === 'cbc' ? node.cbcEncrypt(cipher, sa.encKey, iv, plain) : plain, 28 + enc.ivLength);
  out.set(node.hmac96(t.integrity.hash!, sa.authKey, out.subarray(20, ctEnd)), ctEnd);
  return out;
}

/** A decapsulation result as comparable text. */
function verdict(d: DecapResult): string {
  return d.ok ? `ok ${d.saIndex} ${d.seq} ${toHex(d.inner)}` : `${d.drop} ${d.saIndex} ${d.seq} ${d.message}`;
}

describe('native ESP framer (the whole transform in C) against esp.ts\'s framing, randomised', () => {
  it.each(TRANSFORMS.map((t) => [t.name, t] as const))('%s: same bytes for random sizes and outer-header options; same verdicts on resealed bad trailers and tampering', (_n, t) => {
    const prng = new Prng(1624, t.name);
    const a = sas(t, 29);
    const b = sas(t, 29);
    const dfs = [undefined, 'copy', 'set', 'clear'] as const;
    for (let i = 0; i < 400; i++) {
      // Tiny inners too: the outer TOS and DF are copied only from bytes that exist.
      const len = i < 12 ? i : prng.range(0, 1500);
      const inner = prng.fill(new Uint8Array(len));
      const opts: EncapOptions = {
        ...(prng.int(2) ? { ttl: prng.int(256) } : {}),
        ...(prng.int(2) ? { identification: prng.int(65536) } : {}),
        ...(prng.int(2) ? { df: prng.pick(dfs) } : {}),
        ...(prng.int(2) ? { into: new Uint8Array(prng.range(1000, 1700)) } : {}),
      };
      const ra = espEncapsulate(a.out, inner, CRYPTO_BACKENDS.node, opts);
      const rb = espEncapsulate(b.out, inner, native(), opts);
      if (!ra.ok || !rb.ok) throw new Error('encapsulation failed');
      expect(toHex(rb.packet), `packet ${i}`).toBe(toHex(ra.packet));
      expect(rb.overhead).toBe(ra.overhead);
      // What arrives: the packet, a tampered copy, or one resealed with a broken trailer.
      let p: Uint8Array = ra.packet.slice();
      const kind = i % 5;
      if (kind === 1) p[prng.range(20, p.length - 1)] ^= 1 << prng.int(8);
      else if (kind === 2) p = reseal(a.out, p, (x) => (x[x.length - 1] = prng.pick([59, 6, 41, prng.int(256)])));
      else if (kind === 3) p = reseal(a.out, p, (x) => (x[x.length - 2] = prng.int(256)));
      else if (kind === 4) p = reseal(a.out, p, (x) => {
        const pad = x[x.length - 2]!;
        if (pad > 0) x[x.length - 3 - prng.int(pad)] ^= 1 + prng.int(255);
      });
      const into = prng.int(2) ? { into: new Uint8Array(2048) } : {};
      const da = espDecapsulate(a.sad, p, CRYPTO_BACKENDS.node, into);
      const db = espDecapsulate(b.sad, p, native(), into.into ? { into: new Uint8Array(2048) } : {});
      expect(verdict(db), `packet ${i} (${kind})`).toBe(verdict(da));
      expect(b.sad.get(0).replay.top).toBe(a.sad.get(0).replay.top);
    }
    const sa = a.sad.get(0);
    const sb = b.sad.get(0);
    expect([sb.packetsIn, sb.bytesIn, b.out.packetsOut, b.out.bytesOut]).toEqual([sa.packetsIn, sa.bytesIn, a.out.packetsOut, a.out.bytesOut]);
    expect(sa.packetsIn).toBeGreaterThan(60);
  });
});

describe('native addon refuses misuse with an exception, never a crash', () => {
  const key32 = new Uint8Array(32);
  const iv16 = new Uint8Array(16);
  const wrong = [undefined, null, 1, 'x', {}, [], new Uint16Array(4), new Float64Array(2)];

  it('checks context arguments', () => {
    const a = addon();
    expect(() => a.cbcContext('aes-256-gcm', key32, iv16, false)).toThrow(/not a CBC cipher/);
    expect(() => a.cbcContext('rc4', key32, iv16, false)).toThrow(TypeError);
    expect(() => a.cbcContext('aes-256-cbc', key32.subarray(0, 31), iv16, false)).toThrow(/key or IV length/);
    expect(() => a.cbcContext('aes-256-cbc', key32, iv16.subarray(1), false)).toThrow(/key or IV length/);
    expect(() => a.gcmContext('aes-128-gcm', key32)).toThrow(/key length/);
    expect(() => a.gcmContext('aes-256-gcm', key32)).toThrow(/4-byte salt/); // the salt is missing
    expect(() => a.hmacContext('sha256', key32)).toThrow(/sha1 or md5/);
    for (const w of wrong) {
      expect(() => a.cbcContext(w as unknown as string, key32, iv16, false)).toThrow(TypeError);
      expect(() => a.cbcContext('aes-256-cbc', w as unknown as Uint8Array, iv16, false)).toThrow(TypeError);
      expect(() => a.hmacContext('sha1', w as unknown as Uint8Array)).toThrow(TypeError);
    }
  });

  it('checks ranges, output room, overlap and the context kind', () => {
    const a = addon();
    const cbc = a.cbcContext('aes-256-cbc', key32, iv16, false);
    const mac = a.hmacContext('sha1', new Uint8Array(20));
    const gcm = a.gcmContext('aes-256-gcm', new Uint8Array(36));
    const buf = new Uint8Array(64);
    expect(() => a.cbcUpdate(cbc, buf, 0, 15, buf, 32)).toThrow(/multiple of the block size/);
    expect(() => a.cbcUpdate(cbc, buf, 0, 32, new Uint8Array(31), 0)).toThrow(/out too small/);
    expect(() => a.cbcUpdate(cbc, buf, 0, 32, buf, 48)).toThrow(/out too small/);
    expect(() => a.cbcUpdate(cbc, buf, 0, 32, buf, 16)).toThrow(/overlaps/);
    expect(() => a.cbcUpdate(cbc, buf, 32, 16, buf, 0)).toThrow(TypeError); // start > end
    expect(() => a.cbcUpdate(cbc, buf, 32, 80, new Uint8Array(64), 0)).toThrow(TypeError); // end > length
    expect(() => a.cbcUpdate(cbc, buf, -16, 16, new Uint8Array(64), 0)).toThrow(TypeError);
    expect(() => a.cbcUpdate(mac, buf, 0, 32, buf, 32)).toThrow(TypeError);
    expect(() => a.cbcUpdate({} as Handle, buf, 0, 32, buf, 32)).toThrow(TypeError);
    expect(() => a.hmac96(mac, buf, 0, 64, buf, 60)).toThrow(TypeError);
    expect(() => a.hmac96(gcm, buf, 0, 64, buf, 0)).toThrow(TypeError);
    expect(() => a.hmac96Verify(mac, buf, 0, 40, buf, 53)).toThrow(TypeError);
    expect(() => a.gcmSeal(gcm, buf, 0, 8, 60, 16, 24, new Uint8Array(80), 0)).toThrow(TypeError); // the IV runs past the end
    expect(() => a.gcmSeal(gcm, buf, 0, 8, 8, 16, 24, new Uint8Array(23), 0)).toThrow(TypeError);
    expect(() => a.gcmSeal(gcm, buf, 0, 8, 8, 16, 24, buf, 20)).toThrow(/overlaps/);
    expect(() => a.gcmOpen(gcm, buf, 0, 8, 8, 16, 56, new Uint8Array(64), 0)).toThrow(TypeError); // no room for the tag
    expect(() => a.gcmOpen(gcm, buf, 0, 8, 8, 16, 24, new Uint8Array(7), 0)).toThrow(TypeError);
    for (const w of wrong) {
      expect(() => a.cbcUpdate(cbc, w as unknown as Uint8Array, 0, 16, buf, 0)).toThrow(TypeError);
      expect(() => a.cbcUpdate(cbc, buf, 0, 16, buf, w as unknown as number)).toThrow(TypeError);
      expect(() => a.hmac96Verify(mac, buf, 0, 16, w as unknown as Uint8Array, 0)).toThrow(TypeError);
      expect(() => a.gcmOpen(gcm, buf, 0, 8, 8, 16, w as unknown as number, new Uint8Array(64), 0)).toThrow(TypeError);
    }
    // In place is allowed: CBC over its own bytes, then back.
    const copy = buf.slice();
    a.cbcUpdate(cbc, buf, 0, 64, buf, 0);
    expect(toHex(buf)).not.toBe(toHex(copy));
    const dec = a.cbcContext('aes-256-cbc', key32, iv16, true);
    a.cbcUpdate(dec, buf, 0, 64, buf, 0);
    expect(toHex(buf)).toBe(toHex(copy));
    // GCM in place (AAD 0-8, IV 8-16, text 16-40, tag 40-56), then open: the text comes back;
    // a flipped tag bit or IV bit is refused.
    const g = new Uint8Array(64).fill(9);
    const plain = g.slice(16, 40);
    a.gcmSeal(gcm, g, 0, 8, 8, 16, 40, g, 16);
    const back = new Uint8Array(24);
    expect(a.gcmOpen(gcm, g, 0, 8, 8, 16, 40, back, 0)).toBe(true);
    expect(toHex(back)).toBe(toHex(plain));
    g[50] ^= 4;
    expect(a.gcmOpen(gcm, g, 0, 8, 8, 16, 40, back, 0)).toBe(false);
    g[50] ^= 4;
    g[9] ^= 1;
    expect(a.gcmOpen(gcm, g, 0, 8, 8, 16, 40, back, 0)).toBe(false);
  });

  it('checks the ESP framer\'s arguments, room and overlap', () => {
    const a = addon();
    const key36 = new Uint8Array(36);
    const none = new Uint8Array(0);
    expect(() => a.espContext('aes-256-gcm', 'sha1', key36, none, none, 256, 1, 2)).toThrow(/GCM takes no hash/);
    expect(() => a.espContext('aes-256-cbc', '', key32, none, iv16, 256, 1, 2)).toThrow(/need one/);
    expect(() => a.espContext('', '', none, none, none, 256, 1, 2)).toThrow(/need one/);
    expect(() => a.espContext('rc4', 'sha1', key32, key32, iv16, 256, 1, 2)).toThrow(/unknown cipher/);
    expect(() => a.espContext('aes-256-cbc', 'sha1', key32, new Uint8Array(20), iv16.subarray(1), 256, 1, 2)).toThrow(/IV length/);
    expect(() => a.espContext('', 'sha1', key32, new Uint8Array(20), none, 256, 1, 2)).toThrow(/takes no key/);
    expect(() => a.espContext('aes-256-gcm', '', key32, none, none, 256, 1, 2)).toThrow(/4-byte salt/);
    for (const w of wrong.filter((x) => typeof x !== 'number')) expect(() => a.espContext('aes-256-gcm', '', key36, none, none, w as unknown as number, 1, 2)).toThrow(TypeError);
    const cbc = a.espContext('aes-256-cbc', 'sha1', key32, new Uint8Array(20), iv16, 256, 1, 2);
    const gcm = a.espContext('aes-256-gcm', '', key36, none, none, 256, 1, 2);
    const inner = new Uint8Array(40);
    // 40 + 2 → 48 bytes padded: 20 + 8 + 16 + 48 + 12 = 104 bytes (GCM: 20 + 8 + 8 + 44 + 16 = 96).
    expect(() => a.espSeal(cbc, inner, new Uint8Array(103), 0, 1, 0)).toThrow(/out too small/);
    expect(() => a.espSeal(cbc, inner, new Uint8Array(110), 7, 1, 0)).toThrow(/out too small/);
    expect(() => a.espSeal(cbc, inner, new Uint8Array(104), 0, 1, 3)).toThrow(TypeError); // DF mode 3
    expect(() => a.espSeal(cbc, new Uint8Array(65500), new Uint8Array(65536), 0, 1, 0)).toThrow(/65535/);
    const shared = new Uint8Array(300);
    expect(() => a.espSeal(cbc, shared.subarray(100, 140), shared, 50, 1, 0)).toThrow(/overlaps/);
    expect(() => a.espSeal(gcm, inner, new Uint8Array(95), 0, 1, 0)).toThrow(/out too small/);
    expect(() => a.espSeal(a.cbcContext('aes-256-cbc', key32, iv16, false), inner, new Uint8Array(200), 0, 1, 0)).toThrow(TypeError);
    for (const w of wrong.filter((x) => typeof x !== 'number')) {
      expect(() => a.espSeal(cbc, w as unknown as Uint8Array, new Uint8Array(200), 0, 1, 0)).toThrow(TypeError);
      expect(() => a.espSeal(cbc, inner, new Uint8Array(200), 0, w as unknown as number, 0)).toThrow(TypeError);
      expect(() => a.espOpen(gcm, new Uint8Array(96), 20, w as unknown as number, new Uint8Array(96), 0)).toThrow(TypeError);
      expect(() => a.espChain(w as unknown as Handle, iv16)).toThrow(TypeError);
    }
    const pkt = new Uint8Array(104);
    a.espSeal(cbc, inner, pkt, 0, 1, 0);
    const back = new Uint8Array(64);
    expect(() => a.espOpen(cbc, pkt, 20, 103, back, 0)).toThrow(/whole blocks/); // 47 bytes of ciphertext
    expect(() => a.espOpen(cbc, pkt, 20, 104, new Uint8Array(63), 0)).toThrow(TypeError); // IV + ciphertext need 64
    expect(() => a.espOpen(cbc, pkt, 20, 104, pkt, 30)).toThrow(/overlaps/);
    expect(() => a.espOpen(cbc, pkt, 20, 120, back, 0)).toThrow(TypeError); // past the end
    expect(() => a.espOpen(cbc, new Uint8Array(70000), 0, 65572, new Uint8Array(70000), 0)).toThrow(/65535/); // 8 + 16 + 65536 + 12
    expect(a.espOpen(cbc, pkt, 20, 104, back, 0)).toBe(40);
    expect(toHex(back.subarray(16, 56))).toBe(toHex(inner));
    pkt[60] ^= 1;
    expect(a.espOpen(cbc, pkt, 20, 104, back, 0)).toBe(-1);
    expect(() => a.espChain(gcm, iv16)).toThrow(TypeError);
    expect(() => a.espChain(cbc, new Uint8Array(8))).toThrow(TypeError);
    // The chain after one packet is its last ciphertext block.
    const chain = new Uint8Array(16);
    a.espChain(cbc, chain);
    pkt[60] ^= 1;
    expect(toHex(chain)).toBe(toHex(pkt.subarray(76, 92)));
  });

  it('HMAC verify: a 12-byte ICV that differs in any bit is refused', () => {
    const a = addon();
    const mac = a.hmacContext('md5', new Uint8Array(16).fill(7));
    const data = new Uint8Array(100).fill(3);
    const icv = new Uint8Array(12);
    a.hmac96(mac, data, 0, 100, icv, 0);
    expect(a.hmac96Verify(mac, data, 0, 100, icv, 0)).toBe(true);
    expect(a.hmac96Verify(mac, data, 0, 99, icv, 0)).toBe(false);
    for (let bit = 0; bit < 96; bit++) {
      const bad = icv.slice();
      bad[bit >> 3] ^= 1 << (bit & 7);
      expect(a.hmac96Verify(mac, data, 0, 100, bad, 0)).toBe(false);
    }
  });
});
