/**
 * The ESP data plane of a run: every packet that crosses a tunnel becomes real bytes.
 *
 * Owns, for one run (kept across recompiles, like RunState: SA indices are stable):
 * - the SA table (`slots`, sa-slots.ts): per world SA the SA its sender seals with, keys and
 *   SPI from IKE (or from compile for point-to-site), found by the receiver by (SPI, outer
 *   destination);
 * - seal: the inner IPv4 packet (or the fragments the encrypt node made) through
 *   `espEncapsulate` with the chosen crypto backend, into a per-slot arena (ESP in UDP when
 *   the SA has UDP ports: the transform writes the UDP header, sim/ipsec/esp.ts); the
 *   backend may queue a batch's encryptions and run them together (AES-CBC chains of
 *   several SAs at once), finished by `finishSeals` before any node reads the bytes;
 * - open: `espDecapsulate` of each ESP packet that arrived (unknown-spi, replay,
 *   icv-mismatch), reassembly of fragments (the packet counts as one and is delivered
 *   whole), the inner header for the decrypt node's inbound-policy check;
 * - the SA table for Wireshark as text.
 * The decisions (path MTU, the SKU bucket, the inbound policy) are the ESP nodes'; the
 * tampering is the Internet link's (internet-link.ts); captures are a tap (link-tap.ts).
 *
 * Sharded runs (`owned`, see sim/scenario/shard.ts): a worker moves every packet of the
 * scenario through the graph but builds ESP bytes only for the flows it owns. A packet of
 * another shard's flow takes the same decisions from sizes alone (path MTU, fragments,
 * too-big, sequence-number overflow) and consumes the same sequence numbers, so routing,
 * SKU buckets and sequence numbers, and with them every flow's outcome, equal the
 * single-threaded run; its bytes are some other worker's job. Owned packets skip the
 * others' sequence numbers, which the anti-replay window accepts (they only move it up).
 * A malformed ESP packet (not decodable, bad padding) has no reason of its own in the
 * fixed list: it is counted as icv-mismatch with a detail starting "malformed".
 */
import type { Sad } from '../ipsec/sad.js';
import type { SecurityAssociation } from '../ipsec/sa.js';
import { espDecapsulate, espEncapsulate } from '../ipsec/esp.js';
import type { CryptoBackend } from '../ipsec/crypto.js';
import { espSaLine } from '../ipsec/wireshark.js';
import { IPV4_MAX_TOTAL_LEN, check as checkIpv4, readDst, readIsFragment, readSrc } from '../wire/ipv4.js';
import { reassemble } from '../wire/fragment.js';
import { spiText } from '../wire/esp.js';
import { dropReasonCode } from '../engine/drop-reasons.js';
import type { PacketBatch } from '../engine/batch.js';
import { PacketBytes } from './packet-bytes.js';
import type { WireSizes } from './esp-sizes.js';
import { SaSlots } from './sa-slots.js';
import type { DataPlane, DecryptResult, OpenedCopy } from './data-plane.js';
import { espDropName } from './internet-link.js';
import type { World } from './world.js';

/**
 * Bytes of one slot of the ESP arena: an ESP packet of a batch slot is written into its own
 * slot region (no allocation per packet) when it fits; fragments and jumbo packets get
 * their own arrays. A slot's bytes live until the slot is refilled by a later batch: the
 * graph opens every packet within the batch that sealed it.
 */
const ARENA_SLOT = 2048;
/** Encapsulation options that name no output buffer: the transform allocates the packet (its seal may queue). */
const OWN_PACKET = { queue: true };
/** Decapsulation options that name no output buffer: the transform allocates the inner packet. */
const OWN_INNER = {};
const R_MTU = dropReasonCode('mtu');
const R_TUNNEL_DOWN = dropReasonCode('tunnel-down');

/** The ESP data plane; see the module comment. */
export class EspPlane implements DataPlane {
  declare readonly slots: SaSlots;
  declare readonly sad: Sad;
  declare readonly sizes: WireSizes;
  private readonly bytes = new PacketBytes();
  /** Where one ESP packet (the usual case) is opened into (a packet is done with before the next). */
  private readonly openInto = { into: new Uint8Array(IPV4_MAX_TOTAL_LEN + 64) };
  /** ESP packets of the current batch, ARENA_SLOT bytes per slot. */
  private readonly arena: Uint8Array;
  /** Each slot's arena region as an encapsulation option, made once (not per packet); seals queue until `finishSeals`. */
  private readonly sealInto: readonly { readonly into: Uint8Array; readonly queue: true }[];
  /** Per batch slot: the ESP packets on the wire for that packet (one per fragment). */
  private readonly wires: (Uint8Array[] | null)[];

  constructor(
    world: World,
    readonly crypto: CryptoBackend,
    capacity: number,
    readonly seed = 0,
    /** Per flow index: 1 when this plane builds its ESP bytes; null: every flow (not sharded). */
    private readonly owned: Uint8Array | null = null,
  ) {
    this.slots = new SaSlots(world, seed);
    this.sad = this.slots.sad;
    this.sizes = this.slots.sizes;
    this.wires = new Array<Uint8Array[] | null>(capacity).fill(null);
    this.arena = new Uint8Array(capacity * ARENA_SLOT);
    this.sealInto = Array.from({ length: capacity }, (_, k) => ({ into: this.arena.subarray(k * ARENA_SLOT, (k + 1) * ARENA_SLOT), queue: true as const }));
  }

