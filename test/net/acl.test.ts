import { describe, expect, it } from 'vitest';
import { aclToSelectors, findShadowed, parseAclLine } from '../../sim/net/acl.js';
import type { AclEntry } from '../../sim/net/acl.js';
import { makePrefix } from '../../sim/net/ipv4.js';
import { Prng } from '../../sim/util/prng.js';

function entry(line: string): AclEntry {
  const r = parseAclLine(line);
  if (!r.ok) throw new Error(`${line}: ${r.message}`);
  return r.entry;
}

describe('parseAclLine: accepted forms', () => {
  it.each([
    ['permit ip 10.1.0.0/16 192.168.0.0/16', 'permit', '10.1.0.0/16', '192.168.0.0/16'],
    ['deny ip host 10.1.0.4 any', 'deny', '10.1.0.4/32', '0.0.0.0/0'],
    ['permit ip any host 192.168.1.1', 'permit', '0.0.0.0/0', '192.168.1.1/32'],
    ['permit ip 10.1.0.0 0.0.255.255 192.168.1.0 0.0.0.255', 'permit', '10.1.0.0/16', '192.168.1.0/24'],
    ['permit ip 0.0.0.0 255.255.255.255 10.1.2.3 0.0.0.0', 'permit', '0.0.0.0/0', '10.1.2.3/32'],
    ['permit ip 0.0.0.0/0 255.255.255.255/32', 'permit', '0.0.0.0/0', '255.255.255.255/32'],
    ['  PERMIT  IP  ANY   Host 10.0.0.1  ', 'permit', '0.0.0.0/0', '10.0.0.1/32'],
    ['deny\tip\t10.0.0.0/8\tany', 'deny', '10.0.0.0/8', '0.0.0.0/0'],
  ])('%s', (line, action, src, dst) => {
    const r = parseAclLine(line);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entry.action).toBe(action);
    expect(r.entry.src.text).toBe(src);
    expect(r.entry.dst.text).toBe(dst);
    expect(r.entry.src).toEqual(makePrefix(r.entry.src.addr, r.entry.src.len));
    expect(r.entry.text).toBe(line.trim());
  });
});

describe('parseAclLine: errors point at the token and say how to fix it', () => {
  it.each([
    ['', 1, /empty access-list entry/],
    ['   ', 1, /empty access-list entry/],
    ['access-list 101 permit ip any any', 1, /without "access-list NAME extended"/],
    ['remark web servers', 1, /remarks are not entries/],
    ['permt ip any any', 1, /did you mean "permit"/],
    ['dney ip any any', 1, /did you mean "deny"/],
    ['allow ip any any', 1, /starts with "permit" or "deny"/],
    ['permit', 7, /missing "ip"/],
    ['permit tcp any any eq 443', 8, /only "ip" is supported.*"tcp"/],
    ['deny udp any any', 6, /only "ip" is supported/],
    ['permit 6 any any', 8, /only "ip" is supported/],
    ['permit any any', 8, /missing protocol: write "permit ip any any"/],
    ['permit 10.1.0.0/16 any', 8, /missing protocol: write "permit ip 10.1.0.0\/16 any"/],
    ['permit host 10.1.0.1 any', 8, /missing protocol/],
    ['permit ipp any any', 8, /did you mean "ip"/],
    ['permit foo any any', 8, /expected "ip"/],
    ['permit ip', 10, /missing source address/],
    ['permit ip any', 14, /missing destination address/],
    ['permit ip any   ', 14, /missing destination address/],
    ['permit ip host', 15, /"host" needs an address/],
    ['permit ip host 10.1.0.300 any', 16, /not an IPv4 address/],
    ['permit ip host any any', 16, /not an IPv4 address/],
    ['permit ip 10.1.0.5/16 any', 11, /host bits set; did you mean 10\.1\.0\.0\/16/],
    ['permit ip any 10.1.0.0/33', 15, /length after "\/" must be 0-32/],
    ['permit ip 010.1.0.0/16 any', 11, /leading zeros/],
    ['permit ip 10.1.0 any', 11, /not an IPv4 address/],
    ['permit ip 10.1.0.4 any', 11, /source address 10\.1\.0\.4 needs a prefix length or a wildcard mask: write "host 10\.1\.0\.4"/],
    ['permit ip 10.1.0.4 10.2.0.4', 11, /source address 10\.1\.0\.4 needs a prefix length/],
    ['permit ip any 10.1.0.4', 15, /destination address 10\.1\.0\.4 needs/],
    ['permit ip 10.1.0.0 0.0.255.255', 31, /missing destination address/],
    ['permit ip 10.1.0.0 255.255.0.0 any', 20, /subnet mask.*wildcard.*"10\.1\.0\.0 0\.0\.255\.255" or "10\.1\.0\.0\/16"/],
    ['permit ip any 10.0.0.0 255.0.0.0', 24, /subnet mask.*"10\.0\.0\.0\/8"/],
    ['permit ip 10.1.0.0 0.255.0.255 any', 20, /not contiguous.*cannot be expressed as one prefix/],
    ['permit ip any 10.0.0.0 0.0.0.254', 24, /not contiguous/],
    ['permit ip 10.1.0.5 0.0.255.255 any', 11, /address bits set under the wildcard.*did you mean "10\.1\.0\.0 0\.0\.255\.255" \(10\.1\.0\.0\/16\)/],
    ['permit ip 10.1.0.0 0.0.256.255 any', 20, /wildcard mask: .*not an IPv4 address/],
    ['permit ip nay any', 11, /did you mean "any"/],
    ['permit ip any hots 1.2.3.4', 15, /did you mean "host"/],
    ['permit ip web any', 11, /"web" is not a source address/],
    ['permit ip any any eq 443', 19, /port matches are not supported/],
    ['permit ip any any log', 19, /logging options are not supported/],
    ['permit ip any any extra', 19, /entry ends after the destination/],
    ['permit ip 10.0.0.0 0.255.255.255 any any', 38, /unexpected "any"/],
  ])('%j -> column %i', (line, column, message) => {
    const r = parseAclLine(line);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(message);
    expect(r.column).toBe(column);
  });
});

