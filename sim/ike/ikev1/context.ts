/**
 * What every part of the IKEv1 endpoint shares during one call: the configuration, the crypto
 * backend, the seeded random source, the ports, the time of the call and the outputs it
 * collects, plus the counters strongSwan names its SAs by (`conn[1]`, `conn{1}`).
 *
 * Owns drawing random values (cookies, message IDs, SPIs, nonces, DH private values; all from
 * the caller's Prng, never anything else, so runs repeat) and writing outputs in order.
 * Refuses nothing.
 */
import type { CryptoBackend } from '../../ipsec/crypto.js';
import type { Prng } from '../../util/prng.js';
import type { IkeOutput, IkeSessionStatus, IkeTunnelConfig } from '../endpoint.js';
import type { DhGroup } from '../dh-groups.js';
import type { IsakmpPadding } from '../../wire/isakmp.js';
import type { Ikev1Ports } from './state.js';

/** Bytes of the nonces this side sends (strongSwan's NONCE_SIZE for IKEv1). */
export const NONCE_LENGTH = 32;

export class Ikev1Context {
  /** The time of the call being served, seconds. */
  now = 0;
  private out: IkeOutput[] = [];
  private ikeSaIds = 0;
  private childSaIds = 0;

  constructor(
    readonly config: IkeTunnelConfig,
    readonly be: CryptoBackend,
    readonly prng: Prng,
    readonly ports: Ikev1Ports,
    readonly padding: IsakmpPadding,
  ) {}

  /** Start serving a call at `now`. */
  begin(now: number): void {
    this.now = now;
    this.out = [];
  }

  /** The outputs of the call, in order. */
  finish(): IkeOutput[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  emit(o: IkeOutput): void {
    this.out.push(o);
  }

  log(text: string): void {
    this.out.push({ kind: 'log', text });
  }

  status(status: IkeSessionStatus, detail: string, notify: string | null = null): void {
    this.out.push({ kind: 'status', status, detail, notify });
  }

  /** The next IKE_SA number (`conn[n]`). */
  nextIkeSaId(): number {
    return ++this.ikeSaIds;
  }

  /** The next CHILD_SA number (`conn{n}`). */
  nextChildSaId(): number {
    return ++this.childSaIds;
  }

  bytes(n: number): Uint8Array {
    return this.prng.fill(new Uint8Array(n));
  }

  /** An 8-byte cookie, never all zeros (RFC 2408 §2.5.3). */
  cookie(): Uint8Array {
    const c = this.bytes(8);
    if (c.every((b) => b === 0)) c[7] = 1;
    return c;
  }

  /** A message ID for a Quick Mode or Informational exchange: random, never 0 (RFC 2408 §3.1). */
  messageId(): number {
    return this.prng.nextU32() || 1;
  }

  /** An SPI this side receives on: random, above the reserved 0-255 (RFC 4303 §2.1), not in `taken`. */
  spi(taken: ReadonlySet<number>): number {
    for (;;) {
      const s = this.prng.nextU32();
      if (s > 255 && !taken.has(s)) return s;
    }
  }

  nonce(): Uint8Array {
    return this.bytes(NONCE_LENGTH);
  }

  /** A DH private value for `group`: its private length in bytes, top bit set, so 2 ≤ x ≤ p - 2 holds for every group. */
  dhPrivate(group: DhGroup): Uint8Array {
    const x = this.bytes(group.privateLength);
    x[0]! |= 0x80;
    return x;
  }
}
