/**
 * The SA table of a run as its policies see it: one slot per world SA (`World.sas`, one
 * per direction of each tunnel), the slot holding the SA its sender seals with now.
 *
 * A point-to-site client's slots are filled at the start with the keys compile gave them;
 * a Site-to-Site or VNet-to-VNet slot stays empty until IKE installs a negotiated SA
 * (`install`), and a rekey installs the next one in its place: the SA it replaces moves
 * aside in the SAD, where the receiver still finds it by SPI until IKE deletes it
 * (`remove`). `slotOf` maps any SAD index back to its slot, so the receiving nodes check an
 * inner packet against the selectors of the policy the SA belongs to.
 *
 * Wire sizes are per slot and follow the transform and encapsulation of the SA installed
 * there (a negotiation may settle on another transform than the connection's; after NAT
 * detection saw a NAT its SAs are ESP in UDP, 8 bytes more on the wire).
 */
import { Sad } from '../ipsec/sad.js';
import type { EspUdpPorts, SaConfig, SecurityAssociation } from '../ipsec/sa.js';
import { transformByProposal } from '../ipsec/transforms.js';
import type { Transform } from '../ipsec/transforms.js';
import { WireSizes } from './esp-sizes.js';
import type { TransformShape } from './esp-sizes.js';
import type { World } from './world.js';

function transformOf(name: string): Transform {
  const t = transformByProposal(name);
  if (!t.ok) throw new Error(t.error.message);
  return t.value;
}

/** The wire shape of SAs of transform `t`, in UDP between `udp`'s ports when given (RFC 3948). */
export function shapeOf(t: Transform, udp: EspUdpPorts | null = null): TransformShape {
  const shape = { name: t.name, blockSize: t.encryption.padAlign, ivLen: t.encryption.ivLength, icvLen: t.icvLength };
  return udp ? { ...shape, udp } : shape;
}

/** The wire shape of SA `sa`: its transform and encapsulation. */
function shapeOfSa(sa: SecurityAssociation): TransformShape {
  return shapeOf(sa.transform, sa.udpHeaderLen !== 0 ? { srcPort: sa.udpSrcPort, dstPort: sa.udpDstPort } : null);
}

/** What `install` needs besides the slot: the negotiated SPI, keys, transform and encapsulation. */
export interface NegotiatedSa {
  readonly spi: number;
  readonly transform: Transform;
  readonly encKey: Uint8Array;
  readonly authKey: Uint8Array;
  /** ESP in UDP between these ports on the Internet (IKE saw a NAT); null or absent: plain ESP. */
  readonly udpEncap?: EspUdpPorts | null;
}

/** What the SAs of one slot counted, all generations together (see SecurityAssociation). */
export interface SlotCounters {
  sentPackets: number;
  sentBytes: number;
  packetsOut: number;
  bytesOut: number;
  packetsIn: number;
  bytesIn: number;
}

function zeroCounters(): SlotCounters {
  return { sentPackets: 0, sentBytes: 0, packetsOut: 0, bytesOut: 0, packetsIn: 0, bytesIn: 0 };
}

function addCounters(into: SlotCounters, from: SlotCounters): void {
  into.sentPackets += from.sentPackets;
  into.sentBytes += from.sentBytes;
  into.packetsOut += from.packetsOut;
  into.bytesOut += from.bytesOut;
  into.packetsIn += from.packetsIn;
  into.bytesIn += from.bytesIn;
}

export class SaSlots {
  readonly sad = new Sad();
  readonly sizes: WireSizes;
  /** SAD index → world SA slot (slot indices map to themselves). */
  private readonly slotOfIndex: number[] = [];
  /** Per slot: the counters of its SAs that were deleted. */
  private readonly deleted: SlotCounters[] = [];
  /** Per slot: SAs installed there (1 before the first rekey). */
  private readonly generations: number[] = [];
  /** Every SA the run had, deleted ones too, in the order they were installed (Wireshark's table needs them all). */
  private readonly history: SecurityAssociation[] = [];

