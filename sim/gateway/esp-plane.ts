/**
 * The ESP data plane of a run: every packet that crosses a tunnel becomes real bytes.
 *
 * Owns, for one run (kept across recompiles, like RunState: SA indices are stable):
 * - one `SecurityAssociation` per world SA (keys and SPI from compile, i.e. deriveSaKeys),
 *   installed in a `Sad` so the receiving end finds it by (SPI, outer destination);
 * - building the inner IPv4 packet of a batch packet (IPv4 + ICMP echo / UDP / TCP header
 *   with the flow's ports, payload up to the flow's size) into one reused scratch buffer;
 * - ENCRYPT: path-MTU decision (DF → drop mtu with the ICMP fragmentation-needed the
 *   sender would get; no DF → fragment the inner packet, one ESP packet per fragment),
 *   `espEncapsulate` with the chosen crypto backend;
 * - DECRYPT: `espDecapsulate` of each ESP packet that arrived (unknown-spi, replay,
 *   icv-mismatch are counted drops), reassembly of fragments (the packet counts as one
 *   and is delivered whole), the inner header for the inbound-policy check;
 * - injections (duplicate, reorder, corrupt, replay) applied to ESP packets on the
 *   Internet path, and their outcomes;
 * - captures: every packet that crosses a link (VNet, site LAN, P2S client, the Internet)
 *   goes to a CaptureSink (sim/engine/capture.ts), one batch at a time in time order
 *   (`flushCaptures`); the SA table for Wireshark as text.
 *
 * Both gateway types share this code; they differ only in how the pipeline picks the SA.
 *
 * Sharded runs (`owned`, see sim/scenario/shard.ts): a worker moves every packet of the
 * scenario through the pipeline but builds ESP bytes only for the flows it owns. A packet
 * of another shard's flow takes the same decisions from sizes alone (path MTU, fragments,
 * too-big, sequence-number overflow) and consumes the same sequence numbers, so routing,
 * SKU buckets and sequence numbers, and with them every flow's outcome, equal the
 * single-threaded run; its bytes are some other worker's job. Owned packets skip the
 * others' sequence numbers, which the anti-replay window accepts (they only move it up).
 * A malformed ESP packet (not decodable, bad padding) has no reason of its own in the
 * fixed list: it is counted as icv-mismatch with a detail starting "malformed".
 */
import { Sad, SecurityAssociation } from '../ipsec/sa.js';
import { espDecapsulate, espEncapsulate } from '../ipsec/esp.js';
import type { EspDropReason } from '../ipsec/esp.js';
import type { CryptoBackend } from '../ipsec/crypto.js';
import { transformByProposal } from '../ipsec/transforms.js';
import type { Transform } from '../ipsec/transforms.js';
import { espSaLine } from '../ipsec/wireshark.js';
import { IPV4_MAX_TOTAL_LEN, check as checkIpv4, emit as emitIpv4, readDst, readIsFragment, readSrc } from '../wire/ipv4.js';
import { emit as emitIcmp } from '../wire/icmp.js';
import { emit as emitUdp } from '../wire/udp.js';
import { emit as emitTcp, TcpFlags } from '../wire/tcp.js';
import { fragment, reassemble } from '../wire/fragment.js';
import { spiText } from '../wire/esp.js';
import { sumWords } from '../wire/checksum.js';
import { dropReasonCode, type DropReason } from '../engine/drop-reasons.js';
import type { PacketBatch } from '../engine/batch.js';
import { CaptureBuffer } from '../engine/capture.js';
import type { CaptureSink } from '../engine/capture.js';
import { formatIPv4 } from '../net/ipv4.js';
import { espWireLength, largestInner, NO_COPIES } from './encap.js';
import type { DataPlane, DecryptResult, InjectionOutcome, TransformShape } from './encap.js';

export type { DecryptResult, InjectionOutcome } from './encap.js';
import { EndKind, NetKind } from './world.js';
import type { World, WSa } from './world.js';

