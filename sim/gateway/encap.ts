/**
 * Tunnel encapsulation constants and sizes. The pipeline's ENCRYPT and DECRYPT stages run
 * the real ESP transform through `EspPlane` (esp-plane.ts); this module keeps the numbers
 * both it and the compiler share: the default transform and path MTU, and the wire length
 * of an inner packet (for MTU decisions before any byte is built), and the `DataPlane`
 * interface the pipeline drives.
 */
import type { PacketBatch } from '../engine/batch.js';
import type { World } from './world.js';

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

/**
 * What the pipeline's ENCRYPT and DECRYPT stages need from a tunnel data plane, per batch
 * slot `i` and world SA index `s`. Two implementations: `EspPlane` (esp-plane.ts: real
 * ESP bytes, SAD, anti-replay, injections, captures) and `SizeOnlyPlane` (below: sizes and
 * sequence numbers only, no bytes — what the forwarding benchmarks measure "without crypto").
 */
export interface DataPlane {
  /** Per slot: first ESP sequence number and number of ESP packets (fragments) sent. */
  readonly firstSeq: Uint32Array;
  readonly espPackets: Uint8Array;
  /** Per slot: 1 while a reorder injection holds the packet back. */
  readonly hold: Uint8Array;
  /** Record the packet on its LAN link (captures), when the plane keeps captures. */
  captureLan(b: PacketBatch, i: number, world: World, netKind: number, net: number): void;
  /**
   * The sizes of slot `i`'s ESP packets on SA `s`, decided before anything is spent on
   * them: 0 with `b.wireLen` set, or a drop reason code with `out.detail`. Takes no
   * sequence number (the SKU bucket is charged between this and `encrypt`).
   */
  size(b: PacketBatch, i: number, s: number, world: World, out: { detail: string }): number;
  /** Encapsulate as `size` planned, taking the sequence numbers; 0, or a drop reason code with `out.detail`. */
  encrypt(b: PacketBatch, i: number, s: number, world: World, out: { detail: string }): number;
  /** Decapsulate what arrived for slot `i` into `r` (reason 0: inner addresses set). */
  decrypt(b: PacketBatch, i: number, r: DecryptResult): void;
  /** The injection that tampered with slot `i`, if any. */
  noteOf(i: number): InjectionOutcome | null;
  /** Tampered copies due on SA `s` (all when `all`), with their outcomes. */
  deliverPending(s: number, t: number, all?: boolean): readonly { inj: InjectionOutcome; reason: number; sa: number }[];
  /** Transform shape of SA `s`. */
  shape(s: number): TransformShape;
}

/** No tampered copies due (shared: asked once per decrypted packet, so no array each time). */
export const NO_COPIES: readonly { inj: InjectionOutcome; reason: number; sa: number }[] = Object.freeze([]);

/** Result of decrypting the ESP packets of one batch packet. */
export interface DecryptResult {
  /** 0 when the inner packet is authentic and whole; else a drop reason code. */
  reason: number;
  detail: string;
  /** World SA index found by SPI (-1 when none). */
  sa: number;
  innerSrc: number;
  innerDst: number;
}

/** What happened to one injection (duplicate, reorder, corrupt, replay). */
export interface InjectionOutcome {
  readonly index: number;
  readonly connection: string;
  readonly action: string;
  /** Time the tampered packet was on the wire; -1 when it never applied. */
  t: number;
  flow: number;
  packet: number;
  sa: string;
  spi: string;
  seq: number;
  /** 'not-applied' | 'held' | 'delivered' | 'dropped'. */
  result: string;
  reason?: string;
  detail: string;
}

/** SizeOnlyPlane's wire length, split once: payload alignment and the bytes around the padded payload. */
const SIZE_ALIGN = Math.max(4, DEFAULT_TRANSFORM.blockSize);
const SIZE_ALIGN_POW2 = (SIZE_ALIGN & (SIZE_ALIGN - 1)) === 0;
const SIZE_OVERHEAD = 20 + 8 + DEFAULT_TRANSFORM.ivLen + DEFAULT_TRANSFORM.icvLen;

/**
 * A data plane of sizes only: the default transform's wire length, a sequence number per
 * SA, the inner addresses passed through unchanged; no bytes, no MTU, no injections, no
 * captures. For benchmarks of forwarding without crypto.
 */
export class SizeOnlyPlane implements DataPlane {
  declare readonly firstSeq: Uint32Array;
  declare readonly espPackets: Uint8Array;
  declare readonly hold: Uint8Array;
  private declare readonly seq: Float64Array;

  constructor(world: World, capacity: number) {
    this.firstSeq = new Uint32Array(capacity);
    this.espPackets = new Uint8Array(capacity).fill(1);
    this.hold = new Uint8Array(capacity);
    this.seq = new Float64Array(world.sas.length);
  }

  captureLan(): void {}

  size(b: PacketBatch, i: number): number {
    const len = b.len[i]!;
    // espWireLength(DEFAULT_TRANSFORM, len) without its float division: lengths are integers
    // and the alignment a power of two, so rounding up is a mask (test/gateway checks all lengths).
    b.wireLen[i] = SIZE_ALIGN_POW2 ? SIZE_OVERHEAD + ((len + 2 + SIZE_ALIGN - 1) & -SIZE_ALIGN) : espWireLength(DEFAULT_TRANSFORM, len);
    return 0;
  }

  encrypt(_b: PacketBatch, i: number, s: number): number {
    this.firstSeq[i] = ++this.seq[s]!;
    return 0;
  }

  decrypt(b: PacketBatch, i: number, r: DecryptResult): void {
    r.reason = 0;
    r.detail = '';
    r.sa = b.sa[i]!;
    r.innerSrc = b.src[i]!;
    r.innerDst = b.dst[i]!;
  }

  noteOf(): InjectionOutcome | null {
    return null;
  }

  deliverPending(): readonly { inj: InjectionOutcome; reason: number; sa: number }[] {
    return NO_COPIES;
  }

  shape(): TransformShape {
    return DEFAULT_TRANSFORM;
  }
}
