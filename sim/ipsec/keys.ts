/**
 * Deterministic SA keys and SPIs until the IKE control plane exists.
 *
 * Owns `deriveSaKeys`, the one function the IKE work replaces (IKEv2 derives KEYMAT with
 * prf+ from SKEYSEED, RFC 7296 §2.17; here the "shared secret" is the scenario seed). It is
 * HKDF-SHA256 (RFC 5869) with the seed as input keying material and the connection, the
 * SA label and the transform as context, so each SA of each connection gets its own keys
 * and SPI, and the same scenario and seed give the same bytes. Not secret: a simulator.
 * SPIs are drawn from 256..2^32-1 (RFC 4303 §2.1 reserves 0..255).
 *
 * HKDF runs on node-forge's HMAC-SHA256 (pure JavaScript), so the compiler that calls it
 * runs in a browser too; it gives the bytes of node:crypto's hkdfSync (a test checks).
 */
import forge from 'node-forge';
import type { Transform } from './transforms.js';

/** Keys and SPI of one SA. */
export interface SaKeys {
  /** Encryption key (GCM: AES key ‖ 4-byte salt, RFC 4106 §8.1). */
  readonly encKey: Uint8Array;
  /** Integrity key (empty for GCM). */
  readonly authKey: Uint8Array;
  /** SPI, ≥ 256. */
  readonly spi: number;
}

const SALT = new TextEncoder().encode('vgwsim esp keys v1');

/** Bytes as a forge binary string (one character per byte). */
function binary(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function hmacSha256(key: string, data: string): string {
  const h = forge.hmac.create();
  h.start('sha256', key);
  h.update(data);
  return h.digest().getBytes();
}

/** HKDF-SHA256 (RFC 5869): extract a PRK from `ikm` with `salt`, expand it with `info` to `length` bytes (at most 255 * 32). */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const prk = hmacSha256(binary(salt), binary(ikm));
  const inf = binary(info);
  let t = '';
  let okm = '';
  for (let i = 1; okm.length < length; i++) {
    t = hmacSha256(prk, t + inf + String.fromCharCode(i));
    okm += t;
  }
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = okm.charCodeAt(i);
  return out;
}

/**
 * Derive the keys and SPI of one SA from the scenario seed.
 * `connection`: the connection's name; `label`: which SA ('out', 'in', or e.g. `10.1.0.0/16-10.2.0.0/16/in`).
 */
export function deriveSaKeys(seed: number, connection: string, label: string, transform: Transform): SaKeys {
  const encLen = transform.encryption.keyLength;
  const authLen = transform.integrity.keyLength;
  const ikm = new TextEncoder().encode(`seed:${seed}`);
  // NUL separators keep ("a", "bc") and ("ab", "c") apart.
  const info = new TextEncoder().encode(`${connection}\u0000${label}\u0000${transform.name}`);
  const okm = hkdfSha256(ikm, SALT, info, encLen + authLen + 4);
  const spiWord = ((okm[encLen + authLen]! << 24) | (okm[encLen + authLen + 1]! << 16) | (okm[encLen + authLen + 2]! << 8) | okm[encLen + authLen + 3]!) >>> 0;
  const spi = 256 + (spiWord % (0x100000000 - 256));
  return { encKey: okm.slice(0, encLen), authKey: okm.slice(encLen, encLen + authLen), spi };
}