/**
 * Bytes of one slot of the ESP arena: an ESP packet of a batch slot is written into its own
 * slot region (no allocation per packet) when it fits; fragments and jumbo packets get
 * their own arrays. A slot's bytes live until the slot is refilled by a later batch: the
 * pipeline decrypts every packet within the batch that encrypted it.
 */
const ARENA_SLOT = 2048;
/**
 * The payload pattern, (k * 7 + seq) & 0xff at byte k, repeats every 256 bytes: one
 * 256-byte row per value of seq & 0xff, copied and doubled instead of a byte loop.
 */
const PATTERN = (() => {
  const t = new Uint8Array(256 * 256);
  for (let s = 0; s < 256; s++) for (let k = 0; k < 256; k++) t[s * 256 + k] = (k * 7 + s) & 0xff;
  return t;
})();
/** The 256 rows of PATTERN as views, made once. */
const PATTERN_ROWS = Array.from({ length: 256 }, (_, r) => PATTERN.subarray(r * 256, r * 256 + 256));
const NO_OPTIONS = new Uint8Array(0);
const NO_INTO = {};
const R_MTU = dropReasonCode('mtu');
const R_TUNNEL_DOWN = dropReasonCode('tunnel-down');

/** The capture link of the ESP packets between tunnel ends. */
export const INTERNET_LINK = 'internet';

/** The capture link of a host network: `vnet-NAME`, `site-NAME`, `p2s-NAME` (a P2S client's own link). */
export function captureLinkName(kind: 'vnet' | 'site' | 'p2s', name: string): string {
  return `${kind}-${name}`;
}

/** Smallest packet that holds the protocol's header (IPv4 20 + ICMP 8 / UDP 8 / TCP 20). */
export function minPacketLen(proto: number): number {
  return proto === 6 ? 40 : 28;
}

/** An injection as the plane applies it (resolved from the scenario). */
export interface PlaneInjection {
  readonly index: number;
  readonly connection: string;
  readonly at: number;
  readonly action: 'duplicate' | 'reorder' | 'corrupt' | 'replay';
  readonly direction?: 'out' | 'in';
  readonly packet: number;
  readonly byte?: number;
}

/** A tampered ESP copy waiting to be delivered (duplicate now, replay after the SA's next packet). */
interface Pending {
  readonly sa: number;
  readonly bytes: Uint8Array;
  readonly inj: InjectionOutcome;
  /** Delivered once the SA's window top passes this (duplicate: seq - 1, right after the original; replay: seq, after a later packet). */
  readonly afterSeq: number;
}

/** The ESP data plane; see the module comment. */
export class EspPlane implements DataPlane {
  readonly sad = new Sad();
  /** World SA index → SA (the same object serves the sender's seq and the receiver's window). */
  readonly sas: SecurityAssociation[] = [];
  private readonly shapes: TransformShape[] = [];
  private readonly scratch = new Uint8Array(IPV4_MAX_TOTAL_LEN);
  /** Payload pattern sums by (length, header length, row); see payloadSum. */
  private readonly payloadSums = new Map<number, number>();
  /** Plaintext of the packet being decrypted (a packet is done with before the next). */
  private readonly decInto = { into: new Uint8Array(IPV4_MAX_TOTAL_LEN + 64) };
  /** ESP packets of the current batch, ARENA_SLOT bytes per slot. */
  private readonly arena: Uint8Array;
  private readonly slotInto: readonly { readonly into: Uint8Array }[];
  /** Per batch slot: the ESP packets on the wire for that packet (one per fragment). */
  private readonly wire: (Uint8Array[] | null)[];
  /** Per batch slot: the inner fragments `size` planned (null: the packet goes whole). */
  private readonly planned: (Uint8Array[] | null)[];
  /** Per batch slot: first ESP sequence number, number of ESP packets, overhead. */
  readonly firstSeq: Uint32Array;
  readonly espPackets: Uint8Array;
  /** Per batch slot: 1 when a reorder injection holds the packet back. */
  readonly hold: Uint8Array;
  private readonly injectNote: (InjectionOutcome | null)[];
  private readonly injections: PlaneInjection[];
  private readonly injCount: Int32Array;
  readonly outcomes: InjectionOutcome[];
  private pending: Pending[] = [];
  /** The current batch's captured packets (null: no captures), until `flushCaptures`. */
  private readonly captures: CaptureBuffer | null;

