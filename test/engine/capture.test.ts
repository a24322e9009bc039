/**
 * The capture reorder buffer and the in-memory capture sink (sim/engine/capture.ts): a
 * batch's packets reach the sink sorted by time, stably, when the batch ends, so that
 * batch by batch the sink sees exactly a stable sort of the whole capture; nothing is
 * held after a flush; the streaming and the memory sinks write the pcap writer's files.
 */
import { describe, expect, it } from 'vitest';
import { CaptureBuffer, PcapMemorySink, PcapStreamSink } from '../../sim/engine/capture.js';
import type { CaptureSink } from '../../sim/engine/capture.js';
import { pcapFile } from '../../sim/wire/pcap.js';
import { Prng } from '../../sim/util/prng.js';

interface Rec {
  readonly link: string;
  readonly t: number;
  readonly bytes: Uint8Array;
}

class ListSink implements CaptureSink {
  readonly got: Rec[] = [];
  packet(link: string, t: number, bytes: Uint8Array): void {
    this.got.push({ link, t, bytes });
  }
}

/**
 * Records as a batched pipeline makes them: batch k's times lie in [k, k + 1) (ties
 * common), in any order within the batch; each record's bytes say which it is.
 */
function batches(seed: number, count: number, size: number): Rec[][] {
  const rnd = new Prng(seed);
  let id = 0;
  return Array.from({ length: count }, (_, k) => Array.from({ length: size }, () => ({
    link: rnd.pick(['internet', 'vnet-a', 'site-b']),
    t: k + rnd.int(8) / 8,
    bytes: Uint8Array.of(id >> 8, id++ & 0xff),
  })));
}

describe('CaptureBuffer', () => {
  it('hands a batch to the sink at flush, each link sorted by time with ties in arrival order', () => {
    const sink = new ListSink();
    const buf = new CaptureBuffer(sink);
    const all = batches(3, 40, 50);
    for (const b of all) {
      for (const r of b) buf.add(r.link, r.t, r.bytes);
      // Never more than one batch held, however many batches went through.
      expect(buf.buffered).toBe(b.length);
      buf.flush();
      expect(buf.buffered).toBe(0);
    }
    // What one stable sort of the whole capture gives, per link.
    for (const link of ['internet', 'vnet-a', 'site-b']) {
      const want = all.flat().filter((r) => r.link === link).sort((a, b) => a.t - b.t);
      const got = sink.got.filter((r) => r.link === link);
      expect(got.map((r) => [r.t, ...r.bytes])).toEqual(want.map((r) => [r.t, ...r.bytes]));
    }
  });

  it('holds nothing after a sink that throws, whatever links it held', () => {
    const buf = new CaptureBuffer({
      packet: () => {
        throw new Error('disk full');
      },
    });
    for (const link of ['internet', 'vnet-a', 'site-b']) {
      buf.add(link, 0, new Uint8Array(1));
      buf.add(link, 1, new Uint8Array(1));
    }
    expect(() => buf.flush()).toThrow('disk full');
    expect(buf.buffered).toBe(0);
  });
});

describe('PcapMemorySink', () => {
  it('keeps one pcap file per link, the pcap writer\'s bytes, links in name order', () => {
    const sink = new PcapMemorySink();
    const recs = batches(5, 3, 400).flat().sort((a, b) => a.t - b.t);
    for (const r of recs) sink.packet(r.link, r.t, r.bytes);
    const files = sink.files();
    expect(Object.keys(files)).toEqual(['internet', 'site-b', 'vnet-a']);
    for (const [link, bytes] of Object.entries(files)) {
      expect(Buffer.from(bytes).equals(Buffer.from(pcapFile(recs.filter((r) => r.link === link).map((r) => ({ time: r.t, bytes: r.bytes })))))).toBe(true);
    }
    expect(sink.files()).toEqual(files);
  });
});

describe('PcapStreamSink', () => {
  it('opens a writer per link at its first packet and streams the pcap writer\'s bytes to it, in chunks', () => {
    const opened: string[] = [];
    const parts = new Map<string, Uint8Array[]>();
    const sink = new PcapStreamSink((link) => {
      opened.push(link);
      const l: Uint8Array[] = [];
      parts.set(link, l);
      return (b) => l.push(b.slice());
    });
    const recs = batches(5, 3, 400).flat().map((r) => ({ ...r, bytes: new Uint8Array(300).fill(r.bytes[1]!) })).sort((a, b) => a.t - b.t);
    for (const r of recs) sink.packet(r.link, r.t, r.bytes);
    expect(sink.links()).toEqual(['internet', 'site-b', 'vnet-a']);
    expect(opened).toEqual([...new Set(recs.map((r) => r.link))]);
    // 1,200 packets of 300 bytes: some chunks went out during the run, before any flush.
    expect([...parts.values()].some((l) => l.length > 0)).toBe(true);
    for (const link of sink.links()) sink.flush(link);
    for (const link of sink.links()) {
      const file = Buffer.concat(parts.get(link)!);
      expect(file.equals(Buffer.from(pcapFile(recs.filter((r) => r.link === link).map((r) => ({ time: r.t, bytes: r.bytes })))))).toBe(true);
    }
  });
});
