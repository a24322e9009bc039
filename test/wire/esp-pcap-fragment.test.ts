import { describe, expect, it } from 'vitest';
import * as esp from '../../sim/wire/esp.js';
import { fragment } from '../../sim/wire/fragment.js';
import * as ipv4 from '../../sim/wire/ipv4.js';
import { PcapStream, PcapWriter, pcapFile, splitTime } from '../../sim/wire/pcap.js';
import { Prng } from '../../sim/util/prng.js';
import { hex, ip, toHex } from './hex.js';

describe('esp header', () => {
  const HDR = hex('c0ffee01 0000002a');
  it('parses and emits', () => {
    const r = esp.parse(HDR);
    expect(r.ok && r.value).toEqual({ spi: 0xc0ffee01, seq: 42 });
    const b = new Uint8Array(esp.bufferLen({ spi: 0xc0ffee01, seq: 42 }));
    esp.emit({ spi: 0xc0ffee01, seq: 42 }, b);
    expect(toHex(b)).toBe(toHex(HDR));
  });
  it('refuses truncation and reserved SPIs', () => {
    for (let n = 0; n < 8; n++) expect(((r) => !r.ok && r.error.code)(esp.parse(HDR.subarray(0, n)))).toBe('truncated');
    expect(((r) => !r.ok && r.error.code)(esp.parse(hex('000000ff00000001')))).toBe('bad-spi');
    expect(esp.parse(hex('0000010000000001')).ok).toBe(true);
  });
});

describe('pcap', () => {
  it('writes the classic header and records', () => {
    const w = new PcapWriter();
    w.add(1.5, hex('45'));
    w.add(2.0000014, hex('4500'));
    const b = w.bytes();
    expect(toHex(b.subarray(0, 24))).toBe('d4c3b2a1' + '0200' + '0400' + '00000000' + '00000000' + 'ffff0000' + '65000000');
    expect(toHex(b.subarray(24, 40))).toBe('01000000' + '20a10700' + '01000000' + '01000000');
    expect(b[40]).toBe(0x45);
    expect(toHex(b.subarray(41, 57))).toBe('02000000' + '01000000' + '02000000' + '02000000');
    expect(b.length).toBe(24 + 16 + 1 + 16 + 2);
    expect(toHex(pcapFile([{ time: 1.5, bytes: hex('45') }, { time: 2.0000014, bytes: hex('4500') }]))).toBe(toHex(b));
  });
  it('splits time and truncates at snaplen', () => {
    expect(splitTime(0.9999996)).toEqual({ sec: 1, usec: 0 });
    expect(splitTime(-1)).toEqual({ sec: 0, usec: 0 });
    const w = new PcapWriter(4);
    w.add(0, new Uint8Array(10));
    const b = w.bytes();
    expect(b.length).toBe(24 + 16 + 4);
    expect(toHex(b.subarray(24 + 8, 24 + 16))).toBe('04000000' + '0a000000');
  });
});