  constructor(
    world: World,
    readonly crypto: CryptoBackend,
    capacity: number,
    injections: readonly PlaneInjection[] = [],
    /** Receives every packet that crosses a link (null: no captures). */
    capture: CaptureSink | null = null,
    readonly seed = 0,
    /** Per flow index: 1 when this plane builds its ESP bytes; null: every flow (not sharded). */
    private readonly owned: Uint8Array | null = null,
  ) {
    world.sas.forEach((w, k) => {
      const t = transformOf(w.transform);
      const sa = new SecurityAssociation({
        spi: w.spi, src: w.outerSrc, dst: w.outerDst, direction: 'in', transform: t,
        encKey: w.encKey, authKey: w.authKey, reqid: w.tunnel + 1, name: w.name, seed, replayWindow: w.replayWindow,
      });
      this.sas.push(sa);
      this.shapes.push({ name: t.name, blockSize: t.encryption.padAlign, ivLen: t.encryption.ivLength, icvLen: t.icvLength });
      const r = this.sad.add(sa);
      // Compile guarantees unique (SPI, destination); a failure here is a bug, not input.
      if (!r.ok || r.value !== k) throw new Error(`SA ${w.name}: ${r.ok ? 'index mismatch' : r.error.message}`);
    });
    this.captures = capture ? new CaptureBuffer(capture) : null;
    this.wire = new Array<Uint8Array[] | null>(capacity).fill(null);
    this.planned = new Array<Uint8Array[] | null>(capacity).fill(null);
    this.arena = new Uint8Array(capacity * ARENA_SLOT);
    // Each slot's region as an encapsulation option, made once (not per packet).
    this.slotInto = Array.from({ length: capacity }, (_, k) => ({ into: this.arena.subarray(k * ARENA_SLOT, (k + 1) * ARENA_SLOT) }));
    this.firstSeq = new Uint32Array(capacity);
    this.espPackets = new Uint8Array(capacity);
    this.hold = new Uint8Array(capacity);
    this.injectNote = new Array<InjectionOutcome | null>(capacity).fill(null);
    this.injections = [...injections];
    this.injCount = new Int32Array(injections.length);
    this.outcomes = injections.map((x) => ({
      index: x.index, connection: x.connection, action: x.action, t: -1, flow: -1, packet: 0, sa: '', spi: '', seq: 0,
      result: 'not-applied', detail: `no ESP packet of ${x.connection} matched (at ≥ ${x.at}s, packet ${x.packet}${x.direction ? `, direction ${x.direction}` : ''})`,
    }));
  }

  /** Transform shape of SA `s` (for sizes). */
  shape(s: number): TransformShape {
    return this.shapes[s]!;
  }

