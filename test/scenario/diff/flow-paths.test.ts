/**
 * PathSink (packets with the same hops share one list) against a plain grouping of the
 * same events, on random event streams: a few flows, packets in any order, paths from a
 * small set of hops so many repeat, and hops that come after a packet's end (an injected
 * copy's path, which must not change the other packets sharing its list).
 */
import { describe, expect, it } from 'vitest';
import { PathSink } from '../../../sim/scenario/diff/flow-paths.js';
import type { PacketPath } from '../../../sim/scenario/diff/flow-paths.js';
import type { EndEvent, HopEvent, SimEvent } from '../../../sim/engine/events.js';
import { Prng } from '../../../sim/util/prng.js';

/** The paths as a plain grouping of the events gives them. */
function reference(events: readonly SimEvent[], flow: string): PacketPath[] {
  const byPacket = new Map<number, { src: string; dst: string; hops: PacketPath['hops'][number][]; end: PacketPath['end'] }>();
  for (const e of events) {
    if ((e.type !== 'hop' && e.type !== 'delivered' && e.type !== 'dropped' && e.type !== 'internet') || e.flow !== flow) continue;
    let p = byPacket.get(e.packet);
    if (!p) byPacket.set(e.packet, (p = { src: '', dst: '', hops: [], end: null }));
    if (e.type === 'hop') {
      if (p.hops.length === 0) [p.src, p.dst] = [e.src, e.dst];
      p.hops.push({ hop: e.hop, node: e.node, stage: e.stage, decision: e.decision, ...(e.connection ? { connection: e.connection } : {}) });
    } else {
      p.end = { type: e.type, node: e.node, stage: e.stage, ...(e.reason ? { reason: e.reason } : {}), ...(e.detail ? { detail: e.detail } : {}), via: e.via };
    }
  }
  return [...byPacket.entries()].sort((a, b) => a[0] - b[0]).map(([packet, p]) => ({ packet, ...p }));
}

function randomEvents(rnd: Prng): SimEvent[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd.next() * xs.length)]!;
  const events: SimEvent[] = [];
  const flows = ['a', 'b', '__proto__'];
  const packets = Array.from({ length: 1 + Math.floor(rnd.next() * 30) }, (_, i) => i + 1).sort(() => rnd.next() - 0.5);
  for (const packet of packets) {
    const flow = pick(flows);
    const times = rnd.next() < 0.1 ? 2 : 1; // a second path after the end: an injected copy
    for (let k = 0; k < times; k++) {
      const n = 1 + Math.floor(rnd.next() * 4);
      for (let h = 1; h <= n; h++) {
        const hop: HopEvent = {
          type: 'hop', t: 0, flow, packet, hop: h, node: pick(['gw1', 'hq/device', 'vnet1/frontend']), stage: pick(['route', 'encrypt']),
          decision: pick(['x', 'y']), src: '10.0.0.1', dst: '10.0.0.2', ...(rnd.next() < 0.3 ? { connection: pick(['c1', 'c2']) } : {}),
        };
        events.push(hop);
      }
      const end: EndEvent = rnd.next() < 0.5
        ? { type: 'delivered', t: 0, flow, packet, node: 'vm1', stage: 'deliver', via: [] }
        : { type: 'dropped', t: 0, flow, packet, node: 'gw1', stage: 'encrypt', reason: 'tunnel-down', detail: pick(['d1', 'd2']), via: ['c1'] };
      events.push(end);
    }
  }
  return events;
}

describe('PathSink against a plain grouping', () => {
  it('gives the same paths on 300 random event streams', () => {
    const rnd = new Prng(3, 'path-sink');
    for (let i = 0; i < 300; i++) {
      const events = randomEvents(rnd);
      const sink = new PathSink();
      for (const e of events) sink.event(e);
      for (const flow of ['a', 'b', '__proto__', 'none']) expect(sink.paths(flow)).toEqual(reference(events, flow));
    }
  });
});
