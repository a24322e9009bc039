/**
 * `esp-decrypt`: the receiving end of an SA (argument: the world SA index the packet was
 * sent on), the whole step here: the receiving gateway's SKU bucket (charged when the
 * packet was sent, see esp-encrypt.ts: a refused packet is dropped here); the SAD lookup by SPI
 * and destination, the anti-replay window and the ICV (the data plane's `open`: unknown-spi,
 * replay, icv-mismatch); the inbound policy (RFC 4301: the inner packet must match the
 * selectors of the SA it arrived on); then on into the receiver: a gateway forwards, a P2S
 * client takes it, a device routes it onto its LAN (a router hop). After each packet of an
 * SA, the Internet link lets that SA's held packets and due copies follow.
 */
import { Outcome as Outcome_IMPORT } from '../../engine/batch.js';
import type { PacketBatch } from '../../engine/batch.js';
import { dropReasonCode } from '../../engine/drop-reasons.js';
import type { GraphNode, Queues } from '../../engine/graph.js';
import { EndKind as EndKind_IMPORT } from '../world.js';
import { endCounter } from '../internet-link.js';
import type { InternetLink } from '../internet-link.js';
import { END_WHERE as END_WHERE_IMPORT, Where as Where_IMPORT, outsideSelectorsDetail, overSkuDetail } from '../trace-text.js';
import { NodeId as NodeId_IMPORT } from './ids.js';
import { dropAt, endAt, header, hop, routerTtl as routerTtl_IMPORT } from './context.js';
import type { NodeContext } from './context.js';
import type { WSa } from '../world.js';
import { Stage } from '../../engine/stages.js';

// Local copies: V8 folds a module's own consts, not imported bindings (see sim/engine/batch.ts).
const Outcome = Outcome_IMPORT;
const EndKind = EndKind_IMPORT;
const END_WHERE = END_WHERE_IMPORT;
const Where = Where_IMPORT;
const NodeId = NodeId_IMPORT;
const routerTtl = routerTtl_IMPORT;

const R_RATE = dropReasonCode('rate-limit');
const R_INBOUND = dropReasonCode('inbound-policy');

function inPrefix(a: number, addr: number, len: number): boolean {
  return len === 0 || ((a ^ addr) >>> (32 - len)) === 0;
}

/** Drop packet i at the receiving end of `sa` (its node and counter are looked up only for a drop). */
function dropAtReceiver(ctx: NodeContext, q: Queues, b: PacketBatch, i: number, sa: WSa, reason: number, detail: string): void {
  dropAt(ctx, q, b, i, endCounter(ctx.world, sa.toKind, sa.to), reason, END_WHERE[sa.toKind]!, sa.to, Stage.DECRYPT, detail);
}

/**
 * A packet of SA `s` arrived (position k of the n in `list`): the link lets what waited
 * for it follow, its due copies at once and its held packets into `list` right after k.
 * Returns how many packets went into the list.
 */
function arrived(ctx: NodeContext, link: InternetLink, q: Queues, b: PacketBatch, s: number, t: number, list: Int32Array, k: number, n: number): number {
  link.arrived(q, s, t, ctx.world, ctx.esp, ctx.tap ?? null, ctx.log, ctx.flowNames);
  return link.releaseInto(b, q, s, list, k, n);
}

export const espDecryptNode: GraphNode<NodeContext> = {
  id: NodeId.ESP_DECRYPT,
  name: 'esp-decrypt',
  summary: "out of the SA: the receiver's SKU bucket (its verdict), SAD lookup by SPI, anti-replay, ICV, inbound policy",
  // esp-decrypt: the packets the Internet link held back, let go after this SA's next packet
  // (into this node's own list, right behind it; at the end of a batch, to its queue).
  next: ['gateway-forward', 'p2s-deliver', 'site-deliver', 'esp-decrypt'],
  ends: ['internet'],
  drops: ['rate-limit', 'unknown-spi', 'replay', 'icv-mismatch', 'inbound-policy', 'ttl-expired'],
  run(ctx, b, list, n, q) {
    const w = ctx.world;
    const sas = w.sas;
    const esp = ctx.esp;
    const tap = ctx.tap;
    const d = ctx.opened;
    // Without tampering the link has nothing to let follow a packet.
    const link = ctx.link !== undefined && !ctx.link.idle ? ctx.link : null;
    const args = b.arg;
    const trace = b.trace;
    const overSku = b.espOverSku;
    for (let k = 0; k < n; k++) {
      const i = list[k]!;
      const s = args[i]!;
      const sa = sas[s]!;
      if (overSku[i] === 1) {
        dropAtReceiver(ctx, q, b, i, sa, R_RATE, trace[i] ? overSkuDetail(w, sa.to) : '');
        if (link) n += arrived(ctx, link, q, b, s, b.time[i]!, list, k, n);
        continue;
      }
      if (tap) {
        const packets = esp.wire(i);
        if (packets) for (const p of packets) tap.internet(b.time[i]!, p);
      }
      esp.open(b, i, d);
      if (link && b.espTamper[i]) link.settle(b, i, d, ctx.log, ctx.flowNames);
      if (d.reason !== 0) {
        if (trace[i]) hop(ctx, b, i, { kind: 'decrypt-refused', sa: s, reason: d.reason });
        dropAtReceiver(ctx, q, b, i, sa, d.reason, d.detail);
        if (link) n += arrived(ctx, link, q, b, s, b.time[i]!, list, k, n);
        continue;
      }
      const f = d.sa >= 0 ? d.sa : s;
      const found = sas[f]!;
      // Inbound policy (RFC 4301): the decrypted inner packet must match the SA's selectors.
      const src = d.innerSrc;
      const dst = d.innerDst;
      const okSel = inPrefix(src, found.selSrc.addr, found.selSrc.len) && inPrefix(dst, found.selDst.addr, found.selDst.len);
      if (trace[i]) {
        hop(ctx, b, i, {
          kind: 'decrypt', arrivedOn: s, sa: f, spi: d.spi, seq: b.espSeq[i]!, espPackets: b.espCount[i]!, wireLen: b.wireLen[i]!,
          shape: esp.sizes.shapes[s]!, header: header(b, i), selectorsMatch: okSel,
        });
      }
      if (link) n += arrived(ctx, link, q, b, s, b.time[i]!, list, k, n);
      if (!okSel) {
        dropAtReceiver(ctx, q, b, i, sa, R_INBOUND, trace[i] ? outsideSelectorsDetail(found, src, dst) : '');
        continue;
      }
      b.sa[i] = -1;
      b.wireLen[i] = b.len[i]!;
      if (sa.toKind === EndKind.GATEWAY) q.pass(b, i, NodeId.GATEWAY_FORWARD, sa.to);
      else if (sa.toKind === EndKind.P2S) q.pass(b, i, NodeId.P2S_DELIVER, sa.to);
      else {
        // The device routes the decrypted packet onto its LAN (or out): a router hop, like the gateway's forward.
        const site = w.sites[sa.to]!;
        if (!routerTtl(ctx, q, b, i, site.device.counter, Where.DEVICE, sa.to, Stage.FORWARD)) continue;
        if (site.prefixLpm.lookup(b.dst[i]!) >= 0) q.pass(b, i, NodeId.SITE_DELIVER, sa.to);
        else endAt(ctx, q, b, i, Outcome.INTERNET, Where.DEVICE, sa.to, Stage.DECRYPT);
      }
    }
  },
};
