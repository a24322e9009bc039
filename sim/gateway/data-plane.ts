/**
 * What the ESP nodes need from a tunnel data plane: the SA table, the per-SA wire sizes,
 * the inner packet's bytes, and seal/open of a batch packet. The nodes decide (path MTU,
 * fragmentation, the SKU bucket, anti-replay through `open`, the inbound policy); a plane
 * does the bytes. Two implementations: `EspPlane` (esp-plane.ts: real ESP bytes with a
 * crypto backend) and `SizeOnlyPlane` (below: sequence numbers only, no bytes; what the
 * forwarding benchmarks measure "without crypto").
 */
import type { PacketBatch } from '../engine/batch.js';
import type { Sad } from '../ipsec/sad.js';
import type { EspDropReason } from '../ipsec/esp.js';
import type { SecurityAssociation } from '../ipsec/sa.js';
import { PacketBytes } from './packet-bytes.js';
import type { WireSizes } from './esp-sizes.js';
import { SaSlots } from './sa-slots.js';
import type { World } from './world.js';

/** Result of opening the ESP packets of one batch packet. */
export interface DecryptResult {
  /** 0 when the inner packet is authentic and whole; else a drop reason code. */
  reason: number;
  detail: string;
  /** World SA slot of the SA found by SPI (-1 when none). */
  sa: number;
  /** The SPI the (first) ESP packet carried. */
  spi: number;
  innerSrc: number;
  innerDst: number;
}

/** Result of opening one ESP packet that is no batch packet (an injected copy). */
export interface OpenedCopy {
  readonly ok: boolean;
  readonly seq: number;
  /** World SA slot of the SA found by SPI (-1 when none). */
  readonly sa: number;
  readonly drop: EspDropReason | '';
  readonly message: string;
}

export interface DataPlane {
  /** The run's SA slots (one per world SA), which IKE fills; `sad` and `sizes` are theirs. */
  readonly slots: SaSlots;
  /** The SAs of the run, a slot's current SA at the slot's world SA index: state and counters (kept across recompiles). */
  readonly sad: Sad;
  /** Wire sizes per SA slot. */
  readonly sizes: WireSizes;
  /** The inner packet of slot `i` as bytes (scratch, valid until the next call). */
  innerBytes(b: PacketBatch, i: number): Uint8Array;
  /**
   * Take batch packet `i`'s sequence numbers on `sa` (the SA its slot holds, as the
   * encrypt node found it: one per fragment of `fragments`, or one for the whole packet
   * when null), set `b.espSeq` and `b.espCount`, and build the ESP bytes when this plane
   * builds them. 0, or a drop reason code with `out.detail`.
   */
  seal(b: PacketBatch, i: number, sa: SecurityAssociation, fragments: Uint8Array[] | null, out: { detail: string }): number;
  /** Finish the ESP bytes of every `seal` so far (a plane may seal a batch's packets together). */
  finishSeals(): void;
  /** The ESP packets of slot `i` on the wire (null: this plane built none for it). */
  wire(i: number): Uint8Array[] | null;
  /** Open what arrived for slot `i` into `r` (reason 0: inner addresses set). */
  open(b: PacketBatch, i: number, r: DecryptResult): void;
  /** Open one ESP packet that is no batch packet (an injected copy). */
  openCopy(bytes: Uint8Array): OpenedCopy;
}

/**
 * A data plane of sequence numbers only: no bytes, the inner addresses passed through
 * unchanged, nothing to tamper with, every tunnel up. For benchmarks of forwarding without
 * crypto or a control plane.
 */
export class SizeOnlyPlane implements DataPlane {
  declare readonly slots: SaSlots;
  declare readonly sad: Sad;
  declare readonly sizes: WireSizes;
  private readonly bytes = new PacketBytes();

  /** Every slot has an SA from the start (zero keys where IKE would negotiate them). */
  constructor(world: World) {
    this.slots = new SaSlots(world, 0, true);
    this.sad = this.slots.sad;
    this.sizes = this.slots.sizes;
  }

  innerBytes(b: PacketBatch, i: number): Uint8Array {
    return this.bytes.inner(b, i);
  }

  seal(b: PacketBatch, i: number, sa: SecurityAssociation, fragments: Uint8Array[] | null, _out: { detail: string }): number {
    const n = fragments ? fragments.length : 1;
    b.espSeq[i] = sa.seqOut + 1;
    b.espCount[i] = n;
    sa.seqOut += n;
    return 0;
  }

  finishSeals(): void {}

  wire(_i: number): Uint8Array[] | null {
    return null;
  }

  open(b: PacketBatch, i: number, r: DecryptResult): void {
    r.reason = 0;
    r.detail = '';
    r.sa = b.sa[i]!;
    r.spi = this.sad.at(r.sa)?.spi ?? 0;
    r.innerSrc = b.src[i]!;
    r.innerDst = b.dst[i]!;
  }

  openCopy(_bytes: Uint8Array): OpenedCopy {
    return { ok: false, seq: 0, sa: -1, drop: 'unknown-spi', message: 'no ESP bytes in a size-only plane' };
  }
}
