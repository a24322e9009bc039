import { describe, expect, it } from 'vitest';
import * as ipv4 from '../../sim/wire/ipv4.js';
import { Prng } from '../../sim/util/prng.js';

// check + read* (the allocation-free view the ESP path uses) must say exactly what parse says.
describe('ipv4.check and the read accessors agree with parse', () => {
  it('on valid headers (with options, fragments, DF) and on every single-byte mutation of them', () => {
    const prng = new Prng(791, 'ipv4-check');
    let valid = 0;
    let refused = 0;
    for (let k = 0; k < 300; k++) {
      const options = new Uint8Array(4 * prng.int(3)).fill(1);
      const repr = ipv4.ipv4Repr({
        src: prng.nextU32(), dst: prng.nextU32(), protocol: prng.pick([1, 4, 6, 17, 50]), payloadLength: prng.int(200),
        dontFragment: prng.int(2) === 1, moreFragments: prng.int(4) === 0, fragmentOffset: 8 * prng.int(3), options, tos: prng.int(256),
      });
      const good = ipv4.build(repr, prng.fill(new Uint8Array(repr.payloadLength)));
      const cases = [good, good.subarray(0, prng.int(good.length))];
      for (let m = 0; m < 8; m++) {
        const bad = good.slice();
        bad[prng.int(Math.min(bad.length, 24))] ^= 1 << prng.int(8);
        cases.push(bad);
      }
      for (const b of cases) {
        const p = ipv4.parse(b);
        const c = ipv4.check(b);
        if (p.ok) {
          valid++;
          expect(c).toBeNull();
          expect(ipv4.readHeaderLength(b)).toBe(20 + p.value.options.length);
          expect(ipv4.readPayloadLength(b)).toBe(p.value.payloadLength);
          expect(ipv4.readProtocol(b)).toBe(p.value.protocol);
          expect(ipv4.readIsFragment(b)).toBe(p.value.moreFragments || p.value.fragmentOffset !== 0);
          expect(ipv4.readSrc(b)).toBe(p.value.src);
          expect(ipv4.readDst(b)).toBe(p.value.dst);
        } else {
          refused++;
          expect(c).toEqual(p);
        }
      }
    }
    // Both branches were exercised many times.
    expect(valid).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(1000);
  });
});