  innerBytes(b: PacketBatch, i: number): Uint8Array {
    return this.bytes.inner(b, i);
  }

  /**
   * Take the sequence numbers and, for a flow this plane owns, build and encapsulate the
   * packet (one ESP packet per fragment). A packet of another shard's flow takes the same
   * sequence numbers and no bytes (see the module comment). 0, or a drop reason code.
   */
  seal(b: PacketBatch, i: number, sa: SecurityAssociation, fragments: Uint8Array[] | null, out: { detail: string }): number {
    if (this.owned !== null && this.owned[b.flow[i]!] === 0) {
      const n = fragments ? fragments.length : 1;
      b.espSeq[i] = sa.seqOut + 1;
      b.espCount[i] = n;
      sa.seqOut += n;
      this.wires[i] = null;
      return 0;
    }
    const pieces = fragments ?? [this.bytes.inner(b, i)];
    const packets: Uint8Array[] = [];
    // One ESP packet (the usual case) goes into the slot's arena region.
    const opts = pieces.length === 1 ? this.sealInto[i]! : OWN_PACKET;
    for (const p of pieces) {
      // The encrypt node checked the limits this could refuse; a refusal here would be a bug, still reported.
      const r = espEncapsulate(sa, p, this.crypto, opts);
      if (!r.ok) {
        out.detail = r.message;
        return r.error === 'too-big' ? R_MTU : R_TUNNEL_DOWN;
      }
      packets.push(r.packet);
    }
    b.espSeq[i] = sa.seqOut - packets.length + 1;
    b.espCount[i] = packets.length;
    this.wires[i] = packets;
    return 0;
  }

  finishSeals(): void {
    this.crypto.flushSeals?.();
  }

  wire(i: number): Uint8Array[] | null {
    return this.wires[i] ?? null;
  }

  /** Every ESP packet of slot `i` arrives at the receiver; see DecryptResult. */
  open(b: PacketBatch, i: number, r: DecryptResult): void {
    if (this.owned !== null && this.owned[b.flow[i]!] === 0) {
      // Another shard's packet: authentic by construction (no injections in sharded runs).
      r.reason = 0;
      r.detail = '';
      r.sa = b.sa[i]!;
      r.spi = this.sad.at(r.sa)?.spi ?? 0;
      r.innerSrc = b.src[i]!;
      r.innerDst = b.dst[i]!;
      return;
    }
    const packets = this.wires[i] ?? [];
    this.wires[i] = null;
    r.reason = 0;
    r.detail = '';
    r.sa = -1;
    r.spi = 0;
    const inners: Uint8Array[] = [];
    // One ESP packet (the usual case) opens into the scratch; fragments need memory each.
    const into = packets.length === 1 ? this.openInto : OWN_INNER;
    for (const p of packets) {
      const d = espDecapsulate(this.sad, p, this.crypto, into);
      if (r.spi === 0) r.spi = d.spi;
      if (d.saIndex >= 0) r.sa = this.slots.slotOf(d.saIndex);
      if (!d.ok) {
        // The other fragments are still processed (the receiver sees them all); the first failure decides.
        if (r.reason === 0) {
          r.reason = dropReasonCode(espDropName(d.drop));
          r.detail = `${d.drop === 'malformed' ? 'malformed ESP packet: ' : ''}${d.message} (SPI ${spiText(d.spi)}, seq ${d.seq})`;
        }
        continue;
      }
      inners.push(d.inner);
    }
    if (r.reason !== 0) return;
    // A single valid unfragmented packet (the usual case) is read in place; anything else
    // goes through reassemble, which checks every fragment's header and gives the datagram's.
    const one = inners.length === 1 ? inners[0]! : null;
    if (one && checkIpv4(one) === null && !readIsFragment(one)) {
      r.innerSrc = readSrc(one);
      r.innerDst = readDst(one);
      return;
    }
    const whole = reassemble(inners);
    if (!whole.ok) {
      r.reason = dropReasonCode(espDropName('malformed'));
      r.detail = `malformed inner packet: ${whole.message}`;
      return;
    }
    r.innerSrc = whole.header.src;
    r.innerDst = whole.header.dst;
  }

  openCopy(bytes: Uint8Array): OpenedCopy {
    const d = espDecapsulate(this.sad, bytes, this.crypto);
    const sa = this.slots.slotOf(d.saIndex);
    return d.ok ? { ok: true, seq: d.seq, sa, drop: '', message: '' } : { ok: false, seq: d.seq, sa, drop: d.drop, message: d.message };
  }

  /** Wireshark's `esp_sa` table: one line per SA the run had (rekeyed and deleted ones too). */
  espSaTable(): string {
    const lines: string[] = [];
    for (const sa of this.slots.everySa()) lines.push(espSaLine(sa));
    return lines.join('\n') + (lines.length ? '\n' : '');
  }
}
