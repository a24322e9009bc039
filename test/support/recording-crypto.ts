/**
 * Test support: a CryptoBackend that hands every call to a real backend and records the
 * calls a test needs to see what the simulator computed: each PRF call (HMAC key, data,
 * output) and each Diffie-Hellman shared secret (the peer's public value and the secret).
 * A run is handed this backend as its `crypto` (the simulator takes crypto only from its
 * caller), so nothing in sim/ changes for it.
 *
 * Owns the recording only. Leaves out the optional whole-packet paths (espFramer,
 * cbcStream): without them ESP runs packet by packet on the primitives, same bytes
 * (sim/ipsec/crypto.ts), so the recorded run is the run the CLI makes.
 */
import type { CryptoBackend, HashName, ModpGroup } from '../../sim/ipsec/crypto.js';

export interface PrfCall {
  readonly hash: HashName;
  readonly key: Uint8Array;
  readonly data: Uint8Array;
  readonly out: Uint8Array;
}

export interface DhSharedCall {
  readonly group: number;
  readonly peerPublic: Uint8Array;
  readonly secret: Uint8Array;
}

export interface RecordingCrypto {
  readonly backend: CryptoBackend;
  readonly prfCalls: PrfCall[];
  readonly dhShared: DhSharedCall[];
}

/** `inner` with its PRF and DH-shared calls recorded (copies of the bytes, as they were at the call). */
export function recordingCrypto(inner: CryptoBackend): RecordingCrypto {
  const prfCalls: PrfCall[] = [];
  const dhShared: DhSharedCall[] = [];
  const backend: CryptoBackend = {
    name: inner.name,
    cbcEncrypt: (c, k, iv, p) => inner.cbcEncrypt(c, k, iv, p),
    cbcDecrypt: (c, k, iv, p) => inner.cbcDecrypt(c, k, iv, p),
    gcmSeal: (c, k, n, a, p) => inner.gcmSeal(c, k, n, a, p),
    gcmOpen: (c, k, n, a, p, t) => inner.gcmOpen(c, k, n, a, p, t),
    hmac96: (h, k, d) => inner.hmac96(h, k, d),
    prf: (hash: HashName, key: Uint8Array, data: Uint8Array) => {
      const out = inner.prf(hash, key, data);
      prfCalls.push({ hash, key: key.slice(), data: data.slice(), out: out.slice() });
      return out;
    },
    digest: (h, d) => inner.digest(h, d),
    dhPublic: (g, priv) => inner.dhPublic(g, priv),
    dhShared: (group: ModpGroup, priv: Uint8Array, peerPublic: Uint8Array) => {
      const secret = inner.dhShared(group, priv, peerPublic);
      if (secret) dhShared.push({ group: group.id, peerPublic: peerPublic.slice(), secret: secret.slice() });
      return secret;
    },
  };
  return { backend, prfCalls, dhShared };
}
