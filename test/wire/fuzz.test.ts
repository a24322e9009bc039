import { describe, expect, it } from 'vitest';
import { WIRE_ERROR_CODES } from '../../sim/wire/errors.js';
import * as esp from '../../sim/wire/esp.js';
import { fragment } from '../../sim/wire/fragment.js';
import * as icmp from '../../sim/wire/icmp.js';
import * as ipv4 from '../../sim/wire/ipv4.js';
import * as tcp from '../../sim/wire/tcp.js';
import * as udp from '../../sim/wire/udp.js';
import { Prng } from '../../sim/util/prng.js';
import { hex } from './hex.js';

// Seeds: valid packets, so that mutations reach past the first checks.
const SEEDS = [
  hex('4500003c1c46400040019b1fc0a8010ac0a801010800f3c812340001101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f'),
  hex('14e90035000d92d868656c6c6f'),
  hex('9c4001bb01020304000000006002faf0e7280000020405b4'),
  hex('c0ffee010000002a0102030405060708'),
];

const decoders: [string, (b: Uint8Array) => { ok: boolean; error?: { code: string } }][] = [
  ['ipv4', (b) => ipv4.parse(b)],
  ['icmp', (b) => icmp.parse(b)],
  ['udp', (b) => udp.parse(b, 0x0a010004, 0x0a020005)],
  ['tcp', (b) => tcp.parse(b, 0x0a010004, 0x0a020005)],
  ['esp', (b) => esp.parse(b)],
  ['fragment', (b) => fragment(b, 68)],
];

describe('decoders never throw', () => {
  it('on random, mutated and truncated bytes (fixed seed)', () => {
    const prng = new Prng(20160101, 'wire-fuzz');
    const codes = new Set<string>(WIRE_ERROR_CODES);
    let accepted = 0;
    for (let i = 0; i < 6000; i++) {
      let b: Uint8Array;
      const mode = i % 3;
      if (mode === 0) {
        b = prng.fill(new Uint8Array(prng.int(80)));
        if (b.length > 0 && prng.next() < 0.5) b[0] = 0x45; // look like IPv4 more often
      } else {
        const s = prng.pick(SEEDS).slice();
        const flips = 1 + prng.int(4);
        for (let k = 0; k < flips; k++) s[prng.int(s.length)] = prng.nextU32() & 0xff;
        b = mode === 1 ? s : s.subarray(0, prng.int(s.length + 1));
      }
      for (const [name, dec] of decoders) {
        let r: { ok: boolean; error?: { code: string } };
        try {
          r = dec(b);
        } catch (e) {
          throw new Error(`${name} threw on ${Buffer.from(b).toString('hex')}: ${String(e)}`);
        }
        if (r.ok) accepted++;
        else if (name !== 'fragment') expect(codes.has(r.error!.code)).toBe(true);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });
});