  /**
   * The slots of `world`. `fill`: give every slot an SA now, with zero keys where IKE would
   * negotiate them (a benchmark of forwarding without a control plane).
   */
  constructor(private readonly world: World, private readonly seed: number, fill = false) {
    this.sad.reserve(world.sas.length);
    const shapes: TransformShape[] = [];
    world.sas.forEach((w, k) => {
      const t = transformOf(w.transform);
      shapes.push(shapeOf(t));
      this.slotOfIndex.push(k);
      this.deleted.push(zeroCounters());
      this.generations.push(w.keys || fill ? 1 : 0);
      const keys = w.keys ?? (fill ? { spi: 256 + k, encKey: new Uint8Array(t.encryption.keyLength), authKey: new Uint8Array(t.integrity.keyLength) } : null);
      if (keys === null) return;
      const r = this.sad.put(k, this.config(k, { spi: keys.spi, transform: t, encKey: keys.encKey, authKey: keys.authKey }));
      // Compile guarantees unique (SPI, destination); a failure here is a bug, not input.
      if (!r.ok) throw new Error(`SA ${w.name}: ${r.error.message}`);
      this.history.push(this.sad.get(k));
    });
    this.sizes = new WireSizes(shapes);
  }

  private config(slot: number, n: NegotiatedSa): SaConfig {
    const w = this.world.sas[slot]!;
    return {
      spi: n.spi, src: w.outerSrc, dst: w.outerDst, udpEncap: n.udpEncap ?? null, direction: 'in', transform: n.transform, encKey: n.encKey, authKey: n.authKey,
      reqid: w.tunnel + 1, name: w.name, seed: this.seed, replayWindow: w.replayWindow,
    };
  }

  /** Install a negotiated SA into `slot`; null, or why the SAD refused it. */
  install(slot: number, n: NegotiatedSa): string | null {
    const r = this.sad.put(slot, this.config(slot, n));
    if (!r.ok) return r.error.message;
    if (r.value >= 0) this.slotOfIndex[r.value] = slot;
    this.sizes.reshape(slot, shapeOfSa(this.sad.get(slot)));
    this.generations[slot]!++;
    this.history.push(this.sad.get(slot));
    return null;
  }

  /** Delete the SA with (spi, dst), wherever it is: when it is a slot's current SA, the slot is empty after. */
  remove(spi: number, dst: number): void {
    this.removeAt(this.sad.lookup(spi, dst));
  }

  /**
   * Delete the SA at SAD index `i` (nothing for -1), keeping its counters in its slot's.
   * When it was the slot's current SA and an older one of the slot still lives (a rekey
   * collision deletes the newer of two), the newest of those takes the slot again.
   */
  removeAt(i: number): void {
    const sa = i >= 0 ? this.sad.at(i) : null;
    if (!sa) return;
    const slot = this.slotOf(i);
    addCounters(this.deleted[slot]!, sa);
    this.sad.remove(i);
    if (i !== slot) return;
    let newest = -1;
    for (const [j] of this.sad.entries()) if (j !== slot && this.slotOf(j) === slot) newest = j;
    if (newest < 0) return;
    const back = this.sad.get(newest);
    this.sad.remove(newest);
    const r = this.sad.put(slot, back);
    // The SA was in the SAD a moment ago with the same SPI and keys: put cannot refuse it.
    if (!r.ok) throw new Error(`SA ${back.name}: ${r.error.message}`);
    this.sizes.reshape(slot, shapeOfSa(back));
  }

  /** What every SA of slot `slot` counted, the deleted ones too. */
  counters(slot: number): SlotCounters {
    const c = zeroCounters();
    addCounters(c, this.deleted[slot]!);
    for (const [i, sa] of this.sad.entries()) if (this.slotOf(i) === slot) addCounters(c, sa);
    return c;
  }

  /** Every SA of the run, deleted ones too, in install order. */
  everySa(): readonly SecurityAssociation[] {
    return this.history;
  }

  /** SAs installed in slot `slot` so far (each rekey adds one). */
  generation(slot: number): number {
    return this.generations[slot]!;
  }

  /** The slot of SAD index `index` (-1 for -1). */
  slotOf(index: number): number {
    return index < 0 ? -1 : this.slotOfIndex[index] ?? -1;
  }
}
