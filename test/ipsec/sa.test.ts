import { describe, expect, it } from 'vitest';
import type { SaConfig } from '../../sim/ipsec/sa.js';
import { Sad } from '../../sim/ipsec/sad.js';
import { transformByProposal } from '../../sim/ipsec/transforms.js';

const t = (() => {
  const r = transformByProposal('aes256-sha1');
  if (!r.ok) throw new Error('t');
  return r.value;
})();

function cfg(spi: number, dst: number, direction: 'in' | 'out' = 'in', reqid = 1): SaConfig {
  return { spi, src: 1, dst, direction, transform: t, encKey: new Uint8Array(32), authKey: new Uint8Array(20), reqid };
}

describe('SAD', () => {
  it('finds SAs by (SPI, destination) and returns -1 otherwise', () => {
    const sad = new Sad();
    const a = sad.add(cfg(0x1000, 10));
    const b = sad.add(cfg(0x1000, 11)); // same SPI, other local address (active-active)
    const c = sad.add(cfg(0x2000, 10));
    expect([a.ok, b.ok, c.ok]).toEqual([true, true, true]);
    expect(sad.lookup(0x1000, 10)).toBe(0);
    expect(sad.lookup(0x1000, 11)).toBe(1);
    expect(sad.lookup(0x2000, 10)).toBe(2);
    expect(sad.lookup(0x2000, 11)).toBe(-1);
    expect(sad.lookup(0x3000, 10)).toBe(-1);
  });

  it('refuses reserved SPIs, duplicates and wrong key lengths', () => {
    const sad = new Sad();
    expect(((r) => !r.ok && r.error.code)(sad.add(cfg(255, 10)))).toBe('reserved-spi');
    expect(sad.add(cfg(256, 10)).ok).toBe(true);
    expect(((r) => !r.ok && r.error.code)(sad.add(cfg(256, 10)))).toBe('duplicate-spi');
    expect(((r) => !r.ok && r.error.code)(sad.add({ ...cfg(300, 10), encKey: new Uint8Array(16) }))).toBe('bad-key-length');
  });

  it('finds the newest outbound SA by reqid and removes SAs', () => {
    const sad = new Sad();
    sad.add(cfg(0x500, 20, 'out', 7));
    const newer = sad.add(cfg(0x501, 20, 'out', 7));
    sad.add(cfg(0x600, 10, 'in', 7));
    expect(newer.ok && sad.outbound(7)).toBe(1);
    expect(sad.outbound(8)).toBe(-1);
    sad.remove(1);
    expect(sad.outbound(7)).toBe(-1);
    expect(sad.lookup(0x501, 20)).toBe(-1);
    expect(sad.at(1)).toBeNull();
    expect([...sad.entries()].map(([i]) => i)).toEqual([0, 2]);
    // Chain removal in the middle.
    const s2 = new Sad();
    s2.add(cfg(0x700, 1));
    s2.add(cfg(0x700, 2));
    s2.add(cfg(0x700, 3));
    s2.remove(1);
    expect([s2.lookup(0x700, 1), s2.lookup(0x700, 2), s2.lookup(0x700, 3)]).toEqual([0, -1, 2]);
  });
});
