/**
 * ESP benchmark workloads: an SA pair per transform, inner packets of one size made up
 * front, and the three ways to protect them that `vgw bench esp-*` compares:
 * - the simulator's ESP path (espEncapsulate / espDecapsulate) on each backend: the
 *   native addon, node:crypto, node-forge (pure JavaScript);
 * - for the native and node:crypto backends, the bare crypto calls that path needs for
 *   the same packets (its floor), nothing else. Native: one CBC update of the SA's
 *   long-lived context and one HMAC-96 from the key's precomputed states per packet (or
 *   one GCM seal/open on the SA's key), on byte ranges. node:crypto: one `update` of a
 *   long-lived cipher context per packet (over IV block and padded payload) and one HMAC
 *   object (update, digest) over SPI..ciphertext; decrypt the same two the other way
 *   round; GCM a cipher object per packet (a context cannot take a new nonce from
 *   JavaScript) with AAD, update, final and tag.
 *
 * Owns only setup and the loops; the clock is the caller's (cli/bench/).
 */
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import type { Cipher, CipherGCMTypes, Decipher } from 'node:crypto';
import { CRYPTO_BACKENDS } from '../ipsec/backends.js';
import { nativeAddon, type Handle } from '../ipsec/crypto-native.js';
import { GCM_NONCE_LEN, type CryptoBackend } from '../ipsec/crypto.js';
import { espDecapsulate, espEncapsulate } from '../ipsec/esp.js';
import { deriveSaKeys } from '../ipsec/keys.js';
import { SecurityAssociation } from '../ipsec/sa.js';
import { Sad } from '../ipsec/sad.js';
import { transformByProposal } from '../ipsec/transforms.js';
import type { Transform } from '../ipsec/transforms.js';
import { alignUp } from '../ipsec/transforms.js';
import { ESP_HEADER_LEN } from '../wire/esp.js';
import * as ipv4 from '../wire/ipv4.js';
import { Prng } from '../util/prng.js';

/** Transforms the ESP suites measure: Azure's default CBC offer and GCM. */
export const ESP_BENCH_TRANSFORMS = ['aes256-sha1', 'aes256gcm16'] as const;

const GW_A = 0xcb007101; // 203.0.113.1
const GW_B = 0xc6336407; // 198.51.100.7

/** In an outer packet (an IPv4 header without options, then ESP): where ESP starts, and its IV. */
const ESP_START = ipv4.IPV4_MIN_HEADER_LEN;
const IV_START = ESP_START + ESP_HEADER_LEN;

/** Everything one ESP case needs, built once. */
export class EspWorkload {
  readonly transform: Transform;
  readonly inner: Uint8Array[];
  /** The same packets encapsulated once (input of the decrypt variants). */
  readonly outer: Uint8Array[];
  private readonly keys: ReturnType<typeof deriveSaKeys>;
  private out: SecurityAssociation;
  /** The inbound side of the decrypt variants (made on first use). */
  private inSad: Sad | null = null;
  /** GCM, per packet: the padded ESP plaintext and the nonce, as the ESP path builds them (empty for CBC). */
  private readonly plain: Uint8Array[];
  private readonly nonces: Uint8Array[];
  private readonly arena = new Uint8Array(65536);
  /** The floor's long-lived CBC contexts (the ESP path keeps the same on its SA). */
  private readonly floorEnc: Cipher | null;
  private readonly floorDec: Decipher | null;