describe('aclToSelectors', () => {
  it('keeps order and prefixes', () => {
    const es = [entry('permit ip 10.1.0.0/16 any'), entry('deny ip host 1.2.3.4 10.0.0.0 0.255.255.255')];
    expect(aclToSelectors(es)).toEqual([
      { srcAddr: 0x0a010000, srcLen: 16, dstAddr: 0, dstLen: 0 },
      { srcAddr: 0x01020304, srcLen: 32, dstAddr: 0x0a000000, dstLen: 8 },
    ]);
  });
});

describe('findShadowed', () => {
  const cases: [string, string[], { index: number; by: number[] }[]][] = [
    ['empty list', [], []],
    ['single cover', ['permit ip 10.0.0.0/8 any', 'deny ip 10.1.0.0/16 192.168.0.0/16'], [{ index: 1, by: [0] }]],
    ['identical entry, other action', ['deny ip any any', 'permit ip any any'], [{ index: 1, by: [0] }]],
    [
      'union of two halves covers the /8',
      ['permit ip 10.0.0.0/9 any', 'deny ip 10.128.0.0/9 any', 'permit ip 10.0.0.0/8 any'],
      [{ index: 2, by: [0, 1] }],
    ],
    [
      'union across both dimensions',
      [
        'permit ip 10.0.0.0/9 192.168.0.0/16',
        'permit ip 10.128.0.0/9 192.168.0.0/17',
        'permit ip 10.0.0.0/8 192.168.128.0/17',
        'deny ip 10.0.0.0/8 192.168.0.0/16',
      ],
      [{ index: 3, by: [0, 1, 2] }],
    ],
    ['partial overlap is not shadowed', ['permit ip 10.0.0.0/9 any', 'permit ip 10.0.0.0/8 any'], []],
    ['wider later entry is not shadowed', ['permit ip 10.1.0.0/16 any', 'permit ip 10.0.0.0/8 any'], []],
    ['disjoint destination is not shadowed', ['permit ip 10.0.0.0/8 192.168.0.0/16', 'permit ip 10.0.0.0/8 172.16.0.0/12'], []],
    [
      'union leaves one /32 hole',
      ['permit ip 10.0.0.0/25 any', 'permit ip 10.0.0.128/26 any', 'permit ip 10.0.0.192/27 any', 'permit ip 10.0.0.0/24 any'],
      [],
    ],
    [
      'the by list omits entries not needed',
      ['permit ip 10.0.0.0/8 any', 'permit ip 10.1.0.0/16 any', 'deny ip 10.1.2.0/24 any'],
      [
        { index: 1, by: [0] },
        { index: 2, by: [0] },
      ],
    ],
    ['any any shadows everything after it', ['deny ip any any', 'permit ip host 1.1.1.1 host 2.2.2.2'], [{ index: 1, by: [0] }]],
  ];
  it.each(cases)('%s', (_name, lines, want) => {
    expect(findShadowed(lines.map(entry))).toEqual(want);
  });

  it('matches brute force over a tiny address universe (random property)', () => {
    // Prefixes of length 0-4 only: every address is then represented by its top 4 bits,
    // so 16 x 16 points decide coverage exactly.
    const rng = new Prng(2024, 'acl-shadow');
    const rand = (): { addr: number; len: number } => {
      const len = rng.int(5);
      return { addr: len === 0 ? 0 : ((rng.int(16) >>> (4 - len)) << (32 - len)) >>> 0, len };
    };
    const inP = (p: { addr: number; len: number }, top: number): boolean =>
      p.len === 0 || (top >>> (4 - p.len)) === p.addr >>> (32 - p.len);
    const rectHas = (e: AclEntry, s: number, d: number): boolean => inP(e.src, s) && inP(e.dst, d);
    let shadowedSeen = 0;
    for (let trial = 0; trial < 300; trial++) {
      const n = rng.range(1, 12);
      const es: AclEntry[] = [];
      for (let i = 0; i < n; i++) {
        const s = rand();
        const d = rand();
        es.push({ action: rng.int(2) === 0 ? 'permit' : 'deny', src: makePrefix(s.addr, s.len), dst: makePrefix(d.addr, d.len), text: '' });
      }
      const got = findShadowed(es);
      const want: number[] = [];
      for (let i = 0; i < n; i++) {
        let all = true;
        for (let s = 0; s < 16 && all; s++) {
          for (let d = 0; d < 16 && all; d++) {
            if (!rectHas(es[i]!, s, d)) continue;
            let hit = false;
            for (let j = 0; j < i && !hit; j++) hit = rectHas(es[j]!, s, d);
            all = hit;
          }
        }
        if (all) want.push(i);
      }
      expect(got.map((x) => x.index)).toEqual(want);
      shadowedSeen += want.length;
      for (const { index, by } of got) {
        expect(by.every((j) => j < index)).toBe(true);
        for (let s = 0; s < 16; s++) {
          for (let d = 0; d < 16; d++) {
            if (rectHas(es[index]!, s, d)) expect(by.some((j) => rectHas(es[j]!, s, d))).toBe(true);
          }
        }
      }
    }
    expect(shadowedSeen).toBeGreaterThan(50);
  });

  it('covers a /16 x /16 rectangle tiled by 256 smaller entries, and notices a one-address hole', () => {
    const tiles: AclEntry[] = [];
    for (let a = 0; a < 16; a++) {
      for (let b = 0; b < 16; b++) tiles.push(entry(`permit ip 10.1.${a * 16}.0/20 192.168.${b * 16}.0/20`));
    }
    const target = entry('deny ip 10.1.0.0/16 192.168.0.0/16');
    const full = findShadowed([...tiles, target]);
    expect(full).toEqual([{ index: 256, by: tiles.map((_, i) => i) }]);
    // Replace one tile by three quarters of it plus most of the last quarter: one /32 is left.
    const holed = tiles.filter((_, i) => i !== 37);
    holed.push(entry('permit ip 10.1.32.0/21 192.168.80.0/20'), entry('permit ip 10.1.40.0/21 192.168.80.0/21'));
    for (let len = 22; len <= 32; len++) {
      const dst = ((192 << 24) | (168 << 16) | (88 << 8)) + 2 ** (32 - len);
      holed.push({ action: 'permit', src: makePrefix(0x0a012800, 21), dst: makePrefix(dst, len), text: '' });
    }
    expect(findShadowed([...holed, target]).map((x) => x.index)).toEqual([]);
    const filled = [...holed, entry('permit ip 10.1.40.0/21 host 192.168.88.0')];
    expect(findShadowed([...filled, target]).map((x) => x.index)).toEqual([filled.length]);
  });

  it('stays fast on a few hundred realistic entries', () => {
    const rng = new Prng(5, 'acl-big');
    const es: AclEntry[] = [];
    for (let i = 0; i < 400; i++) {
      const sl = rng.range(8, 32);
      const dl = rng.range(8, 32);
      es.push({
        action: 'permit',
        src: makePrefix((10 << 24) | (rng.nextU32() & 0xffff), sl),
        dst: makePrefix((192 << 24) | (168 << 16) | (rng.nextU32() & 0xff), dl),
        text: '',
      });
    }
    es.push(entry('deny ip 10.0.0.0/8 192.168.0.0/16'));
    const t = findShadowed(es);
    expect(t.every((x) => x.by.length > 0)).toBe(true);
  });
});
