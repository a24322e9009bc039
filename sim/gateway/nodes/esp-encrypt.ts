/**
 * `esp-encrypt`: the sending end of an SA (argument: the world SA index) puts the packet
 * into it, the whole step here: the tunnel must be up and its slot hold an SA (an empty
 * slot asks the IKE control plane, which may negotiate one now); the path MTU (a DF packet
 * that ESP makes too big is dropped with the ICMP its sender gets; without DF the inner
 * packet is fragmented, one ESP packet per fragment); the sequence numbers left and the
 * 65535-byte limit; the SKU buckets of the gateways at its ends, charged with the bytes on
 * the wire at the same instant (the packet crosses no time; sku-buckets.ts says which);
 * then the sequence numbers and the seal (the data plane's bytes, finished for the whole
 * list at the end of the run, so a backend can encrypt several SAs' packets together) and
 * the SA's counters. A packet the sending gateway's bucket refuses is dropped here and
 * costs no sequence number; the receiving gateway's verdict goes with the packet to
 * `esp-decrypt` (`b.espOverSku`), which acts on it. The packet then crosses the Internet
 * link (straight to the receiver when nothing tampers with it).
 *
 * An ordered node (sim/engine/graph.ts): the buckets, the sequence numbers and, through
 * the link, the `inject:` counts change packet by packet in packet order. After a packet
 * on an SA whose receiver may send it into a tunnel again (transit.ts), the rest of the
 * list waits for a later round, so that packet is encrypted again before them.
 */
import { dropReasonCode } from '../../engine/drop-reasons.js';
import type { PacketBatch } from '../../engine/batch.js';
import type { GraphNode, Queues } from '../../engine/graph.js';
import { IPV4_MAX_TOTAL_LEN as IPV4_MAX_TOTAL_LEN_IMPORT } from '../../wire/ipv4.js';
import { fragment } from '../../wire/fragment.js';
import type { World, WSa } from '../world.js';
import type { DataPlane } from '../data-plane.js';
import type { SecurityAssociation } from '../../ipsec/sa.js';
import { largestInner } from '../esp-sizes.js';
import { endCounter } from '../internet-link.js';
import { END_WHERE as END_WHERE_IMPORT, dfDetail, overSkuDetail } from '../trace-text.js';
import { NodeId as NodeId_IMPORT } from './ids.js';
import { dropAt, header, hop } from './context.js';
import { chargeBucket as chargeBucket_IMPORT } from '../sku-buckets.js';
import type { NodeContext } from './context.js';
import { Stage } from '../../engine/stages.js';

// Local copies: V8 folds a module's own consts, not imported bindings (see sim/engine/batch.ts).
const END_WHERE = END_WHERE_IMPORT;
const NodeId = NodeId_IMPORT;
const chargeBucket = chargeBucket_IMPORT;
const IPV4_MAX_TOTAL_LEN = IPV4_MAX_TOTAL_LEN_IMPORT;

const R_MTU = dropReasonCode('mtu');
const R_TUNNEL_DOWN = dropReasonCode('tunnel-down');
const R_RATE = dropReasonCode('rate-limit');

/**
 * The path-MTU decision for packet i on SA `s`: null when it fits whole,
 * its inner fragments when it must be split (no DF), or a drop reason code (detail in
 * `out`, made only for a traced packet when the reason is the DF drop).
 */
export function pathMtu(world: World, esp: DataPlane, b: PacketBatch, i: number, s: number, out: { detail: string }): Uint8Array[] | null | number {
  const sa = world.sas[s]!;
  if (esp.sizes.wireLength(s, b.len[i]!) <= sa.mtu) return null;
  const shape = esp.sizes.shapes[s]!;
  if ((b.flags[i]! & 1) === 1) {
    out.detail = b.trace[i] ? dfDetail(world, sa, shape, b.len[i]!, b.src[i]!) : '';
    return R_MTU;
  }
  // Fragmenting needs the inner header: rare, so the real fragmenter decides the sizes.
  const f = fragment(esp.innerBytes(b, i), largestInner(shape, sa.mtu));
  if (f.ok) return f.value;
  out.detail = `cannot fragment for path MTU ${sa.mtu}: ${f.error.message}`;
  return R_MTU;
}

/**
 * What ESP itself refuses before anything is spent: a sequence number per ESP packet left
 * on the SA, and no ESP packet over 65535 bytes. 0 with `b.wireLen` the bytes on the wire,
 * or a drop reason code with `out.detail`.
 */
function espLimits(esp: DataPlane, sa: SecurityAssociation, b: PacketBatch, i: number, s: number, fragments: Uint8Array[] | null, out: { detail: string }): number {
  const n = fragments ? fragments.length : 1;
  let total = 0;
  for (let k = 0; k < n; k++) {
    if (sa.seqOut + k >= 0xffffffff) {
      out.detail = `SA ${sa.name} used all 2^32-1 sequence numbers; rekey required`;
      return R_TUNNEL_DOWN;
    }
    const wl = esp.sizes.wireLength(s, fragments ? fragments[k]!.length : b.len[i]!);
    if (wl > IPV4_MAX_TOTAL_LEN) {
      out.detail = `ESP packet would be ${wl} bytes (limit ${IPV4_MAX_TOTAL_LEN})`;
      return R_MTU;
    }
    total += wl;
  }
  b.wireLen[i] = Math.min(total, IPV4_MAX_TOTAL_LEN);
  return 0;
}

/** Drop packet i at the sending end of `sa` (its node and counter are looked up only for a drop). */
function dropAtSender(ctx: NodeContext, q: Queues, b: PacketBatch, i: number, sa: WSa, reason: number, detail: string): void {
  dropAt(ctx, q, b, i, endCounter(ctx.world, sa.fromKind, sa.from), reason, END_WHERE[sa.fromKind]!, sa.from, Stage.ENCRYPT, detail);
}