  /** `count` distinct inner IPv4/UDP packets of `size` bytes (>= 28). */
  constructor(proposal: string, size: number, count: number, seed: number) {
    const t = transformByProposal(proposal);
    if (!t.ok) throw new RangeError(t.error.message);
    this.transform = t.value;
    this.keys = deriveSaKeys(seed, 'bench', 'out', this.transform);
    this.out = this.newOutSa();
    const rng = new Prng(seed, 'bench/esp');
    this.inner = [];
    for (let i = 0; i < count; i++) {
      const payload = rng.fill(new Uint8Array(Math.max(8, size - ipv4.IPV4_MIN_HEADER_LEN)));
      this.inner.push(ipv4.build(ipv4.ipv4Repr({ src: 0x0a010004, dst: 0x0a020005, protocol: 17, payloadLength: payload.length }), payload));
    }
    const enc = this.newOutSa();
    this.outer = this.inner.map((p) => {
      const r = espEncapsulate(enc, p, CRYPTO_BACKENDS.node);
      if (!r.ok) throw new RangeError(r.message);
      return r.packet;
    });
    const enc2 = this.transform.encryption;
    const gcm = enc2.mode === 'gcm';
    this.plain = gcm
      ? this.inner.map((p) => {
        const b = new Uint8Array(alignUp(p.length + 2, enc2.padAlign));
        b.set(p);
        return b;
      })
      : [];
    if (enc2.mode === 'cbc') {
      const zero = new Uint8Array(enc2.ivLength);
      this.floorEnc = createCipheriv(enc2.cipher as string, this.keys.encKey, zero).setAutoPadding(false);
      this.floorDec = createDecipheriv(enc2.cipher as string, this.keys.encKey, zero).setAutoPadding(false);
    } else {
      this.floorEnc = null;
      this.floorDec = null;
    }
    const salt = this.out.gcmSalt;
    this.nonces = gcm
      ? this.outer.map((o) => {
        const n = new Uint8Array(GCM_NONCE_LEN);
        n.set(salt, 0);
        n.set(o.subarray(IV_START, IV_START + enc2.ivLength).subarray(0, GCM_NONCE_LEN - salt.length), salt.length);
        return n;
      })
      : [];
  }

  private newOutSa(): SecurityAssociation {
    const k = this.keys;
    return new SecurityAssociation({ spi: k.spi, src: GW_A, dst: GW_B, transform: this.transform, encKey: k.encKey, authKey: k.authKey, reqid: 1, direction: 'out', name: 'bench' });
  }

  private newSad(): Sad {
    const k = this.keys;
    const sad = new Sad();
    sad.add({ spi: k.spi, src: GW_A, dst: GW_B, transform: this.transform, encKey: k.encKey, authKey: k.authKey, reqid: 1, direction: 'in', name: 'bench', replayWindow: 1024 });
    return sad;
  }

  /** Encapsulate `count` packets (cycling) with `backend` into one reused buffer, as the data plane's arena does; returns bytes produced. */
  encrypt(backend: CryptoBackend, count: number): number {
    if (this.out.seqOut > 0xf0000000) this.out = this.newOutSa();
    let bytes = 0;
    const into = this.arena;
    for (let i = 0; i < count; i++) {
      const r = espEncapsulate(this.out, this.inner[i % this.inner.length]!, backend, { into });
      if (r.ok) bytes += r.packet.length;
    }
    return bytes;
  }

  /**
   * Decapsulate `count` packets (cycling) with `backend`. One long-lived inbound SA, as
   * a gateway keeps, whose anti-replay window is cleared before each pass of the packet
   * list so it accepts them again (a new SA per pass would also time its key schedules).
   * Returns inner bytes.
   */
  decrypt(backend: CryptoBackend, count: number): number {
    let bytes = 0;
    const sad = (this.inSad ??= this.newSad());
    const window = sad.get(0).replay;
    for (let i = 0; i < count; i++) {
      const k = i % this.outer.length;
      if (k === 0) window.reset();
      // Into a reused buffer, as the data plane decrypts.
      const r = espDecapsulate(sad, this.outer[k]!, backend, { into: this.scratch });
      if (r.ok) bytes += r.inner.length;
    }
    return bytes;
  }

  /** The native floor's per-SA contexts (made on first use). */
  private nativeCtx: { enc: Handle | null; dec: Handle | null; mac: Handle | null; gcm: Handle | null } | null = null;
  private readonly scratch = new Uint8Array(65536);