  /** The inner packet of batch slot `i` as bytes (a view on the scratch buffer, valid until the next call). */
  innerBytes(b: PacketBatch, i: number): Uint8Array {
    const len = b.len[i]!;
    const out = this.scratch.subarray(0, len);
    const proto = b.proto[i]!;
    const src = b.src[i]!;
    const dst = b.dst[i]!;
    const seq = b.seq[i]!;
    // Payload: a pattern that depends on the packet, so a decrypted packet is checked byte by
    // byte: (k * 7 + seq) & 0xff at byte k (headers are written over the first bytes below).
    const row = (seq & 0xff) * 256;
    let filled = Math.min(256, len);
    out.set(filled === 256 ? PATTERN_ROWS[row >> 8]! : PATTERN.subarray(row, row + filled), 0);
    while (filled < len) {
      const n = Math.min(filled, len - filled);
      out.copyWithin(filled, 0, n);
      filled += n;
    }
    emitIpv4({
      tos: 0, identification: (b.flow[i]! * 40503 + seq) & 0xffff, dontFragment: (b.flags[i]! & 1) === 1, moreFragments: false,
      fragmentOffset: 0, ttl: b.ttl[i]!, protocol: proto, src, dst, options: NO_OPTIONS, payloadLength: len - 20,
    }, out, 0);
    const hl = minPacketLen(proto);
    const data = out.subarray(hl, len);
    const sum = this.payloadSum(out, row >> 8, hl, len);
    if (proto === 1) emitIcmp({ kind: 'echo-request', ident: (b.flow[i]! + 1) & 0xffff, seq: seq & 0xffff, data }, out, 20, sum);
    else if (proto === 17) emitUdp({ srcPort: b.sport[i]!, dstPort: b.dport[i]!, checksummed: true, payload: data }, out, 20, src, dst, sum);
    else if (proto === 6) {
      emitTcp({
        srcPort: b.sport[i]!, dstPort: b.dport[i]!, seq: (seq * 1460) >>> 0, ack: 1, flags: TcpFlags.ACK | TcpFlags.PSH,
        window: 65535, urgent: 0, options: NO_OPTIONS, payload: data,
      }, out, 20, src, dst, sum);
    }
    return out;
  }

  /**
   * `sumWords` of the payload pattern `out[hl, len)` (row `row`), remembered: flows repeat
   * a few sizes, so the transport checksum reads only its header after the first packet.
   */
  private payloadSum(out: Uint8Array, row: number, hl: number, len: number): number {
    const key = (len * 64 + hl) * 256 + row;
    let s = this.payloadSums.get(key);
    if (s === undefined) {
      s = sumWords(out, hl, len);
      if (this.payloadSums.size < 1 << 16) this.payloadSums.set(key, s);
    }
    return s;
  }

  /** Record the packet of slot `i` as it crosses the link of a host network (captures only). */
  captureLan(b: PacketBatch, i: number, world: World, netKind: number, net: number): void {
    if (!this.captures) return;
    const name = netKind === NetKind.VNET ? captureLinkName('vnet', world.vnets[net]!.name)
      : netKind === NetKind.SITE ? captureLinkName('site', world.sites[net]!.name) : captureLinkName('p2s', world.p2sClients[net]!.name);
    this.captures.add(name, b.time[i]!, this.innerBytes(b, i).slice());
  }

  /**
   * Hand the captured packets of the batch that just ended to the capture sink, in time
   * order (see sim/engine/capture.ts for why a batch at a time is exact). The run calls it
   * after each batch and after `finish`.
   */
  flushCaptures(): void {
    this.captures?.flush();
  }

  /**
   * ENCRYPT, first half: the sizes of slot `i`'s ESP packets on SA `s` (path MTU and
   * fragments, the 65535-byte limit, the SA's sequence numbers left), from sizes alone.
   * 0 with `b.wireLen` set, or a drop reason code with `out.detail`. Spends nothing: the
   * pipeline charges the SKU bucket between this and `encrypt`.
   */
  size(b: PacketBatch, i: number, s: number, world: World, out: { detail: string }): number {
    const sa = this.sas[s]!;
    const shape = this.shapes[s]!;
    // Fragmenting needs the inner header: rare, so the real fragmenter decides the sizes.
    const plan = this.fragmentsFor(b, i, s, world, out);
    if (typeof plan === 'number') return plan;
    this.planned[i] = plan;
    const n = plan ? plan.length : 1;
    let total = 0;
    for (let k = 0; k < n; k++) {
      if (sa.seqOut + k >= 0xffffffff) {
        out.detail = `SA ${sa.name} used all 2^32-1 sequence numbers; rekey required`;
        return R_TUNNEL_DOWN;
      }
      const wl = espWireLength(shape, plan ? plan[k]!.length : b.len[i]!);
      if (wl > IPV4_MAX_TOTAL_LEN) {
        out.detail = `ESP packet would be ${wl} bytes (limit ${IPV4_MAX_TOTAL_LEN})`;
        return R_MTU;
      }
      total += wl;
    }
    b.wireLen[i] = Math.min(total, IPV4_MAX_TOTAL_LEN);
    return 0;
  }