/**
 * Slot `s` has no SA for packet i: the control plane may negotiate one now (a policy-based
 * tunnel, when traffic needs it; its events go with this packet's). The SA, or null when
 * there is none and the packet was dropped with the control plane's reason.
 */
function noSa(ctx: NodeContext, q: Queues, b: PacketBatch, i: number, s: number): SecurityAssociation | null {
  const ike = ctx.ike;
  const log = ctx.log;
  if (ike && ike.acquire(s, b.time[i]!, b.flow[i]!, b.seq[i]!, log ? (e) => log.add(i, e) : null)) {
    const x = ctx.esp.sad.at(s);
    if (x !== null) return x;
  }
  const sa = ctx.world.sas[s]!;
  dropAtSender(ctx, q, b, i, sa, R_TUNNEL_DOWN, ike ? ike.noSaDetail(s) : `SA ${sa.name} has no keys`);
  return null;
}

export const espEncryptNode: GraphNode<NodeContext> = {
  id: NodeId.ESP_ENCRYPT,
  name: 'esp-encrypt',
  summary: "into the SA: tunnel up, path MTU and fragments, the SKU buckets of the gateways at its ends (the sender's refuses here), sequence number, seal",
  // esp-decrypt directly when the Internet link tampers with nothing (no `inject:`): the
  // link node then has nothing to do, and skipping it saves a queue per ESP packet.
  next: ['internet', 'esp-decrypt'],
  ends: [],
  drops: ['tunnel-down', 'p2s-auth', 'mtu', 'rate-limit'],
  ordered: true,
  run(ctx, b, list, n, q) {
    sealBatch(ctx, b, list, n, q);
    // The packets' bytes are read by later nodes (the Internet link, esp-decrypt, captures).
    ctx.esp.finishSeals();
  },
};

/** The node's work on its packets; the seals' bytes are finished by the caller. */
function sealBatch(ctx: NodeContext, b: PacketBatch, list: Int32Array, n: number, q: Queues): void {
  const w = ctx.world;
  const sas = w.sas;
  const tunnels = w.tunnels;
  const esp = ctx.esp;
  const out = ctx.refusal;
  const args = b.arg;
  const trace = b.trace;
  const link = ctx.link;
  const tampering = link !== undefined && !link.idle;
  const transit = ctx.transit;
  const overSku = b.espOverSku;
  const tokens = ctx.state.bucketTokens;
  const charged = ctx.state.bucketTime;
  const { first, firstSends, second, rate } = ctx.buckets;
  for (let k = 0; k < n; k++) {
    const i = list[k]!;
    const s = args[i]!;
    const sa = sas[s]!;
    const tun = tunnels[sa.tunnel]!;
    if (tun.downReason !== 0) {
      dropAtSender(ctx, q, b, i, sa, tun.downReason, tun.downDetail);
      continue;
    }
    let x = esp.sad.at(s);
    if (x === null) {
      x = noSa(ctx, q, b, i, s);
      if (x === null) continue;
    }
    // The usual packet fits the path MTU whole and the SA has sequence numbers left: its
    // size is one mask; the rest (DF drop, fragments, the limits) is out of line.
    const wl = esp.sizes.wireLength(s, b.len[i]!);
    let plan: Uint8Array[] | null | number = null;
    let r = 0;
    if (wl <= sa.mtu && wl <= IPV4_MAX_TOTAL_LEN && x.seqOut < 0xffffffff) b.wireLen[i] = wl;
    else {
      plan = pathMtu(w, esp, b, i, s, out);
      r = typeof plan === 'number' ? plan : espLimits(esp, x, b, i, s, plan, out);
    }
    // The first slot's verdict: a refusal of the sender's drops the packet here, before it
    // costs a sequence number; a refusal of the receiver's goes with it to esp-decrypt.
    // (The receiver is then charged before the seal: the seal refuses nothing that the
    // limits above let through: a refusal there is a bug, still reported; esp-plane.ts.)
    const firstOk = r !== 0 || chargeBucket(tokens, charged, rate, first[s]!, b.time[i]!, b.wireLen[i]!);
    if (!firstOk && firstSends[s] === 1) {
      dropAtSender(ctx, q, b, i, sa, R_RATE, trace[i] ? overSkuDetail(w, sa.from) : '');
      continue;
    }
    if (r === 0) r = esp.seal(b, i, x, plan as Uint8Array[] | null, out);
    if (r !== 0) {
      if (trace[i]) hop(ctx, b, i, { kind: 'encrypt-refused', sa: s, len: b.len[i]! });
      dropAtSender(ctx, q, b, i, sa, r, out.detail);
      continue;
    }
    x.sentPackets++;
    x.sentBytes += b.len[i]!;
    const also = second[s]!;
    overSku[i] = firstOk && (also < 0 || chargeBucket(tokens, charged, rate, also, b.time[i]!, b.wireLen[i]!)) ? 0 : 1;
    b.sa[i] = s;
    b.addVia(i, sa.connection);
    if (trace[i]) {
      hop(ctx, b, i, {
        kind: 'encrypt', sa: s, spi: x.spi, seq: b.espSeq[i]!, espPackets: b.espCount[i]!, wireLen: b.wireLen[i]!, shape: esp.sizes.shapes[s]!, header: header(b, i),
      });
    }
    if (tampering) {
      b.espTamper[i] = 0;
      q.cross(b, i, NodeId.INTERNET, s);
    }
    else q.pass(b, i, NodeId.ESP_DECRYPT, s);
    if (transit[s] === 1) {
      q.defer(NodeId.ESP_ENCRYPT, list, k + 1, n);
      return;
    }
  }
}
