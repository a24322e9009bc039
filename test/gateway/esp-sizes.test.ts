/**
 * WireSizes (the encrypt node's per-SA wire length) computes espWireLength with a mask
 * instead of a division: both must agree on every inner length a batch can hold, for every
 * transform's shape, plain ESP and ESP in UDP. ESP in UDP's lengths are those of the packets
 * the ESP transform builds, and largestInner is the largest inner packet that fits a path
 * MTU with them. SizeOnlyPlane (the forwarding benchmarks' data plane) takes one sequence
 * number per ESP packet.
 */
import { describe, expect, it } from 'vitest';
import { PacketBatch } from '../../sim/engine/batch.js';
import { DEFAULT_TRANSFORM, espWireLength, largestInner, WireSizes } from '../../sim/gateway/esp-sizes.js';
import { shapeOf } from '../../sim/gateway/sa-slots.js';
import { CRYPTO_BACKENDS } from '../../sim/ipsec/backends.js';
import { espEncapsulate } from '../../sim/ipsec/esp.js';
import { SecurityAssociation } from '../../sim/ipsec/sa.js';
import { TRANSFORMS } from '../../sim/ipsec/transforms.js';
import type { TransformShape } from '../../sim/gateway/esp-sizes.js';
import { SizeOnlyPlane } from '../../sim/gateway/data-plane.js';
import { compileWorld } from '../../sim/scenario/compile/index.js';
import { validateScenarioFile } from '../../sim/node-host.js';
import { join } from 'node:path';

const SHAPES: TransformShape[] = [
  DEFAULT_TRANSFORM,
  { name: '3des-sha1', blockSize: 8, ivLen: 8, icvLen: 12 },
  { name: 'null-sha1', blockSize: 1, ivLen: 0, icvLen: 12 },
  { name: 'aes256gcm16', blockSize: 1, ivLen: 8, icvLen: 16 },
  { ...DEFAULT_TRANSFORM, udp: { srcPort: 4500, dstPort: 4500 } },
  { name: 'aes256gcm16', blockSize: 1, ivLen: 8, icvLen: 16, udp: { srcPort: 50123, dstPort: 4500 } },
];

describe('WireSizes', () => {
  it('gives espWireLength(shape, len) for every 16-bit length and every shape', () => {
    const sizes = new WireSizes(SHAPES);
    let bad = 0;
    SHAPES.forEach((shape, s) => {
      for (let len = 0; len < 65536; len++) if (sizes.wireLength(s, len) !== espWireLength(shape, len)) bad++;
    });
    expect(bad).toBe(0);
  });
});

describe('ESP in UDP sizes', () => {
  it('are the lengths of the packets the ESP transform builds, 8 more than plain ESP, and largestInner fits the MTU', () => {
    const udp = { srcPort: 4500, dstPort: 61000 };
    for (const t of TRANSFORMS) {
      const shape = shapeOf(t, udp);
      const sa = new SecurityAssociation({
        spi: 0x1000, src: 1, dst: 2, udpEncap: udp, direction: 'out', transform: t,
        encKey: new Uint8Array(t.encryption.keyLength), authKey: new Uint8Array(t.integrity.keyLength), reqid: 1,
      });
      for (let len = 20; len < 1500; len += 37) {
        const inner = new Uint8Array(len);
        inner[0] = 0x45;
        const r = espEncapsulate(sa, inner, CRYPTO_BACKENDS.node);
        if (!r.ok) throw new Error(r.message);
        expect(r.packet.length, `${t.name} ${len}`).toBe(espWireLength(shape, len));
        expect(espWireLength(shape, len)).toBe(espWireLength(shapeOf(t), len) + 8);
      }
      for (const mtu of [576, 1400, 1500]) {
        const most = largestInner(shape, mtu);
        expect(espWireLength(shape, most), `${t.name} mtu ${mtu}`).toBeLessThanOrEqual(mtu);
        expect(espWireLength(shape, most + Math.max(4, shape.blockSize))).toBeGreaterThan(mtu);
      }
    }
  });
});

describe('SizeOnlyPlane', () => {
  it('takes one sequence number per ESP packet and builds no bytes', () => {
    const v = validateScenarioFile(join(import.meta.dirname, '..', '..', 'scenarios', 's2s-policy-based.yaml'));
    const { world } = compileWorld(v.scenario!);
    const plane = new SizeOnlyPlane(world);
    const b = new PacketBatch(2);
    b.push(1, 2, 17, 1, 2, 100, 64, false, 0, 0, 1, false);
    b.push(1, 2, 17, 1, 2, 100, 64, false, 0, 0, 2, false);
    const out = { detail: '' };
    const sa = plane.sad.at(0)!;
    expect(plane.seal(b, 0, sa, null, out)).toBe(0);
    expect(plane.seal(b, 1, sa, [new Uint8Array(20), new Uint8Array(20)], out)).toBe(0);
    expect([b.espSeq[0], b.espCount[0], b.espSeq[1], b.espCount[1]]).toEqual([1, 1, 2, 2]);
    expect(plane.sad.get(0).seqOut).toBe(3);
    expect(plane.wire(0)).toBeNull();
  });
});