  /**
   * ENCRYPT, second half, once `size` said 0: take the sequence numbers and, for a flow
   * this plane owns, build and encapsulate the packet (one ESP packet per fragment) and
   * apply injections. A packet of another shard's flow takes the same sequence numbers
   * and no bytes (see the module comment). 0, or a drop reason code with `out.detail`.
   */
  encrypt(b: PacketBatch, i: number, s: number, world: World, out: { detail: string }): number {
    const sa = this.sas[s]!;
    const plan = this.planned[i] ?? null;
    this.planned[i] = null;
    this.injectNote[i] = null;
    this.hold[i] = 0;
    if (this.owned !== null && this.owned[b.flow[i]!] === 0) {
      const n = plan ? plan.length : 1;
      sa.seqOut += n;
      this.firstSeq[i] = sa.seqOut - n + 1;
      this.espPackets[i] = n;
      this.wire[i] = null;
      return 0;
    }
    const pieces = plan ?? [this.innerBytes(b, i)];
    const packets: Uint8Array[] = [];
    // One ESP packet (the usual case) goes into the slot's arena region.
    const opts = pieces.length === 1 ? this.slotInto[i]! : NO_INTO;
    for (const p of pieces) {
      // `size` checked the limits this could refuse; a refusal here would be a bug, still reported.
      const r = espEncapsulate(sa, p, this.crypto, opts);
      if (!r.ok) {
        out.detail = r.message;
        return r.error === 'too-big' ? R_MTU : R_TUNNEL_DOWN;
      }
      packets.push(r.packet);
    }
    this.firstSeq[i] = sa.seqOut - packets.length + 1;
    this.espPackets[i] = packets.length;
    this.wire[i] = packets;
    this.applyInjections(b, i, s, world, packets);
    return 0;
  }

  /**
   * The path-MTU decision for slot `i` on SA `s`: null when the packet fits whole, its
   * inner fragments when it must be split (no DF), or a drop reason (detail in `out`).
   */
  private fragmentsFor(b: PacketBatch, i: number, s: number, world: World, out: { detail: string }): Uint8Array[] | null | number {
    const w = world.sas[s]!;
    const shape = this.shapes[s]!;
    if (espWireLength(shape, b.len[i]!) <= w.mtu) return null;
    if ((b.flags[i]! & 1) === 1) return this.dfDrop(b, i, s, world, out);
    const f = fragment(this.innerBytes(b, i), largestInner(shape, w.mtu));
    if (f.ok) return f.value;
    out.detail = `cannot fragment for path MTU ${w.mtu}: ${f.error.message}`;
    return R_MTU;
  }

  /** The path-MTU drop of a DF packet that ESP makes too big (no bytes needed); the detail only for a traced packet. */
  private dfDrop(b: PacketBatch, i: number, s: number, world: World, out: { detail: string }): number {
    out.detail = b.trace[i] ? dfDetail(b, i, world, world.sas[s]!, this.shapes[s]!) : '';
    return R_MTU;
  }

