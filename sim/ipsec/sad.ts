/**
 * The SAD (Security Association Database): the SAs of a run by index, the one table of SA
 * state and counters. The ESP nodes find an SA here (outbound by index or reqid, inbound by
 * SPI and destination) and count into it; listings read it.
 *
 * SAs are referenced by index and grouped by `reqid`, the way strongSwan and XFRM tie a
 * policy to its SAs, so a rekey adds an SA under a reqid without touching any policy; an
 * index is never reused. Lookup: inbound by (SPI, destination) as RFC 4301 §4.1 allows for
 * unicast SAs, outbound by reqid; both return an index or -1 and allocate nothing. Refused
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
    if (sa.spi < 256) return { ok: false, error: { code: 'reserved-spi', message: `SPI ${sa.spi} is reserved (RFC 4303: 0..255)` } };
    if (this.lookup(sa.spi, sa.dst) >= 0) {
      return { ok: false, error: { code: 'duplicate-spi', message: `an SA with SPI 0x${sa.spi.toString(16)} to this destination exists` } };
    }
    const t = sa.transform;
    if (sa.encKey.length !== t.encryption.keyLength || sa.authKey.length !== t.integrity.keyLength) {
      return {
        ok: false,
        error: {
          code: 'bad-key-length',
          message: `${t.name} needs ${t.encryption.keyLength}+${t.integrity.keyLength} key bytes, got ${sa.encKey.length}+${sa.authKey.length}`,
        },
      };
    }
    const idx = this.sas.length;
    this.sas.push(sa);
    this.nextSameSpi.push(this.bySpi.get(sa.spi) ?? -1);
    this.bySpi.set(sa.spi, idx);
    if (sa.direction === 'out') this.outByReqid.set(sa.reqid, idx);
    return { ok: true, value: idx };
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
