/**
 * Captures streamed while a run goes on (RunOptions.capture = a CaptureSink): each batch's
 * packets reach the sink when the batch ends, so memory holds one batch however long the
 * run; and the files are byte for byte those of the all-in-memory writer, which kept every
 * packet in the order the pipeline saw it and sorted each link by time (stably) at the end.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CaptureBuffer, PcapMemorySink } from '../../sim/engine/capture.js';
import type { CaptureSink } from '../../sim/engine/capture.js';
import { pcapFile } from '../../sim/wire/pcap.js';
import { runScenario, validateScenarioText } from '../../sim/index.js';
import type { Scenario } from '../../sim/index.js';
import { exampleScenarios } from '../support/run-cli.js';

function load(file: string, edit: (text: string) => string = (t) => t): Scenario {
  const v = validateScenarioText(edit(readFileSync(file, 'utf8')), file);
  if (!v.scenario) throw new Error(`${file}: ${JSON.stringify(v.diagnostics.filter((d) => d.severity === 'error'))}`);
  return v.scenario;
}

/** Counts packets per link, and checks each link's times never go back. */
class CountingSink implements CaptureSink {
  count = 0;
  /** Of them, IKE messages (UDP to port 500 or 4500 on the Internet link). */
  ike = 0;
  private readonly last = new Map<string, number>();
  backwards = 0;
  packet(link: string, time: number, bytes: Uint8Array): void {
    this.count++;
    if (link === 'internet' && bytes[9] === 17 && [500, 4500].includes((bytes[22]! << 8) | bytes[23]!)) this.ike++;
    if (time < (this.last.get(link) ?? -Infinity)) this.backwards++;
    this.last.set(link, time);
  }
}

/** The policy-based example with one flow of `n` packets, every one delivered through the tunnel. */
function bulk(n: number): Scenario {
  return load('scenarios/s2s-policy-based.yaml', (t) => t.replace(/^traffic:[\s\S]*$/m,
    `traffic:\n  - { id: bulk, from: vm1, to: pc1, proto: udp, dport: 5000, size: 200, count: ${n}, interval: 1ms }\n`));
}

/**
 * The tamper example with many packets both ways and injections at batch edges (batches
 * of 64): reordered packets released at a batch's end, replayed copies delivered batches
 * later, copies still waiting at the end of the run.
 */