  private applyInjections(b: PacketBatch, i: number, s: number, world: World, packets: Uint8Array[]): void {
    if (this.injections.length === 0) return;
    const w = world.sas[s]!;
    const tun = world.tunnels[w.tunnel]!;
    const names = [world.connections[tun.connection]!.name, world.connections[w.connection]!.name];
    const dir = tun.saOut === s ? 'out' : 'in';
    for (let k = 0; k < this.injections.length; k++) {
      const x = this.injections[k]!;
      if (!names.includes(x.connection) || b.time[i]! < x.at || (x.direction && x.direction !== dir)) continue;
      if (++this.injCount[k]! !== x.packet) continue;
      const o = this.outcomes[k]!;
      o.t = b.time[i]!;
      o.flow = b.flow[i]!;
      o.packet = b.seq[i]!;
      o.sa = w.name;
      o.spi = spiText(w.spi);
      o.seq = this.firstSeq[i]!;
      const first = packets[0]!;
      switch (x.action) {
        case 'corrupt': {
          const off = (x.byte ?? 20 + 8 + this.shapes[s]!.ivLen) % first.length;
          first[off] = first[off]! ^ 0xff;
          o.detail = `byte ${off} of the ESP packet (SPI ${o.spi}, seq ${o.seq}) flipped on the Internet path`;
          this.injectNote[i] = o;
          break;
        }
        case 'duplicate':
          // The copy arrives right behind the original (once the window has seen its sequence).
          this.pending.push({ sa: s, bytes: first.slice(), inj: o, afterSeq: o.seq - 1 });
          o.detail = `ESP packet SPI ${o.spi} seq ${o.seq} delivered twice`;
          break;
        case 'replay':
          this.pending.push({ sa: s, bytes: first.slice(), inj: o, afterSeq: o.seq });
          o.detail = `ESP packet SPI ${o.spi} seq ${o.seq} captured and sent again after the SA's next packet`;
          break;
        case 'reorder':
          this.hold[i] = 1;
          o.result = 'held';
          o.detail = `ESP packet SPI ${o.spi} seq ${o.seq} held back and delivered after the SA's next packet`;
          this.injectNote[i] = o;
          break;
      }
    }
  }

  /** The injection that tampered with slot `i` (corrupt or reorder), if any. */
  noteOf(i: number): InjectionOutcome | null {
    return this.injectNote[i] ?? null;
  }

