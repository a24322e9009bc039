/**
 * Captures of a run: the packets that cross each link, handed to a `CaptureSink` in time
 * order while the run goes on, so a capture of any length takes constant memory.
 *
 * Owns the sink interface, the reorder buffer between the pipeline and the sink, and two
 * sinks: `PcapStreamSink` streams each link's pcap file, in constant memory, to a writer
 * its caller opens at the link's first packet (the CLI's files); `PcapMemorySink` keeps
 * whole pcap files in memory (tests, small runs, library users). No file IO here.
 *
 * Why a reorder buffer: stages visit a batch stage by stage, so a link sees the packets of
 * one batch out of time order (packet 2's send before packet 1's delivery). Every packet
 * of a batch is due no earlier than every packet of the batches before it (the run makes
 * packets in time order), and what a batch carries besides its own packets carries a time
 * inside the batch's span too: a reordered packet is released within its batch, and an
 * injected copy is stamped with the later of its original's time and the time of the
 * packet that lets it through. Only the end of the run (`finish`, copies still waiting)
 * comes after the last batch, stamped with the run's end. So sorting each batch's records
 * by time, stably, and writing them when the batch ends gives exactly the order of a
 * stable sort of the whole capture: `CaptureBuffer` holds at most one batch's records.
 */
import { PcapStream, PcapWriter } from '../wire/pcap.js';

/**
 * The file name of a link's capture: LINK.pcap, with `/`, `\`, `%` and control characters
 * written as %XX (their UTF-8 bytes), so every name stays one file inside a folder and two
 * links never share a file. Names made of other characters are unchanged. `vgw run --pcap`
 * and the web page's downloads name their files with it.
 */
export function captureFileName(link: string): string {
  const escape = (c: string): string => [...new TextEncoder().encode(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  return `${link.replace(/[\u0000-\u001f\u007f-\u009f/\\%]/g, escape)}.pcap`;
}

/** Receives captured packets, per link. */
export interface CaptureSink {
  /**
   * `bytes` (a raw IPv4 packet) crossed `link` (`internet`, `vnet-NAME`, `site-NAME`,
   * `p2s-NAME`) at virtual time `time` (seconds). A link's packets come in time order, ties
   * in the order they crossed. `bytes` may be reused once the call returns. A sink may
   * throw (a full disk): the run stops there and the error reaches runScenario's caller.
   */
  packet(link: string, time: number, bytes: Uint8Array): void;
}

interface Pending {
  readonly t: number;
  readonly bytes: Uint8Array;
}

/** One batch's captured packets per link, handed to a sink in time order on `flush`. */
export class CaptureBuffer {
  private readonly links = new Map<string, Pending[]>();
  private held = 0;

  constructor(private readonly sink: CaptureSink) {}

  /** A packet seen on `link` at `t`; `bytes` must stay unchanged until the next `flush` (pass a copy). */
  add(link: string, t: number, bytes: Uint8Array): void {
    let l = this.links.get(link);
    if (!l) this.links.set(link, (l = []));
    l.push({ t, bytes });
    this.held++;
  }

  /** Hand every held packet to the sink, each link's sorted by time (stable), and forget them. */
  flush(): void {
    if (this.held === 0) return;
    // Every link's packets are taken out before the sink sees one: after a sink that throws
    // the buffer holds nothing, so nothing is written twice.
    const out: [string, Pending[]][] = [];
    for (const [link, l] of this.links) if (l.length > 0) out.push([link, l.splice(0).sort(byTime)]);
    this.held = 0;
    for (const [link, recs] of out) for (const r of recs) this.sink.packet(link, r.t, r.bytes);
  }

  /** Packets held now (written on the next flush). */
  get buffered(): number {
    return this.held;
  }
}

function byTime(a: Pending, b: Pending): number {
  return a.t - b.t;
}

/**
 * A sink that streams each link's capture as a pcap file (PcapStream: one chunk per link,
 * whatever the run's length) to the writer `open` gives for the link at its first packet.
 * What a writer throws (a full disk) reaches the caller of `packet` or `flush`.
 */
export class PcapStreamSink implements CaptureSink {
  private readonly streams = new Map<string, PcapStream>();

  constructor(private readonly open: (link: string) => (bytes: Uint8Array) => void) {}

  packet(link: string, time: number, bytes: Uint8Array): void {
    let s = this.streams.get(link);
    if (!s) {
      s = new PcapStream(this.open(link));
      this.streams.set(link, s);
    }
    s.add(time, bytes);
  }

  /** The links that carried a packet, in name order. */
  links(): string[] {
    return [...this.streams.keys()].sort((a, b) => a.localeCompare(b));
  }

  /** Hand what `link`'s stream still gathers to its writer. */
  flush(link: string): void {
    this.streams.get(link)?.flush();
  }
}

/** A sink that keeps each link's capture as a pcap file in memory. */
export class PcapMemorySink implements CaptureSink {
  private readonly writers = new Map<string, PcapWriter>();

  packet(link: string, time: number, bytes: Uint8Array): void {
    let w = this.writers.get(link);
    if (!w) this.writers.set(link, (w = new PcapWriter()));
    w.add(time, bytes.slice()); // the sink's caller may reuse `bytes`
  }

  /** Pcap files by link name (links that carried a packet), in name order. */
  files(): Record<string, Uint8Array> {
    const out: Record<string, Uint8Array> = {};
    for (const link of [...this.writers.keys()].sort((a, b) => a.localeCompare(b))) out[link] = this.writers.get(link)!.bytes();
    return out;
  }
}
