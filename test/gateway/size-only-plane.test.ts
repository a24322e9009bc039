/**
 * SizeOnlyPlane (the forwarding benchmarks' data plane) computes the default transform's
 * wire length with a mask instead of espWireLength's division: both must agree on every
 * inner length a batch can hold.
 */
import { describe, expect, it } from 'vitest';
import { PacketBatch } from '../../sim/engine/batch.js';
import { DEFAULT_TRANSFORM, espWireLength, SizeOnlyPlane } from '../../sim/gateway/encap.js';
import type { World } from '../../sim/gateway/world.js';

describe('SizeOnlyPlane', () => {
  it('gives espWireLength(DEFAULT_TRANSFORM, len) for every 16-bit length', () => {
    const world = { sas: [{}] } as unknown as World;
    const plane = new SizeOnlyPlane(world, 1);
    const b = new PacketBatch(1);
    let bad = 0;
    for (let len = 0; len < 65536; len++) {
      b.clear();
      b.push(1, 2, 17, 1, 2, len, 64, false, 0, 0, 1, false);
      expect(plane.size(b, 0)).toBe(0);
      expect(plane.encrypt(b, 0, 0)).toBe(0);
      if (b.wireLen[0] !== (espWireLength(DEFAULT_TRANSFORM, len) & 0xffff)) bad++;
    }
    expect(bad).toBe(0);
    expect(plane.firstSeq[0]).toBe(65536);
  });
});