  /** DECRYPT: every ESP packet of slot `i` arrives at the receiver; see DecryptResult. */
  decrypt(b: PacketBatch, i: number, r: DecryptResult): void {
    if (this.owned !== null && this.owned[b.flow[i]!] === 0) {
      // Another shard's packet: authentic by construction (no injections in sharded runs).
      r.reason = 0;
      r.detail = '';
      r.sa = b.sa[i]!;
      r.innerSrc = b.src[i]!;
      r.innerDst = b.dst[i]!;
      return;
    }
    const packets = this.wire[i] ?? [];
    this.wire[i] = null;
    r.reason = 0;
    r.detail = '';
    r.sa = -1;
    const inners: Uint8Array[] = [];
    // One ESP packet (the usual case) decrypts into the scratch; fragments need memory each.
    const into = packets.length === 1 ? this.decInto : NO_INTO;
    for (const p of packets) {
      this.captures?.add(INTERNET_LINK, b.time[i]!, p.slice()); // the arena is reused
      const d = espDecapsulate(this.sad, p, this.crypto, into);
      if (d.saIndex >= 0) r.sa = d.saIndex;
      if (!d.ok) {
        // The other fragments are still processed (the receiver sees them all); the first failure decides.
        if (r.reason === 0) {
          r.reason = espReason(d.drop);
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
      r.reason = espReason('malformed');
      r.detail = `malformed inner packet: ${whole.message}`;
      return;
    }
    r.innerSrc = whole.header.src;
    r.innerDst = whole.header.dst;
  }

  /**
   * Tampered copies due now on SA `s` (duplicates at once; replays once a later packet of
   * the SA arrived, or everything when `all`). Each is decapsulated; returns their outcomes.
   */
  deliverPending(s: number, t: number, all = false): readonly { inj: InjectionOutcome; reason: number; sa: number }[] {
    if (this.pending.length === 0) return NO_COPIES;
    const due: { inj: InjectionOutcome; reason: number; sa: number }[] = [];
    const keep: Pending[] = [];
    for (const p of this.pending) {
      const sa = this.sas[p.sa]!;
      const ready = all || (p.sa === s && sa.replay.top > p.afterSeq);
      if (!ready) {
        keep.push(p);
        continue;
      }
      this.captures?.add(INTERNET_LINK, Math.max(t, p.inj.t), p.bytes);
      const d = espDecapsulate(this.sad, p.bytes, this.crypto);
      const o = p.inj;
      if (d.ok) {
        o.result = 'delivered';
        o.detail += `: accepted (sequence ${d.seq} was still new to the window)`;
        due.push({ inj: o, reason: 0, sa: d.saIndex });
      } else {
        o.result = 'dropped';
        o.reason = espDropName(d.drop);
        o.detail += `: dropped ${o.reason} (${d.message})`;
        due.push({ inj: o, reason: espReason(d.drop), sa: d.saIndex >= 0 ? d.saIndex : p.sa });
      }
    }
    this.pending = keep;
    return due;
  }

  /** Wireshark's `esp_sa` table: one line per SA. */
  espSaTable(): string {
    return this.sas.map((sa) => espSaLine(sa)).join('\n') + (this.sas.length ? '\n' : '');
  }
}

function transformOf(name: string): Transform {
  const t = transformByProposal(name);
  if (!t.ok) throw new Error(t.error.message);
  return t.value;
}

/** The run's drop reason for an ESP drop: malformed has none of its own (see the module comment). */
function espDropName(d: EspDropReason): DropReason {
  return d === 'malformed' ? 'icv-mismatch' : d;
}

function espReason(d: EspDropReason): number {
  return dropReasonCode(espDropName(d));
}

/** Why a DF packet of slot `i` does not fit SA `w`'s path MTU, and the ICMP its sender gets (traced packets only). */
function dfDetail(b: PacketBatch, i: number, world: World, w: WSa, shape: TransformShape): string {
  const len = b.len[i]!;
  const icmp = `ICMP type 3 code 4 (fragmentation needed, next-hop MTU ${largestInner(shape, w.mtu)})`;
  return `DF set and ${len} bytes become ${espWireLength(shape, len)} with ESP (+${espWireLength(shape, len) - len}), over the path MTU ${w.mtu}: `
    + (w.fromKind === EndKind.P2S
      ? `the sender is the client itself, whose own IP stack refuses the packet: no ${icmp} on the wire`
      : `the sender gets ${icmp} from ${icmpSource(world, w, b.src[i]!)}`);
}

/**
 * The source of the ICMP error an SA's sending end returns to the packet's sender: the
 * address of the interface the ICMP leaves by (RFC 1812 §4.3.2.4), which faces the sender,
 * never the tunnel's public address. An Azure gateway answers from its address in the
 * GatewaySubnet; an on-premises device from its LAN address, which a scenario does not name:
 * vgwsim takes the first host address of the site prefix that holds the sender (the longest
 * that does; or the site's first prefix), the usual router address of a LAN.
 */
function icmpSource(world: World, sa: WSa, sender: number): string {
  if (sa.fromKind === EndKind.GATEWAY) {
    const g = world.gateways[sa.from]!;
    return `${formatIPv4(g.privateIp)} (${g.name}'s address in its GatewaySubnet)`;
  }
  const site = world.sites[sa.from]!;
  const p = site.prefixes[site.prefixLpm.lookup(sender)] ?? site.prefixes[0];
  if (!p) return formatIPv4(site.device.publicIp);
  const lan = p.len >= 31 ? p.addr : (p.addr + 1) >>> 0;
  return `${formatIPv4(lan)} (${site.device.name} on its LAN, the first address of ${p.text})`;
}
