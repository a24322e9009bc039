/**
 * Security associations (RFC 4301 §4.4.2) and the SAD that finds them.
 *
 * Owns per-SA state: SPI, tunnel endpoints (uint32), direction, transform, keys, the
 * outbound sequence counter, the inbound anti-replay window, the IV source, counters
 * (packets/bytes each way) and the SA's traffic selectors as prefix pairs (checked after
 * decryption by the gateway's inbound-policy stage). SAs are referenced by index in the
 * SAD and grouped by `reqid`, the way strongSwan and XFRM tie a policy to its SAs, so a
 * rekey swaps the SA under a reqid without touching any policy.
 *
 * Lookup: inbound by (SPI, destination) as RFC 4301 §4.1 allows for unicast SAs, outbound
 * by reqid; both return an index or -1 and allocate nothing. Refused on add: SPIs below
 * 256 (reserved), a (SPI, destination) already present, keys of the wrong length. The SPD
 * (policies) belongs to the gateway layer, which holds reqids.
 */
import { CounterIvSource, PrngIvSource, type IvSource } from './iv.js';
import { spiText } from '../wire/esp.js';
import { DEFAULT_REPLAY_WINDOW, ReplayWindow } from './replay.js';
import type { Transform } from './transforms.js';
import type { CbcStream, EspFramer } from './crypto.js';

/** One traffic selector pair of an SA: local prefix ↔ remote prefix (addresses as uint32). */
export interface TrafficSelector {
  readonly localAddr: number;
  readonly localLen: number;
  readonly remoteAddr: number;
  readonly remoteLen: number;
}

/** Direction of an SA, seen from the gateway that holds it. */
export type SaDirection = 'in' | 'out';

/** What it takes to install an SA. */
export interface SaConfig {
  readonly spi: number;
  /** Tunnel source (outer header source) as uint32. */
  readonly src: number;
  /** Tunnel destination (outer header destination) as uint32. */
  readonly dst: number;
  readonly direction: SaDirection;
  readonly transform: Transform;
  /** Encryption key (GCM: key ‖ 4-byte salt). */
  readonly encKey: Uint8Array;
  /** Integrity key (empty for GCM). */
  readonly authKey: Uint8Array;
  /** Policy reference shared by the SAs of one connection/prefix pair. */
  readonly reqid: number;
  /** Name for traces (`conn/child`). */
  readonly name?: string;
  readonly selectors?: readonly TrafficSelector[];
  /** Anti-replay window size (inbound); default 64. */
  readonly replayWindow?: number;
  /** IV source (outbound); default: PRNG stream for CBC, counter for GCM. */
  readonly ivSource?: IvSource;
  /** Seed for the default PRNG IV source. */
  readonly seed?: number;
}

/** Live state of one SA. Mutable counters, immutable identity. */
export class SecurityAssociation {
  readonly spi: number;
  readonly src: number;
  readonly dst: number;
  readonly direction: SaDirection;
  readonly transform: Transform;
  readonly encKey: Uint8Array;
  readonly authKey: Uint8Array;
  readonly reqid: number;
  readonly name: string;
  readonly selectors: readonly TrafficSelector[];
  readonly replay: ReplayWindow;
  readonly ivSource: IvSource;
  /** Last sequence number sent (outbound); 0 before the first packet. */
  seqOut = 0;
  packetsIn = 0;
  bytesIn = 0;
  packetsOut = 0;
  bytesOut = 0;
  /**
   * CBC only: the last ciphertext block of this SA's outbound chain (all zero before the
   * first packet). Each packet's IV continues this chain (see esp.ts), so a backend's
   * long-lived context and a per-packet one give the same bytes. While a framer is bound
   * it keeps the chain itself and this block is the one it started from; esp.ts copies
   * the framer's chain back here before another backend takes over.
   */
  readonly cbcChain: Uint8Array;
  /** GCM: the AES key (encKey without its salt) and the 4-byte salt, as views made once. */
  readonly gcmKey: Uint8Array;
  readonly gcmSalt: Uint8Array;
  /**
   * What the backend named `contextBackend` keeps for this SA, made on first use by esp.ts
   * (`bindContexts`): its framer for the whole transform, or (without one) long-lived CBC
   * contexts, or nothing (the per-packet calls are used).
   */
  framer: EspFramer | null = null;
  encStream: CbcStream | null = null;
  decStream: CbcStream | null = null;
  contextBackend = '';

  constructor(c: SaConfig) {
    this.spi = c.spi >>> 0;
    this.src = c.src >>> 0;
    this.dst = c.dst >>> 0;
    this.direction = c.direction;
    this.transform = c.transform;
    this.encKey = c.encKey;
    this.authKey = c.authKey;
    this.reqid = c.reqid;
    this.name = c.name ?? `spi-${spiText(this.spi)}`;
    this.selectors = Object.freeze([...(c.selectors ?? [])]);
    this.replay = new ReplayWindow(c.replayWindow ?? DEFAULT_REPLAY_WINDOW);
    const saltLen = c.transform.encryption.saltLength;
    this.gcmKey = c.encKey.subarray(0, c.encKey.length - saltLen);
    this.gcmSalt = c.encKey.subarray(c.encKey.length - saltLen);
    this.cbcChain = new Uint8Array(c.transform.encryption.mode === 'cbc' ? c.transform.encryption.blockSize : 0);
    this.ivSource =
      c.ivSource ?? (c.transform.encryption.mode === 'gcm' ? new CounterIvSource(1) : new PrngIvSource(c.seed ?? 0, `iv/${this.name}/${this.spi}`));
  }
}

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
