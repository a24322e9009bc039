/**
 * The two ways IKE stretches a PRF into more key material than one output: IKEv2's prf+
 * (RFC 7296 §2.13) and IKEv1's counterless chain (RFC 2409 §5.5, the Quick Mode KEYMAT
 * expansion; strongSwan's `prf_plus_create(prf, FALSE, seed)`).
 *
 * Owns only the iteration. prf+: T1 = prf(K, S ‖ 0x01), Tn = prf(K, Tn-1 ‖ S ‖ n); refuses
 * (RangeError) more than 255 blocks, where the one-byte counter would wrap, as RFC 7296
 * §2.13 says. The IKEv1 chain: K1 = prf(K, S), Kn = prf(K, Kn-1 ‖ S), no counter and no
 * limit. Lengths come from the algorithm tables, never from a peer, so a wrong length is
 * the caller's mistake. The PRF is the backend's HMAC over `hash`.
 */
import { HASH_LENGTHS, type CryptoBackend, type HashName } from '../ipsec/crypto.js';
import { concatBytes } from '../wire/bytes.js';

/** The most blocks prf+ gives (its counter is one byte, starting at 1). */
export const PRF_PLUS_MAX_BLOCKS = 255;

function checkLength(length: number): void {
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`key material length ${String(length)} is not a whole number of bytes`);
}

/** prf+(key, seed), the first `length` bytes (RFC 7296 §2.13). */
export function prfPlus(be: CryptoBackend, hash: HashName, key: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  checkLength(length);
  const blockLength = HASH_LENGTHS[hash];
  const blocks = Math.ceil(length / blockLength);
  if (blocks > PRF_PLUS_MAX_BLOCKS) throw new RangeError(`prf+ gives at most ${PRF_PLUS_MAX_BLOCKS} blocks (${PRF_PLUS_MAX_BLOCKS * blockLength} bytes with HMAC-${hash}); ${length} bytes asked`);
  const out = new Uint8Array(length);
  let t: Uint8Array = new Uint8Array(0);
  for (let n = 1; n <= blocks; n++) {
    t = be.prf(hash, key, concatBytes([t, seed, Uint8Array.of(n)]));
    out.set(t.subarray(0, Math.min(blockLength, length - (n - 1) * blockLength)), (n - 1) * blockLength);
  }
  return out;
}

/** IKEv1's chain K1 ‖ K2 ‖ …, K1 = prf(key, seed), Kn = prf(key, Kn-1 ‖ seed), the first `length` bytes (RFC 2409 §5.5). */
export function prfChainV1(be: CryptoBackend, hash: HashName, key: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  checkLength(length);
  const blockLength = HASH_LENGTHS[hash];
  const out = new Uint8Array(length);
  let k: Uint8Array = new Uint8Array(0);
  for (let o = 0; o < length; o += blockLength) {
    k = be.prf(hash, key, concatBytes([k, seed]));
    out.set(k.subarray(0, Math.min(blockLength, length - o)), o);
  }
  return out;
}