function tamperAcrossBatches(): Scenario {
  return load('scenarios/s2s-esp-tamper-mtu.yaml', (t) => t.replace(/^traffic:[\s\S]*$/m, [
    'traffic:',
    '  - { id: f1, from: vm1, to: pc1, proto: udp, dport: 5000, size: 200, count: 600, interval: 1ms }',
    '  - { id: f2, from: pc1, to: vm1, proto: udp, dport: 5001, size: 300, count: 600, interval: 1ms, start: 0.5ms }',
    '  - { id: f3, from: vm1, to: pc1, proto: udp, dport: 5002, size: 3000, count: 90, interval: 3ms }',
    'inject:',
    '  - { connection: gw1-hq, at: 0s, action: reorder, direction: out, packet: 64 }',
    '  - { connection: gw1-hq, at: 0s, action: replay, direction: in, packet: 63 }',
    '  - { connection: gw1-hq, at: 0s, action: duplicate, direction: out, packet: 65 }',
    '  - { connection: gw1-hq, at: 0s, action: reorder, direction: in, packet: 128 }',
    '  - { connection: gw1-hq, at: 0s, action: corrupt, direction: in, packet: 200 }',
    '  - { connection: gw1-hq, at: 0.599s, action: replay, direction: out, packet: 1 }',
    '  - { connection: gw1-hq, at: 0.599s, action: replay, direction: in, packet: 1 }',
    '',
  ].join('\n')));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('captures stream to a sink', () => {
  it('every batch\'s packets reach the sink by the end of that batch, while many batches stream', () => {
    const sink = new CountingSink();
    let batches = 0;
    const r = runScenario(bulk(5000), {
      capture: sink, batchSize: 64,
      progress: (p) => {
        // Each packet crosses three links (vnet1, the Internet as ESP, hq's LAN): all written, none
        // held; so do the IKE messages the first packet's negotiation sent (Main Mode and Quick Mode).
        expect(sink.count - sink.ike).toBe(3 * p.packets);
        if (!p.done) batches++;
      },
    });
    expect(batches).toBeGreaterThan(70);
    expect(sink.ike).toBe(9);
    expect(sink.count).toBe(3 * 5000 + 9);
    expect(sink.backwards).toBe(0);
    // The packets went to the sink, not into the result.
    expect(r.captures?.pcaps).toEqual({});
    expect(r.captures?.espSa).toMatch(/^"IPv4","203\.0\.113\.10"/m);
  });

  it('holds at most one batch of packets, injected copies included', () => {
    // How much the buffer holds each time it is flushed (the most it ever holds).
    const held: number[] = [];
    const real = CaptureBuffer.prototype.flush;
    vi.spyOn(CaptureBuffer.prototype, 'flush').mockImplementation(function (this: CaptureBuffer) {
      held.push(this.buffered);
      real.call(this);
    });
    runScenario(tamperAcrossBatches(), { capture: new CountingSink(), batchSize: 64 });
    expect(held.length).toBeGreaterThan(20);
    // A batch of 64: each packet on two host links and, per fragment (f3: 3), once as ESP; plus the copies.
    expect(Math.max(...held)).toBeLessThanOrEqual(64 * (2 + 3) + 3);
  });
});

/**
 * The capture as the all-in-memory writer made it: every packet in the order the pipeline
 * handed it over (seen here through CaptureBuffer.add), each link sorted by time, stably,
 * then written by PcapWriter.
 */
function referenceFiles(s: Scenario, batchSize?: number): Record<string, Uint8Array> {
  const seen = new Map<string, { time: number; bytes: Uint8Array }[]>();
  const real = CaptureBuffer.prototype.add;
  const spy = vi.spyOn(CaptureBuffer.prototype, 'add').mockImplementation(function (this: CaptureBuffer, link: string, t: number, bytes: Uint8Array) {
    let l = seen.get(link);
    if (!l) seen.set(link, (l = []));
    l.push({ time: t, bytes });
    real.call(this, link, t, bytes);
  });
  runScenario(s, { capture: new CountingSink(), ...(batchSize ? { batchSize } : {}) });
  spy.mockRestore();
  const out: Record<string, Uint8Array> = {};
  for (const link of [...seen.keys()].sort((a, b) => a.localeCompare(b))) out[link] = pcapFile([...seen.get(link)!].sort((a, b) => a.time - b.time));
  return out;
}

function streamedFiles(s: Scenario, batchSize?: number): Record<string, Uint8Array> {
  const sink = new PcapMemorySink();
  runScenario(s, { capture: sink, ...(batchSize ? { batchSize } : {}) });
  return sink.files();
}

function expectSameFiles(got: Record<string, Uint8Array>, want: Record<string, Uint8Array>): void {
  expect(Object.keys(got)).toEqual(Object.keys(want));
  for (const k of Object.keys(want)) expect(Buffer.from(got[k]!).equals(Buffer.from(want[k]!)), k).toBe(true);
}

describe('streamed captures equal the all-in-memory writer byte for byte', () => {
  it.each(exampleScenarios())('%s', (file) => {
    const s = load(file);
    const want = referenceFiles(s);
    expect(Object.keys(want).length).toBeGreaterThan(0);
    expectSameFiles(streamedFiles(s), want);
    // capture: true (files in memory) is the same stream.
    expectSameFiles(runScenario(s, { capture: true }).captures!.pcaps, want);
  });

  it.each([7, 64])('injections across batch edges, batches of %i', (batchSize) => {
    const s = tamperAcrossBatches();
    const r = runScenario(s);
    // Every injection applied (the copies of the last packets wait for the end of the run).
    expect(r.injections.map((x) => x.result)).not.toContain('not-applied');
    expectSameFiles(streamedFiles(s, batchSize), referenceFiles(s, batchSize));
  });
});
