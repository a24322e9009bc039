/**
 * The text forms of route tables `vgw bench --table` reads, on samples shaped like the real
 * outputs: detection, the routes each yields (with their lines), and bad lines refused
 * with line and column.
 */
import { describe, expect, it } from 'vitest';
import { detectTableFormat, parseTable, rangePrefixes } from '../../sim/bench/table-formats.js';
import { formatPrefix } from '../../sim/net/ipv4.js';
import { Prng } from '../../sim/util/prng.js';

const show = (text: string): string[] => parseTable(text).entries.map((r) => formatPrefix(r.addr, r.len));

const APNIC = '1.0.0.0/24\t13335\n1.0.4.0/22\t38803\n1.0.5.0/24\t38803\n1.0.128.0/17\t23969\n';

const SHOW_IP_BGP = `BGP table version is 8221402, local router ID is 192.0.2.1
Status codes: s suppressed, d damped, h history, * valid, > best, i - internal,
              r RIB-failure, S Stale, m multipath, b backup-path, f RT-Filter,
              x best-external, a additional-path, c RIB-compressed,
Origin codes: i - IGP, e - EGP, ? - incomplete
RPKI validation codes: V valid, I invalid, N Not found

     Network          Next Hop            Metric LocPrf Weight Path
 *   1.0.0.0/24       198.51.100.7             0             0 3356 13335 i
 *>                   203.0.113.9                            0 6939 13335 i
 *>  3.0.0.0          203.0.113.9                            0 7018 16509 i
 *>i 12.0.0.0         10.0.0.2                 0    100      0 7018 i
 s>  128.9.0.0        203.0.113.9                            0 226 i
 *>  192.0.2.0        0.0.0.0                  0         32768 i
 *>i100.100.100.0/22  10.0.0.2                 0    100      0 64512 i
 *>  203.0.113.128/25
                      198.51.100.7             0             0 64500 i
r>i 10.20.0.0/16     10.0.0.2                 0    100      0 i

Total number of prefixes 8
`;

const SHOW_IP_ROUTE = `Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area
       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
       E1 - OSPF external type 1, E2 - OSPF external type 2
       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
       * - candidate default, U - per-user static route, o - ODR
Gateway of last resort is 10.1.1.2 to network 0.0.0.0

S*    0.0.0.0/0 [1/0] via 10.1.1.2
      10.0.0.0/8 is variably subnetted, 4 subnets, 3 masks
C        10.1.1.0/24 is directly connected, GigabitEthernet0/0
L        10.1.1.1/32 is directly connected, GigabitEthernet0/0
O IA     10.2.0.0/16 [110/2] via 10.1.1.3, 00:01:02, GigabitEthernet0/0
                     [110/2] via 10.1.1.4, 00:01:02, GigabitEthernet0/1
O E2     10.3.0.0/16 [110/20] via 10.1.1.3, 2d01h, GigabitEthernet0/0
      172.16.0.0/24 is subnetted, 2 subnets
B        172.16.1.0 [20/0] via 192.0.2.1, 1d02h
B        172.16.2.0 [20/0] via 192.0.2.1, 1d02h
D EX  192.168.5.0/24 [170/2816] via 10.1.1.5, 00:10:11, GigabitEthernet0/2
R     192.168.7.0 [120/1] via 10.1.1.6, 00:00:12, GigabitEthernet0/3
B     45.0.0.0/8 [20/0] via 192.0.2.1, 3w2d
`;

