/**
 * Deterministic SA keys and SPIs until the IKE control plane exists.
 *
 * Owns `deriveSaKeys`, the one function the IKE work replaces (IKEv2 derives KEYMAT with
 * prf+ from SKEYSEED, RFC 7296 §2.17; here the "shared secret" is the scenario seed). It is
 * HKDF-SHA256 (RFC 5869) with the seed as input keying material and the connection, the
 * SA label and the transform as context, so each SA of each connection gets its own keys
 * and SPI, and the same scenario and seed give the same bytes. Not secret: a simulator.
 * SPIs are drawn from 256..2^32-1 (RFC 4303 §2.1 reserves 0..255). HKDF is hkdf.ts's, plain
 * TypeScript, so the compiler that calls this imports nothing from Node.
 */
import { hkdfSha256 } from './hkdf.js';
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
