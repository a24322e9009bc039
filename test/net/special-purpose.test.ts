/**
 * The IPv4 special-purpose table: its rows are canonical prefixes, the most specific block
 * wins a lookup (as in the IANA registry, where 192.0.0.9/32 is globally reachable inside
 * 192.0.0.0/24), and the blocks without unicast hosts are found by overlap and by cover.
 */
import { describe, expect, it } from 'vitest';
import { parseIPv4, parsePrefix } from '../../sim/net/ipv4.js';
import { SPECIAL_BLOCKS, nonUnicastBlocksOverlapping, onlyNonUnicast, specialBlockOf } from '../../sim/net/special-purpose.js';

const ip = (t: string): number => {
  const r = parseIPv4(t);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const pre = (t: string): [number, number] => {
  const r = parsePrefix(t);
  if (!r.ok) throw new Error(r.error);
  return [r.value.addr, r.value.len];
};

describe('special-purpose table', () => {
  it('every row is a canonical prefix with a name and an RFC; no two rows share a prefix', () => {
    for (const b of SPECIAL_BLOCKS) {
      expect(parsePrefix(b.text)).toEqual({ ok: true, value: { addr: b.addr, len: b.len, text: b.text } });
      expect(b.name.length).toBeGreaterThan(2);
      expect(b.rfc).toMatch(/^RFC \d+/);
    }
    expect(new Set(SPECIAL_BLOCKS.map((b) => b.text)).size).toBe(SPECIAL_BLOCKS.length);
  });

  it.each([
    ['10.20.30.40', '10.0.0.0/8', 'RFC 1918', false],
    ['172.31.255.255', '172.16.0.0/12', 'RFC 1918', false],
    ['192.168.0.1', '192.168.0.0/16', 'RFC 1918', false],
    ['100.127.0.1', '100.64.0.0/10', 'RFC 6598', false],
    ['127.0.0.1', '127.0.0.0/8', 'RFC 1122 §3.2.1.3', false],
    ['169.254.169.254', '169.254.0.0/16', 'RFC 3927', false],
    ['0.0.0.0', '0.0.0.0/32', 'RFC 1122 §3.2.1.3', false],
    ['0.1.2.3', '0.0.0.0/8', 'RFC 791 §3.2', false],
    ['192.0.0.5', '192.0.0.0/29', 'RFC 7335', false],
    ['192.0.0.100', '192.0.0.0/24', 'RFC 6890 §2.1', false],
    ['192.0.0.9', '192.0.0.9/32', 'RFC 7723', true],
    ['192.0.0.10', '192.0.0.10/32', 'RFC 8155', true],
    ['192.88.99.1', '192.88.99.0/24', 'RFC 7526', false],
    ['198.19.255.1', '198.18.0.0/15', 'RFC 2544', false],
    ['192.0.2.1', '192.0.2.0/24', 'RFC 5737', false],
    ['224.0.0.5', '224.0.0.0/4', 'RFC 5771', false],
    ['239.255.255.250', '224.0.0.0/4', 'RFC 5771', false],
    ['240.0.0.1', '240.0.0.0/4', 'RFC 1112 §4', false],
    ['255.255.255.254', '240.0.0.0/4', 'RFC 1112 §4', false],
    ['255.255.255.255', '255.255.255.255/32', 'RFC 919 §7, RFC 8190', false],
    ['192.31.196.1', '192.31.196.0/24', 'RFC 7535', true],
  ] as const)('%s is in %s (%s), globally reachable: %s', (addr, block, rfc, reachable) => {
    const b = specialBlockOf(ip(addr));
    expect(b?.text).toBe(block);
    expect(b?.rfc).toBe(rfc);
    expect(b?.globallyReachable).toBe(reachable);
  });

  it('ordinary public addresses are in no block and reachable', () => {
    for (const a of ['8.8.8.8', '20.1.2.3', '1.1.1.1', '223.255.255.255', '11.0.0.0']) {
      expect(specialBlockOf(ip(a)), a).toBeUndefined();
    }
  });

  it('the documentation blocks are flagged, and only they', () => {
    expect(SPECIAL_BLOCKS.filter((b) => b.documentation).map((b) => b.text)).toEqual(['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24']);
  });

  it('blocks without unicast hosts: 0/8, loopback, link-local, multicast, 240/4, limited broadcast', () => {
    expect(SPECIAL_BLOCKS.filter((b) => b.notUnicast !== undefined).map((b) => b.text)).toEqual([
      '0.0.0.0/8', '0.0.0.0/32', '127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4', '255.255.255.255/32',
    ]);
  });
});

describe('nonUnicastBlocksOverlapping and onlyNonUnicast', () => {
  it('0.0.0.0/0 overlaps the five widest blocks, not the ones inside them', () => {
    expect(nonUnicastBlocksOverlapping(...pre('0.0.0.0/0')).map((b) => b.text)).toEqual([
      '0.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4',
    ]);
    expect(onlyNonUnicast(...pre('0.0.0.0/0'))).toBe(false);
  });
  it.each([
    ['127.0.0.0/24', ['127.0.0.0/8'], true],
    ['224.0.0.0/3', ['224.0.0.0/4', '240.0.0.0/4'], true],
    ['255.255.255.255/32', ['255.255.255.255/32'], true],
    ['192.0.0.0/2', ['224.0.0.0/4', '240.0.0.0/4'], false],
    ['169.254.0.0/15', ['169.254.0.0/16'], false],
    ['10.0.0.0/8', [], false],
    ['128.0.0.0/1', ['169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4'], false],
  ] as const)('%s overlaps %j; nothing but such addresses: %s', (p, blocks, only) => {
    expect(nonUnicastBlocksOverlapping(...pre(p)).map((b) => b.text)).toEqual(blocks);
    expect(onlyNonUnicast(...pre(p))).toBe(only);
  });
});
