/**
 * Tunnel encapsulation constants and sizes. The pipeline's ENCRYPT and DECRYPT stages run
 * the real ESP transform through `EspPlane` (esp-plane.ts); this module keeps the numbers
 * both it and the compiler share: the default transform and path MTU, and the wire length
 * of an inner packet (for MTU decisions before any byte is built).
 */

/** ESP tunnel-mode parameters of a transform that decide the overhead. */
export interface TransformShape {
  /** strongSwan proposal name, the key of sim/ipsec/transforms.ts. */
  readonly name: string;
  readonly blockSize: number;
  readonly ivLen: number;
  readonly icvLen: number;
}

/** Azure's first offer on both gateway types: ESP AES256 with HMAC-SHA1-96. */
export const DEFAULT_TRANSFORM: TransformShape = { name: 'aes256-sha1', blockSize: 16, ivLen: 16, icvLen: 12 };

/** Path MTU of the Internet path between tunnel ends when a connection gives none (Ethernet). */
export const DEFAULT_PATH_MTU = 1500;

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

/** Largest inner packet whose ESP packet fits `mtu` (what the gateway advertises as next-hop MTU). */
export function largestInner(t: TransformShape, mtu: number): number {
  const align = Math.max(4, t.blockSize);
  const room = mtu - 20 - 8 - t.ivLen - t.icvLen;
  return Math.floor(room / align) * align - 2;
}