  /**
   * The native floor: the addon calls the ESP path makes on the native backend for
   * `count` packets (cycling), on the packets' own bytes, and nothing else. Returns bytes
   * processed; 0 when the addon is not built.
   */
  bareNative(direction: 'encrypt' | 'decrypt', count: number): number {
    const a = nativeAddon;
    if (!a) return 0;
    const t = this.transform;
    const enc = t.encryption;
    const hash = t.integrity.hash;
    const key = this.keys.encKey; // GCM: key ‖ salt, as the SA's context takes it
    const zero = new Uint8Array(enc.ivLength);
    const c = (this.nativeCtx ??= {
      enc: enc.mode === 'cbc' ? a.cbcContext(enc.cipher as string, key, zero, false) : null,
      dec: enc.mode === 'cbc' ? a.cbcContext(enc.cipher as string, key, zero, true) : null,
      mac: hash ? a.hmacContext(hash, this.keys.authKey) : null,
      gcm: enc.mode === 'gcm' ? a.gcmContext(enc.cipher as string, key) : null,
    });
    const out = this.scratch;
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      const k = i % this.outer.length;
      const outer = this.outer[k]!;
      const icvStart = outer.length - t.icvLength;
      const ctStart = IV_START + enc.ivLength;
      if (c.gcm) {
        // The ESP path seals in place; here the plaintext is copied out of the way first.
        if (direction === 'encrypt') a.gcmSeal(c.gcm, outer, ESP_START, IV_START, IV_START, ctStart, icvStart, out, 0);
        else a.gcmOpen(c.gcm, outer, ESP_START, IV_START, IV_START, ctStart, icvStart, out, 0);
      } else if (direction === 'encrypt') {
        // Same sizes as the ESP path: IV block + padded payload in, SPI..ciphertext MACed.
        if (c.enc) a.cbcUpdate(c.enc, outer, IV_START, icvStart, out, 0);
        if (c.mac) a.hmac96(c.mac, outer, ESP_START, icvStart, out, icvStart);
      } else {
        if (c.mac) a.hmac96Verify(c.mac, outer, ESP_START, icvStart, outer, icvStart);
        if (c.dec) a.cbcUpdate(c.dec, outer, IV_START, icvStart, out, 0);
      }
      bytes += icvStart - ESP_START;
    }
    return bytes;
  }

  /**
   * The floor: the node:crypto calls the ESP path makes for `count` packets (cycling), on
   * buffers of the same sizes, and nothing else (no header building, IV source, padding,
   * copies or checks). CBC encrypt: one update of the long-lived context over IV block and
   * padded payload, then a fresh HMAC (update, digest) over SPI..ciphertext. CBC decrypt:
   * the HMAC over SPI..ciphertext, then one update of the long-lived context over IV and
   * ciphertext. GCM: a fresh context per packet with AAD, update, final and the tag.
   */
  bareCrypto(direction: 'encrypt' | 'decrypt', count: number): number {
    const t = this.transform;
    const enc = t.encryption;
    const hash = t.integrity.hash;
    const gcm = enc.mode === 'gcm';
    const key = gcm ? this.out.gcmKey : this.keys.encKey;
    const cipher = enc.cipher as CipherGCMTypes;
    const authKey = this.keys.authKey;
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      const k = i % this.outer.length;
      const outer = this.outer[k]!;
      const icvStart = outer.length - t.icvLength;
      if (direction === 'encrypt') {
        if (gcm) {
          const c = createCipheriv(cipher, key, this.nonces[k]!, { authTagLength: 16 });
          c.setAAD(outer.subarray(ESP_START, IV_START));
          bytes += c.update(this.plain[k]!).length + c.final().length + c.getAuthTag().length;
        } else {
          // Same sizes as the ESP path: IV block + padded payload in, SPI..ciphertext MACed.
          bytes += this.floorEnc!.update(outer.subarray(IV_START, icvStart)).length;
          if (hash) bytes += createHmac(hash, authKey).update(outer.subarray(ESP_START, icvStart)).digest().length;
        }
      } else {
        if (gcm) {
          const ct = outer.subarray(IV_START + enc.ivLength, icvStart);
          const d = createDecipheriv(cipher, key, this.nonces[k]!, { authTagLength: 16 });
          d.setAAD(outer.subarray(ESP_START, IV_START));
          d.setAuthTag(outer.subarray(icvStart));
          bytes += d.update(ct).length + d.final().length;
        } else {
          if (hash) bytes += createHmac(hash, authKey).update(outer.subarray(ESP_START, icvStart)).digest().length;
          bytes += this.floorDec!.update(outer.subarray(IV_START, icvStart)).length;
        }
      }
    }
    return bytes;
  }
}