describe('pcap stream', () => {
  /** The file a PcapStream writes, with the chunks it handed over. */
  function streamed(records: readonly { time: number; bytes: Uint8Array }[], snaplen?: number, chunk?: number): { file: Uint8Array; writes: number[] } {
    const parts: Uint8Array[] = [];
    const s = new PcapStream((b) => parts.push(b.slice()), snaplen, undefined, chunk);
    for (const r of records) s.add(r.time, r.bytes);
    s.flush();
    const n = parts.length;
    s.flush(); // nothing is left to write
    expect(parts).toHaveLength(n);
    return { file: Uint8Array.from(parts.flatMap((p) => [...p])), writes: parts.map((p) => p.length) };
  }

  it('writes exactly the bytes of PcapWriter, whatever the chunk size (records bigger than a chunk too)', () => {
    const rnd = new Prng(7);
    const records = Array.from({ length: 200 }, (_, k) => ({ time: k * 0.0013 + rnd.next(), bytes: rnd.fill(new Uint8Array(rnd.range(1, 3000))) }));
    records.push({ time: 9, bytes: new Uint8Array(70_000) }); // over the snaplen: truncated, orig_len kept
    const want = pcapFile(records);
    for (const chunk of [0, 1, 40, 41, 1000, 4096, 1 << 16, 1 << 20]) {
      const { file, writes } = streamed(records, undefined, chunk);
      expect(toHex(file), `chunk ${chunk}`).toBe(toHex(want));
      // Memory stays at one chunk: a write bigger than the chunk (at least 40 bytes) is one record's data, straight from the caller.
      const alone = new Set(records.map((r) => Math.min(r.bytes.length, 65535)));
      expect(writes.filter((w) => w > Math.max(chunk, 40) && !alone.has(w)), `chunk ${chunk}`).toEqual([]);
    }
  });

  it('starts with the global header alone, and writes nothing before the first flush or full chunk', () => {
    const empty: Uint8Array[] = [];
    new PcapStream((b) => empty.push(b.slice())).flush();
    expect(toHex(Uint8Array.from(empty.flatMap((p) => [...p])))).toBe(toHex(new PcapWriter().bytes()));
    const parts: Uint8Array[] = [];
    const s = new PcapStream((b) => parts.push(b.slice()), 4, undefined, 60);
    s.add(1.5, hex('45000000'));
    expect(parts).toHaveLength(0);
    s.add(2, new Uint8Array(10)); // 44 + 16 + 4 (snaplen) > 60: the first chunk goes out
    expect(parts.map((p) => p.length)).toEqual([44]);
    s.flush();
    const w = new PcapWriter(4);
    w.add(1.5, hex('45000000'));
    w.add(2, new Uint8Array(10));
    expect(toHex(Uint8Array.from(parts.flatMap((p) => [...p])))).toBe(toHex(w.bytes()));
  });

  it('passes on what the writer throws (a full disk)', () => {
    const s = new PcapStream(() => {
      throw new Error('ENOSPC');
    }, undefined, undefined, 64);
    expect(() => {
      for (let k = 0; k < 10; k++) s.add(k, new Uint8Array(30));
    }).toThrow('ENOSPC');
  });
});

describe('fragment', () => {
  const payload = Uint8Array.from({ length: 3000 }, (_, i) => i & 0xff);
  const repr = ipv4.ipv4Repr({ src: ip('10.1.0.4'), dst: ip('10.2.0.5'), protocol: 17, payloadLength: payload.length, identification: 77 });
  const pkt = ipv4.build(repr, payload);

  it('splits on 8-byte boundaries and reassembles', () => {
    const r = fragment(pkt, 1400);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((f) => f.length)).toEqual([1396, 1396, 20 + 3000 - 2 * 1376]);
    const got = new Uint8Array(3000);
    r.value.forEach((f, i) => {
      const p = ipv4.parse(f);
      if (!p.ok) throw new Error(p.error.message);
      expect(p.value.identification).toBe(77);
      expect(p.value.moreFragments).toBe(i < 2);
      expect(p.value.fragmentOffset % 8).toBe(0);
      got.set(f.subarray(20), p.value.fragmentOffset);
    });
    expect(toHex(got)).toBe(toHex(payload));
  });

  it('returns a packet that fits unchanged, and respects DF', () => {
    const r = fragment(pkt, 3020);
    expect(r.ok && r.value[0]).toBe(pkt);
    const df = ipv4.build({ ...repr, dontFragment: true }, payload);
    const e = fragment(df, 1500);
    expect(!e.ok && e.error.code).toBe('df-set');
    expect(((x) => !x.ok && x.error.code)(fragment(pkt, 27))).toBe('mtu-too-small');
    expect(((x) => !x.ok && x.error.code)(fragment(pkt.subarray(0, 10), 1500))).toBe('malformed');
  });

  it('refragments a fragment and copies only copied options', () => {
    const opts = hex('01' + '830700000000' + '00'); // NOP, LSRR-like (copied, len 7), EOL → 8 bytes
    const first = ipv4.build({ ...repr, options: opts, moreFragments: true, fragmentOffset: 800 }, payload.subarray(0, 1600));
    const r = fragment(first, 600);
    if (!r.ok) throw new Error(r.error.message);
    const parsed = r.value.map((f) => {
      const p = ipv4.parse(f);
      if (!p.ok) throw new Error(p.error.message);
      return p.value;
    });
    expect(parsed[0]!.options.length).toBe(8);
    expect(toHex(parsed[1]!.options)).toBe('8307000000000000');
    expect(parsed[0]!.fragmentOffset).toBe(800);
    expect(parsed.every((p) => p.moreFragments)).toBe(true);
    expect(parsed.reduce((s, p) => s + p.payloadLength, 0)).toBe(1600);
  });
});
