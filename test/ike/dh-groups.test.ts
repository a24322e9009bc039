/**
 * The Diffie-Hellman group table: each prime is the one OpenSSL (through node:crypto)
 * holds for the same RFC group, group 24's constants are a prime-order subgroup as RFC
 * 5114 §2.3 says, and the lookups find each group by every number and name it has.
 */
import { checkPrimeSync, createDiffieHellmanGroup } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DH_GROUP_IDS, DH_GROUP_LIST, DH_GROUPS, dhGroupById, dhGroupByIkev1, dhGroupByKeyword } from '../../sim/ike/dh-groups.js';
import { modPow } from '../../sim/ipsec/modp.js';

describe('DH group table', () => {
  it.each([
    [1, 'modp1'],
    [2, 'modp2'],
    [5, 'modp5'],
    [14, 'modp14'],
  ] as const)('group %i: prime and generator equal node\'s %s', (id, nodeName) => {
    const g = DH_GROUPS[id];
    const node = createDiffieHellmanGroup(nodeName);
    expect(g.primeHex.toLowerCase()).toBe(node.getPrime('hex'));
    expect(BigInt(`0x${g.generatorHex}`)).toBe(BigInt(`0x${node.getGenerator('hex')}`));
    expect(g.length).toBe(node.getPrime().length);
    expect(g.bits).toBe(8 * g.length);
  });

  it('group 24: p and q are prime, q divides p - 1 and g has order q (RFC 5114 §2.3)', () => {
    const g = DH_GROUPS[24];
    const p = BigInt(`0x${g.primeHex}`);
    const q = BigInt(`0x${g.subgroupOrderHex ?? '0'}`);
    const gen = BigInt(`0x${g.generatorHex}`);
    expect(checkPrimeSync(p)).toBe(true);
    expect(checkPrimeSync(q)).toBe(true);
    expect(q.toString(2).length).toBe(256);
    expect((p - 1n) % q).toBe(0n);
    expect(modPow(gen, q, p)).toBe(1n);
    expect(gen).not.toBe(1n);
    expect(g.length).toBe(256);
    // The 256-bit private values callers draw stay within the subgroup's size.
    expect(8 * g.privateLength).toBe(256);
  });

  it('every prime is exactly `length` bytes with its top bit set', () => {
    for (const g of DH_GROUP_LIST) {
      expect(g.primeHex).toMatch(/^[0-9A-F]+$/);
      expect(g.primeHex.length).toBe(2 * g.length);
      expect(parseInt(g.primeHex.slice(0, 1), 16)).toBeGreaterThanOrEqual(8);
    }
  });

  it('finds each group by IANA number, IKEv1 value and strongSwan keyword, and nothing for others', () => {
    expect(DH_GROUP_LIST.map((g) => g.id)).toEqual([...DH_GROUP_IDS]);
    expect(DH_GROUP_LIST.map((g) => g.strongswan)).toEqual(['modp768', 'modp1024', 'modp1536', 'modp2048', 'modp2048s256']);
    expect(DH_GROUP_LIST.map((g) => g.strongswanName)).toEqual(['MODP_768', 'MODP_1024', 'MODP_1536', 'MODP_2048', 'MODP_2048_256']);
    for (const g of DH_GROUP_LIST) {
      expect(dhGroupById(g.id)).toBe(g);
      expect(dhGroupByIkev1(g.ikev1)).toBe(g);
      expect(dhGroupByKeyword(g.strongswan)).toBe(g);
    }
    expect(dhGroupById(19)).toBeNull();
    expect(dhGroupById(0)).toBeNull();
    expect(dhGroupByKeyword('ecp256')).toBeNull();
  });
});
