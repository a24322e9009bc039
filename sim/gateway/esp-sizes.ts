/**
 * ESP tunnel-mode sizes: the default transform and path MTU, the wire length of an inner
 * packet (for path-MTU decisions before any byte is built) and the largest inner packet a
 * path MTU allows, with the 8-byte UDP header of ESP in UDP (RFC 3948) where an SA has one.
 * Shared by the compiler and the ESP nodes.
 */
import type { EspUdpPorts } from '../ipsec/sa.js';
import { UDP_HEADER_LEN } from '../wire/udp.js';

/** ESP tunnel-mode parameters of a transform, and the SA's encapsulation, that decide the overhead. */
export interface TransformShape {
  /** strongSwan proposal name, the key of sim/ipsec/transforms.ts. */
  readonly name: string;
  readonly blockSize: number;
  readonly ivLen: number;
  readonly icvLen: number;
  /** ESP in UDP (after NAT detection saw a NAT): its ports; absent: plain ESP (IP protocol 50). */
  readonly udp?: EspUdpPorts;
}

/** Bytes a shape's encapsulation adds before the ESP header: the UDP header, or nothing. */
export function encapLength(t: TransformShape): number {
  return t.udp ? UDP_HEADER_LEN : 0;
}

/** Azure's first offer on both gateway types: ESP AES256 with HMAC-SHA1-96. */
export const DEFAULT_TRANSFORM: TransformShape = { name: 'aes256-sha1', blockSize: 16, ivLen: 16, icvLen: 12 };

/** Path MTU of the Internet path between tunnel ends when a connection gives none (Ethernet). */
export const DEFAULT_PATH_MTU = 1500;

/**
 * Size on the wire of an inner IPv4 packet of `innerLen` bytes in ESP tunnel mode:
 * outer IPv4 header (20) + UDP header when the SA has one (8) + SPI and sequence (8) + IV +
 * encrypted (inner + padding + pad length + next header, aligned to the block size) + ICV.
 */
export function espWireLength(t: TransformShape, innerLen: number): number {
  const align = Math.max(4, t.blockSize);
  const payload = Math.ceil((innerLen + 2) / align) * align;
  return 20 + encapLength(t) + 8 + t.ivLen + payload + t.icvLen;
}

/** Largest inner packet whose ESP packet fits `mtu` (what the gateway advertises as next-hop MTU). */
export function largestInner(t: TransformShape, mtu: number): number {
  const align = Math.max(4, t.blockSize);
  const room = mtu - 20 - encapLength(t) - 8 - t.ivLen - t.icvLen;
  return Math.floor(room / align) * align - 2;
}

/**
 * `espWireLength` per SA, split once into the payload alignment and the bytes around the
 * padded payload (the UDP header of an ESP-in-UDP slot among them), so the encrypt node's
 * per-packet size is a mask, not a float division and no test of the encapsulation (every
 * transform's alignment is a power of two; test/gateway checks all lengths).
 */
export class WireSizes {
  private declare readonly shapeList: TransformShape[];
  /** Per slot s: `[2s]` the payload alignment, `[2s + 1]` the bytes around the padded payload (one array: one check per packet, not two). */
  private declare readonly alignOverhead: Int32Array;

  constructor(shapes: readonly TransformShape[]) {
    this.shapeList = [...shapes];
    this.alignOverhead = new Int32Array(shapes.length * 2);
    shapes.forEach((t, s) => this.reshape(s, t));
  }

  /** The transform shape of each SA slot. */
  get shapes(): readonly TransformShape[] {
    return this.shapeList;
  }

  /** Slot `s` carries SAs of transform shape `t` from now on. */
  reshape(s: number, t: TransformShape): void {
    const a = Math.max(4, t.blockSize);
    if ((a & (a - 1)) !== 0) throw new Error(`ESP alignment ${a} is no power of two`);
    this.shapeList[s] = t;
    this.alignOverhead[2 * s] = a;
    this.alignOverhead[2 * s + 1] = 20 + encapLength(t) + 8 + t.ivLen + t.icvLen;
  }

  /** `espWireLength(shapes[s], innerLen)`. */
  wireLength(s: number, innerLen: number): number {
    const ao = this.alignOverhead;
    const a = ao[2 * s]!;
    return ao[2 * s + 1]! + ((innerLen + 2 + a - 1) & -a);
  }
}
