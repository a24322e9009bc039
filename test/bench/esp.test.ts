import { describe, expect, it } from 'vitest';
import { ESP_BENCH_TRANSFORMS, EspWorkload } from '../../sim/bench/esp.js';
import { nativeAddon } from '../../sim/ipsec/crypto-native.js';

describe('EspWorkload floors', () => {
  it.each(ESP_BENCH_TRANSFORMS)('%s: the bare node:crypto floor opens what the ESP path sealed (same key, nonces and sizes)', (proposal) => {
    const w = new EspWorkload(proposal, 200, 4, 1);
    const gcm = w.transform.encryption.mode === 'gcm';
    // GCM decrypt throws on a wrong key, nonce or AAD (final() checks the tag).
    const dec = w.bareCrypto('decrypt', 8);
    const enc = w.bareCrypto('encrypt', 8);
    // 200-byte inner packets: GCM pads to 204 (+ 16 tag on encrypt); CBC runs IV + 208 and a 20-byte SHA-1.
    expect([dec, enc]).toEqual(gcm ? [8 * 204, 8 * 220] : [8 * 244, 8 * 244]);
    if (nativeAddon) {
      expect(w.bareNative('decrypt', 8)).toBeGreaterThan(0);
      expect(w.bareNative('encrypt', 8)).toBeGreaterThan(0);
    }
  });
});
