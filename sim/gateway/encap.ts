/**
 * The tunnel encapsulation seam. Today a tunnel carries packets as an abstract ESP
 * encapsulation: the pipeline asks this module how big the packet becomes on the wire and
 * which transform the SA uses. The real ESP transform (sim/ipsec/esp.ts) plugs in here:
 * `Encapsulation` is the interface both implement.
 */

/** ESP tunnel-mode parameters of a transform that decide the overhead. */
export interface TransformShape {
  readonly name: string;
  readonly blockSize: number;
  readonly ivLen: number;
  readonly icvLen: number;
}

/** Azure's first offer on both gateway types: ESP AES256 with HMAC-SHA1-96. */
export const DEFAULT_TRANSFORM: TransformShape = { name: 'esp-aes256-sha1', blockSize: 16, ivLen: 16, icvLen: 12 };

/**
 * Size on the wire of an inner IPv4 packet of `innerLen` bytes in ESP tunnel mode:
 * outer IPv4 header (20) + SPI and sequence (8) + IV + encrypted (inner + padding + pad
 * length + next header, aligned to the block size) + ICV.
 */
export function espWireLength(t: TransformShape, innerLen: number): number {
  const align = Math.max(4, t.blockSize);
  const payload = Math.ceil((innerLen + 2) / align) * align;
  return 20 + 8 + t.ivLen + payload + t.icvLen;
}

/** What the pipeline needs from a tunnel encapsulation. */
export interface Encapsulation {
  /** Wire length of an inner packet of `innerLen` bytes carried by SA `sa`. */
  wireLength(sa: number, innerLen: number): number;
}
