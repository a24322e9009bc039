/**
 * Classic libpcap capture files (the "pcap" format of tcpdump and Wireshark), as bytes.
 *
 * Owns the 24-byte global header and the 16-byte record headers: magic 0xa1b2c3d4 written
 * little-endian (microsecond timestamps), version 2.4, snaplen 65535, link type
 * LINKTYPE_RAW (101: each record is a raw IPv4 packet, no link header). Timestamps are the
 * simulator's virtual seconds split into seconds and microseconds, so the same run gives
 * the same file. No file IO here: the CLI writes the bytes. Packets longer than the
 * snaplen are truncated in the record (orig_len keeps the real size), as tcpdump does.
 */

/** LINKTYPE_RAW: the packet begins with an IPv4 (or IPv6) header. */
export const LINKTYPE_RAW = 101;
/** Default snapshot length. */
export const PCAP_SNAPLEN = 65535;

const GLOBAL_HEADER_LEN = 24;
const RECORD_HEADER_LEN = 16;
const MAGIC_USEC = 0xa1b2c3d4;

/** One captured packet. */
export interface PcapRecord {
  /** Virtual time in seconds (fractions kept to the microsecond). */
  readonly time: number;
  readonly bytes: Uint8Array;
}

/** Split virtual seconds into (sec, usec), rounding to the microsecond; negatives and NaN → 0. */
export function splitTime(t: number): { sec: number; usec: number } {
  const micros = Number.isFinite(t) && t > 0 ? Math.round(t * 1e6) : 0;
  const sec = Math.floor(micros / 1e6);
  return { sec, usec: micros - sec * 1e6 };
}

/** Accumulates records and renders a pcap file. */
export class PcapWriter {
  private readonly records: PcapRecord[] = [];
  private size = GLOBAL_HEADER_LEN;

  /** `snaplen`: longest record kept (default 65535); `linkType` default LINKTYPE_RAW. */
  constructor(
    readonly snaplen: number = PCAP_SNAPLEN,
    readonly linkType: number = LINKTYPE_RAW,
  ) {}

  /** Number of records so far. */
  get count(): number {
    return this.records.length;
  }

  /** Append a packet seen at virtual time `time` (seconds). The bytes are kept by reference. */
  add(time: number, bytes: Uint8Array): void {
    this.records.push({ time, bytes });
    this.size += RECORD_HEADER_LEN + Math.min(bytes.length, this.snaplen);
  }

  /** The whole file as bytes. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, MAGIC_USEC, true);
    dv.setUint16(4, 2, true);
    dv.setUint16(6, 4, true);
    dv.setInt32(8, 0, true); // thiszone: UTC
    dv.setUint32(12, 0, true); // sigfigs
    dv.setUint32(16, this.snaplen, true);
    dv.setUint32(20, this.linkType, true);
    let o = GLOBAL_HEADER_LEN;
    for (const r of this.records) {
      const { sec, usec } = splitTime(r.time);
      const incl = Math.min(r.bytes.length, this.snaplen);
      dv.setUint32(o, sec >>> 0, true);
      dv.setUint32(o + 4, usec, true);
      dv.setUint32(o + 8, incl, true);
      dv.setUint32(o + 12, r.bytes.length, true);
      out.set(incl === r.bytes.length ? r.bytes : r.bytes.subarray(0, incl), o + RECORD_HEADER_LEN);
      o += RECORD_HEADER_LEN + incl;
    }
    return out;
  }
}

/** Render records as a pcap file in one call. */
export function pcapFile(records: readonly PcapRecord[], snaplen = PCAP_SNAPLEN): Uint8Array {
  const w = new PcapWriter(snaplen);
  for (const r of records) w.add(r.time, r.bytes);
  return w.bytes();
}
