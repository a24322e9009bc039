import { describe, expect, it } from 'vitest';
import { parseAddressesText, parseSelectorsText, parseTableText, resultsChecksum } from '../../sim/bench/data.js';
import { LpmTable } from '../../sim/net/lpm.js';
import { SelectorClassifier } from '../../sim/net/classifier.js';

describe('bench data files', () => {
  it('parses a table, keeping line numbers for the checksum', () => {
    const p = parseTableText('# routes\n0.0.0.0/0 default\n\n10.0.0.0/8 corp\n10.1.0.0/16\n');
    expect(p.errors).toEqual([]);
    expect(p.entries).toEqual([{ addr: 0, len: 0 }, { addr: 0x0a000000, len: 8 }, { addr: 0x0a010000, len: 16 }]);
    expect([...p.lineOf]).toEqual([1, 3, 4]);
  });
  it('reports every bad line with its 1-based number and a fix', () => {
    const p = parseTableText('10.1.2.3/16 x\n10.0.0.0/33\nfoo\n10.0.0.0/8 a b\n');
    expect(p.errors.map((e) => e.line)).toEqual([1, 2, 3]); // extra columns are allowed (CIDR lists such as APNIC's)
    expect(p.errors[0]!.message).toContain('did you mean 10.1.0.0/16');
  });
  it('parses selectors and rejects unknown actions', () => {
    const ok = parseSelectorsText('10.1.0.0/16 192.168.0.0/16 protect s1\n0.0.0.0/0 0.0.0.0/0 bypass\n');
    expect(ok.errors).toEqual([]);
    expect(ok.entries.map((e) => e.action)).toEqual(['protect', 'bypass']);
    const bad = parseSelectorsText('10.1.0.0/16 192.168.0.0/16 allow\n10.1.0.0/16\n');
    expect(bad.errors.map((e) => e.line)).toEqual([1, 2]);
    expect(bad.errors[0]!.message).toContain('protect, bypass or discard');
  });
  it('parses single addresses and pairs', () => {
    expect([...parseAddressesText('10.0.0.1\n\n10.1.0.1\n', false).dst]).toEqual([0x0a000001, 0x0a010001]);
    const pairs = parseAddressesText('10.0.0.1 10.0.0.2\n', true);
    expect([...pairs.src, ...pairs.dst]).toEqual([0x0a000001, 0x0a000002]);
    expect(parseAddressesText('10.0.0.1\n', true).errors[0]!.line).toBe(1);
    expect(parseAddressesText('10.0.0.300\n', false).errors[0]!.line).toBe(1);
  });
  it('checksum: sum of 1 + matching line (0 for no match), mod 2^32', () => {
    const t = parseTableText('# c\n10.0.0.0/8 a\n10.1.0.0/16 b\n');
    const a = parseAddressesText('10.1.2.3\n10.2.0.0\n11.0.0.0\n', false);
    const out = new Int32Array(3);
    LpmTable.compile(t.entries).lookupBatch(a.dst, out, 3);
    expect(resultsChecksum(out, t.lineOf)).toBe(3 + 2 + 0);
    const s = parseSelectorsText('10.0.0.0/8 0.0.0.0/0 protect\n10.1.0.0/16 10.2.0.0/16 discard\n');
    const pr = parseAddressesText('10.1.0.1 10.2.0.1\n11.0.0.1 10.2.0.1\n', true);
    const o2 = new Int32Array(2);
    SelectorClassifier.compile(s.entries).classifyBatch(pr.src, pr.dst, o2, 2);
    expect(resultsChecksum(o2, s.lineOf)).toBe(1); // first line wins for the first pair; no match for the second
    expect(resultsChecksum(Int32Array.from([0, 0]), Int32Array.from([0x7fffffff]))).toBe(0); // 2 * 2^31 wraps
  });
});
