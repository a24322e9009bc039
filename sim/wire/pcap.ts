/**
 * Classic libpcap capture files (the "pcap" format of tcpdump and Wireshark), as bytes.
 *
 * Owns the 24-byte global header and the 16-byte record headers: magic 0xa1b2c3d4 written
 * little-endian (microsecond timestamps), version 2.4, snaplen 65535, link type
 * LINKTYPE_RAW (101: each record is a raw IPv4 packet, no link header). Timestamps are the
 * simulator's virtual seconds split into seconds and microseconds, so the same run gives
 * the same file. No file IO here: `PcapStream` hands its bytes to a writer the caller
 * gives (the CLI writes them to a file as they come, in constant memory), `PcapWriter`
 * keeps a whole file in memory. Packets longer than the snaplen are truncated in the
 * record (orig_len keeps the real size), as tcpdump does.
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

/** Write the 24-byte global header at `o` of `dv`. */
function writeGlobalHeader(dv: DataView, o: number, snaplen: number, linkType: number): void {
  dv.setUint32(o, MAGIC_USEC, true);
  dv.setUint16(o + 4, 2, true);
  dv.setUint16(o + 6, 4, true);
  dv.setInt32(o + 8, 0, true); // thiszone: UTC
  dv.setUint32(o + 12, 0, true); // sigfigs
  dv.setUint32(o + 16, snaplen, true);
  dv.setUint32(o + 20, linkType, true);
}

/** Write the 16-byte header of a record of `origLen` bytes seen at `time` at `o` of `dv`; returns the bytes kept (incl_len). */
function writeRecordHeader(dv: DataView, o: number, time: number, origLen: number, snaplen: number): number {
  const { sec, usec } = splitTime(time);
  const incl = Math.min(origLen, snaplen);
  dv.setUint32(o, sec >>> 0, true);
  dv.setUint32(o + 4, usec, true);
  dv.setUint32(o + 8, incl, true);
  dv.setUint32(o + 12, origLen, true);
  return incl;
}

/** Accumulates records and renders a pcap file (the whole file in memory). */
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
    writeGlobalHeader(dv, 0, this.snaplen, this.linkType);
    let o = GLOBAL_HEADER_LEN;
    for (const r of this.records) {
      const incl = writeRecordHeader(dv, o, r.time, r.bytes.length, this.snaplen);
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

/** Default bytes a PcapStream gathers before handing them on: a few dozen packets per write. */
export const PCAP_STREAM_CHUNK = 1 << 16;

/**
 * A capture file as a stream, in constant memory: the global header once, then each
 * record as it is added, gathered in one reused chunk and handed to `write` whenever the
 * next record would not fit (and on `flush`). A record bigger than the chunk goes to
 * `write` straight from the caller's bytes. `write` must consume its argument before it
 * returns (the chunk is reused); whatever it throws reaches the caller of `add` or `flush`.
 * The bytes written are exactly those of `PcapWriter` with the same records.
 */
export class PcapStream {
  private readonly chunk: Uint8Array;
  private readonly dv: DataView;
  private used = 0;

  constructor(
    private readonly write: (bytes: Uint8Array) => void,
    readonly snaplen: number = PCAP_SNAPLEN,
    readonly linkType: number = LINKTYPE_RAW,
    chunkSize: number = PCAP_STREAM_CHUNK,
  ) {
    this.chunk = new Uint8Array(Math.max(GLOBAL_HEADER_LEN + RECORD_HEADER_LEN, chunkSize));
    this.dv = new DataView(this.chunk.buffer);
    writeGlobalHeader(this.dv, 0, snaplen, linkType);
    this.used = GLOBAL_HEADER_LEN;
  }

  /** Append a packet seen at virtual time `time` (seconds); the bytes are copied or written before this returns. */
  add(time: number, bytes: Uint8Array): void {
    const incl = Math.min(bytes.length, this.snaplen);
    if (this.used + RECORD_HEADER_LEN + incl > this.chunk.length) this.flush();
    writeRecordHeader(this.dv, this.used, time, bytes.length, this.snaplen);
    this.used += RECORD_HEADER_LEN;
    const data = incl === bytes.length ? bytes : bytes.subarray(0, incl);
    if (this.used + incl <= this.chunk.length) {
      this.chunk.set(data, this.used);
      this.used += incl;
    } else {
      this.flush();
      this.write(data);
    }
  }

  /** Hand everything gathered so far to `write`. */
  flush(): void {
    if (this.used === 0) return;
    const n = this.used;
    this.used = 0;
    this.write(this.chunk.subarray(0, n));
  }
}
