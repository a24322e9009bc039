import { describe, expect, it } from 'vitest';
import { sumWords } from '../../sim/wire/checksum.js';
import * as icmp from '../../sim/wire/icmp.js';
import * as tcp from '../../sim/wire/tcp.js';
import * as udp from '../../sim/wire/udp.js';
import { Prng } from '../../sim/util/prng.js';
import { toHex } from './hex.js';

// A caller that knows its payload's word sum (the ESP plane's packet generator) passes it
// to emit; the bytes must be exactly those of emit computing the sum itself.
describe('emit with a known payload sum gives the same bytes', () => {
  const prng = new Prng(1071, 'payload-sum');
  const cases = Array.from({ length: 200 }, (_, k) => ({ len: k < 4 ? k : prng.range(0, 1500), src: prng.nextU32(), dst: prng.nextU32() }));

  it.each([['udp'], ['tcp'], ['icmp']] as const)('%s, 200 random payloads of 0-1500 bytes (odd lengths included)', (proto) => {
    for (const { len, src, dst } of cases) {
      const payload = prng.fill(new Uint8Array(len));
      const sum = sumWords(payload, 0, len);
      const a = new Uint8Array(len + 40);
      const b = new Uint8Array(len + 40);
      if (proto === 'udp') {
        const r = { srcPort: 4500, dstPort: prng.range(1, 65535), checksummed: true, payload };
        udp.emit(r, a, 0, src, dst);
        udp.emit(r, b, 0, src, dst, sum);
      } else if (proto === 'tcp') {
        const r = { srcPort: 443, dstPort: 50000, seq: prng.nextU32(), ack: 1, flags: 0x18, window: 65535, urgent: 0, options: new Uint8Array(0), payload };
        tcp.emit(r, a, 0, src, dst);
        tcp.emit(r, b, 0, src, dst, sum);
      } else {
        const r = { kind: 'echo-request' as const, ident: 7, seq: prng.range(0, 65535), data: payload };
        icmp.emit(r, a, 0);
        icmp.emit(r, b, 0, sum);
      }
      expect(toHex(b)).toBe(toHex(a));
    }
  });
});
