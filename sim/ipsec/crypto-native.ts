/**
 * The native backend: OpenSSL through vgwsim's own Node-API addon (native/vgw_esp.c,
 * built from source by `npm ci` with node-gyp; nothing is downloaded). Same bytes as the
 * node:crypto backend, with the per-call overhead of node:crypto gone: each SA keeps a
 * cipher context and its HMAC key's hash states. The ESP path makes one call per packet
 * (`espFramer`: framing, crypto and trailer checks in C, in place; a batch's seals may
 * queue and run together, AES-CBC chains of several SAs at once: `flushSeals`); the per-step
 * primitives serve the benchmark's floor and callers outside the ESP path.
 *
 * The addon is ESP's: IKE's primitives (full HMAC, hashes, Diffie-Hellman), called a few
 * times per exchange, are node:crypto's, forwarded.
 *
 * Owns loading the addon and mapping the `CryptoBackend` interface onto it. When the
 * addon was not built (no C compiler, or Node headers missing), `nativeCrypto` is null and
 * `nativeProblem` says why; callers fall back to node:crypto or report it. Loading never
 * throws.
 */
import { createRequire } from 'node:module';
import { GCM_TAG_LEN, HMAC96_LEN, type CryptoBackend, type EspFramer, type EspFramerSa } from './crypto.js';
import { nodeCrypto } from './crypto-node.js';
import type { CbcCipherName, GcmCipherName, HmacHashName } from './transforms.js';

/** An opaque per-key context of the addon. */
export type Handle = { readonly __vgwNative: unique symbol };

/** The addon's functions (native/vgw_esp.c). */
export interface Addon {
  cbcContext(cipher: string, key: Uint8Array, iv: Uint8Array, decrypt: boolean): Handle;
  cbcUpdate(ctx: Handle, buf: Uint8Array, start: number, end: number, out: Uint8Array, offset: number): void;
  hmacContext(hash: string, key: Uint8Array): Handle;
  hmac96(ctx: Handle, buf: Uint8Array, start: number, end: number, out: Uint8Array, offset: number): void;
  hmac96Verify(ctx: Handle, buf: Uint8Array, start: number, end: number, icv: Uint8Array, icvOffset: number): boolean;
  gcmContext(cipher: string, keyAndSalt: Uint8Array): Handle;
  gcmSeal(ctx: Handle, buf: Uint8Array, aadStart: number, aadEnd: number, ivStart: number, start: number, end: number, out: Uint8Array, offset: number): void;
  gcmOpen(ctx: Handle, buf: Uint8Array, aadStart: number, aadEnd: number, ivStart: number, start: number, end: number, out: Uint8Array, offset: number): boolean;
  espContext(cipher: string, hash: string, encKey: Uint8Array, authKey: Uint8Array, chain: Uint8Array, spi: number, src: number, dst: number): Handle;
  espSeal(ctx: Handle, inner: Uint8Array, out: Uint8Array, offset: number, seq: number, hdr: number): void;
  espSealQueued(ctx: Handle, inner: Uint8Array, out: Uint8Array, offset: number, seq: number, hdr: number): void;
  espFlush(): void;
  espOpen(ctx: Handle, buf: Uint8Array, start: number, end: number, out: Uint8Array, offset: number): number;
  espChain(ctx: Handle, out: Uint8Array): void;
  openssl(): string;
}

const ADDON_FUNCTIONS = ['cbcContext', 'cbcUpdate', 'hmacContext', 'hmac96', 'hmac96Verify', 'gcmContext', 'gcmSeal', 'gcmOpen', 'espContext', 'espSeal', 'espSealQueued', 'espFlush', 'espOpen', 'espChain', 'openssl'];
/** The interface version these bindings expect (VGW_ESP_ABI in native/vgw_esp.c). */
const ADDON_ABI = 6;

/**
 * Where node-gyp puts the addon, seen from this module: the package root is two folders
 * up from sim/ipsec (sources, under vitest) or three from dist/sim/ipsec (built).
 */
const CANDIDATES = ['../../build/Release/vgw_esp.node', '../../../build/Release/vgw_esp.node'];

