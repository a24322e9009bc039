import { describe, expect, it } from 'vitest';
import { CRYPTO_BACKENDS } from '../../sim/ipsec/backends.js';
import { ESP_DROP_REASONS, espDecapsulate, espEncapsulate } from '../../sim/ipsec/esp.js';
import { deriveSaKeys } from '../../sim/ipsec/keys.js';
import { SecurityAssociation } from '../../sim/ipsec/sa.js';
import { Sad } from '../../sim/ipsec/sad.js';
import { TRANSFORMS } from '../../sim/ipsec/transforms.js';
import * as ipv4 from '../../sim/wire/ipv4.js';
import { Prng } from '../../sim/util/prng.js';

describe('espDecapsulate never throws', () => {
  it.each(Object.values(CRYPTO_BACKENDS).map((b) => [b.name, b] as const))('on mutated, truncated and random packets (%s)', (_n, be) => {
    const prng = new Prng(4303, `esp-fuzz-${be.name}`);
    const sad = new Sad();
    const outs: SecurityAssociation[] = [];
    for (const t of TRANSFORMS) {
      const k = deriveSaKeys(1, 'fuzz', t.name, t);
      const c = { spi: k.spi, src: 0x01020304, dst: 0x05060708, transform: t, encKey: k.encKey, authKey: k.authKey, reqid: 1 };
      outs.push(new SecurityAssociation({ ...c, direction: 'out' }));
      sad.add({ ...c, direction: 'in' });
    }
    const reasons = new Set<string>(ESP_DROP_REASONS);
    let ok = 0;
    for (let i = 0; i < 3000; i++) {
      const sa = prng.pick(outs);
      const inner = ipv4.build(ipv4.ipv4Repr({ src: 1, dst: 2, protocol: 17, payloadLength: 0 }), prng.fill(new Uint8Array(prng.int(100))));
      const r = espEncapsulate(sa, inner, be);
      if (!r.ok) throw new Error(r.message);
      let b = r.packet;
      const mode = i % 4;
      if (mode === 1) {
        b = b.slice();
        b[20 + prng.int(b.length - 20)] ^= 1 + prng.int(255);
      } else if (mode === 2) {
        // Consistent outer header, ESP part cut short or padded with junk.
        const n = prng.int(b.length - 20 + 16);
        const body = new Uint8Array(n);
        body.set(b.subarray(20, 20 + Math.min(n, b.length - 20)));
        const o = ipv4.parse(b);
        if (!o.ok) throw new Error('outer');
        b = ipv4.build({ ...o.value, payloadLength: n }, body);
      } else if (mode === 3) {
        b = prng.fill(new Uint8Array(prng.int(120)));
        if (b.length > 0) b[0] = 0x45;
      }
      const d = espDecapsulate(sad, b, be);
      if (d.ok) ok++;
      else expect(reasons.has(d.drop)).toBe(true);
    }
    expect(ok).toBeGreaterThan(500);
  });
});
