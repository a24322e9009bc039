/**
 * Decrypted packets against what the hosts sent: the key of an IPv4 datagram, and the check
 * that a packet ESP carried equals the one its host put on its LAN (for the TTL the
 * encrypting router took one from, and the header checksum that follows it).
 */
import { expect } from 'vitest';

/** Key of an IPv4 datagram: src, dst, protocol, identification. */
export function datagramKey(p: Uint8Array): string {
  return [...p.subarray(12, 20), p[9], p[4], p[5]].join('.');
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** `inner` (decrypted) equals the packet of `lan` (by datagramKey) but for a TTL one lower, and its header checksum is valid. */
export function expectSent(inner: Uint8Array, lan: ReadonlyMap<string, Uint8Array>, where: string): void {
  const sent = lan.get(datagramKey(inner));
  expect(sent, `${where}: decrypted ${hex(inner.subarray(0, 20))} was never sent on a LAN/VNet link`).toBeDefined();
  expect(inner[8], `${where}: TTL`).toBe(sent![8]! - 1);
  const mask = (p: Uint8Array): string => {
    const c = p.slice();
    c[8] = 0;
    c[10] = 0;
    c[11] = 0;
    return hex(c);
  };
  expect(mask(inner), where).toBe(mask(sent!));
  // The header checksum of the decrypted packet is valid (one's-complement sum is 0xffff).
  let sum = 0;
  for (let k = 0; k < 20; k += 2) sum += (inner[k]! << 8) | inner[k + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  expect(sum, `${where}: inner header checksum`).toBe(0xffff);
}
