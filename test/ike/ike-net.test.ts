/**
 * The virtual network of test/support/ike-net.ts, with two toy endpoints (a pinger that
 * sends one datagram at start and again at each deadline, and an echo that answers every
 * datagram to where it came from): latency and order, drops, duplicates, delays, a cut
 * path, a NAT's rewriting both ways, and the refusals that catch a broken endpoint.
 */
import { describe, expect, it } from 'vitest';
import type { IkeDatagram, IkeEndpoint, IkeOutput, IkeTunnelConfig } from '../../sim/ike/endpoint.js';
import { IkeNet } from '../support/ike-net.js';
import { ip } from '../wire/hex.js';

const A = ip('198.51.100.1');
const B = ip('203.0.113.2');

function config(local: number, remote: number): IkeTunnelConfig {
  return { local, remote } as IkeTunnelConfig;
}

/** Sends datagram n (payload [n]) at start and at each of its deadlines. */
class Pinger implements IkeEndpoint {
  espActivity(): void {}
  readonly config: IkeTunnelConfig;
  readonly received: { time: number; d: IkeDatagram }[] = [];
  private n = 0;
  constructor(local: number, remote: number, private readonly deadlines: number[] = []) {
    this.config = config(local, remote);
  }
  private ping(): IkeOutput[] {
    const datagram = { src: this.config.local, dst: this.config.remote, sport: 500, dport: 500, payload: Uint8Array.of(this.n++) };
    return [{ kind: 'send', datagram, summary: `ping ${this.n - 1}`, retransmit: 0 }];
  }
  start(): IkeOutput[] {
    return this.ping();
  }
  receive(d: IkeDatagram, now: number): IkeOutput[] {
    this.received.push({ time: now, d });
    return [{ kind: 'received', datagram: d, summary: 'pong', problem: null }];
  }
  nextDeadline(): number {
    return this.deadlines[0] ?? Infinity;
  }
  tick(now: number): IkeOutput[] {
    while (this.deadlines.length > 0 && this.deadlines[0]! <= now) this.deadlines.shift();
    return this.ping();
  }
  acquire(): IkeOutput[] {
    return [];
  }
  close(): IkeOutput[] {
    return [];
  }
}

/** Answers each datagram with its payload, to its source. */
class Echo extends Pinger {
  override start(): IkeOutput[] {
    return [];
  }
  override receive(d: IkeDatagram, now: number): IkeOutput[] {
    this.received.push({ time: now, d });
    const datagram = { src: this.config.local, dst: d.src, sport: d.dport, dport: d.sport, payload: d.payload };
    return [{ kind: 'send', datagram, summary: 'echo', retransmit: 0 }];
  }
}

describe('ike-net', () => {
  it('delivers after the latency and echoes come back in order', () => {
    const net = new IkeNet({ latency: 0.05 });
    const a = new Pinger(A, B, [1, 2]);
    const b = new Echo(B, A);
    net.attach('a', a);
    net.attach('b', b);
    net.start(0);
    net.run(10);
    expect(b.received.map((r) => [r.time, r.d.payload[0]])).toEqual([
      [0.05, 0],
      [1.05, 1],
      [2.05, 2],
    ]);
    expect(a.received.map((r) => r.time)).toEqual([0.1, 1.1, 2.1]);
    expect(net.now).toBe(10);
    expect(net.outputs('a', 'received')).toHaveLength(3);
    expect(net.sent().map((t) => [t.from, t.summary])).toEqual([
      ['a', 'ping 0'],
      ['b', 'echo'],
      ['a', 'ping 1'],
      ['b', 'echo'],
      ['a', 'ping 2'],
      ['b', 'echo'],
    ]);
  });

  it('drops, duplicates and delays what a filter picks, and a cut drops everything until restored', () => {
    const net = new IkeNet();
    const a = new Pinger(A, B, [1, 2, 3, 4]);
    const b = new Echo(B, A);
    net.attach('a', a);
    net.attach('b', b);
    const drop = net.drop((t) => t.datagram.payload[0] === 1, 'lost one');
    net.duplicate((t) => t.from === 'a' && t.datagram.payload[0] === 2);
    net.delay((t) => t.datagram.payload[0] === 3 && t.from === 'a', 0.5);
    net.start(0);
    net.run(3.9);
    drop.remove();
    net.cut();
    net.run(4.5);
    net.restore();
    net.run(10);
    expect(b.received.map((r) => [r.time, r.d.payload[0]])).toEqual([
      [0.01, 0],
      [2.01, 2],
      [2.011, 2],
      [3.51, 3],
    ]);
    const dropped = net.events.flatMap((e) => (e.kind === 'dropped' ? [[e.transit.datagram.payload[0], e.reason]] : []));
    expect(dropped).toEqual([
      [1, 'lost one'],
      [4, 'path cut'],
    ]);
  });

  it('a NAT rewrites the inside source on the way out and maps answers back', () => {
    const net = new IkeNet();
    const inside = ip('192.168.1.10');
    const pub = ip('198.51.100.200');
    const a = new Pinger(inside, B, [1]);
    const b = new Echo(B, inside);
    net.attach('a', a);
    net.attach('b', b);
    net.natBehind('a', pub, 40000);
    net.start(0);
    net.run(5);
    expect(b.received.map((r) => [r.d.src, r.d.sport])).toEqual([
      [pub, 40000],
      [pub, 40000],
    ]);
    expect(a.received.map((r) => [r.d.dst, r.d.dport, r.d.src])).toEqual([
      [inside, 500, B],
      [inside, 500, B],
    ]);
    // A datagram to a public port with no mapping is dropped.
    net.inject('b', { src: B, dst: pub, sport: 500, dport: 41234, payload: Uint8Array.of(9) });
    net.run(6);
    expect(net.events.at(-1)).toMatchObject({ kind: 'dropped', reason: `no NAT mapping for 198.51.100.200:41234` });
  });

  it('refuses two endpoints on one address, and an endpoint whose past deadline does not move', () => {
    const net = new IkeNet();
    net.attach('a', new Pinger(A, B));
    expect(() => net.attach('b', new Pinger(A, B))).toThrow(/two endpoints on 198\.51\.100\.1/);
    const stuck = new Pinger(B, A);
    stuck.nextDeadline = () => 1;
    net.attach('s', stuck);
    expect(() => net.run(5)).toThrow(/deadline 1 did not move on/);
  });

  it('a datagram for an address nobody has is dropped and recorded', () => {
    const net = new IkeNet();
    net.attach('a', new Pinger(A, ip('192.0.2.99')));
    net.start(0);
    net.run(1);
    expect(net.events.filter((e) => e.kind === 'dropped').map((e) => (e.kind === 'dropped' ? e.reason : ''))).toEqual(['no host at 192.0.2.99']);
  });
});