describe('route table text forms', () => {
  it('detects each format from its lines', () => {
    expect(detectTableFormat(APNIC)).toBe('cidr');
    expect(detectTableFormat('# mine\n10.0.0.0/8 corp\n')).toBe('cidr');
    expect(detectTableFormat(SHOW_IP_BGP)).toBe('bgp');
    expect(detectTableFormat(SHOW_IP_ROUTE)).toBe('route');
    expect(detectTableFormat('1.0.0.0-1.0.0.255\tAU\n')).toBe('range');
    expect(detectTableFormat('TABLE_DUMP2|1700000000|B|198.51.100.7|3356|1.0.0.0/24|3356 13335|IGP|198.51.100.7|0|0||NAG||\n')).toBe('bgpdump');
  });

  it('reads CIDR lists with extra columns (APNIC data-raw-table)', () => {
    const p = parseTable(APNIC);
    expect(p.errors).toEqual([]);
    expect(show(APNIC)).toEqual(['1.0.0.0/24', '1.0.4.0/22', '1.0.5.0/24', '1.0.128.0/17']);
    expect([...p.lineOf]).toEqual([0, 1, 2, 3]);
  });

  it('reads show ip bgp: status codes, classful networks, other paths and wrapped lines', () => {
    const p = parseTable(SHOW_IP_BGP);
    expect(p.errors).toEqual([]);
    expect(p.format).toBe('bgp');
    expect(show(SHOW_IP_BGP)).toEqual(['1.0.0.0/24', '3.0.0.0/8', '12.0.0.0/8', '128.9.0.0/16', '192.0.2.0/24', '100.100.100.0/22', '203.0.113.128/25', '10.20.0.0/16']);
    expect([...p.lineOf]).toEqual([8, 10, 11, 12, 13, 14, 15, 17]);
  });

  it('reads show ip route: codes and sub-codes, subnetted headers, second paths', () => {
    const p = parseTable(SHOW_IP_ROUTE);
    expect(p.errors).toEqual([]);
    expect(show(SHOW_IP_ROUTE)).toEqual([
      '0.0.0.0/0', '10.1.1.0/24', '10.1.1.1/32', '10.2.0.0/16', '10.3.0.0/16', '172.16.1.0/24', '172.16.2.0/24', '192.168.5.0/24', '192.168.7.0/24', '45.0.0.0/8',
    ]);
  });

  it('reads ranges as the prefixes that cover them', () => {
    expect(show('1.0.0.0-1.0.0.255\tAU\n10.0.0.1 - 10.0.0.6\n')).toEqual(['1.0.0.0/24', '10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6/32']);
    expect([...parseTable('0.0.0.0-255.255.255.255\n').entries]).toEqual([{ addr: 0, len: 0 }]);
  });

  it('range cover: exact and minimal on random ranges', () => {
    const rng = new Prng(3, 'ranges');
    for (let k = 0; k < 300; k++) {
      let lo = rng.nextU32();
      let hi = k % 3 === 0 ? lo + rng.int(5000) : rng.nextU32();
      if (hi > 0xffffffff) hi = 0xffffffff;
      if (hi < lo) [lo, hi] = [hi, lo];
      const ps = rangePrefixes(lo, hi);
      let next = lo;
      for (const p of ps) {
        expect(p.addr).toBe(next);
        expect(p.addr % 2 ** (32 - p.len)).toBe(0);
        next = p.addr + 2 ** (32 - p.len);
      }
      expect(next).toBe(hi + 1);
      expect(ps.length).toBeLessThanOrEqual(62);
    }
  });

  it('reads bgpdump -m lines and counts the IPv6 ones it skips', () => {
    const text = 'TABLE_DUMP2|1700000000|B|198.51.100.7|3356|1.0.0.0/24|3356 13335|IGP|198.51.100.7|0|0||NAG||\n'
      + 'TABLE_DUMP2|1700000000|B|2001:db8::1|3356|2001:db8::/32|3356|IGP|2001:db8::1|0|0||NAG||\n';
    const p = parseTable(text);
    expect(show(text)).toEqual(['1.0.0.0/24']);
    expect(p.ipv6Skipped).toBe(1);
  });

  it('counts IPv6 routes in CIDR lists instead of refusing them', () => {
    const p = parseTable('1.0.0.0/24\t13335\n2001:db8::/32\t64500\n');
    expect(p.errors).toEqual([]);
    expect([p.entries.length, p.ipv6Skipped]).toEqual([1, 1]);
  });

  it('refuses bad lines with line, column and a fix', () => {
    expect(parseTable('1.0.0.0/24\n  1.0.0.1/24 x\n').errors).toEqual([{ line: 2, column: 3, message: expect.stringContaining('did you mean 1.0.0.0/24') }]);
    expect(parseTable('1.0.0.0/24\nfoo bar\n').errors[0]).toMatchObject({ line: 2, column: 1 });
    const bgp = parseTable(' *>  1.2.3.0/33     203.0.113.9   0 0 1 i\n *>  10.1.0.0       203.0.113.9   0 0 1 i\n *>  224.0.0.0  203.0.113.9 0 0 1 i\n', 'bgp');
    expect(bgp.errors.map((e) => [e.line, e.column])).toEqual([[1, 6], [2, 6], [3, 6]]);
    expect(bgp.errors[1]!.message).toContain('classful /8');
    expect(bgp.errors[2]!.message).toContain('class D/E');
    const r = parseTable('10.0.0.9-10.0.0.1\n', 'range');
    expect(r.errors[0]).toMatchObject({ line: 1, column: 1, message: expect.stringContaining('before it starts') });
    const rt = parseTable('B     45.0.0.0/40 [20/0] via 192.0.2.1, 3w2d\n', 'route');
    expect(rt.errors[0]).toMatchObject({ line: 1, column: 7 });
  });
});
