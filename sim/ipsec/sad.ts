/**
 * The SAD (Security Association Database): the SAs of a run by index, the one table of SA
 * state and counters. The ESP nodes find an SA here (outbound by index or reqid, inbound by
 * SPI and destination) and count into it; listings read it.
 *
 * SAs are referenced by index and grouped by `reqid`, the way strongSwan and XFRM tie a
 * policy to its SAs, so a rekey adds an SA under a reqid without touching any policy; an
 * index is never reused, except a reserved slot's. Lookup: inbound by (SPI, destination) as RFC 4301 §4.1 allows for
 * unicast SAs, outbound by reqid; both return an index or -1 and allocate nothing. A run
 * reserves one slot per policy direction (`reserve`) and fills it as IKE installs SAs
 * (`put`: a rekey's SA takes the slot, the one it replaces moves aside). Refused
 * on add: SPIs below 256 (reserved), a (SPI, destination) already present, keys of the
 * wrong length. The SPD (policies) belongs to the gateway layer, which holds reqids.
 */
import { SecurityAssociation } from './sa.js';
import type { SaConfig } from './sa.js';

/** Why an SA could not be added. */
export interface SadError {
  readonly code: 'reserved-spi' | 'duplicate-spi' | 'bad-key-length';
  readonly message: string;
}

/** The index of the added SA, or why not. */
export type SadAddResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly error: SadError };

/** Security Association Database: SAs by index; lookups return an index or -1. */
export class Sad {
  private readonly sas: (SecurityAssociation | null)[] = [];
  /** SPI → first index with that SPI; chained through `nextSameSpi`. */
  private readonly bySpi = new Map<number, number>();
  private readonly nextSameSpi: number[] = [];
  /** reqid → index of the newest outbound SA. */
  private readonly outByReqid = new Map<number, number>();

  /** Number of slots (live or removed). */
  get size(): number {
    return this.sas.length;
  }

  /** Install an SA; returns its index. */
  add(config: SaConfig | SecurityAssociation): SadAddResult {
    const sa = config instanceof SecurityAssociation ? config : new SecurityAssociation(config);
    const refused = this.refusal(sa);
    if (refused) return { ok: false, error: refused };
    return { ok: true, value: this.link(this.sas.length, sa) };
  }

  /**
   * Make `n` empty slots, indices 0..n-1 (only while the SAD is empty): the SAs a run's
   * policies point at, filled and refilled by `put` as IKE negotiates and rekeys.
   */
  reserve(n: number): void {
    if (this.sas.length !== 0) throw new RangeError('slots are reserved before any SA is added');
    for (let i = 0; i < n; i++) {
      this.sas.push(null);
      this.nextSameSpi.push(-1);
    }
  }

  /**
   * Install an SA into slot `index` (a reserved index): the SA there before, if any, moves to
   * a fresh index where lookups by SPI still find it (a rekeyed SA that keeps receiving
   * until it is deleted). The value is that fresh index, or -1 when the slot was empty.
   */
  put(index: number, config: SaConfig | SecurityAssociation): SadAddResult {
    if (index < 0 || index >= this.sas.length) throw new RangeError(`no SA slot ${index}`);
    const sa = config instanceof SecurityAssociation ? config : new SecurityAssociation(config);
    const refused = this.refusal(sa);
    if (refused) return { ok: false, error: refused };
    const before = this.sas[index];
    let moved = -1;
    if (before) {
      this.remove(index);
      moved = this.link(this.sas.length, before);
    }
    this.link(index, sa);
    return { ok: true, value: moved };
  }

  /** Why `sa` cannot be added, or null. */
  private refusal(sa: SecurityAssociation): SadError | null {
    if (sa.spi < 256) return { code: 'reserved-spi', message: `SPI ${sa.spi} is reserved (RFC 4303: 0..255)` };
    if (this.lookup(sa.spi, sa.dst) >= 0) return { code: 'duplicate-spi', message: `an SA with SPI 0x${sa.spi.toString(16)} to this destination exists` };
    const t = sa.transform;
    if (sa.encKey.length !== t.encryption.keyLength || sa.authKey.length !== t.integrity.keyLength) {
      return {
        code: 'bad-key-length',
        message: `${t.name} needs ${t.encryption.keyLength}+${t.integrity.keyLength} key bytes, got ${sa.encKey.length}+${sa.authKey.length}`,
      };
    }
    return null;
  }

  /** Put `sa` at `idx` (an empty slot or the next fresh index) and into the lookups; returns idx. */
  private link(idx: number, sa: SecurityAssociation): number {
    if (idx === this.sas.length) {
      this.sas.push(sa);
      this.nextSameSpi.push(-1);
    } else this.sas[idx] = sa;
    this.nextSameSpi[idx] = this.bySpi.get(sa.spi) ?? -1;
    this.bySpi.set(sa.spi, idx);
    if (sa.direction === 'out') this.outByReqid.set(sa.reqid, idx);
    return idx;
  }

  /** Inbound lookup by SPI and outer destination: the SA's index, or -1. Allocates nothing. */
  lookup(spi: number, dst: number): number {
    let i = this.bySpi.get(spi >>> 0) ?? -1;
    const d = dst >>> 0;
    while (i >= 0) {
      const sa = this.sas[i];
      if (sa && sa.dst === d) return i;
      i = this.nextSameSpi[i]!;
    }
    return -1;
  }

  /** Outbound lookup: the newest outbound SA of `reqid`, or -1. */
  outbound(reqid: number): number {
    return this.outByReqid.get(reqid) ?? -1;
  }

  /** The SA at `index` (throws only on a programming error: an index not from this SAD). */
  get(index: number): SecurityAssociation {
    const sa = this.sas[index];
    if (!sa) throw new RangeError(`no SA at index ${index}`);
    return sa;
  }

  /** The SA at `index`, or null if removed or out of range. */
  at(index: number): SecurityAssociation | null {
    return this.sas[index] ?? null;
  }

  /** Remove the SA at `index` (expiry, rekey). Its index is never reused. */
  remove(index: number): void {
    const sa = this.sas[index];
    if (!sa) return;
    this.sas[index] = null;
    // Unlink from the SPI chain.
    const head = this.bySpi.get(sa.spi) ?? -1;
    if (head === index) {
      const next = this.nextSameSpi[index]!;
      if (next >= 0) this.bySpi.set(sa.spi, next);
      else this.bySpi.delete(sa.spi);
    } else {
      let i = head;
      while (i >= 0) {
        if (this.nextSameSpi[i] === index) {
          this.nextSameSpi[i] = this.nextSameSpi[index]!;
          break;
        }
        i = this.nextSameSpi[i]!;
      }
    }
    if (this.outByReqid.get(sa.reqid) === index) this.outByReqid.delete(sa.reqid);
  }

  /** Live SAs with their indices, in index order (for listings like `swanctl --list-sas`). */
  *entries(): IterableIterator<[number, SecurityAssociation]> {
    for (let i = 0; i < this.sas.length; i++) {
      const sa = this.sas[i];
      if (sa) yield [i, sa];
    }
  }
}