function load(): { addon: Addon | null; problem: string } {
  const req = createRequire(import.meta.url);
  const problems: string[] = [];
  for (const rel of CANDIDATES) {
    let path: string;
    try {
      path = req.resolve(rel);
    } catch {
      continue; // not built at this depth
    }
    try {
      const m = req(path) as Record<string, unknown>;
      const missing = ADDON_FUNCTIONS.filter((f) => typeof m[f] !== 'function');
      if (missing.length === 0 && m['abi'] === ADDON_ABI) return { addon: m as unknown as Addon, problem: '' };
      problems.push(missing.length > 0
        ? `${path} lacks ${missing.join(', ')} (rebuild it: npm run build:native)`
        : `${path} was built from other sources (interface ${String(m['abi'])}, expected ${ADDON_ABI}): rebuild it with npm run build:native`);
    } catch (e) {
      problems.push(`${path} did not load: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  return {
    addon: null,
    problem: problems.length > 0 ? problems.join('; ') : 'the native addon is not built (build/Release/vgw_esp.node is missing: npm run build:native, which needs a C compiler, make, Python 3 and Node\'s headers)',
  };
}

const loaded = load();

/** Why the native backend is unavailable ('' when it loaded). */
export const nativeProblem: string = loaded.problem;

function cbcBytes(addon: Addon, cipher: CbcCipherName, key: Uint8Array, iv: Uint8Array, data: Uint8Array, decrypt: boolean): Uint8Array {
  const out = new Uint8Array(data.length);
  addon.cbcUpdate(addon.cbcContext(cipher, key, iv, decrypt), data, 0, data.length, out, 0);
  return out;
}

/**
 * For the per-call GCM functions (the data path uses the framer): the
 * context's key material, key ‖ the nonce's first 4 bytes as the salt, and one array
 * aad ‖ the nonce's last 8 bytes (the IV) ‖ text ‖ tag.
 */
function gcmCall(addon: Addon, cipher: GcmCipherName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, text: Uint8Array, tag: Uint8Array | null): { ctx: Handle; buf: Uint8Array; iv: number; start: number; end: number } {
  const keymat = new Uint8Array(key.length + 4);
  keymat.set(key, 0);
  keymat.set(nonce.subarray(0, 4), key.length);
  const iv = aad.length;
  const start = iv + 8;
  const end = start + text.length;
  const buf = new Uint8Array(end + GCM_TAG_LEN);
  buf.set(aad, 0);
  buf.set(nonce.subarray(4, 12), iv);
  buf.set(text, start);
  if (tag) buf.set(tag, end);
  return { ctx: addon.gcmContext(cipher, keymat), buf, iv, start, end };
}

function backend(addon: Addon): CryptoBackend {
  return {
    name: 'native',
    cbcEncrypt: (cipher, key, iv, plaintext) => cbcBytes(addon, cipher, key, iv, plaintext, false),
    cbcDecrypt: (cipher, key, iv, ciphertext) => cbcBytes(addon, cipher, key, iv, ciphertext, true),
    gcmSeal(cipher, key, nonce, aad, plaintext) {
      const g = gcmCall(addon, cipher, key, nonce, aad, plaintext, null);
      const out = new Uint8Array(plaintext.length + GCM_TAG_LEN);
      addon.gcmSeal(g.ctx, g.buf, 0, aad.length, g.iv, g.start, g.end, out, 0);
      return out;
    },
    gcmOpen(cipher, key, nonce, aad, ciphertext, tag) {
      if (tag.length !== GCM_TAG_LEN) return null;
      const g = gcmCall(addon, cipher, key, nonce, aad, ciphertext, tag);
      const out = new Uint8Array(ciphertext.length);
      return addon.gcmOpen(g.ctx, g.buf, 0, aad.length, g.iv, g.start, g.end, out, 0) ? out : null;
    },
    hmac96(hash: HmacHashName, key: Uint8Array, data: Uint8Array): Uint8Array {
      const out = new Uint8Array(HMAC96_LEN);
      addon.hmac96(addon.hmacContext(hash, key), data, 0, data.length, out, 0);
      return out;
    },
    prf: nodeCrypto.prf,
    digest: nodeCrypto.digest,
    dhPublic: nodeCrypto.dhPublic,
    dhShared: nodeCrypto.dhShared,
    flushSeals: (): void => addon.espFlush(),
    espFramer(sa: EspFramerSa): EspFramer {
      const enc = sa.transform.encryption;
      const ctx = addon.espContext(enc.cipher ?? '', sa.transform.integrity.hash ?? '', sa.encKey, sa.authKey, sa.cbcChain, sa.spi, sa.src, sa.dst);
      return {
        seal: (inner, out, offset, seq, hdr): void => addon.espSeal(ctx, inner, out, offset, seq, hdr),
        sealQueued: (inner, out, offset, seq, hdr): void => addon.espSealQueued(ctx, inner, out, offset, seq, hdr),
        open: (buf, start, end, out, offset): number => addon.espOpen(ctx, buf, start, end, out, offset),
        saveChain: (chain): void => {
          if (enc.mode === 'cbc') addon.espChain(ctx, chain);
        },
      };
    },
  };
}

/** The native backend, or null when the addon is not built (see `nativeProblem`). */
export const nativeCrypto: CryptoBackend | null = loaded.addon ? backend(loaded.addon) : null;

/** The addon itself, for the benchmarks' bare calls (floors) and the tests of its argument checks (null when not loaded). */
export const nativeAddon: Addon | null = loaded.addon;

/** The OpenSSL version the addon runs on ('' when not loaded). */
export const nativeOpenssl: string = loaded.addon ? loaded.addon.openssl() : '';
