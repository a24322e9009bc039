/**
 * The bytes of a batch packet: its inner IPv4 packet (IPv4 + ICMP echo / UDP / TCP header
 * with the flow's ports, a payload pattern up to the flow's size), built on demand into one
 * reused scratch buffer. For ESP (what gets encrypted), fragmentation and the LAN captures.
 */
import { IPV4_MAX_TOTAL_LEN, emitPlain as emitIpv4 } from '../wire/ipv4.js';
import { emit as emitIcmp } from '../wire/icmp.js';
import { emit as emitUdp } from '../wire/udp.js';
import { emit as emitTcp, TcpFlags } from '../wire/tcp.js';
import { sumWords } from '../wire/checksum.js';
import type { PacketBatch } from '../engine/batch.js';

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

/** Smallest packet that holds the protocol's header (IPv4 20 + ICMP 8 / UDP 8 / TCP 20). */
export function minPacketLen(proto: number): number {
  return proto === 6 ? 40 : 28;
}

/** Builds batch packets' bytes into one scratch buffer. */
export class PacketBytes {
  private readonly scratch = new Uint8Array(IPV4_MAX_TOTAL_LEN);
  /** Payload pattern sums by (length, header length, row); see payloadSum. */
  private readonly payloadSums = new Map<number, number>();

  /** The inner packet of batch slot `i` as bytes (a view on the scratch buffer, valid until the next call). */
  inner(b: PacketBatch, i: number): Uint8Array {
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
    emitIpv4(out, 0, 0, (b.flow[i]! * 40503 + seq) & 0xffff, (b.flags[i]! & 1) === 1, b.ttl[i]!, proto, src, dst, len - 20);
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
}
